/* Pair counting for bigram collocations and window co-occurrence: the scan over the corpus and
 * the rows of the counted pairs.
 *
 * One thread. Counting separate stretches of the corpus on two threads, each into counters of
 * its own merged afterwards, was measured 1.4x slower on the 2-core VMs (2.35 s -> 3.3 s for
 * the 60 M window pairs of 100 MB): both threads fault in fresh table pages at once, and page
 * faults there are costly and contend. */
#include <stdlib.h>
#include <string.h>

#include "colloc_impl.h"
#include "paircount.h"

/* The scan over the corpus, with the margins: per-position unigrams for bigrams, window slots
 * for co-occurrence. */
typedef struct pair_scan {
    const lstats_corpus *c;
    const uint8_t *flags;
    int bounded;
    uint64_t window;       /* 0: adjacent pairs (bigrams); else co-occurrence within window */
    uint64_t *pos0, *pos1; /* bigrams: per-position counts, or NULL */
    uint64_t *slots;       /* co-occurrence: window slots of each first term, or NULL */
    double n_pairs;        /* bigrams: positions */
} pair_scan;

static lstats_status scan_pairs(pair_scan *t, ls_paircount *pc)
{
    const lstats_corpus *c = t->c;
    const uint8_t *flags = t->flags;
    uint64_t w = t->window;
    lstats_status st = LSTATS_OK;
    for (size_t di = 0; di < c->n_docs && !st; di++) {
        const ls_doc *d = &c->docs[di];
        uint32_t doc1 = (uint32_t)(di + 1);
        FOR_SEGMENTS(d, t->bounded, s0, e0, {
            if (!w) {
                if (e0 < s0 + 2)
                    continue;
                t->n_pairs += (double)(e0 - s0 - 1);
                for (uint64_t p = s0; p + 2 <= e0 && !st; p++) {
                    uint32_t a = d->ids[p], b = d->ids[p + 1];
                    if (t->pos0) {
                        t->pos0[a]++;
                        t->pos1[b]++;
                    }
                    st = ls_paircount_add(pc, a, b, doc1);
                }
            } else {
                for (uint64_t p = s0; p < e0 && !st; p++) {
                    uint64_t b = e0 - p - 1 > w ? p + 1 + w : e0;
                    uint32_t a = d->ids[p];
                    t->slots[a] += b - p - 1;
                    if (flags[a] & EXCLUDED)
                        continue;
                    for (uint64_t i = p + 1; i < b && !st; i++) {
                        uint32_t x = d->ids[i];
                        if (!(flags[x] & EXCLUDED))
                            st = ls_paircount_add(pc, a, x, doc1);
                    }
                }
            }
            if (st)
                break;
        });
    }
    lstats_status fin = ls_paircount_finish(pc);
    return st ? st : fin;
}

/* The rows of the counted pairs that pass min_count and the term filters; the tables are freed
 * as they are read. */
static lstats_status rows_from_pairs(ls_paircount *pc, const lstats_colloc_options *o,
                                     const uint8_t *flags, rows *R)
{
    size_t total = 0;
    for (uint32_t p = 0; p < pc->nparts; p++)
        total += pc->part[p].used;
    lstats_status st = ls_rows_alloc(R, total, 2, 0);
    size_t r = 0;
    for (uint32_t p = 0; p < pc->nparts && !st; p++) {
        const ls_pairpart *pp = &pc->part[p];
        for (uint32_t i = 0; i <= pp->mask; i++) {
            const ls_pairslot *sl = &pp->slot[i];
            if (!sl->count || sl->count < o->min_count ||
                ((flags[sl->a] | flags[sl->b]) & EXCLUDED))
                continue;
            R->ids[2 * r] = sl->a;
            R->ids[2 * r + 1] = sl->b;
            R->count[r] = sl->count;
            R->docs[r] = sl->docs;
            r++;
        }
        ls_paircount_release(pc, p);
    }
    R->n = r;
    return st;
}

lstats_status ls_count_pairs(const lstats_corpus *c, const lstats_colloc_options *o,
                             const uint8_t *flags, uint64_t window, uint64_t *pos0, uint64_t *pos1,
                             uint64_t *slots, double *n_pairs, rows *R)
{
    uint64_t expected = window ? c->n_tokens * (window < 64 ? window : 64) : c->n_tokens;
    pair_scan scan = {c, flags, o->sentence_bounded != 0, window, pos0, pos1, slots, 0};
    ls_paircount pc;
    lstats_status st = ls_paircount_init(&pc, expected);
    if (st)
        return st;
    if (!(st = scan_pairs(&scan, &pc))) {
        st = rows_from_pairs(&pc, o, flags, R);
    }
    *n_pairs = scan.n_pairs;
    ls_paircount_free(&pc);
    return st;
}

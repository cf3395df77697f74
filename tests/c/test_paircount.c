/* paircount: counts and document counts of pairs against a count by sorting, with tables that
 * outgrow their share of the reserved region (an `expected` far too small), and two counters
 * of consecutive stretches merged with a document shared at the cut. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "paircount.h"

enum { N_OCC = 300000, N_DOCS = 7 };

/* Occurrence i: pair (a, b) of a skewed draw, in document doc[i] (1-based, ascending). */
static void make_stream(uint32_t *a, uint32_t *b, uint32_t *doc)
{
    uint64_t state = 99;
    for (uint32_t i = 0; i < N_OCC; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(state >> 11) / 9007199254740992.0;
        uint32_t r = (uint32_t)(u * u * 400000.0);
        a[i] = r % 5000;
        b[i] = r / 5000 * 7 + (uint32_t)(state >> 60);
        doc[i] = 1 + (uint32_t)((uint64_t)i * N_DOCS / N_OCC);
    }
}

/* Sum of counts, sum of document counts and number of pairs in pc's tables. */
static void totals(const ls_paircount *pc, uint64_t *occ, uint64_t *docs, uint64_t *pairs)
{
    *occ = *docs = *pairs = 0;
    for (uint32_t p = 0; p < pc->nparts; p++)
        for (uint32_t i = 0; pc->part[p].slot && i <= pc->part[p].mask; i++) {
            const ls_pairslot *s = &pc->part[p].slot[i];
            if (!s->count)
                continue;
            *occ += s->count;
            *docs += s->docs & ~LS_PAIR_SHARED;
            *pairs += 1;
        }
}

int main(void)
{
    uint32_t *a = malloc(N_OCC * sizeof *a), *b = malloc(N_OCC * sizeof *b);
    uint32_t *doc = malloc(N_OCC * sizeof *doc);
    uint64_t *keys = malloc(N_OCC * sizeof *keys), *kd = malloc(N_OCC * sizeof *kd);
    make_stream(a, b, doc);
    for (uint32_t i = 0; i < N_OCC; i++) {
        keys[i] = ((uint64_t)a[i] << 32) | b[i];
        kd[i] = ((uint64_t)a[i] << 35) | ((uint64_t)b[i] << 3) | doc[i]; /* b < 2^32 / 8 */
    }
    uint64_t want_pairs = check_distinct(keys, N_OCC), want_docs = check_distinct(kd, N_OCC);

    /* one counter told to expect 2,000 occurrences: tables leave the region */
    ls_paircount pc;
    CHECK_OK(ls_paircount_init(&pc, 2000));
    lstats_status st = LSTATS_OK;
    for (uint32_t i = 0; i < N_OCC && !st; i++)
        st = ls_paircount_add(&pc, a[i], b[i], doc[i]);
    CHECK_OK(st);
    CHECK_OK(ls_paircount_finish(&pc));
    int moved = 0;
    for (uint32_t p = 0; p < pc.nparts; p++)
        moved += pc.part[p].own;
    CHECK(moved > 0);
    uint64_t occ, docs, pairs;
    totals(&pc, &occ, &docs, &pairs);
    CHECK(occ == N_OCC);
    CHECK(pairs == want_pairs);
    CHECK(docs == want_docs);
    ls_paircount_free(&pc);

    /* two stretches cut inside document 4, merged */
    uint32_t cut = N_OCC / 2;
    CHECK(doc[cut - 1] == doc[cut]);
    ls_paircount one, two;
    CHECK_OK(ls_paircount_init(&one, N_OCC));
    CHECK_OK(ls_paircount_init(&two, N_OCC));
    two.shared = doc[cut];
    for (uint32_t i = 0; i < N_OCC && !st; i++)
        st = ls_paircount_add(i < cut ? &one : &two, a[i], b[i], doc[i]);
    CHECK_OK(st);
    CHECK_OK(ls_paircount_finish(&one));
    CHECK_OK(ls_paircount_finish(&two));
    ls_pairscratch scratch = {NULL, 0};
    ls_paircount *from[1] = {&two};
    for (uint32_t p = 0; p < one.nparts && !st; p++)
        st = ls_paircount_merge(&one, &scratch, from, 1, p);
    CHECK_OK(st);
    totals(&one, &occ, &docs, &pairs);
    CHECK(occ == N_OCC);
    CHECK(pairs == want_pairs);
    CHECK(docs == want_docs);
    ls_paircount_free(&one);
    ls_paircount_free(&two);
    free(scratch.slot);
    free(a);
    free(b);
    free(doc);
    free(keys);
    free(kd);
    return check_summary();
}

/* Pair counting for bigram collocations and window co-occurrence: the scan over the corpus,
 * on several threads for large corpora, and the rows of the counted pairs.
 *
 * Threads count consecutive stretches of the corpus (cut by tokens, so also inside a document)
 * into counters of their own, merged partition by partition. A pair's count is the sum over the
 * stretches; its document count the sum, less one where two neighbouring stretches share a
 * document and both saw the pair in it (paircount.h). A window that reaches past the end of a
 * stretch is read whole by the stretch it starts in, so no pair is lost or counted twice at a
 * cut. 100 MB, window 4, 2 cores: 2.3-2.4 s on one thread, 1.67 s on two before the merge. */
#include <stdlib.h>
#include <string.h>

#include "growmem.h"
#include "colloc_impl.h"
#include "error.h"
#include "paircount.h"
#include "parallel.h"

/* Fewer tokens per thread than this are counted on fewer threads: the counters' buffers and
 * the merge would cost more than the other core gives. */
#define MIN_TOKENS_PER_THREAD 65536u
#define MAX_THREADS           16u

/* One stretch of the corpus, from token p0 of document d0 up to (not including) token p1 of
 * document d1 (d1 = n_docs, p1 = 0: the end), with its counter and margins. */
typedef struct pair_scan {
    const lstats_corpus *c;
    const uint8_t *flags;
    int bounded;
    uint64_t window;       /* 0: adjacent pairs (bigrams); else co-occurrence within window */
    uint64_t *pos0, *pos1; /* bigrams: per-position counts, or NULL */
    uint64_t *slots;       /* co-occurrence: window slots of each first term, or NULL */
    uint64_t n_pairs;      /* bigrams: positions */
    size_t d0, d1;
    uint64_t p0, p1;
    ls_paircount pc;
    lstats_status st;
    char msg[LS_ERRMSG_MAX];
} pair_scan;

/* Pairs whose first token is in [lo, hi) of document d. */
static lstats_status scan_doc(pair_scan *t, const ls_doc *d, uint32_t doc1, uint64_t lo,
                              uint64_t hi)
{
    const uint8_t *flags = t->flags;
    ls_paircount *pc = &t->pc;
    uint64_t w = t->window;
    lstats_status st = LSTATS_OK;
    FOR_SEGMENTS(d, t->bounded, s0, e0, {
        if (e0 <= lo)
            continue;
        if (s0 >= hi)
            break;
        uint64_t from = s0 > lo ? s0 : lo;
        if (!w) {
            /* first elements: positions in [from, hi) with a successor in the segment */
            uint64_t to = e0 - 1 < hi ? e0 - 1 : hi;
            if (from >= to)
                continue;
            t->n_pairs += to - from;
            for (uint64_t p = from; p < to && !st; p++) {
                uint32_t a = d->ids[p], b = d->ids[p + 1];
                if (t->pos0) {
                    t->pos0[a]++;
                    t->pos1[b]++;
                }
                st = ls_paircount_add(pc, a, b, doc1);
            }
        } else {
            uint64_t to = e0 < hi ? e0 : hi;
            for (uint64_t p = from; p < to && !st; p++) {
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
    return st;
}

static void scan_run(void *arg)
{
    pair_scan *t = arg;
    const lstats_corpus *c = t->c;
    lstats_status st = LSTATS_OK;
    for (size_t di = t->d0; di <= t->d1 && di < c->n_docs && !st; di++) {
        const ls_doc *d = &c->docs[di];
        uint64_t lo = di == t->d0 ? t->p0 : 0, hi = di == t->d1 ? t->p1 : d->n_tokens;
        if (lo < hi)
            st = scan_doc(t, d, (uint32_t)(di + 1), lo, hi);
    }
    lstats_status fin = ls_paircount_finish(&t->pc);
    t->st = st ? st : fin;
    if (t->st)
        ls_error_copy(t->msg, sizeof t->msg);
}

/* Merging partitions [lo, hi) of every stretch's counter into the first one's. */
typedef struct merge_task {
    pair_scan *scan;
    uint32_t n, lo, hi;
    ls_pairscratch scratch;
    lstats_status st;
    char msg[LS_ERRMSG_MAX];
} merge_task;

static void merge_run(void *arg)
{
    merge_task *m = arg;
    ls_paircount *from[MAX_THREADS];
    for (uint32_t t = 1; t < m->n; t++)
        from[t - 1] = &m->scan[t].pc;
    for (uint32_t p = m->lo; p < m->hi && !m->st; p++)
        m->st = ls_paircount_merge(&m->scan[0].pc, &m->scratch, from, m->n - 1, p);
    if (m->st)
        ls_error_copy(m->msg, sizeof m->msg);
}

/* The rows of the counted pairs that pass min_count and the term filters. */
static lstats_status rows_from_pairs(ls_paircount *pc, const lstats_colloc_options *o,
                                     const uint8_t *flags, rows *R, ls_pagepool *pool)
{
    size_t total = 0;
    for (uint32_t p = 0; p < pc->nparts; p++)
        total += pc->part[p].used;
    lstats_status st = ls_rows_alloc(R, total, 2, 0, pool);
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
    }
    R->n = r;
    return st;
}

static uint32_t count_threads(const lstats_corpus *c, const lstats_colloc_options *o)
{
    uint32_t T = o->n_threads ? o->n_threads : ls_cores();
    if (T > MAX_THREADS)
        T = MAX_THREADS;
    if (c->n_docs >= LS_PAIR_SHARED) /* the flag must stay clear of document counts */
        T = 1;
    while (T > 1 && c->n_tokens / T < MIN_TOKENS_PER_THREAD)
        T--;
    return T ? T : 1;
}

/* Cuts the corpus into T stretches of about equal tokens. */
static void cut_stretches(const lstats_corpus *c, pair_scan *s, uint32_t T)
{
    size_t di = 0;
    uint64_t before = 0; /* tokens in documents before di */
    for (uint32_t t = 0; t <= T; t++) {
        uint64_t g = c->n_tokens / T * t + c->n_tokens % T * t / T;
        while (di < c->n_docs && before + c->docs[di].n_tokens <= g)
            before += c->docs[di++].n_tokens;
        uint64_t p = di < c->n_docs ? g - before : 0;
        if (t < T) {
            s[t].d0 = di;
            s[t].p0 = p;
            /* a stretch that starts inside a document shares it with the one before */
            s[t].pc.shared = p ? (uint32_t)(di + 1) : 0;
        }
        if (t > 0) {
            s[t - 1].d1 = di;
            s[t - 1].p1 = p;
        }
    }
}

static void add_into(uint64_t *dst, const uint64_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] += src[i];
}

lstats_status ls_count_pairs(const lstats_corpus *c, const lstats_colloc_options *o,
                             const uint8_t *flags, uint64_t window, uint64_t *pos0, uint64_t *pos1,
                             uint64_t *slots, double *n_pairs, rows *R, ls_pagepool *pool)
{
    uint64_t expected = window ? c->n_tokens * (window < 64 ? window : 64) : c->n_tokens;
    uint32_t T = count_threads(c, o);
    size_t nv = (size_t)ls_vocab_size(c->vocab) + 1;
    pair_scan s[MAX_THREADS];
    merge_task m[MAX_THREADS];
    lstats_status st = LSTATS_OK;
    memset(s, 0, sizeof s);
    memset(m, 0, sizeof m);
    for (uint32_t t = 0; t < T && !st; t++) {
        pair_scan *k = &s[t];
        k->c = c;
        k->flags = flags;
        k->bounded = o->sentence_bounded != 0;
        k->window = window;
        /* the first stretch counts margins into the caller's arrays, the others into their own */
        k->pos0 = t ? NULL : pos0;
        k->pos1 = t ? NULL : pos1;
        k->slots = t ? NULL : slots;
        if (t && pos0 &&
            (!(k->pos0 = ls_calloc_written(nv, sizeof *pos0)) ||
             !(k->pos1 = ls_calloc_written(nv, sizeof *pos1))))
            st = ls_error_nomem();
        if (t && slots && !(k->slots = ls_calloc_written(nv, sizeof *slots)))
            st = ls_error_nomem();
        if (!st)
            st = ls_paircount_init(&k->pc, expected);
    }
    if (st)
        goto done;
    cut_stretches(c, s, T);
    if (T > 1)
        ls_parallel_run(T, scan_run, s, sizeof *s);
    else
        scan_run(&s[0]);
    for (uint32_t t = 0; t < T && !st; t++)
        if (s[t].st)
            st = ls_error_rethrow(s[t].st, s[t].msg);
    if (st)
        goto done;
    uint64_t positions = s[0].n_pairs;
    for (uint32_t t = 1; t < T; t++) {
        positions += s[t].n_pairs;
        if (pos0) {
            add_into(pos0, s[t].pos0, nv);
            add_into(pos1, s[t].pos1, nv);
        }
        if (slots)
            add_into(slots, s[t].slots, nv);
    }
    *n_pairs = (double)positions;
    if (T > 1) {
        uint32_t np = s[0].pc.nparts;
        for (uint32_t i = 0; i < T; i++) {
            m[i].scan = s;
            m[i].n = T;
            m[i].lo = np * i / T;
            m[i].hi = np * (i + 1) / T;
        }
        ls_parallel_run(T, merge_run, m, sizeof *m);
        for (uint32_t i = 0; i < T && !st; i++)
            if (m[i].st)
                st = ls_error_rethrow(m[i].st, m[i].msg);
        /* their pages are the rows' */
        for (uint32_t t = 1; t < T; t++)
            ls_paircount_to_pool(&s[t].pc, pool);
        if (st)
            goto done;
    }
    st = rows_from_pairs(&s[0].pc, o, flags, R, pool);
    ls_paircount_to_pool(&s[0].pc, pool); /* for the sort's buffers */
done:
    for (uint32_t t = 0; t < T; t++) {
        ls_paircount_free(&s[t].pc);
        free(m[t].scratch.slot);
        if (t) {
            free(s[t].pos0);
            free(s[t].pos1);
            free(s[t].slots);
        }
    }
    return st;
}

/* The result of a collocation call: each candidate row's contingency table and measures, the
 * order (the sort measure, then the larger joint count, then the terms bytewise), top-k, and
 * the column table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colloc_impl.h"
#include "error.h"
#include "growmem.h"
#include "msort.h"
#include "parallel.h"
#include "table.h"

int ls_colloc_ascending(int m)
{
    return m == LS_M_FISHER || m == LS_M_FISHER_TWO_SIDED || m == LS_M_FISHER_LESS ||
           m == LS_M_G2_P;
}

/* ---- a row's counts ---- */

static inline double row_o11(const src *s, size_t r)
{
    return s->o11_div == 1 ? (double)s->cnt[r] : (double)s->cnt[r] / s->o11_div;
}

static inline double row_r1(const src *s, size_t r)
{
    return s->ra ? (double)s->ra[s->ids[r * s->n]] : s->r1_all;
}

static inline double row_c1(const src *s, size_t r)
{
    return (double)s->cb[s->ids[r * s->n + s->n - 1]];
}

/* Rows are visited in hash or output order, so the per-term margins (megabytes for a large
 * vocabulary) are read at random: fetching them AHEAD rows early overlaps the cache misses. */
#define AHEAD 16

/* A macro, not a function: GCC deems a function that only prefetches free of effects and
 * deletes its calls. */
#define PREFETCH_MARGINS(src_, row_, end_)                                      \
    do {                                                                        \
        if ((row_) + AHEAD < (end_)) {                                          \
            const uint32_t *w_ = (src_)->ids + ((row_) + AHEAD) * (src_)->n;    \
            __builtin_prefetch(&((src_)->ra ? (src_)->ra : (src_)->cb)[w_[0]]); \
            __builtin_prefetch(&(src_)->cb[w_[(src_)->n - 1]]);                 \
        }                                                                       \
    } while (0)

/* The 2x2 table of a pair row; window tables clamp cells at 0 (overlapping windows can count a
 * collocate more often than it occurs). */
static ls_ct pair_table(const src *s, size_t r)
{
    ls_ct t = ls_ct_from_margins(row_o11(s, r), row_r1(s, r), row_c1(s, r), s->N);
    if (s->mode != MODE_NGRAM) {
        if (t.o21 < 0)
            t.o21 = 0;
        t.o22 = s->N - t.o11 - t.o12 - t.o21;
        if (t.o22 < 0)
            t.o22 = 0;
    }
    return t;
}

/* The 2^n cells of an n-gram row, index bit j set = position j holds w_j; and the expected
 * values. */
static void ngram_cells(const src *s, size_t r, double *cell, double *exp_)
{
    uint32_t n = s->n, full = (1u << n) - 1;
    const uint32_t *w = s->ids + r * n;
    double C[16];
    for (uint32_t S = 0; S <= full; S++) {
        int bits = __builtin_popcount(S);
        if (S == 0) {
            C[S] = s->N;
        } else if (bits == 1) {
            int j = __builtin_ctz(S);
            C[S] = (double)s->uni[j][w[j]];
        } else if (S == full) {
            C[S] = row_o11(s, r);
        } else {
            uint32_t key[4], k = 0;
            for (uint32_t j = 0; j < n; j++)
                if (S & (1u << j))
                    key[k++] = w[j];
            C[S] = (double)ls_idmap_get(s->sub[S], key);
        }
    }
    for (uint32_t S = 0; S <= full; S++) {
        double v = 0;
        for (uint32_t T = S;; T = (T + 1) | S) {
            int sign = (__builtin_popcount(T) - __builtin_popcount(S)) & 1 ? -1 : 1;
            v += sign * C[T];
            if (T == full)
                break;
        }
        cell[S] = v < 0 ? 0 : v;
        double e = 1;
        for (uint32_t j = 0; j < n; j++) {
            double cj = C[1u << j];
            e *= (S & (1u << j)) ? cj : s->N - cj;
        }
        for (uint32_t j = 1; j < n; j++)
            e /= s->N > 0 ? s->N : 1;
        exp_[S] = e;
    }
}

/* NLTK's Poisson-Stirling uses log2 where the textbook uses ln. */
static double nltk_poisson_stirling(double o, double e)
{
    return e > 0 ? (o > 0 ? o * (log2(o / e) - 1) : 0) : NAN;
}

static double score_ngram_nd(const src *s, int m, size_t r)
{
    double cell[16], ex[16];
    ngram_cells(s, r, cell, ex);
    uint32_t n = s->n, full = (1u << n) - 1;
    double o = cell[full], e = ex[full];
    double v;
    if (m == LS_M_POISSON_STIRLING && s->compat)
        return nltk_poisson_stirling(o, e);
    if (ls_assoc_oe((ls_measure)m, o, e, &v))
        return v;
    switch (m) {
    case LS_M_CHI2: {
        double x = 0;
        for (uint32_t S = 0; S <= full; S++)
            if (ex[S] > 0)
                x += (cell[S] - ex[S]) * (cell[S] - ex[S]) / ex[S];
        return x;
    }
    case LS_M_G2:
    case LS_M_G2_P: {
        double g = 0;
        for (uint32_t S = 0; S <= full; S++)
            if (cell[S] > 0 && ex[S] > 0)
                g += cell[S] * log(cell[S] / ex[S]);
        g *= 2; /* NLTK 3.9 also uses 2 (older releases multiplied by n) */
        if (g < 0)
            g = 0;
        return m == LS_M_G2 ? g : ls_chi2_sf1(g);
    }
    case LS_M_JACCARD: {
        double d = 0;
        for (uint32_t S = 1; S <= full; S++)
            d += cell[S];
        return d > 0 ? o / d : NAN;
    }
    case LS_M_LAMBDA:
    case LS_M_LAMBDA_Z: {
        double l = 0, v = 0;
        for (uint32_t S = 0; S <= full; S++) {
            int sign = (n - (uint32_t)__builtin_popcount(S)) & 1 ? -1 : 1;
            l += sign * log(cell[S] + 0.5);
            v += 1 / (cell[S] + 0.5);
        }
        return m == LS_M_LAMBDA ? l : l / sqrt(v);
    }
    default: return NAN;
    }
}

static double score_row(const src *s, int m, size_t r)
{
    if (m == SORT_O11)
        return row_o11(s, r);
    if (s->mode == MODE_NGRAM && s->n > 2)
        return score_ngram_nd(s, m, r);
    ls_ct t = pair_table(s, r);
    if (s->compat) {
        double e = ls_assoc_e11(&t), o = t.o11;
        if (m == LS_M_POISSON_STIRLING)
            return nltk_poisson_stirling(o, e);
        if (m == LS_M_FISHER)
            return ls_assoc_fisher_less(&t);
    }
    if (m == LS_M_Z_BERRY_ROGGHE && s->mode == MODE_WINDOW) {
        /* Berry-Rogghe (1973): p = F_c / (N - F_n), E = p F_n S (= p times the window slots) */
        double den = s->N - s->node_freq;
        if (den <= 0)
            return NAN;
        double p = row_c1(s, r) / den, e = p * row_r1(s, r), v = e * (1 - p);
        return v > 0 ? (t.o11 - e) / sqrt(v) : NAN;
    }
    return ls_assoc_score((ls_measure)m, &t, s->alpha);
}

/* ---- ordering ---- */

/* A row's place in the order: the sort measure as an order-preserving integer (descending
 * sorts negate the measure first; NaN last), then what ties are broken by (the larger joint
 * count, then the terms' bytewise ranks, then the row) as one integer where it fits (see
 * tie_ctx). Neither sorting nor tie-breaking then reads the rows at random, and runs of equal
 * keys (millions of rows: every pair of two once-seen words scores the same) sort by integers
 * instead of by comparisons that look up ranks. */
typedef struct sort_ent {
    uint64_t key;
    uint64_t tie;
    uint32_t row;
    uint32_t docs; /* the row's (below 2^32: pair and n-gram slots count in 32 bits), carried in
                    * what would be padding so that output needs no R */
} sort_ent;

/* A buffer of n sort entries. Once dead it is reused in place for three arrays of 8 bytes a row
 * (rows, columns): 24 bytes an entry, and room for each of the three to round up to whole pages
 * (64 KB, the largest page size in use). */
static size_t ent_bytes(size_t n)
{
    return (n ? n : 1) * sizeof(sort_ent) + 3 * ((size_t)64 << 10);
}

/* Maps a double to an integer of the same order (IEEE-754: flip all bits of negatives, the
 * sign bit of positives); NaN above everything, -0 equal to +0. */
static uint64_t order_key(double x)
{
    if (isnan(x))
        return UINT64_MAX;
    if (x == 0)
        x = 0; /* -0 -> +0 */
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return (b >> 63) ? ~b : (b | (UINT64_C(1) << 63));
}

/* The score back from an entry's key (asc: the order is ascending). Zero comes back as +0. */
static double key_score(uint64_t key, int asc)
{
    if (key == UINT64_MAX)
        return NAN;
    uint64_t b = (key >> 63) ? key & ~(UINT64_C(1) << 63) : ~key;
    double x;
    memcpy(&x, &b, sizeof x);
    x = asc ? x : -x;
    return x == 0 ? 0.0 : x;
}

/* Stable LSD radix sort by a 64-bit field, 8 bits a pass; passes where every key has the same digit
 * are skipped. Millions of rows sort in tens of milliseconds, where a comparison sort took ten
 * times as long. */
#define RADIX_SORT(name, field)                                             \
    static lstats_status name(sort_ent *v, sort_ent *tmp, size_t n)         \
    {                                                                       \
        enum { BITS = 8, B = 1 << BITS, PASSES = 8 };                       \
        size_t *hist = calloc((size_t)PASSES * B, sizeof *hist);            \
        if (!hist)                                                          \
            return ls_error_nomem();                                        \
        for (size_t i = 0; i < n; i++) {                                    \
            uint64_t k = v[i].field;                                        \
            for (int p = 0; p < PASSES; p++)                                \
                hist[p * B + ((k >> (p * BITS)) & (B - 1))]++;              \
        }                                                                   \
        sort_ent *from = v, *to = tmp;                                      \
        for (int p = 0; p < PASSES && n; p++) {                             \
            size_t *h = hist + p * B;                                       \
            if (h[(from[0].field >> (p * BITS)) & (B - 1)] == n)            \
                continue;                                                   \
            size_t sum = 0;                                                 \
            for (int d = 0; d < B; d++) {                                   \
                size_t x = h[d];                                            \
                h[d] = sum;                                                 \
                sum += x;                                                   \
            }                                                               \
            for (size_t i = 0; i < n; i++)                                  \
                to[h[(from[i].field >> (p * BITS)) & (B - 1)]++] = from[i]; \
            sort_ent *x = from;                                             \
            from = to;                                                      \
            to = x;                                                         \
        }                                                                   \
        if (from != v)                                                      \
            memcpy(v, from, n * sizeof *v);                                 \
        free(hist);                                                         \
        return LSTATS_OK;                                                   \
    }

RADIX_SORT(radix_sort, key)
RADIX_SORT(radix_sort_tie, tie)

/* Equal keys: the larger joint count first, then the terms' bytewise ranks, then the row.
 * Exact: tie = (cmax - count) << (n * rbits) | rank[id0] << ((n - 1) * rbits) ... for n <= 2
 * ids when that fits in 64 bits (so rows with equal ties are the same terms); otherwise tie =
 * UINT32_MAX - count (saturated) and equal ties compare the rest here. */
typedef struct tie_ctx {
    const src *s;
    const uint32_t *rank;
    const uint32_t *by_rank; /* the inverse of rank */
    int exact;
    uint32_t rbits;
    uint64_t cmax;
} tie_ctx;

static uint64_t tie_of(const tie_ctx *t, uint64_t cnt, const uint32_t *ids)
{
    if (!t->exact)
        return UINT32_MAX - (cnt > UINT32_MAX ? UINT32_MAX : cnt);
    uint64_t v = t->cmax - cnt;
    for (uint32_t j = 0; j < t->s->n; j++)
        v = (v << t->rbits) | t->rank[ids[j]];
    return v;
}

static int tie_less(const tie_ctx *t, const sort_ent *x, const sort_ent *y)
{
    if (x->tie != y->tie)
        return x->tie < y->tie;
    if (!t->exact) {
        const src *s = t->s;
        uint64_t cx = s->cnt[x->row], cy = s->cnt[y->row];
        if (cx != cy) /* both saturated in the tie */
            return cx > cy;
        const uint32_t *a = s->ids + (size_t)x->row * s->n, *b = s->ids + (size_t)y->row * s->n;
        for (uint32_t j = 0; j < s->n; j++)
            if (a[j] != b[j])
                return t->rank[a[j]] < t->rank[b[j]];
    }
    return x->row < y->row;
}

/* The tie-breaking for rows of n ids, counts up to cmax, a vocabulary of V terms. */
static tie_ctx tie_setup(const src *s, const uint32_t *rank, const uint32_t *by_rank, uint32_t V,
                         uint64_t cmax)
{
    tie_ctx t = {s, rank, by_rank, 0, 0, cmax};
    while (t.rbits < 32 && ((uint64_t)1 << t.rbits) < V)
        t.rbits++;
    uint32_t cbits = 0;
    while (cbits < 64 && (cmax >> cbits))
        cbits++;
    t.exact = s->n <= 2 && cbits + s->n * t.rbits <= 64;
    return t;
}

LS_MERGE_SORT(sort_ties, sort_ent, const tie_ctx *, tie_less)

/* A run of equal keys: by tie (stable, so rows stay in row order), then, unless ties are exact,
 * runs of equal ties by the comparison. Short runs by insertion. */
static lstats_status sort_run(const tie_ctx *t, sort_ent *v, sort_ent *tmp, size_t n)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            sort_ent x = v[i];
            size_t j = i;
            for (; j > 0 && tie_less(t, &x, &v[j - 1]); j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return LSTATS_OK;
    }
    lstats_status st = radix_sort_tie(v, tmp, n);
    for (size_t i = 0; i < n && !st && !t->exact;) {
        size_t j = i + 1;
        while (j < n && v[j].tie == v[i].tie)
            j++;
        if (j - i > 1)
            sort_ties(v + i, tmp, j - i, t);
        i = j;
    }
    return st;
}

/* The vocabulary's bytes, for ordering term ids bytewise. */
typedef struct term_bytes {
    const char *arena;
    const uint64_t *start;
} term_bytes;

static int term_less(const term_bytes *tb, uint32_t a, uint32_t b)
{
    uint64_t sa = tb->start[a], sb = tb->start[b];
    size_t la = (size_t)(tb->start[a + 1] - sa), lb = (size_t)(tb->start[b + 1] - sb);
    int r = memcmp(tb->arena + sa, tb->arena + sb, la < lb ? la : lb);
    return r < 0 || (r == 0 && la < lb);
}

#define TERM_ENT_LESS(tb, a, b) term_less((tb), (a)->row, (b)->row)
LS_MERGE_SORT(sort_term_run, sort_ent, const term_bytes *, TERM_ENT_LESS)

/* rank[id] = position of term id in bytewise order, by_rank its inverse: a radix sort by the
 * first 8 bytes (big endian, zero padded), then runs with equal prefixes by their whole
 * bytes. */
static lstats_status term_ranks(const ls_vocab *v, uint32_t **out, uint32_t **by_rank_out)
{
    uint32_t V = ls_vocab_size(v);
    sort_ent *ent = malloc(((size_t)V + 1) * sizeof *ent);
    sort_ent *tmp = malloc(((size_t)V + 1) * sizeof *tmp);
    uint32_t *rank = malloc(((size_t)V + 1) * sizeof *rank);
    uint32_t *by_rank = malloc(((size_t)V + 1) * sizeof *by_rank);
    lstats_status st = LSTATS_OK;
    if (!ent || !tmp || !rank || !by_rank) {
        st = ls_error_nomem();
        goto done;
    }
    term_bytes tb;
    tb.arena = ls_vocab_arena(v, &tb.start);
    for (uint32_t i = 0; i < V; i++) {
        const unsigned char *p = (const unsigned char *)tb.arena + tb.start[i];
        size_t len = (size_t)(tb.start[i + 1] - tb.start[i]);
        uint64_t k = 0;
        for (size_t j = 0; j < 8; j++)
            k = (k << 8) | (j < len ? p[j] : 0);
        memset(&ent[i], 0, sizeof ent[i]);
        ent[i].key = k;
        ent[i].row = i;
    }
    if ((st = radix_sort(ent, tmp, V)))
        goto done;
    for (size_t i = 0; i < V;) {
        size_t j = i + 1;
        while (j < V && ent[j].key == ent[i].key)
            j++;
        sort_term_run(ent + i, tmp, j - i, &tb);
        i = j;
    }
    for (uint32_t i = 0; i < V; i++) {
        rank[ent[i].row] = i;
        by_rank[i] = ent[i].row;
    }
done:
    free(ent);
    free(tmp);
    if (st) {
        free(rank);
        free(by_rank);
        return st;
    }
    *out = rank;
    *by_rank_out = by_rank;
    return LSTATS_OK;
}

/* Sorts ent[0..n) by key and ties; tmp holds n entries. radix_sort's only failure is its
 * histogram's allocation. */
static lstats_status sort_range(const tie_ctx *t, sort_ent *ent, sort_ent *tmp, size_t n)
{
    lstats_status st = radix_sort(ent, tmp, n);
    for (size_t i = 0; i < n && !st;) {
        size_t j = i + 1;
        while (j < n && ent[j].key == ent[i].key)
            j++;
        if (j - i > 1)
            st = sort_run(t, ent + i, tmp, j - i);
        i = j;
    }
    return st;
}

static inline int ent_less(const tie_ctx *t, const sort_ent *x, const sort_ent *y)
{
    return x->key != y->key ? x->key < y->key : tie_less(t, x, y);
}

typedef struct sort_task {
    const tie_ctx *t;
    sort_ent *ent, *tmp;
    size_t n;
    lstats_status st;
} sort_task;

static void sort_task_run(void *arg)
{
    sort_task *k = arg;
    k->st = sort_range(k->t, k->ent, k->tmp, k->n);
}

/* Orders all rows: with threads, each half on its own, then one merge. *ent may be replaced
 * (by the buffer the merge wrote). */
static lstats_status order_rows(const tie_ctx *t, sort_ent **entp, size_t n, uint32_t threads,
                                ls_pagepool *pool)
{
    sort_ent *ent = *entp, *tmp = ls_pagepool_take_lazy(pool, ent_bytes(n));
    lstats_status st = LSTATS_OK;
    if (!tmp)
        return ls_error_nomem();
    if (threads < 2 || n < 65536) {
        st = sort_range(t, ent, tmp, n);
        goto done;
    }
    size_t h = n / 2;
    sort_task k[2] = {{t, ent, tmp, h, LSTATS_OK}, {t, ent + h, tmp + h, n - h, LSTATS_OK}};
    ls_parallel_run(2, sort_task_run, k, sizeof *k);
    /* their only failure is out of memory, raised on the worker's thread */
    if ((st = k[0].st) || (st = k[1].st)) {
        st = ls_error_rethrow(st, NULL);
        goto done;
    }
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        tmp[o++] = ent_less(t, &ent[j], &ent[i]) ? ent[j++] : ent[i++];
    while (i < h)
        tmp[o++] = ent[i++];
    while (j < n)
        tmp[o++] = ent[j++];
    *entp = tmp;
    tmp = ent;
done:
    ls_pagepool_put(pool, tmp, ent_bytes(n));
    return st;
}

/* ---- the columns ---- */

lstats_status ls_rows_alloc(rows *r, size_t n, uint32_t k, int window, ls_pagepool *pool)
{
    size_t m = n ? n : 1;
    memset(r, 0, sizeof *r);
    r->n = n;
    r->cap = m;
    r->k = k;
    r->ids = ls_pagepool_take(pool, m * k * sizeof *r->ids);
    r->count = ls_pagepool_take(pool, m * sizeof *r->count);
    r->docs = ls_pagepool_take(pool, m * sizeof *r->docs);
    r->left = window ? ls_pagepool_take(pool, m * sizeof *r->left) : NULL;
    r->right = window ? ls_pagepool_take(pool, m * sizeof *r->right) : NULL;
    if (!r->ids || !r->count || !r->docs || (window && (!r->left || !r->right))) {
        ls_rows_free(r, NULL);
        return ls_error_nomem();
    }
    return LSTATS_OK;
}

void ls_rows_free(rows *r, ls_pagepool *pool)
{
    size_t m = r->cap;
    ls_pagepool_put(pool, r->ids, m * r->k * sizeof *r->ids);
    ls_pagepool_put(pool, r->count, m * sizeof *r->count);
    ls_pagepool_put(pool, r->docs, m * sizeof *r->docs);
    ls_pagepool_put(pool, r->left, m * sizeof *r->left);
    ls_pagepool_put(pool, r->right, m * sizeof *r->right);
    memset(r, 0, sizeof *r);
}

/* Column j of the rows' terms. Short terms are copied 8 bytes at a time (both buffers have
 * the slack): a memcpy call per term cost more than the copying. */
static lstats_status make_strings(const lstats_corpus *c, const uint32_t *ids, uint32_t k,
                                  uint32_t j, size_t n, char **blob_out, int64_t *off)
{
    const uint64_t *start;
    const char *arena = ls_vocab_arena(c->vocab, &start);
    uint64_t arena_len = start[ls_vocab_size(c->vocab)];
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + AHEAD < n)
            __builtin_prefetch(&start[ids[(i + AHEAD) * k + j]]);
        uint32_t id = ids[i * k + j];
        total += (size_t)(start[id + 1] - start[id]);
    }
    char *blob = malloc(total + 8);
    if (!blob)
        return ls_error_nomem();
    ls_prefault(blob, total);
    size_t p = 0;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + AHEAD < n) {
            uint32_t ahead = ids[(i + AHEAD) * k + j];
            __builtin_prefetch(&start[ahead]);
            __builtin_prefetch(arena + start[ahead]);
        }
        uint32_t id = ids[i * k + j];
        uint64_t s = start[id];
        size_t l = (size_t)(start[id + 1] - s);
        if (l <= 8 && s + 8 <= arena_len)
            memcpy(blob + p, arena + s, 8);
        else
            memcpy(blob + p, arena + s, l);
        p += l;
        off[i + 1] = (int64_t)p;
    }
    *blob_out = blob;
    return LSTATS_OK;
}

/* The result's columns, computed (on threads) before any is added to the table. */
typedef struct cols {
    char *blob[4];
    int64_t *off[4];
    double *r1, *c1, *nn, *e11; /* pairs */
    uint64_t *f[4];             /* n >= 3: per-position marginals */
    double *meas[LS_M_COUNT];   /* by index in the measure list */
    size_t n;                   /* rows: the blocks hold max(n, 1) values, offsets n + 1 */
} cols;

static void cols_free(cols *k)
{
    size_t e = (k->n ? k->n : 1) * sizeof(double), o = (k->n + 1) * sizeof(int64_t);
    for (int j = 0; j < 4; j++) {
        free(k->blob[j]);
        ls_growmem_free(k->off[j], o);
        ls_growmem_free(k->f[j], e);
    }
    ls_growmem_free(k->r1, e);
    ls_growmem_free(k->c1, e);
    ls_growmem_free(k->nn, e);
    ls_growmem_free(k->e11, e);
    for (int i = 0; i < LS_M_COUNT; i++)
        ls_growmem_free(k->meas[i], e);
    memset(k, 0, sizeof *k);
}

typedef struct col_task {
    int what; /* j >= 0: the terms of position j; -1: the numbers */
    const lstats_corpus *c;
    const mlist *ml;
    const src *s; /* reads the rows in output order */
    const rows *S;
    size_t n;      /* rows */
    size_t lo, hi; /* the numbers: rows [lo, hi) */
    cols *out;
    lstats_status st;
} col_task;

/* Every column array but the terms' bytes, taken before the columns are computed on threads
 * (pages move only while no other thread runs); fresh pages fault in on the threads. */
static lstats_status take_columns(cols *k, const src *s, const mlist *ml, size_t n,
                                  ls_pagepool *pool)
{
    size_t m = n ? n : 1, e = m * sizeof(double);
    int fail = 0;
    k->n = n;
#define TAKE(p, bytes) fail |= !((p) = ls_pagepool_take_lazy(pool, (bytes)))
    for (uint32_t j = 0; j < s->n && j < 4; j++)
        TAKE(k->off[j], (n + 1) * sizeof(int64_t));
    TAKE(k->nn, e);
    TAKE(k->e11, e);
    if (s->mode == MODE_NGRAM && s->n > 2) {
        for (uint32_t j = 0; j < s->n && j < 4; j++)
            TAKE(k->f[j], e);
    } else {
        TAKE(k->r1, e);
        TAKE(k->c1, e);
    }
    for (int q = 0; q < ml->k; q++)
        if (ml->m[q] != ml->sort)
            TAKE(k->meas[q], e);
#undef TAKE
    return fail ? ls_error_nomem() : LSTATS_OK;
}

static void make_numbers(col_task *k)
{
    const src *s = k->s;
    cols *o = k->out;
    size_t lo = k->lo, n = k->hi;
    if (s->mode == MODE_NGRAM && s->n > 2) {
        for (size_t i = lo; i < n; i++) {
            double cell[16], ex[16];
            ngram_cells(s, i, cell, ex);
            o->e11[i] = ex[(1u << s->n) - 1];
            o->nn[i] = s->N;
        }
        for (uint32_t j = 0; j < s->n; j++)
            for (size_t i = lo; i < n; i++)
                o->f[j][i] = s->uni[j][s->ids[i * s->n + j]];
    } else {
        for (size_t i = lo; i < n; i++) {
            PREFETCH_MARGINS(s, i, n);
            ls_ct tt = pair_table(s, i);
            o->r1[i] = row_r1(s, i);
            o->c1[i] = row_c1(s, i);
            o->nn[i] = s->N;
            o->e11[i] = ls_assoc_e11(&tt);
        }
    }
    for (int q = 0; q < k->ml->k; q++) {
        int meas = k->ml->m[q];
        if (meas == k->ml->sort)
            continue; /* already scored for the order */
        for (size_t i = lo; i < n; i++)
            o->meas[q][i] = score_row(s, meas, i);
    }
}

static void col_task_run(void *arg)
{
    col_task *k = arg;
    if (k->what < 0) {
        make_numbers(k);
        return;
    }
    k->st = make_strings(k->c, k->S->ids, k->s->n, (uint32_t)k->what, k->n, &k->out->blob[k->what],
                         k->out->off[k->what]);
}

/* Adds a column from block *p (the table takes it, freeing it on error too); *p is left NULL. */
static lstats_status add_f64(lstats_table *t, const char *name, double **p)
{
    double *d = *p;
    *p = NULL;
    return ls_table_add_block(t, name, LSTATS_COL_F64, d, NULL, NULL);
}

static lstats_status add_u64(lstats_table *t, const char *name, uint64_t **p)
{
    uint64_t *d = *p;
    *p = NULL;
    return ls_table_add_block(t, name, LSTATS_COL_U64, d, NULL, NULL);
}

static lstats_status add_cols(lstats_table *t, const src *s, const mlist *ml, rows *S, cols *k,
                              double **score)
{
    lstats_status st;
    if (s->mode == MODE_WINDOW) {
        char *b = k->blob[0];
        int64_t *off = k->off[0];
        k->blob[0] = NULL;
        k->off[0] = NULL;
        if ((st = ls_table_add_block(t, "collocate", LSTATS_COL_STRING, NULL, b, off)) ||
            (st = add_u64(t, "left", &S->left)) || (st = add_u64(t, "right", &S->right)))
            return st;
    } else {
        for (uint32_t j = 0; j < s->n; j++) {
            char name[16], *b = k->blob[j];
            int64_t *off = k->off[j];
            k->blob[j] = NULL;
            k->off[j] = NULL;
            snprintf(name, sizeof name, "w%u", j + 1);
            if ((st = ls_table_add_block(t, name, LSTATS_COL_STRING, NULL, b, off)))
                return st;
        }
    }
    if ((st = add_u64(t, "o11", &S->count)))
        return st;
    if (s->mode == MODE_NGRAM && s->n > 2) {
        for (uint32_t j = 0; j < s->n; j++) {
            char name[16];
            snprintf(name, sizeof name, "f%u", j + 1);
            if ((st = add_u64(t, name, &k->f[j])))
                return st;
        }
    } else if ((st = add_f64(t, "r1", &k->r1)) || (st = add_f64(t, "c1", &k->c1))) {
        return st;
    }
    if ((st = add_f64(t, "n", &k->nn)) || (st = add_f64(t, "e11", &k->e11)) ||
        (st = add_u64(t, "doc_count", &S->docs)))
        return st;
    for (int q = 0; q < ml->k; q++) {
        const char *name = ls_measure_name((ls_measure)ml->m[q]);
        if ((st = add_f64(t, name, ml->m[q] == ml->sort ? score : &k->meas[q])))
            return st;
    }
    return LSTATS_OK;
}

static lstats_status set_meta(lstats_table *t, const lstats_corpus *c,
                              const lstats_colloc_options *o, const src *s, size_t n,
                              const char *kind)
{
    char buf[64];
    const char *meas = o->measures ? o->measures : "g2,pmi,logdice,t";
    lstats_status st;
    if ((st = ls_table_set_meta(t, "kind", kind)) ||
        (st = ls_table_set_meta(t, "measures", meas)) ||
        (st = ls_table_set_meta(t, "compat", o->compat ? "nltk" : "textbook")) ||
        (st = ls_table_set_meta_u64(t, "n_candidates", n)) ||
        (st = ls_table_set_meta_u64(t, "n_tokens", c->n_tokens)) ||
        (st = ls_table_set_meta_u64(t, "sentence_bounded", o->sentence_bounded != 0)))
        return st;
    snprintf(buf, sizeof buf, "%.17g", s->N);
    if ((st = ls_table_set_meta(t, "N", buf)))
        return st;
    snprintf(buf, sizeof buf, "%g", o->alpha);
    if ((st = ls_table_set_meta(t, "alpha", buf)))
        return st;
    return ls_corpus_describe(c, t);
}

/* Scoring the rows for the order, and later gathering them into it, by ranges on threads. */
typedef struct range_task {
    const src *s;
    const mlist *ml;
    const rows *R;
    rows *S;
    size_t lo, hi;
    double *score; /* gathering: the sort measure's scores in order */
    sort_ent *ent;
    const tie_ctx *tie;
} range_task;

static void score_range(void *arg)
{
    range_task *k = arg;
    const src *s = k->s;
    const rows *R = k->R;
    int sort = k->ml->sort, asc = sort != SORT_O11 && ls_colloc_ascending(sort);
    const uint32_t *rank = k->tie->exact ? k->tie->rank : NULL;
    for (size_t i = k->lo; i < k->hi; i++) {
        if (s->cb)
            PREFETCH_MARGINS(s, i, k->hi);
        if (rank && i + AHEAD < k->hi)
            for (uint32_t j = 0; j < s->n; j++)
                __builtin_prefetch(&rank[R->ids[(i + AHEAD) * s->n + j]]);
        double x = score_row(s, sort, i);
        sort_ent *e = &k->ent[i];
        e->key = order_key(isnan(x) ? x : (asc ? x : -x));
        e->row = (uint32_t)i;
        e->docs = (uint32_t)R->docs[i];
        e->tie = tie_of(k->tie, R->count[i], R->ids + i * s->n);
    }
}

/* Pairs whose tie holds the count and both terms' ranks: the row comes out of its entry, and R,
 * which would be read at random, is not read at all. */
static int decodable(const tie_ctx *t, const rows *R)
{
    return t->exact && t->s->n == 2 && !R->left && 2 * t->rbits < 64;
}

static void gather_range(void *arg)
{
    range_task *k = arg;
    const src *s = k->s;
    const rows *R = k->R;
    rows *S = k->S;
    int sort = k->ml->sort, asc = sort != SORT_O11 && ls_colloc_ascending(sort);
    const tie_ctx *t = k->tie;
    if (decodable(t, R)) {
        uint32_t rb = t->rbits;
        uint64_t rmask = (UINT64_C(1) << rb) - 1;
        for (size_t i = k->lo; i < k->hi; i++) {
            const sort_ent *e = &k->ent[i];
            S->ids[2 * i] = t->by_rank[(e->tie >> rb) & rmask];
            S->ids[2 * i + 1] = t->by_rank[e->tie & rmask];
            S->count[i] = t->cmax - (e->tie >> (2 * rb));
            S->docs[i] = e->docs;
            k->score[i] = key_score(e->key, asc);
        }
        return;
    }
    for (size_t i = k->lo; i < k->hi; i++) {
        const sort_ent *e = &k->ent[i];
        size_t r = e->row;
        if (i + AHEAD < k->hi) {
            size_t ra = k->ent[i + AHEAD].row;
            __builtin_prefetch(&R->ids[ra * s->n]);
            __builtin_prefetch(&R->count[ra]);
            if (R->left) {
                __builtin_prefetch(&R->left[ra]);
                __builtin_prefetch(&R->right[ra]);
            }
        }
        for (uint32_t j = 0; j < s->n; j++)
            S->ids[i * s->n + j] = R->ids[r * s->n + j];
        S->count[i] = R->count[r];
        S->docs[i] = e->docs;
        if (R->left) {
            S->left[i] = R->left[r];
            S->right[i] = R->right[r];
        }
        k->score[i] = key_score(e->key, asc);
    }
}

static void run_ranges(uint32_t threads, void (*fn)(void *), range_task proto, size_t n)
{
    range_task k[8];
    uint32_t T = threads > 8 ? 8 : threads ? threads : 1;
    if (n < 65536)
        T = 1;
    for (uint32_t i = 0; i < T; i++) {
        k[i] = proto;
        k[i].lo = n * i / T;
        k[i].hi = n * (i + 1) / T;
    }
    ls_parallel_run(T, fn, k, sizeof *k);
}

/* Orders the rows; S receives the first `kept` of them in order (R is consumed) and *score_out
 * their sort-measure scores. */
static lstats_status sorted_rows(const lstats_corpus *c, const mlist *ml, const src *s, rows *R,
                                 size_t kept, uint32_t threads, rows *S, double **score_out,
                                 ls_pagepool *pool)
{
    size_t n = R->n;
    if (n > UINT32_MAX)
        return ls_error(LSTATS_EINVAL, "more than 2^32 - 1 candidate rows");
    lstats_status st = LSTATS_OK;
    double *in_order = NULL;
    sort_ent *ent = ls_pagepool_take_lazy(pool, ent_bytes(n)); /* written on threads */
    uint32_t *rank = NULL, *by_rank = NULL;
    if (!ent) {
        st = ls_error_nomem();
        goto done;
    }
    if ((st = term_ranks(c->vocab, &rank, &by_rank)))
        goto done;
    uint64_t cmax = 0;
    for (size_t i = 0; i < n; i++)
        cmax = R->count[i] > cmax ? R->count[i] : cmax;
    tie_ctx tc = tie_setup(s, rank, by_rank, ls_vocab_size(c->vocab), cmax);
    range_task proto;
    memset(&proto, 0, sizeof proto);
    proto.s = s;
    proto.ml = ml;
    proto.R = R;
    proto.ent = ent;
    proto.tie = &tc;
    run_ranges(threads, score_range, proto, n);
    if ((st = order_rows(&tc, &ent, n, threads, pool)) ||
        (st = ls_rows_alloc(S, kept, s->n, R->left != NULL, pool)))
        goto done;
    if (!(in_order = ls_pagepool_take_lazy(pool, (kept ? kept : 1) * sizeof *in_order))) {
        st = ls_error_nomem();
        goto done;
    }
    /* one gather into output order; every later pass reads in order */
    proto.ent = ent;
    proto.S = S;
    proto.score = in_order;
    run_ranges(threads, gather_range, proto, kept);
done:
    free(rank);
    free(by_rank);
    if (st) {
        ls_pagepool_put(pool, ent, ent_bytes(n));
        ls_pagepool_put(pool, in_order, (kept ? kept : 1) * sizeof *in_order);
        ls_rows_free(S, pool);
        return st;
    }
    ls_pagepool_put(pool, ent, ent_bytes(n));
    ls_rows_free(R, pool);
    *score_out = in_order;
    return LSTATS_OK;
}

/* Filters are applied by the caller; here: sort key, order, top-k, columns. R is consumed. */
lstats_status ls_colloc_finish(const lstats_corpus *c, const lstats_colloc_options *o,
                               const mlist *ml, const src *s, rows *R, ls_pagepool *pool,
                               const char *kind, lstats_table **out)
{
    size_t n = R->n, kept = o->top_k && o->top_k < n ? o->top_k : n;
    uint32_t threads = o->n_threads ? o->n_threads : ls_cores();
    rows S;
    memset(&S, 0, sizeof S);
    cols k;
    memset(&k, 0, sizeof k);
    double *score = NULL;
    lstats_table *t = NULL;
    lstats_status st = sorted_rows(c, ml, s, R, kept, threads, &S, &score, pool);
    if (!st)
        st = take_columns(&k, s, ml, kept, pool);
    if (st)
        goto done;
    src ss = *s;
    ss.ids = S.ids;
    ss.cnt = S.count;
    /* one task per string column and the numbers in `threads` parts (at most 4): on threads
     * when there is enough */
    col_task tasks[8];
    int on_threads = threads > 1 && kept >= 65536;
    uint32_t nt = 0, parts = on_threads ? (threads < 4 ? threads : 4) : 1;
    for (uint32_t q = 0; q < parts; q++)
        tasks[nt++] = (col_task){
            -1, c, ml, &ss, &S, kept, kept * q / parts, kept * (q + 1) / parts, &k, LSTATS_OK};
    for (int w = 0; w < (int)s->n; w++)
        tasks[nt++] = (col_task){w, c, ml, &ss, &S, kept, 0, kept, &k, LSTATS_OK};
    if (on_threads)
        ls_parallel_run(nt, col_task_run, tasks, sizeof *tasks);
    else
        for (uint32_t i = 0; i < nt; i++)
            col_task_run(&tasks[i]);
    for (uint32_t i = 0; i < nt && !st; i++)
        st = tasks[i].st ? ls_error_rethrow(tasks[i].st, NULL) : LSTATS_OK;
    if (st)
        goto done;
    if (!(t = ls_table_new(kept))) {
        st = LSTATS_ENOMEM;
        goto done;
    }
    if ((st = add_cols(t, s, ml, &S, &k, &score)) || (st = set_meta(t, c, o, s, n, kind)))
        goto done;
    *out = t;
    t = NULL;
done:
    lstats_table_free(t);
    cols_free(&k);
    ls_rows_free(&S, pool);
    ls_growmem_free(score, (kept ? kept : 1) * sizeof *score);
    return st;
}

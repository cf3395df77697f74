/* Internal: what the collocation entry points (colloc.c, which count) hand to the result
 * builder (colloc_result.c, which scores, orders and makes the table). */
#ifndef LS_COLLOC_IMPL_H
#define LS_COLLOC_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "assoc.h"
#include "corpus_impl.h"
#include "idmap.h"
#include "libstats.h"
#include "pagepool.h"

#define SORT_O11 (-2)

/* The measures asked for, in column order, and the one rows are sorted by. */
typedef struct mlist {
    int m[LS_M_COUNT];
    int k;
    int sort; /* a measure, or SORT_O11 */
} mlist;

enum { MODE_NGRAM, MODE_WINDOW, MODE_COOC };

/* The candidate rows, one per distinct n-gram, pair or collocate. The arrays are page pool
 * blocks (pagepool.h) of `cap` rows. */
typedef struct rows {
    size_t n, cap;
    uint32_t k;             /* ids per row */
    uint32_t *ids;          /* src.n per row */
    uint64_t *count;        /* joint count (o11 before any NLTK scaling) */
    uint64_t *docs;         /* documents the row occurs in (the doc_count column as it is) */
    uint64_t *left, *right; /* window: count left and right of the node */
} rows;

/* Arrays for n rows of k ids (and left/right counts for a window), contents undefined; from
 * pool, which may be NULL. */
lstats_status ls_rows_alloc(rows *r, size_t n, uint32_t k, int window, ls_pagepool *pool);
/* r's arrays back to pool for later arrays (pool NULL: unmapped). */
void ls_rows_free(rows *r, ls_pagepool *pool);

/* How a row's contingency table is made. Margins come from per-term arrays, so rows carry only
 * their ids and counts. */
typedef struct src {
    int mode;
    int compat;
    uint32_t n;          /* ids per row */
    const uint32_t *ids; /* n per row */
    const uint64_t *cnt; /* joint count per row */
    double o11_div;      /* the scored o11 is cnt / o11_div (NLTK co-occurrence: window) */
    const uint64_t *ra;  /* pairs: r1 by the first id; NULL: every row's r1 is r1_all */
    const uint64_t *cb;  /* c1 by the last id (the collocate in window mode) */
    double r1_all;
    double N;
    double node_freq; /* window: occurrences of the node */
    /* n >= 3: the counts of every subset of positions */
    const ls_idmap *sub[16];
    const uint64_t *uni[4]; /* per-position unigram counts */
    double alpha;
} src;

/* Term flag (one byte per term id): a row holding the term is dropped. */
#define EXCLUDED 1u

/* Segments are [s0, e0) token ranges that pairs never cross. */
/* Calls fn for each segment of document d: sentences when bounded, else the whole document. */
#define FOR_SEGMENTS(d, bounded, s0, e0, ...)                                              \
    do {                                                                                   \
        uint64_t nseg_ = (bounded) && (d)->n_sent ? (d)->n_sent : 1;                       \
        for (uint64_t g_ = 0; g_ < nseg_; g_++) {                                          \
            uint64_t s0 = (bounded) && (d)->n_sent ? (d)->sent[g_] : 0;                    \
            uint64_t e0 = (bounded) && g_ + 1 < nseg_ ? (d)->sent[g_ + 1] : (d)->n_tokens; \
            __VA_ARGS__                                                                    \
        }                                                                                  \
    } while (0)

/* Counts the pairs of term ids (window 0: adjacent pairs, for bigrams; else every pair within
 * `window` tokens to the right) into rows that pass min_count and the flags; pos0/pos1 (bigrams)
 * or slots (co-occurrence) receive the margins and *n_pairs the bigram positions. */
lstats_status ls_count_pairs(const lstats_corpus *c, const lstats_colloc_options *o,
                             const uint8_t *flags, uint64_t window, uint64_t *pos0, uint64_t *pos1,
                             uint64_t *slots, double *n_pairs, rows *R, ls_pagepool *pool);

/* Sorts, keeps the top rows, computes the columns and metadata: the result table of `kind`.
 * R is consumed (its arrays go back to pool); s reads R. Big arrays come from pool. */
lstats_status ls_colloc_finish(const lstats_corpus *c, const lstats_colloc_options *o,
                               const mlist *ml, const src *s, rows *R, ls_pagepool *pool,
                               const char *kind, lstats_table **out);

/* Measures with an ascending order (p-values). */
int ls_colloc_ascending(int m);

#endif

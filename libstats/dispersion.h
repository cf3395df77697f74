/* Internal: dispersion measures over corpus parts and position-based adjusted frequencies
 * (README "Dispersion"). */
#ifndef LS_DISPERSION_H
#define LS_DISPERSION_H

#include <stddef.h>
#include <stdint.h>

#include "libstats.h"

/* The parts-based measures, in column order. */
enum {
    LS_D_RANGE_PCT,
    LS_D_CV,
    LS_D_JUILLAND_D,
    LS_D_JUILLAND_U,
    LS_D_CARROLL_D2,
    LS_D_CARROLL_UM,
    LS_D_ROSENGREN_S,
    LS_D_ROSENGREN_KF,
    LS_D_LYNE_D3,
    LS_D_DP,
    LS_D_DP_NORM,
    LS_D_DP_EGBERT,
    LS_D_ENGWALL_FM,
    LS_D_KROMER_UR,
    LS_D_ZHANG_DC,
    LS_D_DA,
    LS_D_DKL,
    LS_D_ENTROPY,
    LS_D_N
};

/* Column names of the LS_D_* measures. */
const char *ls_dispersion_name(int measure);

/* The parts of a corpus: sizes in tokens, every one > 0 (parts of size zero are dropped by the
 * caller: they can hold no occurrence). */
typedef struct ls_parts {
    const uint64_t *size;
    size_t n;
    double total; /* sum of the sizes */
    double min_w; /* the smallest size / total */
} ls_parts;

void ls_parts_init(ls_parts *p, const uint64_t *size, size_t n);

/* The LS_D_N measures of one term from its sparse part counts: the term occurs v[k] > 0 times
 * in part idx[k] (distinct parts, any order, k < nnz). `scratch` holds nnz doubles. A term
 * that never occurs (nnz = 0) gets range_pct = 0 and NaN elsewhere. */
void ls_dispersion_term(const ls_parts *p, const uint32_t *idx, const uint64_t *v, size_t nnz,
                        double *scratch, double *out);

/* Position-based measures of Savický & Hlaváčová (2002) from the cyclic distances between the
 * f occurrences of a term in a corpus of N tokens, given as sums over the distances d:
 * sum_min = sum min(d, N / f), sum_dlog = sum d log10 d, sum_d2 = sum d^2.
 * out: arf, ald, aldf, awt, awtf (all 0 when f = 0). */
void ls_positional_measures(uint64_t n_tokens, uint64_t f, double sum_min, double sum_dlog,
                            double sum_d2, double out[5]);

/* Adds the dispersion columns to frequency table `t`, whose row r is term ids[r]. */
lstats_status ls_freq_dispersion(const lstats_corpus *c, const lstats_freq_options *o,
                                 const uint32_t *ids, size_t n_rows, lstats_table *t);

#endif

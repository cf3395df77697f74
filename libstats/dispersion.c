/* Dispersion measures over corpus parts, position-based adjusted frequencies and IDF schemes,
 * added as columns to a unigram frequency table (README "Dispersion" has every formula with
 * its source).
 *
 * Memory: per-term part counts are kept sparse (CSR: for each term, the parts it occurs in and
 * its count there), built in two walks over the id streams; nothing is types x parts dense. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_impl.h"
#include "dispersion.h"
#include "error.h"
#include "table.h"

static const char *const measure_names[LS_D_N] = {
    "range_pct",   "cv",           "juilland_d", "juilland_u", "carroll_d2", "carroll_um",
    "rosengren_s", "rosengren_kf", "lyne_d3",    "dp",         "dp_norm",    "dp_egbert",
    "engwall_fm",  "kromer_ur",    "zhang_dc",   "d_a",        "d_kl",       "entropy"};

static const char *const positional_names[5] = {"arf", "ald", "aldf", "awt", "awtf"};

const char *ls_dispersion_name(int measure)
{
    return measure >= 0 && measure < LS_D_N ? measure_names[measure] : NULL;
}

void ls_parts_init(ls_parts *p, const uint64_t *size, size_t n)
{
    p->size = size;
    p->n = n;
    p->total = 0;
    uint64_t min = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        p->total += (double)size[i];
        if (size[i] < min)
            min = size[i];
    }
    p->min_w = n && p->total > 0 ? (double)min / p->total : 0;
}

/* H(v) = 1 + 1/2 + ... + 1/v = digamma(v + 1) + Euler's gamma. */
static double harmonic(uint64_t v)
{
    if (v < 64) {
        double h = 0;
        for (uint64_t i = v; i >= 1; i--)
            h += 1.0 / (double)i;
        return h;
    }
    double x = (double)v, x2 = x * x;
    return log(x) + 0.57721566490153286061 + 1 / (2 * x) - 1 / (12 * x2) + 1 / (120 * x2 * x2) -
           1 / (252 * x2 * x2 * x2);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void ls_dispersion_term(const ls_parts *p, const uint32_t *idx, const uint64_t *v, size_t nnz,
                        double *scratch, double *out)
{
    const double nan = NAN;
    for (int m = 0; m < LS_D_N; m++)
        out[m] = nan;
    double n = (double)p->n;
    if (nnz == 0 || p->n == 0) {
        out[LS_D_RANGE_PCT] = 0;
        return;
    }
    double f = 0, sum_rel = 0, sum_w_nz = 0, min_w_nz = 1;
    double s_sqrt_wv = 0, s_sqrt_rel = 0, chi_part = 0, dp_part = 0, kromer = 0;
    for (size_t k = 0; k < nnz; k++)
        f += (double)v[k];
    for (size_t k = 0; k < nnz; k++) {
        double size = (double)p->size[idx[k]], w = size / p->total, vk = (double)v[k];
        double rel = vk / size; /* R_i: the normalised subfrequency */
        sum_rel += rel;
        sum_w_nz += w;
        if (w < min_w_nz)
            min_w_nz = w;
        s_sqrt_wv += sqrt(w * vk);
        s_sqrt_rel += sqrt(rel);
        chi_part += vk * vk / (f * w);
        dp_part += fabs(vk / f - w);
        kromer += harmonic(v[k]);
        scratch[k] = rel;
    }
    double mean_rel = sum_rel / n;
    /* Population variance of R over all n parts: the zero parts each add mean^2. */
    double ss = (n - (double)nnz) * mean_rel * mean_rel;
    double h_r = 0, dkl = 0, ent = 0;
    for (size_t k = 0; k < nnz; k++) {
        double dlt = scratch[k] - mean_rel;
        ss += dlt * dlt;
        double r = scratch[k] / sum_rel; /* r_i */
        h_r -= r * log2(r);
        double t = (double)v[k] / f; /* t_i */
        double w = (double)p->size[idx[k]] / p->total;
        dkl += t * log2(t / w);
        ent -= t * log2(t);
        scratch[k] = r;
    }
    double cv = sqrt(ss / n) / mean_rel;
    out[LS_D_RANGE_PCT] = 100.0 * (double)nnz / n;
    out[LS_D_CV] = cv;
    if (p->n > 1) {
        double d = 1 - cv / sqrt(n - 1);
        out[LS_D_JUILLAND_D] = d;
        out[LS_D_JUILLAND_U] = d * f;
        double d2 = h_r / log2(n);
        out[LS_D_CARROLL_D2] = d2;
        out[LS_D_CARROLL_UM] = f * d2 + (1 - d2) * f / n;
    }
    out[LS_D_ROSENGREN_KF] = s_sqrt_wv * s_sqrt_wv;
    out[LS_D_ROSENGREN_S] = s_sqrt_wv * s_sqrt_wv / f;
    /* chi^2 = sum (v - f w)^2 / (f w) = sum v^2 / (f w) - f (the zero parts included). */
    double chi2 = chi_part - f;
    if (chi2 < 0)
        chi2 = 0; /* rounding */
    out[LS_D_LYNE_D3] = 1 - chi2 / (4 * f);
    double dp = 0.5 * (dp_part + (1 - sum_w_nz));
    if (dp < 0)
        dp = 0;
    out[LS_D_DP] = dp;
    if (p->min_w < 1)
        out[LS_D_DP_NORM] = dp / (1 - p->min_w);
    if (min_w_nz < 1)
        out[LS_D_DP_EGBERT] = 1 - dp / (1 - min_w_nz);
    out[LS_D_ENGWALL_FM] = f * (double)nnz / n;
    out[LS_D_KROMER_UR] = kromer;
    out[LS_D_ZHANG_DC] = (s_sqrt_rel / n) * (s_sqrt_rel / n) / mean_rel;
    if (p->n > 1) {
        /* sum_{i<j} |r_i - r_j| over all n parts: sorted ascending, the k-th value (1-based)
         * counts 2k - n - 1 times; the n - nnz zeros come first and add nothing. */
        qsort(scratch, nnz, sizeof *scratch, compare_doubles);
        double pairs = 0;
        for (size_t j = 0; j < nnz; j++) {
            double rank = n - (double)nnz + (double)(j + 1);
            pairs += scratch[j] * (2 * rank - n - 1);
        }
        out[LS_D_DA] = 1 - pairs / (n - 1);
    }
    out[LS_D_DKL] = dkl < 0 ? 0 : dkl;
    out[LS_D_ENTROPY] = ent < 0 ? 0 : ent;
}

void ls_positional_measures(uint64_t n_tokens, uint64_t f, double sum_min, double sum_dlog,
                            double sum_d2, double out[5])
{
    if (f == 0 || n_tokens == 0) {
        memset(out, 0, 5 * sizeof *out);
        return;
    }
    double N = (double)n_tokens;
    out[0] = sum_min / (N / (double)f); /* arf */
    out[1] = sum_dlog / N;              /* ald */
    out[2] = N / pow(10.0, out[1]);     /* aldf */
    out[3] = 0.5 * (1 + sum_d2 / N);    /* awt */
    out[4] = N * N / sum_d2;            /* awtf */
}

/* The first token of part j (0 <= j <= k) when N tokens are cut into k equal parts:
 * floor(j N / k), computed without overflow (j r < k^2 < 2^64). */
static uint64_t boundary(uint64_t j, uint64_t N, uint64_t k)
{
    uint64_t q = N / k, r = N % k;
    return j * q + (j * r) / k;
}

static double idf_log(double x, double base)
{
    return log(x) / log(base);
}

typedef struct scratch_t {
    uint64_t *part_size; /* per non-empty part */
    uint32_t *doc_part;  /* per document: its part (document parts) */
    uint32_t *last_part; /* per term: 1 + the last part that counted it */
    uint64_t *off;       /* per term + 1: CSR offsets */
    uint64_t *fill;      /* per term: next free CSR slot */
    uint32_t *e_part;    /* per CSR entry */
    uint64_t *e_count;   /* per CSR entry */
    uint64_t *first_pos; /* per term: first global position + 1 */
    uint64_t *last_pos;  /* per term: last global position */
    double *sum_min, *sum_dlog, *sum_d2;
    double *tmp;
} scratch_t;

static void scratch_free(scratch_t *s)
{
    free(s->part_size);
    free(s->doc_part);
    free(s->last_part);
    free(s->off);
    free(s->fill);
    free(s->e_part);
    free(s->e_count);
    free(s->first_pos);
    free(s->last_pos);
    free(s->sum_min);
    free(s->sum_dlog);
    free(s->sum_d2);
    free(s->tmp);
}

/* Calls `visit(ctx, id, part, pos)` for every token in corpus order, with its part (index among
 * the non-empty parts) and global position. */
#define WALK_TOKENS(c, k, doc_part, BODY)                                \
    do {                                                                 \
        uint64_t pos_ = 0, part_ = 0, next_ = 0;                         \
        if (k)                                                           \
            next_ = boundary(1, (c)->n_tokens, (k));                     \
        for (size_t d_ = 0; d_ < (c)->n_docs; d_++) {                    \
            const ls_doc *doc_ = &(c)->docs[d_];                         \
            for (uint64_t t_ = 0; t_ < doc_->n_tokens; t_++, pos_++) {   \
                if (k) {                                                 \
                    while (pos_ >= next_) {                              \
                        part_++;                                         \
                        next_ = boundary(part_ + 1, (c)->n_tokens, (k)); \
                    }                                                    \
                } else {                                                 \
                    part_ = (doc_part)[d_];                              \
                }                                                        \
                uint32_t id = doc_->ids[t_];                             \
                uint64_t pos = pos_;                                     \
                uint32_t part = (uint32_t)part_;                         \
                BODY                                                     \
            }                                                            \
        }                                                                \
    } while (0)

lstats_status ls_freq_dispersion(const lstats_corpus *c, const lstats_freq_options *o,
                                 const uint32_t *ids, size_t n_rows, lstats_table *t)
{
    scratch_t s;
    memset(&s, 0, sizeof s);
    lstats_status st = LSTATS_OK;
    uint32_t V = ls_vocab_size(c->vocab);
    uint64_t N = c->n_tokens;
    uint64_t k = o->parts;
    size_t n_docs = c->n_docs;
    size_t n_parts_all = k ? (size_t)k : n_docs;
    size_t n_parts = 0;
    double *cols[LS_D_N + 5 + 6];
    memset(cols, 0, sizeof cols);
    uint64_t *range = NULL;
    size_t rows1 = n_rows ? n_rows : 1;

    /* Part sizes; the non-empty parts are renumbered 0..n_parts-1. Part j of k maps to
     * (number of non-empty parts before it), which is what WALK_TOKENS's counter gives only
     * when no part is empty; k > N is the one case with empty equal parts, handled below. */
    s.part_size = malloc((n_parts_all ? n_parts_all : 1) * sizeof *s.part_size);
    if (!k)
        s.doc_part = malloc((n_docs ? n_docs : 1) * sizeof *s.doc_part);
    if (!s.part_size || (!k && !s.doc_part)) {
        st = ls_error_nomem();
        goto done;
    }
    if (k) {
        uint64_t eff = k > N ? N : k; /* k > N: only N parts of one token are non-empty */
        for (uint64_t j = 0; j < eff; j++)
            s.part_size[n_parts++] = boundary(j + 1, N, eff) - boundary(j, N, eff);
        k = eff;
    } else {
        for (size_t d = 0; d < n_docs; d++) {
            s.doc_part[d] = (uint32_t)n_parts;
            if (c->docs[d].n_tokens)
                s.part_size[n_parts++] = c->docs[d].n_tokens;
        }
    }
    ls_parts parts;
    ls_parts_init(&parts, s.part_size, n_parts);

    /* Walk 1: entries per term (CSR offsets) and the position-based sums. */
    s.last_part = calloc(V ? V : 1, sizeof *s.last_part);
    s.off = calloc((size_t)V + 1, sizeof *s.off);
    s.first_pos = calloc(V ? V : 1, sizeof *s.first_pos);
    s.last_pos = calloc(V ? V : 1, sizeof *s.last_pos);
    s.sum_min = calloc(V ? V : 1, sizeof *s.sum_min);
    s.sum_dlog = calloc(V ? V : 1, sizeof *s.sum_dlog);
    s.sum_d2 = calloc(V ? V : 1, sizeof *s.sum_d2);
    if (!s.last_part || !s.off || !s.first_pos || !s.last_pos || !s.sum_min || !s.sum_dlog ||
        !s.sum_d2) {
        st = ls_error_nomem();
        goto done;
    }
    WALK_TOKENS(c, k, s.doc_part, {
        if (s.last_part[id] != part + 1) {
            s.last_part[id] = part + 1;
            s.off[id + 1]++;
        }
        if (s.first_pos[id]) {
            double dist = (double)(pos - s.last_pos[id]);
            double avg = (double)N / (double)c->counts[id];
            s.sum_min[id] += dist < avg ? dist : avg;
            s.sum_dlog[id] += dist * log10(dist);
            s.sum_d2[id] += dist * dist;
        } else {
            s.first_pos[id] = pos + 1;
        }
        s.last_pos[id] = pos;
    });
    for (uint32_t id = 0; id < V; id++)
        s.off[id + 1] += s.off[id];
    uint64_t nnz = s.off[V];

    /* Walk 2: fill the entries (parts ascending within each term). */
    s.fill = malloc((V ? V : 1) * sizeof *s.fill);
    s.e_part = malloc((nnz ? nnz : 1) * sizeof *s.e_part);
    s.e_count = malloc((nnz ? nnz : 1) * sizeof *s.e_count);
    if (!s.fill || !s.e_part || !s.e_count) {
        st = ls_error_nomem();
        goto done;
    }
    memcpy(s.fill, s.off, (V ? V : 1) * sizeof *s.fill);
    memset(s.last_part, 0, (V ? V : 1) * sizeof *s.last_part);
    WALK_TOKENS(c, k, s.doc_part, {
        (void)pos;
        if (s.last_part[id] != part + 1) {
            s.last_part[id] = part + 1;
            uint64_t e = s.fill[id]++;
            s.e_part[e] = part;
            s.e_count[e] = 1;
        } else {
            s.e_count[s.fill[id] - 1]++;
        }
    });

    /* Columns. */
    uint64_t max_entries = 0;
    for (size_t r = 0; r < n_rows; r++) {
        uint64_t e = s.off[ids[r] + 1] - s.off[ids[r]];
        if (e > max_entries)
            max_entries = e;
    }
    s.tmp = malloc((max_entries ? max_entries : 1) * sizeof *s.tmp);
    range = malloc(rows1 * sizeof *range);
    int n_cols = LS_D_N + 5 + 6;
    for (int m = 0; m < n_cols; m++)
        cols[m] = malloc(rows1 * sizeof *cols[m]);
    int ok = s.tmp && range;
    for (int m = 0; m < n_cols; m++)
        ok = ok && cols[m];
    if (!ok) {
        st = ls_error_nomem();
        goto done;
    }
    const uint64_t *docs = ls_table_u64(t, "doc_count");
    uint64_t max_df = 0;
    for (size_t r = 0; r < n_rows; r++)
        if (docs && docs[r] > max_df)
            max_df = docs[r];
    double base = o->idf_base, sm = o->idf_smoothing, ik = o->idf_k;
    double Nd = (double)n_docs;
    for (size_t r = 0; r < n_rows; r++) {
        uint32_t id = ids[r];
        uint64_t a = s.off[id], b = s.off[id + 1];
        double out[LS_D_N];
        ls_dispersion_term(&parts, s.e_part + a, s.e_count + a, (size_t)(b - a), s.tmp, out);
        range[r] = b - a;
        for (int m = 0; m < LS_D_N; m++)
            cols[m][r] = out[m];
        uint64_t f = c->counts[id];
        double pos_out[5];
        if (f) {
            /* The cyclic distance from the last occurrence round to the first. */
            double dist = (double)(s.first_pos[id] - 1 + N - s.last_pos[id]);
            double avg = (double)N / (double)f;
            s.sum_min[id] += dist < avg ? dist : avg;
            s.sum_dlog[id] += dist * log10(dist);
            s.sum_d2[id] += dist * dist;
        }
        ls_positional_measures(N, f, s.sum_min[id], s.sum_dlog[id], s.sum_d2[id], pos_out);
        for (int m = 0; m < 5; m++)
            cols[LS_D_N + m][r] = pos_out[m];
        double df = docs ? (double)docs[r] : 0;
        cols[LS_D_N + 5][r] = idf_log(sm + Nd / (ik + df), base);             /* inverse */
        cols[LS_D_N + 6][r] = idf_log(sm + (double)max_df / (ik + df), base); /* inversemax */
        cols[LS_D_N + 7][r] = idf_log((Nd - df) / (ik + df), base);           /* inverseprob */
        cols[LS_D_N + 8][r] = log(Nd / df) + 1;                               /* sklearn raw */
        cols[LS_D_N + 9][r] = log((1 + Nd) / (1 + df)) + 1;                   /* sklearn smooth */
        cols[LS_D_N + 10][r] = log(1 + (Nd - df + 0.5) / (df + 0.5));         /* bm25 */
    }
    static const char *const idf_names[6] = {"idf_inverse", "idf_inversemax", "idf_inverseprob",
                                             "idf_sklearn", "idf_smooth",     "idf_bm25"};
    st = ls_table_add_u64(t, "range", range);
    range = NULL;
    for (int m = 0; m < n_cols; m++) {
        const char *name = m < LS_D_N       ? measure_names[m]
                           : m < LS_D_N + 5 ? positional_names[m - LS_D_N]
                                            : idf_names[m - LS_D_N - 5];
        if (!st)
            st = ls_table_add_f64(t, name, cols[m]);
        else
            free(cols[m]);
        cols[m] = NULL;
    }
    if (!st)
        st = ls_table_set_meta(t, "dispersion", "1");
    if (!st)
        st = ls_table_set_meta(t, "parts", o->parts ? "equal" : "documents");
    if (!st)
        st = ls_table_set_meta_u64(t, "n_parts", n_parts);
    if (!st)
        st = ls_table_set_meta_u64(t, "n_parts_requested", n_parts_all);
    if (!st)
        st = ls_table_set_meta_u64(t, "max_doc_count", max_df);
    if (!st) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", base);
        st = ls_table_set_meta(t, "idf_base", buf);
        snprintf(buf, sizeof buf, "%.17g", sm);
        if (!st)
            st = ls_table_set_meta(t, "idf_smoothing", buf);
        snprintf(buf, sizeof buf, "%.17g", ik);
        if (!st)
            st = ls_table_set_meta(t, "idf_k", buf);
    }
done:
    for (size_t m = 0; m < sizeof cols / sizeof cols[0]; m++)
        free(cols[m]);
    free(range);
    scratch_free(&s);
    return st;
}

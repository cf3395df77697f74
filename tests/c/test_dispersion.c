/* Dispersion measures: the worked examples of the literature, edge cases, corpus parts. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "dispersion.h"

#define NEAR(x, want, tol) (fabs((x) - (want)) <= (tol))

/* The measures of a dense vector of subfrequencies over parts of the given sizes. */
static void measures(const uint64_t *v, const uint64_t *size, size_t n, double *out)
{
    uint32_t idx[64];
    uint64_t cnt[64];
    double scratch[64];
    size_t nnz = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i]) {
            idx[nnz] = (uint32_t)i;
            cnt[nnz++] = v[i];
        }
    ls_parts p;
    ls_parts_init(&p, size, n);
    ls_dispersion_term(&p, idx, cnt, nnz, scratch, out);
}

static const uint64_t EQ5[5] = {10, 10, 10, 10, 10};

static void test_equal_parts_literature(void)
{
    double o[LS_D_N];
    /* Carroll (1970), via Wordless's tests: D2 of (2, 1, 1, 1, 0) = 0.8277, Um = 4.31. */
    uint64_t c1[5] = {2, 1, 1, 1, 0};
    measures(c1, EQ5, 5, o);
    CHECK(NEAR(o[LS_D_CARROLL_D2], 0.8277, 5e-5));
    CHECK(NEAR(o[LS_D_CARROLL_UM], 4.31, 5e-3));
    /* Kromer (2003) UR of (2, 1, 1, 1, 0) = H(2) + 3 H(1) = 4.5 (Gries 2008: 409). */
    CHECK(NEAR(o[LS_D_KROMER_UR], 4.5, 1e-12));
    /* Juilland's D of (0, 4, 3, 2, 1) = 0.6464 and U = 6.46 (Carroll 1970; Engwall 1974: 122). */
    uint64_t c2[5] = {0, 4, 3, 2, 1};
    measures(c2, EQ5, 5, o);
    CHECK(NEAR(o[LS_D_JUILLAND_D], 0.6464, 5e-5));
    CHECK(NEAR(o[LS_D_JUILLAND_U], 6.46, 5e-3));
    uint64_t c3[5] = {2, 2, 2, 2, 2};
    measures(c3, EQ5, 5, o);
    CHECK(NEAR(o[LS_D_JUILLAND_U], 10, 1e-12));
    CHECK(NEAR(o[LS_D_JUILLAND_D], 1, 1e-12));
    CHECK(NEAR(o[LS_D_DP], 0, 1e-12));
    CHECK(NEAR(o[LS_D_CV], 0, 1e-12));
    /* (4, 2, 1, 1, 0): U = 4.609, KF = 5.863, Um = 6.424, FM = 6.4 (Engwall 1974: 122;
     * Rosengren 1971: 117; Gries 2008: 409). */
    uint64_t c4[5] = {4, 2, 1, 1, 0};
    measures(c4, EQ5, 5, o);
    CHECK(NEAR(o[LS_D_JUILLAND_U], 4.609, 5e-4));
    CHECK(NEAR(o[LS_D_ROSENGREN_KF], 5.863, 5e-4));
    CHECK(NEAR(o[LS_D_CARROLL_UM], 6.424, 5e-4));
    CHECK(NEAR(o[LS_D_ENGWALL_FM], 6.4, 1e-12));
    /* Rosengren (1971: 115): KF of (2, 2, 2, 2, 1) = 8.86. */
    uint64_t c5[5] = {2, 2, 2, 2, 1};
    measures(c5, EQ5, 5, o);
    CHECK(NEAR(o[LS_D_ROSENGREN_KF], 8.86, 5e-3));
    /* Gries (2008: 407-409), the term a with v = (1, 2, 3, 4, 5) in equal parts: S = 0.937,
     * DC = 0.937, D3 = 0.944, KF = 14.053, Um = 14.108, FM = 15. */
    uint64_t g[5] = {1, 2, 3, 4, 5};
    measures(g, EQ5, 5, o);
    CHECK(NEAR(o[LS_D_ROSENGREN_S], 0.937, 5e-4));
    CHECK(NEAR(o[LS_D_ZHANG_DC], 0.937, 5e-4));
    CHECK(NEAR(o[LS_D_LYNE_D3], 0.944, 5e-4));
    CHECK(NEAR(o[LS_D_ROSENGREN_KF], 14.053, 5e-4));
    CHECK(NEAR(o[LS_D_CARROLL_UM], 14.108, 5e-4));
    CHECK(NEAR(o[LS_D_ENGWALL_FM], 15, 1e-12));
    CHECK(NEAR(o[LS_D_RANGE_PCT], 100, 1e-12));
    /* Lijffijt & Gries (2012: 148): DPnorm of (2, 1, 0) in three equal parts = 0.5. */
    uint64_t l[3] = {2, 1, 0};
    measures(l, EQ5, 3, o);
    CHECK(NEAR(o[LS_D_DP_NORM], 0.5, 1e-12));
    CHECK(NEAR(o[LS_D_DP], 1.0 / 3, 1e-12));
    CHECK(NEAR(o[LS_D_RANGE_PCT], 200.0 / 3, 1e-12));
}

/* Sönning's tlda README: Lyne's (1985) ALLEMAND over the ten parts of his corpus of French
 * business correspondence (part sizes from his Figure 1, subfrequencies from Appendix I):
 * Rrel 0.5, D 0.6038797, D2 0.6521444, S 0.4763652, DP (Egbert et al. 2020) 0.5009295,
 * DA 0.3081640, DKL (conventional, 1 / (1 + KLD)) 0.4665078. */
static void test_tlda_lyne(void)
{
    uint64_t v[10] = {2, 0, 1, 1, 3, 0, 3, 0, 0, 0};
    uint64_t size[10] = {8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930};
    double o[LS_D_N];
    measures(v, size, 10, o);
    CHECK(NEAR(o[LS_D_RANGE_PCT], 50, 1e-12));
    CHECK(NEAR(o[LS_D_JUILLAND_D], 0.6038797, 5e-8));
    CHECK(NEAR(o[LS_D_CARROLL_D2], 0.6521444, 5e-8));
    CHECK(NEAR(o[LS_D_ROSENGREN_S], 0.4763652, 5e-8));
    /* tlda's disp() prints 1 - DP (Gries 2008) for its "DP": its min(w[t > 0], fill = 0) is
     * min(..., 0) = 0 in R; disp_DP(formula = "egbert_etal_2020") divides by 1 - min{w_i: t_i >
     * 0} as Egbert et al. (2020: 99) do, which gives 0.4462310 here. */
    CHECK(NEAR(1 - o[LS_D_DP], 0.5009295, 5e-8));
    CHECK(NEAR(o[LS_D_DP_EGBERT], 0.4462310, 5e-8));
    CHECK(NEAR(o[LS_D_DA], 0.3081640, 5e-8));
    CHECK(NEAR(1 / (1 + o[LS_D_DKL]), 0.4665078, 5e-8));
}

static void test_edges(void)
{
    double o[LS_D_N];
    /* One part: what divides by n - 1 or log n is NaN; the rest is "perfectly even". */
    uint64_t one[1] = {7}, size1[1] = {20};
    measures(one, size1, 1, o);
    CHECK(isnan(o[LS_D_JUILLAND_D]) && isnan(o[LS_D_JUILLAND_U]));
    CHECK(isnan(o[LS_D_CARROLL_D2]) && isnan(o[LS_D_CARROLL_UM]));
    CHECK(isnan(o[LS_D_DA]) && isnan(o[LS_D_DP_NORM]) && isnan(o[LS_D_DP_EGBERT]));
    CHECK(o[LS_D_DP] == 0 && o[LS_D_CV] == 0 && o[LS_D_DKL] == 0 && o[LS_D_ENTROPY] == 0);
    CHECK(NEAR(o[LS_D_ROSENGREN_S], 1, 1e-12) && NEAR(o[LS_D_ZHANG_DC], 1, 1e-12));
    CHECK(NEAR(o[LS_D_LYNE_D3], 1, 1e-12) && NEAR(o[LS_D_ENGWALL_FM], 7, 1e-12));
    /* A term that never occurs. */
    uint64_t zero[5] = {0, 0, 0, 0, 0};
    measures(zero, EQ5, 5, o);
    CHECK(o[LS_D_RANGE_PCT] == 0);
    for (int m = LS_D_CV; m < LS_D_N; m++)
        CHECK(isnan(o[m]));
    /* All in one part of five: the extreme values. */
    uint64_t conc[5] = {0, 0, 9, 0, 0};
    measures(conc, EQ5, 5, o);
    CHECK(NEAR(o[LS_D_JUILLAND_D], 0, 1e-12));
    CHECK(NEAR(o[LS_D_CARROLL_D2], 0, 1e-12));
    CHECK(NEAR(o[LS_D_DP], 0.8, 1e-12));
    CHECK(NEAR(o[LS_D_DP_NORM], 1, 1e-12));
    CHECK(NEAR(o[LS_D_DA], 0, 1e-12));
    CHECK(NEAR(o[LS_D_DKL], log2(5), 1e-12));
    /* Positional measures of a term absent from the corpus are 0 (Wordless's convention). */
    double p[5];
    ls_positional_measures(50, 0, 0, 0, 0, p);
    CHECK(p[0] == 0 && p[2] == 0 && p[4] == 0);
    CHECK(strcmp(ls_dispersion_name(LS_D_DP), "dp") == 0 && ls_dispersion_name(LS_D_N) == NULL);
}

/* ------------------------------------------------------------------ through the corpus */

static lstats_corpus *corpus_of(size_t n, const char *const *texts)
{
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.tokenizer = LSTATS_TOKENIZER_WHITESPACE;
    o.n_threads = 2;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    const char *names[16];
    size_t lens[16];
    char buf[16][8];
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "p%zu", i + 1);
        names[i] = buf[i];
        lens[i] = strlen(texts[i]);
    }
    CHECK_OK(lstats_corpus_add_texts(c, n, names, texts, lens, NULL, NULL));
    return c;
}

static lstats_table *disp(const lstats_corpus *c, uint32_t parts)
{
    lstats_freq_options o;
    CHECK_OK(lstats_freq_options_init(&o, LSTATS_FREQ_OPTIONS_VERSION));
    o.dispersion = 1;
    o.parts = parts;
    lstats_table *t = NULL;
    CHECK_OK(lstats_corpus_frequencies(c, &o, &t));
    return t;
}

static long row_of(const lstats_table *t, const char *term)
{
    size_t col;
    const char *blob;
    const int64_t *off;
    if (lstats_table_column_index(t, "term", &col) ||
        lstats_table_column_string(t, col, &blob, &off))
        return -1;
    for (size_t r = 0; r < lstats_table_nrows(t); r++)
        if ((size_t)(off[r + 1] - off[r]) == strlen(term) &&
            memcmp(blob + off[r], term, strlen(term)) == 0)
            return (long)r;
    return -1;
}

static double f64(const lstats_table *t, const char *col_name, const char *term)
{
    size_t col;
    const double *v;
    long r = row_of(t, term);
    if (r < 0 || lstats_table_column_index(t, col_name, &col) ||
        lstats_table_column_f64(t, col, &v))
        return -999;
    return v[r];
}

static uint64_t u64(const lstats_table *t, const char *col_name, const char *term)
{
    size_t col;
    const uint64_t *v;
    long r = row_of(t, term);
    if (r < 0 || lstats_table_column_index(t, col_name, &col) ||
        lstats_table_column_u64(t, col, &v))
        return UINT64_MAX;
    return v[r];
}

/* Gries (2008: 406), also Gries (2020) "Analyzing dispersion": a corpus of 50 words in five
 * parts of 9, 10, 10, 10 and 11 words; a occurs (1, 2, 3, 4, 5) times, so s = (0.18, 0.2, 0.2,
 * 0.2, 0.22), and DP = 0.18; DPnorm = DP / (1 - min s) = 0.18 / 0.82 (Lijffijt & Gries 2012). */
static const char *const GRIES[5] = {"b a m n i b e u p", "b a s a t b e w q n",
                                     "b c a g a b e s t a", "b a g h a b e a a t",
                                     "b a h a a b e a x a t"};
/* The same corpus with parts of ten words each, as Wordless's tests give it for Gries's
 * (2008: 410) distance-based measures of a: ARF = 10.8, AWT = 3.18, ALD = 0.628, and the
 * frequency-adjusted fALD = 11.764, fAWT = 9.328. */
static const char *const GRIES_EQ[5] = {"b a m n i b e u p k", "b a s a t b e w q n",
                                        "b c a g a b e s t a", "b a g h a b e a a t",
                                        "b a h a a b e a x a"};

static void test_gries_corpus(void)
{
    lstats_corpus *c = corpus_of(5, GRIES);
    lstats_table *t = disp(c, 0);
    CHECK(NEAR(f64(t, "dp", "a"), 0.18, 1e-12));
    CHECK(NEAR(f64(t, "dp_norm", "a"), 0.18 / 0.82, 1e-12));
    CHECK(u64(t, "range", "a") == 5 && u64(t, "range", "m") == 1);
    CHECK(NEAR(f64(t, "range_pct", "m"), 20, 1e-12));
    CHECK(u64(t, "count", "a") == 15);
    /* b: twice in every part; DP = 0.5 sum |0.2 - s_i| = 0.5 (0.02 + 0 + 0 + 0 + 0.02). */
    CHECK(NEAR(f64(t, "dp", "b"), 0.02, 1e-12));
    /* IDF schemes for a term in every document and one in one document of five. */
    CHECK(NEAR(f64(t, "idf_inverse", "a"), 0, 1e-12));
    CHECK(NEAR(f64(t, "idf_inverse", "m"), log10(5), 1e-12));
    CHECK(NEAR(f64(t, "idf_inversemax", "m"), log10(5), 1e-12));
    CHECK(NEAR(f64(t, "idf_inverseprob", "m"), log10(4), 1e-12));
    CHECK(isinf(f64(t, "idf_inverseprob", "a")) && f64(t, "idf_inverseprob", "a") < 0);
    CHECK(NEAR(f64(t, "idf_sklearn", "m"), log(5) + 1, 1e-12));
    CHECK(NEAR(f64(t, "idf_smooth", "m"), log(6.0 / 2) + 1, 1e-12));
    CHECK(NEAR(f64(t, "idf_bm25", "m"), log(1 + 4.5 / 1.5), 1e-12));
    CHECK(NEAR(f64(t, "idf_smooth", "a"), 1, 1e-12));
    const char *np = lstats_table_meta_get(t, "n_parts");
    CHECK(np && strcmp(np, "5") == 0);
    lstats_table_free(t);
    lstats_corpus_free(c);

    c = corpus_of(5, GRIES_EQ);
    t = disp(c, 0);
    CHECK(NEAR(f64(t, "arf", "a"), 10.8, 1e-9));
    CHECK(NEAR(f64(t, "awt", "a"), 3.18, 1e-9));
    CHECK(NEAR(f64(t, "ald", "a"), 0.628, 5e-4));
    CHECK(NEAR(f64(t, "aldf", "a"), 11.764, 5e-4));
    CHECK(NEAR(f64(t, "awtf", "a"), 9.328, 5e-4));
    CHECK(NEAR(f64(t, "rosengren_s", "a"), 0.937, 5e-4));
    CHECK(NEAR(f64(t, "lyne_d3", "a"), 0.944, 5e-4));
    CHECK(NEAR(f64(t, "dp", "a"), 0.2, 1e-12));
    /* A hapax: one occurrence, distance N round the cycle: ARF = fALD = fAWT = 1. */
    CHECK(NEAR(f64(t, "arf", "k"), 1, 1e-12) && NEAR(f64(t, "aldf", "k"), 1, 1e-9));
    CHECK(NEAR(f64(t, "awt", "k"), 25.5, 1e-12) && NEAR(f64(t, "awtf", "k"), 1, 1e-12));
    lstats_table *t5 = NULL;
    /* The same 50 tokens as one document cut into 5 equal parts give the same measures. */
    char joined[256] = "";
    for (int i = 0; i < 5; i++) {
        strcat(joined, GRIES_EQ[i]);
        strcat(joined, " ");
    }
    const char *one[1] = {joined};
    lstats_corpus *c1 = corpus_of(1, one);
    t5 = disp(c1, 5);
    const char *measures_[] = {"dp", "juilland_d", "carroll_d2", "d_a", "d_kl", "arf", "ald"};
    for (size_t i = 0; i < sizeof measures_ / sizeof *measures_; i++)
        CHECK(NEAR(f64(t5, measures_[i], "a"), f64(t, measures_[i], "a"), 1e-12));
    CHECK(u64(t5, "range", "k") == 1);
    CHECK(strcmp(lstats_table_meta_get(t5, "parts"), "equal") == 0);
    lstats_table_free(t5);
    /* One document, no parts asked: a single part. */
    t5 = disp(c1, 0);
    CHECK(isnan(f64(t5, "juilland_d", "a")) && f64(t5, "dp", "a") == 0);
    lstats_table_free(t5);
    /* More parts than tokens: the empty parts are dropped. */
    t5 = disp(c1, 80);
    CHECK(strcmp(lstats_table_meta_get(t5, "n_parts"), "50") == 0);
    CHECK(strcmp(lstats_table_meta_get(t5, "n_parts_requested"), "80") == 0);
    CHECK(u64(t5, "range", "a") == 15);
    lstats_table_free(t5);
    lstats_corpus_free(c1);
    lstats_table_free(t);
    lstats_corpus_free(c);
}

static void test_empty_parts_and_errors(void)
{
    /* An empty document is not a part (it can hold no occurrence). */
    const char *texts[3] = {"x y", "", "x z z"};
    lstats_corpus *c = corpus_of(3, texts);
    lstats_table *t = disp(c, 0);
    CHECK(strcmp(lstats_table_meta_get(t, "n_parts"), "2") == 0);
    CHECK(NEAR(f64(t, "range_pct", "x"), 100, 1e-12));
    /* x: (1, 1) in parts of 2 and 3 tokens: DP = 0.5 (|0.5 - 0.4| + |0.5 - 0.6|) = 0.1. */
    CHECK(NEAR(f64(t, "dp", "x"), 0.1, 1e-12));
    /* IDF counts documents, empty ones included: N = 3. */
    CHECK(NEAR(f64(t, "idf_inverse", "x"), log10(1.5), 1e-12));
    lstats_table_free(t);

    lstats_freq_options o;
    CHECK_OK(lstats_freq_options_init(&o, LSTATS_FREQ_OPTIONS_VERSION));
    CHECK(o.idf_base == 10 && o.dispersion == 0 && o.parts == 0);
    o.dispersion = 1;
    o.n = 2;
    t = NULL;
    CHECK_STATUS(lstats_corpus_frequencies(c, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("n = 1");
    CHECK(t == NULL);
    o.n = 1;
    o.idf_base = 1;
    CHECK_STATUS(lstats_corpus_frequencies(c, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("idf_base");
    o.idf_base = 2;
    o.idf_smoothing = 1;
    o.idf_k = 1;
    CHECK_OK(lstats_corpus_frequencies(c, &o, &t));
    CHECK(NEAR(f64(t, "idf_inverse", "z"), log2(1 + 3.0 / 2), 1e-12));
    CHECK(strcmp(lstats_table_meta_get(t, "idf_base"), "2") == 0);
    lstats_table_free(t);
    /* Without dispersion the table is unchanged. */
    o.dispersion = 0;
    CHECK_OK(lstats_corpus_frequencies(c, &o, &t));
    CHECK(lstats_table_ncols(t) == 4);
    lstats_table_free(t);
    lstats_corpus_free(c);

    /* An empty corpus: an empty table with every column. */
    lstats_corpus_options co;
    CHECK_OK(lstats_corpus_options_init(&co, LSTATS_CORPUS_OPTIONS_VERSION));
    CHECK_OK(lstats_corpus_new(&c, &co));
    t = disp(c, 0);
    CHECK(t && lstats_table_nrows(t) == 0);
    size_t col;
    CHECK_OK(lstats_table_column_index(t, "d_kl", &col));
    lstats_table_free(t);
    t = disp(c, 3);
    CHECK(t && lstats_table_nrows(t) == 0);
    lstats_table_free(t);
    lstats_corpus_free(c);
}

int main(void)
{
    test_equal_parts_literature();
    test_tlda_lyne();
    test_edges();
    test_gries_corpus();
    test_empty_parts_and_errors();
    return check_summary();
}

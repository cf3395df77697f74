/* Keyness: published worked examples, degenerate cases, corrections, selection, errors,
 * document-level tests. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "table.h"

#define NEAR(x, y, tol) (fabs((x) - (y)) <= (tol) * (1.0 + fabs(y)))

/* A frequency table of n terms (counts, optional doc counts) with n_tokens[, n_docs]. */
static lstats_table *freq_table(size_t n, const char *const *terms, const uint64_t *counts,
                                const uint64_t *docs, uint64_t n_tokens, uint64_t n_docs)
{
    lstats_table *t = ls_table_new(n);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(terms[i]);
    char *blob = malloc(len ? len : 1);
    int64_t *off = malloc((n + 1) * sizeof *off);
    uint64_t *c = malloc((n ? n : 1) * sizeof *c);
    uint64_t *d = docs ? malloc((n ? n : 1) * sizeof *d) : NULL;
    size_t p = 0;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(blob + p, terms[i], strlen(terms[i]));
        p += strlen(terms[i]);
        off[i + 1] = (int64_t)p;
        c[i] = counts[i];
        if (d)
            d[i] = docs[i];
    }
    CHECK_OK(ls_table_add_string(t, "term", blob, off));
    CHECK_OK(ls_table_add_u64(t, "count", c));
    if (d)
        CHECK_OK(ls_table_add_u64(t, "doc_count", d));
    CHECK_OK(ls_table_set_meta(t, "kind", "frequency"));
    CHECK_OK(ls_table_set_meta(t, "n", "1"));
    CHECK_OK(ls_table_set_meta_u64(t, "n_tokens", n_tokens));
    if (n_docs)
        CHECK_OK(ls_table_set_meta_u64(t, "n_docs", n_docs));
    return t;
}

static long find_row(const lstats_table *t, const char *term)
{
    const int64_t *off;
    const char *blob = ls_table_string(t, "term", &off);
    size_t len = strlen(term);
    for (size_t r = 0; blob && r < lstats_table_nrows(t); r++)
        if ((size_t)(off[r + 1] - off[r]) == len && memcmp(blob + off[r], term, len) == 0)
            return (long)r;
    return -1;
}

static double f64_at(const lstats_table *t, const char *col, const char *term)
{
    const double *v = ls_table_f64(t, col);
    long r = find_row(t, term);
    return v && r >= 0 ? v[r] : NAN;
}

static lstats_table *run(const lstats_table *x, const lstats_table *y, const char *measures,
                         int correction, int continuity)
{
    lstats_keyness_options o;
    CHECK_OK(lstats_keyness_options_init(&o, LSTATS_KEYNESS_OPTIONS_VERSION));
    o.measures = measures;
    o.correction = correction;
    o.continuity = continuity;
    lstats_table *t = NULL;
    CHECK_OK(lstats_keyness(x, y, &o, &t));
    return t;
}

/* UCREL log-likelihood calculator example (ucrel.lancs.ac.uk/llwizard.html and its tutorial):
 * 52 in 50,000 words vs 57 in 75,000 words gives LL = 2.65 (2-term form). */
static void test_ucrel(void)
{
    const char *w[] = {"word", "rest"};
    uint64_t ca[] = {52, 50000 - 52}, cb[] = {57, 75000 - 57};
    lstats_table *x = freq_table(2, w, ca, NULL, 50000, 0);
    lstats_table *y = freq_table(2, w, cb, NULL, 75000, 0);
    lstats_table *t = run(x, y, "g2_2term,g2,chi2,log_ratio,bic,ell", 0, 0);
    double ll = f64_at(t, "g2_2term", "word");
    CHECK(NEAR(ll, 2.6517101638888807, 1e-12));
    CHECK(fabs(ll - 2.65) < 0.005);
    /* 4-term G2 is larger than the 2-term form here and p follows it. */
    double g2 = f64_at(t, "g2", "word");
    CHECK(g2 > ll);
    CHECK(NEAR(f64_at(t, "p", "word"), erfc(sqrt(g2 / 2)), 1e-14));
    CHECK(NEAR(f64_at(t, "bic", "word"), g2 - log(125000.0), 1e-12));
    /* ELL = G2 / (N ln Emin), Emin = min(E1, E2) = 50000 * 109 / 125000 */
    CHECK(NEAR(f64_at(t, "ell", "word"), g2 / (125000.0 * log(43.6)), 1e-12));
    CHECK(NEAR(f64_at(t, "log_ratio", "word"), log2((52 / 50000.0) / (57 / 75000.0)), 1e-12));
    const uint64_t *a = ls_table_u64(t, "a");
    CHECK(a && a[find_row(t, "word")] == 52);
    CHECK(strcmp(lstats_table_meta_get(t, "m"), "2") == 0);
    lstats_table_free(t);
    lstats_table_free(x);
    lstats_table_free(y);
}

/* Hardie (2014), "Log Ratio - an informal introduction": relative frequencies 0.0006 and
 * 0.0002 give a ratio of 3; twice as frequent gives 1, four times 2. Zero frequencies are
 * replaced by 0.5. Sketch Engine's simple maths page: "shard" 35 in the BNC (112,289,776) vs
 * 263 in ukWaC (1,559,716,979) scores 1.1224 with N = 1. */
static void test_hardie_simple_maths(void)
{
    const char *w[] = {"x", "twice", "four", "zero_b", "zero_a", "other"};
    uint64_t ca[] = {6, 2, 4, 3, 0, 10000 - 15}, cb[] = {2, 1, 1, 0, 5, 10000 - 9};
    lstats_table *x = freq_table(6, w, ca, NULL, 10000, 0);
    lstats_table *y = freq_table(6, w, cb, NULL, 10000, 0);
    lstats_table *t =
        run(x, y, "log_ratio,pct_diff,diff_coefficient,relative_risk,odds_ratio", 0, 0);
    CHECK(NEAR(f64_at(t, "log_ratio", "x"), log2(3.0), 1e-14));
    CHECK(NEAR(f64_at(t, "log_ratio", "twice"), 1.0, 1e-14));
    CHECK(NEAR(f64_at(t, "log_ratio", "four"), 2.0, 1e-14));
    CHECK(NEAR(f64_at(t, "log_ratio", "zero_b"), log2(3.0 / 0.5), 1e-14));
    CHECK(NEAR(f64_at(t, "log_ratio", "zero_a"), log2(0.5 / 5.0), 1e-14));
    /* %DIFF = 100 (NF_target - NF_ref) / NF_ref (Gabrielatos & Marchi 2011); b = 0 -> +inf */
    CHECK(NEAR(f64_at(t, "pct_diff", "x"), 200.0, 1e-12));
    CHECK(isinf(f64_at(t, "pct_diff", "zero_b")) && f64_at(t, "pct_diff", "zero_b") > 0);
    CHECK(NEAR(f64_at(t, "pct_diff", "zero_a"), -100.0, 1e-12));
    CHECK(NEAR(f64_at(t, "diff_coefficient", "x"), 0.5, 1e-14));
    CHECK(NEAR(f64_at(t, "diff_coefficient", "zero_a"), -1.0, 1e-14));
    CHECK(isinf(f64_at(t, "relative_risk", "zero_b")));
    CHECK(f64_at(t, "odds_ratio", "zero_a") == 0.0);
    CHECK(isinf(f64_at(t, "log_odds_ratio", "zero_a")));
    lstats_table_free(t);
    lstats_table_free(x);
    lstats_table_free(y);

    const char *s[] = {"shard", "rest"};
    uint64_t sa[] = {35, 112289776 - 35}, sb[] = {263, 1559716979 - 263};
    x = freq_table(2, s, sa, NULL, 112289776, 0);
    y = freq_table(2, s, sb, NULL, 1559716979, 0);
    t = run(x, y, "simple_maths", 0, 0);
    CHECK(fabs(f64_at(t, "simple_maths", "shard") - 1.1224) < 5e-5);
    lstats_table_free(t);
    lstats_table_free(x);
    lstats_table_free(y);
}

/* Terms only in one side, the family size, corrections, selection, sorting and top_k. */
static void test_family_and_selection(void)
{
    const char *wa[] = {"a1", "a2", "shared", "common", "rest"};
    uint64_t ca[] = {30, 3, 10, 500, 10000 - 543};
    const char *wb[] = {"shared", "b1", "common", "rest", "zero"};
    uint64_t cb[] = {40, 20, 1000, 20000 - 1060, 0};
    lstats_table *x = freq_table(5, wa, ca, NULL, 10000, 0);
    lstats_table *y = freq_table(5, wb, cb, NULL, 20000, 0);
    lstats_table *t = run(x, y, "g2,log_ratio,lrc,positive_lrc,lockwords", 4, 0);
    /* union a1 a2 shared common rest b1 (zero dropped) */
    CHECK(lstats_table_nrows(t) == 6);
    CHECK(strcmp(lstats_table_meta_get(t, "m"), "6") == 0);
    CHECK(find_row(t, "zero") < 0);
    CHECK(f64_at(t, "lrc", "a1") > 0);
    CHECK(f64_at(t, "lrc", "b1") < 0);
    CHECK(isinf(f64_at(t, "positive_lrc", "b1")) && f64_at(t, "positive_lrc", "b1") < 0);
    CHECK(isinf(f64_at(t, "lockwords", "b1")));
    /* BH over 6: the smallest p times 6 */
    const double *p = ls_table_f64(t, "p"), *q = ls_table_f64(t, "p_adj");
    double pmin = 1, qmin = 1;
    for (size_t i = 0; i < lstats_table_nrows(t); i++) {
        pmin = fmin(pmin, p[i]);
        qmin = fmin(qmin, q[i]);
        CHECK(q[i] >= p[i]);
    }
    CHECK(NEAR(qmin, fmin(1.0, pmin * 6), 1e-12));
    /* sorted by g2 descending */
    const double *g = ls_table_f64(t, "g2");
    for (size_t i = 1; i < lstats_table_nrows(t); i++)
        CHECK(g[i - 1] >= g[i]);
    lstats_table_free(t);

    lstats_keyness_options o;
    CHECK_OK(lstats_keyness_options_init(&o, LSTATS_KEYNESS_OPTIONS_VERSION));
    o.measures = "log_ratio";
    o.select = LSTATS_KEYWORDS_NEGATIVE;
    o.top_k = 2;
    o.correction = LSTATS_CORRECTION_HOLM;
    o.min_count = 5;
    CHECK_OK(lstats_keyness(x, y, &o, &t));
    CHECK(lstats_table_nrows(t) == 2);
    CHECK(strcmp(lstats_table_meta_get(t, "m"), "6") == 0);
    /* b1 (only in the reference) is the most negative */
    CHECK(find_row(t, "b1") == 0);
    const double *lr = ls_table_f64(t, "log_ratio");
    CHECK(lr[0] <= lr[1] && lr[1] < 0);
    lstats_table_free(t);

    /* sort_by an unknown column */
    o.sort_by = "nope";
    CHECK_STATUS(lstats_keyness(x, y, &o, &t), LSTATS_ENOTFOUND);
    CHECK_MSG("cannot sort by 'nope'");
    lstats_table_free(x);
    lstats_table_free(y);
}

/* Yates and Williams against hand computations; quanteda compat signs. */
static void test_continuity(void)
{
    const char *w[] = {"t", "rest"};
    uint64_t ca[] = {3, 997}, cb[] = {1, 1999};
    lstats_table *x = freq_table(2, w, ca, NULL, 1000, 0);
    lstats_table *y = freq_table(2, w, cb, NULL, 2000, 0);
    double a = 3, b = 1, n1 = 1000, n2 = 2000, n = 3000, r1 = 4, r2 = n - 4;
    double d = (a * n2 - b * n1) / n;
    double chi2 = n * n * n * d * d / (r1 * r2 * n1 * n2);
    double chi2y = n * n * n * (fabs(d) - 0.5) * (fabs(d) - 0.5) / (r1 * r2 * n1 * n2);
    double q = 1 + (n / r1 + n / r2 - 1) * (n / n1 + n / n2 - 1) / (6 * n);
    lstats_table *t0 = run(x, y, "chi2,g2", 0, LSTATS_CONTINUITY_NONE);
    lstats_table *ty = run(x, y, "chi2,g2", 0, LSTATS_CONTINUITY_YATES);
    lstats_table *tw = run(x, y, "chi2,g2", 0, LSTATS_CONTINUITY_WILLIAMS);
    CHECK(NEAR(f64_at(t0, "chi2", "t"), chi2, 1e-12));
    CHECK(NEAR(f64_at(ty, "chi2", "t"), chi2y, 1e-12));
    CHECK(NEAR(f64_at(tw, "chi2", "t"), chi2 / q, 1e-12));
    CHECK(NEAR(f64_at(tw, "g2", "t"), f64_at(t0, "g2", "t") / q, 1e-12));
    /* Yates G2: cells moved 0.5 towards E */
    double e[4] = {r1 * n1 / n, r1 * n2 / n, r2 * n1 / n, r2 * n2 / n};
    double o[4] = {a - 0.5, b + 0.5, n1 - a + 0.5, n2 - b - 0.5};
    double gy = 0;
    for (int i = 0; i < 4; i++)
        gy += 2 * o[i] * log(o[i] / e[i]);
    CHECK(NEAR(f64_at(ty, "g2", "t"), gy, 1e-10));
    lstats_table_free(t0);
    lstats_table_free(ty);
    lstats_table_free(tw);

    lstats_keyness_options opt;
    CHECK_OK(lstats_keyness_options_init(&opt, LSTATS_KEYNESS_OPTIONS_VERSION));
    opt.measures = "chi2,g2,pmi";
    opt.compat = LSTATS_KEYNESS_COMPAT_QUANTEDA;
    lstats_table *tq = NULL;
    CHECK_OK(lstats_keyness(x, y, &opt, &tq));
    CHECK(NEAR(f64_at(tq, "chi2", "t"), chi2, 1e-9));
    CHECK(f64_at(tq, "chi2", "rest") < 0); /* signed */
    CHECK(NEAR(f64_at(tq, "pmi", "t"), log(a / (r1 * n1 / n) + 1e-9), 1e-12));
    lstats_table_free(tq);
    lstats_table_free(x);
    lstats_table_free(y);
}

static void test_errors_and_range(void)
{
    const char *w[] = {"x", "y"};
    uint64_t ca[] = {2, 3}, cb[] = {4, 0}, d[] = {1, 2};
    lstats_table *x = freq_table(2, w, ca, d, 5, 3);
    lstats_table *y = freq_table(2, w, cb, NULL, 4, 0);
    lstats_table *empty = freq_table(0, w, ca, NULL, 0, 0);
    lstats_table *t = NULL;
    lstats_keyness_options o;
    CHECK_OK(lstats_keyness_options_init(&o, LSTATS_KEYNESS_OPTIONS_VERSION));
    CHECK_STATUS(lstats_keyness_options_init(NULL, 1), LSTATS_EINVAL);
    CHECK_STATUS(lstats_keyness_options_init(&o, 99), LSTATS_EVERSION);
    CHECK_OK(lstats_keyness_options_init(&o, LSTATS_KEYNESS_OPTIONS_VERSION));
    CHECK_STATUS(lstats_keyness(NULL, y, &o, &t), LSTATS_EINVAL);
    CHECK_STATUS(lstats_keyness(x, y, &o, NULL), LSTATS_EINVAL);
    CHECK_STATUS(lstats_keyness(x, empty, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("reference is empty");
    CHECK_STATUS(lstats_keyness(empty, y, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("target is empty");
    o.measures = "g2,bogus";
    CHECK_STATUS(lstats_keyness(x, y, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("unknown keyness measure 'bogus'");
    o.measures = NULL;
    o.version = 7;
    CHECK_STATUS(lstats_keyness(x, y, &o, &t), LSTATS_EVERSION);
    o.version = LSTATS_KEYNESS_OPTIONS_VERSION;
    o.alpha = 0;
    CHECK_STATUS(lstats_keyness(x, y, &o, &t), LSTATS_EINVAL);
    o.alpha = 0.05;
    o.by = LSTATS_KEYNESS_BY_RANGE;
    CHECK_STATUS(lstats_keyness(x, y, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("no doc_count column");
    CHECK_OK(lstats_keyness(x, x, &o, &t));
    CHECK(strcmp(lstats_table_meta_get(t, "n1"), "3") == 0);
    const uint64_t *a = ls_table_u64(t, "a");
    CHECK(a[find_row(t, "y")] == 2);
    lstats_table_free(t);
    /* a count above the corpus size */
    uint64_t big[] = {9, 0};
    lstats_table *bad = freq_table(2, w, big, NULL, 5, 0);
    o.by = LSTATS_KEYNESS_BY_FREQUENCY;
    CHECK_STATUS(lstats_keyness(bad, y, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("more than its size");
    lstats_table_free(bad);
    lstats_table_free(x);
    lstats_table_free(y);
    lstats_table_free(empty);
}

static lstats_corpus *corpus_of(int n, const char *const *texts)
{
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.tokenizer = LSTATS_TOKENIZER_WHITESPACE;
    o.n_threads = 1;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    size_t lens[8];
    const char *names[8] = {"d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"};
    for (int i = 0; i < n; i++)
        lens[i] = strlen(texts[i]);
    CHECK_OK(lstats_corpus_add_texts(c, (size_t)n, names, texts, lens, NULL, NULL));
    return c;
}

static void test_docs(void)
{
    const char *ta[] = {"x x y", "x y y y", "x z"};
    const char *tb[] = {"y y", "y z z z", "y y y z", "q"};
    lstats_corpus *ca = corpus_of(3, ta), *cb = corpus_of(4, tb);
    lstats_table *t = NULL;
    lstats_keyness_options o;
    CHECK_OK(lstats_keyness_options_init(&o, LSTATS_KEYNESS_OPTIONS_VERSION));
    o.correction = LSTATS_CORRECTION_BONFERRONI;
    CHECK_OK(lstats_corpus_keyness_docs(ca, cb, &o, &t));
    CHECK(strcmp(lstats_table_meta_get(t, "m"), "4") == 0);
    /* x: target rel freqs 2/3, 1/4, 1/2; reference 0, 0, 0, 0 */
    double x1[3] = {2.0 / 3, 0.25, 0.5};
    double m1 = (x1[0] + x1[1] + x1[2]) / 3, v1 = 0;
    for (int i = 0; i < 3; i++)
        v1 += (x1[i] - m1) * (x1[i] - m1);
    v1 /= 2;
    double pooled = sqrt(2 * v1 / 5);
    CHECK(NEAR(f64_at(t, "cohens_d", "x"), m1 / pooled, 1e-12));
    CHECK(NEAR(f64_at(t, "welch_t", "x"), m1 / sqrt(v1 / 3), 1e-12));
    CHECK(NEAR(f64_at(t, "welch_df", "x"), 2.0, 1e-12));
    /* U for the target: every target value beats every reference zero */
    CHECK(NEAR(f64_at(t, "mwu_u", "x"), 12.0, 1e-12));
    CHECK(f64_at(t, "mwu_p", "x") < 0.1);
    CHECK(f64_at(t, "mwu_p_adj", "x") >= f64_at(t, "mwu_p", "x"));
    CHECK(NEAR(f64_at(t, "mean_pm_a", "x"), m1 * 1e6, 1e-12));
    lstats_table_free(t);
    /* k equal parts */
    o.n_parts = 2;
    o.measures = "mwu";
    CHECK_OK(lstats_corpus_keyness_docs(ca, cb, &o, &t));
    CHECK(strcmp(lstats_table_meta_get(t, "n1"), "2") == 0);
    CHECK(ls_table_f64(t, "cohens_d") == NULL);
    lstats_table_free(t);
    CHECK_STATUS(lstats_corpus_keyness_docs(NULL, cb, &o, &t), LSTATS_EINVAL);
    lstats_corpus *empty = corpus_of(0, ta);
    CHECK_STATUS(lstats_corpus_keyness_docs(ca, empty, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("reference has no tokens");
    lstats_corpus_free(empty);
    lstats_corpus_free(ca);
    lstats_corpus_free(cb);
}

int main(void)
{
    test_ucrel();
    test_hardie_simple_maths();
    test_family_and_selection();
    test_continuity();
    test_errors_and_range();
    test_docs();
    return check_summary();
}

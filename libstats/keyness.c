/*
 * Keyness: a target frequency table against a reference frequency table (every measure of the
 * README "Keyness" section, p-values, multiple-testing corrections, positive/negative
 * selection, sorting, top-k), and document-level tests between two corpora.
 *
 * Notation: a, b = frequencies of a term in target and reference (or document counts with
 * by = range), N1, N2 = target and reference sizes (tokens, or documents with by = range),
 * N = N1 + N2, D = (a N2 - b N1) / N = O11 - E11. The 2x2 table handed to assoc.h is
 * o11 = a, o12 = N1 - a, o21 = b, o22 = N2 - b.
 *
 * The family for corrections is every term of the union of the two vocabularies with
 * a + b > 0 (m, in the metadata), whatever display filters (min_count, selection, top_k)
 * follow. Terms with a = b = 0 (explicit zero lines of a frequency list) are in neither corpus
 * and are dropped before anything is computed.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assoc.h"
#include "corpus_impl.h"
#include "error.h"
#include "msort.h"
#include "table.h"
#include "vocab.h"

#define QUANTEDA_EPS 1e-9 /* quanteda's epsilon inside every log (src/keyness.cpp) */
#define KN_PI        3.14159265358979323846

lstats_status lstats_keyness_options_init(lstats_keyness_options *opts, uint32_t version)
{
    if (!opts)
        return ls_error(LSTATS_EINVAL, "keyness options: opts is NULL");
    if (version != LSTATS_KEYNESS_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "keyness options version %u is not supported (want %u)",
                        version, LSTATS_KEYNESS_OPTIONS_VERSION);
    memset(opts, 0, sizeof *opts);
    opts->version = version;
    opts->measures = NULL;
    opts->correction = LSTATS_CORRECTION_NONE;
    opts->continuity = LSTATS_CONTINUITY_NONE;
    opts->by = LSTATS_KEYNESS_BY_FREQUENCY;
    opts->select = LSTATS_KEYWORDS_ALL;
    opts->min_count = 1;
    opts->sort_by = NULL;
    opts->top_k = 0;
    opts->simple_maths_k = 1.0;
    opts->alpha = 0.05;
    opts->lrc_bonferroni = 1;
    opts->compat = LSTATS_KEYNESS_COMPAT_TEXTBOOK;
    opts->n_parts = 0;
    return LSTATS_OK;
}

/* ------------------------------------------------------------------ measures */

enum {
    M_G2,
    M_G2_2TERM,
    M_CHI2,
    M_FISHER,
    M_PMI,
    M_LOG_RATIO,
    M_LRC,
    M_POSITIVE_LRC,
    M_PCT_DIFF,
    M_DIFF_COEF,
    M_SIMPLE_MATHS,
    M_ODDS_RATIO,
    M_RELATIVE_RISK,
    M_BIC,
    M_ELL,
    M_WLO,
    M_LOCKWORDS,
    M_COUNT
};

static const char *const measure_names[M_COUNT] = {"g2",
                                                   "g2_2term",
                                                   "chi2",
                                                   "fisher",
                                                   "pmi",
                                                   "log_ratio",
                                                   "lrc",
                                                   "positive_lrc",
                                                   "pct_diff",
                                                   "diff_coefficient",
                                                   "simple_maths",
                                                   "odds_ratio",
                                                   "relative_risk",
                                                   "bic",
                                                   "ell",
                                                   "weighted_log_odds",
                                                   "lockwords"};

enum { D_COHENS_D, D_WELCH, D_MWU, D_COUNT };
static const char *const doc_measure_names[D_COUNT] = {"cohens_d", "welch", "mwu"};

/* How a column orders keywords: larger = stronger (non-directional), larger = more positive
 * (directional), or smaller = stronger (p-values, lockwords). */
enum { OR_STRENGTH = 0, OR_DIRECTIONAL = 1, OR_SMALLER = 2 };

/* Parses a comma-separated list into order[] (indices into names), without repeats. */
static lstats_status parse_measures(const char *spec, const char *const *names, int count,
                                    const char *deflt, int *order, int *n_out)
{
    if (!spec || !*spec)
        spec = deflt;
    int seen[32] = {0};
    int n = 0;
    const char *p = spec;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        size_t len = (size_t)(p - s);
        while (len && s[len - 1] == ' ')
            len--;
        if (len == 3 && memcmp(s, "all", 3) == 0) {
            for (int i = 0; i < count; i++)
                if (!seen[i]) {
                    seen[i] = 1;
                    order[n++] = i;
                }
            continue;
        }
        int found = -1;
        for (int i = 0; i < count; i++)
            if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
                found = i;
        if (found < 0) {
            char known[512];
            size_t k = 0;
            known[0] = 0;
            for (int i = 0; i < count && k < sizeof known - 32; i++)
                k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", names[i]);
            return ls_error(LSTATS_EINVAL, "unknown keyness measure '%.*s' (known: %s, all)",
                            (int)(len > 64 ? 64 : len), s, known);
        }
        if (!seen[found]) {
            seen[found] = 1;
            order[n++] = found;
        }
    }
    if (n == 0)
        return ls_error(LSTATS_EINVAL, "no keyness measure given");
    *n_out = n;
    return LSTATS_OK;
}

static lstats_status check_options(const lstats_keyness_options *o)
{
    if (o->version != LSTATS_KEYNESS_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "keyness options version %u is not supported (want %u)",
                        o->version, LSTATS_KEYNESS_OPTIONS_VERSION);
    if (o->correction < LSTATS_CORRECTION_NONE || o->correction > LSTATS_CORRECTION_BH)
        return ls_error(LSTATS_EINVAL, "keyness: unknown correction %d", o->correction);
    if (o->continuity < LSTATS_CONTINUITY_NONE || o->continuity > LSTATS_CONTINUITY_WILLIAMS)
        return ls_error(LSTATS_EINVAL, "keyness: unknown continuity %d", o->continuity);
    if (o->by != LSTATS_KEYNESS_BY_FREQUENCY && o->by != LSTATS_KEYNESS_BY_RANGE)
        return ls_error(LSTATS_EINVAL, "keyness: by must be frequency (0) or range (1), got %d",
                        o->by);
    if (o->select < LSTATS_KEYWORDS_ALL || o->select > LSTATS_KEYWORDS_NEGATIVE)
        return ls_error(LSTATS_EINVAL, "keyness: unknown keyword selection %d", o->select);
    if (o->compat != LSTATS_KEYNESS_COMPAT_TEXTBOOK && o->compat != LSTATS_KEYNESS_COMPAT_QUANTEDA)
        return ls_error(LSTATS_EINVAL, "keyness: unknown compat %d", o->compat);
    if (!(o->alpha > 0.0 && o->alpha < 1.0))
        return ls_error(LSTATS_EINVAL, "keyness: alpha must be in (0, 1), got %g", o->alpha);
    if (!(o->simple_maths_k > 0.0) || !isfinite(o->simple_maths_k))
        return ls_error(LSTATS_EINVAL, "keyness: simple_maths_k must be > 0, got %g",
                        o->simple_maths_k);
    return LSTATS_OK;
}

/* ------------------------------------------------------------------ distributions */

/* ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; about 1e-15 relative). Only used for Newton
 * step sizes, never for a returned value, and (unlike lgamma) touches no global signgam. */
static double lgamma_pos(double x)
{
    static const double c[9] = {0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
                                771.32342877765313,   -176.61502916214059,   12.507343278686905,
                                -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    if (x < 0.5)
        return log(KN_PI / fabs(sin(KN_PI * x))) - lgamma_pos(1.0 - x);
    x -= 1.0;
    double s = c[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++)
        s += c[i] / (x + (double)i);
    return 0.5 * log(2.0 * KN_PI) + (x + 0.5) * log(t) - t + log(s);
}

/* Lower-tail quantile of Beta(a, b): x with I_x(a, b) = p, 0 < p < 1. Newton steps on the
 * incomplete beta with a bisection bracket; closed forms for a = 1 or b = 1. */
static double beta_quantile(double p, double a, double b)
{
    if (!(p > 0.0))
        return 0.0;
    if (!(p < 1.0))
        return 1.0;
    if (b == 1.0)
        return exp(log(p) / a); /* I_x(a, 1) = x^a */
    if (a == 1.0)
        return -expm1(log1p(-p) / b); /* I_x(1, b) = 1 - (1 - x)^b */
    double lbeta = lgamma_pos(a) + lgamma_pos(b) - lgamma_pos(a + b);
    /* normal starting point */
    double mean = a / (a + b);
    double sd = sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)));
    double x = mean + ls_norm_quantile(p) * sd;
    double lo = 0.0, hi = 1.0;
    if (!(x > 0.0 && x < 1.0))
        x = mean;
    for (int it = 0; it < 300; it++) {
        double f = ls_beta_i(a, b, x) - p;
        if (f == 0.0)
            return x;
        if (f < 0.0)
            lo = x;
        else
            hi = x;
        double logpdf = (a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - lbeta;
        double step = f / exp(logpdf);
        double nx = x - step;
        if (!(nx > lo && nx < hi) || !isfinite(nx))
            nx = 0.5 * (lo + hi);
        if (fabs(nx - x) <= 1e-15 * x || hi - lo <= 4 * DBL_EPSILON * hi) {
            x = nx;
            break;
        }
        x = nx;
    }
    return x;
}

/* log(x / (1 - x)) for x = the lower `tail` quantile of Beta(s1, s2), accurate near 0 and 1. */
static double qbeta_logodds(double tail, double s1, double s2)
{
    if (s2 == 1.0) { /* x = tail^(1/s1) */
        double lx = log(tail) / s1;
        return lx - log(-expm1(lx));
    }
    if (s1 == 1.0) { /* 1 - x = (1 - tail)^(1/s2) */
        double l1mx = log1p(-tail) / s2;
        return log(-expm1(l1mx)) - l1mx;
    }
    double x = beta_quantile(tail, s1, s2);
    return log(x) - log1p(-x);
}

/* Student t, two-sided p for |t| with df degrees of freedom: I_{df/(df+t^2)}(df/2, 1/2). */
static double t_two_sided(double t, double df)
{
    if (isnan(t) || isnan(df) || !(df > 0))
        return NAN;
    if (isinf(t))
        return 0.0;
    double x = df / (df + t * t);
    double p = ls_beta_i(0.5 * df, 0.5, x);
    return p > 1.0 ? 1.0 : p;
}

/* ------------------------------------------------------------------ per-term formulas */

typedef struct kn_ctx {
    double n1, n2, n, log_n;
    int continuity, compat;
    double sm_k;
    double tail2, tail1; /* LRC: two-sided tail alpha / 2 / family, one-sided alpha / family */
} kn_ctx;

static ls_ct ct_of(const kn_ctx *c, double a, double b)
{
    ls_ct t = {a, c->n1 - a, b, c->n2 - b};
    return t;
}

/* O11 - E11 = (a N2 - b N1) / N, with the products in extended precision. */
static double d_of(const kn_ctx *c, double a, double b)
{
    long double num = (long double)a * (long double)c->n2 - (long double)b * (long double)c->n1;
    return (double)(num / (long double)c->n);
}

/* Williams (1976) q for a 2x2 table: 1 + (N/R1 + N/R2 - 1)(N/C1 + N/C2 - 1) / (6N); 1 when a
 * margin is 0. */
static double williams_q(const kn_ctx *c, double a, double b)
{
    double r1 = a + b, r2 = c->n - r1;
    if (!(r1 > 0) || !(r2 > 0))
        return 1.0;
    return 1.0 + (c->n / r1 + c->n / r2 - 1.0) * (c->n / c->n1 + c->n / c->n2 - 1.0) / (6.0 * c->n);
}

/* o ln(o / e) with o = e + dev, as o log1p(dev / e); 0 for o <= 0. */
static double ologe(double e, double dev)
{
    double o = e + dev;
    if (!(o > 0.0) || !(e > 0.0))
        return 0.0;
    return o * log1p(dev / e);
}

/* Yates-corrected G2: every cell moved towards its expected value by min(0.5, |O - E|). */
static double g2_yates(const kn_ctx *c, double a, double b, int two_term)
{
    double r1 = a + b, r2 = c->n - r1;
    if (!(r1 > 0) || !(r2 > 0))
        return 0.0;
    double d = d_of(c, a, b);
    double ad = fabs(d) - 0.5;
    double dd = ad > 0.0 ? (d > 0 ? ad : -ad) : 0.0;
    double ea = r1 * c->n1 / c->n, eb = r1 * c->n2 / c->n;
    double s = ologe(ea, dd) + ologe(eb, -dd);
    if (!two_term)
        s += ologe(r2 * c->n1 / c->n, -dd) + ologe(r2 * c->n2 / c->n, dd);
    double g = 2.0 * s;
    return g > 0.0 ? g : 0.0;
}

/* quanteda's yates_correction (src/keyness.cpp): 0.5 when |ad - bc| >= N/2 and an expected
 * value is < 5, else 0. */
static double quanteda_yates(double a, double b, double cc, double d)
{
    double n = a + b + cc + d;
    if (fabs(a * d - b * cc) >= n / 2 &&
        ((a + b) * (a + cc) / n < 5 || (a + b) * (b + d) / n < 5 || (a + cc) * (cc + d) / n < 5 ||
         (cc + d) * (b + d) / n < 5))
        return 0.5;
    return 0.0;
}

static double quanteda_williams(double a, double b, double cc, double d)
{
    if (a * b * cc * d == 0)
        return 1.0;
    double n = a + b + cc + d;
    return 1.0 +
           (n / (a + b) + n / (cc + d) - 1.0) * (n / (a + cc) + n / (b + d) - 1.0) / (6.0 * n);
}

static double quanteda_chi2(const kn_ctx *c, double a, double b)
{
    double cc = c->n1 - a, d = c->n2 - b, n = a + b + cc + d, e = (a + b) * (a + cc) / n;
    double delta = c->continuity == LSTATS_CONTINUITY_YATES ? quanteda_yates(a, b, cc, d) : 0.0;
    double q = c->continuity == LSTATS_CONTINUITY_WILLIAMS ? quanteda_williams(a, b, cc, d) : 1.0;
    double num = n * pow(fabs(a * d - b * cc) - n * delta, 2.0);
    double den = (a + b) * (cc + d) * (a + cc) * (b + d) * (a > e ? 1.0 : -1.0) / q;
    return num / den;
}

static double quanteda_lr(const kn_ctx *c, double a, double b)
{
    double cc = c->n1 - a, d = c->n2 - b, n = a + b + cc + d, e = (a + b) * (a + cc) / n;
    double aa = a, bb = b, c2 = cc, dd = d;
    if (c->continuity == LSTATS_CONTINUITY_YATES) {
        double delta = quanteda_yates(a, b, cc, d);
        int sign = a * d - b * cc > 0;
        aa += sign ? -delta : delta;
        bb += sign ? delta : -delta;
        c2 += sign ? delta : -delta;
        dd += sign ? -delta : delta;
    }
    double eps = QUANTEDA_EPS;
    double res = 2 *
                 (aa * log(aa / ((aa + bb) * (aa + c2) / n) + eps) +
                  bb * log(bb / ((aa + bb) * (bb + dd) / n) + eps) +
                  c2 * log(c2 / ((aa + c2) * (c2 + dd) / n) + eps) +
                  dd * log(dd / ((bb + dd) * (c2 + dd) / n) + eps)) *
                 (a > e ? 1.0 : -1.0);
    if (c->continuity == LSTATS_CONTINUITY_WILLIAMS)
        res /= quanteda_williams(a, b, cc, d);
    return res;
}

/* The 4-cell G2 with the chosen continuity (and compat). */
static double kn_g2(const kn_ctx *c, double a, double b)
{
    if (c->compat == LSTATS_KEYNESS_COMPAT_QUANTEDA)
        return quanteda_lr(c, a, b);
    ls_ct t = ct_of(c, a, b);
    switch (c->continuity) {
    case LSTATS_CONTINUITY_YATES: return g2_yates(c, a, b, 0);
    case LSTATS_CONTINUITY_WILLIAMS: return ls_assoc_g2(&t) / williams_q(c, a, b);
    default: return ls_assoc_g2(&t);
    }
}

static double kn_g2_2term(const kn_ctx *c, double a, double b)
{
    ls_ct t = ct_of(c, a, b);
    switch (c->continuity) {
    case LSTATS_CONTINUITY_YATES: return g2_yates(c, a, b, 1);
    case LSTATS_CONTINUITY_WILLIAMS: return ls_assoc_g2_2term(&t) / williams_q(c, a, b);
    default: return ls_assoc_g2_2term(&t);
    }
}

static double kn_chi2(const kn_ctx *c, double a, double b)
{
    if (c->compat == LSTATS_KEYNESS_COMPAT_QUANTEDA)
        return quanteda_chi2(c, a, b);
    ls_ct t = ct_of(c, a, b);
    switch (c->continuity) {
    case LSTATS_CONTINUITY_YATES: return ls_assoc_chi2(&t, 1);
    case LSTATS_CONTINUITY_WILLIAMS: return ls_assoc_chi2(&t, 0) / williams_q(c, a, b);
    default: return ls_assoc_chi2(&t, 0);
    }
}

/* Conditional maximum-likelihood odds ratio of the 2x2 table (as R's fisher.test and
 * scipy.stats.contingency.odds_ratio(kind="conditional")): psi solving E[X | psi] = a under
 * the noncentral hypergeometric distribution of X given the margins. 0 when a is the smallest
 * possible value, +inf when the largest. `w` is scratch of at least a + b + 1 doubles. */
static double fisher_cond_or(const kn_ctx *c, double a, double b, double *w)
{
    double k = a + b;
    double lo = k - c->n2 > 0 ? k - c->n2 : 0, hi = k < c->n1 ? k : c->n1;
    if (a <= lo && a >= hi)
        return NAN;
    if (a <= lo)
        return 0.0;
    if (a >= hi)
        return INFINITY;
    size_t ns = (size_t)(hi - lo) + 1;
    w[0] = 0.0;
    for (size_t i = 1; i < ns; i++) {
        double x = lo + (double)(i - 1);
        w[i] = w[i - 1] + log((c->n1 - x) * (k - x)) - log((x + 1.0) * (c->n2 - k + x + 1.0));
    }
    /* f(t) = E[X](t) - a, increasing in t = ln psi; Newton in t with a bracket. */
    double t = log(((a + 0.5) * (c->n2 - b + 0.5)) / ((b + 0.5) * (c->n1 - a + 0.5)));
    double tl = -INFINITY, th = INFINITY;
    for (int it = 0; it < 200; it++) {
        double mx = -INFINITY;
        for (size_t i = 0; i < ns; i++) {
            double v = w[i] + (lo + (double)i) * t;
            if (v > mx)
                mx = v;
        }
        double s0 = 0, s1 = 0, s2 = 0;
        for (size_t i = 0; i < ns; i++) {
            double x = lo + (double)i;
            double e = exp(w[i] + x * t - mx);
            s0 += e;
            s1 += e * x;
            s2 += e * x * x;
        }
        double mean = s1 / s0, var = s2 / s0 - mean * mean;
        double f = mean - a;
        if (fabs(f) <= 1e-12 * (1.0 + a))
            break;
        if (f < 0)
            tl = t;
        else
            th = t;
        double nt = var > 0 ? t - f / var : NAN;
        if (!(nt > tl && nt < th) || !isfinite(nt)) {
            if (isfinite(tl) && isfinite(th))
                nt = 0.5 * (tl + th);
            else
                nt = f < 0 ? t + 1.0 : t - 1.0;
        }
        if (fabs(nt - t) <= 1e-14 * (1.0 + fabs(t))) {
            t = nt;
            break;
        }
        t = nt;
    }
    return exp(t);
}

/* Memo of qbeta_logodds: the beta quantile is by far the costliest measure, and the (a, b)
 * pairs of a vocabulary repeat massively (most terms are rare), so each distinct pair is solved
 * once. Open addressing over a fixed number of slots; when full, values are just computed. */
typedef struct qbeta_memo {
    double *key; /* tail, s1, s2 per slot; tail == 0 marks an empty slot */
    double *val;
    size_t mask, used;
} qbeta_memo;

static void qbeta_memo_init(qbeta_memo *mm, size_t expected)
{
    size_t slots = 1024;
    while (slots < 2 * expected && slots < ((size_t)1 << 21))
        slots *= 2;
    mm->key = calloc(slots * 3, sizeof *mm->key);
    mm->val = malloc(slots * sizeof *mm->val);
    if (!mm->key || !mm->val) { /* no memo: every value is computed */
        free(mm->key);
        free(mm->val);
        mm->key = mm->val = NULL;
    }
    mm->mask = slots - 1;
    mm->used = 0;
}

static void qbeta_memo_free(qbeta_memo *mm)
{
    free(mm->key);
    free(mm->val);
    memset(mm, 0, sizeof *mm);
}

static double qbeta_memo_get(qbeta_memo *mm, double tail, double s1, double s2)
{
    if (!mm || !mm->key)
        return qbeta_logodds(tail, s1, s2);
    uint64_t h = (uint64_t)s1 * 0x9e3779b97f4a7c15ULL ^ (uint64_t)s2 * 0xc2b2ae3d27d4eb4fULL;
    h ^= (uint64_t)(tail * 1e18);
    h ^= h >> 31;
    for (size_t i = h & mm->mask;; i = (i + 1) & mm->mask) {
        double *k = mm->key + 3 * i;
        if (k[0] == 0.0) {
            double v = qbeta_logodds(tail, s1, s2);
            if ((mm->used + 1) * 2 <= mm->mask + 1 && tail != 0.0) {
                k[0] = tail;
                k[1] = s1;
                k[2] = s2;
                mm->val[i] = v;
                mm->used++;
            }
            return v;
        }
        if (k[0] == tail && k[1] == s1 && k[2] == s2)
            return mm->val[i];
    }
}

/* Log Ratio bounds of Evert's LRC: log2 of the relative risk at the Clopper-Pearson bounds of
 * a / (a + b) (conditional Poisson test), tail probability `tail` each. */
static double lrc_lower(const kn_ctx *c, double a, double b, double tail, qbeta_memo *mm)
{
    if (a <= 0)
        return -INFINITY;
    return (log(c->n2 / c->n1) + qbeta_memo_get(mm, tail, a, b + 1.0)) / log(2.0);
}

static double lrc_upper(const kn_ctx *c, double a, double b, double tail, qbeta_memo *mm)
{
    if (b <= 0)
        return INFINITY;
    return (log(c->n2 / c->n1) - qbeta_memo_get(mm, tail, b, a + 1.0)) / log(2.0);
}

/* ------------------------------------------------------------------ result assembly */

enum { COL_U64 = 0, COL_F64 = 1 };

typedef struct kcol {
    char name[32];
    int type;
    int orient;
    double *f;
    uint64_t *u;
} kcol;

typedef struct kcols {
    kcol c[48];
    int n;
} kcols;

static void kcols_free(kcols *cs)
{
    for (int i = 0; i < cs->n; i++) {
        free(cs->c[i].f);
        free(cs->c[i].u);
    }
    cs->n = 0;
}

/* Adds a column of m rows; NULL on out of memory. */
static kcol *kcols_add(kcols *cs, const char *name, int type, int orient, size_t m)
{
    if (cs->n >= (int)(sizeof cs->c / sizeof cs->c[0]))
        return NULL;
    kcol *k = &cs->c[cs->n];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", name);
    k->type = type;
    k->orient = orient;
    if (type == COL_F64)
        k->f = malloc((m ? m : 1) * sizeof *k->f);
    else
        k->u = malloc((m ? m : 1) * sizeof *k->u);
    if (!k->f && !k->u)
        return NULL;
    cs->n++;
    return k;
}

static const kcol *kcols_find(const kcols *cs, const char *name)
{
    for (int i = 0; i < cs->n; i++)
        if (strcmp(cs->c[i].name, name) == 0)
            return &cs->c[i];
    return NULL;
}

typedef struct sort_ent {
    double key;
    size_t row;
    const char *s;
    size_t len;
    uint64_t prefix; /* s's first 8 bytes, big-endian: settles most ties without memcmp */
} sort_ent;

static uint64_t prefix8(const char *s, size_t len)
{
    uint64_t p = 0;
    for (size_t i = 0; i < 8; i++)
        p = (p << 8) | (i < len ? (unsigned char)s[i] : 0u);
    return p;
}

static int cmp_sort_ent(const void *pa, const void *pb)
{
    const sort_ent *x = pa, *y = pb;
    int nx = isnan(x->key), ny = isnan(y->key);
    if (nx != ny)
        return nx - ny; /* NaN last */
    if (!nx && x->key != y->key)
        return x->key > y->key ? -1 : 1; /* descending */
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    size_t l = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, l);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->row < y->row ? -1 : (x->row > y->row);
}

#define ENT_LESS(ctx, a, b) (cmp_sort_ent((a), (b)) < 0)
LS_MERGE_SORT(sort_ents_rec, sort_ent, int, ENT_LESS)

static lstats_status sort_ents(sort_ent *v, size_t n)
{
    sort_ent *tmp = malloc((n / 2 + 1) * sizeof *tmp);
    if (!tmp)
        return ls_error_nomem();
    sort_ents_rec(v, tmp, n, 0);
    free(tmp);
    return LSTATS_OK;
}

/* Multiple-testing correction of p[0..m) into adj (NaN p stays NaN and counts in m). */
static lstats_status correct_p(const double *p, size_t m, int method, double *adj)
{
    if (method == LSTATS_CORRECTION_BONFERRONI || method == LSTATS_CORRECTION_SIDAK) {
        for (size_t i = 0; i < m; i++) {
            if (isnan(p[i]))
                adj[i] = NAN;
            else if (method == LSTATS_CORRECTION_BONFERRONI)
                adj[i] = fmin(1.0, p[i] * (double)m);
            else
                adj[i] = p[i] >= 1.0 ? 1.0 : fmin(1.0, -expm1((double)m * log1p(-p[i])));
        }
        return LSTATS_OK;
    }
    sort_ent *e = malloc((m ? m : 1) * sizeof *e);
    if (!e)
        return ls_error_nomem();
    for (size_t i = 0; i < m; i++)
        e[i] = (sort_ent){-p[i], i, "", 0, 0}; /* descending -p = ascending p, NaN last */
    if (sort_ents(e, m) != LSTATS_OK) {
        free(e);
        return LSTATS_ENOMEM;
    }
    size_t valid = 0;
    while (valid < m && !isnan(e[valid].key))
        valid++;
    if (method == LSTATS_CORRECTION_HOLM) {
        double run = 0.0;
        for (size_t j = 0; j < valid; j++) {
            double v = fmin(1.0, (double)(m - j) * -e[j].key);
            if (v > run)
                run = v;
            adj[e[j].row] = run;
        }
    } else { /* BH */
        double run = 1.0;
        for (size_t j = valid; j-- > 0;) {
            double v = fmin(1.0, (double)m * -e[j].key / (double)(j + 1));
            if (v < run)
                run = v;
            adj[e[j].row] = run;
        }
    }
    for (size_t j = valid; j < m; j++)
        adj[e[j].row] = NAN;
    free(e);
    return LSTATS_OK;
}

static double orient_key(double v, int orient, int select)
{
    if (orient == OR_SMALLER)
        return -v;
    if (orient == OR_DIRECTIONAL && select == LSTATS_KEYWORDS_NEGATIVE)
        return -v;
    return v;
}

/* Filters (min_count on a + b, direction), sorts by sort_by and cuts to top_k; builds the
 * table of the chosen rows. dir[i] is +1, -1 or 0. */
static lstats_status emit_table(const ls_vocab *v, const uint32_t *ids, size_t m, const kcols *cs,
                                const signed char *dir, const lstats_keyness_options *o,
                                const char *default_sort, lstats_table **out)
{
    const char *sort_by = o->sort_by && *o->sort_by ? o->sort_by : default_sort;
    const kcol *key = kcols_find(cs, sort_by);
    if (!key) {
        char known[1024];
        size_t k = 0;
        known[0] = 0;
        for (int i = 0; i < cs->n && k < sizeof known - 40; i++)
            k +=
                (size_t)snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", cs->c[i].name);
        return ls_error(LSTATS_ENOTFOUND, "keyness: cannot sort by '%s' (columns: %s)", sort_by,
                        known);
    }
    const kcol *ca = kcols_find(cs, "a"), *cb = kcols_find(cs, "b");
    sort_ent *e = malloc((m ? m : 1) * sizeof *e);
    if (!e)
        return ls_error_nomem();
    size_t n = 0;
    for (size_t i = 0; i < m; i++) {
        if (ca->u[i] + cb->u[i] < o->min_count)
            continue;
        if (o->select == LSTATS_KEYWORDS_POSITIVE && dir[i] <= 0)
            continue;
        if (o->select == LSTATS_KEYWORDS_NEGATIVE && dir[i] >= 0)
            continue;
        size_t len;
        const char *s = ls_vocab_term(v, ids[i], &len);
        double kv = key->type == COL_F64 ? key->f[i] : (double)key->u[i];
        e[n++] = (sort_ent){orient_key(kv, key->orient, o->select), i, s, len, prefix8(s, len)};
    }
    lstats_status st = sort_ents(e, n);
    if (st) {
        free(e);
        return st;
    }
    if (o->top_k && o->top_k < n)
        n = o->top_k;

    lstats_table *t = ls_table_new(n);
    size_t blob_len = 0, dir_len = 0;
    for (size_t r = 0; r < n; r++) {
        blob_len += e[r].len;
        dir_len += dir[e[r].row] > 0 ? 8 : dir[e[r].row] < 0 ? 8 : 4;
    }
    char *blob = malloc(blob_len ? blob_len : 1);
    int64_t *off = malloc((n + 1) * sizeof *off);
    char *dblob = malloc(dir_len ? dir_len : 1);
    int64_t *doff = malloc((n + 1) * sizeof *doff);
    if (!t || !blob || !off || !dblob || !doff) {
        free(blob);
        free(off);
        free(dblob);
        free(doff);
        st = ls_error_nomem();
        goto done;
    }
    off[0] = doff[0] = 0;
    size_t p = 0, q = 0;
    for (size_t r = 0; r < n; r++) {
        memcpy(blob + p, e[r].s, e[r].len);
        p += e[r].len;
        off[r + 1] = (int64_t)p;
        int d = dir[e[r].row];
        const char *ds = d > 0 ? "positive" : d < 0 ? "negative" : "none";
        size_t dl = strlen(ds);
        memcpy(dblob + q, ds, dl);
        q += dl;
        doff[r + 1] = (int64_t)q;
    }
    if ((st = ls_table_add_string(t, "term", blob, off)))
        goto done;
    for (int c = 0; c < cs->n; c++) {
        const kcol *k = &cs->c[c];
        if (k->type == COL_F64) {
            double *d = malloc((n ? n : 1) * sizeof *d);
            if (!d) {
                st = ls_error_nomem();
                break;
            }
            for (size_t r = 0; r < n; r++)
                d[r] = k->f[e[r].row];
            st = ls_table_add_f64(t, k->name, d);
        } else {
            uint64_t *d = malloc((n ? n : 1) * sizeof *d);
            if (!d) {
                st = ls_error_nomem();
                break;
            }
            for (size_t r = 0; r < n; r++)
                d[r] = k->u[e[r].row];
            st = ls_table_add_u64(t, k->name, d);
        }
        if (st)
            break;
    }
    if (st) {
        free(dblob);
        free(doff);
        goto done;
    }
    if ((st = ls_table_add_string(t, "direction", dblob, doff)) ||
        (st = ls_table_set_meta(t, "sort_by", sort_by)))
        goto done;
    *out = t;
    t = NULL;
done:
    lstats_table_free(t);
    free(e);
    return st;
}

static const char *const correction_names[] = {"none", "bonferroni", "holm", "sidak", "bh"};
static const char *const continuity_names[] = {"none", "yates", "williams"};
static const char *const select_names[] = {"all", "positive", "negative"};

static lstats_status set_common_meta(lstats_table *t, const lstats_keyness_options *o, size_t m,
                                     uint64_t n1, uint64_t n2, const char *kind)
{
    lstats_status st;
    char buf[64];
    if ((st = ls_table_set_meta(t, "kind", kind)) || (st = ls_table_set_meta_u64(t, "m", m)) ||
        (st = ls_table_set_meta_u64(t, "n1", n1)) || (st = ls_table_set_meta_u64(t, "n2", n2)) ||
        (st = ls_table_set_meta(t, "correction", correction_names[o->correction])) ||
        (st = ls_table_set_meta(t, "select", select_names[o->select])) ||
        (st = ls_table_set_meta_u64(t, "min_count", o->min_count)) ||
        (st = ls_table_set_meta_u64(t, "top_k", o->top_k)))
        return st;
    snprintf(buf, sizeof buf, "%.15g", o->alpha);
    return ls_table_set_meta(t, "alpha", buf);
}

/* Tokenizer settings recorded by both tables that differ: "key,key" into buf ("" if none). */
static void settings_mismatch(const lstats_table *x, const lstats_table *y, char *buf, size_t sz)
{
    static const char *const keys[] = {"tokenizer",    "normalize", "lowercase", "keep_punct",
                                       "drop_numbers", "locale",    "sentences", "compounds",
                                       "fold_script",  "n"};
    size_t k = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *vx = lstats_table_meta_get(x, keys[i]);
        const char *vy = lstats_table_meta_get(y, keys[i]);
        if (vx && vy && strcmp(vx, vy) != 0 && k < sz - 20)
            k += (size_t)snprintf(buf + k, sz - k, "%s%s", k ? "," : "", keys[i]);
    }
}

/* ------------------------------------------------------------------ frequency keyness */

/* Reads (term, count) or (term, doc_count) of a frequency table and its size. */
typedef struct kn_input {
    const char *blob;
    const int64_t *off;
    const uint64_t *cnt;
    size_t rows;
    uint64_t size;
} kn_input;

static lstats_status read_input(const lstats_table *t, const char *which, int by, kn_input *in)
{
    const char *kind = lstats_table_meta_get(t, "kind");
    if (!kind || strcmp(kind, "frequency") != 0)
        return ls_error(LSTATS_EINVAL,
                        "keyness: the %s table is not a frequency table (kind=%s); use "
                        "lstats_corpus_frequencies or lstats_read_frequency_list",
                        which, kind ? kind : "(none)");
    in->blob = ls_table_string(t, "term", &in->off);
    if (!in->blob)
        return ls_error(LSTATS_EINVAL, "keyness: the %s table has no string column 'term'", which);
    in->rows = lstats_table_nrows(t);
    if (by == LSTATS_KEYNESS_BY_RANGE) {
        in->cnt = ls_table_u64(t, "doc_count");
        if (!in->cnt)
            return ls_error(LSTATS_EINVAL,
                            "keyness by range needs document counts: the %s table has no "
                            "doc_count column (a frequency list needs a third column)",
                            which);
        int r = ls_table_meta_u64(t, "n_docs", &in->size);
        if (r != 1)
            return ls_error(LSTATS_EINVAL,
                            "keyness by range needs the number of documents: the %s table "
                            "records no n_docs (a TSV frequency list does not; count the "
                            "reference from a corpus or save its table)",
                            which);
    } else {
        in->cnt = ls_table_u64(t, "count");
        if (!in->cnt)
            return ls_error(LSTATS_EINVAL, "keyness: the %s table has no u64 column 'count'",
                            which);
        int r = ls_table_meta_u64(t, "n_tokens", &in->size);
        if (r != 1) {
            uint64_t s = 0;
            for (size_t i = 0; i < in->rows; i++)
                s += in->cnt[i];
            in->size = s;
        }
    }
    return LSTATS_OK;
}

lstats_status lstats_keyness(const lstats_table *target, const lstats_table *reference,
                             const lstats_keyness_options *opts, lstats_table **out)
{
    if (!target || !reference || !out)
        return ls_error(LSTATS_EINVAL, "keyness: target, reference and out must not be NULL");
    *out = NULL;
    lstats_keyness_options defaults;
    if (!opts) {
        lstats_keyness_options_init(&defaults, LSTATS_KEYNESS_OPTIONS_VERSION);
        opts = &defaults;
    }
    lstats_status st = check_options(opts);
    if (st)
        return st;
    int order[M_COUNT], n_meas = 0;
    if ((st = parse_measures(opts->measures, measure_names, M_COUNT, "g2,log_ratio", order,
                             &n_meas)))
        return st;
    const char *nt = lstats_table_meta_get(target, "n"),
               *nr = lstats_table_meta_get(reference, "n");
    if (nt && nr && strcmp(nt, nr) != 0)
        return ls_error(LSTATS_EINVAL,
                        "keyness: target counts %s-grams but the reference counts %s-grams", nt,
                        nr);
    kn_input ti, ri;
    if ((st = read_input(target, "target", opts->by, &ti)) ||
        (st = read_input(reference, "reference", opts->by, &ri)))
        return st;
    if (ti.size == 0)
        return ls_error(LSTATS_EINVAL, "keyness: the target is empty (N1 = 0 %s)",
                        opts->by == LSTATS_KEYNESS_BY_RANGE ? "documents" : "tokens");
    if (ri.size == 0)
        return ls_error(LSTATS_EINVAL, "keyness: the reference is empty (N2 = 0 %s)",
                        opts->by == LSTATS_KEYNESS_BY_RANGE ? "documents" : "tokens");

    /* Union of the vocabularies. */
    size_t cap = ti.rows + ri.rows;
    ls_vocab *v = ls_vocab_new();
    uint64_t *av = calloc(cap ? cap : 1, sizeof *av);
    uint64_t *bv = calloc(cap ? cap : 1, sizeof *bv);
    uint32_t *ids = malloc((cap ? cap : 1) * sizeof *ids);
    signed char *dir = NULL;
    double *scratch = NULL;
    qbeta_memo memo = {0};
    kcols cs;
    cs.n = 0;
    lstats_table *t = NULL;
    if (!v || !av || !bv || !ids) {
        st = ls_error_nomem();
        goto done;
    }
    for (int side = 0; side < 2; side++) {
        const kn_input *in = side ? &ri : &ti;
        uint64_t *dst = side ? bv : av;
        for (size_t i = 0; i < in->rows; i++) {
            uint32_t id;
            if ((st = ls_vocab_intern(v, in->blob + in->off[i],
                                      (size_t)(in->off[i + 1] - in->off[i]), &id)))
                goto done;
            dst[id] += in->cnt[i];
        }
    }
    uint32_t nv = ls_vocab_size(v);
    size_t m = 0;
    uint64_t max_k = 0;
    for (uint32_t id = 0; id < nv; id++) {
        if (av[id] + bv[id] == 0)
            continue;
        if (av[id] > ti.size || bv[id] > ri.size) {
            size_t len;
            const char *s = ls_vocab_term(v, id, &len);
            st = ls_error(LSTATS_EINVAL,
                          "keyness: term '%.*s' is counted %llu times in the %s, more than its "
                          "size %llu",
                          (int)(len > 80 ? 80 : len), s,
                          (unsigned long long)(av[id] > ti.size ? av[id] : bv[id]),
                          av[id] > ti.size ? "target" : "reference",
                          (unsigned long long)(av[id] > ti.size ? ti.size : ri.size));
            goto done;
        }
        ids[m] = id;
        av[m] = av[id];
        bv[m] = bv[id];
        if (av[m] + bv[m] > max_k)
            max_k = av[m] + bv[m];
        m++;
    }

    kn_ctx c;
    c.n1 = (double)ti.size;
    c.n2 = (double)ri.size;
    c.n = c.n1 + c.n2;
    c.log_n = log(c.n);
    c.continuity = opts->continuity;
    c.compat = opts->compat;
    c.sm_k = opts->simple_maths_k;
    double family = opts->lrc_bonferroni ? (double)(m ? m : 1) : 1.0;
    c.tail2 = opts->alpha / 2.0 / family;
    c.tail1 = opts->alpha / family;
    int quanteda = opts->compat == LSTATS_KEYNESS_COMPAT_QUANTEDA;

    dir = malloc((m ? m : 1) * sizeof *dir);
    if (!dir) {
        st = ls_error_nomem();
        goto done;
    }
    kcol *ka = kcols_add(&cs, "a", COL_U64, OR_STRENGTH, m);
    kcol *kb = kcols_add(&cs, "b", COL_U64, OR_STRENGTH, m);
    kcol *k1 = kcols_add(&cs, "n1", COL_U64, OR_STRENGTH, m);
    kcol *k2 = kcols_add(&cs, "n2", COL_U64, OR_STRENGTH, m);
    kcol *pa = kcols_add(&cs, "per_million_a", COL_F64, OR_STRENGTH, m);
    kcol *pb = kcols_add(&cs, "per_million_b", COL_F64, OR_STRENGTH, m);
    if (!ka || !kb || !k1 || !k2 || !pa || !pb) {
        st = ls_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < m; i++) {
        ka->u[i] = av[i];
        kb->u[i] = bv[i];
        k1->u[i] = ti.size;
        k2->u[i] = ri.size;
        pa->f[i] = (double)av[i] * 1e6 / c.n1;
        pb->f[i] = (double)bv[i] * 1e6 / c.n2;
        long double dn =
            (long double)av[i] * (long double)ri.size - (long double)bv[i] * (long double)ti.size;
        dir[i] = dn > 0 ? 1 : dn < 0 ? -1 : 0;
    }
    /* g2 is needed for p (and bic, ell) whether asked or not. */
    double *g2 = malloc((m ? m : 1) * sizeof *g2);
    if (!g2) {
        st = ls_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < m; i++)
        g2[i] = kn_g2(&c, (double)av[i], (double)bv[i]);
    qbeta_memo_init(&memo, m);
    const char *default_sort = NULL;
    for (int j = 0; j < n_meas; j++) {
        int mi = order[j];
        int orient = OR_DIRECTIONAL;
        if (mi == M_G2 || mi == M_CHI2)
            orient = quanteda ? OR_DIRECTIONAL : OR_STRENGTH;
        else if (mi == M_G2_2TERM || mi == M_BIC || mi == M_ELL)
            orient = OR_STRENGTH;
        else if (mi == M_LOCKWORDS)
            orient = OR_SMALLER;
        const char *name = measure_names[mi];
        if (mi == M_FISHER)
            name = "fisher_or";
        kcol *k = kcols_add(&cs, name, COL_F64, orient, m);
        kcol *k_extra = NULL;
        if (!k) {
            free(g2);
            st = ls_error_nomem();
            goto done;
        }
        if (!default_sort)
            default_sort = mi == M_FISHER ? "fisher_p" : name;
        if (mi == M_FISHER || mi == M_ODDS_RATIO) {
            k_extra = kcols_add(&cs, mi == M_FISHER ? "fisher_p" : "log_odds_ratio", COL_F64,
                                mi == M_FISHER ? OR_SMALLER : OR_DIRECTIONAL, m);
            if (!k_extra) {
                free(g2);
                st = ls_error_nomem();
                goto done;
            }
        }
        if (mi == M_FISHER && !scratch) {
            scratch = malloc((size_t)(max_k + 2) * sizeof *scratch);
            if (!scratch) {
                free(g2);
                st = ls_error_nomem();
                goto done;
            }
        }
        double *f = k->f;
        for (size_t i = 0; i < m; i++) {
            double a = (double)av[i], b = (double)bv[i];
            ls_ct ct = ct_of(&c, a, b);
            switch (mi) {
            case M_G2: f[i] = g2[i]; break;
            case M_G2_2TERM: f[i] = kn_g2_2term(&c, a, b); break;
            case M_CHI2: f[i] = kn_chi2(&c, a, b); break;
            case M_FISHER:
                f[i] = fisher_cond_or(&c, a, b, scratch);
                k_extra->f[i] = ls_assoc_fisher_two_sided(&ct);
                break;
            case M_PMI:
                f[i] =
                    quanteda ? log(a / ((a + b) * c.n1 / c.n) + QUANTEDA_EPS) : ls_assoc_pmi(&ct);
                break;
            case M_LOG_RATIO: f[i] = ls_assoc_log_ratio(&ct); break;
            case M_LRC:
                f[i] = dir[i] >= 0 ? fmax(lrc_lower(&c, a, b, c.tail2, &memo), 0.0)
                                   : fmin(lrc_upper(&c, a, b, c.tail2, &memo), 0.0);
                break;
            case M_POSITIVE_LRC: f[i] = lrc_lower(&c, a, b, c.tail1, &memo); break;
            case M_PCT_DIFF:
                f[i] = b > 0 ? 100.0 * ((a * c.n2) / (b * c.n1) - 1.0) : INFINITY;
                break;
            case M_DIFF_COEF: f[i] = (a * c.n2 - b * c.n1) / (a * c.n2 + b * c.n1); break;
            case M_SIMPLE_MATHS:
                f[i] = (a * 1e6 / c.n1 + c.sm_k) / (b * 1e6 / c.n2 + c.sm_k);
                break;
            case M_ODDS_RATIO:
                f[i] = ls_assoc_odds_ratio(&ct);
                k_extra->f[i] = log(f[i]);
                break;
            case M_RELATIVE_RISK: f[i] = ls_assoc_relative_risk(&ct); break;
            case M_BIC: f[i] = g2[i] - c.log_n; break;
            case M_ELL: {
                double r1 = a + b;
                double emin = fmin(r1 * c.n1 / c.n, r1 * c.n2 / c.n);
                f[i] = g2[i] / (c.n * log(emin));
                break;
            }
            case M_WLO: {
                double y1 = 2.0 * a + b, yw = 3.0 * (a + b);
                double n1p = c.n1 + c.n, tot = 3.0 * c.n;
                double delta = log(y1 / (n1p - y1)) - log(yw / (tot - yw));
                f[i] = delta / sqrt(1.0 / y1 + 1.0 / yw);
                break;
            }
            case M_LOCKWORDS: {
                double lo = lrc_lower(&c, a, b, c.tail2, &memo);
                double hi = lrc_upper(&c, a, b, c.tail2, &memo);
                f[i] = fmax(fabs(lo), fabs(hi));
                break;
            }
            default: f[i] = NAN; break;
            }
        }
    }
    kcol *kp = kcols_add(&cs, "p", COL_F64, OR_SMALLER, m);
    if (!kp) {
        free(g2);
        st = ls_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < m; i++)
        kp->f[i] = ls_chi2_sf1(fabs(g2[i]));
    free(g2);
    if (opts->correction != LSTATS_CORRECTION_NONE) {
        kcol *kq = kcols_add(&cs, "p_adj", COL_F64, OR_SMALLER, m);
        if (!kq) {
            st = ls_error_nomem();
            goto done;
        }
        if ((st = correct_p(kp->f, m, opts->correction, kq->f)))
            goto done;
    }
    if ((st = emit_table(v, ids, m, &cs, dir, opts, default_sort, &t)))
        goto done;
    char mism[256], mlist[512];
    settings_mismatch(target, reference, mism, sizeof mism);
    size_t k = 0;
    mlist[0] = 0;
    for (int j = 0; j < n_meas && k < sizeof mlist - 24; j++)
        k += (size_t)snprintf(mlist + k, sizeof mlist - k, "%s%s", j ? "," : "",
                              measure_names[order[j]]);
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", opts->simple_maths_k);
    if ((st = set_common_meta(t, opts, m, ti.size, ri.size, "keyness")) ||
        (st = ls_table_set_meta(t, "by",
                                opts->by == LSTATS_KEYNESS_BY_RANGE ? "range" : "frequency")) ||
        (st = ls_table_set_meta(t, "measures", mlist)) ||
        (st = ls_table_set_meta(t, "continuity", continuity_names[opts->continuity])) ||
        (st = ls_table_set_meta(t, "compat", quanteda ? "quanteda" : "textbook")) ||
        (st = ls_table_set_meta(t, "simple_maths_k", buf)) ||
        (st = ls_table_set_meta(t, "lrc_bonferroni", opts->lrc_bonferroni ? "1" : "0")) ||
        (mism[0] && (st = ls_table_set_meta(t, "settings_mismatch", mism))))
        goto done;
    for (int side = 0; side < 2 && !st; side++) {
        const lstats_table *src = side ? reference : target;
        static const char *const keys[] = {"tokenizer", "normalize", "lowercase", "source", "n"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !st; i++) {
            const char *val = lstats_table_meta_get(src, keys[i]);
            if (val) {
                char key[48];
                snprintf(key, sizeof key, "%s_%s", side ? "reference" : "target", keys[i]);
                st = ls_table_set_meta(t, key, val);
            }
        }
    }
    if (st)
        goto done;
    *out = t;
    t = NULL;
done:
    lstats_table_free(t);
    kcols_free(&cs);
    qbeta_memo_free(&memo);
    free(scratch);
    free(dir);
    free(ids);
    free(av);
    free(bv);
    ls_vocab_free(v);
    return st;
}

/* ------------------------------------------------------------------ document-level tests */

/* One nonzero relative frequency of a term in a part. */
typedef struct dentry {
    uint32_t term;
    uint32_t group; /* 0 target, 1 reference */
    double value;
} dentry;

typedef struct dlist {
    dentry *e;
    size_t n, cap;
} dlist;

static lstats_status dlist_push(dlist *l, uint32_t term, uint32_t group, double value)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4096;
        dentry *ne = realloc(l->e, nc * sizeof *ne);
        if (!ne)
            return ls_error_nomem();
        l->e = ne;
        l->cap = nc;
    }
    l->e[l->n++] = (dentry){term, group, value};
    return LSTATS_OK;
}

/* Counts the parts of one corpus (documents, or k equal slices of the concatenated token
 * stream) and appends their nonzero relative frequencies. Empty parts are skipped and not
 * counted. `map` gives the union id of each corpus term id; `cnt` and `touched` are scratch
 * of the union size, cnt all zero on entry and exit. */
static lstats_status count_parts(const lstats_corpus *cp, uint32_t k_parts, const uint32_t *map,
                                 uint32_t group, uint64_t *cnt, uint32_t *touched, dlist *out,
                                 uint64_t *n_parts, uint64_t *total)
{
    uint64_t tokens = cp->n_tokens;
    uint64_t n_units = k_parts ? k_parts : cp->n_docs;
    size_t doc = 0;
    uint64_t pos = 0; /* position within docs[doc] */
    *n_parts = 0;
    *total = 0;
    for (uint64_t u = 0; u < n_units; u++) {
        uint64_t want;
        if (k_parts) {
            uint64_t s = (uint64_t)((long double)tokens * u / k_parts);
            uint64_t e = (uint64_t)((long double)tokens * (u + 1) / k_parts);
            want = e - s;
        } else {
            want = cp->docs[u].n_tokens;
            doc = (size_t)u;
            pos = 0;
        }
        size_t nt = 0;
        uint64_t got = 0;
        while (got < want && doc < cp->n_docs) {
            const ls_doc *d = &cp->docs[doc];
            if (pos >= d->n_tokens) {
                doc++;
                pos = 0;
                continue;
            }
            uint32_t id = map[d->ids[pos]];
            if (cnt[id]++ == 0)
                touched[nt++] = id;
            pos++;
            got++;
        }
        if (got == 0)
            continue;
        (*n_parts)++;
        *total += got;
        for (size_t i = 0; i < nt; i++) {
            uint32_t id = touched[i];
            lstats_status st = dlist_push(out, id, group, (double)cnt[id] / (double)got);
            cnt[id] = 0;
            if (st)
                return st;
        }
    }
    return LSTATS_OK;
}

static int cmp_dentry_value(const void *pa, const void *pb)
{
    const dentry *x = pa, *y = pb;
    return x->value < y->value ? -1 : x->value > y->value;
}

lstats_status lstats_corpus_keyness_docs(const lstats_corpus *target,
                                         const lstats_corpus *reference,
                                         const lstats_keyness_options *opts, lstats_table **out)
{
    if (!target || !reference || !out)
        return ls_error(LSTATS_EINVAL, "keyness_docs: target, reference and out must not be NULL");
    *out = NULL;
    lstats_keyness_options defaults;
    if (!opts) {
        lstats_keyness_options_init(&defaults, LSTATS_KEYNESS_OPTIONS_VERSION);
        opts = &defaults;
    }
    lstats_status st = check_options(opts);
    if (st)
        return st;
    int order[D_COUNT], n_meas = 0;
    if ((st = parse_measures(opts->measures, doc_measure_names, D_COUNT, "cohens_d,welch,mwu",
                             order, &n_meas)))
        return st;
    uint32_t vt = ls_vocab_size(target->vocab), vr = ls_vocab_size(reference->vocab);
    ls_vocab *v = ls_vocab_new();
    uint32_t *map_t = malloc((vt ? vt : 1) * sizeof *map_t);
    uint32_t *map_r = malloc((vr ? vr : 1) * sizeof *map_r);
    size_t cap = (size_t)vt + vr;
    uint64_t *cnt = calloc(cap ? cap : 1, sizeof *cnt);
    uint32_t *touched = malloc((cap ? cap : 1) * sizeof *touched);
    uint64_t *av = calloc(cap ? cap : 1, sizeof *av);
    uint64_t *bv = calloc(cap ? cap : 1, sizeof *bv);
    size_t *start = NULL;
    dentry *sorted = NULL;
    signed char *dir = NULL;
    uint32_t *ids = NULL;
    dlist dl = {NULL, 0, 0};
    kcols cs;
    cs.n = 0;
    lstats_table *t = NULL;
    if (!v || !map_t || !map_r || !cnt || !touched || !av || !bv) {
        st = ls_error_nomem();
        goto done;
    }
    for (int side = 0; side < 2; side++) {
        const lstats_corpus *cp = side ? reference : target;
        uint32_t nv = side ? vr : vt;
        uint32_t *map = side ? map_r : map_t;
        for (uint32_t id = 0; id < nv; id++) {
            size_t len;
            const char *s = ls_vocab_term(cp->vocab, id, &len);
            if ((st = ls_vocab_intern(v, s, len, &map[id])))
                goto done;
            /* Terms past counts_cap were interned by a failed add and never counted. */
            (side ? bv : av)[map[id]] += id < cp->counts_cap ? cp->counts[id] : 0;
        }
    }
    uint64_t p1, p2, tot1, tot2;
    if ((st = count_parts(target, opts->n_parts, map_t, 0, cnt, touched, &dl, &p1, &tot1)) ||
        (st = count_parts(reference, opts->n_parts, map_r, 1, cnt, touched, &dl, &p2, &tot2)))
        goto done;
    if (p1 == 0 || p2 == 0) {
        st = ls_error(LSTATS_EINVAL, "keyness_docs: the %s has no tokens",
                      p1 == 0 ? "target" : "reference");
        goto done;
    }
    /* Group the entries by term (counting sort). */
    uint32_t nv = ls_vocab_size(v);
    start = calloc((size_t)nv + 1, sizeof *start);
    sorted = malloc((dl.n ? dl.n : 1) * sizeof *sorted);
    if (!start || !sorted) {
        st = ls_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < dl.n; i++)
        start[dl.e[i].term + 1]++;
    for (uint32_t i = 0; i < nv; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; i < dl.n; i++)
        sorted[start[dl.e[i].term] + cnt[dl.e[i].term]++] = dl.e[i];
    size_t m = 0;
    for (uint32_t id = 0; id < nv; id++)
        if (start[id + 1] > start[id])
            m++;
    ids = malloc((m ? m : 1) * sizeof *ids);
    dir = malloc((m ? m : 1) * sizeof *dir);
    if (!ids || !dir) {
        st = ls_error_nomem();
        goto done;
    }
    kcol *ka = kcols_add(&cs, "a", COL_U64, OR_STRENGTH, m);
    kcol *kb = kcols_add(&cs, "b", COL_U64, OR_STRENGTH, m);
    kcol *k1 = kcols_add(&cs, "n1", COL_U64, OR_STRENGTH, m);
    kcol *k2 = kcols_add(&cs, "n2", COL_U64, OR_STRENGTH, m);
    kcol *ma = kcols_add(&cs, "mean_pm_a", COL_F64, OR_STRENGTH, m);
    kcol *mb = kcols_add(&cs, "mean_pm_b", COL_F64, OR_STRENGTH, m);
    kcol *kd = NULL, *kt = NULL, *kdf = NULL, *ktp = NULL, *ku = NULL, *kup = NULL;
    const char *default_sort = NULL;
    int ok = ka && kb && k1 && k2 && ma && mb;
    for (int j = 0; j < n_meas && ok; j++) {
        if (order[j] == D_COHENS_D) {
            ok = (kd = kcols_add(&cs, "cohens_d", COL_F64, OR_DIRECTIONAL, m)) != NULL;
            if (!default_sort)
                default_sort = "cohens_d";
        } else if (order[j] == D_WELCH) {
            ok = (kt = kcols_add(&cs, "welch_t", COL_F64, OR_DIRECTIONAL, m)) &&
                 (kdf = kcols_add(&cs, "welch_df", COL_F64, OR_STRENGTH, m)) &&
                 (ktp = kcols_add(&cs, "welch_p", COL_F64, OR_SMALLER, m));
            if (!default_sort)
                default_sort = "welch_t";
        } else {
            ok = (ku = kcols_add(&cs, "mwu_u", COL_F64, OR_STRENGTH, m)) &&
                 (kup = kcols_add(&cs, "mwu_p", COL_F64, OR_SMALLER, m));
            if (!default_sort)
                default_sort = "mwu_p";
        }
    }
    if (!ok) {
        st = ls_error_nomem();
        goto done;
    }
    double n1 = (double)p1, n2 = (double)p2, nn = n1 + n2;
    size_t r = 0;
    for (uint32_t id = 0; id < nv; id++) {
        size_t s = start[id], e = start[id + 1];
        if (s == e)
            continue;
        dentry *x = sorted + s;
        size_t nz = e - s, nz1 = 0;
        double sum1 = 0, sum2 = 0;
        for (size_t i = 0; i < nz; i++) {
            if (x[i].group == 0) {
                sum1 += x[i].value;
                nz1++;
            } else {
                sum2 += x[i].value;
            }
        }
        size_t nz2 = nz - nz1;
        double m1 = sum1 / n1, m2 = sum2 / n2, ss1 = 0, ss2 = 0;
        for (size_t i = 0; i < nz; i++) {
            double dv = x[i].value - (x[i].group == 0 ? m1 : m2);
            if (x[i].group == 0)
                ss1 += dv * dv;
            else
                ss2 += dv * dv;
        }
        ss1 += (n1 - (double)nz1) * m1 * m1; /* the zeros */
        ss2 += (n2 - (double)nz2) * m2 * m2;
        ids[r] = id;
        ka->u[r] = av[id];
        kb->u[r] = bv[id];
        k1->u[r] = p1;
        k2->u[r] = p2;
        ma->f[r] = m1 * 1e6;
        mb->f[r] = m2 * 1e6;
        dir[r] = m1 > m2 ? 1 : m1 < m2 ? -1 : 0;
        double v1 = p1 > 1 ? ss1 / (n1 - 1) : NAN, v2 = p2 > 1 ? ss2 / (n2 - 1) : NAN;
        if (kd) {
            double pooled = sqrt((ss1 + ss2) / (nn - 2));
            if (!(nn > 2))
                kd->f[r] = NAN;
            else if (pooled > 0)
                kd->f[r] = (m1 - m2) / pooled;
            else
                kd->f[r] = m1 == m2 ? NAN : (m1 > m2 ? INFINITY : -INFINITY);
        }
        if (kt) {
            double se2 = v1 / n1 + v2 / n2;
            double tv = se2 > 0 ? (m1 - m2) / sqrt(se2) : NAN;
            double df =
                se2 * se2 / ((v1 / n1) * (v1 / n1) / (n1 - 1) + (v2 / n2) * (v2 / n2) / (n2 - 1));
            kt->f[r] = tv;
            kdf->f[r] = se2 > 0 ? df : NAN;
            ktp->f[r] = se2 > 0 ? t_two_sided(tv, df) : NAN;
        }
        if (ku) {
            /* Ranks: zeros tie at the bottom, then the sorted nonzero values. */
            qsort(x, nz, sizeof *x, cmp_dentry_value);
            double z = nn - (double)nz, z1 = n1 - (double)nz1;
            double r1 = z1 * (z + 1.0) / 2.0;
            double ties = z > 1 ? z * z * z - z : 0.0;
            size_t i = 0;
            while (i < nz) {
                size_t j = i;
                while (j + 1 < nz && x[j + 1].value == x[i].value)
                    j++;
                double tcount = (double)(j - i + 1);
                double rank = z + ((double)i + 1.0 + (double)j + 1.0) / 2.0;
                for (size_t q = i; q <= j; q++)
                    if (x[q].group == 0)
                        r1 += rank;
                if (tcount > 1)
                    ties += tcount * tcount * tcount - tcount;
                i = j + 1;
            }
            double u1 = r1 - n1 * (n1 + 1.0) / 2.0;
            double mu = n1 * n2 / 2.0;
            double sigma = sqrt(n1 * n2 / 12.0 * ((nn + 1.0) - ties / (nn * (nn - 1.0))));
            double ubig = u1 > n1 * n2 - u1 ? u1 : n1 * n2 - u1;
            double pz = sigma > 0 ? (ubig - mu - 0.5) / sigma : -INFINITY;
            double pv = erfc(pz / sqrt(2.0));
            ku->f[r] = u1;
            kup->f[r] = pv > 1.0 ? 1.0 : pv;
        }
        r++;
    }
    if (opts->correction != LSTATS_CORRECTION_NONE) {
        const kcol *srcs[2] = {ktp, kup};
        const char *names[2] = {"welch_p_adj", "mwu_p_adj"};
        for (int j = 0; j < 2; j++) {
            if (!srcs[j])
                continue;
            kcol *kq = kcols_add(&cs, names[j], COL_F64, OR_SMALLER, m);
            if (!kq) {
                st = ls_error_nomem();
                goto done;
            }
            if ((st = correct_p(srcs[j]->f, m, opts->correction, kq->f)))
                goto done;
        }
    }
    if ((st = emit_table(v, ids, m, &cs, dir, opts, default_sort, &t)))
        goto done;
    char mlist[128];
    size_t k = 0;
    mlist[0] = 0;
    for (int j = 0; j < n_meas; j++)
        k += (size_t)snprintf(mlist + k, sizeof mlist - k, "%s%s", j ? "," : "",
                              doc_measure_names[order[j]]);
    if ((st = set_common_meta(t, opts, m, p1, p2, "keyness_docs")) ||
        (st = ls_table_set_meta(t, "parts", opts->n_parts ? "equal" : "documents")) ||
        (st = ls_table_set_meta_u64(t, "n_parts", opts->n_parts)) ||
        (st = ls_table_set_meta_u64(t, "n_tokens_a", tot1)) ||
        (st = ls_table_set_meta_u64(t, "n_tokens_b", tot2)) ||
        (st = ls_table_set_meta(t, "measures", mlist)))
        goto done;
    *out = t;
    t = NULL;
done:
    lstats_table_free(t);
    kcols_free(&cs);
    free(dl.e);
    free(start);
    free(sorted);
    free(dir);
    free(ids);
    free(map_t);
    free(map_r);
    free(cnt);
    free(touched);
    free(av);
    free(bv);
    ls_vocab_free(v);
    return st;
}

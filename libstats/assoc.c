/* Association measures on a 2x2 contingency table (see assoc.h for the layout and the values
 * returned for zero cells). */
#include "assoc.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define LN2 0.69314718055994530942

ls_ct ls_ct_from_margins(double o11, double r1, double c1, double n)
{
    ls_ct t;
    t.o11 = o11;
    t.o12 = r1 - o11;
    t.o21 = c1 - o11;
    t.o22 = n - r1 - c1 + o11;
    return t;
}

int ls_ct_valid(const ls_ct *t)
{
    return isfinite(t->o11) && isfinite(t->o12) && isfinite(t->o21) && isfinite(t->o22) &&
           t->o11 >= 0 && t->o12 >= 0 && t->o21 >= 0 && t->o22 >= 0;
}

#define R1(t) ((t)->o11 + (t)->o12)
#define R2(t) ((t)->o21 + (t)->o22)
#define C1(t) ((t)->o11 + (t)->o21)
#define C2(t) ((t)->o12 + (t)->o22)
#define NN(t) ((t)->o11 + (t)->o12 + (t)->o21 + (t)->o22)

double ls_assoc_e11(const ls_ct *t)
{
    double n = NN(t);
    return n > 0 ? R1(t) * C1(t) / n : 0.0;
}

/* O ln(O/E) with the convention 0 ln 0 = 0 (and 0 when E = 0, which implies O = 0 for a
 * consistent table). */
static double olog(double o, double e)
{
    if (o <= 0 || e <= 0)
        return 0.0;
    return o * log(o / e);
}

double ls_assoc_g2(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    double n = NN(t);
    if (n <= 0)
        return 0.0;
    double r1 = R1(t), r2 = R2(t), c1 = C1(t), c2 = C2(t);
    double g = olog(t->o11, r1 * c1 / n) + olog(t->o12, r1 * c2 / n) + olog(t->o21, r2 * c1 / n) +
               olog(t->o22, r2 * c2 / n);
    g *= 2.0;
    return g < 0 ? 0.0 : g;
}

double ls_assoc_g2_2term(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    double n = NN(t);
    if (n <= 0)
        return 0.0;
    double c1 = C1(t);
    return 2.0 * (olog(t->o11, R1(t) * c1 / n) + olog(t->o21, R2(t) * c1 / n));
}

double ls_assoc_chi2(const ls_ct *t, int yates)
{
    if (!ls_ct_valid(t))
        return NAN;
    double n = NN(t);
    double r1 = R1(t), r2 = R2(t), c1 = C1(t), c2 = C2(t);
    if (n <= 0 || r1 <= 0 || r2 <= 0 || c1 <= 0 || c2 <= 0)
        return 0.0;
    /* |O11 - E11| = |o11 o22 - o12 o21| / N, computed from E11 to avoid cancellation in the
     * products (the same in every cell). */
    double d = fabs(t->o11 - r1 * c1 / n);
    if (yates) {
        d -= 0.5;
        if (d < 0)
            d = 0;
    }
    /* sum over cells of d^2 / E_ij = d^2 N^3 / (r1 r2 c1 c2) */
    double x = d * d * (n / r1) * (n / r2) * (n / c1) * (n / c2) / n;
    return x;
}

double ls_chi2_sf1(double x)
{
    if (isnan(x))
        return NAN;
    if (x <= 0)
        return 1.0;
    return erfc(sqrt(x / 2.0));
}

/* ---- hypergeometric probabilities (Loader's saddle-point method, as R's dhyper) ---- */

/* stirlerr(n) = ln(n!) - ln(sqrt(2 pi n) (n/e)^n) */
static double stirlerr(double n)
{
    static const double s0 = 0.083333333333333333333;       /* 1/12 */
    static const double s1 = 0.00277777777777777777778;     /* 1/360 */
    static const double s2 = 0.00079365079365079365079365;  /* 1/1260 */
    static const double s3 = 0.000595238095238095238095238; /* 1/1680 */
    static const double s4 = 0.0008417508417508417508417508;
    static const double sferr_halves[31] = {0.0,
                                            0.1534264097200273452913848,
                                            0.0810614667953272582196702,
                                            0.0548141210519176538961390,
                                            0.0413406959554092940938221,
                                            0.03316287351993628748511048,
                                            0.02767792568499833914878929,
                                            0.02374616365629749597132920,
                                            0.02079067210376509311152277,
                                            0.01848845053267318523077934,
                                            0.01664469118982119216319487,
                                            0.01513497322191737887351255,
                                            0.01387612882307074799874573,
                                            0.01281046524292022692424986,
                                            0.01189670994589177009505572,
                                            0.01110455975820691732662991,
                                            0.010411265261972096497478567,
                                            0.009799416126158803298389475,
                                            0.009255462182712732917728637,
                                            0.008768700134139385462952823,
                                            0.008330563433362871256469318,
                                            0.007934114564314020547248100,
                                            0.007573675487951840794972024,
                                            0.007244554301320383179543912,
                                            0.006942840107209529865664152,
                                            0.006665247032707682442354394,
                                            0.006408994188004207068439631,
                                            0.006171712263039457647532867,
                                            0.005951370112758847735624416,
                                            0.005746216513010115682023589,
                                            0.005554733551962801371038690};
    if (n <= 15.0) {
        double nn = n + n;
        if (nn == (int)nn)
            return sferr_halves[(int)nn];
        return lgamma(n + 1.0) - (n + 0.5) * log(n) + n - 0.918938533204672741780329736406;
    }
    double nn = n * n;
    if (n > 500)
        return (s0 - s1 / nn) / n;
    if (n > 80)
        return (s0 - (s1 - s2 / nn) / nn) / n;
    if (n > 35)
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/* bd0(x, np) = x ln(x/np) + np - x, computed without cancellation. */
static double bd0(double x, double np)
{
    if (fabs(x - np) < 0.1 * (x + np)) {
        double v = (x - np) / (x + np);
        double s = (x - np) * v;
        double ej = 2 * x * v;
        v = v * v;
        for (int j = 1; j < 1000; j++) {
            ej *= v;
            double s1 = s + ej / ((j << 1) + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
    }
    return x * log(x / np) + np - x;
}

/* ln of the binomial probability of x successes in n trials with probability p (q = 1 - p). */
static double ldbinom_raw(double x, double n, double p, double q)
{
    if (p == 0)
        return x == 0 ? 0.0 : -INFINITY;
    if (q == 0)
        return x == n ? 0.0 : -INFINITY;
    if (x == 0) {
        if (n == 0)
            return 0.0;
        return p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q);
    }
    if (x == n)
        return q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p);
    if (x < 0 || x > n)
        return -INFINITY;
    double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    double lf = 1.8378770664093454836 + log(x) + log1p(-x / n); /* ln(2 pi x (n-x)/n) */
    return lc - 0.5 * lf;
}

/* ln P(X = x) for X hypergeometric: r white balls, b black, n drawn. */
static double ldhyper(double x, double r, double b, double n)
{
    if (x < 0 || x > r || n - x < 0 || n - x > b)
        return -INFINITY;
    if (n == 0)
        return x == 0 ? 0.0 : -INFINITY;
    double p = n / (r + b), q = (r + b - n) / (r + b);
    double p1 = ldbinom_raw(x, r, p, q);
    double p2 = ldbinom_raw(n - x, b, p, q);
    double p3 = ldbinom_raw(n, r + b, p, q);
    return p1 + p2 - p3;
}

typedef struct hyper {
    double r, b, n; /* r = R1, b = R2, n = C1 drawn */
    double lo, hi;  /* support */
} hyper;

static hyper hyper_of(const ls_ct *t)
{
    hyper h;
    h.r = floor(R1(t) + 0.5);
    h.b = floor(R2(t) + 0.5);
    h.n = floor(C1(t) + 0.5);
    h.lo = h.n - h.b > 0 ? h.n - h.b : 0;
    h.hi = h.n < h.r ? h.n : h.r;
    return h;
}

static double hyper_lp(const hyper *h, double k)
{
    return ldhyper(k, h->r, h->b, h->n);
}

/* Sum of P(X = k) for k = from, from + dir, ... while in the support, where the terms decrease
 * in that direction (from is on the far side of the mode). Returned as a probability. */
static double tail_sum(const hyper *h, double from, int dir)
{
    if (from < h->lo || from > h->hi)
        return 0.0;
    double lp0 = hyper_lp(h, from);
    if (lp0 == -INFINITY)
        return 0.0;
    double term = 1.0, sum = 1.0;
    double k = from;
    for (;;) {
        double ratio;
        if (dir > 0) {
            if (k >= h->hi)
                break;
            /* P(k+1)/P(k) */
            ratio = (h->r - k) * (h->n - k) / ((k + 1) * (h->b - h->n + k + 1));
            k += 1;
        } else {
            if (k <= h->lo)
                break;
            ratio = k * (h->b - h->n + k) / ((h->r - k + 1) * (h->n - k + 1));
            k -= 1;
        }
        term *= ratio;
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return exp(lp0 + log(sum));
}

static double hyper_mode(const hyper *h)
{
    double m = floor((h->n + 1) * (h->r + 1) / (h->r + h->b + 2));
    if (m < h->lo)
        m = h->lo;
    if (m > h->hi)
        m = h->hi;
    return m;
}

static double clamp01(double p)
{
    if (p < 0)
        return 0.0;
    if (p > 1)
        return 1.0;
    return p;
}

/* P(X >= k) */
static double hyper_upper(const hyper *h, double k)
{
    if (k <= h->lo)
        return 1.0;
    if (k > h->hi)
        return 0.0;
    double m = hyper_mode(h);
    if (k > m)
        return clamp01(tail_sum(h, k, +1));
    return clamp01(1.0 - tail_sum(h, k - 1, -1));
}

/* P(X <= k) */
static double hyper_lower(const hyper *h, double k)
{
    if (k >= h->hi)
        return 1.0;
    if (k < h->lo)
        return 0.0;
    double m = hyper_mode(h);
    if (k < m)
        return clamp01(tail_sum(h, k, -1));
    return clamp01(1.0 - tail_sum(h, k + 1, +1));
}

double ls_assoc_fisher_greater(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    if (NN(t) <= 0)
        return 1.0;
    hyper h = hyper_of(t);
    return hyper_upper(&h, floor(t->o11 + 0.5));
}

double ls_assoc_fisher_less(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    if (NN(t) <= 0)
        return 1.0;
    hyper h = hyper_of(t);
    return hyper_lower(&h, floor(t->o11 + 0.5));
}

double ls_assoc_fisher_two_sided(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    if (NN(t) <= 0)
        return 1.0;
    hyper h = hyper_of(t);
    double k = floor(t->o11 + 0.5);
    double m = hyper_mode(&h);
    double lpk = hyper_lp(&h, k);
    double thr = lpk + log1p(1e-7);
    if (k == m || hyper_lp(&h, m) <= thr)
        return 1.0;
    /* find, on the other side of the mode, the first value whose probability is <= P(k) */
    double a, b; /* binary search bounds: lp(a) > thr, lp(b) <= thr or b outside */
    double p;
    if (k < m) {
        p = hyper_lower(&h, k);
        a = m;
        b = h.hi + 1;
        while (b - a > 1) {
            double mid = floor((a + b) / 2);
            if (hyper_lp(&h, mid) <= thr)
                b = mid;
            else
                a = mid;
        }
        if (b <= h.hi)
            p += tail_sum(&h, b, +1);
    } else {
        p = hyper_upper(&h, k);
        a = m;
        b = h.lo - 1;
        while (a - b > 1) {
            double mid = ceil((a + b) / 2);
            if (hyper_lp(&h, mid) <= thr)
                b = mid;
            else
                a = mid;
        }
        if (b >= h.lo)
            p += tail_sum(&h, b, -1);
    }
    return clamp01(p);
}

double ls_assoc_pmi(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    double e = ls_assoc_e11(t);
    if (e <= 0)
        return NAN;
    if (t->o11 <= 0)
        return -INFINITY;
    return log2(t->o11 / e);
}

double ls_assoc_odds_ratio(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    double num = t->o11 * t->o22, den = t->o12 * t->o21;
    if (den <= 0)
        return num > 0 ? INFINITY : NAN;
    if (num <= 0)
        return 0.0;
    /* ratio of ratios keeps large counts in range */
    return (t->o11 / t->o12) * (t->o22 / t->o21);
}

double ls_assoc_relative_risk(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    double r1 = R1(t), r2 = R2(t);
    if (r1 <= 0 || r2 <= 0)
        return NAN;
    if (t->o21 <= 0)
        return t->o11 > 0 ? INFINITY : NAN;
    if (t->o11 <= 0)
        return 0.0;
    return (t->o11 / r1) / (t->o21 / r2);
}

double ls_assoc_log_ratio(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    double r1 = R1(t), r2 = R2(t);
    if (r1 <= 0 || r2 <= 0)
        return NAN;
    double a = t->o11 > 0 ? t->o11 : 0.5;
    double b = t->o21 > 0 ? t->o21 : 0.5;
    return log2((a / r1) / (b / r2));
}

double ls_assoc_bic(const ls_ct *t)
{
    if (!ls_ct_valid(t))
        return NAN;
    double n = NN(t);
    if (n <= 0)
        return NAN;
    return ls_assoc_g2(t) - log(n);
}

/* ---- distribution helpers ---- */

double ls_gamma_p(double a, double x)
{
    if (isnan(a) || isnan(x) || a <= 0 || x < 0)
        return NAN;
    if (x == 0)
        return 0.0;
    if (isinf(x))
        return 1.0;
    double lpre = a * log(x) - x - lgamma(a);
    if (x < a + 1) {
        double ap = a, del = 1.0 / a, sum = del;
        for (int i = 0; i < 100000; i++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (fabs(del) < fabs(sum) * 1e-16)
                break;
        }
        return clamp01(sum * exp(lpre));
    }
    /* continued fraction for Q (modified Lentz) */
    double b = x + 1 - a, c = 1.0 / DBL_MIN, d = 1.0 / b, h = d;
    for (int i = 1; i < 100000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < DBL_MIN)
            d = DBL_MIN;
        c = b + an / c;
        if (fabs(c) < DBL_MIN)
            c = DBL_MIN;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return clamp01(1.0 - exp(lpre) * h);
}

static double betacf(double a, double b, double x)
{
    double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < DBL_MIN)
        d = DBL_MIN;
    d = 1 / d;
    double h = d;
    for (int m = 1; m < 100000; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < DBL_MIN)
            d = DBL_MIN;
        c = 1 + aa / c;
        if (fabs(c) < DBL_MIN)
            c = DBL_MIN;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < DBL_MIN)
            d = DBL_MIN;
        c = 1 + aa / c;
        if (fabs(c) < DBL_MIN)
            c = DBL_MIN;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-16)
            break;
    }
    return h;
}

double ls_beta_i(double a, double b, double x)
{
    if (isnan(a) || isnan(b) || isnan(x) || a <= 0 || b <= 0 || x < 0 || x > 1)
        return NAN;
    if (x == 0)
        return 0.0;
    if (x == 1)
        return 1.0;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2))
        return clamp01(exp(lbt) * betacf(a, b, x) / a);
    return clamp01(1 - exp(lbt) * betacf(b, a, 1 - x) / b);
}

double ls_norm_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (isnan(p) || p < 0 || p > 1)
        return NAN;
    if (p == 0)
        return -INFINITY;
    if (p == 1)
        return INFINITY;
    double q, r, x;
    if (p < 0.02425) {
        q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p > 1 - 0.02425) {
        q = sqrt(-2 * log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        q = p - 0.5;
        r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    /* one Halley step against erfc */
    double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
    double u = e * 2.50662827463100050242 * exp(x * x / 2);
    x = x - u / (1 + x * u / 2);
    return x;
}

/* Root of a non-decreasing function f(x) - target on [lo, hi] by bisection (in log space when
 * lo > 0), to a relative precision of about 1e-12. */
typedef double (*cdf_fn)(double x, const double *par);

static double solve_increasing(cdf_fn f, const double *par, double target, double lo, double hi,
                               int logscale)
{
    for (int i = 0; i < 200; i++) {
        double mid = logscale ? sqrt(lo * hi) : 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (f(mid, par) < target)
            lo = mid;
        else
            hi = mid;
        if ((hi - lo) <= 1e-12 * hi)
            break;
    }
    return 0.5 * (lo + hi);
}

static double gamma_cdf(double x, const double *par)
{
    return ls_gamma_p(par[0], x);
}

static double beta_cdf(double x, const double *par)
{
    return ls_beta_i(par[0], par[1], x);
}

/* Exact (Garwood) confidence limits for a Poisson mean given count k. */
static void poisson_ci(double k, double alpha, double *lo, double *hi)
{
    double par[1];
    double top = k + 50 + 20 * sqrt(k + 1);
    if (k <= 0) {
        *lo = 0;
    } else {
        par[0] = k;
        *lo = solve_increasing(gamma_cdf, par, alpha / 2, k * 1e-12 + 1e-300, top, 1);
    }
    par[0] = k + 1;
    *hi = solve_increasing(gamma_cdf, par, 1 - alpha / 2, 1e-300, top, 1);
}

/* Clopper-Pearson confidence limits for a binomial proportion, k successes in n. */
static void binom_ci(double k, double n, double alpha, double *lo, double *hi)
{
    double par[2];
    if (k <= 0) {
        *lo = 0;
    } else {
        par[0] = k;
        par[1] = n - k + 1;
        *lo = solve_increasing(beta_cdf, par, alpha / 2, 0, 1, 0);
    }
    if (k >= n) {
        *hi = 1;
    } else {
        par[0] = k + 1;
        par[1] = n - k;
        *hi = solve_increasing(beta_cdf, par, 1 - alpha / 2, 0, 1, 0);
    }
}

/* The bound of [lo, hi] nearest `null`, or null when the interval contains it. */
static double conservative(double lo, double hi, double null)
{
    if (lo > null)
        return lo;
    if (hi < null)
        return hi;
    return null;
}

static double mu_cons(const ls_ct *t, double alpha)
{
    double e = ls_assoc_e11(t);
    if (!ls_ct_valid(t) || e <= 0 || !(alpha > 0 && alpha < 1))
        return NAN;
    double lo, hi;
    poisson_ci(floor(t->o11 + 0.5), alpha, &lo, &hi);
    return conservative(lo / e, hi / e, 1.0);
}

static double log_odds_ratio_cons(const ls_ct *t, double alpha)
{
    if (!ls_ct_valid(t) || !(alpha > 0 && alpha < 1))
        return NAN;
    double a = t->o11, b = t->o12, c = t->o21, d = t->o22;
    if (a <= 0 || b <= 0 || c <= 0 || d <= 0) {
        a += 0.5;
        b += 0.5;
        c += 0.5;
        d += 0.5;
    }
    double l = log(a) + log(d) - log(b) - log(c);
    double se = sqrt(1 / a + 1 / b + 1 / c + 1 / d);
    double z = ls_norm_quantile(1 - alpha / 2);
    return conservative(l - z * se, l + z * se, 0.0);
}

static double log_ratio_cons(const ls_ct *t, double alpha)
{
    if (!ls_ct_valid(t) || !(alpha > 0 && alpha < 1))
        return NAN;
    double r1 = R1(t), r2 = R2(t);
    if (r1 <= 0 || r2 <= 0)
        return NAN;
    double k = floor(t->o11 + 0.5), n = k + floor(t->o21 + 0.5);
    if (n <= 0)
        return 0.0;
    double plo, phi;
    binom_ci(k, n, alpha, &plo, &phi);
    /* p = r1 rr / (r1 rr + r2)  <=>  rr = p r2 / ((1 - p) r1) */
    double lo = plo <= 0 ? -INFINITY : log2(plo) - log2(1 - plo) + log2(r2) - log2(r1);
    double hi = phi >= 1 ? INFINITY : log2(phi) - log2(1 - phi) + log2(r2) - log2(r1);
    return conservative(lo, hi, 0.0);
}

static double delta_p_cons(double a, double r1, double c, double r2, double alpha)
{
    if (r1 <= 0 || r2 <= 0 || !(alpha > 0 && alpha < 1))
        return NAN;
    double p1 = a / r1, p2 = c / r2;
    double se = sqrt(p1 * (1 - p1) / r1 + p2 * (1 - p2) / r2);
    double z = ls_norm_quantile(1 - alpha / 2);
    double d = p1 - p2;
    return conservative(d - z * se, d + z * se, 0.0);
}

/* ---- the measure table ---- */

static const char *const measure_names[LS_M_COUNT] = {
    [LS_M_FREQUENCY] = "frequency",
    [LS_M_COND_PROB] = "cond_prob",
    [LS_M_COND_PROB_21] = "cond_prob_21",
    [LS_M_MU] = "mu",
    [LS_M_PMI] = "pmi",
    [LS_M_MI2] = "mi2",
    [LS_M_MI3] = "mi3",
    [LS_M_NPMI] = "npmi",
    [LS_M_MI_LOG_F] = "mi_log_f",
    [LS_M_LOCAL_MI] = "local_mi",
    [LS_M_T] = "t",
    [LS_M_Z] = "z",
    [LS_M_Z_CORRECTED] = "z_corrected",
    [LS_M_Z_BERRY_ROGGHE] = "z_berry_rogghe",
    [LS_M_CHI2] = "chi2",
    [LS_M_CHI2_YATES] = "chi2_yates",
    [LS_M_PHI2] = "phi2",
    [LS_M_G2] = "g2",
    [LS_M_G2_2TERM] = "g2_2term",
    [LS_M_G2_P] = "g2_p",
    [LS_M_FISHER] = "fisher",
    [LS_M_FISHER_TWO_SIDED] = "fisher_two_sided",
    [LS_M_FISHER_LESS] = "fisher_less",
    [LS_M_POISSON_STIRLING] = "poisson_stirling",
    [LS_M_DICE] = "dice",
    [LS_M_LOGDICE] = "logdice",
    [LS_M_JACCARD] = "jaccard",
    [LS_M_MIN_SENSITIVITY] = "min_sensitivity",
    [LS_M_GMEAN] = "gmean",
    [LS_M_DELTA_P_21] = "delta_p_21",
    [LS_M_DELTA_P_12] = "delta_p_12",
    [LS_M_MUTUAL_EXPECTATION] = "mutual_expectation",
    [LS_M_ODDS_RATIO] = "odds_ratio",
    [LS_M_LOG_ODDS_RATIO] = "log_odds_ratio",
    [LS_M_RELATIVE_RISK] = "relative_risk",
    [LS_M_LOG_RATIO] = "log_ratio",
    [LS_M_BIC] = "bic",
    [LS_M_LAMBDA] = "lambda",
    [LS_M_LAMBDA_Z] = "lambda_z",
    [LS_M_MU_CONS] = "mu_cons",
    [LS_M_PMI_CONS] = "pmi_cons",
    [LS_M_LOGDICE_CONS] = "logdice_cons",
    [LS_M_ODDS_RATIO_CONS] = "odds_ratio_cons",
    [LS_M_LOG_ODDS_RATIO_CONS] = "log_odds_ratio_cons",
    [LS_M_RELATIVE_RISK_CONS] = "relative_risk_cons",
    [LS_M_LOG_RATIO_CONS] = "log_ratio_cons",
    [LS_M_DELTA_P_21_CONS] = "delta_p_21_cons",
    [LS_M_DELTA_P_12_CONS] = "delta_p_12_cons",
};

const char *ls_measure_name(ls_measure m)
{
    if ((int)m < 0 || m >= LS_M_COUNT)
        return NULL;
    return measure_names[m];
}

int ls_measure_lookup(const char *name, size_t len)
{
    if (!name)
        return -1;
    for (int i = 0; i < LS_M_COUNT; i++)
        if (strlen(measure_names[i]) == len && memcmp(measure_names[i], name, len) == 0)
            return i;
    return -1;
}

static double ratio_or_nan(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

int ls_assoc_oe(ls_measure m, double o, double e, double *out)
{
    switch (m) {
    case LS_M_FREQUENCY: *out = o; return 1;
    case LS_M_MU: *out = ratio_or_nan(o, e); return 1;
    case LS_M_PMI: *out = e > 0 ? (o > 0 ? log2(o / e) : -INFINITY) : NAN; return 1;
    case LS_M_MI2: *out = e > 0 ? (o > 0 ? log2(o) + log2(o / e) : -INFINITY) : NAN; return 1;
    case LS_M_MI3: *out = e > 0 ? (o > 0 ? 2 * log2(o) + log2(o / e) : -INFINITY) : NAN; return 1;
    case LS_M_MI_LOG_F: *out = e > 0 ? (o > 0 ? log2(o / e) * log(o + 1) : 0.0) : NAN; return 1;
    case LS_M_LOCAL_MI: *out = e > 0 ? (o > 0 ? o * log2(o / e) : 0.0) : NAN; return 1;
    case LS_M_T: *out = o > 0 ? (o - e) / sqrt(o) : (e > 0 ? -INFINITY : NAN); return 1;
    case LS_M_Z: *out = e > 0 ? (o - e) / sqrt(e) : NAN; return 1;
    case LS_M_Z_CORRECTED: {
        double d = fabs(o - e) - 0.5;
        if (d < 0)
            d = 0;
        *out = e > 0 ? (o >= e ? d : -d) / sqrt(e) : NAN;
        return 1;
    }
    case LS_M_POISSON_STIRLING:
        *out = e > 0 ? (o > 0 ? o * (log(o) - log(e) - 1) : 0.0) : NAN;
        return 1;
    default: return 0;
    }
}

double ls_assoc_score(ls_measure m, const ls_ct *t, double alpha)
{
    if (!ls_ct_valid(t))
        return NAN;
    double o = t->o11, n = NN(t), r1 = R1(t), r2 = R2(t), c1 = C1(t), c2 = C2(t);
    double e = ls_assoc_e11(t), v;
    if (ls_assoc_oe(m, o, e, &v))
        return v;
    switch (m) {
    case LS_M_COND_PROB: return ratio_or_nan(o, r1);
    case LS_M_COND_PROB_21: return ratio_or_nan(o, c1);
    case LS_M_NPMI: {
        if (e <= 0)
            return NAN;
        if (o <= 0)
            return -1.0;
        double pmi = log2(o / e);
        double den = -log2(o / n);
        if (den <= 0)
            return pmi == 0 ? 0.0 : 1.0;
        return pmi / den;
    }
    case LS_M_Z_BERRY_ROGGHE: {
        /* node frequency R1, span 1: p = C1 / (N - R1), E = p R1 */
        if (n - r1 <= 0)
            return NAN;
        double p = c1 / (n - r1);
        double eb = p * r1;
        double v = eb * (1 - p);
        return v > 0 ? (o - eb) / sqrt(v) : NAN;
    }
    case LS_M_CHI2: return ls_assoc_chi2(t, 0);
    case LS_M_CHI2_YATES: return ls_assoc_chi2(t, 1);
    case LS_M_PHI2: return n > 0 ? ls_assoc_chi2(t, 0) / n : NAN;
    case LS_M_G2: return ls_assoc_g2(t);
    case LS_M_G2_2TERM: return ls_assoc_g2_2term(t);
    case LS_M_G2_P: return ls_chi2_sf1(ls_assoc_g2(t));
    case LS_M_FISHER: return ls_assoc_fisher_greater(t);
    case LS_M_FISHER_TWO_SIDED: return ls_assoc_fisher_two_sided(t);
    case LS_M_FISHER_LESS: return ls_assoc_fisher_less(t);
    case LS_M_DICE: return ratio_or_nan(2 * o, r1 + c1);
    case LS_M_LOGDICE:
        if (r1 + c1 <= 0)
            return NAN;
        return o > 0 ? 14 + log2(2 * o / (r1 + c1)) : -INFINITY;
    case LS_M_JACCARD: return ratio_or_nan(o, o + t->o12 + t->o21);
    case LS_M_MIN_SENSITIVITY:
        if (r1 <= 0 || c1 <= 0)
            return NAN;
        return fmin(o / r1, o / c1);
    case LS_M_GMEAN:
        if (r1 <= 0 || c1 <= 0)
            return NAN;
        return o / sqrt(r1 * c1);
    case LS_M_DELTA_P_21:
        if (r1 <= 0 || r2 <= 0)
            return NAN;
        return o / r1 - t->o21 / r2;
    case LS_M_DELTA_P_12:
        if (c1 <= 0 || c2 <= 0)
            return NAN;
        return o / c1 - t->o12 / c2;
    case LS_M_MUTUAL_EXPECTATION:
        if (n <= 0 || r1 + c1 <= 0)
            return NAN;
        return (o / n) * (2 * o / (r1 + c1));
    case LS_M_ODDS_RATIO: return ls_assoc_odds_ratio(t);
    case LS_M_LOG_ODDS_RATIO: {
        double r = ls_assoc_odds_ratio(t);
        if (isnan(r))
            return NAN;
        if (r == 0)
            return -INFINITY;
        if (isinf(r))
            return INFINITY;
        return log(t->o11) + log(t->o22) - log(t->o12) - log(t->o21);
    }
    case LS_M_RELATIVE_RISK: return ls_assoc_relative_risk(t);
    case LS_M_LOG_RATIO: return ls_assoc_log_ratio(t);
    case LS_M_BIC: return ls_assoc_bic(t);
    case LS_M_LAMBDA:
        return log(t->o11 + 0.5) + log(t->o22 + 0.5) - log(t->o12 + 0.5) - log(t->o21 + 0.5);
    case LS_M_LAMBDA_Z: {
        double l = log(t->o11 + 0.5) + log(t->o22 + 0.5) - log(t->o12 + 0.5) - log(t->o21 + 0.5);
        double se =
            sqrt(1 / (t->o11 + 0.5) + 1 / (t->o12 + 0.5) + 1 / (t->o21 + 0.5) + 1 / (t->o22 + 0.5));
        return l / se;
    }
    case LS_M_MU_CONS: return mu_cons(t, alpha);
    case LS_M_PMI_CONS: {
        double v = mu_cons(t, alpha);
        if (isnan(v))
            return NAN;
        return v > 0 ? log2(v) : -INFINITY;
    }
    case LS_M_LOGDICE_CONS: {
        if (r1 + c1 <= 0 || !(alpha > 0 && alpha < 1))
            return NAN;
        double lo, hi;
        poisson_ci(floor(o + 0.5), alpha, &lo, &hi);
        (void)hi;
        return lo > 0 ? 14 + log2(2 * lo / (r1 + c1)) : -INFINITY;
    }
    case LS_M_ODDS_RATIO_CONS: {
        double v = log_odds_ratio_cons(t, alpha);
        return isnan(v) ? NAN : exp(v);
    }
    case LS_M_LOG_ODDS_RATIO_CONS: return log_odds_ratio_cons(t, alpha);
    case LS_M_RELATIVE_RISK_CONS: {
        double v = log_ratio_cons(t, alpha);
        return isnan(v) ? NAN : exp2(v);
    }
    case LS_M_LOG_RATIO_CONS: return log_ratio_cons(t, alpha);
    case LS_M_DELTA_P_21_CONS: return delta_p_cons(o, r1, t->o21, r2, alpha);
    case LS_M_DELTA_P_12_CONS: return delta_p_cons(o, c1, t->o12, c2, alpha);
    default: break; /* the measures of ls_assoc_oe, and LS_M_COUNT */
    }
    return NAN;
}

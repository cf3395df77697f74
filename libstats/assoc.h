/* Internal: association measures as pure functions of a 2x2 contingency table.
 *
 * Layout (Evert's notation). Rows: "w1 present" / "w1 absent" (for keyness: row 1 = target
 * corpus, row 2 = reference corpus). Columns: "w2 present" / "w2 absent" (for keyness: column 1
 * = the term, column 2 = every other token).
 *
 *            w2      !w2
 *   w1       o11     o12     R1 = o11 + o12
 *   !w1      o21     o22     R2 = o21 + o22
 *            C1      C2      N
 *
 * So a keyness caller with target size N1, reference size N2 and frequencies a, b passes
 * o11 = a, o12 = N1 - a, o21 = b, o22 = N2 - b; then relative_risk = (a/N1)/(b/N2) and
 * log_ratio = log2 of it, and g2_2term = 2(a ln(a/E11) + b ln(b/E21)) (the UCREL/WordSmith
 * 2-term form).
 *
 * Every function is pure (no state, no errno, no allocation) and never traps on zero cells:
 * the values returned for zero cells, O11 = 0, E11 = 0 or N = 0 are documented per function
 * and in the README ("Collocations" section). Cells are doubles holding non-negative integers;
 * negative or non-finite cells give NaN. Logarithms are natural unless the name says log2. */
#ifndef LS_ASSOC_H
#define LS_ASSOC_H

#include <stddef.h>

typedef struct ls_ct {
    double o11, o12, o21, o22;
} ls_ct;

/* A table from the joint count and the margins: o12 = r1 - o11, o21 = c1 - o11,
 * o22 = n - r1 - c1 + o11. */
ls_ct ls_ct_from_margins(double o11, double r1, double c1, double n);

/* 1 when every cell is finite and >= 0. */
int ls_ct_valid(const ls_ct *t);

/* Expected count of cell (1,1) under independence, R1 C1 / N; 0 when N = 0. */
double ls_assoc_e11(const ls_ct *t);

/* ---- the functions the keyness module uses (stable signatures) ---- */

/* G2 = 2 sum O ln(O/E) over the four cells, computed cell by cell (cells with O = 0 contribute
 * 0). Unsigned (>= 0; tiny negative rounding is clamped to 0). 0 when N = 0 or a margin is 0. */
double ls_assoc_g2(const ls_ct *t);
/* 2 (o11 ln(o11/E11) + o21 ln(o21/E21)): the 2-term form over the first column (keyness:
 * the term's frequency in target and reference). Zero cells contribute 0; may be negative for
 * collocations; 0 when N = 0. */
double ls_assoc_g2_2term(const ls_ct *t);
/* Pearson chi-square N (o11 o22 - o12 o21)^2 / (R1 R2 C1 C2); with yates != 0 the Yates
 * correction N (max(|o11 o22 - o12 o21| - N/2, 0))^2 / (R1 R2 C1 C2), i.e. |O - E| - 0.5
 * clamped at 0 in every cell. 0 when N = 0 or any margin is 0. */
double ls_assoc_chi2(const ls_ct *t, int yates);
/* Upper tail of the chi-square distribution with 1 d.f.: erfc(sqrt(x/2)). 1 for x <= 0 or NaN
 * -> NaN; 0 for +inf. */
double ls_chi2_sf1(double x);
/* Fisher's exact test on the table (cells rounded to integers), hypergeometric with fixed
 * margins, summed in log space (no overflow for corpus-sized margins).
 * greater: P(X >= o11) (attraction); less: P(X <= o11); two_sided: sum of the probabilities
 * of every table no more likely than the observed one (relative tolerance 1e-7, as scipy).
 * 1 when N = 0. Results are clamped to [0, 1]. */
double ls_assoc_fisher_greater(const ls_ct *t);
double ls_assoc_fisher_less(const ls_ct *t);
double ls_assoc_fisher_two_sided(const ls_ct *t);
/* PMI = log2(o11 / E11). o11 = 0 -> -inf; E11 = 0 (or N = 0) -> NaN. */
double ls_assoc_pmi(const ls_ct *t);
/* Odds ratio (o11 o22) / (o12 o21) without smoothing. Denominator 0: +inf if the numerator
 * is > 0, NaN if it is 0. Numerator 0 and denominator > 0: 0. */
double ls_assoc_odds_ratio(const ls_ct *t);
/* Relative risk (o11/R1) / (o21/R2). R1 = 0 or R2 = 0 -> NaN; o21 = 0: +inf if o11 > 0, NaN
 * if o11 = 0; o11 = 0 and o21 > 0 -> 0. */
double ls_assoc_relative_risk(const ls_ct *t);
/* Hardie's Log Ratio log2((o11/R1) / (o21/R2)) where a zero o11 or o21 is replaced by 0.5
 * (only the zero cell; margins unchanged). R1 = 0 or R2 = 0 -> NaN. */
double ls_assoc_log_ratio(const ls_ct *t);
/* BIC (Wilson 2013) = G2 - ln N (4-cell G2, 1 d.f.). N = 0 -> NaN. */
double ls_assoc_bic(const ls_ct *t);

/* ---- every measure by name ---- */

typedef enum ls_measure {
    LS_M_FREQUENCY,          /* o11 */
    LS_M_COND_PROB,          /* o11 / R1 (P(w2 | w1)); R1 = 0 -> NaN */
    LS_M_COND_PROB_21,       /* o11 / C1 (P(w1 | w2)); C1 = 0 -> NaN */
    LS_M_MU,                 /* o11 / E11; E11 = 0 -> NaN */
    LS_M_PMI,                /* log2(o11/E11) */
    LS_M_MI2,                /* log2(o11^2/E11) */
    LS_M_MI3,                /* log2(o11^3/E11) */
    LS_M_NPMI,               /* pmi / -log2(o11/N); o11 = N -> 1 (if pmi = 0: 0); o11 = 0 -> -1 */
    LS_M_MI_LOG_F,           /* pmi * ln(o11 + 1); o11 = 0 -> 0 */
    LS_M_LOCAL_MI,           /* o11 * log2(o11/E11); o11 = 0 -> 0 */
    LS_M_T,                  /* (o11 - E11) / sqrt(o11); o11 = 0 -> -inf if E11 > 0, else NaN */
    LS_M_Z,                  /* (o11 - E11) / sqrt(E11); E11 = 0 -> NaN */
    LS_M_Z_CORRECTED,        /* (|o11 - E11| - 0.5 clamped at 0, signed) / sqrt(E11) */
    LS_M_Z_BERRY_ROGGHE,     /* span-based z: p = C1/(N - R1), E = p R1, (o11 - E)/sqrt(E(1-p)) */
    LS_M_CHI2,               /* ls_assoc_chi2(t, 0) */
    LS_M_CHI2_YATES,         /* ls_assoc_chi2(t, 1) */
    LS_M_PHI2,               /* chi2 / N */
    LS_M_G2,                 /* ls_assoc_g2 */
    LS_M_G2_2TERM,           /* ls_assoc_g2_2term */
    LS_M_G2_P,               /* ls_chi2_sf1(g2) */
    LS_M_FISHER,             /* ls_assoc_fisher_greater */
    LS_M_FISHER_TWO_SIDED,   /* ls_assoc_fisher_two_sided */
    LS_M_FISHER_LESS,        /* ls_assoc_fisher_less (NLTK's "fisher" score) */
    LS_M_POISSON_STIRLING,   /* o11 (ln o11 - ln E11 - 1); o11 = 0 -> 0; E11 = 0 -> NaN */
    LS_M_DICE,               /* 2 o11 / (R1 + C1); R1 + C1 = 0 -> NaN */
    LS_M_LOGDICE,            /* 14 + log2(dice); o11 = 0 -> -inf */
    LS_M_JACCARD,            /* o11 / (o11 + o12 + o21); denominator 0 -> NaN */
    LS_M_MIN_SENSITIVITY,    /* min(o11/R1, o11/C1); a zero margin -> NaN */
    LS_M_GMEAN,              /* o11 / sqrt(R1 C1); a zero margin -> NaN */
    LS_M_DELTA_P_21,         /* P(w2|w1) - P(w2|!w1) = o11/R1 - o21/R2; zero row margin -> NaN */
    LS_M_DELTA_P_12,         /* P(w1|w2) - P(w1|!w2) = o11/C1 - o12/C2; zero col margin -> NaN */
    LS_M_MUTUAL_EXPECTATION, /* (o11 / N) * dice; N = 0 -> NaN */
    LS_M_ODDS_RATIO,         /* ls_assoc_odds_ratio */
    LS_M_LOG_ODDS_RATIO,     /* ln(odds_ratio): -inf, +inf or NaN as the ratio */
    LS_M_RELATIVE_RISK,      /* ls_assoc_relative_risk */
    LS_M_LOG_RATIO,          /* ls_assoc_log_ratio */
    LS_M_BIC,                /* ls_assoc_bic */
    LS_M_LAMBDA,             /* ln((o11+.5)(o22+.5)/((o12+.5)(o21+.5))) (Blaheta & Johnson) */
    LS_M_LAMBDA_Z,           /* lambda / sqrt(sum 1/(o_ij + .5)) */
    /* conservative variants: the confidence-interval bound nearest the null value at level
     * (1 - alpha) two-sided; the null value itself when the interval contains it. */
    LS_M_MU_CONS,             /* exact Poisson bound on o11 / E11 (null 1) */
    LS_M_PMI_CONS,            /* log2 of the mu bound (null 0) */
    LS_M_LOGDICE_CONS,        /* 14 + log2(2 L / (R1 + C1)) with the Poisson lower bound L */
    LS_M_ODDS_RATIO_CONS,     /* exp of the log_odds_ratio bound (null 1) */
    LS_M_LOG_ODDS_RATIO_CONS, /* Wald bound, 0.5 added to every cell when a cell is 0 */
    LS_M_RELATIVE_RISK_CONS,  /* 2^log_ratio_cons (null 1) */
    LS_M_LOG_RATIO_CONS,  /* Evert's LRC: Clopper-Pearson bound on o11/(o11+o21), no Bonferroni */
    LS_M_DELTA_P_21_CONS, /* Wald bound on a difference of proportions (null 0) */
    LS_M_DELTA_P_12_CONS,
    LS_M_COUNT
} ls_measure;

/* Lower-case name of a measure ("g2", "logdice", "pmi_cons"...); NULL when out of range. */
const char *ls_measure_name(ls_measure m);
/* The measure of a name (exact, case-sensitive); -1 when unknown. */
int ls_measure_lookup(const char *name, size_t len);
/* The measures that depend only on the observed and expected joint counts, for a 2x2 table or
 * an n-gram's 2^n table alike: *out set and 1 returned; 0 for any other measure. */
int ls_assoc_oe(ls_measure m, double o, double e, double *out);
/* Score of measure m on table t; `alpha` (0 < alpha < 1) is used by the *_cons measures only. */
double ls_assoc_score(ls_measure m, const ls_ct *t, double alpha);

/* ---- distribution helpers (used by the conservative variants) ---- */

/* Regularized lower incomplete gamma P(a, x), a > 0, x >= 0. */
double ls_gamma_p(double a, double x);
/* Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1. */
double ls_beta_i(double a, double b, double x);
/* Standard normal quantile (Acklam's algorithm refined by one Halley step), 0 < p < 1. */
double ls_norm_quantile(double p);

#endif

/* Script variants: Traditional/Simplified classification of Han characters, ratios with Wilson
 * intervals and labels, script mix, variant terms, folding and the pinyin-annotation cleanup.
 * The per-code-point classes come from hanzi_table.c, generated at build time by
 * gen/gen_hanzi_table.c from ICU's Hant-Hans and Hans-Hant transforms (README "Scripts"). */
#include "scripts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "corpus_impl.h"
#include "error.h"
#include "scripts_table.h"
#include "table.h"
#include "text.h"

/* ------------------------------------------------------------------ per code point */

int lstats_han_class(uint32_t cp)
{
    return (int)(ls_han_entry(cp) & LS_HAN_CLASS_MASK);
}

static uint32_t lookup_pair(const ls_han_pair *p, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].from < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && p[lo].from == cp ? p[lo].to : cp;
}

static uint32_t fold_cp(uint32_t cp, unsigned entry, int fold)
{
    if (fold == LSTATS_FOLD_SIMPLIFIED && (entry & LS_HAN_FOLD_S))
        return lookup_pair(ls_han_fold_simp, ls_han_fold_simp_n, cp);
    if (fold == LSTATS_FOLD_TRADITIONAL && (entry & LS_HAN_FOLD_T))
        return lookup_pair(ls_han_fold_trad, ls_han_fold_trad_n, cp);
    return cp;
}

uint32_t lstats_han_fold(uint32_t cp, int32_t fold)
{
    return fold_cp(cp, ls_han_entry(cp), fold);
}

/* ------------------------------------------------------------------ counting */

void ls_script_count(const char *text, size_t len, uint64_t counts[LS_HAN_NCLASS])
{
    const unsigned char *s = (const unsigned char *)text;
    uint64_t c[LS_HAN_NCLASS] = {0};
    size_t i = 0;
    while (i < len) {
        unsigned b = s[i];
        if (b < 0x80) {
            /* ASCII: eight bytes at a time. */
            i++;
            while (i + 8 <= len) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ULL)
                    break;
                i += 8;
            }
            while (i < len && s[i] < 0x80)
                i++;
            continue;
        }
        uint32_t cp;
        if (b >= 0xE0 && b < 0xF0 && i + 2 < len) {
            cp = ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
            i += 3;
        } else if (b >= 0xF0 && i + 3 < len) {
            cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
                 (s[i + 3] & 0x3Fu);
            i += 4;
        } else {
            /* two-byte sequences (never Han) and truncated tails */
            c[0]++;
            i += b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            continue;
        }
        c[ls_han_entry(cp) & LS_HAN_CLASS_MASK]++;
    }
    for (int k = 0; k < LS_HAN_NCLASS; k++)
        counts[k] += c[k];
}

/* ------------------------------------------------------------------ folding */

static size_t put_utf8(char *o, uint32_t cp)
{
    unsigned char *u = (unsigned char *)o;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the code point at s[i] (valid UTF-8), setting *n to its length. */
static uint32_t get_utf8(const unsigned char *s, size_t i, size_t len, size_t *n)
{
    unsigned b = s[i];
    if (b < 0x80 || i + 1 >= len) {
        *n = 1;
        return b;
    }
    if (b < 0xE0) {
        *n = 2;
        return ((b & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
    }
    if (b < 0xF0) {
        if (i + 2 >= len) {
            *n = len - i;
            return 0xFFFD;
        }
        *n = 3;
        return ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
    }
    if (i + 3 >= len) {
        *n = len - i;
        return 0xFFFD;
    }
    *n = 4;
    return ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
           (s[i + 3] & 0x3Fu);
}

/* Folds s into out (capacity cap; every code point folds to at most 4 bytes); returns the
 * length the result needs, or SIZE_MAX when nothing changes. */
static size_t fold_into(int fold, const char *s, size_t len, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0, changed = 0;
    while (i < len) {
        size_t n;
        if (u[i] < 0xE3) {
            n = u[i] < 0x80 ? 1 : u[i] < 0xE0 ? 2 : 3;
            if (n > len - i)
                n = len - i;
            if (o + n <= cap)
                memcpy(out + o, s + i, n);
            o += n;
            i += n;
            continue;
        }
        uint32_t cp = get_utf8(u, i, len, &n);
        unsigned e = ls_han_entry(cp);
        uint32_t f = (e & (LS_HAN_FOLD_S | LS_HAN_FOLD_T)) ? fold_cp(cp, e, fold) : cp;
        if (f != cp) {
            char tmp[4];
            size_t m = put_utf8(tmp, f);
            if (o + m <= cap)
                memcpy(out + o, tmp, m);
            o += m;
            changed = 1;
        } else {
            if (o + n <= cap)
                memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    return changed ? o : SIZE_MAX;
}

lstats_status ls_script_fold(int fold, const char *s, size_t len, char **buf, size_t *cap,
                             const char **out, size_t *out_len)
{
    *out = s;
    *out_len = len;
    if (fold == LSTATS_FOLD_NONE)
        return LSTATS_OK;
    /* Quick reject: no byte that can start a Han character (U+3006 and up: E3..F4). */
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len && u[i] < 0xE3)
        i++;
    if (i == len)
        return LSTATS_OK;
    size_t need = len + 8; /* a fold changes a 3-byte into at most a 4-byte sequence */
    size_t max = len / 3 * 4 + 8;
    if (max > need)
        need = max;
    if (need > *cap) {
        char *p = realloc(*buf, need);
        if (!p)
            return ls_error_nomem();
        *buf = p;
        *cap = need;
    }
    size_t n = fold_into(fold, s, len, *buf, *cap);
    if (n != SIZE_MAX) {
        *out = *buf;
        *out_len = n;
    }
    return LSTATS_OK;
}

lstats_status lstats_han_fold_text(const char *text, size_t len, int32_t fold, char *out,
                                   size_t cap, size_t *len_out)
{
    if ((!text && len) || !len_out || (!out && cap))
        return ls_error(LSTATS_EINVAL, "text, out or len_out is NULL");
    if (fold < LSTATS_FOLD_NONE || fold > LSTATS_FOLD_TRADITIONAL)
        return ls_error(LSTATS_EINVAL, "unknown fold_script value %d", (int)fold);
    size_t bad;
    if (len && !ls_table_utf8_valid(text, len, &bad))
        return ls_error(LSTATS_EUTF8, "invalid UTF-8 at byte offset %zu", bad);
    size_t n = fold == LSTATS_FOLD_NONE ? SIZE_MAX : fold_into(fold, text, len, out, cap);
    if (n == SIZE_MAX) {
        n = len;
        if (n <= cap && len)
            memcpy(out, text, len);
    }
    *len_out = n;
    if (n > cap)
        return ls_error(LSTATS_EBUFS, "the folded text needs %zu bytes, the buffer has %zu", n,
                        cap);
    return LSTATS_OK;
}

/* ------------------------------------------------------------------ cleanup */

static int is_open_paren(const unsigned char *s, size_t i, size_t len, size_t *n)
{
    if (s[i] == '(') {
        *n = 1;
        return 1;
    }
    if (s[i] == 0xEF && i + 2 < len && s[i + 1] == 0xBC && s[i + 2] == 0x88) { /* U+FF08 */
        *n = 3;
        return 1;
    }
    return 0;
}

/* Vowels of pinyin: 0 not a vowel, 1 plain, 2 with a tone mark. */
static int pinyin_vowel(uint32_t c)
{
    switch (c) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 0xFC: /* ü */ return 1;
    case 0x101:
    case 0xE1:
    case 0x1CE:
    case 0xE0: /* ā á ǎ à */
    case 0x113:
    case 0xE9:
    case 0x11B:
    case 0xE8: /* ē é ě è */
    case 0x12B:
    case 0xED:
    case 0x1D0:
    case 0xEC: /* ī í ǐ ì */
    case 0x14D:
    case 0xF3:
    case 0x1D2:
    case 0xF2: /* ō ó ǒ ò */
    case 0x16B:
    case 0xFA:
    case 0x1D4:
    case 0xF9: /* ū ú ǔ ù */
    case 0x1D6:
    case 0x1D8:
    case 0x1DA:
    case 0x1DC: /* ǖ ǘ ǚ ǜ */
    case 0x1EBF:
    case 0x1EC1: /* ế ề */ return 2;
    default: return 0;
    }
}

/* The length of `(syllable)` at s[i] (after the opening parenthesis of length `open`), or 0:
 * an optional initial, one to three vowels with exactly one tone mark, an optional n, ng or r,
 * then `)` or U+FF09. */
static size_t pinyin_annotation(const unsigned char *s, size_t i, size_t len, size_t open)
{
    static const char *const initials[] = {"zh", "ch", "sh", "b", "p", "m", "f", "d",
                                           "t",  "n",  "l",  "g", "k", "h", "j", "q",
                                           "x",  "r",  "z",  "c", "s", "y", "w"};
    size_t p = i + open;
    for (size_t k = 0; k < sizeof initials / sizeof *initials; k++) {
        size_t m = strlen(initials[k]);
        if (p + m <= len && memcmp(s + p, initials[k], m) == 0) {
            p += m;
            break;
        }
    }
    int vowels = 0, marks = 0;
    while (p < len && vowels < 4) {
        size_t n;
        uint32_t c = get_utf8(s, p, len, &n);
        int v = pinyin_vowel(c);
        if (!v)
            break;
        vowels++;
        marks += v == 2;
        p += n;
    }
    if (vowels < 1 || vowels > 3 || marks != 1)
        return 0;
    if (p + 1 < len && s[p] == 'n' && s[p + 1] == 'g')
        p += 2;
    else if (p < len && (s[p] == 'n' || s[p] == 'r'))
        p += 1;
    if (p < len && s[p] == ')')
        return p + 1 - i;
    if (p + 2 < len && s[p] == 0xEF && s[p + 1] == 0xBC && s[p + 2] == 0x89) /* U+FF09 */
        return p + 3 - i;
    return 0;
}

size_t ls_cleanup_apply(uint32_t rules, const char *in, size_t len, char *out, uint64_t *removed)
{
    const unsigned char *s = (const unsigned char *)in;
    if (!(rules & LSTATS_CLEANUP_PINYIN_ANNOTATIONS)) {
        if (len)
            memmove(out, in, len);
        return len;
    }
    size_t o = 0, copied = 0;
    for (size_t i = 1; i < len; i++) {
        size_t open;
        if ((s[i] != '(' && s[i] != 0xEF) || !is_open_paren(s, i, len, &open))
            continue;
        /* The code point before the parenthesis must be a Han character. */
        size_t b = i - 1;
        while (b > 0 && (s[b] & 0xC0) == 0x80)
            b--;
        size_t n;
        uint32_t prev = get_utf8(s, b, len, &n);
        if (b + n != i || (ls_han_entry(prev) & LS_HAN_CLASS_MASK) == LSTATS_HAN_NONE)
            continue;
        size_t m = pinyin_annotation(s, i, len, open);
        if (!m)
            continue;
        memmove(out + o, in + copied, i - copied);
        o += i - copied;
        copied = i + m;
        i += m - 1;
        (*removed)++;
    }
    memmove(out + o, in + copied, len - copied);
    return o + len - copied;
}

lstats_status lstats_cleanup_text(const char *text, size_t len, uint32_t cleanup, char *out,
                                  size_t *len_out, uint64_t *removed_out)
{
    if ((!text && len) || (!out && len) || !len_out)
        return ls_error(LSTATS_EINVAL, "text, out or len_out is NULL");
    if (cleanup & ~LSTATS_CLEANUP_PINYIN_ANNOTATIONS)
        return ls_error(LSTATS_EINVAL, "unknown cleanup flags 0x%x", (unsigned)cleanup);
    size_t bad;
    if (len && !ls_table_utf8_valid(text, len, &bad))
        return ls_error(LSTATS_EUTF8, "invalid UTF-8 at byte offset %zu", bad);
    uint64_t removed = 0;
    *len_out = len ? ls_cleanup_apply(cleanup, text, len, out, &removed) : 0;
    if (removed_out)
        *removed_out = removed;
    return LSTATS_OK;
}

/* ------------------------------------------------------------------ options */

lstats_status lstats_script_options_init(lstats_script_options *opts, uint32_t version)
{
    if (!opts)
        return ls_error(LSTATS_EINVAL, "opts is NULL");
    if (version != LSTATS_SCRIPT_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "script options version %u is not supported (want %u)",
                        version, LSTATS_SCRIPT_OPTIONS_VERSION);
    memset(opts, 0, sizeof *opts);
    opts->version = version;
    opts->by = LSTATS_SCRIPTS_BY_DOCUMENT;
    opts->traditional_min = 0.9;
    opts->simplified_max = 0.1;
    opts->confidence = 0.95;
    opts->min_count = 1;
    opts->errors = LSTATS_ERRORS_STRICT;
    return LSTATS_OK;
}

static lstats_status check_script_options(const lstats_script_options *o)
{
    if (o->version != LSTATS_SCRIPT_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "script options version %u is not supported (want %u)",
                        o->version, LSTATS_SCRIPT_OPTIONS_VERSION);
    if (o->by != LSTATS_SCRIPTS_BY_DOCUMENT && o->by != LSTATS_SCRIPTS_BY_CORPUS)
        return ls_error(LSTATS_EINVAL, "by must be document (0) or corpus (1), not %d", o->by);
    if (!(o->confidence > 0 && o->confidence < 1))
        return ls_error(LSTATS_EINVAL, "confidence must be in (0, 1), not %g", o->confidence);
    if (!(o->traditional_min >= 0 && o->traditional_min <= 1) ||
        !(o->simplified_max >= 0 && o->simplified_max <= 1) ||
        !(o->simplified_max < o->traditional_min))
        return ls_error(LSTATS_EINVAL,
                        "thresholds must satisfy 0 <= simplified_max (%g) < traditional_min (%g) "
                        "<= 1",
                        o->simplified_max, o->traditional_min);
    if (o->errors != LSTATS_ERRORS_STRICT && o->errors != LSTATS_ERRORS_REPLACE)
        return ls_error(LSTATS_EINVAL, "unknown errors value %d", o->errors);
    return LSTATS_OK;
}

/* ------------------------------------------------------------------ ratios and labels */

/* The standard normal quantile (Acklam's rational approximation, one Halley step with erfc:
 * relative error below 1e-15). */
static double norm_ppf(double p)
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
    double x;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p > 1 - 0.02425) {
        double q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    double e = 0.5 * erfc(-x / sqrt(2)) - p;
    double u = e * 2.5066282746310002 * exp(x * x / 2); /* sqrt(2 pi) */
    return x - u / (1 + x * u / 2);
}

/* Wilson score interval for k successes in n trials; [0, 1] when n = 0. */
static void wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double nn = (double)n, p = (double)k / nn, z2 = z * z;
    double denom = 1 + z2 / nn;
    double center = (p + z2 / (2 * nn)) / denom;
    double half = z / denom * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = center - half < 0 ? 0 : center - half;
    *hi = center + half > 1 ? 1 : center + half;
}

static const char *label_of(const uint64_t h[LS_HAN_NCLASS], double ratio,
                            const lstats_script_options *o)
{
    uint64_t han = h[1] + h[2] + h[3] + h[4];
    if (han == 0)
        return "None";
    if (h[LSTATS_HAN_TRADITIONAL] + h[LSTATS_HAN_SIMPLIFIED] == 0)
        return "Ambiguous";
    if (ratio >= o->traditional_min)
        return "Traditional";
    if (ratio <= o->simplified_max)
        return "Simplified";
    return "Mixed";
}

/* The script-variant table of n rows from names[i] and counts[i][class]. */
static lstats_status variants_table(size_t n, const char *const *names,
                                    const uint64_t (*counts)[LS_HAN_NCLASS],
                                    const lstats_script_options *o, lstats_table **out)
{
    static const char *const ucols[] = {"han", "traditional", "simplified", "shared", "variant"};
    static const char *const fcols[] = {"ratio_trad", "ci_low", "ci_high"};
    lstats_status st = LSTATS_OK;
    lstats_table *t = ls_table_new(n);
    const char **labels = malloc((n ? n : 1) * sizeof *labels);
    uint64_t *u[5] = {0};
    double *f[3] = {0};
    int failed = !t || !labels;
    for (int k = 0; k < 5; k++)
        failed |= !(u[k] = malloc((n ? n : 1) * sizeof(uint64_t)));
    for (int k = 0; k < 3; k++)
        failed |= !(f[k] = malloc((n ? n : 1) * sizeof(double)));
    if (failed) {
        st = ls_error_nomem();
        goto done;
    }
    double z = norm_ppf(0.5 + o->confidence / 2);
    for (size_t i = 0; i < n; i++) {
        const uint64_t *h = counts[i];
        uint64_t trad = h[LSTATS_HAN_TRADITIONAL], simp = h[LSTATS_HAN_SIMPLIFIED];
        u[0][i] = h[1] + h[2] + h[3] + h[4];
        u[1][i] = trad;
        u[2][i] = simp;
        u[3][i] = h[LSTATS_HAN_SHARED];
        u[4][i] = h[LSTATS_HAN_VARIANT];
        f[0][i] = trad + simp ? (double)trad / (double)(trad + simp) : NAN;
        wilson(trad, trad + simp, z, &f[1][i], &f[2][i]);
        labels[i] = label_of(h, f[0][i], o);
    }
    if ((st = ls_table_add_cstrings(t, "document", names, n)))
        goto done;
    for (int k = 0; k < 5; k++) {
        st = ls_table_add_u64(t, ucols[k], u[k]);
        u[k] = NULL;
        if (st)
            goto done;
    }
    for (int k = 0; k < 3; k++) {
        st = ls_table_add_f64(t, fcols[k], f[k]);
        f[k] = NULL;
        if (st)
            goto done;
    }
    char buf[64];
    if ((st = ls_table_add_cstrings(t, "label", labels, n)) ||
        (st = ls_table_set_meta(t, "kind", "script_variants")) ||
        (st =
             ls_table_set_meta(t, "by", o->by == LSTATS_SCRIPTS_BY_CORPUS ? "corpus" : "document")))
        goto done;
    snprintf(buf, sizeof buf, "%.17g", o->traditional_min);
    if ((st = ls_table_set_meta(t, "traditional_min", buf)))
        goto done;
    snprintf(buf, sizeof buf, "%.17g", o->simplified_max);
    if ((st = ls_table_set_meta(t, "simplified_max", buf)))
        goto done;
    snprintf(buf, sizeof buf, "%.17g", o->confidence);
    if ((st = ls_table_set_meta(t, "confidence", buf)) ||
        (st = ls_table_set_meta(t, "han_table_icu_version", ls_han_icu_version)))
        goto done;
    *out = t;
    t = NULL;
done:
    for (int k = 0; k < 5; k++)
        free(u[k]);
    for (int k = 0; k < 3; k++)
        free(f[k]);
    free(labels);
    lstats_table_free(t);
    return st;
}

static const char *const CORPUS_ROW = "(corpus)";

lstats_status lstats_corpus_script_variants(const lstats_corpus *c,
                                            const lstats_script_options *opts, lstats_table **out)
{
    if (!c || !out)
        return ls_error(LSTATS_EINVAL, "corpus or out is NULL");
    *out = NULL;
    lstats_script_options defaults;
    if (!opts) {
        lstats_script_options_init(&defaults, LSTATS_SCRIPT_OPTIONS_VERSION);
        opts = &defaults;
    }
    lstats_status st = check_script_options(opts);
    if (st)
        return st;
    int by_corpus = opts->by == LSTATS_SCRIPTS_BY_CORPUS;
    size_t rows = by_corpus ? 1 : c->n_docs;
    uint64_t(*counts)[LS_HAN_NCLASS] = calloc(rows ? rows : 1, sizeof *counts);
    const char **names = malloc((rows ? rows : 1) * sizeof *names);
    if (!counts || !names) {
        free(counts);
        free(names);
        return ls_error_nomem();
    }
    if (by_corpus)
        names[0] = CORPUS_ROW;
    for (size_t i = 0; i < c->n_docs; i++) {
        size_t r = by_corpus ? 0 : i;
        if (!by_corpus)
            names[i] = c->docs[i].name;
        for (int k = 0; k < LS_HAN_NCLASS; k++)
            counts[r][k] += c->docs[i].han[k];
    }
    st = variants_table(rows, names, (const uint64_t(*)[LS_HAN_NCLASS])counts, opts, out);
    if (!st)
        st = ls_corpus_describe(c, *out);
    if (st) {
        lstats_table_free(*out);
        *out = NULL;
    }
    free(counts);
    free(names);
    return st;
}

/* Validates and counts a block of UTF-8 in one pass. Returns the number of bytes consumed (a
 * sequence cut at the block's end is left for the next block, unless `last`), or SIZE_MAX when
 * the block holds a NUL byte or invalid UTF-8 (the caller then uses the reader, which reports
 * or replaces it). */
static size_t count_validate(const unsigned char *s, size_t len, int last,
                             uint64_t c[LS_HAN_NCLASS])
{
    size_t i = 0;
    while (i < len) {
        unsigned b = s[i];
        if (b < 0x80) {
            if (b == 0)
                return SIZE_MAX;
            i++;
            while (i + 8 <= len) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                /* any byte >= 0x80, or any zero byte */
                if ((w & 0x8080808080808080ULL) ||
                    ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
                    break;
                i += 8;
            }
            while (i < len && s[i] < 0x80 && s[i])
                i++;
            continue;
        }
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (i + need > len)
            return last ? SIZE_MAX : i;
        unsigned b1 = s[i + 1];
        if ((b1 & 0xC0) != 0x80)
            return SIZE_MAX;
        if (need == 2) {
            if (b < 0xC2)
                return SIZE_MAX;
            c[0]++;
            i += 2;
            continue;
        }
        unsigned b2 = s[i + 2];
        if ((b2 & 0xC0) != 0x80)
            return SIZE_MAX;
        uint32_t cp;
        if (need == 3) {
            if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0))
                return SIZE_MAX;
            cp = ((b & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
        } else {
            unsigned b3 = s[i + 3];
            if ((b3 & 0xC0) != 0x80 || b > 0xF4 || (b == 0xF0 && b1 < 0x90) ||
                (b == 0xF4 && b1 >= 0x90))
                return SIZE_MAX;
            cp = ((b & 0x07u) << 18) | ((b1 & 0x3Fu) << 12) | ((b2 & 0x3Fu) << 6) | (b3 & 0x3Fu);
        }
        c[ls_han_entry(cp) & LS_HAN_CLASS_MASK]++;
        i += need;
    }
    return i;
}

/* The fused fast path for plain UTF-8 files: read, validate and count in one pass over 1 MiB
 * blocks. 1 when counted; 0 when the file must go through the reader (gzip, another encoding,
 * NUL bytes or invalid UTF-8: the reader reports them as ingestion does); -1 on a read error. */
static int count_plain_file(const char *path, uint64_t counts[LS_HAN_NCLASS], uint64_t *bytes,
                            lstats_progress_cb progress, void *payload, uint64_t done_before,
                            uint64_t total, int *canceled)
{
    enum { BLOCK = 1 << 20 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char *buf = malloc(BLOCK + 4);
    if (!buf) {
        fclose(f);
        return -1;
    }
    uint64_t c[LS_HAN_NCLASS] = {0}, seen = 0;
    size_t keep = 0;
    int result = 1, first = 1;
    for (;;) {
        size_t got = fread(buf + keep, 1, BLOCK, f);
        if (got == 0 && ferror(f)) {
            result = 0;
            break;
        }
        size_t len = keep + got;
        if (first && len >= 2 && buf[0] == 0x1F && buf[1] == 0x8B) {
            result = 0; /* gzip */
            break;
        }
        first = 0;
        int last = got == 0 || feof(f);
        size_t used = count_validate(buf, len, last, c);
        if (used == SIZE_MAX) {
            result = 0;
            break;
        }
        seen += got;
        keep = len - used;
        memmove(buf, buf + used, keep);
        if (progress && progress(done_before + seen, total, payload)) {
            *canceled = 1;
            break;
        }
        if (last)
            break;
    }
    fclose(f);
    free(buf);
    if (result == 1 && !*canceled) {
        for (int k = 0; k < LS_HAN_NCLASS; k++)
            counts[k] += c[k];
        *bytes = seen;
    }
    return result;
}

lstats_status lstats_script_variants_files(size_t n, const char *const *paths,
                                           const char *const *names,
                                           const lstats_script_options *opts,
                                           lstats_progress_cb progress, void *payload,
                                           lstats_table **out)
{
    if (!out || (n && !paths))
        return ls_error(LSTATS_EINVAL, "paths or out is NULL");
    *out = NULL;
    lstats_script_options defaults;
    if (!opts) {
        lstats_script_options_init(&defaults, LSTATS_SCRIPT_OPTIONS_VERSION);
        opts = &defaults;
    }
    lstats_status st = check_script_options(opts);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++)
        if (!paths[i])
            return ls_error(LSTATS_EINVAL, "paths[%zu] is NULL", i);
    int by_corpus = opts->by == LSTATS_SCRIPTS_BY_CORPUS;
    size_t rows = by_corpus ? 1 : n;
    uint64_t(*counts)[LS_HAN_NCLASS] = calloc(rows ? rows : 1, sizeof *counts);
    const char **rnames = malloc((rows ? rows : 1) * sizeof *rnames);
    if (!counts || !rnames) {
        st = ls_error_nomem();
        goto done;
    }
    if (by_corpus)
        rnames[0] = CORPUS_ROW;
    uint64_t total = 0, done_before = 0;
    for (size_t i = 0; i < n; i++) {
        ls_reader *r = NULL;
        if ((st = ls_reader_open_file(&r, paths[i], opts->encoding, opts->errors)))
            goto done;
        total += ls_reader_size_hint(r);
        ls_reader_free(r);
    }
    for (size_t i = 0; i < n && !st; i++) {
        size_t row = by_corpus ? 0 : i;
        if (!by_corpus)
            rnames[i] = names && names[i] ? names[i] : paths[i];
        int utf8 = !opts->encoding || strcmp(opts->encoding, "utf-8") == 0 ||
                   strcmp(opts->encoding, "UTF-8") == 0;
        if (utf8) {
            uint64_t bytes = 0;
            int canceled = 0;
            int r = count_plain_file(paths[i], counts[row], &bytes, progress, payload, done_before,
                                     total, &canceled);
            if (canceled) {
                st = ls_error(LSTATS_ECANCELED, "canceled by the progress callback");
                break;
            }
            if (r < 0) {
                st = ls_error_nomem();
                break;
            }
            if (r == 1) {
                done_before += bytes;
                continue;
            }
        }
        ls_reader *r = NULL;
        if ((st = ls_reader_open_file(&r, paths[i], opts->encoding, opts->errors)))
            goto done;
        for (;;) {
            const char *text;
            size_t len;
            if ((st = ls_reader_next(r, &text, &len, NULL)) || len == 0)
                break;
            ls_script_count(text, len, counts[row]);
            if (progress && progress(done_before + ls_reader_bytes_in(r), total, payload)) {
                st = ls_error(LSTATS_ECANCELED, "canceled by the progress callback");
                break;
            }
        }
        done_before += ls_reader_bytes_in(r);
        ls_reader_free(r);
    }
    if (!st)
        st = variants_table(rows, rnames, (const uint64_t(*)[LS_HAN_NCLASS])counts, opts, out);
    if (!st && (st = ls_table_set_meta_u64(*out, "n_docs", n))) {
        lstats_table_free(*out);
        *out = NULL;
    }
done:
    free(counts);
    free(rnames);
    return st;
}

/* ------------------------------------------------------------------ script mix */

enum { MIX_HAN, MIX_LATIN, MIX_HIRA, MIX_KATA, MIX_HANGUL, MIX_COMMON, MIX_INHERITED, MIX_OTHER };

static int script_group(UChar32 c)
{
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &err);
    switch (sc) {
    case USCRIPT_HAN: return MIX_HAN;
    case USCRIPT_LATIN: return MIX_LATIN;
    case USCRIPT_HIRAGANA: return MIX_HIRA;
    case USCRIPT_KATAKANA: return MIX_KATA;
    case USCRIPT_HANGUL: return MIX_HANGUL;
    case USCRIPT_COMMON: return MIX_COMMON;
    case USCRIPT_INHERITED: return MIX_INHERITED;
    default: return MIX_OTHER;
    }
}

lstats_status lstats_corpus_script_mix(const lstats_corpus *c, lstats_table **out)
{
    static const char *const cols[] = {"chars",    "han",       "latin",    "hiragana",
                                       "katakana", "hangul",    "common",   "inherited",
                                       "other",    "fullwidth", "halfwidth"};
    enum { NC = 11 };
    if (!c || !out)
        return ls_error(LSTATS_EINVAL, "corpus or out is NULL");
    *out = NULL;
    if (!c->opts.keep_text)
        return ls_error(LSTATS_ESTATE, "the script mix needs the document text: build the corpus "
                                       "with keep_text on");
    size_t n = c->n_docs;
    lstats_status st = LSTATS_OK;
    lstats_table *t = ls_table_new(n);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    uint64_t *v[NC] = {0};
    int failed = !t || !names;
    for (int k = 0; k < NC; k++)
        failed |= !(v[k] = calloc(n ? n : 1, sizeof(uint64_t)));
    if (failed) {
        st = ls_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const ls_doc *d = &c->docs[i];
        const uint8_t *s = (const uint8_t *)d->text;
        int32_t len = (int32_t)(d->text_len > INT32_MAX ? INT32_MAX : d->text_len);
        uint64_t cnt[NC] = {0};
        names[i] = d->name;
        int64_t p = 0, total = (int64_t)d->text_len;
        while (p < total) {
            if (s[p] < 0x80) {
                unsigned ch = s[p++];
                cnt[0]++;
                cnt[1 + ((unsigned)((ch | 0x20) - 'a') < 26u ? MIX_LATIN : MIX_COMMON)]++;
                continue;
            }
            /* U8_NEXT works on int32 offsets: walk windows of the text. */
            const uint8_t *w = s + p;
            int64_t left = total - p;
            len = (int32_t)(left > INT32_MAX ? INT32_MAX : left);
            int32_t j = 0;
            UChar32 ch;
            U8_NEXT(w, j, len, ch);
            p += j;
            if (ch < 0)
                ch = 0xFFFD;
            cnt[0]++;
            cnt[1 + script_group(ch)]++;
            int eaw = u_getIntPropertyValue(ch, UCHAR_EAST_ASIAN_WIDTH);
            if (eaw == U_EA_FULLWIDTH)
                cnt[9]++;
            else if (eaw == U_EA_HALFWIDTH)
                cnt[10]++;
        }
        for (int k = 0; k < NC; k++)
            v[k][i] = cnt[k];
    }
    if ((st = ls_table_add_cstrings(t, "document", names, n)))
        goto done;
    for (int k = 0; k < NC; k++) {
        st = ls_table_add_u64(t, cols[k], v[k]);
        v[k] = NULL;
        if (st)
            goto done;
    }
    if ((st = ls_table_set_meta(t, "kind", "script_mix")) || (st = ls_corpus_describe(c, t)))
        goto done;
    *out = t;
    t = NULL;
done:
    for (int k = 0; k < NC; k++)
        free(v[k]);
    free(names);
    lstats_table_free(t);
    return st;
}

/* ------------------------------------------------------------------ variant terms */

typedef struct {
    uint32_t key, term;
    uint64_t count, key_total;
    uint32_t forms;
    const char *key_s, *term_s;
    size_t key_len, term_len;
} form_row;

static int cmp_bytes(const char *a, size_t na, const char *b, size_t nb)
{
    int r = memcmp(a, b, na < nb ? na : nb);
    return r ? r : (na < nb ? -1 : na > nb);
}

/* key_total descending, key, count descending, form. */
static int cmp_rows(const void *pa, const void *pb)
{
    const form_row *a = pa, *b = pb;
    if (a->key_total != b->key_total)
        return a->key_total > b->key_total ? -1 : 1;
    int r = cmp_bytes(a->key_s, a->key_len, b->key_s, b->key_len);
    if (r)
        return r;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return cmp_bytes(a->term_s, a->term_len, b->term_s, b->term_len);
}

lstats_status lstats_corpus_variant_terms(const lstats_corpus *c, const lstats_script_options *opts,
                                          lstats_table **out)
{
    if (!c || !out)
        return ls_error(LSTATS_EINVAL, "corpus or out is NULL");
    *out = NULL;
    lstats_script_options defaults;
    if (!opts) {
        lstats_script_options_init(&defaults, LSTATS_SCRIPT_OPTIONS_VERSION);
        opts = &defaults;
    }
    lstats_status st = check_script_options(opts);
    if (st)
        return st;
    uint32_t nv = ls_vocab_size(c->vocab);
    ls_vocab *keys = ls_vocab_new();
    form_row *rows = malloc((nv ? nv : 1) * sizeof *rows);
    uint64_t *key_total = NULL;
    uint32_t *key_forms = NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, kept = 0;
    lstats_table *t = NULL;
    char *kblob = NULL, *fblob = NULL;
    int64_t *koff = NULL, *foff = NULL;
    uint64_t *cnt = NULL, *ktot = NULL, *nforms = NULL;
    double *share = NULL;
    if (!keys || !rows) {
        st = ls_error_nomem();
        goto done;
    }
    for (uint32_t id = 0; id < nv; id++) {
        if (id >= c->counts_cap || c->counts[id] == 0)
            continue;
        size_t len;
        const char *term = ls_vocab_term(c->vocab, id, &len);
        const unsigned char *u = (const unsigned char *)term;
        size_t k = 0;
        while (k < len && u[k] < 0xE3)
            k++;
        if (k == len)
            continue; /* no Han character */
        const char *key;
        size_t key_len;
        uint32_t kid;
        if ((st = ls_script_fold(LSTATS_FOLD_SIMPLIFIED, term, len, &buf, &cap, &key, &key_len)) ||
            (st = ls_vocab_intern(keys, key, key_len, &kid)))
            goto done;
        rows[n].key = kid;
        rows[n].term = id;
        rows[n].count = c->counts[id];
        n++;
    }
    uint32_t nk = ls_vocab_size(keys);
    key_total = calloc(nk ? nk : 1, sizeof *key_total);
    key_forms = calloc(nk ? nk : 1, sizeof *key_forms);
    if (!key_total || !key_forms) {
        st = ls_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        key_total[rows[i].key] += rows[i].count;
        key_forms[rows[i].key]++;
    }
    for (size_t i = 0; i < n; i++) {
        form_row r = rows[i];
        if (key_forms[r.key] < 2 || key_total[r.key] < opts->min_count)
            continue;
        r.key_total = key_total[r.key];
        r.forms = key_forms[r.key];
        r.key_s = ls_vocab_term(keys, r.key, &r.key_len);
        r.term_s = ls_vocab_term(c->vocab, r.term, &r.term_len);
        rows[kept++] = r;
    }
    qsort(rows, kept, sizeof *rows, cmp_rows);
    size_t kbytes = 0, fbytes = 0;
    for (size_t i = 0; i < kept; i++) {
        kbytes += rows[i].key_len;
        fbytes += rows[i].term_len;
    }
    t = ls_table_new(kept);
    kblob = malloc(kbytes ? kbytes : 1);
    fblob = malloc(fbytes ? fbytes : 1);
    koff = malloc((kept + 1) * sizeof *koff);
    foff = malloc((kept + 1) * sizeof *foff);
    cnt = malloc((kept ? kept : 1) * sizeof *cnt);
    ktot = malloc((kept ? kept : 1) * sizeof *ktot);
    nforms = malloc((kept ? kept : 1) * sizeof *nforms);
    share = malloc((kept ? kept : 1) * sizeof *share);
    if (!t || !kblob || !fblob || !koff || !foff || !cnt || !ktot || !nforms || !share) {
        st = ls_error_nomem();
        goto done;
    }
    koff[0] = foff[0] = 0;
    for (size_t i = 0, kp = 0, fp = 0; i < kept; i++) {
        memcpy(kblob + kp, rows[i].key_s, rows[i].key_len);
        kp += rows[i].key_len;
        koff[i + 1] = (int64_t)kp;
        memcpy(fblob + fp, rows[i].term_s, rows[i].term_len);
        fp += rows[i].term_len;
        foff[i + 1] = (int64_t)fp;
        cnt[i] = rows[i].count;
        ktot[i] = rows[i].key_total;
        nforms[i] = rows[i].forms;
        share[i] = (double)rows[i].count / (double)rows[i].key_total;
    }
    st = ls_table_add_string(t, "key", kblob, koff);
    kblob = NULL;
    koff = NULL;
    if (!st) {
        st = ls_table_add_string(t, "form", fblob, foff);
        fblob = NULL;
        foff = NULL;
    }
    if (!st) {
        st = ls_table_add_u64(t, "count", cnt);
        cnt = NULL;
    }
    if (!st) {
        st = ls_table_add_f64(t, "share", share);
        share = NULL;
    }
    if (!st) {
        st = ls_table_add_u64(t, "key_count", ktot);
        ktot = NULL;
    }
    if (!st) {
        st = ls_table_add_u64(t, "forms", nforms);
        nforms = NULL;
    }
    if (!st && !(st = ls_table_set_meta(t, "kind", "variant_terms")) &&
        !(st = ls_table_set_meta_u64(t, "min_count", opts->min_count)) &&
        !(st = ls_corpus_describe(c, t))) {
        *out = t;
        t = NULL;
    }
done:
    lstats_table_free(t);
    free(kblob);
    free(fblob);
    free(koff);
    free(foff);
    free(cnt);
    free(ktot);
    free(nforms);
    free(share);
    free(buf);
    free(key_total);
    free(key_forms);
    free(rows);
    ls_vocab_free(keys);
    return st;
}

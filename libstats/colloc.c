/* Collocations: adjacent n-grams (n = 2..4), window collocates of a node, all-pairs window
 * co-occurrence. Counting is over term ids (so script folding before interning applies), pairs
 * in open-addressing hash maps with one slot per distinct key; filters, sorting and top-k in C;
 * results as column tables. Measures come from assoc.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "assoc.h"
#include "corpus_impl.h"
#include "error.h"
#include "idmap.h"
#include "table.h"
#include "tokenize.h"
#include "utf8.h"

lstats_status lstats_colloc_options_init(lstats_colloc_options *opts, uint32_t version)
{
    if (!opts)
        return ls_error(LSTATS_EINVAL, "opts is NULL");
    if (version != LSTATS_COLLOC_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "colloc options version %u is not supported (want %u)",
                        version, LSTATS_COLLOC_OPTIONS_VERSION);
    memset(opts, 0, sizeof *opts);
    opts->version = version;
    opts->n = 2;
    opts->window_left = 5;
    opts->window_right = 5;
    opts->min_count = 1;
    opts->sentence_bounded = 1;
    opts->alpha = 0.05;
    return LSTATS_OK;
}

/* ---- the names ---- */

static const char all_names[] =
    "frequency,cond_prob,cond_prob_21,mu,pmi,mi2,mi3,npmi,mi_log_f,local_mi,t,z,z_corrected,"
    "z_berry_rogghe,chi2,chi2_yates,phi2,g2,g2_2term,g2_p,fisher,fisher_two_sided,fisher_less,"
    "poisson_stirling,dice,logdice,jaccard,min_sensitivity,gmean,delta_p_21,delta_p_12,"
    "mutual_expectation,odds_ratio,log_odds_ratio,relative_risk,log_ratio,bic,lambda,lambda_z,"
    "mu_cons,pmi_cons,logdice_cons,odds_ratio_cons,log_odds_ratio_cons,relative_risk_cons,"
    "log_ratio_cons,delta_p_21_cons,delta_p_12_cons";

const char *lstats_assoc_measure_names(void)
{
    return all_names;
}

lstats_status lstats_assoc_score(const char *measure, double o11, double o12, double o21,
                                 double o22, double alpha, double *out)
{
    if (!measure || !out)
        return ls_error(LSTATS_EINVAL, "measure or out is NULL");
    int m = ls_measure_lookup(measure, strlen(measure));
    if (m < 0)
        return ls_error(LSTATS_EINVAL, "unknown measure '%s'", measure);
    ls_ct t = {o11, o12, o21, o22};
    *out = ls_assoc_score((ls_measure)m, &t, alpha);
    return LSTATS_OK;
}

/* Measures defined on the 2^n table of an n-gram, n >= 3 (NLTK's NgramAssocMeasures and
 * quanteda's lambda). */
static int generalises(int m)
{
    switch (m) {
    case LS_M_FREQUENCY:
    case LS_M_MU:
    case LS_M_PMI:
    case LS_M_MI2:
    case LS_M_MI3:
    case LS_M_MI_LOG_F:
    case LS_M_LOCAL_MI:
    case LS_M_T:
    case LS_M_Z:
    case LS_M_Z_CORRECTED:
    case LS_M_CHI2:
    case LS_M_G2:
    case LS_M_G2_P:
    case LS_M_POISSON_STIRLING:
    case LS_M_JACCARD:
    case LS_M_LAMBDA:
    case LS_M_LAMBDA_Z: return 1;
    default: return 0;
    }
}

static int ascending(int m)
{
    return m == LS_M_FISHER || m == LS_M_FISHER_TWO_SIDED || m == LS_M_FISHER_LESS ||
           m == LS_M_G2_P;
}

#define SORT_O11 (-2)

typedef struct mlist {
    int m[LS_M_COUNT];
    int k;
    int sort; /* a measure, or SORT_O11 */
} mlist;

static lstats_status parse_measures(const lstats_colloc_options *o, uint32_t n, mlist *ml)
{
    const char *s = o->measures ? o->measures : "g2,pmi,logdice,t";
    ml->k = 0;
    if (strcmp(s, "all") == 0) {
        for (int m = 0; m < LS_M_COUNT; m++)
            if (n <= 2 || generalises(m))
                ml->m[ml->k++] = m;
    } else {
        const char *p = s;
        while (*p) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            while (len && *p == ' ') {
                p++;
                len--;
            }
            while (len && p[len - 1] == ' ')
                len--;
            if (len) {
                int m = ls_measure_lookup(p, len);
                if (m < 0)
                    return ls_error(LSTATS_EINVAL, "unknown measure '%.*s' (known: %s)", (int)len,
                                    p, all_names);
                if (n > 2 && !generalises(m))
                    return ls_error(LSTATS_EINVAL,
                                    "measure '%.*s' is defined for pairs only, not for n = %u",
                                    (int)len, p, n);
                int dup = 0;
                for (int i = 0; i < ml->k; i++)
                    dup |= ml->m[i] == m;
                if (!dup)
                    ml->m[ml->k++] = m;
            }
            if (!e)
                break;
            p = e + 1;
        }
    }
    if (o->sort_by && *o->sort_by) {
        if (strcmp(o->sort_by, "o11") == 0 || strcmp(o->sort_by, "count") == 0) {
            ml->sort = SORT_O11;
        } else {
            int m = ls_measure_lookup(o->sort_by, strlen(o->sort_by));
            if (m < 0)
                return ls_error(LSTATS_EINVAL, "unknown sort_by measure '%s'", o->sort_by);
            if (n > 2 && !generalises(m))
                return ls_error(LSTATS_EINVAL, "sort_by '%s' is defined for pairs only",
                                o->sort_by);
            ml->sort = m;
        }
    } else {
        ml->sort = ml->k ? ml->m[0] : SORT_O11;
    }
    return LSTATS_OK;
}

/* ---- per-term filters ---- */

#define EXCLUDED 1u

static int is_symbolic(uint32_t cp)
{
    int t = u_charType((UChar32)cp);
    return u_ispunct((UChar32)cp) || t == U_MATH_SYMBOL || t == U_CURRENCY_SYMBOL ||
           t == U_MODIFIER_SYMBOL || t == U_OTHER_SYMBOL;
}

/* One flag byte per term id: EXCLUDED when a row holding it must be dropped. */
static lstats_status term_flags(const lstats_corpus *c, const lstats_colloc_options *o,
                                uint8_t **out)
{
    uint32_t V = ls_vocab_size(c->vocab);
    uint8_t *f = calloc((size_t)V + 1, 1);
    if (!f)
        return ls_error_nomem();
    int any = o->min_length || o->max_length || o->drop_punct || o->drop_numbers;
    for (uint32_t id = 0; any && id < V; id++) {
        size_t len;
        const unsigned char *s = (const unsigned char *)ls_vocab_term(c->vocab, id, &len);
        size_t cps = 0, punct = 0, digits = 0, numch = 0;
        for (size_t i = 0; i < len;) {
            size_t l;
            uint32_t cp = ls_utf8_decode(s + i, len - i, &l);
            i += l;
            cps++;
            if (cp == LS_UTF8_BAD)
                continue;
            if (is_symbolic(cp))
                punct++;
            int ct = u_charType((UChar32)cp);
            if (ct == U_DECIMAL_DIGIT_NUMBER || ct == U_LETTER_NUMBER || ct == U_OTHER_NUMBER)
                digits++;
            else if (cp == '.' || cp == ',')
                numch++;
        }
        if ((o->min_length && cps < o->min_length) || (o->max_length && cps > o->max_length) ||
            (o->drop_punct && cps && punct == cps) ||
            (o->drop_numbers && digits && digits + numch == cps))
            f[id] |= EXCLUDED;
    }
    if (o->n_stopwords) {
        if (!o->stopwords) {
            free(f);
            return ls_error(LSTATS_EINVAL, "stopwords is NULL with n_stopwords > 0");
        }
        ls_tok_config cfg = {c->opts.tokenizer,    c->opts.normalize,    c->opts.lowercase,
                             c->opts.keep_punct,   c->opts.drop_numbers, c->opts.locale,
                             LSTATS_SENTENCES_NONE};
        ls_tokenizer *tok = NULL;
        lstats_status st = ls_tokenizer_new(&tok, &cfg);
        if (st) {
            free(f);
            return st;
        }
        ls_tokenizer_set_fold(tok, c->opts.fold_script);
        for (size_t i = 0; i < o->n_stopwords; i++) {
            const char *w = o->stopwords[i];
            if (!w)
                continue;
            const char *s;
            size_t sl;
            uint32_t id;
            if ((st = ls_tokenizer_normalize(tok, w, strlen(w), &s, &sl))) {
                ls_tokenizer_free(tok);
                free(f);
                return st;
            }
            if (ls_vocab_find(c->vocab, s, sl, &id))
                f[id] |= EXCLUDED;
            /* also the word as given (e.g. a stopword list already normalised) */
            if (ls_vocab_find(c->vocab, w, strlen(w), &id))
                f[id] |= EXCLUDED;
        }
        ls_tokenizer_free(tok);
    }
    *out = f;
    return LSTATS_OK;
}

/* ---- segments: [start, end) token ranges never crossed ---- */

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

/* ---- sorting rows by a key with a context (merge sort, stable) ---- */

/* A row's sort key, self-contained so that sorting touches one contiguous array (no
 * indirection into the per-row columns): the key as an order-preserving integer (ascending;
 * descending sorts negate it first; NaN last), then the larger joint count, then the terms'
 * bytewise ranks, then the row. */
typedef struct sort_row {
    uint64_t key;
    double neg_o11;
    uint64_t tie;  /* ranks of the first two ids */
    uint64_t tie2; /* ranks of the third and fourth ids (n-grams) */
    uint64_t row;
} sort_row;

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

static inline int sort_row_less(const sort_row *x, const sort_row *y)
{
    if (x->key != y->key)
        return x->key < y->key;
    if (x->neg_o11 != y->neg_o11)
        return x->neg_o11 < y->neg_o11;
    if (x->tie != y->tie)
        return x->tie < y->tie;
    if (x->tie2 != y->tie2)
        return x->tie2 < y->tie2;
    return x->row < y->row;
}

/* Merge sort specialised for sort_row (glibc's generic qsort copies 40-byte elements through
 * memmove calls, which dominated the time for millions of rows). tmp holds n / 2 + 1 rows. */
static void sort_rows(sort_row *v, sort_row *tmp, size_t n)
{
    if (n < 24) {
        for (size_t i = 1; i < n; i++) {
            sort_row x = v[i];
            size_t j = i;
            while (j > 0 && sort_row_less(&x, &v[j - 1])) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    sort_rows(v, tmp, h);
    sort_rows(v + h, tmp, n - h);
    if (!sort_row_less(&v[h], &v[h - 1]))
        return; /* already in order */
    memcpy(tmp, v, h * sizeof *v);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        v[o++] = sort_row_less(&v[j], &tmp[i]) ? v[j++] : tmp[i++];
    while (i < h)
        v[o++] = tmp[i++];
}

/* Merge sort of term ids by their bytes. */
static int term_less(const ls_vocab *v, uint32_t a, uint32_t b)
{
    size_t la, lb;
    const char *ta = ls_vocab_term(v, a, &la), *tb = ls_vocab_term(v, b, &lb);
    int r = memcmp(ta, tb, la < lb ? la : lb);
    return r < 0 || (r == 0 && la < lb);
}

static void sort_ids(const ls_vocab *v, uint32_t *x, uint32_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_ids(v, x, tmp, h);
    sort_ids(v, x + h, tmp, n - h);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        tmp[o++] = term_less(v, x[j], x[i]) ? x[j++] : x[i++];
    while (i < h)
        tmp[o++] = x[i++];
    while (j < n)
        tmp[o++] = x[j++];
    memcpy(x, tmp, n * sizeof *x);
}

/* rank[id] = position of term id in bytewise order. */
static lstats_status term_ranks(const ls_vocab *v, uint32_t **out)
{
    uint32_t V = ls_vocab_size(v);
    uint32_t *ids = malloc(((size_t)V + 1) * sizeof *ids);
    uint32_t *tmp = malloc(((size_t)V + 1) * sizeof *tmp);
    uint32_t *rank = malloc(((size_t)V + 1) * sizeof *rank);
    if (!ids || !tmp || !rank) {
        free(ids);
        free(tmp);
        free(rank);
        return ls_error_nomem();
    }
    for (uint32_t i = 0; i < V; i++)
        ids[i] = i;
    sort_ids(v, ids, tmp, V);
    for (uint32_t i = 0; i < V; i++)
        rank[ids[i]] = i;
    free(ids);
    free(tmp);
    *out = rank;
    return LSTATS_OK;
}

/* Keeps the best `top` rows (all when top is 0) of v[0..n) in order; a bounded selection when
 * top << n. */
static lstats_status order_rows(sort_row *v, size_t n, size_t top, size_t *n_out)
{
    if (top && top < n && top * 8 < n) {
        /* one pass with a sorted buffer of 2*top, compacting when full */
        size_t cap = 2 * top, used = 0;
        sort_row *buf = malloc(cap * sizeof *buf), *tmp = malloc((top + 1) * sizeof *tmp);
        if (!buf || !tmp) {
            free(buf);
            free(tmp);
            return ls_error_nomem();
        }
        for (size_t i = 0; i < n; i++) {
            if (used == top && !sort_row_less(&v[i], &buf[top - 1]))
                continue;
            buf[used++] = v[i];
            if (used == cap) {
                sort_rows(buf, tmp, used);
                used = top;
            }
        }
        sort_rows(buf, tmp, used);
        if (used > top)
            used = top;
        memcpy(v, buf, used * sizeof *v);
        free(buf);
        free(tmp);
        *n_out = used;
        return LSTATS_OK;
    }
    sort_row *tmp = malloc((n / 2 + 1) * sizeof *tmp);
    if (!tmp)
        return ls_error_nomem();
    sort_rows(v, tmp, n);
    free(tmp);
    *n_out = top && top < n ? top : n;
    return LSTATS_OK;
}

/* ---- the scoring source: how a row's contingency table is made ---- */

enum { MODE_NGRAM, MODE_WINDOW, MODE_COOC };

typedef struct src {
    int mode;
    int compat;
    uint32_t n;            /* ids per row */
    const uint32_t *ids;   /* n per candidate row */
    const double *o11;     /* observed (scored) joint count per row */
    const double *r1, *c1; /* pairs: margins per row */
    double N;
    double node_freq; /* window: occurrences of the node */
    double window;    /* cooc nltk: divisor */
    /* n >= 3: the counts of every subset of positions */
    const ls_idmap *sub[16];
    const uint64_t *uni[4]; /* per-position unigram counts */
    double alpha;
} src;

/* The 2x2 table of a pair row; window tables clamp cells at 0 (overlapping windows can count a
 * collocate more often than it occurs). */
static ls_ct pair_table(const src *s, size_t r)
{
    ls_ct t = ls_ct_from_margins(s->o11[r], s->r1[r], s->c1[r], s->N);
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
            C[S] = s->o11[r];
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

static double score_ngram_nd(const src *s, int m, size_t r)
{
    double cell[16], ex[16];
    ngram_cells(s, r, cell, ex);
    uint32_t n = s->n, full = (1u << n) - 1;
    double o = cell[full], e = ex[full];
    switch (m) {
    case LS_M_FREQUENCY: return o;
    case LS_M_MU: return e > 0 ? o / e : NAN;
    case LS_M_PMI: return e > 0 ? (o > 0 ? log2(o / e) : -INFINITY) : NAN;
    case LS_M_MI2: return e > 0 ? (o > 0 ? log2(o) + log2(o / e) : -INFINITY) : NAN;
    case LS_M_MI3: return e > 0 ? (o > 0 ? 2 * log2(o) + log2(o / e) : -INFINITY) : NAN;
    case LS_M_MI_LOG_F: return e > 0 ? (o > 0 ? log2(o / e) * log(o + 1) : 0) : NAN;
    case LS_M_LOCAL_MI: return e > 0 ? (o > 0 ? o * log2(o / e) : 0) : NAN;
    case LS_M_T: return o > 0 ? (o - e) / sqrt(o) : (e > 0 ? -INFINITY : NAN);
    case LS_M_Z: return e > 0 ? (o - e) / sqrt(e) : NAN;
    case LS_M_Z_CORRECTED: {
        if (e <= 0)
            return NAN;
        double d = fabs(o - e) - 0.5;
        if (d < 0)
            d = 0;
        return (o >= e ? d : -d) / sqrt(e);
    }
    case LS_M_POISSON_STIRLING:
        if (e <= 0)
            return NAN;
        if (o <= 0)
            return 0;
        return s->compat ? o * (log2(o / e) - 1) : o * (log(o) - log(e) - 1);
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
        return s->o11[r];
    if (s->mode == MODE_NGRAM && s->n > 2)
        return score_ngram_nd(s, m, r);
    ls_ct t = pair_table(s, r);
    if (s->compat) {
        double e = ls_assoc_e11(&t), o = t.o11;
        if (m == LS_M_POISSON_STIRLING)
            return e > 0 ? (o > 0 ? o * (log2(o / e) - 1) : 0) : NAN;
        if (m == LS_M_FISHER)
            return ls_assoc_fisher_less(&t);
    }
    if (m == LS_M_Z_BERRY_ROGGHE && s->mode == MODE_WINDOW) {
        /* Berry-Rogghe (1973): p = F_c / (N - F_n), E = p F_n S (= p times the window slots) */
        double den = s->N - s->node_freq;
        if (den <= 0)
            return NAN;
        double p = s->c1[r] / den, e = p * s->r1[r], v = e * (1 - p);
        return v > 0 ? (t.o11 - e) / sqrt(v) : NAN;
    }
    return ls_assoc_score((ls_measure)m, &t, s->alpha);
}

/* ---- building the result ---- */

typedef struct rows {
    size_t n;
    uint32_t *ids;   /* src.n per row */
    double *o11;     /* scored o11 */
    uint64_t *count; /* raw o11 */
    double *r1, *c1; /* pairs */
    uint64_t *docs;
    uint64_t *left, *right; /* window */
} rows;

static void rows_free(rows *r)
{
    free(r->ids);
    free(r->o11);
    free(r->count);
    free(r->r1);
    free(r->c1);
    free(r->docs);
    free(r->left);
    free(r->right);
    memset(r, 0, sizeof *r);
}

static lstats_status rows_alloc(rows *r, size_t n, uint32_t k, int pairs, int window)
{
    size_t m = n ? n : 1;
    r->n = n;
    r->ids = malloc(m * k * sizeof *r->ids);
    r->o11 = malloc(m * sizeof *r->o11);
    r->count = malloc(m * sizeof *r->count);
    r->docs = malloc(m * sizeof *r->docs);
    r->r1 = pairs ? malloc(m * sizeof *r->r1) : NULL;
    r->c1 = pairs ? malloc(m * sizeof *r->c1) : NULL;
    r->left = window ? malloc(m * sizeof *r->left) : NULL;
    r->right = window ? malloc(m * sizeof *r->right) : NULL;
    if (!r->ids || !r->o11 || !r->count || !r->docs || (pairs && (!r->r1 || !r->c1)) ||
        (window && (!r->left || !r->right))) {
        rows_free(r);
        return ls_error_nomem();
    }
    return LSTATS_OK;
}

static lstats_status add_string_col(lstats_table *t, const lstats_corpus *c, const char *name,
                                    const uint32_t *ids, uint32_t k, uint32_t j, const size_t *ord,
                                    size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l;
        ls_vocab_term(c->vocab, ids[ord[i] * k + j], &l);
        total += l;
    }
    char *blob = malloc(total ? total : 1);
    int64_t *off = malloc((n + 1) * sizeof *off);
    if (!blob || !off) {
        free(blob);
        free(off);
        return ls_error_nomem();
    }
    size_t p = 0;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l;
        const char *s = ls_vocab_term(c->vocab, ids[ord[i] * k + j], &l);
        memcpy(blob + p, s, l);
        p += l;
        off[i + 1] = (int64_t)p;
    }
    return ls_table_add_string(t, name, blob, off);
}

static lstats_status add_u64_col(lstats_table *t, const char *name, const uint64_t *v,
                                 const size_t *ord, size_t n)
{
    uint64_t *d = malloc((n ? n : 1) * sizeof *d);
    if (!d)
        return ls_error_nomem();
    for (size_t i = 0; i < n; i++)
        d[i] = v[ord[i]];
    return ls_table_add_u64(t, name, d);
}

static lstats_status add_f64_fn(lstats_table *t, const char *name, const src *s, int m,
                                const size_t *ord, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (!d)
        return ls_error_nomem();
    for (size_t i = 0; i < n; i++)
        d[i] = score_row(s, m, ord[i]);
    return ls_table_add_f64(t, name, d);
}

/* Filters are applied by the caller; here: sort key, order, top-k, columns. */
static lstats_status finish(const lstats_corpus *c, const lstats_colloc_options *o, const mlist *ml,
                            src *s, rows *R, const char *kind, lstats_table **out)
{
    lstats_status st = LSTATS_OK;
    size_t n = R->n, kept = 0;
    sort_row *key = malloc((n ? n : 1) * sizeof *key);
    size_t *ord = malloc((n ? n : 1) * sizeof *ord);
    uint32_t *rank = NULL;
    lstats_table *t = NULL;
    const src *sm = s;         /* the source the measures read ... */
    const size_t *mord = NULL; /* ... and the row order they read it in */
    src gathered;
    double *g_o11 = NULL, *g_r1 = NULL, *g_c1 = NULL;
    size_t *idn = NULL;
    if (!key || !ord) {
        st = ls_error_nomem();
        goto done;
    }
    if ((st = term_ranks(c->vocab, &rank)))
        goto done;
    {
        int asc = ml->sort != SORT_O11 && ascending(ml->sort);
        for (size_t i = 0; i < n; i++) {
            double k = ml->sort == SORT_O11 ? R->o11[i] : score_row(s, ml->sort, i);
            const uint32_t *ids = R->ids + i * s->n;
            sort_row *sr = &key[i];
            sr->key = order_key(isnan(k) ? k : (asc ? k : -k));
            sr->neg_o11 = -R->o11[i];
            sr->tie = ((uint64_t)rank[ids[0]] << 32) | (s->n > 1 ? rank[ids[1]] : 0);
            sr->tie2 =
                s->n > 2 ? ((uint64_t)rank[ids[2]] << 32) | (s->n > 3 ? rank[ids[3]] : 0) : 0;
            sr->row = i;
        }
    }
    if ((st = order_rows(key, n, o->top_k, &kept)))
        goto done;
    for (size_t i = 0; i < kept; i++)
        ord[i] = key[i].row;
    free(key);
    key = NULL;
    mord = ord;
    /* The measures read each row's counts: gather them once into output order, so that the
     * per-measure passes below run through memory in order instead of at random. */
    if (!(s->mode == MODE_NGRAM && s->n > 2) && s->o11 && s->r1 && s->c1) {
        g_o11 = malloc((kept ? kept : 1) * sizeof *g_o11);
        g_r1 = malloc((kept ? kept : 1) * sizeof *g_r1);
        g_c1 = malloc((kept ? kept : 1) * sizeof *g_c1);
        idn = malloc((kept ? kept : 1) * sizeof *idn);
        if (!g_o11 || !g_r1 || !g_c1 || !idn) {
            st = ls_error_nomem();
            goto done;
        }
        for (size_t i = 0; i < kept; i++) {
            g_o11[i] = s->o11[ord[i]];
            g_r1[i] = s->r1[ord[i]];
            g_c1[i] = s->c1[ord[i]];
            idn[i] = i;
        }
        gathered = *s;
        gathered.o11 = g_o11;
        gathered.r1 = g_r1;
        gathered.c1 = g_c1;
        sm = &gathered;
        mord = idn;
    }
    t = ls_table_new(kept);
    if (!t) {
        st = LSTATS_ENOMEM;
        goto done;
    }
    if (s->mode == MODE_WINDOW) {
        if ((st = add_string_col(t, c, "collocate", R->ids, 1, 0, ord, kept)) ||
            (st = add_u64_col(t, "left", R->left, ord, kept)) ||
            (st = add_u64_col(t, "right", R->right, ord, kept)))
            goto done;
    } else {
        for (uint32_t j = 0; j < s->n; j++) {
            char name[16];
            snprintf(name, sizeof name, "w%u", j + 1);
            if ((st = add_string_col(t, c, name, R->ids, s->n, j, ord, kept)))
                goto done;
        }
    }
    if ((st = add_u64_col(t, "o11", R->count, ord, kept)))
        goto done;
    {
        double *a = NULL, *b = NULL, *nn = malloc((kept ? kept : 1) * sizeof *nn),
               *e = malloc((kept ? kept : 1) * sizeof *e);
        if (!nn || !e) {
            free(nn);
            free(e);
            st = ls_error_nomem();
            goto done;
        }
        if (s->mode == MODE_NGRAM && s->n > 2) {
            for (size_t i = 0; i < kept; i++) {
                double cell[16], ex[16];
                ngram_cells(s, ord[i], cell, ex);
                e[i] = ex[(1u << s->n) - 1];
                nn[i] = s->N;
            }
            for (uint32_t j = 0; j < s->n && !st; j++) {
                char name[16];
                snprintf(name, sizeof name, "f%u", j + 1);
                uint64_t *f = malloc((kept ? kept : 1) * sizeof *f);
                if (!f) {
                    st = ls_error_nomem();
                    break;
                }
                for (size_t i = 0; i < kept; i++)
                    f[i] = s->uni[j][R->ids[ord[i] * s->n + j]];
                st = ls_table_add_u64(t, name, f);
            }
        } else {
            a = malloc((kept ? kept : 1) * sizeof *a);
            b = malloc((kept ? kept : 1) * sizeof *b);
            if (!a || !b) {
                st = ls_error_nomem();
            } else {
                for (size_t i = 0; i < kept; i++) {
                    ls_ct tt = pair_table(sm, mord[i]);
                    a[i] = sm->r1[mord[i]];
                    b[i] = sm->c1[mord[i]];
                    nn[i] = s->N;
                    e[i] = ls_assoc_e11(&tt);
                }
                st = ls_table_add_f64(t, "r1", a);
                a = NULL;
                if (!st)
                    st = ls_table_add_f64(t, "c1", b);
                b = NULL;
            }
        }
        free(a);
        free(b);
        if (!st)
            st = ls_table_add_f64(t, "n", nn);
        else
            free(nn);
        if (!st)
            st = ls_table_add_f64(t, "e11", e);
        else
            free(e);
        if (st)
            goto done;
    }
    if ((st = add_u64_col(t, "doc_count", R->docs, ord, kept)))
        goto done;
    for (int i = 0; i < ml->k; i++)
        if ((st = add_f64_fn(t, ls_measure_name((ls_measure)ml->m[i]), sm, ml->m[i], mord, kept)))
            goto done;
    {
        char buf[64];
        const char *meas = o->measures ? o->measures : "g2,pmi,logdice,t";
        if ((st = ls_table_set_meta(t, "kind", kind)) ||
            (st = ls_table_set_meta(t, "measures", meas)) ||
            (st = ls_table_set_meta(t, "compat", o->compat ? "nltk" : "textbook")) ||
            (st = ls_table_set_meta_u64(t, "n_candidates", n)) ||
            (st = ls_table_set_meta_u64(t, "n_tokens", c->n_tokens)) ||
            (st = ls_table_set_meta_u64(t, "sentence_bounded", o->sentence_bounded != 0)))
            goto done;
        snprintf(buf, sizeof buf, "%.17g", s->N);
        if ((st = ls_table_set_meta(t, "N", buf)))
            goto done;
        snprintf(buf, sizeof buf, "%g", o->alpha);
        if ((st = ls_table_set_meta(t, "alpha", buf)) || (st = ls_corpus_describe(c, t)))
            goto done;
    }
    *out = t;
    t = NULL;
done:
    lstats_table_free(t);
    free(key);
    free(ord);
    free(rank);
    free(g_o11);
    free(g_r1);
    free(g_c1);
    free(idn);
    return st;
}

static lstats_status check_common(const lstats_corpus *c, const lstats_colloc_options *o,
                                  lstats_table **out)
{
    if (!c || !o || !out)
        return ls_error(LSTATS_EINVAL, "corpus, opts or out is NULL");
    if (o->version != LSTATS_COLLOC_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "colloc options version %u is not supported (want %u)",
                        o->version, LSTATS_COLLOC_OPTIONS_VERSION);
    if (!(o->alpha > 0 && o->alpha < 1))
        return ls_error(LSTATS_EINVAL, "alpha must be in (0, 1), got %g", o->alpha);
    if (o->compat != LSTATS_COLLOC_COMPAT_TEXTBOOK && o->compat != LSTATS_COLLOC_COMPAT_NLTK)
        return ls_error(LSTATS_EINVAL, "unknown compat %d", (int)o->compat);
    *out = NULL;
    return LSTATS_OK;
}

/* ---- n-gram collocations ---- */

lstats_status lstats_corpus_collocations(const lstats_corpus *c, const lstats_colloc_options *o,
                                         lstats_table **out)
{
    lstats_status st = check_common(c, o, out);
    if (st)
        return st;
    if (o->n < 2 || o->n > 4)
        return ls_error(LSTATS_EINVAL, "n must be 2..4, got %u", o->n);
    mlist ml;
    if ((st = parse_measures(o, o->n, &ml)))
        return st;
    uint32_t n = o->n, full = (1u << n) - 1;
    int nltk = o->compat == LSTATS_COLLOC_COMPAT_NLTK;
    int bounded = o->sentence_bounded != 0;
    uint32_t V = ls_vocab_size(c->vocab);
    ls_idmap maps[16];
    memset(maps, 0, sizeof maps);
    uint64_t *pos[4] = {NULL, NULL, NULL, NULL};
    uint8_t *flags = NULL;
    rows R;
    memset(&R, 0, sizeof R);
    src s;
    memset(&s, 0, sizeof s);
    double N = 0;
    if ((st = term_flags(c, o, &flags)))
        return st;
    /* maps[full]: the n-grams; maps[S], 2 <= |S| < n: subsets of positions (NLTK: shapes, the
     * subsets that start at position 0, counted over every position) */
    for (uint32_t S = 3; S <= full && !st; S++) {
        int bits = __builtin_popcount(S);
        if (bits < 2 || (nltk && S != full && !(S & 1)))
            continue;
        maps[S].k = (uint32_t)bits;
        st = ls_idmap_alloc(&maps[S], 1024, S == full);
    }
    for (uint32_t j = 0; j < n && !st && !nltk; j++)
        if (!(pos[j] = calloc((size_t)V + 1, sizeof *pos[j])))
            st = ls_error_nomem();
    for (size_t di = 0; di < c->n_docs && !st; di++) {
        const ls_doc *d = &c->docs[di];
        uint32_t doc1 = (uint32_t)(di + 1);
        FOR_SEGMENTS(d, bounded, s0, e0, {
            for (uint64_t p = s0; p + n <= e0 && !st; p++) {
                const uint32_t *w = d->ids + p;
                N += 1;
                if ((st = ls_idmap_add(&maps[full], w, doc1)))
                    break;
                if (nltk)
                    continue;
                for (uint32_t j = 0; j < n; j++)
                    pos[j][w[j]]++;
                for (uint32_t S = 3; S < full; S++) {
                    if (!maps[S].k)
                        continue;
                    uint32_t key[4], k = 0;
                    for (uint32_t j = 0; j < n; j++)
                        if (S & (1u << j))
                            key[k++] = w[j];
                    if ((st = ls_idmap_add(&maps[S], key, doc1)))
                        break;
                }
            }
            if (nltk) {
                for (uint32_t S = 3; S < full && !st; S++) {
                    if (!maps[S].k)
                        continue;
                    uint32_t span = 32 - (uint32_t)__builtin_clz(S);
                    for (uint64_t p = s0; p + span <= e0 && !st; p++) {
                        uint32_t key[4], k = 0;
                        for (uint32_t j = 0; j < span; j++)
                            if (S & (1u << j))
                                key[k++] = d->ids[p + j];
                        st = ls_idmap_add(&maps[S], key, doc1);
                    }
                }
            }
        });
    }
    if (st)
        goto done;
    if (nltk)
        N = (double)c->n_tokens;
    /* candidates */
    size_t cand = 0;
    for (size_t i = 0; i <= maps[full].mask; i++) {
        uint32_t cnt = maps[full].count[i];
        if (!cnt || cnt < o->min_count)
            continue;
        const uint32_t *w = maps[full].keys + i * n;
        int ex = 0;
        for (uint32_t j = 0; j < n; j++)
            ex |= flags[w[j]] & EXCLUDED;
        if (!ex)
            cand++;
    }
    if ((st = rows_alloc(&R, cand, n, n == 2, 0)))
        goto done;
    size_t r = 0;
    for (size_t i = 0; i <= maps[full].mask; i++) {
        uint32_t cnt = maps[full].count[i];
        if (!cnt || cnt < o->min_count)
            continue;
        const uint32_t *w = maps[full].keys + i * n;
        int ex = 0;
        for (uint32_t j = 0; j < n; j++)
            ex |= flags[w[j]] & EXCLUDED;
        if (ex)
            continue;
        memcpy(R.ids + r * n, w, n * sizeof *w);
        R.o11[r] = cnt;
        R.count[r] = cnt;
        R.docs[r] = maps[full].docs[i];
        if (n == 2) {
            R.r1[r] = (double)(nltk ? c->counts[w[0]] : pos[0][w[0]]);
            R.c1[r] = (double)(nltk ? c->counts[w[1]] : pos[1][w[1]]);
        }
        r++;
    }
    s.mode = MODE_NGRAM;
    s.compat = nltk;
    s.n = n;
    s.ids = R.ids;
    s.o11 = R.o11;
    s.r1 = R.r1;
    s.c1 = R.c1;
    s.N = N;
    s.alpha = o->alpha;
    for (uint32_t j = 0; j < n; j++)
        s.uni[j] = nltk ? c->counts : pos[j];
    for (uint32_t S = 3; S < full; S++) {
        if (__builtin_popcount(S) < 2)
            continue;
        s.sub[S] = nltk ? &maps[S >> __builtin_ctz(S)] : &maps[S];
    }
    st = finish(c, o, &ml, &s, &R, "collocations", out);
    if (!st) {
        char buf[64];
        snprintf(buf, sizeof buf, "%u", n);
        st = ls_table_set_meta(*out, "n", buf);
        if (st) {
            lstats_table_free(*out);
            *out = NULL;
        }
    }
done:
    for (uint32_t S = 0; S < 16; S++)
        ls_idmap_free(&maps[S]);
    for (uint32_t j = 0; j < 4; j++)
        free(pos[j]);
    free(flags);
    rows_free(&R);
    return st;
}

/* ---- window collocates of a node ---- */

/* The node's term ids (tokenized and normalised like the corpus); *m = 0 when a token of the
 * node is not in the vocabulary (no occurrence). */
static lstats_status node_ids(const lstats_corpus *c, const char *node, size_t len, uint32_t **ids,
                              uint32_t *m, char **norm_out)
{
    ls_tok_config cfg = {c->opts.tokenizer,    c->opts.normalize,    c->opts.lowercase,
                         c->opts.keep_punct,   c->opts.drop_numbers, c->opts.locale,
                         LSTATS_SENTENCES_NONE};
    ls_tokenizer *tok = NULL;
    ls_token_buf raw, merged;
    memset(&raw, 0, sizeof raw);
    memset(&merged, 0, sizeof merged);
    lstats_status st = ls_tokenizer_new(&tok, &cfg);
    if (st)
        return st;
    ls_tokenizer_set_fold(tok, c->opts.fold_script);
    char *norm = NULL;
    *ids = NULL;
    *m = 0;
    if ((st = ls_tokenize_chunk(tok, node, len, 0, &raw)))
        goto done;
    const ls_token_buf *tb = &raw;
    if (c->compounds.count) {
        if ((st = ls_compounds_merge(&c->compounds, &raw, &merged, node)))
            goto done;
        tb = &merged;
    }
    if (tb->n == 0 || tb->n > 64) {
        st = ls_error(LSTATS_EINVAL, "the node '%.*s' has %s under the corpus's tokenizer settings",
                      (int)(len > 60 ? 60 : len), node, tb->n ? "more than 64 tokens" : "no token");
        goto done;
    }
    *ids = malloc(tb->n * sizeof **ids);
    norm = malloc(tb->bytes_len + tb->n + 1);
    if (!*ids || !norm) {
        st = ls_error_nomem();
        goto done;
    }
    int missing = 0;
    size_t nl = 0;
    for (size_t i = 0; i < tb->n; i++) {
        const ls_token *t = &tb->tok[i];
        if (i)
            norm[nl++] = ' ';
        memcpy(norm + nl, tb->bytes + t->off, t->len);
        nl += t->len;
        if (!ls_vocab_find(c->vocab, tb->bytes + t->off, t->len, &(*ids)[i]))
            missing = 1;
    }
    norm[nl] = '\0';
    *m = missing ? 0 : (uint32_t)tb->n;
    *norm_out = norm;
    norm = NULL;
done:
    if (st) {
        free(*ids);
        *ids = NULL;
    }
    free(norm);
    ls_token_buf_destroy(&raw);
    ls_token_buf_destroy(&merged);
    ls_tokenizer_free(tok);
    return st;
}

lstats_status lstats_corpus_collocates(const lstats_corpus *c, const char *node, size_t node_len,
                                       const lstats_colloc_options *o, lstats_table **out)
{
    lstats_status st = check_common(c, o, out);
    if (st)
        return st;
    if (!node)
        return ls_error(LSTATS_EINVAL, "node is NULL");
    mlist ml;
    if ((st = parse_measures(o, 2, &ml)))
        return st;
    uint32_t *q = NULL, m = 0;
    char *norm = NULL;
    if ((st = node_ids(c, node, node_len, &q, &m, &norm)))
        return st;
    uint32_t V = ls_vocab_size(c->vocab);
    uint64_t *left = calloc((size_t)V + 1, sizeof *left);
    uint64_t *right = calloc((size_t)V + 1, sizeof *right);
    uint32_t *docs = calloc((size_t)V + 1, sizeof *docs);
    uint32_t *last = calloc((size_t)V + 1, sizeof *last);
    uint8_t *flags = NULL;
    rows R;
    memset(&R, 0, sizeof R);
    src s;
    memset(&s, 0, sizeof s);
    uint64_t slots = 0, occ = 0;
    int bounded = o->sentence_bounded != 0;
    uint64_t L = o->window_left, Rw = o->window_right;
    if (!left || !right || !docs || !last) {
        st = ls_error_nomem();
        goto done;
    }
    if ((st = term_flags(c, o, &flags)))
        goto done;
    for (size_t di = 0; di < c->n_docs && m; di++) {
        const ls_doc *d = &c->docs[di];
        uint32_t doc1 = (uint32_t)(di + 1);
        FOR_SEGMENTS(d, bounded, s0, e0, {
            for (uint64_t p = s0; p + m <= e0; p++) {
                if (d->ids[p] != q[0] || memcmp(d->ids + p, q, m * sizeof *q) != 0)
                    continue;
                occ++;
                uint64_t a = p - s0 > L ? p - L : s0;
                uint64_t b = e0 - (p + m) > Rw ? p + m + Rw : e0;
                for (uint64_t i = a; i < p; i++) {
                    uint32_t id = d->ids[i];
                    left[id]++;
                    if (last[id] != doc1) {
                        last[id] = doc1;
                        docs[id]++;
                    }
                }
                for (uint64_t i = p + m; i < b; i++) {
                    uint32_t id = d->ids[i];
                    right[id]++;
                    if (last[id] != doc1) {
                        last[id] = doc1;
                        docs[id]++;
                    }
                }
                slots += (p - a) + (b - p - m);
            }
        });
    }
    size_t cand = 0;
    for (uint32_t id = 0; id < V; id++)
        if (left[id] + right[id] && left[id] + right[id] >= o->min_count && !(flags[id] & EXCLUDED))
            cand++;
    if ((st = rows_alloc(&R, cand, 1, 1, 1)))
        goto done;
    size_t r = 0;
    for (uint32_t id = 0; id < V; id++) {
        uint64_t f = left[id] + right[id];
        if (!f || f < o->min_count || (flags[id] & EXCLUDED))
            continue;
        R.ids[r] = id;
        R.left[r] = left[id];
        R.right[r] = right[id];
        R.count[r] = f;
        R.o11[r] = (double)f;
        R.docs[r] = docs[id];
        R.r1[r] = (double)slots;
        R.c1[r] = (double)c->counts[id];
        r++;
    }
    s.mode = MODE_WINDOW;
    s.n = 1;
    s.ids = R.ids;
    s.o11 = R.o11;
    s.r1 = R.r1;
    s.c1 = R.c1;
    s.N = (double)c->n_tokens;
    s.node_freq = (double)occ;
    s.alpha = o->alpha;
    if ((st = finish(c, o, &ml, &s, &R, "collocates", out)))
        goto done;
    if ((st = ls_table_set_meta(*out, "node", norm)) ||
        (st = ls_table_set_meta_u64(*out, "node_count", occ)) ||
        (st = ls_table_set_meta_u64(*out, "window_left", L)) ||
        (st = ls_table_set_meta_u64(*out, "window_right", Rw)) ||
        (st = ls_table_set_meta_u64(*out, "window_slots", slots))) {
        lstats_table_free(*out);
        *out = NULL;
    }
done:
    free(q);
    free(norm);
    free(left);
    free(right);
    free(docs);
    free(last);
    free(flags);
    rows_free(&R);
    return st;
}

/* ---- all-pairs window co-occurrence ---- */

lstats_status lstats_corpus_cooccurrence(const lstats_corpus *c, const lstats_colloc_options *o,
                                         lstats_table **out)
{
    lstats_status st = check_common(c, o, out);
    if (st)
        return st;
    if (o->window_right < 1)
        return ls_error(LSTATS_EINVAL, "window_right must be >= 1");
    mlist ml;
    if ((st = parse_measures(o, 2, &ml)))
        return st;
    int nltk = o->compat == LSTATS_COLLOC_COMPAT_NLTK;
    int bounded = o->sentence_bounded != 0;
    uint64_t w = o->window_right;
    uint32_t V = ls_vocab_size(c->vocab);
    ls_idmap map;
    memset(&map, 0, sizeof map);
    map.k = 2;
    uint64_t *slots = calloc((size_t)V + 1, sizeof *slots);
    uint8_t *flags = NULL;
    rows R;
    memset(&R, 0, sizeof R);
    src s;
    memset(&s, 0, sizeof s);
    if (!slots) {
        st = ls_error_nomem();
        goto done;
    }
    if ((st = term_flags(c, o, &flags)) || (st = ls_idmap_alloc(&map, 1u << 16, 1)))
        goto done;
    for (size_t di = 0; di < c->n_docs && !st; di++) {
        const ls_doc *d = &c->docs[di];
        uint32_t doc1 = (uint32_t)(di + 1);
        FOR_SEGMENTS(d, bounded, s0, e0, {
            for (uint64_t p = s0; p < e0 && !st; p++) {
                uint64_t b = e0 - p - 1 > w ? p + 1 + w : e0;
                uint32_t key[2];
                key[0] = d->ids[p];
                slots[key[0]] += b - p - 1;
                if (flags[key[0]] & EXCLUDED)
                    continue;
                for (uint64_t i = p + 1; i < b; i++) {
                    key[1] = d->ids[i];
                    if (flags[key[1]] & EXCLUDED)
                        continue;
                    if ((st = ls_idmap_add(&map, key, doc1)))
                        break;
                }
            }
        });
    }
    if (st)
        goto done;
    size_t cand = 0;
    for (size_t i = 0; i <= map.mask; i++)
        if (map.count[i] && map.count[i] >= o->min_count)
            cand++;
    if ((st = rows_alloc(&R, cand, 2, 1, 0)))
        goto done;
    size_t r = 0;
    for (size_t i = 0; i <= map.mask; i++) {
        uint32_t cnt = map.count[i];
        if (!cnt || cnt < o->min_count)
            continue;
        const uint32_t *k = map.keys + i * 2;
        R.ids[2 * r] = k[0];
        R.ids[2 * r + 1] = k[1];
        R.count[r] = cnt;
        R.o11[r] = nltk ? (double)cnt / (double)w : (double)cnt;
        R.docs[r] = map.docs[i];
        R.r1[r] = (double)(nltk ? c->counts[k[0]] : slots[k[0]]);
        R.c1[r] = (double)c->counts[k[1]];
        r++;
    }
    ls_idmap_free(&map);
    s.mode = MODE_COOC;
    s.compat = nltk;
    s.n = 2;
    s.ids = R.ids;
    s.o11 = R.o11;
    s.r1 = R.r1;
    s.c1 = R.c1;
    s.N = (double)c->n_tokens;
    s.window = (double)w;
    s.alpha = o->alpha;
    if ((st = finish(c, o, &ml, &s, &R, "cooccurrence", out)))
        goto done;
    if ((st = ls_table_set_meta_u64(*out, "window", w))) {
        lstats_table_free(*out);
        *out = NULL;
    }
done:
    ls_idmap_free(&map);
    free(slots);
    free(flags);
    rows_free(&R);
    return st;
}

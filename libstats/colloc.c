/* Collocations: adjacent n-grams (n = 2..4), window collocates of a node, all-pairs window
 * co-occurrence. Counting is over term ids (so script folding before interning applies), pairs
 * in open-addressing hash maps with one slot per distinct key; filters, sorting and top-k in C;
 * results as column tables. Measures come from assoc.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "growmem.h"
#include "colloc_impl.h"
#include "corpus_impl.h"
#include "error.h"
#include "idmap.h"
#include "parallel.h"
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

/* n = 3, 4: the n-grams and the counts of every subset of positions the 2^n table needs. */
static lstats_status count_ngrams(const lstats_corpus *c, uint32_t n, int bounded, int nltk,
                                  const lstats_colloc_options *o, const uint8_t *flags,
                                  ls_idmap *maps, uint64_t **pos, double *N, rows *R,
                                  ls_pagepool *pool)
{
    uint32_t full = (1u << n) - 1;
    lstats_status st = LSTATS_OK;
    /* maps[full]: the n-grams; maps[S], 2 <= |S| < n: subsets of positions (NLTK: shapes, the
     * subsets that start at position 0, counted over every position) */
    for (uint32_t S = 3; S <= full && !st; S++) {
        int bits = __builtin_popcount(S);
        if (bits < 2 || (nltk && S != full && !(S & 1)))
            continue;
        maps[S].k = (uint32_t)bits;
        st = ls_idmap_alloc(&maps[S], 1024, S == full);
    }
    for (size_t di = 0; di < c->n_docs && !st; di++) {
        const ls_doc *d = &c->docs[di];
        uint32_t doc1 = (uint32_t)(di + 1);
        FOR_SEGMENTS(d, bounded, s0, e0, {
            for (uint64_t p = s0; p + n <= e0 && !st; p++) {
                const uint32_t *w = d->ids + p;
                *N += 1;
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
        return st;
    const ls_idmap *g = &maps[full];
    size_t cand = 0;
    for (int pass = 0; pass < 2 && !st; pass++) {
        size_t r = 0;
        for (size_t i = 0; i <= g->mask; i++) {
            uint32_t cnt = g->count[i];
            if (!cnt || cnt < o->min_count)
                continue;
            const uint32_t *w = g->keys + i * n;
            int ex = 0;
            for (uint32_t j = 0; j < n; j++)
                ex |= flags[w[j]] & EXCLUDED;
            if (ex)
                continue;
            if (pass) {
                memcpy(R->ids + r * n, w, n * sizeof *w);
                R->count[r] = cnt;
                R->docs[r] = g->docs[i];
            }
            r++;
        }
        if (!pass) {
            cand = r;
            st = ls_rows_alloc(R, cand, n, 0, pool);
        }
    }
    return st;
}

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
    ls_pagepool pool; /* pages passed on from the counts to the result */
    ls_pagepool_init(&pool);
    src s;
    memset(&s, 0, sizeof s);
    double N = 0;
    if ((st = term_flags(c, o, &flags)))
        return st;
    for (uint32_t j = 0; j < n && !st && !nltk; j++)
        if (!(pos[j] = ls_calloc_written((size_t)V + 1, sizeof *pos[j])))
            st = ls_error_nomem();
    if (!st)
        st = n == 2 ? ls_count_pairs(c, o, flags, 0, pos[0], pos[1], NULL, &N, &R, &pool)
                    : count_ngrams(c, n, bounded, nltk, o, flags, maps, pos, &N, &R, &pool);
    if (st)
        goto done;
    if (nltk)
        N = (double)c->n_tokens;
    s.mode = MODE_NGRAM;
    s.compat = nltk;
    s.n = n;
    s.ids = R.ids;
    s.cnt = R.count;
    s.o11_div = 1;
    s.ra = nltk ? c->counts : pos[0];
    s.cb = nltk ? c->counts : pos[1];
    s.N = N;
    s.alpha = o->alpha;
    for (uint32_t j = 0; j < n; j++)
        s.uni[j] = nltk ? c->counts : pos[j];
    for (uint32_t S = 3; S < full; S++) {
        if (__builtin_popcount(S) < 2)
            continue;
        s.sub[S] = nltk ? &maps[S >> __builtin_ctz(S)] : &maps[S];
    }
    st = ls_colloc_finish(c, o, &ml, &s, &R, &pool, "collocations", out);
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
    ls_rows_free(&R, NULL);
    ls_pagepool_free(&pool);
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
    uint64_t *left = ls_calloc_written((size_t)V + 1, sizeof *left);
    uint64_t *right = ls_calloc_written((size_t)V + 1, sizeof *right);
    uint32_t *docs = ls_calloc_written((size_t)V + 1, sizeof *docs);
    uint32_t *last = ls_calloc_written((size_t)V + 1, sizeof *last);
    uint8_t *flags = NULL;
    rows R;
    memset(&R, 0, sizeof R);
    ls_pagepool pool; /* pages passed on from the counts to the result */
    ls_pagepool_init(&pool);
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
    if ((st = ls_rows_alloc(&R, cand, 1, 1, &pool)))
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
        R.docs[r] = docs[id];
        r++;
    }
    s.mode = MODE_WINDOW;
    s.n = 1;
    s.ids = R.ids;
    s.cnt = R.count;
    s.o11_div = 1;
    s.ra = NULL;
    s.r1_all = (double)slots;
    s.cb = c->counts;
    s.N = (double)c->n_tokens;
    s.node_freq = (double)occ;
    s.alpha = o->alpha;
    if ((st = ls_colloc_finish(c, o, &ml, &s, &R, &pool, "collocates", out)))
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
    ls_rows_free(&R, NULL);
    ls_pagepool_free(&pool);
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
    uint64_t w = o->window_right;
    uint32_t V = ls_vocab_size(c->vocab);
    uint64_t *slots = ls_calloc_written((size_t)V + 1, sizeof *slots);
    uint8_t *flags = NULL;
    rows R;
    memset(&R, 0, sizeof R);
    ls_pagepool pool; /* pages passed on from the counts to the result */
    ls_pagepool_init(&pool);
    src s;
    memset(&s, 0, sizeof s);
    if (!slots) {
        st = ls_error_nomem();
        goto done;
    }
    double unused;
    if ((st = term_flags(c, o, &flags)) ||
        (st = ls_count_pairs(c, o, flags, w, NULL, NULL, slots, &unused, &R, &pool)))
        goto done;
    s.mode = MODE_COOC;
    s.compat = nltk;
    s.n = 2;
    s.ids = R.ids;
    s.cnt = R.count;
    s.o11_div = nltk ? (double)w : 1;
    s.ra = nltk ? c->counts : slots;
    s.cb = c->counts;
    s.N = (double)c->n_tokens;
    s.alpha = o->alpha;
    if ((st = ls_colloc_finish(c, o, &ml, &s, &R, &pool, "cooccurrence", out)))
        goto done;
    if ((st = ls_table_set_meta_u64(*out, "window", w))) {
        lstats_table_free(*out);
        *out = NULL;
    }
done:
    free(slots);
    free(flags);
    ls_rows_free(&R, NULL);
    ls_pagepool_free(&pool);
    return st;
}

/* Term and n-gram frequencies with document frequency. */
#include <stdlib.h>
#include <string.h>

#include "corpus_impl.h"
#include "dispersion.h"
#include "error.h"
#include "msort.h"
#include "idmap.h"
#include "table.h"

lstats_status lstats_freq_options_init(lstats_freq_options *opts, uint32_t version)
{
    if (!opts)
        return ls_error(LSTATS_EINVAL, "opts is NULL");
    if (version != LSTATS_FREQ_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "frequency options version %u is not supported (want %u)",
                        version, LSTATS_FREQ_OPTIONS_VERSION);
    memset(opts, 0, sizeof *opts);
    opts->version = version;
    opts->n = 1;
    opts->min_count = 1;
    opts->idf_base = 10;
    return LSTATS_OK;
}

#define MAX_N 5

typedef struct sort_ctx {
    const ls_vocab *vocab;
    uint32_t n;
} sort_ctx;

/* Rows of the result before they become columns. */
typedef struct row {
    const uint32_t *key; /* n ids */
    uint64_t count, docs;
    uint64_t prefix;     /* the term's first 8 bytes, big-endian: most ties end here */
    const sort_ctx *ctx; /* qsort has no context argument in C11 */
} row;

/* Reads the joined n-gram string ("w1 w2 ...") byte by byte without building it. */
typedef struct joined_cursor {
    const ls_vocab *v;
    const uint32_t *key;
    uint32_t n, part;
    const char *s;
    size_t len, pos;
} joined_cursor;

static int cursor_next(joined_cursor *c)
{
    while (c->pos == c->len) {
        if (++c->part >= c->n)
            return -1;
        c->s = ls_vocab_term(c->v, c->key[c->part], &c->len);
        c->pos = 0;
        return ' ';
    }
    return (unsigned char)c->s[c->pos++];
}

static int compare_terms(const ls_vocab *v, const uint32_t *a, const uint32_t *b, uint32_t n)
{
    if (n == 1) {
        size_t la, lb;
        const char *sa = ls_vocab_term(v, a[0], &la);
        const char *sb = ls_vocab_term(v, b[0], &lb);
        int c = memcmp(sa, sb, la < lb ? la : lb);
        return c ? c : (la < lb ? -1 : la > lb);
    }
    joined_cursor ca = {v, a, n, 0, NULL, 0, 0}, cb = {v, b, n, 0, NULL, 0, 0};
    ca.s = ls_vocab_term(v, a[0], &ca.len);
    cb.s = ls_vocab_term(v, b[0], &cb.len);
    for (;;) {
        int x = cursor_next(&ca), y = cursor_next(&cb);
        if (x != y)
            return x < y ? -1 : 1;
        if (x < 0)
            return 0;
    }
}

static int compare_rows(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    return compare_terms(a->ctx->vocab, a->key, b->key, a->ctx->n);
}

#define ROW_LESS(ctx, a, b) (compare_rows((a), (b)) < 0)
LS_MERGE_SORT(sort_rows, row, int, ROW_LESS)

/* The first 8 bytes of the joined term, zero-padded, as a big-endian number: comparing two
 * prefixes orders them as memcmp would (a shorter term that is a prefix compares equal, and
 * the full comparison decides). */
static uint64_t term_prefix(const ls_vocab *v, const uint32_t *key, uint32_t n)
{
    joined_cursor c = {v, key, n, 0, NULL, 0, 0};
    c.s = ls_vocab_term(v, key[0], &c.len);
    uint64_t p = 0;
    for (int i = 0; i < 8; i++) {
        int b = cursor_next(&c);
        p = (p << 8) | (uint64_t)(b < 0 ? 0 : b);
        if (b < 0) {
            p <<= 8 * (7 - i);
            break;
        }
    }
    return p;
}

static lstats_status build_table(const lstats_corpus *c, row *rows, size_t n_rows, uint32_t n,
                                 uint64_t denominator, const lstats_freq_options *o,
                                 lstats_table **out)
{
    sort_ctx ctx = {c->vocab, n};
    for (size_t r = 0; r < n_rows; r++) {
        rows[r].ctx = &ctx;
        rows[r].prefix = term_prefix(c->vocab, rows[r].key, n);
    }
    row *tmp = malloc((n_rows / 2 + 1) * sizeof *tmp);
    if (!tmp)
        return ls_error_nomem();
    sort_rows(rows, tmp, n_rows, 0);
    free(tmp);

    size_t blob_len = 0;
    for (size_t r = 0; r < n_rows; r++)
        for (uint32_t i = 0; i < n; i++) {
            size_t len;
            ls_vocab_term(c->vocab, rows[r].key[i], &len);
            blob_len += len + (i > 0);
        }
    lstats_table *t = ls_table_new(n_rows);
    char *blob = malloc(blob_len ? blob_len : 1);
    int64_t *off = malloc((n_rows + 1) * sizeof *off);
    uint64_t *count = malloc((n_rows ? n_rows : 1) * sizeof *count);
    uint64_t *docs = malloc((n_rows ? n_rows : 1) * sizeof *docs);
    double *pm = malloc((n_rows ? n_rows : 1) * sizeof *pm);
    if (!t || !blob || !off || !count || !docs || !pm) {
        lstats_table_free(t);
        free(blob);
        free(off);
        free(count);
        free(docs);
        free(pm);
        return ls_error_nomem();
    }
    size_t p = 0;
    off[0] = 0;
    for (size_t r = 0; r < n_rows; r++) {
        for (uint32_t i = 0; i < n; i++) {
            size_t len;
            const char *term = ls_vocab_term(c->vocab, rows[r].key[i], &len);
            if (i > 0)
                blob[p++] = ' ';
            memcpy(blob + p, term, len);
            p += len;
        }
        off[r + 1] = (int64_t)p;
        count[r] = rows[r].count;
        docs[r] = rows[r].docs;
        pm[r] = denominator ? (double)rows[r].count * 1e6 / (double)denominator : 0.0;
    }
    lstats_status st;
    if ((st = ls_table_add_string(t, "term", blob, off)) ||
        (st = ls_table_add_u64(t, "count", count)) ||
        (st = ls_table_add_f64(t, "per_million", pm)) ||
        (st = ls_table_add_u64(t, "doc_count", docs)) ||
        (st = ls_table_set_meta(t, "kind", "frequency")) ||
        (st = ls_table_set_meta_u64(t, "n", n)) ||
        (st = ls_table_set_meta_u64(t, "n_tokens", denominator)) ||
        (st = ls_table_set_meta_u64(t, "min_count", o->min_count)) ||
        (st = ls_table_set_meta(t, "cross_sentences", o->cross_sentences ? "1" : "0")) ||
        (st = ls_corpus_describe(c, t))) {
        lstats_table_free(t);
        return st;
    }
    *out = t;
    return LSTATS_OK;
}

static lstats_status unigrams(const lstats_corpus *c, const lstats_freq_options *o,
                              lstats_table **out)
{
    /* Terms past counts_cap were interned by a failed add and never counted. */
    uint32_t v = ls_vocab_size(c->vocab);
    if (v > c->counts_cap)
        v = (uint32_t)c->counts_cap;
    uint32_t *last = calloc(v ? v : 1, sizeof *last);
    uint32_t *ids = malloc((v ? v : 1) * sizeof *ids);
    row *rows = malloc((v ? v : 1) * sizeof *rows);
    lstats_status st = LSTATS_OK;
    if (!last || !ids || !rows) {
        st = ls_error_nomem();
        goto done;
    }
    size_t n_rows = 0;
    for (uint32_t id = 0; id < v; id++) {
        ids[id] = id;
        if (c->counts[id] && c->counts[id] >= o->min_count)
            rows[n_rows++] = (row){&ids[id], c->counts[id], c->doc_freq[id], 0, NULL};
    }
    st = build_table(c, rows, n_rows, 1, c->n_tokens, o, out);
    if (!st && o->dispersion) {
        for (size_t r = 0; r < n_rows; r++) /* rows are sorted now: ids in table order */
            last[r] = rows[r].key[0];
        if ((st = ls_freq_dispersion(c, o, last, n_rows, *out))) {
            lstats_table_free(*out);
            *out = NULL;
        }
    }
done:
    free(last);
    free(ids);
    free(rows);
    return st;
}

static lstats_status ngrams(const lstats_corpus *c, const lstats_freq_options *o,
                            lstats_table **out)
{
    uint32_t n = o->n;
    ls_idmap m;
    memset(&m, 0, sizeof m);
    m.k = n;
    lstats_status st = ls_idmap_alloc(&m, 1 << 16, 1);
    if (st)
        return st;
    uint64_t positions = 0;
    row *rows = NULL;
    for (size_t d = 0; d < c->n_docs; d++) {
        const ls_doc *doc = &c->docs[d];
        if (doc->n_tokens < n)
            continue;
        uint64_t s = 0; /* the first sentence start after position p */
        for (uint64_t p = 0; p + n <= doc->n_tokens; p++) {
            if (!o->cross_sentences) {
                while (s < doc->n_sent && doc->sent[s] <= p)
                    s++;
                if (s < doc->n_sent && doc->sent[s] < p + n)
                    continue; /* a sentence starts inside the window */
            }
            positions++;
            if ((st = ls_idmap_add(&m, doc->ids + p, (uint32_t)(d + 1))))
                goto done;
        }
    }
    rows = malloc((m.used ? m.used : 1) * sizeof *rows);
    if (!rows) {
        st = ls_error_nomem();
        goto done;
    }
    size_t n_rows = 0;
    for (size_t i = 0; i <= m.mask; i++)
        if (m.count[i] && m.count[i] >= o->min_count)
            rows[n_rows++] = (row){m.keys + i * n, m.count[i], m.docs[i], 0, NULL};
    st = build_table(c, rows, n_rows, n, positions, o, out);
done:
    free(rows);
    ls_idmap_free(&m);
    return st;
}

lstats_status lstats_corpus_frequencies(const lstats_corpus *c, const lstats_freq_options *opts,
                                        lstats_table **out)
{
    if (!c || !out)
        return ls_error(LSTATS_EINVAL, "corpus or out is NULL");
    *out = NULL;
    lstats_freq_options defaults;
    if (!opts) {
        lstats_freq_options_init(&defaults, LSTATS_FREQ_OPTIONS_VERSION);
        opts = &defaults;
    }
    if (opts->version != LSTATS_FREQ_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "frequency options version %u is not supported (want %u)",
                        opts->version, LSTATS_FREQ_OPTIONS_VERSION);
    if (opts->n < 1 || opts->n > MAX_N)
        return ls_error(LSTATS_EINVAL, "n-gram size must be 1..%d, got %u", MAX_N, opts->n);
    if (opts->dispersion && opts->n != 1)
        return ls_error(LSTATS_EINVAL,
                        "dispersion is computed for single terms (n = 1), not n = %u", opts->n);
    if (opts->dispersion && !(opts->idf_base > 0 && opts->idf_base != 1))
        return ls_error(LSTATS_EINVAL, "idf_base must be > 0 and != 1, got %g", opts->idf_base);
    if (opts->n == 1)
        return unigrams(c, opts, out);
    return ngrams(c, opts, out);
}

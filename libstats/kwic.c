/* Concordance (keyword in context) lines from term-id streams and token byte offsets.
 *
 * The pattern goes through the corpus's own tokenizer, normaliser and compound merging, so a
 * query matches exactly the term ids ingestion produced; contexts are cut from the stored text
 * at token offsets (never rebuilt from normalised terms). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_impl.h"
#include "error.h"
#include "table.h"
#include "tokenize.h"

lstats_status lstats_kwic_options_init(lstats_kwic_options *opts, uint32_t version)
{
    if (!opts)
        return ls_error(LSTATS_EINVAL, "opts is NULL");
    if (version != LSTATS_KWIC_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "kwic options version %u is not supported (want %u)",
                        version, LSTATS_KWIC_OPTIONS_VERSION);
    memset(opts, 0, sizeof *opts);
    opts->version = version;
    opts->window = 5;
    return LSTATS_OK;
}

#define MAX_KEYS 16

typedef struct sort_key {
    int side;       /* -1 left, 0 match, +1 right */
    uint32_t level; /* 1 = the nearest token */
} sort_key;

typedef struct kwic_ctx {
    const lstats_corpus *c;
    uint32_t m; /* tokens in the query */
    sort_key keys[MAX_KEYS];
    int n_keys;
} kwic_ctx;

typedef struct hit {
    uint64_t pos;
    uint32_t doc;
    const kwic_ctx *ctx; /* qsort has no context argument in C11 */
} hit;

/* The query: for each position, one id, or (ignore_case) a bitmap of acceptable ids. */
typedef struct query {
    uint32_t m;
    uint32_t *id;
    uint8_t **any; /* NULL or a bitmap over the vocabulary, per position */
    int missing;   /* some position matches no id: no line */
} query;

static void query_free(query *q)
{
    if (q->any)
        for (uint32_t i = 0; i < q->m; i++)
            free(q->any[i]);
    free(q->any);
    free(q->id);
}

static int query_match(const query *q, const uint32_t *ids)
{
    for (uint32_t i = 0; i < q->m; i++) {
        uint32_t id = ids[i];
        if (q->any ? !(q->any[i][id >> 3] & (1u << (id & 7))) : id != q->id[i])
            return 0;
    }
    return 1;
}

static lstats_status parse_sort(kwic_ctx *ctx, const char *spec)
{
    ctx->n_keys = 0;
    if (!spec)
        return LSTATS_OK;
    const char *p = spec;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        size_t len = (size_t)(e - p);
        sort_key k = {0, 0};
        size_t word = 0;
        if (len >= 4 && memcmp(p, "left", 4) == 0) {
            k.side = -1;
            word = 4;
        } else if (len >= 5 && memcmp(p, "right", 5) == 0) {
            k.side = 1;
            word = 5;
        } else if (len == 5 && memcmp(p, "match", 5) == 0) {
            word = 5;
        } else {
            return ls_error(LSTATS_EINVAL,
                            "unknown sort key '%.*s' (want left1.., match or right1.., "
                            "separated by commas)",
                            (int)(len > 40 ? 40 : len), p);
        }
        if (k.side) {
            uint64_t level = 0;
            size_t i = word;
            for (; i < len && p[i] >= '0' && p[i] <= '9' && level < 1000000; i++)
                level = level * 10 + (uint64_t)(p[i] - '0');
            if (i == word)
                level = 1; /* "left" = "left1" */
            else if (i != len || level == 0 || level >= 1000000)
                return ls_error(LSTATS_EINVAL, "bad sort key '%.*s' (levels are 1, 2, ...)",
                                (int)(len > 40 ? 40 : len), p);
            k.level = (uint32_t)level;
        } else if (word != len) {
            return ls_error(LSTATS_EINVAL, "unknown sort key '%.*s'", (int)(len > 40 ? 40 : len),
                            p);
        }
        if (ctx->n_keys == MAX_KEYS)
            return ls_error(LSTATS_EINVAL, "at most %d sort keys", MAX_KEYS);
        ctx->keys[ctx->n_keys++] = k;
        p = e;
    }
    return LSTATS_OK;
}

/* Compares terms a and b bytewise; an absent token (document edge) sorts first. */
static int compare_ids(const ls_vocab *v, int64_t a, int64_t b)
{
    if (a < 0 || b < 0)
        return (a >= 0) - (b >= 0);
    if (a == b)
        return 0;
    size_t la, lb;
    const char *sa = ls_vocab_term(v, (uint32_t)a, &la);
    const char *sb = ls_vocab_term(v, (uint32_t)b, &lb);
    int r = memcmp(sa, sb, la < lb ? la : lb);
    return r ? r : (la < lb ? -1 : la > lb);
}

static int64_t token_at(const lstats_corpus *c, uint32_t doc, int64_t pos)
{
    const ls_doc *d = &c->docs[doc];
    if (pos < 0 || (uint64_t)pos >= d->n_tokens)
        return -1;
    return d->ids[pos];
}

static int compare_hits(const void *pa, const void *pb)
{
    const hit *a = pa, *b = pb;
    const kwic_ctx *ctx = a->ctx;
    const ls_vocab *v = ctx->c->vocab;
    for (int i = 0; i < ctx->n_keys; i++) {
        const sort_key *k = &ctx->keys[i];
        int r = 0;
        if (k->side < 0) {
            r = compare_ids(v, token_at(ctx->c, a->doc, (int64_t)a->pos - k->level),
                            token_at(ctx->c, b->doc, (int64_t)b->pos - k->level));
        } else if (k->side > 0) {
            int64_t off = (int64_t)ctx->m + k->level - 1;
            r = compare_ids(v, token_at(ctx->c, a->doc, (int64_t)a->pos + off),
                            token_at(ctx->c, b->doc, (int64_t)b->pos + off));
        } else {
            for (uint32_t j = 0; j < ctx->m && !r; j++)
                r = compare_ids(v, token_at(ctx->c, a->doc, (int64_t)(a->pos + j)),
                                token_at(ctx->c, b->doc, (int64_t)(b->pos + j)));
        }
        if (r)
            return r;
    }
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int compare_order(const void *pa, const void *pb)
{
    const hit *a = pa, *b = pb;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Tokenizes and normalises the pattern like ingestion, and looks its terms up. */
static lstats_status build_query(const lstats_corpus *c, const char *pattern, size_t len,
                                 int ignore_case, query *q, char **terms_out)
{
    const lstats_corpus_options *co = &c->opts;
    ls_tok_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.tokenizer = co->tokenizer;
    cfg.normalize = co->normalize;
    cfg.lowercase = co->lowercase;
    cfg.keep_punct = co->keep_punct;
    cfg.drop_numbers = co->drop_numbers;
    cfg.locale = co->locale;
    cfg.sentences = LSTATS_SENTENCES_NONE;
    ls_tokenizer *tok = NULL, *fold = NULL;
    ls_token_buf raw, merged;
    memset(&raw, 0, sizeof raw);
    memset(&merged, 0, sizeof merged);
    char *terms = NULL;
    lstats_status st = ls_tokenizer_new(&tok, &cfg);
    if (st)
        return st;
    /* Script folding (fold_script): a query in either script finds both. */
    ls_tokenizer_set_fold(tok, co->fold_script);
    if ((st = ls_tokenize_chunk(tok, pattern, len, 0, &raw)))
        goto done;
    const ls_token_buf *tb = &raw;
    if (c->compounds.count) {
        if ((st = ls_compounds_merge(&c->compounds, &raw, &merged, pattern)))
            goto done;
        tb = &merged;
    }
    if (tb->n == 0) {
        st = ls_error(LSTATS_EINVAL,
                      "the pattern '%.*s' has no token under the corpus's tokenizer settings "
                      "(punctuation is dropped unless keep_punct)",
                      (int)(len > 60 ? 60 : len), pattern);
        goto done;
    }
    if (tb->n > UINT32_MAX / 2) {
        st = ls_error(LSTATS_EINVAL, "the pattern has too many tokens");
        goto done;
    }
    q->m = (uint32_t)tb->n;
    q->id = calloc(tb->n, sizeof *q->id);
    terms = malloc(tb->bytes_len + tb->n + 1);
    if (!q->id || !terms) {
        st = ls_error_nomem();
        goto done;
    }
    size_t tl = 0;
    for (size_t i = 0; i < tb->n; i++) {
        const ls_token *t = &tb->tok[i];
        if (i)
            terms[tl++] = ' ';
        memcpy(terms + tl, tb->bytes + t->off, t->len);
        tl += t->len;
        if (!ls_vocab_find(c->vocab, tb->bytes + t->off, t->len, &q->id[i]))
            q->missing = 1;
    }
    terms[tl] = '\0';
    if (ignore_case && !co->lowercase) {
        /* Every vocabulary term whose case folding equals the query term's. */
        q->missing = 0;
        cfg.lowercase = 1;
        if ((st = ls_tokenizer_new(&fold, &cfg)))
            goto done;
        ls_tokenizer_set_fold(fold, co->fold_script);
        uint32_t V = ls_vocab_size(c->vocab);
        size_t bytes = ((size_t)V + 8) / 8;
        q->any = calloc(q->m, sizeof *q->any);
        if (!q->any) {
            st = ls_error_nomem();
            goto done;
        }
        char **folded = calloc(q->m, sizeof *folded);
        size_t *folded_len = calloc(q->m, sizeof *folded_len);
        int ok = folded && folded_len;
        for (uint32_t i = 0; ok && i < q->m; i++) {
            const ls_token *t = &tb->tok[i];
            const char *s;
            size_t sl;
            q->any[i] = calloc(bytes, 1);
            if (!q->any[i] ||
                (st = ls_tokenizer_normalize(fold, tb->bytes + t->off, t->len, &s, &sl))) {
                ok = 0;
                break;
            }
            folded[i] = malloc(sl ? sl : 1);
            if (!folded[i]) {
                ok = 0;
                break;
            }
            memcpy(folded[i], s, sl);
            folded_len[i] = sl;
        }
        for (uint32_t id = 0; ok && id < V; id++) {
            size_t vl, sl;
            const char *vs = ls_vocab_term(c->vocab, id, &vl), *s;
            if ((st = ls_tokenizer_normalize(fold, vs, vl, &s, &sl))) {
                ok = 0;
                break;
            }
            for (uint32_t i = 0; i < q->m; i++)
                if (sl == folded_len[i] && memcmp(s, folded[i], sl) == 0)
                    q->any[i][id >> 3] |= (uint8_t)(1u << (id & 7));
        }
        if (folded)
            for (uint32_t i = 0; i < q->m; i++)
                free(folded[i]);
        free(folded);
        free(folded_len);
        if (!ok) {
            if (!st)
                st = ls_error_nomem();
            goto done;
        }
    }
    *terms_out = terms;
    terms = NULL;
done:
    free(terms);
    ls_token_buf_destroy(&raw);
    ls_token_buf_destroy(&merged);
    ls_tokenizer_free(tok);
    ls_tokenizer_free(fold);
    return st;
}

/* Byte span [a, b) of tokens [from, to) of a document (empty when from >= to). */
static void span(const ls_doc *d, uint64_t from, uint64_t to, uint64_t *a, uint64_t *b)
{
    if (from >= to) {
        *a = *b = 0;
        return;
    }
    *a = d->tok_start[from];
    *b = d->tok_start[to - 1] + d->tok_len[to - 1];
}

/* The text of a line's part: left (kind 0) runs from its first token to the match, so the
 * punctuation and spaces before the match are kept; the match (1) is its tokens' span; right
 * (2) runs from the end of the match to its last token's end. Empty without tokens. */
static void context(const ls_doc *d, uint64_t from, uint64_t to, int kind, uint64_t *a, uint64_t *b)
{
    span(d, from, to, a, b);
    if (from >= to)
        return;
    if (kind == 0)
        *b = d->tok_start[to];
    else if (kind == 2)
        *a = d->tok_start[from - 1] + d->tok_len[from - 1];
}

lstats_status lstats_corpus_kwic(const lstats_corpus *c, const char *pattern, size_t pattern_len,
                                 const lstats_kwic_options *opts, lstats_table **out)
{
    if (!c || !out || (!pattern && pattern_len))
        return ls_error(LSTATS_EINVAL, "corpus, pattern or out is NULL");
    *out = NULL;
    lstats_kwic_options defaults;
    if (!opts) {
        lstats_kwic_options_init(&defaults, LSTATS_KWIC_OPTIONS_VERSION);
        opts = &defaults;
    }
    if (opts->version != LSTATS_KWIC_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "kwic options version %u is not supported (want %u)",
                        opts->version, LSTATS_KWIC_OPTIONS_VERSION);
    if (!c->opts.keep_text)
        return ls_error(LSTATS_ESTATE,
                        "concordance lines need the text: this corpus was built without it; "
                        "build it with keep_text=True (C: lstats_corpus_options.keep_text = 1)");
    if (opts->sample && !opts->limit)
        return ls_error(LSTATS_EINVAL, "sample needs a limit (the sample size) > 0");
    size_t bad;
    if (!pattern_len)
        return ls_error(LSTATS_EINVAL, "the pattern is empty");
    if (!ls_table_utf8_valid(pattern, pattern_len, &bad))
        return ls_error(LSTATS_EUTF8, "the pattern is not valid UTF-8 (byte offset %zu)", bad);
    kwic_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.c = c;
    lstats_status st = parse_sort(&ctx, opts->sort);
    if (st)
        return st;
    query q;
    memset(&q, 0, sizeof q);
    char *terms = NULL;
    hit *hits = NULL;
    size_t n_hits = 0, cap = 0;
    lstats_table *t = NULL;
    if ((st = build_query(c, pattern, pattern_len, opts->ignore_case, &q, &terms)))
        goto done;
    ctx.m = q.m;
    if (!q.missing) {
        for (size_t d = 0; d < c->n_docs; d++) {
            const ls_doc *doc = &c->docs[d];
            if (doc->n_tokens < q.m)
                continue;
            uint64_t last = doc->n_tokens - q.m;
            uint32_t first = q.any ? 0 : q.id[0];
            for (uint64_t p = 0; p <= last; p++) {
                if (!q.any && doc->ids[p] != first)
                    continue;
                if (!query_match(&q, doc->ids + p))
                    continue;
                if (n_hits == cap) {
                    size_t ncap = cap ? cap * 2 : 256;
                    hit *h = realloc(hits, ncap * sizeof *h);
                    if (!h) {
                        st = ls_error_nomem();
                        goto done;
                    }
                    hits = h;
                    cap = ncap;
                }
                hits[n_hits++] = (hit){p, (uint32_t)d, &ctx};
            }
        }
    }
    size_t n_matches = n_hits;
    if (opts->sample && n_hits > opts->limit) {
        /* A partial Fisher-Yates shuffle picks `limit` lines; they go back to corpus order. */
        uint64_t state = opts->seed;
        for (size_t i = 0; i < opts->limit; i++) {
            size_t j = i + (size_t)(splitmix64(&state) % (uint64_t)(n_hits - i));
            hit tmp = hits[i];
            hits[i] = hits[j];
            hits[j] = tmp;
        }
        n_hits = (size_t)opts->limit;
        qsort(hits, n_hits, sizeof *hits, compare_order);
    }
    if (ctx.n_keys)
        qsort(hits, n_hits, sizeof *hits, compare_hits);
    if (opts->limit && n_hits > opts->limit)
        n_hits = (size_t)opts->limit;

    /* Columns. */
    uint64_t w = opts->window;
    size_t name_bytes = 0, text_bytes[3] = {0, 0, 0};
    for (size_t i = 0; i < n_hits; i++) {
        const ls_doc *d = &c->docs[hits[i].doc];
        uint64_t p = hits[i].pos, e = p + q.m, a, b;
        name_bytes += strlen(d->name);
        context(d, p > w ? p - w : 0, p, 0, &a, &b);
        text_bytes[0] += b - a;
        context(d, p, e, 1, &a, &b);
        text_bytes[1] += b - a;
        context(d, e, e + w < d->n_tokens ? e + w : d->n_tokens, 2, &a, &b);
        text_bytes[2] += b - a;
    }
    size_t rows1 = n_hits ? n_hits : 1;
    t = ls_table_new(n_hits);
    char *names = malloc(name_bytes ? name_bytes : 1);
    int64_t *name_off = malloc((n_hits + 1) * sizeof *name_off);
    uint64_t *doc_index = malloc(rows1 * sizeof *doc_index);
    uint64_t *position = malloc(rows1 * sizeof *position);
    uint64_t *start = malloc(rows1 * sizeof *start);
    uint64_t *end = malloc(rows1 * sizeof *end);
    char *blob[3];
    int64_t *off[3];
    for (int k = 0; k < 3; k++) {
        blob[k] = malloc(text_bytes[k] ? text_bytes[k] : 1);
        off[k] = malloc((n_hits + 1) * sizeof *off[k]);
    }
    int ok = t && names && name_off && doc_index && position && start && end;
    for (int k = 0; k < 3; k++)
        ok = ok && blob[k] && off[k];
    if (!ok) {
        free(names);
        free(name_off);
        free(doc_index);
        free(position);
        free(start);
        free(end);
        for (int k = 0; k < 3; k++) {
            free(blob[k]);
            free(off[k]);
        }
        st = ls_error_nomem();
        goto done;
    }
    size_t np = 0, tp[3] = {0, 0, 0};
    name_off[0] = 0;
    for (int k = 0; k < 3; k++)
        off[k][0] = 0;
    for (size_t i = 0; i < n_hits; i++) {
        const ls_doc *d = &c->docs[hits[i].doc];
        uint64_t p = hits[i].pos, e = p + q.m, a, b;
        size_t nl = strlen(d->name);
        memcpy(names + np, d->name, nl);
        np += nl;
        name_off[i + 1] = (int64_t)np;
        doc_index[i] = hits[i].doc;
        position[i] = p;
        uint64_t from[3] = {p > w ? p - w : 0, p, e};
        uint64_t to[3] = {p, e, e + w < d->n_tokens ? e + w : d->n_tokens};
        for (int k = 0; k < 3; k++) {
            context(d, from[k], to[k], k, &a, &b);
            memcpy(blob[k] + tp[k], d->text + a, (size_t)(b - a));
            tp[k] += (size_t)(b - a);
            off[k][i + 1] = (int64_t)tp[k];
            if (k == 1) {
                start[i] = a;
                end[i] = b;
            }
        }
    }
    char num[32];
    st = ls_table_add_string(t, "doc", names, name_off);
    uint64_t *u64s[4] = {doc_index, position, start, end};
    static const char *const u64_names[4] = {"doc_index", "position", "start", "end"};
    for (int k = 0; k < 4; k++) {
        if (!st)
            st = ls_table_add_u64(t, u64_names[k], u64s[k]);
        else
            free(u64s[k]);
    }
    static const char *const col[3] = {"left", "match", "right"};
    for (int k = 0; k < 3; k++) {
        if (!st) {
            st = ls_table_add_string(t, col[k], blob[k], off[k]);
        } else {
            free(blob[k]);
            free(off[k]);
        }
    }
    if (st)
        goto done;
    char *pat = malloc(pattern_len + 1);
    if (!pat) {
        st = ls_error_nomem();
        goto done;
    }
    memcpy(pat, pattern, pattern_len);
    pat[pattern_len] = '\0';
    snprintf(num, sizeof num, "%u", (unsigned)opts->window);
    if ((st = ls_table_set_meta(t, "kind", "kwic")) ||
        (st = ls_table_set_meta(t, "pattern", pat)) ||
        (st = ls_table_set_meta(t, "query_terms", terms)) ||
        (st = ls_table_set_meta(t, "window", num)) ||
        (st = ls_table_set_meta_u64(t, "n_matches", n_matches)) ||
        (st = ls_table_set_meta(t, "sort", opts->sort ? opts->sort : "")) ||
        (st = ls_table_set_meta(t, "ignore_case", opts->ignore_case ? "1" : "0")) ||
        (st = ls_corpus_describe(c, t))) {
        free(pat);
        goto done;
    }
    free(pat);
    *out = t;
    t = NULL;
done:
    lstats_table_free(t);
    free(hits);
    free(terms);
    query_free(&q);
    return st;
}

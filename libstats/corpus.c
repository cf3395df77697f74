#include "corpus_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "table.h"

static char *dup_cstr(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

lstats_status lstats_corpus_options_init(lstats_corpus_options *opts, uint32_t version)
{
    if (!opts)
        return ls_error(LSTATS_EINVAL, "opts is NULL");
    if (version != LSTATS_CORPUS_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "corpus options version %u is not supported (want %u)",
                        version, LSTATS_CORPUS_OPTIONS_VERSION);
    memset(opts, 0, sizeof *opts);
    opts->version = version;
    opts->tokenizer = LSTATS_TOKENIZER_ICU;
    opts->normalize = LSTATS_NORMALIZE_NFKC;
    opts->lowercase = 1;
    opts->keep_text = 1;
    opts->errors = LSTATS_ERRORS_STRICT;
    return LSTATS_OK;
}

static lstats_status check_options(const lstats_corpus_options *o)
{
    if (o->version != LSTATS_CORPUS_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION, "corpus options version %u is not supported (want %u)",
                        o->version, LSTATS_CORPUS_OPTIONS_VERSION);
    if (o->tokenizer < LSTATS_TOKENIZER_ICU || o->tokenizer > LSTATS_TOKENIZER_HAN)
        return ls_error(LSTATS_EINVAL, "unknown tokenizer %d", o->tokenizer);
    if (o->normalize < LSTATS_NORMALIZE_NONE || o->normalize > LSTATS_NORMALIZE_NFKC)
        return ls_error(LSTATS_EINVAL, "unknown normalize value %d", o->normalize);
    if (o->sentences < LSTATS_SENTENCES_ICU || o->sentences > LSTATS_SENTENCES_NONE)
        return ls_error(LSTATS_EINVAL, "unknown sentences value %d", o->sentences);
    if (o->errors != LSTATS_ERRORS_STRICT && o->errors != LSTATS_ERRORS_REPLACE)
        return ls_error(LSTATS_EINVAL, "unknown errors value %d", o->errors);
    if (o->fold_script < LSTATS_FOLD_NONE || o->fold_script > LSTATS_FOLD_TRADITIONAL)
        return ls_error(LSTATS_EINVAL, "unknown fold_script value %d", o->fold_script);
    if (o->cleanup & ~LSTATS_CLEANUP_PINYIN_ANNOTATIONS)
        return ls_error(LSTATS_EINVAL, "unknown cleanup flags 0x%x", (unsigned)o->cleanup);
    if (o->n_compounds && !o->compounds)
        return ls_error(LSTATS_EINVAL, "n_compounds is %zu but compounds is NULL", o->n_compounds);
    for (size_t i = 0; i < o->n_compounds; i++)
        if (!o->compounds[i])
            return ls_error(LSTATS_EINVAL, "compounds[%zu] is NULL", i);
    return LSTATS_OK;
}

lstats_status lstats_corpus_new(lstats_corpus **out, const lstats_corpus_options *opts)
{
    if (!out)
        return ls_error(LSTATS_EINVAL, "out is NULL");
    *out = NULL;
    lstats_corpus_options defaults;
    if (!opts) {
        lstats_corpus_options_init(&defaults, LSTATS_CORPUS_OPTIONS_VERSION);
        opts = &defaults;
    }
    lstats_status st = check_options(opts);
    if (st)
        return st;
    lstats_corpus *c = calloc(1, sizeof *c);
    if (!c)
        return ls_error_nomem();
    c->opts = *opts;
    c->encoding = dup_cstr(opts->encoding);
    c->locale = dup_cstr(opts->locale);
    if ((opts->encoding && !c->encoding) || (opts->locale && !c->locale))
        goto nomem;
    c->opts.encoding = c->encoding;
    c->opts.locale = c->locale;
    if (opts->n_compounds) {
        c->compound_list = calloc(opts->n_compounds, sizeof *c->compound_list);
        if (!c->compound_list)
            goto nomem;
        for (size_t i = 0; i < opts->n_compounds; i++)
            if (!(c->compound_list[i] = dup_cstr(opts->compounds[i])))
                goto nomem;
        c->opts.compounds = (const char *const *)c->compound_list;
    }
    c->vocab = ls_vocab_new();
    if (!c->vocab)
        goto nomem;
    if ((st = ls_compounds_build(&c->compounds, &c->opts))) {
        lstats_corpus_free(c);
        return st;
    }
    *out = c;
    return LSTATS_OK;
nomem:
    lstats_corpus_free(c);
    return ls_error_nomem();
}

void ls_doc_destroy(ls_doc *d)
{
    free(d->name);
    free(d->ids);
    free(d->sent);
    free(d->tok_start);
    free(d->tok_len);
    free(d->text);
    memset(d, 0, sizeof *d);
}

void lstats_corpus_free(lstats_corpus *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_docs; i++)
        ls_doc_destroy(&c->docs[i]);
    free(c->docs);
    free(c->counts);
    free(c->doc_freq);
    ls_vocab_free(c->vocab);
    ls_compounds_destroy(&c->compounds);
    if (c->compound_list)
        for (size_t i = 0; i < c->opts.n_compounds; i++)
            free(c->compound_list[i]);
    free(c->compound_list);
    free(c->encoding);
    free(c->locale);
    free(c);
}

lstats_status ls_corpus_reserve_counts(lstats_corpus *c)
{
    size_t need = ls_vocab_size(c->vocab);
    if (need <= c->counts_cap)
        return LSTATS_OK;
    size_t cap = c->counts_cap ? c->counts_cap : 1024;
    while (cap < need)
        cap *= 2;
    uint64_t *p = realloc(c->counts, cap * sizeof *p);
    if (!p)
        return ls_error_nomem();
    c->counts = p;
    uint64_t *q = realloc(c->doc_freq, cap * sizeof *q);
    if (!q)
        return ls_error_nomem(); /* counts grew, harmlessly: counts_cap still says the old size */
    c->doc_freq = q;
    memset(p + c->counts_cap, 0, (cap - c->counts_cap) * sizeof *p);
    memset(q + c->counts_cap, 0, (cap - c->counts_cap) * sizeof *q);
    c->counts_cap = cap;
    return LSTATS_OK;
}

lstats_status ls_corpus_reserve_docs(lstats_corpus *c, size_t n)
{
    if (c->n_docs + n <= c->docs_cap)
        return LSTATS_OK;
    size_t cap = c->docs_cap ? c->docs_cap : 16;
    while (cap < c->n_docs + n)
        cap *= 2;
    ls_doc *d = realloc(c->docs, cap * sizeof *d);
    if (!d)
        return ls_error_nomem();
    c->docs = d;
    c->docs_cap = cap;
    return LSTATS_OK;
}

void ls_corpus_append_counted(lstats_corpus *c, ls_doc *docs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        c->n_tokens += docs[i].n_tokens;
        c->docs[c->n_docs++] = docs[i];
        memset(&docs[i], 0, sizeof docs[i]);
    }
}

lstats_status ls_corpus_append_docs(lstats_corpus *c, ls_doc *docs, size_t n)
{
    lstats_status st;
    if ((st = ls_corpus_reserve_docs(c, n)) || (st = ls_corpus_reserve_counts(c)))
        return st;
    /* last[id] = 1 + the index (in this call) of the last document that counted id. */
    uint32_t *last = calloc(c->counts_cap ? c->counts_cap : 1, sizeof *last);
    if (!last)
        return ls_error_nomem();
    /* Nothing below can fail, so the corpus changes all at once or not at all. */
    for (size_t i = 0; i < n; i++) {
        const ls_doc *d = &docs[i];
        for (uint64_t k = 0; k < d->n_tokens; k++) {
            uint32_t id = d->ids[k];
            if (c->counts[id]++ == 0)
                c->n_types++;
            if (last[id] != i + 1) {
                last[id] = (uint32_t)(i + 1);
                c->doc_freq[id]++;
            }
        }
    }
    free(last);
    ls_corpus_append_counted(c, docs, n);
    return LSTATS_OK;
}

size_t lstats_corpus_n_docs(const lstats_corpus *c)
{
    return c ? c->n_docs : 0;
}

uint64_t lstats_corpus_n_tokens(const lstats_corpus *c)
{
    return c ? c->n_tokens : 0;
}

uint64_t lstats_corpus_n_types(const lstats_corpus *c)
{
    return c ? c->n_types : 0;
}

const char *lstats_corpus_doc_name(const lstats_corpus *c, size_t doc)
{
    if (!c || doc >= c->n_docs)
        return NULL;
    return c->docs[doc].name;
}

static lstats_status check_doc(const lstats_corpus *c, size_t doc)
{
    if (!c)
        return ls_error(LSTATS_EINVAL, "corpus is NULL");
    if (doc >= c->n_docs)
        return ls_error(LSTATS_EINVAL, "document index %zu out of range (corpus has %zu)", doc,
                        c->n_docs);
    return LSTATS_OK;
}

lstats_status lstats_corpus_doc_text(const lstats_corpus *c, size_t doc, const char **text_out,
                                     size_t *len_out)
{
    lstats_status st = check_doc(c, doc);
    if (st)
        return st;
    if (!text_out || !len_out)
        return ls_error(LSTATS_EINVAL, "output pointer is NULL");
    if (!c->opts.keep_text)
        return ls_error(LSTATS_ESTATE, "the corpus was built with keep_text off; rebuild it with "
                                       "keep_text on to read document text");
    *text_out = c->docs[doc].text ? c->docs[doc].text : "";
    *len_out = (size_t)c->docs[doc].text_len;
    return LSTATS_OK;
}

lstats_status lstats_corpus_summary(const lstats_corpus *c, lstats_table **out)
{
    if (!c || !out)
        return ls_error(LSTATS_EINVAL, "corpus or out is NULL");
    *out = NULL;
    size_t n = c->n_docs;
    lstats_table *t = ls_table_new(n);
    if (!t)
        return LSTATS_ENOMEM;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    const char **encs = malloc((n ? n : 1) * sizeof *encs);
    uint32_t *last = calloc(c->counts_cap ? c->counts_cap : 1, sizeof *last);
    const char *cols[] = {"bytes_in", "bytes",     "chars",    "tokens",
                          "types",    "sentences", "replaced", "cleanup_removed"};
    enum { NCOLS = 8 };
    uint64_t *v[NCOLS] = {0};
    lstats_status st = LSTATS_OK;
    for (int k = 0; k < NCOLS; k++)
        if (!(v[k] = malloc((n ? n : 1) * sizeof(uint64_t))))
            st = LSTATS_ENOMEM;
    if (!names || !encs || !last || st) {
        st = ls_error_nomem();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const ls_doc *d = &c->docs[i];
        names[i] = d->name;
        encs[i] = d->encoding;
        /* Types per document: `last` remembers the last document (1-based) that saw an id. */
        uint64_t types = 0;
        for (uint64_t k = 0; k < d->n_tokens; k++) {
            uint32_t id = d->ids[k];
            if (last[id] != i + 1) {
                last[id] = (uint32_t)(i + 1);
                types++;
            }
        }
        v[0][i] = d->bytes_in;
        v[1][i] = d->text_len;
        v[2][i] = d->chars;
        v[3][i] = d->n_tokens;
        v[4][i] = types;
        v[5][i] = d->n_sent;
        v[6][i] = d->replaced;
        v[7][i] = d->cleanup_removed;
    }
    if ((st = ls_table_add_cstrings(t, "name", names, n)) ||
        (st = ls_table_add_cstrings(t, "encoding", encs, n)))
        goto done;
    for (int k = 0; k < NCOLS; k++) {
        st = ls_table_add_u64(t, cols[k], v[k]);
        v[k] = NULL;
        if (st)
            goto done;
    }
    if ((st = ls_table_set_meta(t, "kind", "summary")) || (st = ls_corpus_describe(c, t)))
        goto done;
    *out = t;
    t = NULL;
done:
    for (int k = 0; k < NCOLS; k++)
        free(v[k]);
    free(names);
    free(encs);
    free(last);
    lstats_table_free(t);
    return st;
}

lstats_status lstats_corpus_doc_tokens(const lstats_corpus *c, size_t doc, lstats_table **out)
{
    lstats_status st = check_doc(c, doc);
    if (st)
        return st;
    if (!out)
        return ls_error(LSTATS_EINVAL, "out is NULL");
    *out = NULL;
    const ls_doc *d = &c->docs[doc];
    size_t n = (size_t)d->n_tokens;
    lstats_table *t = ls_table_new(n);
    if (!t)
        return LSTATS_ENOMEM;
    size_t total = 0;
    for (size_t k = 0; k < n; k++) {
        size_t len;
        ls_vocab_term(c->vocab, d->ids[k], &len);
        total += len;
    }
    char *blob = malloc(total ? total : 1);
    int64_t *off = malloc((n + 1) * sizeof *off);
    int64_t *start = malloc((n ? n : 1) * sizeof *start);
    int64_t *end = malloc((n ? n : 1) * sizeof *end);
    uint64_t *sent = malloc((n ? n : 1) * sizeof *sent);
    if (!blob || !off || !start || !end || !sent) {
        free(blob);
        free(off);
        free(start);
        free(end);
        free(sent);
        lstats_table_free(t);
        return ls_error_nomem();
    }
    size_t p = 0;
    uint64_t s = 0;
    off[0] = 0;
    for (size_t k = 0; k < n; k++) {
        size_t len;
        const char *term = ls_vocab_term(c->vocab, d->ids[k], &len);
        memcpy(blob + p, term, len);
        p += len;
        off[k + 1] = (int64_t)p;
        while (s + 1 < d->n_sent && d->sent[s + 1] <= k)
            s++;
        sent[k] = s;
        if (d->tok_start) {
            start[k] = (int64_t)d->tok_start[k];
            end[k] = (int64_t)(d->tok_start[k] + d->tok_len[k]);
        } else {
            start[k] = end[k] = -1;
        }
    }
    if ((st = ls_table_add_string(t, "term", blob, off)) ||
        (st = ls_table_add_i64(t, "start", start)) || (st = ls_table_add_i64(t, "end", end)) ||
        (st = ls_table_add_u64(t, "sentence", sent)) ||
        (st = ls_table_set_meta(t, "kind", "tokens")) ||
        (st = ls_table_set_meta(t, "document", d->name))) {
        lstats_table_free(t);
        return st;
    }
    *out = t;
    return LSTATS_OK;
}

static void *dup_mem(const void *src, size_t size, int *failed)
{
    if (!src)
        return NULL;
    void *d = malloc(size ? size : 1);
    if (!d) {
        *failed = 1;
        return NULL;
    }
    memcpy(d, src, size);
    return d;
}

lstats_status lstats_corpus_subset(const lstats_corpus *c, const size_t *docs, size_t n,
                                   lstats_corpus **out)
{
    if (!c || !out || (n && !docs))
        return ls_error(LSTATS_EINVAL, "corpus, docs or out is NULL");
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        if (docs[i] >= c->n_docs)
            return ls_error(LSTATS_EINVAL, "document index %zu out of range (corpus has %zu)",
                            docs[i], c->n_docs);
        for (size_t j = 0; j < i; j++)
            if (docs[j] == docs[i])
                return ls_error(LSTATS_EINVAL, "document index %zu listed twice", docs[i]);
    }
    lstats_corpus *s = NULL;
    lstats_status st = lstats_corpus_new(&s, &c->opts);
    if (st)
        return st;
    ls_vocab_free(s->vocab);
    s->vocab = ls_vocab_copy(c->vocab);
    ls_doc *copies = calloc(n ? n : 1, sizeof *copies);
    if (!s->vocab || !copies)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const ls_doc *d = &c->docs[docs[i]];
        ls_doc *e = &copies[i];
        int failed = 0;
        *e = *d;
        e->name = dup_mem(d->name, strlen(d->name) + 1, &failed);
        e->ids = dup_mem(d->ids, d->n_tokens * sizeof *d->ids, &failed);
        e->sent = dup_mem(d->sent, d->n_sent * sizeof *d->sent, &failed);
        e->tok_start = dup_mem(d->tok_start, d->n_tokens * sizeof *d->tok_start, &failed);
        e->tok_len = dup_mem(d->tok_len, d->n_tokens * sizeof *d->tok_len, &failed);
        e->text = dup_mem(d->text, d->text_len, &failed);
        if (failed)
            goto nomem;
    }
    if ((st = ls_corpus_append_docs(s, copies, n)))
        goto fail;
    free(copies);
    *out = s;
    return LSTATS_OK;
nomem:
    st = ls_error_nomem();
fail:
    if (copies)
        for (size_t i = 0; i < n; i++)
            ls_doc_destroy(&copies[i]);
    free(copies);
    lstats_corpus_free(s);
    return st;
}

lstats_status ls_corpus_describe(const lstats_corpus *c, lstats_table *t)
{
    static const char *const tokenizers[] = {"icu", "whitespace", "han"};
    static const char *const norms[] = {"none", "nfc", "nfkc"};
    static const char *const sentences[] = {"icu", "lines", "none"};
    static const char *const folds[] = {"none", "simplified", "traditional"};
    lstats_status st;
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", c->opts.n_compounds);
    if ((st = ls_table_set_meta(t, "tokenizer", tokenizers[c->opts.tokenizer])) ||
        (st = ls_table_set_meta(t, "normalize", norms[c->opts.normalize])) ||
        (st = ls_table_set_meta(t, "lowercase", c->opts.lowercase ? "1" : "0")) ||
        (st = ls_table_set_meta(t, "keep_punct", c->opts.keep_punct ? "1" : "0")) ||
        (st = ls_table_set_meta(t, "drop_numbers", c->opts.drop_numbers ? "1" : "0")) ||
        (st = ls_table_set_meta(t, "locale", c->locale ? c->locale : "")) ||
        (st = ls_table_set_meta(t, "sentences", sentences[c->opts.sentences])) ||
        (st = ls_table_set_meta(t, "compounds", buf)) ||
        (st = ls_table_set_meta(t, "fold_script", folds[c->opts.fold_script])) ||
        (st = ls_table_set_meta(t, "cleanup", c->opts.cleanup ? "pinyin_annotations" : "")) ||
        (st = ls_table_set_meta(t, "icu_version", lstats_icu_version())) ||
        (st = ls_table_set_meta(t, "libstats_version", lstats_version_string())) ||
        (st = ls_table_set_meta_u64(t, "n_docs", c->n_docs)) ||
        (st = ls_table_set_meta_u64(t, "corpus_tokens", c->n_tokens)))
        return st;
    return LSTATS_OK;
}

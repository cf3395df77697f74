/* Adding documents: read -> tokenize -> merge compounds -> intern, on worker threads.
 *
 * Each worker interns into its own vocabulary, so workers never share mutable state. When all
 * documents of a call are done, the calling thread maps each worker's local ids to corpus ids,
 * visiting documents in order: the ids a term gets do not depend on the number of threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "corpus_impl.h"
#include "error.h"
#include "filesplit.h"
#include "growmem.h"
#include "parallel.h"
#include "scripts.h"
#include "text.h"
#include "tokenize.h"

/* ------------------------------------------------------------------ compounds */

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void ls_compounds_destroy(ls_compounds *cs)
{
    ls_vocab_free(cs->joined);
    ls_vocab_free(cs->spaced);
    ls_vocab_free(cs->prefixes);
    memset(cs, 0, sizeof *cs);
}

/* Entries are normalised like tokens. An entry without white space matches tokens that are
 * contiguous in the text and concatenate to it (人工 + 智能 = 人工智能); an entry with white space
 * matches consecutive tokens equal to its parts ("new york"). Prefixes are recorded so that
 * matching stops as soon as no entry can follow. */
lstats_status ls_compounds_build(ls_compounds *cs, const lstats_corpus_options *opts)
{
    memset(cs, 0, sizeof *cs);
    if (!opts->n_compounds)
        return LSTATS_OK;
    ls_tok_config cfg = {LSTATS_TOKENIZER_WHITESPACE, opts->normalize, opts->lowercase, 0, 0, NULL,
                         LSTATS_SENTENCES_NONE};
    ls_tokenizer *tok = NULL;
    lstats_status st = ls_tokenizer_new(&tok, &cfg);
    if (st)
        return st;
    ls_tokenizer_set_fold(tok, opts->fold_script);
    char *buf = NULL;
    size_t buf_cap = 0;
    cs->joined = ls_vocab_new();
    cs->spaced = ls_vocab_new();
    cs->prefixes = ls_vocab_new();
    if (!cs->joined || !cs->spaced || !cs->prefixes) {
        st = LSTATS_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < opts->n_compounds; i++) {
        const char *raw = opts->compounds[i];
        size_t raw_len = strlen(raw);
        /* Split on white space, normalise each part, join parts with one space. */
        size_t need = raw_len * 4 + 16;
        if (need > buf_cap) {
            char *b = realloc(buf, need);
            if (!b) {
                st = ls_error_nomem();
                goto done;
            }
            buf = b;
            buf_cap = need;
        }
        size_t len = 0, parts = 0, p = 0;
        while (p < raw_len) {
            while (p < raw_len && is_space_byte(raw[p]))
                p++;
            size_t s = p;
            while (p < raw_len && !is_space_byte(raw[p]))
                p++;
            if (p == s)
                break;
            const char *norm;
            size_t norm_len;
            if ((st = ls_tokenizer_normalize(tok, raw + s, p - s, &norm, &norm_len)))
                goto done;
            if (len + norm_len + 1 > buf_cap) {
                size_t cap = (len + norm_len + 1) * 2;
                char *b = realloc(buf, cap);
                if (!b) {
                    st = ls_error_nomem();
                    goto done;
                }
                buf = b;
                buf_cap = cap;
            }
            if (parts++)
                buf[len++] = ' ';
            /* Record every prefix that ends at a code point boundary. */
            memcpy(buf + len, norm, norm_len);
            for (size_t k = 1; k <= norm_len; k++) {
                if (k < norm_len && ((unsigned char)norm[k] & 0xC0) == 0x80)
                    continue;
                uint32_t id;
                if ((st = ls_vocab_intern(cs->prefixes, buf, len + k, &id)))
                    goto done;
            }
            len += norm_len;
        }
        if (parts == 0)
            continue;
        uint32_t id;
        if ((st = ls_vocab_intern(parts == 1 ? cs->joined : cs->spaced, buf, len, &id)))
            goto done;
        if (len > cs->max_len)
            cs->max_len = len;
        cs->count++;
    }
done:
    free(buf);
    ls_tokenizer_free(tok);
    if (st)
        ls_compounds_destroy(cs);
    return st;
}

typedef struct {
    char *buf;
    size_t len, cap;
} strbuf;

static lstats_status sb_set(strbuf *b, size_t at, const char *s, size_t n, int space)
{
    size_t need = at + n + (space ? 1 : 0);
    if (need > b->cap) {
        size_t cap = need * 2 > 256 ? need * 2 : 256;
        char *p = realloc(b->buf, cap);
        if (!p)
            return ls_error_nomem();
        b->buf = p;
        b->cap = cap;
    }
    b->len = at;
    if (space)
        b->buf[b->len++] = ' ';
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    return LSTATS_OK;
}

/* Whether text[from, to) is only white space (ASCII, U+00A0 or U+3000). */
static int only_white_space(const char *text, uint64_t from, uint64_t to)
{
    const unsigned char *s = (const unsigned char *)text;
    while (from < to) {
        if (is_space_byte((char)s[from]))
            from++;
        else if (s[from] == 0xC2 && from + 1 < to && s[from + 1] == 0xA0)
            from += 2;
        else if (s[from] == 0xE3 && from + 2 < to && s[from + 1] == 0x80 && s[from + 2] == 0x80)
            from += 3;
        else
            return 0;
    }
    return 1;
}

/* Greedy, longest match first, left to right; never across a sentence boundary. Spaced entries
 * match only tokens separated by white space (text is the chunk, base its offset). */
static lstats_status merge_compounds(const ls_compounds *cs, const ls_token_buf *in,
                                     ls_token_buf *out, strbuf *joined, strbuf *spaced,
                                     const char *text, uint64_t base)
{
    lstats_status st;
    size_t i = 0;
    while (i < in->n) {
        const ls_token *a = &in->tok[i];
        size_t best = i;
        int best_spaced = 0;
        size_t best_len = 0;
        int try_joined = 1, try_spaced = 1;
        if ((st = sb_set(joined, 0, in->bytes + a->off, a->len, 0)) ||
            (st = sb_set(spaced, 0, in->bytes + a->off, a->len, 0)))
            return st;
        uint32_t id;
        if (!ls_vocab_find(cs->prefixes, joined->buf, joined->len, &id))
            try_joined = try_spaced = 0;
        for (size_t j = i + 1; j < in->n && (try_joined || try_spaced); j++) {
            const ls_token *b = &in->tok[j];
            if (b->sentence_start)
                break;
            const char *term = in->bytes + b->off;
            if (try_joined) {
                if (b->start != in->tok[j - 1].end || joined->len + b->len > cs->max_len) {
                    try_joined = 0;
                } else {
                    if ((st = sb_set(joined, joined->len, term, b->len, 0)))
                        return st;
                    if (ls_vocab_find(cs->joined, joined->buf, joined->len, &id)) {
                        best = j;
                        best_spaced = 0;
                        best_len = joined->len;
                    }
                    if (!ls_vocab_find(cs->prefixes, joined->buf, joined->len, &id))
                        try_joined = 0;
                }
            }
            if (try_spaced) {
                if (spaced->len + 1 + b->len > cs->max_len ||
                    !only_white_space(text, in->tok[j - 1].end - base, b->start - base)) {
                    try_spaced = 0;
                } else {
                    if ((st = sb_set(spaced, spaced->len, term, b->len, 1)))
                        return st;
                    if (ls_vocab_find(cs->spaced, spaced->buf, spaced->len, &id)) {
                        best = j;
                        best_spaced = 1;
                        best_len = spaced->len;
                    }
                    if (!ls_vocab_find(cs->prefixes, spaced->buf, spaced->len, &id))
                        try_spaced = 0;
                }
            }
        }
        if (best > i) {
            /* Rebuild the winning string: the buffers may have grown past it. */
            strbuf *src = best_spaced ? spaced : joined;
            size_t len = 0;
            for (size_t k = i; k <= best; k++) {
                const ls_token *t = &in->tok[k];
                if ((st = sb_set(src, len, in->bytes + t->off, t->len, best_spaced && k > i)))
                    return st;
                len = src->len;
            }
            (void)best_len;
            st = ls_token_buf_push(out, src->buf, src->len, a->start, in->tok[best].end,
                                   a->sentence_start);
            i = best + 1;
        } else {
            st = ls_token_buf_push(out, in->bytes + a->off, a->len, a->start, a->end,
                                   a->sentence_start);
            i++;
        }
        if (st)
            return st;
    }
    return LSTATS_OK;
}

lstats_status ls_compounds_merge(const ls_compounds *cs, const struct ls_token_buf *in,
                                 struct ls_token_buf *out, const char *text)
{
    strbuf a = {NULL, 0, 0}, b = {NULL, 0, 0};
    lstats_status st = merge_compounds(cs, in, out, &a, &b, text, 0);
    free(a.buf);
    free(b.buf);
    return st;
}

/* ------------------------------------------------------------------ jobs and workers */

typedef struct job {
    const char *path; /* file job */
    /* A part of a large file read on several threads (range_len > 0): bytes [range_off,
     * range_off + range_len); part `part` of `parts`. The commit merges the parts into the
     * first part's document. */
    uint64_t range_off, range_len;
    uint32_t part, parts;
    const char *text; /* memory job */
    size_t text_len;
    const char *name;
    uint64_t size; /* for progress */
    ls_doc doc;
    int worker;
    uint32_t *new_ids; /* worker-local ids this job saw first, in order of first occurrence */
    size_t n_new, new_cap;
    lstats_status status;
    char message[2 * LS_ERRMSG_MAX];
    int done;
} job;

typedef struct shared {
    lstats_corpus *corpus;
    job *jobs;
    size_t n_jobs;
    atomic_size_t next;
    atomic_uint_fast64_t bytes_done;
    atomic_int cancel;
    atomic_size_t finished;
} shared;

typedef struct local_count {
    uint64_t count;
    uint32_t docs;
    uint32_t last_job;
} local_count;

typedef struct worker {
    shared *sh;
    int index;
    ls_tokenizer *tok;
    ls_vocab *vocab;
    ls_token_buf tokens, merged;
    strbuf sb1, sb2;
    char *clean; /* cleanup output (scripts.c) */
    size_t clean_cap;
    /* Per worker-local id: count, documents containing it, last job (1-based) that saw it; one
     * record per id so that a token touches one cache line. */
    struct local_count *lc;
    size_t lcap;
    uint32_t known;   /* local ids seen so far (ids are dense: the next new one is `known`) */
    uint32_t cur_job; /* 1-based index of the job in progress */
    pthread_t thread;
    int started;
    lstats_status setup_status;
    char setup_message[LS_ERRMSG_MAX];
    /* The calling thread's worker reports progress between chunks. */
    lstats_progress_cb progress;
    void *payload;
    uint64_t total;
    struct timespec last_report;
} worker;

#define GROW(ptr, cap, need)                                   \
    do {                                                       \
        if ((need) > (cap)) {                                  \
            size_t ncap_ = (cap) ? (cap) + (cap) / 2 : 1024;   \
            if (ncap_ < (need))                                \
                ncap_ = (need);                                \
            void *np_ = realloc((ptr), ncap_ * sizeof *(ptr)); \
            if (!np_)                                          \
                return ls_error_nomem();                       \
            (ptr) = np_;                                       \
            (cap) = ncap_;                                     \
        }                                                      \
    } while (0)

typedef struct doc_builder {
    ls_doc *d;
    size_t ids_cap, sent_cap, tok_cap, text_cap;
} doc_builder;

/* A term new to this worker: remembered for the job (the calling thread maps such ids to corpus
 * ids in job order, which reproduces first-occurrence order over all documents because each
 * worker takes its jobs in increasing order), and given counters. */
static lstats_status note_new_term(worker *w, job *jb, uint32_t id)
{
    GROW(jb->new_ids, jb->new_cap, jb->n_new + 1);
    jb->new_ids[jb->n_new++] = id;
    w->known++;
    if (w->known > w->lcap) {
        size_t cap = w->lcap ? w->lcap * 2 : 4096;
        local_count *lc = realloc(w->lc, cap * sizeof *lc);
        if (!lc)
            return ls_error_nomem();
        memset(lc + w->lcap, 0, (cap - w->lcap) * sizeof *lc);
        w->lc = lc;
        w->lcap = cap;
    }
    return LSTATS_OK;
}

static lstats_status add_tokens(worker *w, job *jb, doc_builder *b, const ls_token_buf *tb,
                                int keep_text)
{
    ls_doc *d = b->d;
    size_t need = (size_t)d->n_tokens + tb->n;
    GROW(d->ids, b->ids_cap, need);
    if (keep_text) {
        size_t tcap = b->tok_cap;
        GROW(d->tok_start, tcap, need);
        tcap = b->tok_cap;
        GROW(d->tok_len, tcap, need);
        b->tok_cap = tcap;
    }
    /* terms hashed AHEAD tokens early, their slots prefetched */
    enum { AHEAD = 8 };
    uint32_t hash[AHEAD];
    for (size_t k = 0; k < tb->n && k < AHEAD; k++)
        hash[k] = ls_vocab_prefetch(w->vocab, tb->bytes + tb->tok[k].off, tb->tok[k].len);
    for (size_t k = 0; k < tb->n; k++) {
        const ls_token *t = &tb->tok[k];
        uint32_t id, h = hash[k % AHEAD];
        if (k + AHEAD < tb->n) {
            const ls_token *u = &tb->tok[k + AHEAD];
            hash[k % AHEAD] = ls_vocab_prefetch(w->vocab, tb->bytes + u->off, u->len);
        }
        lstats_status st = ls_vocab_intern_hashed(w->vocab, tb->bytes + t->off, t->len, h, &id);
        if (st)
            return st;
        if (id == w->known && (st = note_new_term(w, jb, id)))
            return st;
        local_count *lc = &w->lc[id];
        lc->count++;
        if (lc->last_job != w->cur_job) {
            lc->last_job = w->cur_job;
            lc->docs++;
        }
        if (t->sentence_start) {
            GROW(d->sent, b->sent_cap, (size_t)d->n_sent + 1);
            d->sent[d->n_sent++] = d->n_tokens;
        }
        if (keep_text) {
            d->tok_start[d->n_tokens] = t->start;
            d->tok_len[d->n_tokens] = (uint32_t)(t->end - t->start);
        }
        d->ids[d->n_tokens++] = id;
    }
    return LSTATS_OK;
}

static lstats_status append_text(doc_builder *b, const char *s, size_t n)
{
    ls_doc *d = b->d;
    size_t need = (size_t)d->text_len + n;
    if (need > b->text_cap) {
        size_t cap = b->text_cap ? b->text_cap + b->text_cap / 2 : 65536;
        if (cap < need)
            cap = need;
        char *p = realloc(d->text, cap);
        if (!p)
            return ls_error_nomem();
        d->text = p;
        b->text_cap = cap;
    }
    memcpy(d->text + d->text_len, s, n);
    return LSTATS_OK;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Called on the calling thread only; throttled to ten reports a second. */
static void report_progress(worker *w, int force)
{
    if (!w->progress)
        return;
    if (!force && seconds_since(&w->last_report) < 0.1)
        return;
    clock_gettime(CLOCK_MONOTONIC, &w->last_report);
    uint64_t done = atomic_load(&w->sh->bytes_done);
    if (w->progress(done, w->total, w->payload) != 0)
        atomic_store(&w->sh->cancel, 1);
}

static void shrink(ls_doc *d)
{
    /* Give back growth slack: the corpus keeps these arrays for its lifetime. */
    if (d->n_tokens) {
        void *p = realloc(d->ids, d->n_tokens * sizeof *d->ids);
        if (p)
            d->ids = p;
    }
    if (d->n_sent) {
        void *p = realloc(d->sent, d->n_sent * sizeof *d->sent);
        if (p)
            d->sent = p;
    }
    if (d->text && d->text_len) {
        void *p = realloc(d->text, d->text_len);
        if (p)
            d->text = p;
    }
}

/* Code points of valid UTF-8: the bytes that are not continuation bytes (10xxxxxx), counted
 * eight at a time. */
static uint64_t count_code_points(const char *text, size_t len)
{
    uint64_t continuation = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        /* One bit per continuation byte (bit 7 set, bit 6 clear), summed by a multiply. */
        uint64_t cont = ((w & ~(w << 1)) >> 7) & 0x0101010101010101ULL;
        continuation += (cont * 0x0101010101010101ULL) >> 56;
    }
    for (; i < len; i++)
        continuation += ((unsigned char)text[i] & 0xC0) == 0x80;
    return len - continuation;
}

static lstats_status run_job(worker *w, job *jb)
{
    const lstats_corpus *c = w->sh->corpus;
    ls_reader *r = NULL;
    lstats_status st;
    int keep_text = c->opts.keep_text;
    if (jb->path && jb->range_len)
        st = ls_reader_open_file_range(&r, jb->path, jb->range_off, jb->range_len, c->opts.errors);
    else if (jb->path)
        st = ls_reader_open_file(&r, jb->path, c->opts.encoding, c->opts.errors);
    else
        st = ls_reader_open_memory(&r, jb->name, jb->text, jb->text_len, c->opts.encoding,
                                   c->opts.errors);
    if (st)
        return st;
    ls_doc *d = &jb->doc;
    size_t name_len = strlen(jb->name);
    d->name = malloc(name_len + 1);
    if (!d->name) {
        ls_reader_free(r);
        return ls_error_nomem();
    }
    memcpy(d->name, jb->name, name_len + 1);
    doc_builder b = {d, 0, 0, 0, 0};
    uint64_t reported = 0;
    for (;;) {
        const char *text;
        size_t len;
        uint64_t off;
        if ((st = ls_reader_next(r, &text, &len, &off)))
            break;
        uint64_t in = ls_reader_bytes_in(r);
        atomic_fetch_add(&w->sh->bytes_done, in - reported);
        reported = in;
        if (len == 0)
            break;
        if (c->opts.cleanup) {
            /* Cleanup before the text is stored and tokenized: offsets stay consistent. */
            if (len > w->clean_cap) {
                char *p = realloc(w->clean, len);
                if (!p) {
                    st = ls_error_nomem();
                    break;
                }
                w->clean = p;
                w->clean_cap = len;
            }
            len = ls_cleanup_apply(c->opts.cleanup, text, len, w->clean, &d->cleanup_removed);
            text = w->clean;
        }
        off = d->text_len;
        if (keep_text && (st = append_text(&b, text, len)))
            break;
        d->text_len += len;
        d->chars += count_code_points(text, len);
        ls_script_count(text, len, d->han);
        ls_token_buf_clear(&w->tokens);
        if ((st = ls_tokenize_chunk(w->tok, text, len, off, &w->tokens)))
            break;
        const ls_token_buf *tb = &w->tokens;
        if (c->compounds.count) {
            ls_token_buf_clear(&w->merged);
            if ((st = merge_compounds(&c->compounds, &w->tokens, &w->merged, &w->sb1, &w->sb2, text,
                                      off)))
                break;
            tb = &w->merged;
        }
        if ((st = add_tokens(w, jb, &b, tb, keep_text)))
            break;
        if (w->index == 0)
            report_progress(w, 0);
        if (atomic_load(&w->sh->cancel)) {
            st = ls_error(LSTATS_ECANCELED, "canceled");
            break;
        }
    }
    if (!st) {
        d->bytes_in = ls_reader_bytes_in(r);
        d->replaced = ls_reader_replaced(r);
        snprintf(d->encoding, sizeof d->encoding, "%s", ls_reader_encoding(r));
        shrink(d);
    }
    ls_reader_free(r);
    return st;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    for (;;) {
        size_t j = atomic_fetch_add(&sh->next, 1);
        if (j >= sh->n_jobs)
            break;
        job *jb = &sh->jobs[j];
        jb->worker = w->index;
        w->cur_job = (uint32_t)(j + 1);
        if (atomic_load(&sh->cancel)) {
            jb->status = LSTATS_ECANCELED;
            snprintf(jb->message, sizeof jb->message, "canceled");
        } else {
            ls_error_clear();
            jb->status = run_job(w, jb);
            if (jb->status) {
                char msg[LS_ERRMSG_MAX];
                ls_error_copy(msg, sizeof msg);
                /* Reader errors name the file already; others get the document's name. */
                if (jb->status == LSTATS_ENOMEM || jb->status == LSTATS_ECANCELED ||
                    strstr(msg, jb->name))
                    snprintf(jb->message, sizeof jb->message, "%s", msg);
                else
                    snprintf(jb->message, sizeof jb->message, "document %s: %s", jb->name, msg);
                atomic_store(&sh->cancel, 1);
            }
        }
        jb->done = 1;
        atomic_fetch_add(&sh->finished, 1);
    }
    return NULL;
}

static lstats_status worker_init(worker *w, shared *sh, int index)
{
    const lstats_corpus *c = sh->corpus;
    memset(w, 0, sizeof *w);
    w->sh = sh;
    w->index = index;
    ls_tok_config cfg = {c->opts.tokenizer,  c->opts.normalize,    c->opts.lowercase,
                         c->opts.keep_punct, c->opts.drop_numbers, c->opts.locale,
                         c->opts.sentences};
    lstats_status st = ls_tokenizer_new(&w->tok, &cfg);
    if (st)
        return st;
    ls_tokenizer_set_fold(w->tok, c->opts.fold_script);
    w->vocab = ls_vocab_new();
    return w->vocab ? LSTATS_OK : LSTATS_ENOMEM;
}

static void worker_destroy(worker *w)
{
    ls_tokenizer_free(w->tok);
    ls_vocab_free(w->vocab);
    ls_token_buf_destroy(&w->tokens);
    ls_token_buf_destroy(&w->merged);
    free(w->sb1.buf);
    free(w->sb2.buf);
    free(w->clean);
    free(w->lc);
}

/* Rewriting token ids, on several threads: jobs are shared out by an atomic counter. */
typedef struct remap_task {
    job *jobs;
    size_t n;
    uint32_t *const *maps;
    atomic_size_t next;
} remap_task;

static void *remap_tokens(void *arg)
{
    remap_task *rt = arg;
    for (;;) {
        size_t j = atomic_fetch_add(&rt->next, 1);
        if (j >= rt->n)
            break;
        ls_doc *d = &rt->jobs[j].doc;
        const uint32_t *map = rt->maps[rt->jobs[j].worker];
        for (uint64_t k = 0; k < d->n_tokens; k++)
            d->ids[k] = map[d->ids[k]];
    }
    return NULL;
}

/* Maps worker-local ids to corpus ids and adds the batch to the corpus. Corpus ids follow first
 * occurrence over the documents in order, whatever the number of threads. Every allocation is
 * made before the corpus changes, so a failure leaves its documents and counts as they were
 * (terms interned by then stay in the vocabulary with a zero count, invisible to statistics). */
/* ---- large files read in parts ---- */

/* The merged documents' arrays, allocated before the commit changes the corpus. */
typedef struct merge {
    ls_doc *doc;     /* per job: the merged document of a first part with parts > 1 */
    uint32_t *stamp; /* per term: the last (file, part) mark that saw it */
} merge;

static void merge_free(merge *m, size_t n)
{
    for (size_t j = 0; m->doc && j < n; j++)
        ls_doc_destroy(&m->doc[j]);
    free(m->doc);
    free(m->stamp);
    memset(m, 0, sizeof *m);
}

static lstats_status merge_alloc(const lstats_corpus *c, const job *jobs, size_t n, merge *m)
{
    memset(m, 0, sizeof *m);
    int any = 0;
    for (size_t j = 0; j < n; j++)
        any |= jobs[j].parts > 1;
    if (!any)
        return LSTATS_OK;
    m->doc = calloc(n, sizeof *m->doc);
    m->stamp = ls_calloc_written((size_t)ls_vocab_size(c->vocab) + 1, sizeof *m->stamp);
    if (!m->doc || !m->stamp)
        goto nomem;
    for (size_t j = 0; j < n; j++) {
        if (jobs[j].parts < 2 || jobs[j].part != 0)
            continue;
        uint64_t tokens = 0, sent = 0, text = 0;
        for (size_t k = j; k < j + jobs[j].parts; k++) {
            tokens += jobs[k].doc.n_tokens;
            sent += jobs[k].doc.n_sent;
            text += jobs[k].doc.text ? jobs[k].doc.text_len : 0;
        }
        ls_doc *d = &m->doc[j];
        d->ids = malloc((tokens ? tokens : 1) * sizeof *d->ids);
        d->sent = malloc((sent ? sent : 1) * sizeof *d->sent);
        if (!d->ids || !d->sent)
            goto nomem;
        if (c->opts.keep_text) {
            d->tok_start = malloc((tokens ? tokens : 1) * sizeof *d->tok_start);
            d->tok_len = malloc((tokens ? tokens : 1) * sizeof *d->tok_len);
            d->text = malloc(text ? text : 1);
            if (!d->tok_start || !d->tok_len || !d->text)
                goto nomem;
        }
    }
    return LSTATS_OK;
nomem:
    merge_free(m, n);
    return ls_error_nomem();
}

/* Moves the parts of each split file into its first part's document (ids already corpus ids;
 * counts already added). A term in several parts was counted as in several documents: its
 * document frequency is corrected here. Cannot fail. */
static void merge_parts(lstats_corpus *c, job *jobs, size_t n, merge *m)
{
    uint32_t mark = 0;
    for (size_t j = 0; m->doc && j < n; j++) {
        if (jobs[j].parts < 2 || jobs[j].part != 0)
            continue;
        ls_doc *out = &m->doc[j], *first = &jobs[j].doc;
        uint32_t file_mark = mark + 1;
        for (size_t k = j; k < j + jobs[j].parts; k++) {
            ls_doc *d = &jobs[k].doc;
            uint32_t part_mark = ++mark;
            for (uint64_t i = 0; i < d->n_tokens; i++) {
                uint32_t g = d->ids[i];
                if (m->stamp[g] >= file_mark && m->stamp[g] < part_mark)
                    c->doc_freq[g]--; /* seen in an earlier part of this file */
                if (m->stamp[g] < part_mark)
                    m->stamp[g] = part_mark;
            }
            /* a part's first token starts a sentence only when the corpus has sentences (the
             * file's first part: always, as an unsplit file would) */
            for (uint64_t i = 0; i < d->n_sent; i++)
                if (k == j || c->opts.sentences != LSTATS_SENTENCES_NONE)
                    out->sent[out->n_sent++] = out->n_tokens + d->sent[i];
            memcpy(out->ids + out->n_tokens, d->ids, d->n_tokens * sizeof *d->ids);
            if (out->text) {
                for (uint64_t i = 0; i < d->n_tokens; i++) {
                    out->tok_start[out->n_tokens + i] = out->text_len + d->tok_start[i];
                    out->tok_len[out->n_tokens + i] = d->tok_len[i];
                }
                if (d->text_len)
                    memcpy(out->text + out->text_len, d->text, d->text_len);
            }
            out->n_tokens += d->n_tokens;
            out->text_len += d->text_len;
            out->bytes_in += d->bytes_in;
            out->chars += d->chars;
            out->replaced += d->replaced;
            out->cleanup_removed += d->cleanup_removed;
            for (int h = 0; h < 5; h++)
                out->han[h] += d->han[h];
        }
        /* the first part's name and encoding; its arrays give way to the merged ones */
        out->name = first->name;
        first->name = NULL;
        memcpy(out->encoding, first->encoding, sizeof out->encoding);
        if (!out->n_sent) {
            free(out->sent);
            out->sent = NULL;
        }
        ls_doc_destroy(first);
        *first = *out;
        memset(out, 0, sizeof *out);
    }
}

static lstats_status commit_batch(lstats_corpus *c, worker *ws, int n_workers, job *jobs, size_t n)
{
    lstats_status st = LSTATS_OK;
    merge mg;
    memset(&mg, 0, sizeof mg);
    uint32_t **maps = calloc((size_t)n_workers, sizeof *maps);
    if (!maps)
        return ls_error_nomem();
    for (int w = 0; w < n_workers; w++) {
        size_t size = ws[w].known;
        if (!(maps[w] = malloc((size ? size : 1) * sizeof **maps))) {
            st = ls_error_nomem();
            goto done;
        }
    }
    for (size_t j = 0; j < n; j++) {
        const job *jb = &jobs[j];
        const ls_vocab *lv = ws[jb->worker].vocab;
        for (size_t i = 0; i < jb->n_new; i++) {
            size_t len;
            const char *term = ls_vocab_term(lv, jb->new_ids[i], &len);
            if ((st = ls_vocab_intern(c->vocab, term, len, &maps[jb->worker][jb->new_ids[i]])))
                goto done;
        }
    }
    if ((st = ls_corpus_reserve_counts(c)) || (st = ls_corpus_reserve_docs(c, n)) ||
        (st = merge_alloc(c, jobs, n, &mg)))
        goto done;
    /* Nothing below can fail. */
    remap_task rt = {jobs, n, maps, 0};
    atomic_init(&rt.next, 0);
    pthread_t helpers[64];
    int started = 0;
    for (int w = 1; w < n_workers && w <= 64; w++)
        if (pthread_create(&helpers[started], NULL, remap_tokens, &rt) == 0)
            started++;
    remap_tokens(&rt);
    for (int i = 0; i < started; i++)
        pthread_join(helpers[i], NULL);
    for (int w = 0; w < n_workers; w++) {
        const worker *wk = &ws[w];
        for (uint32_t lid = 0; lid < wk->known; lid++) {
            uint32_t g = maps[w][lid];
            if (c->counts[g] == 0 && wk->lc[lid].count > 0)
                c->n_types++;
            c->counts[g] += wk->lc[lid].count;
            c->doc_freq[g] += wk->lc[lid].docs;
        }
    }
    merge_parts(c, jobs, n, &mg);
    for (size_t j = 0; j < n; j++)
        if (jobs[j].part == 0)
            ls_corpus_append_counted(c, &jobs[j].doc, 1);
done:
    for (int w = 0; w < n_workers; w++)
        free(maps[w]);
    free(maps);
    merge_free(&mg, n);
    return st;
}

/* Large plain UTF-8 files are read in parts of about PART_BYTES on several threads. Not with
 * compounds (a compound could straddle a cut) or cleanup rules, or another encoding. */
#define PART_BYTES (8u << 20)
#define MAX_PARTS  64

static int can_split(const lstats_corpus *c)
{
    const char *e = c->opts.encoding;
    int utf8 = !e || strcmp(e, "utf-8") == 0 || strcmp(e, "UTF-8") == 0 || strcmp(e, "utf8") == 0 ||
               strcmp(e, "UTF8") == 0;
    return utf8 && !c->compounds.count && !c->opts.cleanup;
}

static size_t wanted_parts(const job *jb)
{
    if (!jb->path || jb->size < 2 * (uint64_t)PART_BYTES)
        return 1;
    uint64_t parts = jb->size / PART_BYTES;
    return parts > MAX_PARTS ? MAX_PARTS : (size_t)parts;
}

/* The jobs with large files replaced by their parts; *out NULL when nothing is split. */
static lstats_status split_jobs(const job *jobs, size_t n, job **out, size_t *n_out)
{
    *out = NULL;
    *n_out = n;
    size_t big = 0;
    for (size_t j = 0; j < n; j++)
        big += wanted_parts(&jobs[j]) > 1;
    if (!big)
        return LSTATS_OK;
    /* cut points of each large file, then the new job list */
    uint64_t *cuts = malloc(big * (MAX_PARTS + 1) * sizeof *cuts);
    size_t *count = malloc(big * sizeof *count);
    if (!cuts || !count) {
        free(cuts);
        free(count);
        return ls_error_nomem();
    }
    size_t total = 0;
    for (size_t j = 0, b = 0; j < n; j++) {
        size_t parts = wanted_parts(&jobs[j]);
        if (parts > 1) {
            count[b] = ls_file_cuts(jobs[j].path, jobs[j].size, parts, cuts + b * (MAX_PARTS + 1));
            total += count[b++];
        } else {
            total++;
        }
    }
    job *nj = total > n ? calloc(total, sizeof *nj) : NULL;
    if (total > n && !nj) {
        free(cuts);
        free(count);
        return ls_error_nomem();
    }
    size_t o = 0;
    for (size_t j = 0, b = 0; nj && j < n; j++) {
        size_t k = 1;
        const uint64_t *cut = NULL;
        if (wanted_parts(&jobs[j]) > 1) {
            cut = cuts + b * (MAX_PARTS + 1);
            k = count[b++];
        }
        for (size_t p = 0; p < k; p++) {
            nj[o] = jobs[j];
            if (k > 1) {
                nj[o].range_off = cut[p];
                nj[o].range_len = cut[p + 1] - cut[p];
                nj[o].size = nj[o].range_len;
                nj[o].part = (uint32_t)p;
                nj[o].parts = (uint32_t)k;
            }
            o++;
        }
    }
    free(cuts);
    free(count);
    if (nj) {
        *out = nj;
        *n_out = o;
    }
    return LSTATS_OK;
}

static lstats_status ingest_jobs(lstats_corpus *c, job *jobs, size_t n, lstats_progress_cb progress,
                                 void *payload);

static lstats_status ingest(lstats_corpus *c, job *jobs, size_t n, lstats_progress_cb progress,
                            void *payload)
{
    unsigned want = c->opts.n_threads ? c->opts.n_threads : ls_cores();
    job *parts = NULL;
    size_t n_parts = n;
    lstats_status st;
    if (want > 1 && can_split(c) && (st = split_jobs(jobs, n, &parts, &n_parts)))
        return st;
    st = ingest_jobs(c, parts ? parts : jobs, n_parts, progress, payload);
    free(parts);
    return st;
}

static lstats_status ingest_jobs(lstats_corpus *c, job *jobs, size_t n, lstats_progress_cb progress,
                                 void *payload)
{
    if (n == 0)
        return LSTATS_OK;
    unsigned want = c->opts.n_threads ? c->opts.n_threads : ls_cores();
    int n_workers = (int)(want < n ? want : n);
    if (n_workers < 1)
        n_workers = 1;
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.corpus = c;
    sh.jobs = jobs;
    sh.n_jobs = n;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.bytes_done, 0);
    atomic_init(&sh.cancel, 0);
    atomic_init(&sh.finished, 0);
    uint64_t total = 0;
    for (size_t j = 0; j < n; j++)
        total += jobs[j].size;

    worker *ws = calloc((size_t)n_workers, sizeof *ws);
    if (!ws)
        return ls_error_nomem();
    lstats_status st = LSTATS_OK;
    int initialised = 0;
    for (; initialised < n_workers; initialised++)
        if ((st = worker_init(&ws[initialised], &sh, initialised))) {
            initialised++;
            goto cleanup;
        }
    ws[0].progress = progress;
    ws[0].payload = payload;
    ws[0].total = total;
    clock_gettime(CLOCK_MONOTONIC, &ws[0].last_report);
    for (int w = 1; w < n_workers; w++) {
        if (pthread_create(&ws[w].thread, NULL, worker_main, &ws[w]) != 0)
            break; /* fewer threads; the others share the work */
        ws[w].started = 1;
    }
    worker_main(&ws[0]);
    /* The calling thread waits for the others, still reporting progress (and so cancelable). */
    while (atomic_load(&sh.finished) < n) {
        report_progress(&ws[0], 0);
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    for (int w = 1; w < n_workers; w++)
        if (ws[w].started)
            pthread_join(ws[w].thread, NULL);
    if (progress && !atomic_load(&sh.cancel))
        report_progress(&ws[0], 1);

    /* The first failed document in order wins; a cancel only when nothing else failed. */
    for (size_t j = 0; j < n && !st; j++)
        if (jobs[j].status && jobs[j].status != LSTATS_ECANCELED)
            st = ls_error(jobs[j].status, "%s", jobs[j].message);
    if (!st && atomic_load(&sh.cancel))
        st = ls_error(LSTATS_ECANCELED, "canceled by the progress callback");
    if (!st)
        st = commit_batch(c, ws, n_workers, jobs, n);
cleanup:
    for (int w = 0; w < initialised; w++)
        worker_destroy(&ws[w]);
    free(ws);
    for (size_t j = 0; j < n; j++) {
        ls_doc_destroy(&jobs[j].doc);
        free(jobs[j].new_ids);
    }
    return st;
}

/* ------------------------------------------------------------------ public entry points */

lstats_status lstats_corpus_add_texts(lstats_corpus *c, size_t n, const char *const *names,
                                      const char *const *texts, const size_t *text_lens,
                                      lstats_progress_cb progress, void *payload)
{
    if (!c)
        return ls_error(LSTATS_EINVAL, "corpus is NULL");
    if (n && (!names || !texts || !text_lens))
        return ls_error(LSTATS_EINVAL, "names, texts or text_lens is NULL");
    job *jobs = calloc(n ? n : 1, sizeof *jobs);
    if (!jobs)
        return ls_error_nomem();
    for (size_t j = 0; j < n; j++) {
        if (!names[j] || (!texts[j] && text_lens[j])) {
            free(jobs);
            return ls_error(LSTATS_EINVAL, "names[%zu] or texts[%zu] is NULL", j, j);
        }
        jobs[j].name = names[j];
        jobs[j].text = texts[j] ? texts[j] : "";
        jobs[j].text_len = text_lens[j];
        jobs[j].size = text_lens[j];
    }
    lstats_status st = ingest(c, jobs, n, progress, payload);
    free(jobs);
    return st;
}

lstats_status lstats_corpus_add_text(lstats_corpus *c, const char *name, const char *text,
                                     size_t text_len)
{
    return lstats_corpus_add_texts(c, 1, &name, &text, &text_len, NULL, NULL);
}

lstats_status lstats_corpus_add_files(lstats_corpus *c, size_t n, const char *const *paths,
                                      const char *const *names, lstats_progress_cb progress,
                                      void *payload)
{
    if (!c)
        return ls_error(LSTATS_EINVAL, "corpus is NULL");
    if (n && !paths)
        return ls_error(LSTATS_EINVAL, "paths is NULL");
    job *jobs = calloc(n ? n : 1, sizeof *jobs);
    if (!jobs)
        return ls_error_nomem();
    for (size_t j = 0; j < n; j++) {
        if (!paths[j]) {
            free(jobs);
            return ls_error(LSTATS_EINVAL, "paths[%zu] is NULL", j);
        }
        jobs[j].path = paths[j];
        jobs[j].name = names && names[j] ? names[j] : paths[j];
        struct stat sb;
        jobs[j].size = stat(paths[j], &sb) == 0 ? (uint64_t)sb.st_size : 0;
    }
    lstats_status st = ingest(c, jobs, n, progress, payload);
    free(jobs);
    return st;
}

lstats_status lstats_corpus_add_file(lstats_corpus *c, const char *path, const char *name)
{
    return lstats_corpus_add_files(c, 1, &path, &name, NULL, NULL);
}

/* Internal: the corpus object, shared by corpus.c (accessors), ingest.c (adding documents) and
 * the statistics modules. */
#ifndef LS_CORPUS_IMPL_H
#define LS_CORPUS_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "libstats.h"
#include "vocab.h"

typedef struct ls_doc {
    char *name;
    uint32_t *ids; /* term ids, one per token */
    uint64_t n_tokens;
    uint64_t *sent; /* token indices where sentences begin, ascending */
    uint64_t n_sent;
    uint64_t *tok_start; /* keep_text only: byte offset of each token in `text` */
    uint32_t *tok_len;   /* keep_text only: byte length of each token in `text` */
    char *text;          /* keep_text only: the decoded text, LF line ends */
    uint64_t text_len;   /* bytes of decoded text (also without keep_text) */
    uint64_t bytes_in, chars, replaced;
    uint64_t han[5];          /* code points per LSTATS_HAN_* class (scripts.c) */
    uint64_t cleanup_removed; /* removals by the cleanup rules */
    char encoding[32];
} ls_doc;

/* Compound terms merged from adjacent tokens (see ingest.c). */
typedef struct ls_compounds {
    ls_vocab *joined;   /* entries without white space: tokens concatenated */
    ls_vocab *spaced;   /* entries with white space: tokens joined by one space */
    ls_vocab *prefixes; /* every prefix of both, at the points where matching can stop */
    size_t max_len;
    size_t count;
} ls_compounds;

struct lstats_corpus {
    lstats_corpus_options opts; /* strings below are the corpus's own copies */
    char *encoding;
    char *locale;
    char **compound_list;
    ls_compounds compounds;
    ls_vocab *vocab;
    uint64_t *counts;   /* per term id */
    uint64_t *doc_freq; /* per term id: documents containing it */
    size_t counts_cap;
    uint64_t n_tokens;
    uint64_t n_types;
    ls_doc *docs;
    size_t n_docs, docs_cap;
};

void ls_doc_destroy(ls_doc *d);
/* Makes room for counts and document frequencies up to the vocabulary's size (new entries
 * zeroed). */
lstats_status ls_corpus_reserve_counts(lstats_corpus *c);
/* Makes room for n more documents. */
lstats_status ls_corpus_reserve_docs(lstats_corpus *c, size_t n);
/* Appends `n` finished documents (moved in; *docs is left owning nothing on success), counting
 * their terms. */
lstats_status ls_corpus_append_docs(lstats_corpus *c, ls_doc *docs, size_t n);
/* Appends `n` documents whose terms the caller has already added to counts, doc_freq and
 * n_types, after ls_corpus_reserve_docs(c, n) succeeded: cannot fail. */
void ls_corpus_append_counted(lstats_corpus *c, ls_doc *docs, size_t n);
/* Writes the corpus settings into a result table's metadata. */
lstats_status ls_corpus_describe(const lstats_corpus *c, lstats_table *t);

lstats_status ls_compounds_build(ls_compounds *cs, const lstats_corpus_options *opts);
void ls_compounds_destroy(ls_compounds *cs);
/* Merges compounds in the tokens of `text` (one chunk at offset 0), as ingestion does (for
 * normalising queries the same way). */
struct ls_token_buf;
lstats_status ls_compounds_merge(const ls_compounds *cs, const struct ls_token_buf *in,
                                 struct ls_token_buf *out, const char *text);

#endif

/* Internal: turning a chunk of UTF-8 text into normalised tokens with byte offsets. */
#ifndef LS_TOKENIZE_H
#define LS_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "libstats.h"

typedef struct ls_tok_config {
    int tokenizer; /* LSTATS_TOKENIZER_* */
    int normalize; /* LSTATS_NORMALIZE_* */
    int lowercase;
    int keep_punct;
    int drop_numbers;
    const char *locale; /* NULL = root */
    int sentences;      /* LSTATS_SENTENCES_* */
} ls_tok_config;

typedef struct ls_token {
    uint64_t start, end;     /* byte offsets of the token in the document's text */
    uint32_t off, len;       /* the normalised term in ls_token_buf.bytes */
    uint32_t sentence_start; /* 1 when a sentence boundary precedes this token */
} ls_token;

/* The tokens of one chunk; reused from chunk to chunk. */
typedef struct ls_token_buf {
    ls_token *tok;
    size_t n, cap;
    char *bytes;
    size_t bytes_len, bytes_cap;
} ls_token_buf;

void ls_token_buf_clear(ls_token_buf *b);
void ls_token_buf_destroy(ls_token_buf *b);
lstats_status ls_token_buf_push(ls_token_buf *b, const char *term, size_t len, uint64_t start,
                                uint64_t end, uint32_t sentence_start);

typedef struct ls_tokenizer ls_tokenizer;

/* One tokenizer per thread: it owns ICU break iterators and scratch buffers. */
lstats_status ls_tokenizer_new(ls_tokenizer **out, const ls_tok_config *cfg);
void ls_tokenizer_free(ls_tokenizer *t);
/* Script folding (LSTATS_FOLD_*, scripts.c) of every token after normalisation; default none. */
void ls_tokenizer_set_fold(ls_tokenizer *t, int fold);

/* Appends the tokens of `text` (valid UTF-8 that starts at a line start, as ls_reader delivers
 * it) to `out`. `base` is the offset of text[0] in the document. The first token of a chunk
 * starts a sentence (a line end is a sentence boundary under ICU's rules, UAX #29 SB4, and
 * under LSTATS_SENTENCES_LINES), except under LSTATS_SENTENCES_NONE where only the first
 * token of a document (base == 0) does. */
lstats_status ls_tokenize_chunk(ls_tokenizer *t, const char *text, size_t len, uint64_t base,
                                ls_token_buf *out);

/* The normalisation a token gets, for normalising user-given terms (compounds, queries) the
 * same way. The result is valid until the next call on `t`. */
lstats_status ls_tokenizer_normalize(ls_tokenizer *t, const char *s, size_t len, const char **out_s,
                                     size_t *out_len);

#endif

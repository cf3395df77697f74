/* Internal: string interning, term <-> dense uint32 id. */
#ifndef LS_VOCAB_H
#define LS_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "libstats.h"

typedef struct ls_vocab ls_vocab;

/* NULL on out of memory (error set). */
ls_vocab *ls_vocab_new(void);
void ls_vocab_free(ls_vocab *v);
/* A deep copy; NULL on out of memory. */
ls_vocab *ls_vocab_copy(const ls_vocab *v);

uint64_t ls_hash_bytes(const void *data, size_t len);

/* The id of `term`, added if new. Ids are dense, in order of first interning. */
lstats_status ls_vocab_intern(ls_vocab *v, const char *term, size_t len, uint32_t *id_out);
/* The same in steps, for a run of terms: a term's slot is a cache miss in a large vocabulary,
 * so callers hash terms ahead (ls_vocab_prefetch returns the hash and fetches the slot) and
 * intern them later with that hash. */
uint32_t ls_vocab_prefetch(const ls_vocab *v, const char *term, size_t len);
lstats_status ls_vocab_intern_hashed(ls_vocab *v, const char *term, size_t len, uint32_t hash,
                                     uint32_t *id_out);
/* 1 and *id_out set when present, else 0. */
int ls_vocab_find(const ls_vocab *v, const char *term, size_t len, uint32_t *id_out);
uint32_t ls_vocab_size(const ls_vocab *v);
/* Borrowed bytes of term `id` (not NUL-terminated), valid until the next intern. */
const char *ls_vocab_term(const ls_vocab *v, uint32_t id, size_t *len_out);
/* All terms back to back: term id's bytes are [start[id], start[id + 1]) of the result, for
 * loops over many ids (borrowed, valid until the next intern). */
const char *ls_vocab_arena(const ls_vocab *v, const uint64_t **start_out);
/* Bytes held by the vocabulary (for memory reports). */
size_t ls_vocab_memory(const ls_vocab *v);

#endif

/* Internal: building result tables column by column. */
#ifndef LS_TABLE_H
#define LS_TABLE_H

#include "libstats.h"

/* A new empty table with `nrows` rows and no columns; NULL on out of memory (error set). */
lstats_table *ls_table_new(size_t nrows);

/* Each add_* takes ownership of the malloc'd arrays (also on failure, when it frees them).
 * `name` is copied. Column names are unique within a table (LSTATS_EINVAL otherwise).
 * A string column has nrows + 1 offsets, offsets[0] == 0, non-decreasing. */
lstats_status ls_table_add_u64(lstats_table *t, const char *name, uint64_t *data);
lstats_status ls_table_add_i64(lstats_table *t, const char *name, int64_t *data);
lstats_status ls_table_add_f64(lstats_table *t, const char *name, double *data);
lstats_status ls_table_add_string(lstats_table *t, const char *name, char *blob, int64_t *offsets);

/* As the add_* above, with blocks (pagepool.h: whole mappings, freed by ls_growmem_free) for
 * the numbers: `data`, max(nrows, 1) 8-byte values of a number column, or a string column's
 * `offsets`; a string column's `blob` is a malloc block. */
lstats_status ls_table_add_block(lstats_table *t, const char *name, int type, void *data,
                                 char *blob, int64_t *offsets);
/* A string column copied from n NUL-terminated strings. */
lstats_status ls_table_add_cstrings(lstats_table *t, const char *name, const char *const *s,
                                    size_t n);

/* Adds or replaces a metadata entry (key and value copied). */
lstats_status ls_table_set_meta(lstats_table *t, const char *key, const char *value);
lstats_status ls_table_set_meta_u64(lstats_table *t, const char *key, uint64_t value);

/* Convenience accessors for internal callers; NULL / error when absent or of another type. */
const uint64_t *ls_table_u64(const lstats_table *t, const char *name);
const double *ls_table_f64(const lstats_table *t, const char *name);

/* ---- additions (table.c) ---- */

/* Borrowed blob of string column `name` and its offsets; NULL when absent or not a string. */
const char *ls_table_string(const lstats_table *t, const char *name, const int64_t **offsets);
/* Copies every metadata entry of `src` into `dst` (set_meta semantics). */
lstats_status ls_table_copy_meta(lstats_table *dst, const lstats_table *src);
/* Parses metadata `key` as a decimal uint64: 1 and *out set when present and valid, 0 when
 * absent, -1 when present but not a valid uint64. */
int ls_table_meta_u64(const lstats_table *t, const char *key, uint64_t *out);
/* Strict UTF-8 check (no overlongs, surrogates or values above U+10FFFF). Returns 1 when valid;
 * else 0 and *bad_offset (if not NULL) is the byte offset of the first invalid sequence. */
int ls_table_utf8_valid(const char *s, size_t len, size_t *bad_offset);
/* FNV-1a 64-bit hash of `len` bytes. */
uint64_t ls_table_hash(const void *data, size_t len);

#endif

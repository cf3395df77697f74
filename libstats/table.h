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
lstats_status ls_table_add_string(lstats_table *t, const char *name, char *blob,
                                  int64_t *offsets);

/* Adds or replaces a metadata entry (key and value copied). */
lstats_status ls_table_set_meta(lstats_table *t, const char *key, const char *value);
lstats_status ls_table_set_meta_u64(lstats_table *t, const char *key, uint64_t value);

/* Convenience accessors for internal callers; NULL / error when absent or of another type. */
const uint64_t *ls_table_u64(const lstats_table *t, const char *name);
const double *ls_table_f64(const lstats_table *t, const char *name);

#endif

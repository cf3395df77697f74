/* Internal: Han script-variant classification, folding and cleanup (scripts.c). */
#ifndef LS_SCRIPTS_H
#define LS_SCRIPTS_H

#include <stddef.h>
#include <stdint.h>

#include "libstats.h"

#define LS_HAN_NCLASS 5

/* Adds the code points of valid UTF-8 text to counts[LSTATS_HAN_*] (counts[0]: non-Han
 * non-ASCII code points; ASCII is skipped and not counted). */
void ls_script_count(const char *text, size_t len, uint64_t counts[LS_HAN_NCLASS]);

/* Folds a token (valid UTF-8) towards `fold` (LSTATS_FOLD_*). *out is `s` itself when nothing
 * changes, else the scratch buffer *buf (grown as needed, owned by the caller). */
lstats_status ls_script_fold(int fold, const char *s, size_t len, char **buf, size_t *cap,
                             const char **out, size_t *out_len);

/* Applies cleanup rules to valid UTF-8 `in` (len bytes), writing at most len bytes to `out`;
 * returns the output length and adds the number of removals to *removed. */
size_t ls_cleanup_apply(uint32_t rules, const char *in, size_t len, char *out, uint64_t *removed);

#endif

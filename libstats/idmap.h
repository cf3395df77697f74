/* Internal: open-addressing hash map from tuples of 1..5 term ids to a count and, optionally, the
 * number of documents the tuple occurs in. Used by n-gram frequencies and collocations. */
#ifndef LS_IDMAP_H
#define LS_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "libstats.h"

typedef struct ls_idmap {
    uint32_t k;      /* ids per key; set before ls_idmap_alloc */
    uint32_t *keys;  /* k ids per slot */
    uint32_t *count; /* 0 = empty slot */
    uint32_t *docs;  /* NULL when documents are not tracked */
    uint32_t *last;  /* 1-based index of the last document that counted the slot */
    size_t mask, used;
} ls_idmap;

/* Allocates `slots` (a power of two) slots; docs != 0 tracks document counts. */
lstats_status ls_idmap_alloc(ls_idmap *m, size_t slots, int docs);
void ls_idmap_free(ls_idmap *m);
/* Counts one occurrence of `key` in document doc1 (1-based); grows at load 0.7. A count past
 * 2^32 - 1 is an error, never a wrap. */
lstats_status ls_idmap_add(ls_idmap *m, const uint32_t *key, uint32_t doc1);
/* The count of `key`, 0 when absent. */
uint32_t ls_idmap_get(const ls_idmap *m, const uint32_t *key);

#endif

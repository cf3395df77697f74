/* Internal: zeroed memory for hash tables that double many times, without copying or
 * re-touching what they hold, and faulting in pages in bulk.
 *
 * On the 2-core VMs measured, faulting in fresh pages, and the TLB-flush interrupts that
 * unmapping or moving memory sends to the other core, cost more than any other step of
 * counting 60 M window pairs. On Linux: a reservation (MAP_NORESERVE) lets tables grow where
 * they are with no system call; a block of its own grows with mremap, which moves the page
 * tables rather than the bytes; pages are faulted in by madvise(MADV_POPULATE_WRITE). Through
 * realloc, a doubling table copied itself into fresh memory every time. Elsewhere the blocks
 * are calloc/realloc ones and there is no reservation. */
#ifndef LS_GROWMEM_H
#define LS_GROWMEM_H

#include <stddef.h>

/* A block of `bytes` zero bytes, or NULL. */
void *ls_growmem_alloc(size_t bytes);
/* p (of old_bytes) grown to new_bytes: the first old_bytes kept, the rest zero; NULL (p
 * untouched) when out of memory. */
void *ls_growmem_grow(void *p, size_t old_bytes, size_t new_bytes);
void ls_growmem_free(void *p, size_t bytes);

/* Address space for blocks that grow in place without any system call: `bytes` of zero
 * memory that uses no RAM until touched (Linux: MAP_NORESERVE), or NULL where that is not
 * possible (the caller then uses ls_growmem_alloc); freed with ls_growmem_free. */
void *ls_growmem_reserve(size_t bytes);
/* Gives the pages of [p, p + bytes) back (they read as zero again); page-aligned p. */
void ls_growmem_discard(void *p, size_t bytes);

/* Faults in the pages of a large block that is about to be written (one system call instead of
 * a fault per page: 0.15 s instead of 0.25-0.30 s for 400 MB on the VMs measured). 1 when done;
 * 0 for small blocks or where the system cannot (the pages then fault as they are written). */
int ls_prefault(void *p, size_t bytes);

/* calloc for an array that is read before it is written (counters, hash slots), its pages
 * faulted in writable at once: a fresh calloc block maps the shared zero page on a first read
 * and faults again on the first write, and that second fault flushes the TLB of every core
 * running the process (an interrupt each: 3-6% of a two-thread ingest on the VMs measured). */
void *ls_calloc_written(size_t n, size_t size);

#endif

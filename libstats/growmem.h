/* Internal: zeroed memory blocks that grow without copying or re-touching what they hold, for
 * hash tables that double many times.
 *
 * On Linux a block is its own anonymous mapping and grows with mremap, which moves the page
 * tables rather than the bytes: the pages already in use stay, and only the added part is
 * faulted in (zero-filled by the kernel). Through realloc, a doubling table copied itself into
 * fresh memory every time; on the 2-core VMs measured, faulting in pages cost more than any
 * other step of counting 60 M window pairs. Elsewhere the blocks are calloc/realloc ones. */
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
 * a fault per page: 0.15 s instead of 0.25-0.30 s for 400 MB on the VMs measured). Only a hint:
 * does nothing for small blocks or where the system cannot. */
void ls_prefault(void *p, size_t bytes);

#endif

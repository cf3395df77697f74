/* Internal: pages already faulted in, passed on to the later arrays of the same call.
 *
 * On the 2-core VMs measured, the first touch of a page costs about 0.67 s per GB (the kernel
 * zeroes it, the host backs it), 15x the cost of writing it again. Counting the window pairs of
 * a 100 MB corpus faults in about 1.2 GB of hash tables that are dead once their pairs are
 * read, and the rows, sort buffers and result columns after them asked for 1.8 GB more.
 *
 * Pages move between mappings without being copied or cleared (Linux mremap moves the page
 * table entries): a block taken from the pool is a fresh mapping into which pieces of dead
 * tables are moved, and dead blocks are reused where they are. Blocks are whole mappings,
 * freed with ls_growmem_free(p, bytes) (so a result table can own one); their contents are
 * undefined, never promised zero. Elsewhere than Linux a block is a malloc block, nothing
 * moves, and ls_growmem_free is free.
 *
 * Moving pages or unmapping while another thread of the process runs interrupts its core to
 * flush its TLB: take and put between parallel steps, on the calling thread. */
#ifndef LS_PAGEPOOL_H
#define LS_PAGEPOOL_H

#include <stddef.h>

typedef struct ls_pagerange {
    char *p;
    size_t len;
} ls_pagerange;

typedef struct ls_rangelist {
    ls_pagerange *r;
    size_t n, cap;
} ls_rangelist;

typedef struct ls_pagepool {
    ls_rangelist owned; /* mappings unmapped by ls_pagepool_free, except what moved out */
    ls_rangelist piece; /* faulted-in pages inside `owned`, free to move */
    ls_rangelist moved; /* parts of `owned` moved out: not the pool's to unmap any more */
    ls_rangelist dead;  /* blocks put back: reused where they are */
} ls_pagepool;

void ls_pagepool_init(ls_pagepool *pool);
/* Unmaps everything the pool holds. */
void ls_pagepool_free(ls_pagepool *pool);

/* The pool takes the mapping [p, p + len) (freed by ls_pagepool_free). 0 on success; -1 when
 * out of memory, the mapping then still the caller's. */
int ls_pagepool_adopt(ls_pagepool *pool, void *p, size_t len);
/* The whole pages of [p, p + len), inside a mapping the pool has adopted and faulted in, whose
 * contents are no longer needed: later blocks may take them. */
void ls_pagepool_give(ls_pagepool *pool, void *p, size_t len);

/* A block of `bytes` (contents undefined), its pages faulted in, from dead blocks or pieces
 * where the pool has them; NULL when out of memory. pool may be NULL. */
void *ls_pagepool_take(ls_pagepool *pool, size_t bytes);
/* The same, its fresh pages (those no dead block or piece covered) left to fault as they are
 * written: for blocks that threads will write, which then fault them in side by side. */
void *ls_pagepool_take_lazy(ls_pagepool *pool, size_t bytes);
/* Block p of `bytes` (from ls_pagepool_take) is no longer needed: kept for reuse (pool NULL:
 * freed). NULL p is ignored. */
void ls_pagepool_put(ls_pagepool *pool, void *p, size_t bytes);

#endif

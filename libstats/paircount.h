/* Internal: counts (a, b) term-id pairs, with the number of documents each occurs in, for
 * bigram collocations and window co-occurrence.
 *
 * One big hash table would take a cache (and TLB) miss on almost every one of the tens of
 * millions of pair occurrences of a large corpus. Instead the pairs are split by hash into
 * partitions with small tables: an occurrence is appended to its partition's buffer, and a full
 * buffer is added to that partition's table in one go, its slots prefetched ahead. Memory is
 * one 20-byte slot per distinct pair (tables at most 70% full) plus the fixed buffers and a
 * scratch copy of the largest table's pairs: never an entry per occurrence.
 *
 * A counter belongs to one thread. Threads count consecutive stretches of the corpus into
 * counters of their own, merged afterwards partition by partition (ls_paircount_merge). On the
 * 2-core VMs measured, handing full buffers to a second thread that owned the tables was
 * 1.5-3x slower than adding them in place (cross-core traffic, yields, TLB shootdowns), and
 * splitting the partitions between two threads that each scan every pair was 10-15% slower. */
#ifndef LS_PAIRCOUNT_H
#define LS_PAIRCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "libstats.h"
#include "pagepool.h"

typedef struct ls_pairslot {
    uint32_t a, b;
    uint32_t count; /* 0 = empty */
    uint32_t docs;  /* documents counted; with LS_PAIR_SHARED until merged (see `shared`) */
    uint32_t last;  /* 1-based document that last counted the pair */
} ls_pairslot;

/* Where a growing table's pairs wait while it is cleared: one per thread. */
typedef struct ls_pairscratch {
    ls_pairslot *slot;
    size_t cap;
} ls_pairscratch;

typedef struct ls_pairpart {
    ls_pairslot *slot;
    uint32_t mask, used;
    uint32_t doc; /* the document the table last saw */
    int own;      /* the table is a growmem block of its own, not in the counter's region */
} ls_pairpart;

typedef struct ls_paircount {
    ls_pairpart *part;
    uint32_t nparts, pbits, cap;
    /* Partition p's buffer is cur[p] with nbuf[p] entries; a change of document is an entry
     * LS_PAIR_DOC followed by the document's number, so that each partition is one stream of
     * 8-byte entries. bdoc[p]: the document of p's newest buffered pair. */
    uint64_t **cur;
    uint32_t *nbuf, *bdoc;
    uint64_t *pool; /* every buffer, one allocation */
    /* A counter of a stretch of the corpus that starts inside a document the previous stretch
     * ends in: that document (1-based), else 0. Pairs first seen in it carry LS_PAIR_SHARED in
     * docs, so that the merge counts the document once for pairs both stretches saw in it. */
    uint32_t shared;
    ls_pairscratch scratch; /* this counter's, for growing its tables */
    /* Address space reserved for every partition's table (part_bytes each), so that tables
     * grow where they are: moving a table (mremap) flushes the TLB of every core running the
     * process, by an interrupt that costs much on these VMs. NULL: tables of their own. */
    char *region;
    size_t part_bytes;
    lstats_status err; /* the first error */
} ls_paircount;

/* `expected` occurrences (an estimate; it sizes the partitions). */
lstats_status ls_paircount_init(ls_paircount *pc, uint64_t expected);
void ls_paircount_free(ls_paircount *pc);
/* Adds partition p of from[0..n-1] (finished counters of the stretches after dst's, in corpus
 * order, made with the same `expected`) to dst's partition p. Partitions can be merged on
 * threads of their own, each with its own `scratch` (zeroed first, its slot freed after). The
 * sources are freed by the caller once the threads are done: unmapping memory while another thread
 * of the process runs interrupts its core to flush the TLB, which costs much on these VMs. */
lstats_status ls_paircount_merge(ls_paircount *dst, ls_pairscratch *scratch,
                                 ls_paircount *const *from, uint32_t n, uint32_t p);

/* Hands pc's tables, whose pairs are read or merged, to pool (pagepool.h) for later arrays of
 * the call; then frees pc as ls_paircount_free does. pool may be NULL. */
void ls_paircount_to_pool(ls_paircount *pc, ls_pagepool *pool);

/* The flag of `shared` in a slot's docs: counting on threads keeps documents below 2^31. */
#define LS_PAIR_SHARED 0x80000000u

/* Term ids are below UINT32_MAX (the vocabulary's limit), so no pair has this key. */
#define LS_PAIR_DOC UINT64_MAX

static inline uint64_t ls_pair_hash(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    return key ^ (key >> 33);
}

/* Adds partition p's full buffer to its table. */
lstats_status ls_paircount_submit(ls_paircount *pc, uint32_t p);

/* Counts one occurrence of (a, b) in document doc1 (1-based). Errors (out of memory, a count
 * past 2^32 - 1) are returned here or by ls_paircount_finish. */
static inline lstats_status ls_paircount_add(ls_paircount *pc, uint32_t a, uint32_t b,
                                             uint32_t doc1)
{
    uint64_t key = ((uint64_t)a << 32) | b;
    uint32_t p = pc->pbits ? (uint32_t)(ls_pair_hash(key) >> (64 - pc->pbits)) : 0;
    uint64_t *buf = pc->cur[p];
    uint32_t k = pc->nbuf[p];
    if (pc->bdoc[p] != doc1) {
        buf[k++] = LS_PAIR_DOC;
        buf[k++] = doc1;
        pc->bdoc[p] = doc1;
    }
    buf[k++] = key;
    pc->nbuf[p] = k;
    return k + 3 > pc->cap ? ls_paircount_submit(pc, p) : LSTATS_OK;
}

/* Adds every pending occurrence; then the tables are complete. */
lstats_status ls_paircount_finish(ls_paircount *pc);

#endif

/* Internal: counts (a, b) term-id pairs, with the number of documents each occurs in, for
 * bigram collocations and window co-occurrence.
 *
 * One big hash table would take a cache (and TLB) miss on almost every one of the tens of
 * millions of pair occurrences of a large corpus. Instead the pairs are split by hash into
 * partitions whose tables are small enough to stay in cache: an occurrence is appended to its
 * partition's fixed buffer, and a full buffer is added to that partition's table in one go.
 * Memory is one 20-byte slot per distinct pair (tables at most 70% full) plus the fixed
 * buffers: never an entry per occurrence.
 *
 * Threads: with T (a power of two) counters, counter t owns the partitions whose number is t
 * modulo T; each scans every pair and skips the ones it does not own, so the counters need no
 * locks and their pairs never overlap. */
#ifndef LS_PAIRCOUNT_H
#define LS_PAIRCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "libstats.h"

typedef struct ls_pairslot {
    uint32_t a, b;
    uint32_t count; /* 0 = empty */
    uint32_t docs;
    uint32_t last; /* 1-based document that last counted the pair */
} ls_pairslot;

typedef struct ls_pairpart {
    ls_pairslot *slot;
    uint32_t mask, used;
} ls_pairpart;

typedef struct ls_paircount {
    ls_pairpart *part;
    uint64_t *buf;               /* partition p's pending pairs (a << 32 | b) at buf + p * cap */
    uint32_t *bdoc;              /* and their documents */
    uint32_t *nbuf;              /* pending per partition */
    uint32_t nparts, pbits, cap; /* this counter's partitions; bits of the partition number */
    uint32_t tbits, tid;         /* owns partition numbers == tid modulo 2^tbits */
    lstats_status err;           /* the first error of a flush inside ls_paircount_add */
} ls_paircount;

/* `expected` occurrences in all (an estimate; it sizes the partitions); counter tid of
 * 2^tbits. */
lstats_status ls_paircount_init(ls_paircount *pc, uint64_t expected, uint32_t tid, uint32_t tbits);
void ls_paircount_free(ls_paircount *pc);

static inline uint64_t ls_pair_hash(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    return key ^ (key >> 33);
}

lstats_status ls_paircount_flush(ls_paircount *pc, uint32_t p);

/* Counts one occurrence of (a, b) in document doc1 (1-based). Errors (out of memory, a count
 * past 2^32 - 1) are returned here and kept in pc->err. */
static inline lstats_status ls_paircount_add(ls_paircount *pc, uint32_t a, uint32_t b,
                                             uint32_t doc1)
{
    uint64_t key = ((uint64_t)a << 32) | b;
    uint32_t p = pc->pbits ? (uint32_t)(ls_pair_hash(key) >> (64 - pc->pbits)) : 0;
    if ((p & ((1u << pc->tbits) - 1)) != pc->tid)
        return LSTATS_OK;
    p >>= pc->tbits;
    uint32_t k = pc->nbuf[p]++;
    pc->buf[(size_t)p * pc->cap + k] = key;
    pc->bdoc[(size_t)p * pc->cap + k] = doc1;
    return k + 1 == pc->cap ? ls_paircount_flush(pc, p) : LSTATS_OK;
}

/* Adds every pending occurrence to the tables; call before reading them. */
lstats_status ls_paircount_finish(ls_paircount *pc);

#endif

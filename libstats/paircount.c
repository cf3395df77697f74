#include "paircount.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Partitions are sized for about this many occurrences each: a partition's table then holds
 * at most this many slots' worth of distinct pairs (about 16k x 20 bytes / 0.7 = 460 KB, an L2
 * cache), usually far fewer. */
#define OCC_PER_PART 16384u
#define MAX_PBITS    10 /* 1024 partitions: more buffers would thrash the TLB while scattering */
#define BUF_BYTES    (16u << 20)

static lstats_status part_alloc(ls_pairpart *pp, uint32_t slots)
{
    pp->slot = calloc(slots, sizeof *pp->slot);
    if (!pp->slot)
        return ls_error_nomem();
    pp->mask = slots - 1;
    pp->used = 0;
    return LSTATS_OK;
}

lstats_status ls_paircount_init(ls_paircount *pc, uint64_t expected, uint32_t tid, uint32_t tbits)
{
    memset(pc, 0, sizeof *pc);
    uint32_t bits = 0;
    while (bits < MAX_PBITS && ((uint64_t)OCC_PER_PART << bits) < expected)
        bits++;
    if (bits < tbits)
        bits = tbits;
    pc->pbits = bits;
    pc->tbits = tbits;
    pc->tid = tid;
    pc->nparts = 1u << (bits - tbits);
    /* the buffers: BUF_BYTES in all, 256..4096 pairs a partition */
    uint32_t cap = (uint32_t)(BUF_BYTES / 12 / pc->nparts);
    pc->cap = cap < 256 ? 256 : cap > 4096 ? 4096 : cap;
    pc->part = calloc(pc->nparts, sizeof *pc->part);
    pc->nbuf = calloc(pc->nparts, sizeof *pc->nbuf);
    pc->buf = malloc((size_t)pc->nparts * pc->cap * sizeof *pc->buf);
    pc->bdoc = malloc((size_t)pc->nparts * pc->cap * sizeof *pc->bdoc);
    if (!pc->part || !pc->nbuf || !pc->buf || !pc->bdoc) {
        ls_paircount_free(pc);
        return ls_error_nomem();
    }
    for (uint32_t p = 0; p < pc->nparts; p++) {
        lstats_status st = part_alloc(&pc->part[p], 256);
        if (st) {
            ls_paircount_free(pc);
            return st;
        }
    }
    return LSTATS_OK;
}

void ls_paircount_free(ls_paircount *pc)
{
    for (uint32_t p = 0; pc->part && p < pc->nparts; p++)
        free(pc->part[p].slot);
    free(pc->part);
    free(pc->buf);
    free(pc->bdoc);
    free(pc->nbuf);
    memset(pc, 0, sizeof *pc);
}

static inline uint32_t slot_index(uint64_t key)
{
    return (uint32_t)ls_pair_hash(key);
}

static lstats_status part_grow(ls_pairpart *pp)
{
    ls_pairpart old = *pp;
    lstats_status st = part_alloc(pp, (old.mask + 1) * 2);
    if (st) {
        *pp = old;
        return st;
    }
    pp->used = old.used;
    for (uint32_t s = 0; s <= old.mask; s++) {
        const ls_pairslot *o = &old.slot[s];
        if (!o->count)
            continue;
        uint32_t i = slot_index(((uint64_t)o->a << 32) | o->b) & pp->mask;
        while (pp->slot[i].count)
            i = (i + 1) & pp->mask;
        pp->slot[i] = *o;
    }
    free(old.slot);
    return LSTATS_OK;
}

lstats_status ls_paircount_flush(ls_paircount *pc, uint32_t p)
{
    ls_pairpart *pp = &pc->part[p];
    const uint64_t *buf = pc->buf + (size_t)p * pc->cap;
    const uint32_t *bdoc = pc->bdoc + (size_t)p * pc->cap;
    uint32_t n = pc->nbuf[p];
    pc->nbuf[p] = 0;
    if (pc->err)
        return pc->err;
    /* grow first so that no insertion below can exceed the load factor */
    while ((uint64_t)(pp->used + n) * 10 > (uint64_t)(pp->mask + 1) * 7) {
        lstats_status st = part_grow(pp);
        if (st)
            return pc->err = st;
    }
    ls_pairslot *slot = pp->slot;
    uint32_t mask = pp->mask;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t key = buf[k];
        uint32_t a = (uint32_t)(key >> 32), b = (uint32_t)key, doc1 = bdoc[k];
        uint32_t i = slot_index(key) & mask;
        for (;;) {
            ls_pairslot *s = &slot[i];
            if (!s->count) {
                s->a = a;
                s->b = b;
                s->count = 1;
                s->docs = 1;
                s->last = doc1;
                pp->used++;
                break;
            }
            if (s->a == a && s->b == b) {
                if (s->count == UINT32_MAX)
                    return pc->err = ls_error(LSTATS_EINVAL,
                                              "a count of one n-gram or pair exceeds 2^32 - 1");
                s->count++;
                if (s->last != doc1) {
                    s->last = doc1;
                    s->docs++;
                }
                break;
            }
            i = (i + 1) & mask;
        }
    }
    return LSTATS_OK;
}

lstats_status ls_paircount_finish(ls_paircount *pc)
{
    for (uint32_t p = 0; p < pc->nparts && !pc->err; p++)
        if (pc->nbuf[p])
            ls_paircount_flush(pc, p);
    return pc->err;
}

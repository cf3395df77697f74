#include "paircount.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "growmem.h"

/* Partitions are sized for about this many occurrences each, at most 2^MAX_PBITS of them: more
 * buffers being filled at once would thrash the caches and TLB while scattering. */
#define OCC_PER_PART 16384u
#define MAX_PBITS    10
#define PREFETCH     8
#define BUF_BYTES    (16u << 20) /* all partitions' buffers together */

static lstats_status part_alloc(ls_paircount *pc, uint32_t p, uint32_t slots)
{
    ls_pairpart *pp = &pc->part[p];
    size_t bytes = (size_t)slots * sizeof *pp->slot;
    pp->own = !pc->region;
    if (pc->region) {
        pp->slot = (ls_pairslot *)(pc->region + (size_t)p * pc->part_bytes);
        memset(pp->slot, 0, bytes); /* written now: a read would map the zero page first */
    } else if (!(pp->slot = ls_growmem_alloc(bytes))) {
        return ls_error_nomem();
    }
    pp->mask = slots - 1;
    pp->used = 0;
    return LSTATS_OK;
}

/* pp's table at twice its size, its old contents kept and the new half zero and written in:
 * left to the probes, a page's first read would map the zero page and its first write fault
 * again. */
static ls_pairslot *part_space(ls_paircount *pc, ls_pairpart *pp, size_t old)
{
    ls_pairslot *t;
    if (!pp->own && 2 * old <= pc->part_bytes) { /* in place, in the region */
        t = pp->slot;
    } else if (pp->own) {
        if (!(t = ls_growmem_grow(pp->slot, old, 2 * old)))
            return NULL;
    } else {
        /* past its share of the region (far more distinct pairs than expected): a block of
         * its own from now on */
        if (!(t = ls_growmem_alloc(2 * old)))
            return NULL;
        memcpy(t, pp->slot, old);
        ls_growmem_discard(pp->slot, old);
        pp->own = 1;
    }
    char *fresh = (char *)t + old;
    if (!ls_prefault(fresh, old))
        memset(fresh, 0, old);
    return t;
}

/* Doubles pp's table, a partition of counter pc, where it is (part_space): its pairs are set
 * aside in sc (pc's own, or a merging thread's), the old half cleared, the pairs put back. */
static lstats_status part_grow(ls_pairpart *pp, ls_paircount *pc, ls_pairscratch *sc)
{
    if (pp->used > sc->cap) {
        size_t cap = (size_t)pp->used * 2;
        ls_pairslot *q = realloc(sc->slot, cap * sizeof *q);
        if (!q)
            return ls_error_nomem();
        sc->slot = q;
        sc->cap = cap;
    }
    size_t old = (size_t)(pp->mask + 1) * sizeof *pp->slot;
    ls_pairslot *t = part_space(pc, pp, old);
    if (!t)
        return ls_error_nomem(); /* pp is as it was */
    uint32_t n = 0;
    for (uint32_t s = 0; s <= pp->mask; s++)
        if (t[s].count)
            sc->slot[n++] = t[s];
    memset(t, 0, old); /* the new half is zero and faulted in already (part_space) */
    pp->slot = t;
    pp->mask = pp->mask * 2 + 1;
    for (uint32_t k = 0; k < n; k++) {
        const ls_pairslot *o = &sc->slot[k];
        uint32_t i = (uint32_t)ls_pair_hash(((uint64_t)o->a << 32) | o->b) & pp->mask;
        while (t[i].count)
            i = (i + 1) & pp->mask;
        t[i] = *o;
    }
    return LSTATS_OK;
}

/* Adds n buffered entries to partition pp's table. */
static lstats_status part_add(ls_paircount *pc, ls_pairpart *pp, const uint64_t *buf, uint32_t n)
{
    uint32_t shared = pc->shared;
    /* grow first so that no insertion below can exceed the load factor */
    while ((uint64_t)(pp->used + n) * 10 > (uint64_t)(pp->mask + 1) * 7) {
        lstats_status st = part_grow(pp, pc, &pc->scratch);
        if (st)
            return st;
    }
    ls_pairslot *slot = pp->slot;
    uint32_t mask = pp->mask, doc1 = pp->doc;
    uint32_t first = shared && doc1 == shared ? 1 | LS_PAIR_SHARED : 1;
    for (uint32_t k = 0; k < n; k++) {
        /* The table is rarely still in cache when its buffer fills: fetching the slots a few
         * pairs ahead overlaps the misses instead of waiting for each. */
        if (k + PREFETCH < n)
            __builtin_prefetch(&slot[(uint32_t)ls_pair_hash(buf[k + PREFETCH]) & mask], 1);
        uint64_t key = buf[k];
        if (key == LS_PAIR_DOC) {
            doc1 = (uint32_t)buf[++k];
            first = shared && doc1 == shared ? 1 | LS_PAIR_SHARED : 1;
            continue;
        }
        uint32_t a = (uint32_t)(key >> 32), b = (uint32_t)key;
        uint32_t i = (uint32_t)ls_pair_hash(key) & mask;
        for (;;) {
            ls_pairslot *s = &slot[i];
            if (!s->count) {
                s->a = a;
                s->b = b;
                s->count = 1;
                s->docs = first;
                s->last = doc1;
                pp->used++;
                break;
            }
            if (s->a == a && s->b == b) {
                if (s->count == UINT32_MAX) {
                    pp->doc = doc1;
                    return ls_error(LSTATS_EINVAL,
                                    "a count of one n-gram or pair exceeds 2^32 - 1");
                }
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
    pp->doc = doc1;
    return LSTATS_OK;
}

/* ---- the counter ---- */

lstats_status ls_paircount_init(ls_paircount *pc, uint64_t expected)
{
    memset(pc, 0, sizeof *pc);
    uint32_t bits = 0;
    while (bits < MAX_PBITS && ((uint64_t)OCC_PER_PART << bits) < expected)
        bits++;
    pc->pbits = bits;
    pc->nparts = 1u << bits;
    /* the buffers: BUF_BYTES in all, 256..4096 entries each */
    uint32_t cap = (uint32_t)(BUF_BYTES / 8 / pc->nparts);
    pc->cap = cap < 256 ? 256 : cap > 4096 ? 4096 : cap;
    pc->part = calloc(pc->nparts, sizeof *pc->part);
    pc->cur = calloc(pc->nparts, sizeof *pc->cur);
    pc->nbuf = calloc(pc->nparts, sizeof *pc->nbuf);
    pc->bdoc = calloc(pc->nparts, sizeof *pc->bdoc);
    pc->pool = malloc((size_t)pc->nparts * pc->cap * sizeof *pc->pool);
    if (!pc->part || !pc->cur || !pc->nbuf || !pc->bdoc || !pc->pool)
        goto nomem;
    /* Each partition's share of the region: room for twice its part of `expected` distinct
     * pairs at the lowest load a table has after growing (35%), in whole 64 KB units so that
     * every share starts on a page; a table that needs more moves out. */
    uint64_t per = expected / pc->nparts + 1, slots = 256;
    while (slots * 35 < per * 2 * 100 && slots < ((uint64_t)1 << 31))
        slots *= 2;
    pc->part_bytes = ((size_t)slots * sizeof(ls_pairslot) + 65535) & ~(size_t)65535;
    pc->region = ls_growmem_reserve(pc->part_bytes * pc->nparts);
    for (uint32_t p = 0; p < pc->nparts; p++) {
        pc->cur[p] = pc->pool + (size_t)p * pc->cap;
        if (part_alloc(pc, p, 256))
            goto nomem;
    }
    return LSTATS_OK;
nomem:
    ls_paircount_free(pc);
    return ls_error_nomem();
}

lstats_status ls_paircount_submit(ls_paircount *pc, uint32_t p)
{
    uint32_t n = pc->nbuf[p];
    pc->nbuf[p] = 0;
    if (pc->err)
        return pc->err;
    return pc->err = part_add(pc, &pc->part[p], pc->cur[p], n);
}

lstats_status ls_paircount_finish(ls_paircount *pc)
{
    for (uint32_t p = 0; p < pc->nparts && !pc->err; p++)
        if (pc->nbuf[p])
            ls_paircount_submit(pc, p);
    return pc->err;
}

/* Adds src's slots to dst: src counted the stretch after dst's, starting in document `shared`
 * (or 0), which dst may have counted too. */
static lstats_status part_merge(ls_paircount *owner, ls_pairscratch *scratch, ls_pairpart *dst,
                                const ls_pairpart *src, uint32_t shared)
{
    for (uint32_t k = 0; k <= src->mask; k++) {
        const ls_pairslot *o = &src->slot[k];
        if (!o->count)
            continue;
    again:;
        uint32_t i = (uint32_t)ls_pair_hash(((uint64_t)o->a << 32) | o->b) & dst->mask;
        uint32_t docs = o->docs & ~LS_PAIR_SHARED;
        for (;;) {
            ls_pairslot *s = &dst->slot[i];
            if (!s->count) {
                /* grown only for pairs new to dst: many are in both stretches */
                if ((uint64_t)(dst->used + 1) * 10 > (uint64_t)(dst->mask + 1) * 7) {
                    lstats_status st = part_grow(dst, owner, scratch);
                    if (st)
                        return st;
                    goto again;
                }
                *s = *o;
                s->docs = docs;
                dst->used++;
                break;
            }
            if (s->a == o->a && s->b == o->b) {
                if (s->count > UINT32_MAX - o->count)
                    return ls_error(LSTATS_EINVAL,
                                    "a count of one n-gram or pair exceeds 2^32 - 1");
                s->count += o->count;
                /* both stretches counted the document they share */
                s->docs += docs - ((o->docs & LS_PAIR_SHARED) && s->last == shared);
                s->last = o->last;
                break;
            }
            i = (i + 1) & dst->mask;
        }
    }
    return LSTATS_OK;
}

lstats_status ls_paircount_merge(ls_paircount *dst, ls_pairscratch *scratch,
                                 ls_paircount *const *from, uint32_t n, uint32_t p)
{
    lstats_status st = LSTATS_OK;
    for (uint32_t t = 0; t < n && !st; t++)
        st = part_merge(dst, scratch, &dst->part[p], &from[t]->part[p], from[t]->shared);
    return st;
}

void ls_paircount_to_pool(ls_paircount *pc, ls_pagepool *pool)
{
    /* pieces of a region are given only once the pool owns the region */
    if (pool &&
        (!pc->region || ls_pagepool_adopt(pool, pc->region, pc->part_bytes * pc->nparts) == 0)) {
        pc->region = NULL;
        for (uint32_t p = 0; pc->part && p < pc->nparts; p++) {
            ls_pairpart *pp = &pc->part[p];
            size_t bytes = (size_t)(pp->mask + 1) * sizeof *pp->slot;
            if (!pp->slot || (pp->own && ls_pagepool_adopt(pool, pp->slot, bytes) != 0))
                continue; /* freed below */
            ls_pagepool_give(pool, pp->slot, bytes);
            pp->slot = NULL;
        }
    }
    ls_paircount_free(pc);
}

void ls_paircount_free(ls_paircount *pc)
{
    /* tables in the region go with it */
    for (uint32_t p = 0; pc->part && p < pc->nparts; p++)
        if (pc->part[p].own)
            ls_growmem_free(pc->part[p].slot, (size_t)(pc->part[p].mask + 1) * sizeof(ls_pairslot));
    free(pc->part);
    free(pc->cur);
    free(pc->nbuf);
    free(pc->bdoc);
    free(pc->pool);
    free(pc->scratch.slot);
    ls_growmem_free(pc->region, pc->part_bytes * pc->nparts);
    memset(pc, 0, sizeof *pc);
}

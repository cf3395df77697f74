#if defined(__linux__)
#define _GNU_SOURCE /* mremap; before any system header */
#endif

#include "pagepool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "growmem.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

/* Each move splits a mapping; the kernel allows a process about 65,000 mappings in all, and
 * the rest of the process must keep room for its own. */
#define MAX_MOVES 4096
/* A dead block's remainder smaller than this is unmapped rather than kept. */
#define MIN_KEEP ((size_t)64 << 10)

/* Room for one more range: 0, or -1 when out of memory. */
static int list_room(ls_rangelist *l)
{
    if (l->n < l->cap)
        return 0;
    size_t cap = l->cap ? 2 * l->cap : 64;
    ls_pagerange *r = realloc(l->r, cap * sizeof *r);
    if (!r)
        return -1;
    l->r = r;
    l->cap = cap;
    return 0;
}

static int list_add(ls_rangelist *l, char *p, size_t len)
{
    if (list_room(l) != 0)
        return -1;
    l->r[l->n].p = p;
    l->r[l->n++].len = len;
    return 0;
}

static void lists_free(ls_pagepool *pool)
{
    free(pool->owned.r);
    free(pool->piece.r);
    free(pool->moved.r);
    free(pool->dead.r);
    memset(pool, 0, sizeof *pool);
}

void ls_pagepool_init(ls_pagepool *pool)
{
    memset(pool, 0, sizeof *pool);
}

int ls_pagepool_adopt(ls_pagepool *pool, void *p, size_t len)
{
    return p ? list_add(&pool->owned, p, len) : 0;
}

#if defined(__linux__)

static size_t page_round(size_t bytes, size_t page)
{
    return (bytes + page - 1) & ~(page - 1);
}

void ls_pagepool_give(ls_pagepool *pool, void *p, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
    uintptr_t e = ((uintptr_t)p + len) & ~(uintptr_t)(page - 1);
    if (p && e > a)
        (void)list_add(&pool->piece, (char *)a, e - a); /* else unused, unmapped with the rest */
}

/* The smallest dead block of at least r bytes, its front r bytes cut off; NULL if none. */
static void *take_dead(ls_pagepool *pool, size_t r)
{
    ls_rangelist *d = &pool->dead;
    size_t best = d->n;
    for (size_t i = 0; i < d->n; i++)
        if (d->r[i].len >= r && (best == d->n || d->r[i].len < d->r[best].len))
            best = i;
    if (best == d->n)
        return NULL;
    char *p = d->r[best].p;
    size_t len = d->r[best].len;
    if (len - r >= MIN_KEEP) {
        d->r[best].p += r;
        d->r[best].len -= r;
    } else {
        d->r[best] = d->r[--d->n];
        if (len > r)
            ls_growmem_free(p + r, len - r);
    }
    return p;
}

/* Moves pieces into the fresh mapping [dst, dst + r), front first: the bytes filled. */
static size_t fill(ls_pagepool *pool, char *dst, size_t r)
{
    size_t off = 0;
    ls_rangelist *pc = &pool->piece;
    while (off < r && pc->n && pool->moved.n < MAX_MOVES) {
        ls_pagerange *x = &pc->r[pc->n - 1];
        size_t n = x->len < r - off ? x->len : r - off;
        char *src = x->p + x->len - n;    /* a piece's tail: what stays is still one range */
        if (list_room(&pool->moved) != 0) /* before moving: every move must be recorded */
            break;
        if (mremap(src, n, n, MREMAP_MAYMOVE | MREMAP_FIXED, dst + off) == MAP_FAILED) {
            pc->n--; /* not movable (it stays where it is, unmapped with its mapping) */
            continue;
        }
        (void)list_add(&pool->moved, src, n);
        x->len -= n;
        if (!x->len)
            pc->n--;
        off += n;
    }
    return off;
}

static void *take(ls_pagepool *pool, size_t bytes, int prefault)
{
    size_t r = page_round(bytes ? bytes : 1, (size_t)sysconf(_SC_PAGESIZE));
    char *p = pool ? take_dead(pool, r) : NULL;
    if (p)
        return p;
    if (!(p = ls_growmem_alloc(r)))
        return NULL;
    size_t off = pool ? fill(pool, p, r) : 0;
    if (off < r && prefault)
        ls_prefault(p + off, r - off);
    return p;
}

void *ls_pagepool_take(ls_pagepool *pool, size_t bytes)
{
    return take(pool, bytes, 1);
}

void *ls_pagepool_take_lazy(ls_pagepool *pool, size_t bytes)
{
    return take(pool, bytes, 0);
}

void ls_pagepool_put(ls_pagepool *pool, void *p, size_t bytes)
{
    if (!p)
        return;
    size_t r = page_round(bytes ? bytes : 1, (size_t)sysconf(_SC_PAGESIZE));
    if (!pool || list_add(&pool->dead, p, r) != 0)
        ls_growmem_free(p, r);
}

static int by_address(const void *a, const void *b)
{
    const ls_pagerange *x = a, *y = b;
    return x->p < y->p ? -1 : x->p > y->p;
}

void ls_pagepool_free(ls_pagepool *pool)
{
    ls_rangelist *m = &pool->moved;
    if (m->n)
        qsort(m->r, m->n, sizeof *m->r, by_address);
    for (size_t i = 0; i < pool->owned.n; i++) {
        char *cur = pool->owned.r[i].p, *end = cur + pool->owned.r[i].len;
        /* the first moved range at or after cur */
        size_t lo = 0, hi = m->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->r[mid].p < cur)
                lo = mid + 1;
            else
                hi = mid;
        }
        /* what moved out may have been mapped over by anyone since: only the rest is ours */
        for (size_t j = lo; j < m->n && m->r[j].p < end; j++) {
            if (m->r[j].p > cur)
                ls_growmem_free(cur, (size_t)(m->r[j].p - cur));
            cur = m->r[j].p + m->r[j].len;
        }
        if (cur < end)
            ls_growmem_free(cur, (size_t)(end - cur));
    }
    for (size_t i = 0; i < pool->dead.n; i++)
        ls_growmem_free(pool->dead.r[i].p, pool->dead.r[i].len);
    lists_free(pool);
}

#else /* no page moving: malloc blocks */

void ls_pagepool_give(ls_pagepool *pool, void *p, size_t len)
{
    (void)pool;
    (void)p;
    (void)len;
}

void *ls_pagepool_take(ls_pagepool *pool, size_t bytes)
{
    (void)pool;
    return malloc(bytes ? bytes : 1);
}

void *ls_pagepool_take_lazy(ls_pagepool *pool, size_t bytes)
{
    return ls_pagepool_take(pool, bytes);
}

void ls_pagepool_put(ls_pagepool *pool, void *p, size_t bytes)
{
    (void)pool;
    (void)bytes;
    free(p);
}

void ls_pagepool_free(ls_pagepool *pool)
{
    for (size_t i = 0; i < pool->owned.n; i++)
        ls_growmem_free(pool->owned.r[i].p, pool->owned.r[i].len);
    lists_free(pool);
}

#endif

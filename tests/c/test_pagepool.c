/* pagepool: pages given to the pool reappear, with their bytes, in later blocks; dead blocks are
 * reused where they are; freeing unmaps exactly what the pool still owns. */
#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "growmem.h"
#include "pagepool.h"
#include "table.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>

#define KB ((size_t)1 << 10)

static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 131 + 7 + i / 4096);
}

/* Whether address p is in a mapping of the process (/proc/self/maps; a probe by system call
 * would trouble valgrind). */
static int mapped(const void *p)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    unsigned long lo, hi, a = (unsigned long)(uintptr_t)p;
    char line[512];
    int in = 0;
    while (!in && fgets(line, sizeof line, f))
        in = sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi;
    fclose(f);
    return in;
}

static void test_pieces_move_with_their_bytes(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = 1024 * KB;
    ls_pagepool pool;
    ls_pagepool_init(&pool);
    uint8_t *region = ls_growmem_alloc(len);
    CHECK(region != NULL);
    if (!region)
        return;
    for (size_t i = 0; i < len; i++)
        region[i] = pattern(i);
    CHECK(ls_pagepool_adopt(&pool, region, len) == 0);
    /* not page-aligned at either end: only the whole pages inside are given */
    ls_pagepool_give(&pool, region + 100, len - 200);
    CHECK(pool.piece.n == 1);
    CHECK(pool.piece.r[0].p == (char *)region + page);
    CHECK(pool.piece.r[0].len == len - 2 * page);

    /* a block takes the piece's tail */
    uint8_t *a = ls_pagepool_take(&pool, 256 * KB);
    CHECK(a != NULL);
    size_t from = len - page - 256 * KB;
    int same = 1;
    for (size_t i = 0; a && i < 256 * KB; i++)
        same &= a[i] == pattern(from + i);
    CHECK(same);
    CHECK(pool.moved.n == 1);

    /* a block larger than what is left: the rest of the piece, then fresh zero pages */
    size_t rest = len - 2 * page - 256 * KB;
    uint8_t *b = ls_pagepool_take(&pool, 2048 * KB + 10);
    CHECK(b != NULL);
    same = 1;
    int zero = 1;
    for (size_t i = 0; b && i < rest; i++)
        same &= b[i] == pattern(page + i);
    for (size_t i = rest; b && i < 2048 * KB + 10; i++)
        zero &= b[i] == 0;
    CHECK(same);
    CHECK(zero);
    CHECK(pool.piece.n == 0);

    /* The moved-out range is no longer the pool's: something mapped there since must survive
     * ls_pagepool_free (the whole region must not be unmapped). */
    void *hole = region + page;
    uint8_t *squatter = mmap(hole, page, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    int squatted = squatter == hole;
    if (squatted)
        squatter[0] = 42;
    else if (squatter != MAP_FAILED)
        munmap(squatter, page); /* an old kernel that ignored the flag: mapped elsewhere */

    /* a dead block is reused where it is, its front first */
    ls_pagepool_put(&pool, b, 2048 * KB + 10);
    uint8_t *c = ls_pagepool_take(&pool, 100 * KB);
    CHECK(c == b);
    uint8_t *d = ls_pagepool_take(&pool, 1500 * KB);
    CHECK(d == b + 100 * KB + (page - (100 * KB) % page) % page);
    ls_pagepool_put(&pool, a, 256 * KB);
    ls_pagepool_put(&pool, c, 100 * KB);
    ls_growmem_free(d, 1500 * KB);
    CHECK(!mapped(d) && !mapped(d + 1500 * KB - 1));
    CHECK(mapped(b + 2048 * KB)); /* the dead remainder, still the pool's */
    ls_pagepool_free(&pool);
    /* what the pool held is unmapped: the region's ends, the blocks put back */
    CHECK(!mapped(region) && !mapped(region + len - 1));
    CHECK(!mapped(a) && !mapped(b) && !mapped(b + 2048 * KB));
    if (squatted) {
        CHECK(squatter[0] == 42); /* still mapped: this would fault otherwise */
        munmap(squatter, page);
    }
}

/* Without a pool, blocks are plain fresh mappings. */
static void test_no_pool(void)
{
    uint64_t *x = ls_pagepool_take(NULL, 3 * sizeof *x);
    CHECK(x != NULL);
    if (x) {
        x[0] = 1;
        x[2] = 3;
        CHECK(x[0] + x[2] == 4);
    }
    ls_pagepool_put(NULL, x, 3 * sizeof *x);
    CHECK(!mapped(x));
    ls_pagepool_put(NULL, NULL, 0);
    uint8_t *lazy = ls_pagepool_take_lazy(NULL, 300 * KB); /* fresh: zero, faults as written */
    CHECK(lazy != NULL);
    int zeros = 1;
    for (size_t i = 0; lazy && i < 300 * KB; i += 4096)
        zeros &= lazy[i] == 0;
    CHECK(zeros);
    if (lazy)
        lazy[300 * KB - 1] = 1;
    ls_pagepool_put(NULL, lazy, 300 * KB);
    CHECK(!mapped(lazy));
    uint8_t *zero = ls_pagepool_take(NULL, 0);
    CHECK(zero != NULL);
    ls_growmem_free(zero, 0);
    CHECK(!mapped(zero));
}

/* A table unmaps the blocks it was given, whatever its number of rows; a rejected column's
 * blocks are unmapped too. */
static void test_table_blocks(void)
{
    for (size_t n = 0; n < 3000; n += 1500) {
        lstats_table *t = ls_table_new(n);
        CHECK(t != NULL);
        if (!t)
            return;
        double *d = ls_pagepool_take(NULL, (n ? n : 1) * sizeof *d);
        int64_t *off = ls_pagepool_take(NULL, (n + 1) * sizeof *off);
        char *blob = malloc(n + 1);
        CHECK(d && off && blob);
        if (!d || !off || !blob)
            return;
        for (size_t i = 0; i < n; i++)
            d[i] = (double)i;
        off[0] = 0;
        for (size_t i = 0; i < n; i++) {
            blob[i] = 'a';
            off[i + 1] = (int64_t)i + 1;
        }
        CHECK_OK(ls_table_add_block(t, "x", LSTATS_COL_F64, d, NULL, NULL));
        CHECK_OK(ls_table_add_block(t, "s", LSTATS_COL_STRING, NULL, blob, off));
        uint64_t *dup = ls_pagepool_take(NULL, (n ? n : 1) * sizeof *dup);
        CHECK_STATUS(ls_table_add_block(t, "x", LSTATS_COL_U64, dup, NULL, NULL), LSTATS_EINVAL);
        CHECK(lstats_table_nrows(t) == n);
        lstats_table_free(t);
        CHECK(!mapped(d) && !mapped((char *)d + (n ? n : 1) * sizeof *d - 1));
        CHECK(!mapped(off) && !mapped((char *)off + (n + 1) * sizeof *off - 1));
        CHECK(!mapped(dup));
    }
}

int main(void)
{
    test_pieces_move_with_their_bytes();
    test_no_pool();
    test_table_blocks();
    return check_summary();
}

#else

int main(void)
{
    ls_pagepool pool;
    ls_pagepool_init(&pool);
    uint8_t *x = ls_pagepool_take(&pool, 100);
    CHECK(x != NULL);
    if (x)
        x[99] = 1;
    ls_pagepool_put(&pool, x, 100);
    ls_pagepool_free(&pool);
    return check_summary();
}

#endif

/* growmem: blocks start zeroed, keep their bytes as they grow (moved or not), zero the rest. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "growmem.h"

static uint8_t pattern(size_t i, int tag)
{
    return (uint8_t)((i * 131 + 7) ^ (size_t)tag);
}

static void test_grow_keeps_bytes(void)
{
    size_t size = 5120; /* not a multiple of the page size, like a 256-slot table */
    uint8_t *p = ls_growmem_alloc(size);
    CHECK(p != NULL);
    if (!p)
        return;
    int zero = 1;
    for (size_t i = 0; i < size; i++)
        zero &= p[i] == 0;
    CHECK(zero);
    for (size_t i = 0; i < size; i++)
        p[i] = pattern(i, 0);
    /* doubling to 80 MB: at some point the block has to move */
    for (int round = 1; round <= 14; round++) {
        uint8_t *q = ls_growmem_grow(p, size, size * 2);
        CHECK(q != NULL);
        if (!q) {
            ls_growmem_free(p, size);
            return;
        }
        int kept = 1, fresh = 1;
        for (size_t i = 0; i < size; i++)
            kept &= q[i] == pattern(i, round - 1);
        for (size_t i = size; i < 2 * size; i++)
            fresh &= q[i] == 0;
        CHECK(kept);
        CHECK(fresh);
        p = q;
        size *= 2;
        for (size_t i = 0; i < size; i++)
            p[i] = pattern(i, round);
    }
    ls_growmem_free(p, size);
    ls_growmem_free(NULL, 0); /* a no-op */
}

static void test_zero_size(void)
{
    void *p = ls_growmem_alloc(0);
    CHECK(p != NULL);
    void *q = p ? ls_growmem_grow(p, 0, 4096) : NULL;
    CHECK(q != NULL);
    if (q) {
        CHECK(((uint8_t *)q)[4095] == 0);
        ls_growmem_free(q, 4096);
    } else if (p) {
        ls_growmem_free(p, 0);
    }
}

int main(void)
{
    test_grow_keeps_bytes();
    test_zero_size();
    return check_summary();
}

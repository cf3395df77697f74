#if defined(__linux__)
#define _GNU_SOURCE /* mremap; before any system header */
#endif

#include "growmem.h"

#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>

void *ls_growmem_alloc(size_t bytes)
{
    void *p =
        mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void *ls_growmem_grow(void *p, size_t old_bytes, size_t new_bytes)
{
    void *q = mremap(p, old_bytes ? old_bytes : 1, new_bytes, MREMAP_MAYMOVE);
    return q == MAP_FAILED ? NULL : q;
}

void ls_growmem_free(void *p, size_t bytes)
{
    if (p)
        munmap(p, bytes ? bytes : 1);
}

#else

void *ls_growmem_alloc(size_t bytes)
{
    return calloc(1, bytes ? bytes : 1);
}

void *ls_growmem_grow(void *p, size_t old_bytes, size_t new_bytes)
{
    char *q = realloc(p, new_bytes);
    if (q && new_bytes > old_bytes)
        memset(q + old_bytes, 0, new_bytes - old_bytes);
    return q;
}

void ls_growmem_free(void *p, size_t bytes)
{
    (void)bytes;
    free(p);
}

#endif

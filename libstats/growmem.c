#if defined(__linux__)
#define _GNU_SOURCE /* mremap; before any system header */
#endif

#include "growmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels answer EINVAL, which is fine */
#endif

int ls_prefault(void *p, size_t bytes)
{
    if (!p || bytes < ((size_t)64 << 10))
        return 0;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t e = ((uintptr_t)p + bytes) & ~(page - 1);
    if (e <= a || madvise((void *)a, e - a, MADV_POPULATE_WRITE) != 0)
        return 0;
    /* done for the whole block only if it is whole pages; the ends fault as they are written */
    return a == (uintptr_t)p && e == (uintptr_t)p + bytes;
}

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

void *ls_growmem_reserve(size_t bytes)
{
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void ls_growmem_discard(void *p, size_t bytes)
{
    if (p && bytes)
        (void)madvise(p, bytes, MADV_DONTNEED);
}

#else

int ls_prefault(void *p, size_t bytes)
{
    (void)p;
    (void)bytes;
    return 0;
}

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

void *ls_growmem_reserve(size_t bytes)
{
    (void)bytes;
    return NULL;
}

void ls_growmem_discard(void *p, size_t bytes)
{
    (void)p;
    (void)bytes;
}

#endif

void *ls_calloc_written(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p)
        ls_prefault(p, (n ? n : 1) * (size ? size : 1));
    return p;
}

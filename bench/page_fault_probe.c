/* page_fault_probe: what a fresh page costs on this machine, as the collocation job meets it.
 *   page_fault_probe HOLD_MB BLOCK_MB [huge]
 * Holds HOLD_MB written (like a process's tables), then three times maps BLOCK_MB, faults it
 * in with MADV_POPULATE_WRITE (optionally in 2 MB pages) and unmaps it. The first round shows
 * memory the process never had; the later ones memory it just gave back. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s HOLD_MB BLOCK_MB [huge]\n", argv[0]);
        return 2;
    }
    size_t hold = (size_t)atol(argv[1]) << 20, n = (size_t)atol(argv[2]) << 20;
    int huge = argc > 3 && strcmp(argv[3], "huge") == 0;
    char *h =
        mmap(NULL, hold ? hold : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (h == MAP_FAILED)
        return 1;
    memset(h, 1, hold);
    for (int r = 0; r < 3; r++) {
        char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return 1;
        if (huge)
            madvise(p, n, MADV_HUGEPAGE);
        double t0 = now();
        int rc = madvise(p, n, MADV_POPULATE_WRITE);
        double t1 = now();
        munmap(p, n);
        printf("hold %zu MB, round %d: %zu MB faulted in %.3f s (%.0f MB/s)%s%s\n", hold >> 20,
               r + 1, n >> 20, t1 - t0, (double)(n >> 20) / (t1 - t0), huge ? ", 2 MB pages" : "",
               rc ? " (madvise failed)" : "");
    }
    munmap(h, hold ? hold : 1);
    return 0;
}

#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

unsigned ls_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

typedef struct trampoline {
    void (*fn)(void *);
    void *task;
} trampoline;

static void *run_one(void *arg)
{
    trampoline *t = arg;
    t->fn(t->task);
    return NULL;
}

void ls_parallel_run(size_t n, void (*fn)(void *), void *tasks, size_t size)
{
    enum { MAX = 64 };
    pthread_t th[MAX];
    trampoline tr[MAX];
    int started[MAX] = {0};
    for (size_t i = 1; i < n && i < MAX; i++) {
        tr[i].fn = fn;
        tr[i].task = (char *)tasks + i * size;
        started[i] = pthread_create(&th[i], NULL, run_one, &tr[i]) == 0;
    }
    if (n)
        fn(tasks);
    for (size_t i = 1; i < n; i++) {
        if (i < MAX && started[i])
            pthread_join(th[i], NULL);
        else
            fn((char *)tasks + i * size);
    }
}

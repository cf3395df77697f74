/* Internal: running independent tasks on threads. */
#ifndef LS_PARALLEL_H
#define LS_PARALLEL_H

#include <stddef.h>

/* Online cores, at least 1. */
unsigned ls_cores(void);

/* Calls fn(task) for each of the n tasks (task i at (char *)tasks + i * size), task 0 on the
 * calling thread and the others on threads of their own; returns when all are done. A task
 * whose thread cannot be started runs on the calling thread instead, so this cannot fail. */
void ls_parallel_run(size_t n, void (*fn)(void *), void *tasks, size_t size);

#endif

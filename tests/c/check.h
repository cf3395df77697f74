/* A tiny test harness: CHECK() records a failure and goes on; check_summary() prints the
 * "N passed, N failed" line and gives the exit status. */
#ifndef LS_CHECK_H
#define LS_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libstats.h"

static int check_passed, check_failed;

#define CHECK(cond)                                                                           \
    do {                                                                                      \
        if (cond) {                                                                           \
            check_passed++;                                                                   \
        } else {                                                                              \
            check_failed++;                                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, \
                    #cond, lstats_last_error());                                              \
        }                                                                                     \
    } while (0)

#define CHECK_OK(expr)             CHECK((expr) == LSTATS_OK)
#define CHECK_STATUS(expr, status) CHECK((expr) == (status))
/* The last error message contains `needle`. */
#define CHECK_MSG(needle) CHECK(strstr(lstats_last_error(), (needle)) != NULL)

static int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

static inline int check_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v[0..n) and gives the number of distinct values: a count by hand, independent of the
 * library's hash tables. */
static inline size_t check_distinct(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, check_cmp_u64);
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += !i || v[i] != v[i - 1];
    return d;
}

/* Two tables with the same columns, types and values (strings bytewise). */
static inline int check_tables_equal(const lstats_table *a, const lstats_table *b)
{
    size_t n = lstats_table_nrows(a), k = lstats_table_ncols(a);
    if (n != lstats_table_nrows(b) || k != lstats_table_ncols(b))
        return 0;
    for (size_t j = 0; j < k; j++) {
        const char *sa, *sb;
        const int64_t *oa, *ob, *ia, *ib;
        const double *da, *db;
        const uint64_t *ua, *ub;
        if (!lstats_table_column_string(a, j, &sa, &oa)) {
            if (lstats_table_column_string(b, j, &sb, &ob) || memcmp(oa, ob, (n + 1) * 8) ||
                memcmp(sa, sb, (size_t)oa[n]))
                return 0;
        } else if (!lstats_table_column_f64(a, j, &da)) {
            if (lstats_table_column_f64(b, j, &db) || memcmp(da, db, n * 8))
                return 0;
        } else if (!lstats_table_column_u64(a, j, &ua)) {
            if (lstats_table_column_u64(b, j, &ub) || memcmp(ua, ub, n * 8))
                return 0;
        } else if (!lstats_table_column_i64(a, j, &ia)) {
            if (lstats_table_column_i64(b, j, &ib) || memcmp(ia, ib, n * 8))
                return 0;
        }
    }
    return 1;
}

#endif

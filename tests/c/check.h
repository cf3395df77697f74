/* A tiny test harness: CHECK() records a failure and goes on; check_summary() prints the
 * "N passed, N failed" line and gives the exit status. */
#ifndef LS_CHECK_H
#define LS_CHECK_H

#include <stdio.h>
#include <string.h>

#include "libstats.h"

static int check_passed, check_failed;

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (cond) {                                                                            \
            check_passed++;                                                                    \
        } else {                                                                               \
            check_failed++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__,  \
                    #cond, lstats_last_error());                                               \
        }                                                                                      \
    } while (0)

#define CHECK_OK(expr) CHECK((expr) == LSTATS_OK)
#define CHECK_STATUS(expr, status) CHECK((expr) == (status))
/* The last error message contains `needle`. */
#define CHECK_MSG(needle) CHECK(strstr(lstats_last_error(), (needle)) != NULL)

static int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif

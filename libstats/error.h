/* Internal: raising errors with a thread-local message. */
#ifndef LS_ERROR_H
#define LS_ERROR_H

#include "libstats.h"

#if defined(__GNUC__)
#define LS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LS_PRINTF(a, b)
#endif

/* Sets this thread's message (printf-style) and returns `status`, so that callers can write
 * `return ls_error(LSTATS_EINVAL, "n must be 1..5, got %u", n);`. */
lstats_status ls_error(lstats_status status, const char *fmt, ...) LS_PRINTF(2, 3);
/* The out-of-memory error, with a fixed message (no allocation). */
lstats_status ls_error_nomem(void);
/* Clears this thread's message. */
void ls_error_clear(void);
/* Copies this thread's message into buf (for carrying a worker's error to the caller). */
void ls_error_copy(char *buf, size_t size);
/* Raises, on the calling thread, a status a worker thread failed with: with the message it
 * copied (msg), else the status's own description. */
lstats_status ls_error_rethrow(lstats_status status, const char *msg);

#define LS_ERRMSG_MAX 1024

#endif

#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Thread-local, like libgit2's git_error_last(): the one piece of per-thread state. */
static _Thread_local char last_message[LS_ERRMSG_MAX];

lstats_status ls_error(lstats_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return status;
}

lstats_status ls_error_nomem(void)
{
    /* No formatting: must work when memory is exhausted. */
    strcpy(last_message, "out of memory");
    return LSTATS_ENOMEM;
}

void ls_error_clear(void)
{
    last_message[0] = '\0';
}

void ls_error_copy(char *buf, size_t size)
{
    if (size == 0)
        return;
    snprintf(buf, size, "%s", last_message);
}

lstats_status ls_error_rethrow(lstats_status status, const char *msg)
{
    if (status == LSTATS_ENOMEM)
        return ls_error_nomem();
    return ls_error(status, "%s", msg && *msg ? msg : lstats_status_string(status));
}

const char *lstats_last_error(void)
{
    return last_message;
}

const char *lstats_status_string(lstats_status status)
{
    switch (status) {
    case LSTATS_OK: return "success";
    case LSTATS_ENOMEM: return "out of memory";
    case LSTATS_EINVAL: return "invalid argument";
    case LSTATS_EBUFS: return "buffer too small";
    case LSTATS_EVERSION: return "unsupported options version";
    case LSTATS_ESTATE: return "operation not possible in this state";
    case LSTATS_EIO: return "input/output error";
    case LSTATS_EUTF8: return "invalid UTF-8";
    case LSTATS_EENCODING: return "encoding error";
    case LSTATS_EGZIP: return "corrupt or truncated gzip data";
    case LSTATS_EFORMAT: return "malformed data";
    case LSTATS_EICU: return "ICU error";
    case LSTATS_ECANCELED: return "canceled";
    case LSTATS_ERANGE: return "value out of range";
    case LSTATS_ENOTFOUND: return "not found";
    default: return "unknown status";
    }
}

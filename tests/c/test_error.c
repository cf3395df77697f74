#include "check.h"
#include "error.h"

int main(void)
{
    CHECK(strcmp(lstats_status_string(LSTATS_OK), "success") == 0);
    for (int s = 0; s >= -14; s--)
        CHECK(strcmp(lstats_status_string(s), "unknown status") != 0);
    CHECK(strcmp(lstats_status_string(-999), "unknown status") == 0);
    CHECK(strcmp(lstats_status_string(1), "unknown status") == 0);

    ls_error_clear();
    CHECK(lstats_last_error() != NULL && lstats_last_error()[0] == '\0');
    CHECK(ls_error(LSTATS_EINVAL, "value %d at fault", 42) == LSTATS_EINVAL);
    CHECK_MSG("value 42 at fault");
    CHECK(ls_error_nomem() == LSTATS_ENOMEM);
    CHECK_MSG("out of memory");

    /* A long message is cut, not overflowed. */
    char big[4000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ls_error(LSTATS_EINVAL, "%s", big);
    CHECK(strlen(lstats_last_error()) == LS_ERRMSG_MAX - 1);

    /* a worker's status raised again on this thread */
    ls_error_clear();
    CHECK_STATUS(ls_error_rethrow(LSTATS_EINVAL, "n must be 1..5"), LSTATS_EINVAL);
    CHECK(strcmp(lstats_last_error(), "n must be 1..5") == 0);
    CHECK_STATUS(ls_error_rethrow(LSTATS_ENOMEM, NULL), LSTATS_ENOMEM);
    CHECK(strcmp(lstats_last_error(), "out of memory") == 0);
    CHECK_STATUS(ls_error_rethrow(LSTATS_EIO, ""), LSTATS_EIO);
    CHECK(strcmp(lstats_last_error(), lstats_status_string(LSTATS_EIO)) == 0);

    CHECK(lstats_version_number() == LSTATS_VERSION_NUMBER);
    CHECK(strcmp(lstats_version_string(), LSTATS_VERSION_STRING) == 0);
    CHECK(strncmp(lstats_icu_version(), "7", 1) == 0 || strlen(lstats_icu_version()) > 0);
    return check_summary();
}

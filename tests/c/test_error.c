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

    CHECK(lstats_version_number() == LSTATS_VERSION_NUMBER);
    CHECK(strcmp(lstats_version_string(), LSTATS_VERSION_STRING) == 0);
    CHECK(strncmp(lstats_icu_version(), "7", 1) == 0 || strlen(lstats_icu_version()) > 0);
    return check_summary();
}

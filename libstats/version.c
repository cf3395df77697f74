#include "libstats.h"

#include <unicode/uversion.h>

#include <stdio.h>

unsigned lstats_version_number(void)
{
    return LSTATS_VERSION_NUMBER;
}

const char *lstats_version_string(void)
{
    return LSTATS_VERSION_STRING;
}

const char *lstats_icu_version(void)
{
    return U_ICU_VERSION;
}

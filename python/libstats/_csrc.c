/* C prelude of the CFFI API-mode module libstats._native (see python/meson.build). */
#include "libstats.h"

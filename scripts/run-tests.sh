#!/usr/bin/env bash
# Runs every test: the C tests under meson (a development build with -Werror), then pytest
# against the installed package. Each runner prints its summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${LSTATS_TEST_BUILD:-build-tests}

rm -rf "$build"
meson setup "$build" -Dwerror_dev=true -Dpython=disabled --buildtype=debugoptimized >/dev/null
ninja -C "$build" >/dev/null
meson test -C "$build" --print-errorlogs

# pytest from outside the source tree, so that the installed package is the one imported.
cd /tmp
python3 -m pytest "$root/tests/python" -q -p no:cacheprovider

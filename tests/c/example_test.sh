#!/bin/sh
# Installs the library into a staging directory and builds examples/count_terms.c against it
# exactly as a C user would: cc count_terms.c $(pkg-config --cflags --libs libstats).
set -eu
build="$1"
src="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
pc=$(find "$tmp/root" -name libstats.pc | head -n 1)
[ -n "$pc" ] || { echo "libstats.pc was not installed"; exit 1; }
lib=$(find "$tmp/root" -name 'libstats.so.1' | head -n 1)
[ -n "$lib" ] || { echo "libstats.so.1 was not installed"; exit 1; }
find "$tmp/root" -name libstats.h | grep -q . || { echo "libstats.h was not installed"; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
export PKG_CONFIG_SYSROOT_DIR="$tmp/root"
cd "$tmp"
${CC:-cc} -std=c11 -Wall -Wextra -Werror "$src/examples/count_terms.c" \
  $(pkg-config --cflags --libs libstats) -o count_terms
LD_LIBRARY_PATH="$(dirname "$lib")" ./count_terms "$src"/python/libstats/datasets/deepseek/*.txt > out.txt
cat out.txt
grep -q "^6 documents" out.txt
grep -q "TSV round trip" out.txt
# The SONAME is libstats.so.1 and only lstats_* symbols are exported.
readelf -d "$lib" | grep -q 'SONAME.*libstats.so.1'
if nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^lstats_' | grep -v '^LIBSTATS_1$' | grep -q .; then
  echo "symbols other than lstats_* are exported:"; nm -D --defined-only "$lib" | grep -v lstats_; exit 1
fi
echo "example: built against the installed library and ran"

#!/bin/sh
# Compiles the public header as C89 -pedantic and, where a C++ compiler exists, as C++.
set -eu
header="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include "%s"\nint main(void) { return lstats_version_number() == 0; }\n' "$header" > "$tmp/t.c"
${CC:-cc} -std=c89 -pedantic -Wall -Wextra -Werror -fsyntax-only "$tmp/t.c"
if command -v ${CXX:-c++} >/dev/null 2>&1; then
  cp "$tmp/t.c" "$tmp/t.cpp"
  ${CXX:-c++} -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only "$tmp/t.cpp"
fi
echo "header: C89 and C++ compile"

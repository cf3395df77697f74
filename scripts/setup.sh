#!/usr/bin/env bash
# Installs what libstats needs on a Debian/Ubuntu machine, then the Python package.
#   scripts/setup.sh          the package (system libraries via apt-get where missing)
#   scripts/setup.sh --test   also the test tools and test-only peers (pytest, NLTK, scipy...)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

# System packages: ICU and zlib headers, pkg-config, a C compiler; valgrind for the C checks.
pkgs=(libicu-dev zlib1g-dev pkg-config gcc)
# Tests: valgrind for the C checks, g++ to build PyICU (the independent ICU binding).
[ "$want_tests" = 1 ] && pkgs+=(valgrind g++)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "setup: installing ${missing[*]} with apt-get"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install: ${missing[*]} (ICU and zlib development files, pkg-config)" >&2
    exit 1
  fi
fi

python3 -m pip install -q --upgrade pip
if [ "$want_tests" = 1 ]; then
  python3 -m pip install -q ".[test]"
  # The C tests are built by meson outside the wheel build.
  python3 -m pip install -q "meson>=1.3" ninja
else
  python3 -m pip install -q .
fi
echo "setup: libstats $(cd /tmp && python3 -c 'import libstats; print(libstats.__version__, "with ICU", libstats.__icu_version__)') installed"

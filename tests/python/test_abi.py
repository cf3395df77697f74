"""The binding surface: cdef vs header vs shared-library exports; version checks."""

import glob
import os
import re
import shutil
import subprocess

import pytest

import libstats as ls
from libstats import _ffi
from libstats._ffi import ffi, lib

from conftest import REPO

HEADER = REPO / "include" / "libstats.h"
CDEF = REPO / "python" / "libstats" / "_cdef.h"


def _function_names(path):
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^\s*#.*?(?<!\\)$", " ", text, flags=re.M)  # preprocessor lines
    return set(re.findall(r"\b(lstats_\w+)\s*\(", text))


def test_cdef_matches_header():
    header = _function_names(HEADER)
    cdef = _function_names(CDEF)
    assert header, "no functions found in libstats.h"
    assert cdef == header, {"only in header": header - cdef, "only in cdef": cdef - header}


def test_lib_exposes_all_functions():
    cdef = _function_names(CDEF)
    exposed = {n for n in dir(lib) if n.startswith("lstats_")}
    assert exposed == cdef


def _fresh_shared_lib():
    """The newest build*/libstats/libstats.so.1 not older than the C sources (or None, why)."""
    cands = [p for p in glob.glob(str(REPO / "build*" / "libstats" / "libstats.so.1"))
             if os.path.exists(p)]
    if not cands:
        return None, "no shared build (build*/libstats/libstats.so.1)"
    sources = list((REPO / "libstats").glob("*.[ch]")) + [HEADER,
                                                          REPO / "libstats" / "libstats.map"]
    newest_source = max(os.path.getmtime(p) for p in sources if p.exists())
    fresh = [p for p in cands if os.path.getmtime(p) >= newest_source]
    if not fresh:
        return None, f"every shared build is older than the C sources: {sorted(cands)}"
    return max(fresh, key=os.path.getmtime), ""


def test_exports_match_cdef():
    so, why = _fresh_shared_lib()
    nm = shutil.which("nm")
    if so is None or nm is None:
        pytest.skip(why or "no nm")
    out = subprocess.run([nm, "-D", "--defined-only", so], capture_output=True, text=True,
                         check=True).stdout
    exported = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in ("T", "W", "i"):
            exported.add(parts[2].split("@")[0])
    assert all(s.startswith("lstats_") for s in exported), sorted(
        s for s in exported if not s.startswith("lstats_"))
    cdef = _function_names(CDEF)
    assert exported == cdef, {"exported only": exported - cdef, "cdef only": cdef - exported}


def test_versions():
    assert ls.__version__ == "0.1.0"
    assert ls.__c_version__ == ls.__version__
    assert ffi.string(lib.lstats_version_string()).decode() == ls.__version__
    assert lib.lstats_version_number() == lib.LSTATS_VERSION_NUMBER
    assert _ffi.runtime_version() == _ffi.EXPECTED_VERSION
    assert re.match(r"^\d+\.\d+", ls.__icu_version__)


def test_pyproject_version_matches_header():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    h = re.search(r'#define LSTATS_VERSION_STRING "([^"]+)"',
                  HEADER.read_text(encoding="utf-8"))
    assert m and h and m.group(1) == h.group(1) == ls.__version__


def test_abi_check_refuses_mismatch(monkeypatch):
    monkeypatch.setattr(_ffi, "runtime_version", lambda: (0, 2, 0))
    with pytest.raises(ImportError, match="0.2.0"):
        _ffi._check_abi()
    monkeypatch.setattr(_ffi, "runtime_version", lambda: (1, 1, 0))
    with pytest.raises(ImportError):
        _ffi._check_abi()
    monkeypatch.setattr(_ffi, "runtime_version", lambda: (0, 1, 7))
    _ffi._check_abi()


def test_static_core_not_reexported():
    import libstats._native as native

    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("no nm")
    out = subprocess.run([nm, "-D", "--defined-only", native.__file__], capture_output=True,
                         text=True, check=True).stdout
    leaked = [line.split()[-1] for line in out.splitlines() if " lstats_" in line]
    assert not leaked, leaked

"""The raw CFFI module, with an ABI check at import.

The extension links the C core statically, so a mismatch means a broken build or a stale
extension next to newer Python files; either way refuse to run rather than misbehave.
"""

from __future__ import annotations

try:
    from libstats._native import ffi, lib
except ImportError as exc:  # pragma: no cover - depends on the build
    raise ImportError(
        "libstats: the native extension libstats._native could not be loaded "
        f"({exc}); reinstall libstats (pip install .) so the C core and the Python "
        "package match"
    ) from exc

__all__ = ["ffi", "lib", "EXPECTED_VERSION", "runtime_version", "u8", "s"]

#: The C library version this Python package was written for (major, minor, patch).
EXPECTED_VERSION = (0, 1, 0)


def runtime_version() -> tuple[int, int, int]:
    v = int(lib.lstats_version_number())
    return (v // 10000, (v // 100) % 100, v % 100)


def _check_abi() -> None:
    major, minor, patch = runtime_version()
    exp_major, exp_minor, _ = EXPECTED_VERSION
    # Same major; before 1.0 the minor is the ABI level too.  From 1.0 on a newer minor only
    # adds functions, so a newer runtime is fine.
    ok = major == exp_major and (minor == exp_minor if major == 0 else minor >= exp_minor)
    if not ok:
        raise ImportError(
            f"libstats: the C library is version {major}.{minor}.{patch} but this Python "
            f"package needs {exp_major}.{exp_minor}.x; reinstall libstats so both match"
        )


_check_abi()


def u8(text, *, path: bool = False) -> bytes:
    """A str / bytes (/ os.PathLike when ``path``) as the NUL-free bytes the C API takes.

    Paths use the file-system encoding (undecodable bytes round-trip); other strings must be
    valid Unicode (a lone surrogate raises EncodingError).
    """
    import os

    from .errors import EncodingError, InvalidArgumentError

    if path and isinstance(text, os.PathLike):
        text = os.fspath(text)
    if isinstance(text, bytes):
        b = text
    elif isinstance(text, str):
        if path:
            b = os.fsencode(text)
        else:
            try:
                b = text.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise EncodingError(
                    f"string is not valid Unicode at character {exc.start}: {exc.reason}"
                ) from None
    else:
        raise TypeError(f"expected str or bytes, not {type(text).__name__}")
    if b"\0" in b:
        raise InvalidArgumentError(f"embedded NUL character in {text!r}")
    return b


def s(ptr) -> str | None:
    """A borrowed NUL-terminated UTF-8 C string as str (None for NULL)."""
    if ptr == ffi.NULL:
        return None
    return ffi.string(ptr).decode("utf-8", "replace")

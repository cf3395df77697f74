"""Exceptions raised by libstats, and the mapping from C status codes to them.

Every C status code maps to one class; each class also derives from the built-in exception a
Python user would catch for that kind of failure (``ValueError`` for bad input, ``OSError`` for
files, ``MemoryError``, ``OverflowError``, ``KeyError``).  The message is the C library's
``lstats_last_error()`` text, which names the file, byte offset, line or value at fault.
"""

from __future__ import annotations

__all__ = [
    "LibstatsError",
    "InvalidArgumentError",
    "EncodingError",
    "FormatError",
    "GzipError",
    "LibstatsIOError",
    "LibstatsMemoryError",
    "CanceledError",
    "StateError",
    "VersionError",
    "RangeError",
    "NotFoundError",
    "BufferTooSmallError",
    "ICUError",
    "check",
    "error_for_status",
]

# Pinned C status codes (include/libstats.h); duplicated here so this module imports without
# the native extension (the values can never change; tests compare them with lib.*).
OK = 0
ENOMEM = -1
EINVAL = -2
EBUFS = -3
EVERSION = -4
ESTATE = -5
EIO = -6
EUTF8 = -7
EENCODING = -8
EGZIP = -9
EFORMAT = -10
EICU = -11
ECANCELED = -12
ERANGE = -13
ENOTFOUND = -14


class LibstatsError(Exception):
    """Base class of every libstats error.

    ``code`` is the C status code (a negative ``LSTATS_E*`` value) and ``message`` the C
    library's explanation.
    """

    default_code: int | None = None

    def __init__(self, message: str = "", code: int | None = None):
        if code is None:
            code = self.default_code
        self.code = code
        self.message = message
        # Exception.__init__ only (not OSError's errno/strerror unpacking).
        Exception.__init__(self, message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return (_rebuild_error, (type(self), self.message, self.code))


def _rebuild_error(cls, message, code):
    return cls(message, code)


class InvalidArgumentError(LibstatsError, ValueError):
    """An argument is invalid (LSTATS_EINVAL)."""

    default_code = EINVAL


class EncodingError(LibstatsError, ValueError):
    """Invalid UTF-8 (LSTATS_EUTF8) or bytes invalid in / an unknown declared encoding
    (LSTATS_EENCODING).  The message names the file and byte offset."""

    default_code = EUTF8


class FormatError(LibstatsError, ValueError):
    """A corrupt saved table or a malformed TSV line (LSTATS_EFORMAT)."""

    default_code = EFORMAT


class GzipError(FormatError):
    """A corrupt or truncated gzip stream (LSTATS_EGZIP)."""

    default_code = EGZIP


class LibstatsIOError(LibstatsError, OSError):
    """A file is missing, unreadable or unwritable (LSTATS_EIO)."""

    default_code = EIO

    def __init__(self, message: str = "", code: int | None = None):
        LibstatsError.__init__(self, message, code)

    # OSError.__str__ would format "[Errno ...]"; keep the C message as is.
    __str__ = LibstatsError.__str__


class LibstatsMemoryError(LibstatsError, MemoryError):
    """An allocation failed (LSTATS_ENOMEM)."""

    default_code = ENOMEM


class CanceledError(LibstatsError):
    """A progress callback asked the call to stop (LSTATS_ECANCELED)."""

    default_code = ECANCELED


class StateError(LibstatsError):
    """The object cannot do this now, e.g. no text was kept or it is closed (LSTATS_ESTATE)."""

    default_code = ESTATE


class VersionError(LibstatsError):
    """An options struct version the library does not know (LSTATS_EVERSION)."""

    default_code = EVERSION


class RangeError(LibstatsError, OverflowError):
    """A number overflows its type (LSTATS_ERANGE)."""

    default_code = ERANGE


class NotFoundError(LibstatsError, KeyError):
    """A named column or key does not exist (LSTATS_ENOTFOUND)."""

    default_code = ENOTFOUND

    __str__ = LibstatsError.__str__  # KeyError.__str__ would repr() the message


class BufferTooSmallError(LibstatsError):
    """A caller buffer is too small (LSTATS_EBUFS); an internal error from Python."""

    default_code = EBUFS


class ICUError(LibstatsError):
    """ICU reported an error (LSTATS_EICU)."""

    default_code = EICU


_CLASSES = {
    ENOMEM: LibstatsMemoryError,
    EINVAL: InvalidArgumentError,
    EBUFS: BufferTooSmallError,
    EVERSION: VersionError,
    ESTATE: StateError,
    EIO: LibstatsIOError,
    EUTF8: EncodingError,
    EENCODING: EncodingError,
    EGZIP: GzipError,
    EFORMAT: FormatError,
    EICU: ICUError,
    ECANCELED: CanceledError,
    ERANGE: RangeError,
    ENOTFOUND: NotFoundError,
}


def error_class(status: int) -> type[LibstatsError]:
    """The exception class for a C status code (LibstatsError for an unknown code)."""
    return _CLASSES.get(status, LibstatsError)


def error_for_status(status: int, message: str | None = None) -> LibstatsError:
    """An exception instance for ``status``; the message defaults to lstats_last_error()."""
    from ._ffi import ffi, lib

    if message is None:
        message = ffi.string(lib.lstats_last_error()).decode("utf-8", "replace")
    if not message:
        message = ffi.string(lib.lstats_status_string(status)).decode("utf-8", "replace")
    return error_class(status)(message, status)


def check(status: int) -> None:
    """Raise the exception matching a C status; call it right after the C call, on the same
    thread, so that lstats_last_error() still describes that call."""
    if status != OK:
        raise error_for_status(status) from None

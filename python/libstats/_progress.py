"""Progress bars and Ctrl-C for long C calls (ECOSYSTEM.md §2.3).

The C core calls one ``extern "Python"`` trampoline on the calling thread with the payload we
passed, a few times a second.  A ``KeyboardInterrupt`` raised by Python's signal handler on
entry to the trampoline cannot be caught by a ``try:`` inside it, so the trampoline is
registered with ``onerror=``: the handler stores the exception in the per-call state and
returns 1, which makes the C call free what it built and return LSTATS_ECANCELED; the caller
then re-raises the stored exception.
"""

from __future__ import annotations

import threading

from ._ffi import ffi, lib

#: Inputs bigger than this get a progress bar when progress=None.
AUTO_PROGRESS_BYTES = 50 * 1024 * 1024

_local = threading.local()


class ProgressState:
    """Per-call state reachable from the trampoline through ``ffi.new_handle``."""

    def __init__(self, progress, total_hint: int = 0, desc: str = "libstats"):
        self.exc: BaseException | None = None
        self.callback = None
        self.bar = None
        self.desc = desc
        if callable(progress) and not isinstance(progress, bool):
            self.callback = progress
            self.want_bar = False
        elif progress is None:
            self.want_bar = total_hint > AUTO_PROGRESS_BYTES
        else:
            self.want_bar = bool(progress)

    def update(self, done: int, total: int) -> int:
        if self.want_bar:
            if self.bar is None:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=total or None, unit="B", unit_scale=True,
                                unit_divisor=1024, desc=self.desc, leave=False)
            if total and self.bar.total != total:
                self.bar.total = total
            self.bar.n = done
            self.bar.refresh()
        if self.callback is not None:
            return 1 if self.callback(done, total) else 0
        return 0

    def close(self) -> None:
        if self.bar is not None:
            try:
                self.bar.close()
            finally:
                self.bar = None


def _find_state(tb):
    # cffi docs: the original arguments are in the trampoline frame's locals.
    while tb is not None:
        payload = tb.tb_frame.f_locals.get("payload")
        if payload is not None:
            try:
                return ffi.from_handle(payload)
            except Exception:  # pragma: no cover - defensive
                break
        tb = tb.tb_next
    return getattr(_local, "state", None)


def _on_error(exc_type, exc_value, tb):
    state = _find_state(tb)
    if state is not None and state.exc is None:
        state.exc = exc_value if exc_value is not None else exc_type()
    return 1  # cancel the C call


@ffi.def_extern(onerror=_on_error)
def _lstats_progress_cb(done, total, payload):
    state = ffi.from_handle(payload)
    return state.update(done, total)


class progress_call:
    """Context manager giving ``(callback, payload)`` for one C call.

    Usage::

        with progress_call(progress, nbytes) as pc:
            status = lib.lstats_corpus_add_files(..., pc.cb, pc.payload)
            pc.check(status)
    """

    def __init__(self, progress, total_hint: int = 0, desc: str = "libstats"):
        self.state = ProgressState(progress, total_hint, desc)
        # The trampoline is passed even without a bar, so that Ctrl-C still cancels.
        self.enabled = True
        self._handle = None

    def __enter__(self):
        if self.enabled:
            self._handle = ffi.new_handle(self.state)  # alive for the whole call
            self.cb = lib._lstats_progress_cb
            self.payload = self._handle
        else:
            self.cb = ffi.NULL
            self.payload = ffi.NULL
        self._prev = getattr(_local, "state", None)
        _local.state = self.state
        return self

    def check(self, status: int) -> None:
        """Re-raise an exception stored by the trampoline, then check the status."""
        from .errors import check

        if self.state.exc is not None:
            exc, self.state.exc = self.state.exc, None
            raise exc
        check(status)  # LSTATS_ECANCELED from a callback returning True -> CanceledError

    def __exit__(self, *exc):
        _local.state = self._prev
        self.state.close()
        self._handle = None
        return False

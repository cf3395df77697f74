"""Progress callbacks and Ctrl-C during a long C call (ECOSYSTEM.md §2.3)."""

import os
import signal
import threading
import time

import pytest

import libstats as ls

# ~1 MB of varied text, referenced (not copied) many times by from_texts.
_CHUNK = (" ".join(f"word{i % 997} token{i % 13} text" for i in range(80000))
          + ". ").encode()


def _big_texts(mb: int):
    n = max(1, mb * 1024 * 1024 // len(_CHUNK))
    return [_CHUNK] * n


def test_progress_callable_reports_and_cancels():
    calls = []

    def cb(done, total):
        calls.append((done, total))
        return False

    with ls.Corpus.from_texts(_big_texts(64), keep_text=False, progress=cb) as c:
        assert c.n_tokens > 0
    if not calls:
        pytest.skip("the C core did not report progress for this input")
    assert all(0 <= d <= t for d, t in calls if t)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    def cancel(done, total):
        return True

    with pytest.raises(ls.CanceledError):
        ls.Corpus.from_texts(_big_texts(64), keep_text=False, progress=cancel)


def test_exception_in_callback_propagates():
    seen = []

    def boom(done, total):
        seen.append(done)
        raise RuntimeError("from the callback")

    try:
        ls.Corpus.from_texts(_big_texts(64), keep_text=False, progress=boom)
    except RuntimeError as exc:
        assert "from the callback" in str(exc)
    else:
        assert not seen, "the callback raised but the call was not canceled"
        pytest.skip("the C core did not report progress for this input")


def test_progress_bar_forced(capsys):
    with ls.Corpus.from_texts(_big_texts(8), keep_text=False, progress=True) as c:
        assert c.n_tokens > 0
    with ls.Corpus.from_texts(["small"], progress=False) as c:
        assert c.n_tokens == 1


def test_ctrl_c_cancels_long_call():
    """SIGINT 0.3 s into a long ingestion surfaces as KeyboardInterrupt within ~1 s."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals need the main thread")
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    texts = _big_texts(400)
    sent = []

    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(0.3, interrupt)
    try:
        start = time.monotonic()
        timer.start()
        try:
            c = ls.Corpus.from_texts(texts, keep_text=False, n_threads=2)
        except KeyboardInterrupt:
            raised = time.monotonic()
        else:
            timer.cancel()
            c.close()
            # the signal may still be pending: give it a chance to fire harmlessly
            try:
                time.sleep(0.5)
            except KeyboardInterrupt:
                pass
            pytest.skip(f"ingestion finished in {time.monotonic() - start:.2f}s, "
                        "before the interrupt")
        assert sent, "KeyboardInterrupt without our signal"
        assert raised - sent[0] < 1.5, f"interrupt took {raised - sent[0]:.2f}s"
        # the library is still usable afterwards
        with ls.Corpus.from_texts(["still works"]) as c2:
            assert c2.n_tokens == 2
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, old)

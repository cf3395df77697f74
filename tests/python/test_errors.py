"""Status codes -> exception classes, and errors raised from real C failures."""

import gzip
import pickle
import re

import pytest

import libstats as ls
from libstats import errors
from libstats._ffi import ffi, lib


def test_codes_match_header():
    for name in ("ENOMEM", "EINVAL", "EBUFS", "EVERSION", "ESTATE", "EIO", "EUTF8",
                 "EENCODING", "EGZIP", "EFORMAT", "EICU", "ECANCELED", "ERANGE", "ENOTFOUND"):
        assert getattr(errors, name) == getattr(lib, "LSTATS_" + name), name
    assert lib.LSTATS_OK == errors.OK == 0


@pytest.mark.parametrize("code, cls, builtin", [
    (errors.EINVAL, ls.InvalidArgumentError, ValueError),
    (errors.EUTF8, ls.EncodingError, ValueError),
    (errors.EENCODING, ls.EncodingError, ValueError),
    (errors.EFORMAT, ls.FormatError, ValueError),
    (errors.EGZIP, ls.GzipError, ValueError),
    (errors.EIO, ls.LibstatsIOError, OSError),
    (errors.ENOMEM, ls.LibstatsMemoryError, MemoryError),
    (errors.ERANGE, ls.RangeError, OverflowError),
    (errors.ENOTFOUND, ls.NotFoundError, KeyError),
    (errors.ECANCELED, ls.CanceledError, ls.LibstatsError),
    (errors.ESTATE, ls.StateError, ls.LibstatsError),
    (errors.EVERSION, ls.VersionError, ls.LibstatsError),
    (errors.EICU, ls.ICUError, ls.LibstatsError),
])
def test_mapping(code, cls, builtin):
    exc = errors.error_for_status(code, "some message")
    assert type(exc) is cls
    assert isinstance(exc, ls.LibstatsError)
    assert isinstance(exc, builtin)
    assert exc.code == code
    assert exc.message == "some message"
    assert str(exc) == "some message"
    assert issubclass(ls.GzipError, ls.FormatError)
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is cls and again.code == code and again.message == "some message"


def test_empty_message_falls_back_to_status_string():
    exc = errors.error_for_status(errors.EINVAL, "")
    assert exc.message == ffi.string(lib.lstats_status_string(errors.EINVAL)).decode()
    assert exc.message
    assert errors.check(0) is None


def test_unknown_code():
    exc = errors.error_for_status(-999, "x")
    assert type(exc) is ls.LibstatsError and exc.code == -999


def test_missing_file_is_oserror(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(ls.LibstatsIOError) as ei:
        ls.Corpus.from_files(missing)
    assert isinstance(ei.value, OSError)
    assert ei.value.code == lib.LSTATS_EIO
    assert "nope.txt" in str(ei.value)


def test_invalid_utf8_names_offset(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"abc \xff def")
    with pytest.raises(ls.EncodingError) as ei:
        ls.Corpus.from_files(p)
    assert isinstance(ei.value, ValueError)
    assert ei.value.code == lib.LSTATS_EUTF8
    assert "bad.txt" in str(ei.value)
    assert re.search(r"\b4\b", str(ei.value)), str(ei.value)


def test_errors_replace_counts(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"abc \xff def")
    with ls.Corpus.from_files(p, errors="replace") as c:
        s = c.summary()
        assert int(s["replaced"].iloc[0]) == 1
        assert "\ufffd" in c.text(0)


def test_lone_surrogate_is_encoding_error():
    with pytest.raises(ls.EncodingError):
        ls.Corpus.from_texts(["ok \udc80 not ok"])


def test_bad_options_are_value_errors():
    with pytest.raises(ls.InvalidArgumentError):
        ls.Corpus.from_texts(["x"], tokenizer="nope")
    with pytest.raises(ValueError):
        ls.Corpus.from_texts(["x"], normalize="nfd")
    with pytest.raises(ValueError):
        ls.Corpus.from_texts(["x"], errors="ignore")
    with pytest.raises(ValueError):
        ls.Corpus.from_texts(["x"], n_threads=-1)


def test_unknown_encoding(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"abc")
    with pytest.raises(ls.EncodingError):
        ls.Corpus.from_files(p, encoding="no-such-encoding-xyz")


def test_ngram_size_out_of_range(cat_corpus):
    with pytest.raises(ls.InvalidArgumentError):
        cat_corpus.frequencies(n=6)
    with pytest.raises(ls.InvalidArgumentError):
        cat_corpus.frequencies(n=0)


def test_corrupt_saved_table(tmp_path, cat_freq):
    path = tmp_path / "t.lst"
    cat_freq.save(path)
    data = bytearray(path.read_bytes())
    # flip a byte in the middle (payload) and one at the end (CRC), then truncate
    bad = bytearray(data)
    bad[len(bad) // 2] ^= 0xFF
    (tmp_path / "flip.lst").write_bytes(bytes(bad))
    with pytest.raises(ls.FormatError) as ei:
        ls.load_table(tmp_path / "flip.lst")
    assert isinstance(ei.value, ValueError)
    (tmp_path / "trunc.lst").write_bytes(bytes(data[: len(data) - 3]))
    with pytest.raises(ls.FormatError):
        ls.load_table(tmp_path / "trunc.lst")
    (tmp_path / "junk.lst").write_bytes(b"not a table at all")
    with pytest.raises(ls.FormatError):
        ls.load_table(tmp_path / "junk.lst")
    with pytest.raises(ls.FormatError):
        ls.Table.from_bytes(bytes(bad))
    with pytest.raises(ls.LibstatsIOError):
        ls.load_table(tmp_path / "missing.lst")


def test_corrupt_gzip(tmp_path):
    p = tmp_path / "c.txt.gz"
    data = gzip.compress(("word " * 5000).encode())
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(ls.GzipError) as ei:
        ls.Corpus.from_files(p)
    assert isinstance(ei.value, ls.FormatError)


def test_keep_text_false_state_error():
    with ls.Corpus.from_texts(["some text here"], keep_text=False) as c:
        with pytest.raises(ls.StateError):
            c.text(0)


def test_closed_corpus():
    c = ls.Corpus.from_texts(["a b c"])
    c.close()
    c.close()  # idempotent
    assert c.closed
    with pytest.raises(ls.StateError):
        c.n_tokens
    with pytest.raises(ls.StateError):
        c.frequencies()
    assert "closed" in repr(c)


def test_unknown_column(cat_freq):
    with pytest.raises(ls.NotFoundError) as ei:
        cat_freq.column("nope")
    assert isinstance(ei.value, KeyError)
    with pytest.raises(KeyError):
        cat_freq["nope"]


def test_freqlist_duplicates(tmp_path):
    p = tmp_path / "f.tsv"
    p.write_text("term\tcount\nfoo\t3\nbar\t2\nfoo\t4\n", encoding="utf-8")
    with pytest.raises(ls.LibstatsError) as ei:
        ls.read_frequency_list(p)
    assert isinstance(ei.value, ValueError)
    t = ls.read_frequency_list(p, duplicates="sum")
    d = dict(zip(t["term"], t["count"]))
    assert d == {"foo": 7, "bar": 2}
    with pytest.raises(ValueError):
        ls.read_frequency_list(p, duplicates="max")
    bad = tmp_path / "bad.tsv"
    bad.write_text("foo\tx\n", encoding="utf-8")
    with pytest.raises(ls.FormatError):
        ls.read_frequency_list(bad)

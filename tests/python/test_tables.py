"""Table: columns (zero-copy numeric views), pandas, top/take, persistence, merge, display."""

import gc
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import libstats as ls
from libstats.tables import _ColumnBuffer, _decode_strings

from conftest import CAT_COUNTS


def _counts(table):
    return dict(zip(table["term"].tolist(), table["count"].tolist()))


def test_columns_and_len(cat_freq):
    assert cat_freq.columns == ["term", "count", "per_million", "doc_count"]
    assert len(cat_freq) == len(CAT_COUNTS)
    assert cat_freq.shape == (len(CAT_COUNTS), 4)
    assert "count" in cat_freq and "nope" not in cat_freq
    assert cat_freq.dtypes["term"] == "string"


def test_known_counts(cat_freq):
    assert _counts(cat_freq) == CAT_COUNTS
    terms = cat_freq["term"].tolist()
    # sorted by count descending, then term
    assert terms[:2] == ["the", "cat"]
    assert terms[2:] == sorted(terms[2:])
    pm = dict(zip(terms, cat_freq["per_million"].tolist()))
    assert pm["the"] == pytest.approx(3 / 9 * 1e6)
    assert set(cat_freq["doc_count"].tolist()) == {1}


def test_meta(cat_freq):
    m = cat_freq.meta
    assert m["kind"] == "frequency"
    assert m["n"] == "1"
    assert m["n_tokens"] == "9"
    assert cat_freq.kind == "frequency"


def test_numeric_columns_zero_copy(cat_freq):
    a = cat_freq.column("count")
    b = cat_freq.column("count")
    assert a.dtype.kind in "iu" and a.dtype.itemsize == 8
    assert np.shares_memory(a, b)
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 1
    # the base chain holds the table
    base = a
    while base is not None and not isinstance(base, _ColumnBuffer):
        base = base.base
    assert isinstance(base, _ColumnBuffer) and base.table is cat_freq
    assert cat_freq.column("per_million").dtype == np.float64


def test_column_outlives_table():
    c = ls.Corpus.from_texts(["x y y z z z"] * 3)
    t = c.frequencies()
    c.close()
    counts = t["count"]
    expected = counts.tolist()
    del t
    gc.collect()
    junk = [np.ones(1000) for _ in range(100)]  # churn the allocator
    assert counts.tolist() == expected == [9, 6, 3]
    del junk


def test_to_pandas(cat_freq):
    df = cat_freq.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == cat_freq.columns
    assert len(df) == len(cat_freq)
    assert dict(zip(df["term"], df["count"])) == CAT_COUNTS
    assert np.shares_memory(df["count"].to_numpy(), cat_freq.column("count"))
    assert df["term"].map(type).eq(str).all()


def test_decode_strings_unicode():
    words = ["模型", "a", "", "é", "𝔘nicode", "深度求索", "x"]
    blob = "".join(words).encode("utf-8")
    offs = np.cumsum([0] + [len(w.encode("utf-8")) for w in words]).astype(np.int64)
    assert _decode_strings(blob, offs) == words
    ascii_words = ["ab", "c", ""]
    b2 = "".join(ascii_words).encode()
    o2 = np.array([0, 2, 3, 3], dtype=np.int64)
    assert _decode_strings(b2, o2) == ascii_words
    assert _decode_strings(b"", np.array([0], dtype=np.int64)) == []


def test_cjk_terms_roundtrip():
    c = ls.Corpus.from_texts(["模型 模型 发展 é a"], tokenizer="whitespace")
    t = c.frequencies()
    assert _counts(t) == {"模型": 2, "发展": 1, "é": 1, "a": 1}


def test_top_and_take(cat_freq):
    t2 = cat_freq.top(2)
    assert isinstance(t2, ls.Table)
    assert t2["term"].tolist() == ["the", "cat"]
    alpha = cat_freq.top(None, by="term", ascending=True)
    assert alpha["term"].tolist() == sorted(CAT_COUNTS)
    least = cat_freq.top(1, ascending=True)
    assert least["count"].tolist() == [1]
    taken = cat_freq.take([1, 0])
    assert taken["term"].tolist() == ["cat", "the"]
    assert cat_freq.head(3)["term"].tolist()[:2] == ["the", "cat"]
    assert len(cat_freq.tail(2)) == 2
    with pytest.raises(IndexError):
        cat_freq.take([99])
    with pytest.raises(ls.LibstatsError):
        cat_freq.top(3, by="nope")
    assert len(cat_freq.take([])) == 0


def test_save_load(tmp_path, cat_freq):
    p = tmp_path / "cat.lst"
    cat_freq.save(p)
    back = ls.load_table(p)
    pd.testing.assert_frame_equal(back.to_pandas(), cat_freq.to_pandas())
    assert back.meta == cat_freq.meta
    back2 = ls.load_table(str(p))
    assert len(back2) == len(cat_freq)


def test_pickle_roundtrip(cat_freq):
    data = pickle.dumps(cat_freq)
    back = pickle.loads(data)
    assert isinstance(back, ls.Table)
    pd.testing.assert_frame_equal(back.to_pandas(), cat_freq.to_pandas())
    assert back.meta == cat_freq.meta
    assert ls.Table.from_bytes(cat_freq.to_bytes()).columns == cat_freq.columns


def test_tsv_all_columns(tmp_path, cat_freq):
    p = tmp_path / "cat.tsv"
    cat_freq.to_tsv(p)
    lines = p.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == cat_freq.columns
    assert len(lines) == len(cat_freq) + 1
    assert lines[1].split("\t")[:2] == ["the", "3"]


def test_tsv_roundtrip(tmp_path, cat_freq):
    p = tmp_path / "cat.tsv"
    cat_freq.to_tsv(p, columns=["term", "count", "doc_count"])
    lines = p.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "term\tcount\tdoc_count"
    back = ls.read_frequency_list(p)
    assert _counts(back) == CAT_COUNTS
    assert dict(zip(back["term"].tolist(), back["doc_count"].tolist())) == \
        dict(zip(cat_freq["term"].tolist(), cat_freq["doc_count"].tolist()))
    assert back.meta["kind"] == "frequency"
    pm = dict(zip(back["term"].tolist(), back["per_million"].tolist()))
    assert pm["the"] == pytest.approx(3 / 9 * 1e6)
    p2 = tmp_path / "cat2.tsv"
    cat_freq.to_tsv(p2, columns=["term", "count"])
    assert _counts(ls.read_frequency_list(p2)) == CAT_COUNTS
    with pytest.raises(KeyError):
        cat_freq.to_tsv(p2, columns=["term", "nope"])


def test_tsv_escapes(tmp_path):
    c = ls.Corpus.from_texts(["a\\b tab"], tokenizer="whitespace", keep_punct=True)
    t = c.frequencies()
    p = tmp_path / "e.tsv"
    t.to_tsv(p)
    assert "a\\\\b" in p.read_text(encoding="utf-8")
    p2 = tmp_path / "e2.tsv"
    t.to_tsv(p2, columns=["term", "count"])
    assert "a\\\\b\t1" in p2.read_text(encoding="utf-8").splitlines()


def test_tsv_escapes_read_back(tmp_path):
    c = ls.Corpus.from_texts(["a\\b tab"], tokenizer="whitespace", keep_punct=True)
    p = tmp_path / "e.tsv"
    c.frequencies().to_tsv(p)
    back = ls.read_frequency_list(p)
    assert set(back["term"].tolist()) == {"a\\b", "tab"}


def test_merge_equals_combined():
    a_texts = ["the cat sat on the mat.", "a dog ran."]
    b_texts = ["the dog sat.", "the end"]
    a = ls.Corpus.from_texts(a_texts).frequencies()
    b = ls.Corpus.from_texts(b_texts).frequencies()
    both = ls.Corpus.from_texts(a_texts + b_texts).frequencies()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        merged = a.merge(b)
    assert _counts(merged) == _counts(both)
    md = dict(zip(merged["term"].tolist(), merged["doc_count"].tolist()))
    bd = dict(zip(both["term"].tolist(), both["doc_count"].tolist()))
    assert md == bd
    assert merged.meta["n_tokens"] == both.meta["n_tokens"]
    mp = dict(zip(merged["term"].tolist(), merged["per_million"].tolist()))
    bp = dict(zip(both["term"].tolist(), both["per_million"].tolist()))
    assert mp == pytest.approx(bp)
    assert _counts(a + b) == _counts(both)


def test_merge_settings_mismatch_warns():
    a = ls.Corpus.from_texts(["The Cat"]).frequencies()
    b = ls.Corpus.from_texts(["The Cat"], lowercase=False).frequencies()
    with pytest.warns(UserWarning, match="settings_mismatch"):
        m = a.merge(b)
    assert "settings_mismatch" in m.meta


def test_merge_refuses_different_n(cat_corpus):
    with pytest.raises(ls.InvalidArgumentError):
        cat_corpus.frequencies(1).merge(cat_corpus.frequencies(2))
    with pytest.raises(TypeError):
        cat_corpus.frequencies(1).merge("x")


def test_repr(cat_freq):
    r = repr(cat_freq)
    assert "\n" not in r
    assert "rows=6" in r and "frequency" in r


def test_repr_html_escapes():
    c = ls.Corpus.from_texts(["<b>x</b> a&b <script>alert(1)</script>"],
                             tokenizer="whitespace", keep_punct=True, lowercase=False)
    h = c.frequencies()._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt;" in h
    assert "<script>" not in h and "<b>x</b>" not in h
    assert "a&amp;b" in h
    assert "frequency" in h


def test_repr_html_head_tail():
    words = [f"w{i:03d}" for i in range(40)]
    c = ls.Corpus.from_texts([" ".join(words)], tokenizer="whitespace")
    t = c.frequencies()
    h = t._repr_html_()
    assert "…" in h
    assert "w000" in h and "w039" in h and "w020" not in h
    assert "40 rows" in h


def test_table_not_constructible():
    with pytest.raises(TypeError):
        ls.Table()


def test_empty_table():
    c = ls.Corpus.from_texts(["a b"])
    t = c.frequencies(min_count=5)
    assert len(t) == 0
    assert t["count"].tolist() == []
    assert t["term"].tolist() == []
    assert len(t.to_pandas()) == 0
    t._repr_html_()


def test_arrow_strings_match_numpy_path():
    pytest.importorskip("pyarrow")
    c = ls.Corpus.from_texts(["模型 模型 发展 é a b\\c"], tokenizer="whitespace")
    t = c.frequencies()
    via_arrow = t._string_series(0, "term").tolist()
    assert via_arrow == _decode_strings(*t._string_raw(0)[:2]) == t["term"].tolist()
    del c
    df = t.to_pandas()
    del t
    gc.collect()
    assert df["term"].tolist() == via_arrow


def test_plot(cat_freq):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    ax = cat_freq.plot(n=3)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["the", "cat", "mat"]
    ax2 = cat_freq.plot(kind="zipf")
    assert ax2.get_xscale() == "log"
    with pytest.raises(ValueError):
        cat_freq.plot(kind="pie")
    plt.close("all")

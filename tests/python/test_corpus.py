"""Corpus construction, inputs, options, per-document access, subsets, frequencies."""

import gzip
import os
import random

import numpy as np
import pandas as pd
import pytest

import libstats as ls

from conftest import CAT_COUNTS, CAT_TEXT


def _counts(table):
    return dict(zip(table["term"].tolist(), table["count"].tolist()))


def test_from_texts_basics(cat_corpus):
    assert len(cat_corpus) == 1
    assert cat_corpus.names == ["doc0"]
    assert cat_corpus.n_tokens == 9
    assert cat_corpus.n_types == 6
    r = repr(cat_corpus)
    assert "\n" not in r and "docs=1" in r and "tokens=9" in r


def test_known_unigram_counts(cat_corpus):
    assert _counts(cat_corpus.frequencies()) == CAT_COUNTS


def test_bigrams_within_sentences(cat_corpus):
    bi = _counts(cat_corpus.frequencies(n=2))
    assert bi == {"the cat": 2, "cat sat": 1, "sat on": 1, "on the": 1, "the mat": 1,
                  "cat ran": 1}
    cross = _counts(cat_corpus.frequencies(n=2, cross_sentences=True))
    assert cross["mat the"] == 1 and sum(cross.values()) == 8
    tri = _counts(cat_corpus.frequencies(n=3))
    assert tri["the cat sat"] == 1 and "mat the cat" not in tri


def test_ngrams_do_not_cross_documents():
    c = ls.Corpus.from_texts(["a b", "c d"], tokenizer="whitespace")
    bi = c.frequencies(n=2, cross_sentences=True)
    assert _counts(bi) == {"a b": 1, "c d": 1}
    assert bi.meta["n"] == "2"


def test_min_count(cat_corpus):
    t = cat_corpus.frequencies(min_count=2)
    assert _counts(t) == {"the": 3, "cat": 2}
    assert cat_corpus.frequencies(min_count=4)["term"].tolist() == []


def test_doc_count_and_names():
    c = ls.Corpus.from_texts(["x y", "x z", "x"], names=["a", "b", "c"])
    assert c.names == ["a", "b", "c"]
    t = c.frequencies()
    dc = dict(zip(t["term"].tolist(), t["doc_count"].tolist()))
    assert dc == {"x": 3, "y": 1, "z": 1}


def test_options_lowercase_punct_numbers():
    text = "Hello, hello WORLD 42 times!"
    c = ls.Corpus.from_texts([text])
    assert _counts(c.frequencies()) == {"hello": 2, "world": 1, "42": 1, "times": 1}
    c2 = ls.Corpus.from_texts([text], lowercase=False, drop_numbers=True)
    assert _counts(c2.frequencies()) == {"Hello": 1, "hello": 1, "WORLD": 1, "times": 1}
    c3 = ls.Corpus.from_texts([text], keep_punct=True)
    counts3 = _counts(c3.frequencies())
    assert counts3[","] == 1 and counts3["!"] == 1
    assert c2.options["lowercase"] is False and c2.options["drop_numbers"] is True


def test_normalize_nfkc():
    # U+FF21 FULLWIDTH A folds to "a" under NFKC (and case folding); kept under NFC
    c = ls.Corpus.from_texts(["\uff21bc abc"])
    assert _counts(c.frequencies()) == {"abc": 2}
    c2 = ls.Corpus.from_texts(["\uff21bc abc"], normalize="nfc")
    assert len(c2.frequencies()) == 2
    c3 = ls.Corpus.from_texts(["\uff21bc abc"], normalize=None)
    assert c3.options["normalize"] is None


def test_tokenizers():
    text = "深度求索 发布 模型"
    ws = ls.Corpus.from_texts([text], tokenizer="whitespace")
    assert _counts(ws.frequencies()) == {"深度求索": 1, "发布": 1, "模型": 1}
    han = ls.Corpus.from_texts(["模型模"], tokenizer="han")
    assert _counts(han.frequencies()) == {"模": 2, "型": 1}
    icu = ls.Corpus.from_texts(["深度求索发布了新的模型。"])
    assert icu.n_tokens >= 3


def test_compounds(tmp_path):
    text = "new york is big and new york is old"
    c = ls.Corpus.from_texts([text], compounds=["new york"])
    counts = _counts(c.frequencies())
    assert counts.get("new york") == 2 and "new" not in counts
    f = tmp_path / "compounds.txt"
    f.write_text("new york\n\n", encoding="utf-8")
    c2 = ls.Corpus.from_texts([text], compounds=str(f))
    assert _counts(c2.frequencies()) == counts
    assert c2.options["compounds"] == ["new york"]
    with pytest.raises(ls.LibstatsIOError):
        ls.Corpus.from_texts([text], compounds=str(tmp_path / "missing.txt"))


def test_from_files_directory(text_dir):
    c = ls.Corpus.from_files(text_dir)
    assert len(c) == 3
    assert [os.path.basename(n) for n in c.names] == ["a.txt", "b.txt", "c.txt.gz"]
    counts = _counts(c.frequencies())
    assert counts == {"alpha": 2, "beta": 3, "gamma": 3, "delta": 2, "epsilon": 1}


def test_from_files_glob_and_list(text_dir):
    c = ls.Corpus.from_files(str(text_dir / "*.txt"))
    assert [os.path.basename(n) for n in c.names] == ["a.txt", "b.txt"]
    c2 = ls.Corpus.from_files([text_dir / "b.txt", str(text_dir / "sub")])
    assert [os.path.basename(n) for n in c2.names] == ["b.txt", "c.txt.gz"]
    c3 = ls.Corpus.from_files(str(text_dir / "**" / "*.gz"))
    assert len(c3) == 1
    with pytest.raises(ls.LibstatsIOError):
        ls.Corpus.from_files(str(text_dir / "*.nothing"))
    with pytest.raises(OSError):
        ls.Corpus.from_files(text_dir / "sub" / "missing.txt")


def test_from_files_names_metadata(text_dir):
    paths = [text_dir / "a.txt", text_dir / "b.txt"]
    c = ls.Corpus.from_files(paths, names=["A", "B"],
                             metadata=[{"year": 2020, "src": "x"}, {"year": 2021, "src": "y"}])
    assert c.names == ["A", "B"]
    md = c.metadata
    assert list(md.index) == ["A", "B"] and md.index.name == "name"
    assert md.loc["B", "year"] == 2021
    s = c.summary()
    for col in ("name", "encoding", "bytes_in", "chars", "tokens", "types", "sentences",
                "replaced", "year", "src"):
        assert col in s.columns, col
    assert s["name"].tolist() == ["A", "B"]
    assert s["tokens"].tolist() == [5, 3]
    assert s["bytes_in"].tolist() == [os.path.getsize(p) for p in paths]
    with pytest.raises(ValueError):
        ls.Corpus.from_files(paths, names=["only one"])
    with pytest.raises(ValueError):
        ls.Corpus.from_files(paths, metadata=[{"year": 1}])


def test_metadata_dataframe_aligned_by_name():
    md = pd.DataFrame({"label": ["second", "first"]}, index=["d2", "d1"])
    c = ls.Corpus.from_texts(["a", "b"], names=["d1", "d2"], metadata=md)
    assert c.metadata["label"].tolist() == ["first", "second"]
    md2 = pd.DataFrame({"label": ["p", "q"]})
    c2 = ls.Corpus.from_texts(["a", "b"], metadata=md2)
    assert c2.metadata.loc["doc1", "label"] == "q"


def test_encodings(tmp_path):
    text = "深度求索发布了新的模型。模型很大。"
    p = tmp_path / "gbk.txt"
    p.write_bytes(text.encode("gbk"))
    c = ls.Corpus.from_files(p, encoding="gbk")
    assert c.text(0) == text
    assert c.summary()["encoding"].iloc[0]
    with pytest.raises(ls.EncodingError):
        ls.Corpus.from_files(p)  # not UTF-8
    longer = tmp_path / "gbk_long.txt"
    longer.write_bytes((text * 50).encode("gb18030"))
    auto = ls.Corpus.from_files(longer, encoding="auto")
    assert auto.text(0) == text * 50
    # bytes in from_texts with a named codec are decoded in Python
    c2 = ls.Corpus.from_texts([text.encode("gbk")], encoding="gbk")
    assert c2.text(0) == text
    c3 = ls.Corpus.from_texts([text.encode("utf-8")])
    assert c3.text(0) == text


def test_crlf_and_gzip(tmp_path):
    p = tmp_path / "x.txt.gz"
    p.write_bytes(gzip.compress(b"one two\r\nthree\r\n"))
    c = ls.Corpus.from_files(p)
    assert c.text(0) == "one two\nthree\n"
    assert c.n_tokens == 3


def test_tokens_and_text(cat_corpus):
    toks = cat_corpus.tokens(0)
    assert list(toks.columns) == ["term", "start", "end", "sentence"]
    assert toks["term"].tolist() == ["the", "cat", "sat", "on", "the", "mat", "the", "cat",
                                     "ran"]
    assert toks["sentence"].tolist() == [0] * 6 + [1] * 3
    text = cat_corpus.text(0)
    assert text == CAT_TEXT
    raw = text.encode("utf-8")
    for term, a, b in zip(toks["term"], toks["start"], toks["end"]):
        assert raw[a:b].decode().lower() == term
    assert cat_corpus.tokens("doc0")["term"].tolist() == toks["term"].tolist()
    assert cat_corpus.text(-1) == text
    with pytest.raises(IndexError):
        cat_corpus.text(1)
    with pytest.raises(KeyError):
        cat_corpus.tokens("nope")


def test_tokens_without_text():
    c = ls.Corpus.from_texts(["a b"], keep_text=False)
    toks = c.tokens(0)
    assert toks["term"].tolist() == ["a", "b"]
    assert toks["start"].tolist() == [-1, -1]


def test_subset():
    texts = ["a a", "b b b", "c", "d d d d"]
    md = [{"group": g} for g in ("x", "y", "x", "y")]
    c = ls.Corpus.from_texts(texts, names=["n0", "n1", "n2", "n3"], metadata=md,
                             tokenizer="whitespace")
    by_mask = c.subset([True, False, True, False])
    assert by_mask.names == ["n0", "n2"]
    assert _counts(by_mask.frequencies()) == {"a": 2, "c": 1}
    assert by_mask.metadata["group"].tolist() == ["x", "x"]
    by_series = c.subset(c.metadata["group"] == "y")
    assert by_series.names == ["n1", "n3"]
    by_np = c.subset(np.array([False, True, False, False]))
    assert by_np.names == ["n1"]
    by_names = c.subset(["n3", "n0"])
    assert by_names.names == ["n3", "n0"]
    assert by_names.metadata["group"].tolist() == ["y", "x"]
    by_ints = c.subset([2, 1])
    assert by_ints.names == ["n2", "n1"] and by_ints.n_tokens == 4
    by_fn = c.subset(lambda row: row["group"] == "x" and row.name != "n2")
    assert by_fn.names == ["n0"]
    assert by_fn.options == c.options
    with pytest.raises(ValueError):
        c.subset([True, False])
    with pytest.raises(KeyError):
        c.subset(["zz"])
    c.close()
    assert by_names.n_tokens == 6  # independent of the parent


def test_threads_deterministic(text_dir):
    texts = [f"word{i % 17} word{i % 5} common" for i in range(300)]
    one = ls.Corpus.from_texts(texts, n_threads=1)
    many = ls.Corpus.from_texts(texts, n_threads=4)
    pd.testing.assert_frame_equal(one.frequencies().to_pandas(),
                                  many.frequencies().to_pandas())
    assert one.tokens(7)["term"].tolist() == many.tokens(7)["term"].tolist()


def test_options_dict(cat_corpus):
    o = cat_corpus.options
    assert o == {"encoding": "utf-8", "errors": "strict", "tokenizer": "icu", "locale": None,
                 "lowercase": True, "normalize": "nfkc", "keep_punct": False,
                 "drop_numbers": False, "keep_text": True, "compounds": [], "n_threads": 0,
                 "sentences": "icu", "fold_script": None, "cleanup": ()}


def test_repr_html():
    c = ls.Corpus.from_texts(["a b", "<i>c</i>"], names=["<x>", "y"],
                             metadata=[{"script": "Latin"}, {"script": "<none>"}])
    h = c._repr_html_()
    assert "&lt;x&gt;" in h and "<x>" not in h
    assert "&lt;none&gt;" in h and "script" in h
    assert "<script" not in h
    assert "2 documents" in h


def test_context_manager():
    with ls.Corpus.from_texts(["a"]) as c:
        assert c.n_tokens == 1
    assert c.closed


def test_empty_inputs():
    c = ls.Corpus.from_texts([])
    assert len(c) == 0 and c.n_tokens == 0
    assert len(c.frequencies()) == 0
    e = ls.Corpus.from_texts([""])
    assert len(e) == 1 and e.n_tokens == 0
    assert e.text(0) == ""


def test_not_constructible():
    with pytest.raises(TypeError):
        ls.Corpus()
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(ls.Corpus.from_texts(["a"]))


def _big_text(seed, mb):
    """About `mb` MB of lines: words, Chinese, punctuation, sentences, some CRLF, a U+FEFF
    after a line end."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(3000)] + ["人工智能", "模型", "的", "DeepSeek", "3.14"]
    lines, size = [], 0
    while size < mb * 1_000_000:
        ws = rng.choices(words, k=rng.randint(0, 30))
        line = " ".join(ws) + rng.choice([". ", "! ", "", "。"]) + " ".join(ws[:5])
        if rng.random() < 0.01:
            line = "\ufeff" + line
        end = "\r\n" if rng.random() < 0.05 else "\n"
        lines.append(line + end)
        size += len(line.encode()) + len(end)
    return "".join(lines)


@pytest.mark.parametrize("tokenizer,sentences", [("icu", "icu"), ("whitespace", "none")])
def test_large_file_read_in_parts_equals_whole(tmp_path, tokenizer, sentences):
    # a file over 16 MB is read in parts on several threads; the corpus must not show it
    big = tmp_path / "big.txt"
    big.write_bytes(_big_text(1, 17).encode())
    small = tmp_path / "small.txt"
    small.write_text("w1 w2 w3. w4 人工智能\n", encoding="utf-8")
    files = [str(small), str(big), str(small)]
    kw = dict(tokenizer=tokenizer, sentences=sentences, keep_text=True, progress=False)
    one = ls.Corpus.from_files(files, n_threads=1, **kw)
    two = ls.Corpus.from_files(files, n_threads=2, **kw)
    assert len(two) == 3 and two.n_tokens == one.n_tokens
    assert one.summary().equals(two.summary())
    assert one.frequencies().to_pandas().equals(two.frequencies().to_pandas())
    assert one.tokens(1).equals(two.tokens(1))
    assert one.text(1) == two.text(1)
    assert one.collocations(top=50).to_pandas().equals(two.collocations(top=50).to_pandas())


def test_large_file_error_offset_is_the_files(tmp_path):
    data = bytearray(_big_text(2, 17).encode())
    at = 12_000_000
    while data[at] >= 0x80:
        at += 1
    data[at] = 0xFF
    big = tmp_path / "bad.txt"
    big.write_bytes(bytes(data))
    messages = []
    for threads in (1, 2):
        with pytest.raises(ls.errors.LibstatsError) as e:
            ls.Corpus.from_files([str(big)], tokenizer="whitespace", n_threads=threads,
                                 progress=False)
        messages.append(str(e.value))
    assert messages[0] == messages[1] and f"offset {at}" in messages[0]

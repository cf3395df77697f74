"""Segmentation cross-checked against an independent ICU binding (PyICU), encodings detected
on real Chinese text, sentence modes and compounds on the sample corpus."""

import pathlib

import pytest

import libstats as ls

SEEDS = sorted((pathlib.Path(ls.datasets.__file__).parent / "deepseek").glob("*.txt"))

icu = pytest.importorskip("icu")


def pyicu_tokens(text, tokenizer="icu"):
    """ICU word break through PyICU, with libstats' filter (drop segments whose rule status
    is below UBRK_WORD_NONE_LIMIT = 100: white space, punctuation, symbols) and NFKC_Casefold;
    "han" splits each Han character off."""
    bi = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    ustr = icu.UnicodeString(text)
    bi.setText(ustr)
    norm = icu.Normalizer2.getNFKCCasefoldInstance()
    out = []
    start = bi.first()
    for end in bi:
        status = bi.getRuleStatus()
        piece = str(ustr[start:end])
        start = end
        if status < 100:
            continue
        if tokenizer == "han":
            run = ""
            for ch in piece:
                if icu.Script.getScript(ord(ch)).getScriptCode() == icu.UScriptCode.HAN:
                    if run:
                        out.append(norm.normalize(run))
                        run = ""
                    out.append(norm.normalize(ch))
                else:
                    run += ch
            if run:
                out.append(norm.normalize(run))
        else:
            out.append(norm.normalize(piece))
    return [t for t in out if t]


@pytest.mark.parametrize("tokenizer", ["icu", "han"])
def test_tokens_equal_pyicu_on_sample(tokenizer):
    corpus = ls.datasets.deepseek(tokenizer=tokenizer, cleanup=None)
    total = 0
    for i, path in enumerate(SEEDS):
        text = path.read_text(encoding="utf-8")
        ours = corpus.tokens(i)["term"].tolist()
        theirs = pyicu_tokens(text, tokenizer)
        assert ours == theirs, f"{path.name}: first difference at token " \
            f"{next(k for k, (a, b) in enumerate(zip(ours + [None], theirs + [None])) if a != b)}"
        total += len(ours)
    assert total > 5000


def test_offsets_slice_the_original_text():
    corpus = ls.datasets.deepseek(normalize=None, lowercase=False, cleanup=None)
    for i in range(len(corpus)):
        raw = corpus.text(i).encode("utf-8")
        toks = corpus.tokens(i)
        for term, start, end in zip(toks["term"], toks["start"], toks["end"]):
            assert raw[start:end].decode("utf-8") == term


@pytest.mark.parametrize("codec,icu_name", [("gb18030", "GB18030"), ("big5", "Big5"),
                                            ("utf-16", "UTF-16")])
def test_auto_detects_chinese_encodings(tmp_path, codec, icu_name):
    # 000 is Traditional (Big5 can encode most of it); 001 is Simplified.
    src = SEEDS[0] if codec == "big5" else SEEDS[1]
    text = src.read_text(encoding="utf-8")
    data = text.encode(codec, errors="ignore")
    expected = data.decode(codec)
    p = tmp_path / f"doc.{codec}.txt"
    p.write_bytes(data)
    auto = ls.Corpus.from_files([p], encoding="auto")
    assert auto.summary()["encoding"][0].upper().startswith(icu_name.upper())
    want = ls.Corpus.from_texts([expected])
    assert auto.tokens(0)["term"].tolist() == want.tokens(0)["term"].tolist()
    named = ls.Corpus.from_files([p], encoding=codec if codec != "utf-16" else "UTF-16")
    assert named.n_tokens == want.n_tokens


def test_sentence_modes_change_bigrams():
    text = "One sentence. Another one\nand a line"
    icu_ = ls.Corpus.from_texts([text]).frequencies(n=2)
    lines = ls.Corpus.from_texts([text], sentences="lines").frequencies(n=2)
    none = ls.Corpus.from_texts([text], sentences="none").frequencies(n=2)
    assert "sentence another" not in set(icu_["term"])
    assert "sentence another" in set(lines["term"])
    assert "one and" not in set(lines["term"])
    assert "one and" in set(none["term"])
    assert none.meta["sentences"] == "none"
    with pytest.raises(ls.LibstatsError):
        ls.Corpus.from_texts([text], sentences="paragraphs")


def test_compounds_from_file_merge_exactly(tmp_path):
    terms = ["人工智能", "英伟达", "梁文锋", "硅谷"]
    f = tmp_path / "dict.txt"
    f.write_text("\n".join(terms) + "\n", encoding="utf-8")
    plain = ls.datasets.deepseek(cleanup=None).frequencies().to_pandas().set_index("term")["count"]
    merged = ls.datasets.deepseek(compounds=str(f), cleanup=None).frequencies().to_pandas()
    merged = merged.set_index("term")["count"]
    texts = "".join(p.read_text(encoding="utf-8") for p in SEEDS)
    for t in terms:
        assert t not in plain.index
        assert merged[t] == texts.count(t)

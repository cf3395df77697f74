"""Dispersion measures (against an independent numpy implementation and the literature's
worked examples), frequency extras (ranks, spectrum, TTR family, grouping) and KWIC."""

import io
import json
import math

import numpy as np
import pandas as pd
import pytest

import libstats as ls
from libstats import cli
from libstats import dispersion as D

# ---------------------------------------------------------------------- a numpy reference


def reference_measures(v, sizes):
    """Every parts-based measure from the dense subfrequencies v over parts of `sizes`
    (written from the published formulas, independently of the C code: dense, no identities).
    Parts of size zero are dropped first."""
    v = np.asarray(v, dtype=float)
    W = np.asarray(sizes, dtype=float)
    keep = W > 0
    v, W = v[keep], W[keep]
    k = len(v)
    f = v.sum()
    w = W / W.sum()
    t = v / f
    R = v / W
    r = R / R.sum()
    out = {}
    out["range"] = int((v > 0).sum())
    out["range_pct"] = 100 * (v > 0).sum() / k
    sd = np.sqrt(((R - R.mean()) ** 2).sum() / k)
    out["cv"] = sd / R.mean()
    out["juilland_d"] = 1 - out["cv"] / math.sqrt(k - 1) if k > 1 else math.nan
    out["juilland_u"] = out["juilland_d"] * f
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(r > 0, r * np.log2(np.where(r > 0, r, 1)), 0).sum()
        out["carroll_d2"] = h / math.log2(k) if k > 1 else math.nan
    out["carroll_um"] = f * out["carroll_d2"] + (1 - out["carroll_d2"]) * f / k
    out["rosengren_kf"] = np.sqrt(w * v).sum() ** 2
    out["rosengren_s"] = out["rosengren_kf"] / f
    e = f * w
    out["lyne_d3"] = 1 - ((v - e) ** 2 / e).sum() / (4 * f)
    dp = np.abs(t - w).sum() / 2
    out["dp"] = dp
    out["dp_norm"] = dp / (1 - w.min()) if k > 1 else math.nan
    out["dp_egbert"] = 1 - dp / (1 - w[v > 0].min()) if w[v > 0].min() < 1 else math.nan
    out["engwall_fm"] = f * (v > 0).sum() / k
    out["kromer_ur"] = sum(sum(1 / i for i in range(1, int(x) + 1)) for x in v)
    out["zhang_dc"] = (np.sqrt(R).sum() / k) ** 2 / (R.sum() / k)
    if k > 1:
        pairs = sum(abs(r[i] - r[j]) for i in range(k) for j in range(i + 1, k))
        out["d_a"] = 1 - pairs / (k * (k - 1) / 2) / (2 / k)
    else:
        out["d_a"] = math.nan
    nz = t > 0
    out["d_kl"] = (t[nz] * np.log2(t[nz] / w[nz])).sum()
    out["entropy"] = -(t[nz] * np.log2(t[nz])).sum()
    return out


def reference_positional(stream, term):
    """ARF, ALD, fALD, AWT, fAWT (Savický & Hlaváčová 2002) on the cyclic token stream."""
    N = len(stream)
    pos = np.flatnonzero(np.asarray(stream, dtype=object) == term)
    f = len(pos)
    d = np.diff(pos).astype(float)
    d = np.insert(d, 0, pos[0] + N - pos[-1])
    avg = N / f
    ald = (d * np.log10(d)).sum() / N
    return {"arf": np.minimum(d, avg).sum() / avg, "ald": ald, "aldf": N / 10 ** ald,
            "awt": 0.5 * (1 + (d ** 2).sum() / N), "awtf": N ** 2 / (d ** 2).sum()}


def random_docs(seed, n_docs=25, vocab=60, empty=(3,)):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(vocab)]
    p = 1 / np.arange(1, vocab + 1)
    p /= p.sum()
    docs = []
    for d in range(n_docs):
        n = 0 if d in empty else int(rng.integers(1, 200))
        docs.append(" ".join(rng.choice(words, size=n, p=p)))
    return docs


def _close(a, b):
    if isinstance(b, float) and math.isnan(b):
        return math.isnan(a)
    return a == pytest.approx(b, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("parts", [None, 7, 1, 3000])
def test_against_numpy_reference(parts):
    docs = random_docs(1)
    c = ls.Corpus.from_texts(docs, tokenizer="whitespace")
    t = c.frequencies(dispersion=True, parts=parts).to_pandas().set_index("term")
    streams = [d.split() for d in docs]
    stream = [w for s in streams for w in s]
    N = len(stream)
    vocab = sorted(set(stream))
    col = {w: i for i, w in enumerate(vocab)}
    if parts is None:
        sizes = [len(s) for s in streams]
        mat = np.zeros((len(vocab), len(streams)))
        for j, s in enumerate(streams):
            for w in s:
                mat[col[w], j] += 1
    else:
        bounds = [j * N // parts for j in range(parts + 1)]
        sizes = [bounds[j + 1] - bounds[j] for j in range(parts)]
        mat = np.zeros((len(vocab), parts))
        for j in range(parts):
            for w in stream[bounds[j]:bounds[j + 1]]:
                mat[col[w], j] += 1
    assert set(t.index) == set(vocab)
    n_nonempty = sum(1 for s in sizes if s > 0)
    assert int(t.attrs.get("n_parts", n_nonempty)) == n_nonempty
    for w in vocab:
        ref = reference_measures(mat[col[w]], sizes)
        ref.update(reference_positional(stream, w))
        row = t.loc[w]
        for name, value in ref.items():
            assert _close(float(row[name]), float(value)), (w, name, row[name], value)
    # IDF schemes over documents (N counts empty documents too).
    n_docs = len(docs)
    df = t["doc_count"].to_numpy(dtype=float)
    np.testing.assert_allclose(t["idf_inverse"], np.log10(n_docs / df))
    np.testing.assert_allclose(t["idf_inversemax"], np.log10(df.max() / df))
    np.testing.assert_allclose(t["idf_smooth"], np.log((1 + n_docs) / (1 + df)) + 1)
    np.testing.assert_allclose(t["idf_sklearn"], np.log(n_docs / df) + 1)
    np.testing.assert_allclose(t["idf_bm25"], np.log(1 + (n_docs - df + 0.5) / (df + 0.5)))


def test_gries_2008_example():
    # Gries (2008: 406), Gries (2020): 50 words in parts of 9, 10, 10, 10 and 11 words; a
    # occurs 1..5 times per part; DP = 0.18; DPnorm (Lijffijt & Gries 2012) = 0.18 / 0.82.
    parts = ["b a m n i b e u p", "b a s a t b e w q n", "b c a g a b e s t a",
             "b a g h a b e a a t", "b a h a a b e a x a t"]
    c = ls.Corpus.from_texts(parts, tokenizer="whitespace")
    t = c.frequencies(dispersion=True).to_pandas().set_index("term")
    assert t.loc["a", "dp"] == pytest.approx(0.18)
    assert t.loc["a", "dp_norm"] == pytest.approx(0.18 / 0.82)
    assert t.loc["a", "range"] == 5
    # The equal-part version Wordless's tests use for Gries's (2008: 410) distance measures.
    eq = ["b a m n i b e u p k", "b a s a t b e w q n", "b c a g a b e s t a",
          "b a g h a b e a a t", "b a h a a b e a x a"]
    t = ls.Corpus.from_texts(eq, tokenizer="whitespace").frequencies(
        dispersion=True).to_pandas().set_index("term")
    assert round(t.loc["a", "arf"], 1) == 10.8
    assert round(t.loc["a", "awt"], 2) == 3.18
    assert round(t.loc["a", "ald"], 3) == 0.628
    assert round(t.loc["a", "aldf"], 3) == 11.764
    assert round(t.loc["a", "awtf"], 3) == 9.328
    assert round(t.loc["a", "rosengren_s"], 3) == 0.937
    assert round(t.loc["a", "zhang_dc"], 3) == 0.937
    assert round(t.loc["a", "lyne_d3"], 3) == 0.944
    assert round(t.loc["a", "carroll_um"], 3) == 14.108
    assert round(t.loc["a", "rosengren_kf"], 3) == 14.053


def test_tlda_lyne_numbers_with_reference():
    # Sönning's tlda README (Lyne 1985, ALLEMAND): the reference implementation reproduces
    # D, D2, S, DA and DKL, so the C columns (equal to it above) do too.
    v = [2, 0, 1, 1, 3, 0, 3, 0, 0, 0]
    sizes = [8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930]
    ref = reference_measures(v, sizes)
    assert ref["juilland_d"] == pytest.approx(0.6038797, abs=5e-8)
    assert ref["carroll_d2"] == pytest.approx(0.6521444, abs=5e-8)
    assert ref["rosengren_s"] == pytest.approx(0.4763652, abs=5e-8)
    assert ref["d_a"] == pytest.approx(0.3081640, abs=5e-8)
    assert 1 / (1 + ref["d_kl"]) == pytest.approx(0.4665078, abs=5e-8)


def test_dispersion_options_and_errors():
    c = ls.Corpus.from_texts(["a b c", "a a"], tokenizer="whitespace")
    assert c.frequencies().columns == ["term", "count", "per_million", "doc_count"]
    t = c.frequencies(dispersion=True)
    assert t.columns[4:] == list(D.MEASURES)
    assert t.meta["parts"] == "documents" and t.meta["n_parts"] == "2"
    with pytest.raises(ls.InvalidArgumentError, match="n = 1"):
        c.frequencies(n=2, dispersion=True)
    with pytest.raises(ls.InvalidArgumentError):
        c.frequencies(dispersion=True, parts=0)
    with pytest.raises(ls.InvalidArgumentError, match="parts"):
        c.frequencies(parts=3)
    with pytest.raises(ls.InvalidArgumentError, match="idf_base"):
        c.frequencies(dispersion=True, idf_base=1)
    t = c.frequencies(dispersion=True, idf_base=2, idf_smoothing=1, idf_k=0.5)
    df = t.to_pandas().set_index("term")
    assert df.loc["b", "idf_inverse"] == pytest.approx(math.log2(1 + 2 / 1.5))
    # A single document: measures dividing by n - 1 are NaN, DP is 0.
    one = ls.Corpus.from_texts(["a b a"], tokenizer="whitespace").frequencies(dispersion=True)
    o = one.to_pandas().set_index("term")
    assert math.isnan(o.loc["a", "juilland_d"]) and o.loc["a", "dp"] == 0


def test_idf_against_scikit_learn():
    sk = pytest.importorskip("sklearn.feature_extraction.text")
    docs = random_docs(5, n_docs=12, empty=())
    c = ls.Corpus.from_texts(docs, tokenizer="whitespace")
    t = c.frequencies(dispersion=True).to_pandas().set_index("term")
    for smooth, col in ((True, "idf_smooth"), (False, "idf_sklearn")):
        vec = sk.TfidfVectorizer(token_pattern=r"\S+", lowercase=True, smooth_idf=smooth)
        vec.fit(docs)
        for term, i in vec.vocabulary_.items():
            assert t.loc[term, col] == pytest.approx(vec.idf_[i])


# ---------------------------------------------------------------------- frequency extras


def test_rank_tie_rules_against_scipy():
    stats = pytest.importorskip("scipy.stats")
    counts = np.array([9, 5, 5, 3, 3, 3, 1])
    for ties in ("min", "max", "average", "dense"):
        np.testing.assert_array_equal(D.rank(counts, ties),
                                      stats.rankdata(-counts, method=ties))
    np.testing.assert_array_equal(D.rank(counts, "first"), np.arange(1, 8))
    shuffled = np.array([3, 9, 3, 5])
    np.testing.assert_array_equal(D.rank(shuffled, "min"), [3, 1, 3, 2])
    np.testing.assert_array_equal(D.rank(shuffled, "first"), [3, 1, 4, 2])
    assert D.rank([], "average").dtype == np.float64
    with pytest.raises(ls.InvalidArgumentError):
        D.rank(counts, "random")


def test_spectrum_and_hapaxes_against_nltk():
    nltk = pytest.importorskip("nltk")
    docs = random_docs(2, n_docs=5, empty=())
    c = ls.Corpus.from_texts(docs, tokenizer="whitespace")
    fd = nltk.FreqDist(w for d in docs for w in d.split())
    assert sorted(D.hapaxes(c)) == sorted(fd.hapaxes())
    sp = D.spectrum(c.frequencies())
    assert dict(zip(sp["r"], sp["n_r"])) == {r: n for r, n in fd.r_Nr().items() if n}
    assert (sp["r"] * sp["n_r"]).sum() == c.n_tokens


def test_lexical_diversity():
    c = ls.Corpus.from_texts(["a b a c a b d e", "", "x"], tokenizer="whitespace")
    df = c.lexical_diversity(window=3)
    r = df.iloc[0]
    assert (r["tokens"], r["types"]) == (8, 5)
    assert r["ttr"] == pytest.approx(5 / 8)
    assert r["root_ttr"] == pytest.approx(5 / math.sqrt(8))
    # the six windows of 3: aba bac aca cab abd bde -> types 2, 3, 2, 3, 3, 3
    assert r["mattr"] == pytest.approx(np.mean([2, 3, 2, 3, 3, 3]) / 3)
    assert math.isnan(df.iloc[1]["ttr"]) and math.isnan(df.iloc[1]["mtld"])
    assert df.iloc[2]["mattr"] == 1.0
    with pytest.raises(ls.InvalidArgumentError):
        c.lexical_diversity(window=0)


def test_mtld_hand_example():
    # McCarthy & Jarvis (2010): a factor ends when the running TTR falls to 0.72.
    # forward  a b a | b a b | c      -> 2 factors + partial (1 - 1) / 0.28 = 0 -> 7 / 2
    # backward c b a b a | b a        -> 1 factor + partial 0                   -> 7 / 1
    c = ls.Corpus.from_texts(["a b a b a b c"], tokenizer="whitespace")
    assert c.lexical_diversity()["mtld"].iloc[0] == pytest.approx((3.5 + 7) / 2)
    # A partial factor: "a b c d a": TTR never falls to 0.72 -> (1 - 0.8) / 0.28 factors.
    c = ls.Corpus.from_texts(["a b c d a"], tokenizer="whitespace")
    assert c.lexical_diversity()["mtld"].iloc[0] == pytest.approx(5 / (0.2 / 0.28))


def test_ttr_family_against_lexical_diversity_package():
    # The lexical_diversity package (K. Kyle): same TTR, root TTR and MATTR.  Its mtld()
    # differs on purpose (factors shorter than 10 tokens are not closed, the threshold is a
    # strict <), so MTLD is checked by hand above.
    ld = pytest.importorskip("lexical_diversity.lex_div")
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(40)]
    text = " ".join(rng.choice(words, size=400))
    c = ls.Corpus.from_texts([text], tokenizer="whitespace")
    df = c.lexical_diversity(window=50)
    toks = text.split()
    assert df.iloc[0]["mattr"] == pytest.approx(ld.mattr(toks, 50))
    assert df.iloc[0]["ttr"] == pytest.approx(ld.ttr(toks))
    assert df.iloc[0]["root_ttr"] == pytest.approx(ld.root_ttr(toks))


def test_frequencies_by_metadata():
    with ls.datasets.deepseek(progress=False) as corpus:
        long = corpus.frequencies(by="script")
        assert list(long.columns[:2]) == ["script", "term"] and "rank" in long.columns
        groups = corpus.metadata["script"].dropna().unique()
        assert set(long["script"]) == set(groups)
        for g in groups:
            sub = corpus.subset(corpus.metadata["script"] == g)
            part = long[long["script"] == g]
            assert part["count"].sum() == sub.n_tokens
            assert part["rank"].iloc[0] == 1
        disp = corpus.frequencies(by="script", dispersion=True, ties="dense")
        assert "dp" in disp.columns
        with pytest.raises(ls.NotFoundError):
            corpus.frequencies(by="nope")


# ---------------------------------------------------------------------- KWIC


TEXTS = ["The cat sat on the mat. The dog saw the Cat!", "A cat?  No, the CAT\nran."]


def test_kwic_table_and_offsets():
    c = ls.Corpus.from_texts(TEXTS)
    k = c.kwic("cat", window=2)
    assert isinstance(k, ls.Concordance) and len(k) == 4
    df = k.to_pandas()
    assert list(df.columns) == ["doc", "doc_index", "position", "start", "end", "left",
                                "match", "right"]
    for _, row in df.iterrows():
        text = c.text(row["doc"]).encode("utf-8")
        assert text[row["start"]:row["end"]].decode() == row["match"]
    assert df["right"].tolist()[3] == "\nran"
    assert df["left"].tolist()[3] == "No, the "
    assert k.meta["n_matches"] == "4"
    assert len(c.kwic("the cat", window=1)) == 3
    assert len(c.kwic("cat", limit=2)) == 2
    s1, s2 = c.kwic("cat", sample=3, seed=9), c.kwic("cat", sample=3, seed=9)
    assert s1["position"].tolist() == s2["position"].tolist() and len(s1) == 3
    srt = c.kwic("cat", sort=["right1"], window=3)
    assert srt["match"].tolist()[0] == "Cat"
    with pytest.raises(ls.InvalidArgumentError):
        c.kwic("cat", limit=2, sample=2)
    with pytest.raises(ls.InvalidArgumentError, match="sort key"):
        c.kwic("cat", sort="middle")
    with pytest.raises(ls.InvalidArgumentError, match="no token"):
        c.kwic("?!")
    kept = ls.Corpus.from_texts(TEXTS, lowercase=False)
    assert len(kept.kwic("cat")) == 2 and len(kept.kwic("CAT", ignore_case=True)) == 4


def test_kwic_needs_text():
    c = ls.Corpus.from_texts(TEXTS, keep_text=False)
    with pytest.raises(ls.StateError, match="keep_text=True"):
        c.kwic("cat")


def test_kwic_positions_match_nltk_concordance_index():
    nltk = pytest.importorskip("nltk")
    docs = random_docs(4, n_docs=6, empty=())
    c = ls.Corpus.from_texts(docs, tokenizer="whitespace")
    for term in ("w0", "w3", "w17"):
        k = c.kwic(term, window=0).to_pandas()
        for i, d in enumerate(docs):
            ci = nltk.text.ConcordanceIndex(d.split(), key=lambda s: s.lower())
            assert k[k["doc_index"] == i]["position"].tolist() == ci.offsets(term)


def test_kwic_html_escapes_and_highlights():
    c2 = ls.Corpus.from_texts(["a <script>alert(1)</script> cat & b"])
    out = c2.kwic("cat")._repr_html_()
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<mark" in out and ">cat</mark>" in out and "&amp;" in out


def test_kwic_fold_script_finds_both_scripts():
    c = ls.Corpus.from_texts(["經濟發展很快。", "经济发展很快。"], fold_script="simplified")
    for q in ("發展", "发展"):
        assert c.kwic(q)["match"].tolist() == ["發展", "发展"]


def test_kwic_cli(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("我们喜欢人工智能。The cat sat on the mat; the cat ran.\n", encoding="utf-8")
    assert cli.main(["kwic", "cat", str(p), "--window", "2", "--format", "tsv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("\t") == ["doc", "position", "start", "end", "left", "match", "right"]
    assert len(out) == 3 and out[1].split("\t")[5] == "cat"
    assert cli.main(["kwic", "cat", str(p), "--format", "json", "--limit", "1"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and rows[0]["match"] == "cat"
    assert cli.main(["kwic", "cat", str(p), "--format", "table", "--width", "12",
                     "--sort", "right1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    # The match column starts at the same terminal cell on every line (CJK counts two).
    from libstats.kwic import display_width
    cols = [display_width(ln[:ln.index("  cat  ")]) for ln in lines]
    assert cols[0] == cols[1]
    assert cli.main(["kwic", "人工智能", str(p), "--format", "table", "--width", "6"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert "人工智能" in line
    assert cli.main(["freq", str(p), "--dispersion", "--format", "tsv", "--top", "3"]) == 0
    head = capsys.readouterr().out.splitlines()[0].split("\t")
    assert "dp" in head and "juilland_d" in head

"""Keyness: every measure against an independent numpy/scipy computation on the bundled sample
corpus (Traditional vs Simplified documents), p-values and corrections against scipy,
document-level tests against scipy.stats, published worked examples, degenerate cases, CLI."""

import math
import subprocess
import sys
import warnings

import numpy as np
import pytest

import libstats as ls

scipy = pytest.importorskip("scipy")
from scipy import special, stats  # noqa: E402



@pytest.fixture(scope="module")
def corpus():
    with ls.datasets.deepseek(progress=False) as c:
        yield c


@pytest.fixture(scope="module")
def trad_mask(corpus):
    return corpus.metadata["script"] == "Traditional"


@pytest.fixture(scope="module")
def full(corpus, trad_mask):
    return corpus.keyness_subset(trad_mask, measures=("all",), correction="bh").to_pandas()


def _g2_numpy(a, b, n1, n2):
    n = n1 + n2
    obs = np.stack([a, b, n1 - a, n2 - b]).astype(float)
    r1 = a + b
    exp = np.stack([r1 * n1 / n, r1 * n2 / n, (n - r1) * n1 / n, (n - r1) * n2 / n])
    return 2 * (special.xlogy(obs, obs) - special.xlogy(obs, exp)).sum(axis=0)


def test_counts_and_family(corpus, trad_mask, full):
    t = corpus.subset(trad_mask).frequencies().to_pandas().set_index("term")["count"]
    s = corpus.subset(~trad_mask).frequencies().to_pandas().set_index("term")["count"]
    union = t.index.union(s.index)
    assert len(full) == len(union)
    df = full.set_index("term")
    assert (df["a"] == t.reindex(df.index, fill_value=0)).all()
    assert (df["b"] == s.reindex(df.index, fill_value=0)).all()
    assert (df["n1"] == t.sum()).all() and (df["n2"] == s.sum()).all()
    # terms only in one side are present
    assert ((df["a"] == 0) & (df["b"] > 0)).any() and ((df["b"] == 0) & (df["a"] > 0)).any()


def test_measures_against_numpy_scipy(full):
    a = full["a"].to_numpy(float)
    b = full["b"].to_numpy(float)
    n1 = float(full["n1"][0])
    n2 = float(full["n2"][0])
    n = n1 + n2
    g2 = _g2_numpy(a, b, n1, n2)
    np.testing.assert_allclose(full["g2"], g2, rtol=1e-9, atol=1e-9)
    e1, e2 = (a + b) * n1 / n, (a + b) * n2 / n
    g2t = 2 * (special.xlogy(a, a) - special.xlogy(a, e1) + special.xlogy(b, b)
               - special.xlogy(b, e2))
    np.testing.assert_allclose(full["g2_2term"], g2t, rtol=1e-9, atol=1e-9)
    chi2 = n * (a * (n2 - b) - b * (n1 - a)) ** 2 / ((a + b) * (n - a - b) * n1 * n2)
    np.testing.assert_allclose(full["chi2"], chi2, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(full["p"], stats.chi2.sf(g2, 1), rtol=1e-9, atol=1e-300)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(full["pmi"], np.log2(a / e1), rtol=1e-12)
    aa, bb = np.where(a == 0, 0.5, a), np.where(b == 0, 0.5, b)
    np.testing.assert_allclose(full["log_ratio"], np.log2((aa / n1) / (bb / n2)), rtol=1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100 * ((a / n1) - (b / n2)) / (b / n2)
        rr = (a / n1) / (b / n2)
        orat = a * (n2 - b) / (b * (n1 - a))
    np.testing.assert_allclose(full["pct_diff"], pct, rtol=1e-10)
    assert np.isposinf(full["pct_diff"][b == 0]).all()
    np.testing.assert_allclose(full["relative_risk"], rr, rtol=1e-12)
    np.testing.assert_allclose(full["odds_ratio"], orat, rtol=1e-12)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(full["log_odds_ratio"], np.log(orat), rtol=1e-12)
    np.testing.assert_allclose(full["diff_coefficient"],
                               (a / n1 - b / n2) / (a / n1 + b / n2), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(full["simple_maths"],
                               (a / n1 * 1e6 + 1) / (b / n2 * 1e6 + 1), rtol=1e-12)
    np.testing.assert_allclose(full["bic"], g2 - np.log(n), rtol=1e-9, atol=1e-9)
    emin = np.minimum(e1, e2)
    np.testing.assert_allclose(full["ell"], g2 / (n * np.log(emin)), rtol=1e-8, atol=1e-15)
    np.testing.assert_allclose(full["per_million_a"], a / n1 * 1e6, rtol=1e-12)
    d = np.sign(a / n1 - b / n2)
    expect = np.where(d > 0, "positive", np.where(d < 0, "negative", "none"))
    assert (full["direction"].to_numpy(str) == expect).all()


def test_weighted_log_odds_as_tidylo(full):
    """tidylo::bind_log_odds on the complete set x feature table (explicit zero rows)."""
    import pandas as pd

    a = full["a"].to_numpy(float)
    b = full["b"].to_numpy(float)
    tidy = pd.DataFrame({"set": ["t"] * len(a) + ["r"] * len(b),
                         "feature": list(full["term"]) * 2, "n": np.concatenate([a, b])})
    alpha = tidy.groupby("feature")["n"].transform("sum")
    tidy["y_wi"] = tidy["n"] + alpha
    tidy["y_w"] = tidy.groupby("feature")["y_wi"].transform("sum")
    tidy["n_i"] = tidy.groupby("set")["y_wi"].transform("sum")
    total = tidy["y_wi"].sum()
    omega_wi = tidy["y_wi"] / (tidy["n_i"] - tidy["y_wi"])
    omega_w = tidy["y_w"] / (total - tidy["y_w"])
    zeta = (np.log(omega_wi) - np.log(omega_w)) / np.sqrt(1 / tidy["y_wi"] + 1 / tidy["y_w"])
    expect = zeta[tidy["set"] == "t"].to_numpy()
    np.testing.assert_allclose(full["weighted_log_odds"], expect, rtol=1e-9)


def test_lrc_lockwords_against_beta_ppf(full):
    a = full["a"].to_numpy(float)
    b = full["b"].to_numpy(float)
    n1 = float(full["n1"][0])
    n2 = float(full["n2"][0])
    m = len(full)
    tail = 0.05 / 2 / m
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = stats.beta.ppf(tail, a, b + 1)
        up = stats.beta.isf(tail, a + 1, b)
        lrr_lo = np.log2(n2 / n1 * lo / (1 - lo))
        lrr_up = np.log2(n2 / n1 * up / (1 - up))
    lrr_lo[a == 0] = -np.inf
    lrr_up[b == 0] = np.inf
    pos = a / n1 >= b / n2
    lrc = np.where(pos, np.maximum(lrr_lo, 0), np.minimum(lrr_up, 0))
    np.testing.assert_allclose(full["lrc"], lrc, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(full["lockwords"], np.maximum(abs(lrr_lo), abs(lrr_up)),
                               rtol=1e-7)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo1 = stats.beta.ppf(0.05 / m, a, b + 1)
        plrc = np.log2(n2 / n1 * lo1 / (1 - lo1))
    plrc[a == 0] = -np.inf
    np.testing.assert_allclose(full["positive_lrc"], plrc, rtol=1e-7)


def test_fisher_against_scipy(full):
    n1 = int(full["n1"][0])
    n2 = int(full["n2"][0])
    rows = full.sort_values("g2", ascending=False).head(40)
    for a, b, orv, p in zip(rows["a"], rows["b"], rows["fisher_or"], rows["fisher_p"]):
        tab = [[int(a), n1 - int(a)], [int(b), n2 - int(b)]]
        assert p == pytest.approx(stats.fisher_exact(tab)[1], rel=1e-6, abs=1e-300)
        est = stats.contingency.odds_ratio(tab, kind="conditional").statistic
        if np.isfinite(est) and est > 0:
            assert orv == pytest.approx(est, rel=1e-6)
        else:
            assert orv == est


@pytest.mark.parametrize("method", ["bonferroni", "holm", "sidak", "bh"])
def test_corrections(corpus, trad_mask, method):
    t = corpus.keyness_subset(trad_mask, measures="g2", correction=method,
                              min_count=3, top=50).to_pandas()
    fam = corpus.keyness_subset(trad_mask, measures="g2").to_pandas()
    m = len(fam)
    p = fam["p"].to_numpy()
    if method == "bh":
        adj = stats.false_discovery_control(p, method="bh")
    elif method == "bonferroni":
        adj = np.minimum(1, p * m)
    elif method == "sidak":
        adj = -np.expm1(m * np.log1p(-p))  # 1 - (1 - p)^m without cancellation
    else:
        order = np.argsort(p, kind="stable")
        s = np.minimum(1, np.maximum.accumulate(p[order] * (m - np.arange(m))))
        adj = np.empty(m)
        adj[order] = s
    ref = dict(zip(fam["term"], adj))
    # the family stays the union even with min_count and top
    assert len(t) == 50
    np.testing.assert_allclose(t["p_adj"], [ref[w] for w in t["term"]], rtol=1e-9, atol=1e-15)


def test_continuity_against_scipy(corpus, trad_mask):
    t = corpus.keyness_subset(trad_mask, measures=("chi2", "g2"), continuity="yates",
                              top=30).to_pandas()
    n1, n2 = int(t["n1"][0]), int(t["n2"][0])
    for a, b, chi2, g2 in zip(t["a"], t["b"], t["chi2"], t["g2"]):
        tab = np.array([[a, n1 - a], [b, n2 - b]])
        assert chi2 == pytest.approx(stats.chi2_contingency(tab, correction=True)[0],
                                     rel=1e-9)
        assert g2 == pytest.approx(stats.chi2_contingency(tab, correction=True,
                                                          lambda_="log-likelihood")[0],
                                   rel=1e-8)
    w = corpus.keyness_subset(trad_mask, measures=("g2",), continuity="williams").to_pandas()
    plain = corpus.keyness_subset(trad_mask, measures=("g2",)).to_pandas().set_index("term")
    a, b = w["a"].to_numpy(float), w["b"].to_numpy(float)
    n1, n2 = float(w["n1"][0]), float(w["n2"][0])
    n = n1 + n2
    q = 1 + (n / (a + b) + n / (n - a - b) - 1) * (n / n1 + n / n2 - 1) / (6 * n)
    np.testing.assert_allclose(w["g2"], plain.loc[w["term"], "g2"].to_numpy() / q, rtol=1e-12)


def test_quanteda_compat(corpus, trad_mask):
    """compat="quanteda" reproduces quanteda.textstats src/keyness.cpp (correction="none":
    signed statistics, 1e-9 inside the logs, natural-log pmi)."""
    t = corpus.keyness_subset(trad_mask, measures=("chi2", "g2", "pmi"),
                              compat="quanteda").to_pandas()
    a, b = t["a"].to_numpy(float), t["b"].to_numpy(float)
    n1, n2 = float(t["n1"][0]), float(t["n2"][0])
    c, d = n1 - a, n2 - b
    n = n1 + n2
    e = (a + b) * (a + c) / n
    sign = np.where(a > e, 1.0, -1.0)
    eps = 1e-9
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = 2 * (a * np.log(a / ((a + b) * (a + c) / n) + eps)
                  + b * np.log(b / ((a + b) * (b + d) / n) + eps)
                  + c * np.log(c / ((a + c) * (c + d) / n) + eps)
                  + d * np.log(d / ((b + d) * (c + d) / n) + eps)) * sign
    chi2 = n * np.abs(a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d) * sign)
    np.testing.assert_allclose(t["g2"], lr, rtol=1e-9)
    np.testing.assert_allclose(t["chi2"], chi2, rtol=1e-9)
    np.testing.assert_allclose(t["pmi"], np.log(a / e + eps), rtol=1e-12)
    np.testing.assert_allclose(t["p"], stats.chi2.sf(np.abs(lr), 1), rtol=1e-8, atol=1e-300)
    # textbook G2 is |quanteda G2| up to the epsilon (2 N 1e-9 at most: 1.8e-5 here)
    tb = corpus.keyness_subset(trad_mask, measures=("g2",)).to_pandas().set_index("term")
    np.testing.assert_allclose(np.abs(t["g2"]), tb.loc[t["term"], "g2"], rtol=0,
                               atol=4 * n * 1e-9)


def test_documents_against_scipy(corpus, trad_mask):
    t = corpus.keyness_subset(trad_mask, documents=True, correction="holm").to_pandas()
    trad = corpus.subset(trad_mask)
    simp = corpus.subset(~trad_mask)

    def rel(c):
        rows = []
        for i in range(len(c)):
            toks = c.tokens(i)["term"]
            vc = toks.value_counts()
            rows.append(vc / len(toks))
        return rows

    rt, rs = rel(trad), rel(simp)
    sample = t.sort_values("mwu_p").head(15)["term"].tolist() + ["deepseek", "的"]
    for term in sample:
        x = np.array([r.get(term, 0.0) for r in rt])
        y = np.array([r.get(term, 0.0) for r in rs])
        row = t[t["term"] == term].iloc[0]
        u = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
        assert row["mwu_u"] == pytest.approx(u.statistic, rel=1e-12)
        assert row["mwu_p"] == pytest.approx(u.pvalue, rel=1e-9)
        w = stats.ttest_ind(x, y, equal_var=False)
        if np.isfinite(w.statistic):
            assert row["welch_t"] == pytest.approx(w.statistic, rel=1e-9)
            assert row["welch_p"] == pytest.approx(w.pvalue, rel=1e-7)
        pooled = math.sqrt(((len(x) - 1) * x.var(ddof=1) + (len(y) - 1) * y.var(ddof=1))
                           / (len(x) + len(y) - 2))
        if pooled > 0:
            assert row["cohens_d"] == pytest.approx((x.mean() - y.mean()) / pooled, rel=1e-9)
        assert row["mean_pm_a"] == pytest.approx(x.mean() * 1e6, rel=1e-12)
    assert int(t["n1"][0]) == 2 and int(t["n2"][0]) == 3
    parts = corpus.keyness_docs(corpus, parts=4, measures="mwu").meta
    assert parts["parts"] == "equal" and parts["n1"] == "4"


def test_reference_as_frequency_list(corpus, trad_mask, tmp_path):
    trad, simp = corpus.subset(trad_mask), corpus.subset(~trad_mask)
    base = trad.keyness(simp, measures=("g2", "lrc")).to_pandas()
    path = tmp_path / "ref.tsv"
    simp.frequencies().to_tsv(path, columns=["term", "count", "doc_count"])
    fl = ls.read_frequency_list(path)
    t = trad.keyness(fl, measures=("g2", "lrc")).to_pandas()
    np.testing.assert_allclose(t["g2"], base["g2"], rtol=1e-12)
    t2 = trad.keyness(str(path), measures=("g2", "lrc")).to_pandas()
    assert (t2["term"] == base["term"]).all()
    saved = tmp_path / "ref.lstab"
    simp.frequencies().save(saved)
    t3 = trad.keyness(str(saved), by="range").to_pandas()
    assert int(t3["n2"][0]) == 3
    with pytest.raises(ls.InvalidArgumentError, match="n_docs"):
        trad.keyness(fl, by="range")
    # range keyness: counts are document counts
    r = trad.keyness(simp, by="range", measures="g2").to_pandas().set_index("term")
    assert r.loc["deepseek", "a"] == 2 and r.loc["deepseek", "b"] == 3


def test_settings_mismatch_warns(corpus, trad_mask):
    trad = corpus.subset(trad_mask)
    other = ls.Corpus.from_texts(["DeepSeek 模型 發布", "AI 模型"], lowercase=False)
    with pytest.warns(UserWarning, match="lowercase"):
        trad.keyness(other)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trad.keyness(corpus.subset(~trad_mask))


def test_selection_sorting(corpus, trad_mask):
    neg = corpus.keyness_subset(trad_mask, measures=("log_ratio", "g2"), select="negative",
                                top=10).to_pandas()
    assert (neg["direction"] == "negative").all() and len(neg) == 10
    assert (np.diff(neg["log_ratio"]) >= 0).all()
    pos = corpus.keyness_subset(trad_mask, measures="log_ratio", select="positive",
                                sort_by="g2" if False else "log_ratio").to_pandas()
    assert (pos["direction"] == "positive").all()
    assert (np.diff(pos["log_ratio"]) <= 0).all()
    lk = corpus.keyness_subset(trad_mask, measures="lockwords", min_count=20).to_pandas()
    v = lk["lockwords"].to_numpy()
    assert (v[:-1] <= v[1:]).all()
    assert ((lk["a"] + lk["b"]) >= 20).all()
    with pytest.raises(ls.InvalidArgumentError, match="unknown keyness measure"):
        corpus.keyness_subset(trad_mask, measures="nope")
    with pytest.raises(ls.InvalidArgumentError, match="correction"):
        corpus.keyness_subset(trad_mask, correction="fdr")
    with pytest.raises(ls.NotFoundError):
        corpus.keyness_subset(trad_mask, sort_by="zzz")


def test_degenerate(corpus):
    empty = ls.Corpus.from_texts([""])
    with pytest.raises(ls.InvalidArgumentError, match="reference is empty"):
        corpus.keyness(empty)
    with pytest.raises(ls.InvalidArgumentError, match="target is empty"):
        empty.keyness(corpus)
    with pytest.raises(ls.InvalidArgumentError, match="no document"):
        corpus.keyness_subset([False] * len(corpus))
    with pytest.raises(ls.InvalidArgumentError, match="every document"):
        corpus.keyness_subset([True] * len(corpus))
    # identical corpora: every g2 is 0, p = 1, direction none
    same = corpus.keyness(corpus, measures=("g2", "log_ratio", "lrc")).to_pandas()
    assert np.allclose(same["g2"], 0) and np.allclose(same["p"], 1)
    assert (same["direction"] == "none").all() and (same["lrc"] == 0).all()


def test_published_examples():
    """UCREL LL calculator (52 in 50,000 vs 57 in 75,000: LL = 2.65), Hardie's Log Ratio note
    (0.0006 vs 0.0002: ratio 3), Sketch Engine's simple maths page (1.1224)."""
    def tab(counts, total):
        import tempfile

        fh = tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8")
        fh.write(f"word\t{counts}\nrest\t{total - counts}\n")
        fh.close()
        return ls.read_frequency_list(fh.name)

    t = ls.keyness(tab(52, 50000), tab(57, 75000), measures="g2_2term").to_pandas()
    assert round(float(t.set_index("term").loc["word", "g2_2term"]), 2) == 2.65
    t = ls.keyness(tab(6, 10000), tab(2, 10000), measures="log_ratio").to_pandas()
    assert t.set_index("term").loc["word", "log_ratio"] == pytest.approx(math.log2(3))
    t = ls.keyness(tab(35, 112289776), tab(263, 1559716979), measures="simple_maths")
    assert t.to_pandas().set_index("term").loc["word", "simple_maths"] == pytest.approx(
        1.1224, abs=5e-5)


def test_cli(tmp_path):
    d = ls.datasets.deepseek_dir()
    rows = ls.datasets.deepseek_manifest()
    trad = [str(d / r["file"]) for r in rows if r["script"] == "Traditional"]
    simp = [str(d / r["file"]) for r in rows if r["script"] == "Simplified"]
    out = subprocess.run([sys.executable, "-m", "libstats", "keyness", *trad, "--reference",
                          *simp, "--measure", "g2", "--measure", "log_ratio", "--correction",
                          "bh", "--top", "5", "--format", "tsv", "--no-progress"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    header = out[0].split("\t")
    assert header[:2] == ["rank", "term"] and "p_adj" in header and "log_ratio" in header
    assert len(out) == 6
    neg = subprocess.run([sys.executable, "-m", "libstats", "keyness", *trad, "--reference",
                          *simp, "--negative", "--top", "3", "--format", "tsv",
                          "--no-progress"], capture_output=True, text=True, check=True)
    assert all(line.endswith("negative") for line in neg.stdout.splitlines()[1:])
    ref = tmp_path / "ref.tsv"
    ls.Corpus.from_files(simp).frequencies().to_tsv(ref, columns=["term", "count"])
    fl = subprocess.run([sys.executable, "-m", "libstats", "keyness", *trad, "--reference",
                         str(ref), "--top", "3", "--format", "tsv", "--no-progress"],
                        capture_output=True, text=True, check=True)
    assert fl.stdout.splitlines()[1].split("\t")[1] == out[1].split("\t")[1]

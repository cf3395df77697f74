"""Collocations: cross-checks against NLTK and scipy, literature examples, zero cells, CLI."""

import math
import random

import numpy as np
import pytest

import libstats as ls
from libstats.colloc import MEASURES, assoc_score

nltk_coll = pytest.importorskip("nltk.collocations")
nltk_assoc = pytest.importorskip("nltk.metrics.association")
scipy_stats = pytest.importorskip("scipy.stats")

REL = 1e-9

TEXT = """The quick brown fox jumps over the lazy dog. The lazy dog sleeps in the sun.
A quick brown dog jumps over the quick brown fox. New York is a big city; New York never sleeps.
The city of New York has a lazy river and a quick train. The brown fox and the lazy dog are friends.
Machine learning and deep learning are parts of artificial intelligence; machine learning is old.
Deep learning needs data, and artificial intelligence needs machine learning and deep learning.
"""


def close(a, b, rel=REL):
    if isinstance(b, float) and math.isnan(b):
        return math.isnan(a)
    if isinstance(b, float) and math.isinf(b):
        return a == b
    return abs(a - b) <= rel * max(abs(b), 1e-12)


@pytest.fixture(scope="module")
def corpus():
    # several copies so that counts are > 1; one document, no sentence boundaries
    return ls.Corpus.from_texts([TEXT * 3], sentences="none")


@pytest.fixture(scope="module")
def tokens(corpus):
    return list(corpus.tokens(0)["term"])


def rows(table, k):
    df = table.to_pandas()
    cols = [f"w{i + 1}" for i in range(k)]
    return {tuple(r[c] for c in cols): r for _, r in df.iterrows()}


def test_bigram_counts_and_measures_match_nltk(corpus, tokens):
    finder = nltk_coll.BigramCollocationFinder.from_words(tokens)
    bam = nltk_assoc.BigramAssocMeasures
    t = corpus.collocations(measures=("pmi", "g2", "chi2", "t", "dice", "jaccard", "phi2",
                                      "poisson_stirling", "fisher"),
                            compat="nltk", sentence_bounded=False)
    got = rows(t, 2)
    assert len(got) == len(finder.ngram_fd)
    scores = {name: dict(finder.score_ngrams(fn)) for name, fn in [
        ("pmi", bam.pmi), ("g2", bam.likelihood_ratio), ("chi2", bam.chi_sq),
        ("t", bam.student_t), ("dice", bam.dice), ("jaccard", bam.jaccard),
        ("phi2", bam.phi_sq), ("poisson_stirling", bam.poisson_stirling)]}
    fisher = dict(finder.score_ngrams(bam.fisher))
    n = finder.word_fd.N()
    for pair, r in got.items():
        assert r["o11"] == finder.ngram_fd[pair]
        assert r["r1"] == finder.word_fd[pair[0]] and r["c1"] == finder.word_fd[pair[1]]
        assert r["n"] == n
        for name, sc in scores.items():
            # NLTK's t adds 1e-20 under the root and g2 adds 1e-20 inside the log
            assert close(r[name], sc[pair], 1e-9 if name not in ("t",) else 1e-8), (name, pair)
        assert close(r["fisher"], fisher[pair], 1e-9)


def test_bigram_textbook_positional_counts(corpus, tokens):
    t = corpus.collocations(measures=("frequency",), sentence_bounded=False)
    got = rows(t, 2)
    pairs = list(zip(tokens, tokens[1:]))
    from collections import Counter

    joint, first, second = Counter(pairs), Counter(a for a, _ in pairs), Counter(
        b for _, b in pairs)
    for p, r in got.items():
        assert r["o11"] == joint[p] and r["r1"] == first[p[0]] and r["c1"] == second[p[1]]
        assert r["n"] == len(pairs)
        assert close(r["e11"], first[p[0]] * second[p[1]] / len(pairs))


@pytest.mark.parametrize("n", [3, 4])
def test_ngram_measures_match_nltk(corpus, tokens, n):
    if n == 3:
        finder = nltk_coll.TrigramCollocationFinder.from_words(tokens)
        am = nltk_assoc.TrigramAssocMeasures
    else:
        finder = nltk_coll.QuadgramCollocationFinder.from_words(tokens)
        am = nltk_assoc.QuadgramAssocMeasures
    t = corpus.collocations(n=n, measures=("frequency", "pmi", "g2", "chi2", "t",
                                           "poisson_stirling", "jaccard"),
                            compat="nltk", sentence_bounded=False)
    got = rows(t, n)
    assert len(got) == len(finder.ngram_fd)
    scores = {name: dict(finder.score_ngrams(fn)) for name, fn in [
        ("pmi", am.pmi), ("g2", am.likelihood_ratio), ("chi2", am.chi_sq),
        ("t", am.student_t), ("poisson_stirling", am.poisson_stirling),
        ("jaccard", am.jaccard)]}
    for gram, r in got.items():
        assert r["o11"] == finder.ngram_fd[gram]
        for name, sc in scores.items():
            assert close(r[name], sc[gram], 1e-8), (name, gram, r[name], sc[gram])


def test_lambda_bigram_is_smoothed_log_odds(corpus):
    t = corpus.collocations(measures=("lambda", "lambda_z"), sentence_bounded=False).to_pandas()
    for _, r in t.iterrows():
        a, b, c = r["o11"], r["r1"] - r["o11"], r["c1"] - r["o11"]
        d = r["n"] - r["r1"] - r["c1"] + r["o11"]
        lam = math.log((a + .5) * (d + .5) / ((b + .5) * (c + .5)))
        assert close(r["lambda"], lam, 1e-12)
        se = math.sqrt(sum(1 / (x + .5) for x in (a, b, c, d)))
        assert close(r["lambda_z"], lam / se, 1e-12)


@pytest.mark.parametrize("w", [2, 3, 5])
def test_window_counts_match_nltk(corpus, tokens, w):
    finder = nltk_coll.BigramCollocationFinder.from_words(tokens, window_size=w + 1)
    t = corpus.cooccurrence(window=w, measures=("pmi", "g2", "dice"), sentence_bounded=False,
                            compat="nltk")
    got = rows(t, 2)
    assert len(got) == len(finder.ngram_fd)
    bam = nltk_assoc.BigramAssocMeasures
    pmi = dict(finder.score_ngrams(bam.pmi))
    g2 = dict(finder.score_ngrams(bam.likelihood_ratio))
    for pair, r in got.items():
        assert r["o11"] == finder.ngram_fd[pair]
        assert close(r["pmi"], pmi[pair], 1e-9)
        assert close(r["g2"], g2[pair], 1e-9)


def test_collocates_left_right_by_hand():
    c = ls.Corpus.from_texts(["x a y z a", "a q"], sentences="none")
    t = c.collocates("a", window=(2, 1), measures=("frequency",)).to_pandas().set_index(
        "collocate")
    # doc0: a@1: left x, right y; a@4: left y z, right -; doc1: a@0: right q
    assert t.loc["y", "left"] == 1 and t.loc["y", "right"] == 1 and t.loc["y", "o11"] == 2
    assert t.loc["z", "left"] == 1 and t.loc["q", "right"] == 1 and t.loc["x", "left"] == 1
    assert t["r1"].iloc[0] == 2 + 2 + 1
    assert t.loc["y", "n"] == 7


def test_collocates_sentences_not_crossed():
    c = ls.Corpus.from_texts(["One two node. Three four."])
    t = c.collocates("node", window=(5, 5))
    assert set(t.to_pandas()["collocate"]) == {"one", "two"}
    t = c.collocates("node", window=(5, 5), sentence_bounded=False)
    assert set(t.to_pandas()["collocate"]) == {"one", "two", "three", "four"}


def test_filters_and_topk(corpus):
    t = corpus.collocations(measures=("g2",), min_count=2, top=5, stopwords=["the", "a"])
    df = t.to_pandas()
    assert len(df) == 5 and (df["o11"] >= 2).all()
    assert not set(df["w1"]).intersection({"the", "a"})
    assert list(df["g2"]) == sorted(df["g2"], reverse=True)
    full = corpus.collocations(measures=("g2",), min_count=2, stopwords=["the", "a"])
    assert list(full.to_pandas()["g2"][:5]) == list(df["g2"])
    p = corpus.collocations(measures=("fisher",), top=3).to_pandas()
    assert list(p["fisher"]) == sorted(p["fisher"])  # p-values ascend


def test_errors(corpus):
    with pytest.raises(ls.LibstatsError):
        corpus.collocations(measures=("nope",))
    with pytest.raises(ls.LibstatsError):
        corpus.collocations(n=3, measures=("dice",))
    with pytest.raises(ValueError):
        corpus.collocations(alpha=2)


def test_fisher_and_chi2_match_scipy():
    rng = random.Random(4)
    tables = [(3, 1, 1, 3), (10, 0, 2, 30), (0, 5, 7, 9), (150, 12443, 782, 14294293),
              (1, 12592, 931, 14294144), (40, 60, 1000, 98900)]
    for _ in range(40):
        tables.append(tuple(rng.randint(0, 60) for _ in range(4)))
    for a, b, c, d in tables:
        # scipy 1.17's hypergeometric tails lose ~1e-9 relative at N ~ 1e7 (see the exact
        # check below); small tables agree to 1e-9
        rel = 1e-9 if a + b + c + d < 10**5 else 1e-8
        g = scipy_stats.fisher_exact([[a, b], [c, d]], alternative="greater")[1]
        assert close(assoc_score("fisher", a, b, c, d), g, rel), (a, b, c, d)
        l2 = scipy_stats.fisher_exact([[a, b], [c, d]], alternative="less")[1]
        assert close(assoc_score("fisher_less", a, b, c, d), l2, rel)
        if a + b + c + d < 2000:  # two-sided ties differ by tolerance only on huge tables
            two = scipy_stats.fisher_exact([[a, b], [c, d]])[1]
            assert close(assoc_score("fisher_two_sided", a, b, c, d), two, 1e-7)
        if min(a + b, c + d, a + c, b + d) > 0:
            obs = np.array([[a, b], [c, d]], dtype=float)
            chi = scipy_stats.chi2_contingency(obs, correction=False)[0]
            assert close(assoc_score("chi2", a, b, c, d), chi, 1e-9)
            yates = scipy_stats.chi2_contingency(obs, correction=True)[0]
            assert close(assoc_score("chi2_yates", a, b, c, d), yates, 1e-9)
            g2 = scipy_stats.chi2_contingency(obs, correction=False,
                                              lambda_="log-likelihood")[0]
            assert close(assoc_score("g2", a, b, c, d), g2, 1e-9)
            p = scipy_stats.chi2.sf(g2, 1)
            assert close(assoc_score("g2_p", a, b, c, d), p, 1e-9)


def test_fisher_exact_rational():
    from fractions import Fraction

    a, b, c, d = 1, 12592, 931, 14294144
    r2, c1, n = c + d, a + c, a + b + c + d
    p0 = Fraction(1)
    for i in range(c1):
        p0 *= Fraction(r2 - i, n - i)
    assert close(assoc_score("fisher", a, b, c, d), float(1 - p0), 1e-14)
    assert close(assoc_score("fisher_less", 0, b + 1, c + 1, d - 1), float(p0), 1e-12)


def test_literature_examples():
    n = 14307668  # Manning & Schuetze (1999), ch. 5
    # Table 5.6 / 5.14: Ayatollah Ruhollah, C(w1)=42, C(w2)=20, C(w1 w2)=20
    a, r1, c1 = 20, 42, 20
    cells = (a, r1 - a, c1 - a, n - r1 - c1 + a)
    assert abs(assoc_score("t", *cells) - 4.4721) < 5e-5
    assert abs(assoc_score("pmi", *cells) - 18.38) < 5e-3
    # section 5.3.3: chi2 of "new companies" = 1.55
    assert abs(assoc_score("chi2", 8, 15820, 4667, 14287181) - 1.55) < 5e-3
    # Table 5.12: -2 log lambda of "most powerful" = 1291.42
    a, r1, c1 = 150, 12593, 932
    assert abs(assoc_score("g2", a, r1 - a, c1 - a, n - r1 - c1 + a) - 1291.42) < 0.13
    # Fisher's tea tasting: P = 17/70
    assert close(assoc_score("fisher", 3, 1, 1, 3), 17 / 70, 1e-12)
    # Hardie (2014): log ratio 1 = twice as frequent
    assert close(assoc_score("log_ratio", 20, 999980, 10, 999990), 1.0, 1e-12)
    # Rychly (2008): logDice has its maximum 14 when the words always co-occur
    assert assoc_score("logdice", 50, 0, 0, 950) == 14.0


def test_zero_cells_documented_values():
    assert assoc_score("pmi", 0, 10, 10, 80) == -math.inf
    assert math.isnan(assoc_score("pmi", 0, 0, 0, 0))
    assert assoc_score("g2", 0, 0, 0, 0) == 0.0
    assert assoc_score("odds_ratio", 10, 0, 0, 80) == math.inf
    assert math.isnan(assoc_score("odds_ratio", 0, 0, 5, 5))
    assert assoc_score("log_ratio", 8, 999992, 0, 1000000) == pytest.approx(4.0)
    assert assoc_score("fisher", 0, 0, 0, 0) == 1.0
    for m in MEASURES:  # never raises, never traps
        for cells in [(0, 0, 0, 0), (1, 0, 0, 0), (0, 5, 5, 0), (5, 0, 0, 5)]:
            assoc_score(m, *cells)


def test_conservative_variants_demote_rare_pairs():
    def cells(o, r1, c1, n=10**6):
        return (o, r1 - o, c1 - o, n - r1 - c1 + o)

    rare = cells(1, 4, 4)       # pmi 15.9 from one occurrence
    common = cells(20, 30, 30)  # pmi 14.4 from twenty
    assert assoc_score("pmi", *rare) > assoc_score("pmi", *common)
    assert assoc_score("pmi_cons", *rare) < assoc_score("pmi_cons", *common)
    assert 0 < assoc_score("log_ratio_cons", *common) < assoc_score("log_ratio", *common)


def test_dispersion_column():
    c = ls.Corpus.from_texts(["new york", "new york is big", "old york"])
    t = c.collocations(measures=("frequency",)).to_pandas().set_index(["w1", "w2"])
    assert t.loc[("new", "york"), "doc_count"] == 2 and t.loc[("new", "york"), "o11"] == 2


def test_cli(tmp_path, capsys):
    from libstats.cli import main

    p = tmp_path / "a.txt"
    p.write_text(TEXT * 2, encoding="utf-8")
    assert main(["colloc", str(p), "--measure", "g2", "--measure", "logdice", "--top", "3",
                 "--format", "tsv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("\t")[:3] == ["rank", "w1", "w2"] and len(out) == 4
    assert "logdice" in out[0]
    assert main(["collocates", "learning", str(p), "--window", "2,2", "--format", "tsv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "left" in out[0] and any(line.split("\t")[1] == "deep" for line in out[1:])


@pytest.fixture(scope="module")
def big():
    """Large enough for the threaded paths (over 65,536 rows, over 2^20 window pairs):
    Zipf-distributed words over 40 documents with sentences."""
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(30000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    docs = []
    for _ in range(40):
        words = rng.choices(vocab, weights, k=8000)
        sents = [" ".join(words[i:i + 20]) + " ." for i in range(0, len(words), 20)]
        docs.append("\n".join(sents))
    c = ls.Corpus.from_texts(docs, tokenizer="whitespace", sentences="lines", keep_punct=True)
    seqs = [[list(c.tokens(d)["term"])] for d in range(len(c))]
    return c, seqs


def _pairs_by_hand(seqs, window):
    """(w1, w2) -> (count, documents), within sentences (the '.' ends each line)."""
    from collections import Counter, defaultdict
    cnt, docs = Counter(), defaultdict(set)
    for d, (toks,) in enumerate(seqs):
        sent = []
        for t in toks + ["."]:
            sent.append(t)
            if t == ".":
                for i, a in enumerate(sent):
                    for b in sent[i + 1:i + 1 + window]:
                        cnt[a, b] += 1
                        docs[a, b].add(d)
                sent = []
    return cnt, docs


@pytest.mark.parametrize("kind", ["bigram", "window"])
def test_threads_give_the_same_table(big, kind):
    c, seqs = big
    call = ((lambda **k: c.collocations(measures=("g2", "pmi"), **k)) if kind == "bigram"
            else (lambda **k: c.cooccurrence(window=4, measures=("g2", "pmi"), **k)))
    one, two = call(n_threads=1).to_pandas(), call(n_threads=2).to_pandas()
    assert len(one) > 65536
    assert one.equals(two)
    cnt, docs = _pairs_by_hand(seqs, 1 if kind == "bigram" else 4)
    assert len(one) == len(cnt)
    for w1, w2, o11, dc in one[["w1", "w2", "o11", "doc_count"]].itertuples(index=False):
        assert cnt[w1, w2] == o11 and len(docs[w1, w2]) == dc
    # the documented order: g2 descending, then o11 descending, then the terms bytewise
    key = [(-g, -o, a.encode(), b.encode())
           for g, o, a, b in one[["g2", "o11", "w1", "w2"]].itertuples(index=False)]
    assert key == sorted(key)


def test_threads_topk_is_the_head(big):
    c, _ = big
    full = c.cooccurrence(window=4, measures=("logdice",)).to_pandas()
    top = c.cooccurrence(window=4, measures=("logdice",), top=1000, n_threads=2).to_pandas()
    assert top.equals(full.head(1000))

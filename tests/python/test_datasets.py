"""The bundled DeepSeek sample corpus."""

import libstats as ls
from libstats import datasets


def test_deepseek():
    manifest = datasets.deepseek_manifest()
    assert len(manifest) == 5
    with ls.datasets.deepseek() as c:
        assert len(c) == 5
        assert c.names == [r["file"][:-4] for r in manifest]
        assert c.names[0] == "000_a7d02d31f2581e8c"
        md = c.metadata
        assert list(md.columns) == ["title", "script", "notes", "cleanup"]
        assert (md["cleanup"] == "pinyin_annotations").all()
        assert md["script"].tolist() == [r["script"] for r in manifest]
        assert md["script"].tolist() == ["Traditional", "Simplified", "Simplified",
                                         "Traditional", "Simplified"]
        s = c.summary()
        assert s["title"].tolist() == [r["title"] for r in manifest]
        assert (s["tokens"] > 100).all()
        assert c.n_tokens == int(s["tokens"].sum())
        top = c.frequencies().top(20)
        assert len(top) == 20
        assert "deepseek" in top["term"].tolist()
        trad = c.subset(lambda row: row["script"] == "Traditional")
        assert trad.names == [c.names[0], c.names[3]]


def test_deepseek_options():
    with ls.datasets.deepseek(tokenizer="han", keep_text=False) as c:
        assert c.options["tokenizer"] == "han"
        assert len(c) == 5


def test_data_files_installed():
    d = datasets.deepseek_dir()
    assert (d / "MANIFEST.tsv").is_file()
    assert len(list(d.glob("*.txt"))) == 5

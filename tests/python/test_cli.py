"""The command line, run as `python -m libstats` in a subprocess."""

import csv
import io
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from libstats import cli

from conftest import CAT_COUNTS, CAT_TEXT


def run(*args, input=None, check=True):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    p = subprocess.run([sys.executable, "-m", "libstats", *args], input=input,
                       capture_output=True, env=env, timeout=120, cwd="/")
    if check and p.returncode != 0:
        raise AssertionError(f"exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p


def tsv_rows(out: bytes):
    return list(csv.DictReader(io.StringIO(out.decode("utf-8")), delimiter="\t",
                               quoting=csv.QUOTE_NONE))


@pytest.fixture
def cat_file(tmp_path):
    p = tmp_path / "cat.txt"
    p.write_text(CAT_TEXT, encoding="utf-8")
    return p


def test_freq_tsv_default_when_piped(cat_file):
    p = run("freq", str(cat_file))
    rows = tsv_rows(p.stdout)
    assert list(rows[0].keys())[:2] == ["rank", "term"]
    assert {r["term"]: int(r["count"]) for r in rows} == CAT_COUNTS
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    assert p.stderr == b""


def test_freq_json(cat_file):
    p = run("freq", str(cat_file), "--format", "json", "--top", "2")
    data = json.loads(p.stdout)
    assert [(d["term"], d["count"]) for d in data] == [("the", 3), ("cat", 2)]
    assert data[0]["rank"] == 1 and "per_million" in data[0]


def test_freq_options(cat_file, tmp_path):
    p = run("freq", str(cat_file), "--ngram", "2", "--min-count", "2", "--format", "json")
    assert [(d["term"], d["count"]) for d in json.loads(p.stdout)] == [("the cat", 2)]
    p = run("freq", str(cat_file), "--no-lowercase", "--format", "json", "--top", "0")
    terms = {d["term"]: d["count"] for d in json.loads(p.stdout)}
    assert terms["The"] == 1 and terms["the"] == 2
    comp = tmp_path / "comp.txt"
    comp.write_text("the cat\n", encoding="utf-8")
    p = run("freq", str(cat_file), "--compounds", str(comp), "--format", "json",
            "--tokenizer", "icu", "--threads", "1", "--normalize", "nfc")
    assert {d["term"]: d["count"] for d in json.loads(p.stdout)}["the cat"] == 2


def test_freq_table_format(cat_file):
    p = run("freq", str(cat_file), "--format", "table")
    lines = p.stdout.decode().splitlines()
    assert lines[0].split() == ["rank", "term", "count", "per_million", "doc_count"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split()[:3] == ["1", "the", "3"]


def test_freq_stdin():
    p = run("freq", "-", "--format", "json", input=CAT_TEXT.encode())
    assert {d["term"]: d["count"] for d in json.loads(p.stdout)} == CAT_COUNTS
    p = run("summary", "-", "--format", "json", input=CAT_TEXT.encode())
    assert json.loads(p.stdout)[0]["name"] == "<stdin>"


def test_freq_stdin_encoding():
    text = "模型很大。模型"
    p = run("freq", "-", "--encoding", "gbk", "--format", "json",
            input=text.encode("gbk"))
    assert {d["term"]: d["count"] for d in json.loads(p.stdout)}["模型"] == 2


def test_freq_directory_and_stdin_mixed(text_dir):
    p = run("freq", str(text_dir), "-", "--format", "json", "--top", "0",
            input=b"alpha omega")
    counts = {d["term"]: d["count"] for d in json.loads(p.stdout)}
    assert counts["alpha"] == 3 and counts["omega"] == 1 and counts["beta"] == 3


def test_summary(text_dir):
    p = run("summary", str(text_dir), "--format", "json")
    data = json.loads(p.stdout)
    assert [os.path.basename(d["name"]) for d in data] == ["a.txt", "b.txt", "c.txt.gz"]
    assert data[0]["tokens"] == 5


def test_errors_exit_1(tmp_path):
    p = run("freq", str(tmp_path / "missing.txt"), check=False)
    assert p.returncode == 1
    err = p.stderr.decode()
    assert err.startswith("libstats: error: ") and "missing.txt" in err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok \xff")
    p = run("freq", str(bad), check=False)
    assert p.returncode == 1 and p.stderr.decode().startswith("libstats: error: ")
    p = run("freq", str(bad), "--errors", "replace")
    assert p.returncode == 0


def test_usage_exit_2(cat_file):
    assert run(check=False).returncode == 2
    assert run("freq", check=False).returncode == 2
    assert run("freq", str(cat_file), "--ngram", "x", check=False).returncode == 2
    assert run("freq", str(cat_file), "--format", "xml", check=False).returncode == 2
    assert run("nope", check=False).returncode == 2


def test_version_and_help():
    p = run("--version")
    assert p.stdout.decode().startswith("libstats 0.1.0")
    assert b"freq" in run("--help").stdout


def test_demo():
    p = run("demo", "--format", "table")
    out = p.stdout.decode()
    assert "most frequent words" in out and "most frequent bigrams" in out
    assert "000_a7d02d31f2581e8c" in out and "Traditional" in out and "Simplified" in out
    p = run("demo", "--format", "json")
    data = json.loads(p.stdout)
    assert len(data["documents"]) == 5 and len(data["words"]) == 20
    assert len(data["bigrams"]) == 20
    assert {"name", "title", "bytes", "tokens", "types", "script"} <= set(data["documents"][0])
    assert all(" " in d["term"] for d in data["bigrams"])


def test_console_script_installed(cat_file):
    exe = pathlib.Path(sys.executable).with_name("libstats")
    if not exe.exists():
        exe = shutil.which("libstats")
        if exe is None:
            pytest.skip("the libstats console script is not installed")
    p = subprocess.run([str(exe), "freq", str(cat_file), "--format", "json"],
                       capture_output=True, timeout=120)
    assert p.returncode == 0
    assert json.loads(p.stdout)[0]["term"] == "the"


def test_format_table_wide_chars():
    out = cli.format_table(["term", "count"], [["模型", 12], ["a", 3], ["深度求索", 1]])
    lines = out.splitlines()
    widths = {cli.display_width(line) for line in [lines[0], lines[2], lines[3], lines[4]]}
    # every row's count column ends at the same cell
    assert len(widths) == 1, lines
    assert cli.display_width("模型") == 4 and cli.display_width("ab") == 2
    assert cli.display_width("e\u0301") == 1


def test_main_in_process(cat_file, capsys):
    assert cli.main(["freq", str(cat_file), "--format", "tsv", "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split("\t")[:3] == ["1", "the", "3"]
    assert cli.main(["freq", str(cat_file) + ".missing"]) == 1
    assert capsys.readouterr().err.startswith("libstats: error: ")

"""pytest fixtures for the libstats Python package.

Run against the installed package (``pip install .``), from outside the source tree:
    cd /tmp && pytest /work/main/tests/python -q
"""

import pathlib

import pytest

import libstats as ls

REPO = pathlib.Path(__file__).resolve().parents[2]

CAT_TEXT = "the cat sat on the mat. The cat ran."
CAT_COUNTS = {"the": 3, "cat": 2, "sat": 1, "on": 1, "mat": 1, "ran": 1}


@pytest.fixture
def cat_corpus():
    with ls.Corpus.from_texts([CAT_TEXT]) as c:
        yield c


@pytest.fixture
def cat_freq(cat_corpus):
    return cat_corpus.frequencies()


@pytest.fixture
def text_dir(tmp_path):
    """a.txt, b.txt, sub/c.txt.gz and an ignored notes.md."""
    import gzip

    (tmp_path / "a.txt").write_text("alpha beta gamma. alpha beta.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("beta gamma delta", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    with gzip.open(tmp_path / "sub" / "c.txt.gz", "wb") as fh:
        fh.write("gamma delta epsilon".encode("utf-8"))
    (tmp_path / "notes.md").write_text("not a corpus file", encoding="utf-8")
    return tmp_path

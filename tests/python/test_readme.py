"""The README's Python quick start runs as written."""

import pathlib
import re
import warnings

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_python_quick_start_runs(tmp_path, monkeypatch):
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python quick start", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    scope = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # merging tables of different settings warns, by design
        exec(compile(code, "README.md", "exec"), scope)
    assert len(scope["corpus"]) == 5
    assert (tmp_path / "words.lstable").exists()

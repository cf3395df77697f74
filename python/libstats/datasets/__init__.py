"""Sample corpora shipped with libstats (package data, read through importlib.resources)."""

from __future__ import annotations

import csv
from importlib import resources

__all__ = ["deepseek", "deepseek_manifest", "deepseek_dir"]


def deepseek_dir():
    """The directory of the bundled DeepSeek sample corpus (a pathlib.Path)."""
    path = resources.files("libstats.datasets").joinpath("deepseek")
    # Installed packages and source trees are plain directories; zipped installs are not
    # supported (the C library reads files by path).
    import pathlib

    if not isinstance(path, pathlib.Path):  # pragma: no cover - zip imports
        raise FileNotFoundError("libstats.datasets needs an unzipped installation")
    return path


def deepseek_manifest() -> list:
    """MANIFEST.tsv rows as dicts with keys file, title, script, notes."""
    with deepseek_dir().joinpath("MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def deepseek(**corpus_options):
    """The bundled sample: five Chinese web articles about DeepSeek (three Simplified, two
    Traditional), as a Corpus named by file (without ``.txt``) with metadata title, script
    and notes from MANIFEST.tsv.  Keyword arguments go to ``Corpus.from_files``.

    Cleanup: unless ``cleanup=`` is given, the ``"pinyin_annotations"`` rule is applied, which
    removes the converter debris of document 003 (a pinyin syllable in parentheses after a Han
    character, 發(fā) -> 發; MANIFEST.tsv documents it).  The metadata column ``cleanup`` and
    ``corpus.options["cleanup"]`` name the rules applied, ``summary()["cleanup_removed"]``
    counts the removals; pass ``cleanup=None`` for the text as published.
    """
    from ..corpus import Corpus

    rows = deepseek_manifest()
    base = deepseek_dir()
    paths = [str(base / r["file"]) for r in rows]
    names = [r["file"][:-4] if r["file"].endswith(".txt") else r["file"] for r in rows]
    metadata = [{"title": r["title"], "script": r["script"], "notes": r["notes"]}
                for r in rows]
    # Place for corpus-specific cleanup (a later issue: converter debris such as the pinyin
    # annotations in 003, e.g. 發(fā) -> 發).  Adjust corpus_options here, e.g. a default
    # cleanup rule, before the corpus is built.
    corpus_options = _default_cleanup(corpus_options)
    from ..scripts import cleanup_names

    applied = ",".join(cleanup_names(corpus_options.get("cleanup")))
    for m in metadata:
        m["cleanup"] = applied
    return Corpus.from_files(paths, names=names, metadata=metadata, **corpus_options)


#: The cleanup rules deepseek() applies unless told otherwise.
DEFAULT_CLEANUP = ("pinyin_annotations",)


def _default_cleanup(corpus_options: dict) -> dict:
    """The converter-debris cleanup of the sample corpus: ``cleanup=DEFAULT_CLEANUP`` unless
    the caller chose (``cleanup=None`` keeps the text as published)."""
    options = dict(corpus_options)
    options.setdefault("cleanup", DEFAULT_CLEANUP)
    return options

"""Corpus: documents tokenized by the C core, with metadata, counts and summaries."""

from __future__ import annotations

import glob
import html
import os
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ._ffi import ffi, lib, s, u8
from ._progress import progress_call
from .errors import (
    EncodingError,
    InvalidArgumentError,
    LibstatsIOError,
    NotFoundError,
    StateError,
    check,
)
from .tables import Table, _call_table

__all__ = ["Corpus", "expand_paths"]

_TOKENIZERS = {
    "icu": lib.LSTATS_TOKENIZER_ICU,
    "whitespace": lib.LSTATS_TOKENIZER_WHITESPACE,
    "han": lib.LSTATS_TOKENIZER_HAN,
}
_NORMALIZE = {
    "nfkc": lib.LSTATS_NORMALIZE_NFKC,
    "nfc": lib.LSTATS_NORMALIZE_NFC,
    "none": lib.LSTATS_NORMALIZE_NONE,
    None: lib.LSTATS_NORMALIZE_NONE,
}
_ERRORS = {"strict": lib.LSTATS_ERRORS_STRICT, "replace": lib.LSTATS_ERRORS_REPLACE}
_SENTENCES = {
    "icu": lib.LSTATS_SENTENCES_ICU,
    "lines": lib.LSTATS_SENTENCES_LINES,
    "none": lib.LSTATS_SENTENCES_NONE,
    None: lib.LSTATS_SENTENCES_NONE,
}

#: File name endings a directory walk picks up.
FILE_SUFFIXES = (".txt", ".gz")


# ---------------------------------------------------------------------- inputs


def expand_paths(paths) -> list:
    """Expand a path, a directory (recursive: ``*.txt`` and ``*.gz``, sorted), a glob pattern,
    or a list of those, into a list of file paths.

    A path that does not exist and is not a pattern is kept, so that the C library reports it
    (LibstatsIOError naming the file).
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    out = []
    for p in paths:
        p = os.fspath(p)
        if isinstance(p, bytes):
            p = os.fsdecode(p)
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs.sort()
                found.extend(os.path.join(root, f) for f in files
                             if f.lower().endswith(FILE_SUFFIXES))
            if not found:
                raise LibstatsIOError(f"{p}: no .txt or .gz files in this directory")
            out.extend(sorted(found))
        elif os.path.exists(p) or not glob.has_magic(p):
            out.append(p)
        else:
            matches = sorted(m for m in glob.glob(p, recursive=True) if os.path.isfile(m))
            if not matches:
                raise LibstatsIOError(f"{p}: no files match this pattern")
            out.extend(matches)
    return out


def _read_compounds(compounds) -> list:
    if compounds is None:
        return []
    if isinstance(compounds, (str, os.PathLike)):
        path = os.fspath(compounds)
        try:
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except OSError as exc:
            raise LibstatsIOError(f"{path}: cannot read the compounds file: "
                                  f"{exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise EncodingError(f"{path}: the compounds file is not valid UTF-8 "
                                f"(byte offset {exc.start})") from None
        return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    terms = list(compounds)
    for t in terms:
        if not isinstance(t, str):
            raise TypeError(f"compounds must be str, not {type(t).__name__}")
    return [t for t in terms if t.strip()]


class _Options:
    """Python option values -> an lstats_corpus_options struct (plus the memory it points to)."""

    def __init__(self, *, encoding="utf-8", errors="strict", tokenizer="icu", locale=None,
                 lowercase=True, normalize="nfkc", keep_punct=False, drop_numbers=False,
                 keep_text=True, compounds=None, n_threads=0, sentences="icu",
                 fold_script=None, cleanup=None):
        from .scripts import cleanup_names, fold_script_value

        fold_value = fold_script_value(fold_script)
        if sentences not in _SENTENCES:
            raise InvalidArgumentError(
                f"sentences must be 'icu', 'lines' or 'none', not {sentences!r}")
        if tokenizer not in _TOKENIZERS:
            raise InvalidArgumentError(
                f"tokenizer must be one of {sorted(_TOKENIZERS)}, not {tokenizer!r}")
        norm_key = normalize.lower() if isinstance(normalize, str) else normalize
        if norm_key not in _NORMALIZE:
            raise InvalidArgumentError(
                f"normalize must be 'nfkc', 'nfc' or None, not {normalize!r}")
        if errors not in _ERRORS:
            raise InvalidArgumentError(f"errors must be 'strict' or 'replace', not {errors!r}")
        if not isinstance(n_threads, (int, np.integer)) or n_threads < 0:
            raise InvalidArgumentError(f"n_threads must be an int >= 0, not {n_threads!r}")
        if encoding is not None and not isinstance(encoding, str):
            raise TypeError(f"encoding must be str or None, not {type(encoding).__name__}")
        if locale is not None and not isinstance(locale, str):
            raise TypeError(f"locale must be str or None, not {type(locale).__name__}")
        self.compound_terms = _read_compounds(compounds)
        self.settings = {
            "encoding": encoding if encoding is not None else "utf-8",
            "errors": errors,
            "tokenizer": tokenizer,
            "locale": locale,
            "lowercase": bool(lowercase),
            "normalize": None if norm_key in (None, "none") else norm_key,
            "keep_punct": bool(keep_punct),
            "drop_numbers": bool(drop_numbers),
            "keep_text": bool(keep_text),
            "compounds": list(self.compound_terms),
            "n_threads": int(n_threads),
            "sentences": sentences if sentences is not None else "none",
            "fold_script": None if fold_value == lib.LSTATS_FOLD_NONE else fold_script.lower(),
            "cleanup": cleanup_names(cleanup),
        }

    def struct(self, *, encoding_override=None):
        """The C struct; the returned keepalive list must outlive its use."""
        st = self.settings
        opts = ffi.new("lstats_corpus_options *")
        check(lib.lstats_corpus_options_init(opts, lib.LSTATS_CORPUS_OPTIONS_VERSION))
        keep = [opts]
        opts.tokenizer = _TOKENIZERS[st["tokenizer"]]
        opts.normalize = _NORMALIZE[st["normalize"]]
        opts.lowercase = int(st["lowercase"])
        opts.keep_punct = int(st["keep_punct"])
        opts.drop_numbers = int(st["drop_numbers"])
        opts.keep_text = int(st["keep_text"])
        opts.errors = _ERRORS[st["errors"]]
        opts.n_threads = st["n_threads"]
        opts.sentences = _SENTENCES[st["sentences"]]
        from .scripts import cleanup_value, fold_script_value

        opts.fold_script = fold_script_value(st["fold_script"])
        opts.cleanup = cleanup_value(st["cleanup"])
        enc = encoding_override if encoding_override is not None else st["encoding"]
        if enc.lower().replace("_", "-") in ("utf-8", "utf8"):
            opts.encoding = ffi.NULL
        else:
            c_enc = ffi.new("char[]", u8(enc))
            keep.append(c_enc)
            opts.encoding = c_enc
        if st["locale"]:
            c_loc = ffi.new("char[]", u8(st["locale"]))
            keep.append(c_loc)
            opts.locale = c_loc
        if self.compound_terms:
            terms = [ffi.new("char[]", u8(t)) for t in self.compound_terms]
            arr = ffi.new("const char *[]", terms)
            keep.extend(terms)
            keep.append(arr)
            opts.compounds = arr
            opts.n_compounds = len(terms)
        return opts, keep


def _cstrings(values: Sequence, *, path: bool = False):
    """(const char *[] array, keepalive list) for a list of str/bytes."""
    bufs = [ffi.new("char[]", u8(v, path=path)) for v in values]
    return ffi.new("const char *[]", bufs), bufs


def _metadata_frame(metadata, names: list):
    import pandas as pd

    n = len(names)
    index = pd.Index(names, name="name")
    if metadata is None:
        return pd.DataFrame(index=index)
    if isinstance(metadata, pd.DataFrame):
        df = metadata.copy()
        if (len(df) == n and not isinstance(df.index, pd.RangeIndex)
                and df.index.is_unique and set(df.index) == set(names)):
            df = df.loc[names]  # indexed by document name: align by name
    elif isinstance(metadata, Iterable) and not isinstance(metadata, (str, bytes, dict)):
        rows = list(metadata)
        for r in rows:
            if not isinstance(r, dict):
                raise TypeError("metadata must be a DataFrame or a list of dicts")
        df = pd.DataFrame(rows)
    else:
        raise TypeError("metadata must be a DataFrame or a list of dicts")
    if len(df) != n:
        raise InvalidArgumentError(f"metadata has {len(df)} rows for {n} documents")
    df.index = index
    return df


def _input_size(paths) -> int:
    total = 0
    for p in paths:
        try:
            total += os.path.getsize(p)
        except OSError:
            pass
    return total


# ---------------------------------------------------------------------- Corpus


class Corpus:
    """A collection of tokenized documents (see ``Corpus.from_files`` and
    ``Corpus.from_texts``).

    Frequencies and other statistics come back as :class:`libstats.Table`.  A corpus is
    immutable once built; ``close()`` (or ``with``) frees its memory early.
    """

    def __init__(self):
        raise TypeError("use Corpus.from_files(), Corpus.from_texts() or ls.datasets.*()")

    # ------------------------------------------------------------------ construction
    @classmethod
    def _wrap(cls, ptr, metadata, settings: dict) -> "Corpus":
        # ptr is already owned (ffi.gc with lstats_corpus_free).
        self = object.__new__(cls)
        self._ptr = ptr
        n = int(lib.lstats_corpus_n_docs(ptr))
        self._names = [s(lib.lstats_corpus_doc_name(ptr, i)) for i in range(n)]
        self._metadata = _metadata_frame(metadata, self._names)
        self._options = dict(settings)
        return self

    @staticmethod
    def _new_corpus(options: _Options, **kw):
        opts, keep = options.struct(**kw)
        out = ffi.new("lstats_corpus **")
        check(lib.lstats_corpus_new(out, opts))
        del keep
        return ffi.gc(out[0], lib.lstats_corpus_free)

    @classmethod
    def from_files(cls, paths, *, encoding: str = "utf-8", errors: str = "strict",
                   tokenizer: str = "icu", locale: str | None = None, lowercase: bool = True,
                   normalize: str | None = "nfkc", keep_punct: bool = False,
                   drop_numbers: bool = False, keep_text: bool = True, compounds=None,
                   n_threads: int = 0, names: Sequence[str] | None = None, metadata=None,
                   progress=None, sentences: str = "icu", fold_script: str | None = None,
                   cleanup=None) -> "Corpus":
        """Read plain or gzip text files.

        ``paths``: a path, a directory (recursive: ``*.txt`` and ``*.gz``, sorted), a glob
        pattern, or a list of those.  ``encoding``: ``"utf-8"``, ``"auto"`` (detect) or an
        encoding name.  ``errors="replace"`` replaces invalid bytes by U+FFFD and counts them
        (``summary()["replaced"]``).  ``names`` defaults to the paths.  ``metadata``: a
        DataFrame or a list of dicts, one row per file.  ``progress``: None (a bar for inputs
        over 50 MB), True, False, or a callable ``(done, total) -> bool`` (True cancels).
        ``sentences``: ``"icu"`` (ICU sentence break), ``"lines"`` (one sentence per line) or
        ``"none"``; n-grams do not cross sentence boundaries unless asked.
        ``fold_script``: ``"simplified"`` or ``"traditional"`` folds every token (發展 and 发展
        become one term; README "Scripts"); ``cleanup``: rule names applied to the text before
        it is stored and tokenized, e.g. ``("pinyin_annotations",)`` (發(fā) -> 發; removals in
        ``summary()["cleanup_removed"]``).
        """
        options = _Options(encoding=encoding, errors=errors, tokenizer=tokenizer,
                           locale=locale, lowercase=lowercase, normalize=normalize,
                           keep_punct=keep_punct, drop_numbers=drop_numbers,
                           keep_text=keep_text, compounds=compounds, n_threads=n_threads,
                           sentences=sentences, fold_script=fold_script, cleanup=cleanup)
        files = expand_paths(paths)
        if names is not None:
            names = list(names)
            if len(names) != len(files):
                raise InvalidArgumentError(f"{len(names)} names for {len(files)} files")
        ptr = cls._new_corpus(options)
        if files:
            c_paths, keep_p = _cstrings(files, path=True)
            if names is not None:
                c_names, keep_n = _cstrings(names)
            else:
                c_names, keep_n = ffi.NULL, None
            with progress_call(progress, _input_size(files), "reading") as pc:
                status = lib.lstats_corpus_add_files(ptr, len(files), c_paths, c_names,
                                                     pc.cb, pc.payload)
                pc.check(status)
            del keep_p, keep_n
        return cls._wrap(ptr, metadata, options.settings)

    @classmethod
    def from_texts(cls, texts, names: Sequence[str] | None = None, metadata=None, *,
                   encoding: str = "utf-8", errors: str = "strict", tokenizer: str = "icu",
                   locale: str | None = None, lowercase: bool = True,
                   normalize: str | None = "nfkc", keep_punct: bool = False,
                   drop_numbers: bool = False, keep_text: bool = True, compounds=None,
                   n_threads: int = 0, progress=None, sentences: str = "icu",
                   fold_script: str | None = None, cleanup=None) -> "Corpus":
        """Build a corpus from strings (or bytes).

        ``str`` texts are encoded as UTF-8 (a lone surrogate raises EncodingError); ``bytes``
        are taken as UTF-8, or decoded from ``encoding`` in Python when it names another
        codec.  ``names`` default to ``doc0`` ... ``docN-1``.  ``fold_script`` and
        ``cleanup`` as for ``from_files``.
        """
        options = _Options(encoding=encoding, errors=errors, tokenizer=tokenizer,
                           locale=locale, lowercase=lowercase, normalize=normalize,
                           keep_punct=keep_punct, drop_numbers=drop_numbers,
                           keep_text=keep_text, compounds=compounds, n_threads=n_threads,
                           sentences=sentences, fold_script=fold_script, cleanup=cleanup)
        if isinstance(texts, (str, bytes)):
            texts = [texts]
        texts = list(texts)
        if names is None:
            names = [f"doc{i}" for i in range(len(texts))]
        else:
            names = [str(n) for n in names]
            if len(names) != len(texts):
                raise InvalidArgumentError(f"{len(names)} names for {len(texts)} texts")
        enc = options.settings["encoding"].lower().replace("_", "-")
        data = []
        for i, t in enumerate(texts):
            if isinstance(t, str):
                try:
                    data.append(t.encode("utf-8"))
                except UnicodeEncodeError as exc:
                    raise EncodingError(
                        f"text {names[i]!r} is not valid Unicode at character {exc.start}: "
                        f"{exc.reason}") from None
            elif isinstance(t, (bytes, bytearray, memoryview)):
                b = bytes(t)
                if enc not in ("utf-8", "utf8", "auto"):
                    try:
                        b = b.decode(enc, options.settings["errors"]).encode("utf-8")
                    except LookupError:
                        raise EncodingError(f"unknown encoding {enc!r}") from None
                    except UnicodeDecodeError as exc:
                        raise EncodingError(
                            f"text {names[i]!r}: invalid {enc} at byte offset {exc.start}"
                        ) from None
                data.append(b)
            else:
                raise TypeError(f"texts must be str or bytes, not {type(t).__name__}")
        # Text handed to the C library is UTF-8 already.
        ptr = cls._new_corpus(options, encoding_override="utf-8")
        if data:
            c_names, keep_n = _cstrings(names)
            bufs = [ffi.from_buffer(b) for b in data]
            c_texts = ffi.new("const char *[]", [ffi.cast("const char *", b) for b in bufs])
            lens = ffi.new("size_t[]", [len(b) for b in data])
            total = sum(len(b) for b in data)
            with progress_call(progress, total, "tokenizing") as pc:
                status = lib.lstats_corpus_add_texts(ptr, len(data), c_names, c_texts, lens,
                                                     pc.cb, pc.payload)
                pc.check(status)
            del keep_n, bufs
        return cls._wrap(ptr, metadata, options.settings)

    # ------------------------------------------------------------------ lifetime
    def _p(self):
        if self._ptr is None:
            raise StateError("the corpus is closed")
        return self._ptr

    def close(self) -> None:
        """Free the C corpus now (tables already computed stay valid)."""
        if self._ptr is not None:
            ptr, self._ptr = self._ptr, None
            ffi.release(ptr)

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __reduce__(self):
        raise TypeError("a Corpus cannot be pickled: ship paths or texts, build the corpus "
                        "where it is used, and pickle the resulting tables")

    # ------------------------------------------------------------------ properties
    def __len__(self) -> int:
        return len(self._names)

    @property
    def names(self) -> list:
        """Document names, in order."""
        return list(self._names)

    @property
    def metadata(self):
        """Per-document metadata (DataFrame indexed by document name)."""
        return self._metadata

    @property
    def options(self) -> dict:
        """The settings the corpus was built with."""
        d = dict(self._options)
        d["compounds"] = list(d["compounds"])
        return d

    @property
    def n_tokens(self) -> int:
        return int(lib.lstats_corpus_n_tokens(self._p()))

    @property
    def n_types(self) -> int:
        return int(lib.lstats_corpus_n_types(self._p()))

    def _doc_index(self, doc) -> int:
        if isinstance(doc, (int, np.integer)) and not isinstance(doc, bool):
            i = int(doc)
            n = len(self._names)
            if i < 0:
                i += n
            if not 0 <= i < n:
                raise IndexError(f"document index {doc} out of range for {n} documents")
            return i
        if isinstance(doc, str):
            try:
                return self._names.index(doc)
            except ValueError:
                raise NotFoundError(f"no document named {doc!r}") from None
        raise TypeError(f"a document is an int or a name, not {type(doc).__name__}")

    # ------------------------------------------------------------------ per document
    def summary(self):
        """One row per document: name, encoding, bytes_in, chars, tokens, types, sentences,
        replaced, then the metadata columns (e.g. title, script)."""
        df = _call_table(lib.lstats_corpus_summary, self._p()).to_pandas()
        for col in self._metadata.columns:
            if col not in df.columns:
                df[col] = self._metadata[col].to_numpy()
        return df

    def tokens(self, doc):
        """The tokens of one document (index or name): term, start, end (byte offsets into
        ``text(doc)`` encoded as UTF-8; -1 without keep_text), sentence."""
        i = self._doc_index(doc)
        return _call_table(lib.lstats_corpus_doc_tokens, self._p(), i).to_pandas()

    def text(self, doc) -> str:
        """The stored (decoded, normalised line ends) text of one document."""
        i = self._doc_index(doc)
        text = ffi.new("const char **")
        length = ffi.new("size_t *")
        check(lib.lstats_corpus_doc_text(self._p(), i, text, length))
        if length[0] == 0:
            return ""
        return ffi.buffer(text[0], length[0])[:].decode("utf-8", "replace")

    # ------------------------------------------------------------------ selections
    def _selector_indices(self, selector) -> list:
        import pandas as pd

        n = len(self._names)
        if callable(selector):
            mask = [bool(selector(row)) for _, row in self._metadata.iterrows()]
            return [i for i, keep in enumerate(mask) if keep]
        if isinstance(selector, (str, int, np.integer)) and not isinstance(selector, bool):
            selector = [selector]
        if isinstance(selector, pd.Series) and selector.dtype == bool:
            if not isinstance(selector.index, pd.RangeIndex) and \
                    set(selector.index) == set(self._names):
                selector = selector.reindex(self._names)
            selector = selector.to_numpy()
        items = list(selector)
        if items and all(isinstance(x, (bool, np.bool_)) for x in items):
            if len(items) != n:
                raise InvalidArgumentError(f"a mask of {len(items)} values for {n} documents")
            return [i for i, keep in enumerate(items) if keep]
        return [self._doc_index(x) for x in items]

    def subset(self, selector) -> "Corpus":
        """A new corpus of some documents, chosen by a boolean mask, a list of names, a list
        of indices (in that order), or a callable taking a metadata row (a Series named by the
        document name) and returning True to keep it."""
        idx = self._selector_indices(selector)
        arr = ffi.new("size_t[]", idx) if idx else ffi.NULL
        out = ffi.new("lstats_corpus **")
        check(lib.lstats_corpus_subset(self._p(), arr, len(idx), out))
        ptr = ffi.gc(out[0], lib.lstats_corpus_free)
        meta = self._metadata.iloc[idx]
        return Corpus._wrap(ptr, meta if len(meta.columns) else None, self._options)

    # ------------------------------------------------------------------ statistics
    def frequencies(self, n: int = 1, min_count: int = 1, cross_sentences: bool = False, *,
                    dispersion: bool = False, parts: int | None = None, by: str | None = None,
                    ties: str = "min", idf_base: float = 10, idf_smoothing: float = 0,
                    idf_k: float = 0):
        """Term (n = 1) or n-gram (n = 2..5) counts: a table of term, count, per_million,
        doc_count, sorted by count descending then term.  N-grams never cross documents, nor
        sentences unless ``cross_sentences``.

        ``dispersion=True`` (terms only) adds range, Juilland's D, Gries's DP, ARF, IDF schemes
        and the rest of README "Dispersion", over the documents (``parts=None``: part sizes are
        document lengths) or over ``parts`` equal-sized parts of the corpus.  ``by``: a metadata
        column; returns one long DataFrame with a group column and a ``rank`` (tie rule
        ``ties``), see :func:`libstats.dispersion.frequencies_by`."""
        from . import dispersion as _d

        kw = dict(n=n, min_count=min_count, cross_sentences=cross_sentences,
                  dispersion=dispersion, parts=parts, idf_base=idf_base,
                  idf_smoothing=idf_smoothing, idf_k=idf_k)
        if by is not None:
            return _d.frequencies_by(self, by, ties=ties, **kw)
        return _d.frequencies(self, **kw)

    def kwic(self, pattern: str, window: int = 5, limit: int | None = None,
             sample: int | None = None, sort=None, seed: int = 0, ignore_case: bool = False):
        """Concordance lines of a term or phrase (a Concordance table: doc, position, start,
        end, left, match, right); see :func:`libstats.kwic.kwic`.  Needs ``keep_text=True``."""
        from .kwic import kwic

        return kwic(self, pattern, window=window, limit=limit, sample=sample, sort=sort,
                    seed=seed, ignore_case=ignore_case)

    def lexical_diversity(self, window: int = 50, mtld_threshold: float = 0.72):
        """TTR, root TTR, MATTR and MTLD per document (a DataFrame); see
        :func:`libstats.dispersion.lexical_diversity`."""
        from .dispersion import lexical_diversity

        return lexical_diversity(self, window=window, mtld_threshold=mtld_threshold)

    # ------------------------------------------------------------------ keyness
    def keyness(self, reference, measures=("g2", "log_ratio"), **kwargs) -> Table:
        """Keyness of this corpus against ``reference`` (a Corpus, a frequency Table, or a
        path to a saved table / TSV frequency list); see :func:`libstats.keyness.keyness`."""
        from .keyness import keyness

        return keyness(self, reference, measures, **kwargs)

    def keyness_docs(self, reference, measures=("cohens_d", "welch", "mwu"), **kwargs) -> Table:
        """Document-level keyness (Cohen's d, Welch's t, Mann-Whitney U) against another
        corpus; see :func:`libstats.keyness.keyness_docs`."""
        from .keyness import keyness_docs

        return keyness_docs(self, reference, measures, **kwargs)

    def keyness_subset(self, target, documents: bool = False, **kwargs) -> Table:
        """Keyness of the documents chosen by ``target`` (as in ``subset``) against the rest
        of this corpus; see :func:`libstats.keyness.keyness_subset`."""
        from .keyness import keyness_subset

        return keyness_subset(self, target, documents=documents, **kwargs)

    # ------------------------------------------------------------------ collocations
    def collocations(self, n: int = 2, measures=None, **kwargs) -> Table:
        """Adjacent n-gram collocations with association measures; see
        :func:`libstats.colloc.collocations`."""
        from .colloc import collocations

        return collocations(self, n, measures, **kwargs)

    def collocates(self, node: str, window=(5, 5), measures=None, **kwargs) -> Table:
        """Window collocates of a term or phrase; see :func:`libstats.colloc.collocates`."""
        from .colloc import collocates

        return collocates(self, node, window, measures, **kwargs)

    def cooccurrence(self, window: int = 5, measures=None, **kwargs) -> Table:
        """All-pairs window co-occurrence (collocation network edges); see
        :func:`libstats.colloc.cooccurrence`."""
        from .colloc import cooccurrence

        return cooccurrence(self, window, measures, **kwargs)

    # ------------------------------------------------------------------ script variants
    def script_variants(self, by: str = "document", **kw) -> Table:
        """Traditional vs Simplified characters, ratio_trad with a Wilson interval, and a
        label per document or for the corpus (see ``libstats.scripts.script_variants``)."""
        from .scripts import script_variants

        return script_variants(self, by, **kw)

    def script_mix(self) -> Table:
        """Code points per Unicode script and full/half-width forms, per document."""
        from .scripts import script_mix

        return script_mix(self)

    def variant_terms(self, min_count: int = 1) -> Table:
        """Terms written in more than one form (發展 / 发展), with counts and shares."""
        from .scripts import variant_terms

        return variant_terms(self, min_count)

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        if self._ptr is None:
            return f"<libstats.Corpus docs={len(self._names)} closed>"
        return (f"<libstats.Corpus docs={len(self._names)} tokens={self.n_tokens:,} "
                f"types={self.n_types:,} tokenizer={self._options['tokenizer']}>")

    def _repr_html_(self) -> str:
        import pandas as pd

        if self._ptr is None:
            return f"<p><b>libstats Corpus</b> ({len(self._names)} documents, closed)</p>"
        summ = _call_table(lib.lstats_corpus_summary, self._ptr).to_pandas()
        cols = {"name": summ["name"], "tokens": summ["tokens"], "types": summ["types"]}
        if "title" in self._metadata.columns:
            cols["title"] = self._metadata["title"].to_numpy()
        if "script" in self._metadata.columns:
            cols["script"] = self._metadata["script"].to_numpy()
        df = pd.DataFrame(cols)
        n = len(df)
        if n > 40:
            gap = pd.DataFrame({c: ["…"] for c in df.columns}, index=["…"])
            df = pd.concat([df.iloc[:30].astype(object), gap, df.iloc[-10:].astype(object)])
        o = self._options
        header = (f"<b>libstats Corpus</b>: {len(self._names):,} documents, "
                  f"{self.n_tokens:,} tokens, {self.n_types:,} types; tokenizer "
                  f"{html.escape(o['tokenizer'])}, normalize {html.escape(str(o['normalize']))}"
                  f", lowercase {o['lowercase']}")
        return f"<div><p>{header}</p>{df.to_html(escape=True, border=0)}</div>"

"""Collocations: which words keep company.

    import libstats as ls
    corpus = ls.Corpus.from_files("texts/")
    corpus.collocations(n=2, measures=("g2", "logdice"), min_count=3).top(20)
    corpus.collocates("人工智能", window=(5, 5), measures=("logdice", "pmi_cons"))
    corpus.cooccurrence(window=5, min_count=5)       # edges of a collocation network

Counting, filtering, scoring, sorting and top-k are done by the C library
(``lstats_corpus_collocations``, ``lstats_corpus_collocates``, ``lstats_corpus_cooccurrence``);
results are column tables.  Formulas, sources and zero-cell values: README, "Collocations".
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

from ._ffi import ffi, lib, s, u8
from .errors import InvalidArgumentError, check
from .tables import Table, _call_table

__all__ = ["collocations", "collocates", "cooccurrence", "assoc_score", "MEASURES"]

#: Every association measure (README "Collocations"), in C order.
MEASURES = tuple(s(lib.lstats_assoc_measure_names()).split(","))

_COMPAT = {None: lib.LSTATS_COLLOC_COMPAT_TEXTBOOK,
           "textbook": lib.LSTATS_COLLOC_COMPAT_TEXTBOOK,
           "nltk": lib.LSTATS_COLLOC_COMPAT_NLTK}


def _nonneg(name: str, v) -> int:
    if isinstance(v, bool) or int(v) != v or v < 0:
        raise InvalidArgumentError(f"{name} must be an int >= 0, not {v!r}")
    return int(v)


def _measure_list(measures) -> str:
    if measures is None:
        return "g2,pmi,logdice,t"
    if isinstance(measures, str):
        measures = [measures]
    if not isinstance(measures, Iterable):
        raise TypeError("measures must be a str or a sequence of str")
    names = [str(m) for m in measures]
    if not names:
        raise InvalidArgumentError("measures must name at least one measure")
    return ",".join(names)


def _stopword_list(stopwords) -> list[str]:
    if stopwords is None:
        return []
    if isinstance(stopwords, (str, os.PathLike)):
        # a file: one word per line (# comments and blank lines ignored)
        with open(stopwords, encoding="utf-8") as fh:
            return [w.strip() for w in fh if w.strip() and not w.lstrip().startswith("#")]
    return [str(w) for w in stopwords]


def _options(*, n=2, window=(5, 5), measures=None, min_count=1, sentence_bounded=True,
             sort_by=None, top=None, min_length=0, max_length=0, stopwords=None,
             drop_punct=False, drop_numbers=False, alpha=0.05, compat=None, n_threads=0):
    opts = ffi.new("lstats_colloc_options *")
    check(lib.lstats_colloc_options_init(opts, lib.LSTATS_COLLOC_OPTIONS_VERSION))
    keep = [opts]
    opts.n = _nonneg("n", n)
    if isinstance(window, int):
        window = (window, window)
    left, right = window
    opts.window_left = _nonneg("window left", left)
    opts.window_right = _nonneg("window right", right)
    opts.min_count = _nonneg("min_count", min_count)
    opts.sentence_bounded = 1 if sentence_bounded else 0
    c_meas = ffi.new("char[]", u8(_measure_list(measures)))
    keep.append(c_meas)
    opts.measures = c_meas
    if sort_by is not None:
        c_sort = ffi.new("char[]", u8(sort_by))
        keep.append(c_sort)
        opts.sort_by = c_sort
    opts.top_k = _nonneg("top", top or 0)
    opts.min_length = _nonneg("min_length", min_length or 0)
    opts.max_length = _nonneg("max_length", max_length or 0)
    words = _stopword_list(stopwords)
    if words:
        c_words = [ffi.new("char[]", u8(w)) for w in words]
        arr = ffi.new("const char *[]", c_words)
        keep += [c_words, arr]
        opts.stopwords = arr
        opts.n_stopwords = len(words)
    opts.drop_punct = 1 if drop_punct else 0
    opts.drop_numbers = 1 if drop_numbers else 0
    alpha = float(alpha)
    if not 0 < alpha < 1:
        raise InvalidArgumentError(f"alpha must be in (0, 1), not {alpha!r}")
    opts.alpha = alpha
    key = compat.lower() if isinstance(compat, str) else compat
    if key not in _COMPAT:
        raise InvalidArgumentError(f"compat must be 'textbook' or 'nltk', not {compat!r}")
    opts.compat = _COMPAT[key]
    opts.n_threads = _nonneg("n_threads", n_threads or 0)
    return opts, keep


def collocations(corpus, n: int = 2, measures=None, *, min_count: int = 1,
                 sentence_bounded: bool = True, sort_by=None, top: int | None = None,
                 min_length: int = 0, max_length: int = 0, stopwords=None,
                 drop_punct: bool = False, drop_numbers: bool = False, alpha: float = 0.05,
                 compat=None, n_threads: int = 0) -> Table:
    """Adjacent n-gram collocations (n = 2..4): columns w1..wn, o11, r1 and c1 (n = 2) or
    f1..fn, n, e11, doc_count and one column per measure.  ``measures``: names from
    :data:`MEASURES` or ``"all"``; ``compat="nltk"`` reproduces NLTK's finders.
    ``n_threads``: threads for counting pairs, scoring, sorting and building the result
    (0 = all cores);
    the result does not depend on it."""
    opts, keep = _options(n=n, measures=measures, min_count=min_count,
                          sentence_bounded=sentence_bounded, sort_by=sort_by, top=top,
                          min_length=min_length, max_length=max_length, stopwords=stopwords,
                          drop_punct=drop_punct, drop_numbers=drop_numbers, alpha=alpha,
                          compat=compat, n_threads=n_threads)
    t = _call_table(lib.lstats_corpus_collocations, corpus._p(), opts)
    del keep
    return t


def collocates(corpus, node: str, window=(5, 5), measures=None, *, min_count: int = 1,
               sentence_bounded: bool = True, sort_by=None, top: int | None = None,
               min_length: int = 0, max_length: int = 0, stopwords=None,
               drop_punct: bool = False, drop_numbers: bool = False,
               alpha: float = 0.05, n_threads: int = 0) -> Table:
    """Collocates of ``node`` (a term or a phrase, normalised like the corpus) within
    ``window = (left, right)`` tokens: collocate, left, right, o11, r1 (window slots), c1, n,
    e11, doc_count and the measures."""
    if not isinstance(node, str):
        raise TypeError("node must be a str")
    opts, keep = _options(window=window, measures=measures, min_count=min_count,
                          sentence_bounded=sentence_bounded, sort_by=sort_by, top=top,
                          min_length=min_length, max_length=max_length, stopwords=stopwords,
                          drop_punct=drop_punct, drop_numbers=drop_numbers, alpha=alpha,
                          n_threads=n_threads)
    data = u8(node)
    t = _call_table(lib.lstats_corpus_collocates, corpus._p(), data, len(data), opts)
    del keep
    return t


def cooccurrence(corpus, window: int = 5, measures=None, *, min_count: int = 1,
                 sentence_bounded: bool = True, sort_by=None, top: int | None = None,
                 min_length: int = 0, max_length: int = 0, stopwords=None,
                 drop_punct: bool = False, drop_numbers: bool = False, alpha: float = 0.05,
                 compat=None, n_threads: int = 0) -> Table:
    """Every ordered pair (w1 before w2, at most ``window`` tokens apart): w1, w2, o11, r1,
    c1, n, e11, doc_count and the measures: the edges of a collocation network.
    ``window=w`` corresponds to NLTK's ``window_size=w + 1``."""
    opts, keep = _options(window=(0, window), measures=measures, min_count=min_count,
                          sentence_bounded=sentence_bounded, sort_by=sort_by, top=top,
                          min_length=min_length, max_length=max_length, stopwords=stopwords,
                          drop_punct=drop_punct, drop_numbers=drop_numbers, alpha=alpha,
                          compat=compat, n_threads=n_threads)
    t = _call_table(lib.lstats_corpus_cooccurrence, corpus._p(), opts)
    del keep
    return t


def assoc_score(measure: str, o11: float, o12: float, o21: float, o22: float,
                alpha: float = 0.05) -> float:
    """One measure on one 2x2 table (the C function; same zero-cell values)."""
    out = ffi.new("double *")
    check(lib.lstats_assoc_score(u8(measure), float(o11), float(o12), float(o21), float(o22),
                                 float(alpha), out))
    v = out[0]
    return math.nan if v != v else v

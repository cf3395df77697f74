"""Dispersion measures and frequency extras (README "Dispersion").

``corpus.frequencies(dispersion=True, parts=None | k)`` adds the dispersion, adjusted-frequency
and IDF columns computed by the C library.  This module adds what is cheap in Python on top of
the count tables: ranks with a tie rule, hapaxes and the frequency spectrum, the type-token
ratio family per document, and frequencies grouped by a metadata column.
"""

from __future__ import annotations

import numpy as np

from ._ffi import ffi, lib
from .errors import InvalidArgumentError, check
from .tables import Table, _call_table

__all__ = [
    "frequencies",
    "frequencies_by",
    "rank",
    "hapaxes",
    "spectrum",
    "lexical_diversity",
    "MEASURES",
]

#: The columns ``dispersion=True`` adds, in order.
MEASURES = (
    "range", "range_pct", "cv", "juilland_d", "juilland_u", "carroll_d2", "carroll_um",
    "rosengren_s", "rosengren_kf", "lyne_d3", "dp", "dp_norm", "dp_egbert", "engwall_fm",
    "kromer_ur", "zhang_dc", "d_a", "d_kl", "entropy", "arf", "ald", "aldf", "awt", "awtf",
    "idf_inverse", "idf_inversemax", "idf_inverseprob", "idf_sklearn", "idf_smooth", "idf_bm25",
)

_TIES = ("min", "max", "average", "dense", "first")


def frequencies(corpus, n: int = 1, min_count: int = 1, cross_sentences: bool = False,
                dispersion: bool = False, parts: int | None = None, idf_base: float = 10,
                idf_smoothing: float = 0, idf_k: float = 0) -> Table:
    """The frequency table of ``corpus`` (see ``Corpus.frequencies``)."""
    if isinstance(n, bool) or int(n) != n or isinstance(min_count, bool) or \
            int(min_count) != min_count:
        raise InvalidArgumentError("n and min_count must be integers")
    if n < 1:
        raise InvalidArgumentError(f"n must be 1..5, not {n}")
    if min_count < 0:
        raise InvalidArgumentError(f"min_count must be >= 0, not {min_count}")
    opts = ffi.new("lstats_freq_options *")
    check(lib.lstats_freq_options_init(opts, lib.LSTATS_FREQ_OPTIONS_VERSION))
    opts.n = int(n)
    opts.min_count = int(min_count)
    opts.cross_sentences = 1 if cross_sentences else 0
    if parts is not None and not dispersion:
        raise InvalidArgumentError("parts= applies to dispersion=True")
    if dispersion:
        opts.dispersion = 1
        if parts is not None:
            if isinstance(parts, bool) or int(parts) != parts or not 1 <= parts < 2**32:
                raise InvalidArgumentError(
                    f"parts must be None (documents) or an int >= 1, not {parts!r}")
            opts.parts = int(parts)
        opts.idf_base = float(idf_base)
        opts.idf_smoothing = float(idf_smoothing)
        opts.idf_k = float(idf_k)
    return _call_table(lib.lstats_corpus_frequencies, corpus._p(), opts)


def rank(counts, ties: str = "min") -> np.ndarray:
    """Ranks of ``counts`` (the highest count ranks 1) with a tie rule, as R's ``rank`` and
    pandas' ``Series.rank(ascending=False, method=...)``: ``"min"`` (1, 2, 2, 4), ``"max"``
    (1, 3, 3, 4), ``"average"`` (1, 2.5, 2.5, 4), ``"dense"`` (1, 2, 2, 3) or ``"first"``
    (1, 2, 3, 4: ties in order of appearance).  Float64 for "average", int64 otherwise."""
    if ties not in _TIES:
        raise InvalidArgumentError(f"ties must be one of {', '.join(_TIES)}, not {ties!r}")
    x = np.asarray(counts)
    n = len(x)
    if n == 0:
        return np.empty(0, dtype=np.float64 if ties == "average" else np.int64)
    order = np.argsort(-x.astype(np.float64), kind="stable")
    sx = x[order]
    new_group = np.empty(n, dtype=bool)
    new_group[0] = True
    new_group[1:] = sx[1:] != sx[:-1]
    group = np.cumsum(new_group) - 1  # 0-based group of each sorted position
    starts = np.flatnonzero(new_group)  # first sorted position of each group
    ends = np.append(starts[1:], n)  # one past the last
    pos = np.arange(1, n + 1)
    if ties == "first":
        r_sorted = pos
    elif ties == "min":
        r_sorted = starts[group] + 1
    elif ties == "max":
        r_sorted = ends[group]
    elif ties == "dense":
        r_sorted = group + 1
    else:
        r_sorted = (starts[group] + 1 + ends[group]) / 2.0
    out = np.empty(n, dtype=np.float64 if ties == "average" else np.int64)
    out[order] = r_sorted
    return out


def _counts_of(x):
    if isinstance(x, Table):
        return x
    if hasattr(x, "frequencies"):
        return x.frequencies()
    raise TypeError("expected a Corpus or a frequency Table")


def hapaxes(x) -> list:
    """Terms counted once (NLTK ``FreqDist.hapaxes``) of a Corpus or frequency Table."""
    t = _counts_of(x)
    counts = t.column("count")
    terms = t.column("term")
    return [terms[i] for i in np.flatnonzero(counts == 1)]


def spectrum(x):
    """The frequency spectrum: a DataFrame of r (a count) and n_r (the number of terms counted
    exactly r times), r ascending; NLTK's ``FreqDist.r_Nr``."""
    import pandas as pd

    counts = np.asarray(_counts_of(x).column("count"), dtype=np.int64)
    r, nr = np.unique(counts, return_counts=True)
    return pd.DataFrame({"r": r.astype(np.int64), "n_r": nr.astype(np.int64)})


def _mattr(ids: np.ndarray, window: int) -> float:
    n = len(ids)
    if n == 0:
        return float("nan")
    if n <= window:
        return len(np.unique(ids)) / n
    counts = np.zeros(int(ids.max()) + 1, dtype=np.int64)
    types = 0
    for t in ids[:window]:
        if counts[t] == 0:
            types += 1
        counts[t] += 1
    total = types
    for i in range(window, n):
        out, inn = ids[i - window], ids[i]
        counts[out] -= 1
        if counts[out] == 0:
            types -= 1
        if counts[inn] == 0:
            types += 1
        counts[inn] += 1
        total += types
    return total / ((n - window + 1) * window)


def _mtld_pass(ids, threshold: float) -> float:
    factors = 0.0
    seen = set()
    count = 0
    ttr = 1.0
    for t in ids:
        count += 1
        seen.add(t)
        ttr = len(seen) / count
        if ttr <= threshold:
            factors += 1
            seen = set()
            count = 0
            ttr = 1.0
    if count > 0:
        factors += (1 - ttr) / (1 - threshold)
    return len(ids) / factors if factors > 0 else float("nan")


def _mtld(ids, threshold: float) -> float:
    if len(ids) == 0:
        return float("nan")
    ids = list(ids)
    return (_mtld_pass(ids, threshold) + _mtld_pass(ids[::-1], threshold)) / 2


def lexical_diversity(corpus, window: int = 50, mtld_threshold: float = 0.72):
    """The type-token ratio family per document: a DataFrame of name, tokens, types, ttr
    (types / tokens), root_ttr (Guiraud: types / sqrt(tokens)), mattr (Covington & McFall
    2010: the mean TTR of every window of ``window`` tokens; the TTR when the document is
    shorter) and mtld (McCarthy & Jarvis 2010: tokens per factor, a factor ending where the
    running TTR falls to ``mtld_threshold``, the remainder a partial factor; the mean of the
    forward and backward passes).  Empty documents give NaN."""
    import pandas as pd

    if isinstance(window, bool) or int(window) != window or window < 1:
        raise InvalidArgumentError(f"window must be an int >= 1, not {window!r}")
    if not 0 < mtld_threshold < 1:
        raise InvalidArgumentError(f"mtld_threshold must be in (0, 1), not {mtld_threshold}")
    rows = []
    for i, name in enumerate(corpus.names):
        terms = corpus.tokens(i)["term"]
        ids, _ = pd.factorize(terms)
        ids = np.asarray(ids, dtype=np.int64)
        n = len(ids)
        v = len(np.unique(ids)) if n else 0
        rows.append({
            "name": name,
            "tokens": n,
            "types": v,
            "ttr": v / n if n else float("nan"),
            "root_ttr": v / np.sqrt(n) if n else float("nan"),
            "mattr": _mattr(ids, int(window)),
            "mtld": _mtld(ids, mtld_threshold),
        })
    return pd.DataFrame(rows, columns=["name", "tokens", "types", "ttr", "root_ttr", "mattr",
                                       "mtld"])


def frequencies_by(corpus, by, ties: str = "min", **kwargs):
    """Frequencies per value of metadata column ``by`` (e.g. ``"script"``): one long DataFrame
    with a ``by`` column first, then the frequency table's columns (and dispersion columns
    when asked, computed within each group) and a ``rank`` within the group (tie rule
    ``ties``).  Groups come in order of first appearance; documents whose value is missing
    form no group."""
    import pandas as pd

    meta = corpus.metadata
    if not isinstance(by, str):
        raise TypeError(f"by must be a metadata column name, not {type(by).__name__}")
    if by not in meta.columns:
        from .errors import NotFoundError

        raise NotFoundError(f"no metadata column {by!r} (columns: {list(meta.columns)})")
    values = meta[by].tolist()
    frames = []
    for value in pd.unique(pd.Series(values, dtype=object).dropna()):
        mask = [v == value for v in values]
        with corpus.subset(mask) as sub:
            df = frequencies(sub, **kwargs).to_pandas()
        df.insert(0, by, value)
        df["rank"] = rank(df["count"].to_numpy(), ties)
        frames.append(df)
    if not frames:
        empty = frequencies(corpus, **kwargs).to_pandas().iloc[0:0]
        empty.insert(0, by, pd.Series([], dtype=object))
        empty["rank"] = pd.Series([], dtype=np.int64)
        return empty
    return pd.concat(frames, ignore_index=True)

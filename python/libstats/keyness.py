"""Keyness: which terms are unusually frequent (or rare) in a target compared with a reference.

    import libstats as ls
    corpus = ls.datasets.deepseek()
    trad = corpus.metadata["script"] == "Traditional"
    corpus.keyness_subset(trad, measures=("g2", "log_ratio"), correction="bh").top(20)

The scoring is done by the C library (``lstats_keyness``, ``lstats_corpus_keyness_docs``);
this module turns Python arguments into the options struct, builds the frequency tables and
checks that target and reference were counted alike.  Formulas: README, section "Keyness".
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable

from ._ffi import ffi, lib, u8
from .errors import InvalidArgumentError, check
from .tables import Table, _call_table, load_table, read_frequency_list

__all__ = ["keyness", "keyness_docs", "keyness_subset", "MEASURES", "DOC_MEASURES",
           "load_reference"]

#: Measures of lstats_keyness, in README order.
MEASURES = ("g2", "g2_2term", "chi2", "fisher", "pmi", "log_ratio", "lrc", "positive_lrc",
            "pct_diff", "diff_coefficient", "simple_maths", "odds_ratio", "relative_risk",
            "bic", "ell", "weighted_log_odds", "lockwords")
#: Document-level tests of lstats_corpus_keyness_docs.
DOC_MEASURES = ("cohens_d", "welch", "mwu")

_CORRECTIONS = {None: lib.LSTATS_CORRECTION_NONE, "none": lib.LSTATS_CORRECTION_NONE,
                "bonferroni": lib.LSTATS_CORRECTION_BONFERRONI,
                "holm": lib.LSTATS_CORRECTION_HOLM, "sidak": lib.LSTATS_CORRECTION_SIDAK,
                "bh": lib.LSTATS_CORRECTION_BH, "fdr_bh": lib.LSTATS_CORRECTION_BH}
_CONTINUITY = {None: lib.LSTATS_CONTINUITY_NONE, "none": lib.LSTATS_CONTINUITY_NONE,
               "yates": lib.LSTATS_CONTINUITY_YATES, "williams": lib.LSTATS_CONTINUITY_WILLIAMS}
_BY = {"frequency": lib.LSTATS_KEYNESS_BY_FREQUENCY, "range": lib.LSTATS_KEYNESS_BY_RANGE}
_SELECT = {"all": lib.LSTATS_KEYWORDS_ALL, "positive": lib.LSTATS_KEYWORDS_POSITIVE,
           "negative": lib.LSTATS_KEYWORDS_NEGATIVE}
_COMPAT = {None: lib.LSTATS_KEYNESS_COMPAT_TEXTBOOK,
           "textbook": lib.LSTATS_KEYNESS_COMPAT_TEXTBOOK,
           "quanteda": lib.LSTATS_KEYNESS_COMPAT_QUANTEDA}

#: Table metadata that must agree between target and reference for counts to be comparable.
SETTINGS_KEYS = ("tokenizer", "normalize", "lowercase", "keep_punct", "drop_numbers", "locale",
                 "sentences", "compounds", "fold_script", "n")


def _choice(table: dict, value, what: str):
    key = value.lower() if isinstance(value, str) else value
    if key not in table:
        names = ", ".join(repr(k) for k in table if k is not None)
        raise InvalidArgumentError(f"{what} must be one of {names} (or None), not {value!r}")
    return table[key]


def _measure_list(measures) -> str:
    if isinstance(measures, str):
        measures = [measures]
    if not isinstance(measures, Iterable):
        raise TypeError("measures must be a str or a sequence of str")
    names = [str(m) for m in measures]
    if not names:
        raise InvalidArgumentError("measures must name at least one measure")
    return ",".join(names)


def _options(*, measures, correction, continuity, by, min_count, sort_by, top, select,
             simple_maths_k, alpha, lrc_bonferroni, compat, n_parts=0):
    """(lstats_keyness_options *, keepalive list)."""
    if int(min_count) != min_count or min_count < 0:
        raise InvalidArgumentError(f"min_count must be an int >= 0, not {min_count!r}")
    if top is not None and (int(top) != top or top < 0):
        raise InvalidArgumentError(f"top must be an int >= 0 or None, not {top!r}")
    if int(n_parts) != n_parts or n_parts < 0:
        raise InvalidArgumentError(f"parts must be an int >= 0, not {n_parts!r}")
    opts = ffi.new("lstats_keyness_options *")
    check(lib.lstats_keyness_options_init(opts, lib.LSTATS_KEYNESS_OPTIONS_VERSION))
    keep = [opts]
    c_meas = ffi.new("char[]", u8(_measure_list(measures)))
    keep.append(c_meas)
    opts.measures = c_meas
    opts.correction = _choice(_CORRECTIONS, correction, "correction")
    opts.continuity = _choice(_CONTINUITY, continuity, "continuity")
    opts.by = _choice(_BY, by, "by")
    opts.select = _choice(_SELECT, select, "select")
    opts.compat = _choice(_COMPAT, compat, "compat")
    opts.min_count = int(min_count)
    opts.top_k = int(top or 0)
    opts.simple_maths_k = float(simple_maths_k)
    opts.alpha = float(alpha)
    opts.lrc_bonferroni = 1 if lrc_bonferroni else 0
    opts.n_parts = int(n_parts)
    if sort_by is not None:
        c_sort = ffi.new("char[]", u8(sort_by))
        keep.append(c_sort)
        opts.sort_by = c_sort
    return opts, keep


def load_reference(ref) -> Table:
    """A reference given as a Table, a saved table (``Table.save``) or a TSV frequency list
    (``term<TAB>count[<TAB>doc_count]``), as a frequency Table."""
    if isinstance(ref, Table):
        return ref
    if isinstance(ref, (str, os.PathLike)):
        path = os.fspath(ref)
        try:
            with open(path, "rb") as fh:
                magic = fh.read(8)
        except OSError:
            magic = b""
        if magic == b"LSTATSTB":
            return load_table(path)
        return read_frequency_list(path)
    raise TypeError(f"a reference is a Corpus, a Table or a path, not {type(ref).__name__}")


def _warn_settings(target: Table, reference: Table) -> None:
    tm, rm = target.meta, reference.meta
    diffs = [f"{k}: {tm[k]!r} vs {rm[k]!r}" for k in SETTINGS_KEYS
             if k in tm and k in rm and tm[k] != rm[k]]
    if diffs:
        warnings.warn("keyness: target and reference were counted with different settings ("
                      + "; ".join(diffs) + "); their counts may not be comparable",
                      UserWarning, stacklevel=3)


def keyness(target, reference, measures=("g2", "log_ratio"), *, correction=None,
            continuity=None, by: str = "frequency", min_count: int = 1, sort_by=None,
            top: int | None = None, select: str = "all", simple_maths_k: float = 1.0,
            alpha: float = 0.05, lrc_bonferroni: bool = True, compat=None) -> Table:
    """Keyness of the terms of ``target`` against ``reference``.

    ``target`` and ``reference`` are each a :class:`Corpus` (its unigram frequencies are
    counted), a frequency :class:`Table` (``corpus.frequencies()``, ``ls.load_table``,
    ``ls.read_frequency_list``) or, for the reference, a path to a saved table or a TSV list.

    Returns a Table with ``term, a, b, n1, n2, per_million_a, per_million_b``, the measures'
    columns, ``p`` (chi-square, 1 d.f., on the 4-cell g2), ``p_adj`` (with ``correction`` =
    ``"bonferroni"``, ``"holm"``, ``"sidak"`` or ``"bh"``, over every term of the union:
    ``table.meta["m"]``) and ``direction`` (``positive``/``negative``/``none``).

    ``by="range"`` counts documents instead of tokens (needs doc counts and n_docs).
    ``select`` keeps ``"all"``, ``"positive"`` or ``"negative"`` keywords; rows are sorted by
    ``sort_by`` (default: the first measure; p-values and lockwords ascending; directional
    measures ascending for negative keywords) and cut to ``top``.  ``min_count`` keeps rows
    with a + b >= min_count (a display filter: m is not reduced).  ``compat="quanteda"``
    reproduces quanteda's textstat_keyness numbers for g2, chi2 and pmi.
    A UserWarning is raised when the two tables were counted with different tokenizer or
    normalisation settings.
    """
    t_tab = _as_table(target)
    r_tab = _as_table(reference, reference=True)
    _warn_settings(t_tab, r_tab)
    opts, keep = _options(measures=measures, correction=correction, continuity=continuity,
                          by=by, min_count=min_count, sort_by=sort_by, top=top, select=select,
                          simple_maths_k=simple_maths_k, alpha=alpha,
                          lrc_bonferroni=lrc_bonferroni, compat=compat)
    out = _call_table(lib.lstats_keyness, t_tab._ptr, r_tab._ptr, opts)
    del keep
    return out


def keyness_docs(target, reference, measures=DOC_MEASURES, *, parts: int = 0,
                 correction=None, min_count: int = 1, sort_by=None, top: int | None = None,
                 select: str = "all") -> Table:
    """Document-level keyness between two corpora: per term, Cohen's d (``"cohens_d"``),
    Welch's t test (``"welch"``) and the Mann-Whitney U test (``"mwu"``) on the relative
    frequencies of the term in each document (``parts=0``) or in ``parts`` equal slices of
    each corpus.  Columns: term, a, b, n1, n2 (numbers of parts), mean_pm_a, mean_pm_b,
    cohens_d, welch_t, welch_df, welch_p, mwu_u, mwu_p, ``*_p_adj`` with a correction,
    direction."""
    from .corpus import Corpus

    for name, c in (("target", target), ("reference", reference)):
        if not isinstance(c, Corpus):
            raise TypeError(f"keyness_docs: the {name} must be a Corpus, not "
                            f"{type(c).__name__}")
    _warn_corpus_settings(target, reference)
    opts, keep = _options(measures=measures, correction=correction, continuity=None,
                          by="frequency", min_count=min_count, sort_by=sort_by, top=top,
                          select=select, simple_maths_k=1.0, alpha=0.05, lrc_bonferroni=True,
                          compat=None, n_parts=parts)
    out = _call_table(lib.lstats_corpus_keyness_docs, target._p(), reference._p(), opts)
    del keep
    return out


def _warn_corpus_settings(target, reference) -> None:
    to, ro = target.options, reference.options
    diffs = [f"{k}: {to[k]!r} vs {ro[k]!r}" for k in ("tokenizer", "normalize", "lowercase",
                                                       "keep_punct", "drop_numbers", "locale",
                                                       "compounds")
             if to.get(k) != ro.get(k)]
    if diffs:
        warnings.warn("keyness: target and reference corpora use different settings ("
                      + "; ".join(diffs) + ")", UserWarning, stacklevel=3)


def keyness_subset(corpus, target, *, documents: bool = False, **kwargs) -> Table:
    """Keyness of a subset of ``corpus`` against the rest of it (quanteda's ``target=``):
    ``target`` selects documents as ``Corpus.subset`` does (a boolean mask, names, indices or
    a callable on metadata rows).  ``documents=True`` runs the document-level tests
    (:func:`keyness_docs`) instead of the frequency-based ones (:func:`keyness`)."""
    idx = corpus._selector_indices(target)
    chosen = set(idx)
    rest = [i for i in range(len(corpus)) if i not in chosen]
    if not idx:
        raise InvalidArgumentError("keyness_subset: the target selects no document")
    if not rest:
        raise InvalidArgumentError("keyness_subset: the target selects every document, "
                                   "leaving no reference")
    sub_t = corpus.subset(idx)
    sub_r = corpus.subset(rest)
    try:
        if documents:
            return keyness_docs(sub_t, sub_r, **kwargs)
        return keyness(sub_t, sub_r, **kwargs)
    finally:
        sub_t.close()
        sub_r.close()


def _as_table(x, reference: bool = False) -> Table:
    from .corpus import Corpus

    if isinstance(x, Corpus):
        return x.frequencies()
    if isinstance(x, Table):
        if x.kind != "frequency":
            raise InvalidArgumentError(
                f"keyness needs a frequency table (kind=frequency), not kind={x.kind}")
        return x
    if reference or isinstance(x, (str, os.PathLike)):
        return load_reference(x)
    raise TypeError(f"keyness needs a Corpus or a frequency Table, not {type(x).__name__}")

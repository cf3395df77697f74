"""Concordance (keyword in context) lines: ``corpus.kwic(pattern, window=5, ...)``.

The C library matches the pattern on term ids after tokenizing and normalising it with the
corpus's own settings (so a phrase, case folding, NFKC, compounds and ``fold_script`` behave as
they did at ingestion) and cuts the contexts from the stored text at token offsets.
"""

from __future__ import annotations

import html
import re
import unicodedata

from ._ffi import ffi, lib, u8
from .errors import InvalidArgumentError, check
from .tables import Table

__all__ = ["Concordance", "kwic", "format_lines"]

_SPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    """Line breaks and runs of white space as one space (for display only)."""
    return _SPACE.sub(" ", text)


def display_width(text: str) -> int:
    """Terminal cells: East Asian wide/full-width characters take two, marks none."""
    w = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _fit_left(text: str, width: int) -> str:
    """The end of ``text`` in at most ``width`` cells, padded on the left."""
    out, w = [], 0
    for ch in reversed(text):
        cw = display_width(ch)
        if w + cw > width:
            break
        out.append(ch)
        w += cw
    return " " * (width - w) + "".join(reversed(out))


def _fit_right(text: str, width: int) -> str:
    out, w = [], 0
    for ch in text:
        cw = display_width(ch)
        if w + cw > width:
            break
        out.append(ch)
        w += cw
    return "".join(out)


def format_lines(left, match, right, width: int = 40, labels=None) -> str:
    """Aligned concordance lines: the left context right-aligned in ``width`` terminal cells,
    the match, the right context cut at ``width`` cells (CJK characters count two cells)."""
    lines = []
    label_w = max((display_width(x) for x in labels), default=0) if labels is not None else 0
    for i, (lc, m, rc) in enumerate(zip(left, match, right)):
        prefix = ""
        if labels is not None:
            lab = labels[i]
            prefix = lab + " " * (label_w - display_width(lab)) + "  "
        lines.append(f"{prefix}{_fit_left(_flat(lc).rstrip(), width)}  {_flat(m)}  "
                     f"{_fit_right(_flat(rc).lstrip(), width)}".rstrip())
    return "\n".join(lines) + ("\n" if lines else "")


class Concordance(Table):
    """A KWIC table (columns doc, doc_index, position, start, end, left, match, right) that
    renders in Jupyter as aligned lines with the match highlighted."""

    __slots__ = ()

    def to_text(self, width: int = 40, n: int | None = None) -> str:
        """The lines aligned for a terminal (``n``: the first n lines; None: all)."""
        t = self if n is None or n >= len(self) else self.take(range(n))
        labels = [f"{d}:{p}" for d, p in zip(t.column("doc"), t.column("position"))]
        return format_lines(t.column("left"), t.column("match"), t.column("right"), width,
                            labels)

    def __repr__(self) -> str:
        meta = self.meta
        return (f"<libstats.Concordance pattern={meta.get('pattern', '')!r} "
                f"lines={len(self)} matches={meta.get('n_matches', '?')} "
                f"window={meta.get('window', '?')}>")

    def _repr_html_(self, max_lines: int = 200) -> str:
        meta = self.meta
        n = len(self)
        t = self if n <= max_lines else self.take(range(max_lines))
        rows = []
        esc = html.escape
        for d, p, lc, m, rc in zip(t.column("doc"), t.column("position"), t.column("left"),
                                   t.column("match"), t.column("right")):
            rows.append(
                "<tr>"
                f"<td style='color:#888;text-align:left;white-space:nowrap'>{esc(str(d))}:{p}</td>"
                "<td style='text-align:right;white-space:nowrap;overflow:hidden;"
                f"max-width:32em;direction:rtl'><bdi>{esc(_flat(lc).rstrip())}</bdi></td>"
                "<td style='text-align:center;white-space:nowrap'>"
                f"<mark style='font-weight:bold'>{esc(_flat(m))}</mark></td>"
                "<td style='text-align:left;white-space:nowrap;overflow:hidden;max-width:32em'>"
                f"{esc(_flat(rc).lstrip())}</td></tr>")
        more = (f"<p>… {n - max_lines:,} more lines (use .to_pandas())</p>" if n > max_lines
                else "")
        head = (f"<b>libstats Concordance</b>: {esc(meta.get('pattern', ''))!s} "
                f"(terms: {esc(meta.get('query_terms', ''))}), {n:,} lines of "
                f"{esc(meta.get('n_matches', '?'))} matches, window {esc(meta.get('window', ''))}")
        return (f"<div><p>{head}</p><table style='font-family:monospace;border:0'>"
                f"{''.join(rows)}</table>{more}</div>")


def _sort_spec(sort) -> str | None:
    if sort is None:
        return None
    if isinstance(sort, str):
        return sort
    try:
        keys = list(sort)
    except TypeError:
        raise TypeError(f"sort must be a str or a list of str, not {type(sort).__name__}") \
            from None
    for k in keys:
        if not isinstance(k, str):
            raise TypeError(f"sort keys are str, not {type(k).__name__}")
    return ",".join(keys)


def _nonneg(name: str, value) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise InvalidArgumentError(f"{name} must be an int >= 0, not {value!r}")
    return int(value)


def kwic(corpus, pattern: str, window: int = 5, limit: int | None = None,
         sample: int | None = None, sort=None, seed: int = 0,
         ignore_case: bool = False) -> Concordance:
    """Concordance lines of ``pattern`` (a term or a phrase) in ``corpus``.

    ``window``: tokens of context on each side.  ``limit``: at most this many lines (after
    sorting).  ``sample``: a random sample of this many lines (reproducible from ``seed``),
    in corpus order unless sorted.  ``sort``: ``"right1"``, ``"left1,left2"``, ``"match"`` or a
    list of such keys (AntConc's sort levels; ties keep corpus order).  ``ignore_case``: match
    regardless of case when the corpus kept case (``lowercase=False``).

    Raises StateError when the corpus was built with ``keep_text=False``.
    """
    if isinstance(pattern, bytes):
        pattern = pattern.decode("utf-8")
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be str, not {type(pattern).__name__}")
    opts = ffi.new("lstats_kwic_options *")
    check(lib.lstats_kwic_options_init(opts, lib.LSTATS_KWIC_OPTIONS_VERSION))
    opts.window = _nonneg("window", window)
    if sample is not None:
        opts.sample = 1
        opts.limit = _nonneg("sample", sample)
        if opts.limit == 0:
            raise InvalidArgumentError("sample must be >= 1")
        if limit is not None:
            raise InvalidArgumentError("give limit or sample, not both")
    elif limit is not None:
        opts.limit = _nonneg("limit", limit)
        if opts.limit == 0:
            raise InvalidArgumentError("limit must be >= 1 (None: all lines)")
    opts.seed = _nonneg("seed", seed) & 0xFFFFFFFFFFFFFFFF
    opts.ignore_case = 1 if ignore_case else 0
    keep = []
    spec = _sort_spec(sort)
    if spec is not None:
        c_sort = ffi.new("char[]", u8(spec))
        keep.append(c_sort)
        opts.sort = c_sort
    data = u8(pattern)
    out = ffi.new("lstats_table **")
    check(lib.lstats_corpus_kwic(corpus._p(), data, len(data), opts, out))
    del keep
    return Concordance._from_ptr(out[0])

"""Result tables: typed columns owned by the C library, wrapped without per-row copies."""

from __future__ import annotations

import html
import math
import os
import warnings

import numpy as np

from ._ffi import ffi, lib, s, u8
from .errors import InvalidArgumentError, LibstatsIOError, check

__all__ = ["Table", "load_table", "read_frequency_list"]

_NUMERIC = {
    lib.LSTATS_COL_U64: ("u64", np.dtype(np.uint64), "const uint64_t **", "lstats_table_column_u64"),
    lib.LSTATS_COL_I64: ("i64", np.dtype(np.int64), "const int64_t **", "lstats_table_column_i64"),
    lib.LSTATS_COL_F64: ("f64", np.dtype(np.float64), "const double **", "lstats_table_column_f64"),
}
_TYPE_NAMES = {lib.LSTATS_COL_STRING: "string", lib.LSTATS_COL_U64: "uint64",
               lib.LSTATS_COL_I64: "int64", lib.LSTATS_COL_F64: "float64"}

# Metadata keys worth showing in a one-line repr / the HTML header, in this order.
_META_HIGHLIGHTS = ("kind", "n", "n_tokens", "n_docs", "tokenizer", "normalize", "lowercase",
                    "min_count", "settings_mismatch", "icu_version")


def _call_table(fn, *args) -> "Table":
    """Call a C function whose last argument is ``lstats_table **out``; wrap the result."""
    out = ffi.new("lstats_table **")
    check(fn(*args, out))
    return Table._from_ptr(out[0])


class _ColumnBuffer:
    """Exposes borrowed C column memory to numpy and keeps the owning Table alive.

    ``np.asarray(buf)`` gives an array whose ``.base`` is this object, which holds a reference
    to the Table, whose ``ffi.gc`` pointer frees the C table only when nothing refers to it.
    """

    __slots__ = ("table", "__array_interface__")

    def __init__(self, table: "Table", address: int, nbytes_shape: tuple, typestr: str):
        self.table = table
        self.__array_interface__ = {
            "shape": nbytes_shape,
            "typestr": typestr,
            "data": (address, True),  # read-only: the table is immutable
            "version": 3,
        }


def _address(ptr) -> int:
    return int(ffi.cast("uintptr_t", ptr))


def _decode_strings(blob: bytes, offsets: np.ndarray) -> list:
    """Slice one UTF-8 blob into str objects at the given byte offsets.

    The blob is decoded once; byte offsets become character offsets through a vectorised
    count of UTF-8 lead bytes, so the only per-row work is the str slice itself.
    """
    n = len(offsets) - 1
    if n <= 0:
        return []
    text = blob.decode("utf-8")
    base = int(offsets[0])
    if len(text) == len(blob):  # pure ASCII: byte offsets are character offsets
        coffs = offsets - base
    else:
        raw = np.frombuffer(blob, dtype=np.uint8)
        lead = (raw & 0xC0) != 0x80
        cum = np.empty(len(raw) + 1, dtype=np.int64)
        cum[0] = 0
        np.cumsum(lead, out=cum[1:])
        coffs = cum[offsets - base]
    c = coffs.tolist()
    return [text[a:b] for a, b in zip(c[:-1], c[1:])]


def _strings_array(values: list) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


try:  # optional: Arrow-backed pandas strings straight from the C blob
    import pyarrow as _pa
except ImportError:  # pragma: no cover - depends on the environment
    _pa = None


class Table:
    """A result table of typed columns (``term``, ``count``, ``per_million``, ...).

    Numeric columns are numpy views of the C memory (read-only, no copy); string columns are
    built from the C blob in one step.  Tables are immutable, picklable (through the saved
    table format) and mergeable when they hold counts.
    """

    __slots__ = ("_ptr", "_nrows", "_columns", "_types", "__weakref__")

    def __init__(self):
        raise TypeError("Table objects come from libstats calls (corpus.frequencies(), "
                        "ls.load_table(), ...)")

    @classmethod
    def _from_ptr(cls, ptr) -> "Table":
        if ptr == ffi.NULL:
            raise InvalidArgumentError("the C library returned no table")
        self = object.__new__(cls)
        self._ptr = ffi.gc(ptr, lib.lstats_table_free)
        self._nrows = int(lib.lstats_table_nrows(ptr))
        ncols = int(lib.lstats_table_ncols(ptr))
        self._columns = [s(lib.lstats_table_column_name(ptr, i)) for i in range(ncols)]
        self._types = [int(lib.lstats_table_column_type(ptr, i)) for i in range(ncols)]
        return self

    # ------------------------------------------------------------------ shape
    def __len__(self) -> int:
        return self._nrows

    @property
    def columns(self) -> list:
        """Column names, in order."""
        return list(self._columns)

    @property
    def dtypes(self) -> dict:
        """Column name -> "string" | "uint64" | "int64" | "float64"."""
        return {n: _TYPE_NAMES.get(t, "?") for n, t in zip(self._columns, self._types)}

    @property
    def shape(self) -> tuple:
        return (self._nrows, len(self._columns))

    def __contains__(self, name) -> bool:
        return name in self._columns

    # ------------------------------------------------------------------ metadata
    @property
    def meta(self) -> dict:
        """Metadata (kind, n, n_tokens, tokenizer settings, ...) as a dict of str."""
        p = self._ptr
        return {s(lib.lstats_table_meta_key(p, i)): s(lib.lstats_table_meta_value(p, i))
                for i in range(int(lib.lstats_table_meta_count(p)))}

    @property
    def kind(self) -> str | None:
        v = lib.lstats_table_meta_get(self._ptr, b"kind")
        return s(v)

    # ------------------------------------------------------------------ columns
    def _index(self, name: str) -> int:
        if not isinstance(name, str):
            raise TypeError(f"column names are str, not {type(name).__name__}")
        col = ffi.new("size_t *")
        check(lib.lstats_table_column_index(self._ptr, u8(name), col))
        return int(col[0])

    def column(self, name: str) -> np.ndarray:
        """The column ``name`` as a numpy array.

        Numeric columns are read-only views of the table's memory (no copy; the array keeps
        the table alive).  String columns are object arrays of str.
        """
        i = self._index(name)
        ctype = self._types[i]
        if ctype in _NUMERIC:
            _, dtype, ptrtype, fname = _NUMERIC[ctype]
            out = ffi.new(ptrtype)
            check(getattr(lib, fname)(self._ptr, i, out))
            if self._nrows == 0 or out[0] == ffi.NULL:
                return np.empty(0, dtype=dtype)
            buf = _ColumnBuffer(self, _address(out[0]), (self._nrows,), dtype.str)
            return np.asarray(buf)
        if ctype == lib.LSTATS_COL_STRING:
            return _strings_array(self._string_list(i))
        raise InvalidArgumentError(f"column {name!r} has an unknown type {ctype}")

    __getitem__ = column

    def _string_raw(self, i: int):
        """(blob bytes from offsets[0], int64 offsets view) of string column i."""
        blob = ffi.new("const char **")
        offs = ffi.new("const int64_t **")
        check(lib.lstats_table_column_string(self._ptr, i, blob, offs))
        n = self._nrows
        if offs[0] == ffi.NULL:
            return b"", np.zeros(n + 1, dtype=np.int64), ffi.NULL
        offsets = np.asarray(_ColumnBuffer(self, _address(offs[0]), (n + 1,), "<i8"))
        start, end = int(offsets[0]), int(offsets[n])
        data = ffi.buffer(blob[0] + start, end - start)[:] if end > start else b""
        return data, offsets, blob[0]

    def _string_list(self, i: int) -> list:
        raw = self._string_raw(i)
        return _decode_strings(raw[0], raw[1])

    def _string_series(self, i: int, name: str):
        import pandas as pd

        if _pa is not None and self._nrows > 0:
            try:
                data, offsets, blob_ptr = self._string_raw(i)
                holder = _ColumnBuffer(self, 0, (0,), "|u1")
                start = int(offsets[0])
                offs = offsets - start if start else offsets
                arr = _pa.LargeStringArray.from_buffers(
                    self._nrows,
                    _pa.py_buffer(np.ascontiguousarray(offs)),
                    _pa.foreign_buffer(_address(blob_ptr) + start, len(data), base=holder),
                )
                return arr.to_pandas().rename(name)
            except Exception:  # pragma: no cover - fall back to the numpy path
                pass
        return pd.Series(self._string_list(i), name=name, dtype="str"
                         if _pandas_has_str_dtype() else object)

    def to_pandas(self):
        """A DataFrame with one row per table row and one column per table column.

        Numeric columns share memory with the table (``copy=False``).
        """
        import pandas as pd

        data = {}
        for i, name in enumerate(self._columns):
            if self._types[i] == lib.LSTATS_COL_STRING:
                data[name] = self._string_series(i, name)
            else:
                data[name] = self.column(name)
        return pd.DataFrame(data, copy=False)

    def to_dict(self) -> dict:
        """Column name -> numpy array."""
        return {name: self.column(name) for name in self._columns}

    # ------------------------------------------------------------------ derived tables
    def top(self, k: int | None = 20, by: str | None = None, ascending: bool = False) -> "Table":
        """A new table sorted by column ``by`` (default ``count`` when present, else the
        first numeric column), cut to the first ``k`` rows (``None`` or 0: all)."""
        if by is None:
            if "count" in self._columns:
                by = "count"
            else:
                numeric = [n for n, t in zip(self._columns, self._types)
                           if t != lib.LSTATS_COL_STRING]
                if not numeric:
                    raise InvalidArgumentError("top(): the table has no numeric column; "
                                               "pass by=")
                by = numeric[0]
        k = 0 if k is None else int(k)
        if k < 0:
            raise InvalidArgumentError(f"top(): k must be >= 0, not {k}")
        return _call_table(lib.lstats_table_top, self._ptr, u8(by), 0 if ascending else 1, k)

    def take(self, rows) -> "Table":
        """A new table of the given row indices, in that order."""
        idx = np.asarray(rows, dtype=np.int64).ravel()
        if idx.size and (idx.min() < 0 or idx.max() >= self._nrows):
            raise IndexError(f"row index out of range for a table of {self._nrows} rows")
        arr = np.ascontiguousarray(idx, dtype=np.uintp)
        ptr = ffi.cast("const size_t *", ffi.from_buffer(arr)) if arr.size else ffi.NULL
        return _call_table(lib.lstats_table_take, self._ptr, ptr, arr.size)

    def head(self, n: int = 5) -> "Table":
        return self.take(range(min(n, self._nrows)))

    def tail(self, n: int = 5) -> "Table":
        return self.take(range(max(0, self._nrows - n), self._nrows))

    def merge(self, other: "Table") -> "Table":
        """Merge two count tables by addition (counts and document counts summed, sizes added,
        per-million recomputed).  Warns when the tokenizer settings differ."""
        if not isinstance(other, Table):
            raise TypeError(f"merge() needs a Table, not {type(other).__name__}")
        out = _call_table(lib.lstats_table_merge, self._ptr, other._ptr)
        mismatch = lib.lstats_table_meta_get(out._ptr, b"settings_mismatch")
        if mismatch != ffi.NULL:
            warnings.warn(f"merged tables were counted with different settings "
                          f"(settings_mismatch: {s(mismatch)})", UserWarning, stacklevel=2)
        return out

    def __add__(self, other):
        if not isinstance(other, Table):
            return NotImplemented
        return self.merge(other)

    # ------------------------------------------------------------------ persistence
    def save(self, path) -> None:
        """Save in the libstats table format (checksummed, compressed); see load_table()."""
        check(lib.lstats_table_save(self._ptr, u8(path, path=True)))

    def to_tsv(self, path, columns=None) -> None:
        """Write a TSV file: a header line of column names, then one line per row (tabs,
        newlines and backslashes in strings escaped as \\t, \\n, \\r and \\\\).

        ``columns`` selects and orders columns; ``["term", "count", "doc_count"]`` gives the
        interchange form that ``read_frequency_list`` reads back.
        """
        if columns is None:
            check(lib.lstats_table_write_tsv(self._ptr, u8(path, path=True)))
            return
        columns = [columns] if isinstance(columns, str) else list(columns)
        data = [self.column(c).tolist() for c in columns]
        lines = ["\t".join(_tsv_escape(c) for c in columns)]
        lines.extend("\t".join(_tsv_cell(v) for v in row) for row in zip(*data))
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(lines) + "\n")
        except OSError as exc:
            raise LibstatsIOError(f"{os.fspath(path)}: cannot write: "
                                  f"{exc.strerror or exc}") from None

    def to_bytes(self) -> bytes:
        """The saved form in memory (what save() writes)."""
        buf = ffi.new("void **")
        size = ffi.new("size_t *")
        check(lib.lstats_table_dump(self._ptr, buf, size))
        try:
            return ffi.buffer(buf[0], size[0])[:]
        finally:
            lib.lstats_buffer_free(buf[0])

    @classmethod
    def from_bytes(cls, data) -> "Table":
        """A table from to_bytes() output; corrupt data raises FormatError."""
        mv = memoryview(data).cast("B")
        src = ffi.from_buffer(mv) if len(mv) else ffi.NULL
        return _call_table(lib.lstats_table_undump, src, len(mv))

    def __reduce__(self):
        return (_table_from_bytes, (self.to_bytes(),))

    def __copy__(self):
        return self  # immutable

    def __deepcopy__(self, memo):
        return self

    # ------------------------------------------------------------------ plotting
    def plot(self, kind: str = "bar", n: int = 20, by: str | None = None, ax=None, **kwargs):
        """Plot with matplotlib (the ``plot`` extra): ``kind="bar"`` draws the top ``n`` rows
        by ``by`` (default ``count``) as horizontal bars; ``kind="zipf"`` draws value against
        rank on log-log axes.  Returns the Axes."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - optional dependency
            raise ImportError("Table.plot needs matplotlib: pip install 'libstats[plot]'") \
                from None
        if ax is None:
            _, ax = plt.subplots()
        if kind == "bar":
            top = self.top(n, by=by)
            col = by or ("count" if "count" in top.columns else None)
            if col is None:
                raise InvalidArgumentError("plot(): pass by= (the table has no count column)")
            labels = top.column(top.columns[0]).tolist() if \
                top._types[0] == lib.LSTATS_COL_STRING else list(range(len(top)))
            ax.barh(range(len(top)), top.column(col), **kwargs)
            ax.set_yticks(range(len(top)), [str(x) for x in labels])
            ax.invert_yaxis()
            ax.set_xlabel(col)
        elif kind == "zipf":
            col = by or "count"
            values = np.sort(np.asarray(self.column(col), dtype=float))[::-1]
            ax.loglog(np.arange(1, len(values) + 1), values, **kwargs)
            ax.set_xlabel("rank")
            ax.set_ylabel(col)
        else:
            raise InvalidArgumentError(f"plot(): kind must be 'bar' or 'zipf', not {kind!r}")
        return ax

    # ------------------------------------------------------------------ display
    def _meta_highlights(self) -> list:
        meta = self.meta
        return [(k, meta[k]) for k in _META_HIGHLIGHTS if k in meta]

    def __repr__(self) -> str:
        parts = [f"{k}={v}" for k, v in self._meta_highlights()[:4]]
        parts.append(f"rows={self._nrows}")
        parts.append("columns=[" + ", ".join(self._columns) + "]")
        return "<libstats.Table " + " ".join(parts) + ">"

    def _preview_frame(self, head: int = 10, tail: int = 5):
        import pandas as pd

        n = self._nrows
        if n <= head + tail:
            df = self.to_pandas()
            return df, False
        top = self.take(range(head)).to_pandas()
        top.index = range(head)
        bottom = self.take(range(n - tail, n)).to_pandas()
        bottom.index = range(n - tail, n)
        gap = pd.DataFrame({c: ["…"] for c in top.columns}, index=["…"])
        df = pd.concat([top.astype(object), gap, bottom.astype(object)])
        return df, True

    def _repr_html_(self) -> str:
        highlights = self._meta_highlights()
        head = "".join(
            f"<span style='margin-right:1em'><b>{html.escape(k)}</b>: {html.escape(v)}</span>"
            for k, v in highlights)
        df, _ = self._preview_frame()
        body = df.to_html(escape=True, max_rows=None, max_cols=None, border=0)
        return (f"<div><p><b>libstats Table</b>: {self._nrows:,} rows &times; "
                f"{len(self._columns)} columns<br>{head}</p>{body}</div>")


def _tsv_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _tsv_cell(value) -> str:
    if isinstance(value, str):
        return _tsv_escape(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if math.isnan(value)
                                                        else "inf" if value > 0 else "-inf")
    return str(value)


def _pandas_has_str_dtype() -> bool:
    import pandas as pd

    return int(pd.__version__.split(".")[0]) >= 3


def _table_from_bytes(data) -> Table:
    return Table.from_bytes(data)


def load_table(path) -> Table:
    """Load a table written by Table.save(); a corrupt or truncated file raises FormatError."""
    return _call_table(lib.lstats_table_load, u8(path, path=True))


def read_frequency_list(path, duplicates: str = "error") -> Table:
    """Read ``term<TAB>count[<TAB>doc_count]`` lines into a frequency table.

    ``duplicates="error"`` refuses a term listed twice (the message names both lines);
    ``"sum"`` adds their counts.
    """
    modes = {"error": lib.LSTATS_DUPLICATES_ERROR, "sum": lib.LSTATS_DUPLICATES_SUM}
    if duplicates not in modes:
        raise InvalidArgumentError(f"duplicates must be 'error' or 'sum', not {duplicates!r}")
    opts = ffi.new("lstats_freqlist_options *")
    check(lib.lstats_freqlist_options_init(opts, lib.LSTATS_FREQLIST_OPTIONS_VERSION))
    opts.duplicates = modes[duplicates]
    return _call_table(lib.lstats_read_frequency_list, u8(path, path=True), opts)

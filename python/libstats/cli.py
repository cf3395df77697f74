"""The ``libstats`` command line (also ``python -m libstats``).

One function per subcommand (``cmd_<name>``) plus one parser builder (``_parser_<name>``),
registered in ``COMMANDS``; shared options come from ``add_corpus_options`` and
``add_output_options``.  Results go to stdout, diagnostics to stderr.  Exit status: 0 success,
1 data or processing error ("libstats: error: ..."), 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import unicodedata

__all__ = ["main", "build_parser", "format_table"]

PROG = "libstats"
STDIN_NAME = "<stdin>"


# ---------------------------------------------------------------------- output


def display_width(text: str) -> int:
    """Terminal cells taken by ``text``: East Asian wide/full-width characters take two,
    combining marks and zero-width characters none."""
    w = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _truncate(text: str, max_width: int) -> str:
    if max_width <= 0 or display_width(text) <= max_width:
        return text
    out, w = [], 0
    for ch in text:
        cw = display_width(ch)
        if w + cw > max_width - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def _special_float(value: float):
    """The text of NaN and infinities (the same in every output format), else None."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        special = _special_float(value)
        return special if special is not None else f"{value:.2f}"
    return str(value).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_table(columns: list, rows: list, max_width: int = 0) -> str:
    """Aligned plain-text columns (numbers right-aligned, text left-aligned; wide CJK
    characters counted as two cells)."""
    cells = [[_truncate(_cell(v), max_width) if isinstance(v, str) else _cell(v) for v in r]
             for r in rows]
    widths = [display_width(c) for c in columns]
    for r in cells:
        for j, c in enumerate(r):
            widths[j] = max(widths[j], display_width(c))
    numeric = [bool(rows) and all(_is_number(r[j]) for r in rows) for j in range(len(columns))]

    def line(values):
        parts = []
        for j, v in enumerate(values):
            pad = " " * (widths[j] - display_width(v))
            parts.append(pad + v if numeric[j] else v + pad)
        return "  ".join(parts).rstrip()

    out = [line([str(c) for c in columns])]
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(r) for r in cells)
    return "\n".join(out) + "\n"


def _tsv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        special = _special_float(value)
        return special if special is not None else repr(value)
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def format_tsv(columns: list, rows: list) -> str:
    lines = ["\t".join(columns)]
    lines.extend("\t".join(_tsv_value(v) for v in r) for r in rows)
    return "\n".join(lines) + "\n"


def _json_value(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _records(columns: list, rows: list) -> list:
    return [{c: _json_value(v) for c, v in zip(columns, r)} for r in rows]


def _frame_rows(df) -> tuple:
    """(column names, rows of plain Python values) of a DataFrame."""
    columns = [str(c) for c in df.columns]
    data = [df[c].tolist() for c in df.columns]
    rows = [list(r) for r in zip(*data)] if data else []
    return columns, rows


def emit(df, fmt: str, out=None, *, max_width: int = 0, title: str | None = None) -> None:
    """Write a DataFrame to ``out`` as table, tsv or json."""
    out = out or sys.stdout
    columns, rows = _frame_rows(df)
    if fmt == "json":
        json.dump(_records(columns, rows), out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "tsv":
        out.write(format_tsv(columns, rows))
    else:
        if title:
            out.write(title + "\n")
        out.write(format_table(columns, rows, max_width=max_width))


def _default_format() -> str:
    try:
        return "table" if sys.stdout.isatty() else "tsv"
    except (AttributeError, ValueError):
        return "tsv"


# ---------------------------------------------------------------------- shared options


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    """Options that control how input becomes a corpus (shared by every subcommand)."""
    g = p.add_argument_group("input and tokenization")
    g.add_argument("--tokenizer", choices=["icu", "whitespace", "han"], default="icu",
                   help="icu: ICU word break (dictionary for Chinese/Japanese/Thai); "
                        "whitespace: pre-segmented text; han: each Han character a token "
                        "(default: %(default)s)")
    g.add_argument("--encoding", default="utf-8", metavar="auto|NAME",
                   help="input encoding: utf-8, auto (detect), or an encoding name "
                        "(default: %(default)s)")
    g.add_argument("--errors", choices=["strict", "replace"], default="strict",
                   help="invalid input bytes: an error, or replaced by U+FFFD and counted "
                        "(default: %(default)s)")
    g.add_argument("--no-lowercase", dest="lowercase", action="store_false",
                   help="keep case (default: full Unicode case folding)")
    g.add_argument("--normalize", choices=["nfkc", "nfc", "none"], default="nfkc",
                   help="Unicode normalization (default: %(default)s)")
    g.add_argument("--keep-punct", action="store_true", help="keep punctuation tokens")
    g.add_argument("--drop-numbers", action="store_true", help="drop number tokens")
    g.add_argument("--locale", default=None, help="ICU locale for word and sentence break")
    g.add_argument("--compounds", metavar="FILE", default=None,
                   help="a UTF-8 file of terms (one a line) merged from adjacent tokens")
    g.add_argument("--sentences", choices=["icu", "lines", "none"], default="icu",
                   help="sentence boundaries: ICU sentence break (default), one per line, none")
    g.add_argument("--fold-script", choices=["simplified", "traditional", "none"],
                   default="none",
                   help="fold every token to Simplified or Traditional characters, so that "
                        "發展 and 发展 are one term (default: %(default)s)")
    g.add_argument("--cleanup", action="append", choices=["pinyin_annotations"], default=None,
                   metavar="RULE",
                   help="cleanup rule applied before tokenizing (repeatable): "
                        "pinyin_annotations removes converter debris such as 發(fā) -> 發")
    g.add_argument("--threads", type=_nonneg_int, default=0, metavar="N",
                   help="worker threads (default: 0 = all cores)")
    g.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="always show a progress bar on stderr")
    g.add_argument("--no-progress", dest="progress", action="store_false",
                   help="never show a progress bar")


def add_output_options(p: argparse.ArgumentParser, top: int | None = 20) -> None:
    g = p.add_argument_group("output")
    g.add_argument("--format", choices=["table", "tsv", "json"], default=None,
                   help="output format (default: table on a terminal, tsv otherwise)")
    if top is not None:
        g.add_argument("--top", type=_nonneg_int, default=top, metavar="N",
                       help="show the first N rows (0: all; default: %(default)s)")


def _nonneg_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0: {text}")
    return v


def _pos_int(text: str) -> int:
    v = _nonneg_int(text)
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {text}")
    return v


def corpus_options(args) -> dict:
    return {
        "encoding": args.encoding,
        "errors": args.errors,
        "tokenizer": args.tokenizer,
        "locale": args.locale,
        "lowercase": args.lowercase,
        "normalize": None if args.normalize == "none" else args.normalize,
        "keep_punct": args.keep_punct,
        "drop_numbers": args.drop_numbers,
        "compounds": args.compounds,
        "n_threads": args.threads,
        "sentences": args.sentences,
        "fold_script": None if args.fold_script == "none" else args.fold_script,
        "cleanup": tuple(args.cleanup or ()),
    }


def _progress_arg(args):
    if args.progress is not None:
        return args.progress
    try:
        return None if sys.stderr.isatty() else False
    except (AttributeError, ValueError):
        return False


class corpus_from_args:
    """Context manager: the Corpus for ``args.paths`` (files, directories, globs, ``-``).

    Standard input is spooled to a temporary file so the C library's decoding (--encoding,
    --errors, gzip detection) applies to it exactly as to files.
    """

    def __init__(self, args):
        self.args = args
        self.tmp = None
        self.corpus = None

    def __enter__(self):
        from .corpus import Corpus, expand_paths

        files, names = [], []
        for p in self.args.paths:
            if p == "-":
                if self.tmp is None:
                    data = sys.stdin.buffer.read()
                    fd, self.tmp = tempfile.mkstemp(prefix="libstats-stdin-", suffix=".txt")
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(data)
                files.append(self.tmp)
                names.append(STDIN_NAME)
            else:
                for f in expand_paths(p):
                    files.append(f)
                    names.append(f)
        self.corpus = Corpus.from_files(files, names=names, progress=_progress_arg(self.args),
                                        **corpus_options(self.args))
        return self.corpus

    def __exit__(self, *exc):
        if self.corpus is not None:
            self.corpus.close()
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
        return False


# ---------------------------------------------------------------------- subcommands


def _ranked(table, top: int):
    t = table.top(top) if top else table
    df = t.to_pandas()
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def _parser_freq(sub) -> None:
    p = sub.add_parser("freq", help="term or n-gram frequencies",
                       description="Count terms (or n-grams) over all input documents.")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, directories (recursive .txt/.gz), glob patterns, or - (stdin)")
    p.add_argument("--ngram", type=_pos_int, default=1, metavar="N",
                   help="n-gram size, 1..5 (default: %(default)s)")
    p.add_argument("--min-count", type=_nonneg_int, default=1, metavar="N",
                   help="keep terms counted at least N times (default: %(default)s)")
    p.add_argument("--cross-sentences", action="store_true",
                   help="let n-grams span sentence boundaries")
    p.add_argument("--dispersion", action="store_true",
                   help="add dispersion measures (range, Juilland's D, Gries's DP, ARF, IDF...)")
    p.add_argument("--parts", type=_pos_int, default=None, metavar="K",
                   help="dispersion over K equal-sized parts of the corpus (default: the "
                        "documents)")
    add_output_options(p)
    add_corpus_options(p)
    p.set_defaults(func=cmd_freq)


def cmd_freq(args) -> int:
    with corpus_from_args(args) as corpus:
        table = corpus.frequencies(n=args.ngram, min_count=args.min_count,
                                   cross_sentences=args.cross_sentences,
                                   dispersion=args.dispersion or args.parts is not None,
                                   parts=args.parts)
    emit(_ranked(table, args.top), args.format or _default_format())
    return 0


def _parser_kwic(sub) -> None:
    p = sub.add_parser("kwic", help="concordance lines (keyword in context)",
                       description="Lines of PATTERN (a word or a phrase, tokenized and "
                                   "normalised like the corpus) with WINDOW tokens of context.")
    p.add_argument("pattern", metavar="PATTERN", help="a word or a phrase")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, directories (recursive .txt/.gz), glob patterns, or - (stdin)")
    p.add_argument("--window", type=_nonneg_int, default=5, metavar="N",
                   help="tokens of context on each side (default: %(default)s)")
    p.add_argument("--limit", type=_pos_int, default=None, metavar="N",
                   help="at most N lines (after sorting)")
    p.add_argument("--sample", type=_pos_int, default=None, metavar="N",
                   help="a random sample of N lines (reproducible with --seed)")
    p.add_argument("--seed", type=_nonneg_int, default=0, metavar="N",
                   help="seed of --sample (default: %(default)s)")
    p.add_argument("--sort", default=None, metavar="KEYS",
                   help="sort keys, e.g. right1 or left1,left2 or match (default: corpus order)")
    p.add_argument("--ignore-case", action="store_true",
                   help="match regardless of case (with --no-lowercase corpora)")
    p.add_argument("--width", type=_pos_int, default=40, metavar="CELLS",
                   help="terminal cells for each context in table output (default: %(default)s)")
    add_output_options(p, top=None)
    add_corpus_options(p)
    p.set_defaults(func=cmd_kwic)


def cmd_kwic(args) -> int:
    with corpus_from_args(args) as corpus:
        lines = corpus.kwic(args.pattern, window=args.window, limit=args.limit,
                            sample=args.sample, sort=args.sort, seed=args.seed,
                            ignore_case=args.ignore_case)
    fmt = args.format or _default_format()
    if fmt == "table":
        sys.stdout.write(lines.to_text(width=args.width))
        return 0
    df = lines.to_pandas()[["doc", "position", "start", "end", "left", "match", "right"]]
    emit(df, fmt)
    return 0


def _parser_summary(sub) -> None:
    p = sub.add_parser("summary", help="per-document summary",
                       description="One row per document: name, encoding, bytes, characters, "
                                   "tokens, types, sentences, replaced bytes.")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, directories (recursive .txt/.gz), glob patterns, or - (stdin)")
    add_output_options(p, top=None)
    add_corpus_options(p)
    p.set_defaults(func=cmd_summary)


def cmd_summary(args) -> int:
    with corpus_from_args(args) as corpus:
        df = corpus.summary()
    emit(df, args.format or _default_format())
    return 0


def _parser_demo(sub) -> None:
    p = sub.add_parser("demo", help="statistics of the bundled sample corpus",
                       description="The bundled DeepSeek sample corpus: per-document summary "
                                   "and the most frequent words and bigrams.")
    add_output_options(p)
    p.set_defaults(func=cmd_demo)


def cmd_demo(args) -> int:
    from . import datasets

    fmt = args.format or _default_format()
    top = args.top
    with datasets.deepseek(progress=False) as corpus:
        summ = corpus.summary()
        docs = summ[["name", "title", "bytes_in", "tokens", "types", "script"]].rename(
            columns={"bytes_in": "bytes"})
        words = _ranked(corpus.frequencies(n=1), top)[["rank", "term", "count", "doc_count"]]
        bigrams = _ranked(corpus.frequencies(n=2), top)[["rank", "term", "count", "doc_count"]]
        totals = (len(corpus), corpus.n_tokens, corpus.n_types)
    out = sys.stdout
    if fmt == "json":
        payload = {
            "documents": _records(*_frame_rows(docs)),
            "words": _records(*_frame_rows(words)),
            "bigrams": _records(*_frame_rows(bigrams)),
        }
        json.dump(payload, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    if fmt == "tsv":
        for name, df in (("documents", docs), ("words", words), ("bigrams", bigrams)):
            out.write(f"# {name}\n")
            emit(df, "tsv", out)
        return 0
    out.write(f"libstats demo: the bundled DeepSeek sample corpus ({totals[0]} documents, "
              f"{totals[1]:,} tokens, {totals[2]:,} types)\n\n")
    emit(docs, "table", out, max_width=28)
    out.write(f"\nThe {top or 'all'} most frequent words\n")
    emit(words, "table", out)
    out.write(f"\nThe {top or 'all'} most frequent bigrams\n")
    emit(bigrams, "table", out)
    return 0


def _parser_keyness(sub) -> None:
    p = sub.add_parser("keyness", help="keywords of a target against a reference",
                       description="Keyness of the terms of the TARGET files against a "
                                   "reference: corpus files, a saved table or a TSV frequency "
                                   "list (term<TAB>count[<TAB>doc_count]).")
    p.add_argument("paths", nargs="+", metavar="TARGET",
                   help="files, directories (recursive .txt/.gz), glob patterns, or - (stdin)")
    p.add_argument("--reference", nargs="+", required=True, metavar="PATH",
                   help="reference corpus files, or one saved table / .tsv frequency list")
    p.add_argument("--measure", action="append", default=None, metavar="NAME",
                   help="a measure (repeatable; default: g2 and log_ratio); 'all' for every "
                        "one")
    p.add_argument("--correction", choices=["bonferroni", "holm", "sidak", "bh"],
                   default=None, help="multiple-testing correction of p (adds p_adj)")
    p.add_argument("--continuity", choices=["yates", "williams"], default=None,
                   help="continuity correction of g2 and chi2")
    p.add_argument("--by", choices=["frequency", "range"], default="frequency",
                   help="count tokens or documents (default: %(default)s)")
    p.add_argument("--min-count", type=_nonneg_int, default=1, metavar="N",
                   help="show terms with a + b >= N (default: %(default)s)")
    p.add_argument("--sort-by", default=None, metavar="COLUMN",
                   help="sort column (default: the first measure)")
    sel = p.add_mutually_exclusive_group()
    sel.add_argument("--negative", action="store_true", help="negative keywords only")
    sel.add_argument("--positive", action="store_true", help="positive keywords only")
    p.add_argument("--compat", choices=["quanteda"], default=None,
                   help="reproduce quanteda's textstat_keyness numbers (g2, chi2, pmi)")
    add_output_options(p)
    add_corpus_options(p)
    p.set_defaults(func=cmd_keyness)


def _reference_table(paths, args):
    from .keyness import load_reference

    if len(paths) == 1 and os.path.isfile(paths[0]):
        with open(paths[0], "rb") as fh:
            magic = fh.read(8)
        if magic == b"LSTATSTB" or paths[0].lower().endswith((".tsv", ".tsv.gz")):
            return load_reference(paths[0])
    ns = argparse.Namespace(**vars(args))
    ns.paths = paths
    with corpus_from_args(ns) as ref:
        return ref.frequencies()


def cmd_keyness(args) -> int:
    select = "negative" if args.negative else "positive" if args.positive else "all"
    reference = _reference_table(args.reference, args)
    with corpus_from_args(args) as corpus:
        table = corpus.keyness(reference, measures=args.measure or ("g2", "log_ratio"),
                               correction=args.correction, continuity=args.continuity,
                               by=args.by, min_count=args.min_count, sort_by=args.sort_by,
                               top=args.top or None, select=select, compat=args.compat)
    df = table.to_pandas()
    df.insert(0, "rank", range(1, len(df) + 1))
    emit(df, args.format or _default_format())
    return 0


def _parser_scripts(sub) -> None:
    p = sub.add_parser("scripts", help="Traditional vs Simplified script variants",
                       description="Traditional-only, Simplified-only, shared and variant Han "
                                   "characters per document (or for all input), ratio_trad with "
                                   "a Wilson interval, and a label (README \"Scripts\"). "
                                   "Without --mix/--terms/--cleanup/--fold-script the files are "
                                   "read without tokenizing (fast path).")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, directories (recursive .txt/.gz), glob patterns, or - (stdin)")
    p.add_argument("--by", choices=["document", "corpus"], default="document",
                   help="one row per document or one for all input (default: %(default)s)")
    p.add_argument("--traditional-min", type=float, default=0.9, metavar="R",
                   help="label Traditional when ratio_trad >= R (default: %(default)s)")
    p.add_argument("--simplified-max", type=float, default=0.1, metavar="R",
                   help="label Simplified when ratio_trad <= R (default: %(default)s)")
    p.add_argument("--confidence", type=float, default=0.95, metavar="P",
                   help="level of the Wilson interval (default: %(default)s)")
    p.add_argument("--mix", action="store_true",
                   help="show the script mix (code points per Unicode script) instead")
    p.add_argument("--terms", action="store_true",
                   help="show the terms written in more than one form instead")
    p.add_argument("--min-count", type=_nonneg_int, default=1, metavar="N",
                   help="--terms: keys counted at least N times (default: %(default)s)")
    add_output_options(p, top=None)
    add_corpus_options(p)
    p.set_defaults(func=cmd_scripts)


def cmd_scripts(args) -> int:
    from . import scripts

    fmt = args.format or _default_format()
    kw = {"traditional_min": args.traditional_min, "simplified_max": args.simplified_max,
          "confidence": args.confidence}
    fast = (not args.mix and not args.terms and "-" not in args.paths
            and not args.cleanup and args.fold_script == "none")
    if fast:
        from .corpus import expand_paths

        files = [f for p in args.paths for f in expand_paths(p)]
        table = scripts.script_variants_files(files, by=args.by, encoding=args.encoding,
                                              errors=args.errors,
                                              progress=_progress_arg(args), **kw)
        emit(table.to_pandas(), fmt)
        return 0
    with corpus_from_args(args) as corpus:
        if args.mix:
            df = corpus.script_mix().to_pandas()
        elif args.terms:
            df = corpus.variant_terms(min_count=args.min_count).to_pandas()
        else:
            df = corpus.script_variants(by=args.by, **kw).to_pandas()
    emit(df, fmt)
    return 0


def _colloc_common(p) -> None:
    p.add_argument("--measure", action="append", default=None, metavar="NAME",
                   help="an association measure (repeatable; default: g2, pmi, logdice, t); "
                        "'all' for every one (README \"Collocations\")")
    p.add_argument("--min-count", type=_nonneg_int, default=1, metavar="N",
                   help="rows with o11 >= N (default: %(default)s)")
    p.add_argument("--sort-by", default=None, metavar="MEASURE",
                   help="sort column (default: the first measure; o11 for counts)")
    p.add_argument("--stopwords", default=None, metavar="FILE",
                   help="drop rows with a word from FILE (one per line)")
    p.add_argument("--min-length", type=_nonneg_int, default=0, metavar="N",
                   help="words of at least N characters")
    p.add_argument("--drop-punct", action="store_true", help="drop punctuation-only words")
    p.add_argument("--cross-sentences", action="store_true",
                   help="let n-grams and windows cross sentence boundaries")
    p.add_argument("--alpha", type=float, default=0.05,
                   help="1 - confidence level of the *_cons measures (default: %(default)s)")


def _colloc_kw(args) -> dict:
    return {"measures": args.measure or None, "min_count": args.min_count,
            "sort_by": args.sort_by, "top": args.top or None, "stopwords": args.stopwords,
            "min_length": args.min_length, "drop_punct": args.drop_punct,
            "sentence_bounded": not args.cross_sentences,
            "alpha": args.alpha}


def _parser_colloc(sub) -> None:
    p = sub.add_parser("colloc", help="n-gram collocations with association measures",
                       description="Adjacent n-gram collocations (n = 2..4) with any "
                                   "association measure (README \"Collocations\").")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, directories (recursive .txt/.gz), glob patterns, or - (stdin)")
    p.add_argument("--n", type=int, choices=[2, 3, 4], default=2, help="n-gram size")
    p.add_argument("--compat", choices=["nltk"], default=None,
                   help="reproduce NLTK's collocation finders' numbers")
    _colloc_common(p)
    add_output_options(p)
    add_corpus_options(p)
    p.set_defaults(func=cmd_colloc)


def cmd_colloc(args) -> int:
    with corpus_from_args(args) as corpus:
        table = corpus.collocations(n=args.n, compat=args.compat, **_colloc_kw(args))
    df = table.to_pandas()
    df.insert(0, "rank", range(1, len(df) + 1))
    emit(df, args.format or _default_format())
    return 0


def _window_arg(text: str):
    parts = text.split(",")
    try:
        vals = [int(x) for x in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(f"window is L,R or N: {text!r}") from None
    if len(vals) == 1:
        vals = vals * 2
    if len(vals) != 2 or min(vals) < 0:
        raise argparse.ArgumentTypeError(f"window is L,R or N with L, R >= 0: {text!r}")
    return tuple(vals)


def _parser_collocates(sub) -> None:
    p = sub.add_parser("collocates", help="window collocates of a word or phrase",
                       description="Words within L tokens left and R right of each occurrence "
                                   "of NODE, with left/right counts and association measures.")
    p.add_argument("node", metavar="NODE", help="a word or phrase")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, directories (recursive .txt/.gz), glob patterns, or - (stdin)")
    p.add_argument("--window", type=_window_arg, default=(5, 5), metavar="L,R",
                   help="tokens left,right of the node (default: 5,5)")
    _colloc_common(p)
    add_output_options(p)
    add_corpus_options(p)
    p.set_defaults(func=cmd_collocates)


def cmd_collocates(args) -> int:
    with corpus_from_args(args) as corpus:
        table = corpus.collocates(args.node, window=args.window, **_colloc_kw(args))
    df = table.to_pandas()
    df.insert(0, "rank", range(1, len(df) + 1))
    emit(df, args.format or _default_format())
    return 0


#: Subcommand name -> parser builder.  A new subcommand adds a _parser_X and a cmd_X.
COMMANDS = {
    "freq": _parser_freq,
    "summary": _parser_summary,
    "demo": _parser_demo,
    "scripts": _parser_scripts,
    "keyness": _parser_keyness,
    "kwic": _parser_kwic,
    "colloc": _parser_colloc,
    "collocates": _parser_collocates,
}


def _version_text() -> str:
    from . import __c_version__, __icu_version__, __version__

    return f"{PROG} {__version__} (C library {__c_version__}, ICU {__icu_version__})"


class _VersionAction(argparse.Action):
    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help="show the version and exit"):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(_version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Corpus statistics: frequencies and n-grams over text files.",
        epilog="Start with: libstats demo")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for build in COMMANDS.values():
        build(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # usage errors exit with status 2
    from .errors import LibstatsError

    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return 1
    except (LibstatsError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Script variants of Chinese text: Traditional vs Simplified ratios and labels, script mix,
variant terms, folding and cleanup (README "Scripts").

The class of every Han code point (shared, Traditional-only, Simplified-only, variant) comes from
a table that the C library generates at build time from ICU's Hant-Hans and Hans-Hant
transforms; nothing is transformed at run time.
"""

from __future__ import annotations


from ._ffi import ffi, lib, u8
from ._progress import progress_call
from .errors import InvalidArgumentError, check
from .tables import Table, _call_table

__all__ = ["script_variants", "script_variants_files", "script_mix", "variant_terms",
           "han_class", "fold_text", "cleanup_text", "FOLD_SCRIPTS", "CLEANUP_RULES",
           "fold_script_value", "cleanup_value"]

#: fold_script= values -> LSTATS_FOLD_*.
FOLD_SCRIPTS = {
    None: lib.LSTATS_FOLD_NONE,
    "none": lib.LSTATS_FOLD_NONE,
    "simplified": lib.LSTATS_FOLD_SIMPLIFIED,
    "traditional": lib.LSTATS_FOLD_TRADITIONAL,
}
#: cleanup= rule names -> LSTATS_CLEANUP_* bits.
CLEANUP_RULES = {"pinyin_annotations": lib.LSTATS_CLEANUP_PINYIN_ANNOTATIONS}
#: LSTATS_HAN_* -> class name.
CLASS_NAMES = {
    lib.LSTATS_HAN_NONE: "none",
    lib.LSTATS_HAN_SHARED: "shared",
    lib.LSTATS_HAN_TRADITIONAL: "traditional",
    lib.LSTATS_HAN_SIMPLIFIED: "simplified",
    lib.LSTATS_HAN_VARIANT: "variant",
}
_BY = {"document": lib.LSTATS_SCRIPTS_BY_DOCUMENT, "corpus": lib.LSTATS_SCRIPTS_BY_CORPUS}


def fold_script_value(fold_script) -> int:
    key = fold_script.lower() if isinstance(fold_script, str) else fold_script
    if key not in FOLD_SCRIPTS:
        raise InvalidArgumentError(
            f"fold_script must be 'simplified', 'traditional' or None, not {fold_script!r}")
    return FOLD_SCRIPTS[key]


def cleanup_names(cleanup) -> tuple:
    """Normalise cleanup= (None, a rule name, or an iterable of names) to a tuple of names."""
    if cleanup is None or cleanup == ():
        return ()
    if isinstance(cleanup, str):
        cleanup = (cleanup,)
    names = []
    for name in cleanup:
        if name not in CLEANUP_RULES:
            raise InvalidArgumentError(
                f"unknown cleanup rule {name!r} (known: {', '.join(sorted(CLEANUP_RULES))})")
        if name not in names:
            names.append(name)
    return tuple(names)


def cleanup_value(cleanup) -> int:
    bits = 0
    for name in cleanup_names(cleanup):
        bits |= CLEANUP_RULES[name]
    return bits


def _options(by="document", traditional_min=0.9, simplified_max=0.1, confidence=0.95,
             min_count=1, encoding=None, errors="strict"):
    if by not in _BY:
        raise InvalidArgumentError(f"by must be 'document' or 'corpus', not {by!r}")
    opts = ffi.new("lstats_script_options *")
    check(lib.lstats_script_options_init(opts, lib.LSTATS_SCRIPT_OPTIONS_VERSION))
    opts.by = _BY[by]
    opts.traditional_min = float(traditional_min)
    opts.simplified_max = float(simplified_max)
    opts.confidence = float(confidence)
    if int(min_count) != min_count or min_count < 0:
        raise InvalidArgumentError(f"min_count must be an integer >= 0, not {min_count!r}")
    opts.min_count = int(min_count)
    keep = [opts]
    if encoding is not None and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        enc = ffi.new("char[]", u8(encoding))
        keep.append(enc)
        opts.encoding = enc
    if errors not in ("strict", "replace"):
        raise InvalidArgumentError(f"errors must be 'strict' or 'replace', not {errors!r}")
    opts.errors = lib.LSTATS_ERRORS_REPLACE if errors == "replace" else lib.LSTATS_ERRORS_STRICT
    return opts, keep


def script_variants(corpus, by: str = "document", *, traditional_min: float = 0.9,
                    simplified_max: float = 0.1, confidence: float = 0.95) -> Table:
    """Traditional-only, Simplified-only, shared and variant Han characters per document (or
    for the whole corpus, ``by="corpus"``): columns document, han, traditional, simplified,
    shared, variant, ratio_trad = traditional / (traditional + simplified) (NaN when both are
    0), ci_low, ci_high (Wilson score interval at ``confidence``; 0 and 1 when both are 0) and
    label: "Traditional" (ratio_trad >= traditional_min), "Simplified" (<= simplified_max),
    "Mixed" (between), "Ambiguous" (Han characters, all shared or variant) or "None" (no Han).
    Counted during ingestion (after cleanup, before folding): works without keep_text."""
    opts, keep = _options(by, traditional_min, simplified_max, confidence)
    t = _call_table(lib.lstats_corpus_script_variants, corpus._p(), opts)
    del keep
    return t


def script_variants_files(paths, by: str = "document", *, names=None, encoding: str = "utf-8",
                          errors: str = "strict", traditional_min: float = 0.9,
                          simplified_max: float = 0.1, confidence: float = 0.95,
                          progress=None) -> Table:
    """The ``script_variants`` table straight from files, without building a corpus (no
    tokenization: the fast path of ``libstats scripts``).  Plain or gzip files; ``paths`` as
    for ``Corpus.from_files``."""
    from .corpus import _cstrings, _input_size, expand_paths

    files = expand_paths(paths)
    if names is not None:
        names = [str(n) for n in names]
        if len(names) != len(files):
            raise InvalidArgumentError(f"{len(names)} names for {len(files)} files")
    opts, keep = _options(by, traditional_min, simplified_max, confidence, encoding=encoding,
                          errors=errors)
    c_paths, keep_p = _cstrings(files, path=True) if files else (ffi.NULL, None)
    c_names, keep_n = _cstrings(names) if names is not None and files else (ffi.NULL, None)
    out = ffi.new("lstats_table **")
    with progress_call(progress, _input_size(files), "scripts") as pc:
        status = lib.lstats_script_variants_files(len(files), c_paths, c_names, opts, pc.cb,
                                                  pc.payload, out)
        pc.check(status)
    del keep, keep_p, keep_n
    return Table._from_ptr(out[0])


def script_mix(corpus) -> Table:
    """Code points of each document's stored text by Unicode script (ICU): document, chars,
    han, latin, hiragana, katakana, hangul, common, inherited, other, plus fullwidth and
    halfwidth forms (East_Asian_Width F and H).  Needs keep_text (StateError otherwise)."""
    return _call_table(lib.lstats_corpus_script_mix, corpus._p())


def variant_terms(corpus, min_count: int = 1) -> Table:
    """Terms written in more than one form (發展 / 发展): key (the term folded to Simplified),
    form, count, share (of the key's count), key_count, forms; keys counted at least
    ``min_count`` times, by key_count descending.  Empty for a corpus built with
    ``fold_script``."""
    opts, keep = _options(min_count=min_count)
    t = _call_table(lib.lstats_corpus_variant_terms, corpus._p(), opts)
    del keep
    return t


def han_class(ch: str) -> str:
    """The class of one character: "shared", "traditional", "simplified", "variant" or
    "none" (not Han)."""
    if not isinstance(ch, str) or len(ch) != 1:
        raise InvalidArgumentError(f"han_class takes one character, not {ch!r}")
    return CLASS_NAMES[lib.lstats_han_class(ord(ch))]


def fold_text(text: str, fold_script: str) -> str:
    """``text`` folded as tokens are folded under ``fold_script``."""
    data = text.encode("utf-8")
    cap = len(data) * 2 + 8
    out = ffi.new("char[]", cap)
    n = ffi.new("size_t *")
    check(lib.lstats_han_fold_text(data, len(data), fold_script_value(fold_script), out, cap, n))
    return ffi.buffer(out, n[0])[:].decode("utf-8")


def cleanup_text(text: str, cleanup=("pinyin_annotations",)) -> tuple:
    """(cleaned text, number of removals) under the cleanup rules."""
    data = text.encode("utf-8")
    out = ffi.new("char[]", len(data) + 1)
    n = ffi.new("size_t *")
    removed = ffi.new("uint64_t *")
    check(lib.lstats_cleanup_text(data, len(data), cleanup_value(cleanup), out, n, removed))
    return ffi.buffer(out, n[0])[:].decode("utf-8"), int(removed[0])



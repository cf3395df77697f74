#!/usr/bin/env python3
"""Benchmark: KWIC and dispersion over a ~100 MB corpus of ~1 MB documents.

    nice -n 5 python bench/bench_dispersion.py [DIR] [--term the] [--tokenizer whitespace]

1. KWIC of a frequent term (all lines, window 5) once the corpus is built, against NLTK's
   ConcordanceIndex on the same tokens (the corpus's own normalised tokens, so both find the
   same matches): NLTK's index build and its find_concordance() are timed separately.
2. Dispersion for every type over the documents (and over 1000 equal parts): time and peak
   memory of the call, next to the plain frequency list, and the size a dense types x parts
   matrix of float64 would take.
"""

import argparse
import os
import sys
import time


def _status(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def measured(fn):
    exact = _reset_peak()
    before = _status("VmRSS")
    t0 = time.perf_counter()
    out = fn()
    secs = time.perf_counter() - t0
    peak = _status("VmHWM")
    return out, secs, max(0, peak - before), exact


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default="/work/bench-data/en_100M_docs")
    ap.add_argument("--term", default="the")
    ap.add_argument("--tokenizer", default="whitespace")
    ap.add_argument("--no-nltk", action="store_true")
    args = ap.parse_args()

    import libstats as ls

    t0 = time.perf_counter()
    corpus = ls.Corpus.from_files(args.path, tokenizer=args.tokenizer, progress=False)
    build = time.perf_counter() - t0
    size = sum(os.path.getsize(os.path.join(args.path, f)) for f in os.listdir(args.path)) \
        if os.path.isdir(args.path) else os.path.getsize(args.path)
    print(f"corpus: {args.path}: {size / 1e6:.0f} MB, {len(corpus)} documents, "
          f"{corpus.n_tokens:,} tokens, {corpus.n_types:,} types, tokenizer {args.tokenizer}; "
          f"built in {build:.1f} s (not counted below)")

    # ---- KWIC
    corpus.kwic(args.term, window=5, limit=10)  # warm the pages
    k, k_secs, k_mem, _ = measured(lambda: corpus.kwic(args.term, window=5))
    print(f"libstats kwic {args.term!r}: {len(k):,} lines (window 5) in {k_secs:.3f} s, "
          f"+{k_mem / 2**20:.0f} MB")
    _, ks_secs, _, _ = measured(lambda: corpus.kwic(args.term, window=5, sort="right1,right2"))
    print(f"libstats kwic sorted right1,right2: {ks_secs:.3f} s")
    _, kl_secs, _, _ = measured(lambda: corpus.kwic(args.term, window=5, sample=1000, seed=1))
    print(f"libstats kwic sample of 1000: {kl_secs:.3f} s")
    n_lines = len(k)
    del k

    if not args.no_nltk:
        from nltk.text import ConcordanceIndex

        t0 = time.perf_counter()
        tokens = []
        for i in range(len(corpus)):
            tokens.extend(corpus.tokens(i)["term"].tolist())
        tok_secs = time.perf_counter() - t0
        ci, build_secs, ci_mem, _ = measured(lambda: ConcordanceIndex(tokens))
        lines, find_secs, _, _ = measured(lambda: ci.find_concordance(args.term, width=80))
        print(f"NLTK ConcordanceIndex on the same {len(tokens):,} tokens (list built in "
              f"{tok_secs:.1f} s, not counted): index {build_secs:.2f} s (+{ci_mem / 2**20:.0f} "
              f"MB), find_concordance {find_secs:.2f} s, {len(lines):,} lines "
              f"(libstats: {n_lines:,}; NLTK's lines do not stop at document ends)")
        print(f"ratio NLTK find_concordance / libstats kwic: {find_secs / k_secs:.1f}x; "
              f"NLTK index + find / libstats kwic: {(build_secs + find_secs) / k_secs:.1f}x")
        del ci, lines, tokens

    # ---- dispersion
    f, f_secs, f_mem, exact = measured(lambda: corpus.frequencies())
    print(f"frequencies (no dispersion): {len(f):,} types in {f_secs:.2f} s, "
          f"+{f_mem / 2**20:.0f} MB peak")
    d, d_secs, d_mem, _ = measured(lambda: corpus.frequencies(dispersion=True))
    dense = len(d) * len(corpus) * 8
    print(f"dispersion over {d.meta['n_parts']} documents, every type ({len(d):,}), "
          f"{len(d.columns) - 4} columns: {d_secs:.2f} s, +{d_mem / 2**20:.0f} MB peak "
          f"(a dense types x documents float64 matrix: {dense / 2**20:.0f} MB)"
          f"{'' if exact else ' [peak from ru_maxrss]'}")
    del d
    d, p_secs, p_mem, _ = measured(lambda: corpus.frequencies(dispersion=True, parts=1000))
    dense = len(d) * 1000 * 8
    print(f"dispersion over 1000 equal parts: {p_secs:.2f} s, +{p_mem / 2**20:.0f} MB peak "
          f"(dense: {dense / 2**20:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

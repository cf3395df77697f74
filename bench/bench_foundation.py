#!/usr/bin/env python3
"""Ingestion benchmarks for the foundation issue: libstats against its peers, in one run.

    python bench/bench_foundation.py [--data /work/bench-data] [--repeat 3] [--quick]

Needs the corpora from ../shared/bench-corpora (make_corpora.sh, OUT=/work/bench-data) split
into ~1 MB documents with bench/split_corpus.py (zh_100M_docs/, en_100M_docs/), the bare loop
built with `make -C bench`, and the peers (jieba, scikit-learn) installed.

Every measurement runs in a fresh interpreter (so peak RSS is its own) and reads the files
itself: times are whole jobs, read + segment + count, as MB of input per wall second. Each
figure is the median of --repeat runs. The peers run on the same machine in the same
invocation, so their ratios are meaningful even on a noisy machine. jieba runs on the same
100 MB text as libstats (about three minutes): its speed depends on the text (on the first
10 MB, which has more ASCII man-page text, it ran 1.28x faster than on the whole, measured
2026-11-23), so a prefix would bias the ratio. --quick runs it on the first 10 MB.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


def one(kind, path, **kw):
    """Runs in the child: one measurement, printed as JSON."""
    import resource

    if kind == "libstats":
        import libstats as ls  # imports are set-up, not timed (as for the peers)

        # One-time set-up, untimed like jieba's dictionary load in the peers: the lazy imports
        # (pandas) and ICU's data on first use.
        ls.Corpus.from_texts(["warm up"], tokenizer=kw["tokenizer"])
        t0 = time.perf_counter()
        files = sorted(str(p) for p in pathlib.Path(path).iterdir()) if os.path.isdir(path) \
            else [path]
        c = ls.Corpus.from_files(files, tokenizer=kw["tokenizer"], n_threads=kw["threads"],
                                 keep_text=False, sentences=kw.get("sentences", "icu"),
                                 progress=False)
        f = c.frequencies()
        n_tokens, n_types = c.n_tokens, len(f)
    elif kind == "bare_icu":
        out = subprocess.run([str(HERE / "bare_icu_wordbreak"), path, "1"], check=True,
                             capture_output=True, text=True).stdout
        # "... break loop X MB/s, whole job Y MB/s"
        last = out.strip().splitlines()[-1]
        loop = float(last.split("break loop ")[1].split(" MB/s")[0])
        whole = float(last.split("whole job ")[1].split(" MB/s")[0])
        print(json.dumps({"mb_s": whole, "loop_mb_s": loop}))
        return
    else:
        sys.path.insert(0, str(HERE))
        import peers  # each timer excludes its imports and one-time set-up

        fn = getattr(peers, kind)
        r = fn(path)
        print(json.dumps({"mb_s": r.mb_s, "seconds": r.seconds, "tokens": r.n_tokens,
                          "peak_rss": r.peak_rss}))
        return
    dt = time.perf_counter() - t0
    size = sum(os.path.getsize(p) for p in files)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"mb_s": size / 1e6 / dt, "seconds": dt, "tokens": n_tokens,
                      "types": n_types, "peak_rss": peak}))


def measure(repeat, kind, path, **kw):
    runs = []
    for _ in range(repeat):
        cmd = [sys.executable, __file__, "--one", json.dumps([kind, path, kw])]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    best = sorted(runs, key=lambda r: r["mb_s"])[len(runs) // 2]
    best["mb_s_runs"] = [round(r["mb_s"], 2) for r in runs]
    return best


def baseline_rss():
    """Peak RSS of an interpreter that imported libstats and built an empty corpus."""
    code = ("import resource, libstats as ls; ls.Corpus.from_texts(['x']);"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)")
    return int(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                              text=True).stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--one")
    ap.add_argument("--data", default="/work/bench-data")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true",
                    help="jieba on the first 10 MB only (biased: see the docstring)")
    args = ap.parse_args()
    if args.one:
        kind, path, kw = json.loads(args.one)
        one(kind, path, **kw)
        return

    d = pathlib.Path(args.data)
    zh_docs, en_docs = str(d / "zh_100M_docs"), str(d / "en_100M_docs")
    zh_file, en_file = str(d / "zh_100M.txt"), str(d / "en_100M.txt")
    zh_small = str(d / "zh_10M.txt") if args.quick else zh_file
    r = args.repeat
    print(f"# libstats foundation benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{os.cpu_count()} cores, median of {r}")

    def show(label, m, ref=None):
        extra = ""
        if ref:
            extra = "  " + "  ".join(f"{k}: {m['mb_s'] / v['mb_s']:.2f}x" for k, v in ref.items())
        mem = ""
        if "peak_rss" in m and m.get("tokens"):
            mem = f"  peak {m['peak_rss'] / 1e6:.0f} MB"
        print(f"{label:<52} {m['mb_s']:8.2f} MB/s{mem}{extra}   runs {m['mb_s_runs']}",
              flush=True)

    # ---- Chinese, ICU tokenizer
    bare = measure(r, "bare_icu", zh_file)
    show("zh bare ICU word-break loop (C, 1 core)", bare)
    jieba = measure(1, "jieba_counter", zh_small)
    show(f"zh jieba default + Counter ({pathlib.Path(zh_small).name})", jieba)
    zh1 = measure(r, "libstats", zh_docs, tokenizer="icu", threads=1)
    show("zh libstats icu, 1 thread (100 docs)", zh1,
         {"vs jieba": jieba, "vs bare ICU": bare})
    zh2 = measure(r, "libstats", zh_docs, tokenizer="icu", threads=2)
    show("zh libstats icu, 2 threads", zh2, {"vs jieba": jieba, "vs 1 thread": zh1})
    zhf = measure(r, "libstats", zh_file, tokenizer="icu", threads=1)
    show("zh libstats icu, 1 thread (one 100 MB file)", zhf, {"vs jieba": jieba})

    # ---- English
    sc = measure(r, "split_counter", en_file)
    show("en str.split + Counter", sc)
    cv = measure(1, "countvec_unigram", en_file)
    show("en scikit-learn CountVectorizer (1,1)", cv)
    for threads in (1, 2):
        for sent in ("icu", "lines"):
            m = measure(r, "libstats", en_docs, tokenizer="whitespace", threads=threads,
                        sentences=sent)
            show(f"en libstats whitespace, {threads} thr, sentences={sent}", m,
                 {"vs split+Counter": sc, "vs CountVectorizer": cv})
    for threads in (1, 2):
        m = measure(r, "libstats", en_docs, tokenizer="icu", threads=threads)
        show(f"en libstats icu, {threads} thr", m, {"vs CountVectorizer": cv})

    # ---- memory with keep_text=False (1 thread, so no per-thread vocabularies)
    base = baseline_rss()
    for name, m in (("zh icu", zhf), ("zh icu docs", zh1)):
        per = (m["peak_rss"] - base) / m["tokens"]
        print(f"memory {name}: peak {m['peak_rss'] / 1e6:.0f} MB, baseline {base / 1e6:.0f} MB, "
              f"{m['tokens']} tokens, {m['types']} types: "
              f"{per:.2f} bytes/token above the baseline (vocabulary included)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Script-variant benchmark (README "Scripts", bench/RESULTS-scripts.md).

    nice -n 5 python bench/bench_scripts.py [FILE] [--build build-scripts]

In one run over FILE (default /work/bench-data/zh_100M.txt):
  - libstats ``script_variants_files`` (the `libstats scripts` fast path: read, validate,
    classify every code point, no tokenization), median of 3;
  - hanzidentifier.identify per line and OpenCC (PyPI) t2s per line (bench/peers.py timers);
  - the bare UTF-8 decode loop (bench/bare_utf8_decode, median of 3);
and the cost of the classification inside ingestion (bench/bench_scripts_count.c on the 10 MB
corpus: classification time over ingestion time, one thread).
Prints MB/s and the ratios the issue asks for (>= 20x hanzidentifier, >= 10x OpenCC, >= 50% of
the bare decode loop, < 5% of ingestion).
"""
import argparse
import os
import platform
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def bare_decode(path: str) -> float:
    exe = os.path.join(HERE, "bare_utf8_decode")
    if not os.path.exists(exe):
        subprocess.run(["gcc", "-O2", "-o", exe, exe + ".c"], check=True)
    out = subprocess.run([exe, path, "3"], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"decode loop ([0-9.]+) MB/s", out).group(1))


def libstats_fast(path: str, reps: int = 3) -> float:
    import libstats as ls

    size = os.path.getsize(path)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        t = ls.scripts.script_variants_files([path], progress=False)
        times.append(time.perf_counter() - t0)
    times.sort()
    row = t.to_pandas().iloc[0]
    print(f"  libstats counts: han {row['han']:,} trad {row['traditional']:,} simp "
          f"{row['simplified']:,} label {row['label']}")
    return size / times[len(times) // 2] / 1e6


def ingest_share(path: str, build: str) -> str:
    exe = os.path.join("/tmp", "bench_scripts_count")
    lib = os.path.join(ROOT, build, "libstats", "libstats_internal.a")
    flags = subprocess.run(["pkg-config", "--libs", "icu-i18n", "icu-uc", "zlib"],
                           capture_output=True, text=True, check=True).stdout.split()
    subprocess.run(["gcc", "-O2", "-std=c11", "-DLSTATS_STATIC", "-I" + os.path.join(ROOT, "include"),
                    "-I" + os.path.join(ROOT, "libstats"), "-o", exe,
                    os.path.join(HERE, "bench_scripts_count.c"), lib, *flags, "-lpthread", "-lm"],
                   check=True)
    return subprocess.run([exe, path, "3"], capture_output=True, text=True, check=True).stdout


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default="/work/bench-data/zh_100M.txt")
    ap.add_argument("--ingest-file", default="/work/bench-data/zh_10M.txt")
    ap.add_argument("--build", default="build-scripts")
    args = ap.parse_args(argv)
    import peers

    mb = os.path.getsize(args.file) / 1e6
    print(f"{platform.node()} {platform.processor() or platform.machine()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}, {args.file} ({mb:.1f} MB)")
    fast = libstats_fast(args.file)
    print(f"libstats scripts (fast path)     {fast:8.1f} MB/s")
    hz = peers.hanzi_identify(args.file)
    print(f"hanzidentifier.identify per line {hz.mb_s:8.1f} MB/s   libstats is {fast / hz.mb_s:6.1f}x")
    oc = peers.opencc_t2s(args.file)
    print(f"OpenCC t2s per line              {oc.mb_s:8.1f} MB/s   libstats is {fast / oc.mb_s:6.1f}x")
    bare = bare_decode(args.file)
    print(f"bare UTF-8 decode loop           {bare:8.1f} MB/s   libstats is {100 * fast / bare:5.1f}%")
    print("classification inside ingestion:")
    print("  " + ingest_share(args.ingest_file, args.build).replace("\n", "\n  "))
    return 0


if __name__ == "__main__":
    sys.exit(main())

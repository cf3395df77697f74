"""Keyness scoring benchmark: libstats (C) vs a vectorised numpy/pandas implementation of the
same measures, in the same run.

Two frequency tables of about 1.2 million types each (Zipf-distributed counts, overlapping
vocabularies, ~60 M and ~50 M tokens) are read once; then both sides score the same job:
join the two vocabularies by term, compute g2, chi2, log_ratio, pct_diff, simple_maths,
relative_risk, odds_ratio, diff_coefficient, pmi, bic, ell and weighted_log_odds, p from
chi-square(1) on g2, Benjamini-Hochberg over the union, and sort by g2. Best of `--repeat`
runs each. `--lrc` adds Evert's LRC (Clopper-Pearson via scipy.special.betaincinv on the
numpy side) as a separate row.

    python bench/bench_keyness.py [--types 1200000] [--repeat 3] [--lrc]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time

import numpy as np
import pandas as pd
from scipy import special, stats

import libstats as ls

MEASURES = ("g2", "chi2", "log_ratio", "pct_diff", "simple_maths", "relative_risk",
            "odds_ratio", "diff_coefficient", "pmi", "bic", "ell", "weighted_log_odds")


def make_lists(n_types: int, seed: int, tmp: str):
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, n_types + 1, dtype=float)
    paths = []
    for side, (shift, scale) in enumerate(((0, 5e6), (n_types // 5, 4e6))):
        counts = np.maximum(1, (scale / ranks ** 1.0 * rng.lognormal(0, 0.3, n_types))).astype(
            np.int64)
        ids = np.arange(n_types) + shift  # overlap: 80 % of the types are shared
        rng.shuffle(ids)
        path = os.path.join(tmp, f"side{side}.tsv")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("term\tcount\n")
            fh.write("".join(f"w{i}\t{c}\n" for i, c in zip(ids.tolist(), counts.tolist())))
        paths.append(path)
    return paths


def numpy_keyness(t: pd.DataFrame, r: pd.DataFrame, lrc: bool = False) -> pd.DataFrame:
    df = t.merge(r, on="term", how="outer", suffixes=("_a", "_b"))
    a = df["count_a"].fillna(0).to_numpy(float)
    b = df["count_b"].fillna(0).to_numpy(float)
    n1, n2 = t["count"].sum(), r["count"].sum()
    n = n1 + n2
    r1 = a + b
    e1, e2 = r1 * n1 / n, r1 * n2 / n
    e3, e4 = (n - r1) * n1 / n, (n - r1) * n2 / n
    c, d = n1 - a, n2 - b
    out = {"term": df["term"].to_numpy(), "a": a, "b": b}
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (special.xlogy(a, a / e1) + special.xlogy(b, b / e2)
                  + special.xlogy(c, c / e3) + special.xlogy(d, d / e4))
        out["g2"] = g2
        out["chi2"] = n * (a * d - b * c) ** 2 / (r1 * (n - r1) * n1 * n2)
        aa, bb = np.where(a == 0, 0.5, a), np.where(b == 0, 0.5, b)
        out["log_ratio"] = np.log2((aa / n1) / (bb / n2))
        out["pct_diff"] = np.where(b > 0, 100 * ((a * n2) / (b * n1) - 1), np.inf)
        out["simple_maths"] = (a / n1 * 1e6 + 1) / (b / n2 * 1e6 + 1)
        out["relative_risk"] = (a / n1) / (b / n2)
        out["odds_ratio"] = a * d / (b * c)
        out["diff_coefficient"] = (a * n2 - b * n1) / (a * n2 + b * n1)
        out["pmi"] = np.log2(a / e1)
        out["bic"] = g2 - np.log(n)
        out["ell"] = g2 / (n * np.log(np.minimum(e1, e2)))
        y1, yw = 2 * a + b, 3 * r1
        out["weighted_log_odds"] = (np.log(y1 / (n1 + n - y1)) - np.log(yw / (3 * n - yw))) / \
            np.sqrt(1 / y1 + 1 / yw)
        if lrc:
            m = len(a)
            tail = 0.05 / 2 / m
            lo = special.betaincinv(a, b + 1, tail)
            up = 1 - special.betaincinv(b, a + 1, tail)
            lrr_lo = np.log2(n2 / n1 * lo / (1 - lo))
            lrr_up = np.log2(n2 / n1 * up / (1 - up))
            out["lrc"] = np.where(a / n1 >= b / n2, np.maximum(lrr_lo, 0),
                                  np.minimum(lrr_up, 0))
    p = stats.chi2.sf(g2, 1)
    out["p"] = p
    out["p_adj"] = stats.false_discovery_control(p, method="bh")
    res = pd.DataFrame(out)
    return res.sort_values(["g2", "term"], ascending=[False, True], kind="stable")


def best(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--types", type=int, default=1_200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lrc", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        p1, p2 = make_lists(args.types, 1, tmp)
        tab_t, tab_r = ls.read_frequency_list(p1), ls.read_frequency_list(p2)
        df_t, df_r = tab_t.to_pandas(), tab_r.to_pandas()
        prep = time.perf_counter() - t0
    union = len(set(df_t["term"]).union(df_r["term"]))
    print(f"machine: {platform.machine()} {platform.processor() or ''} "
          f"{os.cpu_count()} cpus; python {platform.python_version()}; libstats "
          f"{ls.__version__}")
    print(f"target {len(df_t):,} types / {df_t['count'].sum():,} tokens; reference "
          f"{len(df_r):,} types / {df_r['count'].sum():,} tokens; union {union:,} types "
          f"(prepared in {prep:.1f} s, not timed)")
    rows = []
    jobs = [("12 measures + p + BH + sort", MEASURES, False)]
    if args.lrc:
        jobs.append(("12 measures + lrc + p + BH + sort", MEASURES + ("lrc",), True))
    for label, measures, lrc in jobs:
        tl, res_l = best(lambda: ls.keyness(tab_t, tab_r, measures=measures, correction="bh"),
                         args.repeat)
        tn, res_n = best(lambda: numpy_keyness(df_t, df_r, lrc=lrc), args.repeat)
        # same numbers
        lp = res_l.to_pandas().set_index("term")
        npd = res_n.set_index("term").loc[lp.index]
        for col in ("g2", "log_ratio", "p_adj", "weighted_log_odds") + (("lrc",) if lrc else ()):
            np.testing.assert_allclose(lp[col], npd[col], rtol=1e-6, atol=1e-9)
        rows.append((label, tl, tn))
    print(f"{'job':40s} {'libstats':>10s} {'numpy/pandas':>13s} {'ratio':>7s}")
    for label, tl, tn in rows:
        print(f"{label:40s} {tl:9.3f}s {tn:12.3f}s {tn / tl:6.1f}x")


if __name__ == "__main__":
    main()

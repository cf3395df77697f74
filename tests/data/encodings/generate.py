#!/usr/bin/env python3
"""Regenerates the encoded test inputs of tests/c/test_text.c from the sample corpus.

Each NAME.ENC.txt is a seed file in another encoding; NAME.ENC.expected.txt (only where the
encoding cannot represent every character, i.e. Big5) is what decoding must give back. Where no
.expected.txt exists, decoding must give back the seed file itself.
Run: python3 tests/data/encodings/generate.py
"""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
SEEDS = HERE.parents[2] / "python" / "libstats" / "datasets" / "deepseek"

def seed(prefix):
    (path,) = SEEDS.glob(prefix + "_*.txt")
    return path.read_text(encoding="utf-8")

JOBS = [
    ("001", "gb18030", "gb18030", False),   # Simplified
    ("002", "gbk", "gbk", False),           # Simplified
    ("004", "utf16le-bom", "utf-16-le", True),
    ("000", "utf16be-bom", "utf-16-be", True),
    ("000", "big5", "big5", False),         # Traditional
    ("003", "big5", "big5", False),         # Traditional
]

for prefix, tag, codec, bom in JOBS:
    text = seed(prefix)
    data = (("\ufeff" if bom else "") + text).encode(codec, errors="ignore")
    (HERE / f"{prefix}.{tag}.txt").write_bytes(data)
    back = data.decode(codec)
    if bom:
        back = back[1:]
    if back != text:
        (HERE / f"{prefix}.{tag}.expected.txt").write_bytes(back.encode("utf-8"))

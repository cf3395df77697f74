"""Cross-checks of libstats's script-variant classes against OpenCC's character tables and of
document labels against hanzidentifier (README "Scripts", agreement figures).

    python tests/python/scripts_crosscheck.py chars          # per-character confusion
    python tests/python/scripts_crosscheck.py docs DIR...    # per-document labels (DIR/tw, DIR/cn)

OpenCC's tables come from the ``opencc`` PyPI package (its ``opencc_dict`` tool turns the
binary STCharacters/TSCharacters dictionaries into text).  A character listed in STCharacters
(Simplified -> Traditional candidates) without itself among the candidates is Simplified-only
for OpenCC; one listed in TSCharacters without itself among its candidates is Traditional-only;
every other character is shared.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import tempfile


def opencc_tables() -> dict:
    """{"ST": {char: [candidates]}, "TS": {...}} from the opencc package's dictionaries."""
    import opencc

    base = os.path.join(os.path.dirname(opencc.__file__), "clib")
    tool = os.path.join(base, "bin", "opencc_dict")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("STCharacters", "TSCharacters"):
            dst = os.path.join(tmp, name + ".txt")
            subprocess.run([tool, "-i", os.path.join(base, "share", "opencc", name + ".ocd2"),
                            "-o", dst, "-f", "ocd2", "-t", "text"], check=True)
            table = {}
            with open(dst, encoding="utf-8") as fh:
                for line in fh:
                    key, _, vals = line.rstrip("\n").partition("\t")
                    if len(key) == 1:
                        table[key] = vals.split(" ")
            out[name[:2]] = table
    return out


def opencc_class(ch: str, tables: dict) -> str:
    st, ts = tables["ST"], tables["TS"]
    simp = ch in st and ch not in st[ch]
    trad = ch in ts and ch not in ts[ch]
    if simp and not trad:
        return "simplified"
    if trad and not simp:
        return "traditional"
    if simp and trad:
        return "conflict"
    return "shared"


def char_confusion(tables=None) -> tuple:
    """(Counter of (opencc class, libstats class), {pair: [chars]}) over every character in
    OpenCC's two tables and every character libstats does not class as shared."""
    from libstats.scripts import han_class

    tables = tables or opencc_tables()
    chars = set(tables["ST"]) | set(tables["TS"])
    for block in ((0x3400, 0x9FFF + 1), (0xF900, 0xFB00), (0x20000, 0x323B0)):
        for cp in range(*block):
            ch = chr(cp)
            if han_class(ch) not in ("shared", "none"):
                chars.add(ch)
    counts = collections.Counter()
    examples = collections.defaultdict(list)
    for ch in sorted(chars):
        ours = han_class(ch)
        if ours == "none":
            continue
        theirs = opencc_class(ch, tables)
        counts[(theirs, ours)] += 1
        examples[(theirs, ours)].append(ch)
    return counts, examples


def read_docs(root: str) -> list:
    """[(path, expected label)] for root/tw/*.txt (Traditional) and root/cn/*.txt."""
    out = []
    for sub, label in (("tw", "Traditional"), ("cn", "Simplified")):
        d = os.path.join(root, sub)
        if os.path.isdir(d):
            out.extend((os.path.join(d, f), label) for f in sorted(os.listdir(d))
                       if f.endswith(".txt"))
    return out


def hanzi_label(text: str) -> str:
    import hanzidentifier as hi

    v = hi.identify(text)
    return {hi.TRADITIONAL: "Traditional", hi.SIMPLIFIED: "Simplified", hi.BOTH: "Ambiguous",
            hi.MIXED: "Mixed", hi.UNKNOWN: "None"}[v]


def doc_agreement(docs: list) -> dict:
    """Labels of libstats and hanzidentifier against the expected label of each document."""
    import libstats as ls

    paths = [p for p, _ in docs]
    t = ls.scripts.script_variants_files(paths).to_pandas()
    res = {"n": len(docs), "libstats": collections.Counter(), "hanzi": collections.Counter(),
           "pairs": collections.Counter(), "disagree": []}
    for (path, want), ours in zip(docs, t["label"].tolist()):
        with open(path, encoding="utf-8") as fh:
            theirs = hanzi_label(fh.read())
        res["libstats"][(want, ours)] += 1
        res["hanzi"][(want, theirs)] += 1
        res["pairs"][(ours, theirs)] += 1
        if ours != want or theirs != want:
            res["disagree"].append((path, want, ours, theirs))
    return res


def main(argv) -> int:
    if argv[:1] == ["chars"]:
        counts, examples = char_confusion()
        total = sum(counts.values())
        agree = sum(n for (a, b), n in counts.items()
                    if a == b or (a == "traditional" and b == "variant"))
        print(f"characters compared: {total}; agree: {agree}")
        for (a, b), n in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"opencc {a:12} libstats {b:12} {n:6}  {''.join(examples[(a, b)][:40])}")
        return 0
    if argv[:1] == ["docs"]:
        docs = [d for root in argv[1:] for d in read_docs(root)]
        res = doc_agreement(docs)
        print(f"documents: {res['n']}")
        print("libstats vs expected:", dict(res["libstats"]))
        print("hanzidentifier vs expected:", dict(res["hanzi"]))
        print("libstats vs hanzidentifier:", dict(res["pairs"]))
        for d in res["disagree"][:40]:
            print("  ", *d)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

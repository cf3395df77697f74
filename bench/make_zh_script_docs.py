#!/usr/bin/env python3
"""Make the zh_TW / zh_CN test documents of the script-variant cross-check (README "Scripts").

    make_zh_script_docs.py OUT [--src /work/bench-data/x] [--per-source 150]

Writes OUT/tw/*.txt (Traditional) and OUT/cn/*.txt (Simplified): real documentation from
Debian packages, extracted under SRC (dpkg-deb -x of manpages-zh, debian-reference-zh-{cn,tw},
maint-guide-zh-{cn,tw}, libreoffice-help-zh-{cn,tw}; `apt-get download` them when missing).
Man pages are decompressed as they are (roff markup is ASCII and does not count); HTML has its
tags, scripts and entities removed.  Documents with fewer than 20 Han characters are skipped.
At most --per-source documents per package and script, chosen in sorted path order.
"""
import argparse
import gzip
import html
import os
import re
import sys

SOURCES = {
    "tw": [("manpages-zh/usr/share/man/zh_TW", ".gz"),
           ("debian-reference-zh-tw", ".html"),
           ("maint-guide-zh-tw", ".html"),
           ("libreoffice-help-zh-tw", ".html")],
    "cn": [("manpages-zh/usr/share/man/zh_CN", ".gz"),
           ("debian-reference-zh-cn", ".html"),
           ("maint-guide-zh-cn", ".html"),
           ("libreoffice-help-zh-cn", ".html")],
}
TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S | re.I)


def han_count(text: str) -> int:
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")


def extract(path: str) -> str:
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            data = fh.read()
    else:
        with open(path, "rb") as fh:
            data = fh.read()
    text = data.decode("utf-8", "replace")
    if path.endswith(".html"):
        text = html.unescape(TAG.sub(" ", text))
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--src", default="/work/bench-data/x")
    ap.add_argument("--per-source", type=int, default=150)
    args = ap.parse_args(argv)
    total = 0
    for script, sources in SOURCES.items():
        dst = os.path.join(args.out, script)
        os.makedirs(dst, exist_ok=True)
        for rel, suffix in sources:
            root = os.path.join(args.src, rel)
            if not os.path.isdir(root):
                print(f"missing {root} (apt-get download + dpkg-deb -x)", file=sys.stderr)
                continue
            paths = sorted(os.path.join(r, f) for r, _, fs in os.walk(root) for f in fs
                           if f.endswith(suffix))
            n = 0
            for p in paths:
                if n >= args.per_source:
                    break
                text = extract(p)
                if han_count(text) < 20:
                    continue
                name = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.relpath(p, args.src))
                with open(os.path.join(dst, name + ".txt"), "w", encoding="utf-8") as fh:
                    fh.write(text)
                n += 1
            print(f"{script}: {n} documents from {rel}")
            total += n
    print(f"{total} documents in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

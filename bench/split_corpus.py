#!/usr/bin/env python3
"""Cut a text corpus into ~N MB files at line boundaries, for document-parallel
ingestion benchmarks.

Usage: split_corpus.py INPUT OUTDIR [--size BYTES]     (default 1000000)
       split_corpus.py --head BYTES INPUT OUTFILE

Writes OUTDIR/0000.txt, 0001.txt, ...: each file takes whole lines until
adding the next line would pass BYTES (a single line longer than BYTES gets a
file of its own), so every file ends with a newline and the concatenation of
the pieces in name order is byte-identical to INPUT.  A 100 MB input gives
about 100 files.  Existing NNNN.txt files in OUTDIR are removed first.
With --head, write only the first BYTES of INPUT, cut back to the last
line boundary (the 1 MB and 3 MB cuts of the 10 MB files for slow peers).
Stdlib only; works on bytes, so the encoding does not matter.
"""
import argparse
import os
import re
import sys


def split(inp, outdir, size=1_000_000):
    os.makedirs(outdir, exist_ok=True)
    for name in os.listdir(outdir):
        if re.fullmatch(r'\d{4,}\.txt', name):
            os.remove(os.path.join(outdir, name))
    nfiles = 0
    buf, nbuf = [], 0

    def flush():
        nonlocal buf, nbuf, nfiles
        with open(os.path.join(outdir, f'{nfiles:04d}.txt'), 'wb') as out:
            out.writelines(buf)
        nfiles += 1
        buf, nbuf = [], 0

    with open(inp, 'rb') as f:
        for line in f:
            if nbuf and nbuf + len(line) > size:
                flush()
            buf.append(line)
            nbuf += len(line)
    if buf:
        flush()
    return nfiles


def head(inp, outfile, size):
    """Write the first `size` bytes of inp, cut at the last newline, to outfile."""
    with open(inp, 'rb') as f:
        data = f.read(size)
    if len(data) == size:
        data = data[:data.rfind(b'\n') + 1]
    with open(outfile, 'wb') as out:
        out.write(data)
    return len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('input')
    ap.add_argument('outdir', help='output directory (with --head: output file)')
    ap.add_argument('--size', type=int, default=1_000_000, help='target bytes per file')
    ap.add_argument('--head', type=int, metavar='BYTES',
                    help='write only the first BYTES of INPUT (cut at a line boundary) to OUTDIR as a file')
    a = ap.parse_args()
    if a.head is not None:
        n = head(a.input, a.outdir, a.head)
        print(f'{a.input}: first {n} bytes to {a.outdir}', file=sys.stderr)
        return
    n = split(a.input, a.outdir, a.size)
    print(f'{a.input}: {n} files of <= {a.size} bytes in {a.outdir}', file=sys.stderr)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Timers for the peer tools libstats is compared with (single process).

API
---
Every timer takes the path of a UTF-8 text file (or of a directory, whose
files are then read in sorted name order as one corpus) and returns a
``Result``: a 3-tuple ``(seconds, n_tokens, peak_rss)``, so

    import peers
    secs, n_tokens, peak_rss = peers.jieba_counter('/work/bench-data/zh_10M.txt')

works.  ``seconds`` is wall time (time.perf_counter) from before the file is
opened until the peer's result is complete: reading and decoding the file is
always included; one-time set-up (imports, jieba's dictionary load, building
the OpenCC converter) is not, and is reported as ``info['init_seconds']``.
Freeing the peer's result happens after the clock stops.  ``n_tokens`` is what
the peer counted (defined per timer below).  ``peak_rss`` is the peak resident
set size of the process during the call, in bytes: the kernel's high-water
mark (VmHWM) is reset through /proc/self/clear_refs before the call; where that
is refused it is the process-lifetime ru_maxrss instead (``info['peak_exact']``
is then False) -- use ``run_isolated`` for clean figures.

A ``Result`` also has ``.seconds``, ``.n_tokens``, ``.peak_rss``, ``.mb_s``
(10^6 input bytes per wall second) and ``.info`` (a dict: peer, path, bytes,
mb_s, cpu_seconds and cpu_mb_s (process CPU time, user + system, over the same
span: less sensitive than wall time to other load on a shared machine),
rss_before, peak_exact, init_seconds, n_types and peer-specific counts).

Timers (every one also takes ``trace=False``: with True the call runs under
tracemalloc and ``info['py_heap_peak']`` holds the peak of Python-allocated
memory; the time is then inflated several-fold, so do not use it for speed):

  jieba_counter(path, hmm=True)
      jieba.cut(line) (default mode, HMM on) per line, newline stripped, into a
      collections.Counter.  n_tokens = tokens yielded (spaces and punctuation
      included, as jieba yields them); info n_types, n_word_tokens (tokens
      holding a letter or digit).
  countvec(path, ngram_range=(1, 1), unit='lines', doc_bytes=1_000_000)
      scikit-learn CountVectorizer (default token_pattern, lowercase=True)
      .fit_transform over the lines (unit='lines'), or over ~doc_bytes
      documents cut at line boundaries (unit='docs'; a directory gives one
      document per file).  n_tokens = X.sum(); info n_types, n_docs.
      countvec_unigram(path, ...) and countvec_bigram(path, ...) fix
      ngram_range to (1, 1) and (1, 2).
  split_counter(path)
      line.lower().split() per line into a Counter.  n_tokens = tokens.
  nltk_collocations(path, window_size=2)
      BigramCollocationFinder.from_words(text.split(), window_size) then
      score_ngrams(BigramAssocMeasures.likelihood_ratio) over the whole
      file.  n_tokens = whitespace tokens; info n_pairs (scored pairs), top.
  opencc_t2s(path, unit='lines', config='t2s')
      opencc.OpenCC('t2s').convert per line (unit='lines') or on the whole
      text at once (unit='text').  n_tokens = code points output.
  hanzi_identify(path)
      hanzidentifier.identify(line) per line.  n_tokens = lines; info counts
      per verdict (traditional, simplified, both, mixed, unknown).

  run_isolated(name, path, **kwargs) -> Result
      runs timer `name` in a fresh interpreter (multiprocessing 'spawn'), so
      peak_rss is the child's own and no caches carry over between runs.
  versions() -> dict of the package versions.

Command line:
  peers.py PEER PATH [--ngram 1,2] [--window 5] [--unit lines|docs|text]
                     [--isolate] [--trace]
prints one line: peer, file, MB, seconds, MB/s, CPU seconds, CPU MB/s,
n_tokens, peak RSS MiB, other info.
  peers.py versions
Run heavy timings with `nice -n 10` on a shared machine.
"""
import collections
import os
import resource
import sys
import time
import tracemalloc

__all__ = ['Result', 'jieba_counter', 'countvec', 'countvec_unigram', 'countvec_bigram',
           'split_counter', 'nltk_collocations', 'opencc_t2s', 'hanzi_identify',
           'run_isolated', 'versions', 'TIMERS']


class Result(tuple):
    """(seconds, n_tokens, peak_rss) plus .info."""

    def __new__(cls, seconds, n_tokens, peak_rss, info=None):
        self = tuple.__new__(cls, (seconds, n_tokens, peak_rss))
        self.info = dict(info or {})
        return self

    def __reduce__(self):
        return (Result, (self[0], self[1], self[2], self.info))

    seconds = property(lambda self: self[0])
    n_tokens = property(lambda self: self[1])
    peak_rss = property(lambda self: self[2])
    mb_s = property(lambda self: self.info.get('mb_s'))

    def __repr__(self):
        return (f"Result(seconds={self[0]:.3f}, n_tokens={self[1]}, peak_rss={self[2]}, "
                f"mb_s={self.mb_s:.3f})")


# ---------------------------------------------------------------- helpers

def _files(path):
    if os.path.isdir(path):
        return [os.path.join(path, n) for n in sorted(os.listdir(path))
                if os.path.isfile(os.path.join(path, n))]
    return [path]


def _nbytes(path):
    return sum(os.path.getsize(f) for f in _files(path))


def _lines(path):
    """Yield the lines of the file(s), decoded, newline kept."""
    for fn in _files(path):
        with open(fn, encoding='utf-8') as f:
            yield from f


def _read(path):
    return ''.join(open(fn, encoding='utf-8').read() for fn in _files(path))


def _status(key):
    try:
        with open('/proc/self/status') as f:
            for ln in f:
                if ln.startswith(key + ':'):
                    return int(ln.split()[1]) * 1024
    except OSError:
        pass
    return None


def _reset_peak():
    """Reset the kernel's peak-RSS mark (Linux >= 4.0); True on success."""
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


def _peak(exact):
    hwm = _status('VmHWM') if exact else None
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _measure(peer, path, work, post=None, trace=False, init_seconds=0.0, **extra):
    """Time work() -> (n_tokens, info, keep); post(keep) -> dict runs untimed."""
    nbytes = _nbytes(path)
    exact = _reset_peak()
    rss0 = _status('VmRSS')
    if trace:
        tracemalloc.start()
    c0 = time.process_time()
    t0 = time.perf_counter()
    n_tokens, info, keep = work()
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    if trace:
        info['py_heap_peak'] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    peak = _peak(exact)
    if post is not None:
        info.update(post(keep))
    del keep
    info.update(extra)
    info.update(peer=peer, path=path, bytes=nbytes, mb_s=nbytes / 1e6 / dt,
                cpu_seconds=cpu, cpu_mb_s=nbytes / 1e6 / cpu if cpu else None,
                rss_before=rss0, peak_exact=exact, init_seconds=init_seconds)
    return Result(dt, n_tokens, peak, info)


def _counter_post(c):
    return {'n_types': len(c)}


# ---------------------------------------------------------------- peers

def jieba_counter(path, hmm=True, trace=False):
    import logging
    import jieba
    jieba.setLogLevel(logging.WARNING)
    t = time.perf_counter()
    jieba.initialize()                      # dictionary load, not timed
    init = time.perf_counter() - t
    cut = jieba.cut

    def work():
        c = collections.Counter()
        upd = c.update
        for line in _lines(path):
            upd(cut(line.rstrip('\n'), HMM=hmm))
        return sum(c.values()), {}, c

    def post(c):
        words = sum(n for w, n in c.items() if any(ch.isalnum() for ch in w))
        return {'n_types': len(c), 'n_word_tokens': words}

    return _measure('jieba_counter', path, work, post, trace, init, hmm=hmm)


def countvec(path, ngram_range=(1, 1), unit='lines', doc_bytes=1_000_000, trace=False):
    from sklearn.feature_extraction.text import CountVectorizer
    ngram_range = tuple(ngram_range)

    def docs():
        if unit == 'lines':
            yield from _lines(path)
        elif unit == 'docs':
            if os.path.isdir(path):
                for fn in _files(path):
                    with open(fn, encoding='utf-8') as f:
                        yield f.read()
                return
            buf, n = [], 0
            for line in _lines(path):
                buf.append(line)
                n += len(line)          # characters, ~bytes for English
                if n >= doc_bytes:
                    yield ''.join(buf)
                    buf, n = [], 0
            if buf:
                yield ''.join(buf)
        else:
            raise ValueError(f'unit must be lines or docs, not {unit!r}')

    def work():
        cv = CountVectorizer(ngram_range=ngram_range)
        X = cv.fit_transform(docs())
        return int(X.sum()), {'n_types': X.shape[1], 'n_docs': X.shape[0]}, (cv, X)

    return _measure('countvec', path, work, None, trace,
                    ngram_range=list(ngram_range), unit=unit)


def countvec_unigram(path, unit='lines', **kw):
    return countvec(path, (1, 1), unit, **kw)


def countvec_bigram(path, unit='lines', **kw):
    return countvec(path, (1, 2), unit, **kw)


def split_counter(path, trace=False):
    def work():
        c = collections.Counter()
        upd = c.update
        for line in _lines(path):
            upd(line.lower().split())
        return sum(c.values()), {}, c

    return _measure('split_counter', path, work, _counter_post, trace)


def nltk_collocations(path, window_size=2, trace=False):
    from nltk.collocations import BigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures

    def work():
        words = _read(path).split()
        finder = BigramCollocationFinder.from_words(words, window_size=window_size)
        scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
        return len(words), {'n_pairs': len(scored)}, scored

    def post(scored):
        return {'top': [' '.join(p) for p, _ in scored[:5]]}

    return _measure('nltk_collocations', path, work, post, trace, window_size=window_size)


def opencc_t2s(path, unit='lines', config='t2s', trace=False):
    import opencc
    t = time.perf_counter()
    cc = opencc.OpenCC(config)
    init = time.perf_counter() - t
    conv = cc.convert

    def work():
        if unit == 'lines':
            n = 0
            for line in _lines(path):
                n += len(conv(line))
            return n, {}, None
        if unit == 'text':
            out = conv(_read(path))
            return len(out), {}, out
        raise ValueError(f'unit must be lines or text, not {unit!r}')

    return _measure('opencc_t2s', path, work, None, trace, init, unit=unit, config=config)


def hanzi_identify(path, trace=False):
    import hanzidentifier as h
    names = {h.TRADITIONAL: 'traditional', h.SIMPLIFIED: 'simplified', h.BOTH: 'both',
             h.MIXED: 'mixed', h.UNKNOWN: 'unknown'}
    ident = h.identify

    def work():
        counts = collections.Counter()
        for line in _lines(path):
            counts[ident(line)] += 1
        return sum(counts.values()), {'verdicts': {names.get(k, k): v for k, v in counts.items()}}, None

    return _measure('hanzi_identify', path, work, None, trace)


TIMERS = {
    'jieba_counter': jieba_counter,
    'countvec': countvec,
    'countvec_unigram': countvec_unigram,
    'countvec_bigram': countvec_bigram,
    'split_counter': split_counter,
    'nltk_collocations': nltk_collocations,
    'opencc_t2s': opencc_t2s,
    'hanzi_identify': hanzi_identify,
}


# ---------------------------------------------------------------- isolation, versions

def _child(name, path, kwargs):
    return TIMERS[name](path, **kwargs)


def run_isolated(name, path, **kwargs):
    """Run TIMERS[name](path, **kwargs) in a fresh spawned interpreter."""
    import multiprocessing
    ctx = multiprocessing.get_context('spawn')
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_child, (name, path, kwargs))


def versions():
    from importlib import metadata
    out = {'python': sys.version.split()[0]}
    for dist in ('jieba', 'scikit-learn', 'numpy', 'scipy', 'nltk', 'OpenCC',
                 'hanzidentifier', 'zhon', 'PyICU'):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


def _fmt(r):
    i = r.info
    extra = {k: v for k, v in i.items() if k not in
             ('peer', 'path', 'bytes', 'mb_s', 'rss_before', 'peak_exact',
              'cpu_seconds', 'cpu_mb_s')}
    return (f"{i['peer']}\t{os.path.basename(i['path'].rstrip('/'))}\t{i['bytes'] / 1e6:.1f} MB\t"
            f"{r.seconds:.2f} s\t{r.mb_s:.3f} MB/s\t"
            f"cpu {i['cpu_seconds']:.2f} s {i['cpu_mb_s']:.3f} MB/s\t{r.n_tokens} tokens\t"
            f"peak RSS {r.peak_rss / 2**20:.0f} MiB{'' if i['peak_exact'] else ' (lifetime)'}\t{extra}")


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description='Time one peer on one file.')
    ap.add_argument('peer', choices=sorted(TIMERS) + ['versions'])
    ap.add_argument('path', nargs='?')
    ap.add_argument('--ngram', help='countvec ngram range, e.g. 1,2')
    ap.add_argument('--window', type=int, help='nltk_collocations window_size')
    ap.add_argument('--unit', help='countvec: lines|docs; opencc_t2s: lines|text')
    ap.add_argument('--no-hmm', action='store_true', help='jieba_counter with HMM off')
    ap.add_argument('--isolate', action='store_true', help='run in a fresh interpreter')
    ap.add_argument('--trace', action='store_true', help='tracemalloc (slows the run)')
    a = ap.parse_args(argv)
    if a.peer == 'versions':
        for k, v in versions().items():
            print(f'{k}\t{v}')
        return
    if not a.path:
        ap.error('PATH is required')
    kw = {}
    if a.ngram:
        kw['ngram_range'] = tuple(int(x) for x in a.ngram.split(','))
    if a.window:
        kw['window_size'] = a.window
    if a.unit:
        kw['unit'] = a.unit
    if a.no_hmm:
        kw['hmm'] = False
    if a.trace:
        kw['trace'] = True
    r = run_isolated(a.peer, a.path, **kw) if a.isolate else TIMERS[a.peer](a.path, **kw)
    print(_fmt(r), flush=True)


if __name__ == '__main__':
    main()

/* colloc_bench: time collocation counting + scoring through the C API, without Python.
 *   colloc_bench FILE [bigram|window|both] [REPEATS] [THREADS]
 * The corpus is built as bench_colloc.py builds it (whitespace tokens, no folding, punctuation
 * kept, no sentences, no text); each task is timed REPEATS times on the same corpus and the
 * fastest run printed with the rows and peak RSS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libstats.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int run(lstats_corpus *c, int window, int repeats, uint32_t threads)
{
    double best = 1e30;
    size_t rows = 0;
    for (int r = 0; r < repeats; r++) {
        lstats_colloc_options o;
        lstats_colloc_options_init(&o, LSTATS_COLLOC_OPTIONS_VERSION);
        o.measures = "g2";
        o.n_threads = threads;
        lstats_table *t = NULL;
        double t0 = now();
        lstats_status st = window ? (o.window_right = 4, lstats_corpus_cooccurrence(c, &o, &t))
                                  : lstats_corpus_collocations(c, &o, &t);
        double dt = now() - t0;
        if (st) {
            fprintf(stderr, "error: %s\n", lstats_last_error());
            return 1;
        }
        rows = lstats_table_nrows(t);
        lstats_table_free(t);
        if (dt < best)
            best = dt;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%-7s threads=%u %.3f s  rows=%zu  peak_rss=%.0f MB\n", window ? "window" : "bigram",
           threads, best, rows, (double)ru.ru_maxrss / 1024.0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [bigram|window|both] [REPEATS] [THREADS]\n", argv[0]);
        return 2;
    }
    const char *what = argc > 2 ? argv[2] : "both";
    int repeats = argc > 3 ? atoi(argv[3]) : 1;
    uint32_t threads = argc > 4 ? (uint32_t)atoi(argv[4]) : 0;
    lstats_corpus_options o;
    lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION);
    o.tokenizer = LSTATS_TOKENIZER_WHITESPACE;
    o.normalize = LSTATS_NORMALIZE_NONE;
    o.lowercase = 0;
    o.keep_punct = 1;
    o.keep_text = 0;
    o.sentences = LSTATS_SENTENCES_NONE;
    lstats_corpus *c = NULL;
    double t0 = now();
    if (lstats_corpus_new(&c, &o) ||
        lstats_corpus_add_files(c, 1, (const char *const *)argv + 1, NULL, NULL, NULL)) {
        fprintf(stderr, "error: %s\n", lstats_last_error());
        return 1;
    }
    printf("ingest  %.3f s  tokens=%llu types=%llu\n", now() - t0,
           (unsigned long long)lstats_corpus_n_tokens(c),
           (unsigned long long)lstats_corpus_n_types(c));
    int rc = 0;
    if (strcmp(what, "window") != 0)
        rc |= run(c, 0, repeats, threads);
    if (strcmp(what, "bigram") != 0)
        rc |= run(c, 1, repeats, threads);
    lstats_corpus_free(c);
    return rc;
}

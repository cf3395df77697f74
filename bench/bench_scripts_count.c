/* bench_scripts_count.c: the cost of the script-variant classification inside ingestion.
 *
 *   bench_scripts_count FILE [REPS]
 *
 * Reads FILE into memory, then times (median of REPS):
 *   count   ls_script_count over 1 MiB chunks of the text in memory (the work ingestion adds
 *           per chunk);
 *   reader  the document reader alone (ls_reader_next over the file: decode, validate, chunk);
 *   fast    lstats_script_variants_files (reader + count: the `libstats scripts` fast path);
 *   ingest  lstats_corpus_add_file with one thread (whole ingestion, classification included).
 * The classification's share of ingestion is count time / ingest time.
 * Build: see bench/bench_scripts.py (links the internal static library of a build dir).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "libstats.h"
#include "scripts.h"
#include "text.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_scripts_count FILE [REPS]\n");
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    if (reps < 1 || reps > 50)
        reps = 3;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        perror("read");
        return 1;
    }
    fclose(f);
    double t_count[50], t_reader[50], t_fast[50], t_ingest[50];
    uint64_t counts[LS_HAN_NCLASS] = {0};
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        for (long off = 0; off < len; off += 1 << 20) {
            long n = len - off < (1 << 20) ? len - off : (1 << 20);
            ls_script_count(buf + off, (size_t)n, counts);
        }
        t_count[r] = now() - t0;

        t0 = now();
        ls_reader *rd = NULL;
        if (ls_reader_open_file(&rd, argv[1], NULL, LSTATS_ERRORS_STRICT))
            return 1;
        const char *text;
        size_t n;
        while (ls_reader_next(rd, &text, &n, NULL) == LSTATS_OK && n)
            ;
        ls_reader_free(rd);
        t_reader[r] = now() - t0;

        t0 = now();
        lstats_table *t = NULL;
        const char *p = argv[1];
        if (lstats_script_variants_files(1, &p, NULL, NULL, NULL, NULL, &t))
            return 1;
        t_fast[r] = now() - t0;
        lstats_table_free(t);

        lstats_corpus_options o;
        lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION);
        o.n_threads = 1;
        o.keep_text = 0;
        lstats_corpus *c = NULL;
        lstats_corpus_new(&c, &o);
        t0 = now();
        if (lstats_corpus_add_file(c, argv[1], NULL))
            return 1;
        t_ingest[r] = now() - t0;
        lstats_corpus_free(c);
    }
    double mb = (double)len / 1e6;
    double tc = median(t_count, reps), tr = median(t_reader, reps), tf = median(t_fast, reps),
           ti = median(t_ingest, reps);
    printf("file %s, %.1f MB, median of %d\n", argv[1], mb, reps);
    printf("count   %.3f s  %.1f MB/s\n", tc, mb / tc);
    printf("reader  %.3f s  %.1f MB/s\n", tr, mb / tr);
    printf("fast    %.3f s  %.1f MB/s\n", tf, mb / tf);
    printf("ingest  %.3f s  %.1f MB/s (one thread, keep_text off)\n", ti, mb / ti);
    printf("classification share of ingestion: %.2f%%\n", 100 * tc / ti);
    free(buf);
    return 0;
}

/* ingest_bench: time corpus construction + unigram counting through the C API.
 *   ingest_bench TOKENIZER(icu|whitespace|han) THREADS KEEP_TEXT SENTENCES(icu|lines|none) FILE...
 * Prints MB/s of input, tokens, types and peak RSS (bytes per token). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <libstats.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: %s icu|whitespace|han THREADS KEEP_TEXT icu|lines|none FILE...\n",
                argv[0]);
        return 2;
    }
    lstats_corpus_options o;
    lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION);
    o.tokenizer = strcmp(argv[1], "whitespace") == 0 ? LSTATS_TOKENIZER_WHITESPACE
                  : strcmp(argv[1], "han") == 0      ? LSTATS_TOKENIZER_HAN
                                                     : LSTATS_TOKENIZER_ICU;
    o.n_threads = (uint32_t)atoi(argv[2]);
    o.keep_text = atoi(argv[3]);
    o.sentences = strcmp(argv[4], "lines") == 0  ? LSTATS_SENTENCES_LINES
                  : strcmp(argv[4], "none") == 0 ? LSTATS_SENTENCES_NONE
                                                 : LSTATS_SENTENCES_ICU;
    uint64_t bytes = 0;
    for (int i = 5; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0)
            bytes += (uint64_t)sb.st_size;
    }
    double t0 = now();
    lstats_corpus *c = NULL;
    lstats_status st = lstats_corpus_new(&c, &o);
    if (!st)
        st = lstats_corpus_add_files(c, (size_t)(argc - 5), (const char *const *)argv + 5, NULL,
                                     NULL, NULL);
    if (st) {
        fprintf(stderr, "error: %s\n", lstats_last_error());
        return 1;
    }
    double t1 = now();
    lstats_table *f = NULL;
    st = lstats_corpus_frequencies(c, NULL, &f);
    double t2 = now();
    if (st) {
        fprintf(stderr, "error: %s\n", lstats_last_error());
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double mb = (double)bytes / 1e6;
    uint64_t tokens = lstats_corpus_n_tokens(c);
    printf("tokenizer=%s threads=%s keep_text=%d sentences=%s input=%.1f MB docs=%zu\n", argv[1],
           argv[2], o.keep_text, argv[4], mb, lstats_corpus_n_docs(c));
    printf("ingest %.2f s (%.2f MB/s)  count %.3f s  total %.2f MB/s\n", t1 - t0, mb / (t1 - t0),
           t2 - t1, mb / (t2 - t0));
    printf("tokens=%llu types=%llu peak_rss=%.1f MB (%.2f bytes/token)\n",
           (unsigned long long)tokens, (unsigned long long)lstats_corpus_n_types(c),
           (double)ru.ru_maxrss / 1024.0, (double)ru.ru_maxrss * 1024.0 / (double)tokens);
    lstats_table_free(f);
    lstats_corpus_free(c);
    return 0;
}

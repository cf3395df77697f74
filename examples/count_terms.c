/* count_terms: the C quick start.
 *
 *   cc count_terms.c $(pkg-config --cflags --libs libstats) -o count_terms
 *   ./count_terms FILE...     (plain or .gz, UTF-8)
 *
 * Builds a corpus from the files plus one document from memory, prints the ten most frequent
 * words and bigrams, saves the word table, loads it back, and round-trips it through TSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstats.h>

static int fail(const char *what, lstats_status st)
{
    fprintf(stderr, "%s: %s: %s\n", what, lstats_status_string(st), lstats_last_error());
    return 1;
}

static int print_top(const lstats_table *t, size_t k)
{
    size_t term_col, count_col, pm_col, df_col;
    const char *blob;
    const int64_t *off;
    const uint64_t *count, *df;
    const double *pm;
    lstats_status st;
    if ((st = lstats_table_column_index(t, "term", &term_col)) ||
        (st = lstats_table_column_index(t, "count", &count_col)) ||
        (st = lstats_table_column_index(t, "per_million", &pm_col)) ||
        (st = lstats_table_column_index(t, "doc_count", &df_col)) ||
        (st = lstats_table_column_string(t, term_col, &blob, &off)) ||
        (st = lstats_table_column_u64(t, count_col, &count)) ||
        (st = lstats_table_column_f64(t, pm_col, &pm)) ||
        (st = lstats_table_column_u64(t, df_col, &df)))
        return fail("reading columns", st);
    for (size_t r = 0; r < k && r < lstats_table_nrows(t); r++)
        printf("%-20.*s %8llu %12.1f %4llu\n", (int)(off[r + 1] - off[r]), blob + off[r],
               (unsigned long long)count[r], pm[r], (unsigned long long)df[r]);
    return 0;
}

int main(int argc, char **argv)
{
    lstats_corpus_options opts;
    lstats_freq_options fopts;
    lstats_corpus *corpus = NULL;
    lstats_table *words = NULL, *bigrams = NULL, *loaded = NULL, *from_tsv = NULL;
    lstats_status st;
    const char *memo = "libstats counts words. It counts bigrams too.";
    int rc = 1;

    printf("libstats %s (ICU %s)\n", lstats_version_string(), lstats_icu_version());
    if ((st = lstats_corpus_options_init(&opts, LSTATS_CORPUS_OPTIONS_VERSION)))
        return fail("options", st);
    opts.n_threads = 0; /* all cores */
    if ((st = lstats_corpus_new(&corpus, &opts)))
        return fail("lstats_corpus_new", st);
    if ((st = lstats_corpus_add_files(corpus, (size_t)(argc - 1), (const char *const *)argv + 1,
                                      NULL, NULL, NULL))) {
        fail("adding files", st);
        goto out;
    }
    if ((st = lstats_corpus_add_text(corpus, "memo", memo, strlen(memo)))) {
        fail("adding text", st);
        goto out;
    }
    printf("%zu documents, %llu tokens, %llu types\n", lstats_corpus_n_docs(corpus),
           (unsigned long long)lstats_corpus_n_tokens(corpus),
           (unsigned long long)lstats_corpus_n_types(corpus));

    lstats_freq_options_init(&fopts, LSTATS_FREQ_OPTIONS_VERSION);
    fopts.n = 1;
    if ((st = lstats_corpus_frequencies(corpus, &fopts, &words))) {
        fail("unigrams", st);
        goto out;
    }
    fopts.n = 2;
    fopts.min_count = 2;
    if ((st = lstats_corpus_frequencies(corpus, &fopts, &bigrams))) {
        fail("bigrams", st);
        goto out;
    }
    printf("-- words\n");
    if (print_top(words, 10))
        goto out;
    printf("-- bigrams (min count 2)\n");
    if (print_top(bigrams, 10))
        goto out;

    if ((st = lstats_table_save(words, "count_terms.lstable")) ||
        (st = lstats_table_load("count_terms.lstable", &loaded))) {
        fail("save/load", st);
        goto out;
    }
    if ((st = lstats_table_write_tsv(words, "count_terms.tsv")) ||
        (st = lstats_read_frequency_list("count_terms.tsv", NULL, &from_tsv))) {
        fail("TSV round trip", st);
        goto out;
    }
    printf("saved and loaded %zu rows; TSV round trip %zu rows\n", lstats_table_nrows(loaded),
           lstats_table_nrows(from_tsv));
    rc = lstats_table_nrows(loaded) == lstats_table_nrows(words) &&
                 lstats_table_nrows(from_tsv) == lstats_table_nrows(words)
             ? 0
             : 1;
out:
    lstats_table_free(from_tsv);
    lstats_table_free(loaded);
    lstats_table_free(bigrams);
    lstats_table_free(words);
    lstats_corpus_free(corpus);
    return rc;
}

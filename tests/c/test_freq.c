/* Frequencies on hand-counted text. */
#include <stdlib.h>

#include "check.h"

static lstats_corpus *corpus_of(int n_docs, const char *const *texts, int n_threads)
{
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.n_threads = (uint32_t)n_threads;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    const char *names[8];
    size_t lens[8];
    char buf[8][16];
    for (int i = 0; i < n_docs; i++) {
        snprintf(buf[i], sizeof buf[i], "d%d", i);
        names[i] = buf[i];
        lens[i] = strlen(texts[i]);
    }
    CHECK_OK(lstats_corpus_add_texts(c, (size_t)n_docs, names, texts, lens, NULL, NULL));
    return c;
}

/* The row of `term`, or -1. */
static long find_row(const lstats_table *t, const char *term)
{
    size_t col;
    const char *blob;
    const int64_t *off;
    if (lstats_table_column_index(t, "term", &col) != LSTATS_OK ||
        lstats_table_column_string(t, col, &blob, &off) != LSTATS_OK)
        return -1;
    size_t len = strlen(term);
    for (size_t r = 0; r < lstats_table_nrows(t); r++)
        if ((size_t)(off[r + 1] - off[r]) == len && memcmp(blob + off[r], term, len) == 0)
            return (long)r;
    return -1;
}

static uint64_t u64_at(const lstats_table *t, const char *name, long row)
{
    size_t col;
    const uint64_t *v;
    if (row < 0 || lstats_table_column_index(t, name, &col) != LSTATS_OK ||
        lstats_table_column_u64(t, col, &v) != LSTATS_OK)
        return UINT64_MAX;
    return v[row];
}

static lstats_table *freq(const lstats_corpus *c, uint32_t n, uint64_t min_count, int cross)
{
    lstats_freq_options o;
    CHECK_OK(lstats_freq_options_init(&o, LSTATS_FREQ_OPTIONS_VERSION));
    o.n = n;
    o.min_count = min_count;
    o.cross_sentences = cross;
    lstats_table *t = NULL;
    CHECK_OK(lstats_corpus_frequencies(c, &o, &t));
    return t;
}

int main(void)
{
    const char *texts[] = {"the cat sat on the mat. The cat ran.", "The dog. The cat"};
    lstats_corpus *c = corpus_of(2, texts, 1);
    CHECK(lstats_corpus_n_tokens(c) == 13);
    CHECK(lstats_corpus_n_types(c) == 7);

    lstats_table *u = freq(c, 1, 1, 0);
    CHECK(lstats_table_nrows(u) == 7);
    CHECK(find_row(u, "the") == 0 && u64_at(u, "count", 0) == 5);
    CHECK(u64_at(u, "doc_count", 0) == 2);
    CHECK(find_row(u, "cat") == 1 && u64_at(u, "count", 1) == 3);
    /* Ties are ordered by term: dog mat on ran sat. */
    CHECK(find_row(u, "dog") == 2 && find_row(u, "sat") == 6);
    {
        size_t col;
        const double *pm;
        CHECK_OK(lstats_table_column_index(u, "per_million", &col));
        CHECK_OK(lstats_table_column_f64(u, col, &pm));
        CHECK(pm[0] > 384615.38 && pm[0] < 384615.39); /* 5 / 13 * 1e6 */
    }
    CHECK(strcmp(lstats_table_meta_get(u, "kind"), "frequency") == 0);
    CHECK(strcmp(lstats_table_meta_get(u, "n_tokens"), "13") == 0);
    CHECK(strcmp(lstats_table_meta_get(u, "tokenizer"), "icu") == 0);
    lstats_table_free(u);

    /* Bigrams inside sentences: doc 0 has 5 + 2 positions, doc 1 ("The dog." | "The cat"; ICU
     * starts no sentence before a lower-case word) 1 + 1. */
    lstats_table *b = freq(c, 2, 1, 0);
    CHECK(strcmp(lstats_table_meta_get(b, "n_tokens"), "9") == 0);
    CHECK(u64_at(b, "count", find_row(b, "the cat")) == 3);
    CHECK(u64_at(b, "doc_count", find_row(b, "the cat")) == 2);
    CHECK(find_row(b, "mat the") == -1);
    CHECK(find_row(b, "dog the") == -1);
    CHECK(find_row(b, "ran the") == -1); /* never across documents */
    lstats_table_free(b);

    lstats_table *bx = freq(c, 2, 1, 1);
    CHECK(strcmp(lstats_table_meta_get(bx, "n_tokens"), "11") == 0);
    CHECK(u64_at(bx, "count", find_row(bx, "mat the")) == 1);
    CHECK(u64_at(bx, "count", find_row(bx, "dog the")) == 1);
    CHECK(find_row(bx, "ran the") == -1);
    lstats_table_free(bx);

    lstats_table *m = freq(c, 2, 2, 0);
    CHECK(lstats_table_nrows(m) == 1);
    lstats_table_free(m);

    lstats_table *t5 = freq(c, 5, 1, 1);
    CHECK(u64_at(t5, "count", find_row(t5, "the cat sat on the")) == 1);
    lstats_table_free(t5);

    /* The same counts with two threads, term for term. */
    lstats_corpus *c2 = corpus_of(2, texts, 2);
    lstats_table *u1 = freq(c, 1, 1, 0), *u2 = freq(c2, 1, 1, 0);
    CHECK(lstats_table_nrows(u1) == lstats_table_nrows(u2));
    for (size_t r = 0; r < lstats_table_nrows(u1); r++)
        CHECK(u64_at(u1, "count", (long)r) == u64_at(u2, "count", (long)r));
    lstats_table_free(u1);
    lstats_table_free(u2);
    lstats_corpus_free(c2);

    /* Errors. */
    lstats_freq_options o;
    lstats_table *t = NULL;
    CHECK_STATUS(lstats_freq_options_init(&o, 99), LSTATS_EVERSION);
    CHECK_STATUS(lstats_freq_options_init(NULL, LSTATS_FREQ_OPTIONS_VERSION), LSTATS_EINVAL);
    CHECK_OK(lstats_freq_options_init(&o, LSTATS_FREQ_OPTIONS_VERSION));
    o.n = 0;
    CHECK_STATUS(lstats_corpus_frequencies(c, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("1..5");
    o.n = 6;
    CHECK_STATUS(lstats_corpus_frequencies(c, &o, &t), LSTATS_EINVAL);
    o.n = 1;
    o.version = 2;
    CHECK_STATUS(lstats_corpus_frequencies(c, &o, &t), LSTATS_EVERSION);
    CHECK_STATUS(lstats_corpus_frequencies(NULL, NULL, &t), LSTATS_EINVAL);
    CHECK(t == NULL);
    /* NULL options mean defaults. */
    CHECK_OK(lstats_corpus_frequencies(c, NULL, &t));
    CHECK(lstats_table_nrows(t) == 7);
    lstats_table_free(t);

    /* An empty corpus gives an empty table with a zero denominator. */
    lstats_corpus *e = corpus_of(0, texts, 1);
    lstats_table *et = freq(e, 1, 1, 0);
    CHECK(lstats_table_nrows(et) == 0);
    lstats_table_free(et);
    et = freq(e, 3, 1, 0);
    CHECK(lstats_table_nrows(et) == 0);
    lstats_table_free(et);
    lstats_corpus_free(e);

    lstats_corpus_free(c);
    return check_summary();
}

/* Collocations, window collocates and co-occurrence on hand-counted text. */
#include <math.h>
#include <stdlib.h>

#include "check.h"

static lstats_corpus *corpus_of(int n_docs, const char *const *texts)
{
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    const char *names[4] = {"d0", "d1", "d2", "d3"};
    size_t lens[4];
    for (int i = 0; i < n_docs; i++)
        lens[i] = strlen(texts[i]);
    CHECK_OK(lstats_corpus_add_texts(c, (size_t)n_docs, names, texts, lens, NULL, NULL));
    return c;
}

/* Row where the string columns a (and b, when not NULL) equal x (and y); -1 when absent. */
static long find2(const lstats_table *t, const char *a, const char *x, const char *b, const char *y)
{
    size_t ca, cb = 0;
    const char *ba, *bb = NULL;
    const int64_t *oa, *ob = NULL;
    if (lstats_table_column_index(t, a, &ca) || lstats_table_column_string(t, ca, &ba, &oa))
        return -1;
    if (b && (lstats_table_column_index(t, b, &cb) || lstats_table_column_string(t, cb, &bb, &ob)))
        return -1;
    for (size_t r = 0; r < lstats_table_nrows(t); r++) {
        if ((size_t)(oa[r + 1] - oa[r]) != strlen(x) || memcmp(ba + oa[r], x, strlen(x)))
            continue;
        if (b && ((size_t)(ob[r + 1] - ob[r]) != strlen(y) || memcmp(bb + ob[r], y, strlen(y))))
            continue;
        return (long)r;
    }
    return -1;
}

static double f64(const lstats_table *t, const char *col, long r)
{
    size_t c;
    const double *d;
    if (r < 0 || lstats_table_column_index(t, col, &c) || lstats_table_column_f64(t, c, &d))
        return NAN;
    return d[r];
}

static uint64_t u64(const lstats_table *t, const char *col, long r)
{
    size_t c;
    const uint64_t *d;
    if (r < 0 || lstats_table_column_index(t, col, &c) || lstats_table_column_u64(t, c, &d))
        return (uint64_t)-1;
    return d[r];
}

/* ---- a corpus large enough for partitioned counting and the threaded result ---- */

/* 217k tokens: 3 threads count 72k each (above the threshold for counting on threads) and
 * both cuts fall inside a document, which two threads then count pairs of. */
enum { BIG_DOCS = 31, BIG_TOKENS = 7000, BIG_VOCAB = 20000, BIG_WINDOW = 4 };

/* The number of a term "w123". */
static uint64_t word_number(const char *s, int64_t len)
{
    uint64_t v = 0;
    for (int64_t i = 1; i < len; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    return v;
}

/* Every row's (w1, w2) pair occurs o11 times in sorted[0..n) (pairs as a << 32 | b). */
static int rows_match_count(const lstats_table *t, const uint64_t *sorted, size_t n)
{
    size_t c1, c2, co;
    const char *b1, *b2;
    const int64_t *f1, *f2;
    const uint64_t *o11;
    if (lstats_table_column_index(t, "w1", &c1) || lstats_table_column_index(t, "w2", &c2) ||
        lstats_table_column_index(t, "o11", &co) || lstats_table_column_string(t, c1, &b1, &f1) ||
        lstats_table_column_string(t, c2, &b2, &f2) || lstats_table_column_u64(t, co, &o11))
        return 0;
    for (size_t r = 0; r < lstats_table_nrows(t); r++) {
        uint64_t key = word_number(b1 + f1[r], f1[r + 1] - f1[r]) << 32 |
                       word_number(b2 + f2[r], f2[r + 1] - f2[r]);
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (sorted[mid] < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < n && sorted[end] == key)
            end++;
        if (end - lo != o11[r])
            return 0;
    }
    return 1;
}

/* Words w0..w19999 drawn with a skewed LCG, one line a document; the window pairs and their
 * (pair, document) combinations are counted here by sorting, independently of libstats. */
static void test_big(void)
{
    char **texts = malloc(BIG_DOCS * sizeof *texts);
    const char *names[BIG_DOCS];
    size_t lens[BIG_DOCS];
    uint32_t *words = malloc((size_t)BIG_DOCS * BIG_TOKENS * sizeof *words);
    uint64_t state = 12345;
    for (int d = 0; d < BIG_DOCS; d++) {
        texts[d] = malloc(BIG_TOKENS * 8);
        size_t p = 0;
        for (int i = 0; i < BIG_TOKENS; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(state >> 11) / 9007199254740992.0;
            uint32_t w = (uint32_t)(u * u * u * BIG_VOCAB); /* frequent low numbers */
            words[d * BIG_TOKENS + i] = w;
            p += (size_t)sprintf(texts[d] + p, "%sw%u", i ? " " : "", w);
        }
        names[d] = "doc";
        lens[d] = p;
    }
    lstats_corpus_options co;
    CHECK_OK(lstats_corpus_options_init(&co, LSTATS_CORPUS_OPTIONS_VERSION));
    co.tokenizer = LSTATS_TOKENIZER_WHITESPACE;
    co.sentences = LSTATS_SENTENCES_LINES;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &co));
    CHECK_OK(
        lstats_corpus_add_texts(c, BIG_DOCS, names, (const char *const *)texts, lens, NULL, NULL));
    /* by hand: pairs as (a << 32 | b), and (pair, doc) as pair * 64 + doc */
    size_t n_occ = 0;
    uint64_t *pairs = malloc((size_t)BIG_DOCS * BIG_TOKENS * BIG_WINDOW * sizeof *pairs);
    uint64_t *pdoc = malloc((size_t)BIG_DOCS * BIG_TOKENS * BIG_WINDOW * sizeof *pdoc);
    for (int d = 0; d < BIG_DOCS; d++)
        for (int i = 0; i < BIG_TOKENS; i++)
            for (int j = i + 1; j <= i + BIG_WINDOW && j < BIG_TOKENS; j++) {
                uint64_t key =
                    ((uint64_t)words[d * BIG_TOKENS + i] << 32) | words[d * BIG_TOKENS + j];
                pairs[n_occ] = key;
                pdoc[n_occ++] = (key << 5) * 2 + (uint64_t)d; /* words < 2^15: no overflow */
            }
    size_t distinct = check_distinct(pairs, n_occ), pair_docs = check_distinct(pdoc, n_occ);
    lstats_colloc_options o;
    CHECK_OK(lstats_colloc_options_init(&o, LSTATS_COLLOC_OPTIONS_VERSION));
    o.window_right = BIG_WINDOW;
    o.measures = "g2,logdice";
    lstats_table *one = NULL, *two = NULL;
    o.n_threads = 1;
    CHECK_OK(lstats_corpus_cooccurrence(c, &o, &one));
    for (uint32_t threads = 2; threads <= 3; threads++) {
        o.n_threads = threads;
        CHECK_OK(lstats_corpus_cooccurrence(c, &o, &two));
        CHECK(one && two && check_tables_equal(one, two));
        lstats_table_free(two);
    }
    CHECK(one && lstats_table_nrows(one) == distinct && distinct > 65536);
    size_t col;
    const uint64_t *o11 = NULL, *dc = NULL;
    const double *g2 = NULL;
    CHECK_OK(lstats_table_column_index(one, "o11", &col));
    CHECK_OK(lstats_table_column_u64(one, col, &o11));
    CHECK_OK(lstats_table_column_index(one, "doc_count", &col));
    CHECK_OK(lstats_table_column_u64(one, col, &dc));
    CHECK_OK(lstats_table_column_index(one, "g2", &col));
    CHECK_OK(lstats_table_column_f64(one, col, &g2));
    uint64_t sum = 0, sum_docs = 0;
    int ordered = 1;
    for (size_t r = 0; o11 && dc && g2 && r < lstats_table_nrows(one); r++) {
        sum += o11[r];
        sum_docs += dc[r];
        if (r && (g2[r] > g2[r - 1] || (g2[r] == g2[r - 1] && o11[r] > o11[r - 1])))
            ordered = 0;
    }
    CHECK(sum == n_occ);
    CHECK(sum_docs == pair_docs);
    CHECK(ordered);
    CHECK(rows_match_count(one, pairs, n_occ));
    lstats_table_free(one);
    /* bigrams: the same with window 1 */
    o.n_threads = 1;
    CHECK_OK(lstats_corpus_collocations(c, &o, &one));
    CHECK(one && lstats_table_nrows(one) > 65536);
    size_t n_bi = 0;
    for (int d = 0; d < BIG_DOCS; d++)
        for (int i = 0; i + 1 < BIG_TOKENS; i++)
            pairs[n_bi++] =
                ((uint64_t)words[d * BIG_TOKENS + i] << 32) | words[d * BIG_TOKENS + i + 1];
    CHECK(check_distinct(pairs, n_bi) == lstats_table_nrows(one));
    CHECK(rows_match_count(one, pairs, n_bi));
    for (uint32_t threads = 2; threads <= 3; threads++) {
        o.n_threads = threads;
        CHECK_OK(lstats_corpus_collocations(c, &o, &two));
        CHECK(one && two && check_tables_equal(one, two));
        lstats_table_free(two);
    }
    lstats_table_free(one);
    lstats_corpus_free(c);
    /* sentences (a line every 37 words) that the cuts between threads fall inside: within or
     * across sentences, any number of threads counts the same */
    for (int d = 0; d < BIG_DOCS; d++)
        for (size_t i = 0, w = 0; texts[d][i]; i++)
            if (texts[d][i] == ' ' && ++w % 37 == 0)
                texts[d][i] = '\n';
    CHECK_OK(lstats_corpus_new(&c, &co));
    CHECK_OK(
        lstats_corpus_add_texts(c, BIG_DOCS, names, (const char *const *)texts, lens, NULL, NULL));
    for (int bounded = 0; bounded <= 1; bounded++)
        for (int bigrams = 0; bigrams <= 1; bigrams++) {
            o.sentence_bounded = bounded;
            o.n_threads = 1;
            CHECK_OK(bigrams ? lstats_corpus_collocations(c, &o, &one)
                             : lstats_corpus_cooccurrence(c, &o, &one));
            for (uint32_t threads = 2; threads <= 3; threads++) {
                o.n_threads = threads;
                CHECK_OK(bigrams ? lstats_corpus_collocations(c, &o, &two)
                                 : lstats_corpus_cooccurrence(c, &o, &two));
                CHECK(one && two && check_tables_equal(one, two));
                lstats_table_free(two);
            }
            lstats_table_free(one);
        }
    lstats_corpus_free(c);
    for (int d = 0; d < BIG_DOCS; d++)
        free(texts[d]);
    free(texts);
    free(words);
    free(pairs);
    free(pdoc);
}

int main(void)
{
    const char *texts[] = {"a b c a b", "b a b"};
    lstats_corpus *c = corpus_of(2, texts);
    lstats_colloc_options o;
    CHECK_STATUS(lstats_colloc_options_init(NULL, LSTATS_COLLOC_OPTIONS_VERSION), LSTATS_EINVAL);
    CHECK_STATUS(lstats_colloc_options_init(&o, 99), LSTATS_EVERSION);
    CHECK_OK(lstats_colloc_options_init(&o, LSTATS_COLLOC_OPTIONS_VERSION));
    o.measures = "g2,pmi,dice,fisher";
    lstats_table *t = NULL;
    CHECK_OK(lstats_corpus_collocations(c, &o, &t));
    long r = find2(t, "w1", "a", "w2", "b");
    CHECK(r == 0); /* the strongest pair by g2 */
    CHECK(u64(t, "o11", r) == 3 && u64(t, "doc_count", r) == 2);
    CHECK(f64(t, "r1", r) == 3 && f64(t, "c1", r) == 3 && f64(t, "n", r) == 6);
    CHECK(fabs(f64(t, "e11", r) - 1.5) < 1e-15);
    CHECK(fabs(f64(t, "pmi", r) - 1.0) < 1e-15);
    CHECK(fabs(f64(t, "dice", r) - 1.0) < 1e-15);
    /* [[3,0],[0,3]]: g2 = 2 * 6 ln 2 */
    CHECK(fabs(f64(t, "g2", r) - 12 * log(2.0)) < 1e-12);
    CHECK(fabs(f64(t, "fisher", r) - 0.05) < 1e-12); /* 1 / C(6,3) */
    CHECK(lstats_table_nrows(t) == 4);
    lstats_table_free(t);
    /* errors */
    o.measures = "nope";
    CHECK_STATUS(lstats_corpus_collocations(c, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("unknown measure");
    o.measures = "dice";
    o.n = 3;
    CHECK_STATUS(lstats_corpus_collocations(c, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("pairs only");
    o.n = 5;
    o.measures = NULL;
    CHECK_STATUS(lstats_corpus_collocations(c, &o, &t), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_collocations(NULL, &o, &t), LSTATS_EINVAL);
    o.version = 7;
    CHECK_STATUS(lstats_corpus_collocations(c, &o, &t), LSTATS_EVERSION);
    /* trigrams: a b c, b c a, c a b (doc 0), b a b (doc 1) */
    CHECK_OK(lstats_colloc_options_init(&o, LSTATS_COLLOC_OPTIONS_VERSION));
    o.n = 3;
    o.measures = "frequency,pmi,lambda";
    CHECK_OK(lstats_corpus_collocations(c, &o, &t));
    CHECK(lstats_table_nrows(t) == 4);
    r = find2(t, "w1", "c", "w2", "a");
    CHECK(u64(t, "o11", r) == 1 && u64(t, "f1", r) == 1 && u64(t, "f3", r) == 2);
    /* E = f1 f2 f3 / N^2 = 1 * 2 * 2 / 4^2 */
    CHECK(fabs(f64(t, "e11", r) - 4.0 / 16) < 1e-15);
    CHECK(fabs(f64(t, "pmi", r) - 2.0) < 1e-14 && u64(t, "f2", r) == 2);
    lstats_table_free(t);
    /* top-k, min_count, stopwords */
    CHECK_OK(lstats_colloc_options_init(&o, LSTATS_COLLOC_OPTIONS_VERSION));
    o.min_count = 2;
    CHECK_OK(lstats_corpus_collocations(c, &o, &t));
    CHECK(lstats_table_nrows(t) == 1);
    lstats_table_free(t);
    const char *stop[] = {"C"};
    o.min_count = 1;
    o.stopwords = stop;
    o.n_stopwords = 1;
    o.top_k = 2;
    o.sort_by = "o11";
    CHECK_OK(lstats_corpus_collocations(c, &o, &t));
    CHECK(lstats_table_nrows(t) == 2 && find2(t, "w1", "a", "w2", "b") == 0);
    CHECK(find2(t, "w1", "b", "w2", "c") < 0);
    lstats_table_free(t);
    /* collocates of "a", window 1,1 */
    CHECK_OK(lstats_colloc_options_init(&o, LSTATS_COLLOC_OPTIONS_VERSION));
    o.window_left = o.window_right = 1;
    o.measures = "all";
    CHECK_OK(lstats_corpus_collocates(c, "A", 1, &o, &t));
    r = find2(t, "collocate", "b", NULL, NULL);
    CHECK(u64(t, "left", r) == 1 && u64(t, "right", r) == 3 && u64(t, "o11", r) == 4);
    CHECK(f64(t, "r1", r) == 5 && f64(t, "c1", r) == 4 && f64(t, "n", r) == 8);
    r = find2(t, "collocate", "c", NULL, NULL);
    CHECK(u64(t, "left", r) == 1 && u64(t, "right", r) == 0);
    CHECK(lstats_table_nrows(t) == 2);
    lstats_table_free(t);
    /* a phrase node, and a node absent from the corpus */
    CHECK_OK(lstats_corpus_collocates(c, "a b", 3, &o, &t));
    r = find2(t, "collocate", "c", NULL, NULL);
    CHECK(u64(t, "right", r) == 1);
    lstats_table_free(t);
    CHECK_OK(lstats_corpus_collocates(c, "zzz", 3, &o, &t));
    CHECK(lstats_table_nrows(t) == 0);
    lstats_table_free(t);
    CHECK_STATUS(lstats_corpus_collocates(c, "...", 3, &o, &t), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_collocates(c, NULL, 3, &o, &t), LSTATS_EINVAL);
    /* co-occurrence within 2 tokens to the right */
    CHECK_OK(lstats_colloc_options_init(&o, LSTATS_COLLOC_OPTIONS_VERSION));
    o.window_right = 2;
    CHECK_OK(lstats_corpus_cooccurrence(c, &o, &t));
    r = find2(t, "w1", "a", "w2", "b");
    CHECK(u64(t, "o11", r) == 3 && u64(t, "doc_count", r) == 2);
    r = find2(t, "w1", "b", "w2", "b");
    CHECK(u64(t, "o11", r) == 1);
    CHECK(lstats_table_nrows(t) == 7);
    lstats_table_free(t);
    /* measure names and single scores */
    CHECK(strstr(lstats_assoc_measure_names(), "logdice") != NULL);
    double v;
    CHECK_OK(lstats_assoc_score("odds_ratio", 1, 0, 0, 1, 0.05, &v));
    CHECK(isinf(v));
    CHECK_STATUS(lstats_assoc_score("x", 1, 0, 0, 1, 0.05, &v), LSTATS_EINVAL);
    /* an empty corpus */
    lstats_corpus *e = corpus_of(0, texts);
    CHECK_OK(lstats_colloc_options_init(&o, LSTATS_COLLOC_OPTIONS_VERSION));
    o.measures = "all";
    CHECK_OK(lstats_corpus_collocations(e, &o, &t));
    CHECK(lstats_table_nrows(t) == 0);
    lstats_table_free(t);
    CHECK_OK(lstats_corpus_cooccurrence(e, &o, &t));
    CHECK(lstats_table_nrows(t) == 0);
    lstats_table_free(t);
    lstats_corpus_free(e);
    lstats_corpus_free(c);
    test_big();
    return check_summary();
}

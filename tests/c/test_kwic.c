/* Concordance lines: matching on ids, contexts cut from the stored text, sorting, sampling. */
#include <stdlib.h>

#include "check.h"

static lstats_corpus *corpus_with(size_t n, const char *const *texts, int lowercase, int keep_text,
                                  const char *const *compounds, size_t n_comp)
{
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.lowercase = lowercase;
    o.keep_text = keep_text;
    o.compounds = compounds;
    o.n_compounds = n_comp;
    o.n_threads = 2;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    const char *names[8];
    size_t lens[8];
    char buf[8][8];
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "d%zu", i);
        names[i] = buf[i];
        lens[i] = strlen(texts[i]);
    }
    CHECK_OK(lstats_corpus_add_texts(c, n, names, texts, lens, NULL, NULL));
    return c;
}

static lstats_table *kwic(const lstats_corpus *c, const char *pattern, uint32_t window,
                          const char *sort, uint64_t limit, int sample, uint64_t seed)
{
    lstats_kwic_options o;
    CHECK_OK(lstats_kwic_options_init(&o, LSTATS_KWIC_OPTIONS_VERSION));
    o.window = window;
    o.sort = sort;
    o.limit = limit;
    o.sample = sample;
    o.seed = seed;
    lstats_table *t = NULL;
    CHECK_OK(lstats_corpus_kwic(c, pattern, strlen(pattern), &o, &t));
    return t;
}

/* 1 when string column `col` of row r equals want. */
static int str_is(const lstats_table *t, const char *col_name, size_t r, const char *want)
{
    size_t col;
    const char *blob;
    const int64_t *off;
    if (lstats_table_column_index(t, col_name, &col) ||
        lstats_table_column_string(t, col, &blob, &off) || r >= lstats_table_nrows(t))
        return 0;
    size_t len = (size_t)(off[r + 1] - off[r]);
    int ok = len == strlen(want) && memcmp(blob + off[r], want, len) == 0;
    if (!ok)
        fprintf(stderr, "  %s[%zu] = '%.*s', want '%s'\n", col_name, r, (int)len, blob + off[r],
                want);
    return ok;
}

static uint64_t u64_at(const lstats_table *t, const char *col_name, size_t r)
{
    size_t col;
    const uint64_t *v;
    if (lstats_table_column_index(t, col_name, &col) || lstats_table_column_u64(t, col, &v) ||
        r >= lstats_table_nrows(t))
        return UINT64_MAX;
    return v[r];
}

static const char *const TEXTS[2] = {"The cat sat on the mat. The dog saw the Cat!",
                                     "A cat?  No, the CAT\nran."};

static void test_basic(void)
{
    lstats_corpus *c = corpus_with(2, TEXTS, 1, 1, NULL, 0);
    lstats_table *t = kwic(c, "cat", 2, NULL, 0, 0, 0);
    CHECK(lstats_table_nrows(t) == 4);
    CHECK(str_is(t, "doc", 0, "d0") && str_is(t, "doc", 3, "d1"));
    CHECK(u64_at(t, "position", 0) == 1 && u64_at(t, "start", 0) == 4 && u64_at(t, "end", 0) == 7);
    CHECK(str_is(t, "left", 0, "The ") && str_is(t, "match", 0, "cat") &&
          str_is(t, "right", 0, " sat on"));
    /* Original case and the punctuation between tokens come from the stored text. */
    CHECK(str_is(t, "match", 1, "Cat") && str_is(t, "left", 1, "saw the ") &&
          str_is(t, "right", 1, ""));
    CHECK(str_is(t, "left", 2, "A ") && str_is(t, "right", 2, "?  No, the"));
    CHECK(str_is(t, "left", 3, "No, the ") && str_is(t, "match", 3, "CAT") &&
          str_is(t, "right", 3, "\nran"));
    CHECK(u64_at(t, "doc_index", 3) == 1);
    CHECK(strcmp(lstats_table_meta_get(t, "kind"), "kwic") == 0);
    CHECK(strcmp(lstats_table_meta_get(t, "n_matches"), "4") == 0);
    CHECK(strcmp(lstats_table_meta_get(t, "query_terms"), "cat") == 0);
    lstats_table_free(t);

    /* The query goes through the same normalisation: "CAT" finds every cat. */
    t = kwic(c, "CAT", 0, NULL, 0, 0, 0);
    CHECK(lstats_table_nrows(t) == 4 && str_is(t, "left", 0, "") && str_is(t, "right", 0, ""));
    lstats_table_free(t);

    /* A phrase of two tokens; punctuation in the query is dropped as in the corpus. */
    t = kwic(c, "the  cat!", 1, NULL, 0, 0, 0);
    CHECK(lstats_table_nrows(t) == 3);
    CHECK(str_is(t, "match", 0, "The cat") && u64_at(t, "position", 0) == 0);
    CHECK(str_is(t, "match", 1, "the Cat") && u64_at(t, "position", 1) == 9);
    CHECK(str_is(t, "left", 1, "saw ") && str_is(t, "match", 2, "the CAT"));
    CHECK(strcmp(lstats_table_meta_get(t, "query_terms"), "the cat") == 0);
    lstats_table_free(t);

    /* A term absent from the corpus: no line, no error. */
    t = kwic(c, "zebra", 5, NULL, 0, 0, 0);
    CHECK(lstats_table_nrows(t) == 0 && strcmp(lstats_table_meta_get(t, "n_matches"), "0") == 0);
    lstats_table_free(t);

    /* Sorting by the first word to the right, then by the one before. */
    t = kwic(c, "cat", 3, "right1", 0, 0, 0);
    /* right1: (missing) < "no" < "ran" < "sat" */
    CHECK(str_is(t, "match", 0, "Cat") && str_is(t, "right", 1, "?  No, the CAT") &&
          str_is(t, "right", 2, "\nran") && str_is(t, "right", 3, " sat on the"));
    lstats_table_free(t);
    t = kwic(c, "cat", 3, "left1,right1", 0, 0, 0);
    /* left1: (missing: none) "a" < "the" (d0 pos 1) = "the" (d0 pos 9) = "the" (d1); right1
     * breaks the tie: missing < ran < sat. */
    CHECK(str_is(t, "left", 0, "A ") && str_is(t, "match", 1, "Cat") &&
          str_is(t, "match", 2, "CAT") && str_is(t, "match", 3, "cat"));
    lstats_table_free(t);

    /* Limit: the first lines; sample: `limit` random lines, reproducible from the seed. */
    t = kwic(c, "cat", 1, NULL, 2, 0, 0);
    CHECK(lstats_table_nrows(t) == 2 && u64_at(t, "position", 1) == 10);
    CHECK(strcmp(lstats_table_meta_get(t, "n_matches"), "4") == 0);
    lstats_table_free(t);
    lstats_table *s1 = kwic(c, "cat", 1, NULL, 3, 1, 42);
    lstats_table *s2 = kwic(c, "cat", 1, NULL, 3, 1, 42);
    CHECK(lstats_table_nrows(s1) == 3 && lstats_table_nrows(s2) == 3);
    for (size_t r = 0; r < 3; r++)
        CHECK(u64_at(s1, "position", r) == u64_at(s2, "position", r) &&
              u64_at(s1, "doc_index", r) == u64_at(s2, "doc_index", r));
    /* In corpus order. */
    for (size_t r = 1; r < 3; r++)
        CHECK(u64_at(s1, "doc_index", r - 1) * 100 + u64_at(s1, "position", r - 1) <
              u64_at(s1, "doc_index", r) * 100 + u64_at(s1, "position", r));
    lstats_table_free(s1);
    lstats_table_free(s2);
    /* Seeds pick different samples (1 of 4 left out: some seed leaves out another line). */
    int differ = 0;
    uint64_t first_left_out = 0;
    for (uint64_t seed = 0; seed < 20; seed++) {
        lstats_table *s = kwic(c, "cat", 1, NULL, 3, 1, seed);
        uint64_t sum = 0;
        for (size_t r = 0; r < 3; r++)
            sum += u64_at(s, "doc_index", r) * 100 + u64_at(s, "position", r);
        if (seed == 0)
            first_left_out = sum;
        else if (sum != first_left_out)
            differ = 1;
        lstats_table_free(s);
    }
    CHECK(differ);
    /* A sample larger than the matches gives them all. */
    t = kwic(c, "cat", 1, NULL, 10, 1, 1);
    CHECK(lstats_table_nrows(t) == 4);
    lstats_table_free(t);
    lstats_corpus_free(c);
}

static void test_case_and_compounds(void)
{
    lstats_corpus *c = corpus_with(2, TEXTS, 0, 1, NULL, 0);
    lstats_table *t = kwic(c, "cat", 1, NULL, 0, 0, 0);
    CHECK(lstats_table_nrows(t) == 2);
    lstats_table_free(t);
    lstats_kwic_options o;
    CHECK_OK(lstats_kwic_options_init(&o, LSTATS_KWIC_OPTIONS_VERSION));
    o.ignore_case = 1;
    CHECK_OK(lstats_corpus_kwic(c, "cAt", 3, &o, &t));
    CHECK(lstats_table_nrows(t) == 4);
    lstats_table_free(t);
    CHECK_OK(lstats_corpus_kwic(c, "the CAT", 7, &o, &t));
    CHECK(lstats_table_nrows(t) == 3 && str_is(t, "match", 1, "the Cat"));
    lstats_table_free(t);
    lstats_corpus_free(c);

    const char *comp[1] = {"New York"};
    const char *texts[1] = {"I love new york and New  York loves me. York is old."};
    c = corpus_with(1, texts, 1, 1, comp, 1);
    t = kwic(c, "NEW YORK", 1, NULL, 0, 0, 0);
    CHECK(lstats_table_nrows(t) == 2);
    CHECK(str_is(t, "match", 0, "new york") && str_is(t, "match", 1, "New  York") &&
          str_is(t, "right", 1, " loves"));
    lstats_table_free(t);
    t = kwic(c, "york", 1, NULL, 0, 0, 0);
    CHECK(lstats_table_nrows(t) == 1 && str_is(t, "right", 0, " is") &&
          str_is(t, "left", 0, "me. "));
    lstats_table_free(t);
    lstats_corpus_free(c);
}

static void test_chinese(void)
{
    const char *texts[1] = {"我们喜欢人工智能。人工智能很好，智能也好。"};
    lstats_corpus *c = corpus_with(1, texts, 1, 1, NULL, 0);
    lstats_table *t = kwic(c, "人工智能", 2, NULL, 0, 0, 0);
    CHECK(lstats_table_nrows(t) == 2);
    CHECK(str_is(t, "match", 0, "人工智能") && str_is(t, "match", 1, "人工智能"));
    /* Byte offsets into the stored text: 我们喜欢 is 12 bytes. */
    CHECK(u64_at(t, "start", 0) == 12 && u64_at(t, "end", 0) == 24);
    CHECK(u64_at(t, "start", 1) == 27);
    /* ICU splits 人工智能 into 人工 + 智能; the query is split the same way. The left context
     * (two tokens) runs up to the match, so the full stop between them is kept. */
    CHECK(str_is(t, "left", 1, "人工智能。"));
    CHECK(strcmp(lstats_table_meta_get(t, "query_terms"), "人工 智能") == 0);
    lstats_table_free(t);
    lstats_corpus_free(c);
}

/* With fold_script a query in one script finds both (the query is folded like the text). */
static void test_fold_script(void)
{
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.fold_script = LSTATS_FOLD_SIMPLIFIED;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    const char *texts[2] = {"經濟發展很快。", "经济发展很快。"};
    const char *names[2] = {"trad", "simp"};
    size_t lens[2] = {strlen(texts[0]), strlen(texts[1])};
    CHECK_OK(lstats_corpus_add_texts(c, 2, names, texts, lens, NULL, NULL));
    const char *queries[2] = {"發展", "发展"};
    for (int i = 0; i < 2; i++) {
        lstats_table *t = kwic(c, queries[i], 1, NULL, 0, 0, 0);
        CHECK(lstats_table_nrows(t) == 2);
        /* The match is the stored text, in its own script. */
        CHECK(str_is(t, "match", 0, "發展") && str_is(t, "match", 1, "发展"));
        lstats_table_free(t);
    }
    lstats_corpus_free(c);
}

static void test_errors(void)
{
    lstats_corpus *c = corpus_with(2, TEXTS, 1, 0, NULL, 0);
    lstats_table *t = NULL;
    CHECK_STATUS(lstats_corpus_kwic(c, "cat", 3, NULL, &t), LSTATS_ESTATE);
    CHECK_MSG("keep_text=True");
    CHECK(t == NULL);
    lstats_corpus_free(c);

    c = corpus_with(2, TEXTS, 1, 1, NULL, 0);
    CHECK_OK(lstats_corpus_kwic(c, "cat", 3, NULL, &t)); /* NULL options: the defaults */
    CHECK(lstats_table_nrows(t) == 4 && strcmp(lstats_table_meta_get(t, "window"), "5") == 0);
    lstats_table_free(t);
    CHECK_STATUS(lstats_corpus_kwic(NULL, "cat", 3, NULL, &t), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_kwic(c, NULL, 3, NULL, &t), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_kwic(c, "cat", 3, NULL, NULL), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_kwic(c, "", 0, NULL, &t), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_kwic(c, "?!", 2, NULL, &t), LSTATS_EINVAL);
    CHECK_MSG("no token");
    CHECK_STATUS(lstats_corpus_kwic(c, "ca\xff", 3, NULL, &t), LSTATS_EUTF8);
    CHECK_MSG("byte offset 2");
    lstats_kwic_options o;
    CHECK_STATUS(lstats_kwic_options_init(&o, 99), LSTATS_EVERSION);
    CHECK_STATUS(lstats_kwic_options_init(NULL, LSTATS_KWIC_OPTIONS_VERSION), LSTATS_EINVAL);
    CHECK_OK(lstats_kwic_options_init(&o, LSTATS_KWIC_OPTIONS_VERSION));
    o.version = 7;
    CHECK_STATUS(lstats_corpus_kwic(c, "cat", 3, &o, &t), LSTATS_EVERSION);
    CHECK_OK(lstats_kwic_options_init(&o, LSTATS_KWIC_OPTIONS_VERSION));
    o.sample = 1;
    CHECK_STATUS(lstats_corpus_kwic(c, "cat", 3, &o, &t), LSTATS_EINVAL);
    CHECK_MSG("limit");
    o.sample = 0;
    const char *bad[] = {"up1", "left0", "right1x", "matchx", "left1,,middle"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o.sort = bad[i];
        CHECK_STATUS(lstats_corpus_kwic(c, "cat", 3, &o, &t), LSTATS_EINVAL);
        CHECK_MSG("sort key");
    }
    o.sort = " right2 , left ,match";
    CHECK_OK(lstats_corpus_kwic(c, "cat", 3, &o, &t));
    CHECK(lstats_table_nrows(t) == 4);
    lstats_table_free(t);
    lstats_corpus_free(c);

    /* An empty corpus: no lines. */
    lstats_corpus_options co;
    CHECK_OK(lstats_corpus_options_init(&co, LSTATS_CORPUS_OPTIONS_VERSION));
    CHECK_OK(lstats_corpus_new(&c, &co));
    CHECK_OK(lstats_corpus_kwic(c, "cat", 3, NULL, &t));
    CHECK(lstats_table_nrows(t) == 0);
    lstats_table_free(t);
    lstats_corpus_free(c);
}

int main(void)
{
    test_basic();
    test_case_and_compounds();
    test_chinese();
    test_fold_script();
    test_errors();
    return check_summary();
}

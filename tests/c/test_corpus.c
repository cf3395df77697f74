/* Building corpora: options, documents from memory and files, threads, compounds, subsets. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

static lstats_corpus *new_corpus(int keep_text, uint32_t threads)
{
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.keep_text = keep_text;
    o.n_threads = threads;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    return c;
}

static const char *seed_paths[5] = {
    LSTATS_SEEDS "/000_a7d02d31f2581e8c.txt", LSTATS_SEEDS "/001_a3d71f31426a832b.txt",
    LSTATS_SEEDS "/002_1387c4aaf010367a.txt", LSTATS_SEEDS "/003_cd1fe29d6d3c03c8.txt",
    LSTATS_SEEDS "/004_b736f3daf11a5bd2.txt"};

static uint64_t count_of(const lstats_table *t, const char *term)
{
    size_t tc, cc;
    const char *blob;
    const int64_t *off;
    const uint64_t *cnt;
    if (lstats_table_column_index(t, "term", &tc) || lstats_table_column_index(t, "count", &cc) ||
        lstats_table_column_string(t, tc, &blob, &off) || lstats_table_column_u64(t, cc, &cnt))
        return UINT64_MAX;
    size_t len = strlen(term);
    for (size_t r = 0; r < lstats_table_nrows(t); r++)
        if ((size_t)(off[r + 1] - off[r]) == len && memcmp(blob + off[r], term, len) == 0)
            return cnt[r];
    return 0;
}

static int cancel_after_first(uint64_t done, uint64_t total, void *payload)
{
    (void)done;
    (void)total;
    int *calls = payload;
    return ++*calls >= 1;
}

/* Counts non-overlapping occurrences of needle in the seed files. */
static uint64_t occurrences(const char *needle)
{
    uint64_t n = 0;
    for (int i = 0; i < 5; i++) {
        FILE *f = fopen(seed_paths[i], "rb");
        if (!f)
            return 0;
        static char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        for (const char *p = buf; (p = strstr(p, needle)); p += strlen(needle))
            n++;
    }
    return n;
}

/* A file over 16 MB is read in parts on two threads: the corpus equals a one-thread read
 * (tokens with offsets and sentences, text, frequencies with document counts, summary). */
static void test_large_file_in_parts(void)
{
    char path[] = "/tmp/lstats_big_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    uint64_t state = 7, bytes = 0;
    while (bytes < 17000000) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned w = (unsigned)(state >> 40) % 5000, len = (unsigned)(state >> 20) % 23;
        int k = fprintf(f, "%sx%u%s", len ? " " : "", w, len == 0 ? ".\n" : len == 1 ? "\r\n" : "");
        bytes += (uint64_t)k;
    }
    fclose(f);
    lstats_corpus *c[2];
    lstats_table *freq[2], *sum[2], *tok[2];
    for (int i = 0; i < 2; i++) {
        lstats_corpus_options o;
        CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
        o.tokenizer = LSTATS_TOKENIZER_WHITESPACE;
        o.n_threads = (uint32_t)(i + 1);
        const char *paths[3] = {seed_paths[0], path, seed_paths[1]};
        CHECK_OK(lstats_corpus_new(&c[i], &o));
        CHECK_OK(lstats_corpus_add_files(c[i], 3, paths, NULL, NULL, NULL));
        lstats_freq_options fo;
        CHECK_OK(lstats_freq_options_init(&fo, LSTATS_FREQ_OPTIONS_VERSION));
        CHECK_OK(lstats_corpus_frequencies(c[i], &fo, &freq[i]));
        CHECK_OK(lstats_corpus_summary(c[i], &sum[i]));
        CHECK_OK(lstats_corpus_doc_tokens(c[i], 1, &tok[i]));
    }
    CHECK(lstats_corpus_n_docs(c[1]) == 3);
    CHECK(lstats_corpus_n_tokens(c[0]) == lstats_corpus_n_tokens(c[1]));
    CHECK(check_tables_equal(freq[0], freq[1]));
    CHECK(check_tables_equal(sum[0], sum[1]));
    CHECK(check_tables_equal(tok[0], tok[1]));
    const char *t0, *t1;
    size_t l0, l1;
    CHECK_OK(lstats_corpus_doc_text(c[0], 1, &t0, &l0));
    CHECK_OK(lstats_corpus_doc_text(c[1], 1, &t1, &l1));
    CHECK(l0 == l1 && memcmp(t0, t1, l0) == 0);
    for (int i = 0; i < 2; i++) {
        lstats_table_free(freq[i]);
        lstats_table_free(sum[i]);
        lstats_table_free(tok[i]);
        lstats_corpus_free(c[i]);
    }
    unlink(path);
}

int main(void)
{
    /* Options. */
    lstats_corpus_options o;
    lstats_corpus *c = NULL;
    CHECK_STATUS(lstats_corpus_options_init(&o, 0), LSTATS_EVERSION);
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    CHECK(o.tokenizer == LSTATS_TOKENIZER_ICU && o.normalize == LSTATS_NORMALIZE_NFKC &&
          o.lowercase == 1 && o.keep_text == 1);
    o.version = 7;
    CHECK_STATUS(lstats_corpus_new(&c, &o), LSTATS_EVERSION);
    CHECK(c == NULL);
    o.version = LSTATS_CORPUS_OPTIONS_VERSION;
    o.tokenizer = 3;
    CHECK_STATUS(lstats_corpus_new(&c, &o), LSTATS_EINVAL);
    CHECK_MSG("tokenizer");
    o.tokenizer = 0;
    o.n_compounds = 2;
    CHECK_STATUS(lstats_corpus_new(&c, &o), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_new(NULL, NULL), LSTATS_EINVAL);
    lstats_corpus_free(NULL);

    /* Documents from memory; text and offsets kept. */
    c = new_corpus(1, 1);
    CHECK_OK(lstats_corpus_add_text(c, "a", "Hello, ＷＯＲＬＤ!\r\nBye.", 29));
    CHECK(lstats_corpus_n_docs(c) == 1 && lstats_corpus_n_tokens(c) == 3);
    CHECK(strcmp(lstats_corpus_doc_name(c, 0), "a") == 0);
    CHECK(lstats_corpus_doc_name(c, 1) == NULL);
    const char *text;
    size_t len;
    CHECK_OK(lstats_corpus_doc_text(c, 0, &text, &len));
    CHECK(len == 28 && memcmp(text, "Hello, ＷＯＲＬＤ!\nBye.", 28) == 0); /* CRLF -> LF */
    lstats_table *tok = NULL;
    CHECK_OK(lstats_corpus_doc_tokens(c, 0, &tok));
    CHECK(lstats_table_nrows(tok) == 3);
    {
        size_t col;
        const int64_t *start, *end;
        const uint64_t *sent;
        CHECK_OK(lstats_table_column_index(tok, "start", &col));
        CHECK_OK(lstats_table_column_i64(tok, col, &start));
        CHECK_OK(lstats_table_column_index(tok, "end", &col));
        CHECK_OK(lstats_table_column_i64(tok, col, &end));
        CHECK_OK(lstats_table_column_index(tok, "sentence", &col));
        CHECK_OK(lstats_table_column_u64(tok, col, &sent));
        CHECK(start[1] == 7 && end[1] == 22 && memcmp(text + start[1], "ＷＯＲＬＤ", 15) == 0);
        CHECK(sent[0] == 0 && sent[1] == 0 && sent[2] == 1);
    }
    lstats_table_free(tok);
    CHECK_STATUS(lstats_corpus_doc_tokens(c, 5, &tok), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_doc_text(c, 5, &text, &len), LSTATS_EINVAL);
    /* An empty document and a whitespace-only one are documents with no tokens. */
    CHECK_OK(lstats_corpus_add_text(c, "empty", "", 0));
    CHECK_OK(lstats_corpus_add_text(c, "blank", " \n\t\n", 4));
    CHECK(lstats_corpus_n_docs(c) == 3 && lstats_corpus_n_tokens(c) == 3);
    /* Invalid UTF-8 from memory names the document and the offset; nothing is added. */
    CHECK_STATUS(lstats_corpus_add_text(c, "bad", "ok \xff ok", 7), LSTATS_EUTF8);
    CHECK_MSG("bad");
    CHECK_MSG("3");
    CHECK(lstats_corpus_n_docs(c) == 3);
    CHECK_STATUS(lstats_corpus_add_text(NULL, "x", "", 0), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_add_text(c, NULL, "", 0), LSTATS_EINVAL);
    lstats_table *sum = NULL;
    CHECK_OK(lstats_corpus_summary(c, &sum));
    CHECK(lstats_table_nrows(sum) == 3);
    {
        size_t col;
        const uint64_t *chars, *bytes;
        CHECK_OK(lstats_table_column_index(sum, "chars", &col));
        CHECK_OK(lstats_table_column_u64(sum, col, &chars));
        CHECK_OK(lstats_table_column_index(sum, "bytes", &col));
        CHECK_OK(lstats_table_column_u64(sum, col, &bytes));
        CHECK(chars[0] == 18 && bytes[0] == 28 && chars[1] == 0 && chars[2] == 4);
    }
    lstats_table_free(sum);
    lstats_corpus_free(c);

    /* Without keep_text the text is not available, with a message saying how to get it. */
    c = new_corpus(0, 1);
    CHECK_OK(lstats_corpus_add_text(c, "a", "some words", 10));
    CHECK_STATUS(lstats_corpus_doc_text(c, 0, &text, &len), LSTATS_ESTATE);
    CHECK_MSG("keep_text");
    CHECK_OK(lstats_corpus_doc_tokens(c, 0, &tok));
    lstats_table_free(tok);
    lstats_corpus_free(c);

    /* The sample corpus from files, on one and two threads: identical results. */
    lstats_corpus *one = new_corpus(1, 1), *two = new_corpus(1, 2);
    CHECK_OK(lstats_corpus_add_files(one, 5, seed_paths, NULL, NULL, NULL));
    CHECK_OK(lstats_corpus_add_files(two, 5, seed_paths, NULL, NULL, NULL));
    CHECK(lstats_corpus_n_docs(one) == 5 && lstats_corpus_n_tokens(one) > 5000);
    CHECK(lstats_corpus_n_tokens(one) == lstats_corpus_n_tokens(two));
    CHECK(lstats_corpus_n_types(one) == lstats_corpus_n_types(two));
    lstats_table *f1 = NULL, *f2 = NULL;
    CHECK_OK(lstats_corpus_frequencies(one, NULL, &f1));
    CHECK_OK(lstats_corpus_frequencies(two, NULL, &f2));
    CHECK(lstats_table_nrows(f1) == lstats_table_nrows(f2));
    CHECK(count_of(f1, "deepseek") > 50 && count_of(f1, "deepseek") == count_of(f2, "deepseek"));
    /* ICU's dictionary splits these names; see the compounds test below. */
    CHECK(count_of(f1, "人工智能") == 0);
    lstats_table_free(f2);

    /* Summary columns. */
    CHECK_OK(lstats_corpus_summary(one, &sum));
    {
        size_t col;
        const uint64_t *tokens, *bytes;
        CHECK_OK(lstats_table_column_index(sum, "tokens", &col));
        CHECK_OK(lstats_table_column_u64(sum, col, &tokens));
        CHECK_OK(lstats_table_column_index(sum, "bytes_in", &col));
        CHECK_OK(lstats_table_column_u64(sum, col, &bytes));
        uint64_t total = 0;
        for (int i = 0; i < 5; i++)
            total += tokens[i];
        CHECK(total == lstats_corpus_n_tokens(one));
        CHECK(bytes[0] == 8589);
    }
    lstats_table_free(sum);

    /* Subsets keep their documents' counts. */
    size_t pick[2] = {3, 0};
    lstats_corpus *sub = NULL;
    CHECK_OK(lstats_corpus_subset(one, pick, 2, &sub));
    CHECK(lstats_corpus_n_docs(sub) == 2);
    CHECK(strcmp(lstats_corpus_doc_name(sub, 0), seed_paths[3]) == 0);
    CHECK(lstats_corpus_n_types(sub) < lstats_corpus_n_types(one));
    lstats_corpus_free(sub);
    size_t twice[2] = {1, 1}, far[1] = {9};
    CHECK_STATUS(lstats_corpus_subset(one, twice, 2, &sub), LSTATS_EINVAL);
    CHECK_STATUS(lstats_corpus_subset(one, far, 1, &sub), LSTATS_EINVAL);

    /* A batch with a missing file adds nothing and names the file. */
    const char *with_missing[2] = {seed_paths[0], "/nonexistent/file.txt"};
    size_t before = lstats_corpus_n_docs(two);
    CHECK_STATUS(lstats_corpus_add_files(two, 2, with_missing, NULL, NULL, NULL), LSTATS_EIO);
    CHECK_MSG("/nonexistent/file.txt");
    CHECK(lstats_corpus_n_docs(two) == before);

    /* A progress callback that returns non-zero cancels; the corpus is unchanged. */
    int calls = 0;
    CHECK_STATUS(lstats_corpus_add_files(two, 5, seed_paths, NULL, cancel_after_first, &calls),
                 LSTATS_ECANCELED);
    CHECK(calls >= 1);
    CHECK(lstats_corpus_n_docs(two) == before);
    lstats_corpus_free(two);

    /* Compounds: the dictionary's splits merged back, exactly as often as the text has them. */
    const char *compounds[] = {"人工智能", "英伟达", "梁文锋", "硅谷", "Open AI"};
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.compounds = compounds;
    o.n_compounds = 5;
    lstats_corpus *cc = NULL;
    CHECK_OK(lstats_corpus_new(&cc, &o));
    CHECK_OK(lstats_corpus_add_files(cc, 5, seed_paths, NULL, NULL, NULL));
    lstats_table *fc = NULL;
    CHECK_OK(lstats_corpus_frequencies(cc, NULL, &fc));
    const char *merged[] = {"人工智能", "英伟达", "梁文锋", "硅谷"};
    for (int i = 0; i < 4; i++) {
        uint64_t want = occurrences(merged[i]);
        CHECK(want > 0);
        if (count_of(fc, merged[i]) != want)
            fprintf(stderr, "%s: %llu merged, %llu in text\n", merged[i],
                    (unsigned long long)count_of(fc, merged[i]), (unsigned long long)want);
        CHECK(count_of(fc, merged[i]) == want);
    }
    lstats_table_free(fc);
    lstats_corpus_free(cc);
    /* Whitespace entries match consecutive tokens. */
    const char *spaced[] = {"New York"};
    o.compounds = spaced;
    o.n_compounds = 1;
    CHECK_OK(lstats_corpus_new(&cc, &o));
    CHECK_OK(lstats_corpus_add_text(cc, "x", "new york and New  York. new. york", 33));
    CHECK_OK(lstats_corpus_frequencies(cc, NULL, &fc));
    CHECK(count_of(fc, "new york") == 2);
    CHECK(count_of(fc, "new") == 1 && count_of(fc, "york") == 1);
    lstats_table_free(fc);
    lstats_corpus_free(cc);

    lstats_table_free(f1);
    lstats_corpus_free(one);
    test_large_file_in_parts();
    return check_summary();
}

/* Reading frequency lists. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "error.h"
#include "table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[256];
static char path[512];

static const char *write_file(const char *content, size_t len)
{
    snprintf(path, sizeof path, "%s/list.tsv", tmpdir);
    FILE *f = fopen(path, "wb");
    fwrite(content, 1, len, f);
    fclose(f);
    return path;
}

static lstats_status read_str(const char *content, const lstats_freqlist_options *opts,
                              lstats_table **out)
{
    *out = NULL;
    return lstats_read_frequency_list(write_file(content, strlen(content)), opts, out);
}

static int str_at(const lstats_table *t, size_t i, const char *s)
{
    const char *blob;
    const int64_t *off;
    if (lstats_table_column_string(t, 0, &blob, &off) != LSTATS_OK)
        return 0;
    size_t len = (size_t)(off[i + 1] - off[i]);
    return len == strlen(s) && memcmp(blob + off[i], s, len) == 0;
}

static void test_options(void)
{
    lstats_freqlist_options o;
    memset(&o, 0xFF, sizeof o);
    CHECK_OK(lstats_freqlist_options_init(&o, LSTATS_FREQLIST_OPTIONS_VERSION));
    CHECK(o.version == LSTATS_FREQLIST_OPTIONS_VERSION);
    CHECK(o.duplicates == LSTATS_DUPLICATES_ERROR);
    CHECK_STATUS(lstats_freqlist_options_init(&o, 99), LSTATS_EVERSION);
    CHECK_MSG("version 99");
    CHECK_STATUS(lstats_freqlist_options_init(NULL, 1), LSTATS_EINVAL);

    lstats_table *t = NULL;
    o.version = 2;
    CHECK_STATUS(read_str("a\t1\n", &o, &t), LSTATS_EVERSION);
    CHECK(t == NULL);
    lstats_freqlist_options_init(&o, LSTATS_FREQLIST_OPTIONS_VERSION);
    o.duplicates = 7;
    CHECK_STATUS(read_str("a\t1\n", &o, &t), LSTATS_EINVAL);
    CHECK_MSG("unknown duplicates mode 7");
    CHECK_STATUS(lstats_read_frequency_list(NULL, NULL, &t), LSTATS_EINVAL);
    CHECK_STATUS(lstats_read_frequency_list("x", NULL, NULL), LSTATS_EINVAL);
    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing.tsv", tmpdir);
    CHECK_STATUS(lstats_read_frequency_list(missing, NULL, &t), LSTATS_EIO);
    CHECK_MSG("missing.tsv");
}

static void test_basic(void)
{
    lstats_table *t = NULL;
    /* Header, CRLF, a blank line, unicode, no final newline; sorted by count desc, term asc. */
    CHECK_OK(read_str("word\tFreq\r\nb\t3\r\n\r\n\xc3\xa9t\xc3\xa9\t7\na\t3\nz\t0", NULL, &t));
    CHECK(lstats_table_nrows(t) == 4);
    CHECK(lstats_table_ncols(t) == 3);
    CHECK(strcmp(lstats_table_column_name(t, 0), "term") == 0);
    CHECK(strcmp(lstats_table_column_name(t, 1), "count") == 0);
    CHECK(strcmp(lstats_table_column_name(t, 2), "per_million") == 0);
    CHECK(ls_table_u64(t, "doc_count") == NULL);
    CHECK(str_at(t, 0, "\xc3\xa9t\xc3\xa9") && str_at(t, 1, "a") && str_at(t, 2, "b") &&
          str_at(t, 3, "z"));
    const uint64_t *c = ls_table_u64(t, "count");
    const double *pm = ls_table_f64(t, "per_million");
    CHECK(c[0] == 7 && c[1] == 3 && c[3] == 0);
    CHECK(fabs(pm[0] - 7e6 / 13) < 1e-6 && pm[3] == 0);
    CHECK(strcmp(lstats_table_meta_get(t, "kind"), "frequency") == 0);
    CHECK(strcmp(lstats_table_meta_get(t, "n"), "1") == 0);
    CHECK(strcmp(lstats_table_meta_get(t, "n_tokens"), "13") == 0);
    CHECK(strcmp(lstats_table_meta_get(t, "source"), path) == 0);
    lstats_table_free(t);

    /* doc_count column; header "count"; leading zeros; max value. */
    CHECK_OK(read_str("term\tcount\tdoc_count\nx\t005\t2\ny\t18446744073709551610\t1\n", NULL, &t));
    CHECK(lstats_table_ncols(t) == 4);
    const uint64_t *dc = ls_table_u64(t, "doc_count");
    CHECK(dc && dc[0] == 1 && dc[1] == 2);
    CHECK(ls_table_u64(t, "count")[0] == UINT64_MAX - 5);
    CHECK(strcmp(lstats_table_meta_get(t, "n_tokens"), "18446744073709551615") == 0);
    lstats_table_free(t);

    /* Header only / empty file: 0 rows, n_tokens 0. */
    CHECK_OK(read_str("term\tfrequency\n", NULL, &t));
    CHECK(lstats_table_nrows(t) == 0);
    CHECK(strcmp(lstats_table_meta_get(t, "n_tokens"), "0") == 0);
    lstats_table_free(t);
    CHECK_OK(read_str("", NULL, &t));
    CHECK(lstats_table_nrows(t) == 0);
    lstats_table_free(t);

    /* "count" in the second field of a later line is not a header: not an integer. */
    CHECK_STATUS(read_str("a\t1\nb\tcount\n", NULL, &t), LSTATS_EFORMAT);
    CHECK_MSG("line 2: count 'count' is not a non-negative integer");

    /* Duplicates summed. */
    lstats_freqlist_options o;
    lstats_freqlist_options_init(&o, LSTATS_FREQLIST_OPTIONS_VERSION);
    o.duplicates = LSTATS_DUPLICATES_SUM;
    CHECK_OK(read_str("a\t1\t1\nb\t5\t2\na\t9\t3\n", &o, &t));
    CHECK(str_at(t, 0, "a") && ls_table_u64(t, "count")[0] == 10 &&
          ls_table_u64(t, "doc_count")[0] == 4);
    lstats_table_free(t);
    CHECK_STATUS(read_str("a\t18446744073709551615\na\t1\n", &o, &t), LSTATS_ERANGE);
    CHECK_MSG("line 2: summed count of duplicate term 'a'");
    CHECK_STATUS(read_str("a\t18446744073709551615\nb\t1\n", &o, &t), LSTATS_ERANGE);
    CHECK_MSG("sum of the counts exceeds");
}

static void test_errors(void)
{
    lstats_table *t = NULL;
    struct {
        const char *text;
        lstats_status st;
        const char *msg;
    } cases[] = {
        {"a\t1\nb\t2\nc\n", LSTATS_EFORMAT, "line 3: expected term<TAB>count"},
        {"a\t-1\n", LSTATS_EFORMAT, "line 1: negative count '-1'"},
        {"a\t1.5\n", LSTATS_EFORMAT, "line 1: count '1.5' is not a non-negative integer"},
        {"a\t+1\n", LSTATS_EFORMAT, "count '+1' is not"},
        {"a\t 1\n", LSTATS_EFORMAT, "count ' 1' is not"},
        {"a\t-\n", LSTATS_EFORMAT, "count '-' is not"},
        {"a\t\n", LSTATS_EFORMAT, "line 1: empty count"},
        {"a\t18446744073709551616\n", LSTATS_ERANGE,
         "line 1: count '18446744073709551616' exceeds 18446744073709551615"},
        {"a\t1\t2\n", LSTATS_EFORMAT, "line 1: doc_count 2 exceeds count 1"},
        {"a\t1\t\n", LSTATS_EFORMAT, "line 1: empty doc_count"},
        {"a\t5\tx\n", LSTATS_EFORMAT, "line 1: doc_count 'x' is not"},
        {"a\t1\t1\t1\n", LSTATS_EFORMAT, "line 1: too many columns (4)"},
        {"a\t1\nb\t1\tx\ty\tz\n", LSTATS_EFORMAT, "line 2: too many columns (5)"},
        {"\t1\n", LSTATS_EFORMAT, "line 1: empty term"},
        {"ok\t1\nb\xc3\x28\t1\n", LSTATS_EFORMAT, "line 2: invalid UTF-8 at column 2"},
        {"\xed\xa0\x80\t1\n", LSTATS_EFORMAT, "line 1: invalid UTF-8 at column 1"},
        {"a\t1\nb\t2\na\t3\n", LSTATS_EFORMAT, "line 3: duplicate term 'a' (first on line 1)"},
        {"a\t1\t1\nb\t2\n", LSTATS_EFORMAT,
         "line 2: 2 columns but line 1 has 3; doc_count must be given on every line"},
        {"a\t1\nb\t2\t1\n", LSTATS_EFORMAT, "line 2: 3 columns but line 1 has 2"},
        {"   \n", LSTATS_EFORMAT, "line 1: expected term<TAB>count"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lstats_status st = read_str(cases[i].text, NULL, &t);
        CHECK(st == cases[i].st);
        CHECK(t == NULL);
        CHECK_MSG(cases[i].msg);
        CHECK_MSG(path);
        if (st != cases[i].st || !strstr(lstats_last_error(), cases[i].msg))
            fprintf(stderr, "  case %zu\n", i);
        lstats_table_free(t);
    }
    /* NUL byte (strlen-based helper cannot carry it). */
    const char nul[] = "a\t1\nb\0c\t2\n";
    CHECK_STATUS(lstats_read_frequency_list(write_file(nul, sizeof nul - 1), NULL, &t),
                 LSTATS_EFORMAT);
    CHECK_MSG("line 2: NUL byte at column 2");
    /* The line number counts blank lines. */
    CHECK_STATUS(read_str("a\t1\n\n\nb\tx\n", NULL, &t), LSTATS_EFORMAT);
    CHECK_MSG("line 4:");
}

/* write_tsv of a frequency table reads back as the same table (escaped terms included). */
static void test_tsv_roundtrip(void)
{
    lstats_table *t = NULL, *r = NULL;
    CHECK_OK(read_str("a\\tb\t5\t2\nback\\\\slash\t3\t3\nplain\t1\t1\n", NULL, &t));
    /* Without a per_million header the backslashes are literal. */
    CHECK(str_at(t, 0, "a\\tb"));
    char out[600];
    snprintf(out, sizeof out, "%s/rt.tsv", tmpdir);
    lstats_table_free(t);
    const char body[] = "term\tcount\tdoc_count\nplain\t1\t1\n";
    CHECK_OK(read_str(body, NULL, &t));
    CHECK_OK(lstats_table_write_tsv(t, out));
    CHECK_OK(lstats_read_frequency_list(out, NULL, &r));
    CHECK(lstats_table_nrows(r) == 1 && lstats_table_ncols(r) == 4 && str_at(r, 0, "plain"));
    lstats_table_free(r);
    lstats_table_free(t);
    /* Hand-made table with escapes needed. */
    FILE *f = fopen(out, "wb");
    fputs("term\tcount\tper_million\tdoc_count\n"
          "tab\\there\t3\t1.5\t1\nnew\\nline\t2\t1\t2\nback\\\\slash\t1\t0.5\t1\n",
          f);
    fclose(f);
    CHECK_OK(lstats_read_frequency_list(out, NULL, &r));
    CHECK(str_at(r, 0, "tab\there") && str_at(r, 1, "new\nline") && str_at(r, 2, "back\\slash"));
    CHECK(ls_table_u64(r, "doc_count")[1] == 2);
    CHECK_OK(lstats_table_write_tsv(r, out));
    lstats_table *r2 = NULL;
    CHECK_OK(lstats_read_frequency_list(out, NULL, &r2));
    CHECK(r2 && str_at(r2, 0, "tab\there") && str_at(r2, 2, "back\\slash"));
    lstats_table_free(r2);
    lstats_table_free(r);
    /* Header errors. */
    CHECK_STATUS(read_str("term\tcount\tper_million\tdoc_count\na\t1\t1\n", NULL, &t),
                 LSTATS_EFORMAT);
    CHECK_MSG("line 2: 3 columns, the header on line 1 has 4");
    CHECK_STATUS(read_str("term\tcount\tdocs\tother\na\t1\t1\t1\n", NULL, &t), LSTATS_EFORMAT);
    CHECK_MSG("line 1: header column 3 'docs' is not doc_count or per_million");
    CHECK_OK(read_str("term\tcount\tdocs\na\t4\t1\n", NULL, &t)); /* 3rd by position */
    CHECK(ls_table_u64(t, "doc_count")[0] == 1);
    lstats_table_free(t);
    CHECK_STATUS(read_str("term\tcount\na\t4\t1\n", NULL, &t), LSTATS_EFORMAT);
    CHECK_MSG("line 2: 3 columns but line 1 has 2");
    unlink(out);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Long lines (beyond the read chunk) and a large list. */
static void test_large(size_t n)
{
    size_t long_len = 3u << 20; /* 3 MB term: spans read chunks */
    char *term = malloc(long_len + 1);
    for (size_t i = 0; i < long_len; i++)
        term[i] = (char)('a' + i % 26);
    term[long_len] = '\0';
    snprintf(path, sizeof path, "%s/big.tsv", tmpdir);
    FILE *f = fopen(path, "wb");
    fprintf(f, "term\tcount\tdoc_count\n");
    fprintf(f, "%s\t2\t1\n", term);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "w%zu\t%zu\t1\r\n", i, i % 1000 + 1);
    long bytes = ftell(f);
    fclose(f);
    lstats_table *t = NULL;
    double t0 = now();
    CHECK_OK(lstats_read_frequency_list(path, NULL, &t));
    double t1 = now();
    if (n >= 1000000)
        printf("read_frequency_list: %zu lines, %.1f MB in %.3f s (%.0f MB/s)\n", n,
               (double)bytes / 1e6, t1 - t0, (double)bytes / 1e6 / (t1 - t0));
    CHECK(lstats_table_nrows(t) == n + 1);
    CHECK(ls_table_u64(t, "count")[0] == 1000);
    const char *blob;
    const int64_t *off;
    CHECK_OK(lstats_table_column_string(t, 0, &blob, &off));
    int found = 0;
    for (size_t i = 0; i < n + 1; i++)
        if ((size_t)(off[i + 1] - off[i]) == long_len && !memcmp(blob + off[i], term, long_len))
            found = 1;
    CHECK(found);
    lstats_table_free(t);
    free(term);
    unlink(path);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lstats_freqlist_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    /* Smaller sizes when asked to or under valgrind (its preload library is in LD_PRELOAD). */
    const char *small = getenv("LSTATS_TEST_SMALL");
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))
        small = "1";
    test_options();
    test_basic();
    test_errors();
    test_tsv_roundtrip();
    test_large(small && *small == '1' ? 20000 : 1000000);
    snprintf(path, sizeof path, "%s/list.tsv", tmpdir);
    unlink(path);
    rmdir(tmpdir);
    return check_summary();
}

/* Tables: builders, accessors, metadata, top/sort, take, merge. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "error.h"
#include "table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static uint64_t *u64s(size_t n, const uint64_t *v)
{
    uint64_t *d = malloc((n ? n : 1) * sizeof *d);
    if (n)
        memcpy(d, v, n * sizeof *d);
    return d;
}

static double *f64s(size_t n, const double *v)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (n)
        memcpy(d, v, n * sizeof *d);
    return d;
}

static int64_t *i64s(size_t n, const int64_t *v)
{
    int64_t *d = malloc((n ? n : 1) * sizeof *d);
    if (n)
        memcpy(d, v, n * sizeof *d);
    return d;
}

/* A string column from n NUL-terminated strings. */
static lstats_status add_strings(lstats_table *t, const char *name, size_t n, const char *const *s)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(s[i]);
    char *blob = malloc(total + 1);
    int64_t *off = malloc((n + 1) * sizeof *off);
    size_t p = 0;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(blob + p, s[i], strlen(s[i]));
        p += strlen(s[i]);
        off[i + 1] = (int64_t)p;
    }
    return ls_table_add_string(t, name, blob, off);
}

/* Row i of string column `col` equals s. */
static int str_at(const lstats_table *t, size_t col, size_t i, const char *s)
{
    const char *blob;
    const int64_t *off;
    if (lstats_table_column_string(t, col, &blob, &off) != LSTATS_OK)
        return 0;
    size_t len = (size_t)(off[i + 1] - off[i]);
    return len == strlen(s) && memcmp(blob + off[i], s, len) == 0;
}

static lstats_table *make_freq(size_t n, const char *const *terms, const uint64_t *counts,
                               const uint64_t *docs, uint64_t n_tokens)
{
    lstats_table *t = ls_table_new(n);
    double *pm = malloc((n ? n : 1) * sizeof *pm);
    for (size_t i = 0; i < n; i++)
        pm[i] = n_tokens ? (double)counts[i] * 1e6 / (double)n_tokens : 0;
    CHECK_OK(add_strings(t, "term", n, terms));
    CHECK_OK(ls_table_add_u64(t, "count", u64s(n, counts)));
    CHECK_OK(ls_table_add_f64(t, "per_million", pm));
    if (docs)
        CHECK_OK(ls_table_add_u64(t, "doc_count", u64s(n, docs)));
    CHECK_OK(ls_table_set_meta(t, "kind", "frequency"));
    CHECK_OK(ls_table_set_meta(t, "n", "1"));
    CHECK_OK(ls_table_set_meta_u64(t, "n_tokens", n_tokens));
    CHECK_OK(ls_table_set_meta(t, "n_docs", "2"));
    CHECK_OK(ls_table_set_meta(t, "tokenizer", "icu"));
    CHECK_OK(ls_table_set_meta(t, "lowercase", "1"));
    return t;
}

static void test_builders_accessors(void)
{
    lstats_table *t = ls_table_new(3);
    CHECK(t != NULL);
    const char *names[] = {"b", "a", "c\xc3\xa9"};
    CHECK_OK(add_strings(t, "term", 3, names));
    CHECK_OK(ls_table_add_u64(t, "count", u64s(3, (uint64_t[]){5, 7, 7})));
    CHECK_OK(ls_table_add_i64(t, "delta", i64s(3, (int64_t[]){-1, 0, INT64_MIN})));
    CHECK_OK(ls_table_add_f64(t, "score", f64s(3, (double[]){0.5, NAN, -2})));
    /* Duplicate name: refused, arrays freed (valgrind checks). */
    CHECK_STATUS(ls_table_add_u64(t, "count", u64s(3, (uint64_t[]){1, 2, 3})), LSTATS_EINVAL);
    CHECK_MSG("duplicate column name 'count'");
    /* Bad offsets. */
    int64_t *bad = malloc(4 * sizeof *bad);
    bad[0] = 0, bad[1] = 2, bad[2] = 1, bad[3] = 3;
    CHECK_STATUS(ls_table_add_string(t, "s", malloc(3), bad), LSTATS_EINVAL);
    CHECK_MSG("offsets decrease at row 1");
    bad = malloc(4 * sizeof *bad);
    bad[0] = 1, bad[1] = 2, bad[2] = 2, bad[3] = 3;
    CHECK_STATUS(ls_table_add_string(t, "s", malloc(3), bad), LSTATS_EINVAL);
    CHECK_MSG("offsets[0]");
    CHECK_STATUS(ls_table_add_string(t, "s", malloc(3), NULL), LSTATS_EINVAL);
    CHECK_STATUS(ls_table_add_u64(t, "x", NULL), LSTATS_EINVAL);
    CHECK_MSG("data must not be NULL");
    CHECK_STATUS(ls_table_add_u64(NULL, "x", u64s(1, (uint64_t[]){1})), LSTATS_EINVAL);
    CHECK_STATUS(ls_table_add_f64(t, NULL, f64s(1, (double[]){1})), LSTATS_EINVAL);

    CHECK(lstats_table_nrows(t) == 3);
    CHECK(lstats_table_ncols(t) == 4);
    CHECK(strcmp(lstats_table_column_name(t, 0), "term") == 0);
    CHECK(lstats_table_column_name(t, 4) == NULL);
    CHECK(lstats_table_column_type(t, 0) == LSTATS_COL_STRING);
    CHECK(lstats_table_column_type(t, 1) == LSTATS_COL_U64);
    CHECK(lstats_table_column_type(t, 2) == LSTATS_COL_I64);
    CHECK(lstats_table_column_type(t, 3) == LSTATS_COL_F64);
    CHECK(lstats_table_column_type(t, 9) == 0);
    size_t col = 99;
    CHECK_OK(lstats_table_column_index(t, "score", &col));
    CHECK(col == 3);
    CHECK_STATUS(lstats_table_column_index(t, "nope", &col), LSTATS_ENOTFOUND);
    CHECK_MSG("no column named 'nope'");
    CHECK_STATUS(lstats_table_column_index(NULL, "x", &col), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_column_index(t, NULL, &col), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_column_index(t, "x", NULL), LSTATS_EINVAL);

    const uint64_t *u;
    const int64_t *i;
    const double *d;
    const char *blob;
    const int64_t *off;
    CHECK_OK(lstats_table_column_u64(t, 1, &u));
    CHECK(u[0] == 5 && u[2] == 7);
    CHECK_OK(lstats_table_column_i64(t, 2, &i));
    CHECK(i[2] == INT64_MIN);
    CHECK_OK(lstats_table_column_f64(t, 3, &d));
    CHECK(d[0] == 0.5 && isnan(d[1]));
    CHECK_OK(lstats_table_column_string(t, 0, &blob, &off));
    CHECK(off[3] == 5 && str_at(t, 0, 2, "c\xc3\xa9"));
    CHECK_STATUS(lstats_table_column_u64(t, 0, &u), LSTATS_EINVAL);
    CHECK_MSG("column 'term' is of type string, not u64");
    CHECK_STATUS(lstats_table_column_i64(t, 1, &i), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_column_f64(t, 1, &d), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_column_string(t, 1, &blob, &off), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_column_u64(t, 7, &u), LSTATS_EINVAL);
    CHECK_MSG("column 7 out of range");
    CHECK_STATUS(lstats_table_column_u64(NULL, 1, &u), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_column_u64(t, 1, NULL), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_column_string(t, 0, &blob, NULL), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_column_string(t, 0, NULL, &off), LSTATS_EINVAL);

    CHECK(ls_table_u64(t, "count") == u);
    CHECK(ls_table_u64(t, "score") == NULL);
    CHECK(ls_table_u64(t, "missing") == NULL);
    CHECK(ls_table_f64(t, "score") == d);
    CHECK(ls_table_f64(t, "count") == NULL);
    CHECK(ls_table_string(t, "term", &off) == blob);
    CHECK(ls_table_string(t, "count", &off) == NULL);
    CHECK(ls_table_u64(NULL, "count") == NULL);

    /* NULL-safe accessors. */
    CHECK(lstats_table_nrows(NULL) == 0);
    CHECK(lstats_table_ncols(NULL) == 0);
    CHECK(lstats_table_column_name(NULL, 0) == NULL);
    CHECK(lstats_table_column_type(NULL, 0) == 0);
    lstats_table_free(NULL);
    lstats_table_free(t);

    /* Zero rows: NULL data and blob are accepted. */
    t = ls_table_new(0);
    int64_t *o = malloc(sizeof *o);
    o[0] = 0;
    CHECK_OK(ls_table_add_string(t, "s", NULL, o));
    CHECK_OK(ls_table_add_u64(t, "u", NULL));
    CHECK_OK(lstats_table_column_u64(t, 1, &u));
    CHECK(u != NULL);
    lstats_table_free(t);
}

static void test_meta(void)
{
    lstats_table *t = ls_table_new(0);
    CHECK(lstats_table_meta_count(t) == 0);
    CHECK_OK(ls_table_set_meta(t, "kind", "frequency"));
    CHECK_OK(ls_table_set_meta(t, "n", "1"));
    CHECK_OK(ls_table_set_meta_u64(t, "big", UINT64_MAX));
    CHECK_OK(ls_table_set_meta(t, "n", "2")); /* replaced in place */
    CHECK(lstats_table_meta_count(t) == 3);
    CHECK(strcmp(lstats_table_meta_key(t, 1), "n") == 0);
    CHECK(strcmp(lstats_table_meta_value(t, 1), "2") == 0);
    CHECK(strcmp(lstats_table_meta_get(t, "big"), "18446744073709551615") == 0);
    CHECK(lstats_table_meta_get(t, "absent") == NULL);
    CHECK(lstats_table_meta_get(t, NULL) == NULL);
    CHECK(lstats_table_meta_get(NULL, "n") == NULL);
    CHECK(lstats_table_meta_key(t, 3) == NULL);
    CHECK(lstats_table_meta_value(t, 3) == NULL);
    CHECK(lstats_table_meta_count(NULL) == 0);
    CHECK(lstats_table_meta_key(NULL, 0) == NULL);
    CHECK(lstats_table_meta_value(NULL, 0) == NULL);
    CHECK_STATUS(ls_table_set_meta(t, NULL, "x"), LSTATS_EINVAL);
    CHECK_STATUS(ls_table_set_meta(t, "x", NULL), LSTATS_EINVAL);
    CHECK_STATUS(ls_table_set_meta(NULL, "x", "y"), LSTATS_EINVAL);
    uint64_t v = 0;
    CHECK(ls_table_meta_u64(t, "big", &v) == 1 && v == UINT64_MAX);
    CHECK(ls_table_meta_u64(t, "kind", &v) == -1);
    CHECK(ls_table_meta_u64(t, "absent", &v) == 0);
    CHECK_OK(ls_table_set_meta(t, "over", "18446744073709551616"));
    CHECK(ls_table_meta_u64(t, "over", &v) == -1);
    CHECK_OK(ls_table_set_meta(t, "empty", ""));
    CHECK(ls_table_meta_u64(t, "empty", &v) == -1);
    lstats_table *u = ls_table_new(0);
    CHECK_OK(ls_table_copy_meta(u, t));
    CHECK(lstats_table_meta_count(u) == lstats_table_meta_count(t));
    CHECK_STATUS(ls_table_copy_meta(NULL, t), LSTATS_EINVAL);
    lstats_table_free(u);
    lstats_table_free(t);
}

static void test_utf8_hash(void)
{
    size_t bad = 99;
    CHECK(ls_table_utf8_valid("", 0, &bad));
    CHECK(ls_table_utf8_valid("plain ascii text longer than eight", 34, &bad));
    CHECK(ls_table_utf8_valid("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 9, &bad));
    CHECK(!ls_table_utf8_valid("ab\xc0\xaf", 4, &bad) && bad == 2);        /* overlong */
    CHECK(!ls_table_utf8_valid("\xed\xa0\x80", 3, &bad) && bad == 0);      /* surrogate */
    CHECK(!ls_table_utf8_valid("\xf4\x90\x80\x80", 4, &bad));              /* > U+10FFFF */
    CHECK(!ls_table_utf8_valid("abcdefgh\xe4\xb8", 10, &bad) && bad == 8); /* truncated */
    CHECK(!ls_table_utf8_valid("\x80", 1, &bad));
    CHECK(!ls_table_utf8_valid("\xe0\x80\x80", 3, &bad)); /* overlong 3-byte */
    CHECK(!ls_table_utf8_valid("\xf0\x80\x80\x80", 4, &bad));
    CHECK(!ls_table_utf8_valid("\xff", 1, NULL));
    CHECK(ls_table_hash("a", 1) != ls_table_hash("b", 1));
    CHECK(ls_table_hash("", 0) == UINT64_C(14695981039346656037));
}

static void test_top(void)
{
    const char *terms[] = {"d", "b", "c", "a", "e"};
    lstats_table *t = ls_table_new(5);
    CHECK_OK(ls_table_add_u64(t, "count", u64s(5, (uint64_t[]){3, 5, 3, 3, 1})));
    CHECK_OK(add_strings(t, "term", 5, terms));
    CHECK_OK(ls_table_add_f64(t, "score", f64s(5, (double[]){NAN, 1.0, -0.0, 2.5, 0.0})));
    CHECK_OK(ls_table_add_i64(t, "delta", i64s(5, (int64_t[]){-5, 3, INT64_MIN, 0, 3})));
    CHECK_OK(ls_table_set_meta(t, "kind", "test"));

    lstats_table *r = NULL;
    CHECK_OK(lstats_table_top(t, "count", 1, 0, &r));
    /* 5 b, then 3 a, c, d (ties by term ascending), then 1 e */
    CHECK(lstats_table_nrows(r) == 5 && lstats_table_ncols(r) == 4);
    CHECK(str_at(r, 1, 0, "b") && str_at(r, 1, 1, "a") && str_at(r, 1, 2, "c") &&
          str_at(r, 1, 3, "d") && str_at(r, 1, 4, "e"));
    CHECK(strcmp(lstats_table_meta_get(r, "kind"), "test") == 0);
    lstats_table_free(r);

    CHECK_OK(lstats_table_top(t, "count", 0, 2, &r));
    CHECK(lstats_table_nrows(r) == 2 && str_at(r, 1, 0, "e") && str_at(r, 1, 1, "a"));
    lstats_table_free(r);

    CHECK_OK(lstats_table_top(t, "count", 1, 100, &r));
    CHECK(lstats_table_nrows(r) == 5);
    lstats_table_free(r);

    /* f64: NaN last both ways; -0 == 0 (tie broken by term: c before e). */
    const double *d;
    CHECK_OK(lstats_table_top(t, "score", 0, 0, &r));
    CHECK_OK(lstats_table_column_f64(r, 2, &d));
    CHECK(str_at(r, 1, 0, "c") && str_at(r, 1, 1, "e") && str_at(r, 1, 2, "b") &&
          str_at(r, 1, 3, "a") && str_at(r, 1, 4, "d"));
    CHECK(isnan(d[4]));
    lstats_table_free(r);
    CHECK_OK(lstats_table_top(t, "score", 1, 0, &r));
    CHECK(str_at(r, 1, 0, "a") && str_at(r, 1, 1, "b") && str_at(r, 1, 2, "c") &&
          str_at(r, 1, 3, "e") && str_at(r, 1, 4, "d"));
    lstats_table_free(r);

    /* i64 */
    CHECK_OK(lstats_table_top(t, "delta", 0, 0, &r));
    CHECK(str_at(r, 1, 0, "c") && str_at(r, 1, 1, "d") && str_at(r, 1, 2, "a") &&
          str_at(r, 1, 3, "b") && str_at(r, 1, 4, "e"));
    lstats_table_free(r);
    CHECK_OK(lstats_table_top(t, "delta", 1, 0, &r));
    CHECK(str_at(r, 1, 0, "b") && str_at(r, 1, 1, "e") && str_at(r, 1, 4, "c"));
    lstats_table_free(r);

    /* by string, descending */
    CHECK_OK(lstats_table_top(t, "term", 1, 0, &r));
    CHECK(str_at(r, 1, 0, "e") && str_at(r, 1, 4, "a"));
    lstats_table_free(r);

    CHECK_STATUS(lstats_table_top(t, "nope", 1, 0, &r), LSTATS_ENOTFOUND);
    CHECK_MSG("no column named 'nope'");
    CHECK_STATUS(lstats_table_top(NULL, "count", 1, 0, &r), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_top(t, NULL, 1, 0, &r), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_top(t, "count", 1, 0, NULL), LSTATS_EINVAL);
    lstats_table_free(t);

    /* Strings sharing more than 8 bytes of prefix; a tie column after the sort column. */
    const char *longs[] = {"common-prefix-b", "common-prefix-a", "common-prefix-",
                           "common-prefix-a", "common-prefix-ab"};
    t = ls_table_new(5);
    CHECK_OK(add_strings(t, "term", 5, longs));
    CHECK_OK(add_strings(t, "other", 5, longs));
    CHECK_OK(ls_table_add_u64(t, "v", u64s(5, (uint64_t[]){1, 1, 1, 1, 1})));
    CHECK_OK(lstats_table_top(t, "other", 1, 0, &r));
    CHECK(str_at(r, 0, 0, "common-prefix-b") && str_at(r, 0, 1, "common-prefix-ab") &&
          str_at(r, 0, 2, "common-prefix-a") && str_at(r, 0, 3, "common-prefix-a") &&
          str_at(r, 0, 4, "common-prefix-"));
    lstats_table_free(r);
    CHECK_OK(lstats_table_top(t, "v", 0, 0, &r)); /* all tied: by term ascending */
    CHECK(str_at(r, 0, 0, "common-prefix-") && str_at(r, 0, 1, "common-prefix-a") &&
          str_at(r, 0, 3, "common-prefix-ab") && str_at(r, 0, 4, "common-prefix-b"));
    lstats_table_free(r);
    lstats_table_free(t);

    /* No string column: ties by original row order (stable). */
    t = ls_table_new(4);
    CHECK_OK(ls_table_add_u64(t, "v", u64s(4, (uint64_t[]){1, 2, 1, 2})));
    CHECK_OK(ls_table_add_i64(t, "id", i64s(4, (int64_t[]){0, 1, 2, 3})));
    CHECK_OK(lstats_table_top(t, "v", 1, 0, &r));
    const int64_t *id;
    CHECK_OK(lstats_table_column_i64(r, 1, &id));
    CHECK(id[0] == 1 && id[1] == 3 && id[2] == 0 && id[3] == 2);
    lstats_table_free(r);
    lstats_table_free(t);

    /* Empty table */
    t = ls_table_new(0);
    CHECK_OK(ls_table_add_u64(t, "v", NULL));
    CHECK_OK(lstats_table_top(t, "v", 1, 3, &r));
    CHECK(lstats_table_nrows(r) == 0);
    lstats_table_free(r);
    lstats_table_free(t);
}

static uint64_t rng_state = 12345;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Partial selection (small k) agrees with the full sort; 1M rows sort fast. */
static void test_top_large(size_t n)
{
    lstats_table *t = ls_table_new(n);
    uint64_t *c = malloc(n * sizeof *c);
    double *f = malloc(n * sizeof *f);
    char *blob = malloc(n * 8);
    int64_t *off = malloc((n + 1) * sizeof *off);
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        c[i] = rng() % 1000;
        f[i] = (rng() % 50 == 0) ? NAN : (double)(rng() % 2000) / 7.0;
        snprintf(blob + 8 * i, 9, "%07zu", (size_t)(rng() % 9999999));
        off[i + 1] = (int64_t)(8 * i + 7);
    }
    /* Rows are "%07d" padded to 8 bytes with a NUL-free separator: use 7-byte strings. */
    for (size_t i = 0; i < n; i++) {
        off[i + 1] = (int64_t)(7 * (i + 1));
        memmove(blob + 7 * i, blob + 8 * i, 7);
    }
    CHECK_OK(ls_table_add_u64(t, "count", c));
    CHECK_OK(ls_table_add_string(t, "term", blob, off));
    CHECK_OK(ls_table_add_f64(t, "f", f));
    for (int desc = 0; desc < 2; desc++) {
        const char *by[] = {"count", "f", "term"};
        for (int b = 0; b < 3; b++) {
            lstats_table *full = NULL, *part = NULL;
            double t0 = now();
            CHECK_OK(lstats_table_top(t, by[b], desc, 0, &full));
            double t1 = now();
            CHECK_OK(lstats_table_top(t, by[b], desc, 10, &part));
            double t2 = now();
            if (n >= 1000000)
                printf("top by %s %s of %zu rows: full sort %.3f s, k=10 %.3f s\n", by[b],
                       desc ? "desc" : "asc", n, t1 - t0, t2 - t1);
            size_t k = lstats_table_nrows(part);
            CHECK(k == 10);
            for (int col = 0; col < 3; col++) {
                int same = 1;
                if (col == 1) {
                    for (size_t i = 0; i < k; i++) {
                        const char *b1, *b2;
                        const int64_t *o1, *o2;
                        lstats_table_column_string(full, 1, &b1, &o1);
                        lstats_table_column_string(part, 1, &b2, &o2);
                        same &= memcmp(b1 + o1[i], b2 + o2[i], 7) == 0;
                    }
                } else {
                    const uint64_t *x, *y; /* compare bit patterns */
                    x = col == 0 ? ls_table_u64(full, "count")
                                 : (const uint64_t *)(const void *)ls_table_f64(full, "f");
                    y = col == 0 ? ls_table_u64(part, "count")
                                 : (const uint64_t *)(const void *)ls_table_f64(part, "f");
                    same = memcmp(x, y, k * 8) == 0;
                }
                CHECK(same);
            }
            /* Order check on the full result. */
            const uint64_t *fc = ls_table_u64(full, "count");
            const double *ff = ls_table_f64(full, "f");
            int ok = 1;
            for (size_t i = 1; i < n; i++) {
                if (b == 0)
                    ok &= desc ? fc[i - 1] >= fc[i] : fc[i - 1] <= fc[i];
                if (b == 1 && !isnan(ff[i]) && !isnan(ff[i - 1]))
                    ok &= desc ? ff[i - 1] >= ff[i] : ff[i - 1] <= ff[i];
                if (b == 1 && isnan(ff[i - 1]))
                    ok &= isnan(ff[i]);
            }
            CHECK(ok);
            lstats_table_free(full);
            lstats_table_free(part);
        }
    }
    lstats_table_free(t);
}

static void test_take(void)
{
    const char *terms[] = {"x", "yy", "zzz"};
    lstats_table *t = ls_table_new(3);
    CHECK_OK(add_strings(t, "term", 3, terms));
    CHECK_OK(ls_table_add_u64(t, "count", u64s(3, (uint64_t[]){1, 2, 3})));
    CHECK_OK(ls_table_set_meta(t, "k", "v"));
    lstats_table *r = NULL;
    size_t rows[] = {2, 0, 2};
    CHECK_OK(lstats_table_take(t, rows, 3, &r));
    CHECK(lstats_table_nrows(r) == 3);
    CHECK(str_at(r, 0, 0, "zzz") && str_at(r, 0, 1, "x") && str_at(r, 0, 2, "zzz"));
    CHECK(ls_table_u64(r, "count")[1] == 1);
    CHECK(strcmp(lstats_table_meta_get(r, "k"), "v") == 0);
    lstats_table_free(r);
    CHECK_OK(lstats_table_take(t, NULL, 0, &r));
    CHECK(lstats_table_nrows(r) == 0 && lstats_table_ncols(r) == 2);
    lstats_table_free(r);
    size_t badrows[] = {0, 3};
    r = NULL;
    CHECK_STATUS(lstats_table_take(t, badrows, 2, &r), LSTATS_EINVAL);
    CHECK_MSG("row 3 (at position 1) out of range");
    CHECK(r == NULL);
    CHECK_STATUS(lstats_table_take(NULL, rows, 1, &r), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_take(t, NULL, 1, &r), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_take(t, rows, 1, NULL), LSTATS_EINVAL);
    lstats_table_free(t);
}

static size_t find_term(const lstats_table *t, const char *term)
{
    size_t col;
    if (lstats_table_column_index(t, "term", &col))
        return SIZE_MAX;
    for (size_t i = 0; i < lstats_table_nrows(t); i++)
        if (str_at(t, col, i, term))
            return i;
    return SIZE_MAX;
}

static void test_merge(void)
{
    const char *ta[] = {"the", "cat", "sat"};
    const char *tb[] = {"dog", "the", "cat"};
    lstats_table *a = make_freq(3, ta, (uint64_t[]){5, 2, 1}, (uint64_t[]){2, 1, 1}, 8);
    lstats_table *b = make_freq(3, tb, (uint64_t[]){4, 3, 2}, (uint64_t[]){1, 1, 2}, 9);
    CHECK_OK(ls_table_set_meta(a, "source", "a.txt"));
    lstats_table *m = NULL;
    CHECK_OK(lstats_table_merge(a, b, &m));
    CHECK(lstats_table_nrows(m) == 4);
    const uint64_t *c = ls_table_u64(m, "count");
    const uint64_t *dc = ls_table_u64(m, "doc_count");
    const double *pm = ls_table_f64(m, "per_million");
    CHECK(c && dc && pm);
    /* the 8, dog 4, cat 4, sat 1 -> the, cat, dog, sat */
    CHECK(str_at(m, 0, 0, "the") && c[0] == 8 && dc[0] == 3);
    CHECK(str_at(m, 0, 1, "cat") && c[1] == 4 && dc[1] == 3);
    CHECK(str_at(m, 0, 2, "dog") && c[2] == 4 && dc[2] == 1);
    CHECK(str_at(m, 0, 3, "sat") && c[3] == 1);
    CHECK(fabs(pm[0] - 8e6 / 17) < 1e-6);
    CHECK(strcmp(lstats_table_meta_get(m, "n_tokens"), "17") == 0);
    CHECK(strcmp(lstats_table_meta_get(m, "n_docs"), "4") == 0);
    CHECK(strcmp(lstats_table_meta_get(m, "source"), "a.txt") == 0);
    CHECK(lstats_table_meta_get(m, "settings_mismatch") == NULL);
    CHECK(lstats_table_meta_get(m, "merged_after_min_count") == NULL);
    lstats_table_free(m);

    /* Settings mismatch and min_count. */
    CHECK_OK(ls_table_set_meta(b, "lowercase", "0"));
    CHECK_OK(ls_table_set_meta(b, "locale", "tr"));
    CHECK_OK(ls_table_set_meta(a, "min_count", "3"));
    CHECK_OK(ls_table_set_meta(b, "min_count", "1"));
    CHECK_OK(lstats_table_merge(a, b, &m));
    CHECK(strcmp(lstats_table_meta_get(m, "settings_mismatch"), "lowercase,locale") == 0);
    CHECK(strcmp(lstats_table_meta_get(m, "min_count"), "3") == 0);
    CHECK(strcmp(lstats_table_meta_get(m, "merged_after_min_count"), "1") == 0);
    /* A merged table carries its mismatch into the next merge. */
    lstats_table *m2 = NULL;
    CHECK_OK(lstats_table_merge(a, m, &m2));
    CHECK(strcmp(lstats_table_meta_get(m2, "settings_mismatch"), "lowercase,locale") == 0);
    lstats_table_free(m2);
    lstats_table_free(m);

    /* Missing doc_count in one input: no doc_count in the result. */
    lstats_table *c1 = make_freq(1, (const char *[]){"the"}, (uint64_t[]){1}, NULL, 1);
    CHECK_OK(lstats_table_merge(a, c1, &m));
    CHECK(ls_table_u64(m, "doc_count") == NULL);
    CHECK(ls_table_u64(m, "count")[0] == 6);
    lstats_table_free(m);

    /* Errors. */
    CHECK_OK(ls_table_set_meta(c1, "n", "2"));
    CHECK_STATUS(lstats_table_merge(a, c1, &m), LSTATS_EINVAL);
    CHECK_MSG("n-gram sizes differ (a has n=1, b has n=2)");
    CHECK_OK(ls_table_set_meta(c1, "n", "1"));
    CHECK_OK(ls_table_set_meta(c1, "kind", "keyness"));
    CHECK_STATUS(lstats_table_merge(a, c1, &m), LSTATS_EINVAL);
    CHECK_MSG("table b is not a frequency table (kind 'keyness')");
    CHECK_STATUS(lstats_table_merge(NULL, b, &m), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_merge(a, NULL, &m), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_merge(a, b, NULL), LSTATS_EINVAL);
    lstats_table *nocount = ls_table_new(0);
    CHECK_OK(ls_table_set_meta(nocount, "kind", "frequency"));
    CHECK_OK(ls_table_set_meta(nocount, "n", "1"));
    int64_t *o = calloc(1, sizeof *o);
    CHECK_OK(ls_table_add_string(nocount, "term", NULL, o));
    CHECK_STATUS(lstats_table_merge(a, nocount, &m), LSTATS_EINVAL);
    CHECK_MSG("has no u64 column 'count'");
    lstats_table_free(nocount);
    lstats_table *noterm = ls_table_new(0);
    CHECK_OK(ls_table_set_meta(noterm, "kind", "frequency"));
    CHECK_STATUS(lstats_table_merge(noterm, a, &m), LSTATS_EINVAL);
    CHECK_MSG("table a has no string column 'term'");
    lstats_table_free(noterm);
    lstats_table_free(c1);

    /* Overflow */
    lstats_table *big =
        make_freq(1, (const char *[]){"the"}, (uint64_t[]){UINT64_MAX - 1}, (uint64_t[]){1}, 0);
    CHECK_STATUS(lstats_table_merge(a, big, &m), LSTATS_ERANGE);
    CHECK_MSG("count of term 'the' overflows");
    CHECK_OK(ls_table_set_meta_u64(big, "n_tokens", UINT64_MAX));
    CHECK_STATUS(lstats_table_merge(a, big, &m), LSTATS_ERANGE);
    CHECK_MSG("n_tokens overflows");
    CHECK_OK(ls_table_set_meta(big, "n_tokens", "abc"));
    CHECK_STATUS(lstats_table_merge(a, big, &m), LSTATS_EINVAL);
    CHECK_MSG("invalid n_tokens 'abc'");
    lstats_table_free(big);

    /* Empty tables and n_tokens 0: per_million 0. */
    lstats_table *e1 = make_freq(0, NULL, NULL, NULL, 0);
    lstats_table *e2 = make_freq(1, (const char *[]){"x"}, (uint64_t[]){0}, NULL, 0);
    CHECK_OK(lstats_table_merge(e1, e2, &m));
    CHECK(lstats_table_nrows(m) == 1 && ls_table_f64(m, "per_million")[0] == 0);
    lstats_table_free(m);
    lstats_table_free(e1);
    lstats_table_free(e2);
    lstats_table_free(a);
    lstats_table_free(b);
}

/* 1M + 1M terms, half shared. */
static void test_merge_large(size_t n)
{
    char **terms = malloc(2 * n * sizeof *terms);
    uint64_t *ca = malloc(n * sizeof *ca), *cb = malloc(n * sizeof *cb);
    for (size_t i = 0; i < 2 * n; i++) {
        terms[i] = malloc(16);
        snprintf(terms[i], 16, "t%zu", i < n ? i : i - n / 2);
    }
    for (size_t i = 0; i < n; i++) {
        ca[i] = i % 100 + 1;
        cb[i] = i % 7 + 1;
    }
    lstats_table *a = make_freq(n, (const char *const *)terms, ca, NULL, 1000);
    lstats_table *b = make_freq(n, (const char *const *)terms + n, cb, NULL, 1000);
    lstats_table *m = NULL;
    double t0 = now();
    CHECK_OK(lstats_table_merge(a, b, &m));
    double t1 = now();
    if (n >= 1000000)
        printf("merge of 2 x %zu terms: %.3f s\n", n, t1 - t0);
    CHECK(lstats_table_nrows(m) == n + n / 2);
    size_t i = find_term(m, "t0");
    CHECK(i != SIZE_MAX && ls_table_u64(m, "count")[i] == 1);
    char key[16];
    snprintf(key, sizeof key, "t%zu", n / 2 + 3);
    i = find_term(m, key);
    CHECK(i != SIZE_MAX && ls_table_u64(m, "count")[i] == ca[n / 2 + 3] + cb[3]);
    lstats_table_free(m);
    lstats_table_free(a);
    lstats_table_free(b);
    for (size_t j = 0; j < 2 * n; j++)
        free(terms[j]);
    free(terms);
    free(ca);
    free(cb);
}

int main(void)
{
    /* Smaller sizes when asked to or under valgrind (its preload library is in LD_PRELOAD). */
    const char *small = getenv("LSTATS_TEST_SMALL");
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))
        small = "1";
    size_t big = small && *small == '1' ? 20000 : 1000000;
    test_builders_accessors();
    test_meta();
    test_utf8_hash();
    test_top();
    test_top_large(5000);
    test_top_large(big);
    test_take();
    test_merge();
    test_merge_large(big / 10);
    test_merge_large(big);
    return check_summary();
}

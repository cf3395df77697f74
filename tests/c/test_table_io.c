/* Saved tables: round trips, corruption detection, TSV output. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "error.h"
#include "table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
    return buf;
}

static void *dup_mem(const void *p, size_t n)
{
    void *d = malloc(n ? n : 1);
    if (n)
        memcpy(d, p, n);
    return d;
}

static lstats_table *sample_table(void)
{
    lstats_table *t = ls_table_new(4);
    const char blob[] = "the\xe4\xb8\xad\xe6\x96\x87tab\there"
                        "\xf0\x9f\x98\x80";
    int64_t off[] = {0, 3, 9, 17, 17 + 4};
    CHECK_OK(ls_table_add_string(t, "term", dup_mem(blob, 21), dup_mem(off, sizeof off)));
    uint64_t u[] = {0, 1, UINT64_MAX, 42};
    int64_t i[] = {INT64_MIN, -1, 0, INT64_MAX};
    double f[] = {NAN, -INFINITY, 1e-300, 3.14159};
    CHECK_OK(ls_table_add_u64(t, "count", dup_mem(u, sizeof u)));
    CHECK_OK(ls_table_add_i64(t, "delta", dup_mem(i, sizeof i)));
    CHECK_OK(ls_table_add_f64(t, "score", dup_mem(f, sizeof f)));
    CHECK_OK(ls_table_set_meta(t, "kind", "frequency"));
    CHECK_OK(ls_table_set_meta(t, "source", "\xc3\xa9t\xc3\xa9.txt"));
    CHECK_OK(ls_table_set_meta(t, "empty", ""));
    return t;
}

/* Deep equality (NaN bit patterns compared as bits). */
static int tables_equal(const lstats_table *a, const lstats_table *b)
{
    size_t n = lstats_table_nrows(a);
    if (n != lstats_table_nrows(b) || lstats_table_ncols(a) != lstats_table_ncols(b) ||
        lstats_table_meta_count(a) != lstats_table_meta_count(b))
        return 0;
    for (size_t i = 0; i < lstats_table_meta_count(a); i++)
        if (strcmp(lstats_table_meta_key(a, i), lstats_table_meta_key(b, i)) ||
            strcmp(lstats_table_meta_value(a, i), lstats_table_meta_value(b, i)))
            return 0;
    for (size_t c = 0; c < lstats_table_ncols(a); c++) {
        int type = lstats_table_column_type(a, c);
        if (type != lstats_table_column_type(b, c) ||
            strcmp(lstats_table_column_name(a, c), lstats_table_column_name(b, c)))
            return 0;
        if (type == LSTATS_COL_STRING) {
            const char *ba, *bb;
            const int64_t *oa, *ob;
            lstats_table_column_string(a, c, &ba, &oa);
            lstats_table_column_string(b, c, &bb, &ob);
            if (memcmp(oa, ob, (n + 1) * 8) || memcmp(ba, bb, (size_t)oa[n]))
                return 0;
        } else {
            const uint64_t *x, *y;
            if (type == LSTATS_COL_U64) {
                lstats_table_column_u64(a, c, &x);
                lstats_table_column_u64(b, c, &y);
            } else if (type == LSTATS_COL_I64) {
                const int64_t *p, *q;
                lstats_table_column_i64(a, c, &p);
                lstats_table_column_i64(b, c, &q);
                x = (const uint64_t *)(const void *)p;
                y = (const uint64_t *)(const void *)q;
            } else {
                const double *p, *q;
                lstats_table_column_f64(a, c, &p);
                lstats_table_column_f64(b, c, &q);
                x = (const uint64_t *)(const void *)p;
                y = (const uint64_t *)(const void *)q;
            }
            if (n && memcmp(x, y, n * 8))
                return 0;
        }
    }
    return 1;
}

static void roundtrip(const lstats_table *t, const char *name)
{
    const char *path = tmp_path(name);
    CHECK_OK(lstats_table_save(t, path));
    lstats_table *r = NULL;
    CHECK_OK(lstats_table_load(path, &r));
    CHECK(r && tables_equal(t, r));
    lstats_table_free(r);
    void *buf = NULL;
    size_t size = 0;
    CHECK_OK(lstats_table_dump(t, &buf, &size));
    r = NULL;
    CHECK_OK(lstats_table_undump(buf, size, &r));
    CHECK(r && tables_equal(t, r));
    lstats_table_free(r);
    lstats_buffer_free(buf);
}

static void test_roundtrips(void)
{
    lstats_table *t = sample_table();
    roundtrip(t, "sample.lst");
    lstats_table_free(t);

    t = ls_table_new(0); /* 0 rows */
    int64_t *o = calloc(1, sizeof *o);
    CHECK_OK(ls_table_add_string(t, "term", NULL, o));
    CHECK_OK(ls_table_add_u64(t, "count", NULL));
    CHECK_OK(ls_table_add_f64(t, "f", NULL));
    CHECK_OK(ls_table_add_i64(t, "i", NULL));
    roundtrip(t, "empty.lst");
    lstats_table_free(t);

    t = ls_table_new(7); /* 0 columns, no meta */
    roundtrip(t, "nocols.lst");
    lstats_table_free(t);

    t = ls_table_new(3); /* all-empty strings */
    o = calloc(4, sizeof *o);
    CHECK_OK(ls_table_add_string(t, "s", NULL, o));
    roundtrip(t, "emptystrings.lst");
    lstats_table_free(t);

    lstats_buffer_free(NULL);
}

/* Saved bytes, patched header fields with a recomputed CRC, to reach the later checks. */
static void fix_crc(unsigned char *b, size_t size)
{
    uint32_t crc = (uint32_t)crc32(0, b + 8, (uInt)(size - 12));
    for (int i = 0; i < 4; i++)
        b[size - 4 + i] = (unsigned char)(crc >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A file with the given (uncompressed) payload and a valid header and CRC. */
static lstats_status undump_payload(const unsigned char *payload, size_t n, lstats_table **out)
{
    uLongf clen = compressBound((uLong)n);
    unsigned char *b = malloc(36 + clen);
    compress2(b + 32, &clen, payload, (uLong)n, 6);
    memcpy(b, "LSTATSTB\x01\0\0\0\0\0\0\0", 16);
    put64(b + 16, n);
    put64(b + 24, clen);
    fix_crc(b, 36 + clen);
    lstats_status st = lstats_table_undump(b, 36 + clen, out);
    free(b);
    return st;
}

static void test_corruption(void)
{
    lstats_table *t = sample_table();
    void *vbuf;
    size_t size;
    CHECK_OK(lstats_table_dump(t, &vbuf, &size));
    unsigned char *buf = vbuf;
    lstats_table *r = NULL;

    /* Truncations at ten points. */
    size_t cuts[] = {0, 1, 7, 8, 12, 31, 35, 36, size / 2, size - 1};
    for (size_t i = 0; i < 10; i++) {
        r = NULL;
        CHECK_STATUS(lstats_table_undump(buf, cuts[i], &r), LSTATS_EFORMAT);
        CHECK(r == NULL);
        if (cuts[i] < 36)
            CHECK_MSG("file too short");
        else
            CHECK_MSG("truncated: expected");
    }
    /* The same through a file. */
    const char *path = tmp_path("trunc.lst");
    FILE *f = fopen(path, "wb");
    fwrite(buf, 1, size - 5, f);
    fclose(f);
    CHECK_STATUS(lstats_table_load(path, &r), LSTATS_EFORMAT);
    CHECK_MSG("trunc.lst: truncated: expected");

    /* 100 single-byte flips at random offsets (fixed seed). */
    uint64_t s = 0x9E3779B97F4A7C15u;
    for (int k = 0; k < 100; k++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        size_t at = (size_t)(s % size);
        unsigned char flip = (unsigned char)(1u << (s >> 32) % 8);
        buf[at] ^= flip;
        r = NULL;
        lstats_status st = lstats_table_undump(buf, size, &r);
        CHECK(st == LSTATS_EFORMAT);
        CHECK(r == NULL);
        if (at < 8)
            CHECK_MSG("not a libstats table");
        else if (at < 12)
            CHECK_MSG("unsupported table format version");
        else if (at >= 24 && at < 32)
            CHECK(strstr(lstats_last_error(), "truncated") ||
                  strstr(lstats_last_error(), "trailing data"));
        else
            CHECK_MSG("checksum mismatch: the file is corrupt");
        buf[at] ^= flip;
        lstats_table_free(r);
    }
    /* Intact again. */
    CHECK_OK(lstats_table_undump(buf, size, &r));
    lstats_table_free(r);

    /* Specific header faults. */
    unsigned char *c = malloc(size + 1);
    memcpy(c, buf, size);
    c[8] = 2;
    CHECK_STATUS(lstats_table_undump(c, size, &r), LSTATS_EFORMAT);
    CHECK_MSG("unsupported table format version 2");
    memcpy(c, buf, size);
    c[size] = 0;
    CHECK_STATUS(lstats_table_undump(c, size + 1, &r), LSTATS_EFORMAT);
    CHECK_MSG("trailing data");
    c[12] = 1; /* flags, with a valid CRC */
    fix_crc(c, size);
    CHECK_STATUS(lstats_table_undump(c, size, &r), LSTATS_EFORMAT);
    CHECK_MSG("unsupported table flags");
    memcpy(c, buf, size);
    put64(c + 16, UINT64_C(1) << 60); /* huge declared size, valid CRC: no huge malloc */
    fix_crc(c, size);
    CHECK_STATUS(lstats_table_undump(c, size, &r), LSTATS_EFORMAT);
    CHECK_MSG("impossible for");
    uint64_t usize = 0;
    for (int i = 7; i >= 0; i--)
        usize = usize << 8 | buf[16 + i];
    memcpy(c, buf, size);
    put64(c + 16, usize - 1);
    fix_crc(c, size);
    CHECK_STATUS(lstats_table_undump(c, size, &r), LSTATS_EFORMAT);
    CHECK_MSG("more than the declared");
    memcpy(c, buf, size);
    put64(c + 16, usize + 1);
    fix_crc(c, size);
    CHECK_STATUS(lstats_table_undump(c, size, &r), LSTATS_EFORMAT);
    CHECK_MSG("the header declares");
    memcpy(c, buf, size);
    c[33] ^= 0xFF; /* deflate stream damaged, CRC fixed */
    fix_crc(c, size);
    CHECK_STATUS(lstats_table_undump(c, size, &r), LSTATS_EFORMAT);
    free(c);
    lstats_buffer_free(buf);
    lstats_table_free(t);

    /* Payload faults, each with a valid envelope. */
    unsigned char p[256];
    memset(p, 0, sizeof p);
    CHECK_STATUS(undump_payload(p, 10, &r), LSTATS_EFORMAT);
    CHECK_MSG("payload truncated reading the column count");
    /* trailing bytes */
    CHECK_STATUS(undump_payload(p, 17, &r), LSTATS_EFORMAT);
    CHECK_MSG("1 trailing bytes after the last column");
    /* nrows=1, ncols=1, nmeta=0, column "a" type 9 */
    unsigned char q[64] = {1, 0, 0, 0, 0, 0, 0, 0,   1, 0, 0, 0, 0,
                           0, 0, 0, 1, 0, 0, 0, 'a', 9, 0, 0, 0};
    CHECK_STATUS(undump_payload(q, 25, &r), LSTATS_EFORMAT);
    CHECK_MSG("column 'a': unknown type code 9");
    q[21] = 2; /* u64 but no data */
    CHECK_STATUS(undump_payload(q, 25, &r), LSTATS_EFORMAT);
    CHECK_MSG("column 'a': data of 1 values exceed");
    q[21] = 1; /* string: offsets {0, 5}, blob of 2 bytes */
    put64(q + 25, 0);
    put64(q + 33, 5);
    q[41] = 'x';
    q[42] = 'y';
    CHECK_STATUS(undump_payload(q, 43, &r), LSTATS_EFORMAT);
    CHECK_MSG("offset 1 (5) is decreasing or beyond");
    put64(q + 25, 1);
    CHECK_STATUS(undump_payload(q, 43, &r), LSTATS_EFORMAT);
    CHECK_MSG("first offset is 1, not 0");
    put64(q + 25, 0);
    put64(q + 33, 2);
    q[41] = (char)0xC3;
    q[42] = 'y';
    CHECK_STATUS(undump_payload(q, 43, &r), LSTATS_EFORMAT);
    CHECK_MSG("column 'a', row 0: invalid UTF-8 at byte 0");
    q[41] = 'x';
    CHECK_OK(undump_payload(q, 43, &r));
    lstats_table_free(r);
    q[16] = 50; /* name length beyond payload */
    CHECK_STATUS(undump_payload(q, 43, &r), LSTATS_EFORMAT);
    CHECK_MSG("column name 0: length 50 exceeds");
    q[16] = 1;
    q[20] = 0; /* NUL in a name */
    CHECK_STATUS(undump_payload(q, 43, &r), LSTATS_EFORMAT);
    CHECK_MSG("column name 0 contains a NUL byte");
    q[20] = (char)0xFF;
    CHECK_STATUS(undump_payload(q, 43, &r), LSTATS_EFORMAT);
    CHECK_MSG("column name 0: invalid UTF-8");
    /* huge nrows with a column: refused before allocating */
    q[20] = 'a';
    put64(q, UINT64_C(1) << 40);
    CHECK_STATUS(undump_payload(q, 43, &r), LSTATS_EFORMAT);
    CHECK_MSG("row count 1099511627776 exceeds");
    /* meta: nrows 0, ncols 0, nmeta 2 with duplicate keys */
    unsigned char m[64] = {0, 0, 0,   0, 0, 0, 0, 0,   0, 0, 0, 0, 2,   0, 0, 0, 1, 0,
                           0, 0, 'k', 1, 0, 0, 0, 'v', 1, 0, 0, 0, 'k', 1, 0, 0, 0, 'w'};
    CHECK_STATUS(undump_payload(m, 36, &r), LSTATS_EFORMAT);
    CHECK_MSG("duplicate metadata key 'k'");
    m[12] = 1;
    CHECK_STATUS(undump_payload(m, 36, &r), LSTATS_EFORMAT);
    CHECK_MSG("10 trailing bytes");
    CHECK_OK(undump_payload(m, 26, &r));
    CHECK(strcmp(lstats_table_meta_get(r, "k"), "v") == 0);
    lstats_table_free(r);
    m[12] = 9;
    CHECK_STATUS(undump_payload(m, 36, &r), LSTATS_EFORMAT);
    /* duplicate column names: nrows 0, 2 columns "a" u64 */
    unsigned char d[64] = {0, 0, 0, 0,   0, 0, 0, 0, 2, 0, 0, 0, 0,   0, 0, 0, 1,
                           0, 0, 0, 'a', 2, 0, 0, 0, 1, 0, 0, 0, 'a', 2, 0, 0, 0};
    CHECK_STATUS(undump_payload(d, 34, &r), LSTATS_EFORMAT);
    CHECK_MSG("duplicate column name 'a'");
}

static void test_files_and_args(void)
{
    lstats_table *t = sample_table(), *r = NULL;
    CHECK_STATUS(lstats_table_load(tmp_path("does-not-exist.lst"), &r), LSTATS_EIO);
    CHECK_MSG("does-not-exist.lst");
    CHECK_STATUS(lstats_table_load(tmpdir, &r), LSTATS_EIO);
    CHECK_STATUS(lstats_table_save(t, "/nonexistent-dir/x.lst"), LSTATS_EIO);
    CHECK_MSG("cannot write '/nonexistent-dir/x.lst'");
    /* A failed save leaves no temporary behind: saving over a directory fails at rename. */
    CHECK_STATUS(lstats_table_save(t, tmpdir), LSTATS_EIO);
    CHECK_STATUS(lstats_table_save(NULL, "x"), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_save(t, NULL), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_load(NULL, &r), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_load("x", NULL), LSTATS_EINVAL);
    void *buf;
    size_t size;
    CHECK_STATUS(lstats_table_dump(NULL, &buf, &size), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_dump(t, NULL, &size), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_dump(t, &buf, NULL), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_undump(NULL, 10, &r), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_undump("x", 1, NULL), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_write_tsv(NULL, "x"), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_write_tsv(t, NULL), LSTATS_EINVAL);
    CHECK_STATUS(lstats_table_write_tsv(t, "/nonexistent-dir/x.tsv"), LSTATS_EIO);
    /* Not a table */
    const char *p = tmp_path("garbage.lst");
    FILE *f = fopen(p, "wb");
    fputs("this is not a libstats table at all, just text", f);
    fclose(f);
    CHECK_STATUS(lstats_table_load(p, &r), LSTATS_EFORMAT);
    CHECK_MSG("garbage.lst: not a libstats table");
    /* Overwriting an existing file works. */
    CHECK_OK(lstats_table_save(t, p));
    CHECK_OK(lstats_table_load(p, &r));
    lstats_table_free(r);
    lstats_table_free(t);
}

static void test_tsv(void)
{
    lstats_table *t = sample_table();
    const char *p = tmp_path("out.tsv");
    CHECK_OK(lstats_table_write_tsv(t, p));
    FILE *f = fopen(p, "rb");
    char got[1024];
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = '\0';
    const char *want = "term\tcount\tdelta\tscore\n"
                       "the\t0\t-9223372036854775808\tnan\n"
                       "\xe4\xb8\xad\xe6\x96\x87\t1\t-1\t-inf\n"
                       "tab\\there\t18446744073709551615\t0\t1e-300\n"
                       "\xf0\x9f\x98\x80\t42\t9223372036854775807\t3.1415899999999999\n";
    CHECK(strcmp(got, want) == 0);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "got:\n%s", got);
    lstats_table_free(t);

    /* Escapes and inf. */
    t = ls_table_new(1);
    const char s[] = "a\tb\nc\rd\\e";
    int64_t off[] = {0, 9};
    CHECK_OK(ls_table_add_string(t, "x\ty", dup_mem(s, 9), dup_mem(off, sizeof off)));
    CHECK_OK(ls_table_add_f64(t, "f", dup_mem((double[]){INFINITY}, 8)));
    CHECK_OK(lstats_table_write_tsv(t, p));
    f = fopen(p, "rb");
    n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = '\0';
    CHECK(strcmp(got, "x\\ty\tf\na\\tb\\nc\\rd\\\\e\tinf\n") == 0);
    lstats_table_free(t);

    t = ls_table_new(2); /* no columns: header line only */
    CHECK_OK(lstats_table_write_tsv(t, p));
    f = fopen(p, "rb");
    n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    CHECK(n == 1 && got[0] == '\n');
    lstats_table_free(t);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A 1M-row frequency-like table: throughput figures. */
static void test_large(size_t n)
{
    lstats_table *t = ls_table_new(n);
    char *blob = malloc(n * 12);
    int64_t *off = malloc((n + 1) * 8);
    uint64_t *c = malloc(n * 8), *dc = malloc(n * 8);
    double *pm = malloc(n * 8);
    size_t pos = 0;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        pos += (size_t)snprintf(blob + pos, 12, "w%zu", i * 7919 % 1000003);
        off[i + 1] = (int64_t)pos;
        c[i] = n - i;
        dc[i] = (n - i) / 3 + 1;
        pm[i] = (double)c[i] * 1e6 / 123456789.0;
    }
    CHECK_OK(ls_table_add_string(t, "term", blob, off));
    CHECK_OK(ls_table_add_u64(t, "count", c));
    CHECK_OK(ls_table_add_f64(t, "per_million", pm));
    CHECK_OK(ls_table_add_u64(t, "doc_count", dc));
    const char *p = tmp_path("large.lst");
    double raw = (double)pos + (double)n * 32;
    double t0 = now();
    CHECK_OK(lstats_table_save(t, p));
    double t1 = now();
    lstats_table *r = NULL;
    CHECK_OK(lstats_table_load(p, &r));
    double t2 = now();
    CHECK(r && tables_equal(t, r));
    struct stat sb;
    stat(p, &sb);
    if (n >= 1000000)
        printf("%zu rows, %.1f MB raw, %.1f MB on disk: save %.3f s (%.0f MB/s), load %.3f s "
               "(%.0f MB/s)\n",
               n, raw / 1e6, (double)sb.st_size / 1e6, t1 - t0, raw / 1e6 / (t1 - t0), t2 - t1,
               raw / 1e6 / (t2 - t1));
    lstats_table_free(r);
    lstats_table_free(t);
    unlink(p);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lstats_table_io_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    /* Smaller sizes when asked to or under valgrind (its preload library is in LD_PRELOAD). */
    const char *small = getenv("LSTATS_TEST_SMALL");
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))
        small = "1";
    test_roundtrips();
    test_corruption();
    test_files_and_args();
    test_tsv();
    test_large(small && *small == '1' ? 20000 : 1000000);
    /* Clean up: no temporaries may remain beside the files we wrote. */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A %s | grep -c tmp", tmpdir);
    FILE *pp = popen(cmd, "r");
    int leftovers = -1;
    if (pp) {
        if (fscanf(pp, "%d", &leftovers) != 1)
            leftovers = -1;
        pclose(pp);
    }
    CHECK(leftovers == 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
    return check_summary();
}

/* Tests of the document reader (libstats/text.c). Inputs are made at test time in a temporary
 * directory (gzip with zlib's deflate), except the Chinese encodings, which
 * tests/data/encodings/generate.py made from the sample corpus. */
#define _XOPEN_SOURCE 700

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "check.h"
#include "error.h"
#include "text.h"
#include "utf8.h"

#define MIB (1024 * 1024)

static char tmpdir[256];

typedef struct {
    char *data;
    size_t len, cap;
} buf_t;

static void buf_add(buf_t *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *q = realloc(b->data, cap);
        if (!q) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
        b->data = q;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_adds(buf_t *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static const char *tpath(const char *name)
{
    static char path[512]; /* test program: single-threaded use only */
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

static void *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    buf_t b = {0};
    char tmp[65536];
    size_t n;
    if (!f) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(&b, tmp, n);
    fclose(f);
    if (!b.data)
        buf_add(&b, "", 0);
    *len = b.len;
    return b.data;
}

/* One gzip member of data[0..len) appended to *out. */
static void gz_member(buf_t *out, const void *data, size_t len, int level)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        exit(2);
    size_t cap = deflateBound(&zs, (uLong)len) + 64;
    unsigned char *tmp = malloc(cap);
    if (!tmp)
        exit(2);
    zs.next_in = (unsigned char *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = tmp;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        exit(2);
    buf_add(out, tmp, cap - zs.avail_out);
    deflateEnd(&zs);
    free(tmp);
}

typedef struct {
    lstats_status status;
    buf_t text;
    size_t n_chunks;
    int bad_chunk; /* a chunk broke the chunking rules */
    size_t max_chunk;
    uint64_t replaced;
    char encoding[64];
    uint64_t bytes_in, size_hint;
} result_t;

static void res_free(result_t *res)
{
    free(res->text.data);
    memset(res, 0, sizeof *res);
}

/* Reads everything; checks the chunk invariants on the way. */
static void drain(ls_reader *r, result_t *res)
{
    const char *t;
    size_t len;
    uint64_t off;
    buf_add(&res->text, "", 0);
    snprintf(res->encoding, sizeof res->encoding, "%s", ls_reader_encoding(r));
    for (;;) {
        res->status = ls_reader_next(r, &t, &len, &off);
        if (res->status != LSTATS_OK || len == 0)
            break;
        if (off != res->text.len)
            res->bad_chunk = 1;
        if (!ls_utf8_valid((const unsigned char *)t, len))
            res->bad_chunk = 2;
        if (len > res->max_chunk)
            res->max_chunk = len;
        /* Short chunks end after '\n' unless they are the last. */
        if (len <= MIB && t[len - 1] != '\n') {
            const char *t2;
            size_t len2;
            buf_add(&res->text, t, len);
            res->n_chunks++;
            res->status = ls_reader_next(r, &t2, &len2, &off);
            if (res->status != LSTATS_OK)
                break;
            if (len2 != 0)
                res->bad_chunk = 3;
            break;
        }
        buf_add(&res->text, t, len);
        res->n_chunks++;
    }
    res->replaced = ls_reader_replaced(r);
    res->bytes_in = ls_reader_bytes_in(r);
    res->size_hint = ls_reader_size_hint(r);
}

static lstats_status read_file(const char *path, const char *enc, int errors, result_t *res)
{
    ls_reader *r = NULL;
    memset(res, 0, sizeof *res);
    buf_add(&res->text, "", 0);
    lstats_status st = ls_reader_open_file(&r, path, enc, errors);
    if (st != LSTATS_OK) {
        CHECK(r == NULL);
        res->status = st;
        return st;
    }
    drain(r, res);
    ls_reader_free(r);
    return res->status;
}

static lstats_status read_mem(const void *data, size_t len, const char *enc, int errors,
                              result_t *res)
{
    ls_reader *r = NULL;
    memset(res, 0, sizeof *res);
    buf_add(&res->text, "", 0);
    lstats_status st = ls_reader_open_memory(&r, "mem", data, len, enc, errors);
    if (st != LSTATS_OK) {
        res->status = st;
        return st;
    }
    drain(r, res);
    ls_reader_free(r);
    return res->status;
}

static int res_is(const result_t *res, const void *expect, size_t len)
{
    return res->status == LSTATS_OK && res->text.len == len &&
           memcmp(res->text.data, expect, len) == 0 && !res->bad_chunk;
}

#define S(lit) lit, sizeof(lit) - 1

/* Reads `in` from memory, a plain file and a gzip file: all must give `expect`. */
static void check_all_ways(const char *in, size_t in_len, const char *enc, int errors,
                           const char *expect, size_t expect_len, uint64_t replaced)
{
    result_t res;
    buf_t gz = {0};
    CHECK_OK(read_mem(in, in_len, enc, errors, &res));
    CHECK(res_is(&res, expect, expect_len));
    CHECK(res.replaced == replaced);
    res_free(&res);
    write_file(tpath("way.txt"), in, in_len);
    CHECK_OK(read_file(tpath("way.txt"), enc, errors, &res));
    CHECK(res_is(&res, expect, expect_len));
    CHECK(res.replaced == replaced);
    CHECK(res.bytes_in == in_len && res.size_hint == in_len);
    res_free(&res);
    gz_member(&gz, in, in_len, 6);
    write_file(tpath("way.gz"), gz.data, gz.len);
    CHECK_OK(read_file(tpath("way.gz"), enc, errors, &res));
    CHECK(res_is(&res, expect, expect_len));
    CHECK(res.replaced == replaced);
    CHECK(res.bytes_in == gz.len && res.size_hint == gz.len);
    res_free(&res);
    free(gz.data);
}

/* Expects an error (status, message fragment) reading `in` from memory and a plain file. */
static void check_error_ways(const char *in, size_t in_len, const char *enc, int errors,
                             lstats_status status, const char *msg)
{
    result_t res;
    CHECK_STATUS(read_mem(in, in_len, enc, errors, &res), status);
    CHECK_MSG(msg);
    if (!strstr(lstats_last_error(), msg))
        fprintf(stderr, "  expected \"%s\"\n", msg);
    res_free(&res);
    write_file(tpath("err.txt"), in, in_len);
    CHECK_STATUS(read_file(tpath("err.txt"), enc, errors, &res), status);
    CHECK_MSG(msg);
    CHECK_MSG("err.txt");
    res_free(&res);
}

/* ---------------------------------------------------------------- tests */

static void test_basics(void)
{
    result_t res;
    check_all_ways(S(""), NULL, 0, S(""), 0);
    CHECK_OK(read_mem(S(""), NULL, 0, &res));
    CHECK(res.n_chunks == 0 && strcmp(res.encoding, "UTF-8") == 0);
    res_free(&res);
    check_all_ways(S(" \n\t \n  "), NULL, 0, S(" \n\t \n  "), 0);
    check_all_ways(S("one\ntwo\n"), "utf8", 0, S("one\ntwo\n"), 0);
    check_all_ways(S("one\ntwo"), "UTF-8", 0, S("one\ntwo"), 0);
    check_all_ways(S("one\ntwo"), "Utf8", 0, S("one\ntwo"), 0);
    check_all_ways(S("one\ntwo"), "AUTO", 0, S("one\ntwo"), 0);
    /* A lone 0x1f is a one-byte plain text, not a gzip stream. */
    check_all_ways(S("\x1f"), NULL, 0, S("\x1f"), 0);
    /* Line ends. */
    check_all_ways(S("a\r\nb\rc\r\r\nd\r"), NULL, 0, S("a\nb\nc\n\nd\n"), 0);
    check_all_ways(S("\r\n\r\n\n\r"), NULL, 0, S("\n\n\n\n"), 0);
    /* BOM: stripped at the start only. */
    check_all_ways(S("\xEF\xBB\xBF"
                     "abc\xEF\xBB\xBF"),
                   NULL, 0, S("abc\xEF\xBB\xBF"), 0);
    check_all_ways(S("\xEF\xBB\xBF"), "auto", 0, S(""), 0);
    check_all_ways(S("\xEF\xBB"), NULL, LSTATS_ERRORS_REPLACE, S("\xEF\xBF\xBD"), 1);
    /* Valid multi-byte text of every length. */
    check_all_ways(S("\xC2\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\n"), NULL, 0,
                   S("\xC2\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\n"), 0);
    /* Bad arguments. */
    ls_reader *r = NULL;
    CHECK_STATUS(ls_reader_open_memory(&r, "x", "a", 1, NULL, 7), LSTATS_EINVAL);
    CHECK(r == NULL);
}

static void test_nul(void)
{
    check_error_ways(S("ab\0c"), NULL, 0, LSTATS_EENCODING, "NUL byte at offset 2 (binary file?)");
    check_error_ways(S("\xEF\xBB\xBFxyz\0"), NULL, 0, LSTATS_EENCODING, "NUL byte at offset 6");
    check_all_ways(S("ab\0c\0"), NULL, LSTATS_ERRORS_REPLACE,
                   S("ab\xEF\xBF\xBD"
                     "c\xEF\xBF\xBD"),
                   2);
    /* After an ICU decoder too. */
    check_error_ways(S("abc\0"), "latin1", 0, LSTATS_EENCODING, "NUL byte at offset 3");
    check_error_ways(S("a\0b\0\0\0"), "UTF-16LE", 0, LSTATS_EENCODING, "NUL byte at offset 4");
}

static void test_invalid_utf8(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *msg;
        const char *replaced;
        uint64_t n_replaced;
    } cases[] = {
        {S("ab\xC0\x80"), "at byte offset 2", "ab\xEF\xBF\xBD\xEF\xBF\xBD", 2},
        {S("abc\xE0\x80\x80x"), "at byte offset 3", "abc\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx", 3},
        {S("\xED\xA0\x80"), "at byte offset 0", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3},
        {S("x\xF4\x90\x80\x80"), "at byte offset 1",
         "x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 4},
        {S("\xE4\xB8\xADx\xF5y"), "at byte offset 4", "\xE4\xB8\xADx\xEF\xBF\xBDy", 1},
        {S("\x80"), "at byte offset 0", "\xEF\xBF\xBD", 1},
        {S("abc\xE4\xB8"), "at byte offset 3", "abc\xEF\xBF\xBD", 1},
        {S("abc\xE4\xB8x"), "at byte offset 3", "abc\xEF\xBF\xBDx", 1},
        {S("\xF0\x9F\x98"), "at byte offset 0", "\xEF\xBF\xBD", 1},
        {S("\xF0\x9F\x98\n\xFF\xFE"), "at byte offset 0", "\xEF\xBF\xBD\n\xEF\xBF\xBD\xEF\xBF\xBD",
         3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_error_ways(cases[i].in, cases[i].len, NULL, 0, LSTATS_EUTF8, cases[i].msg);
        CHECK_MSG("invalid UTF-8");
        check_all_ways(cases[i].in, cases[i].len, NULL, LSTATS_ERRORS_REPLACE, cases[i].replaced,
                       strlen(cases[i].replaced), cases[i].n_replaced);
    }
}

/* A text of about `size` bytes: lines of varied length mixing ASCII and Chinese. */
static void make_text(buf_t *b, size_t size, unsigned seed)
{
    static const char *words[] = {"the ",         "DeepSeek ", "\xE4\xB8\xAD\xE5\x9B\xBD",
                                  "\xE7\x9A\x84", "model, ",   "\xF0\x9F\x98\x80",
                                  "caf\xC3\xA9 ", "\t"};
    while (b->len < size) {
        seed = seed * 1103515245u + 12345u;
        unsigned n = (seed >> 16) % 300;
        for (unsigned i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf_adds(b, words[(seed >> 16) % 8]);
        }
        buf_adds(b, "\n");
    }
}

static void test_large(void)
{
    buf_t text = {0}, gz = {0};
    result_t res;
    make_text(&text, 3 * MIB + 12345, 1);
    write_file(tpath("large.txt"), text.data, text.len);
    /* Two members, split in the middle of a line. */
    gz_member(&gz, text.data, text.len / 2 + 7, 6);
    gz_member(&gz, text.data + text.len / 2 + 7, text.len - text.len / 2 - 7, 1);
    write_file(tpath("large.gz"), gz.data, gz.len);

    CHECK_OK(read_file(tpath("large.txt"), NULL, 0, &res));
    CHECK(res_is(&res, text.data, text.len));
    CHECK(res.n_chunks >= 4 && res.max_chunk <= MIB);
    CHECK(res.bytes_in == text.len);
    res_free(&res);
    CHECK_OK(read_file(tpath("large.gz"), "auto", 0, &res));
    CHECK(res_is(&res, text.data, text.len));
    CHECK(res.n_chunks >= 4 && res.max_chunk <= MIB);
    CHECK(res.bytes_in == gz.len && res.size_hint == gz.len);
    res_free(&res);
    CHECK_OK(read_mem(text.data, text.len, NULL, 0, &res));
    CHECK(res_is(&res, text.data, text.len));
    res_free(&res);
    CHECK_OK(read_mem(gz.data, gz.len, NULL, 0, &res));
    CHECK(res_is(&res, text.data, text.len));
    res_free(&res);

    /* CRLF everywhere: every kind of block boundary falls between some CR and LF. */
    buf_t crlf = {0}, lf = {0};
    for (size_t i = 0; i < 150000; i++) {
        char line[32];
        int n =
            snprintf(line, sizeof line, "%zu%s", i * 7919 % 1000003, (i % 3) ? "\xE4\xB8\xAD" : "");
        buf_add(&crlf, line, (size_t)n);
        buf_add(&lf, line, (size_t)n);
        buf_adds(&crlf, i % 5 ? "\r\n" : "\r");
        buf_adds(&lf, "\n");
    }
    check_all_ways(crlf.data, crlf.len, NULL, 0, lf.data, lf.len, 0);
    /* The same through an ICU converter (ASCII only, so that windows-1252 gives it back). */
    crlf.len = lf.len = 0;
    for (size_t i = 0; i < 150000; i++) {
        char line[32];
        int n = snprintf(line, sizeof line, "%zu", i * 7919 % 1000003);
        buf_add(&crlf, line, (size_t)n);
        buf_add(&lf, line, (size_t)n);
        buf_adds(&crlf, i % 5 ? "\r\n" : "\r");
        buf_adds(&lf, "\n");
    }
    check_all_ways(crlf.data, crlf.len, "windows-1252", 0, lf.data, lf.len, 0);
    free(crlf.data);
    free(lf.data);
    free(text.data);
    free(gz.data);
}

static void test_boundaries(void)
{
    /* A CR as the last byte of the first 256 KiB block, its LF first in the next; a 3-byte
     * sequence split over the next block boundary; a bad byte at offset 700000. */
    size_t size = 800000;
    char *d = malloc(size);
    result_t res;
    if (!d)
        exit(2);
    for (size_t i = 0; i < size; i++)
        d[i] = (i % 61 == 60) ? '\n' : (char)('a' + i % 26);
    d[262143] = '\r';
    d[262144] = '\n';
    memcpy(d + 524287, "\xE4\xB8\xAD", 3);
    write_file(tpath("bound.txt"), d, size);
    CHECK_OK(read_file(tpath("bound.txt"), NULL, 0, &res));
    CHECK(res.text.len == size - 1 && res.text.data[262143] == '\n' &&
          memcmp(res.text.data + 262144, d + 262145, 1000) == 0);
    res_free(&res);
    d[700000] = (char)0xFF;
    write_file(tpath("bound.txt"), d, size);
    CHECK_STATUS(read_file(tpath("bound.txt"), NULL, 0, &res), LSTATS_EUTF8);
    CHECK_MSG("invalid UTF-8 at byte offset 700000");
    res_free(&res);
    CHECK_STATUS(read_file(tpath("bound.txt"), "auto", 0, &res), LSTATS_EUTF8);
    CHECK_MSG("invalid UTF-8 at byte offset 700000");
    res_free(&res);
    CHECK_STATUS(read_mem(d, size, NULL, 0, &res), LSTATS_EUTF8);
    CHECK_MSG("mem: invalid UTF-8 at byte offset 700000");
    res_free(&res);
    buf_t gz = {0};
    gz_member(&gz, d, size, 9);
    write_file(tpath("bound.gz"), gz.data, gz.len);
    CHECK_STATUS(read_file(tpath("bound.gz"), NULL, 0, &res), LSTATS_EUTF8);
    CHECK_MSG("invalid UTF-8 at byte offset 700000");
    res_free(&res);
    CHECK_OK(read_file(tpath("bound.gz"), NULL, LSTATS_ERRORS_REPLACE, &res));
    CHECK(res.replaced == 1 && res.text.len == size + 1);
    res_free(&res);
    /* A NUL late in the file. */
    d[700000] = '\0';
    write_file(tpath("bound.txt"), d, size);
    CHECK_STATUS(read_file(tpath("bound.txt"), NULL, 0, &res), LSTATS_EENCODING);
    CHECK_MSG("NUL byte at offset 700000");
    res_free(&res);
    free(gz.data);
    free(d);
}

static void test_long_lines(void)
{
    /* 5 MiB without a newline but with spaces: cut after a space, at most 4 MiB. */
    size_t size = 5 * MIB;
    char *d = malloc(size);
    result_t res;
    if (!d)
        exit(2);
    for (size_t i = 0; i < size; i++)
        d[i] = (i % 1000 == 999) ? ' ' : 'x';
    ls_reader *r;
    const char *t;
    size_t len;
    uint64_t off;
    CHECK_OK(ls_reader_open_memory(&r, "long", d, size, NULL, 0));
    CHECK_OK(ls_reader_next(r, &t, &len, &off));
    CHECK(len <= 4 * MIB && len > 3 * MIB && t[len - 1] == ' ' && off == 0);
    ls_reader_free(r);
    CHECK_OK(read_mem(d, size, NULL, 0, &res));
    CHECK(res_is(&res, d, size) && res.n_chunks == 2);
    res_free(&res);
    /* Chinese without spaces: cut at a code point boundary. */
    for (size_t i = 0; i + 3 <= size; i += 3)
        memcpy(d + i, "\xE4\xB8\xAD", 3);
    size -= size % 3;
    CHECK_OK(read_mem(d, size, NULL, 0, &res));
    CHECK(res_is(&res, d, size) && res.n_chunks == 2 && res.max_chunk <= 4 * MIB);
    res_free(&res);
    /* A 2 MiB line is delivered whole. */
    memset(d, 'y', 2 * MIB);
    d[2 * MIB] = '\n';
    memset(d + 2 * MIB + 1, 'z', 100);
    CHECK_OK(read_mem(d, 2 * MIB + 101, NULL, 0, &res));
    CHECK(res_is(&res, d, 2 * MIB + 101) && res.n_chunks == 2 && res.max_chunk == 2 * MIB + 1);
    res_free(&res);
    free(d);
}

static void test_gzip_errors(void)
{
    buf_t gz = {0}, text = {0};
    result_t res;
    char msg[128];
    make_text(&text, 100000, 2);
    gz_member(&gz, text.data, text.len, 6);
    /* Multi-member, with an empty member. */
    buf_t multi = {0};
    gz_member(&multi, text.data, 1000, 6);
    gz_member(&multi, "", 0, 6);
    gz_member(&multi, text.data + 1000, text.len - 1000, 6);
    write_file(tpath("multi.gz"), multi.data, multi.len);
    CHECK_OK(read_file(tpath("multi.gz"), NULL, 0, &res));
    CHECK(res_is(&res, text.data, text.len));
    res_free(&res);

    /* Truncated at several points (cut = 1 leaves a one-byte plain file "\x1f"). */
    size_t cuts[] = {2, 3, 10, 11, 50, gz.len / 2, gz.len - 8, gz.len - 4, gz.len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_file(tpath("trunc.gz"), gz.data, cuts[i]);
        CHECK_STATUS(read_file(tpath("trunc.gz"), NULL, 0, &res), LSTATS_EGZIP);
        snprintf(msg, sizeof msg, "trunc.gz: gzip stream truncated at compressed offset %zu",
                 cuts[i]);
        CHECK_MSG(msg);
        res_free(&res);
        CHECK_STATUS(read_mem(gz.data, cuts[i], NULL, 0, &res), LSTATS_EGZIP);
        CHECK_MSG("truncated");
        res_free(&res);
    }
    /* Corrupt CRC and length. */
    buf_t bad = {0};
    buf_add(&bad, gz.data, gz.len);
    bad.data[gz.len - 6] ^= 0x55;
    write_file(tpath("crc.gz"), bad.data, bad.len);
    CHECK_STATUS(read_file(tpath("crc.gz"), NULL, 0, &res), LSTATS_EGZIP);
    CHECK_MSG("crc.gz: corrupt gzip data");
    CHECK_MSG("incorrect data check");
    res_free(&res);
    bad.data[gz.len - 6] ^= 0x55;
    bad.data[gz.len - 2] ^= 0x01;
    write_file(tpath("len.gz"), bad.data, bad.len);
    CHECK_STATUS(read_file(tpath("len.gz"), NULL, 0, &res), LSTATS_EGZIP);
    CHECK_MSG("incorrect length check");
    res_free(&res);
    /* Corrupt deflate data. */
    bad.data[gz.len - 2] ^= 0x01;
    memset(bad.data + 20, 0xFF, 30);
    write_file(tpath("data.gz"), bad.data, bad.len);
    CHECK_STATUS(read_file(tpath("data.gz"), NULL, 0, &res), LSTATS_EGZIP);
    CHECK_MSG("corrupt gzip data at compressed offset");
    res_free(&res);
    /* Trailing garbage, and zero padding. */
    free(bad.data);
    memset(&bad, 0, sizeof bad);
    buf_add(&bad, gz.data, gz.len);
    buf_adds(&bad, "garbage");
    write_file(tpath("trail.gz"), bad.data, bad.len);
    CHECK_STATUS(read_file(tpath("trail.gz"), NULL, 0, &res), LSTATS_EGZIP);
    snprintf(msg, sizeof msg,
             "trail.gz: trailing garbage after gzip member at compressed offset %zu", gz.len);
    CHECK_MSG(msg);
    res_free(&res);
    CHECK_STATUS(read_mem(bad.data, bad.len, NULL, 0, &res), LSTATS_EGZIP);
    CHECK_MSG("trailing garbage");
    res_free(&res);
    bad.len = gz.len;
    buf_add(&bad, "\0\0\0\0", 4);
    write_file(tpath("pad.gz"), bad.data, bad.len);
    CHECK_STATUS(read_file(tpath("pad.gz"), NULL, 0, &res), LSTATS_EGZIP);
    CHECK_MSG(msg + strlen("trail.gz: "));
    res_free(&res);
    /* A 0-byte file named .gz is an empty plain document. */
    write_file(tpath("empty.gz"), "", 0);
    CHECK_OK(read_file(tpath("empty.gz"), NULL, 0, &res));
    CHECK(res.text.len == 0 && res.n_chunks == 0);
    res_free(&res);
    /* A gzip of an empty text. */
    free(bad.data);
    memset(&bad, 0, sizeof bad);
    gz_member(&bad, "", 0, 6);
    CHECK_OK(read_mem(bad.data, bad.len, NULL, 0, &res));
    CHECK(res.text.len == 0);
    res_free(&res);
    /* The error is sticky. */
    ls_reader *r;
    const char *t;
    size_t len;
    CHECK_OK(ls_reader_open_memory(&r, "sticky", gz.data, gz.len - 3, NULL, 0));
    CHECK_STATUS(ls_reader_next(r, &t, &len, NULL), LSTATS_EGZIP);
    ls_error_clear();
    CHECK_STATUS(ls_reader_next(r, &t, &len, NULL), LSTATS_EGZIP);
    CHECK_MSG("sticky: gzip stream truncated");
    ls_reader_free(r);
    free(bad.data);
    free(gz.data);
    free(multi.data);
    free(text.data);
}

static void test_file_errors(void)
{
    result_t res;
    CHECK_STATUS(read_file(tpath("does-not-exist.txt"), NULL, 0, &res), LSTATS_EIO);
    CHECK_MSG("does-not-exist.txt");
    CHECK_MSG("No such file or directory");
    res_free(&res);
    CHECK_STATUS(read_file(tmpdir, NULL, 0, &res), LSTATS_EIO);
    CHECK_MSG(tmpdir);
    res_free(&res);
    CHECK_STATUS(read_mem(S("abc"), "no-such-encoding", 0, &res), LSTATS_EENCODING);
    CHECK_MSG("unknown encoding no-such-encoding");
    res_free(&res);
    CHECK_STATUS(read_mem(S("abc"), "", 0, &res), LSTATS_EENCODING);
    CHECK_MSG("unknown encoding");
    res_free(&res);
}

static void test_explicit_encodings(void)
{
    result_t res;
    /* latin1 */
    check_all_ways(S("caf\xE9\r\n"), "ISO-8859-1", 0, S("caf\xC3\xA9\n"), 0);
    CHECK_OK(read_mem(S("x"), "latin1", 0, &res));
    CHECK(strcmp(res.encoding, "ISO-8859-1") == 0);
    res_free(&res);
    /* GB18030: 0x81 0x20 is invalid. */
    check_error_ways(S("ab\xD6\xD0\x81\x20"), "GB18030", 0, LSTATS_EENCODING,
                     "invalid GB18030 byte sequence (81) at byte offset 4");
    check_all_ways(S("ab\xD6\xD0\x81\x20\xFF"), "gb18030", LSTATS_ERRORS_REPLACE,
                   S("ab\xE4\xB8\xAD\xEF\xBF\xBD \xEF\xBF\xBD"), 2);
    /* UTF-16LE: a dangling byte at the end, a lone surrogate. */
    check_error_ways(S("a\0b\0c"), "UTF-16LE", 0, LSTATS_EENCODING,
                     "truncated UTF-16LE sequence (63) at byte offset 4");
    check_all_ways(S("a\0b\0c"), "UTF-16LE", LSTATS_ERRORS_REPLACE, S("ab\xEF\xBF\xBD"), 1);
    check_error_ways(S("a\0\x00\xD8z\0"), "UTF-16LE", 0, LSTATS_EENCODING, "at byte offset 2");
    check_all_ways(S("\xFF\xFE"
                     "a\0\r\0\n\0\r\0"),
                   "UTF-16LE", 0, S("a\n\n"), 0);
    /* A UTF-8 alias ICU knows goes to the native decoder. */
    CHECK_OK(read_mem(S("\xEF\xBB\xBFx"), "unicode-1-1-utf-8", 0, &res));
    CHECK(res_is(&res, S("x")) && strcmp(res.encoding, "UTF-8") == 0);
    res_free(&res);
}

static char *seed_text(const char *prefix, size_t *len);

static void check_seed(const char *seedpfx, const char *encfile, const char *enc,
                       const char *expect_name, const char *encoding_out)
{
    char path[1024];
    size_t in_len, exp_len;
    snprintf(path, sizeof path, "%s/encodings/%s", LSTATS_TEST_DATA, encfile);
    char *in = read_whole(path, &in_len);
    if (expect_name) {
        snprintf(path, sizeof path, "%s/encodings/%s", LSTATS_TEST_DATA, expect_name);
    } else {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "%s/MANIFEST.tsv", LSTATS_SEEDS);
        size_t mlen;
        char *manifest = read_whole(cmd, &mlen);
        char *p = strstr(manifest, seedpfx);
        char *end = p ? strchr(p, '\t') : NULL;
        if (!end)
            exit(2);
        *end = '\0';
        snprintf(path, sizeof path, "%s/%s", LSTATS_SEEDS, p);
        free(manifest);
    }
    char *expect = read_whole(path, &exp_len);
    result_t res;
    CHECK_OK(read_mem(in, in_len, enc, 0, &res));
    CHECK(res_is(&res, expect, exp_len));
    CHECK(strcmp(res.encoding, encoding_out) == 0);
    if (strcmp(res.encoding, encoding_out) != 0 || !res_is(&res, expect, exp_len))
        fprintf(stderr, "  %s as %s: got encoding %s, %zu bytes (want %zu)\n", encfile,
                enc ? enc : "NULL", res.encoding, res.text.len, exp_len);
    res_free(&res);
    /* And as a gzip file. */
    buf_t gz = {0};
    gz_member(&gz, in, in_len, 6);
    write_file(tpath("seed.gz"), gz.data, gz.len);
    CHECK_OK(read_file(tpath("seed.gz"), enc, 0, &res));
    CHECK(res_is(&res, expect, exp_len));
    res_free(&res);
    free(gz.data);
    free(in);
    free(expect);
}

static void test_detect_more(void)
{
    result_t res;
    buf_t u16 = {0}, plain = {0};
    /* UTF-16 without a BOM: valid UTF-8 with NULs goes to the detector. */
    for (int i = 0; i < 40; i++)
        buf_adds(&plain, "Hello world, this is a test of the detector.\n");
    for (size_t i = 0; i < plain.len; i++) {
        buf_add(&u16, plain.data + i, 1);
        buf_add(&u16, "", 1);
    }
    CHECK_OK(read_mem(u16.data, u16.len, "auto", 0, &res));
    CHECK(res_is(&res, plain.data, plain.len) && strcmp(res.encoding, "UTF-16LE") == 0);
    res_free(&res);
    /* Without "auto" it is UTF-8 with NULs: an error. */
    CHECK_STATUS(read_mem(u16.data, u16.len, NULL, 0, &res), LSTATS_EENCODING);
    CHECK_MSG("NUL byte at offset 1 (binary file?)");
    res_free(&res);
    /* Chinese UTF-16LE without a BOM. */
    size_t len, zh_len;
    char *expect = seed_text("004_", &len);
    char *zh = read_whole(LSTATS_TEST_DATA "/encodings/004.utf16le-bom.txt", &zh_len);
    CHECK_OK(read_mem(zh + 2, zh_len - 2, "auto", 0, &res));
    CHECK(res_is(&res, expect, len) && strcmp(res.encoding, "UTF-16LE") == 0);
    res_free(&res);
    free(zh);
    free(expect);
    /* Latin-1. */
    buf_t latin = {0}, latin_utf8 = {0};
    for (int i = 0; i < 20; i++) {
        buf_adds(&latin,
                 "Le caf\xE9 est tr\xE8s bon, \xE0 c\xF4t\xE9 de la gare. O\xF9 est-il?\r\n");
        buf_adds(&latin_utf8,
                 "Le caf\xC3\xA9 est tr\xC3\xA8s bon, \xC3\xA0 c\xC3\xB4t\xC3\xA9 de la "
                 "gare. O\xC3\xB9 est-il?\n");
    }
    CHECK_OK(read_mem(latin.data, latin.len, "auto", 0, &res));
    CHECK(res_is(&res, latin_utf8.data, latin_utf8.len));
    CHECK(strcmp(res.encoding, "ISO-8859-1") == 0 || strcmp(res.encoding, "windows-1252") == 0);
    res_free(&res);
    /* Too little text for a confident guess: refused. */
    check_error_ways(S("\xD6\xD0\xCE\xC4"), "auto", 0, LSTATS_EENCODING,
                     "cannot detect the encoding (best guess");
    free(latin.data);
    free(latin_utf8.data);
    free(u16.data);
    free(plain.data);
}

static void test_chinese(void)
{
    check_seed("001_", "001.gb18030.txt", "auto", NULL, "GB18030");
    check_seed("001_", "001.gb18030.txt", "GB18030", NULL, "GB18030");
    check_seed("002_", "002.gbk.txt", "auto", NULL, "GB18030");
    check_seed("002_", "002.gbk.txt", "GBK", NULL, "GBK");
    check_seed("004_", "004.utf16le-bom.txt", "auto", NULL, "UTF-16LE");
    check_seed("004_", "004.utf16le-bom.txt", "UTF-16", NULL, "UTF-16");
    check_seed("000_", "000.utf16be-bom.txt", "auto", NULL, "UTF-16BE");
    check_seed("000_", "000.big5.txt", "auto", "000.big5.expected.txt", "Big5");
    check_seed("003_", "003.big5.txt", "auto", "003.big5.expected.txt", "Big5");
    check_seed("003_", "003.big5.txt", "big5", "003.big5.expected.txt", "Big5");
}

/* Reads the UTF-8 seed `prefix` into a buffer. */
static char *seed_text(const char *prefix, size_t *len)
{
    char path[1024];
    size_t mlen;
    snprintf(path, sizeof path, "%s/MANIFEST.tsv", LSTATS_SEEDS);
    char *manifest = read_whole(path, &mlen);
    char *p = strstr(manifest, prefix);
    char *end = p ? strchr(p, '\t') : NULL;
    if (!end)
        exit(2);
    *end = '\0';
    snprintf(path, sizeof path, "%s/%s", LSTATS_SEEDS, p);
    free(manifest);
    return read_whole(path, len);
}

static void test_traps(void)
{
    result_t res;
    size_t len, len2;
    char msg[128];
    /* Valid UTF-8 Chinese with one bad byte: ICU's detector says Shift_JIS; it is broken
     * UTF-8 and must be reported as such, at the right offset. */
    char *t = seed_text("001_", &len);
    size_t at = 3000;
    while (((unsigned char)t[at] & 0xC0) == 0x80)
        at++;
    t[at] = (char)0xFF;
    snprintf(msg, sizeof msg, "invalid UTF-8 at byte offset %zu", at);
    check_error_ways(t, len, "auto", 0, LSTATS_EUTF8, msg);
    CHECK_OK(read_mem(t, len, "auto", LSTATS_ERRORS_REPLACE, &res));
    CHECK(strcmp(res.encoding, "UTF-8") == 0 && res.replaced >= 1 && res.replaced <= 3);
    res_free(&res);
    free(t);
    /* UTF-8 text with a GB18030 passage: broken UTF-8 too. */
    t = seed_text("002_", &len);
    char *gb = read_whole(LSTATS_TEST_DATA "/encodings/001.gb18030.txt", &len2);
    buf_t mix = {0};
    buf_add(&mix, t, len);
    buf_add(&mix, gb, 40);
    buf_add(&mix, t, len);
    snprintf(msg, sizeof msg, "invalid UTF-8 at byte offset %zu",
             len + ls_utf8_validate((const unsigned char *)gb, 40, NULL));
    check_error_ways(mix.data, mix.len, "auto", 0, LSTATS_EUTF8, msg);
    free(mix.data);
    free(gb);
    free(t);
    /* GB18030 read as UTF-8 (the default): an error at the first bad byte. */
    gb = read_whole(LSTATS_TEST_DATA "/encodings/001.gb18030.txt", &len2);
    snprintf(msg, sizeof msg, "invalid UTF-8 at byte offset %zu",
             ls_utf8_validate((const unsigned char *)gb, len2, NULL));
    check_error_ways(gb, len2, NULL, 0, LSTATS_EUTF8, msg);
    free(gb);
    /* Random bytes: no confident guess. */
    unsigned char rnd[3000];
    unsigned seed = 7;
    for (size_t i = 0; i < sizeof rnd; i++) {
        seed = seed * 1103515245u + 12345u;
        rnd[i] = (unsigned char)((seed >> 16) | 1);
    }
    check_error_ways((const char *)rnd, sizeof rnd, "auto", 0, LSTATS_EENCODING,
                     "cannot detect the encoding (best guess ");
    CHECK_MSG("pass an explicit encoding");
}

typedef struct {
    const char *path;
    size_t expect_len;
    int ok;
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *job = arg;
    ls_reader *r;
    const char *t;
    size_t len, total = 0;
    job->ok = 0;
    for (int round = 0; round < 3; round++) {
        total = 0;
        if (ls_reader_open_file(&r, job->path, "auto", 0) != LSTATS_OK)
            return NULL;
        while (ls_reader_next(r, &t, &len, NULL) == LSTATS_OK && len > 0)
            total += len;
        ls_reader_free(r);
        if (total != job->expect_len)
            return NULL;
    }
    job->ok = 1;
    return NULL;
}

static void test_threads(void)
{
    buf_t text = {0}, gz = {0};
    make_text(&text, 2 * MIB, 3);
    gz_member(&gz, text.data, text.len, 6);
    write_file(tpath("thr.gz"), gz.data, gz.len);
    thread_job jobs[4];
    pthread_t th[4];
    char path[512];
    snprintf(path, sizeof path, "%s", tpath("thr.gz"));
    for (int i = 0; i < 4; i++) {
        jobs[i].path = path;
        jobs[i].expect_len = text.len;
        CHECK(pthread_create(&th[i], NULL, thread_main, &jobs[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(jobs[i].ok);
    }
    free(text.data);
    free(gz.data);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/lstats-text-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_basics();
    test_nul();
    test_invalid_utf8();
    test_boundaries();
    test_large();
    test_long_lines();
    test_gzip_errors();
    test_file_errors();
    test_explicit_encodings();
    test_chinese();
    test_traps();
    test_detect_more();
    test_threads();

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    return check_summary();
}

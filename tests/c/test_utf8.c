/* Tests of libstats/utf8.h: exhaustive comparison with a slow reference decoder, the validator's
 * stop reasons, and a throughput measurement (printed; LSTATS_BENCH_MB sets the size). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "utf8.h"

/* Reference: decode with no cleverness, then check the range. Returns the length of a valid
 * sequence, 0 if invalid or incomplete. */
static int ref_valid(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    int len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static void test_exhaustive(void)
{
    unsigned char s[4];
    long mismatches = 0;
    /* All 1..3 byte inputs, and 4-byte inputs with interesting trailing bytes. */
    for (unsigned a = 0; a < 256; a++) {
        s[0] = (unsigned char)a;
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            for (unsigned c = 0; c < 256; c++) {
                s[2] = (unsigned char)c;
                static const unsigned lasts[] = {0x41, 0x80, 0x8F, 0x90, 0xBF, 0xC0};
                for (size_t k = 0; k < sizeof lasts / sizeof lasts[0]; k++) {
                    uint32_t cp = 0, cp2;
                    size_t len;
                    s[3] = (unsigned char)lasts[k];
                    int r = ref_valid(s, 4, &cp);
                    int got = ls_utf8_check(s, 4);
                    cp2 = ls_utf8_decode(s, 4, &len);
                    if (r > 0) {
                        if (got != r || cp2 != cp || len != (size_t)r)
                            mismatches++;
                    } else {
                        /* The maximal subpart: the longest prefix that is a prefix of some
                         * valid sequence. */
                        int sub = 1;
                        for (int p = 3; p >= 2; p--) {
                            unsigned char t[4] = {0x80, 0x80, 0x80, 0x80};
                            uint32_t dummy;
                            memcpy(t, s, (size_t)p);
                            if (ref_valid(t, 4, &dummy) > p) {
                                sub = p;
                                break;
                            }
                        }
                        if (got != -sub || cp2 != LS_UTF8_BAD || len != (size_t)sub)
                            mismatches++;
                    }
                }
                if (a < 0xC2 || a > 0xF4)
                    break; /* the rest of s[2..] cannot matter */
            }
            if (a < 0x80)
                break;
        }
    }
    CHECK(mismatches == 0);
    if (mismatches)
        fprintf(stderr, "  %ld mismatches against the reference\n", mismatches);
}

static void test_validate(void)
{
    size_t err = 99;
#define V(lit) (const unsigned char *)lit, sizeof(lit) - 1
    CHECK(ls_utf8_validate(V(""), &err) == 0 && err == 0);
    CHECK(ls_utf8_validate(V("hello, world and more ascii text"), &err) == 32 && err == 0);
    CHECK(ls_utf8_validate(V("abc\xE4\xB8\xAD"), &err) == 6 && err == 0);
    /* Truncated at the end: err 0, result short. */
    CHECK(ls_utf8_validate(V("abc\xE4\xB8"), &err) == 3 && err == 0);
    CHECK(ls_utf8_validate(V("abcdefghijklmnopqrstuvwxyz\xF0\x9F\x98"), &err) == 26 && err == 0);
    /* Invalid: err is the maximal subpart. */
    CHECK(ls_utf8_validate(V("abc\xE4\xB8x"), &err) == 3 && err == 2);
    CHECK(ls_utf8_validate(V("0123456789abcdef0123456789\xC0\x80"), &err) == 26 && err == 1);
    CHECK(ls_utf8_validate(V("\xED\xA0\x80"), &err) == 0 && err == 1);
    CHECK(ls_utf8_validate(V("\xF4\x8F\xBF\xBF\xF4\x90\x80\x80"), &err) == 4 && err == 1);
    CHECK(ls_utf8_validate(V("\xF0\x9F\x98x"), &err) == 0 && err == 3);
    CHECK(ls_utf8_validate(V("\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD\x80"),
                           &err) == 15 &&
          err == 1);
    CHECK(ls_utf8_validate(V("ab"), NULL) == 2);
    CHECK(ls_utf8_valid(V("\xE4\xB8\xAD")) && !ls_utf8_valid(V("\xE4\xB8")));
    CHECK(ls_utf8_count(V("a\xE4\xB8\xAD\xF0\x9F\x98\x80")) == 3);
    /* An invalid byte at every position of a long ASCII run (fast path alignment). */
    unsigned char buf[80];
    for (size_t i = 0; i < sizeof buf; i++) {
        memset(buf, 'a', sizeof buf);
        buf[i] = 0x80;
        CHECK(ls_utf8_validate(buf, sizeof buf, &err) == i && err == 1);
    }
    /* Encode / decode round trip. */
    unsigned char out[4];
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t n = ls_utf8_encode(cp, out), len;
        if (ls_utf8_decode(out, n, &len) != cp || len != n) {
            CHECK(0);
            break;
        }
    }
#undef V
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench(void)
{
    size_t mb = 16;
    const char *env = getenv("LSTATS_BENCH_MB");
    if (env && atoi(env) > 0)
        mb = (size_t)atoi(env);
    size_t size = mb << 20;
    unsigned char *d = malloc(size);
    if (!d)
        return;
    /* Half ASCII lines, half Chinese lines. */
    static const char *lines[] = {"The quick brown fox jumps over the lazy dog, again and again.\n",
                                  "\xE4\xB8\xAD\xE5\x9B\xBD\xE9\xBB\x91\xE9\xA9\xAC"
                                  "DeepSeek\xEF\xBC\x8C\xE5\x87\xAD\xE4\xBB\x80\xE4\xB9\x88"
                                  "\xE8\xAE\xA9\xE7\xA1\x85\xE8\xB0\xB7\xE5\xA4\xA7\xE4\xBD\xAC"
                                  "\xE4\xBB\xAC\xE9\x9B\x86\xE4\xBD\x93\xE2\x80\x9C\n"};
    size_t i = 0, k = 0;
    while (i < size) {
        const char *l = lines[k++ & 1];
        size_t n = strlen(l);
        if (i + n > size)
            n = size - i;
        memcpy(d + i, l, n);
        i += n;
    }
    size_t valid_end = size;
    while (valid_end > 0 && (d[valid_end - 1] & 0x80))
        valid_end--; /* end on ASCII */
    double t0 = now();
    size_t got = ls_utf8_validate(d, valid_end, NULL);
    double t1 = now();
    CHECK(got == valid_end);
    memset(d, 'a', size);
    double t2 = now();
    got = ls_utf8_validate(d, size, NULL);
    double t3 = now();
    CHECK(got == size);
    printf("ls_utf8_validate: mixed text %.0f MB/s, ASCII %.0f MB/s (%zu MiB)\n",
           (double)valid_end / 1e6 / (t1 - t0), (double)size / 1e6 / (t3 - t2), mb);
    free(d);
}

int main(void)
{
    test_validate();
    test_exhaustive();
    bench();
    return check_summary();
}

/* bare_utf8_decode.c: a bare UTF-8 decode loop (decode every code point, sum
 * them), the speed ceiling for any per-code-point pass over the text.
 *
 *   bare_utf8_decode FILE [REPS]        (REPS default 3)
 *
 * Reads the whole file into memory once per repetition, then decodes it with a
 * straightforward validating scalar decoder (no SIMD; rejects overlong forms,
 * surrogates and values above U+10FFFF, counting them as U+FFFD, one byte at a
 * time).  Prints per repetition and the median: MB/s (10^6 bytes of input per
 * second) of the decode loop alone and of the whole job (read + decode).
 * Build: gcc -O2 -o bare_utf8_decode bare_utf8_decode.c
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned char *read_file(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(*len + 4);
    if (!buf || fread(buf, 1, *len, f) != (size_t)*len) {
        perror("read");
        exit(1);
    }
    fclose(f);
    return buf;
}

/* Decode s[0..n), return the sum of code points; *ncp gets the count, *nbad
 * the number of invalid sequences (each replaced by U+FFFD). */
static uint64_t decode_sum(const unsigned char *s, long n, long *ncp, long *nbad)
{
    uint64_t sum = 0;
    long i = 0, cps = 0, bad = 0;
    while (i < n) {
        uint32_t c = s[i];
        if (c < 0x80) {
            sum += c;
            i++;
            cps++;
            continue;
        }
        uint32_t cp;
        int len;
        uint32_t min;
        if ((c & 0xE0) == 0xC0) {
            cp = c & 0x1F;
            len = 2;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            cp = c & 0x0F;
            len = 3;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            cp = c & 0x07;
            len = 4;
            min = 0x10000;
        } else
            goto invalid;
        if (i + len > n)
            goto invalid;
        for (int k = 1; k < len; k++) {
            uint32_t cc = s[i + k];
            if ((cc & 0xC0) != 0x80)
                goto invalid;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto invalid;
        sum += cp;
        i += len;
        cps++;
        continue;
    invalid:
        sum += 0xFFFD;
        i++;
        cps++;
        bad++;
    }
    *ncp = cps;
    *nbad = bad;
    return sum;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [REPS]\n", argv[0]);
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    if (reps < 1 || reps > 100)
        reps = 3;
    double loop_mbs[100], total_mbs[100];
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        long n;
        unsigned char *buf = read_file(argv[1], &n);
        double t1 = now();
        long ncp, nbad;
        uint64_t sum = decode_sum(buf, n, &ncp, &nbad);
        double t2 = now();
        free(buf);
        loop_mbs[r] = n / 1e6 / (t2 - t1);
        total_mbs[r] = n / 1e6 / (t2 - t0);
        printf("rep %d: %ld bytes, %ld code points (%ld invalid), sum %llu; "
               "read %.3fs decode %.3fs; decode %.1f MB/s, total %.1f MB/s\n",
               r + 1, n, ncp, nbad, (unsigned long long)sum, t1 - t0, t2 - t1, loop_mbs[r],
               total_mbs[r]);
    }
    qsort(loop_mbs, reps, sizeof(double), cmp);
    qsort(total_mbs, reps, sizeof(double), cmp);
    printf("%s  median of %d: decode loop %.1f MB/s, whole job %.1f MB/s\n", argv[1], reps,
           loop_mbs[reps / 2], total_mbs[reps / 2]);
    return 0;
}

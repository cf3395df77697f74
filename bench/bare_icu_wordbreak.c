/* bare_icu_wordbreak.c: the bare ICU word-break loop, as a speed floor/ceiling
 * reference for libstats tokenisation.
 *
 *   bare_icu_wordbreak FILE [REPS]      (REPS default 3)
 *
 * Per repetition: read the whole file, u_strFromUTF8 to UTF-16,
 * ubrk_open(UBRK_WORD, "", ...) over the whole text, iterate ubrk_next counting
 * boundaries and the words whose rule status is >= UBRK_WORD_NUMBER.
 * Prints, per repetition and as the median over repetitions, MB/s (10^6 bytes of
 * UTF-8 input per second) for the break loop alone and for the whole job
 * (read + convert + open + break loop).  Single thread.
 * Build: gcc -O2 -o bare_icu_wordbreak bare_icu_wordbreak.c \
 *            $(pkg-config --cflags --libs icu-uc icu-i18n)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *read_file(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    if (!buf || fread(buf, 1, *len, f) != (size_t)*len) {
        perror("read");
        exit(1);
    }
    fclose(f);
    return buf;
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
    UVersionInfo v;
    char vs[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, vs);

    for (int r = 0; r < reps; r++) {
        double t0 = now();
        long n8;
        char *u8 = read_file(argv[1], &n8);
        double t1 = now();
        UErrorCode st = U_ZERO_ERROR;
        int32_t n16 = 0;
        if (n8 > INT32_MAX) {
            fprintf(stderr, "file too large\n");
            return 1;
        }
        u_strFromUTF8(NULL, 0, &n16, u8, (int32_t)n8, &st); /* preflight */
        st = U_ZERO_ERROR;
        UChar *u16 = malloc(((size_t)n16 + 1) * sizeof(UChar));
        u_strFromUTF8(u16, n16 + 1, &n16, u8, (int32_t)n8, &st);
        if (U_FAILURE(st)) {
            fprintf(stderr, "u_strFromUTF8: %s\n", u_errorName(st));
            return 1;
        }
        double t2 = now();
        UBreakIterator *bi = ubrk_open(UBRK_WORD, "", u16, n16, &st);
        if (U_FAILURE(st)) {
            fprintf(stderr, "ubrk_open: %s\n", u_errorName(st));
            return 1;
        }
        double t3 = now();
        long bounds = 0, words = 0;
        for (int32_t p = ubrk_first(bi); (p = ubrk_next(bi)) != UBRK_DONE;) {
            bounds++;
            if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NUMBER)
                words++;
        }
        double t4 = now();
        ubrk_close(bi);
        free(u16);
        free(u8);
        loop_mbs[r] = n8 / 1e6 / (t4 - t3);
        total_mbs[r] = n8 / 1e6 / (t4 - t0);
        printf("rep %d: %ld bytes, %d UTF-16 units, %ld boundaries, %ld words; "
               "read %.3fs convert %.3fs open %.3fs loop %.3fs; loop %.2f MB/s, total %.2f MB/s\n",
               r + 1, n8, n16, bounds, words, t1 - t0, t2 - t1, t3 - t2, t4 - t3, loop_mbs[r],
               total_mbs[r]);
    }
    qsort(loop_mbs, reps, sizeof(double), cmp);
    qsort(total_mbs, reps, sizeof(double), cmp);
    printf("ICU %s  %s  median of %d: break loop %.2f MB/s, whole job %.2f MB/s\n", vs, argv[1],
           reps, loop_mbs[reps / 2], total_mbs[reps / 2]);
    return 0;
}

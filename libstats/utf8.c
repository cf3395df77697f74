#include "utf8.h"

#include <string.h>

#define HIGH_BITS 0x8080808080808080ULL

size_t ls_utf8_validate(const unsigned char *s, size_t n, size_t *err_len)
{
    size_t i = 0;
    while (i < n) {
        /* ASCII fast path: 16 then 8 bytes at a time. */
        while (n - i >= 16) {
            uint64_t a, b;
            memcpy(&a, s + i, 8);
            memcpy(&b, s + i + 8, 8);
            if ((a | b) & HIGH_BITS)
                break;
            i += 16;
        }
        while (n - i >= 8) {
            uint64_t a;
            memcpy(&a, s + i, 8);
            if (a & HIGH_BITS)
                break;
            i += 8;
        }
        /* Byte loop up to the next run of ASCII. */
        while (i < n) {
            unsigned c = s[i];
            if (c < 0x80) {
                i++;
                if ((i & 7) == 0)
                    break; /* back to the word loop */
                continue;
            }
            /* The common CJK case: a well-formed 3-byte sequence. */
            if (c >= 0xE1 && c <= 0xEC && n - i >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
                (s[i + 2] & 0xC0) == 0x80) {
                i += 3;
                continue;
            }
            int k = ls_utf8_check(s + i, n - i);
            if (k <= 0) {
                if (err_len)
                    *err_len = (size_t)-k;
                return i;
            }
            i += (size_t)k;
        }
    }
    if (err_len)
        *err_len = 0;
    return n;
}

int ls_utf8_valid(const unsigned char *s, size_t n)
{
    return ls_utf8_validate(s, n, NULL) == n;
}

size_t ls_utf8_count(const unsigned char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += (s[i] & 0xC0) != 0x80;
    return count;
}

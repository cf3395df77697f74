/* Internal: strict UTF-8 validation and decoding (shared by the reader, tokenizer and tables).
 *
 * "Strict" means RFC 3629 / Unicode Table 3-7: no overlong forms, no surrogates (U+D800..DFFF),
 * nothing above U+10FFFF. An invalid sequence is split into "maximal subparts" as in the Unicode
 * Standard (section 3.9, "U+FFFD Substitution of Maximal Subparts"): each one is replaced by one
 * U+FFFD. For example E1 80 41 is one subpart (E1 80) then 'A'; ED A0 80 is three subparts.
 *
 * Everything here is pure (no state) and safe to call from any thread. */
#ifndef LS_UTF8_H
#define LS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returned by ls_utf8_decode for an invalid or truncated sequence. */
#define LS_UTF8_BAD 0xFFFFFFFFu
/* U+FFFD as UTF-8. */
#define LS_UTF8_REPLACEMENT     "\xEF\xBF\xBD"
#define LS_UTF8_REPLACEMENT_LEN 3

/* Classifies the sequence starting at s[0], with n >= 1 bytes available:
 *   > 0  a valid sequence of that many bytes (1..4);
 *   < 0  invalid: the negated length (1..3) of the maximal subpart to skip/replace;
 *   0    s[0..n) is a valid but incomplete prefix: more input is needed (at the very end of the
 *        input, the whole of s[0..n) is then one maximal subpart). */
static inline int ls_utf8_check(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return -1;
    if (c < 0xE0) {
        if (n < 2)
            return 0;
        return (s[1] & 0xC0) == 0x80 ? 2 : -1;
    }
    if (c < 0xF0) {
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        if (n < 2)
            return 0;
        if (s[1] < lo || s[1] > hi)
            return -1;
        if (n < 3)
            return 0;
        return (s[2] & 0xC0) == 0x80 ? 3 : -2;
    }
    if (c > 0xF4)
        return -1;
    if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (n < 2)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return -1;
    if (n < 3)
        return 0;
    if ((s[2] & 0xC0) != 0x80)
        return -2;
    if (n < 4)
        return 0;
    return (s[3] & 0xC0) == 0x80 ? 4 : -3;
}

/* Decodes the code point at s (n >= 1 bytes available) and sets *len to the bytes it takes.
 * On an invalid or truncated sequence returns LS_UTF8_BAD and sets *len to the length of the
 * maximal subpart (>= 1), so that a caller can skip it (or substitute U+FFFD) and go on. */
static inline uint32_t ls_utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
    int k = ls_utf8_check(s, n);
    switch (k) {
    case 1: *len = 1; return s[0];
    case 2: *len = 2; return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    case 3:
        *len = 3;
        return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    case 4:
        *len = 4;
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    case 0: *len = n; return LS_UTF8_BAD; /* truncated: everything left is one subpart */
    default: *len = (size_t)-k; return LS_UTF8_BAD;
    }
}

/* Writes code point cp (<= 0x10FFFF, not a surrogate) as UTF-8 into out (room for 4 bytes)
 * and returns the number of bytes written. */
static inline size_t ls_utf8_encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Returns the length of the longest valid UTF-8 prefix of s[0..n) (n when all of it is valid;
 * that prefix always ends at a code point boundary). When the result r is < n, *err_len (if not
 * NULL) says why the input stops being valid at s[r]:
 *   *err_len == 0  s[r..n) is a valid but truncated sequence (1..3 bytes) running into the end
 *                  of the buffer: more input may complete it;
 *   *err_len  > 0  s[r] starts an invalid sequence whose maximal subpart is *err_len bytes.
 * When r == n, *err_len is 0. ASCII runs are checked 8 bytes at a time. */
size_t ls_utf8_validate(const unsigned char *s, size_t n, size_t *err_len);

/* 1 when s[0..n) is entirely valid UTF-8 (a truncated final sequence is invalid), else 0. */
int ls_utf8_valid(const unsigned char *s, size_t n);

/* The number of code points in valid UTF-8 s[0..n) (counts lead bytes). */
size_t ls_utf8_count(const unsigned char *s, size_t n);

#endif

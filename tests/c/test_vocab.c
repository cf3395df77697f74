/* The vocabulary: dense ids, lookups, growth, copies, and the hash on every length. */
#include <stdlib.h>

#include "check.h"
#include "vocab.h"

/* A term of n bytes, with byte pos changed (pos == n: none). */
static void variant(char *x, size_t n, size_t pos)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (char)('a' + (i * 5 + n) % 26);
    if (pos < n)
        x[pos] = (char)(x[pos] ^ 0x20);
}

int main(void)
{
    ls_vocab *v = ls_vocab_new();
    CHECK(v != NULL);
    uint32_t id, id2;
    CHECK_OK(ls_vocab_intern(v, "cat", 3, &id));
    CHECK(id == 0);
    CHECK_OK(ls_vocab_intern(v, "dog", 3, &id));
    CHECK(id == 1);
    CHECK_OK(ls_vocab_intern(v, "cat", 3, &id));
    CHECK(id == 0);
    CHECK_OK(ls_vocab_intern(v, "", 0, &id)); /* the empty term is a term like any other */
    CHECK(id == 2);
    CHECK(ls_vocab_find(v, "dog", 3, &id2) && id2 == 1);
    CHECK(!ls_vocab_find(v, "do", 2, &id2));
    CHECK(!ls_vocab_find(v, "dogs", 4, &id2));

    /* 200,000 distinct terms of lengths 1..40 force many table and arena growths. */
    char buf[64];
    for (uint32_t i = 0; i < 200000; i++) {
        int len = snprintf(buf, sizeof buf, "%u", i);
        while (len < (int)(i % 40) + 1)
            buf[len++] = 'x';
        CHECK_OK(ls_vocab_intern(v, buf, (size_t)len, &id));
        if (id != i + 3) {
            CHECK(id == i + 3);
            break;
        }
    }
    CHECK(ls_vocab_size(v) == 200003);
    size_t len;
    const char *t = ls_vocab_term(v, 1, &len);
    CHECK(len == 3 && memcmp(t, "dog", 3) == 0);
    t = ls_vocab_term(v, 3 + 12345, &len);
    CHECK(len == 12345 % 40 + 1 || (len == 5 && 12345 % 40 + 1 < 5));
    CHECK(memcmp(t, "12345", 5) == 0);

    ls_vocab *c = ls_vocab_copy(v);
    CHECK(c != NULL && ls_vocab_size(c) == ls_vocab_size(v));
    CHECK(ls_vocab_find(c, "cat", 3, &id) && id == 0);
    CHECK_OK(ls_vocab_intern(c, "new", 3, &id));
    CHECK(id == 200003 && !ls_vocab_find(v, "new", 3, &id));
    CHECK(ls_vocab_memory(c) > 0);
    ls_vocab_free(c);
    ls_vocab_free(v);
    ls_vocab_free(NULL);

    /* Terms compared byte for byte on a hash match: with one hash for all, terms of every
     * length 0..40 that differ in a single byte anywhere stay distinct, and each is found
     * again. */
    ls_vocab *h = ls_vocab_new();
    CHECK(h != NULL);
    int all_ok = 1;
    uint32_t next = 0;
    for (int round = 0; round < 2 && h; round++) {
        next = 0;
        for (size_t n = 0; n <= 40; n++)
            for (size_t pos = 0; pos <= n; pos++) { /* pos == n: the unchanged term */
                char x[48];
                variant(x, n, pos);
                uint32_t got;
                all_ok &=
                    ls_vocab_intern_hashed(h, x, n, 12345u, &got) == LSTATS_OK && got == next++;
            }
    }
    CHECK(all_ok);
    CHECK(h && ls_vocab_size(h) == next);
    ls_vocab_free(h);

    /* Hash: equal bytes give equal hashes at every length; one changed byte changes it. */
    unsigned char a[80], b[80];
    for (int i = 0; i < 80; i++)
        a[i] = b[i] = (unsigned char)(i * 7 + 1);
    int collisions = 0;
    for (size_t n = 1; n <= 80; n++) {
        CHECK(ls_hash_bytes(a, n) == ls_hash_bytes(b, n));
        for (size_t k = 0; k < n; k++) {
            b[k] ^= 1;
            collisions += ls_hash_bytes(a, n) == ls_hash_bytes(b, n);
            b[k] ^= 1;
        }
        collisions += n > 1 && ls_hash_bytes(a, n) == ls_hash_bytes(a, n - 1);
    }
    CHECK(collisions == 0);
    return check_summary();
}

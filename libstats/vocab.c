#include "vocab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "growmem.h"

/* Terms live back to back in one arena; an open-addressing table indexes them. A slot holds the
 * low 32 bits of the term's hash above id + 1 (0 = empty): probes compare hashes without
 * touching the arena, and growing the table needs no rehashing. */
struct ls_vocab {
    char *arena;
    size_t arena_len, arena_cap;
    uint64_t *term_start; /* n + 1 entries */
    uint32_t n, cap_terms;
    uint64_t *slots;
    uint32_t mask; /* slot count - 1; slot count is a power of two */
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t read64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static uint64_t read32(const unsigned char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

uint64_t ls_hash_bytes(const void *data, size_t len)
{
    /* wyhash-style: fixed-size (overlapping) loads instead of a byte loop, since most tokens
     * are 2 to 12 bytes long. */
    const unsigned char *p = data;
    uint64_t a, b;
    if (len <= 16) {
        if (len >= 4) {
            a = (read32(p) << 32) | read32(p + ((len >> 3) << 2));
            b = (read32(p + len - 4) << 32) | read32(p + len - 4 - ((len >> 3) << 2));
        } else if (len > 0) {
            a = ((uint64_t)p[0] << 16) | ((uint64_t)p[len >> 1] << 8) | p[len - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        uint64_t h = 0x9e3779b97f4a7c15ULL;
        size_t i = 0;
        for (; i + 16 < len; i += 16)
            h = mix64(h ^ read64(p + i) ^ mix64(read64(p + i + 8) + h));
        a = read64(p + len - 16) ^ h;
        b = read64(p + len - 8);
    }
    /* wyhash's final mix: one 64x64->128-bit multiply, folded. */
    __uint128_t r = (__uint128_t)(a ^ 0xa0761d6478bd642fULL) * (b ^ 0xe7037ed1a0b428dbULL ^ len);
    uint64_t h = (uint64_t)r ^ (uint64_t)(r >> 64);
    return h ^ (h >> 29);
}

ls_vocab *ls_vocab_new(void)
{
    ls_vocab *v = calloc(1, sizeof *v);
    if (!v)
        goto fail;
    v->cap_terms = 1024;
    v->term_start = malloc((size_t)(v->cap_terms + 1) * sizeof *v->term_start);
    v->slots = calloc(2048, sizeof *v->slots);
    v->arena_cap = 16384;
    v->arena = malloc(v->arena_cap);
    if (!v->term_start || !v->slots || !v->arena)
        goto fail;
    v->mask = 2047;
    v->term_start[0] = 0;
    return v;
fail:
    ls_vocab_free(v);
    ls_error_nomem();
    return NULL;
}

void ls_vocab_free(ls_vocab *v)
{
    if (!v)
        return;
    free(v->arena);
    free(v->term_start);
    free(v->slots);
    free(v);
}

ls_vocab *ls_vocab_copy(const ls_vocab *v)
{
    ls_vocab *c = calloc(1, sizeof *c);
    if (!c)
        goto fail;
    *c = *v;
    c->arena = malloc(v->arena_cap);
    c->term_start = malloc((size_t)(v->cap_terms + 1) * sizeof *v->term_start);
    c->slots = malloc(((size_t)v->mask + 1) * sizeof *v->slots);
    if (!c->arena || !c->term_start || !c->slots)
        goto fail;
    memcpy(c->arena, v->arena, v->arena_len);
    memcpy(c->term_start, v->term_start, ((size_t)v->n + 1) * sizeof *v->term_start);
    memcpy(c->slots, v->slots, ((size_t)v->mask + 1) * sizeof *v->slots);
    return c;
fail:
    if (c) {
        free(c->arena);
        free(c->term_start);
        free(c->slots);
        free(c);
    }
    ls_error_nomem();
    return NULL;
}

/* The first and the last w bytes of a and b agree (w <= len <= 2 w; w a constant once inlined,
 * so that the copies are single loads). */
static inline int ends_equal(const char *a, const char *b, size_t len, size_t w)
{
    uint64_t a0 = 0, b0 = 0, a1 = 0, b1 = 0;
    memcpy(&a0, a, w);
    memcpy(&b0, b, w);
    memcpy(&a1, a + len - w, w);
    memcpy(&b1, b + len - w, w);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* Most terms are short: two overlapping loads from each side instead of a memcmp call (a tenth
 * of an ingest's time went to the calls). */
static inline int bytes_equal(const char *a, const char *b, size_t len)
{
    if (len >= 8 && len <= 16)
        return ends_equal(a, b, len, 8);
    if (len >= 4 && len < 8)
        return ends_equal(a, b, len, 4);
    if (len < 4) {
        for (size_t i = 0; i < len; i++)
            if (a[i] != b[i])
                return 0;
        return 1;
    }
    return memcmp(a, b, len) == 0;
}

static int term_equals(const ls_vocab *v, uint32_t id, const char *term, size_t len)
{
    uint64_t s = v->term_start[id];
    return v->term_start[id + 1] - s == len && bytes_equal(v->arena + s, term, len);
}

int ls_vocab_find(const ls_vocab *v, const char *term, size_t len, uint32_t *id_out)
{
    uint32_t h = (uint32_t)ls_hash_bytes(term, len);
    for (uint32_t i = h & v->mask;; i = (i + 1) & v->mask) {
        uint64_t s = v->slots[i];
        if (s == 0)
            return 0;
        if ((uint32_t)(s >> 32) == h && term_equals(v, (uint32_t)s - 1, term, len)) {
            *id_out = (uint32_t)s - 1;
            return 1;
        }
    }
}

static lstats_status grow_slots(ls_vocab *v)
{
    uint32_t new_count = (v->mask + 1) * 2;
    if (new_count == 0)
        return ls_error(LSTATS_ERANGE, "vocabulary too large");
    uint64_t *slots = ls_calloc_written(new_count, sizeof *slots);
    if (!slots)
        return ls_error_nomem();
    uint32_t mask = new_count - 1;
    for (uint32_t k = 0; k <= v->mask; k++) {
        uint64_t s = v->slots[k];
        if (!s)
            continue;
        uint32_t i = (uint32_t)(s >> 32) & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = s;
    }
    free(v->slots);
    v->slots = slots;
    v->mask = mask;
    return LSTATS_OK;
}

uint32_t ls_vocab_prefetch(const ls_vocab *v, const char *term, size_t len)
{
    uint32_t h = (uint32_t)ls_hash_bytes(term, len);
    __builtin_prefetch(&v->slots[h & v->mask]);
    return h;
}

lstats_status ls_vocab_intern(ls_vocab *v, const char *term, size_t len, uint32_t *id_out)
{
    return ls_vocab_intern_hashed(v, term, len, (uint32_t)ls_hash_bytes(term, len), id_out);
}

lstats_status ls_vocab_intern_hashed(ls_vocab *v, const char *term, size_t len, uint32_t h,
                                     uint32_t *id_out)
{
    uint32_t i = h & v->mask;
    for (;; i = (i + 1) & v->mask) {
        uint64_t s = v->slots[i];
        if (s == 0)
            break;
        if ((uint32_t)(s >> 32) == h && term_equals(v, (uint32_t)s - 1, term, len)) {
            *id_out = (uint32_t)s - 1;
            return LSTATS_OK;
        }
    }
    if (v->n == UINT32_MAX - 1)
        return ls_error(LSTATS_ERANGE, "more than 2^32 - 2 distinct terms");
    if (v->n == v->cap_terms) {
        uint32_t cap = v->cap_terms > UINT32_MAX / 2 ? UINT32_MAX - 1 : v->cap_terms * 2;
        uint64_t *ts = realloc(v->term_start, ((size_t)cap + 1) * sizeof *ts);
        if (!ts)
            return ls_error_nomem();
        v->term_start = ts;
        v->cap_terms = cap;
    }
    if (v->arena_len + len > v->arena_cap) {
        size_t cap = v->arena_cap * 2;
        while (cap < v->arena_len + len)
            cap *= 2;
        char *a = realloc(v->arena, cap);
        if (!a)
            return ls_error_nomem();
        v->arena = a;
        v->arena_cap = cap;
    }
    if (len)
        memcpy(v->arena + v->arena_len, term, len);
    v->arena_len += len;
    uint32_t id = v->n++;
    v->term_start[id + 1] = v->arena_len;
    v->slots[i] = ((uint64_t)h << 32) | (id + 1);
    *id_out = id;
    /* Keep the load factor at or below one half. */
    if ((uint64_t)v->n * 2 > (uint64_t)v->mask + 1)
        return grow_slots(v);
    return LSTATS_OK;
}

uint32_t ls_vocab_size(const ls_vocab *v)
{
    return v->n;
}

const char *ls_vocab_term(const ls_vocab *v, uint32_t id, size_t *len_out)
{
    uint64_t s = v->term_start[id];
    *len_out = (size_t)(v->term_start[id + 1] - s);
    return v->arena + s;
}

const char *ls_vocab_arena(const ls_vocab *v, const uint64_t **start_out)
{
    *start_out = v->term_start;
    return v->arena;
}

size_t ls_vocab_memory(const ls_vocab *v)
{
    return v->arena_cap + ((size_t)v->cap_terms + 1) * 8 + ((size_t)v->mask + 1) * 8;
}

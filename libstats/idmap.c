#include "idmap.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "growmem.h"

static uint64_t hash_key(const uint32_t *ids, uint32_t k)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (uint32_t i = 0; i < k; i++) {
        h ^= ids[i];
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
}

lstats_status ls_idmap_alloc(ls_idmap *m, size_t slots, int docs)
{
    m->keys = malloc(slots * m->k * sizeof *m->keys);
    m->count = ls_calloc_written(slots, sizeof *m->count);
    m->docs = docs ? malloc(slots * sizeof *m->docs) : NULL;
    m->last = docs ? malloc(slots * sizeof *m->last) : NULL;
    if (!m->keys || !m->count || (docs && (!m->docs || !m->last))) {
        free(m->keys);
        free(m->count);
        free(m->docs);
        free(m->last);
        m->keys = NULL;
        m->count = m->docs = m->last = NULL;
        return ls_error_nomem();
    }
    m->mask = slots - 1;
    m->used = 0;
    return LSTATS_OK;
}

void ls_idmap_free(ls_idmap *m)
{
    free(m->keys);
    free(m->count);
    free(m->docs);
    free(m->last);
    memset(m, 0, sizeof *m);
}

static int key_eq(const uint32_t *a, const uint32_t *b, uint32_t k)
{
    for (uint32_t i = 0; i < k; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static lstats_status idmap_grow(ls_idmap *m)
{
    ls_idmap old = *m;
    lstats_status st = ls_idmap_alloc(m, (old.mask + 1) * 2, old.docs != NULL);
    if (st) {
        *m = old;
        return st;
    }
    m->used = old.used;
    for (size_t s = 0; s <= old.mask; s++) {
        if (!old.count[s])
            continue;
        const uint32_t *key = old.keys + s * m->k;
        size_t i = hash_key(key, m->k) & m->mask;
        while (m->count[i])
            i = (i + 1) & m->mask;
        memcpy(m->keys + i * m->k, key, m->k * sizeof *key);
        m->count[i] = old.count[s];
        if (m->docs) {
            m->docs[i] = old.docs[s];
            m->last[i] = old.last[s];
        }
    }
    ls_idmap_free(&old);
    return LSTATS_OK;
}

lstats_status ls_idmap_add(ls_idmap *m, const uint32_t *key, uint32_t doc1)
{
    size_t i = hash_key(key, m->k) & m->mask;
    while (m->count[i]) {
        if (key_eq(m->keys + i * m->k, key, m->k)) {
            if (m->count[i] == UINT32_MAX)
                return ls_error(LSTATS_EINVAL, "a count of one n-gram or pair exceeds 2^32 - 1");
            m->count[i]++;
            if (m->docs && m->last[i] != doc1) {
                m->last[i] = doc1;
                m->docs[i]++;
            }
            return LSTATS_OK;
        }
        i = (i + 1) & m->mask;
    }
    memcpy(m->keys + i * m->k, key, m->k * sizeof *key);
    m->count[i] = 1;
    if (m->docs) {
        m->docs[i] = 1;
        m->last[i] = doc1;
    }
    if (++m->used * 10 > (m->mask + 1) * 7)
        return idmap_grow(m);
    return LSTATS_OK;
}

uint32_t ls_idmap_get(const ls_idmap *m, const uint32_t *key)
{
    size_t i = hash_key(key, m->k) & m->mask;
    while (m->count[i]) {
        if (key_eq(m->keys + i * m->k, key, m->k))
            return m->count[i];
        i = (i + 1) & m->mask;
    }
    return 0;
}

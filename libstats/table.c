/* Tables: immutable typed columns plus ordered string metadata; top/sort, take and merge. */
#include "table.h"

#include "error.h"
#include "growmem.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ls_column {
    char *name;
    int type;
    void *data;       /* uint64_t / int64_t / double array of nrows (never NULL) */
    char *blob;       /* string columns: the UTF-8 blob (never NULL) */
    int64_t *offsets; /* string columns: nrows + 1 offsets */
    int block;        /* data or offsets is a mapped block (ls_table_add_block) */
} ls_column;

typedef struct ls_meta {
    char *key;
    char *value;
} ls_meta;

struct lstats_table {
    size_t nrows;
    size_t ncols, cap_cols;
    ls_column *cols;
    size_t nmeta, cap_meta;
    ls_meta *meta;
};

/* ------------------------------------------------------------------ helpers */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* a * b into *out; 0 on overflow. */
static int mul_size(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return 0;
    *out = a * b;
    return 1;
}

uint64_t ls_table_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

int ls_table_utf8_valid(const char *str, size_t len, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, 8 bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            goto bad;
        }
        if (len - i <= need)
            goto bad;
        if (s[i + 1] < lo || s[i + 1] > hi)
            goto bad;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                goto bad;
        i += need + 1;
        continue;
    bad:
        if (bad_offset)
            *bad_offset = i;
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ building */

lstats_table *ls_table_new(size_t nrows)
{
    lstats_table *t = calloc(1, sizeof *t);
    if (!t) {
        ls_error_nomem();
        return NULL;
    }
    t->nrows = nrows;
    return t;
}

/* Frees a column's arrays (of a table of nrows rows). */
static void free_arrays(void *data, char *blob, int64_t *offsets, int block, size_t nrows)
{
    if (block) {
        ls_growmem_free(offsets, (nrows + 1) * sizeof *offsets);
        ls_growmem_free(data, (nrows ? nrows : 1) * sizeof(uint64_t));
    } else {
        free(offsets);
        free(data);
    }
    free(blob);
}

void lstats_table_free(lstats_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++) {
        ls_column *c = &t->cols[i];
        free(c->name);
        free_arrays(c->data, c->blob, c->offsets, c->block, t->nrows);
    }
    free(t->cols);
    for (size_t i = 0; i < t->nmeta; i++) {
        free(t->meta[i].key);
        free(t->meta[i].value);
    }
    free(t->meta);
    free(t);
}

static ls_column *find_column(const lstats_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return &t->cols[i];
    return NULL;
}

/* Appends a column; on failure frees data, blob and offsets. */
static lstats_status add_column(lstats_table *t, const char *name, int type, void *data, char *blob,
                                int64_t *offsets, int block)
{
    lstats_status st;
    if (block && (type == LSTATS_COL_STRING ? !offsets : !data)) {
        st = ls_error(LSTATS_EINVAL, "column '%s': a block column needs its array", name);
        goto fail;
    }
    if (!t || !name) {
        st = ls_error(LSTATS_EINVAL, "add column: table and name must not be NULL");
        goto fail;
    }
    if (find_column(t, name)) {
        st = ls_error(LSTATS_EINVAL, "duplicate column name '%s'", name);
        goto fail;
    }
    if (type == LSTATS_COL_STRING) {
        if (!offsets) {
            st = ls_error(LSTATS_EINVAL, "string column '%s': offsets must not be NULL", name);
            goto fail;
        }
        if (offsets[0] != 0) {
            st = ls_error(LSTATS_EINVAL, "string column '%s': offsets[0] is %" PRId64 ", must be 0",
                          name, offsets[0]);
            goto fail;
        }
        for (size_t i = 0; i < t->nrows; i++) {
            if (offsets[i + 1] < offsets[i]) {
                st = ls_error(LSTATS_EINVAL, "string column '%s': offsets decrease at row %zu",
                              name, i);
                goto fail;
            }
        }
        if (!blob) {
            if (offsets[t->nrows] != 0) {
                st = ls_error(LSTATS_EINVAL, "string column '%s': blob must not be NULL", name);
                goto fail;
            }
            blob = malloc(1);
            if (!blob) {
                st = ls_error_nomem();
                goto fail;
            }
        }
    } else if (!data) {
        if (t->nrows != 0) {
            st = ls_error(LSTATS_EINVAL, "column '%s': data must not be NULL", name);
            goto fail;
        }
        data = malloc(8);
        if (!data) {
            st = ls_error_nomem();
            goto fail;
        }
    }
    if (t->ncols == t->cap_cols) {
        size_t cap = t->cap_cols ? t->cap_cols * 2 : 4;
        ls_column *c = realloc(t->cols, cap * sizeof *c);
        if (!c) {
            st = ls_error_nomem();
            goto fail;
        }
        t->cols = c;
        t->cap_cols = cap;
    }
    char *nm = dup_str(name);
    if (!nm) {
        st = ls_error_nomem();
        goto fail;
    }
    ls_column *c = &t->cols[t->ncols++];
    c->name = nm;
    c->type = type;
    c->data = data;
    c->blob = blob;
    c->offsets = offsets;
    c->block = block;
    return LSTATS_OK;
fail:
    free_arrays(data, blob, offsets, block, t ? t->nrows : 0);
    return st;
}

lstats_status ls_table_add_u64(lstats_table *t, const char *name, uint64_t *data)
{
    return add_column(t, name, LSTATS_COL_U64, data, NULL, NULL, 0);
}

lstats_status ls_table_add_i64(lstats_table *t, const char *name, int64_t *data)
{
    return add_column(t, name, LSTATS_COL_I64, data, NULL, NULL, 0);
}

lstats_status ls_table_add_f64(lstats_table *t, const char *name, double *data)
{
    return add_column(t, name, LSTATS_COL_F64, data, NULL, NULL, 0);
}

lstats_status ls_table_add_string(lstats_table *t, const char *name, char *blob, int64_t *offsets)
{
    return add_column(t, name, LSTATS_COL_STRING, NULL, blob, offsets, 0);
}

lstats_status ls_table_add_block(lstats_table *t, const char *name, int type, void *data,
                                 char *blob, int64_t *offsets)
{
    return type == LSTATS_COL_STRING ? add_column(t, name, type, NULL, blob, offsets, 1)
                                     : add_column(t, name, type, data, NULL, NULL, 1);
}

lstats_status ls_table_set_meta(lstats_table *t, const char *key, const char *value)
{
    if (!t || !key || !value)
        return ls_error(LSTATS_EINVAL, "set meta: table, key and value must not be NULL");
    char *v = dup_str(value);
    if (!v)
        return ls_error_nomem();
    for (size_t i = 0; i < t->nmeta; i++) {
        if (strcmp(t->meta[i].key, key) == 0) {
            free(t->meta[i].value);
            t->meta[i].value = v;
            return LSTATS_OK;
        }
    }
    if (t->nmeta == t->cap_meta) {
        size_t cap = t->cap_meta ? t->cap_meta * 2 : 8;
        ls_meta *m = realloc(t->meta, cap * sizeof *m);
        if (!m) {
            free(v);
            return ls_error_nomem();
        }
        t->meta = m;
        t->cap_meta = cap;
    }
    char *k = dup_str(key);
    if (!k) {
        free(v);
        return ls_error_nomem();
    }
    t->meta[t->nmeta].key = k;
    t->meta[t->nmeta].value = v;
    t->nmeta++;
    return LSTATS_OK;
}

lstats_status ls_table_set_meta_u64(lstats_table *t, const char *key, uint64_t value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRIu64, value);
    return ls_table_set_meta(t, key, buf);
}

lstats_status ls_table_copy_meta(lstats_table *dst, const lstats_table *src)
{
    if (!dst || !src)
        return ls_error(LSTATS_EINVAL, "copy meta: tables must not be NULL");
    for (size_t i = 0; i < src->nmeta; i++) {
        lstats_status st = ls_table_set_meta(dst, src->meta[i].key, src->meta[i].value);
        if (st)
            return st;
    }
    return LSTATS_OK;
}

int ls_table_meta_u64(const lstats_table *t, const char *key, uint64_t *out)
{
    const char *v = lstats_table_meta_get(t, key);
    if (!v)
        return 0;
    if (!*v)
        return -1;
    uint64_t x = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (x > (UINT64_MAX - d) / 10)
            return -1;
        x = x * 10 + d;
    }
    *out = x;
    return 1;
}

/* ------------------------------------------------------------------ accessors */

const uint64_t *ls_table_u64(const lstats_table *t, const char *name)
{
    if (!t || !name)
        return NULL;
    ls_column *c = find_column(t, name);
    return c && c->type == LSTATS_COL_U64 ? c->data : NULL;
}

const double *ls_table_f64(const lstats_table *t, const char *name)
{
    if (!t || !name)
        return NULL;
    ls_column *c = find_column(t, name);
    return c && c->type == LSTATS_COL_F64 ? c->data : NULL;
}

const char *ls_table_string(const lstats_table *t, const char *name, const int64_t **offsets)
{
    if (!t || !name)
        return NULL;
    ls_column *c = find_column(t, name);
    if (!c || c->type != LSTATS_COL_STRING)
        return NULL;
    if (offsets)
        *offsets = c->offsets;
    return c->blob;
}

size_t lstats_table_nrows(const lstats_table *t)
{
    return t ? t->nrows : 0;
}

size_t lstats_table_ncols(const lstats_table *t)
{
    return t ? t->ncols : 0;
}

const char *lstats_table_column_name(const lstats_table *t, size_t col)
{
    return t && col < t->ncols ? t->cols[col].name : NULL;
}

int lstats_table_column_type(const lstats_table *t, size_t col)
{
    return t && col < t->ncols ? t->cols[col].type : 0;
}

lstats_status lstats_table_column_index(const lstats_table *t, const char *name, size_t *col_out)
{
    if (!t || !name || !col_out)
        return ls_error(LSTATS_EINVAL, "column_index: table, name and col_out must not be NULL");
    for (size_t i = 0; i < t->ncols; i++) {
        if (strcmp(t->cols[i].name, name) == 0) {
            *col_out = i;
            return LSTATS_OK;
        }
    }
    return ls_error(LSTATS_ENOTFOUND, "no column named '%s'", name);
}

static const char *type_name(int type)
{
    switch (type) {
    case LSTATS_COL_STRING: return "string";
    case LSTATS_COL_U64: return "u64";
    case LSTATS_COL_I64: return "i64";
    case LSTATS_COL_F64: return "f64";
    default: return "unknown";
    }
}

static lstats_status get_column(const lstats_table *t, size_t col, int type, const void *out,
                                const ls_column **c_out)
{
    if (!t || !out)
        return ls_error(LSTATS_EINVAL, "column access: table and output must not be NULL");
    if (col >= t->ncols)
        return ls_error(LSTATS_EINVAL, "column %zu out of range (table has %zu columns)", col,
                        t->ncols);
    const ls_column *c = &t->cols[col];
    if (c->type != type)
        return ls_error(LSTATS_EINVAL, "column '%s' is of type %s, not %s", c->name,
                        type_name(c->type), type_name(type));
    *c_out = c;
    return LSTATS_OK;
}

lstats_status lstats_table_column_u64(const lstats_table *t, size_t col, const uint64_t **out)
{
    const ls_column *c = NULL;
    lstats_status st = get_column(t, col, LSTATS_COL_U64, out, &c);
    if (st)
        return st;
    *out = c->data;
    return LSTATS_OK;
}

lstats_status lstats_table_column_i64(const lstats_table *t, size_t col, const int64_t **out)
{
    const ls_column *c = NULL;
    lstats_status st = get_column(t, col, LSTATS_COL_I64, out, &c);
    if (st)
        return st;
    *out = c->data;
    return LSTATS_OK;
}

lstats_status lstats_table_column_f64(const lstats_table *t, size_t col, const double **out)
{
    const ls_column *c = NULL;
    lstats_status st = get_column(t, col, LSTATS_COL_F64, out, &c);
    if (st)
        return st;
    *out = c->data;
    return LSTATS_OK;
}

lstats_status lstats_table_column_string(const lstats_table *t, size_t col, const char **blob_out,
                                         const int64_t **offsets_out)
{
    const ls_column *c = NULL;
    lstats_status st = get_column(t, col, LSTATS_COL_STRING, blob_out, &c);
    if (st)
        return st;
    if (!offsets_out)
        return ls_error(LSTATS_EINVAL, "column access: offsets_out must not be NULL");
    *blob_out = c->blob;
    *offsets_out = c->offsets;
    return LSTATS_OK;
}

size_t lstats_table_meta_count(const lstats_table *t)
{
    return t ? t->nmeta : 0;
}

const char *lstats_table_meta_key(const lstats_table *t, size_t i)
{
    return t && i < t->nmeta ? t->meta[i].key : NULL;
}

const char *lstats_table_meta_value(const lstats_table *t, size_t i)
{
    return t && i < t->nmeta ? t->meta[i].value : NULL;
}

const char *lstats_table_meta_get(const lstats_table *t, const char *key)
{
    if (!t || !key)
        return NULL;
    for (size_t i = 0; i < t->nmeta; i++)
        if (strcmp(t->meta[i].key, key) == 0)
            return t->meta[i].value;
    return NULL;
}

/* ------------------------------------------------------------------ take */

/* A new table of rows[0..n) (assumed < nrows), all columns, meta copied. */
static lstats_status gather(const lstats_table *t, const size_t *rows, size_t n, lstats_table **out)
{
    lstats_table *r = ls_table_new(n);
    if (!r)
        return LSTATS_ENOMEM;
    lstats_status st = LSTATS_OK;
    size_t bytes;
    if (!mul_size(n ? n : 1, 8, &bytes)) {
        st = ls_error(LSTATS_ERANGE, "table of %zu rows is too large", n);
        goto fail;
    }
    for (size_t ci = 0; ci < t->ncols; ci++) {
        const ls_column *c = &t->cols[ci];
        if (c->type == LSTATS_COL_STRING) {
            size_t total = 0;
            for (size_t i = 0; i < n; i++) {
                size_t len = (size_t)(c->offsets[rows[i] + 1] - c->offsets[rows[i]]);
                if (len > SIZE_MAX - total || total + len > INT64_MAX) {
                    st = ls_error(LSTATS_ERANGE, "string column '%s' too large", c->name);
                    goto fail;
                }
                total += len;
            }
            int64_t *off = malloc(bytes + 8);
            char *blob = malloc(total ? total : 1);
            if (!off || !blob) {
                free(off);
                free(blob);
                st = ls_error_nomem();
                goto fail;
            }
            size_t pos = 0;
            off[0] = 0;
            for (size_t i = 0; i < n; i++) {
                int64_t s = c->offsets[rows[i]];
                size_t len = (size_t)(c->offsets[rows[i] + 1] - s);
                memcpy(blob + pos, c->blob + s, len);
                pos += len;
                off[i + 1] = (int64_t)pos;
            }
            st = ls_table_add_string(r, c->name, blob, off);
        } else {
            uint64_t *d = malloc(bytes);
            if (!d) {
                st = ls_error_nomem();
                goto fail;
            }
            const uint64_t *src = c->data; /* all numeric types are 8 bytes: copy bit patterns */
            for (size_t i = 0; i < n; i++)
                memcpy(&d[i], &src[rows[i]], 8);
            st = add_column(r, c->name, c->type, d, NULL, NULL, 0);
        }
        if (st)
            goto fail;
    }
    st = ls_table_copy_meta(r, t);
    if (st)
        goto fail;
    *out = r;
    return LSTATS_OK;
fail:
    lstats_table_free(r);
    return st;
}

lstats_status lstats_table_take(const lstats_table *t, const size_t *rows, size_t n,
                                lstats_table **out)
{
    if (!t || !out || (!rows && n > 0))
        return ls_error(LSTATS_EINVAL, "take: table, rows and out must not be NULL");
    for (size_t i = 0; i < n; i++)
        if (rows[i] >= t->nrows)
            return ls_error(LSTATS_EINVAL,
                            "take: row %zu (at position %zu) out of range, "
                            "table has %zu rows",
                            rows[i], i, t->nrows);
    return gather(t, rows, n, out);
}

/* ------------------------------------------------------------------ top / sort */

typedef struct sort_ent {
    uint64_t key; /* numeric: order-preserving transform; string: first 8 bytes, big-endian */
    uint64_t tie; /* first 8 bytes of the tie-break string, big-endian (0 when none) */
    size_t row;
} sort_ent;

typedef struct sort_ctx {
    int by_string;
    int descending;
    const char *bblob; /* the `by` string column */
    const int64_t *boff;
    const char *tblob; /* the tie-break string column (first string column) or NULL */
    const int64_t *toff;
} sort_ctx;

static int cmp_bytes(const char *blob, const int64_t *off, size_t a, size_t b)
{
    size_t la = (size_t)(off[a + 1] - off[a]), lb = (size_t)(off[b + 1] - off[b]);
    size_t m = la < lb ? la : lb;
    int c = m ? memcmp(blob + off[a], blob + off[b], m) : 0;
    if (c)
        return c;
    return la < lb ? -1 : la > lb;
}

/* <0 when x sorts before y. Total order: the row index breaks the last ties (stability). */
static int sort_cmp(const sort_ctx *cx, const sort_ent *x, const sort_ent *y)
{
    /* Keys decide first; equal string prefixes fall back to the full bytes. */
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (cx->by_string) {
        int c = cmp_bytes(cx->bblob, cx->boff, x->row, y->row);
        if (c)
            return cx->descending ? -c : c;
    }
    if (cx->tblob && !(cx->by_string && cx->tblob == cx->bblob)) {
        if (x->tie != y->tie)
            return x->tie < y->tie ? -1 : 1;
        int c = cmp_bytes(cx->tblob, cx->toff, x->row, y->row);
        if (c)
            return c;
    }
    return x->row < y->row ? -1 : x->row > y->row;
}

/* The first 8 bytes of row `row` as a big-endian integer, zero-padded. */
static uint64_t prefix_key(const char *blob, const int64_t *off, size_t row)
{
    size_t len = (size_t)(off[row + 1] - off[row]);
    const unsigned char *p = (const unsigned char *)blob + off[row];
    uint64_t k = 0;
    for (size_t i = 0; i < 8; i++)
        k = (k << 8) | (i < len ? p[i] : 0);
    return k;
}

static uint64_t numeric_key(const ls_column *c, size_t row, int descending);

static sort_ent make_ent(const sort_ctx *cx, const ls_column *bc, size_t row)
{
    sort_ent e;
    if (cx->by_string) {
        e.key = prefix_key(cx->bblob, cx->boff, row);
        if (cx->descending)
            e.key = ~e.key;
    } else {
        e.key = numeric_key(bc, row, cx->descending);
    }
    e.tie = cx->tblob ? prefix_key(cx->tblob, cx->toff, row) : 0;
    e.row = row;
    return e;
}

/* Bottom-up merge sort of a[0..n) using tmp[0..n); the sorted result ends in a. */
static void merge_sort(const sort_ctx *cx, sort_ent *a, sort_ent *tmp, size_t n)
{
    /* Insertion-sort runs of 16 first. */
    const size_t run = 16;
    for (size_t lo = 0; lo < n; lo += run) {
        size_t hi = lo + run < n ? lo + run : n;
        for (size_t i = lo + 1; i < hi; i++) {
            sort_ent v = a[i];
            size_t j = i;
            while (j > lo && sort_cmp(cx, &v, &a[j - 1]) < 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
    }
    sort_ent *src = a, *dst = tmp;
    for (size_t w = run; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            if (mid == hi || sort_cmp(cx, &src[mid - 1], &src[mid]) <= 0) {
                memcpy(dst + lo, src + lo, (hi - lo) * sizeof *src);
                continue;
            }
            while (i < mid && j < hi)
                dst[k++] = sort_cmp(cx, &src[j], &src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        sort_ent *s = src;
        src = dst;
        dst = s;
        if (w > SIZE_MAX / 4)
            break;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* Max-heap on sort_cmp (the root is the worst of the best k kept so far). */
static void heap_sift_down(const sort_ctx *cx, sort_ent *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && sort_cmp(cx, &h[l], &h[m]) > 0)
            m = l;
        if (r < n && sort_cmp(cx, &h[r], &h[m]) > 0)
            m = r;
        if (m == i)
            return;
        sort_ent s = h[i];
        h[i] = h[m];
        h[m] = s;
        i = m;
    }
}

static uint64_t numeric_key(const ls_column *c, size_t row, int descending)
{
    uint64_t k;
    if (c->type == LSTATS_COL_U64) {
        k = ((const uint64_t *)c->data)[row];
    } else if (c->type == LSTATS_COL_I64) {
        k = (uint64_t)((const int64_t *)c->data)[row] ^ (UINT64_C(1) << 63);
    } else {
        double d = ((const double *)c->data)[row];
        if (isnan(d))
            return UINT64_MAX; /* NaN last in both directions */
        if (d == 0)
            d = 0; /* -0 == +0 */
        memcpy(&k, &d, 8);
        k = (k & (UINT64_C(1) << 63)) ? ~k : k | (UINT64_C(1) << 63);
        /* A non-NaN double never maps to 0 or UINT64_MAX, so NaN stays strictly last. */
    }
    return descending ? ~k : k;
}

/* Sorted row order of `t` by column `by`; the first k rows only when 0 < k < nrows. */
static lstats_status sort_rows(const lstats_table *t, const char *by, int descending, size_t k,
                               size_t **rows_out, size_t *n_out)
{
    const ls_column *bc = find_column(t, by);
    if (!bc)
        return ls_error(LSTATS_ENOTFOUND, "top: no column named '%s'", by);
    size_t n = t->nrows;
    sort_ctx cx = {0};
    cx.by_string = bc->type == LSTATS_COL_STRING;
    cx.descending = descending != 0;
    cx.bblob = bc->blob;
    cx.boff = bc->offsets;
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].type == LSTATS_COL_STRING) {
            cx.tblob = t->cols[i].blob;
            cx.toff = t->cols[i].offsets;
            break;
        }
    }
    size_t keep = (k == 0 || k > n) ? n : k;
    size_t bytes;
    if (!mul_size(n ? n : 1, sizeof(sort_ent), &bytes))
        return ls_error(LSTATS_ERANGE, "top: table of %zu rows is too large", n);
    size_t *rows = malloc(keep ? keep * sizeof *rows : 1);
    if (!rows)
        return ls_error_nomem();
    if (keep < n / 8) {
        /* Partial selection: a max-heap of the best `keep` rows, O(n log k). */
        sort_ent *h = malloc(2 * keep * sizeof *h + 1);
        if (!h) {
            free(rows);
            return ls_error_nomem();
        }
        size_t hn = 0;
        for (size_t i = 0; i < n; i++) {
            sort_ent e = make_ent(&cx, bc, i);
            if (hn < keep) {
                h[hn++] = e;
                for (size_t j = hn - 1; j > 0;) {
                    size_t p = (j - 1) / 2;
                    if (sort_cmp(&cx, &h[j], &h[p]) <= 0)
                        break;
                    sort_ent s = h[j];
                    h[j] = h[p];
                    h[p] = s;
                    j = p;
                }
            } else if (sort_cmp(&cx, &e, &h[0]) < 0) {
                h[0] = e;
                heap_sift_down(&cx, h, hn, 0);
            }
        }
        merge_sort(&cx, h, h + keep, hn);
        for (size_t i = 0; i < keep; i++)
            rows[i] = h[i].row;
        free(h);
    } else {
        sort_ent *a = malloc(bytes);
        sort_ent *tmp = malloc(bytes);
        if (!a || !tmp) {
            free(a);
            free(tmp);
            free(rows);
            return ls_error_nomem();
        }
        for (size_t i = 0; i < n; i++)
            a[i] = make_ent(&cx, bc, i);
        merge_sort(&cx, a, tmp, n);
        for (size_t i = 0; i < keep; i++)
            rows[i] = a[i].row;
        free(a);
        free(tmp);
    }
    *rows_out = rows;
    *n_out = keep;
    return LSTATS_OK;
}

lstats_status lstats_table_top(const lstats_table *t, const char *by, int descending, size_t k,
                               lstats_table **out)
{
    if (!t || !by || !out)
        return ls_error(LSTATS_EINVAL, "top: table, by and out must not be NULL");
    size_t *rows = NULL, n = 0;
    lstats_status st = sort_rows(t, by, descending, k, &rows, &n);
    if (st)
        return st;
    st = gather(t, rows, n, out);
    free(rows);
    return st;
}

/* ------------------------------------------------------------------ merge */

/* Settings that must agree for counts to be comparable. */
static const char *const setting_keys[] = {"tokenizer",    "normalize", "lowercase", "keep_punct",
                                           "drop_numbers", "locale",    "compounds", "icu_version"};
#define N_SETTING_KEYS (sizeof setting_keys / sizeof setting_keys[0])

/* Bytes of s to print, at most max, cut at a UTF-8 character boundary. */
static int cut_len(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return (int)len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return (int)max;
}

/* 1 when `list` (comma-separated) contains `key`. */
static int list_has(const char *list, const char *key)
{
    if (!list)
        return 0;
    size_t kl = strlen(key);
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == kl && memcmp(p, key, kl) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static int str_eq_opt(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

typedef struct merge_in {
    const lstats_table *t;
    const char *blob;
    const int64_t *off;
    const uint64_t *count;
    const uint64_t *doc; /* NULL when absent */
    uint64_t n_tokens;
    uint64_t n_docs;
    int has_n_docs;
    uint64_t min_count;
} merge_in;

static lstats_status merge_check(const lstats_table *t, const char *which, merge_in *in)
{
    in->t = t;
    const char *kind = lstats_table_meta_get(t, "kind");
    if (!kind || strcmp(kind, "frequency") != 0)
        return ls_error(LSTATS_EINVAL, "merge: table %s is not a frequency table (kind '%s')",
                        which, kind ? kind : "(none)");
    in->blob = ls_table_string(t, "term", &in->off);
    if (!in->blob)
        return ls_error(LSTATS_EINVAL, "merge: table %s has no string column 'term'", which);
    in->count = ls_table_u64(t, "count");
    if (!in->count)
        return ls_error(LSTATS_EINVAL, "merge: table %s has no u64 column 'count'", which);
    in->doc = ls_table_u64(t, "doc_count");
    int r = ls_table_meta_u64(t, "n_tokens", &in->n_tokens);
    if (r < 0)
        return ls_error(LSTATS_EINVAL, "merge: table %s has an invalid n_tokens '%s'", which,
                        lstats_table_meta_get(t, "n_tokens"));
    if (r == 0) {
        /* No recorded denominator: use the sum of the counts. */
        in->n_tokens = 0;
        for (size_t i = 0; i < t->nrows; i++) {
            if (in->count[i] > UINT64_MAX - in->n_tokens)
                return ls_error(LSTATS_ERANGE, "merge: counts of table %s overflow", which);
            in->n_tokens += in->count[i];
        }
    }
    r = ls_table_meta_u64(t, "n_docs", &in->n_docs);
    if (r < 0)
        return ls_error(LSTATS_EINVAL, "merge: table %s has an invalid n_docs '%s'", which,
                        lstats_table_meta_get(t, "n_docs"));
    in->has_n_docs = r == 1;
    r = ls_table_meta_u64(t, "min_count", &in->min_count);
    if (r < 0)
        return ls_error(LSTATS_EINVAL, "merge: table %s has an invalid min_count '%s'", which,
                        lstats_table_meta_get(t, "min_count"));
    if (r == 0)
        in->min_count = 1;
    return LSTATS_OK;
}

/*
 * Merging frequency tables. Terms are matched bytewise through an open-addressing hash map
 * (FNV-1a); counts and document counts are summed (LSTATS_ERANGE on overflow), n_tokens and
 * n_docs added and per_million recomputed from the summed n_tokens.
 *
 * Approximation: a table built with min_count > 1 lacks the terms counted fewer times than
 * that, so a term just under the threshold in one input contributes nothing from it; the
 * merged counts are then lower bounds. The result keeps the larger min_count and records
 * "merged_after_min_count" = "1" so that callers can tell.
 */
lstats_status lstats_table_merge(const lstats_table *a, const lstats_table *b, lstats_table **out)
{
    if (!a || !b || !out)
        return ls_error(LSTATS_EINVAL, "merge: tables and out must not be NULL");
    merge_in in[2];
    lstats_status st = merge_check(a, "a", &in[0]);
    if (st)
        return st;
    st = merge_check(b, "b", &in[1]);
    if (st)
        return st;
    const char *na = lstats_table_meta_get(a, "n"), *nb = lstats_table_meta_get(b, "n");
    if (!str_eq_opt(na, nb))
        return ls_error(LSTATS_EINVAL,
                        "merge: n-gram sizes differ (a has n=%s, b has n=%s); only tables of "
                        "the same n can be merged",
                        na ? na : "(none)", nb ? nb : "(none)");
    if (in[0].n_tokens > UINT64_MAX - in[1].n_tokens)
        return ls_error(LSTATS_ERANGE, "merge: n_tokens overflows (%" PRIu64 " + %" PRIu64 ")",
                        in[0].n_tokens, in[1].n_tokens);
    if (in[0].has_n_docs && in[1].has_n_docs && in[0].n_docs > UINT64_MAX - in[1].n_docs)
        return ls_error(LSTATS_ERANGE, "merge: n_docs overflows");
    int with_doc = in[0].doc && in[1].doc;

    size_t total = a->nrows;
    if (b->nrows > SIZE_MAX / 4 - total)
        return ls_error(LSTATS_ERANGE, "merge: tables too large");
    total += b->nrows;
    size_t cap = 16;
    while (cap < total * 2)
        cap *= 2;

    size_t *slots = calloc(cap, sizeof *slots);         /* result index + 1; 0 = empty */
    uint64_t *hashes = malloc((total ? total : 1) * 8); /* per result row */
    uint32_t *src_tab = malloc((total ? total : 1) * sizeof *src_tab);
    size_t *src_row = malloc((total ? total : 1) * sizeof *src_row);
    uint64_t *count = malloc((total ? total : 1) * 8);
    uint64_t *doc = with_doc ? malloc((total ? total : 1) * 8) : NULL;
    double *pm = NULL;
    int64_t *off = NULL;
    char *blob = NULL;
    lstats_table *r = NULL, *sorted = NULL;
    if (!slots || !hashes || !src_tab || !src_row || !count || (with_doc && !doc)) {
        st = ls_error_nomem();
        goto done;
    }
    size_t nres = 0, blob_len = 0;
    for (uint32_t ti = 0; ti < 2; ti++) {
        const merge_in *m = &in[ti];
        for (size_t i = 0; i < m->t->nrows; i++) {
            const char *term = m->blob + m->off[i];
            size_t len = (size_t)(m->off[i + 1] - m->off[i]);
            uint64_t h = ls_table_hash(term, len);
            size_t pos = (size_t)h & (cap - 1);
            for (;;) {
                size_t s = slots[pos];
                if (s == 0) {
                    slots[pos] = nres + 1;
                    hashes[nres] = h;
                    src_tab[nres] = ti;
                    src_row[nres] = i;
                    count[nres] = m->count[i];
                    if (with_doc)
                        doc[nres] = m->doc[i];
                    nres++;
                    blob_len += len;
                    break;
                }
                s--;
                if (hashes[s] == h) {
                    const merge_in *o = &in[src_tab[s]];
                    size_t ol = (size_t)(o->off[src_row[s] + 1] - o->off[src_row[s]]);
                    if (ol == len && memcmp(o->blob + o->off[src_row[s]], term, len) == 0) {
                        if (count[s] > UINT64_MAX - m->count[i]) {
                            st = ls_error(LSTATS_ERANGE,
                                          "merge: count of term '%.*s' overflows uint64",
                                          cut_len(term, len, 200), term);
                            goto done;
                        }
                        count[s] += m->count[i];
                        if (with_doc) {
                            if (doc[s] > UINT64_MAX - m->doc[i]) {
                                st = ls_error(LSTATS_ERANGE,
                                              "merge: doc_count of term '%.*s' overflows uint64",
                                              cut_len(term, len, 200), term);
                                goto done;
                            }
                            doc[s] += m->doc[i];
                        }
                        break;
                    }
                }
                pos = (pos + 1) & (cap - 1);
            }
        }
    }
    free(slots);
    slots = NULL;
    free(hashes);
    hashes = NULL;

    off = malloc((nres + 1) * sizeof *off);
    blob = malloc(blob_len ? blob_len : 1);
    pm = malloc((nres ? nres : 1) * sizeof *pm);
    if (!off || !blob || !pm) {
        st = ls_error_nomem();
        goto done;
    }
    uint64_t n_tokens = in[0].n_tokens + in[1].n_tokens;
    size_t p = 0;
    off[0] = 0;
    for (size_t i = 0; i < nres; i++) {
        const merge_in *o = &in[src_tab[i]];
        size_t s = (size_t)o->off[src_row[i]];
        size_t len = (size_t)o->off[src_row[i] + 1] - s;
        memcpy(blob + p, o->blob + s, len);
        p += len;
        off[i + 1] = (int64_t)p;
        pm[i] = n_tokens ? (double)count[i] * 1e6 / (double)n_tokens : 0.0;
    }
    r = ls_table_new(nres);
    if (!r) {
        st = LSTATS_ENOMEM;
        goto done;
    }
    st = ls_table_add_string(r, "term", blob, off);
    blob = NULL;
    off = NULL;
    if (!st) {
        st = ls_table_add_u64(r, "count", count);
        count = NULL;
    }
    if (!st) {
        st = ls_table_add_f64(r, "per_million", pm);
        pm = NULL;
    }
    if (!st && with_doc) {
        st = ls_table_add_u64(r, "doc_count", doc);
        doc = NULL;
    }
    if (st)
        goto done;

    /* Metadata: a's, then the summed sizes and the merge annotations. */
    for (size_t i = 0; i < a->nmeta && !st; i++) {
        const char *k = a->meta[i].key;
        if (strcmp(k, "n_docs") == 0 && !(in[0].has_n_docs && in[1].has_n_docs))
            continue; /* unknown for the union */
        st = ls_table_set_meta(r, k, a->meta[i].value);
    }
    if (!st)
        st = ls_table_set_meta_u64(r, "n_tokens", n_tokens);
    if (!st && in[0].has_n_docs && in[1].has_n_docs)
        st = ls_table_set_meta_u64(r, "n_docs", in[0].n_docs + in[1].n_docs);
    if (!st && (in[0].min_count > 1 || in[1].min_count > 1)) {
        uint64_t mc = in[0].min_count > in[1].min_count ? in[0].min_count : in[1].min_count;
        st = ls_table_set_meta_u64(r, "min_count", mc);
        if (!st)
            st = ls_table_set_meta(r, "merged_after_min_count", "1");
    }
    if (!st) {
        /* Differing settings of this merge, plus those already recorded in either input. */
        char list[256];
        size_t lp = 0;
        list[0] = '\0';
        const char *ma = lstats_table_meta_get(a, "settings_mismatch");
        const char *mb = lstats_table_meta_get(b, "settings_mismatch");
        for (size_t i = 0; i < N_SETTING_KEYS; i++) {
            const char *k = setting_keys[i];
            if (!str_eq_opt(lstats_table_meta_get(a, k), lstats_table_meta_get(b, k)) ||
                list_has(ma, k) || list_has(mb, k))
                lp += (size_t)snprintf(list + lp, sizeof list - lp, "%s%s", lp ? "," : "", k);
        }
        if (lp)
            st = ls_table_set_meta(r, "settings_mismatch", list);
    }
    if (st)
        goto done;
    st = lstats_table_top(r, "count", 1, 0, &sorted);
    if (!st) {
        *out = sorted;
        sorted = NULL;
    }
done:
    free(slots);
    free(hashes);
    free(src_tab);
    free(src_row);
    free(count);
    free(doc);
    free(pm);
    free(off);
    free(blob);
    lstats_table_free(r);
    return st;
}

lstats_status ls_table_add_cstrings(lstats_table *t, const char *name, const char *const *s,
                                    size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(s[i]);
    char *blob = malloc(total ? total : 1);
    int64_t *off = malloc((n + 1) * sizeof *off);
    if (!blob || !off) {
        free(blob);
        free(off);
        return ls_error_nomem();
    }
    size_t p = 0;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(s[i]);
        memcpy(blob + p, s[i], len);
        p += len;
        off[i + 1] = (int64_t)p;
    }
    return ls_table_add_string(t, name, blob, off);
}

/*
 * Saved tables (lstats_table_save / load / dump / undump) and TSV output.
 *
 * File format, version 1. All integers are little-endian with explicit sizes.
 *
 *   offset  size  field
 *   0       8     magic "LSTATSTB"
 *   8       4     uint32 format version (1)
 *   12      4     uint32 flags (0; anything else is refused)
 *   16      8     uint64 uncompressed payload size U
 *   24      8     uint64 compressed payload size C
 *   32      C     the payload, zlib-compressed (RFC 1950 stream, deflate level 1)
 *   32 + C  4     uint32 CRC-32 (zlib's crc32) of bytes 8 .. 32 + C, i.e. everything from the
 *                 format version up to the end of the compressed payload
 *
 * The file is exactly 36 + C bytes long. The payload (U bytes once inflated) is:
 *
 *   uint64 nrows
 *   uint32 ncols
 *   uint32 nmeta
 *   nmeta times:  uint32 key length, key bytes, uint32 value length, value bytes
 *   ncols times:  uint32 name length, name bytes, uint32 type (1 string, 2 u64, 3 i64, 4 f64),
 *                 then the data:
 *                   u64 / i64 / f64: nrows * 8 bytes (IEEE-754 binary64 for f64)
 *                   string: (nrows + 1) int64 offsets (offsets[0] = 0, non-decreasing), then
 *                           offsets[nrows] bytes of UTF-8 blob; row i is
 *                           blob[offsets[i] .. offsets[i + 1])
 *
 * Strings (keys, values, names, rows) are UTF-8 without terminator; keys, values and names
 * contain no NUL byte. Nothing follows the last column.
 *
 * Loading checks, in this order, failing with LSTATS_EFORMAT and a message naming the fault:
 * file length (at least 36 bytes), magic, version, the declared compressed size against the
 * file size, the CRC, the flags, the declared uncompressed size (against the 1032:1 maximum
 * deflate ratio, so a corrupt size never causes a huge allocation), inflation to exactly U
 * bytes, then every payload field (lengths within the payload, type codes, offsets monotone and
 * within the blob, strict UTF-8, unique column names and keys, no trailing bytes).
 */
#define _POSIX_C_SOURCE 200809L

#include "error.h"
#include "table.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define TB_MAGIC       "LSTATSTB"
#define TB_VERSION     1u
#define TB_HEADER_SIZE 32u
#define TB_MIN_SIZE    (TB_HEADER_SIZE + 4u)
#define TB_CHUNK       (256u * 1024u)
/* zlib level 1: saves about 5x faster than level 6 for files about 3% larger. */
#define TB_LEVEL 1

void lstats_buffer_free(void *buffer)
{
    free(buffer);
}

/* ------------------------------------------------------------------ little-endian helpers */

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t get_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static int host_is_le(void)
{
    const uint16_t one = 1;
    unsigned char c;
    memcpy(&c, &one, 1);
    return c == 1;
}

static uint32_t crc_bytes(uint32_t crc, const unsigned char *p, size_t n)
{
    while (n > 0) {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        crc = (uint32_t)crc32(crc, p, chunk);
        p += chunk;
        n -= chunk;
    }
    return crc;
}

static void errno_text(int err, char *buf, size_t size)
{
    if (strerror_r(err, buf, size) != 0)
        snprintf(buf, size, "error %d", err);
}

/* ------------------------------------------------------------------ dump (streaming deflate) */

typedef struct writer {
    z_stream zs;
    unsigned char stage[TB_CHUNK];
    size_t staged;
    unsigned char *out; /* header + compressed payload (+ CRC at the end) */
    size_t out_len, out_cap;
} writer;

static lstats_status out_reserve(writer *w, size_t extra)
{
    if (w->out_cap - w->out_len >= extra)
        return LSTATS_OK;
    size_t cap = w->out_cap;
    while (cap - w->out_len < extra) {
        if (cap > SIZE_MAX / 2)
            return ls_error(LSTATS_ERANGE, "dump: table too large");
        cap = cap + cap / 2 + TB_CHUNK;
    }
    unsigned char *p = realloc(w->out, cap);
    if (!p)
        return ls_error_nomem();
    w->out = p;
    w->out_cap = cap;
    return LSTATS_OK;
}

/* Deflates the staged bytes (all of them when `flush` is Z_FINISH, until the stream ends). */
static lstats_status deflate_stage(writer *w, int flush)
{
    w->zs.next_in = w->stage;
    w->zs.avail_in = (uInt)w->staged;
    for (;;) {
        lstats_status st = out_reserve(w, TB_CHUNK);
        if (st)
            return st;
        w->zs.next_out = w->out + w->out_len;
        w->zs.avail_out = (uInt)TB_CHUNK;
        int zr = deflate(&w->zs, flush);
        w->out_len += TB_CHUNK - w->zs.avail_out;
        if (zr == Z_STREAM_END)
            break;
        if (zr != Z_OK && zr != Z_BUF_ERROR)
            return ls_error(LSTATS_ENOMEM, "dump: deflate failed (zlib error %d)", zr);
        if (flush != Z_FINISH && w->zs.avail_in == 0 && w->zs.avail_out != 0)
            break;
    }
    w->staged = 0;
    return LSTATS_OK;
}

static lstats_status put_bytes(writer *w, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n > 0) {
        size_t room = TB_CHUNK - w->staged;
        size_t c = n < room ? n : room;
        memcpy(w->stage + w->staged, p, c);
        w->staged += c;
        p += c;
        n -= c;
        if (w->staged == TB_CHUNK) {
            lstats_status st = deflate_stage(w, Z_NO_FLUSH);
            if (st)
                return st;
        }
    }
    return LSTATS_OK;
}

static lstats_status put_u32(writer *w, uint32_t v)
{
    unsigned char b[4];
    put_le32(b, v);
    return put_bytes(w, b, 4);
}

static lstats_status put_u64(writer *w, uint64_t v)
{
    unsigned char b[8];
    put_le64(b, v);
    return put_bytes(w, b, 8);
}

/* An array of n 8-byte values (uint64_t, int64_t or double), little-endian. */
static lstats_status put_array64(writer *w, const void *data, size_t n)
{
    if (host_is_le())
        return put_bytes(w, data, n * 8);
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        memcpy(&v, p + 8 * i, 8);
        lstats_status st = put_u64(w, v);
        if (st)
            return st;
    }
    return LSTATS_OK;
}

static lstats_status put_str(writer *w, const char *s)
{
    size_t n = strlen(s);
    if (n > UINT32_MAX)
        return ls_error(LSTATS_ERANGE, "dump: string of %zu bytes too long", n);
    lstats_status st = put_u32(w, (uint32_t)n);
    return st ? st : put_bytes(w, s, n);
}

/* Payload size, or an error when it does not fit in 64 bits. */
static lstats_status payload_size(const lstats_table *t, uint64_t *out)
{
    uint64_t size = 16, nrows = lstats_table_nrows(t);
    size_t nmeta = lstats_table_meta_count(t), ncols = lstats_table_ncols(t);
    if (ncols > UINT32_MAX || nmeta > UINT32_MAX)
        return ls_error(LSTATS_ERANGE, "dump: too many columns or metadata entries");
    for (size_t i = 0; i < nmeta; i++)
        size += 8 + (uint64_t)strlen(lstats_table_meta_key(t, i)) +
                (uint64_t)strlen(lstats_table_meta_value(t, i));
    for (size_t c = 0; c < ncols; c++) {
        size += 8 + (uint64_t)strlen(lstats_table_column_name(t, c));
        uint64_t data;
        if (nrows > (UINT64_MAX - 8) / 8)
            return ls_error(LSTATS_ERANGE, "dump: table too large");
        if (lstats_table_column_type(t, c) == LSTATS_COL_STRING) {
            const char *blob;
            const int64_t *off;
            lstats_table_column_string(t, c, &blob, &off);
            data = (nrows + 1) * 8;
            if ((uint64_t)off[nrows] > UINT64_MAX - data)
                return ls_error(LSTATS_ERANGE, "dump: table too large");
            data += (uint64_t)off[nrows];
        } else {
            data = nrows * 8;
        }
        if (data > UINT64_MAX - size)
            return ls_error(LSTATS_ERANGE, "dump: table too large");
        size += data;
    }
    *out = size;
    return LSTATS_OK;
}

static lstats_status write_payload(writer *w, const lstats_table *t)
{
    size_t nrows = lstats_table_nrows(t), ncols = lstats_table_ncols(t);
    size_t nmeta = lstats_table_meta_count(t);
    lstats_status st = put_u64(w, nrows);
    if (!st)
        st = put_u32(w, (uint32_t)ncols);
    if (!st)
        st = put_u32(w, (uint32_t)nmeta);
    for (size_t i = 0; i < nmeta && !st; i++) {
        st = put_str(w, lstats_table_meta_key(t, i));
        if (!st)
            st = put_str(w, lstats_table_meta_value(t, i));
    }
    for (size_t c = 0; c < ncols && !st; c++) {
        int type = lstats_table_column_type(t, c);
        st = put_str(w, lstats_table_column_name(t, c));
        if (!st)
            st = put_u32(w, (uint32_t)type);
        if (st)
            break;
        if (type == LSTATS_COL_STRING) {
            const char *blob;
            const int64_t *off;
            lstats_table_column_string(t, c, &blob, &off);
            st = put_array64(w, off, nrows + 1);
            if (!st)
                st = put_bytes(w, blob, (size_t)off[nrows]);
        } else {
            const void *data = NULL;
            if (type == LSTATS_COL_U64) {
                const uint64_t *d;
                lstats_table_column_u64(t, c, &d);
                data = d;
            } else if (type == LSTATS_COL_I64) {
                const int64_t *d;
                lstats_table_column_i64(t, c, &d);
                data = d;
            } else {
                const double *d;
                lstats_table_column_f64(t, c, &d);
                data = d;
            }
            st = put_array64(w, data, nrows);
        }
    }
    return st;
}

lstats_status lstats_table_dump(const lstats_table *table, void **buffer_out, size_t *size_out)
{
    if (!table || !buffer_out || !size_out)
        return ls_error(LSTATS_EINVAL, "dump: table, buffer_out and size_out must not be NULL");
    uint64_t usize = 0;
    lstats_status st = payload_size(table, &usize);
    if (st)
        return st;
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return ls_error_nomem();
    if (deflateInit(&w->zs, TB_LEVEL) != Z_OK) {
        free(w);
        return ls_error_nomem();
    }
    /* Start with a guess of a quarter of the payload; grows as needed. */
    size_t guess = usize / 4 < SIZE_MAX / 2 ? (size_t)(usize / 4) : SIZE_MAX / 2;
    st = out_reserve(w, TB_HEADER_SIZE + guess + 64);
    if (!st) {
        w->out_len = TB_HEADER_SIZE;
        st = write_payload(w, table);
    }
    if (!st)
        st = deflate_stage(w, Z_FINISH);
    if (!st && w->zs.total_in != usize)
        st = ls_error(LSTATS_ERANGE, "dump: internal size mismatch (%" PRIu64 " vs %" PRIu64 ")",
                      (uint64_t)w->zs.total_in, usize);
    if (!st)
        st = out_reserve(w, 4);
    deflateEnd(&w->zs);
    if (st) {
        free(w->out);
        free(w);
        return st;
    }
    unsigned char *o = w->out;
    uint64_t csize = w->out_len - TB_HEADER_SIZE;
    memcpy(o, TB_MAGIC, 8);
    put_le32(o + 8, TB_VERSION);
    put_le32(o + 12, 0);
    put_le64(o + 16, usize);
    put_le64(o + 24, csize);
    uint32_t crc = crc_bytes((uint32_t)crc32(0, Z_NULL, 0), o + 8, w->out_len - 8);
    put_le32(o + w->out_len, crc);
    w->out_len += 4;
    /* Give back the slack of the growth strategy. */
    unsigned char *shrunk = realloc(o, w->out_len);
    *buffer_out = shrunk ? shrunk : o;
    *size_out = w->out_len;
    free(w);
    return LSTATS_OK;
}

/* ------------------------------------------------------------------ undump */

typedef struct reader {
    const unsigned char *p;
    size_t left;
} reader;

static lstats_status rd_u32(reader *r, uint32_t *v, const char *what)
{
    if (r->left < 4)
        return ls_error(LSTATS_EFORMAT, "payload truncated reading %s", what);
    *v = get_le32(r->p);
    r->p += 4;
    r->left -= 4;
    return LSTATS_OK;
}

static lstats_status rd_u64(reader *r, uint64_t *v, const char *what)
{
    if (r->left < 8)
        return ls_error(LSTATS_EFORMAT, "payload truncated reading %s", what);
    *v = get_le64(r->p);
    r->p += 8;
    r->left -= 8;
    return LSTATS_OK;
}

/* A length-prefixed string as a new NUL-terminated copy; must be UTF-8 without NUL. */
static lstats_status rd_str(reader *r, char **out, const char *what, size_t index)
{
    uint32_t len;
    if (r->left < 4)
        return ls_error(LSTATS_EFORMAT, "payload truncated reading the length of %s %zu", what,
                        index);
    len = get_le32(r->p);
    r->p += 4;
    r->left -= 4;
    if (len > r->left)
        return ls_error(LSTATS_EFORMAT,
                        "%s %zu: length %" PRIu32 " exceeds the %zu bytes left in the payload",
                        what, index, len, r->left);
    size_t bad;
    if (memchr(r->p, 0, len))
        return ls_error(LSTATS_EFORMAT, "%s %zu contains a NUL byte", what, index);
    if (!ls_table_utf8_valid((const char *)r->p, len, &bad))
        return ls_error(LSTATS_EFORMAT, "%s %zu: invalid UTF-8 at byte %zu", what, index, bad);
    char *s = malloc((size_t)len + 1);
    if (!s)
        return ls_error_nomem();
    memcpy(s, r->p, len);
    s[len] = '\0';
    r->p += len;
    r->left -= len;
    *out = s;
    return LSTATS_OK;
}

/* n 8-byte little-endian values into a new array (at least 1 element allocated). */
static lstats_status rd_array64(reader *r, uint64_t n, void **out, const char *what,
                                const char *name)
{
    if (n > r->left / 8)
        return ls_error(LSTATS_EFORMAT,
                        "column '%s': %s of %" PRIu64 " values exceed the %zu bytes left in the "
                        "payload",
                        name, what, n, r->left);
    size_t bytes = (size_t)n * 8;
    unsigned char *d = malloc(bytes ? bytes : 8);
    if (!d)
        return ls_error_nomem();
    if (host_is_le()) {
        memcpy(d, r->p, bytes);
    } else {
        for (size_t i = 0; i < (size_t)n; i++) {
            uint64_t v = get_le64(r->p + 8 * i);
            memcpy(d + 8 * i, &v, 8);
        }
    }
    r->p += bytes;
    r->left -= bytes;
    *out = d;
    return LSTATS_OK;
}

static lstats_status parse_payload(const unsigned char *p, size_t n, lstats_table **out)
{
    reader r = {p, n};
    uint64_t nrows = 0;
    uint32_t ncols = 0, nmeta = 0;
    lstats_status st = rd_u64(&r, &nrows, "the row count");
    if (!st)
        st = rd_u32(&r, &ncols, "the column count");
    if (!st)
        st = rd_u32(&r, &nmeta, "the metadata count");
    if (st)
        return st;
    if (nrows > SIZE_MAX / 8 - 1 || (ncols > 0 && nrows > r.left / 8))
        return ls_error(LSTATS_EFORMAT,
                        "row count %" PRIu64 " exceeds what the %zu payload bytes can hold", nrows,
                        r.left);
    if (nmeta > r.left / 8 || ncols > r.left / 8)
        return ls_error(LSTATS_EFORMAT,
                        "%" PRIu32 " metadata entries and %" PRIu32
                        " columns exceed what the %zu payload bytes can hold",
                        nmeta, ncols, r.left);
    lstats_table *t = ls_table_new((size_t)nrows);
    if (!t)
        return LSTATS_ENOMEM;
    char *key = NULL, *value = NULL, *name = NULL;
    for (uint32_t i = 0; i < nmeta; i++) {
        st = rd_str(&r, &key, "metadata key", i);
        if (!st)
            st = rd_str(&r, &value, "metadata value", i);
        if (st)
            goto fail;
        if (lstats_table_meta_get(t, key)) {
            st = ls_error(LSTATS_EFORMAT, "duplicate metadata key '%s'", key);
            goto fail;
        }
        st = ls_table_set_meta(t, key, value);
        free(key);
        free(value);
        key = value = NULL;
        if (st)
            goto fail;
    }
    for (uint32_t c = 0; c < ncols; c++) {
        uint32_t type = 0;
        st = rd_str(&r, &name, "column name", c);
        if (!st)
            st = rd_u32(&r, &type, "a column type");
        if (st)
            goto fail;
        size_t dummy;
        if (lstats_table_column_index(t, name, &dummy) == LSTATS_OK) {
            st = ls_error(LSTATS_EFORMAT, "duplicate column name '%s'", name);
            goto fail;
        }
        void *data = NULL;
        switch (type) {
        case LSTATS_COL_U64:
        case LSTATS_COL_I64:
        case LSTATS_COL_F64:
            st = rd_array64(&r, nrows, &data, "data", name);
            if (st)
                goto fail;
            if (type == LSTATS_COL_U64)
                st = ls_table_add_u64(t, name, data);
            else if (type == LSTATS_COL_I64)
                st = ls_table_add_i64(t, name, data);
            else
                st = ls_table_add_f64(t, name, data);
            break;
        case LSTATS_COL_STRING: {
            st = rd_array64(&r, nrows + 1, &data, "offsets", name);
            if (st)
                goto fail;
            int64_t *off = data;
            if (off[0] != 0) {
                int64_t first = off[0];
                free(off);
                st = ls_error(LSTATS_EFORMAT, "column '%s': first offset is %" PRId64 ", not 0",
                              name, first);
                goto fail;
            }
            for (size_t i = 0; i < (size_t)nrows; i++) {
                if (off[i + 1] < off[i] || (uint64_t)off[i + 1] > r.left) {
                    int64_t bad = off[i + 1];
                    free(off);
                    st = ls_error(LSTATS_EFORMAT,
                                  "column '%s': offset %zu (%" PRId64
                                  ") is decreasing or beyond the %zu bytes left in the payload",
                                  name, i + 1, bad, r.left);
                    goto fail;
                }
            }
            size_t blen = (size_t)off[nrows];
            for (size_t i = 0; i < (size_t)nrows; i++) {
                size_t bad;
                if (!ls_table_utf8_valid((const char *)r.p + off[i], (size_t)(off[i + 1] - off[i]),
                                         &bad)) {
                    free(off);
                    st = ls_error(LSTATS_EFORMAT, "column '%s', row %zu: invalid UTF-8 at byte %zu",
                                  name, i, bad);
                    goto fail;
                }
            }
            char *blob = malloc(blen ? blen : 1);
            if (!blob) {
                free(off);
                st = ls_error_nomem();
                goto fail;
            }
            memcpy(blob, r.p, blen);
            r.p += blen;
            r.left -= blen;
            st = ls_table_add_string(t, name, blob, off);
            break;
        }
        default:
            st = ls_error(LSTATS_EFORMAT, "column '%s': unknown type code %" PRIu32, name, type);
            break;
        }
        if (st)
            goto fail;
        free(name);
        name = NULL;
    }
    if (r.left != 0) {
        st = ls_error(LSTATS_EFORMAT, "%zu trailing bytes after the last column", r.left);
        goto fail;
    }
    *out = t;
    return LSTATS_OK;
fail:
    free(key);
    free(value);
    free(name);
    lstats_table_free(t);
    return st;
}

lstats_status lstats_table_undump(const void *buffer, size_t size, lstats_table **out)
{
    if (!buffer || !out)
        return ls_error(LSTATS_EINVAL, "undump: buffer and out must not be NULL");
    const unsigned char *b = buffer;
    if (size < TB_MIN_SIZE)
        return ls_error(LSTATS_EFORMAT, "file too short: %zu bytes, a saved table has at least %u",
                        size, TB_MIN_SIZE);
    if (memcmp(b, TB_MAGIC, 8) != 0)
        return ls_error(LSTATS_EFORMAT, "not a libstats table (bad magic)");
    uint32_t version = get_le32(b + 8);
    if (version != TB_VERSION)
        return ls_error(LSTATS_EFORMAT,
                        "unsupported table format version %" PRIu32 " (this library reads %u)",
                        version, TB_VERSION);
    uint32_t flags = get_le32(b + 12);
    uint64_t usize = get_le64(b + 16);
    uint64_t csize = get_le64(b + 24);
    uint64_t avail = size - TB_MIN_SIZE;
    if (csize > avail)
        return ls_error(LSTATS_EFORMAT, "truncated: expected %" PRIu64 " bytes, file has %zu",
                        csize > UINT64_MAX - TB_MIN_SIZE ? UINT64_MAX : csize + TB_MIN_SIZE, size);
    if (csize < avail)
        return ls_error(LSTATS_EFORMAT, "trailing data: expected %" PRIu64 " bytes, file has %zu",
                        csize + TB_MIN_SIZE, size);
    uint32_t crc = crc_bytes((uint32_t)crc32(0, Z_NULL, 0), b + 8, size - 12);
    if (crc != get_le32(b + size - 4))
        return ls_error(LSTATS_EFORMAT, "checksum mismatch: the file is corrupt");
    if (flags != 0)
        return ls_error(LSTATS_EFORMAT, "unsupported table flags 0x%" PRIx32, flags);
    /* deflate cannot expand more than 1032:1, so a larger declared size is corrupt. */
    if (usize > csize * 1032 + 64 || usize > SIZE_MAX - 1)
        return ls_error(LSTATS_EFORMAT,
                        "declared payload size %" PRIu64 " impossible for %" PRIu64
                        " compressed bytes",
                        usize, csize);
    unsigned char *p = malloc(usize ? (size_t)usize : 1);
    if (!p)
        return ls_error_nomem();
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK) {
        free(p);
        return ls_error_nomem();
    }
    const unsigned char *in = b + TB_HEADER_SIZE;
    size_t in_left = (size_t)csize; /* not yet handed to zlib */
    size_t out_given = 0;           /* bytes of p handed to zlib */
    unsigned char probe[1];
    int probing = 0, overflow = 0, zr;
    zs.avail_in = 0;
    zs.avail_out = 0;
    for (;;) {
        if (zs.avail_in == 0 && in_left > 0) {
            uInt c = in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
            zs.next_in = (unsigned char *)(uintptr_t)in;
            zs.avail_in = c;
            in += c;
            in_left -= c;
        }
        if (zs.avail_out == 0) {
            if (probing) {
                overflow = 1;
                break;
            }
            if (out_given < usize) {
                size_t room = (size_t)usize - out_given;
                uInt c = room > (1u << 30) ? (1u << 30) : (uInt)room;
                zs.next_out = p + out_given;
                zs.avail_out = c;
                out_given += c;
            } else {
                /* The declared size is reached: the stream must end without more output. */
                zs.next_out = probe;
                zs.avail_out = 1;
                probing = 1;
            }
        }
        zr = inflate(&zs, Z_NO_FLUSH);
        if (zr == Z_STREAM_END)
            break;
        if (zr != Z_OK && !(zr == Z_BUF_ERROR && (zs.avail_in > 0 || in_left > 0)))
            break;
    }
    size_t produced = probing ? (size_t)usize + (1 - zs.avail_out) : out_given - zs.avail_out;
    size_t trailing = zs.avail_in + in_left;
    const char *zmsg = zs.msg;
    lstats_status st = LSTATS_OK;
    if (overflow || (zr == Z_STREAM_END && produced > usize))
        st = ls_error(LSTATS_EFORMAT,
                      "payload inflates to more than the declared %" PRIu64 " bytes", usize);
    else if (zr == Z_MEM_ERROR)
        st = ls_error_nomem();
    else if (zr == Z_BUF_ERROR)
        st = ls_error(LSTATS_EFORMAT,
                      "compressed payload ends early (inflated %zu of %" PRIu64 " bytes)", produced,
                      usize);
    else if (zr != Z_STREAM_END)
        st = ls_error(LSTATS_EFORMAT, "payload does not inflate (zlib error %d%s%s)", zr,
                      zmsg ? ": " : "", zmsg ? zmsg : "");
    else if (produced != usize)
        st = ls_error(LSTATS_EFORMAT, "payload inflates to %zu bytes, the header declares %" PRIu64,
                      produced, usize);
    else if (trailing != 0)
        st =
            ls_error(LSTATS_EFORMAT, "%zu bytes after the end of the compressed payload", trailing);
    inflateEnd(&zs);
    if (!st)
        st = parse_payload(p, (size_t)usize, out);
    free(p);
    return st;
}

/* ------------------------------------------------------------------ files */

/* Writes `n` bytes to `path` through a temporary file in the same directory, renamed over
 * `path` on success, so that a failed save leaves neither a partial file nor a temporary. */
typedef lstats_status (*emit_fn)(FILE *f, const void *ctx);

static lstats_status write_atomic(const char *path, emit_fn emit, const void *ctx)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 64);
    if (!tmp)
        return ls_error_nomem();
    char err[128];
    int fd = -1;
    for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, plen + 64, "%s.%ld.%u.tmp", path, (long)getpid(), attempt);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        errno_text(errno, err, sizeof err);
        free(tmp);
        return ls_error(LSTATS_EIO, "cannot write '%s': %s", path, err);
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        errno_text(errno, err, sizeof err);
        close(fd);
        unlink(tmp);
        free(tmp);
        return ls_error(LSTATS_EIO, "cannot write '%s': %s", path, err);
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    lstats_status st = emit(f, ctx);
    if (!st && ferror(f)) {
        errno_text(errno, err, sizeof err);
        st = ls_error(LSTATS_EIO, "cannot write '%s': %s", path, err);
    }
    if (fclose(f) != 0 && !st) {
        errno_text(errno, err, sizeof err);
        st = ls_error(LSTATS_EIO, "cannot write '%s': %s", path, err);
    }
    if (!st && rename(tmp, path) != 0) {
        errno_text(errno, err, sizeof err);
        st = ls_error(LSTATS_EIO, "cannot write '%s': rename failed: %s", path, err);
    }
    if (st)
        unlink(tmp);
    free(tmp);
    return st;
}

typedef struct blob_ref {
    const void *data;
    size_t size;
    const char *path;
} blob_ref;

static lstats_status emit_blob(FILE *f, const void *ctx)
{
    const blob_ref *b = ctx;
    if (fwrite(b->data, 1, b->size, f) != b->size) {
        char err[128];
        errno_text(errno, err, sizeof err);
        return ls_error(LSTATS_EIO, "cannot write '%s': %s", b->path, err);
    }
    return LSTATS_OK;
}

lstats_status lstats_table_save(const lstats_table *table, const char *path)
{
    if (!table || !path)
        return ls_error(LSTATS_EINVAL, "save: table and path must not be NULL");
    void *buf;
    size_t size;
    lstats_status st = lstats_table_dump(table, &buf, &size);
    if (st)
        return st;
    blob_ref ref = {buf, size, path};
    st = write_atomic(path, emit_blob, &ref);
    free(buf);
    return st;
}

lstats_status lstats_table_load(const char *path, lstats_table **out)
{
    if (!path || !out)
        return ls_error(LSTATS_EINVAL, "load: path and out must not be NULL");
    char err[128];
    FILE *f = fopen(path, "rb");
    if (!f) {
        errno_text(errno, err, sizeof err);
        return ls_error(LSTATS_EIO, "cannot open '%s': %s", path, err);
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return ls_error(LSTATS_EIO, "cannot read '%s': not a regular file", path);
    }
    if ((uint64_t)sb.st_size > SIZE_MAX - 1) {
        fclose(f);
        return ls_error(LSTATS_EIO, "cannot read '%s': too large", path);
    }
    size_t size = (size_t)sb.st_size;
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) {
        fclose(f);
        return ls_error_nomem();
    }
    size_t got = fread(buf, 1, size, f);
    int rerr = ferror(f) ? errno : 0;
    fclose(f);
    if (rerr) {
        errno_text(rerr, err, sizeof err);
        free(buf);
        return ls_error(LSTATS_EIO, "cannot read '%s': %s", path, err);
    }
    lstats_status st = lstats_table_undump(buf, got, out);
    free(buf);
    if (st) {
        char msg[LS_ERRMSG_MAX];
        ls_error_copy(msg, sizeof msg);
        return ls_error(st, "%s: %s", path, msg);
    }
    return LSTATS_OK;
}

/* ------------------------------------------------------------------ TSV */

typedef struct tsv_ctx {
    const lstats_table *t;
} tsv_ctx;

static void tsv_string(FILE *f, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\\': esc = "\\\\"; break;
        default: continue;
        }
        fwrite(s + run, 1, i - run, f);
        fputs(esc, f);
        run = i + 1;
    }
    fwrite(s + run, 1, n - run, f);
}

static void tsv_f64(FILE *f, double d)
{
    if (isnan(d)) {
        fputs("nan", f);
        return;
    }
    if (isinf(d)) {
        fputs(d < 0 ? "-inf" : "inf", f);
        return;
    }
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", d);
    /* Whatever the C locale's decimal separator, write '.'. */
    for (char *p = buf; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == 'e' || *p == 'E'))
            *p = '.';
    fputs(buf, f);
}

static lstats_status emit_tsv(FILE *f, const void *ctx)
{
    const lstats_table *t = ((const tsv_ctx *)ctx)->t;
    size_t ncols = lstats_table_ncols(t), nrows = lstats_table_nrows(t);
    for (size_t c = 0; c < ncols; c++) {
        const char *name = lstats_table_column_name(t, c);
        if (c)
            fputc('\t', f);
        tsv_string(f, name, strlen(name));
    }
    fputc('\n', f);
    if (ncols == 0)
        return LSTATS_OK;
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            if (c)
                fputc('\t', f);
            switch (lstats_table_column_type(t, c)) {
            case LSTATS_COL_U64: {
                const uint64_t *d;
                lstats_table_column_u64(t, c, &d);
                fprintf(f, "%" PRIu64, d[r]);
                break;
            }
            case LSTATS_COL_I64: {
                const int64_t *d;
                lstats_table_column_i64(t, c, &d);
                fprintf(f, "%" PRId64, d[r]);
                break;
            }
            case LSTATS_COL_F64: {
                const double *d;
                lstats_table_column_f64(t, c, &d);
                tsv_f64(f, d[r]);
                break;
            }
            default: {
                const char *blob;
                const int64_t *off;
                lstats_table_column_string(t, c, &blob, &off);
                tsv_string(f, blob + off[r], (size_t)(off[r + 1] - off[r]));
                break;
            }
            }
        }
        if (fputc('\n', f) == EOF)
            break; /* reported through ferror() */
    }
    return LSTATS_OK;
}

lstats_status lstats_table_write_tsv(const lstats_table *table, const char *path)
{
    if (!table || !path)
        return ls_error(LSTATS_EINVAL, "write_tsv: table and path must not be NULL");
    tsv_ctx ctx = {table};
    return write_atomic(path, emit_tsv, &ctx);
}

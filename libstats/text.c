/* The document reader: source (file / memory, plain / gzip) -> raw bytes -> decoder (native
 * UTF-8 or an ICU converter) -> UTF-8 with LF line ends in the chunk buffer -> chunks cut after
 * '\n'.
 *
 * Memory use is bounded whatever the size of the input: one compressed block, one raw block,
 * one UTF-16 block for ICU converters, and the chunk buffer (at most about LINE_MAX plus one
 * decoded block). No static mutable state: a reader is used by one thread at a time, distinct
 * readers may run on distinct threads. */
#define _POSIX_C_SOURCE 200809L

#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <zlib.h>

#include "error.h"
#include "utf8.h"

enum {
    BLOCK = 256 * 1024,         /* file reads, inflate output, raw buffer size */
    CHUNK_MAX = 1024 * 1024,    /* chunks end at the last '\n' within this many bytes */
    LINE_MAX_LEN = 4096 * 1024, /* a longer line is cut (see text.h) */
    CUT_WINDOW = 1024 * 1024,   /* how far back from LINE_MAX_LEN to look for a space/tab */
    SAMPLE = 64 * 1024,         /* encoding detection sample ("auto") */
    UBUF = 32 * 1024,           /* UTF-16 units per ICU conversion call */
    MIN_STEP = 4096
};

enum { DEC_UTF8 = 0, DEC_ICU = 1 };

struct ls_reader {
    char *name;
    int errors;

    /* Source. */
    FILE *fp;
    const unsigned char *mem; /* memory source (borrowed) */
    size_t mem_size, mem_pos; /* mem_pos: bytes handed on (compressed for gzip) */
    uint64_t size_hint;
    uint64_t bytes_in;
    uint64_t left; /* plain file: bytes of the source still to read (a range), or UINT64_MAX */
    int in_eof;    /* the file or memory has nothing more to give */

    /* gzip */
    int gzip;
    int zs_init;
    int member_end; /* inflate returned Z_STREAM_END for the current member */
    z_stream zs;
    unsigned char *zin; /* compressed block (files only) */
    uint64_t comp_fed;  /* compressed bytes given to zlib so far */

    /* Raw (decompressed, undecoded) bytes: raw[raw_pos .. raw_len), raw[0] is at absolute
     * offset raw_abs of the decompressed input. */
    unsigned char *rawbuf; /* owned; NULL for a plain memory source */
    const unsigned char *raw;
    size_t raw_pos, raw_len;
    uint64_t raw_abs;
    int raw_eof; /* no raw bytes beyond raw_len will come */

    /* Decoding. */
    int dec;
    int started; /* the BOM has been looked for */
    int skip_lf; /* the last character written was a CR (written as LF) */
    int dec_done;
    UChar pending_hi; /* a lead surrogate waiting for its trail */
    UConverter *cnv;
    UChar *ubuf;
    int32_t *uoff;
    uint64_t replaced;
    char encoding[64];

    /* Output. */
    char *out;
    size_t out_start, out_len, out_cap;
    uint64_t delivered;

    lstats_status status; /* sticky error */
    char errmsg[LS_ERRMSG_MAX];
};

/* ---------------------------------------------------------------- errors */

static lstats_status fail(ls_reader *r, lstats_status st)
{
    r->status = st;
    ls_error_copy(r->errmsg, sizeof r->errmsg);
    return st;
}

static lstats_status io_error(const char *path, const char *what, int err)
{
    char buf[256];
    if (strerror_r(err, buf, sizeof buf) != 0)
        snprintf(buf, sizeof buf, "error %d", err);
    return ls_error(LSTATS_EIO, "file %s: %s: %s", path, what, buf);
}

/* ---------------------------------------------------------------- source */

/* Gives zlib more compressed input. Sets in_eof when there is none. */
static lstats_status gz_feed(ls_reader *r)
{
    if (r->fp) {
        size_t got = fread(r->zin, 1, BLOCK, r->fp);
        if (got < BLOCK && ferror(r->fp))
            return io_error(r->name, "read error", errno);
        if (got == 0) {
            r->in_eof = 1;
            return LSTATS_OK;
        }
        r->zs.next_in = r->zin;
        r->zs.avail_in = (uInt)got;
        r->comp_fed += got;
        r->bytes_in += got;
    } else {
        size_t left = r->mem_size - r->mem_pos;
        size_t n = left < BLOCK ? left : BLOCK;
        if (n == 0) {
            r->in_eof = 1;
            return LSTATS_OK;
        }
        r->zs.next_in = (unsigned char *)(uintptr_t)(r->mem + r->mem_pos);
        r->zs.avail_in = (uInt)n;
        r->mem_pos += n;
        r->comp_fed += n;
        r->bytes_in += n;
    }
    return LSTATS_OK;
}

static uint64_t gz_offset(const ls_reader *r)
{
    return r->comp_fed - r->zs.avail_in;
}

/* Inflates into dst[0..cap); *got is the number of bytes produced (0 only at the end). */
static lstats_status gz_fill(ls_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    lstats_status st;
    r->zs.next_out = dst;
    r->zs.avail_out = (uInt)cap;
    while (r->zs.avail_out > 0) {
        if (r->member_end) {
            /* Another member, or the end, or trailing garbage. */
            if (r->zs.avail_in == 0 && !r->in_eof && (st = gz_feed(r)) != LSTATS_OK)
                return st;
            if (r->zs.avail_in == 0) {
                r->raw_eof = 1;
                break;
            }
            if (r->zs.next_in[0] != 0x1f || (r->zs.avail_in >= 2 && r->zs.next_in[1] != 0x8b))
                return ls_error(LSTATS_EGZIP,
                                "file %s: trailing garbage after gzip member at compressed "
                                "offset %llu",
                                r->name, (unsigned long long)gz_offset(r));
            if (inflateReset(&r->zs) != Z_OK)
                return ls_error(LSTATS_EGZIP, "file %s: cannot reset the gzip decoder", r->name);
            r->member_end = 0;
        }
        if (r->zs.avail_in == 0 && !r->in_eof && (st = gz_feed(r)) != LSTATS_OK)
            return st;
        int ret = inflate(&r->zs, Z_NO_FLUSH);
        switch (ret) {
        case Z_OK: break;
        case Z_STREAM_END: r->member_end = 1; break;
        case Z_BUF_ERROR:
            /* No progress possible: input is exhausted (avail_out > 0 here). */
            if (r->zs.avail_in == 0 && r->in_eof)
                return ls_error(LSTATS_EGZIP,
                                "file %s: gzip stream truncated at compressed offset %llu", r->name,
                                (unsigned long long)gz_offset(r));
            break;
        case Z_MEM_ERROR: return ls_error_nomem();
        case Z_NEED_DICT:
        case Z_DATA_ERROR:
        default:
            return ls_error(
                LSTATS_EGZIP, "file %s: corrupt gzip data at compressed offset %llu (%s)", r->name,
                (unsigned long long)gz_offset(r), r->zs.msg ? r->zs.msg : "inflate error");
        }
    }
    *got = cap - r->zs.avail_out;
    return LSTATS_OK;
}

/* Appends more raw bytes (compacting first); at the end sets raw_eof. */
static lstats_status raw_fill(ls_reader *r)
{
    if (!r->rawbuf) { /* plain memory: everything is there */
        r->raw_eof = 1;
        return LSTATS_OK;
    }
    if (r->raw_pos > 0) {
        memmove(r->rawbuf, r->rawbuf + r->raw_pos, r->raw_len - r->raw_pos);
        r->raw_abs += r->raw_pos;
        r->raw_len -= r->raw_pos;
        r->raw_pos = 0;
    }
    while (!r->raw_eof && r->raw_len < BLOCK) {
        size_t got = 0;
        if (r->gzip) {
            lstats_status st = gz_fill(r, r->rawbuf + r->raw_len, BLOCK - r->raw_len, &got);
            if (st != LSTATS_OK)
                return st;
        } else {
            size_t want = BLOCK - r->raw_len;
            if (want > r->left)
                want = (size_t)r->left;
            got = want ? fread(r->rawbuf + r->raw_len, 1, want, r->fp) : 0;
            if (got < want && ferror(r->fp))
                return io_error(r->name, "read error", errno);
            if (got == 0)
                r->raw_eof = 1;
            r->left -= got;
            r->bytes_in += got;
        }
        r->raw_len += got;
        if (got > 0)
            break;
    }
    return LSTATS_OK;
}

/* Makes at least `want` bytes available from raw_pos, or all that is left. */
static lstats_status raw_need(ls_reader *r, size_t want)
{
    while (!r->raw_eof && r->raw_len - r->raw_pos < want) {
        lstats_status st = raw_fill(r);
        if (st != LSTATS_OK)
            return st;
    }
    return LSTATS_OK;
}

/* ---------------------------------------------------------------- output buffer */

static lstats_status out_reserve(ls_reader *r, size_t extra)
{
    if (r->out_cap - r->out_len >= extra)
        return LSTATS_OK;
    size_t cap = r->out_cap ? r->out_cap : CHUNK_MAX;
    while (cap - r->out_len < extra)
        cap *= 2;
    char *p = realloc(r->out, cap);
    if (!p)
        return ls_error_nomem();
    r->out = p;
    r->out_cap = cap;
    return LSTATS_OK;
}

/* ---------------------------------------------------------------- native UTF-8 decoder */

#define K01 0x0101010101010101ULL
#define K80 0x8080808080808080ULL
#define KCR 0x0d0d0d0d0d0d0d0dULL

static lstats_status nul_error(const ls_reader *r, uint64_t off)
{
    return ls_error(LSTATS_EENCODING, "file %s: NUL byte at offset %llu (binary file?)", r->name,
                    (unsigned long long)off);
}

/* Validates, normalises line ends and copies s[0..n) into the output (which has room for 3n
 * bytes). A truncated sequence at the end is left unconsumed unless `final`. */
static lstats_status utf8_step(ls_reader *r, const unsigned char *s, size_t n, int final,
                               size_t *consumed)
{
    const unsigned char *p = s, *e = s + n;
    unsigned char *o = (unsigned char *)r->out + r->out_len;
    uint64_t base = r->raw_abs + (uint64_t)(s - r->raw); /* absolute offset of s[0] */

    if (r->skip_lf && p < e) {
        if (*p == '\n')
            p++;
        r->skip_lf = 0;
    }
    while (p < e) {
        while (e - p >= 8) {
            uint64_t x, t;
            memcpy(&x, p, 8);
            t = x ^ KCR;
            if ((x | ((x - K01) & ~x) | ((t - K01) & ~t)) & K80)
                break;
            memcpy(o, &x, 8);
            o += 8;
            p += 8;
        }
        if (p >= e)
            break;
        unsigned c = *p;
        if (c >= 0x80) {
            if (c >= 0xE1 && c <= 0xEC && e - p >= 3 && (p[1] & 0xC0) == 0x80 &&
                (p[2] & 0xC0) == 0x80) {
                o[0] = (unsigned char)c;
                o[1] = p[1];
                o[2] = p[2];
                o += 3;
                p += 3;
                continue;
            }
            int k = ls_utf8_check(p, (size_t)(e - p));
            if (k > 0) {
                memcpy(o, p, (size_t)k);
                o += k;
                p += k;
                continue;
            }
            if (k == 0 && !final)
                break; /* wait for the rest of the sequence */
            if (r->errors != LSTATS_ERRORS_REPLACE) {
                r->out_len = (size_t)((char *)o - r->out);
                return ls_error(LSTATS_EUTF8, "file %s: invalid UTF-8 at byte offset %llu", r->name,
                                (unsigned long long)(base + (uint64_t)(p - s)));
            }
            memcpy(o, LS_UTF8_REPLACEMENT, 3);
            o += 3;
            p += k == 0 ? (size_t)(e - p) : (size_t)-k;
            r->replaced++;
            continue;
        }
        if (c == '\r') {
            *o++ = '\n';
            p++;
            if (p < e) {
                if (*p == '\n')
                    p++;
            } else {
                r->skip_lf = 1;
            }
            continue;
        }
        if (c == 0) {
            if (r->errors != LSTATS_ERRORS_REPLACE) {
                r->out_len = (size_t)((char *)o - r->out);
                return nul_error(r, base + (uint64_t)(p - s));
            }
            memcpy(o, LS_UTF8_REPLACEMENT, 3);
            o += 3;
            p++;
            r->replaced++;
            continue;
        }
        *o++ = (unsigned char)c;
        p++;
    }
    r->out_len = (size_t)((char *)o - r->out);
    *consumed = (size_t)(p - s);
    return LSTATS_OK;
}

/* ---------------------------------------------------------------- ICU decoder */

static void U_CALLCONV count_subst_cb(const void *context, UConverterToUnicodeArgs *args,
                                      const char *code_units, int32_t length,
                                      UConverterCallbackReason reason, UErrorCode *err)
{
    (void)code_units;
    (void)length;
    if (reason > UCNV_IRREGULAR)
        return; /* reset, close, clone */
    uint64_t *counter = (uint64_t *)(uintptr_t)context;
    static const UChar fffd = 0xFFFD; /* const, not mutable state */
    (*counter)++;
    *err = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &fffd, 1, 0, err);
}

/* Writes u[0..n) as UTF-8 (with line end and NUL handling); off[i] is the source offset of
 * u[i] relative to `base` (-1: a character begun in an earlier call, which only happens for the
 * one character straddling two calls; a NUL there is reported at `base`). */
static lstats_status utf16_emit(ls_reader *r, const UChar *u, int32_t n, const int32_t *off,
                                uint64_t base)
{
    unsigned char *o = (unsigned char *)r->out + r->out_len;
    int32_t i = 0;
    if (!r->started && n > 0) {
        r->started = 1;
        if (u[0] == 0xFEFF)
            i = 1;
    }
    for (; i < n; i++) {
        uint32_t c = u[i];
        if (r->skip_lf) {
            r->skip_lf = 0;
            if (c == '\n')
                continue;
        }
        if (r->pending_hi) {
            UChar hi = r->pending_hi;
            r->pending_hi = 0;
            if (c >= 0xDC00 && c <= 0xDFFF) {
                c = 0x10000 + (((uint32_t)hi - 0xD800) << 10) + (c - 0xDC00);
                o += ls_utf8_encode(c, o);
                continue;
            }
            goto bad_surrogate; /* the lead is unpaired; c is handled afterwards */
        }
        if (c < 0x80) {
            if (c == '\r') {
                *o++ = '\n';
                r->skip_lf = 1;
            } else if (c == 0) {
                if (r->errors != LSTATS_ERRORS_REPLACE) {
                    r->out_len = (size_t)((char *)o - r->out);
                    return nul_error(r, base + (uint64_t)(off[i] >= 0 ? off[i] : 0));
                }
                memcpy(o, LS_UTF8_REPLACEMENT, 3);
                o += 3;
                r->replaced++;
            } else {
                *o++ = (unsigned char)c;
            }
            continue;
        }
        if (c >= 0xD800 && c <= 0xDBFF) {
            r->pending_hi = (UChar)c;
            continue;
        }
        if (c >= 0xDC00 && c <= 0xDFFF) {
            i++; /* the lone trail itself is the bad unit */
        bad_surrogate:
            if (r->errors != LSTATS_ERRORS_REPLACE) {
                r->out_len = (size_t)((char *)o - r->out);
                return ls_error(LSTATS_EENCODING,
                                "file %s: unpaired surrogate near byte offset %llu", r->name,
                                (unsigned long long)base);
            }
            memcpy(o, LS_UTF8_REPLACEMENT, 3);
            o += 3;
            r->replaced++;
            i--; /* look at u[i] again (after a lone lead) or go on (after a lone trail) */
            continue;
        }
        o += ls_utf8_encode(c, o);
    }
    r->out_len = (size_t)((char *)o - r->out);
    return LSTATS_OK;
}

static lstats_status icu_step(ls_reader *r, const unsigned char *s, size_t n, int final,
                              size_t *consumed)
{
    const char *src = (const char *)s, *lim = (const char *)s + n;
    UChar *t = r->ubuf;
    UErrorCode err = U_ZERO_ERROR;
    uint64_t base = r->raw_abs + (uint64_t)(s - r->raw);
    ucnv_toUnicode(r->cnv, &t, r->ubuf + UBUF, &src, lim, r->uoff, (UBool) final, &err);
    *consumed = (size_t)(src - (const char *)s);
    lstats_status st = utf16_emit(r, r->ubuf, (int32_t)(t - r->ubuf), r->uoff, base);
    if (st != LSTATS_OK)
        return st;
    if (err == U_BUFFER_OVERFLOW_ERROR)
        return LSTATS_OK; /* more output pending: call again */
    if (U_FAILURE(err)) {
        char bytes[32];
        int8_t blen = (int8_t)sizeof bytes;
        UErrorCode e2 = U_ZERO_ERROR;
        ucnv_getInvalidChars(r->cnv, bytes, &blen, &e2);
        if (U_FAILURE(e2))
            blen = 0;
        uint64_t at = base + *consumed - (uint64_t)blen;
        char hex[3 * 8 + 1] = "";
        for (int i = 0; i < blen && i < 8; i++)
            snprintf(hex + 3 * i, 4, "%s%02X", i ? " " : "", (unsigned char)bytes[i]);
        if (err == U_TRUNCATED_CHAR_FOUND)
            return ls_error(LSTATS_EENCODING,
                            "file %s: truncated %s sequence (%s) at byte offset %llu", r->name,
                            r->encoding, hex, (unsigned long long)at);
        return ls_error(LSTATS_EENCODING,
                        "file %s: invalid %s byte sequence (%s) at byte offset %llu", r->name,
                        r->encoding, hex, (unsigned long long)at);
    }
    if (final && *consumed == n) {
        if (r->pending_hi) {
            r->pending_hi = 0;
            if (r->errors != LSTATS_ERRORS_REPLACE)
                return ls_error(LSTATS_EENCODING, "file %s: unpaired surrogate at the end",
                                r->name);
            memcpy(r->out + r->out_len, LS_UTF8_REPLACEMENT, 3);
            r->out_len += 3;
            r->replaced++;
        }
        r->dec_done = 1;
    }
    return LSTATS_OK;
}

/* ---------------------------------------------------------------- decoding steps */

/* Decodes roughly `want` more output bytes (at least some input), or finishes. */
static lstats_status dec_step(ls_reader *r, size_t want)
{
    lstats_status st = raw_need(r, 4);
    if (st != LSTATS_OK)
        return st;
    if (!r->started && r->dec == DEC_UTF8) {
        r->started = 1;
        size_t avail = r->raw_len - r->raw_pos;
        const unsigned char *p = r->raw + r->raw_pos;
        if (avail >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
            r->raw_pos += 3;
    }
    size_t avail = r->raw_len - r->raw_pos;
    if (want < MIN_STEP)
        want = MIN_STEP;
    size_t n = avail < BLOCK ? avail : BLOCK;
    if (n > want)
        n = want;
    int final = r->raw_eof && n == avail;
    size_t consumed = 0;
    if (r->dec == DEC_UTF8) {
        if (n == 0 && final) {
            r->dec_done = 1;
            return LSTATS_OK;
        }
        if ((st = out_reserve(r, 3 * n + 16)) != LSTATS_OK)
            return st;
        st = utf8_step(r, r->raw + r->raw_pos, n, final, &consumed);
        if (st == LSTATS_OK && final && consumed == n)
            r->dec_done = 1;
    } else {
        if ((st = out_reserve(r, 3 * (size_t)UBUF + 16)) != LSTATS_OK)
            return st;
        st = icu_step(r, r->raw + r->raw_pos, n, final, &consumed);
    }
    r->raw_pos += consumed;
    if (!r->rawbuf)
        r->bytes_in = r->raw_pos;
    return st;
}

/* ---------------------------------------------------------------- encoding choice */

static int name_is_utf8(const char *s)
{
    const char *u = "utf";
    for (int i = 0; i < 3; i++)
        if ((s[i] | 0x20) != u[i])
            return 0;
    s += 3;
    if (*s == '-')
        s++;
    return s[0] == '8' && s[1] == '\0';
}

static lstats_status open_converter(ls_reader *r, const char *name, int detected)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = name[0] ? ucnv_open(name, &err) : NULL;
    if (!cnv || U_FAILURE(err)) {
        if (cnv)
            ucnv_close(cnv);
        if (err == U_MEMORY_ALLOCATION_ERROR)
            return ls_error_nomem();
        if (detected)
            return ls_error(LSTATS_EENCODING,
                            "file %s: detected encoding %s has no converter; pass an explicit "
                            "encoding",
                            r->name, name);
        return ls_error(LSTATS_EENCODING, "unknown encoding %s", name);
    }
    const char *canon = ucnv_getName(cnv, &err);
    if (U_SUCCESS(err) && strcmp(canon, "UTF-8") == 0) {
        ucnv_close(cnv); /* the native decoder is faster and equivalent */
        r->dec = DEC_UTF8;
        snprintf(r->encoding, sizeof r->encoding, "UTF-8");
        return LSTATS_OK;
    }
    if (detected) {
        snprintf(r->encoding, sizeof r->encoding, "%s", name);
    } else {
        UErrorCode e2 = U_ZERO_ERROR;
        const char *std = ucnv_getStandardName(canon, "MIME", &e2);
        if (!std || U_FAILURE(e2)) {
            e2 = U_ZERO_ERROR;
            std = ucnv_getStandardName(canon, "IANA", &e2);
        }
        if (!std || U_FAILURE(e2))
            std = canon;
        snprintf(r->encoding, sizeof r->encoding, "%s", std);
    }
    err = U_ZERO_ERROR;
    if (r->errors == LSTATS_ERRORS_REPLACE)
        ucnv_setToUCallBack(cnv, count_subst_cb, &r->replaced, NULL, NULL, &err);
    else
        ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    if (U_FAILURE(err)) {
        ucnv_close(cnv);
        return ls_error(LSTATS_EICU, "file %s: cannot set the converter callback: %s", r->name,
                        u_errorName(err));
    }
    r->cnv = cnv;
    r->dec = DEC_ICU;
    r->ubuf = malloc(sizeof(UChar) * UBUF);
    r->uoff = malloc(sizeof(int32_t) * UBUF);
    if (!r->ubuf || !r->uoff)
        return ls_error_nomem();
    return LSTATS_OK;
}

/* Counts valid multi-byte sequences and invalid subparts in a sample. */
static void utf8_stats(const unsigned char *s, size_t n, int at_eof, size_t *good_mb, size_t *bad,
                       size_t *first_bad)
{
    size_t i = 0;
    *good_mb = *bad = 0;
    *first_bad = (size_t)-1;
    while (i < n) {
        size_t v = ls_utf8_validate(s + i, n - i, NULL);
        for (size_t j = i; j < i + v; j++)
            *good_mb += (s[j] & 0xC0) == 0xC0;
        i += v;
        if (i >= n)
            break;
        int k = ls_utf8_check(s + i, n - i);
        if (k == 0 && !at_eof)
            break; /* cut by the sample end */
        if (*first_bad == (size_t)-1)
            *first_bad = i;
        (*bad)++;
        i += k == 0 ? n - i : (size_t)-k;
    }
}

static lstats_status detect_encoding(ls_reader *r)
{
    lstats_status st = raw_need(r, SAMPLE);
    if (st != LSTATS_OK)
        return st;
    const unsigned char *p = r->raw + r->raw_pos;
    size_t avail = r->raw_len - r->raw_pos;
    size_t n = avail < SAMPLE ? avail : SAMPLE;
    int at_eof = r->raw_eof && n == avail;

    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return open_converter(r, "UTF-8", 0);
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        return open_converter(r, "UTF-16LE", 1);
    if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return open_converter(r, "UTF-16BE", 1);

    size_t good_mb, bad, first_bad;
    utf8_stats(p, n, at_eof, &good_mb, &bad, &first_bad);
    int has_nul = memchr(p, 0, n) != NULL;
    if (bad == 0 && !has_nul)
        return open_converter(r, "UTF-8", 0);
    /* Mostly valid UTF-8 with a few bad bytes: it is broken UTF-8, whatever a statistical
     * detector says (it calls such Chinese text Shift_JIS or GB18030). */
    if (bad > 0 && good_mb >= 4 && good_mb * 10 > (good_mb + bad) * 9)
        return open_converter(r, "UTF-8", 0);

    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *csd = ucsdet_open(&err);
    if (U_FAILURE(err)) {
        if (csd)
            ucsdet_close(csd);
        return err == U_MEMORY_ALLOCATION_ERROR
                   ? ls_error_nomem()
                   : ls_error(LSTATS_EICU, "cannot open the charset detector: %s",
                              u_errorName(err));
    }
    ucsdet_setText(csd, (const char *)p, (int32_t)n, &err);
    const UCharsetMatch *m = U_SUCCESS(err) ? ucsdet_detect(csd, &err) : NULL;
    char name[64] = "";
    int32_t conf = 0;
    if (m && U_SUCCESS(err)) {
        const char *nm = ucsdet_getName(m, &err);
        conf = ucsdet_getConfidence(m, &err);
        if (nm && U_SUCCESS(err))
            snprintf(name, sizeof name, "%s", nm);
    }
    ucsdet_close(csd);

    if (bad == 0) {
        /* Valid UTF-8 with NUL bytes: UTF-16/32 without a BOM, or binary data. */
        if (conf >= 50 && strncmp(name, "UTF-", 4) == 0 && strcmp(name, "UTF-8") != 0)
            return open_converter(r, name, 1);
        return open_converter(r, "UTF-8", 0);
    }
    if (!name[0] || conf < 50)
        return ls_error(LSTATS_EENCODING,
                        "file %s: cannot detect the encoding (best guess %s, confidence %d); "
                        "pass an explicit encoding",
                        r->name, name[0] ? name : "none", (int)conf);
    return open_converter(r, name, 1);
}

/* ---------------------------------------------------------------- open / free */

static lstats_status reader_new(ls_reader **out, const char *name, int errors)
{
    *out = NULL;
    if (errors != LSTATS_ERRORS_STRICT && errors != LSTATS_ERRORS_REPLACE)
        return ls_error(LSTATS_EINVAL, "errors must be LSTATS_ERRORS_STRICT or _REPLACE, got %d",
                        errors);
    ls_reader *r = calloc(1, sizeof *r);
    if (!r)
        return ls_error_nomem();
    size_t len = strlen(name);
    r->name = malloc(len + 1);
    if (!r->name) {
        free(r);
        return ls_error_nomem();
    }
    memcpy(r->name, name, len + 1);
    r->errors = errors;
    r->left = UINT64_MAX;
    snprintf(r->encoding, sizeof r->encoding, "UTF-8");
    *out = r;
    return LSTATS_OK;
}

static lstats_status start_gzip(ls_reader *r)
{
    r->gzip = 1;
    if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK)
        return ls_error_nomem();
    r->zs_init = 1;
    return LSTATS_OK;
}

/* Common tail of the open functions: encoding selection. */
static lstats_status setup_encoding(ls_reader *r, const char *encoding)
{
    if (!encoding || name_is_utf8(encoding)) {
        r->dec = DEC_UTF8;
        return LSTATS_OK;
    }
    size_t i;
    const char *a = "auto";
    for (i = 0; i < 4 && encoding[i] && (encoding[i] | 0x20) == a[i]; i++)
        ;
    if (i == 4 && encoding[4] == '\0')
        return detect_encoding(r);
    return open_converter(r, encoding, 0);
}

/* A reader of the file at path, opened unbuffered (we read in big blocks: no stdio copy). */
static lstats_status open_fp(ls_reader **out, const char *path, int errors)
{
    lstats_status st = reader_new(out, path, errors);
    if (st != LSTATS_OK)
        return st;
    (*out)->fp = fopen(path, "rb");
    if (!(*out)->fp) {
        st = io_error(path, "cannot open", errno);
        ls_reader_free(*out);
        *out = NULL;
        return st;
    }
    setvbuf((*out)->fp, NULL, _IONBF, 0);
    return LSTATS_OK;
}

lstats_status ls_reader_open_file(ls_reader **out, const char *path, const char *encoding,
                                  int errors)
{
    if (!out || !path)
        return ls_error(LSTATS_EINVAL, "ls_reader_open_file: NULL argument");
    ls_reader *r;
    lstats_status st = open_fp(&r, path, errors);
    if (st != LSTATS_OK)
        return st;
    struct stat sb;
    if (fstat(fileno(r->fp), &sb) == 0 && S_ISREG(sb.st_mode))
        r->size_hint = (uint64_t)sb.st_size;
    r->rawbuf = malloc(BLOCK);
    if (!r->rawbuf) {
        st = ls_error_nomem();
        goto fail;
    }
    r->raw = r->rawbuf;
    /* The first block: plain text, or compressed data to hand to zlib. */
    size_t got = fread(r->rawbuf, 1, BLOCK, r->fp);
    if (got < BLOCK && ferror(r->fp)) {
        st = io_error(path, "read error", errno);
        goto fail;
    }
    r->bytes_in = got;
    if (got >= 2 && r->rawbuf[0] == 0x1f && r->rawbuf[1] == 0x8b) {
        r->zin = r->rawbuf; /* that block was compressed input */
        r->rawbuf = malloc(BLOCK);
        r->raw = r->rawbuf;
        if (!r->rawbuf) {
            st = ls_error_nomem();
            goto fail;
        }
        if ((st = start_gzip(r)) != LSTATS_OK)
            goto fail;
        r->zs.next_in = r->zin;
        r->zs.avail_in = (uInt)got;
        r->comp_fed = got;
    } else {
        r->raw_len = got;
        if (got == 0)
            r->raw_eof = 1;
    }
    if ((st = setup_encoding(r, encoding)) != LSTATS_OK)
        goto fail;
    *out = r;
    return LSTATS_OK;
fail:
    ls_reader_free(r);
    return st;
}

lstats_status ls_reader_open_file_range(ls_reader **out, const char *path, uint64_t offset,
                                        uint64_t length, int errors)
{
    if (!out || !path)
        return ls_error(LSTATS_EINVAL, "ls_reader_open_file_range: NULL argument");
    ls_reader *r;
    lstats_status st = open_fp(&r, path, errors);
    if (st != LSTATS_OK)
        return st;
    if (fseeko(r->fp, (off_t)offset, SEEK_SET) != 0) {
        st = io_error(path, "cannot seek", errno);
        goto fail;
    }
    r->size_hint = length;
    r->left = length;
    r->raw_abs = offset; /* error messages give offsets in the whole file */
    r->rawbuf = malloc(BLOCK);
    if (!r->rawbuf) {
        st = ls_error_nomem();
        goto fail;
    }
    r->raw = r->rawbuf;
    r->dec = DEC_UTF8;
    r->started = offset > 0; /* a U+FEFF inside the file is text, not a BOM */
    *out = r;
    return LSTATS_OK;
fail:
    ls_reader_free(r);
    return st;
}

lstats_status ls_reader_open_memory(ls_reader **out, const char *name, const void *data,
                                    size_t size, const char *encoding, int errors)
{
    if (!out || (!data && size > 0))
        return ls_error(LSTATS_EINVAL, "ls_reader_open_memory: NULL argument");
    ls_reader *r;
    lstats_status st = reader_new(&r, name ? name : "<memory>", errors);
    if (st != LSTATS_OK)
        return st;
    static const unsigned char empty[1] = {0};
    r->mem = data ? data : empty;
    r->mem_size = size;
    r->size_hint = size;
    if (size >= 2 && r->mem[0] == 0x1f && r->mem[1] == 0x8b) {
        r->rawbuf = malloc(BLOCK);
        r->raw = r->rawbuf;
        if (!r->rawbuf) {
            st = ls_error_nomem();
            goto fail;
        }
        if ((st = start_gzip(r)) != LSTATS_OK)
            goto fail;
    } else {
        r->raw = r->mem;
        r->raw_len = size;
        r->raw_eof = 1;
        r->in_eof = 1;
    }
    if ((st = setup_encoding(r, encoding)) != LSTATS_OK)
        goto fail;
    *out = r;
    return LSTATS_OK;
fail:
    ls_reader_free(r);
    return st;
}

void ls_reader_free(ls_reader *r)
{
    if (!r)
        return;
    if (r->fp)
        fclose(r->fp);
    if (r->zs_init)
        inflateEnd(&r->zs);
    if (r->cnv)
        ucnv_close(r->cnv);
    free(r->zin);
    free(r->rawbuf);
    free(r->ubuf);
    free(r->uoff);
    free(r->out);
    free(r->name);
    free(r);
}

/* ---------------------------------------------------------------- chunks */

static lstats_status deliver(ls_reader *r, size_t len, const char **text_out, size_t *len_out,
                             uint64_t *offset_out)
{
    *text_out = r->out ? r->out : "";
    *len_out = len;
    if (offset_out)
        *offset_out = r->delivered;
    r->out_start = len;
    r->delivered += len;
    return LSTATS_OK;
}

/* Where to cut a line longer than LINE_MAX_LEN: after the last space or tab within CUT_WINDOW
 * bytes before the limit, else at the last code point boundary. */
static size_t cut_point(const char *s, size_t len)
{
    for (size_t i = LINE_MAX_LEN; i > LINE_MAX_LEN - CUT_WINDOW; i--)
        if (s[i - 1] == ' ' || s[i - 1] == '\t')
            return i;
    if (len == LINE_MAX_LEN)
        return len; /* decoded text always ends at a code point boundary */
    size_t i = LINE_MAX_LEN;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

lstats_status ls_reader_next(ls_reader *r, const char **text_out, size_t *len_out,
                             uint64_t *offset_out)
{
    lstats_status st;
    if (!r || !text_out || !len_out)
        return ls_error(LSTATS_EINVAL, "ls_reader_next: NULL argument");
    *text_out = "";
    *len_out = 0;
    if (r->status != LSTATS_OK)
        return ls_error(r->status, "%s", r->errmsg);
    if (r->out_start > 0) {
        memmove(r->out, r->out + r->out_start, r->out_len - r->out_start);
        r->out_len -= r->out_start;
        r->out_start = 0;
    }
    while (r->out_len < CHUNK_MAX && !r->dec_done)
        if ((st = dec_step(r, CHUNK_MAX - r->out_len)) != LSTATS_OK)
            return fail(r, st);
    if (r->dec_done && r->out_len <= CHUNK_MAX)
        return deliver(r, r->out_len, text_out, len_out, offset_out);
    for (size_t i = CHUNK_MAX; i > 0; i--)
        if (r->out[i - 1] == '\n')
            return deliver(r, i, text_out, len_out, offset_out);
    /* The first line is longer than CHUNK_MAX. */
    size_t scanned = CHUNK_MAX;
    for (;;) {
        size_t lim = r->out_len < LINE_MAX_LEN ? r->out_len : LINE_MAX_LEN;
        const char *nl = memchr(r->out + scanned, '\n', lim - scanned);
        if (nl)
            return deliver(r, (size_t)(nl - r->out) + 1, text_out, len_out, offset_out);
        scanned = lim;
        if (r->out_len >= LINE_MAX_LEN)
            break;
        if (r->dec_done)
            return deliver(r, r->out_len, text_out, len_out, offset_out);
        if ((st = dec_step(r, LINE_MAX_LEN - r->out_len)) != LSTATS_OK)
            return fail(r, st);
    }
    return deliver(r, cut_point(r->out, r->out_len), text_out, len_out, offset_out);
}

uint64_t ls_reader_bytes_in(const ls_reader *r)
{
    return r ? r->bytes_in : 0;
}

uint64_t ls_reader_size_hint(const ls_reader *r)
{
    return r ? r->size_hint : 0;
}

uint64_t ls_reader_replaced(const ls_reader *r)
{
    return r ? r->replaced : 0;
}

const char *ls_reader_encoding(const ls_reader *r)
{
    return r ? r->encoding : "";
}

/*
 * Reading frequency lists: `term<TAB>count[<TAB>doc_count]` lines into a frequency table.
 *
 * Rules:
 *  - Lines end in LF or CRLF; the last line may lack its line end. A completely empty line is
 *    skipped; a line of spaces is not (it has no tab: an error).
 *  - The first non-empty line is a header, and skipped, when its second tab-separated field is
 *    "count", "freq" or "frequency" (ASCII case-insensitive). Header columns after the count
 *    are matched by name: "doc_count" is read, "per_million" ignored; other names are an error.
 *    A header with per_million is the layout lstats_table_write_tsv gives a frequency table:
 *    its escapes (\t \n \r \\) in terms are then undone, so such files round-trip. A third
 *    header column of another name is the doc_count, by position.
 *  - Counts are plain decimal digits (no sign, no spaces); leading zeros are allowed.
 *  - doc_count is given on every line or on none; it must not exceed count.
 *  - Lines must be strict UTF-8 without NUL bytes; terms must not be empty.
 *  - A term listed twice is an error naming both lines, or summed (LSTATS_DUPLICATES_SUM).
 * Every error names the path and the line (and the byte column for invalid UTF-8).
 * The file is read in chunks; memory holds the distinct terms, not the file.
 */
#define _POSIX_C_SOURCE 200809L

#include "error.h"
#include "table.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FL_CHUNK (1u << 20)

static void errno_text(int err, char *buf, size_t size)
{
    if (strerror_r(err, buf, size) != 0)
        snprintf(buf, size, "error %d", err);
}

lstats_status lstats_freqlist_options_init(lstats_freqlist_options *opts, uint32_t version)
{
    if (!opts)
        return ls_error(LSTATS_EINVAL, "freqlist options: opts must not be NULL");
    if (version != LSTATS_FREQLIST_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION,
                        "freqlist options version %" PRIu32 " not supported (expected %d)", version,
                        LSTATS_FREQLIST_OPTIONS_VERSION);
    memset(opts, 0, sizeof *opts);
    opts->version = LSTATS_FREQLIST_OPTIONS_VERSION;
    opts->duplicates = LSTATS_DUPLICATES_ERROR;
    return LSTATS_OK;
}

/* The distinct terms read so far. */
typedef struct fl_state {
    const char *path;
    char *blob;
    size_t blob_len, blob_cap;
    int64_t *off; /* n + 1 */
    uint64_t *count, *doc;
    size_t *line; /* line of first occurrence */
    size_t n, cap;
    size_t *slots; /* entry + 1; 0 empty */
    uint64_t *hashes;
    size_t nslots;
} fl_state;

static lstats_status fl_error(const fl_state *s, lstats_status st, size_t line, const char *fmt,
                              ...) LS_PRINTF(4, 5);

static lstats_status fl_error(const fl_state *s, lstats_status st, size_t line, const char *fmt,
                              ...)
{
    char msg[LS_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ls_error(st, "%s: line %zu: %s", s->path, line, msg);
}

/* Bytes of s to print, at most max, cut at a UTF-8 character boundary. */
static int cut_len(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return (int)len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return (int)max;
}

enum { NUM_OK, NUM_EMPTY, NUM_NEGATIVE, NUM_NOT_INT, NUM_OVERFLOW };

static int parse_u64(const char *p, size_t len, uint64_t *out)
{
    if (len == 0)
        return NUM_EMPTY;
    if (p[0] == '-') {
        for (size_t i = 1; i < len; i++)
            if (p[i] < '0' || p[i] > '9')
                return NUM_NOT_INT;
        return len > 1 ? NUM_NEGATIVE : NUM_NOT_INT;
    }
    uint64_t v = 0;
    int overflow = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return NUM_NOT_INT;
        unsigned d = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = 1;
        else
            v = v * 10 + d;
    }
    if (overflow)
        return NUM_OVERFLOW;
    *out = v;
    return NUM_OK;
}

static lstats_status number(const fl_state *s, size_t line, const char *what, const char *p,
                            size_t len, uint64_t *out)
{
    switch (parse_u64(p, len, out)) {
    case NUM_OK: return LSTATS_OK;
    case NUM_EMPTY: return fl_error(s, LSTATS_EFORMAT, line, "empty %s", what);
    case NUM_NEGATIVE:
        return fl_error(s, LSTATS_EFORMAT, line, "negative %s '%.*s'", what, cut_len(p, len, 40),
                        p);
    case NUM_OVERFLOW:
        return fl_error(s, LSTATS_ERANGE, line, "%s '%.*s' exceeds 18446744073709551615", what,
                        cut_len(p, len, 40), p);
    default:
        return fl_error(s, LSTATS_EFORMAT, line, "%s '%.*s' is not a non-negative integer", what,
                        cut_len(p, len, 40), p);
    }
}

static lstats_status grow_entries(fl_state *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    if (cap > SIZE_MAX / 16)
        return ls_error(LSTATS_ERANGE, "%s: too many terms", s->path);
    int64_t *off = realloc(s->off, (cap + 1) * sizeof *off);
    if (!off)
        return ls_error_nomem();
    s->off = off;
    uint64_t *c = realloc(s->count, cap * sizeof *c);
    if (!c)
        return ls_error_nomem();
    s->count = c;
    uint64_t *d = realloc(s->doc, cap * sizeof *d);
    if (!d)
        return ls_error_nomem();
    s->doc = d;
    size_t *l = realloc(s->line, cap * sizeof *l);
    if (!l)
        return ls_error_nomem();
    s->line = l;
    uint64_t *h = realloc(s->hashes, cap * sizeof *h);
    if (!h)
        return ls_error_nomem();
    s->hashes = h;
    s->cap = cap;
    return LSTATS_OK;
}

static lstats_status rehash(fl_state *s)
{
    size_t nslots = s->nslots ? s->nslots * 2 : 4096;
    if (nslots > SIZE_MAX / sizeof(size_t))
        return ls_error(LSTATS_ERANGE, "%s: too many terms", s->path);
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return ls_error_nomem();
    for (size_t i = 0; i < s->n; i++) {
        size_t pos = (size_t)s->hashes[i] & (nslots - 1);
        while (slots[pos])
            pos = (pos + 1) & (nslots - 1);
        slots[pos] = i + 1;
    }
    free(s->slots);
    s->slots = slots;
    s->nslots = nslots;
    return LSTATS_OK;
}

static lstats_status add_term(fl_state *s, const lstats_freqlist_options *opts, size_t line,
                              const char *term, size_t len, uint64_t count, uint64_t doc)
{
    lstats_status st;
    uint64_t h = ls_table_hash(term, len);
    if (s->n + 1 > s->nslots / 2) {
        st = rehash(s);
        if (st)
            return st;
    }
    size_t pos = (size_t)h & (s->nslots - 1);
    while (s->slots[pos]) {
        size_t e = s->slots[pos] - 1;
        if (s->hashes[e] == h && (size_t)(s->off[e + 1] - s->off[e]) == len &&
            memcmp(s->blob + s->off[e], term, len) == 0) {
            if (opts->duplicates != LSTATS_DUPLICATES_SUM)
                return fl_error(s, LSTATS_EFORMAT, line,
                                "duplicate term '%.*s' (first on line %zu)",
                                cut_len(term, len, 100), term, s->line[e]);
            if (s->count[e] > UINT64_MAX - count)
                return fl_error(s, LSTATS_ERANGE, line,
                                "summed count of duplicate term '%.*s' exceeds "
                                "18446744073709551615",
                                cut_len(term, len, 100), term);
            s->count[e] += count;
            s->doc[e] += doc; /* doc <= count, so no overflow here */
            return LSTATS_OK;
        }
        pos = (pos + 1) & (s->nslots - 1);
    }
    if (s->n == s->cap) {
        st = grow_entries(s);
        if (st)
            return st;
    }
    if (len > s->blob_cap - s->blob_len) {
        size_t cap = s->blob_cap ? s->blob_cap : 65536;
        while (cap - s->blob_len < len) {
            if (cap > SIZE_MAX / 2)
                return ls_error(LSTATS_ERANGE, "%s: terms too large", s->path);
            cap *= 2;
        }
        char *b = realloc(s->blob, cap);
        if (!b)
            return ls_error_nomem();
        s->blob = b;
        s->blob_cap = cap;
    }
    memcpy(s->blob + s->blob_len, term, len);
    s->blob_len += len;
    size_t e = s->n++;
    s->off[e + 1] = (int64_t)s->blob_len;
    s->count[e] = count;
    s->doc[e] = doc;
    s->line[e] = line;
    s->hashes[e] = h;
    s->slots[pos] = e + 1;
    return LSTATS_OK;
}

static int ieq(const char *p, size_t len, const char *word)
{
    size_t wl = strlen(word);
    if (len != wl)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return 0;
    }
    return 1;
}

#define FL_MAX_FIELDS 8

typedef struct fl_line_state {
    int seen_nonempty;
    int has_doc; /* -1 unknown */
    size_t doc_line;
    size_t header_nf; /* 0: no header; else every line has this many fields */
    int doc_idx;      /* with a header: the doc_count field, -1 none */
    int unescape;     /* the header is libstats' TSV layout: undo its escapes in terms */
} fl_line_state;

/* Undoes lstats_table_write_tsv's escapes (\t \n \r \\) in place; returns the new length. */
static size_t unescape_tsv(char *p, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '\\' && i + 1 < len) {
            char c = p[i + 1];
            char r = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == '\\' ? '\\' : 0;
            if (r) {
                p[o++] = r;
                i++;
                continue;
            }
        }
        p[o++] = p[i];
    }
    return o;
}

/* A header line: field 1 is count/freq/frequency. Columns after the count are matched by name:
 * "doc_count" is read, "per_million" ignored (the layout lstats_table_write_tsv writes for a
 * frequency table, whose escaped terms are then unescaped); any other name is an error. */
static lstats_status do_header(const fl_state *s, fl_line_state *ls, size_t line, char *const *f,
                               const size_t *fl, size_t nf)
{
    if (nf > FL_MAX_FIELDS)
        return fl_error(s, LSTATS_EFORMAT, line, "header has too many columns (%zu)", nf);
    ls->header_nf = nf;
    ls->doc_idx = -1;
    for (size_t i = 2; i < nf; i++) {
        if (ieq(f[i], fl[i], "doc_count") && ls->doc_idx < 0) {
            ls->doc_idx = (int)i;
        } else if (ieq(f[i], fl[i], "per_million")) {
            ls->unescape = 1;
        } else if (nf == 3) {
            ls->doc_idx = 2; /* term, count, doc count under another name */
        } else {
            return fl_error(s, LSTATS_EFORMAT, line,
                            "header column %zu '%.*s' is not doc_count or per_million", i + 1,
                            cut_len(f[i], fl[i], 40), f[i]);
        }
    }
    ls->has_doc = ls->doc_idx >= 0;
    ls->doc_line = line;
    return LSTATS_OK;
}

static lstats_status do_line(fl_state *s, const lstats_freqlist_options *opts, fl_line_state *ls,
                             size_t line, char *p, size_t len)
{
    if (len > 0 && p[len - 1] == '\r')
        len--;
    if (len == 0)
        return LSTATS_OK;
    const char *nul = memchr(p, 0, len);
    if (nul)
        return fl_error(s, LSTATS_EFORMAT, line, "NUL byte at column %zu", (size_t)(nul - p) + 1);
    size_t bad;
    if (!ls_table_utf8_valid(p, len, &bad))
        return fl_error(s, LSTATS_EFORMAT, line, "invalid UTF-8 at column %zu (byte 0x%02X)",
                        bad + 1, (unsigned)(unsigned char)p[bad]);
    char *f[FL_MAX_FIELDS];
    size_t fl[FL_MAX_FIELDS], nf = 0;
    char *q = p, *end = p + len;
    for (;;) {
        char *t = memchr(q, '\t', (size_t)(end - q));
        if (nf < FL_MAX_FIELDS) {
            f[nf] = q;
            fl[nf] = t ? (size_t)(t - q) : (size_t)(end - q);
        }
        nf++;
        if (!t)
            break;
        q = t + 1;
    }
    int first = !ls->seen_nonempty;
    ls->seen_nonempty = 1;
    if (first && nf >= 2 &&
        (ieq(f[1], fl[1], "count") || ieq(f[1], fl[1], "freq") || ieq(f[1], fl[1], "frequency")))
        return do_header(s, ls, line, f, fl, nf);
    if (nf < 2)
        return fl_error(s, LSTATS_EFORMAT, line, "expected term<TAB>count");
    int has_doc;
    if (ls->header_nf > 3 || (ls->header_nf == 3 && ls->doc_idx < 0)) {
        if (nf != ls->header_nf)
            return fl_error(s, LSTATS_EFORMAT, line, "%zu columns, the header on line %zu has %zu",
                            nf, ls->doc_line, ls->header_nf);
        has_doc = ls->doc_idx >= 0;
    } else {
        if (nf > 3)
            return fl_error(s, LSTATS_EFORMAT, line,
                            "too many columns (%zu); expected term<TAB>count[<TAB>doc_count]", nf);
        has_doc = nf == 3;
        if (ls->has_doc < 0) {
            ls->has_doc = has_doc;
            ls->doc_line = line;
        } else if (ls->has_doc != has_doc) {
            return fl_error(s, LSTATS_EFORMAT, line,
                            "%zu columns but line %zu has %d; doc_count must be given on every "
                            "line or on none",
                            nf, ls->doc_line, ls->has_doc ? 3 : 2);
        }
    }
    if (fl[0] == 0)
        return fl_error(s, LSTATS_EFORMAT, line, "empty term");
    uint64_t count = 0, doc = 0;
    lstats_status st = number(s, line, "count", f[1], fl[1], &count);
    if (st)
        return st;
    if (has_doc) {
        int di = ls->doc_idx >= 0 ? ls->doc_idx : 2;
        st = number(s, line, "doc_count", f[di], fl[di], &doc);
        if (st)
            return st;
        if (doc > count)
            return fl_error(s, LSTATS_EFORMAT, line, "doc_count %" PRIu64 " exceeds count %" PRIu64,
                            doc, count);
    }
    size_t tl = ls->unescape ? unescape_tsv(f[0], fl[0]) : fl[0];
    return add_term(s, opts, line, f[0], tl, count, doc);
}

static void fl_free(fl_state *s)
{
    free(s->blob);
    free(s->off);
    free(s->count);
    free(s->doc);
    free(s->line);
    free(s->slots);
    free(s->hashes);
}

static lstats_status build_table(fl_state *s, int with_doc, lstats_table **out)
{
    uint64_t n_tokens = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->count[i] > UINT64_MAX - n_tokens)
            return ls_error(LSTATS_ERANGE,
                            "%s: the sum of the counts exceeds "
                            "18446744073709551615",
                            s->path);
        n_tokens += s->count[i];
    }
    size_t n = s->n;
    double *pm = malloc((n ? n : 1) * sizeof *pm);
    if (!pm)
        return ls_error_nomem();
    for (size_t i = 0; i < n; i++)
        pm[i] = n_tokens ? (double)s->count[i] * 1e6 / (double)n_tokens : 0.0;
    lstats_table *t = ls_table_new(n);
    if (!t) {
        free(pm);
        return LSTATS_ENOMEM;
    }
    /* The table takes ownership of the arrays. */
    lstats_status st = ls_table_add_string(t, "term", s->blob, s->off);
    s->blob = NULL;
    s->off = NULL;
    if (!st)
        st = ls_table_add_u64(t, "count", s->count);
    else
        free(s->count);
    s->count = NULL;
    if (!st)
        st = ls_table_add_f64(t, "per_million", pm);
    else
        free(pm);
    if (with_doc) {
        if (!st)
            st = ls_table_add_u64(t, "doc_count", s->doc);
        else
            free(s->doc);
        s->doc = NULL;
    }
    if (!st)
        st = ls_table_set_meta(t, "kind", "frequency");
    if (!st)
        st = ls_table_set_meta(t, "n", "1");
    if (!st)
        st = ls_table_set_meta_u64(t, "n_tokens", n_tokens);
    if (!st)
        st = ls_table_set_meta(t, "source", s->path);
    lstats_table *sorted = NULL;
    if (!st)
        st = lstats_table_top(t, "count", 1, 0, &sorted);
    lstats_table_free(t);
    if (!st)
        *out = sorted;
    return st;
}

lstats_status lstats_read_frequency_list(const char *path, const lstats_freqlist_options *opts,
                                         lstats_table **out)
{
    if (!path || !out)
        return ls_error(LSTATS_EINVAL, "read_frequency_list: path and out must not be NULL");
    lstats_freqlist_options defaults;
    if (!opts) {
        lstats_freqlist_options_init(&defaults, LSTATS_FREQLIST_OPTIONS_VERSION);
        opts = &defaults;
    }
    if (opts->version != LSTATS_FREQLIST_OPTIONS_VERSION)
        return ls_error(LSTATS_EVERSION,
                        "freqlist options version %" PRIu32 " not supported (expected %d)",
                        opts->version, LSTATS_FREQLIST_OPTIONS_VERSION);
    if (opts->duplicates != LSTATS_DUPLICATES_ERROR && opts->duplicates != LSTATS_DUPLICATES_SUM)
        return ls_error(LSTATS_EINVAL, "freqlist options: unknown duplicates mode %" PRId32,
                        opts->duplicates);
    FILE *f = fopen(path, "rb");
    if (!f) {
        char err[128];
        errno_text(errno, err, sizeof err);
        return ls_error(LSTATS_EIO, "cannot open '%s': %s", path, err);
    }
    fl_state s;
    memset(&s, 0, sizeof s);
    s.path = path;
    fl_line_state ls = {0, -1, 0, 0, -1, 0};
    lstats_status st = grow_entries(&s);
    size_t cap = FL_CHUNK * 2, start = 0, end = 0, scan = 0, line = 0;
    char *buf = malloc(cap);
    if (!st && !buf)
        st = ls_error_nomem();
    if (!st)
        s.off[0] = 0;
    int eof = 0;
    while (!st) {
        char *nl = memchr(buf + scan, '\n', end - scan);
        if (nl) {
            line++;
            st = do_line(&s, opts, &ls, line, buf + start, (size_t)(nl - (buf + start)));
            start = scan = (size_t)(nl - buf) + 1;
            continue;
        }
        if (eof) {
            if (end > start) {
                line++;
                st = do_line(&s, opts, &ls, line, buf + start, end - start);
            }
            break;
        }
        /* Need more bytes: move the partial line to the front, grow when it fills the buffer. */
        if (start > 0) {
            memmove(buf, buf + start, end - start);
            end -= start;
            start = 0;
        }
        scan = end;
        if (cap - end < FL_CHUNK) {
            if (cap > SIZE_MAX / 2) {
                st = ls_error(LSTATS_ERANGE, "%s: line too long", path);
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                st = ls_error_nomem();
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + end, 1, cap - end, f);
        end += got;
        if (got == 0) {
            if (ferror(f)) {
                char err[128];
                errno_text(errno, err, sizeof err);
                st = ls_error(LSTATS_EIO, "cannot read '%s': %s", path, err);
                break;
            }
            eof = 1;
        }
    }
    free(buf);
    fclose(f);
    if (!st)
        st = build_table(&s, ls.has_doc == 1, out);
    fl_free(&s);
    return st;
}

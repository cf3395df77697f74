#include "tokenize.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "error.h"
#include "normalize.h"
#include "scripts.h"

struct ls_tokenizer {
    ls_tok_config cfg;
    UBreakIterator *word;
    UBreakIterator *sentence;
    ls_normalizer norm;
    UChar *u16;
    int32_t u16_cap;
    uint32_t *off8;        /* byte offset of each UTF-16 index of u16 */
    UText *utext;          /* UTF-8 text for sentence break in whitespace mode */
    uint64_t *sent_starts; /* byte offsets (chunk-relative) where sentences begin */
    size_t n_sent, sent_cap;
    int fold;       /* LSTATS_FOLD_* */
    char *fold_buf; /* script folding scratch (scripts.c) */
    size_t fold_cap;
};

/* ------------------------------------------------------------------ token buffer */

void ls_token_buf_clear(ls_token_buf *b)
{
    b->n = 0;
    b->bytes_len = 0;
}

void ls_token_buf_destroy(ls_token_buf *b)
{
    free(b->tok);
    free(b->bytes);
    memset(b, 0, sizeof *b);
}

lstats_status ls_token_buf_push(ls_token_buf *b, const char *term, size_t len, uint64_t start,
                                uint64_t end, uint32_t sentence_start)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        ls_token *t = realloc(b->tok, cap * sizeof *t);
        if (!t)
            return ls_error_nomem();
        b->tok = t;
        b->cap = cap;
    }
    if (b->bytes_len + len > b->bytes_cap) {
        size_t cap = b->bytes_cap ? b->bytes_cap * 2 : 65536;
        while (cap < b->bytes_len + len)
            cap *= 2;
        char *p = realloc(b->bytes, cap);
        if (!p)
            return ls_error_nomem();
        b->bytes = p;
        b->bytes_cap = cap;
    }
    if (b->bytes_len + len > UINT32_MAX)
        return ls_error(LSTATS_ERANGE, "chunk has more than 4 GiB of token text");
    memcpy(b->bytes + b->bytes_len, term, len);
    ls_token *t = &b->tok[b->n++];
    t->start = start;
    t->end = end;
    t->off = (uint32_t)b->bytes_len;
    t->len = (uint32_t)len;
    t->sentence_start = sentence_start;
    b->bytes_len += len;
    return LSTATS_OK;
}

/* ------------------------------------------------------------------ set-up */

lstats_status ls_tokenizer_new(ls_tokenizer **out, const ls_tok_config *cfg)
{
    *out = NULL;
    if (cfg->tokenizer < LSTATS_TOKENIZER_ICU || cfg->tokenizer > LSTATS_TOKENIZER_HAN)
        return ls_error(LSTATS_EINVAL, "unknown tokenizer %d", cfg->tokenizer);
    if (cfg->sentences < LSTATS_SENTENCES_ICU || cfg->sentences > LSTATS_SENTENCES_NONE)
        return ls_error(LSTATS_EINVAL, "unknown sentences value %d", cfg->sentences);
    ls_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return ls_error_nomem();
    t->cfg = *cfg;
    t->cfg.locale = NULL; /* the caller's string is not kept */
    lstats_status st = ls_normalizer_init(&t->norm, cfg->normalize, cfg->lowercase);
    if (st) {
        free(t);
        return st;
    }
    const char *loc = cfg->locale ? cfg->locale : "";
    UErrorCode err = U_ZERO_ERROR;
    if (cfg->tokenizer != LSTATS_TOKENIZER_WHITESPACE)
        t->word = ubrk_open(UBRK_WORD, loc, NULL, 0, &err);
    if (U_SUCCESS(err) && cfg->sentences == LSTATS_SENTENCES_ICU)
        t->sentence = ubrk_open(UBRK_SENTENCE, loc, NULL, 0, &err);
    if (U_FAILURE(err)) {
        ls_tokenizer_free(t);
        return ls_error(LSTATS_EICU, "cannot open ICU break iterator for locale '%s': %s", loc,
                        u_errorName(err));
    }
    *out = t;
    return LSTATS_OK;
}

void ls_tokenizer_free(ls_tokenizer *t)
{
    if (!t)
        return;
    if (t->word)
        ubrk_close(t->word);
    if (t->sentence)
        ubrk_close(t->sentence);
    if (t->utext)
        utext_close(t->utext);
    ls_normalizer_destroy(&t->norm);
    free(t->u16);
    free(t->off8);
    free(t->sent_starts);
    free(t->fold_buf);
    free(t);
}

void ls_tokenizer_set_fold(ls_tokenizer *t, int fold)
{
    t->fold = fold;
}

lstats_status ls_tokenizer_normalize(ls_tokenizer *t, const char *s, size_t len, const char **out_s,
                                     size_t *out_len)
{
    lstats_status st = ls_normalize_token(&t->norm, s, len, NULL, 0, out_s, out_len);
    if (!st && t->fold)
        st = ls_script_fold(t->fold, *out_s, *out_len, &t->fold_buf, &t->fold_cap, out_s, out_len);
    return st;
}

/* ------------------------------------------------------------------ helpers */

/* UTF-8 (already validated by the reader) to UTF-16, recording for every UTF-16 index the byte
 * offset it starts at (off8[n16] = len), so that ICU's boundaries map back to bytes in O(1). */
static lstats_status to_utf16(ls_tokenizer *t, const char *text, size_t len, int32_t *n16)
{
    if (len >= (size_t)INT32_MAX / 2)
        return ls_error(LSTATS_ERANGE, "chunk of %zu bytes is too large", len);
    if ((int64_t)len + 1 > t->u16_cap) {
        int32_t cap = (int32_t)len + 1;
        UChar *u = realloc(t->u16, (size_t)cap * sizeof *u);
        if (!u)
            return ls_error_nomem();
        t->u16 = u;
        uint32_t *o = realloc(t->off8, (size_t)cap * sizeof *o);
        if (!o)
            return ls_error_nomem();
        t->off8 = o;
        t->u16_cap = cap;
    }
    const unsigned char *s = (const unsigned char *)text;
    UChar *u = t->u16;
    uint32_t *o = t->off8;
    size_t i = 0;
    int32_t k = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            o[k] = (uint32_t)i;
            u[k++] = c;
            i += 1;
        } else if (c < 0xE0) {
            o[k] = (uint32_t)i;
            u[k++] = (UChar)(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
            i += 2;
        } else if (c < 0xF0) {
            o[k] = (uint32_t)i;
            u[k++] = (UChar)(((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F));
            i += 3;
        } else {
            uint32_t cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
                          ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
            o[k] = o[k + 1] = (uint32_t)i;
            u[k++] = U16_LEAD(cp);
            u[k++] = U16_TRAIL(cp);
            i += 4;
        }
    }
    o[k] = (uint32_t)len;
    *n16 = k;
    return LSTATS_OK;
}

static lstats_status push_sentence(ls_tokenizer *t, uint64_t off)
{
    if (t->n_sent == t->sent_cap) {
        size_t cap = t->sent_cap ? t->sent_cap * 2 : 1024;
        uint64_t *p = realloc(t->sent_starts, cap * sizeof *p);
        if (!p)
            return ls_error_nomem();
        t->sent_starts = p;
        t->sent_cap = cap;
    }
    t->sent_starts[t->n_sent++] = off;
    return LSTATS_OK;
}

/* Sentence starts as chunk-relative byte offsets, ending with a sentinel past the chunk.
 * With UTF-16 at hand (word-break modes) ICU runs over it; otherwise over the UTF-8 itself
 * through a UText, whose native indices are byte offsets. */
static lstats_status find_sentences(ls_tokenizer *t, const char *text, size_t len, int32_t n16)
{
    t->n_sent = 0;
    lstats_status st;
    if (t->cfg.sentences == LSTATS_SENTENCES_LINES) {
        const char *p = text, *end = text + len;
        while (p < end) {
            if ((st = push_sentence(t, (uint64_t)(p - text))))
                return st;
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
        }
        return push_sentence(t, (uint64_t)len + 1);
    }
    if (t->cfg.sentences == LSTATS_SENTENCES_NONE)
        return push_sentence(t, (uint64_t)len + 1);
    UErrorCode err = U_ZERO_ERROR;
    if (n16 >= 0) {
        ubrk_setText(t->sentence, t->u16, n16, &err);
    } else {
        t->utext = utext_openUTF8(t->utext, text, (int64_t)len, &err);
        if (U_SUCCESS(err))
            ubrk_setUText(t->sentence, t->utext, &err);
    }
    if (U_FAILURE(err))
        return ls_error(LSTATS_EICU, "sentence break failed: %s", u_errorName(err));
    int32_t limit = n16 >= 0 ? n16 : (int32_t)len;
    for (int32_t b = ubrk_first(t->sentence); b != UBRK_DONE; b = ubrk_next(t->sentence)) {
        if (b >= limit)
            break;
        if ((st = push_sentence(t, n16 >= 0 ? t->off8[b] : (uint64_t)b)))
            return st;
    }
    return push_sentence(t, (uint64_t)len + 1);
}

typedef struct {
    ls_tokenizer *t;
    ls_token_buf *out;
    uint64_t base;
    size_t next_sent; /* index into t->sent_starts */
    int first;
} emit_state;

/* Whether a sentence boundary lies between the previous emitted token and one at `start`. */
static uint32_t take_sentence_flag(emit_state *e, size_t start)
{
    ls_tokenizer *t = e->t;
    uint32_t flag = 0;
    if (e->first) {
        flag = 1;
        e->first = 0;
    }
    while (t->sent_starts[e->next_sent] <= start) {
        flag = 1;
        e->next_sent++;
    }
    return flag;
}

static lstats_status emit(emit_state *e, const char *text, size_t s8, size_t e8, const UChar *u16,
                          int32_t n16)
{
    const char *term;
    size_t term_len;
    lstats_status st =
        ls_normalize_token(&e->t->norm, text + s8, e8 - s8, u16, n16, &term, &term_len);
    if (st)
        return st;
    if (e->t->fold && (st = ls_script_fold(e->t->fold, term, term_len, &e->t->fold_buf,
                                           &e->t->fold_cap, &term, &term_len)))
        return st;
    if (term_len == 0) /* e.g. only default-ignorable code points */
        return LSTATS_OK;
    uint32_t flag = take_sentence_flag(e, s8);
    return ls_token_buf_push(e->out, term, term_len, e->base + s8, e->base + e8, flag);
}

static int all_white_space(const UChar *s, int32_t n)
{
    int32_t i = 0;
    while (i < n) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        if (!u_isUWhiteSpace(c))
            return 0;
    }
    return 1;
}

/* Han mode: each Han code point of a word is its own token; other runs stay whole. */
static lstats_status emit_han_split(emit_state *e, const char *text, size_t s8, const UChar *u16,
                                    int32_t n16)
{
    int32_t i = 0, run16 = 0;
    size_t p8 = s8, run8 = s8;
    lstats_status st;
    while (i < n16) {
        int32_t prev = i;
        UChar32 c;
        U16_NEXT(u16, i, n16, c);
        size_t clen8 = U8_LENGTH(c);
        UErrorCode err = U_ZERO_ERROR;
        if (uscript_getScript(c, &err) == USCRIPT_HAN) {
            if (prev > run16 && (st = emit(e, text, run8, p8, u16 + run16, prev - run16)))
                return st;
            if ((st = emit(e, text, p8, p8 + clen8, u16 + prev, i - prev)))
                return st;
            run16 = i;
            run8 = p8 + clen8;
        }
        p8 += clen8;
    }
    if (n16 > run16)
        return emit(e, text, run8, p8, u16 + run16, n16 - run16);
    return LSTATS_OK;
}

static lstats_status tokenize_icu(ls_tokenizer *t, const char *text, size_t len, int32_t n16,
                                  emit_state *e)
{
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(t->word, t->u16, n16, &err);
    if (U_FAILURE(err))
        return ls_error(LSTATS_EICU, "word break failed: %s", u_errorName(err));
    int32_t start = ubrk_first(t->word);
    size_t start8 = 0;
    lstats_status st;
    for (int32_t end = ubrk_next(t->word); end != UBRK_DONE;
         start = end, end = ubrk_next(t->word)) {
        int32_t status = ubrk_getRuleStatus(t->word);
        size_t end8 = t->off8[end];
        const UChar *u = t->u16 + start;
        int32_t n = end - start;
        int keep;
        if (status < UBRK_WORD_NONE_LIMIT)
            keep = t->cfg.keep_punct && !all_white_space(u, n);
        else if (status < UBRK_WORD_NUMBER_LIMIT)
            keep = !t->cfg.drop_numbers;
        else
            keep = 1;
        if (keep) {
            if (t->cfg.tokenizer == LSTATS_TOKENIZER_HAN)
                st = emit_han_split(e, text, start8, u, n);
            else
                st = emit(e, text, start8, end8, u, n);
            if (st)
                return st;
        }
        start8 = end8;
    }
    (void)len;
    return LSTATS_OK;
}

/* The White_Space property (stable since Unicode 4.1): ASCII ones, U+0085, U+00A0, U+1680,
 * U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. Returns the byte length of the white
 * space character at s (0 if none). */
static inline int ascii_space(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

static size_t white_space_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return ascii_space(c);
    if (c == 0xC2 && avail >= 2 && (s[1] == 0x85 || s[1] == 0xA0))
        return 2;
    if (c == 0xE1 && avail >= 3 && s[1] == 0x9A && s[2] == 0x80)
        return 3;
    if (c == 0xE2 && avail >= 3) {
        if (s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
            return 3;
        if (s[1] == 0x81 && s[2] == 0x9F)
            return 3;
    }
    if (c == 0xE3 && avail >= 3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

enum { CLASS_WORD, CLASS_PUNCT, CLASS_NUMBER };

/* Byte classes for the whitespace tokenizer's scan: ASCII white space, ASCII letter, upper-case
 * ASCII letter, non-ASCII byte, and lead bytes of the non-ASCII white space characters
 * (U+0085, U+00A0: C2; U+1680: E1; U+2000..U+205F: E2; U+3000: E3). */
enum { BC_SPACE = 1, BC_LETTER = 2, BC_UPPER = 4, BC_NONASCII = 8, BC_MAYBE_SPACE = 16 };
static const unsigned char byte_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0,  0, 0,  0,  0,  0, 0, 0, 0,
    0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  0, 0,  0,  0,  0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,  6, 6,  6,  6,  6, 6, 6, 6,
    6, 6, 6, 6, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  2, 2,  2,  2,  2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8, 8,  8, 8,  8,  8,  8, 8, 8, 8,
    8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,  8, 8,  8,  8,  8, 8, 8, 8,
    8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 24, 8, 8,  8,  8,  8, 8, 8, 8,
    8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,  8, 24, 24, 24, 8, 8, 8, 8,
    8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,  8, 8,  8,
};

/* A whitespace-delimited token is punctuation when every code point is P* or S*, and a number
 * when it has a digit and otherwise only digits, number letters and . , : separators. */
static int classify(const unsigned char *s, size_t n)
{
    int all_punct = 1, numeric = 1, has_digit = 0;
    size_t i = 0;
    /* ASCII fast path: any letter makes a word. */
    for (size_t k = 0; k < n && s[k] < 0x80; k++)
        if ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z')
            return CLASS_WORD;
    while (i < n) {
        UChar32 c;
        U8_NEXT_UNSAFE(s, i, c);
        int8_t type = u_charType(c);
        int punct = (type >= U_DASH_PUNCTUATION && type <= U_OTHER_PUNCTUATION) ||
                    (type >= U_MATH_SYMBOL && type <= U_OTHER_SYMBOL) ||
                    type == U_INITIAL_PUNCTUATION || type == U_FINAL_PUNCTUATION ||
                    type == U_CONNECTOR_PUNCTUATION;
        int digit =
            type == U_DECIMAL_DIGIT_NUMBER || type == U_LETTER_NUMBER || type == U_OTHER_NUMBER;
        if (!punct)
            all_punct = 0;
        if (digit)
            has_digit = 1;
        else if (!(c == '.' || c == ',' || c == ':'))
            numeric = 0;
    }
    if (all_punct && !(numeric && has_digit))
        return CLASS_PUNCT;
    if (numeric && has_digit)
        return CLASS_NUMBER;
    return CLASS_WORD;
}

static lstats_status tokenize_whitespace(ls_tokenizer *t, const char *text, size_t len,
                                         emit_state *e)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    lstats_status st;
    while (i < len) {
        size_t w;
        for (;;) {
            if (i >= len)
                break;
            if (s[i] < 0x80) {
                if (!ascii_space(s[i]))
                    break;
                i++;
            } else if ((w = white_space_len(s + i, len - i)) > 0) {
                i += w;
            } else {
                break;
            }
        }
        if (i >= len)
            break;
        size_t start = i;
        /* While scanning, collect what the ASCII fast path needs (any non-ASCII byte, any
         * letter, any upper-case letter) from one table look-up per byte. */
        unsigned seen = 0;
        while (i < len) {
            unsigned cls = byte_class[s[i]];
            if (cls & (BC_SPACE | BC_MAYBE_SPACE)) {
                if ((cls & BC_SPACE) || white_space_len(s + i, len - i))
                    break;
            }
            seen |= cls;
            i++;
        }
        unsigned nonascii = seen & BC_NONASCII, letter = seen & BC_LETTER, upper = seen & BC_UPPER;
        if (i > len)
            i = len;
        int cls = (!nonascii && letter) ? CLASS_WORD : classify(s + start, i - start);
        if ((cls == CLASS_PUNCT && !t->cfg.keep_punct) ||
            (cls == CLASS_NUMBER && t->cfg.drop_numbers))
            continue;
        if (!nonascii && !(upper && t->cfg.lowercase)) {
            /* ASCII with nothing to fold: already normal under every setting. */
            uint32_t flag = take_sentence_flag(e, start);
            if ((st = ls_token_buf_push(e->out, text + start, i - start, e->base + start,
                                        e->base + i, flag)))
                return st;
            continue;
        }
        if ((st = emit(e, text, start, i, NULL, 0)))
            return st;
    }
    return LSTATS_OK;
}

lstats_status ls_tokenize_chunk(ls_tokenizer *t, const char *text, size_t len, uint64_t base,
                                ls_token_buf *out)
{
    if (len == 0)
        return LSTATS_OK;
    int32_t n16 = -1; /* no UTF-16 form: the whitespace tokenizer works on UTF-8 */
    lstats_status st;
    if (t->cfg.tokenizer != LSTATS_TOKENIZER_WHITESPACE && (st = to_utf16(t, text, len, &n16)))
        return st;
    if ((st = find_sentences(t, text, len, n16)))
        return st;
    emit_state e = {t, out, base, 0, t->cfg.sentences != LSTATS_SENTENCES_NONE || base == 0};
    if (t->cfg.tokenizer == LSTATS_TOKENIZER_WHITESPACE)
        return tokenize_whitespace(t, text, len, &e);
    return tokenize_icu(t, text, len, n16, &e);
}

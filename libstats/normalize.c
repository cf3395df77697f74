#include "normalize.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "error.h"

lstats_status ls_normalizer_init(ls_normalizer *n, int normalize, int lowercase)
{
    memset(n, 0, sizeof *n);
    n->normalize = normalize;
    n->lowercase = lowercase;
    UErrorCode err = U_ZERO_ERROR;
    if (normalize == LSTATS_NORMALIZE_NFKC)
        n->norm = lowercase ? unorm2_getNFKCCasefoldInstance(&err) : unorm2_getNFKCInstance(&err);
    else if (normalize == LSTATS_NORMALIZE_NFC)
        n->norm = unorm2_getNFCInstance(&err);
    else if (normalize != LSTATS_NORMALIZE_NONE)
        return ls_error(LSTATS_EINVAL, "unknown normalize value %d", normalize);
    if (U_FAILURE(err))
        return ls_error(LSTATS_EICU, "cannot load ICU normalizer: %s", u_errorName(err));
    return LSTATS_OK;
}

void ls_normalizer_destroy(ls_normalizer *n)
{
    free(n->u16a);
    free(n->u16b);
    free(n->out);
    memset(n, 0, sizeof *n);
}

static lstats_status reserve_u16(ls_normalizer *n, int64_t need)
{
    if (need <= n->u16_cap)
        return LSTATS_OK;
    if (need > INT32_MAX / 4)
        return ls_error(LSTATS_ERANGE, "token too long to normalise (%lld UTF-16 units)",
                        (long long)need);
    int32_t cap = (int32_t)(need * 2 > 64 ? need * 2 : 64);
    UChar *a = realloc(n->u16a, (size_t)cap * sizeof *a);
    if (!a)
        return ls_error_nomem();
    n->u16a = a;
    UChar *b = realloc(n->u16b, (size_t)cap * sizeof *b);
    if (!b)
        return ls_error_nomem();
    n->u16b = b;
    n->u16_cap = cap;
    return LSTATS_OK;
}

static lstats_status reserve_out(ls_normalizer *n, size_t need)
{
    if (need <= n->out_cap)
        return LSTATS_OK;
    size_t cap = need * 2 > 64 ? need * 2 : 64;
    char *o = realloc(n->out, cap);
    if (!o)
        return ls_error_nomem();
    n->out = o;
    n->out_cap = cap;
    return LSTATS_OK;
}

/* Case folding and normalisation can grow a string (e.g. NFKC of U+FDFA is 18 code units);
 * retry once with the size ICU asks for. */
static lstats_status run_icu(ls_normalizer *n, int fold, const UChar *src, int32_t src_len,
                             const UChar **res, int32_t *res_len)
{
    UErrorCode err;
    const UChar *cur = src;
    int32_t cur_len = src_len;
    UChar *bufs[2] = {n->u16a, n->u16b};
    int which = (src == n->u16a) ? 1 : 0;
    if (fold) {
        for (int attempt = 0; attempt < 2; attempt++) {
            err = U_ZERO_ERROR;
            int32_t len =
                u_strFoldCase(bufs[which], n->u16_cap, cur, cur_len, U_FOLD_CASE_DEFAULT, &err);
            if (err == U_BUFFER_OVERFLOW_ERROR && attempt == 0) {
                int keep_src_a = (cur == n->u16a);
                lstats_status st = reserve_u16(n, (int64_t)len + 1);
                if (st)
                    return st;
                bufs[0] = n->u16a;
                bufs[1] = n->u16b;
                if (keep_src_a)
                    cur = n->u16a;
                continue;
            }
            if (U_FAILURE(err))
                return ls_error(LSTATS_EICU, "case folding failed: %s", u_errorName(err));
            cur = bufs[which];
            cur_len = len;
            which ^= 1;
            break;
        }
    }
    if (n->norm &&
        unorm2_spanQuickCheckYes(n->norm, cur, cur_len, &(UErrorCode){U_ZERO_ERROR}) < cur_len) {
        for (int attempt = 0; attempt < 2; attempt++) {
            err = U_ZERO_ERROR;
            int32_t len = unorm2_normalize(n->norm, cur, cur_len, bufs[which], n->u16_cap, &err);
            if (err == U_BUFFER_OVERFLOW_ERROR && attempt == 0) {
                int cur_is_a = (cur == n->u16a), cur_is_b = (cur == n->u16b);
                lstats_status st = reserve_u16(n, (int64_t)len + 1);
                if (st)
                    return st;
                bufs[0] = n->u16a;
                bufs[1] = n->u16b;
                if (cur_is_a)
                    cur = n->u16a;
                else if (cur_is_b)
                    cur = n->u16b;
                continue;
            }
            if (U_FAILURE(err))
                return ls_error(LSTATS_EICU, "normalisation failed: %s", u_errorName(err));
            cur = bufs[which];
            cur_len = len;
            break;
        }
    }
    *res = cur;
    *res_len = cur_len;
    return LSTATS_OK;
}

/* Unified ideographs (U+3400..U+4DBF, U+4E00..U+9FFF) and Hangul syllables (U+AC00..U+D7A3)
 * have no case and are unchanged by NFC, NFKC and NFKC_Casefold; most Chinese tokens consist of
 * nothing else, so they skip ICU entirely. */
static int stable_cjk(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len % 3)
        return 0;
    for (size_t i = 0; i < len; i += 3) {
        if ((s[i] & 0xF0) != 0xE0)
            return 0;
        uint32_t c = ((uint32_t)(s[i] & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
                     (uint32_t)(s[i + 2] & 0x3F);
        if (!((c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
              (c >= 0xAC00 && c <= 0xD7A3)))
            return 0;
    }
    return 1;
}

lstats_status ls_normalize_token(ls_normalizer *n, const char *s, size_t len, const UChar *u16,
                                 int32_t u16_len, const char **out_s, size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    unsigned upper = 0;
    for (; i < len && u[i] < 0x80; i++)
        upper |= (unsigned)(u[i] - 'A') < 26u;
    if (i == len) {
        /* ASCII: NFC and NFKC leave it unchanged, case folding is A-Z -> a-z. */
        if (n->lowercase && upper) {
            lstats_status st = reserve_out(n, len);
            if (st)
                return st;
            for (size_t j = 0; j < len; j++)
                n->out[j] = (char)(u[j] + (((unsigned)(u[j] - 'A') < 26u) << 5));
            *out_s = n->out;
            *out_len = len;
            return LSTATS_OK;
        }
        *out_s = s;
        *out_len = len;
        return LSTATS_OK;
    }
    if (!n->norm && !n->lowercase) {
        *out_s = s;
        *out_len = len;
        return LSTATS_OK;
    }
    if (stable_cjk(s, len)) {
        *out_s = s;
        *out_len = len;
        return LSTATS_OK;
    }
    lstats_status st;
    if (!u16) {
        if (len > INT32_MAX / 2)
            return ls_error(LSTATS_ERANGE, "token too long to normalise (%zu bytes)", len);
        st = reserve_u16(n, (int64_t)len + 1);
        if (st)
            return st;
        UErrorCode err = U_ZERO_ERROR;
        u_strFromUTF8(n->u16a, n->u16_cap, &u16_len, s, (int32_t)len, &err);
        if (U_FAILURE(err))
            return ls_error(LSTATS_EICU, "UTF-8 to UTF-16 failed: %s", u_errorName(err));
        u16 = n->u16a;
    } else {
        st = reserve_u16(n, (int64_t)u16_len + 1);
        if (st)
            return st;
    }
    /* Fast exit when the token is already in normal form and has nothing to fold. */
    if (!n->lowercase && unorm2_isNormalized(n->norm, u16, u16_len, &(UErrorCode){U_ZERO_ERROR})) {
        *out_s = s;
        *out_len = len;
        return LSTATS_OK;
    }
    if (n->lowercase && n->normalize == LSTATS_NORMALIZE_NFKC &&
        unorm2_spanQuickCheckYes(n->norm, u16, u16_len, &(UErrorCode){U_ZERO_ERROR}) == u16_len) {
        /* NFKC_Casefold "yes" means the string is already folded and normalised. */
        *out_s = s;
        *out_len = len;
        return LSTATS_OK;
    }
    const UChar *res = NULL;
    int32_t res_len = 0;
    /* NFKC_Casefold folds on its own; the other combinations fold first, then normalise. */
    int fold = n->lowercase && n->normalize != LSTATS_NORMALIZE_NFKC;
    st = run_icu(n, fold, u16, u16_len, &res, &res_len);
    if (st)
        return st;
    size_t need = (size_t)res_len * 3 + 1;
    st = reserve_out(n, need);
    if (st)
        return st;
    UErrorCode err = U_ZERO_ERROR;
    int32_t out8 = 0;
    u_strToUTF8(n->out, (int32_t)n->out_cap, &out8, res, res_len, &err);
    if (U_FAILURE(err))
        return ls_error(LSTATS_EICU, "UTF-16 to UTF-8 failed: %s", u_errorName(err));
    *out_s = n->out;
    *out_len = (size_t)out8;
    return LSTATS_OK;
}

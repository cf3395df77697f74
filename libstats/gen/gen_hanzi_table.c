/* Build-time generator of the Han script-variant table (libstats/scripts.c).
 *
 *   gen_hanzi_table OUTPUT.c
 *
 * Derives, from ICU's "Hant-Hans" and "Hans-Hant" transliterators, the class of every Han code
 * point (Script=Han and Ideographic) and the fold mappings towards Simplified and Traditional,
 * and writes them as a two-level lookup table in C. The rule (README "Scripts"):
 *
 *   T2S(c), S2T(c): the one-code-point results of Hant-Hans and Hans-Hant applied to c alone.
 *   prot_S(c): c occurs, changed by T2S, in a Hant-Hans rule that maps a phrase to itself
 *              (`著名 > 著名`, or a context rule `pre{X}post > X`): c is valid Simplified there.
 *   prot_T(c): the same for Hans-Hant (`后妃 > 后妃`, `干涉 > 干涉`): c is valid Traditional.
 *   valid_S = T2S(c) == c or prot_S(c);   valid_T = S2T(c) == c or prot_T(c).
 *   shared      = valid_S and valid_T
 *   simplified  = valid_S and not valid_T
 *   traditional = valid_T and not valid_S, unless it is a variant:
 *   variant     = not valid_S, s = T2S(c), t = S2T(s), t != c, t != s, and c is not produced by
 *                 any Hans-Hant rule (c is a non-standard form of the standard Traditional t:
 *                 説 -> 说 -> 說; 髮 is produced by `头发 > 頭髮` and stays traditional);
 *                 or neither valid_S nor valid_T.
 *   fold to Simplified: c -> T2S(c) when not valid_S (traditional and variant characters).
 *   fold to Traditional: a variant c -> S2T(T2S(c)); a simplified c -> S2T(c) when that is the
 *                 only non-variant d != c with T2S(d) == c and no Hans-Hant phrase rule maps c
 *                 to another character (发 <- 發/髮 stays 发). Shared characters never fold.
 *
 * This program runs on the build machine only; the library does no transform at run time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

#define MAX_CP 0x32400 /* past the last Han block (Extension H ends at U+323AF) */
#define NBLOCK (MAX_CP >> 8)

enum { C_NONE = 0, C_SHARED = 1, C_TRAD = 2, C_SIMP = 3, C_VARIANT = 4 };
enum { F_FOLD_S = 8, F_FOLD_T = 16 };

static void die(const char *what, UErrorCode err)
{
    fprintf(stderr, "gen_hanzi_table: %s: %s\n", what, u_errorName(err));
    exit(1);
}

static UTransliterator *open_trans(const char *id)
{
    UChar uid[32];
    UErrorCode err = U_ZERO_ERROR;
    u_uastrcpy(uid, id);
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err))
        die(id, err);
    return t;
}

/* The transform of one code point; -1 when the result is not exactly one code point. */
static int32_t trans1(UTransliterator *t, int32_t c)
{
    UChar buf[16];
    int32_t len = 0;
    UBool bad = 0;
    U16_APPEND(buf, len, 16, c, bad);
    (void)bad;
    int32_t limit = len;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &len, 16, 0, &limit, &err);
    if (U_FAILURE(err))
        die("utrans_transUChars", err);
    int32_t i = 0;
    UChar32 out;
    U16_NEXT(buf, i, len, out);
    return i == len ? out : -1;
}

/* The rules as UTF-32 text. */
static int32_t *rules32(UTransliterator *t, int32_t *n_out)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = utrans_toRules(t, 0, NULL, 0, &err);
    err = U_ZERO_ERROR;
    UChar *r = malloc(((size_t)n + 1) * sizeof *r);
    int32_t *r32 = malloc(((size_t)n + 1) * sizeof *r32);
    if (!r || !r32) {
        fprintf(stderr, "gen_hanzi_table: out of memory\n");
        exit(1);
    }
    utrans_toRules(t, 0, r, n + 1, &err);
    if (U_FAILURE(err))
        die("utrans_toRules", err);
    int32_t n32 = 0;
    u_strToUTF32(r32, n + 1, &n32, r, n, &err);
    if (U_FAILURE(err))
        die("u_strToUTF32", err);
    free(r);
    *n_out = n32;
    return r32;
}

typedef struct {
    unsigned char *prot;   /* per code point: occurs (changed) in an identity rule */
    unsigned char *multi;  /* per code point: a phrase rule maps it to another character */
    unsigned char *output; /* per code point: occurs in the output side of some rule */
    int32_t *single;       /* per code point: its single-character mapping (T2S or S2T) */
    int n_identity, n_rules;
} rule_info;

/* Walks `lhs > rhs;` lines. The source side may carry context: `[set]{X}post > Y`: only X is
 * replaced. Sets ([...]) are skipped; a rule is used when X and Y are plain characters. */
static void scan_rules(const int32_t *r, int32_t n, rule_info *ri)
{
    int32_t i = 0;
    while (i < n) {
        int32_t e = i;
        while (e < n && r[e] != '\n')
            e++;
        /* one line: r[i, e) */
        int32_t lhs[256], rhs[256], nl = 0, nr = 0, brace0 = -1, brace1 = -1, arrow = -1;
        int depth = 0, ok = 1;
        for (int32_t k = i; k < e; k++) {
            int32_t c = r[k];
            if (arrow < 0 && c == '>' && k > i && r[k - 1] == ' ') {
                arrow = k;
                continue;
            }
            if (c == ' ' || c == ';')
                continue;
            if (arrow < 0) {
                if (c == '[') {
                    depth++;
                    continue;
                }
                if (c == ']') {
                    depth--;
                    continue;
                }
                if (depth)
                    continue; /* context sets are not part of X */
                if (c == '{') {
                    brace0 = nl;
                    continue;
                }
                if (c == '}') {
                    brace1 = nl;
                    continue;
                }
                if (c < 0x80 || nl >= 256) {
                    ok = 0;
                    continue;
                }
                lhs[nl++] = c;
            } else {
                if (c < 0x80 || nr >= 256) {
                    ok = 0;
                    continue;
                }
                rhs[nr++] = c;
            }
        }
        i = e + 1;
        if (arrow < 0 || !ok || nl == 0)
            continue;
        for (int32_t k = 0; k < nr; k++)
            if (rhs[k] < MAX_CP)
                ri->output[rhs[k]] = 1;
        int32_t s0 = brace0 >= 0 ? brace0 : 0, s1 = brace1 >= 0 ? brace1 : nl;
        const int32_t *x = lhs + s0;
        int32_t nx = s1 - s0;
        ri->n_rules++;
        if (nx == nr && (nx > 1 || brace0 >= 0 || brace1 >= 0)) {
            int identity = memcmp(x, rhs, (size_t)nx * sizeof *x) == 0;
            if (identity)
                ri->n_identity++;
            for (int32_t k = 0; k < nx; k++) {
                int32_t c = x[k];
                if (c >= MAX_CP)
                    continue;
                if (identity && ri->single[c] != c)
                    ri->prot[c] = 1;
                if (!identity && rhs[k] != c && rhs[k] != ri->single[c])
                    ri->multi[c] = 1;
            }
        }
    }
}

static int is_han(int32_t c)
{
    UErrorCode err = U_ZERO_ERROR;
    return u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) && uscript_getScript(c, &err) == USCRIPT_HAN;
}

typedef struct {
    int32_t from, to;
} pair;

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_hanzi_table OUTPUT.c\n");
        return 2;
    }
    UTransliterator *t2s = open_trans("Hant-Hans"), *s2t = open_trans("Hans-Hant");
    unsigned char *cls = calloc(MAX_CP, 1);
    int32_t *T = malloc(MAX_CP * sizeof *T), *S = malloc(MAX_CP * sizeof *S);
    int32_t *fs = calloc(MAX_CP, sizeof *fs), *ft = calloc(MAX_CP, sizeof *ft);
    int32_t *preimage = calloc(MAX_CP, sizeof *preimage); /* non-variant d with T2S(d) == c */
    unsigned char *han = calloc(MAX_CP, 1);
    rule_info rs = {calloc(MAX_CP, 1), calloc(MAX_CP, 1), calloc(MAX_CP, 1), S, 0, 0};
    rule_info rt = {calloc(MAX_CP, 1), calloc(MAX_CP, 1), calloc(MAX_CP, 1), T, 0, 0};
    if (!cls || !T || !S || !fs || !ft || !preimage || !han || !rs.prot || !rs.multi ||
        !rs.output || !rt.prot || !rt.multi || !rt.output) {
        fprintf(stderr, "gen_hanzi_table: out of memory\n");
        return 1;
    }
    for (int32_t c = 0; c < MAX_CP; c++) {
        S[c] = T[c] = c;
        if (c >= 0x2E80 && is_han(c)) {
            han[c] = 1;
            S[c] = trans1(t2s, c);
            T[c] = trans1(s2t, c);
        }
    }
    int32_t n;
    int32_t *r = rules32(t2s, &n);
    scan_rules(r, n, &rs);
    free(r);
    r = rules32(s2t, &n);
    scan_rules(r, n, &rt);
    free(r);

    long count[5] = {0}, n_fold_s = 0, n_fold_t = 0, n_ambiguous = 0;
    for (int32_t c = 0; c < MAX_CP; c++) {
        if (!han[c])
            continue;
        int valid_s = S[c] == c || rs.prot[c];
        int valid_t = T[c] == c || rt.prot[c];
        int k;
        if (valid_s && valid_t)
            k = C_SHARED;
        else if (valid_s)
            k = C_SIMP;
        else if (!valid_t)
            k = C_VARIANT;
        else {
            int32_t s = S[c], t = s >= 0 && s < MAX_CP ? T[s] : -1;
            k = (s >= 0 && t >= 0 && t != c && t != s && !rt.output[c]) ? C_VARIANT : C_TRAD;
        }
        cls[c] = (unsigned char)k;
        count[k]++;
        if (!valid_s && S[c] >= 0 && S[c] != c)
            fs[c] = S[c];
    }
    /* Traditional preimages of each Simplified character (variants excluded). */
    for (int32_t d = 0; d < MAX_CP; d++) {
        if (!han[d] || cls[d] != C_TRAD || !fs[d] || fs[d] >= MAX_CP)
            continue;
        int32_t c = fs[d];
        preimage[c] = preimage[c] == 0 ? d : -1; /* -1: more than one */
    }
    for (int32_t c = 0; c < MAX_CP; c++) {
        if (!han[c])
            continue;
        if (cls[c] == C_VARIANT && fs[c] && fs[c] < MAX_CP && T[fs[c]] > 0 && T[fs[c]] != c &&
            T[fs[c]] != fs[c])
            ft[c] = T[fs[c]];
        if (cls[c] == C_SIMP && T[c] > 0 && T[c] != c) {
            if (preimage[c] == T[c] && !rt.multi[c])
                ft[c] = T[c];
            else
                n_ambiguous++;
        }
        if (fs[c]) {
            cls[c] |= F_FOLD_S;
            n_fold_s++;
        }
        if (ft[c]) {
            cls[c] |= F_FOLD_T;
            n_fold_t++;
        }
    }

    /* Two-level table: blocks of 256 code points, identical blocks stored once. */
    int32_t stage1[NBLOCK];
    int32_t nblocks = 0;
    int32_t *block_of = malloc(NBLOCK * sizeof *block_of);
    if (!block_of) {
        fprintf(stderr, "gen_hanzi_table: out of memory\n");
        return 1;
    }
    for (int32_t b = 0; b < NBLOCK; b++) {
        int32_t found = -1;
        for (int32_t p = 0; p < b && found < 0; p++)
            if (block_of[p] == p && memcmp(cls + p * 256, cls + b * 256, 256) == 0)
                found = p;
        block_of[b] = found < 0 ? b : found;
        if (found < 0)
            stage1[b] = nblocks++;
        else
            stage1[b] = stage1[found];
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    fprintf(out,
            "/* Generated by libstats/gen/gen_hanzi_table.c from ICU %s's Hant-Hans and "
            "Hans-Hant transforms\n * (%d and %d rules, %d and %d identity rules). Do not "
            "edit.\n *\n * Han code points: %ld shared, %ld traditional, %ld simplified, %ld "
            "variant;\n * %ld fold to Simplified, %ld fold to Traditional, %ld simplified "
            "left unfolded (ambiguous).\n */\n",
            U_ICU_VERSION, rs.n_rules, rt.n_rules, rs.n_identity, rt.n_identity, count[1], count[2],
            count[3], count[4], n_fold_s, n_fold_t, n_ambiguous);
    fprintf(out, "#include \"scripts_table.h\"\n\n");
    fprintf(out, "const char ls_han_icu_version[] = \"%s\";\n\n", U_ICU_VERSION);
    fprintf(out, "const uint16_t ls_han_stage1[LS_HAN_NBLOCK] = {");
    for (int32_t b = 0; b < NBLOCK; b++)
        fprintf(out, "%s%d,", b % 16 ? " " : "\n    ", stage1[b]);
    fprintf(out, "\n};\n\nconst uint8_t ls_han_stage2[%d * 256] = {", nblocks);
    int32_t written = 0;
    for (int32_t b = 0; b < NBLOCK; b++) {
        if (block_of[b] != b)
            continue;
        for (int k = 0; k < 256; k++, written++)
            fprintf(out, "%s%d,", written % 32 ? "" : "\n    ", cls[b * 256 + k]);
    }
    fprintf(out, "\n};\n\n");
    const char *names[2] = {"ls_han_fold_simp", "ls_han_fold_trad"};
    int32_t *maps[2] = {fs, ft};
    long ns[2] = {n_fold_s, n_fold_t};
    for (int m = 0; m < 2; m++) {
        fprintf(out, "const size_t %s_n = %ld;\nconst ls_han_pair %s[%ld] = {", names[m], ns[m],
                names[m], ns[m] ? ns[m] : 1);
        long w = 0;
        for (int32_t c = 0; c < MAX_CP; c++)
            if (maps[m][c])
                fprintf(out, "%s{0x%X, 0x%X},", w++ % 6 ? " " : "\n    ", c, maps[m][c]);
        fprintf(out, "\n};\n\n");
    }
    if (fclose(out) != 0) {
        perror(argv[1]);
        return 1;
    }
    utrans_close(t2s);
    utrans_close(s2t);
    free(cls);
    free(T);
    free(S);
    free(fs);
    free(ft);
    free(preimage);
    free(han);
    free(block_of);
    free(rs.prot);
    free(rs.multi);
    free(rs.output);
    free(rt.prot);
    free(rt.multi);
    free(rt.output);
    return 0;
}

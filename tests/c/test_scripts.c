/* Script variants: per-character classes (the traps of the issue), folding, the pinyin cleanup,
 * ratios with Wilson intervals, labels of the five sample documents, script mix, variant terms. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "check.h"

/* The code point of a one-character UTF-8 string. */
static uint32_t cp_of(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80)
        return u[0];
    if (u[0] < 0xE0)
        return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    if (u[0] < 0xF0)
        return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
}

static void check_class(const char *ch, int want)
{
    int got = lstats_han_class(cp_of(ch));
    if (got != want)
        fprintf(stderr, "class of %s: got %d, want %d\n", ch, got, want);
    CHECK(got == want);
}

static void check_fold(const char *ch, int fold, const char *want)
{
    uint32_t got = lstats_han_fold(cp_of(ch), fold);
    if (got != cp_of(want))
        fprintf(stderr, "fold %d of %s: got U+%04X, want %s\n", fold, ch, (unsigned)got, want);
    CHECK(got == cp_of(want));
}

static void test_classes(void)
{
    /* Standard in Taiwan although OpenCC's s2t rewrites them: never Simplified-only. */
    const char *tw[] = {"群", "床", "峰", "吃", "台", "裡", "為", "髮"};
    for (size_t i = 0; i < sizeof tw / sizeof *tw; i++)
        CHECK(lstats_han_class(cp_of(tw[i])) != LSTATS_HAN_SIMPLIFIED);
    /* Valid in both standards although ICU's one-character transforms change them. */
    check_class("著", LSTATS_HAN_SHARED);
    check_class("乾", LSTATS_HAN_SHARED);
    check_class("后", LSTATS_HAN_SHARED);
    check_class("干", LSTATS_HAN_SHARED);
    check_class("群", LSTATS_HAN_SHARED);
    check_class("人", LSTATS_HAN_SHARED);
    check_class("發", LSTATS_HAN_TRADITIONAL);
    check_class("髮", LSTATS_HAN_TRADITIONAL);
    check_class("說", LSTATS_HAN_TRADITIONAL);
    check_class("後", LSTATS_HAN_TRADITIONAL);
    check_class("发", LSTATS_HAN_SIMPLIFIED);
    check_class("说", LSTATS_HAN_SIMPLIFIED);
    check_class("这", LSTATS_HAN_SIMPLIFIED);
    check_class("説", LSTATS_HAN_VARIANT);
    check_class("爲", LSTATS_HAN_VARIANT);
    check_class("a", LSTATS_HAN_NONE);
    check_class("あ", LSTATS_HAN_NONE);
    check_class("，", LSTATS_HAN_NONE);
    CHECK(lstats_han_class(0x10FFFF) == LSTATS_HAN_NONE);
    CHECK(lstats_han_class(0x20000) == LSTATS_HAN_SHARED); /* Extension B */
}

static void test_folds(void)
{
    check_fold("發", LSTATS_FOLD_SIMPLIFIED, "发");
    check_fold("髮", LSTATS_FOLD_SIMPLIFIED, "发");
    check_fold("説", LSTATS_FOLD_SIMPLIFIED, "说");
    check_fold("後", LSTATS_FOLD_SIMPLIFIED, "后");
    check_fold("著", LSTATS_FOLD_SIMPLIFIED, "著"); /* shared: never folded */
    check_fold("乾", LSTATS_FOLD_SIMPLIFIED, "乾");
    check_fold("发", LSTATS_FOLD_TRADITIONAL, "发"); /* 發 or 髮: ambiguous */
    check_fold("后", LSTATS_FOLD_TRADITIONAL, "后"); /* shared */
    check_fold("干", LSTATS_FOLD_TRADITIONAL, "干");
    check_fold("说", LSTATS_FOLD_TRADITIONAL, "說");
    check_fold("説", LSTATS_FOLD_TRADITIONAL, "說");
    check_fold("这", LSTATS_FOLD_TRADITIONAL, "這");
    check_fold("發", LSTATS_FOLD_NONE, "發");
    char out[64];
    size_t n;
    const char *src = "發展和发展,說明";
    CHECK_OK(lstats_han_fold_text(src, strlen(src), LSTATS_FOLD_SIMPLIFIED, out, sizeof out, &n));
    CHECK(n == strlen("发展和发展,说明") && memcmp(out, "发展和发展,说明", n) == 0);
    CHECK_OK(lstats_han_fold_text(src, strlen(src), LSTATS_FOLD_TRADITIONAL, out, sizeof out, &n));
    CHECK(n == strlen("發展和发展,說明") && memcmp(out, "發展和发展,說明", n) == 0);
    CHECK_STATUS(lstats_han_fold_text(src, strlen(src), LSTATS_FOLD_SIMPLIFIED, out, 4, &n),
                 LSTATS_EBUFS);
    CHECK(n == strlen("发展和发展,说明"));
    CHECK_STATUS(lstats_han_fold_text(src, strlen(src), 7, out, sizeof out, &n), LSTATS_EINVAL);
    CHECK_STATUS(lstats_han_fold_text("\xff", 1, 1, out, sizeof out, &n), LSTATS_EUTF8);
    CHECK_STATUS(lstats_han_fold_text(NULL, 3, 1, out, sizeof out, &n), LSTATS_EINVAL);
}

static void check_cleanup(const char *in, const char *want, uint64_t want_removed)
{
    char out[256];
    size_t n = 0;
    uint64_t removed = 99;
    CHECK_OK(
        lstats_cleanup_text(in, strlen(in), LSTATS_CLEANUP_PINYIN_ANNOTATIONS, out, &n, &removed));
    int ok = n == strlen(want) && memcmp(out, want, n) == 0 && removed == want_removed;
    if (!ok)
        fprintf(stderr, "cleanup of %s: got %.*s (%llu removed)\n", in, (int)n, out,
                (unsigned long long)removed);
    CHECK(ok);
}

static void test_cleanup(void)
{
    /* positives */
    check_cleanup("發(fā)展", "發展", 1);
    check_cleanup("業(yè)務和創(chuàng)新", "業務和創新", 2);
    check_cleanup("戰(zhàn)略、統(tǒng)一、規(guī)劃、區(qū)域", "戰略、統一、規劃、區域", 4);
    check_cleanup("發（fā）展", "發展", 1); /* full-width parentheses */
    check_cleanup("穩(wěn)", "穩", 1);      /* at the end of the text */
    check_cleanup("女(nǚ)", "女", 1);
    /* negatives: genuine parenthesised text */
    check_cleanup("英偉達(Nasdaq:NVDA)", "英偉達(Nasdaq:NVDA)", 0);
    check_cleanup("深度求索 (深度求索)", "深度求索 (深度求索)", 0);
    check_cleanup("深度求索(DeepSeek)", "深度求索(DeepSeek)", 0);
    check_cleanup("王(Alexandr Wang)", "王(Alexandr Wang)", 0);
    check_cleanup("模型(fa)", "模型(fa)", 0); /* no tone mark */
    check_cleanup("abc(fā)", "abc(fā)", 0);   /* not after a Han character */
    check_cleanup("發 (fā)", "發 (fā)", 0);   /* not right after it */
    check_cleanup("發(fāfā)", "發(fāfā)", 0); /* two syllables */
    check_cleanup("發(Fā)", "發(Fā)", 0);     /* upper case */
    check_cleanup("發(fā", "發(fā", 0);       /* unclosed */
    check_cleanup("(", "(", 0);
    check_cleanup("", "", 0);
    char out[8];
    size_t n;
    CHECK_OK(lstats_cleanup_text("發(fā)", strlen("發(fā)"), 0, out, &n, NULL));
    CHECK(n == strlen("發(fā)"));
    CHECK_STATUS(lstats_cleanup_text("a", 1, 0x80, out, &n, NULL), LSTATS_EINVAL);
}

static lstats_corpus *corpus_of(const char *const *texts, size_t n, int fold, uint32_t cleanup,
                                int keep_text)
{
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.fold_script = fold;
    o.cleanup = cleanup;
    o.keep_text = keep_text;
    o.n_threads = 2;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    const char *names[8];
    size_t lens[8];
    char buf[8][8];
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "d%zu", i);
        names[i] = buf[i];
        lens[i] = strlen(texts[i]);
    }
    CHECK_OK(lstats_corpus_add_texts(c, n, names, texts, lens, NULL, NULL));
    return c;
}

static const uint64_t *ucol(const lstats_table *t, const char *name)
{
    size_t col;
    const uint64_t *d = NULL;
    if (lstats_table_column_index(t, name, &col) || lstats_table_column_u64(t, col, &d))
        return NULL;
    return d;
}

static const double *fcol(const lstats_table *t, const char *name)
{
    size_t col;
    const double *d = NULL;
    if (lstats_table_column_index(t, name, &col) || lstats_table_column_f64(t, col, &d))
        return NULL;
    return d;
}

static int str_is(const lstats_table *t, const char *name, size_t row, const char *want)
{
    size_t col;
    const char *blob;
    const int64_t *off;
    if (lstats_table_column_index(t, name, &col) || lstats_table_column_string(t, col, &blob, &off))
        return 0;
    size_t len = (size_t)(off[row + 1] - off[row]);
    return len == strlen(want) && memcmp(blob + off[row], want, len) == 0;
}

static void test_ratios(void)
{
    const char *texts[] = {"發展說明後來", "发展说明", "發展发展", "人口",
                           "hello",        "",         "説",       "著名乾隆皇后干涉"};
    for (int keep = 0; keep <= 1; keep++) {
        lstats_corpus *c = corpus_of(texts, 8, LSTATS_FOLD_NONE, 0, keep);
        lstats_table *t = NULL;
        CHECK_OK(lstats_corpus_script_variants(c, NULL, &t));
        CHECK(lstats_table_nrows(t) == 8);
        const uint64_t *han = ucol(t, "han"), *tr = ucol(t, "traditional"),
                       *si = ucol(t, "simplified"), *sh = ucol(t, "shared"),
                       *va = ucol(t, "variant");
        const double *r = fcol(t, "ratio_trad"), *lo = fcol(t, "ci_low"), *hi = fcol(t, "ci_high");
        CHECK(han && tr && si && sh && va && r && lo && hi);
        if (han && tr && si && sh && va && r && lo && hi) {
            /* 發展說明後來: 發 說 後 traditional; 展 明 來? 來 is traditional (来) */
            CHECK(han[0] == 6 && tr[0] == 4 && si[0] == 0 && sh[0] == 2);
            CHECK(han[1] == 4 && tr[1] == 0 && si[1] == 2 && sh[1] == 2);
            CHECK(tr[2] == 1 && si[2] == 1 && r[2] == 0.5);
            CHECK(han[3] == 2 && sh[3] == 2 && isnan(r[3]) && lo[3] == 0 && hi[3] == 1);
            CHECK(han[4] == 0 && isnan(r[4]));
            CHECK(han[5] == 0);
            CHECK(va[6] == 1 && han[6] == 1);
            CHECK(han[7] == 8 && sh[7] == 8);
            /* Wilson 95% for 1 of 2: hand-computed (z = 1.959963984540054). */
            CHECK(fabs(lo[2] - 0.09453120573) < 1e-9 && fabs(hi[2] - 0.9054687943) < 1e-9);
            /* 4 of 4: [0.5101, 1] */
            CHECK(fabs(lo[0] - 0.5101091635454) < 1e-9 && fabs(hi[0] - 1) < 1e-12);
        }
        CHECK(str_is(t, "label", 0, "Traditional"));
        CHECK(str_is(t, "label", 1, "Simplified"));
        CHECK(str_is(t, "label", 2, "Mixed"));
        CHECK(str_is(t, "label", 3, "Ambiguous"));
        CHECK(str_is(t, "label", 4, "None"));
        CHECK(str_is(t, "label", 5, "None"));
        CHECK(str_is(t, "label", 6, "Ambiguous"));
        CHECK(str_is(t, "label", 7, "Ambiguous"));
        lstats_table_free(t);

        lstats_script_options so;
        CHECK_OK(lstats_script_options_init(&so, LSTATS_SCRIPT_OPTIONS_VERSION));
        so.by = LSTATS_SCRIPTS_BY_CORPUS;
        so.traditional_min = 0.5; /* 發展发展 is now Traditional */
        CHECK_OK(lstats_corpus_script_variants(c, &so, &t));
        CHECK(lstats_table_nrows(t) == 1 && str_is(t, "document", 0, "(corpus)"));
        const uint64_t *tr2 = ucol(t, "traditional"), *si2 = ucol(t, "simplified");
        CHECK(tr2 && si2 && tr2[0] == 5 && si2[0] == 3);
        CHECK(str_is(t, "label", 0, "Traditional"));
        lstats_table_free(t);
        so.by = LSTATS_SCRIPTS_BY_DOCUMENT;
        CHECK_OK(lstats_corpus_script_variants(c, &so, &t));
        CHECK(str_is(t, "label", 2, "Traditional"));
        lstats_table_free(t);

        /* errors */
        so.confidence = 1;
        CHECK_STATUS(lstats_corpus_script_variants(c, &so, &t), LSTATS_EINVAL);
        so.confidence = 0.95;
        so.simplified_max = 0.6;
        CHECK_STATUS(lstats_corpus_script_variants(c, &so, &t), LSTATS_EINVAL);
        so.simplified_max = 0.1;
        so.version = 99;
        CHECK_STATUS(lstats_corpus_script_variants(c, &so, &t), LSTATS_EVERSION);
        CHECK_STATUS(lstats_script_options_init(&so, 99), LSTATS_EVERSION);
        CHECK_STATUS(lstats_corpus_script_variants(NULL, NULL, &t), LSTATS_EINVAL);
        CHECK_STATUS(lstats_corpus_script_variants(c, NULL, NULL), LSTATS_EINVAL);

        /* script mix needs the text */
        if (!keep) {
            CHECK_STATUS(lstats_corpus_script_mix(c, &t), LSTATS_ESTATE);
        } else {
            CHECK_OK(lstats_corpus_script_mix(c, &t));
            const uint64_t *chars = ucol(t, "chars"), *h = ucol(t, "han"), *lat = ucol(t, "latin");
            CHECK(chars && h && lat && chars[0] == 6 && h[0] == 6 && lat[4] == 5 && chars[5] == 0);
            lstats_table_free(t);
        }
        lstats_corpus_free(c);
    }
}

static void test_mix(void)
{
    const char *texts[] = {"漢字かなカナ한글abc，１２ｱ 。\xcc\x81"};
    lstats_corpus *c = corpus_of(texts, 1, 0, 0, 1);
    lstats_table *t = NULL;
    CHECK_OK(lstats_corpus_script_mix(c, &t));
    const char *cols[] = {"chars",  "han",       "latin", "hiragana",  "katakana", "hangul",
                          "common", "inherited", "other", "fullwidth", "halfwidth"};
    /* 漢字 かな カナ 한글 abc ， １２ ｱ space 。 U+0301 */
    const uint64_t want[] = {18, 2, 3, 2, 3, 2, 5, 1, 0, 3, 1};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) {
        const uint64_t *v = ucol(t, cols[k]);
        CHECK(v != NULL);
        if (v && v[0] != want[k])
            fprintf(stderr, "mix %s: got %llu, want %llu\n", cols[k], (unsigned long long)v[0],
                    (unsigned long long)want[k]);
        CHECK(v && v[0] == want[k]);
    }
    lstats_table_free(t);
    lstats_corpus_free(c);
}

static void test_fold_corpus(void)
{
    const char *texts[] = {"發展 經濟 發展", "发展 经济", "頭髮 头发"};
    /* Without folding: variant terms group 發展/发展 and 經濟/经济. */
    lstats_corpus *c = corpus_of(texts, 3, LSTATS_FOLD_NONE, 0, 1);
    lstats_table *t = NULL;
    CHECK_OK(lstats_corpus_variant_terms(c, NULL, &t));
    CHECK(t && lstats_table_nrows(t) == 6);
    if (t && lstats_table_nrows(t) == 6) {
        CHECK(str_is(t, "key", 0, "发展") && str_is(t, "form", 0, "發展"));
        CHECK(str_is(t, "key", 1, "发展") && str_is(t, "form", 1, "发展"));
        const uint64_t *cnt = ucol(t, "count"), *kc = ucol(t, "key_count");
        const double *share = fcol(t, "share");
        CHECK(cnt && kc && share && cnt[0] == 2 && cnt[1] == 1 && kc[0] == 3);
        CHECK(share && fabs(share[0] - 2.0 / 3) < 1e-15);
        CHECK(str_is(t, "key", 4, "头发") || str_is(t, "key", 2, "头发"));
    }
    lstats_table_free(t);
    lstats_script_options so;
    CHECK_OK(lstats_script_options_init(&so, LSTATS_SCRIPT_OPTIONS_VERSION));
    so.min_count = 3;
    CHECK_OK(lstats_corpus_variant_terms(c, &so, &t));
    CHECK(lstats_table_nrows(t) == 2);
    lstats_table_free(t);
    lstats_corpus_free(c);

    /* Folding to Simplified: one term. */
    c = corpus_of(texts, 3, LSTATS_FOLD_SIMPLIFIED, 0, 1);
    lstats_freq_options fo;
    CHECK_OK(lstats_freq_options_init(&fo, LSTATS_FREQ_OPTIONS_VERSION));
    CHECK_OK(lstats_corpus_frequencies(c, &fo, &t));
    CHECK(lstats_table_nrows(t) == 3);
    CHECK(str_is(t, "term", 0, "发展"));
    const uint64_t *cnt = ucol(t, "count");
    CHECK(cnt && cnt[0] == 3);
    CHECK(lstats_table_meta_get(t, "fold_script") &&
          strcmp(lstats_table_meta_get(t, "fold_script"), "simplified") == 0);
    lstats_table_free(t);
    CHECK_OK(lstats_corpus_variant_terms(c, NULL, &t));
    CHECK(lstats_table_nrows(t) == 0);
    lstats_table_free(t);
    /* Offsets still point at the original text. */
    CHECK_OK(lstats_corpus_doc_tokens(c, 0, &t));
    CHECK(str_is(t, "term", 0, "发展"));
    lstats_table_free(t);
    lstats_corpus_free(c);

    /* Folding to Traditional: 发 stays (發/髮), 经济 -> 經濟. */
    c = corpus_of(texts, 3, LSTATS_FOLD_TRADITIONAL, 0, 1);
    CHECK_OK(lstats_corpus_frequencies(c, &fo, &t));
    CHECK(lstats_table_nrows(t) > 0);
    long found = 0;
    for (size_t r = 0; r < lstats_table_nrows(t); r++)
        found += str_is(t, "term", r, "經濟") + 10 * str_is(t, "term", r, "经济");
    CHECK(found == 1);
    lstats_table_free(t);
    lstats_corpus_free(c);

    /* Compounds are folded like tokens. */
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    const char *comp[] = {"人工智慧"};
    o.compounds = comp;
    o.n_compounds = 1;
    o.fold_script = LSTATS_FOLD_SIMPLIFIED;
    CHECK_OK(lstats_corpus_new(&c, &o));
    const char *txt = "人工智慧很好";
    CHECK_OK(lstats_corpus_add_text(c, "a", txt, strlen(txt)));
    CHECK_OK(lstats_corpus_doc_tokens(c, 0, &t));
    CHECK(str_is(t, "term", 0, "人工智慧"));
    lstats_table_free(t);
    lstats_corpus_free(c);

    o.n_compounds = 0;
    o.compounds = NULL;
    o.fold_script = 3;
    CHECK_STATUS(lstats_corpus_new(&c, &o), LSTATS_EINVAL);
    o.fold_script = 0;
    o.cleanup = 2;
    CHECK_STATUS(lstats_corpus_new(&c, &o), LSTATS_EINVAL);
}

/* Equal up to ASCII case (the terms are lowercased). */
static int same_folded(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
        if (x != b[i])
            return 0;
    }
    return 1;
}

static void test_cleanup_corpus(void)
{
    const char *texts[] = {"春節發(fā)展(Nasdaq:NVDA)業(yè)務\n第二行創(chuàng)新"};
    lstats_corpus *c = corpus_of(texts, 1, 0, LSTATS_CLEANUP_PINYIN_ANNOTATIONS, 1);
    const char *text;
    size_t len;
    CHECK_OK(lstats_corpus_doc_text(c, 0, &text, &len));
    const char *want = "春節發展(Nasdaq:NVDA)業務\n第二行創新";
    CHECK(len == strlen(want) && memcmp(text, want, len) == 0);
    lstats_table *t = NULL;
    CHECK_OK(lstats_corpus_summary(c, &t));
    const uint64_t *rm = ucol(t, "cleanup_removed");
    CHECK(rm && rm[0] == 3);
    lstats_table_free(t);
    CHECK_OK(lstats_corpus_doc_tokens(c, 0, &t));
    /* every token's offsets point at its text */
    size_t col;
    const int64_t *start = NULL, *end = NULL;
    CHECK_OK(lstats_table_column_index(t, "start", &col));
    CHECK_OK(lstats_table_column_i64(t, col, &start));
    CHECK_OK(lstats_table_column_index(t, "end", &col));
    CHECK_OK(lstats_table_column_i64(t, col, &end));
    const char *blob;
    const int64_t *off;
    CHECK_OK(lstats_table_column_index(t, "term", &col));
    CHECK_OK(lstats_table_column_string(t, col, &blob, &off));
    for (size_t r = 0; r < lstats_table_nrows(t); r++) {
        size_t n = (size_t)(off[r + 1] - off[r]);
        int same =
            (size_t)(end[r] - start[r]) == n && same_folded(text + start[r], blob + off[r], n);
        if (!same)
            fprintf(stderr, "token %zu: %.*s at %lld..%lld\n", r, (int)n, blob + off[r],
                    (long long)start[r], (long long)end[r]);
        CHECK(same);
        CHECK(memchr(blob + off[r], '(', n) == NULL || memcmp(blob + off[r], "(", 1) == 0);
    }
    lstats_table_free(t);
    lstats_corpus_free(c);
}

static void test_samples(void)
{
    const char *files[] = {"000_a7d02d31f2581e8c.txt", "001_a3d71f31426a832b.txt",
                           "002_1387c4aaf010367a.txt", "003_cd1fe29d6d3c03c8.txt",
                           "004_b736f3daf11a5bd2.txt"};
    const char *want[] = {"Traditional", "Simplified", "Simplified", "Traditional", "Simplified"};
    char paths[5][1024];
    const char *p[5];
    for (int i = 0; i < 5; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", LSTATS_SEEDS, files[i]);
        p[i] = paths[i];
    }
    lstats_table *fast = NULL, *t = NULL;
    CHECK_OK(lstats_script_variants_files(5, p, NULL, NULL, NULL, NULL, &fast));
    lstats_corpus_options o;
    CHECK_OK(lstats_corpus_options_init(&o, LSTATS_CORPUS_OPTIONS_VERSION));
    o.cleanup = LSTATS_CLEANUP_PINYIN_ANNOTATIONS;
    lstats_corpus *c = NULL;
    CHECK_OK(lstats_corpus_new(&c, &o));
    CHECK_OK(lstats_corpus_add_files(c, 5, p, NULL, NULL, NULL));
    CHECK_OK(lstats_corpus_script_variants(c, NULL, &t));
    for (int i = 0; i < 5; i++) {
        CHECK(str_is(t, "label", (size_t)i, want[i]));
        CHECK(str_is(fast, "label", (size_t)i, want[i]));
    }
    /* The fast path counts what ingestion counts. */
    const char *cols[] = {"han", "traditional", "simplified", "shared", "variant"};
    for (int k = 0; k < 5; k++) {
        const uint64_t *a = ucol(t, cols[k]), *b = ucol(fast, cols[k]);
        CHECK(a && b && memcmp(a, b, 5 * sizeof *a) == 0);
    }
    const uint64_t *va = ucol(t, "variant");
    CHECK(va && va[0] >= 5); /* 000 writes 説 */
    lstats_table_free(t);
    lstats_table_free(fast);
    CHECK_OK(lstats_corpus_summary(c, &t));
    const uint64_t *rm = ucol(t, "cleanup_removed");
    CHECK(rm && rm[3] == 69 && rm[0] == 0 && rm[1] == 0);
    lstats_table_free(t);
    /* No pinyin annotation survives as a token. */
    CHECK_OK(lstats_corpus_doc_tokens(c, 3, &t));
    size_t col;
    const char *blob;
    const int64_t *off;
    CHECK_OK(lstats_table_column_index(t, "term", &col));
    CHECK_OK(lstats_table_column_string(t, col, &blob, &off));
    for (size_t r = 0; r < lstats_table_nrows(t); r++) {
        size_t n = (size_t)(off[r + 1] - off[r]);
        int bad = (n == 3 && memcmp(blob + off[r], "f\xc4\x81", 3) == 0) ||
                  (n == 3 && memcmp(blob + off[r], "y\xc3\xa8", 3) == 0);
        CHECK(!bad);
    }
    lstats_table_free(t);
    lstats_corpus_free(c);

    /* Invalid UTF-8 and NUL bytes leave the fused fast path for the reader, which reports them
     * (strict) or replaces them (replace mode), as ingestion does. */
    char bad_path[] = "/tmp/ls_scripts_XXXXXX";
    int fd = mkstemp(bad_path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        FILE *bf = fdopen(fd, "wb");
        fputs("發展\n说明\xff\n", bf);
        fclose(bf);
        const char *bp = bad_path;
        CHECK_STATUS(lstats_script_variants_files(1, &bp, NULL, NULL, NULL, NULL, &t),
                     LSTATS_EUTF8);
        lstats_script_options so;
        CHECK_OK(lstats_script_options_init(&so, LSTATS_SCRIPT_OPTIONS_VERSION));
        so.errors = LSTATS_ERRORS_REPLACE;
        CHECK_OK(lstats_script_variants_files(1, &bp, NULL, &so, NULL, NULL, &t));
        const uint64_t *tr = ucol(t, "traditional"), *si = ucol(t, "simplified");
        CHECK(tr && si && tr[0] == 1 && si[0] == 1);
        lstats_table_free(t);
        remove(bad_path);
    }
    const char *missing = "/nonexistent/file.txt";
    CHECK_STATUS(lstats_script_variants_files(1, &missing, NULL, NULL, NULL, NULL, &t), LSTATS_EIO);
    CHECK_STATUS(lstats_script_variants_files(1, NULL, NULL, NULL, NULL, NULL, &t), LSTATS_EINVAL);
}

int main(void)
{
    test_classes();
    test_folds();
    test_cleanup();
    test_ratios();
    test_mix();
    test_fold_corpus();
    test_cleanup_corpus();
    test_samples();
    return check_summary();
}

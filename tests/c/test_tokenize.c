/* The tokenizers and the normaliser, on hand-made text with known answers. */
#include <stdlib.h>

#include "check.h"
#include "tokenize.h"

static ls_tokenizer *make_s(int kind, int normalize, int lowercase, int keep_punct, int drop_num,
                            int sentences)
{
    ls_tok_config cfg = {kind, normalize, lowercase, keep_punct, drop_num, NULL, sentences};
    ls_tokenizer *t = NULL;
    CHECK_OK(ls_tokenizer_new(&t, &cfg));
    return t;
}

static ls_tokenizer *make(int kind, int normalize, int lowercase, int keep_punct, int drop_num)
{
    return make_s(kind, normalize, lowercase, keep_punct, drop_num, LSTATS_SENTENCES_ICU);
}

/* Tokens joined by '|', with '#' before a token that starts a sentence (except the first). */
static void render(const ls_token_buf *b, char *out, size_t cap)
{
    size_t p = 0;
    out[0] = '\0';
    for (size_t i = 0; i < b->n; i++) {
        const ls_token *t = &b->tok[i];
        p += (size_t)snprintf(out + p, cap - p, "%s%s%.*s", i ? "|" : "",
                              (i && t->sentence_start) ? "#" : "", (int)t->len, b->bytes + t->off);
    }
}

static void expect(ls_tokenizer *t, const char *text, const char *want)
{
    ls_token_buf b = {0};
    char got[4096];
    CHECK_OK(ls_tokenize_chunk(t, text, strlen(text), 0, &b));
    render(&b, got, sizeof got);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "text:  %s\nwant:  %s\ngot:   %s\n", text, want, got);
    CHECK(strcmp(got, want) == 0);
    ls_token_buf_destroy(&b);
}

int main(void)
{
    ls_tokenizer *icu = make(LSTATS_TOKENIZER_ICU, LSTATS_NORMALIZE_NFKC, 1, 0, 0);
    expect(icu, "The cat sat on the mat. The cat ran!", "the|cat|sat|on|the|mat|#the|cat|ran");
    /* Numbers kept; punctuation dropped; case folding is full (ß -> ss under NFKC_Casefold). */
    expect(icu, "Straße 42, ΣΊΣΥΦΟΣ.", "strasse|42|σίσυφοσ");
    /* Full-width Latin folds to ASCII under NFKC. */
    expect(icu, "ＤｅｅｐＳｅｅｋ", "deepseek");
    /* Chinese through ICU's dictionary; the line end is a sentence boundary. */
    expect(icu, "深度求索发布了新的模型。\n人工智能", "深度|求|索|发布|了|新的|模型|#人工|智能");
    expect(icu, "", "");
    expect(icu, "  \n\t ", "");
    ls_tokenizer_free(icu);

    ls_tokenizer *num = make(LSTATS_TOKENIZER_ICU, LSTATS_NORMALIZE_NFKC, 1, 1, 1);
    expect(num, "Price: 42 dollars!", "price|:|dollars|!");
    ls_tokenizer_free(num);

    ls_tokenizer *raw = make(LSTATS_TOKENIZER_ICU, LSTATS_NORMALIZE_NONE, 0, 0, 0);
    expect(raw, "ＤｅｅｐＳｅｅｋ Straße", "ＤｅｅｐＳｅｅｋ|Straße");
    ls_tokenizer_free(raw);

    ls_tokenizer *nfc = make(LSTATS_TOKENIZER_ICU, LSTATS_NORMALIZE_NFC, 1, 0, 0);
    /* e + combining acute composes under NFC; case folded; full width kept under NFC. */
    expect(nfc, "Cafe\xcc\x81 ＡＢ", "caf\xc3\xa9|ａｂ");
    ls_tokenizer_free(nfc);

    ls_tokenizer *ws = make(LSTATS_TOKENIZER_WHITESPACE, LSTATS_NORMALIZE_NFKC, 1, 0, 0);
    expect(ws, "深度 求索\t发布  了 。 Hello, WORLD 3.14 --",
           "深度|求索|发布|了|#hello,|world|3.14");
    /* Unicode white space: U+3000 ideographic space and U+00A0. */
    expect(ws, "人工\xe3\x80\x80智能\xc2\xa0ok", "人工|智能|ok");
    ls_tokenizer_free(ws);

    /* Sentence modes: ICU (also over UTF-8 in whitespace mode), one per line, none. */
    const char *two = "One sentence. Another one\nand a line";
    ls_tokenizer *s_icu =
        make_s(LSTATS_TOKENIZER_WHITESPACE, LSTATS_NORMALIZE_NFKC, 1, 0, 0, LSTATS_SENTENCES_ICU);
    expect(s_icu, two, "one|sentence.|#another|one|#and|a|line");
    ls_tokenizer_free(s_icu);
    ls_tokenizer *s_lines =
        make_s(LSTATS_TOKENIZER_ICU, LSTATS_NORMALIZE_NFKC, 1, 0, 0, LSTATS_SENTENCES_LINES);
    expect(s_lines, two, "one|sentence|another|one|#and|a|line");
    ls_tokenizer_free(s_lines);
    ls_tokenizer *s_none =
        make_s(LSTATS_TOKENIZER_ICU, LSTATS_NORMALIZE_NFKC, 1, 0, 0, LSTATS_SENTENCES_NONE);
    expect(s_none, two, "one|sentence|another|one|and|a|line");
    ls_tokenizer_free(s_none);

    ls_tokenizer *wsn = make(LSTATS_TOKENIZER_WHITESPACE, LSTATS_NORMALIZE_NFKC, 0, 1, 1);
    expect(wsn, "A 1,000 -- b", "A|--|b");
    ls_tokenizer_free(wsn);

    ls_tokenizer *han = make(LSTATS_TOKENIZER_HAN, LSTATS_NORMALIZE_NFKC, 1, 0, 0);
    expect(han, "人工智能 AI模型 DeepSeek-V3", "人|工|智|能|ai|模|型|deepseek|v3");
    ls_tokenizer_free(han);

    /* Byte offsets point into the original text, also after normalisation. */
    {
        ls_tokenizer *t = make(LSTATS_TOKENIZER_ICU, LSTATS_NORMALIZE_NFKC, 1, 0, 0);
        const char *text = "ＡＢ 人工智能 x";
        ls_token_buf b = {0};
        CHECK_OK(ls_tokenize_chunk(t, text, strlen(text), 100, &b));
        CHECK(b.n == 4);
        CHECK(b.tok[0].start == 100 && b.tok[0].end == 106);
        CHECK(b.tok[1].start == 107 && b.tok[1].end == 113);
        CHECK(b.tok[2].start == 113 && b.tok[2].end == 119);
        CHECK(b.tok[3].start == 120 && b.tok[3].end == 121);
        ls_token_buf_destroy(&b);
        ls_tokenizer_free(t);
    }

    /* Bad configurations. */
    {
        ls_tok_config cfg = {7, 0, 0, 0, 0, NULL, 0};
        ls_tokenizer *t = NULL;
        CHECK_STATUS(ls_tokenizer_new(&t, &cfg), LSTATS_EINVAL);
        CHECK(t == NULL);
        ls_tok_config cfg2 = {0, 9, 0, 0, 0, NULL, 0};
        CHECK_STATUS(ls_tokenizer_new(&t, &cfg2), LSTATS_EINVAL);
        ls_tok_config cfg3 = {0, 0, 0, 0, 0, NULL, 3};
        CHECK_STATUS(ls_tokenizer_new(&t, &cfg3), LSTATS_EINVAL);
    }
    return check_summary();
}

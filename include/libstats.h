/*
 * libstats: corpus statistics with a stable C ABI.
 *
 * Conventions (see README.md, "C API"):
 *  - Opaque handles; the only public structs are options structs whose first field is
 *    `version`, filled by the matching lstats_*_options_init(). Fields are append-only.
 *  - Every fallible function returns an lstats_status: 0 (LSTATS_OK) or a negative code whose
 *    value is pinned forever. lstats_last_error() gives a thread-local message naming the file,
 *    byte offset, line or value at fault.
 *  - *_new / *_load give an object that the caller releases with the matching *_free (NULL-safe).
 *    Accessors return borrowed pointers valid until the owning object is freed or mutated.
 *  - Input text is UTF-8 with an explicit byte length and is copied. Paths and names are
 *    NUL-terminated UTF-8 and are copied.
 *  - Bulk results are tables of typed columns; strings are one UTF-8 blob plus nrows + 1
 *    int64 offsets.
 *  - Distinct objects may be used from distinct threads. A corpus under construction is used
 *    by one thread at a time; tables and corpora are otherwise read-only and shareable.
 *
 * This header is C89-clean and usable from C++.
 */
#ifndef LIBSTATS_H
#define LIBSTATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(LSTATS_STATIC)
#define LSTATS_API
#elif defined(_WIN32)
#if defined(LSTATS_BUILDING)
#define LSTATS_API __declspec(dllexport)
#else
#define LSTATS_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define LSTATS_API __attribute__((visibility("default")))
#else
#define LSTATS_API
#endif

/* ---------------------------------------------------------------- version */

#define LSTATS_VERSION_MAJOR 0
#define LSTATS_VERSION_MINOR 1
#define LSTATS_VERSION_PATCH 0
#define LSTATS_VERSION_NUMBER \
    (LSTATS_VERSION_MAJOR * 10000 + LSTATS_VERSION_MINOR * 100 + LSTATS_VERSION_PATCH)
#define LSTATS_VERSION_STRING "0.1.0"

/* The runtime version, to compare with LSTATS_VERSION_NUMBER at startup. */
LSTATS_API unsigned lstats_version_number(void);
LSTATS_API const char *lstats_version_string(void);
/* The ICU version the library runs with, e.g. "72.1": segmentation depends on it. */
LSTATS_API const char *lstats_icu_version(void);

/* ---------------------------------------------------------------- errors */

typedef int lstats_status;

/* Values are pinned: never renumbered, never reused. */
enum {
    LSTATS_OK = 0,
    LSTATS_ENOMEM = -1,     /* an allocation failed */
    LSTATS_EINVAL = -2,     /* an argument is invalid (NULL, out of range, unknown name) */
    LSTATS_EBUFS = -3,      /* a caller buffer is too small */
    LSTATS_EVERSION = -4,   /* an options struct carries an unknown version */
    LSTATS_ESTATE = -5,     /* the object cannot do this now (e.g. no text kept) */
    LSTATS_EIO = -6,        /* a file is missing, unreadable or unwritable */
    LSTATS_EUTF8 = -7,      /* invalid UTF-8 (the message names the file and byte offset) */
    LSTATS_EENCODING = -8,  /* unknown or undetectable encoding, or bytes invalid in it */
    LSTATS_EGZIP = -9,      /* a corrupt or truncated gzip stream */
    LSTATS_EFORMAT = -10,   /* a corrupt saved table or a malformed TSV line */
    LSTATS_EICU = -11,      /* ICU reported an error */
    LSTATS_ECANCELED = -12, /* a progress callback asked to stop */
    LSTATS_ERANGE = -13,    /* a number overflows its type */
    LSTATS_ENOTFOUND = -14  /* a named column or key does not exist */
};

/* Static text for a status code; never NULL. */
LSTATS_API const char *lstats_status_string(lstats_status status);
/* The message of the last error raised on this thread; never NULL ("" when none).
 * Valid until the next libstats call on this thread. */
LSTATS_API const char *lstats_last_error(void);

/* Progress and cancellation for long calls: called on the calling thread only, at most a few
 * times a second. `done` and `total` are in bytes of input. A non-zero return cancels the call,
 * which then frees what it built and returns LSTATS_ECANCELED. */
typedef int (*lstats_progress_cb)(uint64_t done, uint64_t total, void *payload);

/* Memory the library allocated for the caller (e.g. lstats_table_dump); NULL-safe. */
LSTATS_API void lstats_buffer_free(void *buffer);

/* ---------------------------------------------------------------- tables */

typedef struct lstats_table lstats_table;

enum {
    LSTATS_COL_STRING = 1, /* UTF-8 blob + (nrows + 1) int64 offsets */
    LSTATS_COL_U64 = 2,
    LSTATS_COL_I64 = 3,
    LSTATS_COL_F64 = 4
};

LSTATS_API void lstats_table_free(lstats_table *table);
LSTATS_API size_t lstats_table_nrows(const lstats_table *table);
LSTATS_API size_t lstats_table_ncols(const lstats_table *table);
/* Borrowed; NULL when col is out of range. */
LSTATS_API const char *lstats_table_column_name(const lstats_table *table, size_t col);
/* One of LSTATS_COL_*; 0 when col is out of range. */
LSTATS_API int lstats_table_column_type(const lstats_table *table, size_t col);
LSTATS_API lstats_status lstats_table_column_index(const lstats_table *table, const char *name,
                                                   size_t *col_out);
/* Borrowed column data, valid while the table lives. LSTATS_EINVAL on a type mismatch. */
LSTATS_API lstats_status lstats_table_column_u64(const lstats_table *table, size_t col,
                                                 const uint64_t **data_out);
LSTATS_API lstats_status lstats_table_column_i64(const lstats_table *table, size_t col,
                                                 const int64_t **data_out);
LSTATS_API lstats_status lstats_table_column_f64(const lstats_table *table, size_t col,
                                                 const double **data_out);
/* Row i is blob[offsets[i] .. offsets[i + 1]), not NUL-terminated. */
LSTATS_API lstats_status lstats_table_column_string(const lstats_table *table, size_t col,
                                                    const char **blob_out,
                                                    const int64_t **offsets_out);

/* Metadata: string key/value pairs (kind, tokenizer settings, corpus size, ...). */
LSTATS_API size_t lstats_table_meta_count(const lstats_table *table);
LSTATS_API const char *lstats_table_meta_key(const lstats_table *table, size_t i);
LSTATS_API const char *lstats_table_meta_value(const lstats_table *table, size_t i);
/* Borrowed value of `key`, or NULL when absent. */
LSTATS_API const char *lstats_table_meta_get(const lstats_table *table, const char *key);

/* A new table of the rows sorted by column `by` (descending when `descending` != 0; ties by
 * the first string column ascending, then row order), cut to the first k rows (k = 0: all). */
LSTATS_API lstats_status lstats_table_top(const lstats_table *table, const char *by, int descending,
                                          size_t k, lstats_table **out);
/* A new table with the rows listed in `rows` (each < nrows), in that order. */
LSTATS_API lstats_status lstats_table_take(const lstats_table *table, const size_t *rows,
                                           size_t n_rows, lstats_table **out);

/* Count tables (kind "frequency") merge by addition: counts and document counts of equal terms
 * are summed, corpus sizes added, per-million frequencies recomputed. Tables of different kinds
 * or n-gram sizes are refused (LSTATS_EINVAL); differing tokenizer settings are recorded in the
 * result's metadata key "settings_mismatch". */
LSTATS_API lstats_status lstats_table_merge(const lstats_table *a, const lstats_table *b,
                                            lstats_table **out);

/* Persistence: magic, format version, zlib-compressed payload, CRC32 (README "Saved tables").
 * Loading verifies all of it and fails with LSTATS_EFORMAT naming what is wrong. */
LSTATS_API lstats_status lstats_table_save(const lstats_table *table, const char *path);
LSTATS_API lstats_status lstats_table_load(const char *path, lstats_table **out);
/* The saved form in memory; release *buffer_out with lstats_buffer_free. */
LSTATS_API lstats_status lstats_table_dump(const lstats_table *table, void **buffer_out,
                                           size_t *size_out);
LSTATS_API lstats_status lstats_table_undump(const void *buffer, size_t size, lstats_table **out);

/* TSV: a header line of column names, then one line per row; tabs, newlines and backslashes
 * inside strings are escaped as \t, \n, \r and \\. */
LSTATS_API lstats_status lstats_table_write_tsv(const lstats_table *table, const char *path);

#define LSTATS_FREQLIST_OPTIONS_VERSION 1
enum {
    LSTATS_DUPLICATES_ERROR = 0, /* a term listed twice is an error naming both lines */
    LSTATS_DUPLICATES_SUM = 1    /* a term listed twice has its counts summed */
};
typedef struct lstats_freqlist_options {
    uint32_t version;
    int32_t duplicates; /* LSTATS_DUPLICATES_*; default ERROR */
} lstats_freqlist_options;
LSTATS_API lstats_status lstats_freqlist_options_init(lstats_freqlist_options *opts,
                                                      uint32_t version);
/* Reads `term<TAB>count[<TAB>doc_count]` lines (an optional first header line whose second
 * field is "count", "freq" or "frequency") into a frequency table. Errors name the line. */
LSTATS_API lstats_status lstats_read_frequency_list(const char *path,
                                                    const lstats_freqlist_options *opts,
                                                    lstats_table **out);

/* ---------------------------------------------------------------- corpus */

typedef struct lstats_corpus lstats_corpus;

enum {
    LSTATS_TOKENIZER_ICU = 0,        /* ICU word break (dictionary for Chinese/Japanese/Thai) */
    LSTATS_TOKENIZER_WHITESPACE = 1, /* split on Unicode white space (pre-segmented text) */
    LSTATS_TOKENIZER_HAN = 2         /* each Han character a token; other runs by ICU */
};

enum { LSTATS_NORMALIZE_NONE = 0, LSTATS_NORMALIZE_NFC = 1, LSTATS_NORMALIZE_NFKC = 2 };

enum {
    LSTATS_SENTENCES_ICU = 0,   /* ICU sentence break (UAX #29): line ends and sentence ends */
    LSTATS_SENTENCES_LINES = 1, /* one sentence per line (pre-segmented text) */
    LSTATS_SENTENCES_NONE = 2   /* the whole document is one sentence */
};

enum {
    LSTATS_ERRORS_STRICT = 0, /* invalid input bytes are an error naming file and offset */
    LSTATS_ERRORS_REPLACE = 1 /* replaced by U+FFFD and counted per document */
};

#define LSTATS_CORPUS_OPTIONS_VERSION 1
typedef struct lstats_corpus_options {
    uint32_t version;
    int32_t tokenizer;            /* LSTATS_TOKENIZER_*; default ICU */
    int32_t normalize;            /* LSTATS_NORMALIZE_*; default NFKC */
    int32_t lowercase;            /* full Unicode case folding; default 1 */
    int32_t keep_punct;           /* keep punctuation and symbol tokens; default 0 */
    int32_t drop_numbers;         /* drop number tokens; default 0 */
    int32_t keep_text;            /* keep the text and token byte offsets; default 1 */
    int32_t errors;               /* LSTATS_ERRORS_*; default STRICT */
    uint32_t n_threads;           /* worker threads for ingestion; 0 = all cores */
    const char *encoding;         /* NULL or "utf-8"; "auto" detects; else an ICU converter name */
    const char *locale;           /* ICU locale for word and sentence break; NULL = root */
    const char *const *compounds; /* terms merged from adjacent tokens, longest first */
    size_t n_compounds;
    int32_t sentences;   /* LSTATS_SENTENCES_*; default ICU */
    int32_t fold_script; /* LSTATS_FOLD_* (README "Scripts"): fold every token; default NONE */
    uint32_t cleanup;    /* LSTATS_CLEANUP_* bit flags applied to the text; default 0 */
} lstats_corpus_options;

LSTATS_API lstats_status lstats_corpus_options_init(lstats_corpus_options *opts, uint32_t version);

LSTATS_API lstats_status lstats_corpus_new(lstats_corpus **out, const lstats_corpus_options *opts);
LSTATS_API void lstats_corpus_free(lstats_corpus *corpus);

/* Adding documents. A call adds all its documents or none: on error the corpus is unchanged
 * and the message names the document at fault. Documents are processed on n_threads workers;
 * the order of documents (and term ids) does not depend on the number of threads. */
LSTATS_API lstats_status lstats_corpus_add_text(lstats_corpus *corpus, const char *name,
                                                const char *text, size_t text_len);
LSTATS_API lstats_status lstats_corpus_add_texts(lstats_corpus *corpus, size_t n,
                                                 const char *const *names, const char *const *texts,
                                                 const size_t *text_lens,
                                                 lstats_progress_cb progress, void *payload);
/* Plain or gzip files (recognised by their magic bytes). names may be NULL (the path is used). */
LSTATS_API lstats_status lstats_corpus_add_file(lstats_corpus *corpus, const char *path,
                                                const char *name);
LSTATS_API lstats_status lstats_corpus_add_files(lstats_corpus *corpus, size_t n,
                                                 const char *const *paths, const char *const *names,
                                                 lstats_progress_cb progress, void *payload);

LSTATS_API size_t lstats_corpus_n_docs(const lstats_corpus *corpus);
LSTATS_API uint64_t lstats_corpus_n_tokens(const lstats_corpus *corpus);
/* Distinct terms that occur at least once. */
LSTATS_API uint64_t lstats_corpus_n_types(const lstats_corpus *corpus);
/* Borrowed; NULL when doc is out of range. */
LSTATS_API const char *lstats_corpus_doc_name(const lstats_corpus *corpus, size_t doc);
/* Borrowed stored text of a document (decoded UTF-8, line ends as LF); LSTATS_ESTATE when the
 * corpus was built with keep_text = 0. */
LSTATS_API lstats_status lstats_corpus_doc_text(const lstats_corpus *corpus, size_t doc,
                                                const char **text_out, size_t *len_out);
/* One row per document: name, encoding, bytes_in, chars, tokens, types, sentences, replaced. */
LSTATS_API lstats_status lstats_corpus_summary(const lstats_corpus *corpus, lstats_table **out);
/* One row per token of a document: term, start, end (byte offsets into the stored text, -1
 * without keep_text), sentence (index within the document). */
LSTATS_API lstats_status lstats_corpus_doc_tokens(const lstats_corpus *corpus, size_t doc,
                                                  lstats_table **out);
/* A new corpus of the listed documents (indices, in the given order; no repeats). */
LSTATS_API lstats_status lstats_corpus_subset(const lstats_corpus *corpus, const size_t *docs,
                                              size_t n, lstats_corpus **out);

/* ---------------------------------------------------------------- frequencies */

#define LSTATS_FREQ_OPTIONS_VERSION 1
typedef struct lstats_freq_options {
    uint32_t version;
    uint32_t n;              /* n-gram size, 1..5; default 1 */
    uint64_t min_count;      /* keep terms counted at least this often; default 1 */
    int32_t cross_sentences; /* n-grams may span sentence boundaries; default 0 */
    /* Dispersion (README "Dispersion"; unigrams only, LSTATS_EINVAL for n > 1). */
    int32_t dispersion;   /* add the dispersion and IDF columns; default 0 */
    uint32_t parts;       /* 0: the documents are the parts; k: k equal-sized parts of the corpus */
    double idf_base;      /* log base of quanteda's idf schemes; default 10 */
    double idf_smoothing; /* quanteda's smoothing s, added to the quotient; default 0 */
    double idf_k;         /* quanteda's k, added to df in the denominator; default 0 */
} lstats_freq_options;

LSTATS_API lstats_status lstats_freq_options_init(lstats_freq_options *opts, uint32_t version);
/* A frequency table: term (n-gram tokens joined by one space), count, per_million, doc_count;
 * sorted by count descending, then term (bytewise). Metadata: kind=frequency, n, n_tokens
 * (the denominator of per_million: tokens for n = 1, n-gram positions otherwise), n_docs and
 * the corpus settings. */
LSTATS_API lstats_status lstats_corpus_frequencies(const lstats_corpus *corpus,
                                                   const lstats_freq_options *opts,
                                                   lstats_table **out);

/* ---- dispersion and concordance (KWIC) */

#define LSTATS_KWIC_OPTIONS_VERSION 1
typedef struct lstats_kwic_options {
    uint32_t version;
    uint32_t window;     /* tokens of context on each side; default 5 */
    uint64_t limit;      /* at most this many lines (0 = all); default 0 */
    int32_t sample;      /* 1: a random sample of `limit` lines (needs limit > 0); default 0 */
    uint64_t seed;       /* seed of the sample; default 0 */
    const char *sort;    /* NULL (corpus order) or comma-separated keys: left1..leftN, match,
                            right1..rightN (AntConc's sort levels); default NULL */
    int32_t ignore_case; /* match query tokens case-insensitively even when the corpus kept
                            case (lowercase = 0); default 0 */
} lstats_kwic_options;

LSTATS_API lstats_status lstats_kwic_options_init(lstats_kwic_options *opts, uint32_t version);
/* Concordance lines of `pattern` (a term or a phrase of several tokens, tokenized and
 * normalised with the corpus's own settings; matched on term ids). Columns: doc (name),
 * position (token index of the match in its document), start, end (byte offsets of the match
 * in the stored text), left, match, right (text of the stored document between token offsets:
 * `window` tokens each side, never crossing a document). Rows in corpus order unless sorted.
 * LSTATS_ESTATE when the corpus was built with keep_text = 0; LSTATS_EINVAL for a pattern with
 * no token. Metadata: kind=kwic, pattern, query_terms, window, n_matches (before limit). */
LSTATS_API lstats_status lstats_corpus_kwic(const lstats_corpus *corpus, const char *pattern,
                                            size_t pattern_len, const lstats_kwic_options *opts,
                                            lstats_table **out);

/* ---------------------------------------------------------------- keyness */

/* Multiple-testing correction of p over the family of every term in the union of the two
 * vocabularies (m, in the result's metadata), whatever display filters follow. */
enum {
    LSTATS_CORRECTION_NONE = 0,
    LSTATS_CORRECTION_BONFERRONI = 1,
    LSTATS_CORRECTION_HOLM = 2,
    LSTATS_CORRECTION_SIDAK = 3,
    LSTATS_CORRECTION_BH = 4 /* Benjamini-Hochberg */
};
/* Continuity correction of g2, g2_2term and chi2 (and of p, bic and ell, derived from g2). */
enum { LSTATS_CONTINUITY_NONE = 0, LSTATS_CONTINUITY_YATES = 1, LSTATS_CONTINUITY_WILLIAMS = 2 };
/* Counts: term frequencies and token totals, or document counts and numbers of documents
 * (text-dispersion keyness, Egbert & Biber 2019). */
enum { LSTATS_KEYNESS_BY_FREQUENCY = 0, LSTATS_KEYNESS_BY_RANGE = 1 };
/* Rows kept: all terms, positive keywords (relatively more frequent in the target) or
 * negative ones. */
enum { LSTATS_KEYWORDS_ALL = 0, LSTATS_KEYWORDS_POSITIVE = 1, LSTATS_KEYWORDS_NEGATIVE = 2 };
/* Textbook formulas, or quanteda's textstat_keyness code (signed chi2/g2, conditional Yates,
 * 1e-9 inside every log, natural-log pmi) for g2, chi2 and pmi. */
enum { LSTATS_KEYNESS_COMPAT_TEXTBOOK = 0, LSTATS_KEYNESS_COMPAT_QUANTEDA = 1 };

#define LSTATS_KEYNESS_OPTIONS_VERSION 1
typedef struct lstats_keyness_options {
    uint32_t version;
    /* Comma-separated measure names (README "Keyness"), or "all"; NULL = "g2,log_ratio" for
     * lstats_keyness, "cohens_d,welch,mwu" for lstats_corpus_keyness_docs. */
    const char *measures;
    int32_t correction; /* LSTATS_CORRECTION_*; default NONE */
    int32_t continuity; /* LSTATS_CONTINUITY_*; default NONE */
    int32_t by;         /* LSTATS_KEYNESS_BY_*; default FREQUENCY */
    int32_t select;     /* LSTATS_KEYWORDS_*; default ALL */
    uint64_t min_count; /* display filter: rows with a + b >= min_count; default 1 */
    /* Column to sort by; NULL = the first measure's column. Larger is stronger, except for
     * p-values and lockwords (smaller first); with select = NEGATIVE, directional measures
     * (log_ratio, lrc, pct_diff, ...) sort ascending. Ties by term, bytewise. */
    const char *sort_by;
    size_t top_k;           /* keep the first top_k rows after sorting; 0 = all */
    double simple_maths_k;  /* Kilgarriff's k (Sketch Engine's N); default 1 */
    double alpha;           /* lrc, positive_lrc, lockwords: 1 - confidence level; default 0.05 */
    int32_t lrc_bonferroni; /* lrc family: alpha divided by m (Evert); default 1 */
    int32_t compat;         /* LSTATS_KEYNESS_COMPAT_*; default TEXTBOOK */
    uint32_t n_parts; /* document-level tests: 0 = documents, k = k equal parts of each corpus */
} lstats_keyness_options;

LSTATS_API lstats_status lstats_keyness_options_init(lstats_keyness_options *opts,
                                                     uint32_t version);
/* Keyness of the terms of `target` against `reference`, two frequency tables (kind frequency:
 * term, count[, doc_count]; metadata n_tokens[, n_docs]) such as lstats_corpus_frequencies or
 * lstats_read_frequency_list give. One row per term of the union with a + b > 0 that passes
 * the filters: term, a, b, n1, n2, per_million_a, per_million_b, the measures' columns, p
 * (chi-square 1 d.f. on the 4-cell g2), p_adj (with a correction), direction ("positive",
 * "negative", "none"). Metadata: kind=keyness, m, n1, n2, by, measures, correction, ...,
 * settings_mismatch when the tables' tokenizer settings differ. LSTATS_EINVAL for an empty
 * target or reference, by = range without doc_count / n_docs, unknown measures. */
LSTATS_API lstats_status lstats_keyness(const lstats_table *target, const lstats_table *reference,
                                        const lstats_keyness_options *opts, lstats_table **out);
/* Document-level keyness: per term, the relative frequencies in the parts (documents, or
 * n_parts equal slices) of each corpus compared by Cohen's d ("cohens_d"), Welch's t test
 * ("welch": welch_t, welch_df, welch_p) and the Mann-Whitney U test ("mwu": mwu_u for the
 * target, mwu_p, normal approximation with tie and continuity corrections). Columns term, a,
 * b (token counts), n1, n2 (parts), mean_pm_a, mean_pm_b, the measures, *_p_adj with a
 * correction, direction. Empty parts are skipped. */
LSTATS_API lstats_status lstats_corpus_keyness_docs(const lstats_corpus *target,
                                                    const lstats_corpus *reference,
                                                    const lstats_keyness_options *opts,
                                                    lstats_table **out);

/* ---- scripts: Traditional/Simplified script variants, script mix, folding, cleanup
 * (README "Scripts"). The class of each Han code point comes from a table generated at build
 * time from ICU's Hant-Hans and Hans-Hant transforms; nothing is transformed at run time. */

enum {
    LSTATS_FOLD_NONE = 0,       /* tokens as written */
    LSTATS_FOLD_SIMPLIFIED = 1, /* Traditional-only and variant characters -> Simplified */
    LSTATS_FOLD_TRADITIONAL = 2 /* Simplified-only characters -> Traditional where unambiguous */
};
/* Cleanup rules (lstats_corpus_options.cleanup), applied to each document's text before it is
 * stored and tokenized; removals are counted per document (summary column "cleanup_removed"). */
#define LSTATS_CLEANUP_PINYIN_ANNOTATIONS                   \
    1u /* 發(fā) -> 發: a pinyin syllable in parentheses \
          right after a Han character */

/* Classes of code points. */
enum {
    LSTATS_HAN_NONE = 0,        /* not a Han character */
    LSTATS_HAN_SHARED = 1,      /* valid in both standards (人, 著, 后, 干, 群) */
    LSTATS_HAN_TRADITIONAL = 2, /* Traditional only (發, 說, 後) */
    LSTATS_HAN_SIMPLIFIED = 3,  /* Simplified only (发, 说) */
    LSTATS_HAN_VARIANT = 4      /* a non-standard form of a Traditional character (説 for 說) */
};
/* The LSTATS_HAN_* class of a code point. */
LSTATS_API int lstats_han_class(uint32_t cp);
/* The folded code point (LSTATS_FOLD_*); cp itself when it does not fold. */
LSTATS_API uint32_t lstats_han_fold(uint32_t cp, int32_t fold);
/* Folds UTF-8 text (as tokens are folded); writes at most cap bytes (no NUL) and sets *len_out to
 * the length the result needs (LSTATS_EBUFS when it exceeds cap). */
LSTATS_API lstats_status lstats_han_fold_text(const char *text, size_t len, int32_t fold, char *out,
                                              size_t cap, size_t *len_out);
/* Applies the cleanup rules to UTF-8 text; out needs len bytes (the result is never longer).
 * *len_out: the result's length; *removed_out (may be NULL): the number of removals. */
LSTATS_API lstats_status lstats_cleanup_text(const char *text, size_t len, uint32_t cleanup,
                                             char *out, size_t *len_out, uint64_t *removed_out);

enum { LSTATS_SCRIPTS_BY_DOCUMENT = 0, LSTATS_SCRIPTS_BY_CORPUS = 1 };

#define LSTATS_SCRIPT_OPTIONS_VERSION 1
typedef struct lstats_script_options {
    uint32_t version;
    int32_t by;             /* LSTATS_SCRIPTS_BY_*; default DOCUMENT */
    double traditional_min; /* label Traditional when ratio_trad >= this; default 0.9 */
    double simplified_max;  /* label Simplified when ratio_trad <= this; default 0.1 */
    double confidence;      /* level of the Wilson score interval, in (0, 1); default 0.95 */
    uint64_t min_count;     /* variant terms: keys counted at least this often; default 1 */
    const char *encoding;   /* lstats_script_variants_files: as lstats_corpus_options */
    int32_t errors;         /* lstats_script_variants_files: LSTATS_ERRORS_*; default STRICT */
} lstats_script_options;

LSTATS_API lstats_status lstats_script_options_init(lstats_script_options *opts, uint32_t version);
/* One row per document (or one row "(corpus)"): document, han, traditional, simplified, shared,
 * variant, ratio_trad = traditional / (traditional + simplified) (NaN when both are 0), ci_low,
 * ci_high (Wilson score interval; 0 and 1 when both are 0), label ("Traditional", "Simplified",
 * "Mixed", "Ambiguous": Han characters but none Traditional- or Simplified-only, "None": no Han).
 * Counted during ingestion, after cleanup and before folding: works without keep_text. */
LSTATS_API lstats_status lstats_corpus_script_variants(const lstats_corpus *corpus,
                                                       const lstats_script_options *opts,
                                                       lstats_table **out);
/* The same table straight from files, without tokenizing (the fast path of `libstats scripts`):
 * plain or gzip files decoded as opts->encoding says. names may be NULL (the paths are used). */
LSTATS_API lstats_status lstats_script_variants_files(size_t n, const char *const *paths,
                                                      const char *const *names,
                                                      const lstats_script_options *opts,
                                                      lstats_progress_cb progress, void *payload,
                                                      lstats_table **out);
/* Code points of each document's stored text by Unicode script (ICU uscript_getScript): document,
 * chars, han, latin, hiragana, katakana, hangul, common, inherited, other; plus fullwidth and
 * halfwidth (East_Asian_Width F and H). LSTATS_ESTATE without keep_text. */
LSTATS_API lstats_status lstats_corpus_script_mix(const lstats_corpus *corpus, lstats_table **out);
/* Terms written in more than one form: key (the term folded to Simplified), form, count, share
 * (of the key's count), key_count, forms; keys with key_count >= opts->min_count, by key_count
 * descending, key, then count descending. Empty when the corpus was built with fold_script. */
LSTATS_API lstats_status lstats_corpus_variant_terms(const lstats_corpus *corpus,
                                                     const lstats_script_options *opts,
                                                     lstats_table **out);

/* ---- colloc: n-gram collocations, window collocates, co-occurrence (README "Collocations") */

/* Formulas: textbook (Evert: positional marginals, N = n-gram positions), or NLTK's collocation
 * finders (unigram marginals, N = tokens, log2 Poisson-Stirling, "fisher" = the less tail,
 * likelihood ratio times n, window counts divided by the window). */
enum { LSTATS_COLLOC_COMPAT_TEXTBOOK = 0, LSTATS_COLLOC_COMPAT_NLTK = 1 };

#define LSTATS_COLLOC_OPTIONS_VERSION 1
typedef struct lstats_colloc_options {
    uint32_t version;
    uint32_t n;               /* collocations: n-gram size 2..4; default 2 */
    uint32_t window_left;     /* collocates: tokens left of the node; default 5 */
    uint32_t window_right;    /* collocates: right of the node; co-occurrence: the window; 5 */
    uint64_t min_count;       /* rows with o11 >= min_count; default 1 */
    int32_t sentence_bounded; /* n-grams and windows stay inside a sentence; default 1 */
    /* Comma-separated measure names (lstats_assoc_measure_names), or "all"; NULL =
     * "g2,pmi,logdice,t". */
    const char *measures;
    const char *sort_by; /* a measure or o11; NULL = the first measure (p-values ascend) */
    size_t top_k;        /* keep the first top_k rows after sorting; 0 = all */
    uint32_t min_length; /* every term of a row has at least this many code points; 0 = any */
    uint32_t max_length; /* ... at most this many; 0 = any */
    const char *const *stopwords; /* rows containing one of these terms are dropped */
    size_t n_stopwords;
    int32_t drop_punct;   /* drop rows with a term made only of punctuation/symbols; default 0 */
    int32_t drop_numbers; /* drop rows with a term made only of digits (and . ,); default 0 */
    double alpha;         /* *_cons measures: 1 - confidence level, two-sided; default 0.05 */
    int32_t compat;       /* LSTATS_COLLOC_COMPAT_*; default TEXTBOOK */
    uint32_t n_threads;   /* threads for counting pairs, scoring, sorting and building the result;
                             0 = all cores */
} lstats_colloc_options;

LSTATS_API lstats_status lstats_colloc_options_init(lstats_colloc_options *opts, uint32_t version);
/* Adjacent n-grams (never across documents; across sentences only with sentence_bounded = 0):
 * w1..wn, o11, f1..fn (marginals: r1/c1 for n = 2), n, e11, doc_count, the measures. For
 * n >= 3 only the measures defined on the 2^n table (README) are accepted. */
LSTATS_API lstats_status lstats_corpus_collocations(const lstats_corpus *corpus,
                                                    const lstats_colloc_options *opts,
                                                    lstats_table **out);
/* Collocates of a node (a term or a phrase, tokenized and normalised like the corpus):
 * collocate, left, right, o11 (= left + right), r1 (window slots), c1 (collocate frequency), n
 * (tokens), e11, doc_count, the measures. Metadata node_count. */
LSTATS_API lstats_status lstats_corpus_collocates(const lstats_corpus *corpus, const char *node,
                                                  size_t node_len,
                                                  const lstats_colloc_options *opts,
                                                  lstats_table **out);
/* Every ordered pair (w1 before w2, at most window_right tokens apart): w1, w2, o11, r1 (slots
 * right of w1), c1, n, e11, doc_count, the measures. */
LSTATS_API lstats_status lstats_corpus_cooccurrence(const lstats_corpus *corpus,
                                                    const lstats_colloc_options *opts,
                                                    lstats_table **out);
/* Comma-separated names of every association measure (static string). */
LSTATS_API const char *lstats_assoc_measure_names(void);
/* One measure on one 2x2 table (o11 o12 / o21 o22); NaN, +-inf as documented. */
LSTATS_API lstats_status lstats_assoc_score(const char *measure, double o11, double o12, double o21,
                                            double o22, double alpha, double *out);

#ifdef __cplusplus
}
#endif

#endif /* LIBSTATS_H */

/* Hand-written CFFI cdef mirroring include/libstats.h (no macros, no attributes).
 * API mode compiles this against the real header, so a mismatched signature or constant
 * fails the build; tests/python/test_abi_symbols.py checks that the function names match.
 * Keep the order of include/libstats.h. */

/* ---------------------------------------------------------------- version */
#define LSTATS_VERSION_MAJOR ...
#define LSTATS_VERSION_MINOR ...
#define LSTATS_VERSION_PATCH ...
#define LSTATS_VERSION_NUMBER ...

unsigned lstats_version_number(void);
const char *lstats_version_string(void);
const char *lstats_icu_version(void);

/* ---------------------------------------------------------------- errors */
typedef int lstats_status;

enum {
    LSTATS_OK = 0,
    LSTATS_ENOMEM = -1,
    LSTATS_EINVAL = -2,
    LSTATS_EBUFS = -3,
    LSTATS_EVERSION = -4,
    LSTATS_ESTATE = -5,
    LSTATS_EIO = -6,
    LSTATS_EUTF8 = -7,
    LSTATS_EENCODING = -8,
    LSTATS_EGZIP = -9,
    LSTATS_EFORMAT = -10,
    LSTATS_EICU = -11,
    LSTATS_ECANCELED = -12,
    LSTATS_ERANGE = -13,
    LSTATS_ENOTFOUND = -14
};

const char *lstats_status_string(lstats_status status);
const char *lstats_last_error(void);

typedef int (*lstats_progress_cb)(uint64_t done, uint64_t total, void *payload);

void lstats_buffer_free(void *buffer);

/* ---------------------------------------------------------------- tables */
typedef struct lstats_table lstats_table;

enum {
    LSTATS_COL_STRING = 1,
    LSTATS_COL_U64 = 2,
    LSTATS_COL_I64 = 3,
    LSTATS_COL_F64 = 4
};

void lstats_table_free(lstats_table *table);
size_t lstats_table_nrows(const lstats_table *table);
size_t lstats_table_ncols(const lstats_table *table);
const char *lstats_table_column_name(const lstats_table *table, size_t col);
int lstats_table_column_type(const lstats_table *table, size_t col);
lstats_status lstats_table_column_index(const lstats_table *table, const char *name,
                                        size_t *col_out);
lstats_status lstats_table_column_u64(const lstats_table *table, size_t col,
                                      const uint64_t **data_out);
lstats_status lstats_table_column_i64(const lstats_table *table, size_t col,
                                      const int64_t **data_out);
lstats_status lstats_table_column_f64(const lstats_table *table, size_t col,
                                      const double **data_out);
lstats_status lstats_table_column_string(const lstats_table *table, size_t col,
                                         const char **blob_out, const int64_t **offsets_out);

size_t lstats_table_meta_count(const lstats_table *table);
const char *lstats_table_meta_key(const lstats_table *table, size_t i);
const char *lstats_table_meta_value(const lstats_table *table, size_t i);
const char *lstats_table_meta_get(const lstats_table *table, const char *key);

lstats_status lstats_table_top(const lstats_table *table, const char *by, int descending,
                               size_t k, lstats_table **out);
lstats_status lstats_table_take(const lstats_table *table, const size_t *rows, size_t n_rows,
                                lstats_table **out);
lstats_status lstats_table_merge(const lstats_table *a, const lstats_table *b,
                                 lstats_table **out);

lstats_status lstats_table_save(const lstats_table *table, const char *path);
lstats_status lstats_table_load(const char *path, lstats_table **out);
lstats_status lstats_table_dump(const lstats_table *table, void **buffer_out, size_t *size_out);
lstats_status lstats_table_undump(const void *buffer, size_t size, lstats_table **out);
lstats_status lstats_table_write_tsv(const lstats_table *table, const char *path);

#define LSTATS_FREQLIST_OPTIONS_VERSION ...
enum {
    LSTATS_DUPLICATES_ERROR = 0,
    LSTATS_DUPLICATES_SUM = 1
};
typedef struct lstats_freqlist_options {
    uint32_t version;
    int32_t duplicates;
} lstats_freqlist_options;
lstats_status lstats_freqlist_options_init(lstats_freqlist_options *opts, uint32_t version);
lstats_status lstats_read_frequency_list(const char *path, const lstats_freqlist_options *opts,
                                         lstats_table **out);

/* ---------------------------------------------------------------- corpus */
typedef struct lstats_corpus lstats_corpus;

enum {
    LSTATS_TOKENIZER_ICU = 0,
    LSTATS_TOKENIZER_WHITESPACE = 1,
    LSTATS_TOKENIZER_HAN = 2
};

enum { LSTATS_NORMALIZE_NONE = 0, LSTATS_NORMALIZE_NFC = 1, LSTATS_NORMALIZE_NFKC = 2 };

enum {
    LSTATS_SENTENCES_ICU = 0,
    LSTATS_SENTENCES_LINES = 1,
    LSTATS_SENTENCES_NONE = 2
};

enum {
    LSTATS_ERRORS_STRICT = 0,
    LSTATS_ERRORS_REPLACE = 1
};

#define LSTATS_CORPUS_OPTIONS_VERSION ...
typedef struct lstats_corpus_options {
    uint32_t version;
    int32_t tokenizer;
    int32_t normalize;
    int32_t lowercase;
    int32_t keep_punct;
    int32_t drop_numbers;
    int32_t keep_text;
    int32_t errors;
    uint32_t n_threads;
    const char *encoding;
    const char *locale;
    const char *const *compounds;
    size_t n_compounds;
    int32_t sentences;
    int32_t fold_script;
    uint32_t cleanup;
} lstats_corpus_options;

lstats_status lstats_corpus_options_init(lstats_corpus_options *opts, uint32_t version);
lstats_status lstats_corpus_new(lstats_corpus **out, const lstats_corpus_options *opts);
void lstats_corpus_free(lstats_corpus *corpus);

lstats_status lstats_corpus_add_text(lstats_corpus *corpus, const char *name, const char *text,
                                     size_t text_len);
lstats_status lstats_corpus_add_texts(lstats_corpus *corpus, size_t n, const char *const *names,
                                      const char *const *texts, const size_t *text_lens,
                                      lstats_progress_cb progress, void *payload);
lstats_status lstats_corpus_add_file(lstats_corpus *corpus, const char *path, const char *name);
lstats_status lstats_corpus_add_files(lstats_corpus *corpus, size_t n, const char *const *paths,
                                      const char *const *names, lstats_progress_cb progress,
                                      void *payload);

size_t lstats_corpus_n_docs(const lstats_corpus *corpus);
uint64_t lstats_corpus_n_tokens(const lstats_corpus *corpus);
uint64_t lstats_corpus_n_types(const lstats_corpus *corpus);
const char *lstats_corpus_doc_name(const lstats_corpus *corpus, size_t doc);
lstats_status lstats_corpus_doc_text(const lstats_corpus *corpus, size_t doc,
                                     const char **text_out, size_t *len_out);
lstats_status lstats_corpus_summary(const lstats_corpus *corpus, lstats_table **out);
lstats_status lstats_corpus_doc_tokens(const lstats_corpus *corpus, size_t doc,
                                       lstats_table **out);
lstats_status lstats_corpus_subset(const lstats_corpus *corpus, const size_t *docs, size_t n,
                                   lstats_corpus **out);

/* ---------------------------------------------------------------- frequencies */
#define LSTATS_FREQ_OPTIONS_VERSION ...
typedef struct lstats_freq_options {
    uint32_t version;
    uint32_t n;
    uint64_t min_count;
    int32_t cross_sentences;
    int32_t dispersion;
    uint32_t parts;
    double idf_base;
    double idf_smoothing;
    double idf_k;
} lstats_freq_options;

lstats_status lstats_freq_options_init(lstats_freq_options *opts, uint32_t version);
lstats_status lstats_corpus_frequencies(const lstats_corpus *corpus,
                                        const lstats_freq_options *opts, lstats_table **out);

/* ---- dispersion and concordance (KWIC) */
#define LSTATS_KWIC_OPTIONS_VERSION ...
typedef struct lstats_kwic_options {
    uint32_t version;
    uint32_t window;
    uint64_t limit;
    int32_t sample;
    uint64_t seed;
    const char *sort;
    int32_t ignore_case;
} lstats_kwic_options;

lstats_status lstats_kwic_options_init(lstats_kwic_options *opts, uint32_t version);
lstats_status lstats_corpus_kwic(const lstats_corpus *corpus, const char *pattern,
                                 size_t pattern_len, const lstats_kwic_options *opts,
                                 lstats_table **out);

/* ---- keyness */
#define LSTATS_CORRECTION_NONE ...
#define LSTATS_CORRECTION_BONFERRONI ...
#define LSTATS_CORRECTION_HOLM ...
#define LSTATS_CORRECTION_SIDAK ...
#define LSTATS_CORRECTION_BH ...
#define LSTATS_CONTINUITY_NONE ...
#define LSTATS_CONTINUITY_YATES ...
#define LSTATS_CONTINUITY_WILLIAMS ...
#define LSTATS_KEYNESS_BY_FREQUENCY ...
#define LSTATS_KEYNESS_BY_RANGE ...
#define LSTATS_KEYWORDS_ALL ...
#define LSTATS_KEYWORDS_POSITIVE ...
#define LSTATS_KEYWORDS_NEGATIVE ...
#define LSTATS_KEYNESS_COMPAT_TEXTBOOK ...
#define LSTATS_KEYNESS_COMPAT_QUANTEDA ...
#define LSTATS_KEYNESS_OPTIONS_VERSION ...
typedef struct lstats_keyness_options {
    uint32_t version;
    const char *measures;
    int32_t correction;
    int32_t continuity;
    int32_t by;
    int32_t select;
    uint64_t min_count;
    const char *sort_by;
    size_t top_k;
    double simple_maths_k;
    double alpha;
    int32_t lrc_bonferroni;
    int32_t compat;
    uint32_t n_parts;
} lstats_keyness_options;

lstats_status lstats_keyness_options_init(lstats_keyness_options *opts, uint32_t version);
lstats_status lstats_keyness(const lstats_table *target, const lstats_table *reference,
                             const lstats_keyness_options *opts, lstats_table **out);
lstats_status lstats_corpus_keyness_docs(const lstats_corpus *target,
                                         const lstats_corpus *reference,
                                         const lstats_keyness_options *opts,
                                         lstats_table **out);

/* ---- scripts */
#define LSTATS_FOLD_NONE ...
#define LSTATS_FOLD_SIMPLIFIED ...
#define LSTATS_FOLD_TRADITIONAL ...
#define LSTATS_CLEANUP_PINYIN_ANNOTATIONS ...
#define LSTATS_HAN_NONE ...
#define LSTATS_HAN_SHARED ...
#define LSTATS_HAN_TRADITIONAL ...
#define LSTATS_HAN_SIMPLIFIED ...
#define LSTATS_HAN_VARIANT ...
#define LSTATS_SCRIPTS_BY_DOCUMENT ...
#define LSTATS_SCRIPTS_BY_CORPUS ...
int lstats_han_class(uint32_t cp);
uint32_t lstats_han_fold(uint32_t cp, int32_t fold);
lstats_status lstats_han_fold_text(const char *text, size_t len, int32_t fold, char *out,
                                   size_t cap, size_t *len_out);
lstats_status lstats_cleanup_text(const char *text, size_t len, uint32_t cleanup, char *out,
                                  size_t *len_out, uint64_t *removed_out);
#define LSTATS_SCRIPT_OPTIONS_VERSION ...
typedef struct lstats_script_options {
    uint32_t version;
    int32_t by;
    double traditional_min;
    double simplified_max;
    double confidence;
    uint64_t min_count;
    const char *encoding;
    int32_t errors;
} lstats_script_options;
lstats_status lstats_script_options_init(lstats_script_options *opts, uint32_t version);
lstats_status lstats_corpus_script_variants(const lstats_corpus *corpus,
                                            const lstats_script_options *opts,
                                            lstats_table **out);
lstats_status lstats_script_variants_files(size_t n, const char *const *paths,
                                           const char *const *names,
                                           const lstats_script_options *opts,
                                           lstats_progress_cb progress, void *payload,
                                           lstats_table **out);
lstats_status lstats_corpus_script_mix(const lstats_corpus *corpus, lstats_table **out);
lstats_status lstats_corpus_variant_terms(const lstats_corpus *corpus,
                                          const lstats_script_options *opts,
                                          lstats_table **out);

/* ---- colloc */
#define LSTATS_COLLOC_COMPAT_TEXTBOOK ...
#define LSTATS_COLLOC_COMPAT_NLTK ...
#define LSTATS_COLLOC_OPTIONS_VERSION ...
typedef struct lstats_colloc_options {
    uint32_t version;
    uint32_t n;
    uint32_t window_left;
    uint32_t window_right;
    uint64_t min_count;
    int32_t sentence_bounded;
    const char *measures;
    const char *sort_by;
    size_t top_k;
    uint32_t min_length;
    uint32_t max_length;
    const char *const *stopwords;
    size_t n_stopwords;
    int32_t drop_punct;
    int32_t drop_numbers;
    double alpha;
    int32_t compat;
    uint32_t n_threads;
} lstats_colloc_options;
lstats_status lstats_colloc_options_init(lstats_colloc_options *opts, uint32_t version);
lstats_status lstats_corpus_collocations(const lstats_corpus *corpus,
                                         const lstats_colloc_options *opts, lstats_table **out);
lstats_status lstats_corpus_collocates(const lstats_corpus *corpus, const char *node,
                                       size_t node_len, const lstats_colloc_options *opts,
                                       lstats_table **out);
lstats_status lstats_corpus_cooccurrence(const lstats_corpus *corpus,
                                         const lstats_colloc_options *opts, lstats_table **out);
const char *lstats_assoc_measure_names(void);
lstats_status lstats_assoc_score(const char *measure, double o11, double o12, double o21,
                                 double o22, double alpha, double *out);

/* ---------------------------------------------------------------- Python callbacks */
/* The one progress trampoline (libstats/_progress.py); per-call state via the payload. */
extern "Python" int _lstats_progress_cb(uint64_t done, uint64_t total, void *payload);

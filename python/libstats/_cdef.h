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
} lstats_freq_options;

lstats_status lstats_freq_options_init(lstats_freq_options *opts, uint32_t version);
lstats_status lstats_corpus_frequencies(const lstats_corpus *corpus,
                                        const lstats_freq_options *opts, lstats_table **out);

/* ---------------------------------------------------------------- Python callbacks */
/* The one progress trampoline (libstats/_progress.py); per-call state via the payload. */
extern "Python" int _lstats_progress_cb(uint64_t done, uint64_t total, void *payload);

/* Internal: reading documents as a stream of UTF-8 chunks. */
#ifndef LS_TEXT_H
#define LS_TEXT_H

#include <stdint.h>
#include <stddef.h>

#include "libstats.h"

typedef struct ls_reader ls_reader;

/* Opens a file (plain, or gzip recognised by its magic bytes, multi-member allowed) or a memory
 * buffer (copied or borrowed: the buffer must outlive the reader). `name` is used in messages.
 * `encoding`: NULL or "utf-8" (BOM stripped), "auto" (BOM, then UTF-8 validation, then ICU
 * charset detection refusing low-confidence guesses), or an ICU converter name.
 * `errors`: LSTATS_ERRORS_STRICT or LSTATS_ERRORS_REPLACE. */
lstats_status ls_reader_open_file(ls_reader **out, const char *path, const char *encoding,
                                  int errors);
lstats_status ls_reader_open_memory(ls_reader **out, const char *name, const void *data,
                                    size_t size, const char *encoding, int errors);

/* The next chunk of valid UTF-8 text. A chunk ends just after a '\n' unless the text ends or a
 * line is longer than the maximum chunk size (then it ends at a code point boundary, after white
 * space where possible). CRLF and lone CR are delivered as LF. NUL bytes are an error in strict
 * mode and U+FFFD (counted) in replace mode. *len_out == 0 means the end of the text.
 * The chunk buffer belongs to the reader and is valid until the next call. *offset_out is the
 * chunk's offset in the delivered text. Errors name the file and the absolute byte offset in the
 * decompressed input. */
lstats_status ls_reader_next(ls_reader *r, const char **text_out, size_t *len_out,
                             uint64_t *offset_out);

/* Bytes consumed from the source so far (compressed bytes for gzip files). */
uint64_t ls_reader_bytes_in(const ls_reader *r);
/* The size of the source in bytes if known (file size), else 0. */
uint64_t ls_reader_size_hint(const ls_reader *r);
/* Replaced invalid sequences (and NULs) so far in replace mode. */
uint64_t ls_reader_replaced(const ls_reader *r);
/* The encoding in use: "UTF-8", or the detected/declared name. */
const char *ls_reader_encoding(const ls_reader *r);
void ls_reader_free(ls_reader *r);

#endif

/* Internal: reading documents as a stream of UTF-8 chunks. */
#ifndef LS_TEXT_H
#define LS_TEXT_H

#include <stdint.h>
#include <stddef.h>

#include "libstats.h"

typedef struct ls_reader ls_reader;

/* Opens a file (plain, or gzip recognised by its magic bytes 1f 8b, multi-member allowed) or a
 * memory buffer (borrowed, not copied: it must outlive the reader). `name` is used in messages.
 * `encoding`: NULL or "utf-8"/"utf8" (any case; BOM stripped), "auto" (BOM, then UTF-8
 * validation, then ICU charset detection refusing low-confidence guesses), or an ICU converter
 * name. A U+FEFF at the very start is stripped in every encoding.
 * `errors`: LSTATS_ERRORS_STRICT or LSTATS_ERRORS_REPLACE.
 *
 * Input is streamed: memory use does not grow with the input (blocks of 256 KiB; the chunk
 * buffer holds at most about 4 MiB plus one decoded block). The open functions read the first
 * block (the gzip check); "auto" also decides the encoding there, from the first 64 KiB of
 * decompressed input (which is still delivered): a UTF-8/UTF-16LE/UTF-16BE BOM decides; else
 * valid UTF-8 (or a sample that is more than 90% valid multi-byte UTF-8: broken UTF-8, reported
 * at the first bad byte) means UTF-8; else ICU's detector, whose guesses below confidence 50
 * are refused (LSTATS_EENCODING). A valid-UTF-8 sample with NUL bytes may be detected as
 * UTF-16/32 without a BOM.
 * gzip: a truncated member, a CRC or length mismatch, corrupt deflate data, and anything after a
 * member that does not start with the gzip magic (trailing garbage, including zero padding)
 * are LSTATS_EGZIP errors naming the compressed offset. A 0-byte file is an empty plain text; a
 * file of "\x1f\x8b" or a partial header is a truncated gzip stream. */
lstats_status ls_reader_open_file(ls_reader **out, const char *path, const char *encoding,
                                  int errors);
/* Bytes [offset, offset + length) of a plain UTF-8 file, read as if they were the whole text
 * except that error offsets count from the start of the file and a U+FEFF at offset > 0 is
 * kept. For reading one large file on several threads in parts cut after a '\n'. */
lstats_status ls_reader_open_file_range(ls_reader **out, const char *path, uint64_t offset,
                                        uint64_t length, int errors);
lstats_status ls_reader_open_memory(ls_reader **out, const char *name, const void *data,
                                    size_t size, const char *encoding, int errors);

/* The next chunk of valid UTF-8 text. A chunk is at most 1 MiB and ends just after a '\n', unless
 * the text ends, or its first line is longer than 1 MiB: then the chunk is that whole line if it
 * is at most 4 MiB, else the line is cut at 4 MiB: after the last ASCII space or tab within the
 * last 1 MiB before that limit, else at the last code point boundary (the rest of the line comes
 * in the next chunk). CRLF and lone CR are delivered as LF. NUL bytes are an error in strict
 * mode and U+FFFD (counted) in replace mode. *len_out == 0 means the end of the text.
 * The chunk buffer belongs to the reader and is valid until the next call. *offset_out (may be
 * NULL) is the chunk's offset in the delivered text. Errors name the file and the absolute byte
 * offset in the decompressed input (invalid UTF-8: LSTATS_EUTF8; NULs and bytes invalid in
 * other encodings: LSTATS_EENCODING; gzip: LSTATS_EGZIP with the compressed offset). An error
 * is sticky: later calls return it again. */
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

/* Internal: where to cut one large plain file so that several threads can read it in parts. */
#ifndef LS_FILESPLIT_H
#define LS_FILESPLIT_H

#include <stddef.h>
#include <stdint.h>

/* Cut points just after a '\n' near `parts` equal divisions of a file of `size` bytes:
 * cuts[0] = 0 < cuts[1] < ... < cuts[k] = size. Returns k, the number of parts: 1 (do not
 * split) when the file cannot be read, is gzip, or has no line end within 1 MiB after a
 * division. A '\n' is always a word and a sentence boundary (ICU: a paragraph separator; the
 * reader ends its chunks after one too), so the parts tokenize as the whole file would. */
size_t ls_file_cuts(const char *path, uint64_t size, size_t parts, uint64_t *cuts);

#endif

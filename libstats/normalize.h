/* Internal: normalising one token (NFC/NFKC, full case folding). */
#ifndef LS_NORMALIZE_H
#define LS_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include <unicode/unorm2.h>

#include "libstats.h"

typedef struct ls_normalizer {
    int normalize; /* LSTATS_NORMALIZE_* */
    int lowercase;
    /* ICU singletons, owned by ICU: NFKC_Casefold covers "nfkc + lowercase" in one pass. */
    const UNormalizer2 *norm;
    /* Scratch buffers, grown on demand. */
    UChar *u16a, *u16b;
    int32_t u16_cap;
    char *out;
    size_t out_cap;
} ls_normalizer;

lstats_status ls_normalizer_init(ls_normalizer *n, int normalize, int lowercase);
void ls_normalizer_destroy(ls_normalizer *n);

/* Normalises UTF-8 `s` (valid, `len` bytes; or its UTF-16 form `u16`/`u16_len` when the caller
 * has it, else NULL) into *out_s / *out_len. The result points into `s` itself when nothing
 * changes, or into the normaliser's scratch buffer (valid until the next call). */
lstats_status ls_normalize_token(ls_normalizer *n, const char *s, size_t len, const UChar *u16,
                                 int32_t u16_len, const char **out_s, size_t *out_len);

#endif

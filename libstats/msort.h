/* Internal: stable merge sorts specialised for one element type and order, for arrays of
 * millions of rows (glibc's generic qsort copies every element through a memmove call, which
 * dominated the time). LS_MERGE_SORT(name, type, ctx_type, less) defines
 *     static void name(type *v, type *tmp, size_t n, ctx_type ctx)
 * ordering v[0..n) by less(ctx, a, b) (pointers to elements; nonzero when *a goes first);
 * tmp holds n / 2 + 1 elements. */
#ifndef LS_MSORT_H
#define LS_MSORT_H

#include <stddef.h>
#include <string.h>

#define LS_MERGE_SORT(NAME, TYPE, CTX_TYPE, LESS)                   \
    static void NAME(TYPE *v, TYPE *tmp, size_t n, CTX_TYPE ctx)    \
    {                                                               \
        (void)ctx;                                                  \
        if (n < 24) {                                               \
            for (size_t i = 1; i < n; i++) {                        \
                TYPE x = v[i];                                      \
                size_t j = i;                                       \
                while (j > 0 && LESS(ctx, &x, &v[j - 1])) {         \
                    v[j] = v[j - 1];                                \
                    j--;                                            \
                }                                                   \
                v[j] = x;                                           \
            }                                                       \
            return;                                                 \
        }                                                           \
        size_t h = n / 2;                                           \
        NAME(v, tmp, h, ctx);                                       \
        NAME(v + h, tmp, n - h, ctx);                               \
        if (!LESS(ctx, &v[h], &v[h - 1]))                           \
            return; /* already in order */                          \
        memcpy(tmp, v, h * sizeof *v);                              \
        size_t i = 0, j = h, o = 0;                                 \
        while (i < h && j < n)                                      \
            v[o++] = LESS(ctx, &v[j], &tmp[i]) ? v[j++] : tmp[i++]; \
        while (i < h)                                               \
            v[o++] = tmp[i++];                                      \
    }

#endif

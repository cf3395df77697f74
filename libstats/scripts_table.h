/* Internal: the generated Han script-variant table (see gen/gen_hanzi_table.c). */
#ifndef LS_SCRIPTS_TABLE_H
#define LS_SCRIPTS_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define LS_HAN_MAX_CP 0x32400
#define LS_HAN_NBLOCK (LS_HAN_MAX_CP >> 8)

/* Low three bits: LSTATS_HAN_* class; flags: */
#define LS_HAN_CLASS_MASK 7u
#define LS_HAN_FOLD_S     8u
#define LS_HAN_FOLD_T     16u

typedef struct ls_han_pair {
    uint32_t from, to;
} ls_han_pair;

extern const char ls_han_icu_version[];
extern const uint16_t ls_han_stage1[LS_HAN_NBLOCK];
extern const uint8_t ls_han_stage2[];
extern const size_t ls_han_fold_simp_n, ls_han_fold_trad_n;
extern const ls_han_pair ls_han_fold_simp[], ls_han_fold_trad[];

static inline unsigned ls_han_entry(uint32_t cp)
{
    return cp < LS_HAN_MAX_CP ? ls_han_stage2[((uint32_t)ls_han_stage1[cp >> 8] << 8) | (cp & 255)]
                              : 0u;
}

#endif

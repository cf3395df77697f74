#define _POSIX_C_SOURCE 200809L /* pread */
#include "filesplit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOOK     (64u * 1024)   /* bytes read at a time when looking for a '\n' */
#define LOOK_MAX (1024u * 1024) /* give up after this many */

size_t ls_file_cuts(const char *path, uint64_t size, size_t parts, uint64_t *cuts)
{
    cuts[0] = 0;
    cuts[1] = size;
    if (parts < 2)
        return 1;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 1;
    unsigned char *buf = malloc(LOOK);
    size_t k = 1;
    unsigned char magic[2];
    if (!buf || pread(fd, magic, 2, 0) != 2 || (magic[0] == 0x1f && magic[1] == 0x8b))
        goto whole;
    for (size_t i = 1; i < parts; i++) {
        uint64_t at = size / parts * i, cut = 0;
        if (at <= cuts[k - 1])
            at = cuts[k - 1];
        for (uint64_t looked = 0; !cut && looked < LOOK_MAX && at + looked < size;) {
            ssize_t got = pread(fd, buf, LOOK, (off_t)(at + looked));
            if (got <= 0)
                goto whole;
            unsigned char *nl = memchr(buf, '\n', (size_t)got);
            if (nl)
                cut = at + looked + (uint64_t)(nl - buf) + 1;
            looked += (uint64_t)got;
        }
        if (!cut)
            goto whole;
        if (cut >= size)
            break;
        cuts[k++] = cut;
    }
    cuts[k] = size;
    free(buf);
    close(fd);
    return k;
whole:
    free(buf);
    close(fd);
    cuts[1] = size;
    return 1;
}

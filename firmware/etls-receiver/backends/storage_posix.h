/* POSIX files: Linux boards and the host tests. Files live under `root`; new files get mode 0600.
 * Below the root no symbolic link is followed: not a folder on the way, not the temporary name. */
#ifndef ETLS_STORAGE_POSIX_H
#define ETLS_STORAGE_POSIX_H

#include "../src/etls_storage.h"

typedef struct {
    char root[256];
    /* the file's own name and its temporary name, both inside the folder `dir` */
    char base[128];
    char tmp[144];
    int dir;
    int fd;
} etls_posix_ctx;

void etls_storage_posix(etls_storage *st, etls_posix_ctx *ctx, const char *root);

#endif

/* POSIX files: Linux boards and the host tests. Files live under `root`; new files get mode 0600. */
#ifndef ETLS_STORAGE_POSIX_H
#define ETLS_STORAGE_POSIX_H

#include "../src/etls_storage.h"

typedef struct {
    char root[256];
    char path[512];
    char tmp[520];
    int fd;
} etls_posix_ctx;

void etls_storage_posix(etls_storage *st, etls_posix_ctx *ctx, const char *root);

#endif

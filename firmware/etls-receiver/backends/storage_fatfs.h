/* FatFs backend (SD cards, e.g. the Bosch XDK) for the etls-frame receiver. */
#ifndef ETLS_STORAGE_FATFS_H
#define ETLS_STORAGE_FATFS_H

#include <ff.h>

#include "../src/etls_storage.h"

typedef struct {
    char path[128];
    char tmp[136];
    char bak[136];
    FIL fil;
    int open;
} etls_fatfs_ctx;

void etls_storage_fatfs(etls_storage *st, etls_fatfs_ctx *ctx);

#endif

/* ESP-IDF VFS backend (SPIFFS, LittleFS or FAT mounted with esp_vfs_*_register) for the receiver. */
#ifndef ETLS_STORAGE_ESPIDF_H
#define ETLS_STORAGE_ESPIDF_H

#include <stdio.h>

#include "../src/etls_storage.h"

typedef struct {
    char base[32];
    char path[160];
    char tmp[168];
    FILE *f;
} etls_espidf_ctx;

/** `base_path` is the mount point given to esp_vfs_spiffs_register() & co, e.g. "/spiffs". */
void etls_storage_espidf(etls_storage *st, etls_espidf_ctx *ctx, const char *base_path);

#endif

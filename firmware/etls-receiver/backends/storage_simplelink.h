/* TI SimpleLink sl_Fs* backend for the etls-frame receiver. */
#ifndef ETLS_STORAGE_SIMPLELINK_H
#define ETLS_STORAGE_SIMPLELINK_H

#include <ti/drivers/net/wifi/simplelink.h>

#include "../src/etls_storage.h"

typedef struct {
    char name[180];
    _i32 fd;
    _u32 token;
} etls_sl_ctx;

void etls_storage_simplelink(etls_storage *st, etls_sl_ctx *ctx);

#endif

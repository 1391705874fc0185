/* FatFs backend: write NAME.TMP, then swap it in. f_rename() will not replace a file, so the old one
 * is renamed to NAME.BAK first and removed last; after a power cut, NAME or NAME.BAK holds a whole file. */
#include "storage_fatfs.h"

#include <stdio.h>
#include <string.h>

#include "../src/etls_receiver.h"

static int f_begin(void *c, const char *name, uint32_t size)
{
    etls_fatfs_ctx *x = c;
    (void)size;
    if (strlen(name) + 5 > sizeof x->path) return -ETLS_ERR_BAD_NAME;
    strcpy(x->path, name);
    sprintf(x->tmp, "%s.TMP", name);
    sprintf(x->bak, "%s.BAK", name);
    if (f_open(&x->fil, x->tmp, FA_CREATE_ALWAYS | FA_WRITE | FA_READ) != FR_OK) return -ETLS_ERR_OPEN;
    x->open = 1;
    return 0;
}

static int f_put(void *c, uint32_t off, const uint8_t *d, uint32_t n)
{
    etls_fatfs_ctx *x = c;
    UINT done = 0;
    if (f_lseek(&x->fil, off) != FR_OK || f_write(&x->fil, d, n, &done) != FR_OK) return -ETLS_ERR_WRITE;
    return done == n ? 0 : -ETLS_ERR_NO_SPACE;
}

static int f_get(void *c, uint32_t off, uint8_t *d, uint32_t n)
{
    etls_fatfs_ctx *x = c;
    UINT done = 0;
    if (f_sync(&x->fil) != FR_OK || f_lseek(&x->fil, off) != FR_OK || f_read(&x->fil, d, n, &done) != FR_OK)
        return -ETLS_ERR_WRITE;
    return done == n ? 0 : -ETLS_ERR_WRITE;
}

static int f_commit(void *c)
{
    etls_fatfs_ctx *x = c;
    FRESULT had_old;
    x->open = 0;
    if (f_close(&x->fil) != FR_OK) return -ETLS_ERR_COMMIT;
    (void)f_unlink(x->bak);
    had_old = f_rename(x->path, x->bak);
    if (f_rename(x->tmp, x->path) != FR_OK) {
        if (had_old == FR_OK) (void)f_rename(x->bak, x->path);
        return -ETLS_ERR_COMMIT;
    }
    if (had_old == FR_OK) (void)f_unlink(x->bak);
    return 0;
}

static void f_drop(void *c)
{
    etls_fatfs_ctx *x = c;
    if (x->open) (void)f_close(&x->fil);
    x->open = 0;
    (void)f_unlink(x->tmp);
}

void etls_storage_fatfs(etls_storage *st, etls_fatfs_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    st->name = "fatfs";
    st->ctx = ctx;
    st->begin = f_begin;
    st->write = f_put;
    st->read = f_get;
    st->commit = f_commit;
    st->abort = f_drop;
}

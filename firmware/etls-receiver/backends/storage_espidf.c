/* ESP-IDF backend over the VFS (stdio): write NAME.tmp, fsync, rename. SPIFFS's rename() does not
 * replace an existing file, so on failure the old file is removed and the rename tried again. */
#define _POSIX_C_SOURCE 200809L
#include "storage_espidf.h"

#include <esp_log.h>
#include <string.h>
#include <unistd.h>

#include "../src/etls_receiver.h"

static const char *TAG = "etls";

static int e_begin(void *c, const char *name, uint32_t size)
{
    etls_espidf_ctx *x = c;
    (void)size;
    while (*name == '/') name++;
    if (snprintf(x->path, sizeof x->path, "%s/%s", x->base, name) >= (int)sizeof x->path) return -ETLS_ERR_BAD_NAME;
    snprintf(x->tmp, sizeof x->tmp, "%s.tmp", x->path);
    x->f = fopen(x->tmp, "w+b");
    return x->f ? 0 : -ETLS_ERR_OPEN;
}

static int e_write(void *c, uint32_t off, const uint8_t *d, uint32_t n)
{
    etls_espidf_ctx *x = c;
    if (fseek(x->f, (long)off, SEEK_SET) != 0) return -ETLS_ERR_WRITE;
    return fwrite(d, 1, n, x->f) == n ? 0 : -ETLS_ERR_NO_SPACE;
}

static int e_read(void *c, uint32_t off, uint8_t *d, uint32_t n)
{
    etls_espidf_ctx *x = c;
    if (fflush(x->f) != 0 || fseek(x->f, (long)off, SEEK_SET) != 0) return -ETLS_ERR_WRITE;
    return fread(d, 1, n, x->f) == n ? 0 : -ETLS_ERR_WRITE;
}

static int e_commit(void *c)
{
    etls_espidf_ctx *x = c;
    int ok = fflush(x->f) == 0 && fsync(fileno(x->f)) == 0;
    ok = fclose(x->f) == 0 && ok;
    x->f = NULL;
    if (ok && rename(x->tmp, x->path) != 0) {
        ESP_LOGW(TAG, "rename over %s failed; replacing it", x->path);
        ok = remove(x->path) == 0 && rename(x->tmp, x->path) == 0;
    }
    if (!ok) remove(x->tmp);
    return ok ? 0 : -ETLS_ERR_COMMIT;
}

static void e_abort(void *c)
{
    etls_espidf_ctx *x = c;
    if (x->f) fclose(x->f);
    x->f = NULL;
    remove(x->tmp);
}

void etls_storage_espidf(etls_storage *st, etls_espidf_ctx *ctx, const char *base_path)
{
    memset(ctx, 0, sizeof *ctx);
    snprintf(ctx->base, sizeof ctx->base, "%s", base_path);
    st->name = "esp-idf";
    st->ctx = ctx;
    st->begin = e_begin;
    st->write = e_write;
    st->read = e_read;
    st->commit = e_commit;
    st->abort = e_abort;
}

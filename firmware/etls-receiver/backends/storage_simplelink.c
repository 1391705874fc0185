/* TI SimpleLink backend (CC3220/CC3235/CC3120 host driver 2.x; CC3100/CC3200 1.x with ETLS_SL_API_V1).
 * The file is opened failsafe: the old copy stays valid until sl_FsClose() succeeds, and closing with
 * the signature "A" aborts. That is the atomic commit on a file system without rename. */
#include "storage_simplelink.h"

#include <string.h>

#include "../src/etls_receiver.h"

static int map_error(long r, int fallback)
{
    /* SL_ERROR_FS_NO_AVAILABLE_BLOCKS / SL_ERROR_FS_NOT_ENOUGH_STORAGE_SPACE */
    if (r == -10353 || r == -10358) return -ETLS_ERR_NO_SPACE;
    return -fallback;
}

static int sl_begin(void *c, const char *name, uint32_t size)
{
    etls_sl_ctx *x = c;
    uint32_t max = size < 4096u ? 4096u : size;
    while (*name == '/' && name[1] == '/') name++;
    if (strlen(name) >= sizeof x->name) return -ETLS_ERR_BAD_NAME;
    strcpy(x->name, name);
#ifdef ETLS_SL_API_V1
    {
        _i32 fd = -1;
        long r = sl_FsOpen((_u8 *)x->name, FS_MODE_OPEN_CREATE(max, _FS_FILE_OPEN_FLAG_COMMIT), &x->token, &fd);
        if (r < 0) {
            /* an existing file opens for writing without the create flags */
            r = sl_FsOpen((_u8 *)x->name, FS_MODE_OPEN_WRITE, &x->token, &fd);
        }
        if (r < 0) return map_error(r, ETLS_ERR_OPEN);
        x->fd = fd;
    }
#else
    x->fd = sl_FsOpen((const _u8 *)x->name,
                      SL_FS_CREATE | SL_FS_OVERWRITE | SL_FS_CREATE_FAILSAFE | SL_FS_CREATE_MAX_SIZE(max), &x->token);
    if (x->fd < 0) return map_error(x->fd, ETLS_ERR_OPEN);
#endif
    return 0;
}

static int sl_write(void *c, uint32_t off, const uint8_t *d, uint32_t n)
{
    etls_sl_ctx *x = c;
    long r = sl_FsWrite(x->fd, off, (_u8 *)d, n);
    return r == (long)n ? 0 : map_error(r, ETLS_ERR_WRITE);
}

static int sl_commit(void *c)
{
    etls_sl_ctx *x = c;
    long r = sl_FsClose(x->fd, NULL, NULL, 0);
    x->fd = -1;
    return r < 0 ? map_error(r, ETLS_ERR_COMMIT) : 0;
}

static void sl_abort(void *c)
{
    static const _u8 abort_sig[] = "A";
    etls_sl_ctx *x = c;
    if (x->fd >= 0) (void)sl_FsClose(x->fd, NULL, abort_sig, 1);
    x->fd = -1;
}

void etls_storage_simplelink(etls_storage *st, etls_sl_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->fd = -1;
    st->name = "simplelink";
    st->ctx = ctx;
    st->begin = sl_begin;
    st->write = sl_write;
    /* a failsafe file open for writing cannot be read: VERIFY uses the digest of the bytes written */
    st->read = NULL;
    st->commit = sl_commit;
    st->abort = sl_abort;
}

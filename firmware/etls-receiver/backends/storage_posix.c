/* POSIX backend: write `.<name>.etls.tmp` beside the target, fsync, then rename() over it (atomic). */
#define _POSIX_C_SOURCE 200809L
#include "storage_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/etls_receiver.h"

static int p_begin(void *c, const char *name, uint32_t size)
{
    etls_posix_ctx *x = c;
    const char *base;
    size_t dir;
    (void)size;
    while (*name == '/') name++;
    if (snprintf(x->path, sizeof x->path, "%s/%s", x->root, name) >= (int)sizeof x->path) return -ETLS_ERR_BAD_NAME;
    base = strrchr(x->path, '/') + 1;
    dir = (size_t)(base - x->path);
    if (snprintf(x->tmp, sizeof x->tmp, "%.*s.%s.etls.tmp", (int)dir, x->path, base) >= (int)sizeof x->tmp)
        return -ETLS_ERR_BAD_NAME;
    x->fd = open(x->tmp, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (x->fd < 0) return errno == ENOSPC ? -ETLS_ERR_NO_SPACE : -ETLS_ERR_OPEN;
    return 0;
}

static int p_write(void *c, uint32_t off, const uint8_t *d, uint32_t n)
{
    etls_posix_ctx *x = c;
    while (n > 0) {
        ssize_t w = pwrite(x->fd, d, n, (off_t)off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return errno == ENOSPC ? -ETLS_ERR_NO_SPACE : -ETLS_ERR_WRITE;
        d += w; off += (uint32_t)w; n -= (uint32_t)w;
    }
    return 0;
}

static int p_read(void *c, uint32_t off, uint8_t *d, uint32_t n)
{
    etls_posix_ctx *x = c;
    while (n > 0) {
        ssize_t r = pread(x->fd, d, n, (off_t)off);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -ETLS_ERR_WRITE;
        d += r; off += (uint32_t)r; n -= (uint32_t)r;
    }
    return 0;
}

static int p_commit(void *c)
{
    etls_posix_ctx *x = c;
    int ok = fsync(x->fd) == 0;
    ok = close(x->fd) == 0 && ok;
    x->fd = -1;
    if (!ok || rename(x->tmp, x->path) != 0) {
        unlink(x->tmp);
        return -ETLS_ERR_COMMIT;
    }
    return 0;
}

static void p_abort(void *c)
{
    etls_posix_ctx *x = c;
    if (x->fd >= 0) close(x->fd);
    x->fd = -1;
    unlink(x->tmp);
}

void etls_storage_posix(etls_storage *st, etls_posix_ctx *ctx, const char *root)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->fd = -1;
    snprintf(ctx->root, sizeof ctx->root, "%s", root);
    st->name = "posix";
    st->ctx = ctx;
    st->begin = p_begin;
    st->write = p_write;
    st->read = p_read;
    st->commit = p_commit;
    st->abort = p_abort;
}

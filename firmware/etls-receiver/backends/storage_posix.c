/* POSIX backend: write `.<name>.etls.tmp` beside the target, fsync, then rename() over it (atomic).
 * The folders below the root are opened one by one with O_NOFOLLOW and the temporary file is created
 * with O_EXCL | O_NOFOLLOW, so a symbolic link planted on the way or at the temporary name can never
 * make the receiver write outside its root. A leftover regular temporary file (a transfer cut short)
 * is removed first; a link or anything else in its place is refused (ETLS_ERR_LINK). */
#define _POSIX_C_SOURCE 200809L
#include "storage_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/etls_receiver.h"

static int open_error(void)
{
    if (errno == ENOSPC) return -ETLS_ERR_NO_SPACE;
    if (errno == ELOOP || errno == ENOTDIR) return -ETLS_ERR_LINK;
    return -ETLS_ERR_OPEN;
}

/* Opens the folder that holds `name` below the root, one component at a time, following no link. */
static int open_parent(etls_posix_ctx *x, const char *name)
{
    const char *p = name, *slash;
    int dir = open(x->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return open_error();
    while ((slash = strchr(p, '/')) != NULL) {
        size_t n = (size_t)(slash - p);
        if (n > 0 && !(n == 1 && p[0] == '.')) {
            char part[128];
            int next;
            if (n >= sizeof part) { close(dir); return -ETLS_ERR_BAD_NAME; }
            memcpy(part, p, n);
            part[n] = '\0';
            next = openat(dir, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (next < 0) {
                int r = open_error();
                close(dir);
                return r;
            }
            close(dir);
            dir = next;
        }
        p = slash + 1;
    }
    if (strlen(p) >= sizeof x->base || strcmp(p, ".") == 0) { close(dir); return -ETLS_ERR_BAD_NAME; }
    strcpy(x->base, p);
    x->dir = dir;
    return 0;
}

static int create_tmp(etls_posix_ctx *x)
{
    const int flags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    struct stat st;
    x->fd = openat(x->dir, x->tmp, flags, 0600);
    if (x->fd >= 0) return 0;
    if (errno != EEXIST) return open_error();
    /* Only a plain file with no other name is a leftover of ours; unlinkat() removes the name, never a target. */
    if (fstatat(x->dir, x->tmp, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)
        return -ETLS_ERR_LINK;
    if (unlinkat(x->dir, x->tmp, 0) != 0) return -ETLS_ERR_OPEN;
    x->fd = openat(x->dir, x->tmp, flags, 0600);
    if (x->fd >= 0) return 0;
    return errno == EEXIST ? -ETLS_ERR_LINK : open_error();
}

static void close_dir(etls_posix_ctx *x)
{
    if (x->dir >= 0) close(x->dir);
    x->dir = -1;
}

static int p_begin(void *c, const char *name, uint32_t size)
{
    etls_posix_ctx *x = c;
    int r;
    (void)size;
    close_dir(x);
    while (*name == '/') name++;
    r = open_parent(x, name);
    if (r < 0) return r;
    if (snprintf(x->tmp, sizeof x->tmp, ".%s.etls.tmp", x->base) >= (int)sizeof x->tmp) r = -ETLS_ERR_BAD_NAME;
    else r = create_tmp(x);
    if (r < 0) close_dir(x);
    return r;
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
    /* renameat() replaces the name `base`; if that is a link, the link goes, not what it points to */
    if (!ok || renameat(x->dir, x->tmp, x->dir, x->base) != 0) {
        unlinkat(x->dir, x->tmp, 0);
        close_dir(x);
        return -ETLS_ERR_COMMIT;
    }
    (void)fsync(x->dir);
    close_dir(x);
    return 0;
}

static void p_abort(void *c)
{
    etls_posix_ctx *x = c;
    if (x->fd >= 0) {
        close(x->fd);
        x->fd = -1;
        unlinkat(x->dir, x->tmp, 0);
    }
    close_dir(x);
}

void etls_storage_posix(etls_storage *st, etls_posix_ctx *ctx, const char *root)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->fd = -1;
    ctx->dir = -1;
    snprintf(ctx->root, sizeof ctx->root, "%s", root);
    st->name = "posix";
    st->ctx = ctx;
    st->begin = p_begin;
    st->write = p_write;
    st->read = p_read;
    st->commit = p_commit;
    st->abort = p_abort;
}

/* Host fake of the SimpleLink 2.x file system: files in a folder, failsafe files as shadow copies that
 * replace the live file only on sl_FsClose() and vanish on an abort (signature "A").
 * FAKE_SL_FAIL_WRITE=n makes the n-th sl_FsWrite fail as if the flash were full. */
#define _POSIX_C_SOURCE 200809L
#include <ti/drivers/net/wifi/simplelink.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPEN 4

typedef struct {
    int used;
    int writing;
    int failsafe;
    FILE *f;
    char live[600];
    char shadow[620];
} fake_file;

static char root[256] = ".";
static fake_file files[MAX_OPEN];
static int writes;

void fake_sl_set_root(const char *dir) { snprintf(root, sizeof root, "%s", dir); }

/* "/cert/dev.der" is stored as <root>/cert_dev.der */
static void live_path(const _u8 *name, char *out, size_t n)
{
    char flat[256];
    size_t i = 0;
    const char *s = (const char *)name;
    while (*s == '/') s++;
    for (; *s && i + 1 < sizeof flat; s++) flat[i++] = *s == '/' ? '_' : *s;
    flat[i] = '\0';
    snprintf(out, n, "%s/%s", root, flat);
}

_i32 sl_FsOpen(const _u8 *pFileName, const _u32 mode, _u32 *pToken)
{
    int h;
    fake_file *f;
    FILE *probe;
    for (h = 0; h < MAX_OPEN && files[h].used; h++) {}
    if (h == MAX_OPEN) return -2;
    f = &files[h];
    memset(f, 0, sizeof *f);
    live_path(pFileName, f->live, sizeof f->live);
    if (pToken) *pToken = 0;
    probe = fopen(f->live, "rb");
    if (probe) fclose(probe);
    if ((mode & (0x3u << 12)) == SL_FS_READ) {
        if (!probe) return SL_ERROR_FS_FILE_NOT_EXISTS;
        f->f = fopen(f->live, "rb");
    } else {
        if (!probe && (mode & SL_FS_CREATE) == 0) return SL_ERROR_FS_FILE_NOT_EXISTS;
        f->writing = 1;
        f->failsafe = (mode & SL_FS_CREATE_FAILSAFE) != 0;
        memcpy(f->shadow, f->live, sizeof f->live);
        strcat(f->shadow, ".failsafe");
        f->f = fopen(f->failsafe ? f->shadow : f->live, "w+b");
    }
    if (!f->f) return -1;
    f->used = 1;
    return h + 1;
}

static fake_file *handle(_i32 h)
{
    return h >= 1 && h <= MAX_OPEN && files[h - 1].used ? &files[h - 1] : NULL;
}

_i32 sl_FsWrite(const _i32 h, _u32 off, _u8 *data, _u32 len)
{
    fake_file *f = handle(h);
    const char *fail = getenv("FAKE_SL_FAIL_WRITE");
    if (!f || !f->writing) return SL_ERROR_FS_INVALID_HANDLE;
    if (fail && atoi(fail) == ++writes) return SL_ERROR_FS_NO_AVAILABLE_BLOCKS;
    if (fseek(f->f, (long)off, SEEK_SET) != 0 || fwrite(data, 1, len, f->f) != len) return -1;
    return (_i32)len;
}

_i32 sl_FsRead(const _i32 h, _u32 off, _u8 *data, _u32 len)
{
    fake_file *f = handle(h);
    if (!f || f->writing) return SL_ERROR_FS_INVALID_HANDLE;
    if (fseek(f->f, (long)off, SEEK_SET) != 0) return -1;
    return (_i32)fread(data, 1, len, f->f);
}

_i16 sl_FsClose(const _i32 h, const _u8 *cert, const _u8 *sig, const _u32 sigLen)
{
    fake_file *f = handle(h);
    int abort_it = sig && sigLen == 1 && sig[0] == 'A';
    int r = 0;
    (void)cert;
    if (!f) return SL_ERROR_FS_INVALID_HANDLE;
    if (fclose(f->f) != 0) r = -1;
    if (f->failsafe) {
        if (abort_it) remove(f->shadow);
        else if (r == 0 && rename(f->shadow, f->live) != 0) r = -1;
    }
    f->used = 0;
    return (_i16)r;
}

_i16 sl_FsDel(const _u8 *pFileName, const _u32 Token)
{
    char p[600];
    (void)Token;
    live_path(pFileName, p, sizeof p);
    return remove(p) == 0 ? 0 : SL_ERROR_FS_FILE_NOT_EXISTS;
}

/* Host tests of the POSIX storage backend against planted links: a symbolic link (or a hard link) at
 * the temporary name, a linked folder below the root and a linked target never make it write outside
 * the root. Exit status 0 when every check passes. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../backends/storage_posix.h"
#include "../src/etls_receiver.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

static char base[64], root[96], outside[96];

static void path(char *out, size_t n, const char *dir, const char *name) { snprintf(out, n, "%s/%s", dir, name); }

static void put(const char *dir, const char *name, const char *text)
{
    char p[256];
    FILE *f;
    path(p, sizeof p, dir, name);
    f = fopen(p, "wb");
    if (f) { fputs(text, f); fclose(f); }
}

/* The file's text, or "" when there is none. */
static const char *get(const char *dir, const char *name)
{
    static char text[64];
    char p[256];
    FILE *f;
    size_t n = 0;
    path(p, sizeof p, dir, name);
    text[0] = '\0';
    f = fopen(p, "rb");
    if (f) { n = fread(text, 1, sizeof text - 1, f); fclose(f); }
    text[n] = '\0';
    return text;
}

static int exists(const char *dir, const char *name)
{
    char p[256];
    struct stat st;
    path(p, sizeof p, dir, name);
    return lstat(p, &st) == 0;
}

/* begin + write + commit of `text`; returns the first error, or 0. */
static int store(etls_storage *st, const char *name, const char *text)
{
    int r = st->begin(st->ctx, name, (uint32_t)strlen(text));
    if (r < 0) return r;
    r = st->write(st->ctx, 0, (const uint8_t *)text, (uint32_t)strlen(text));
    if (r < 0) { st->abort(st->ctx); return r; }
    return st->commit(st->ctx);
}

int main(void)
{
    static etls_posix_ctx ctx;
    etls_storage st;
    char link_target[256], p[256];
    struct stat sb;
    const char *tmp = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/etls-posix-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base)) { perror("mkdtemp"); return 2; }
    path(root, sizeof root, base, "root");
    path(outside, sizeof outside, base, "outside");
    mkdir(root, 0700);
    mkdir(outside, 0700);
    put(outside, "victim", "precious");
    path(link_target, sizeof link_target, outside, "victim");
    etls_storage_posix(&st, &ctx, root);

    /* an ordinary file, in a sub-folder, mode 0600, no temporary file left */
    path(p, sizeof p, root, "certs");
    mkdir(p, 0700);
    CHECK(store(&st, "/certs/a.pem", "new") == 0);
    CHECK(strcmp(get(root, "certs/a.pem"), "new") == 0);
    path(p, sizeof p, root, "certs/a.pem");
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    CHECK(!exists(root, "certs/.a.pem.etls.tmp"));

    /* a symbolic link at the temporary name is refused and the file it points to stays as it was */
    path(p, sizeof p, root, ".b.pem.etls.tmp");
    CHECK(symlink(link_target, p) == 0);
    CHECK(store(&st, "b.pem", "evil") == -ETLS_ERR_LINK);
    CHECK(strcmp(get(outside, "victim"), "precious") == 0);
    CHECK(!exists(root, "b.pem"));
    unlink(p);

    /* a dangling link there would have created a file outside */
    path(p, sizeof p, root, ".c.pem.etls.tmp");
    path(link_target, sizeof link_target, outside, "created");
    CHECK(symlink(link_target, p) == 0);
    CHECK(store(&st, "c.pem", "evil") == -ETLS_ERR_LINK);
    CHECK(!exists(outside, "created"));
    unlink(p);

    /* a hard link at the temporary name is not a leftover of ours either */
    path(p, sizeof p, root, ".d.pem.etls.tmp");
    path(link_target, sizeof link_target, outside, "victim");
    if (link(link_target, p) == 0) {
        CHECK(store(&st, "d.pem", "evil") == -ETLS_ERR_LINK);
        CHECK(strcmp(get(outside, "victim"), "precious") == 0);
        unlink(p);
    }

    /* a plain leftover temporary file (a transfer cut short) is replaced */
    put(root, ".e.pem.etls.tmp", "half a file");
    CHECK(store(&st, "e.pem", "whole") == 0);
    CHECK(strcmp(get(root, "e.pem"), "whole") == 0);
    CHECK(!exists(root, ".e.pem.etls.tmp"));

    /* a linked folder below the root is not followed */
    path(p, sizeof p, root, "linked");
    CHECK(symlink(outside, p) == 0);
    CHECK(store(&st, "linked/victim", "evil") == -ETLS_ERR_LINK);
    CHECK(strcmp(get(outside, "victim"), "precious") == 0);
    CHECK(!exists(outside, ".victim.etls.tmp"));

    /* a link as the target itself is replaced by the new file; what it pointed to is untouched */
    path(p, sizeof p, root, "f.pem");
    CHECK(symlink(link_target, p) == 0);
    CHECK(store(&st, "f.pem", "new") == 0);
    CHECK(lstat(p, &sb) == 0 && S_ISREG(sb.st_mode));
    CHECK(strcmp(get(outside, "victim"), "precious") == 0);

    /* aborting removes the temporary file and leaves the live one */
    CHECK(st.begin(st.ctx, "e.pem", 3) == 0);
    st.abort(st.ctx);
    CHECK(!exists(root, ".e.pem.etls.tmp") && strcmp(get(root, "e.pem"), "whole") == 0);

    /* a missing folder is OPEN, as before */
    CHECK(store(&st, "missing/g.pem", "x") == -ETLS_ERR_OPEN);

    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", base);
    }
    if (failures == 0) printf("storage-posix: all checks passed\n");
    return failures ? 1 : 0;
}

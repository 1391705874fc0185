/* etls-receiver for Linux and the host tests: reads etls-frame messages from a tty (or stdin/stdout) and
 * stores files under a folder, with the POSIX backend or (ETLS_BACKEND_SIMPLELINK) the fake sl_Fs* one.
 * usage: etls-receiver [--tty PATH] [--root DIR] [--max-size BYTES] */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../src/etls_receiver.h"
#ifdef ETLS_BACKEND_SIMPLELINK
#include "../backends/storage_simplelink.h"
#else
#include "../backends/storage_posix.h"
#endif

static int out_fd = 1;

static void send_all(void *io, const uint8_t *d, size_t n)
{
    (void)io;
    while (n > 0) {
        ssize_t w = write(out_fd, d, n);
        if (w < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (w <= 0) return;
        d += w;
        n -= (size_t)w;
    }
}

static void make_raw(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return;
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF);
    t.c_oflag &= ~(tcflag_t)OPOST;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t.c_cflag |= CS8 | CLOCAL | CREAD;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSANOW, &t);
}

int main(int argc, char **argv)
{
    const char *tty = NULL, *root = ".";
    uint32_t max_size = 64u * 1024u;
    int in_fd = 0, i;
    static etls_receiver rx;
    etls_storage st;
#ifdef ETLS_BACKEND_SIMPLELINK
    static etls_sl_ctx ctx;
#else
    static etls_posix_ctx ctx;
#endif
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--tty") == 0) tty = argv[i + 1];
        else if (strcmp(argv[i], "--root") == 0) root = argv[i + 1];
        else if (strcmp(argv[i], "--max-size") == 0) max_size = (uint32_t)strtoul(argv[i + 1], NULL, 10);
        else {
            fprintf(stderr, "etls-receiver: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (tty) {
        in_fd = open(tty, O_RDWR | O_NOCTTY);
        if (in_fd < 0) {
            fprintf(stderr, "etls-receiver: cannot open %s: %s\n", tty, strerror(errno));
            return 1;
        }
        out_fd = in_fd;
    }
    make_raw(in_fd);
#ifdef ETLS_BACKEND_SIMPLELINK
    fake_sl_set_root(root);
    etls_storage_simplelink(&st, &ctx);
#else
    etls_storage_posix(&st, &ctx, root);
#endif
    etls_rx_init(&rx, &st, send_all, NULL, max_size);
    for (;;) {
        uint8_t buf[512];
        struct pollfd p;
        ssize_t n;
        p.fd = in_fd;
        p.events = POLLIN;
        p.revents = 0;
        if (poll(&p, 1, 200) == 0) {
            etls_rx_idle(&rx);
            continue;
        }
        n = read(in_fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break; /* the line went away */
        etls_rx_feed(&rx, buf, (size_t)n);
    }
    etls_rx_close(&rx);
    return 0;
}

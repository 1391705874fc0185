/* The etls-frame receiver (docs/etls-frame.md): portable C99, no malloc, fixed buffers.
 * Feed it the bytes from the UART; it calls `send` with its replies and writes files through a backend. */
#ifndef ETLS_RECEIVER_H
#define ETLS_RECEIVER_H

#include <stddef.h>
#include <stdint.h>

#include "etls_sha256.h"
#include "etls_storage.h"

#define ETLS_VERSION 1u
#define ETLS_MAX_PAYLOAD 1024u
#define ETLS_HEADER 6u
#define ETLS_TRAILER 4u
#define ETLS_FRAME_MAX (ETLS_HEADER + ETLS_MAX_PAYLOAD + ETLS_TRAILER)
#define ETLS_WINDOW 4u
#define ETLS_MAX_NAME 128u

enum {
    ETLS_HELLO = 0x01, ETLS_BEGIN = 0x02, ETLS_DATA = 0x03, ETLS_END = 0x04,
    ETLS_VERIFY = 0x05, ETLS_COMMIT = 0x06, ETLS_ABORT = 0x07,
    ETLS_ACK = 0x81, ETLS_NAK = 0x82, ETLS_ERR = 0x83
};

/* Error codes in ERR frames; the host explains each one. Backends return them negated. */
enum {
    ETLS_ERR_VERSION = 1, ETLS_ERR_NO_TRANSFER = 2, ETLS_ERR_BAD_NAME = 3, ETLS_ERR_TOO_LARGE = 4,
    ETLS_ERR_OPEN = 5, ETLS_ERR_WRITE = 6, ETLS_ERR_SIZE = 7, ETLS_ERR_DIGEST = 8, ETLS_ERR_COMMIT = 9,
    ETLS_ERR_OFFSET = 10, ETLS_ERR_NO_SPACE = 11, ETLS_ERR_BAD_FRAME = 12, ETLS_ERR_LINK = 13
};

typedef void (*etls_send_fn)(void *io, const uint8_t *data, size_t len);

typedef struct {
    const etls_storage *storage;
    etls_send_fn send;
    void *io;
    uint32_t max_file_size;
    /* framing: two frames' worth, so a bad frame can be rescanned for the next magic */
    uint8_t in[2 * ETLS_FRAME_MAX];
    size_t in_len;
    uint8_t out[ETLS_HEADER + 64 + ETLS_MAX_NAME + ETLS_TRAILER];
    /* session */
    int session;
    uint8_t expected;
    int nak_sent;
    uint8_t last_err_seq;
    uint8_t last_err_code;
    int has_last_err;
    /* transfer */
    int open;
    int ended;
    uint32_t size;
    uint32_t received;
    uint8_t want[32];
    uint8_t got[32];
    etls_sha256 sha;
    /** Frames dropped for a bad CRC or length (for diagnostics). */
    uint32_t rejected;
} etls_receiver;

void etls_rx_init(etls_receiver *rx, const etls_storage *storage, etls_send_fn send, void *io, uint32_t max_file_size);
/** Hands over bytes received from the link. */
void etls_rx_feed(etls_receiver *rx, const uint8_t *data, size_t len);
/** Call after ~200 ms of silence: drops a half-received frame whose rest will never come. */
void etls_rx_idle(etls_receiver *rx);
/** Call when the link goes away: an unfinished file is dropped, the live one stays. */
void etls_rx_close(etls_receiver *rx);
uint32_t etls_crc32(const uint8_t *data, size_t len);

#endif

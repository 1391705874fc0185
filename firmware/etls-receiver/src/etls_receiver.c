/* The etls-frame receiver state machine: framing with resync, go-back-N sequence checks, and the
 * BEGIN/DATA/END/VERIFY/COMMIT/ABORT transfer that only ever makes a verified file live. */
#include "etls_receiver.h"

#include <string.h>

static const uint8_t MAGIC0 = 0xE7, MAGIC1 = 0x5A;

uint32_t etls_crc32(const uint8_t *data, size_t len)
{
    uint32_t c = 0xFFFFFFFFu;
    size_t i;
    int k;
    for (i = 0; i < len; i++) {
        c ^= data[i];
        for (k = 0; k < 8; k++) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void reply(etls_receiver *rx, uint8_t type, uint8_t seq, const uint8_t *payload, size_t len)
{
    uint8_t *o = rx->out;
    if (len > sizeof rx->out - ETLS_HEADER - ETLS_TRAILER) len = sizeof rx->out - ETLS_HEADER - ETLS_TRAILER;
    o[0] = MAGIC0; o[1] = MAGIC1;
    o[2] = (uint8_t)len; o[3] = (uint8_t)(len >> 8);
    o[4] = type; o[5] = seq;
    if (len) memcpy(o + ETLS_HEADER, payload, len);
    put32(o + ETLS_HEADER + len, etls_crc32(o + 2, ETLS_HEADER - 2 + len));
    rx->send(rx->io, o, ETLS_HEADER + len + ETLS_TRAILER);
}

static void ack(etls_receiver *rx, uint8_t seq) { reply(rx, ETLS_ACK, seq, NULL, 0); }

static void fail(etls_receiver *rx, uint8_t seq, int code)
{
    uint8_t c = (uint8_t)(code < 0 ? -code : code);
    rx->last_err_seq = seq;
    rx->last_err_code = c;
    rx->has_last_err = 1;
    reply(rx, ETLS_ERR, seq, &c, 1);
}

static void drop_transfer(etls_receiver *rx)
{
    if (rx->open) rx->storage->abort(rx->storage->ctx);
    rx->open = 0;
    rx->ended = 0;
}

void etls_rx_init(etls_receiver *rx, const etls_storage *storage, etls_send_fn send, void *io, uint32_t max_file_size)
{
    memset(rx, 0, sizeof *rx);
    rx->storage = storage;
    rx->send = send;
    rx->io = io;
    rx->max_file_size = max_file_size;
}

static int name_ok(const uint8_t *name, size_t len)
{
    size_t i;
    if (len == 0 || len >= ETLS_MAX_NAME) return 0;
    for (i = 0; i < len; i++) {
        if (name[i] < 0x20 || name[i] == 0x7F || name[i] == '\\') return 0;
        if (name[i] == '.' && i + 1 < len && name[i + 1] == '.' && (i == 0 || name[i - 1] == '/') &&
            (i + 2 == len || name[i + 2] == '/')) return 0;
    }
    return name[len - 1] != '/';
}

/* The SHA-256 of the stored bytes: read back when the backend can, else of the bytes as written. */
static int stored_digest(etls_receiver *rx, uint8_t out[32])
{
    if (rx->storage->read) {
        etls_sha256 s;
        uint8_t chunk[256];
        uint32_t off;
        etls_sha256_init(&s);
        for (off = 0; off < rx->size; off += sizeof chunk) {
            uint32_t n = rx->size - off < sizeof chunk ? rx->size - off : (uint32_t)sizeof chunk;
            int r = rx->storage->read(rx->storage->ctx, off, chunk, n);
            if (r < 0) return r;
            etls_sha256_update(&s, chunk, n);
        }
        etls_sha256_final(&s, out);
    } else {
        memcpy(out, rx->got, 32);
    }
    return 0;
}

static void on_frame(etls_receiver *rx, uint8_t type, uint8_t seq, const uint8_t *p, size_t len)
{
    uint8_t buf[36];
    int r;
    switch (type) {
    case ETLS_BEGIN: {
        char name[ETLS_MAX_NAME];
        drop_transfer(rx);
        if (len < 37 || !name_ok(p + 36, len - 36)) { fail(rx, seq, ETLS_ERR_BAD_NAME); return; }
        rx->size = get32(p);
        if (rx->max_file_size && rx->size > rx->max_file_size) { fail(rx, seq, ETLS_ERR_TOO_LARGE); return; }
        memcpy(rx->want, p + 4, 32);
        memcpy(name, p + 36, len - 36);
        name[len - 36] = '\0';
        r = rx->storage->begin(rx->storage->ctx, name, rx->size);
        if (r < 0) { fail(rx, seq, r); return; }
        rx->open = 1;
        rx->received = 0;
        etls_sha256_init(&rx->sha);
        ack(rx, seq);
        return;
    }
    case ETLS_DATA:
        if (!rx->open || rx->ended) { fail(rx, seq, ETLS_ERR_NO_TRANSFER); return; }
        if (len < 4 || get32(p) != rx->received) { fail(rx, seq, ETLS_ERR_OFFSET); return; }
        if (len - 4 > rx->size - rx->received) { fail(rx, seq, ETLS_ERR_SIZE); drop_transfer(rx); return; }
        r = rx->storage->write(rx->storage->ctx, rx->received, p + 4, (uint32_t)(len - 4));
        if (r < 0) { fail(rx, seq, r); drop_transfer(rx); return; }
        etls_sha256_update(&rx->sha, p + 4, len - 4);
        rx->received += (uint32_t)(len - 4);
        ack(rx, seq);
        return;
    case ETLS_END:
        if (!rx->open) { fail(rx, seq, ETLS_ERR_NO_TRANSFER); return; }
        if (rx->received != rx->size) { fail(rx, seq, ETLS_ERR_SIZE); drop_transfer(rx); return; }
        if (!rx->ended) etls_sha256_final(&rx->sha, rx->got);
        rx->ended = 1;
        ack(rx, seq);
        return;
    case ETLS_VERIFY:
        if (!rx->open || !rx->ended) { fail(rx, seq, ETLS_ERR_NO_TRANSFER); return; }
        r = stored_digest(rx, buf + 4);
        if (r < 0) { fail(rx, seq, r); return; }
        put32(buf, rx->size);
        reply(rx, ETLS_ACK, seq, buf, 36);
        return;
    case ETLS_COMMIT:
        if (!rx->open || !rx->ended) { fail(rx, seq, ETLS_ERR_NO_TRANSFER); return; }
        r = stored_digest(rx, buf);
        if (r < 0 || memcmp(buf, rx->want, 32) != 0) { fail(rx, seq, r < 0 ? r : -ETLS_ERR_DIGEST); drop_transfer(rx); return; }
        r = rx->storage->commit(rx->storage->ctx);
        rx->open = 0;
        rx->ended = 0;
        if (r < 0) { fail(rx, seq, r); return; }
        ack(rx, seq);
        return;
    case ETLS_ABORT:
        drop_transfer(rx);
        ack(rx, seq);
        return;
    default:
        fail(rx, seq, ETLS_ERR_BAD_FRAME);
        return;
    }
}

static void hello(etls_receiver *rx, uint8_t seq, const uint8_t *p, size_t len)
{
    uint8_t caps[8 + 24];
    size_t n = strlen(rx->storage->name);
    drop_transfer(rx);
    if (len < 1 || p[0] != ETLS_VERSION) { fail(rx, seq, ETLS_ERR_VERSION); return; }
    rx->session = 1;
    rx->expected = (uint8_t)(seq + 1);
    rx->nak_sent = 0;
    rx->has_last_err = 0;
    caps[0] = ETLS_VERSION;
    caps[1] = ETLS_WINDOW;
    caps[2] = (uint8_t)ETLS_MAX_PAYLOAD;
    caps[3] = (uint8_t)(ETLS_MAX_PAYLOAD >> 8);
    put32(caps + 4, rx->max_file_size);
    if (n > 24) n = 24;
    memcpy(caps + 8, rx->storage->name, n);
    reply(rx, ETLS_ACK, seq, caps, 8 + n);
}

/* Sequence rules (go-back-N): the expected frame is processed; a recent one is a repeat whose ACK
 * was lost, so it is acknowledged again; anything else means frames were lost: one NAK asks for them. */
static void dispatch(etls_receiver *rx, uint8_t type, uint8_t seq, const uint8_t *p, size_t len)
{
    uint8_t ahead = (uint8_t)(seq - rx->expected);
    if (type == ETLS_HELLO) { hello(rx, seq, p, len); return; }
    if (!rx->session) { fail(rx, seq, ETLS_ERR_NO_TRANSFER); return; }
    if (ahead == 0) {
        rx->expected++;
        rx->nak_sent = 0;
        on_frame(rx, type, seq, p, len);
    } else if (ahead >= 256u - 32u) {
        if (rx->has_last_err && rx->last_err_seq == seq) {
            uint8_t c = rx->last_err_code;
            reply(rx, ETLS_ERR, seq, &c, 1);
        } else if (type == ETLS_VERIFY && rx->open && rx->ended) {
            on_frame(rx, type, seq, p, len);
        } else {
            ack(rx, seq);
        }
    } else if (!rx->nak_sent) {
        rx->nak_sent = 1;
        reply(rx, ETLS_NAK, rx->expected, NULL, 0);
    }
}

void etls_rx_feed(etls_receiver *rx, const uint8_t *data, size_t len)
{
    while (len > 0) {
        size_t room = sizeof rx->in - rx->in_len;
        size_t n = len < room ? len : room;
        memcpy(rx->in + rx->in_len, data, n);
        rx->in_len += n;
        data += n;
        len -= n;
        for (;;) {
            size_t start = 0, plen, total;
            while (start < rx->in_len && !(rx->in[start] == MAGIC0 && (start + 1 == rx->in_len || rx->in[start + 1] == MAGIC1)))
                start++;
            memmove(rx->in, rx->in + start, rx->in_len - start);
            rx->in_len -= start;
            if (rx->in_len < ETLS_HEADER) break;
            plen = (size_t)rx->in[2] | ((size_t)rx->in[3] << 8);
            total = ETLS_HEADER + plen + ETLS_TRAILER;
            if (plen <= ETLS_MAX_PAYLOAD && rx->in_len < total) break;
            if (plen > ETLS_MAX_PAYLOAD || get32(rx->in + ETLS_HEADER + plen) != etls_crc32(rx->in + 2, ETLS_HEADER - 2 + plen)) {
                rx->rejected++;
                memmove(rx->in, rx->in + 1, --rx->in_len);
                continue;
            }
            dispatch(rx, rx->in[4], rx->in[5], rx->in + ETLS_HEADER, plen);
            memmove(rx->in, rx->in + total, rx->in_len - total);
            rx->in_len -= total;
        }
    }
}

void etls_rx_idle(etls_receiver *rx) { rx->in_len = 0; }

void etls_rx_close(etls_receiver *rx)
{
    drop_transfer(rx);
    rx->session = 0;
}

/* Host unit tests of the receiver core with an in-memory storage backend: framing, sequence rules,
 * name checks and the digest check before COMMIT. Exit status 0 when every check passes. */
#include <stdio.h>
#include <string.h>

#include "../src/etls_receiver.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

/* --- an in-memory backend --- */
static uint8_t temp[4096], live[4096];
static uint32_t live_len, writes, aborts;
static int mem_begin(void *c, const char *n, uint32_t s) { (void)c; (void)n; (void)s; memset(temp, 0, sizeof temp); return 0; }
static int mem_write(void *c, uint32_t o, const uint8_t *d, uint32_t n) { (void)c; memcpy(temp + o, d, n); writes++; return 0; }
static int mem_read(void *c, uint32_t o, uint8_t *d, uint32_t n) { (void)c; memcpy(d, temp + o, n); return 0; }
static int mem_commit(void *c) { (void)c; memcpy(live, temp, sizeof live); live_len = 1; return 0; }
static void mem_abort(void *c) { (void)c; aborts++; }
static etls_storage mem = {"memory", NULL, mem_begin, mem_write, mem_read, mem_commit, mem_abort};

/* --- replies the receiver sends --- */
static uint8_t last_type, last_seq, last_payload[64];
static size_t replies, last_len;
static void on_send(void *io, const uint8_t *d, size_t n)
{
    (void)io;
    replies++;
    last_type = d[4];
    last_seq = d[5];
    last_len = n - 10;
    memcpy(last_payload, d + 6, last_len < sizeof last_payload ? last_len : sizeof last_payload);
}

static void send_frame(etls_receiver *rx, uint8_t type, uint8_t seq, const uint8_t *p, size_t len)
{
    uint8_t f[1100];
    uint32_t crc;
    f[0] = 0xE7; f[1] = 0x5A; f[2] = (uint8_t)len; f[3] = (uint8_t)(len >> 8); f[4] = type; f[5] = seq;
    if (len) memcpy(f + 6, p, len);
    crc = etls_crc32(f + 2, 4 + len);
    f[6 + len] = (uint8_t)crc; f[7 + len] = (uint8_t)(crc >> 8); f[8 + len] = (uint8_t)(crc >> 16); f[9 + len] = (uint8_t)(crc >> 24);
    etls_rx_feed(rx, f, 10 + len);
}

/* Announces `size` bytes whose digest is that of the first `n` bytes of `data` (the caller owns n bytes). */
static void begin_sized(etls_receiver *rx, uint8_t seq, const char *name, const uint8_t *data, uint32_t n, uint32_t size)
{
    uint8_t p[200];
    etls_sha256 s;
    p[0] = (uint8_t)size; p[1] = (uint8_t)(size >> 8); p[2] = (uint8_t)(size >> 16); p[3] = (uint8_t)(size >> 24);
    etls_sha256_init(&s);
    etls_sha256_update(&s, data, n);
    etls_sha256_final(&s, p + 4);
    memcpy(p + 36, name, strlen(name));
    send_frame(rx, ETLS_BEGIN, seq, p, 36 + strlen(name));
}

static void begin(etls_receiver *rx, uint8_t seq, const char *name, const uint8_t *data, uint32_t n)
{
    begin_sized(rx, seq, name, data, n, n);
}

static void data(etls_receiver *rx, uint8_t seq, uint32_t off, const uint8_t *d, uint32_t n)
{
    uint8_t p[600];
    p[0] = (uint8_t)off; p[1] = (uint8_t)(off >> 8); p[2] = 0; p[3] = 0;
    memcpy(p + 4, d, n);
    send_frame(rx, ETLS_DATA, seq, p, 4 + n);
}

int main(void)
{
    static etls_receiver rx;
    const uint8_t hello[3] = {1, 0x00, 0x04};
    const uint8_t abc_sha[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    uint8_t file[700], digest[32];
    etls_sha256 s;
    unsigned i;
    for (i = 0; i < sizeof file; i++) file[i] = (uint8_t)(i * 7);

    CHECK(etls_crc32((const uint8_t *)"123456789", 9) == 0xCBF43926u);
    etls_sha256_init(&s);
    etls_sha256_update(&s, (const uint8_t *)"abc", 3);
    etls_sha256_final(&s, digest);
    CHECK(memcmp(digest, abc_sha, 32) == 0);

    etls_rx_init(&rx, &mem, on_send, NULL, 2048);
    etls_rx_feed(&rx, (const uint8_t *)"boot log\r\n", 10);
    send_frame(&rx, ETLS_HELLO, 10, hello, 3);
    CHECK(last_type == ETLS_ACK && last_seq == 10 && last_payload[0] == 1 && last_payload[1] == ETLS_WINDOW);
    CHECK(memcmp(last_payload + 8, "memory", 6) == 0);

    /* a whole transfer, with a lost frame (gap -> one NAK) and a repeated one (re-ACK, no second write) */
    begin(&rx, 11, "cert/a.der", file, sizeof file);
    CHECK(last_type == ETLS_ACK && last_seq == 11);
    data(&rx, 13, 500, file + 500, 200);
    CHECK(last_type == ETLS_NAK && last_seq == 12);
    replies = 0;
    data(&rx, 14, 500, file + 500, 200);
    CHECK(replies == 0); /* one NAK per gap */
    data(&rx, 12, 0, file, 500);
    data(&rx, 13, 500, file + 500, 200);
    CHECK(last_type == ETLS_ACK && last_seq == 13);
    writes = 0;
    data(&rx, 13, 500, file + 500, 200);
    CHECK(last_type == ETLS_ACK && last_seq == 13 && writes == 0);
    send_frame(&rx, ETLS_END, 14, NULL, 0);
    send_frame(&rx, ETLS_VERIFY, 15, NULL, 0);
    CHECK(last_type == ETLS_ACK && last_len == 36 && last_payload[0] == (sizeof file & 0xff));
    etls_sha256_init(&s);
    etls_sha256_update(&s, file, sizeof file);
    etls_sha256_final(&s, digest);
    CHECK(memcmp(last_payload + 4, digest, 32) == 0);
    CHECK(live_len == 0);
    send_frame(&rx, ETLS_COMMIT, 16, NULL, 0);
    CHECK(last_type == ETLS_ACK && live_len == 1 && memcmp(live, file, sizeof file) == 0);

    /* names that climb out are refused */
    begin(&rx, 17, "../etc/passwd", file, 10);
    CHECK(last_type == ETLS_ERR && last_payload[0] == ETLS_ERR_BAD_NAME);
    begin(&rx, 18, "a/../../b", file, 10);
    CHECK(last_type == ETLS_ERR && last_payload[0] == ETLS_ERR_BAD_NAME);
    begin(&rx, 19, "dir/", file, 10);
    CHECK(last_type == ETLS_ERR && last_payload[0] == ETLS_ERR_BAD_NAME);
    begin(&rx, 19, "x\x15touch y", file, 10);
    CHECK(last_type == ETLS_ERR && last_payload[0] == ETLS_ERR_BAD_NAME);

    /* bytes that differ from the announced digest never go live */
    live_len = 0;
    aborts = 0;
    begin(&rx, 20, "b.der", file, 100);
    file[5] ^= 1;
    data(&rx, 21, 0, file, 100);
    send_frame(&rx, ETLS_END, 22, NULL, 0);
    send_frame(&rx, ETLS_COMMIT, 23, NULL, 0);
    CHECK(last_type == ETLS_ERR && last_payload[0] == ETLS_ERR_DIGEST && live_len == 0 && aborts == 1);

    /* too large, and a frame with a bad CRC is ignored */
    /* (announced without reading 4000 bytes of a 700-byte buffer) */
    begin_sized(&rx, 24, "big", file, sizeof file, 4000);
    CHECK(last_type == ETLS_ERR && last_payload[0] == ETLS_ERR_TOO_LARGE);
    replies = 0;
    {
        uint8_t f[10] = {0xE7, 0x5A, 0, 0, ETLS_ABORT, 25, 1, 2, 3, 4};
        etls_rx_feed(&rx, f, sizeof f);
    }
    CHECK(replies == 0);

    if (failures == 0) printf("etls-receiver: all checks passed\n");
    return failures ? 1 : 0;
}

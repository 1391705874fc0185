/* SHA-256 for the etls-frame receiver: small, portable C99, no allocation. */
#ifndef ETLS_SHA256_H
#define ETLS_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[8];
    uint64_t length;
    uint8_t block[64];
    size_t used;
} etls_sha256;

void etls_sha256_init(etls_sha256 *s);
void etls_sha256_update(etls_sha256 *s, const uint8_t *data, size_t len);
void etls_sha256_final(etls_sha256 *s, uint8_t digest[32]);

#endif

/* mbedTLS 2.28 as ESP-IDF 4.4 builds it for a TLS client: TLS 1.0-1.2 (Kconfig defaults
 * MBEDTLS_SSL_PROTO_TLS1/TLS1_1/TLS1_2 y), RSA, ECDSA, all ECP curves, AES CBC/GCM/CCM,
 * ChaCha20-Poly1305, X.509. Applied after include/mbedtls/config.h. */
#include "etls_config_common.h"
#undef MBEDTLS_CERTS_C
#undef MBEDTLS_PSA_CRYPTO_C
#undef MBEDTLS_ARC4_C
#define MBEDTLS_REMOVE_ARC4_CIPHERSUITES
#define MBEDTLS_REMOVE_3DES_CIPHERSUITES

/* mbedTLS 3.6 as ESP-IDF 5.x builds it for a TLS client: TLS 1.2 and 1.3
 * (CONFIG_MBEDTLS_SSL_PROTO_TLS1_2 y, CONFIG_MBEDTLS_SSL_PROTO_TLS1_3), RSA, ECDSA, all ECP
 * curves, AES CBC/GCM/CCM, ChaCha20-Poly1305, X.509, PSA crypto (needed by TLS 1.3).
 * Applied after include/mbedtls/mbedtls_config.h. */
#include "etls_config_common.h"
#undef MBEDTLS_LMS_C
#undef MBEDTLS_PKCS7_C
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#define MBEDTLS_PLATFORM_MS_TIME_ALT /* wasi is no __unix__: the shim reads the WASI monotonic clock */

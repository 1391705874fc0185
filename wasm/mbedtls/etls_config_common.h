/* Shared part of the board configuration applied on top of mbedTLS's own default config
 * (MBEDTLS_USER_CONFIG_FILE), the way ESP-IDF's esp_config.h starts from the library defaults and
 * then applies its Kconfig choices. What remains is what a TLS *client* on a board has: no server,
 * no DTLS, no files, no sockets, no self tests. Time and entropy come from the host (see ABI.md). */
#include <stddef.h>

/* wasm has no assembly fast paths and no x86 accelerators. */
#undef MBEDTLS_HAVE_ASM
#undef MBEDTLS_AESNI_C
#undef MBEDTLS_PADLOCK_C

/* No OS services: the host supplies the clock (time() -> WASI clock) and entropy. */
#undef MBEDTLS_FS_IO
#undef MBEDTLS_NET_C
#undef MBEDTLS_TIMING_C
#undef MBEDTLS_PSA_ITS_FILE_C
#undef MBEDTLS_PSA_CRYPTO_STORAGE_C
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT

/* A client: no server side, no DTLS, no writing of keys or certificates. */
#undef MBEDTLS_SSL_SRV_C
#undef MBEDTLS_SSL_CACHE_C
#undef MBEDTLS_SSL_COOKIE_C
#undef MBEDTLS_SSL_TICKET_C
#undef MBEDTLS_SSL_PROTO_DTLS
#undef MBEDTLS_SSL_DTLS_ANTI_REPLAY
#undef MBEDTLS_SSL_DTLS_HELLO_VERIFY
#undef MBEDTLS_SSL_DTLS_CLIENT_PORT_REUSE
#undef MBEDTLS_SSL_DTLS_BADMAC_LIMIT
#undef MBEDTLS_SSL_DTLS_CONNECTION_ID
#undef MBEDTLS_SELF_TEST
#undef MBEDTLS_X509_CRL_PARSE_C
#undef MBEDTLS_X509_CSR_PARSE_C
#undef MBEDTLS_X509_CREATE_C
#undef MBEDTLS_X509_CRT_WRITE_C
#undef MBEDTLS_X509_CSR_WRITE_C
#undef MBEDTLS_PEM_WRITE_C
#undef MBEDTLS_PK_WRITE_C
#undef MBEDTLS_DEBUG_C

/* ESP-IDF Kconfig defaults (components/mbedtls/Kconfig): MBEDTLS_SSL_MAX_FRAGMENT_LENGTH y,
 * MBEDTLS_SSL_ALPN y, MBEDTLS_SERVER_SSL_SESSION_TICKETS/CLIENT y, RENEGOTIATION y,
 * MBEDTLS_DYNAMIC_BUFFER (VARIABLE_BUFFER_LENGTH) n. */
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_RENEGOTIATION
#undef MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH

/* CONFIG_MBEDTLS_SSL_IN_CONTENT_LEN / OUT_CONTENT_LEN are compile-time on a board. Here they are
 * read from two globals that the shim sets from the `in-content-len`/`out-content-len` options
 * before mbedtls_ssl_setup() allocates the record buffers; one wasm instance serves exactly one
 * connection, so every use inside the library sees the one value the board was built with. */
extern size_t etls_in_content_len;
extern size_t etls_out_content_len;
#define MBEDTLS_SSL_IN_CONTENT_LEN (etls_in_content_len)
#define MBEDTLS_SSL_OUT_CONTENT_LEN (etls_out_content_len)

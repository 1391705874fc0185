/*
 * BearSSL 0.6 behind the engine ABI (wasm/ABI.md): state shared by shim.c (the ABI exports),
 * options.c (the board's configuration) and x509.c (trust anchors and certificate validators).
 */
#ifndef ETLS_BEARSSL_SHIM_H
#define ETLS_BEARSSL_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "bearssl.h"

#define EXPORT(name) __attribute__((export_name(name)))

/* Shim codes of wasm/ABI.md, all <= -0x100000 so the host tells them from -(BearSSL error). */
#define ETLS_E_UNKNOWN_KEY (-0x100001)
#define ETLS_E_BAD_VALUE (-0x100002)
#define ETLS_E_STATE (-0x100003)
#define ETLS_E_NOMEM (-0x100004)
#define ETLS_E_CLOSED (-0x100005)
#define ETLS_E_BUFFER (-0x100006)

enum etls_verify { VERIFY_TRUST_ANCHORS, VERIFY_INSECURE, VERIFY_FINGERPRINT };

/* The configuration the board runs; defaults are the ESP8266 Arduino core's (options.c). */
struct etls_config {
	int in_content_len;   /* plaintext bytes; BearSSL's input buffer adds its record overhead */
	int out_content_len;
	unsigned tls_min, tls_max; /* BR_TLS10 .. BR_TLS12 */
	uint16_t suites[64];
	size_t suites_len;
	uint32_t curves;      /* bit mask (1 << BR_EC_*) of the curves offered for ECDHE */
	int sni;
	char alpn_buf[256];   /* the names, NUL-separated */
	const char *alpn[16];
	size_t alpn_len;
	enum etls_verify verify;
	int has_fingerprint;
	unsigned char fingerprint[20]; /* SHA-1 of the broker's certificate, as setFingerprint() takes */
};

extern struct etls_config etls_cfg;

/* options.c */
void etls_config_defaults(void);
int32_t etls_config_set(const char *key, const char *value);
/* Appends to a JSON writer; see json_* below. */
struct json { char *buf; int32_t cap; int32_t len; };
void json_raw(struct json *j, const char *s);
void json_str(struct json *j, const char *s);
void json_int(struct json *j, long v);
void etls_config_json(struct json *j);
void etls_options_json(struct json *j);
const char *etls_suite_name(uint16_t id);
const char *etls_curve_name(int id);
const char *etls_version_name(unsigned v);
/* The record size BearSSL will ask the broker for with the max_fragment_length extension (it
   derives it from the buffers, ssl_engine.c br_ssl_engine_set_buffers_bidi), 0 for none. */
int etls_requested_fragment_length(void);

/* x509.c */
int32_t etls_x509_add_anchor(const unsigned char *der, size_t len);
int32_t etls_x509_add_own_cert(const unsigned char *der, size_t len);
int32_t etls_x509_set_own_key(const unsigned char *der, size_t len);
/* Installs the validator the configuration asks for on the engine; 0 or an ETLS_E_* code. */
int32_t etls_x509_install(br_ssl_client_context *cc, const char *servername, int send_sni);
/* After a failure 54: which way the first certificate out of its dates was, else NULL. */
const char *etls_x509_validity_failure(void);
/* Gives the client certificate and key, if any, to the engine; 0 or -(BearSSL error). */
int32_t etls_x509_install_client_auth(br_ssl_client_context *cc);

#endif

/*
 * BearSSL 0.6 as the ESP8266 Arduino core runs it, behind the engine ABI of wasm/ABI.md: a memory
 * BIO over br_ssl_client_context. The host moves records between etls_feed/etls_take_out and a
 * socket; BearSSL's own engine loop (sendrec/recvrec/sendapp/recvapp) does the rest.
 * As the shared host (src/core/stacks/engine.ts) expects: etls_write returns 0 when it must be
 * called again after more input, and etls_info's config values are strings or numbers, lists
 * comma separated as etls_set_option takes them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

/* BearSSL's record overheads, ssl_engine.c (not exported); WiFiClientSecureBearSSL.cpp
   setBufferSizes() adds the same two numbers to the sizes the sketch asks for. */
#define MAX_IN_OVERHEAD 325
#define MAX_OUT_OVERHEAD 85

static br_ssl_client_context cc;

/*
 * Records BearSSL has finished, in the order it made them. BearSSL makes the next record only once
 * the previous one is acknowledged (br_ssl_engine_sendrec_ack), so the shim takes each as soon as
 * it exists: etls_pending_out then counts everything the engine has to say, as the ABI means, and a
 * host that drains once per call never leaves the handshake waiting on a record it did not ask for.
 */
static unsigned char *outq;
static size_t outq_len, outq_cap;
static int outq_oom;

static void pump_out(void)
{
	while (br_ssl_engine_current_state(&cc.eng) & BR_SSL_SENDREC) {
		size_t len;
		unsigned char *buf = br_ssl_engine_sendrec_buf(&cc.eng, &len);

		if (outq_len + len > outq_cap) {
			size_t cap = (outq_len + len) * 2;
			unsigned char *grown = realloc(outq, cap);
			if (grown == NULL) {
				outq_oom = 1;
				return;
			}
			outq = grown, outq_cap = cap;
		}
		memcpy(outq + outq_len, buf, len);
		outq_len += len;
		br_ssl_engine_sendrec_ack(&cc.eng, len);
	}
}
static unsigned char *iobuf_in, *iobuf_out;
static int started;
static char server_name[256];

/* tools/errors.c of the same BearSSL release: the names and texts brssl prints. */
extern const char *find_error_name(int err, const char **comment);

EXPORT("etls_alloc") void *etls_alloc(int32_t size) { return size > 0 ? malloc((size_t)size) : NULL; }
EXPORT("etls_free") void etls_free(void *p) { free(p); }

EXPORT("etls_set_option") int32_t etls_set_option(const char *key, const char *value)
{
	if (started) return ETLS_E_STATE;
	return etls_config_set(key, value);
}

static int32_t json_out(struct json *j, char *buf, int32_t len)
{
	if (buf != NULL && len > 0) memcpy(buf, j->buf, (size_t)(j->len < len ? j->len : len));
	return j->len;
}

static char json_buf[8192];

EXPORT("etls_options") int32_t etls_options(char *buf, int32_t len)
{
	struct json j = { json_buf, sizeof json_buf, 0 };
	etls_options_json(&j);
	return json_out(&j, buf, len);
}

EXPORT("etls_add_ca_der") int32_t etls_add_ca_der(const uint8_t *der, int32_t len)
{
	if (started) return ETLS_E_STATE;
	return etls_x509_add_anchor(der, (size_t)len);
}

EXPORT("etls_add_own_cert_der") int32_t etls_add_own_cert_der(const uint8_t *der, int32_t len)
{
	if (started) return ETLS_E_STATE;
	return etls_x509_add_own_cert(der, (size_t)len);
}

EXPORT("etls_set_own_key_der") int32_t etls_set_own_key_der(const uint8_t *der, int32_t len)
{
	if (started) return ETLS_E_STATE;
	return etls_x509_set_own_key(der, (size_t)len);
}

static int32_t engine_error(void)
{
	int err = br_ssl_engine_last_error(&cc.eng);
	return err ? -err : ETLS_E_CLOSED;
}

/* The ESP8266 core's br_ssl_client_base_init() (WiFiClientSecureBearSSL.cpp), with our options. */
static br_ec_impl offered_ec;

static void base_init(void)
{
	br_ssl_client_zero(&cc);
	/* "forbid SSL renegociation, as we free the Private Key after handshake" */
	br_ssl_engine_add_flags(&cc.eng, BR_OPT_NO_RENEGOTIATION);
	br_ssl_engine_set_versions(&cc.eng, etls_cfg.tls_min, etls_cfg.tls_max);
	br_ssl_engine_set_suites(&cc.eng, etls_cfg.suites, etls_cfg.suites_len);
	br_ssl_client_set_default_rsapub(&cc);
	br_ssl_engine_set_default_rsavrfy(&cc.eng);
	br_ssl_engine_set_default_ecdsa(&cc.eng);
	/* The curves offered for ECDHE: BearSSL offers what its EC implementation supports. */
	offered_ec = *br_ssl_engine_get_ec(&cc.eng);
	offered_ec.supported_curves &= etls_cfg.curves;
	br_ssl_engine_set_ec(&cc.eng, &offered_ec);
	/* br_ssl_client_install_hashes(): MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512 */
	br_ssl_engine_set_hash(&cc.eng, br_md5_ID, &br_md5_vtable);
	br_ssl_engine_set_hash(&cc.eng, br_sha1_ID, &br_sha1_vtable);
	br_ssl_engine_set_hash(&cc.eng, br_sha224_ID, &br_sha224_vtable);
	br_ssl_engine_set_hash(&cc.eng, br_sha256_ID, &br_sha256_vtable);
	br_ssl_engine_set_hash(&cc.eng, br_sha384_ID, &br_sha384_vtable);
	br_ssl_engine_set_hash(&cc.eng, br_sha512_ID, &br_sha512_vtable);
	br_ssl_engine_set_prf10(&cc.eng, &br_tls10_prf);
	br_ssl_engine_set_prf_sha256(&cc.eng, &br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(&cc.eng, &br_tls12_sha384_prf);
	br_ssl_engine_set_default_aes_cbc(&cc.eng);
	br_ssl_engine_set_default_aes_gcm(&cc.eng);
	br_ssl_engine_set_default_aes_ccm(&cc.eng);
	br_ssl_engine_set_default_des_cbc(&cc.eng);
	br_ssl_engine_set_default_chapol(&cc.eng);
	if (etls_cfg.alpn_len) br_ssl_engine_set_protocol_names(&cc.eng, etls_cfg.alpn, etls_cfg.alpn_len);
}

EXPORT("etls_start") int32_t etls_start(const char *servername)
{
	unsigned char seed[32];
	size_t in_len, out_len;
	int32_t rc;

	if (started) return ETLS_E_STATE;
	if (servername == NULL) servername = "";
	if (strlen(servername) >= sizeof server_name) return ETLS_E_BAD_VALUE;
	strcpy(server_name, servername);
	base_init();

	rc = etls_x509_install(&cc, server_name, etls_cfg.sni);
	if (rc != 0) return rc;

	in_len = (size_t)etls_cfg.in_content_len + MAX_IN_OVERHEAD;
	out_len = (size_t)etls_cfg.out_content_len + MAX_OUT_OVERHEAD;
	iobuf_in = malloc(in_len);
	iobuf_out = malloc(out_len);
	if (iobuf_in == NULL || iobuf_out == NULL) return ETLS_E_NOMEM;
	br_ssl_engine_set_buffers_bidi(&cc.eng, iobuf_in, in_len, iobuf_out, out_len);

	rc = etls_x509_install_client_auth(&cc);
	if (rc != 0) return rc;

	/* Built without an OS entropy source: the host's random_get seeds the engine's PRNG. */
	if (getentropy(seed, sizeof seed) != 0) return -BR_ERR_NO_RANDOM;
	br_ssl_engine_inject_entropy(&cc.eng, seed, sizeof seed);

	/* With sni=off no server_name goes out, but the validator (x509.c) still checks the name. */
	if (!br_ssl_client_reset(&cc, etls_cfg.sni && server_name[0] ? server_name : NULL, 0))
		return engine_error();
	started = 1;
	pump_out();
	return outq_oom ? ETLS_E_NOMEM : 0;
}

EXPORT("etls_feed") int32_t etls_feed(const uint8_t *p, int32_t len)
{
	int32_t done = 0;

	if (!started) return ETLS_E_STATE;
	while (done < len) {
		unsigned state;
		unsigned char *buf;
		size_t room, n;

		pump_out();
		if (outq_oom) return ETLS_E_NOMEM;
		state = br_ssl_engine_current_state(&cc.eng);
		if (state & BR_SSL_CLOSED) return done ? done : engine_error();
		if (!(state & BR_SSL_RECVREC)) break;
		buf = br_ssl_engine_recvrec_buf(&cc.eng, &room);
		n = (size_t)(len - done) < room ? (size_t)(len - done) : room;
		memcpy(buf, p + done, n);
		br_ssl_engine_recvrec_ack(&cc.eng, n);
		done += (int32_t)n;
	}
	pump_out();
	if (outq_oom) return ETLS_E_NOMEM;
	return done || len == 0 ? done : ETLS_E_BUFFER;
}

EXPORT("etls_pending_out") int32_t etls_pending_out(void)
{
	if (!started) return 0;
	pump_out();
	return (int32_t)outq_len;
}

EXPORT("etls_take_out") int32_t etls_take_out(uint8_t *p, int32_t max)
{
	size_t n;

	if (!started) return ETLS_E_STATE;
	pump_out();
	n = max < 0 ? 0 : (size_t)max < outq_len ? (size_t)max : outq_len;
	memcpy(p, outq, n);
	memmove(outq, outq + n, outq_len - n);
	outq_len -= n;
	return (int32_t)n;
}

EXPORT("etls_handshake") int32_t etls_handshake(void)
{
	unsigned state;

	if (!started) return ETLS_E_STATE;
	pump_out();
	if (outq_oom) return ETLS_E_NOMEM;
	state = br_ssl_engine_current_state(&cc.eng);
	if (state & BR_SSL_CLOSED) return engine_error();
	/* WiFiClientSecure::_wait_for_handshake(): done once the engine accepts application data. */
	if (state & BR_SSL_SENDAPP) return 0;
	return 1;
}

EXPORT("etls_write") int32_t etls_write(const uint8_t *p, int32_t len)
{
	unsigned state;
	unsigned char *buf;
	size_t room, n;

	if (!started) return ETLS_E_STATE;
	pump_out();
	state = br_ssl_engine_current_state(&cc.eng);
	if (state & BR_SSL_CLOSED) return engine_error();
	if (!(state & BR_SSL_SENDAPP)) return 0; /* nothing taken: feed the engine, then again */
	buf = br_ssl_engine_sendapp_buf(&cc.eng, &room);
	n = (size_t)len < room ? (size_t)len : room;
	memcpy(buf, p, n);
	br_ssl_engine_sendapp_ack(&cc.eng, n);
	/* WiFiClientSecure::_write() flushes after each chunk, so each write becomes records now. */
	br_ssl_engine_flush(&cc.eng, 0);
	pump_out();
	return outq_oom ? ETLS_E_NOMEM : (int32_t)n;
}

EXPORT("etls_read") int32_t etls_read(uint8_t *p, int32_t max)
{
	unsigned state;
	unsigned char *buf;
	size_t len, n;

	if (!started) return ETLS_E_STATE;
	state = br_ssl_engine_current_state(&cc.eng);
	if (state & BR_SSL_RECVAPP) {
		buf = br_ssl_engine_recvapp_buf(&cc.eng, &len);
		n = (size_t)max < len ? (size_t)max : len;
		memcpy(p, buf, n);
		br_ssl_engine_recvapp_ack(&cc.eng, n);
		pump_out();
		return (int32_t)n;
	}
	if (state & BR_SSL_CLOSED) return engine_error();
	return 0;
}

EXPORT("etls_last_error") int32_t etls_last_error(void)
{
	return br_ssl_engine_last_error(&cc.eng);
}

EXPORT("etls_verify_flags") uint32_t etls_verify_flags(void) { return 0; }

static void json_alert_text(struct json *j, const char *what, int alert)
{
	json_raw(j, what);
	json_int(j, alert);
	json_raw(j, " (TLS alert number)");
}

/* The text brssl prints for the error (tools/errors.c); alerts are numbered, not named there. */
EXPORT("etls_last_error_text") int32_t etls_last_error_text(char *buf, int32_t len)
{
	static char text[256];
	struct json j = { text, sizeof text, 0 };
	int err = br_ssl_engine_last_error(&cc.eng);
	const char *comment = NULL;

	if (err >= BR_ERR_SEND_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT + 256)
		json_alert_text(&j, "Sent fatal alert ", err - BR_ERR_SEND_FATAL_ALERT);
	else if (err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_RECV_FATAL_ALERT + 256)
		json_alert_text(&j, "Received fatal alert ", err - BR_ERR_RECV_FATAL_ALERT);
	else if (err == 0)
		json_raw(&j, "No error");
	else if (find_error_name(err, &comment) != NULL)
		json_raw(&j, comment);
	else
		json_raw(&j, "Unknown BearSSL error");
	return json_out(&j, buf, len);
}

EXPORT("etls_info") int32_t etls_info(char *buf, int32_t len)
{
	struct json j = { json_buf, sizeof json_buf, 0 };
	unsigned version = started ? br_ssl_engine_get_version(&cc.eng) : 0;
	int handshaken = started && (br_ssl_engine_current_state(&cc.eng) & (BR_SSL_SENDAPP | BR_SSL_RECVAPP));

	json_raw(&j, "{\"library\":\"bearssl\",\"version\":\"0.6\"");
	if (handshaken && version) {
		const char *suite = etls_suite_name(cc.eng.session.cipher_suite);
		const char *group = etls_curve_name(br_ssl_engine_get_ecdhe_curve(&cc.eng));
		const char *alpn = br_ssl_engine_get_selected_protocol(&cc.eng);

		json_raw(&j, ",\"tlsVersion\":");
		json_str(&j, etls_version_name(version));
		if (suite) {
			json_raw(&j, ",\"cipherSuite\":");
			json_str(&j, suite);
		}
		if (group) {
			json_raw(&j, ",\"group\":");
			json_str(&j, group);
		}
		if (alpn) {
			json_raw(&j, ",\"alpn\":");
			json_str(&j, alpn);
		}
	}
	if (started && br_ssl_engine_last_error(&cc.eng) == BR_ERR_X509_EXPIRED && etls_x509_validity_failure()) {
		/* BearSSL has one number for both; the dates say which it was. */
		json_raw(&j, ",\"validity\":");
		json_str(&j, etls_x509_validity_failure());
	}
	if (started) {
		int err = br_ssl_engine_last_error(&cc.eng);
		if (err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_RECV_FATAL_ALERT + 256) {
			json_raw(&j, ",\"peerAlert\":");
			json_int(&j, err - BR_ERR_RECV_FATAL_ALERT);
		}
	}
	json_raw(&j, ",\"config\":");
	etls_config_json(&j);
	json_raw(&j, "}");
	return json_out(&j, buf, len);
}

EXPORT("etls_close") void etls_close(void)
{
	/* Queues close_notify; the buffers stay so the host can drain it. The instance is thrown away. */
	if (started) br_ssl_engine_close(&cc.eng), pump_out();
}

/* Runs before any export (the reactor's _initialize calls constructors). */
__attribute__((constructor)) static void init(void) { etls_config_defaults(); }

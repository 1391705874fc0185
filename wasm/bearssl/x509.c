/*
 * Trust and identity as the ESP8266 core builds them (esp8266/Arduino libraries/ESP8266WiFi/src:
 * BearSSLHelpers.cpp for X509List/PrivateKey, WiFiClientSecureBearSSL.cpp for the validators):
 * trust anchors decoded from CA DER with br_x509_decoder, br_x509_minimal with the board's clock,
 * and the setInsecure()/setFingerprint() validator that checks only the broker's own certificate.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shim.h"

static br_x509_trust_anchor *anchors;
static size_t anchors_len;
static br_x509_certificate *own_chain;
static size_t own_chain_len;
static unsigned own_issuer_key_type;
static br_skey_decoder_context own_key;
static int has_own_key;

struct growing { unsigned char *buf; size_t len, cap; int oom; };

static void grow_append(void *ctx, const void *data, size_t len)
{
	struct growing *g = ctx;

	if (g->oom) return;
	if (g->len + len > g->cap) {
		size_t cap = (g->len + len) * 2;
		unsigned char *buf = realloc(g->buf, cap);
		if (buf == NULL) {
			g->oom = 1;
			return;
		}
		g->buf = buf, g->cap = cap;
	}
	memcpy(g->buf + g->len, data, len);
	g->len += len;
}

static unsigned char *dup_bytes(const unsigned char *p, size_t len)
{
	unsigned char *q = malloc(len ? len : 1);
	if (q != NULL) memcpy(q, p, len);
	return q;
}

/* BearSSLHelpers.cpp certificate_to_trust_anchor(): the subject DN, the public key, and the CA
   flag from basicConstraints (a non-CA anchor is trusted only as that exact end certificate). */
int32_t etls_x509_add_anchor(const unsigned char *der, size_t len)
{
	static br_x509_decoder_context dc;
	struct growing dn = { 0 };
	br_x509_trust_anchor *ta, *grown;
	const br_x509_pkey *pk;
	int err;

	br_x509_decoder_init(&dc, grow_append, &dn);
	br_x509_decoder_push(&dc, der, len);
	err = br_x509_decoder_last_error(&dc);
	pk = br_x509_decoder_get_pkey(&dc);
	if (err != 0 || pk == NULL) {
		free(dn.buf);
		return -(err ? err : BR_ERR_X509_UNSUPPORTED);
	}
	if (dn.oom) return ETLS_E_NOMEM;
	grown = realloc(anchors, (anchors_len + 1) * sizeof *anchors);
	if (grown == NULL) return free(dn.buf), ETLS_E_NOMEM;
	anchors = grown;
	ta = &anchors[anchors_len];
	memset(ta, 0, sizeof *ta);
	ta->dn.data = dn.buf;
	ta->dn.len = dn.len;
	ta->flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
	ta->pkey.key_type = pk->key_type;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		ta->pkey.key.rsa.n = dup_bytes(pk->key.rsa.n, pk->key.rsa.nlen);
		ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
		ta->pkey.key.rsa.e = dup_bytes(pk->key.rsa.e, pk->key.rsa.elen);
		ta->pkey.key.rsa.elen = pk->key.rsa.elen;
		if (ta->pkey.key.rsa.n == NULL || ta->pkey.key.rsa.e == NULL) return ETLS_E_NOMEM;
	} else {
		ta->pkey.key.ec.curve = pk->key.ec.curve;
		ta->pkey.key.ec.q = dup_bytes(pk->key.ec.q, pk->key.ec.qlen);
		ta->pkey.key.ec.qlen = pk->key.ec.qlen;
		if (ta->pkey.key.ec.q == NULL) return ETLS_E_NOMEM;
	}
	anchors_len++;
	return 0;
}

int32_t etls_x509_add_own_cert(const unsigned char *der, size_t len)
{
	br_x509_certificate *grown = realloc(own_chain, (own_chain_len + 1) * sizeof *own_chain);

	if (grown == NULL) return ETLS_E_NOMEM;
	own_chain = grown;
	if (own_chain_len == 0) {
		/* setClientECCert() takes the issuing CA's key type; it is in the leaf's signature. */
		static br_x509_decoder_context dc;
		int err;

		br_x509_decoder_init(&dc, NULL, NULL);
		br_x509_decoder_push(&dc, der, len);
		err = br_x509_decoder_last_error(&dc);
		if (err != 0) return -err;
		own_issuer_key_type = br_x509_decoder_get_signer_key_type(&dc);
	}
	own_chain[own_chain_len].data = dup_bytes(der, len);
	own_chain[own_chain_len].data_len = len;
	if (own_chain[own_chain_len].data == NULL) return ETLS_E_NOMEM;
	own_chain_len++;
	return 0;
}

/* BearSSLHelpers.cpp PrivateKey: br_skey_decoder takes PKCS#1 RSA, SEC1 EC and PKCS#8. */
int32_t etls_x509_set_own_key(const unsigned char *der, size_t len)
{
	int err;

	br_skey_decoder_init(&own_key);
	br_skey_decoder_push(&own_key, der, len);
	err = br_skey_decoder_last_error(&own_key);
	if (err != 0) return -err;
	has_own_key = 1;
	return 0;
}

int32_t etls_x509_install_client_auth(br_ssl_client_context *cc)
{
	if (!has_own_key || own_chain_len == 0) return 0;
	if (br_skey_decoder_key_type(&own_key) == BR_KEYTYPE_RSA) {
		br_ssl_client_set_single_rsa(cc, own_chain, own_chain_len, br_skey_decoder_get_rsa(&own_key),
			br_rsa_pkcs1_sign_get_default());
	} else {
		br_ssl_client_set_single_ec(cc, own_chain, own_chain_len, br_skey_decoder_get_ec(&own_key),
			BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN, own_issuer_key_type, br_ec_get_default(),
			br_ecdsa_sign_asn1_get_default());
	}
	return 0;
}

/*
 * setInsecure() / setFingerprint(): only the first certificate is looked at; its key is used for
 * the handshake and, with a fingerprint, its SHA-1 must match (else BR_ERR_X509_NOT_TRUSTED, as
 * the core's insecure_end_chain returns).
 */
struct insecure {
	const br_x509_class *vtable;
	br_x509_decoder_context dc;
	br_sha1_context sha1;
	int certs;
};

static void insecure_start_chain(const br_x509_class **ctx, const char *server_name)
{
	struct insecure *x = (struct insecure *)ctx;

	(void)server_name;
	br_x509_decoder_init(&x->dc, NULL, NULL);
	br_sha1_init(&x->sha1);
	x->certs = 0;
}

static void insecure_start_cert(const br_x509_class **ctx, uint32_t length)
{
	(void)ctx, (void)length;
}

static void insecure_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	struct insecure *x = (struct insecure *)ctx;

	if (x->certs > 0) return;
	br_sha1_update(&x->sha1, buf, len);
	br_x509_decoder_push(&x->dc, buf, len);
}

static void insecure_end_cert(const br_x509_class **ctx)
{
	((struct insecure *)ctx)->certs++;
}

static unsigned insecure_end_chain(const br_x509_class **ctx)
{
	struct insecure *x = (struct insecure *)ctx;
	unsigned char fp[20];
	int err;

	if (x->certs == 0) return BR_ERR_X509_EMPTY_CHAIN;
	err = br_x509_decoder_last_error(&x->dc);
	if (err != 0) return (unsigned)err;
	br_sha1_out(&x->sha1, fp);
	if (etls_cfg.verify == VERIFY_FINGERPRINT && memcmp(fp, etls_cfg.fingerprint, sizeof fp) != 0)
		return BR_ERR_X509_NOT_TRUSTED;
	return 0;
}

static const br_x509_pkey *insecure_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	struct insecure *x = (struct insecure *)ctx;

	if (usages != NULL) *usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
	return &x->dc.pkey;
}

static const br_x509_class insecure_vtable = {
	sizeof(struct insecure), insecure_start_chain, insecure_start_cert, insecure_append,
	insecure_end_cert, insecure_end_chain, insecure_get_pkey,
};

/*
 * Every validator runs inside this wrapper. It hands the validator the name to check even with
 * sni=off (the engine then has no name: br_ssl_client_reset(cc, NULL, 0)), and it reads each
 * certificate's validity, so that a failure 54 (BR_ERR_X509_EXPIRED, which x509_minimal.t0 uses for
 * both "not yet valid" and "expired") can be told apart for the user: the board cannot.
 */
struct watch {
	const br_x509_class *vtable;
	const br_x509_class **inner;
	const char *name;
	br_x509_decoder_context dc;
	uint32_t days, secs;  /* the board's clock, as given to br_x509_minimal_set_time */
	const char *validity; /* "not-yet-valid" / "expired": the first certificate out of its dates */
};

static int before(uint32_t d1, uint32_t s1, uint32_t d2, uint32_t s2)
{
	return d1 < d2 || (d1 == d2 && s1 < s2);
}

static void watch_start_chain(const br_x509_class **ctx, const char *server_name)
{
	struct watch *w = (struct watch *)ctx;

	w->validity = NULL;
	(*w->inner)->start_chain(w->inner, w->name ? w->name : server_name);
}

static void watch_start_cert(const br_x509_class **ctx, uint32_t length)
{
	struct watch *w = (struct watch *)ctx;

	br_x509_decoder_init(&w->dc, NULL, NULL);
	(*w->inner)->start_cert(w->inner, length);
}

static void watch_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	struct watch *w = (struct watch *)ctx;

	br_x509_decoder_push(&w->dc, buf, len);
	(*w->inner)->append(w->inner, buf, len);
}

static void watch_end_cert(const br_x509_class **ctx)
{
	struct watch *w = (struct watch *)ctx;
	br_x509_decoder_context *dc = &w->dc;

	if (w->validity == NULL && br_x509_decoder_last_error(dc) == 0) {
		if (before(w->days, w->secs, dc->notbefore_days, dc->notbefore_seconds))
			w->validity = "not-yet-valid";
		else if (before(dc->notafter_days, dc->notafter_seconds, w->days, w->secs))
			w->validity = "expired";
	}
	(*w->inner)->end_cert(w->inner);
}

static unsigned watch_end_chain(const br_x509_class **ctx)
{
	struct watch *w = (struct watch *)ctx;
	return (*w->inner)->end_chain(w->inner);
}

static const br_x509_pkey *watch_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	const struct watch *w = (const struct watch *)ctx;
	return (*w->inner)->get_pkey(w->inner, usages);
}

static const br_x509_class watch_vtable = {
	sizeof(struct watch), watch_start_chain, watch_start_cert, watch_append,
	watch_end_cert, watch_end_chain, watch_get_pkey,
};

static br_x509_minimal_context minimal;
static struct insecure insecure;
static struct watch watch;

const char *etls_x509_validity_failure(void) { return watch.validity; }

int32_t etls_x509_install(br_ssl_client_context *cc, const char *servername, int send_sni)
{
	const br_x509_class **validator;
	struct timespec now;
	long long secs, days;

	/* The board's clock (the host's REALTIME). "Magic constants convert to x509 times" (WCSB.cpp):
	   days since 1 January of year 0, then seconds in the day. */
	if (clock_gettime(CLOCK_REALTIME, &now) != 0) return -BR_ERR_X509_TIME_UNKNOWN;
	secs = (long long)now.tv_sec;
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	watch.days = (uint32_t)(days + 719528);
	watch.secs = (uint32_t)(secs - days * 86400);
	if (etls_cfg.verify == VERIFY_TRUST_ANCHORS) {

		br_x509_minimal_init(&minimal, &br_sha256_vtable, anchors, anchors_len);
		br_x509_minimal_set_rsa(&minimal, br_ssl_engine_get_rsavrfy(&cc->eng));
		br_x509_minimal_set_ecdsa(&minimal, br_ec_get_default(), br_ssl_engine_get_ecdsa(&cc->eng));
		/* br_x509_minimal_install_hashes(): the same six hashes as the engine. */
		br_x509_minimal_set_hash(&minimal, br_md5_ID, &br_md5_vtable);
		br_x509_minimal_set_hash(&minimal, br_sha1_ID, &br_sha1_vtable);
		br_x509_minimal_set_hash(&minimal, br_sha224_ID, &br_sha224_vtable);
		br_x509_minimal_set_hash(&minimal, br_sha256_ID, &br_sha256_vtable);
		br_x509_minimal_set_hash(&minimal, br_sha384_ID, &br_sha384_vtable);
		br_x509_minimal_set_hash(&minimal, br_sha512_ID, &br_sha512_vtable);
		br_x509_minimal_set_time(&minimal, watch.days, watch.secs);
		validator = &minimal.vtable;
	} else {
		if (etls_cfg.verify == VERIFY_FINGERPRINT && !etls_cfg.has_fingerprint) return ETLS_E_BAD_VALUE;
		insecure.vtable = &insecure_vtable;
		validator = &insecure.vtable;
	}
	watch.vtable = &watch_vtable;
	watch.inner = validator;
	watch.name = !send_sni && servername[0] ? servername : NULL;
	br_ssl_engine_set_x509(&cc->eng, &watch.vtable);
	return 0;
}

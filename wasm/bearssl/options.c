/*
 * The board's configuration: defaults are what the ESP8266 Arduino core's BearSSL::WiFiClientSecure
 * uses (libraries/ESP8266WiFi/src/WiFiClientSecureBearSSL.cpp in esp8266/Arduino, cited as
 * "WCSB.cpp" below); etls_set_option changes them the way a sketch would.
 */
#include <string.h>

#include "shim.h"

struct etls_config etls_cfg;

struct named { int id; const char *name; };

#define SUITE(n) { BR_##n, #n }
/* WCSB.cpp suites_P, "copied verbatim from BearSSL/ssl_client_full.c": the default offer order. */
static const struct named suites[] = {
	SUITE(TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256), SUITE(TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256),
	SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), SUITE(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
	SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), SUITE(TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384),
	SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_CCM), SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_CCM),
	SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8), SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8),
	SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256), SUITE(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256),
	SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384), SUITE(TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384),
	SUITE(TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA), SUITE(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA),
	SUITE(TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA), SUITE(TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA),
	SUITE(TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256), SUITE(TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256),
	SUITE(TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384), SUITE(TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384),
	SUITE(TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256), SUITE(TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256),
	SUITE(TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384), SUITE(TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384),
	SUITE(TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA), SUITE(TLS_ECDH_RSA_WITH_AES_128_CBC_SHA),
	SUITE(TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA), SUITE(TLS_ECDH_RSA_WITH_AES_256_CBC_SHA),
	SUITE(TLS_RSA_WITH_AES_128_GCM_SHA256), SUITE(TLS_RSA_WITH_AES_256_GCM_SHA384),
	SUITE(TLS_RSA_WITH_AES_128_CCM), SUITE(TLS_RSA_WITH_AES_256_CCM),
	SUITE(TLS_RSA_WITH_AES_128_CCM_8), SUITE(TLS_RSA_WITH_AES_256_CCM_8),
	SUITE(TLS_RSA_WITH_AES_128_CBC_SHA256), SUITE(TLS_RSA_WITH_AES_256_CBC_SHA256),
	SUITE(TLS_RSA_WITH_AES_128_CBC_SHA), SUITE(TLS_RSA_WITH_AES_256_CBC_SHA),
	SUITE(TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA), SUITE(TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA),
	SUITE(TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA), SUITE(TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA),
	SUITE(TLS_RSA_WITH_3DES_EDE_CBC_SHA),
};
#define N_SUITES (sizeof suites / sizeof suites[0])

/* The curves of BearSSL's default EC implementation (br_ec_get_default, set by
   br_ssl_engine_set_default_ecdsa in WCSB.cpp br_ssl_client_base_init), by their TLS group names. */
static const struct named curves[] = {
	{ BR_EC_secp256r1, "secp256r1" }, { BR_EC_secp384r1, "secp384r1" },
	{ BR_EC_secp521r1, "secp521r1" }, { BR_EC_curve25519, "x25519" },
};
#define N_CURVES (sizeof curves / sizeof curves[0])

/* br_ssl_engine_set_versions(&cc->eng, BR_TLS10, BR_TLS12) in WCSB.cpp; BearSSL has no TLS 1.3. */
static const struct named versions[] = {
	{ BR_TLS10, "1.0" }, { BR_TLS11, "1.1" }, { BR_TLS12, "1.2" },
};

static const char *find_name(const struct named *t, size_t n, int id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id) return t[i].name;
	return NULL;
}

static int find_id(const struct named *t, size_t n, const char *name, size_t len, int *id)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].name) == len && memcmp(t[i].name, name, len) == 0) return *id = t[i].id, 1;
	return 0;
}

const char *etls_suite_name(uint16_t id) { return find_name(suites, N_SUITES, id); }
const char *etls_curve_name(int id) { return find_name(curves, N_CURVES, id); }

const char *etls_version_name(unsigned v)
{
	switch (v) {
	case BR_TLS10: return "TLSv1.0";
	case BR_TLS11: return "TLSv1.1";
	case BR_TLS12: return "TLSv1.2";
	default: return "unknown";
	}
}

void etls_config_defaults(void)
{
	memset(&etls_cfg, 0, sizeof etls_cfg);
	/* WCSB.cpp _clear(): setBufferSizes(16384, 512); // Minimum safe */
	etls_cfg.in_content_len = 16384;
	etls_cfg.out_content_len = 512;
	etls_cfg.tls_min = BR_TLS10;
	etls_cfg.tls_max = BR_TLS12;
	for (size_t i = 0; i < N_SUITES; i++) etls_cfg.suites[i] = (uint16_t)suites[i].id;
	etls_cfg.suites_len = N_SUITES;
	etls_cfg.curves = 0xFFFFFFFFu;
	/* connect(const char *name, ...) passes the name to br_ssl_client_reset: SNI and name check. */
	etls_cfg.sni = 1;
	/* No setInsecure()/setFingerprint(): br_x509_minimal over the sketch's trust anchors. */
	etls_cfg.verify = VERIFY_TRUST_ANCHORS;
}

static int parse_size(const char *v, int *out)
{
	long n = 0;

	if (!*v || strlen(v) > 5) return 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9') return 0;
		n = n * 10 + (*p - '0');
	}
	/* setBufferSizes(): "The data buffers must be between 512B and 16KB" */
	if (n < 512 || n > 16384) return 0;
	*out = (int)n;
	return 1;
}

static int parse_version(const char *v, unsigned *out)
{
	int id;

	if (!find_id(versions, sizeof versions / sizeof versions[0], v, strlen(v), &id)) return 0;
	*out = (unsigned)id;
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* setFingerprint(const char *): 20 hex bytes, spaces or colons between them. */
static int parse_fingerprint(const char *v, unsigned char fp[20])
{
	int n = 0;

	while (*v && n < 20) {
		int hi = hexval(v[0]), lo = hi < 0 ? -1 : hexval(v[1]);
		if (hi < 0 || lo < 0) return 0;
		fp[n++] = (unsigned char)(hi << 4 | lo);
		v += 2;
		while (*v == ' ' || *v == ':') v++;
	}
	return n == 20 && *v == 0;
}

static int parse_suites(const char *v)
{
	size_t count = 0;

	while (*v) {
		const char *end = strchr(v, ',');
		size_t len = end ? (size_t)(end - v) : strlen(v);
		char name[80];
		int id;

		if (len == 0 || len >= sizeof name || count >= sizeof etls_cfg.suites / sizeof etls_cfg.suites[0])
			return 0;
		/* mbedTLS spells the same suites TLS-ECDHE-RSA-WITH-...; BearSSL and IANA use underscores. */
		for (size_t i = 0; i < len; i++) name[i] = v[i] == '-' ? '_' : v[i];
		if (!find_id(suites, N_SUITES, name, len, &id)) return 0;
		etls_cfg.suites[count++] = (uint16_t)id;
		v += len + (end ? 1 : 0);
	}
	if (count == 0) return 0;
	etls_cfg.suites_len = count;
	return 1;
}

static int parse_curves(const char *v)
{
	uint32_t mask = 0;

	while (*v) {
		const char *end = strchr(v, ',');
		size_t len = end ? (size_t)(end - v) : strlen(v);
		int id;

		if (!find_id(curves, N_CURVES, v, len, &id)) return 0;
		mask |= (uint32_t)1 << id;
		v += len + (end ? 1 : 0);
	}
	if (mask == 0) return 0;
	etls_cfg.curves = mask;
	return 1;
}

static int parse_alpn(const char *v)
{
	size_t count = 0, used = 0;

	if (strlen(v) >= sizeof etls_cfg.alpn_buf) return 0;
	while (*v) {
		const char *end = strchr(v, ',');
		size_t len = end ? (size_t)(end - v) : strlen(v);

		if (len == 0 || len > 255 || count >= sizeof etls_cfg.alpn / sizeof etls_cfg.alpn[0]) return 0;
		memcpy(etls_cfg.alpn_buf + used, v, len);
		etls_cfg.alpn_buf[used + len] = 0;
		etls_cfg.alpn[count++] = etls_cfg.alpn_buf + used;
		used += len + 1;
		v += len + (end ? 1 : 0);
	}
	etls_cfg.alpn_len = count;
	return 1;
}

int32_t etls_config_set(const char *key, const char *v)
{
	int ok;

	if (!strcmp(key, "in-content-len") || !strcmp(key, "iobuf-in")) {
		ok = parse_size(v, &etls_cfg.in_content_len);
	} else if (!strcmp(key, "out-content-len") || !strcmp(key, "iobuf-out")) {
		ok = parse_size(v, &etls_cfg.out_content_len);
	} else if (!strcmp(key, "max-fragment-length")) {
		/* BearSSL asks for the largest fragment both buffers hold; a sketch that got a yes from
		   probeMaxFragmentLength(host, port, N) calls setBufferSizes(N, N). */
		int n = 0;
		ok = !strcmp(v, "none") || ((!strcmp(v, "512") || !strcmp(v, "1024") || !strcmp(v, "2048") ||
		                             !strcmp(v, "4096")) && parse_size(v, &n));
		if (ok && n) etls_cfg.in_content_len = etls_cfg.out_content_len = n;
		/* No request at all takes buffers for whole 16 KB records both ways. */
		if (ok && !n) etls_cfg.in_content_len = etls_cfg.out_content_len = 16384;
	} else if (!strcmp(key, "tls-min")) {
		ok = parse_version(v, &etls_cfg.tls_min);
	} else if (!strcmp(key, "tls-max")) {
		ok = parse_version(v, &etls_cfg.tls_max);
	} else if (!strcmp(key, "ciphersuites")) {
		ok = parse_suites(v);
	} else if (!strcmp(key, "curves")) {
		ok = parse_curves(v);
	} else if (!strcmp(key, "sni")) {
		ok = !strcmp(v, "on") || !strcmp(v, "off");
		if (ok) etls_cfg.sni = !strcmp(v, "on");
	} else if (!strcmp(key, "alpn")) {
		ok = parse_alpn(v);
	} else if (!strcmp(key, "verify")) {
		/* setTrustAnchors() / setInsecure() / setFingerprint(); BearSSL has no "optional". */
		ok = 1;
		if (!strcmp(v, "required") || !strcmp(v, "trust-anchors")) etls_cfg.verify = VERIFY_TRUST_ANCHORS;
		else if (!strcmp(v, "none") || !strcmp(v, "insecure")) etls_cfg.verify = VERIFY_INSECURE;
		else if (!strcmp(v, "fingerprint")) etls_cfg.verify = VERIFY_FINGERPRINT;
		else ok = 0;
	} else if (!strcmp(key, "fingerprint")) {
		ok = parse_fingerprint(v, etls_cfg.fingerprint);
		if (ok) etls_cfg.has_fingerprint = 1, etls_cfg.verify = VERIFY_FINGERPRINT;
	} else {
		return ETLS_E_UNKNOWN_KEY;
	}
	return ok ? 0 : ETLS_E_BAD_VALUE;
}

void json_raw(struct json *j, const char *s)
{
	while (*s) {
		if (j->len < j->cap) j->buf[j->len] = *s;
		j->len++, s++;
	}
}

void json_str(struct json *j, const char *s)
{
	char one[7];

	json_raw(j, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') one[0] = '\\', one[1] = (char)c, one[2] = 0;
		else if (c < 0x20) memcpy(one, "\\u00", 4), one[4] = "0123456789abcdef"[c >> 4],
			one[5] = "0123456789abcdef"[c & 15], one[6] = 0;
		else one[0] = (char)c, one[1] = 0;
		json_raw(j, one);
	}
	json_raw(j, "\"");
}

void json_int(struct json *j, long v)
{
	char digits[24];
	int i = (int)sizeof digits - 1;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	digits[i] = 0;
	do digits[--i] = (char)('0' + u % 10), u /= 10; while (u);
	if (v < 0) digits[--i] = '-';
	json_raw(j, digits + i);
}

static void json_key(struct json *j, const char *key)
{
	int first = j->len > 0 && j->len <= j->cap && j->buf[j->len - 1] == '{';

	json_raw(j, first ? "\"" : ",\"");
	json_raw(j, key);
	json_raw(j, "\":");
}

static void json_names(struct json *j, const struct named *t, size_t n)
{
	json_raw(j, "[");
	for (size_t i = 0; i < n; i++) {
		if (i) json_raw(j, ",");
		json_str(j, t[i].name);
	}
	json_raw(j, "]");
}

int etls_requested_fragment_length(void)
{
	/* ssl_engine.c: the largest 2^u (9 <= u <= 14, 13 counts as 12) that both buffers hold. */
	int in = etls_cfg.in_content_len, out = etls_cfg.out_content_len;
	int u;

	for (u = 14; u > 9; u--)
		if (in >= 1 << u && out >= 1 << u) break;
	if (u == 13) u = 12;
	return u == 14 ? 0 : 1 << u;
}

/* Writes a comma list as one JSON string; `name(i)` gives item i, NULL to skip it. */
static void json_list(struct json *j, size_t n, const char *(*name)(size_t))
{
	static char list[4096];
	struct json l = { list, sizeof list - 1, 0 };

	for (size_t i = 0; i < n; i++) {
		const char *s = name(i);
		if (s == NULL) continue;
		if (l.len) json_raw(&l, ",");
		json_raw(&l, s);
	}
	list[l.len < l.cap ? l.len : l.cap] = 0;
	json_str(j, list);
}

static const char *cfg_suite(size_t i) { return etls_suite_name(etls_cfg.suites[i]); }
static const char *cfg_curve(size_t i)
{
	return etls_cfg.curves & (uint32_t)1 << curves[i].id ? curves[i].name : NULL;
}
static const char *cfg_alpn(size_t i) { return etls_cfg.alpn[i]; }

void etls_config_json(struct json *j)
{
	static const char *const verify_names[] = { "trust-anchors", "insecure", "fingerprint" };
	char mfl[8] = "none";
	int frag = etls_requested_fragment_length();

	if (frag) {
		struct json m = { mfl, sizeof mfl - 1, 0 };
		json_int(&m, frag);
		mfl[m.len] = 0;
	}
	json_raw(j, "{");
	json_key(j, "in-content-len"), json_int(j, etls_cfg.in_content_len);
	json_key(j, "out-content-len"), json_int(j, etls_cfg.out_content_len);
	json_key(j, "iobuf-in-bytes"), json_int(j, etls_cfg.in_content_len + 325);
	json_key(j, "iobuf-out-bytes"), json_int(j, etls_cfg.out_content_len + 85);
	/* The RFC 6066 request BearSSL sends, derived from the buffers (none when both take 16 KB). */
	json_key(j, "max-fragment-length"), json_str(j, mfl);
	json_key(j, "tls-min"), json_str(j, find_name(versions, 3, (int)etls_cfg.tls_min));
	json_key(j, "tls-max"), json_str(j, find_name(versions, 3, (int)etls_cfg.tls_max));
	json_key(j, "ciphersuites"), json_list(j, etls_cfg.suites_len, cfg_suite);
	json_key(j, "curves"), json_list(j, N_CURVES, cfg_curve);
	json_key(j, "hashes"), json_str(j, "md5,sha1,sha224,sha256,sha384,sha512");
	json_key(j, "sni"), json_str(j, etls_cfg.sni ? "on" : "off");
	json_key(j, "alpn"), json_list(j, etls_cfg.alpn_len, cfg_alpn);
	json_key(j, "verify"), json_str(j, verify_names[etls_cfg.verify]);
	json_key(j, "renegotiation"), json_str(j, "off");
	json_raw(j, "}");
}

void etls_options_json(struct json *j)
{
	json_raw(j, "{");
	json_key(j, "in-content-len"), json_str(j, "integer 512..16384");
	json_key(j, "out-content-len"), json_str(j, "integer 512..16384");
	json_key(j, "iobuf-in"), json_str(j, "integer 512..16384");
	json_key(j, "iobuf-out"), json_str(j, "integer 512..16384");
	json_key(j, "max-fragment-length"), json_raw(j, "[\"none\",\"512\",\"1024\",\"2048\",\"4096\"]");
	json_key(j, "tls-min"), json_names(j, versions, 3);
	json_key(j, "tls-max"), json_names(j, versions, 3);
	json_key(j, "ciphersuites"), json_names(j, suites, N_SUITES);
	json_key(j, "curves"), json_names(j, curves, N_CURVES);
	json_key(j, "sni"), json_raw(j, "[\"on\",\"off\"]");
	json_key(j, "alpn"), json_str(j, "comma list of protocol names");
	json_key(j, "verify"), json_raw(j, "[\"required\",\"trust-anchors\",\"none\",\"insecure\",\"fingerprint\"]");
	json_key(j, "fingerprint"), json_str(j, "SHA-1 of the broker certificate, 20 hex bytes");
	json_raw(j, "}");
}

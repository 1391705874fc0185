/* The engine ABI (wasm/ABI.md) over mbedTLS 2.28 and 3.6, compiled to wasm32-wasi as a reactor.
 * One file on purpose: it is the whole C side of one engine, option parsing included, and reads
 * best top to bottom next to ABI.md. The same source builds against both library versions. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/error.h"
#include "mbedtls/pk.h"
#include "mbedtls/ssl.h"
#include "mbedtls/ssl_ciphersuites.h"
#include "mbedtls/version.h"
#include "mbedtls/x509_crt.h"
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include "psa/crypto.h"
#define ETLS_V3 1
#else
#define ETLS_V3 0
#endif

#ifndef MBEDTLS_PRIVATE
#define MBEDTLS_PRIVATE(member) member
#endif

#define EXPORT(name) __attribute__((export_name(#name)))

#define ETLS_E_UNKNOWN_KEY (-0x100001)
#define ETLS_E_BAD_VALUE (-0x100002)
#define ETLS_E_STATE (-0x100003)
#define ETLS_E_NOMEM (-0x100004)
#define ETLS_E_CLOSED (-0x100005)
#define ETLS_E_BUFFER (-0x100006)
#define MAX_LIST 64
#define MAX_QUEUE (1 << 20)

/* ESP-IDF Kconfig defaults: CONFIG_MBEDTLS_SSL_IN_CONTENT_LEN 16384, OUT 4096. */
size_t etls_in_content_len = 16384;
size_t etls_out_content_len = 4096;

/* The entropy source a board's hardware RNG would be: the host's crypto RNG (WASI random_get). */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen) {
  (void)data;
  if (__wasi_random_get(output, len) != 0) return -1;
  *olen = len;
  return 0;
}

#if ETLS_V3
#include "mbedtls/platform_time.h"
/* 3.6 wants milliseconds for TLS 1.3 ticket ages; wasi-libc is not __unix__ to the library. */
mbedtls_ms_time_t mbedtls_ms_time(void) {
  __wasi_timestamp_t t = 0;
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1000000, &t);
  return (mbedtls_ms_time_t)(t / 1000000);
}
#endif

static mbedtls_ssl_context ssl;
static mbedtls_ssl_config conf;
static mbedtls_x509_crt ca, own;
static mbedtls_pk_context key;
static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static int started, have_own, have_key, last_error;
static uint32_t verify_flags;

static unsigned char *in_q, *out_q;
static size_t in_len, in_off, out_len;

/* Options, applied by etls_start. */
static int tls_min = -1, tls_max = -1, authmode = MBEDTLS_SSL_VERIFY_REQUIRED, sni = 1, mfl = 0;
static int suites[MAX_LIST + 1], n_suites = -1;
#if ETLS_V3
static uint16_t groups[MAX_LIST + 1], sigalgs[MAX_LIST + 1];
#else
static mbedtls_ecp_group_id groups[MAX_LIST + 1];
static int sigalgs[MAX_LIST + 1];
#endif
static int n_groups = -1, n_sigalgs = -1;
static char alpn_store[256];
static const char *alpn[17];
static int n_alpn = 0;
static char server_name[256];

EXPORT(etls_alloc) void *etls_alloc(int32_t size) { return malloc(size > 0 ? (size_t)size : 1); }
EXPORT(etls_free) void etls_free(void *p) { free(p); }

/* ---- option parsing ---------------------------------------------------------------------- */

static int parse_version(const char *v) {
#if ETLS_V3
  if (!strcmp(v, "1.2")) return MBEDTLS_SSL_VERSION_TLS1_2;
  if (!strcmp(v, "1.3")) return MBEDTLS_SSL_VERSION_TLS1_3;
#else
#if defined(MBEDTLS_SSL_PROTO_TLS1)
  if (!strcmp(v, "1.0")) return MBEDTLS_SSL_MINOR_VERSION_1;
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_1)
  if (!strcmp(v, "1.1")) return MBEDTLS_SSL_MINOR_VERSION_2;
#endif
  if (!strcmp(v, "1.2")) return MBEDTLS_SSL_MINOR_VERSION_3;
#endif
  return -1;
}

static const char *version_name(int v) {
#if ETLS_V3
  return v == MBEDTLS_SSL_VERSION_TLS1_3 ? "1.3" : "1.2";
#else
  return v == MBEDTLS_SSL_MINOR_VERSION_1 ? "1.0" : v == MBEDTLS_SSL_MINOR_VERSION_2 ? "1.1" : "1.2";
#endif
}

/* IANA spelling -> mbedTLS spelling: TLS_ECDHE_RSA_WITH_... -> TLS-ECDHE-RSA-WITH-...,
 * TLS_AES_128_GCM_SHA256 -> TLS1-3-AES-128-GCM-SHA256. */
static int suite_id(const char *iana) {
  char name[96];
  size_t n = strlen(iana);
  if (n + 3 >= sizeof name) return 0;
  int id = mbedtls_ssl_get_ciphersuite_id(iana);
  if (id) return id;
  if (!strncmp(iana, "TLS_AES_", 8) || !strncmp(iana, "TLS_CHACHA20_", 13)) {
    strcpy(name, "TLS1-3-");
    strcpy(name + 7, iana + 4);
  } else {
    strcpy(name, iana);
  }
  for (char *p = name; *p; p++)
    if (*p == '_') *p = '-';
  return mbedtls_ssl_get_ciphersuite_id(name);
}

static void iana_suite_name(const char *mb, char *out, size_t len) {
  const char *src = mb;
  size_t o = 0;
  if (!strncmp(mb, "TLS1-3-", 7)) {
    snprintf(out, len, "TLS_");
    o = 4;
    src = mb + 7;
  }
  for (; *src && o + 1 < len; src++) out[o++] = *src == '-' ? '_' : *src;
  out[o] = 0;
}

struct named {
  const char *name;
  int value;
};

/* TLS SignatureScheme code points (RFC 8446 4.2.3). */
static const struct named sig_schemes[] = {
    {"rsa_pkcs1_sha256", 0x0401},       {"rsa_pkcs1_sha384", 0x0501},
    {"rsa_pkcs1_sha512", 0x0601},       {"ecdsa_secp256r1_sha256", 0x0403},
    {"ecdsa_secp384r1_sha384", 0x0503}, {"ecdsa_secp521r1_sha512", 0x0603},
    {"rsa_pss_rsae_sha256", 0x0804},    {"rsa_pss_rsae_sha384", 0x0805},
    {"rsa_pss_rsae_sha512", 0x0806},    {"ed25519", 0x0807},
    {"ed448", 0x0808},                  {"rsa_pss_pss_sha256", 0x0809},
    {"rsa_pss_pss_sha384", 0x080a},     {"rsa_pss_pss_sha512", 0x080b},
    {"rsa_pkcs1_sha1", 0x0201},         {"ecdsa_sha1", 0x0203},
    {NULL, 0}};

static int sig_scheme(const char *name) {
  for (const struct named *s = sig_schemes; s->name; s++)
    if (!strcmp(s->name, name)) return s->value;
  return -1;
}

#if !ETLS_V3
/* 2.28 configures TLS 1.2 signature hashes, not schemes: take the hash of each scheme. */
static int scheme_hash(int scheme) {
  switch (scheme & 0xff00) {
    case 0x0200: return MBEDTLS_MD_SHA1;
    case 0x0400: return MBEDTLS_MD_SHA256;
    case 0x0500: return MBEDTLS_MD_SHA384;
    case 0x0600: return MBEDTLS_MD_SHA512;
  }
  return -1;
}
#endif

/* Splits a comma list in place; calls fn on each non-empty item; stops on the first failure. */
static int each_item(const char *value, int (*fn)(const char *)) {
  char buf[2048];
  if (strlen(value) >= sizeof buf) return ETLS_E_BAD_VALUE;
  strcpy(buf, value);
  char *save = NULL;
  for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    while (*t == ' ') t++;
    if (*t && fn(t) != 0) return ETLS_E_BAD_VALUE;
  }
  return 0;
}

static int add_suite(const char *n) {
  int id = suite_id(n);
  if (!id || n_suites >= MAX_LIST) return -1;
  suites[n_suites++] = id;
  return 0;
}

static int add_group(const char *n) {
  const mbedtls_ecp_curve_info *c = mbedtls_ecp_curve_info_from_name(n);
  if (!c && !strcmp(n, "X25519")) c = mbedtls_ecp_curve_info_from_name("x25519");
  if (!c || n_groups >= MAX_LIST) return -1;
#if ETLS_V3
  groups[n_groups++] = c->tls_id;
#else
  groups[n_groups++] = c->grp_id;
#endif
  return 0;
}

static int add_sigalg(const char *n) {
  int s = sig_scheme(n);
  if (s < 0 || n_sigalgs >= MAX_LIST) return -1;
#if ETLS_V3
  sigalgs[n_sigalgs++] = (uint16_t)s;
#else
  int h = scheme_hash(s);
  if (h < 0) return -1; /* ed25519, ed448: 2.28 has no such signature algorithm */
  for (int i = 0; i < n_sigalgs; i++)
    if (sigalgs[i] == h) return 0;
  sigalgs[n_sigalgs++] = h;
#endif
  return 0;
}

static int parse_len(const char *v, size_t *out) {
  char *end;
  long n = strtol(v, &end, 10);
  if (*v == 0 || *end != 0 || n < 512 || n > 16384) return ETLS_E_BAD_VALUE;
  *out = (size_t)n;
  return 0;
}

EXPORT(etls_set_option) int32_t etls_set_option(const char *k, const char *v) {
  if (started) return ETLS_E_STATE;
  if (!strcmp(k, "in-content-len")) return parse_len(v, &etls_in_content_len);
  if (!strcmp(k, "out-content-len")) return parse_len(v, &etls_out_content_len);
  if (!strcmp(k, "tls-min") || !strcmp(k, "tls-max")) {
    int ver = parse_version(v);
    if (ver < 0) return ETLS_E_BAD_VALUE;
    if (k[4] == 'm' && k[5] == 'i') tls_min = ver;
    else tls_max = ver;
    return 0;
  }
  if (!strcmp(k, "ciphersuites")) {
    n_suites = 0;
    int r = each_item(v, add_suite);
    return r ? r : n_suites ? 0 : ETLS_E_BAD_VALUE;
  }
  if (!strcmp(k, "curves")) {
    n_groups = 0;
    int r = each_item(v, add_group);
    return r ? r : n_groups ? 0 : ETLS_E_BAD_VALUE;
  }
  if (!strcmp(k, "sig-algs")) {
    n_sigalgs = 0;
    int r = each_item(v, add_sigalg);
    return r ? r : n_sigalgs ? 0 : ETLS_E_BAD_VALUE;
  }
  if (!strcmp(k, "sni")) {
    if (strcmp(v, "on") && strcmp(v, "off")) return ETLS_E_BAD_VALUE;
    sni = v[1] == 'n';
    return 0;
  }
  if (!strcmp(k, "verify")) {
    if (!strcmp(v, "required")) authmode = MBEDTLS_SSL_VERIFY_REQUIRED;
    else if (!strcmp(v, "optional")) authmode = MBEDTLS_SSL_VERIFY_OPTIONAL;
    else if (!strcmp(v, "none")) authmode = MBEDTLS_SSL_VERIFY_NONE;
    else return ETLS_E_BAD_VALUE;
    return 0;
  }
  if (!strcmp(k, "max-fragment-length")) {
    if (!strcmp(v, "none")) mfl = MBEDTLS_SSL_MAX_FRAG_LEN_NONE;
    else if (!strcmp(v, "512")) mfl = MBEDTLS_SSL_MAX_FRAG_LEN_512;
    else if (!strcmp(v, "1024")) mfl = MBEDTLS_SSL_MAX_FRAG_LEN_1024;
    else if (!strcmp(v, "2048")) mfl = MBEDTLS_SSL_MAX_FRAG_LEN_2048;
    else if (!strcmp(v, "4096")) mfl = MBEDTLS_SSL_MAX_FRAG_LEN_4096;
    else return ETLS_E_BAD_VALUE;
    return 0;
  }
  if (!strcmp(k, "alpn")) {
    if (strlen(v) >= sizeof alpn_store) return ETLS_E_BAD_VALUE;
    strcpy(alpn_store, v);
    n_alpn = 0;
    char *save = NULL;
    for (char *t = strtok_r(alpn_store, ",", &save); t && n_alpn < 16; t = strtok_r(NULL, ",", &save))
      alpn[n_alpn++] = t;
    alpn[n_alpn] = NULL;
    return 0;
  }
  return ETLS_E_UNKNOWN_KEY;
}

/* ---- small JSON writer ------------------------------------------------------------------- */

static char *js;
static size_t js_len, js_cap;

static void jput(const char *s) {
  size_t n = strlen(s);
  if (js_len + n + 1 > js_cap) {
    size_t cap = (js_len + n + 1) * 2;
    char *p = realloc(js, cap);
    if (!p) return;
    js = p;
    js_cap = cap;
  }
  memcpy(js + js_len, s, n + 1);
  js_len += n;
}

static void jstr(const char *s) {
  char c[8];
  jput("\"");
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') {
      c[0] = '\\', c[1] = *s, c[2] = 0;
    } else if ((unsigned char)*s < 0x20) {
      snprintf(c, sizeof c, "\\u%04x", *s);
    } else {
      c[0] = *s, c[1] = 0;
    }
    jput(c);
  }
  jput("\"");
}

static void jint(long v) {
  char b[24];
  snprintf(b, sizeof b, "%ld", v);
  jput(b);
}

static int32_t jflush(char *buf, int32_t len) {
  int32_t n = (int32_t)js_len;
  if (buf && len > 0) memcpy(buf, js ? js : "", (size_t)(n < len ? n : len));
  free(js);
  js = NULL;
  js_len = js_cap = 0;
  return n;
}

EXPORT(etls_options) int32_t etls_options(char *buf, int32_t len) {
  char name[96];
  jput("{\"in-content-len\":\"integer 512..16384\",\"out-content-len\":\"integer 512..16384\"");
#if ETLS_V3
  jput(",\"tls-min\":[\"1.2\",\"1.3\"],\"tls-max\":[\"1.2\",\"1.3\"]");
#else
  jput(",\"tls-min\":[");
  jput(
#if defined(MBEDTLS_SSL_PROTO_TLS1)
      "\"1.0\",\"1.1\","
#endif
      "\"1.2\"]");
  jput(",\"tls-max\":[");
  jput(
#if defined(MBEDTLS_SSL_PROTO_TLS1)
      "\"1.0\",\"1.1\","
#endif
      "\"1.2\"]");
#endif
  jput(",\"ciphersuites\":[");
  int first = 1;
  for (const int *s = mbedtls_ssl_list_ciphersuites(); *s; s++) {
    const char *mb = mbedtls_ssl_get_ciphersuite_name(*s);
    iana_suite_name(mb, name, sizeof name);
    if (!first) jput(",");
    jstr(name);
    first = 0;
  }
  jput("],\"curves\":[");
  first = 1;
  for (const mbedtls_ecp_curve_info *c = mbedtls_ecp_curve_list(); c->grp_id != MBEDTLS_ECP_DP_NONE; c++) {
    if (!first) jput(",");
    jstr(c->name);
    first = 0;
  }
  jput("],\"sig-algs\":[");
  first = 1;
  for (const struct named *s = sig_schemes; s->name; s++) {
#if !ETLS_V3
    if (scheme_hash(s->value) < 0) continue;
#endif
    if (!first) jput(",");
    jstr(s->name);
    first = 0;
  }
  jput("],\"sni\":[\"on\",\"off\"],\"alpn\":\"comma list of protocol names\"");
  jput(",\"verify\":[\"required\",\"optional\",\"none\"]");
  jput(",\"max-fragment-length\":[\"none\",\"512\",\"1024\",\"2048\",\"4096\"]}");
  return jflush(buf, len);
}

/* ---- credentials ------------------------------------------------------------------------- */

EXPORT(etls_add_ca_der) int32_t etls_add_ca_der(const uint8_t *der, int32_t len) {
  if (started) return ETLS_E_STATE;
  return mbedtls_x509_crt_parse_der(&ca, der, (size_t)len);
}

EXPORT(etls_add_own_cert_der) int32_t etls_add_own_cert_der(const uint8_t *der, int32_t len) {
  if (started) return ETLS_E_STATE;
  have_own = 1;
  return mbedtls_x509_crt_parse_der(&own, der, (size_t)len);
}

static int rng(void *ctx, unsigned char *out, size_t len) { return mbedtls_ctr_drbg_random(ctx, out, len); }

EXPORT(etls_set_own_key_der) int32_t etls_set_own_key_der(const uint8_t *der, int32_t len) {
  if (started) return ETLS_E_STATE;
  have_key = 1;
#if ETLS_V3
  return mbedtls_pk_parse_key(&key, der, (size_t)len, NULL, 0, rng, &drbg);
#else
  return mbedtls_pk_parse_key(&key, der, (size_t)len, NULL, 0);
#endif
}

/* ---- memory BIO -------------------------------------------------------------------------- */

static int bio_send(void *ctx, const unsigned char *p, size_t n) {
  (void)ctx;
  if (out_len + n > MAX_QUEUE) return MBEDTLS_ERR_SSL_WANT_WRITE;
  unsigned char *q = realloc(out_q, out_len + n);
  if (!q) return MBEDTLS_ERR_SSL_ALLOC_FAILED;
  out_q = q;
  memcpy(out_q + out_len, p, n);
  out_len += n;
  return (int)n;
}

static int bio_recv(void *ctx, unsigned char *p, size_t n) {
  (void)ctx;
  size_t avail = in_len - in_off;
  if (avail == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  if (n > avail) n = avail;
  memcpy(p, in_q + in_off, n);
  in_off += n;
  return (int)n;
}

EXPORT(etls_feed) int32_t etls_feed(const uint8_t *p, int32_t len) {
  if (!started) return ETLS_E_STATE;
  if (in_off > 0) {
    memmove(in_q, in_q + in_off, in_len - in_off);
    in_len -= in_off;
    in_off = 0;
  }
  size_t room = MAX_QUEUE - in_len;
  if (room == 0) return ETLS_E_BUFFER;
  size_t n = (size_t)len < room ? (size_t)len : room;
  unsigned char *q = realloc(in_q, in_len + n);
  if (!q) return ETLS_E_NOMEM;
  in_q = q;
  memcpy(in_q + in_len, p, n);
  in_len += n;
  return (int32_t)n;
}

EXPORT(etls_pending_out) int32_t etls_pending_out(void) { return (int32_t)out_len; }

EXPORT(etls_take_out) int32_t etls_take_out(uint8_t *p, int32_t max) {
  size_t n = out_len < (size_t)max ? out_len : (size_t)max;
  memcpy(p, out_q, n);
  memmove(out_q, out_q + n, out_len - n);
  out_len -= n;
  return (int32_t)n;
}

/* ---- the connection ---------------------------------------------------------------------- */

#define MAX_CHAIN 8
static unsigned char *peer_der[MAX_CHAIN];
static size_t peer_len[MAX_CHAIN];

/* Collects the flags of every certificate in the chain, as the board's verify result reports, and
 * keeps each certificate so the host can name the chain in its explanation. */
static int on_verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags) {
  (void)ctx;
  verify_flags |= *flags;
  if (depth >= 0 && depth < MAX_CHAIN && crt->raw.len > 0) {
    unsigned char *copy = malloc(crt->raw.len);
    if (copy) {
      memcpy(copy, crt->raw.p, crt->raw.len);
      free(peer_der[depth]);
      peer_der[depth] = copy;
      peer_len[depth] = crt->raw.len;
    }
  }
  return 0;
}

EXPORT(etls_peer_cert) int32_t etls_peer_cert(int32_t depth, uint8_t *buf, int32_t len) {
  if (depth < 0 || depth >= MAX_CHAIN || !peer_der[depth]) return 0;
  int32_t n = (int32_t)peer_len[depth];
  if (buf && len > 0) memcpy(buf, peer_der[depth], (size_t)(n < len ? n : len));
  return n;
}

static int peer_alert = -1;

static int32_t fail(int r) {
  last_error = r;
  /* The alert the broker sent is in the record just read; the board's log shows it at debug level. */
  if (r == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && ssl.MBEDTLS_PRIVATE(in_msg))
    peer_alert = ssl.MBEDTLS_PRIVATE(in_msg)[1];
  return r;
}

EXPORT(etls_start) int32_t etls_start(const char *servername) {
  if (started) return ETLS_E_STATE;
  int r;
  started = 1;
  if ((r = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                       MBEDTLS_SSL_PRESET_DEFAULT)) != 0)
    return fail(r);
  mbedtls_ssl_conf_rng(&conf, rng, &drbg);
  mbedtls_ssl_conf_authmode(&conf, authmode);
  mbedtls_ssl_conf_ca_chain(&conf, &ca, NULL);
  mbedtls_ssl_conf_verify(&conf, on_verify, NULL);
  if (have_own || have_key) {
    if ((r = mbedtls_ssl_conf_own_cert(&conf, &own, &key)) != 0) return fail(r);
  }
#if ETLS_V3
  if (tls_min >= 0) mbedtls_ssl_conf_min_tls_version(&conf, (mbedtls_ssl_protocol_version)tls_min);
  if (tls_max >= 0) mbedtls_ssl_conf_max_tls_version(&conf, (mbedtls_ssl_protocol_version)tls_max);
  if (n_groups > 0) {
    groups[n_groups] = 0;
    mbedtls_ssl_conf_groups(&conf, groups);
  }
  if (n_sigalgs > 0) {
    sigalgs[n_sigalgs] = 0;
    mbedtls_ssl_conf_sig_algs(&conf, sigalgs);
  }
#else
  if (tls_min >= 0) mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, tls_min);
  if (tls_max >= 0) mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, tls_max);
  if (n_groups > 0) {
    groups[n_groups] = MBEDTLS_ECP_DP_NONE;
    mbedtls_ssl_conf_curves(&conf, groups);
  }
  if (n_sigalgs > 0) {
    sigalgs[n_sigalgs] = MBEDTLS_MD_NONE;
    mbedtls_ssl_conf_sig_hashes(&conf, sigalgs);
  }
#endif
  if (n_suites > 0) {
    suites[n_suites] = 0;
    mbedtls_ssl_conf_ciphersuites(&conf, suites);
  }
  if (mfl && (r = mbedtls_ssl_conf_max_frag_len(&conf, (unsigned char)mfl)) != 0) return fail(r);
  if (n_alpn > 0 && (r = mbedtls_ssl_conf_alpn_protocols(&conf, alpn)) != 0) return fail(r);
  if ((r = mbedtls_ssl_setup(&ssl, &conf)) != 0) return fail(r);
  snprintf(server_name, sizeof server_name, "%s", servername ? servername : "");
  if (sni && server_name[0] && (r = mbedtls_ssl_set_hostname(&ssl, server_name)) != 0) return fail(r);
  mbedtls_ssl_set_bio(&ssl, NULL, bio_send, bio_recv, NULL);
  return 0;
}

EXPORT(etls_handshake) int32_t etls_handshake(void) {
  if (!started) return ETLS_E_STATE;
  int r = mbedtls_ssl_handshake(&ssl);
  if (r == 0) return 0;
  if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return 1;
  return fail(r);
}

EXPORT(etls_write) int32_t etls_write(const uint8_t *p, int32_t len) {
  if (!started) return ETLS_E_STATE;
  int r = mbedtls_ssl_write(&ssl, p, (size_t)len);
  if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return 0;
  return r < 0 ? fail(r) : r;
}

EXPORT(etls_read) int32_t etls_read(uint8_t *p, int32_t max) {
  if (!started) return ETLS_E_STATE;
  int r = mbedtls_ssl_read(&ssl, p, (size_t)max);
  if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return 0;
#if ETLS_V3
  if (r == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) return 0;
#endif
  if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return ETLS_E_CLOSED;
  return r < 0 ? fail(r) : r;
}

EXPORT(etls_last_error) int32_t etls_last_error(void) { return last_error; }
EXPORT(etls_verify_flags) uint32_t etls_verify_flags(void) { return verify_flags; }

EXPORT(etls_last_error_text) int32_t etls_last_error_text(char *buf, int32_t len) {
  char text[256];
  mbedtls_strerror(last_error, text, sizeof text);
  jput(text);
  return jflush(buf, len);
}

EXPORT(etls_info) int32_t etls_info(char *buf, int32_t len) {
  char name[96];
  jput("{\"library\":\"mbedtls\",\"version\":");
  jstr(MBEDTLS_VERSION_STRING);
  if (started && ssl.MBEDTLS_PRIVATE(state) != MBEDTLS_SSL_HELLO_REQUEST) {
    jput(",\"tlsVersion\":");
    jstr(mbedtls_ssl_get_version(&ssl));
    const char *cs = mbedtls_ssl_get_ciphersuite(&ssl);
    if (cs) {
      iana_suite_name(cs, name, sizeof name);
      jput(",\"cipherSuite\":");
      jstr(name);
    }
    const char *proto = mbedtls_ssl_get_alpn_protocol(&ssl);
    if (proto) {
      jput(",\"alpn\":");
      jstr(proto);
    }
  }
  if (peer_alert >= 0) {
    jput(",\"peerAlert\":");
    jint(peer_alert);
  }
  jput(",\"config\":{\"in-content-len\":");
  jint((long)etls_in_content_len);
  jput(",\"out-content-len\":");
  jint((long)etls_out_content_len);
  jput(",\"tls-min\":");
#if ETLS_V3
  jstr(version_name(tls_min >= 0 ? tls_min : MBEDTLS_SSL_VERSION_TLS1_2));
  jput(",\"tls-max\":");
  jstr(version_name(tls_max >= 0 ? tls_max : MBEDTLS_SSL_VERSION_TLS1_3));
#else
  jstr(version_name(tls_min >= 0 ? tls_min : conf.min_minor_ver));
  jput(",\"tls-max\":");
  jstr(version_name(tls_max >= 0 ? tls_max : MBEDTLS_SSL_MINOR_VERSION_3));
#endif
  jput(",\"verify\":");
  jstr(authmode == MBEDTLS_SSL_VERIFY_REQUIRED ? "required" : authmode == MBEDTLS_SSL_VERIFY_OPTIONAL ? "optional" : "none");
  jput(",\"sni\":");
  jstr(sni ? "on" : "off");
  jput(",\"max-fragment-length\":");
  jstr(mfl == 0 ? "none" : mfl == 1 ? "512" : mfl == 2 ? "1024" : mfl == 3 ? "2048" : "4096");
  jput(",\"variable-buffer-length\":false}}");
  return jflush(buf, len);
}

EXPORT(etls_close) void etls_close(void) {
  if (started) mbedtls_ssl_close_notify(&ssl);
}

/* Library state that must exist before any option or credential call. */
static void init_once(void) __attribute__((constructor));
static void init_once(void) {
  mbedtls_ssl_init(&ssl);
  mbedtls_ssl_config_init(&conf);
  mbedtls_x509_crt_init(&ca);
  mbedtls_x509_crt_init(&own);
  mbedtls_pk_init(&key);
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
#if ETLS_V3
  psa_crypto_init();
#endif
  mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)"etls", 4);
}

// Connection code in C for the stacks that take certificates from memory (ESP-IDF's esp-mqtt,
// coreMQTT's mbedTLS transport) or from the SimpleLink file system (sl_SetSockOpt, and the CC3200
// SDK 1.x SlSockSecureFiles_t). Every name comes from the profile: header symbols, pushed names.
import { EtlsError } from '../errors';
import { cStringLiteral } from '../headers/cText';
import type { BoardFile, FileRole, SnippetContext } from './context';
import type { CSymbol, HeaderSymbols } from './symbols';

const q = (s: string) => cStringLiteral(s, false);

/** `(const char *)name` and its length expression: `_len` for arrays, `sizeof` for macros. */
function ptr(s: CSymbol, cast = 'const char *'): string {
  return s.form === 'pem' && !s.macro && cast === 'const char *' ? s.name : `(${cast})${s.name}`;
}
function len(s: CSymbol): string {
  return s.macro ? `sizeof(${s.name})` : `${s.name}_len`;
}

export function headerNote(h: HeaderSymbols): string[] {
  return h.makeCommand
    ? [
        ` * ${h.path} is not recorded in embedded-tls.json for this profile; these are the names`,
        ` * etls header gives. Write it (in the project folder): ${h.makeCommand}`,
      ]
    : [` * Names from ${h.path}, as etls header writes it for this profile.`];
}

function top(title: string, lines: string[]): string {
  return ['/*', ` * ${title}`, ...lines, ' */', ''].join('\n');
}

export function espIdf(ctx: SnippetContext, h: HeaderSymbols, title: string): string {
  const b = ctx.broker;
  const s = h.symbols;
  const ca = s.ca!;
  const uri = `mqtts://${b.host}:${b.port}`;
  const alpnDecl = b.alpn ? `    static const char *alpn[] = { ${q(b.alpn)}, NULL };\n` : '';
  const v5: string[] = [
    `            .address.uri = ${q(uri)},`,
    `            .verification.certificate = ${ptr(ca)},`,
    `            .verification.certificate_len = ${len(ca)},`,
  ];
  if (b.alpn) v5.push('            .verification.alpn_protos = alpn,');
  if (b.servername) v5.push(`            .verification.common_name = ${q(b.servername)},`);
  const cred5: string[] = [`            .client_id = ${q(b.clientId)},`];
  const v4: string[] = [
    `        .uri = ${q(uri)},`,
    `        .client_id = ${q(b.clientId)},`,
    `        .cert_pem = ${ptr(ca)},`,
    `        .cert_len = ${len(ca)},`,
  ];
  if (s.cert && s.key) {
    cred5.push(
      '            .authentication = {',
      `                .certificate = ${ptr(s.cert)},`,
      `                .certificate_len = ${len(s.cert)},`,
      `                .key = ${ptr(s.key)},`,
      `                .key_len = ${len(s.key)},`,
      '            },',
    );
    v4.push(
      `        .client_cert_pem = ${ptr(s.cert)},`,
      `        .client_cert_len = ${len(s.cert)},`,
      `        .client_key_pem = ${ptr(s.key)},`,
      `        .client_key_len = ${len(s.key)},`,
    );
  }
  if (b.alpn) v4.push('        .alpn_protos = alpn,');
  return (
    top(title, [
      ` * ESP-MQTT over TLS to ${b.host}:${b.port} as ${b.clientId}. For ESP-IDF 5.x (nested`,
      ' * .broker/.credentials fields) and 4.x (flat fields), picked by ESP_IDF_VERSION_MAJOR.',
      ' * The _len values count the PEM NUL, which mbedTLS needs; DER arrays need their length.',
      ...headerNote(h),
    ]) +
    `#include "esp_idf_version.h"\n#include "mqtt_client.h"\n#include ${q(h.include)}\n\n` +
    'esp_mqtt_client_handle_t etls_mqtt_start(void)\n{\n' +
    alpnDecl +
    '#if ESP_IDF_VERSION_MAJOR >= 5\n' +
    '    const esp_mqtt_client_config_t mqtt_cfg = {\n        .broker = {\n' +
    v5.join('\n') +
    '\n        },\n        .credentials = {\n' +
    cred5.join('\n') +
    '\n        },\n' +
    (b.mqttVersion === 5 ? '        .session.protocol_ver = MQTT_PROTOCOL_V_5,\n' : '') +
    '    };\n#else\n    const esp_mqtt_client_config_t mqtt_cfg = {\n' +
    v4.join('\n') +
    '\n    };\n#endif\n' +
    '    esp_mqtt_client_handle_t client = esp_mqtt_client_init(&mqtt_cfg);\n' +
    '    esp_mqtt_client_start(client);\n    return client;\n}\n'
  );
}

export function coreMqtt(ctx: SnippetContext, h: HeaderSymbols, title: string): string {
  const b = ctx.broker;
  const s = h.symbols;
  const lines = [
    `    credentials.pRootCa = (const unsigned char *)${s.ca!.name};`,
    `    credentials.rootCaSize = ${len(s.ca!)};`,
  ];
  if (s.cert && s.key)
    lines.push(
      `    credentials.pClientCert = (const unsigned char *)${s.cert.name};`,
      `    credentials.clientCertSize = ${len(s.cert)};`,
      `    credentials.pPrivateKey = (const unsigned char *)${s.key.name};`,
      `    credentials.privateKeySize = ${len(s.key)};`,
    );
  const alpn = b.alpn ? `    static const char *alpn[] = { ${q(b.alpn)}, NULL };\n` : '';
  if (b.alpn) lines.push('    credentials.pAlpnProtos = alpn;');
  return (
    top(title, [
      ` * coreMQTT over the FreeRTOS mbedTLS transport (network_transport/transport_mbedtls.h) to`,
      ` * ${b.host}:${b.port}. Sizes count the PEM NUL, which mbedtls_x509_crt_parse needs.`,
      ...headerNote(h),
    ]) +
    `#include <string.h>\n#include "transport_mbedtls.h"\n#include ${q(h.include)}\n\n` +
    'struct NetworkContext\n{\n    TlsTransportParams_t *pParams;\n};\n\n' +
    'TlsTransportStatus_t etls_tls_connect(NetworkContext_t *network)\n{\n' +
    alpn +
    '    NetworkCredentials_t credentials;\n    memset(&credentials, 0, sizeof(credentials));\n' +
    lines.join('\n') +
    `\n    return TLS_FreeRTOS_Connect(network, ${q(b.host)}, ${b.port}, &credentials, 5000, 5000);\n}\n`
  );
}

const OPTION: Record<FileRole, string> = {
  ca: 'SL_SO_SECURE_FILES_CA_FILE_NAME',
  cert: 'SL_SO_SECURE_FILES_CERTIFICATE_FILE_NAME',
  key: 'SL_SO_SECURE_FILES_PRIVATE_KEY_FILE_NAME',
};

export function boardNote(files: Partial<Record<FileRole, BoardFile>>, pushHint: string): string[] {
  const unrecorded = Object.values(files).filter((f) => !f.recorded);
  if (unrecorded.length === 0) return [' * File names as the profile records them pushed (push.files).'];
  return [
    ` * ${unrecorded.map((f) => f.remote).join(', ')}: names etls push offers; the profile records`,
    ` * no push of ${unrecorded.length === 1 ? 'that file' : 'those files'}. Push them: ${pushHint}`,
  ];
}

export function simplelink(
  ctx: SnippetContext,
  files: Partial<Record<FileRole, BoardFile>>,
  pushHint: string,
  title: string,
): string {
  const b = ctx.broker;
  const opts = (['ca', 'cert', 'key'] as FileRole[])
    .filter((r) => files[r])
    .map((r) => {
      const name = files[r]!.remote;
      return `    status |= sl_SetSockOpt(sd, SL_SOL_SOCKET, ${OPTION[r]}, ${q(name)}, ${Buffer.byteLength(name)});`;
    });
  const host = b.servername ?? b.host;
  return (
    top(title, [
      ` * A SimpleLink (CC3220/CC3235 SDK) secure socket to ${b.host}:${b.port}: the CA, certificate and`,
      ' * key by their names in the SimpleLink file system, and the broker name checked.',
      ...boardNote(files, pushHint),
    ]) +
    '#include <string.h>\n#include <ti/drivers/net/wifi/simplelink.h>\n\n' +
    '/* ip: the broker address from sl_NetAppDnsGetHostByName, host byte order. */\n' +
    '_i16 etls_tls_socket(_u32 ip)\n{\n' +
    '    SlSockAddrIn_t addr;\n    _i16 status = 0;\n' +
    '    _i16 sd = sl_Socket(SL_AF_INET, SL_SOCK_STREAM, SL_SEC_SOCKET);\n' +
    '    if (sd < 0)\n        return sd;\n' +
    '    SlSockSecureMethod_t method;\n    method.SecureMethod = SL_SO_SEC_METHOD_TLSV1_2;\n' +
    '    status |= sl_SetSockOpt(sd, SL_SOL_SOCKET, SL_SO_SECMETHOD, &method, sizeof(method));\n' +
    opts.join('\n') +
    `\n    status |= sl_SetSockOpt(sd, SL_SOL_SOCKET, SL_SO_SECURE_DOMAIN_NAME_VERIFICATION, ${q(host)}, ${Buffer.byteLength(host)});\n` +
    '    if (status < 0)\n    {\n        sl_Close(sd);\n        return status;\n    }\n' +
    '    memset(&addr, 0, sizeof(addr));\n    addr.sin_family = SL_AF_INET;\n' +
    `    addr.sin_port = sl_Htons(${b.port});\n    addr.sin_addr.s_addr = sl_Htonl(ip);\n` +
    '    status = sl_Connect(sd, (SlSockAddr_t *)&addr, sizeof(addr));\n' +
    '    /* SL_ERROR_BSD_ESECSNOVERIFY (-453): connected, but the root CA is not in the certificate catalog. */\n' +
    '    if (status < 0 && status != SL_ERROR_BSD_ESECSNOVERIFY)\n    {\n        sl_Close(sd);\n        return status;\n    }\n' +
    '    return sd;\n}\n'
  );
}

/** CC3200 SDK 1.x: the secure files are IDs, the N of /cert/N.der, in the order key, certificate, CA, DH. */
export function fileId(f: BoardFile, ctx: SnippetContext): number {
  const m = /^\/cert\/(\d{1,3})\.der$/.exec(f.remote);
  const id = m ? Number(m[1]) : NaN;
  if (!(id > 0 && id < 256))
    throw new EtlsError(
      'unsupported',
      `profile "${ctx.profileName}" pushes ${f.local.rel} as ${f.remote}, but SlSockSecureFiles_t (CC3200 SDK 1.x) holds file IDs, the N of /cert/N.der (1-255)`,
      `Push it under a numbered name instead, e.g. /cert/${f.role === 'key' ? 129 : f.role === 'cert' ? 130 : 131}.der (push.files in embedded-tls.json), or use --for simplelink, which sets the names with sl_SetSockOpt.`,
    );
  return id;
}

export const CC3200_DEFAULT_IDS: Record<FileRole, number> = { key: 129, cert: 130, ca: 131 };

export function cc3200(
  ctx: SnippetContext,
  files: Partial<Record<FileRole, BoardFile>>,
  pushHint: string,
  title: string,
): string {
  const b = ctx.broker;
  const id = (r: FileRole) => (files[r] ? String(fileId(files[r]!, ctx)) : '0');
  return (
    top(title, [
      ` * CC3200 SDK 1.x: the secure files of a TLS connection to ${b.host}:${b.port}, by file ID`,
      " * (the N of /cert/N.der), in the order key, certificate, CA, DH (0 = none). Paho's",
      ' * MQTTCC3200 TLSConnectNetwork() passes them to sl_SetSockOpt(SL_SO_SECURE_FILES).',
      ...boardNote(files, pushHint),
    ]) +
    '#include "simplelink.h"\n#include "MQTTCC3200.h"\n\n' +
    'int etls_tls_connect(Network *n)\n{\n' +
    '    SlSockSecureFiles_t files;\n' +
    `    files.secureFiles[0] = ${id('key')}; /* private key: ${files.key?.remote ?? 'none'} */\n` +
    `    files.secureFiles[1] = ${id('cert')}; /* certificate: ${files.cert?.remote ?? 'none'} */\n` +
    `    files.secureFiles[2] = ${id('ca')}; /* CA: ${files.ca?.remote ?? 'none'} */\n` +
    '    files.secureFiles[3] = 0; /* DH: none */\n' +
    `    return TLSConnectNetwork(n, ${q(b.host)}, ${b.port}, &files, SL_SO_SEC_METHOD_TLSV1_2, SL_SEC_MASK_SECURE_DEFAULT, 1);\n}\n`
  );
}

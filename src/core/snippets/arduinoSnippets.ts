// Connection code for Arduino sketches: ESP32's WiFiClientSecure with PubSubClient, ESP8266's
// BearSSL classes, and WiFiNINA's WiFiSSLClient with ArduinoMqttClient.
import { cStringLiteral } from '../headers/cText';
import type { SnippetContext } from './context';
import { headerNote } from './cSnippets';
import type { CSymbol, HeaderSymbols } from './symbols';

const q = (s: string) => cStringLiteral(s, false);

function top(title: string, lines: string[]): string {
  return ['/*', ` * ${title}`, ...lines, ' */', ''].join('\n');
}

function connect(ctx: SnippetContext): string {
  const b = ctx.broker;
  return `    mqtt.setServer(${q(b.host)}, ${b.port});\n` + `    return mqtt.connect(${q(b.clientId)});\n`;
}

export function arduinoEsp32(ctx: SnippetContext, h: HeaderSymbols, title: string): string {
  const b = ctx.broker;
  const s = h.symbols;
  const lines = [`    net.setCACert(${s.ca!.name});`];
  if (s.cert && s.key)
    lines.push(`    net.setCertificate(${s.cert.name});`, `    net.setPrivateKey(${s.key.name});`);
  const alpn = b.alpn ? `static const char *alpn[] = { ${q(b.alpn)}, NULL };\n\n` : '';
  if (b.alpn) lines.push('    net.setAlpnProtocols(alpn);');
  return (
    top(title, [
      ` * ESP32 (Arduino core): WiFiClientSecure + PubSubClient to ${b.host}:${b.port} as ${b.clientId}.`,
      ' * Call etlsConnect() once WiFi is up; the clock must be set (configTime) for the date checks.',
      ...headerNote(h),
    ]) +
    `#include <WiFi.h>\n#include <WiFiClientSecure.h>\n#include <PubSubClient.h>\n#include ${q(h.include)}\n\n` +
    'WiFiClientSecure net;\nPubSubClient mqtt(net);\n' +
    alpn +
    '\nbool etlsConnect()\n{\n' +
    lines.join('\n') +
    '\n' +
    connect(ctx) +
    '}\n'
  );
}

function bearSslObject(type: 'X509List' | 'PrivateKey', name: string, s: CSymbol): string {
  return s.form === 'pem'
    ? `BearSSL::${type} ${name}(${s.name});`
    : `BearSSL::${type} ${name}(${s.name}, ${s.name}_len);`;
}

export function esp8266BearSsl(
  ctx: SnippetContext,
  h: HeaderSymbols,
  title: string,
  keys: { device?: 'rsa' | 'ec'; ca?: 'rsa' | 'ec' },
): string {
  const b = ctx.broker;
  const s = h.symbols;
  const objects = [bearSslObject('X509List', 'trustAnchors', s.ca!)];
  const lines = ['    net.setTrustAnchors(&trustAnchors);'];
  if (s.cert && s.key) {
    objects.push(
      bearSslObject('X509List', 'clientCert', s.cert),
      bearSslObject('PrivateKey', 'clientKey', s.key),
    );
    lines.push(
      keys.device === 'ec'
        ? `    net.setClientECCert(&clientCert, &clientKey, BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN, ${keys.ca === 'rsa' ? 'BR_KEYTYPE_RSA' : 'BR_KEYTYPE_EC'});`
        : '    net.setClientRSACert(&clientCert, &clientKey);',
    );
  }
  if (b.alpn)
    lines.push(
      `    /* The broker wants ALPN ${b.alpn}; BearSSL::WiFiClientSecure sends none: use port 8883. */`,
    );
  return (
    top(title, [
      ` * ESP8266 (Arduino core, BearSSL): BearSSL::WiFiClientSecure + PubSubClient to ${b.host}:${b.port}.`,
      ' * BearSSL checks dates: set the clock first (configTime and wait for time(nullptr) > 1e9).',
      ...headerNote(h),
    ]) +
    `#include <ESP8266WiFi.h>\n#include <WiFiClientSecure.h>\n#include <PubSubClient.h>\n#include ${q(h.include)}\n\n` +
    'BearSSL::WiFiClientSecure net;\n' +
    objects.join('\n') +
    '\nPubSubClient mqtt(net);\n\nbool etlsConnect()\n{\n' +
    lines.join('\n') +
    '\n' +
    connect(ctx) +
    '}\n'
  );
}

export function wifiNina(
  ctx: SnippetContext,
  h: HeaderSymbols | undefined,
  title: string,
  caDer: string,
): string {
  const b = ctx.broker;
  const cert = h?.symbols.cert;
  const eccx08 = cert
    ? '#ifdef ETLS_CLIENT_CERT_ECCX08\n' +
      '/* A broker that asks for a client certificate: WiFiSSLClient cannot send one. With the key in\n' +
      " * the board's ECC508/608 (slot 0), ArduinoBearSSL presents the certificate from the header. */\n" +
      '#include <ArduinoBearSSL.h>\n#include <ArduinoECCX08.h>\n' +
      `#include ${q(h!.include)}\n` +
      'unsigned long etlsTime() { return WiFi.getTime(); }\n' +
      'WiFiClient tcp;\nBearSSLClient net(tcp);\n' +
      '#else\nWiFiSSLClient net;\n#endif\n'
    : 'WiFiSSLClient net;\n';
  const setup = cert
    ? '#ifdef ETLS_CLIENT_CERT_ECCX08\n' +
      '    ArduinoBearSSL.onGetTime(etlsTime);\n' +
      `    net.setEccSlot(0, ${cert.name});\n` +
      '#endif\n'
    : '';
  return (
    top(title, [
      ` * WiFiNINA (MKR WiFi 1010, Nano 33 IoT, UNO WiFi Rev2): WiFiSSLClient + ArduinoMqttClient to`,
      ` * ${b.host}:${b.port}. The NINA module checks the broker against its own root store, so the CA`,
      ` * must be flashed into it: arduino-fwuploader certificates flash -b FQBN -a PORT -f ${caDer}`,
      ...(h ? headerNote(h) : []),
    ]) +
    '#include <WiFiNINA.h>\n#include <ArduinoMqttClient.h>\n\n' +
    eccx08 +
    'MqttClient mqtt(net);\n\nbool etlsConnect()\n{\n' +
    setup +
    `    mqtt.setId(${q(b.clientId)});\n` +
    `    return mqtt.connect(${q(b.host)}, ${b.port});\n}\n`
  );
}

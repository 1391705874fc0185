// `explain` on codes and lines: context and --target choose between libraries; the probe says the same thing.
import { strict as assert } from 'node:assert';
import { runCli } from '../../../src/cli/main';
import { advice, adviceForProbe, catalog, explain, probeKinds } from '../../../src/core/explain';
import { LineAnnotator, MONITOR_MARK, type MonitorChunk } from '../../../src/core/explain/monitor';
import { diagnosisCodes } from '../../../src/core/mqtt/types';
import { captureIo } from '../../support/cliIo';

const io = captureIo;

const best = (input: string, target?: string) => explain(input, target).explanations[0];

describe('explain: codes and lines', () => {
  it('reads mbedTLS codes as printed: negative hex, decimal, or the magnitude in hex', () => {
    for (const input of ['-0x2700', '-9984', 'mbedtls:0x2700', 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED'])
      assert.equal(best(input, 'esp32')?.name, 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED', input);
  });

  it('splits a combined mbedTLS code into its high- and low-level parts', () => {
    // mbedtls_pk_parse_key: PK_KEY_INVALID_FORMAT (-0x3D00) + ASN1_UNEXPECTED_TAG (-0x0062).
    const names = explain('mbedtls_pk_parse_key returned -0x3d62').explanations.map((x) => x.name);
    assert.deepEqual(names, ['MBEDTLS_ERR_PK_KEY_INVALID_FORMAT', 'MBEDTLS_ERR_ASN1_UNEXPECTED_TAG']);
  });

  it('lets the target choose between libraries for a bare number', () => {
    assert.equal(best('-457', 'cc3220')?.library, 'simplelink');
    assert.equal(best('-2', 'esp32')?.library, 'pubsubclient');
    assert.equal(best('62', 'esp8266')?.name, 'BR_ERR_X509_NOT_TRUSTED');
    assert.equal(best('-188', 'linux')?.name, 'ASN_NO_SIGNER_E');
    // Without a target, all candidates are listed, more than one library.
    const all = explain('-457').explanations;
    assert.ok(new Set(all.map((x) => x.library)).size > 1);
  });

  it("lets the line's tag choose: the same -2 is PubSubClient's or ArduinoMqttClient's", () => {
    assert.equal(best('failed, rc=-2 try again in 5 seconds')?.library, 'pubsubclient');
    assert.equal(best('MQTT connection failed! Error code = -2')?.library, 'arduinomqttclient');
  });

  it('decodes BearSSL received alerts (256 + alert)', () => {
    const x = best('bearssl:296');
    assert.match(x?.name ?? '', /BR_ERR_RECV_FATAL_ALERT \+ 40 \(handshake_failure\)/);
    assert.equal(x?.kind, 'handshake');
  });

  it('reads a broker-side alert from the board side', () => {
    const x = best('1680000000: OpenSSL Error[0]: error:0A000418:SSL routines::tlsv1 alert unknown ca');
    assert.equal(x?.name, 'SSL_R_TLSV1_ALERT_UNKNOWN_CA');
    assert.equal(x?.kind, 'server-untrusted');
    assert.match(x?.note ?? '', /board sent this alert/);
  });

  it('recognises nothing in ordinary output', () => {
    for (const line of [
      'I (100) wifi: connected',
      'hello world',
      'Free heap: 123456',
      'ets Jun  8 2016 00:22:57',
    ])
      assert.equal(explain(line).explanations.length, 0, line);
  });

  it('gives every probe diagnosis the same advice the catalog gives', () => {
    for (const code of diagnosisCodes) assert.equal(adviceForProbe(code), advice[probeKinds[code]]);
    assert.deepEqual(best('-0x2700')?.causes, advice['verify-failed'].causes);
  });
});

describe('etls explain', () => {
  it('prints JSON with the fields scripts rely on, and takes negative numbers as codes', async () => {
    const o = io();
    assert.equal(await runCli(['explain', '--json', '-0x2700', '--target', 'esp32'], o), 0);
    const rows = JSON.parse(o.stdout) as Record<string, unknown>[];
    assert.equal(rows[0]?.['library'], 'mbedtls');
    assert.equal(rows[0]?.['name'], 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED');
    for (const k of ['library', 'code', 'name', 'meaning', 'causes', 'fix', 'diagnose'])
      assert.ok(k in rows[0]!, k);
  });

  it('says "not recognised" and exits 1 for an unknown input', async () => {
    const o = io();
    assert.equal(await runCli(['explain', 'the board is on fire'], o), 1);
    assert.match(o.stderr, /not recognised: the board is on fire/);
  });

  it('rejects an unknown target with the list, and answers --help with 0', async () => {
    const o = io();
    assert.equal(await runCli(['explain', '-457', '--target', 'z80'], o), 2);
    assert.match(o.stderr, /not a known target/);
    const h = io();
    assert.equal(await runCli(['explain', '--help'], h), 0);
    assert.match(h.stdout, /etls explain CODE\|LINE/);
    const m = io();
    assert.equal(await runCli(['monitor', '--help'], m), 0);
  });
});

describe('the monitor annotator', () => {
  const text = (chunks: MonitorChunk[]) =>
    chunks.map((c) => (c.kind === 'board' ? Buffer.from(c.bytes).toString('latin1') : c.text)).join('');

  it('passes bytes through unchanged and explains a line split over reads', () => {
    const a = new LineAnnotator('esp32');
    const input = 'I (1) boot: ok\r\nE (5123) esp-tls-mbedtls: mbedtls_ssl_hand';
    const out = [...a.feed(Buffer.from(input)), ...a.feed(Buffer.from('shake returned -0x2700\r\n\xff\x00'))];
    const board = out
      .filter((c) => c.kind === 'board')
      .map((c) => Buffer.from((c as { bytes: Uint8Array }).bytes));
    assert.deepEqual(
      Buffer.concat(board),
      Buffer.concat([Buffer.from(input), Buffer.from('shake returned -0x2700\r\n\xff\x00')]),
    );
    assert.match(
      text(out),
      new RegExp(`-0x2700\\r\\n${MONITOR_MARK} mbedtls -0x2700 MBEDTLS_ERR_X509_CERT_VERIFY_FAILED`),
    );
  });

  it('strips colour codes before recognising, and forgets a half line on reset', () => {
    const a = new LineAnnotator('esp32');
    assert.match(
      text(
        a.feed(
          Buffer.from('\x1b[0;31mE (9) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x7780\x1b[0m\n'),
        ),
      ),
      /FATAL_ALERT/,
    );
    a.feed(Buffer.from('E (9) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x27'));
    a.reset();
    assert.doesNotMatch(text(a.feed(Buffer.from('00\n'))), /etls:/);
  });
});

describe('explain: the probe diagnosis codes', () => {
  it('explains every code `etls probe` prints with the catalog advice of the same kind', () => {
    for (const code of diagnosisCodes) {
      const x = explain(code).explanations[0];
      assert.equal(x?.library, 'etls-probe', code);
      assert.equal(x?.fix, advice[probeKinds[code]].fix, code);
    }
    // The board-side error and the probe's diagnosis of the same failure give the same fix.
    assert.equal(best('server-cert-untrusted')?.fix, best('wolfSSL error = -188')?.fix);
  });
});

describe('explain: every table entry, in the form its library prints it', () => {
  it('names every mbedTLS code from an ESP-IDF handshake line', () => {
    const misses: string[] = [];
    for (const e of catalog.filter((x) => x.library === 'mbedtls')) {
      const hex = `-0x${(-e.code).toString(16).toUpperCase().padStart(4, '0')}`;
      const names = explain(
        `E (5123) esp-tls-mbedtls: mbedtls_ssl_handshake returned ${hex}`,
      ).explanations.map((x) => x.name);
      if (!names.includes(e.name)) misses.push(`${hex} ${e.name}`);
    }
    assert.deepEqual(misses, []);
  });

  it('names every BearSSL code as the ESP8266 prints getLastSSLError()', () => {
    for (const e of catalog.filter((x) => x.library === 'bearssl' && x.code > 0 && x.code < 256))
      assert.equal(best(`SSL error code=${e.code}`, 'esp8266')?.name, e.name, String(e.code));
  });

  it('names every wolfSSL code from a wolfSSL_connect line', () => {
    for (const e of catalog.filter((x) => x.library === 'wolfssl'))
      assert.ok(
        explain(`wolfSSL_connect error ${e.code}`).explanations.some((x) => x.name === e.name),
        `${e.code} ${e.name}`,
      );
  });
});

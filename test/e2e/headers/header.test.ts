// etls header end to end: real openssl inputs, the built CLI, real gcc and g++.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls, requireBuiltCli, requireTool, scratchDir } from '../../support/realParts';
import { derOf, makePki, type Pki } from './pki';
import { pemWithNul, roundTrip, type Symbol } from './roundTrip';

describe('etls header (e2e: openssl, gcc, g++)', function () {
  this.timeout(180_000);
  let scratch: ReturnType<typeof scratchDir>;
  let pki: Pki;
  let n = 0;

  before(() => {
    for (const tool of ['openssl', 'gcc', 'g++']) requireTool(tool);
    requireBuiltCli();
    scratch = scratchDir('headers');
    pki = makePki(scratch.path);
  });
  after(() => scratch?.remove());

  /** A fresh output folder; runs etls header there and fails with its stderr when it fails. */
  function generate(args: string[]): string {
    const dir = join(scratch.path, `out${++n}`);
    mkdirSync(dir);
    const r = etls(['header', ...args], { cwd: dir });
    assert.equal(r.status, 0, `etls header ${args.join(' ')}\n${r.stderr}`);
    return dir;
  }

  const both = ['c', 'c++'] as const;
  const arrays = (...names: string[]): Symbol[] => names.map((name) => ({ name, size: 'len' }));
  const strings = (...names: string[]): Symbol[] => names.map((name) => ({ name, size: 'sizeof' }));

  it('DER arrays: DER input, PEM converted to DER, keys; same bytes back in C and C++', () => {
    const dir = generate([pki.caDer, pki.devicePem, pki.rsaKeyPkcs8, pki.deviceKey, '-o', 'certs.h']);
    const text = readFileSync(join(dir, 'certs.h'), 'utf8');
    assert.match(text, /^static const unsigned char ca_cert_der\[\] = \{$/m);
    assert.match(text, /WARNING: this holds a PRIVATE KEY/);
    for (const lang of both) {
      const out = roundTrip(
        dir,
        'certs.h',
        arrays('ca_cert_der', 'device_cert_der', 'rsa_key_der', 'device_key_der'),
        {
          lang,
        },
      );
      assert.deepEqual(out.get('ca_cert_der'), readFileSync(pki.caDer));
      assert.deepEqual(out.get('device_cert_der'), readFileSync(pki.deviceDer));
      assert.deepEqual(out.get('rsa_key_der'), derOf(pki.rsaKeyPkcs8, 'pkcs8'));
      assert.deepEqual(out.get('device_key_der'), derOf(pki.deviceKey, 'ec'));
    }
  });

  it('DER arrays with static, section, alignment, line width and a custom guard', () => {
    const args = [
      '--static',
      '--section',
      '.rodata.certs',
      '--align',
      '16',
      '--line-width',
      '7',
      '--guard',
      'MY_CERTS_H',
    ];
    const dir = generate([...args, '--name', 'root_ca', pki.caDer, '-o', 'certs.h']);
    const text = readFileSync(join(dir, 'certs.h'), 'utf8');
    assert.match(
      text,
      /^static const unsigned char root_ca\[\] __attribute__\(\(aligned\(16\), section\("\.rodata\.certs"\)\)\) = \{$/m,
    );
    assert.match(text, /^#ifndef MY_CERTS_H$/m);
    for (const lang of both)
      assert.deepEqual(
        roundTrip(dir, 'certs.h', arrays('root_ca'), { lang }).get('root_ca'),
        readFileSync(pki.caDer),
      );
  });

  it('a .h/.c split links from C and from C++', () => {
    const dir = generate(['--split', pki.caDer, pki.devicePem, '-o', 'certs.h']);
    assert.match(
      readFileSync(join(dir, 'certs.h'), 'utf8'),
      /^extern const unsigned char ca_cert_der\[\d+\];$/m,
    );
    for (const lang of both) {
      const out = roundTrip(dir, 'certs.h', arrays('ca_cert_der', 'device_cert_der'), {
        lang,
        sources: ['certs.c'],
      });
      assert.deepEqual(out.get('ca_cert_der'), readFileSync(pki.caDer));
      assert.deepEqual(out.get('device_cert_der'), readFileSync(pki.deviceDer));
    }
  });

  it('PEM strings are the PEM text plus its NUL, DER input converted to PEM', () => {
    const dir = generate([
      '--format',
      'pem',
      pki.caPem,
      pki.deviceDer,
      pki.deviceKey,
      pki.chainPem,
      '-o',
      'certs.h',
    ]);
    for (const lang of both) {
      const out = roundTrip(
        dir,
        'certs.h',
        [
          ...strings('ca_cert_pem', 'device_cert_pem', 'device_key_pem', 'chain_cert_pem'),
          ...arrays('ca_cert_pem'),
        ],
        { lang },
      );
      assert.deepEqual(out.get('ca_cert_pem'), pemWithNul(pki.caPem));
      assert.deepEqual(out.get('device_cert_pem'), pemWithNul(pki.devicePem));
      assert.deepEqual(out.get('device_key_pem'), pemWithNul(pki.deviceKey));
      assert.deepEqual(out.get('chain_cert_pem'), pemWithNul(pki.chainPem));
    }
  });

  it('PEM as a C++ raw string with PROGMEM', () => {
    const dir = generate(['--format', 'pem', '--pem-style', 'raw', '--progmem', pki.caPem, '-o', 'certs.h']);
    assert.match(
      readFileSync(join(dir, 'certs.h'), 'utf8'),
      /const char ca_cert_pem\[\] PROGMEM = R"EOF\(-----BEGIN CERTIFICATE-----\n/,
    );
    assert.deepEqual(
      roundTrip(dir, 'certs.h', strings('ca_cert_pem'), { lang: 'c++' }).get('ca_cert_pem'),
      pemWithNul(pki.caPem),
    );
  });

  it('FreeRTOS aws_clientcredential_keys.h: one quoted line per PEM line', () => {
    const dir = generate([
      '--layout',
      'freertos',
      pki.devicePem,
      pki.deviceKey,
      pki.caPem,
      '-o',
      'aws_clientcredential_keys.h',
    ]);
    const text = readFileSync(join(dir, 'aws_clientcredential_keys.h'), 'utf8');
    assert.match(text, /^#define keyCLIENT_CERTIFICATE_PEM \\\n {4}"-----BEGIN CERTIFICATE-----\\n" \\$/m);
    const lines = readFileSync(pki.devicePem, 'utf8').trimEnd().split('\n').length;
    const block = text.slice(text.indexOf('#define keyCLIENT_CERTIFICATE_PEM'));
    assert.equal(
      block
        .split('\n')
        .slice(1, lines + 1)
        .filter((l) => /^ {4}"[^"]*\\n"( \\)?$/.test(l)).length,
      lines,
    );
    const names = [
      'keyCLIENT_CERTIFICATE_PEM',
      'keyCLIENT_PRIVATE_KEY_PEM',
      'keyJITR_DEVICE_CERTIFICATE_AUTHORITY_PEM',
    ];
    for (const lang of both) {
      const out = roundTrip(dir, 'aws_clientcredential_keys.h', strings(...names), { lang });
      assert.deepEqual(out.get('keyCLIENT_CERTIFICATE_PEM'), pemWithNul(pki.devicePem));
      assert.deepEqual(out.get('keyCLIENT_PRIVATE_KEY_PEM'), pemWithNul(pki.deviceKey));
      assert.deepEqual(out.get('keyJITR_DEVICE_CERTIFICATE_AUTHORITY_PEM'), pemWithNul(pki.caPem));
    }
  });

  it('coreMQTT demo_config.h macros, with the broker endpoint', () => {
    const dir = generate([
      '--layout',
      'coremqtt',
      '--broker',
      'broker.example',
      '--port',
      '8883',
      '--client-id',
      'device-01',
      pki.caPem,
      pki.devicePem,
      pki.deviceKey,
      '-o',
      'demo_config.h',
    ]);
    const text = readFileSync(join(dir, 'demo_config.h'), 'utf8');
    assert.match(text, /^#define democonfigMQTT_BROKER_PORT \( 8883 \)$/m);
    const names = [
      'democonfigROOT_CA_PEM',
      'democonfigCLIENT_CERTIFICATE_PEM',
      'democonfigCLIENT_PRIVATE_KEY_PEM',
      'democonfigMQTT_BROKER_ENDPOINT',
      'democonfigCLIENT_IDENTIFIER',
    ];
    for (const lang of both) {
      const out = roundTrip(dir, 'demo_config.h', strings(...names), { lang });
      assert.deepEqual(out.get('democonfigROOT_CA_PEM'), pemWithNul(pki.caPem));
      assert.deepEqual(out.get('democonfigCLIENT_CERTIFICATE_PEM'), pemWithNul(pki.devicePem));
      assert.deepEqual(out.get('democonfigCLIENT_PRIVATE_KEY_PEM'), pemWithNul(pki.deviceKey));
      assert.equal(out.get('democonfigMQTT_BROKER_ENDPOINT')!.toString('latin1'), 'broker.example\0');
      assert.equal(out.get('democonfigCLIENT_IDENTIFIER')!.toString('latin1'), 'device-01\0');
    }
  });

  it('Arduino sketch header: PROGMEM raw strings (C++), quoted strings (C and C++), DER arrays', () => {
    const raw = generate(['--layout', 'arduino', pki.caPem, pki.devicePem, pki.deviceKey, '-o', 'secrets.h']);
    assert.match(
      readFileSync(join(raw, 'secrets.h'), 'utf8'),
      /^static const char AWS_CERT_CA\[\] PROGMEM = R"EOF\(-----BEGIN CERTIFICATE-----$/m,
    );
    const out = roundTrip(raw, 'secrets.h', strings('AWS_CERT_CA', 'AWS_CERT_CRT', 'AWS_CERT_PRIVATE'), {
      lang: 'c++',
    });
    assert.deepEqual(out.get('AWS_CERT_CA'), pemWithNul(pki.caPem));
    assert.deepEqual(out.get('AWS_CERT_CRT'), pemWithNul(pki.devicePem));
    assert.deepEqual(out.get('AWS_CERT_PRIVATE'), pemWithNul(pki.deviceKey));
    const quoted = generate(['--layout', 'arduino', '--pem-style', 'quoted', pki.caPem, '-o', 'secrets.h']);
    const der = generate(['--layout', 'arduino', '--format', 'der', pki.caPem, '-o', 'secrets.h']);
    for (const lang of both) {
      assert.deepEqual(
        roundTrip(quoted, 'secrets.h', strings('AWS_CERT_CA'), { lang }).get('AWS_CERT_CA'),
        pemWithNul(pki.caPem),
      );
      assert.deepEqual(
        roundTrip(der, 'secrets.h', arrays('AWS_CERT_CA'), { lang }).get('AWS_CERT_CA'),
        readFileSync(pki.caDer),
      );
    }
  });

  it('a PEM chain becomes one DER array per certificate', () => {
    const dir = generate([pki.chainPem, '-o', 'chain.h']);
    for (const lang of both) {
      const out = roundTrip(dir, 'chain.h', arrays('chain_cert_der_1', 'chain_cert_der_2'), { lang });
      assert.deepEqual(out.get('chain_cert_der_1'), readFileSync(pki.deviceDer));
      assert.deepEqual(out.get('chain_cert_der_2'), readFileSync(pki.caDer));
    }
  });
});

// Unit tests (plain Node): header generation, layouts, summaries and stale detection over an in-memory file system.
import { strict as assert } from 'node:assert';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describeObject, readObjects } from '../../../src/core/x509';
import {
  buildHeader,
  checkHeader,
  generateHeader,
  parseHeaderArgs,
  isPrivateKeyHeader,
  readManifest,
  regenerateCommand,
  specFromArgs,
  specsFromHeaderFile,
  summarize,
  writeHeader,
  type HeaderSpec,
} from '../../../src/core/headers';
import { EtlsError } from '../../../src/core/errors';
import { caPem, devPem, ecKeyPem } from './fixtures';
import { memoryFs } from './memoryFs';

const caDer = new Uint8Array(new X509Certificate(caPem).raw);
const keyPem = ecKeyPem();

function fs() {
  return memoryFs({
    '/p/certs/ca.der': caDer,
    '/p/certs/ca.pem': caPem,
    '/p/certs/device.pem': devPem,
    '/p/certs/device.key': keyPem,
    '/p/certs/chain.pem': devPem + caPem,
  });
}

const spec = (s: Partial<HeaderSpec> & { inputs: HeaderSpec['inputs'] }): HeaderSpec => ({
  output: '/p/include/certs.h',
  layout: 'c',
  ...s,
});

function throwsEtls(f: () => unknown, code: string, pattern: RegExp) {
  assert.throws(f, (e: unknown) => e instanceof EtlsError && e.code === code && pattern.test(e.message));
}

describe('header generation', () => {
  it('writes a static const DER array and its length, named for what it holds', async () => {
    const h = await generateHeader(fs(), spec({ inputs: [{ path: '/p/certs/ca.der' }] }));
    const text = h.files[0]!.text;
    assert.match(text, /^static const unsigned char ca_cert_der\[\] = \{\n {2}0x30, 0x82,/m);
    assert.match(text, new RegExp(`^static const unsigned int ca_cert_der_len = ${caDer.length};$`, 'm'));
    assert.match(text, /Source: {2}\.\.\/certs\/ca\.der/);
    assert.match(text, /Holds: {3}CA certificate CN=Fixture CA, self-signed, expires 2126-/);
    assert.match(text, /#ifndef CERTS_H/);
    assert.doesNotMatch(text, /20\d\d-\d\d-\d\dT|\d\d:\d\d:\d\d/, 'no timestamps');
    assert.equal(isPrivateKeyHeader(text), false);
  });

  it('is deterministic: same inputs, same bytes', async () => {
    const s = spec({ inputs: [{ path: '/p/certs/ca.pem' }, { path: '/p/certs/device.key' }], format: 'pem' });
    const a = await generateHeader(fs(), s);
    const b = await generateHeader(fs(), { ...s });
    assert.equal(a.files[0]!.text, b.files[0]!.text);
  });

  it('converts PEM input to DER, one array per block', async () => {
    const h = await generateHeader(fs(), spec({ inputs: [{ path: '/p/certs/chain.pem' }] }));
    assert.deepEqual(
      h.entries.map((e) => e.symbol),
      ['chain_cert_der_1', 'chain_cert_der_2'],
    );
    assert.deepEqual(h.entries[1]!.bytes, caDer);
    assert.match(h.files[0]!.text, /\(PEM block 2 of 2\)/);
  });

  it('writes NUL-terminated PEM strings, converting DER input', async () => {
    const h = await generateHeader(fs(), spec({ inputs: [{ path: '/p/certs/ca.der' }], format: 'pem' }));
    assert.equal(h.entries[0]!.pem, caPem);
    assert.match(
      h.files[0]!.text,
      /static const char ca_cert_pem\[\] =\n {2}"-----BEGIN CERTIFICATE-----\\n"\n/,
    );
    assert.match(h.files[0]!.text, new RegExp(`ca_cert_pem_len = ${caPem.length + 1};`));
  });

  it('keeps only the PEM blocks, with LF line ends, from files openssl pkcs12 or Windows wrote', async () => {
    const messy =
      'Bag Attributes\r\n    friendlyName: device\r\nsubject=CN = Fixture CA\r\n' +
      caPem.replace(/\n/g, '\r\n');
    const h = buildHeader(spec({ inputs: [{ path: '/p/messy.pem' }], format: 'pem' }), [
      { path: '/p/messy.pem', bytes: new TextEncoder().encode(messy) },
    ]);
    assert.equal(h.entries[0]!.pem, caPem);
  });

  it('applies static, section, alignment, line width and guard options', async () => {
    const text = (
      await generateHeader(
        fs(),
        spec({
          inputs: [{ path: '/p/certs/ca.der', name: 'root_ca' }],
          static: true,
          section: '.rodata.certs',
          align: 4,
          lineWidth: 8,
          guard: 'MY_GUARD',
        }),
      )
    ).files[0]!.text;
    assert.match(
      text,
      /^static const unsigned char root_ca\[\] __attribute__\(\(aligned\(4\), section\("\.rodata\.certs"\)\)\) = \{$/m,
    );
    assert.match(text, /^ {2}(0x[0-9a-f]{2}, ){7}0x[0-9a-f]{2},$/m);
    assert.match(text, /#ifndef MY_GUARD/);
    const none = (await generateHeader(fs(), spec({ inputs: [{ path: '/p/certs/ca.der' }], guard: false })))
      .files[0]!.text;
    assert.doesNotMatch(none, /#ifndef/);
    const plain = (await generateHeader(fs(), spec({ inputs: [{ path: '/p/certs/ca.der' }], static: false })))
      .files[0]!.text;
    assert.match(plain, /^const unsigned char ca_cert_der\[\] = \{$/m);
  });

  it('names DER and PEM arrays for their content, not for the file name', async () => {
    const h = await generateHeader(
      fs(),
      spec({
        inputs: [
          { path: '/p/certs/ca.pem' },
          { path: '/p/certs/device.pem' },
          { path: '/p/certs/device.key' },
        ],
      }),
    );
    assert.deepEqual(
      h.entries.map((e) => e.symbol),
      ['ca_cert_der', 'device_cert_der', 'device_key_der'],
    );
    const pem = await generateHeader(
      fs(),
      spec({ inputs: [{ path: '/p/certs/device.pem' }, { path: '/p/certs/device.key' }], format: 'pem' }),
    );
    assert.deepEqual(
      pem.entries.map((e) => e.symbol),
      ['device_cert_pem', 'device_key_pem'],
    );
  });

  it('splits declarations and definitions', async () => {
    const h = await generateHeader(fs(), spec({ inputs: [{ path: '/p/certs/ca.der' }], split: true }));
    assert.deepEqual(
      h.files.map((f) => f.path),
      ['/p/include/certs.h', '/p/include/certs.c'],
    );
    assert.match(
      h.files[0]!.text,
      new RegExp(`extern const unsigned char ca_cert_der\\[${caDer.length}\\];`),
    );
    assert.match(h.files[1]!.text, /#include "certs.h"\n\n[\s\S]*\nconst unsigned char ca_cert_der\[\] = \{/);
  });

  it('names the FreeRTOS, coreMQTT and Arduino roles from what each input is', async () => {
    const inputs = [
      { path: '/p/certs/ca.pem' },
      { path: '/p/certs/device.pem' },
      { path: '/p/certs/device.key' },
    ];
    const freertos = (await generateHeader(fs(), spec({ inputs, layout: 'freertos' }))).files[0]!.text;
    assert.match(
      freertos,
      /#define keyJITR_DEVICE_CERTIFICATE_AUTHORITY_PEM \\\n {4}"-----BEGIN CERTIFICATE-----\\n" \\\n/,
    );
    assert.match(freertos, /#define keyCLIENT_CERTIFICATE_PEM \\/);
    assert.match(
      freertos,
      /#define keyCLIENT_PRIVATE_KEY_PEM \\\n {4}"-----BEGIN EC PRIVATE KEY-----\\n" \\/,
    );
    assert.match(freertos, /WARNING: this holds a PRIVATE KEY/);
    assert.ok(isPrivateKeyHeader(freertos));
    const onlyCert = (await generateHeader(fs(), spec({ inputs: [inputs[1]!], layout: 'freertos' })))
      .files[0]!.text;
    assert.match(onlyCert, /#define keyJITR_DEVICE_CERTIFICATE_AUTHORITY_PEM NULL/);
    const coremqtt = (
      await generateHeader(
        fs(),
        spec({ inputs, layout: 'coremqtt', broker: { host: 'a.example', port: 8883, clientId: 'dev' } }),
      )
    ).files[0]!.text;
    for (const m of [
      'democonfigROOT_CA_PEM',
      'democonfigCLIENT_CERTIFICATE_PEM',
      'democonfigCLIENT_PRIVATE_KEY_PEM',
    ])
      assert.match(coremqtt, new RegExp(`#define ${m} \\\\`));
    assert.match(coremqtt, /#define democonfigMQTT_BROKER_ENDPOINT "a.example"/);
    const arduino = (await generateHeader(fs(), spec({ inputs, layout: 'arduino' }))).files[0]!.text;
    assert.match(arduino, /static const char AWS_CERT_CA\[\] PROGMEM = R"EOF\(-----BEGIN CERTIFICATE-----\n/);
    assert.match(arduino, /static const char AWS_CERT_PRIVATE\[\] PROGMEM/);
  });

  it('refuses what would not compile or would mislead', async () => {
    const f = fs();
    const bytes = (p: string) => ({ path: p, bytes: f.files.get(p)! });
    throwsEtls(
      () =>
        buildHeader(spec({ inputs: [{ path: '/p/certs/ca.pem' }], layout: 'freertos', format: 'der' }), [
          bytes('/p/certs/ca.pem'),
        ]),
      'invalid-argument',
      /PEM strings/,
    );
    throwsEtls(
      () =>
        buildHeader(
          spec({ inputs: [{ path: '/p/certs/ca.pem' }, { path: '/p/certs/ca.der' }], layout: 'coremqtt' }),
          [bytes('/p/certs/ca.pem'), bytes('/p/certs/ca.der')],
        ),
      'invalid-argument',
      /both be democonfigROOT_CA_PEM/,
    );
    throwsEtls(
      () => buildHeader(spec({ inputs: [{ path: '/x', name: '1bad' }] }), [{ path: '/x', bytes: caDer }]),
      'invalid-argument',
      /legal C identifier/,
    );
    throwsEtls(
      () =>
        buildHeader(spec({ inputs: [{ path: '/x' }], static: true, split: true }), [
          { path: '/x', bytes: caDer },
        ]),
      'invalid-argument',
      /exclude/,
    );
    throwsEtls(
      () => buildHeader(spec({ inputs: [{ path: '/x' }] }), [{ path: '/x', bytes: new Uint8Array(0) }]),
      'empty',
      /empty/,
    );
    throwsEtls(
      () =>
        buildHeader(spec({ inputs: [{ path: '/x' }], format: 'pem' }), [
          { path: '/x', bytes: new Uint8Array([1, 2, 3]) },
        ]),
      'unrecognized',
      /no PEM form/,
    );
    throwsEtls(
      () =>
        buildHeader(spec({ inputs: [{ path: '/x' }] }), [
          { path: '/x', bytes: new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nMIIB') },
        ]),
      'malformed',
      /no complete PEM block/,
    );
  });

  it('refuses a damaged PEM block next to good ones instead of copying it into firmware', () => {
    const damaged = caPem.replace(/\n(.)(.)/, '\n$1!');
    throwsEtls(
      () =>
        buildHeader(spec({ inputs: [{ path: '/x' }], format: 'pem' }), [
          { path: '/x', bytes: new TextEncoder().encode(devPem + damaged) },
        ]),
      'malformed',
      /x: line \d+ of the CERTIFICATE block is not base64$/,
    );
  });

  it('puts a legacy-encrypted key into a PEM string as it is, and explains why there is no DER array', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const locked = privateKey
      .export({ format: 'pem', type: 'sec1', cipher: 'aes-128-cbc', passphrase: 'pass phrase' })
      .toString();
    const input = [{ path: '/p/locked.key', bytes: new TextEncoder().encode(locked) }];
    const pem = buildHeader(spec({ inputs: [{ path: '/p/locked.key' }], format: 'pem' }), input);
    assert.equal(pem.entries[0]!.pem, locked);
    assert.ok(pem.holdsPrivateKey);
    throwsEtls(
      () => buildHeader(spec({ inputs: [{ path: '/p/locked.key' }] }), input),
      'encrypted',
      /legacy PEM encryption/,
    );
  });

  it('keeps arbitrary binary as a DER array', async () => {
    const h = buildHeader(spec({ inputs: [{ path: '/p/blob.bin' }] }), [
      { path: '/p/blob.bin', bytes: new Uint8Array([1, 2, 3]) },
    ]);
    assert.match(h.files[0]!.text, /Holds: {3}3 bytes, not a certificate or key/);
  });

  it('records a command line that rebuilds the same header', async () => {
    const s = spec({
      inputs: [{ path: '/p/certs/my cert.pem' }, { path: '/p/certs/device.key', name: 'client_key' }],
      format: 'pem',
      static: true,
      lineWidth: 16,
      section: '.certs',
    });
    const cmd = regenerateCommand(s);
    assert.equal(
      cmd,
      'etls header --format pem --static --section .certs --line-width 16 --name "" --name client_key -o certs.h "../certs/my cert.pem" ../certs/device.key',
    );
    const recorded = readManifest(
      `/*\n * x.h: generated by etls header.\n * Regenerate (in this folder): ${cmd}\n */\n`,
    )!;
    const again = specFromArgs(parseHeaderArgs(recorded.regenerateArgs), '/p/include');
    assert.deepEqual(again, {
      ...s,
      inputs: [{ path: '/p/certs/my cert.pem' }, { path: '/p/certs/device.key', name: 'client_key' }],
    });
  });
});

describe('stale detection', () => {
  it('is up to date right after writing, stale once a source changes, and says which array', async () => {
    const f = fs();
    const s = spec({ inputs: [{ path: '/p/certs/ca.der' }, { path: '/p/certs/device.pem' }] });
    await writeHeader(f, await generateHeader(f, s));
    assert.deepEqual(await checkHeader(f, s), { upToDate: true, stale: [] });
    f.files.set('/p/certs/device.pem', new TextEncoder().encode(caPem));
    const result = await checkHeader(f, s);
    assert.equal(result.upToDate, false);
    assert.equal(result.stale.length, 1);
    assert.match(result.stale[0]!.reason, /^device_cert_der is stale: \.\.\/certs\/device\.pem changed/);
    const text = new TextDecoder().decode(f.files.get('/p/include/certs.h'));
    assert.match(
      text.split('\n')[result.stale[0]!.line - 1]!,
      /^static const unsigned char device_cert_der\[\]/,
    );
  });

  it('calls a hand-edited header stale too, and a missing one', async () => {
    const f = fs();
    const s = spec({ inputs: [{ path: '/p/certs/ca.der' }] });
    assert.match((await checkHeader(f, s)).stale[0]!.reason, /not been generated/);
    await writeHeader(f, await generateHeader(f, s));
    const text = new TextDecoder()
      .decode(f.files.get('/p/include/certs.h'))
      .replace('0x30, 0x82', '0x31, 0x82');
    f.files.set('/p/include/certs.h', new TextEncoder().encode(text));
    assert.match((await checkHeader(f, s)).stale[0]!.reason, /edited by hand/);
  });

  it('rebuilds the spec from the header itself', async () => {
    const f = fs();
    const s = spec({ inputs: [{ path: '/p/certs/ca.der', name: 'root' }], static: true });
    await writeHeader(f, await generateHeader(f, s));
    // The outputs stay in the header's folder (no embedded-tls.json above it here).
    assert.deepEqual(await specsFromHeaderFile(f, '/p/include/certs.h'), [{ ...s, root: '/p/include' }]);
    const manifest = readManifest(new TextDecoder().decode(f.files.get('/p/include/certs.h')))!;
    assert.deepEqual(
      manifest.entries.map((e) => [e.symbol, e.source]),
      [['root', '../certs/ca.der']],
    );
  });
});

describe('header summaries', () => {
  it('word certificates exactly as the certificate reader describes them', () => {
    for (const pem of [caPem, devPem]) {
      const der = new Uint8Array(new X509Certificate(pem).raw);
      const found = readObjects(der).objects[0]!.object;
      assert.equal(summarize(der).text, describeObject(found));
    }
  });

  it('describe keys with the reader and flag them as private', () => {
    const s = summarize(new Uint8Array(createPrivateKey(keyPem).export({ format: 'der', type: 'pkcs8' })));
    assert.equal(s.kind, 'privateKey');
    assert.match(s.text, /^EC P-256 private key, PKCS#8|private key, PKCS#8/);
  });
});

import assert from 'node:assert/strict';
import { parsePemBlocks, type CertificateInfo, type PrivateKeyInfo } from '../../../src/core/x509';
import { fixture, fixtureText, text } from './helpers';

function cArray(name: string, bytes: Uint8Array, perLine = 12): string {
  const hex = Array.from(bytes, (b) => '0x' + b.toString(16).toUpperCase().padStart(2, '0'));
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += perLine) lines.push('    ' + hex.slice(i, i + perLine).join(', '));
  return `unsigned char ${name}[] = {\n${lines.join(',\n')}\n};\n`;
}

function cStringLines(pem: string): string {
  return pem
    .trimEnd()
    .split('\n')
    .map((l) => `"${l}\\n"`)
    .join('\n');
}

describe('certificates and keys in C sources', () => {
  it('decodes a DER key pasted into a byte array and names the array', () => {
    const src = `#include <stdint.h>\n/* from the forum */\n${cArray('private_key_der2', fixture('rsa-pkcs1.der'))}int x = 1;\n`;
    const r = text(src, 'certs.h');
    assert.equal(r.problems.length, 0);
    const f = r.objects[0]!;
    assert.equal(f.location.container, 'c-array');
    assert.equal(f.location.symbol, 'private_key_der2');
    assert.equal(f.location.start.line, 2);
    assert.equal((f.object as PrivateKeyInfo).format, 'PKCS#1');
    assert.equal((f.object as PrivateKeyInfo).publicKey?.bits, 2048);
  });

  it('reports a pasted array that stops early as truncated, with byte counts and the line', () => {
    const der = fixture('device-01.der');
    const src = `const uint8_t cert[] = { ${Array.from(der.subarray(0, 300), (b) => '0x' + b.toString(16)).join(', ')} /* goes on ... */ };`;
    const r = text(src, 'main.c');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.code, 'truncated');
    assert.equal(r.problems[0]!.message, `DER certificate truncated: 300 of ${der.length} bytes`);
    assert.equal(r.problems[0]!.location?.symbol, 'cert');
  });

  it('ignores byte arrays that are not DER', () => {
    assert.deepEqual(
      text('static const uint8_t lut[] = { 0x01, 0x30, 0x82 };\nint y[] = {48};', 'a.c').objects,
      [],
    );
  });

  it('reads PEM from concatenated string literals, a macro with continuations, and a raw string', () => {
    const ca = fixtureText('ca.pem');
    const dev = fixtureText('device-01.pem');
    const key = fixtureText('device-01.ec.key');
    const src = [
      `static const char root_ca[] =\n${cStringLines(ca)};`,
      `#define keyCLIENT_CERTIFICATE_PEM \\\n${cStringLines(dev).replace(/\n/g, ' \\\n')}`,
      `const char key[] PROGMEM = R"EOF(\n${key})EOF";`,
    ].join('\n\n');
    const r = text(src, 'aws_clientcredential_keys.h');
    assert.equal(r.problems.length, 0, r.problems.map((p) => p.message).join());
    assert.deepEqual(
      r.objects.map((o) => [o.location.container, o.location.symbol, o.object.kind]),
      [
        ['c-string', 'root_ca', 'certificate'],
        ['c-string', 'keyCLIENT_CERTIFICATE_PEM', 'certificate'],
        ['c-string', 'key', 'privateKey'],
      ],
    );
    assert.equal((r.objects[1]!.object as CertificateInfo).subject.commonName, 'device-01');
  });

  it('does not mistake PEM in comments for code, and keeps string escapes straight', () => {
    const ca = fixtureText('ca.pem');
    const src = `// "-----BEGIN CERTIFICATE-----"\n/* ${ca} */\nconst char *s = "a\\"b";`;
    assert.deepEqual(text(src, 'x.c').objects, []);
    const der = parsePemBlocks(ca).blocks[0]!.der;
    assert.ok(der.length > 0);
  });
});

describe('the C tokenizer behind the scan', () => {
  const der = () => fixture('device-01.der');
  const hex = (b: Uint8Array, f = (x: number) => '0x' + x.toString(16).padStart(2, '0')) =>
    Array.from(b, f).join(', ');

  it('reads casts, decimal, octal and suffixed items, and #if lines inside an initialiser', () => {
    const b = der();
    const items = Array.from(b, (x, i) =>
      i % 4 === 0
        ? `(uint8_t)0x${x.toString(16)}`
        : i % 4 === 1
          ? String(x)
          : i % 4 === 2
            ? `0${x.toString(8)}`
            : `0x${x.toString(16)}u`,
    );
    items.splice(10, 0, '\n#if 1\n'); // a preprocessor line between two items
    const src = `const uint8_t cert[] = {${items.slice(0, 10).join(', ')},${items[10]}${items.slice(11).join(', ')}};`;
    const r = text(src, 'a.c');
    assert.deepEqual(r.problems, []);
    assert.equal((r.objects[0]!.object as CertificateInfo).subject.commonName, 'device-01');
  });

  it('ignores braces and byte lists inside strings, char literals and comments', () => {
    const src = [
      `const char *s = "{ ${hex(der().subarray(0, 40))} }";`,
      `char c = '{'; /* { ${hex(der().subarray(0, 40))} } */`,
      `// { ${hex(der().subarray(0, 40))} }`,
      `const char *t = "*/ // not a comment";`,
    ].join('\n');
    const r = text(src, 'a.c');
    assert.deepEqual([r.objects, r.problems], [[], []]);
  });

  it('reads a DER certificate per row of a two-dimensional array, each with the array name', () => {
    const b = der();
    const src = `static const unsigned char chain[][${b.length}] = {\n  { ${hex(b)} },\n  { ${hex(b)} },\n};`;
    const r = text(src, 'chain.h');
    assert.deepEqual(
      r.objects.map((o) => [o.location.symbol, o.location.start.line]),
      [
        ['chain', 1],
        ['chain', 2],
      ],
    );
  });

  it('reads raw strings with delimiters and with `)"` inside, after an unterminated one', () => {
    const ca = fixtureText('ca.pem');
    const src = [
      'const char *broken = R"x(never closed;',
      `const char *note = R"(a ")" inside)";`,
      `const char ca[] = R"PEM(${ca})PEM";`,
      `const char8_t ca8[] = u8R"--(${ca})--";`,
    ].join('\n');
    const r = text(src, 'raw.cpp');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.objects.map((o) => [o.location.symbol, o.location.start.line]),
      [
        ['ca', 2],
        ['ca8', src.split('\n').findIndex((l) => l.startsWith('const char8_t'))],
      ],
    );
  });

  it('names literals after placement attributes and in struct fields', () => {
    const ca = fixtureText('ca.pem').trimEnd().split('\n');
    const lines = ca.map((l) => `    "${l}\\n"`).join('\n');
    const src = [
      `static const char root_ca[] __attribute__((aligned(4))) PROGMEM =\n${lines};`,
      `const struct tls_conf conf = {\n  .port = 8883,\n  .ca_pem =\n${lines},\n  .verify = 1,\n};`,
    ].join('\n');
    const r = text(src, 'conf.c');
    assert.deepEqual(
      r.objects.map((o) => o.location.symbol),
      ['root_ca', 'ca_pem'],
    );
  });

  it('finishes on unterminated comments, strings, directives and braces with what it found before', () => {
    const pem = fixtureText('ca.pem')
      .trimEnd()
      .split('\n')
      .map((l) => `"${l}\\n"`)
      .join('\n');
    for (const tail of ['/* open', '"open', "'", '#define X \\', '{ 0x30, 0x82', 'R"(', '#if 1 /* x']) {
      const r = text(`const char ca[] = ${pem};\n${tail}`, 'a.c');
      assert.equal(r.objects.length, 1, tail);
      assert.equal(r.objects[0]!.location.symbol, 'ca', tail);
    }
  });
});

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

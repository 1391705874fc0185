// Hovers over PEM blocks and C initialisers (src/extension/explorer/hoverContent.ts).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeObject, readObjects } from '../../../src/core/x509';
import { hoverAt, mayHoldObjects } from '../../../src/extension/explorer/hoverContent';
import { type Fixture, makeFixture } from '../../support/workspaceFixture';

describe('hovers', () => {
  let fx: Fixture;
  before(async () => {
    fx = await makeFixture();
  });
  after(() => fx.remove());

  const read = (rel: string) => {
    const bytes = readFileSync(join(fx.dir, rel));
    return { text: bytes.toString('latin1'), result: readObjects(bytes, { fileName: join(fx.dir, rel) }) };
  };
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

  it('summarises the private key under the cursor in a PEM file', () => {
    const { text, result } = read('certs/device-01.key');
    assert.ok(mayHoldObjects(text));
    const hit = hoverAt(result, 3, 5, 'certs/device-01.key', describeObject, Date.now());
    assert.ok(hit, 'a hover inside the block');
    assert.match(hit.markdown, /RSA\\-2048 private key/);
    assert.equal(hit.range.line, 0);
    assert.doesNotMatch(hit.markdown, /MII/, 'no key material in a hover');
  });

  it('summarises the certificate in a C byte-array initialiser and in a PEM string literal', () => {
    const { text, result } = read('main/certs.c');
    const arrayLine = lineOf(text, 'device_cert_der');
    const hit = hoverAt(result, arrayLine + 1, 4, 'main/certs.c', describeObject, Date.now());
    assert.ok(hit, `a hover inside the array at line ${arrayLine + 1}`);
    assert.match(hit.markdown, /certificate CN=device\\-01, issued by Dev CA, expires \d{4}\\-\d\d\\-\d\d/);
    assert.match(hit.markdown, /C byte array/);
    const stringLine = lineOf(text, 'root_ca_pem');
    const ca = hoverAt(result, stringLine + 2, 6, 'main/certs.c', describeObject, Date.now());
    assert.ok(ca, `a hover inside the PEM string at line ${stringLine + 2}`);
    assert.match(ca.markdown, /CN=Dev CA/);
    assert.match(ca.markdown, /C string/);
  });

  it('summarises a FreeRTOS-style PEM macro, one quoted line per PEM line', () => {
    const pem = readFileSync(join(fx.dir, 'certs/device-01.pem'), 'utf8').trim().split('\n');
    const lines = pem.map((l, i) => `    "${l}\\n"${i < pem.length - 1 ? ' \\' : ''}`);
    const c = [
      '#define keyCLIENT_CERTIFICATE_PEM \\',
      ...lines,
      '#define keyCLIENT_PRIVATE_KEY_PEM NULL',
    ].join('\n');
    const result = readObjects(new TextEncoder().encode(c), { fileName: 'aws_clientcredential_keys.h' });
    const hit = hoverAt(result, 3, 10, 'aws_clientcredential_keys.h', describeObject, Date.now());
    assert.ok(hit, 'a hover inside the macro');
    assert.match(hit.markdown, /certificate CN=device\\-01, issued by Dev CA/);
    assert.match(hit.markdown, /C string keyCLIENT\\_CERTIFICATE\\_PEM/);
    assert.equal(hoverAt(result, pem.length + 1, 10, 'x.h', describeObject, Date.now()), undefined);
  });

  it('stays silent outside any object, and in files that hold none', () => {
    const { result } = read('main/certs.c');
    assert.equal(hoverAt(result, 0, 0, 'main/certs.c', describeObject, Date.now()), undefined);
    assert.equal(mayHoldObjects('int main(void) { return 0; }'), false);
  });

  it('explains a damaged PEM block instead of summarising it', () => {
    const { text } = read('certs/ca.pem');
    const broken = text.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    const result = readObjects(new TextEncoder().encode(broken), { fileName: 'ca.pem' });
    const hit = hoverAt(result, 0, 12, 'ca.pem', describeObject, Date.now());
    assert.ok(hit);
    assert.match(hit.markdown, /^\*\*Unreadable\*\*/);
  });
});

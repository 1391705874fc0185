// The HTML of the binary certificate viewer (src/extension/inspect/certificateViewerHtml.ts).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeObject, objectReport, readObjects } from '../../../src/core/x509';
import { escapeHtml, renderViewerHtml } from '../../../src/extension/inspect/certificateViewerHtml';
import { type Fixture, makeFixture } from '../../support/workspaceFixture';

describe('certificate viewer HTML', () => {
  let fx: Fixture;
  before(async () => {
    fx = await makeFixture();
  });
  after(() => fx.remove());

  const render = (rel: string, passphrase?: string) => {
    const bytes = readFileSync(join(fx.dir, rel));
    const result = readObjects(bytes, passphrase ? { fileName: rel, passphrase } : { fileName: rel });
    return renderViewerHtml({
      fileName: rel,
      result,
      describe: describeObject,
      now: Date.now(),
      nonce: 'n0nce',
    });
  };

  it('shows a DER certificate decoded, under a CSP that loads and runs nothing', () => {
    const html = render('certs/device-01.der');
    assert.match(html, /default-src 'none'; style-src 'nonce-n0nce';/);
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /certificate CN=device-01, issued by Dev CA/);
    // The rows etls inspect prints, in its format: key identifiers, both fingerprints, the key's hash.
    assert.match(html, /<th scope="row">SHA-256<\/th><td>([0-9A-F]{2}:){31}[0-9A-F]{2}<\/td>/);
    assert.match(html, /<th scope="row">SHA-1<\/th><td>([0-9A-F]{2}:){19}[0-9A-F]{2}<\/td>/);
    assert.match(html, /<th scope="row">Subject key id<\/th>/);
    assert.match(html, /<th scope="row">Authority key id<\/th>/);
    assert.match(html, /<th scope="row">Public key SHA-256<\/th><td>[0-9a-f]{64}<\/td>/);
    const cli = objectReport(
      readObjects(readFileSync(join(fx.dir, 'certs/device-01.der'))).objects[0]!.object,
      Date.now(),
    );
    for (const line of cli) {
      const [label, value] = [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()];
      assert.ok(
        html.includes(`<th scope="row">${label}</th><td>${escapeHtml(value)}</td>`),
        `the viewer lacks the CLI's row ${line}`,
      );
    }
  });

  it("lists the file's findings, escaped, above the decoded objects", () => {
    const bytes = readFileSync(join(fx.dir, 'certs/device-01.der'));
    const html = renderViewerHtml({
      fileName: 'certs/device-01.der',
      result: readObjects(bytes, { fileName: 'certs/device-01.der' }),
      describe: describeObject,
      now: Date.now(),
      nonce: 'n0nce',
      findings: [{ severity: 'error', message: 'key <x> does not match', code: 'key-mismatch' }],
    });
    assert.match(
      html,
      /<h2>Findings<\/h2><ul><li class="error"><strong>error<\/strong> key &#60;x&#62; does not match <code>key-mismatch<\/code><\/li>/,
    );
    assert.ok(html.indexOf('Findings') < html.indexOf('1. device-01'));
    assert.doesNotMatch(render('certs/device-01.der'), /Findings/);
  });

  it('opens a PKCS#12 bundle with its password and lists what it holds, without key material', () => {
    const html = render('certs/device-01.p12', 'secret');
    assert.match(html, /device-01/);
    assert.match(html, /private key/i);
    assert.doesNotMatch(html, /MII[A-Za-z0-9+/]{20}|PRIVATE KEY-----/);
  });

  it('escapes names from the file, so a certificate cannot inject markup', () => {
    const html = renderViewerHtml({
      fileName: '<img src=x onerror=alert(1)>.der',
      result: { objects: [], problems: [{ index: 0, code: 'malformed', message: '<b>bad</b>' }] },
      describe: describeObject,
      now: 0,
      nonce: 'n',
    });
    assert.doesNotMatch(html, /<img|<b>/);
    assert.match(html, /No certificate, key or CSR was found/);
  });
});

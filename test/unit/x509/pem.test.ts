import assert from 'node:assert/strict';
import { parsePemBlocks, toPem, type CertificateInfo } from '../../../src/core/x509';
import { fixtureText, text } from './helpers';

describe('PEM reading', () => {
  const ca = fixtureText('ca.pem');
  const dev = fixtureText('device-01.pem');
  const key = fixtureText('rsa-pkcs1.key');

  it('finds several blocks with text around them, in file order', () => {
    const r = text(
      `Bag Attributes\n    friendlyName: x\nsubject=/CN=Example Dev CA\n${ca}\nsome notes\n${dev}${key}trailing`,
    );
    assert.equal(r.problems.length, 0);
    assert.deepEqual(
      r.objects.map((o) => [o.index, o.object.kind, o.location.pemLabel]),
      [
        [0, 'certificate', 'CERTIFICATE'],
        [1, 'certificate', 'CERTIFICATE'],
        [2, 'privateKey', 'RSA PRIVATE KEY'],
      ],
    );
    assert.equal(r.objects[0]!.location.start.line, 3);
  });

  it('accepts CRLF line ends and stray indentation', () => {
    const mangled = ca
      .split('\n')
      .map((l, i) => (i % 2 ? '   ' + l : '\t' + l))
      .join('\r\n');
    const r = text(mangled);
    assert.equal(r.problems.length, 0);
    assert.equal((r.objects[0]!.object as CertificateInfo).subject.commonName, 'Example Dev CA');
  });

  it('reads TRUSTED CERTIFICATE blocks, ignoring the trust settings after the certificate', () => {
    const der = parsePemBlocks(ca).blocks[0]!.der;
    const aux = Buffer.from([
      0x30, 0x0c, 0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01,
    ]);
    const trusted = toPem('TRUSTED CERTIFICATE', new Uint8Array(Buffer.concat([der, aux])));
    const r = text(trusted);
    assert.equal(r.problems.length, 0);
    assert.equal((r.objects[0]!.object as CertificateInfo).subject.commonName, 'Example Dev CA');
  });

  it('reads NEW CERTIFICATE REQUEST as a CSR', () => {
    const csr = fixtureText('device-01.csr').replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST');
    assert.equal(text(csr).objects[0]?.object.kind, 'csr');
  });

  it('reports a block without END as truncated, and keeps reading the next one', () => {
    const cut = ca.split('\n').slice(0, 8).join('\n') + '\n' + dev;
    const r = text(cut);
    assert.equal(r.problems[0]?.code, 'truncated');
    assert.match(r.problems[0]!.message, /CERTIFICATE PEM block has no END line/);
    assert.equal(r.objects.length, 1);
  });

  it('reports a block whose base64 is missing lines as a truncated certificate, with byte counts', () => {
    const lines = ca.split('\n');
    const short = [...lines.slice(0, 5), ...lines.slice(-3)].join('\n');
    const r = text(short);
    assert.equal(r.problems[0]?.code, 'truncated');
    assert.match(r.problems[0]!.message, /^certificate truncated: \d+ of \d+ bytes$/);
  });

  it('names base64 damage by line', () => {
    const r = text(ca.replace(/\n(.)(.)/, '\n$1!'));
    assert.equal(r.problems[0]?.code, 'malformed');
    assert.match(r.problems[0]!.message, /line 2 of the CERTIFICATE block is not base64/);
  });

  it('explains labels it does not read, with the fix', () => {
    const r = text('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
    assert.equal(r.problems[0]?.code, 'unsupported');
    assert.match(r.problems[0]!.fix ?? '', /ssh-keygen -p -m PEM/);
  });

  it('writes PEM with 64-character lines that reads back to the same bytes', () => {
    const der = parsePemBlocks(dev).blocks[0]!.der;
    const pem = toPem('CERTIFICATE', der);
    assert.ok(pem.split('\n').every((l) => l.length <= 64));
    assert.deepEqual(Buffer.from(parsePemBlocks(pem).blocks[0]!.der), Buffer.from(der));
    assert.equal(pem, dev);
  });
});

describe('PEM problem locations', () => {
  it('spans the BEGIN marker of a damaged block, so editors can underline it', () => {
    const r = text('notes\n  -----BEGIN CERTIFICATE-----\nMIIB\n');
    const loc = r.problems[0]!.location!;
    assert.deepEqual(
      [loc.start, loc.end],
      [
        { line: 1, column: 2 },
        { line: 1, column: 2 + '-----BEGIN CERTIFICATE-----'.length },
      ],
    );
  });
});

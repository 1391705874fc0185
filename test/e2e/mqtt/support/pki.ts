// Test PKI for the MQTT e2e matrix, made with the real openssl CLI in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenSslPki, type Issued } from '../../../support/openssl';
import { run } from '../../../support/realParts';

export interface TestPki {
  dir: string;
  /** Path of a file in the PKI folder. */
  file(name: string): string;
  remove(): void;
}

const LEAF = ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature, keyEncipherment'];

/**
 * Two unrelated roots named after the CC3200 story (the broker's real root and the stale one a user
 * downloaded), a server certificate per case, and device certificates from each root.
 */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'etls-mqtt-pki-'));
  const pki = new OpenSslPki(dir);
  const ca = pki.root('ca', '/O=etls test/CN=Test Amazon Root CA 1');
  const otherca = pki.root('otherca', '/O=etls test/CN=Test VeriSign Class 3 Public Primary CA - G5');
  const leaf = (
    issuer: Issued,
    name: string,
    cn: string,
    o: { san?: string; start?: string; end?: string } = {},
  ) =>
    pki.issue(name, `/CN=${cn}`, issuer, {
      ext: [...LEAF, ...(o.san ? [`subjectAltName=${o.san}`] : [])],
      ...(o.start ? { start: o.start, end: o.end ?? '20991231000000Z' } : { days: 825 }),
    });
  const san = 'DNS:localhost,IP:127.0.0.1';
  leaf(ca, 'server', 'localhost', { san });
  leaf(ca, 'server-wrongname', 'broker.example.com', { san: 'DNS:broker.example.com' });
  leaf(ca, 'server-expired', 'localhost', { san, start: '20200101000000Z', end: '20210101000000Z' });
  leaf(ca, 'server-future', 'localhost', { san, start: '20980101000000Z', end: '20990101000000Z' });
  leaf(ca, 'device', 'device-01');
  leaf(otherca, 'device-foreign', 'device-02');
  // An encrypted copy of the device key, to exercise the pass phrase path.
  run('openssl', [
    'pkey',
    '-in',
    pki.path('device.key'),
    '-out',
    pki.path('device-enc.key'),
    '-aes256',
    '-passout',
    'pass:s3cret',
  ]);
  return {
    dir,
    file: (name) => pki.path(name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// The broker's name, checked as a board checks it: a real mosquitto over TLS with certificates that carry
// only an IP SAN, only a DNS SAN, only a CN, or both, dialled by IP and by name; openssl s_client decides.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenSslPki, type Issued } from '../../support/openssl';
import { requireBuiltCli, requireTool } from '../../support/realParts';
import { startMosquitto, type RunningBroker } from './support/broker';
import { etlsAsync } from './support/cli';

const LEAF = ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature, keyEncipherment'];

/** name, subject CN, subjectAltName (none when empty) */
const certs: [string, string, string][] = [
  ['ip-only', 'device-broker', 'IP:127.0.0.1'],
  ['dns-only', 'localhost', 'DNS:localhost'],
  ['cn-only', 'localhost', ''],
  ['dns-and-ip', 'broker.local', 'DNS:broker.local,IP:127.0.0.1'],
];

describe('broker certificate names against real mosquitto, openssl s_client as the oracle', function () {
  this.timeout(120_000);
  let dir: string;
  let pki: OpenSslPki;
  const brokers: Record<string, RunningBroker> = {};

  before(async () => {
    requireTool('mosquitto', 'apt-get install mosquitto');
    requireTool('openssl');
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'etls-mqtt-names-'));
    pki = new OpenSslPki(dir);
    const ca: Issued = pki.root('ca', '/O=etls test/CN=Names Test CA');
    for (const [name, cn, san] of certs) {
      pki.issue(name, `/CN=${cn}`, ca, { ext: [...LEAF, ...(san ? [`subjectAltName=${san}`] : [])] });
      brokers[name] = await startMosquitto(
        dir,
        name,
        `certfile ${pki.path(`${name}.pem`)}\nkeyfile ${pki.path(`${name}.key`)}`,
      );
    }
  });

  after(async () => {
    for (const b of Object.values(brokers)) await b.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** openssl's verdict for this broker dialled as `host` (an IP is checked with -verify_ip). */
  function opensslAccepts(port: number, host: string): boolean {
    const check = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? '-verify_ip' : '-verify_hostname';
    const r = spawnSync(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-CAfile',
        pki.path('ca.pem'),
        check,
        host,
        '-verify_return_error',
        '-brief',
      ],
      { input: '', encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(r.error, undefined, `openssl s_client could not run: ${r.error?.message}`);
    return r.status === 0;
  }

  for (const [name] of certs)
    for (const host of ['127.0.0.1', 'localhost'])
      it(`${name} dialled as ${host}: etls probe agrees with openssl`, async () => {
        const port = brokers[name]!.port;
        const expected = opensslAccepts(port, host);
        const r = await etlsAsync([
          'probe',
          '--host',
          host,
          '--port',
          String(port),
          '--ca',
          pki.path('ca.pem'),
          '--json',
          '--timeout',
          '8',
        ]);
        const json = JSON.parse(r.stdout) as { ok: boolean; code: string; message: string };
        assert.equal(json.ok, expected, `openssl says ${expected}, etls said ${json.code}: ${json.message}`);
        assert.equal(r.status, expected ? 0 : 1);
        if (!expected) {
          assert.equal(json.code, 'server-cert-hostname-mismatch');
          assert.match(json.message, new RegExp(`not for "${host.replace(/\./g, '\\.')}"`));
        }
      });

  it('the case from the report: DNS:broker.local, IP:127.0.0.1 dialled by IP succeeds', async () => {
    const r = await etlsAsync([
      'probe',
      '--host',
      '127.0.0.1',
      '--port',
      String(brokers['dns-and-ip']!.port),
      '--ca',
      pki.path('ca.pem'),
    ]);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /^ok \[ok\]/);
  });

  it('--servername names the server name in the mismatch message', async () => {
    const r = await etlsAsync([
      'probe',
      '--host',
      '127.0.0.1',
      '--port',
      String(brokers['dns-and-ip']!.port),
      '--ca',
      pki.path('ca.pem'),
      '--servername',
      'braker.local',
      '--json',
    ]);
    const json = JSON.parse(r.stdout) as { code: string; message: string };
    assert.equal(json.code, 'server-cert-hostname-mismatch');
    assert.match(json.message, /not for the server name "braker\.local"/);
    // And the right server name is accepted even when dialling by IP.
    const ok = await etlsAsync([
      'probe',
      '--host',
      '127.0.0.1',
      '--port',
      String(brokers['dns-and-ip']!.port),
      '--ca',
      pki.path('ca.pem'),
      '--servername',
      'broker.local',
    ]);
    assert.equal(ok.status, 0, ok.stdout);
  });
});

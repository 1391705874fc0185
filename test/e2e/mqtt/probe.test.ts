// `etls probe` (the built CLI) against real mosquitto TLS listeners, one real misconfiguration per code.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { probe } from '../../../src/core/mqtt/probe';
import { freePort, type RunningBroker } from './support/broker';
import { startProbeBrokers, type ProbeBrokers } from './support/probeBrokers';
import { etlsAsync } from './support/cli';
import type { TestPki } from './support/pki';

interface ProbeJson {
  ok: boolean;
  stage: string;
  code: string;
  message: string;
  fix: string;
  details: {
    tls?: { protocol: string; alpn?: string; verifiedBy?: string; chain: { commonName: string }[] };
    roundTrip?: string;
    findings?: string[];
  };
}

describe('etls probe against real mosquitto', function () {
  this.timeout(120_000);
  let pki: TestPki;
  let lab: ProbeBrokers | undefined;
  const brokers: Record<string, RunningBroker> = {};

  before(async () => {
    lab = await startProbeBrokers((tls) => [
      // A modern broker that only takes AES-GCM over TLS 1.2: nothing a CC3200 offers.
      ['gcmonly', tls('server', 'tls_version tlsv1.2\nciphers ECDHE-RSA-AES128-GCM-SHA256')],
      // Takes the user name from the client certificate, but does not insist on one at the TLS level.
      ['identity', tls('server', 'use_identity_as_username true')],
    ]);
    pki = lab.pki;
    Object.assign(brokers, lab.brokers);
  });

  after(async () => {
    await lab?.stop();
  });

  async function run(
    broker: string | number,
    extra: string[],
    env: NodeJS.ProcessEnv = {},
    host = 'localhost',
  ): Promise<ProbeJson & { status: number | null }> {
    const port = typeof broker === 'number' ? broker : brokers[broker]!.port;
    const r = await etlsAsync(
      ['probe', '--host', host, '--port', String(port), '--json', '--timeout', '8', ...extra],
      env,
    );
    assert.equal(r.stderr, '', `no stderr expected, got: ${r.stderr}`);
    const json = JSON.parse(r.stdout) as ProbeJson;
    assert.deepEqual(Object.keys(json).sort(), ['code', 'details', 'fix', 'message', 'ok', 'stage']);
    assert.doesNotMatch(r.stdout, /\n\s+at .*\(/, 'no stack trace');
    return { ...json, status: r.status };
  }
  const ca = () => ['--ca', pki.file('ca.pem')];
  const device = () => ['--cert', pki.file('device.pem'), '--key', pki.file('device.key')];

  it('ok: mutual TLS, then a publish/subscribe round trip, exit 0', async () => {
    const r = await run('mtls', [...ca(), ...device()]);
    assert.equal(r.code, 'ok');
    assert.equal(r.ok, true);
    assert.equal(r.status, 0);
    assert.equal(r.details.roundTrip, 'ok');
    assert.match(r.details.tls!.verifiedBy!, /ca\.pem: Test Amazon Root CA 1/);
    assert.deepEqual(r.details.tls!.chain.map((c) => c.commonName).slice(0, 1), ['localhost']);
  });

  it('ok with an encrypted key and its pass phrase from the environment, over MQTT 5', async () => {
    const r = await run(
      'mtls',
      [
        ...ca(),
        '--cert',
        pki.file('device.pem'),
        '--key',
        pki.file('device-enc.key'),
        '--passphrase-env',
        'DEV_PASS',
        '--mqtt-version',
        '5',
      ],
      { DEV_PASS: 's3cret' },
    );
    assert.equal(r.code, 'ok');
  });

  it('local-files-invalid: a wrong pass phrase is named before any network', async () => {
    const r = await run(
      'mtls',
      [
        ...ca(),
        '--cert',
        pki.file('device.pem'),
        '--key',
        pki.file('device-enc.key'),
        '--passphrase-env',
        'DEV_PASS',
      ],
      { DEV_PASS: 'nope' },
    );
    assert.equal(r.code, 'local-files-invalid');
    assert.equal(r.stage, 'setup');
    assert.equal(r.status, 1);
  });

  it('dns-not-found: a host name that does not exist', async () => {
    const r = await run(8883, [...ca()], {}, 'no-such-broker.invalid');
    assert.equal(r.code, 'dns-not-found');
    assert.equal(r.stage, 'dns');
    assert.equal(r.status, 1);
  });

  it('connection-refused: nothing listens on the port', async () => {
    const r = await run(await freePort(), [...ca()]);
    assert.equal(r.code, 'connection-refused');
    assert.equal(r.stage, 'tcp');
  });

  it('timeout: a port that accepts TCP and never answers the TLS hello', async () => {
    const r = await run(lab!.silentPort(), [...ca(), '--timeout', '2']);
    assert.equal(r.code, 'timeout');
    assert.equal(r.stage, 'tls');
  });

  it('not-tls: the plain MQTT listener', async () => {
    const r = await run('plain', [...ca()]);
    assert.equal(r.code, 'not-tls');
    assert.match(r.fix, /8883/);
  });

  it('server-cert-untrusted: the stale root of the CC3200 story, naming both roots', async () => {
    const r = await run('mtls', ['--ca', pki.file('otherca.pem'), ...device()]);
    assert.equal(r.code, 'server-cert-untrusted');
    assert.match(
      r.fix,
      /issued by "Test Amazon Root CA 1", but your CA file \(otherca\.pem\) holds "Test VeriSign Class 3 Public Primary CA - G5"/,
    );
  });

  it('server-cert-hostname-mismatch: a certificate for another name', async () => {
    const r = await run('wrongname', [...ca()]);
    assert.equal(r.code, 'server-cert-hostname-mismatch');
    assert.match(r.message, /"broker\.example\.com", not for "localhost"/);
  });

  it('server-cert-expired', async () => {
    const r = await run('expired', [...ca()]);
    assert.equal(r.code, 'server-cert-expired');
  });

  it('server-cert-not-yet-valid', async () => {
    const r = await run('future', [...ca()]);
    assert.equal(r.code, 'server-cert-not-yet-valid');
  });

  it('client-cert-required: TLS 1.3 and TLS 1.2 alike', async () => {
    assert.equal((await run('mtls', [...ca()])).code, 'client-cert-required');
    assert.equal((await run('mtls', [...ca(), '--max-tls', '1.2'])).code, 'client-cert-required');
  });

  it('client-cert-rejected: a device certificate from a CA the broker does not trust', async () => {
    const r = await run('mtls', [
      ...ca(),
      '--cert',
      pki.file('device-foreign.pem'),
      '--key',
      pki.file('device-foreign.key'),
    ]);
    assert.equal(r.code, 'client-cert-rejected');
    assert.match(
      r.fix,
      /"device-02", issued by "Test VeriSign Class 3 Public Primary CA - G5", is not signed by a CA this broker trusts/,
    );
  });

  it('handshake-failure: emulating a CC3200 against a GCM-only TLS 1.2 broker', async () => {
    const r = await run('gcmonly', [...ca(), '--target', 'cc3200']);
    assert.equal(r.code, 'handshake-failure');
    assert.match(r.message, /cc3200/);
    // Without emulation the same broker is fine: the board, not the broker setup, is the mismatch.
    assert.equal((await run('gcmonly', [...ca()])).code, 'ok');
  });

  it('mqtt-not-authorized: anonymous client on a broker with a password file', async () => {
    const r = await run('passwords', [...ca()]);
    assert.equal(r.code, 'mqtt-not-authorized');
    assert.equal(r.stage, 'mqtt');
    assert.equal(
      (await run('passwords', [...ca(), '--username', 'alice', '--password-env', 'PW'], { PW: 'right' }))
        .code,
      'ok',
    );
  });

  it('mqtt-bad-credentials: the broker takes the user name from a client certificate that was not sent', async () => {
    const r = await run('identity', [...ca()]);
    assert.equal(r.code, 'mqtt-bad-credentials');
    assert.match(r.fix, /use_identity_as_username/);
  });

  it('mqtt-identifier-rejected: an empty client id where the broker wants one', async () => {
    const r = await run('namedids', [...ca(), '--client-id', '']);
    assert.equal(r.code, 'mqtt-identifier-rejected');
  });

  it('mqtt-unsupported-protocol: MQTT 3.1.1 sent under the MQTT 3.1 protocol name', async () => {
    const r = await probe(
      {
        host: 'localhost',
        port: brokers['open']!.port,
        mqttVersion: 3,
        protocolName: 'MQIsdp',
        clientId: 'old-stack',
        cleanSession: true,
        keepalive: 30,
        rejectUnauthorized: true,
        timeoutMs: 8000,
      },
      { ca: { name: 'ca.pem', bytes: new Uint8Array(execFileSync('cat', [pki.file('ca.pem')])) } },
    );
    assert.equal(r.code, 'mqtt-unsupported-protocol');
  });
});

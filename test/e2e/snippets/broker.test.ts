// The command-line kinds and the Node-RED export against a real Mosquitto over TLS, the AT
// sequence, and `etls pki verification` checked by openssl: the acceptance checks of the last mile.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { etls, requireBuiltCli, requireTool, run, scratchDir } from '../../support/realParts';
import { startMosquitto, type RunningBroker } from '../mqtt/support/broker';
import { editProject, makeKitchen } from './project';

/** Subscribes the way Node-RED's mqtt-broker node does (mqtt.js with the tls-config's files) and returns the first message. */
function firstMessage(
  broker: Record<string, unknown>,
  tls: Record<string, unknown>,
  topic: string,
): Promise<string> {
  return new Promise((done, fail) => {
    const client = mqtt.connect({
      host: String(broker['broker']),
      port: Number(broker['port']),
      protocol: 'mqtts',
      protocolVersion: Number(broker['protocolVersion']) as 4 | 5,
      clientId: String(broker['clientid']),
      ca: readFileSync(String(tls['ca'])),
      cert: readFileSync(String(tls['cert'])),
      key: readFileSync(String(tls['key'])),
      servername: String(tls['servername']),
      rejectUnauthorized: tls['verifyservercert'] === true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    const timer = setTimeout(() => finish(new Error('no message within 20 s')), 20_000);
    const finish = (e: Error | undefined, text?: string) => {
      clearTimeout(timer);
      client.end(true);
      if (e) fail(e);
      else done(text!);
    };
    client.on('error', (e) => finish(e));
    client.on('connect', () => client.subscribe(topic, { qos: 1 }));
    client.on('message', (_t, payload) => finish(undefined, payload.toString()));
  });
}

describe('etls snippet, export node-red and pki verification against real parts (e2e)', function () {
  this.timeout(180_000);
  let scratch: ReturnType<typeof scratchDir>;
  let broker: RunningBroker | undefined;
  const dir = () => scratch.path;

  before(async () => {
    for (const tool of ['mosquitto', 'mosquitto_pub', 'mosquitto_sub', 'openssl']) requireTool(tool);
    requireBuiltCli();
    scratch = scratchDir('snippet-broker');
    makeKitchen(dir());
    const conf = readFileSync(join(dir(), 'certs', 'mosquitto.conf'), 'utf8');
    broker = await startMosquitto(
      dir(),
      'kitchen',
      conf
        .split('\n')
        .filter((l) => !/^listener\b/.test(l))
        .join('\n'),
    );
    editProject(dir(), (p) => {
      (p.profiles['kitchen']!['broker'] as Record<string, unknown>)['port'] = broker!.port;
    });
  });
  after(async () => {
    await broker?.stop();
    scratch?.remove();
  });

  it('mosquitto_pub -o pub.sh publishes and mosquitto_sub -o sub.sh receives, through the real broker', () => {
    for (const kind of ['mosquitto_pub', 'mosquitto_sub']) {
      const out = kind === 'mosquitto_pub' ? 'pub.sh' : 'scripts/sub.sh';
      const r = etls(['snippet', '--profile', 'kitchen', '--for', kind, '-o', out], { cwd: dir() });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(statSync(join(dir(), out)).mode & 0o100, `${out} is not executable`);
    }
    // Retained, so the subscriber started afterwards gets it; run from another folder on purpose.
    const pub = spawnSync('sh', [join(dir(), 'pub.sh'), '-r'], {
      cwd: '/',
      encoding: 'utf8',
      env: { ...process.env, ETLS_MESSAGE: 'from pub.sh' },
      timeout: 30_000,
    });
    assert.equal(pub.status, 0, `pub.sh failed:\n${pub.stderr}\n${broker!.log()}`);
    const sub = spawnSync('sh', [join(dir(), 'scripts', 'sub.sh'), '-C', '1', '-W', '20'], {
      cwd: '/',
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(sub.status, 0, `sub.sh failed:\n${sub.stderr}`);
    assert.equal(sub.stdout.trim(), 'devices/device-01/hello from pub.sh');
  });

  it('export node-red: a tls-config (verify on) used by an mqtt-broker with the profile host and port, that connects', async () => {
    const r = etls(['export', 'node-red', '--profile', 'kitchen', '-o', 'flows.json'], { cwd: dir() });
    assert.equal(r.status, 0, r.stderr);
    const nodes = JSON.parse(readFileSync(join(dir(), 'flows.json'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    const tls = nodes.find((n) => n['type'] === 'tls-config')!;
    const mqttBroker = nodes.find((n) => n['type'] === 'mqtt-broker')!;
    assert.equal(tls['verifyservercert'], true);
    assert.equal(mqttBroker['tls'], tls['id']);
    assert.equal(mqttBroker['usetls'], true);
    assert.equal(mqttBroker['broker'], 'localhost');
    assert.equal(mqttBroker['port'], broker!.port);
    assert.ok(nodes.some((n) => n['type'] === 'mqtt in' && n['broker'] === mqttBroker['id']));
    // Exported again over its own file: replaced without --force (it carries the etls mark).
    assert.equal(
      etls(['export', 'node-red', '--profile', 'kitchen', '-o', 'flows.json'], { cwd: dir() }).status,
      0,
    );
    assert.equal(await firstMessage(mqttBroker, tls, 'devices/device-01/#'), 'from pub.sh');
  });

  it('simplelink-at sets SECURE_FILES_CA_FILE_NAME to the name the file was pushed under', () => {
    const plain = etls(['snippet', '--profile', 'kitchen', '--for', 'simplelink-at'], { cwd: dir() });
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /^AT\+SetSockOpt=<SD>,SOCKET,SECURE_FILES_CA_FILE_NAME,\/cert\/ca\.der$/m);
    assert.match(
      plain.stderr,
      /etls push --port PORT --protocol simplelink-at certs\/ca\.pem:\/cert\/ca\.der/,
    );
    editProject(dir(), (p) => {
      p.profiles['kitchen']!['push'] = {
        protocol: 'simplelink-at',
        files: [
          { local: 'certs/ca.der', remote: '/cert/kitchen-root.der' },
          { local: 'certs/device-01.der', remote: '/cert/kitchen.der' },
          { local: 'certs/device-01.key.der', remote: '/cert/kitchen.key' },
        ],
      };
    });
    const r = etls(['snippet', '--profile', 'kitchen', '--for', 'simplelink-at'], { cwd: dir() });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^AT\+SetSockOpt=<SD>,SOCKET,SECURE_FILES_CA_FILE_NAME,\/cert\/kitchen-root\.der$/m,
    );
    assert.match(
      r.stdout,
      /^AT\+MqttCreate=device-01,url\|sec,localhost,\d+,tlsv1_2,[a-z0-9_|]+,\/cert\/kitchen\.key,\/cert\/kitchen\.der,\/cert\/kitchen-root\.der,,v3_1_1,0,0$/m,
    );
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('AT+')))
      assert.ok(Buffer.byteLength(line) + 2 <= 1024, `longer than the AT line buffer: ${line}`);
    // cc3200 needs numbered names: a clear sentence, not a snippet that cannot work.
    const cc = etls(['snippet', '--profile', 'kitchen', '--for', 'cc3200'], { cwd: dir() });
    assert.equal(cc.status, 2);
    assert.match(cc.stderr, /SlSockSecureFiles_t \(CC3200 SDK 1\.x\) holds file IDs/);
    assert.doesNotMatch(cc.stderr, /\n\s+at /);
  });

  it('pki verification: CN = the code, openssl verifies it against the CA, key 0600, next commands printed', () => {
    const code = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const r = etls(
      [
        'pki',
        'verification',
        '--ca',
        'certs/ca.pem',
        '--ca-key',
        'certs/ca.key',
        '--code',
        code,
        '--out',
        'verif',
      ],
      { cwd: dir() },
    );
    assert.equal(r.status, 0, r.stderr);
    const cert = join(dir(), 'verif', 'verification.pem');
    assert.match(run('openssl', ['verify', '-CAfile', join(dir(), 'certs', 'ca.pem'), cert]), /: OK/);
    assert.equal(
      run('openssl', ['x509', '-in', cert, '-noout', '-subject', '-nameopt', 'RFC2253']).trim(),
      `subject=CN=${code}`,
    );
    assert.equal(statSync(join(dir(), 'verif', 'verification.key')).mode & 0o777, 0o600);
    assert.match(
      r.stdout,
      /aws iot register-ca-certificate --ca-certificate file:\/\/certs\/ca\.pem --verification-cert\S* file:\/\/verif\/verification\.pem/,
    );
    assert.match(r.stdout, /az iot dps certificate verify .*--path verif\/verification\.pem/);
    assert.match(r.stdout, /az iot hub certificate verify .*--path verif\/verification\.pem/);
    // The JITP device certificate carries every subject value the template reads, and it connects.
    const template = JSON.parse(readFileSync(join(dir(), 'verif', 'jitp-template.json'), 'utf8')) as {
      Parameters: Record<string, unknown>;
    };
    const device = join(dir(), 'verif', 'jitp-device-01.pem');
    const subject = run('openssl', ['x509', '-in', device, '-noout', '-subject', '-nameopt', 'RFC2253']);
    const field: Record<string, string> = {
      CommonName: 'CN',
      Organization: 'O',
      Country: 'C',
      OrganizationalUnit: 'OU',
      StateName: 'ST',
    };
    for (const p of Object.keys(template.Parameters)) {
      const name = p.replace('AWS::IoT::Certificate::', '');
      if (name === 'Id') continue; // AWS computes it from the certificate
      assert.ok(field[name], `the template reads ${p}, which no device certificate field gives`);
      assert.match(subject, new RegExp(`(^subject=|,)${field[name]}=`), `${p} missing from ${subject}`);
    }
    assert.match(run('openssl', ['verify', '-CAfile', join(dir(), 'certs', 'ca.pem'), device]), /: OK/);
    const pub = spawnSync(
      'mosquitto_pub',
      [
        '-h',
        'localhost',
        '-p',
        String(broker!.port),
        '--cafile',
        join(dir(), 'certs', 'ca.pem'),
        '--cert',
        join(dir(), 'verif', 'jitp-device-01-chain.pem'),
        '--key',
        join(dir(), 'verif', 'jitp-device-01.key'),
        '-t',
        'devices/jitp-device-01/hello',
        '-m',
        'hi',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(pub.status, 0, pub.stderr);
    // Nothing is replaced without --force, keys least of all.
    const again = etls(
      [
        'pki',
        'verification',
        '--ca',
        'certs/ca.pem',
        '--ca-key',
        'certs/ca.key',
        '--code',
        'other',
        '--out',
        'verif',
      ],
      { cwd: dir() },
    );
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exist/);
  });

  it('a profile without what a kind needs gets a sentence naming it and the command that makes it', () => {
    editProject(dir(), (p) => {
      p.profiles['bare'] = { ca: 'certs/ca.pem' };
    });
    for (const kind of ['esp-idf', 'mosquitto_pub', 'simplelink-at']) {
      const r = etls(['snippet', '--profile', 'bare', '--for', kind], { cwd: dir() });
      assert.equal(r.status, 2, r.stdout);
      assert.match(
        r.stderr,
        /profile "bare" names no broker.*etls pki init --profile bare --broker-host HOST/,
      );
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    const nr = etls(['export', 'node-red', '--profile', 'bare'], { cwd: dir() });
    assert.equal(nr.status, 2);
    assert.match(nr.stderr, /names no broker/);
  });
});

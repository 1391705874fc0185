// A real Mosquitto with the generated mosquitto.conf: device certificates from the PKI get in,
// certificates from another CA don't; and the root drop-privileges pitfall is detected and handled.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { brokerRunUser, canUserRead, startBroker, type RunningBroker } from '../../../src/core/broker';
import { EtlsError } from '../../../src/core/errors';
import { etls, freePort, removeDir, requireBuiltCli, tempDir, tool } from './helpers';

const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

function pub(
  port: number,
  dir: string,
  device: string,
  cafile = join(dir, 'ca.pem'),
): { code: number; stderr: string } {
  const r = tool('mosquitto_pub', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '--cafile',
    cafile,
    '--cert',
    join(dir, `${device}.pem`),
    '--key',
    join(dir, `${device}.key`),
    '-t',
    `devices/${device}`,
    '-m',
    'hello',
    '-q',
    '1',
  ]);
  return { code: r.code, stderr: r.stderr };
}

/** Connects with mqtt.js, subscribes to its own topic, publishes and waits for the message back. */
function mqttRoundTrip(port: number, dir: string, device: string): Promise<{ ok: boolean; error?: string }> {
  return new Promise((done) => {
    const client = mqtt.connect({
      host: '127.0.0.1',
      port,
      protocol: 'mqtts',
      ca: readFileSync(join(dir, 'ca.pem')),
      cert: readFileSync(join(dir, `${device}.pem`)),
      key: readFileSync(join(dir, `${device}.key`)),
      servername: 'broker.local',
      clientId: device,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    const finish = (r: { ok: boolean; error?: string }) => {
      clearTimeout(timer);
      client.end(true);
      done(r);
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), 20_000);
    client.on('error', (e) => finish({ ok: false, error: e.message }));
    client.on('close', () => finish({ ok: false, error: 'closed' }));
    client.on('connect', () => {
      client.subscribe(`echo/${device}`, { qos: 1 }, (err) => {
        if (err) return finish({ ok: false, error: err.message });
        client.publish(`echo/${device}`, 'ping', { qos: 1 });
      });
    });
    client.on('message', (_t, payload) => finish({ ok: payload.toString() === 'ping' }));
  });
}

describe('e2e: local TLS broker with the generated PKI', function () {
  this.timeout(180_000);
  let work: string | undefined;
  const brokers: RunningBroker[] = [];
  const children: ChildProcess[] = [];
  before(async () => {
    requireBuiltCli();
    work = tempDir('pki-broker');
    for (const [name, extra] of [
      ['good', ['--key-type', 'p256']],
      ['chained', ['--key-type', 'rsa2048', '--intermediate']],
      ['other', ['--key-type', 'p256']],
    ] as const) {
      const r = await etls([
        'pki',
        'init',
        '--out',
        join(work, name),
        '--broker-host',
        'broker.local',
        '--broker-ip',
        '127.0.0.1',
        '--device',
        'dev-a',
        '--device',
        'dev-b',
        ...extra,
      ]);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(async () => {
    for (const b of brokers) await b.stop();
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    removeDir(work);
  });

  it('predicts the root pitfall, and plain mosquitto -c shows it is real', async function () {
    const dir = join(work!, 'good');
    const port = await freePort();
    const conf = readFileSync(join(dir, 'mosquitto.conf'), 'utf8').replace(
      /^listener 8883$/m,
      `listener ${port} 127.0.0.1`,
    );
    const confPath = join(work!, 'plain.conf');
    writeFileSync(confPath, conf + 'log_dest stderr\n');
    const runAs = await brokerRunUser(process.getuid?.(), undefined);
    const predictedUnreadable = runAs ? !(await canUserRead(join(dir, 'broker.key'), runAs)) : false;
    const child = spawn('mosquitto', ['-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let log = '';
    child.stderr!.on('data', (d) => (log += d));
    child.stdout!.on('data', (d) => (log += d));
    const outcome = await new Promise<'failed' | 'running'>((res, rej) => {
      const poll = setInterval(() => {
        if (/running/.test(log)) {
          clearInterval(poll);
          res('running');
        }
      }, 50);
      child.on('exit', () => {
        clearInterval(poll);
        res('failed');
      });
      child.on('error', (e) => {
        clearInterval(poll);
        rej(new Error(`mosquitto could not be started: ${e.message}`));
      });
    });
    if (child.exitCode === null) child.kill('SIGTERM');
    if (predictedUnreadable) {
      assert.equal(outcome, 'failed', log);
      assert.match(log, /Permission denied/);
    } else {
      assert.equal(outcome, 'running', log);
    }
  });

  it('etls broker runs the generated conf on a chosen port; mosquitto_pub and mqtt.js get in with device certificates', async () => {
    const dir = join(work!, 'good');
    const port = await freePort();
    const notes: string[] = [];
    const broker = await startBroker({
      confPath: join(dir, 'mosquitto.conf'),
      port,
      bindAddress: '127.0.0.1',
      logger: { ...quiet, info: (m) => notes.push(m) },
    });
    brokers.push(broker);
    if (process.getuid?.() === 0)
      assert.match(notes.join('\n'), /switches to user "\w+", which cannot read .*broker\.key.*copies/s);
    // The original key was left alone.
    assert.equal(
      tool('stat', ['-c', '%a %U', join(dir, 'broker.key')])
        .stdout.toString()
        .trim()
        .split(' ')[0],
      '600',
    );
    const r = pub(port, dir, 'dev-a');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await mqttRoundTrip(port, dir, 'dev-b'), { ok: true });
  });

  it('still works when TMPDIR is a folder the broker user cannot enter', async () => {
    const privateTmp = join(work!, 'private-tmp');
    mkdirSync(privateTmp, { mode: 0o700 });
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = privateTmp;
    try {
      const port = await freePort();
      const broker = await startBroker({
        confPath: join(work!, 'good', 'mosquitto.conf'),
        port,
        bindAddress: '127.0.0.1',
        logger: quiet,
      });
      brokers.push(broker);
      const r = pub(port, join(work!, 'good'), 'dev-a');
      assert.equal(r.code, 0, r.stderr);
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });

  it('rejects a device certificate signed by a different CA', async () => {
    const port = await freePort();
    const broker = await startBroker({
      confPath: join(work!, 'good', 'mosquitto.conf'),
      port,
      bindAddress: '127.0.0.1',
      logger: quiet,
    });
    brokers.push(broker);
    const r = pub(port, join(work!, 'other'), 'dev-a', join(work!, 'good', 'ca.pem'));
    assert.notEqual(r.code, 0, 'a foreign device got in');
    const js = await mqttRoundTripWithCa(port, join(work!, 'other'), join(work!, 'good', 'ca.pem'));
    assert.equal(js.ok, false);
  });

  it('with an intermediate, devices that send only their own certificate are accepted', async () => {
    const dir = join(work!, 'chained');
    const port = await freePort();
    const broker = await startBroker({
      confPath: join(dir, 'mosquitto.conf'),
      port,
      bindAddress: '127.0.0.1',
      logger: quiet,
    });
    brokers.push(broker);
    const r = pub(port, dir, 'dev-a');
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(pub(port, join(work!, 'other'), 'dev-b', join(dir, 'ca.pem')).code, 0);
  });

  it('the etls broker command prints the run and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [
      join(__dirname, '../../../dist/cli.js'),
      'broker',
      '--conf',
      join(work!, 'good', 'mosquitto.conf'),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
    ]);
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no "Broker running" line: ${out}`)), 30_000);
      const poll = setInterval(() => {
        if (/Broker running on port/.test(out)) {
          clearInterval(poll);
          clearTimeout(t);
          res();
        }
      }, 50);
    });
    assert.equal(pub(port, join(work!, 'good'), 'dev-b').code, 0);
    const exit = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    child.kill('SIGTERM');
    assert.equal(await exit, 0, out);
  });

  it('says how to install mosquitto when it is missing, and names a busy port', async () => {
    await assert.rejects(
      startBroker({
        confPath: join(work!, 'good', 'mosquitto.conf'),
        port: await freePort(),
        mosquittoPath: join(work!, 'no-such-mosquitto'),
        logger: quiet,
      }),
      (e: unknown) =>
        e instanceof EtlsError &&
        e.code === 'not-found' &&
        /install/i.test(e.describe()) &&
        /apt-get install mosquitto|brew|winget/.test(e.describe()),
    );
    const busy = brokers[0]!.port;
    await assert.rejects(
      startBroker({
        confPath: join(work!, 'good', 'mosquitto.conf'),
        port: busy,
        bindAddress: '127.0.0.1',
        logger: quiet,
      }),
      (e: unknown) => e instanceof EtlsError && /port \d+ is already in use/.test(e.message),
    );
  });
});

function mqttRoundTripWithCa(port: number, deviceDir: string, caFile: string): Promise<{ ok: boolean }> {
  return new Promise((done) => {
    const client = mqtt.connect({
      host: '127.0.0.1',
      port,
      protocol: 'mqtts',
      ca: readFileSync(caFile),
      cert: readFileSync(join(deviceDir, 'dev-a.pem')),
      key: readFileSync(join(deviceDir, 'dev-a.key')),
      servername: 'broker.local',
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      client.end(true);
      done({ ok });
    };
    const timer = setTimeout(() => finish(false), 20_000);
    client.on('connect', () => finish(true));
    client.on('error', () => finish(false));
    client.on('close', () => finish(false));
  });
}

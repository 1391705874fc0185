// bench/mqtt: against one local mosquitto TLS broker (mutual TLS), in the same run:
//  1. `etls probe` (the built dist/cli.js: connect + publish/subscribe round trip) vs `mosquitto_pub`
//     (connect + one QoS 1 publish), both as whole processes, interleaved; medians and their ratio.
//  2. 10,000 QoS 1 messages sent by the panel's client core vs by `mosquitto_pub -l`, both received by one
//     client-core subscriber; messages per second (first send to last receipt), ratio, and how many were lost.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MqttTestClient } from '../src/core/mqtt/client';
import type { ConnectionSettings, TlsMaterial } from '../src/core/mqtt/types';
import { startMosquitto } from '../test/e2e/mqtt/support/broker';
import { createTestPki } from '../test/e2e/mqtt/support/pki';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const RUNS = Number(process.env['ETLS_BENCH_RUNS'] ?? 15);
const MESSAGES = Number(process.env['ETLS_BENCH_MESSAGES'] ?? 10_000);
const debug = (m: string) => process.env['ETLS_BENCH_DEBUG'] && console.error(m);

function timeProcess(
  cmd: string,
  args: string[],
  input?: string,
  env?: NodeJS.ProcessEnv,
): Promise<{ ms: number; code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    if (input !== undefined) child.stdin!.end(input);
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code, out, err }));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const pki = createTestPki();
  // The broker may queue the whole burst for a slow subscriber: nothing is dropped on either side.
  const broker = await startMosquitto(
    pki.dir,
    'bench',
    `cafile ${pki.file('ca.pem')}\ncertfile ${pki.file('server.pem')}\nkeyfile ${pki.file('server.key')}\nrequire_certificate true`,
    'max_queued_messages 0\nmax_inflight_messages 0',
  );
  const port = String(broker.port);
  const tlsArgs = [
    '--cafile',
    pki.file('ca.pem'),
    '--cert',
    pki.file('device.pem'),
    '--key',
    pki.file('device.key'),
  ];
  // The CLI's code cache lives in a folder of this run: the warm-up calls write it.
  const cache = mkdtempSync(join(tmpdir(), 'etls-bench-mqtt-'));
  const cliEnv = { ...process.env, XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: '' };
  try {
    // 1. Whole processes, interleaved so both see the same machine load.
    const probeMs: number[] = [];
    const pubMs: number[] = [];
    const probeArgs = [
      CLI,
      'probe',
      '--host',
      'localhost',
      '--port',
      port,
      '--ca',
      pki.file('ca.pem'),
      '--cert',
      pki.file('device.pem'),
      '--key',
      pki.file('device.key'),
    ];
    for (let i = 0; i < RUNS + 2; i++) {
      const p = await timeProcess(process.execPath, probeArgs, undefined, cliEnv);
      if (p.code !== 0) throw new Error(`etls probe failed: ${p.out}${p.err}`);
      const m = await timeProcess('mosquitto_pub', [
        '-h',
        'localhost',
        '-p',
        port,
        ...tlsArgs,
        '-q',
        '1',
        '-t',
        'bench/one',
        '-m',
        'x',
      ]);
      if (m.code !== 0) throw new Error(`mosquitto_pub failed: ${m.err}`);
      // The first two of each warm the page cache (and write the code cache); they are not counted.
      if (i >= 2) {
        probeMs.push(p.ms);
        pubMs.push(m.ms);
      }
    }
    const pm = median(probeMs);
    const mm = median(pubMs);
    console.log(
      `probe connect + round trip (whole process, median of ${RUNS}; load average ${loadavg()[0]!.toFixed(1)}): etls probe ${pm.toFixed(1)} ms, mosquitto_pub ${mm.toFixed(1)} ms`,
    );
    console.log(`  ratio etls probe / mosquitto_pub: ${(pm / mm).toFixed(2)} (target <= 2.50)`);

    // 2. One receiver (the client core, subscribed at QoS 1) counts what arrives from each sender, so the
    //    two runs differ only in the sender: mosquitto_pub -l (C) or the panel's client core.
    const read = (n: string) => ({ name: n, bytes: new Uint8Array(readFileSync(pki.file(n))) });
    const material: TlsMaterial = { ca: read('ca.pem'), cert: read('device.pem'), key: read('device.key') };
    const base: ConnectionSettings = {
      host: 'localhost',
      port: broker.port,
      mqttVersion: 3,
      clientId: 'bench',
      cleanSession: true,
      keepalive: 60,
      rejectUnauthorized: true,
      timeoutMs: 10_000,
    };
    const receiver = new MqttTestClient();
    const sender = new MqttTestClient();
    for (const [c, id] of [
      [receiver, 'bench-sub'],
      [sender, 'bench-pub'],
    ] as const) {
      const r = await c.connect({ ...base, clientId: id }, material);
      if (!r.ok) throw new Error(`client core could not connect: ${r.diagnosis.message}`);
    }
    const got: Record<string, Set<string>> = { 'bench/anchor': new Set(), 'bench/core': new Set() };
    let waiting: { topic: string; done: () => void } | undefined;
    receiver.on('message', (m) => {
      const set = got[m.topic];
      set?.add(new TextDecoder().decode(m.payload));
      if (waiting && m.topic === waiting.topic && set?.size === MESSAGES) waiting.done();
    });
    await receiver.subscribe('bench/#', 1);
    debug('receiver ready');
    const allOf = (topic: string) =>
      Promise.race([
        new Promise<void>((r) => (waiting = { topic, done: r })),
        new Promise<void>((r) => setTimeout(r, 120_000).unref()),
      ]);

    const lines = Array.from({ length: MESSAGES }, (_, i) => `m${i}`).join('\n') + '\n';
    const anchorAll = allOf('bench/anchor');
    const a0 = process.hrtime.bigint();
    const pub = await timeProcess(
      'mosquitto_pub',
      ['-h', 'localhost', '-p', port, ...tlsArgs, '-q', '1', '-t', 'bench/anchor', '-l'],
      lines,
    );
    if (pub.code !== 0) throw new Error(`mosquitto_pub -l failed: ${pub.err}`);
    await anchorAll;
    const anchorMs = Number(process.hrtime.bigint() - a0) / 1e6;
    const anchorGot = got['bench/anchor']!.size;
    debug('anchor done');

    const coreAll = allOf('bench/core');
    const c0 = process.hrtime.bigint();
    const enc = new TextEncoder();
    const acks: Promise<void>[] = [];
    for (let i = 0; i < MESSAGES; i++)
      acks.push(sender.publish('bench/core', enc.encode(`m${i}`), { qos: 1, retain: false }));
    await Promise.all([Promise.all(acks), coreAll]);
    const coreMs = Number(process.hrtime.bigint() - c0) / 1e6;
    const coreGot = got['bench/core']!.size;
    await sender.disconnect();
    await receiver.disconnect();

    const coreRate = (coreGot / coreMs) * 1000;
    const anchorRate = (anchorGot / anchorMs) * 1000;
    console.log(
      `${MESSAGES} QoS 1 messages: client core ${coreRate.toFixed(0)} msg/s (${coreGot} received, ${MESSAGES - coreGot} lost), mosquitto_pub -l ${anchorRate.toFixed(0)} msg/s (${anchorGot} received, ${MESSAGES - anchorGot} lost)`,
    );
    console.log(
      `  ratio client core / mosquitto_pub -l: ${(coreRate / anchorRate).toFixed(2)} (higher is better)`,
    );
    if (coreGot !== MESSAGES || anchorGot !== MESSAGES) process.exitCode = 1;
  } finally {
    await broker.stop();
    pki.remove();
    rmSync(cache, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench/mqtt failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});

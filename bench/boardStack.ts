// bench/boardStack: against one local mosquitto TLS broker (mutual TLS), median of 15, interleaved:
//  - native: the board library built with gcc (scripts/native-oracles.mjs) running its own client:
//    brssl sends an MQTT CONNECT and the time runs to the CONNACK; ssl_client2 cannot speak MQTT, so it
//    is the handshake plus one request the broker answers by closing (the same number of round trips);
//  - wasm: `etls probe --stack X` (handshake + CONNECT + publish/subscribe round trip through the engine);
//  - node: `etls probe` on Node's OpenSSL, the anchor the wasm engine is measured against as well.
// Whole processes each; Node's start-up is printed so the ratio can be read net of it. Then in one
// process (the extension host's case, modules compiled once): the core's probe() on each stack.
// Also prints the size of each .wasm under wasm/dist (target <= 600 KB).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { probe } from '../src/core/mqtt/probe';
import type { ConnectionSettings, TlsMaterial } from '../src/core/mqtt/types';
import { startMosquitto } from '../test/e2e/mqtt/support/broker';
import { createTestPki } from '../test/e2e/mqtt/support/pki';
import { oracleBinary, type OracleStack } from '../test/support/nativeOracle';

const ROOT = join(__dirname, '..');
// ETLS_PROBE_CLI: another build's dist/cli.js (with its wasm/dist beside it) to measure instead.
const CLI = process.env['ETLS_PROBE_CLI'] ?? join(ROOT, 'dist', 'cli.js');
const RUNS = Number(process.env['ETLS_BENCH_RUNS'] ?? 15);
const stacks: OracleStack[] = ['mbedtls-2.28', 'mbedtls-3.6', 'bearssl'];

interface Timed {
  ms: number;
  code: number | null;
  out: Buffer;
  err: string;
}

/** Runs a process; with `until`, stops it (and the clock) once its stdout satisfies the test. */
function timeProcess(
  cmd: string,
  args: string[],
  input?: Buffer,
  until?: (out: Buffer) => boolean,
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    let ms: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      if (until && ms === undefined && until(Buffer.concat(chunks))) {
        ms = Number(process.hrtime.bigint() - t0) / 1e6;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    if (input) child.stdin.write(input);
    else child.stdin.end();
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({
        ms: ms ?? Number(process.hrtime.bigint() - t0) / 1e6,
        code,
        out: Buffer.concat(chunks),
        err,
      });
    });
  });
}

/** MQTT 3.1.1 CONNECT, clean session, keepalive 60. */
function mqttConnect(clientId: string): Buffer {
  const id = Buffer.from(clientId);
  const body = Buffer.concat([
    Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 60, id.length >> 8, id.length & 0xff]),
    id,
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const connack = (out: Buffer) => out.includes(Buffer.from([0x20, 0x02]));

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const bins = Object.fromEntries(stacks.map((s) => [s, oracleBinary(s)])) as Record<OracleStack, string>;
  const pki = createTestPki();
  const broker = await startMosquitto(
    pki.dir,
    'bench-board',
    `cafile ${pki.file('ca.pem')}\ncertfile ${pki.file('server.pem')}\nkeyfile ${pki.file('server.key')}\nrequire_certificate true`,
  );
  const port = String(broker.port);
  const [ca, cert, key] = [pki.file('ca.pem'), pki.file('device.pem'), pki.file('device.key')];
  const probe = ['probe', '--host', 'localhost', '--port', port, '--ca', ca, '--cert', cert, '--key', key];
  const native = (s: OracleStack, i: number) =>
    s === 'bearssl'
      ? timeProcess(
          bins[s],
          ['client', `localhost:${port}`, '-q', '-CA', ca, '-cert', cert, '-key', key],
          mqttConnect(`b${i}`),
          connack,
        )
      : timeProcess(bins[s], [
          'server_addr=127.0.0.1',
          `server_port=${port}`,
          'server_name=localhost',
          `ca_file=${ca}`,
          `crt_file=${cert}`,
          `key_file=${key}`,
          'auth_mode=required',
        ]);
  try {
    const nodeStart: number[] = [];
    const nodeProbe: number[] = [];
    const times: Record<string, { native: number[]; wasm: number[] }> = {};
    const wasmMissing: Record<string, string> = {};
    for (const s of stacks) times[s] = { native: [], wasm: [] };
    for (let i = 0; i < RUNS + 2; i++) {
      const warm = i < 2;
      const v = await timeProcess(process.execPath, [CLI, '--version']);
      const n = await timeProcess(process.execPath, [CLI, ...probe]);
      if (n.code !== 0) throw new Error(`etls probe failed: ${n.out.toString()}${n.err}`);
      if (!warm) {
        nodeStart.push(v.ms);
        nodeProbe.push(n.ms);
      }
      for (const s of stacks) {
        const nat = await native(s, i);
        const handshook = s === 'bearssl' ? connack(nat.out) : /\[ Protocol is TLS/.test(nat.out.toString());
        if (!handshook)
          throw new Error(`native ${s} did not connect: ${nat.out.toString().slice(-800)}${nat.err}`);
        if (!warm) times[s]!.native.push(nat.ms);
        if (wasmMissing[s]) continue;
        const w = await timeProcess(process.execPath, [CLI, ...probe, '--stack', s]);
        if (w.code !== 0) {
          wasmMissing[s] = (w.err || w.out.toString()).trim().split('\n')[0] ?? `exit ${String(w.code)}`;
          continue;
        }
        if (!warm) times[s]!.wasm.push(w.ms);
      }
    }
    const ns = median(nodeStart);
    const np = median(nodeProbe);
    console.log(`whole processes, median of ${RUNS}, one mosquitto with mutual TLS`);
    console.log(`  node start-up (etls --version): ${ns.toFixed(1)} ms`);
    console.log(`  etls probe on Node's OpenSSL: ${np.toFixed(1)} ms`);
    for (const s of stacks) {
      const nat = median(times[s]!.native);
      const what =
        s === 'bearssl' ? 'brssl, handshake + CONNECT/CONNACK' : 'ssl_client2, handshake + one request';
      console.log(`  ${s} native (${what}): ${nat.toFixed(1)} ms`);
      if (wasmMissing[s]) {
        console.log(`  ${s} wasm: not measured, etls probe --stack ${s} failed: ${wasmMissing[s]}`);
        continue;
      }
      const w = median(times[s]!.wasm);
      console.log(`  ${s} wasm (etls probe --stack ${s}): ${w.toFixed(1)} ms`);
      console.log(
        `    ratio wasm / native: ${(w / nat).toFixed(2)} (target <= 1.50); net of node start-up: ${((w - ns) / nat).toFixed(2)}`,
      );
      console.log(`    ratio wasm / node probe: ${(w / np).toFixed(2)}`);
    }
    await inProcess(broker.port, pki.file, nativeMedians(times));
    const dist = join(dirname(CLI), '..', 'wasm', 'dist');
    const wasm = existsSync(dist) ? readdirSync(dist).filter((f) => f.endsWith('.wasm')) : [];
    if (wasm.length === 0) console.log('  wasm/dist: no .wasm files in this tree');
    for (const f of wasm.sort()) {
      const kb = statSync(join(dist, f)).size / 1024;
      console.log(`  ${f}: ${kb.toFixed(1)} KB (target <= 600 KB)${kb > 600 ? '  OVER' : ''}`);
    }
  } finally {
    await broker.stop();
    pki.remove();
  }
}

function nativeMedians(times: Record<string, { native: number[] }>): Record<string, number> {
  return Object.fromEntries(Object.entries(times).map(([s, t]) => [s, median(t.native)]));
}

/**
 * probe() in this process, median of RUNS after two warm-ups, for Node's OpenSSL and each engine. A
 * build without the engines ignores the stack setting: its result then carries no `stack` report.
 */
async function inProcess(
  port: number,
  file: (n: string) => string,
  native: Record<string, number>,
): Promise<void> {
  const read = (n: string) => ({ name: n, bytes: new Uint8Array(readFileSync(file(n))) });
  const material: TlsMaterial = { ca: read('ca.pem'), cert: read('device.pem'), key: read('device.key') };
  const base: ConnectionSettings = {
    host: 'localhost',
    port,
    mqttVersion: 3,
    clientId: 'bench-board',
    cleanSession: true,
    keepalive: 60,
    rejectUnauthorized: true,
    timeoutMs: 15_000,
  };
  const once = async (stack?: OracleStack): Promise<{ ms: number; engine: boolean }> => {
    const t0 = process.hrtime.bigint();
    const r = await probe({ ...base, ...(stack ? ({ stack } as object) : {}) }, material);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!r.ok) throw new Error(`probe() on ${stack ?? 'node'} failed: ${r.message}`);
    return { ms, engine: (r as { stack?: unknown }).stack !== undefined };
  };
  const nodeMs: number[] = [];
  const engineMs: Record<string, number[]> = {};
  const missing = new Set<string>();
  for (let i = 0; i < RUNS + 2; i++) {
    const n = await once();
    if (i >= 2) nodeMs.push(n.ms);
    for (const s of stacks) {
      if (missing.has(s)) continue;
      const w = await once(s).catch((e: unknown) => {
        missing.add(s);
        console.log(`  in-process ${s}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
      if (!w) continue;
      if (!w.engine) {
        missing.add(s);
        console.log(`  in-process ${s}: this build has no board engine (probe() ran Node's OpenSSL)`);
        continue;
      }
      if (i >= 2) (engineMs[s] ??= []).push(w.ms);
    }
  }
  const nm = median(nodeMs);
  console.log(
    `in one process, probe() (handshake + CONNECT + subscribe/publish round trip), median of ${RUNS}`,
  );
  console.log(`  Node's OpenSSL: ${nm.toFixed(1)} ms`);
  for (const [s, ms] of Object.entries(engineMs)) {
    const w = median(ms);
    const nat = native[s]!;
    console.log(
      `  ${s} wasm: ${w.toFixed(1)} ms; ratio wasm / native process: ${(w / nat).toFixed(2)} (target <= 1.50); wasm / node: ${(w / nm).toFixed(2)}`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

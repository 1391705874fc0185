// bench/pki: a CA, a broker and 10 devices, with P-256 and with RSA-2048, made by `etls pki init`
// (in process, as the extension runs it, and as the CLI process) against the tutorial's openssl
// command sequence for the same set, measured in the same run.
//
// The openssl anchor is the tutorial's sequence without its pass-phrase detour (no -des3 and no
// `openssl rsa` to strip it again), which favours openssl: per certificate `genpkey`, `req -new`
// and `x509 -req -CA ... -CAcreateserial` with an extfile for the SANs / extended key usage, and
// one `req -x509` for the CA. etls writes more: DER siblings of every certificate and key,
// mosquitto.conf and .gitignore.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nodeFileSystem } from '../src/core/node/fileSystem';
import { createDevelopmentPki, type KeyType } from '../src/core/pki';

const DEVICES = Array.from({ length: 10 }, (_, i) => `device-${String(i + 1).padStart(2, '0')}`);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const CLI = resolve(__dirname, '../dist/cli.js');

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${String(r.stderr)}`);
}

function newKeyArgs(keyType: KeyType): string[] {
  return keyType === 'p256'
    ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
    : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
}

function opensslSequence(keyType: KeyType, dir: string): void {
  const newkey =
    keyType === 'p256' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  sh(
    'openssl',
    [
      'req',
      '-new',
      '-x509',
      ...newkey,
      '-nodes',
      '-days',
      '3650',
      '-subj',
      '/CN=Dev CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ],
    dir,
  );
  writeFileSync(
    join(dir, 'broker.ext'),
    'subjectAltName=DNS:broker.local,IP:192.168.1.10\nextendedKeyUsage=serverAuth\n',
  );
  writeFileSync(join(dir, 'device.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, ext] of [['broker', 'broker.ext'], ...DEVICES.map((d) => [d, 'device.ext'])] as const) {
    sh('openssl', ['genpkey', ...newKeyArgs(keyType), '-out', `${name}.key`], dir);
    sh(
      'openssl',
      [
        'req',
        '-new',
        '-key',
        `${name}.key`,
        '-subj',
        `/CN=${name === 'broker' ? 'broker.local' : name}`,
        '-out',
        `${name}.csr`,
      ],
      dir,
    );
    sh(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '825',
        '-extfile',
        ext,
        '-out',
        `${name}.crt`,
      ],
      dir,
    );
  }
}

async function inProcess(keyType: KeyType, dir: string): Promise<void> {
  await createDevelopmentPki(nodeFileSystem, {
    outDir: dir,
    brokerHosts: ['broker.local'],
    brokerIps: ['192.168.1.10'],
    devices: DEVICES,
    keyType,
    keyContainer: 'traditional',
    days: 825,
  });
}

function cliProcess(keyType: KeyType, dir: string): void {
  const args = [
    'pki',
    'init',
    '--out',
    dir,
    '--broker-host',
    'broker.local',
    '--broker-ip',
    '192.168.1.10',
    '--key-type',
    keyType,
    '--no-project',
  ];
  for (const d of DEVICES) args.push('--device', d);
  sh(process.execPath, [CLI, ...args], tmpdir());
}

async function timed(run: (dir: string) => unknown): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'etls-bench-pki-'));
  try {
    const t = performance.now();
    await run(dir);
    return performance.now() - t;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (label: string, ms: number, anchor?: number) =>
  console.log(
    `          ${label.padEnd(30)} ${ms.toFixed(1).padStart(8)} ms${anchor ? `   ${(anchor / ms).toFixed(1)}x faster` : ''}`,
  );

async function main(): Promise<void> {
  console.log(
    `bench/pki: CA + broker + ${DEVICES.length} devices, median of ${RUNS} interleaved runs (after one warm-up)\n`,
  );
  for (const keyType of ['p256', 'rsa2048'] as const) {
    // Interleaved, so a busy moment on the machine hits all three alike.
    const t = { openssl: [] as number[], lib: [] as number[], cli: [] as number[] };
    let cold = 0;
    for (let i = 0; i <= RUNS; i++) {
      const o = await timed((d) => opensslSequence(keyType, d));
      const l = await timed((d) => inProcess(keyType, d));
      const c = await timed((d) => cliProcess(keyType, d));
      if (i === 0)
        cold = l; // the first run warms caches and the JIT
      else {
        t.openssl.push(o);
        t.lib.push(l);
        t.cli.push(c);
      }
    }
    const anchor = median(t.openssl);
    console.log(
      `${keyType === 'p256' ? 'P-256   ' : 'RSA-2048'}  openssl sequence (34 processes) ${anchor.toFixed(1).padStart(8)} ms`,
    );
    row('etls pki init, in process', median(t.lib), anchor);
    row('etls pki init, in process, cold', cold, anchor);
    row('etls pki init, CLI process', median(t.cli), anchor);
    console.log('');
  }
  console.log(
    'Target: P-256 at least 10x faster than the openssl sequence. RSA-2048 is bounded by key generation',
  );
  console.log('(12 keys; Node generates them on its thread pool, openssl one after the other).');
}

void main();

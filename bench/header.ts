// bench/header: (a) header generation in-process on a 1 MiB file against `xxd -i` on the same
// file; (b) one `etls header` process over 200 DER certificates against 200 `xxd -i` calls.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHeader } from '../src/core/headers';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const CERT_DIR = '/etc/ssl/certs';
const FILES = 200;
const ROUNDS = 7;

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return ms(t0);
}

function mustRun(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}... failed: ${r.stderr?.toString() ?? r.error}`);
}

/** DER certificates from the system trust store, repeated up to `count` files. */
function derCertificates(dir: string, count: number): string[] {
  const pems = readdirSync(CERT_DIR)
    .filter((f) => f.endsWith('.pem'))
    .sort()
    .map((f) => readFileSync(join(CERT_DIR, f), 'utf8'));
  if (pems.length === 0) throw new Error(`no certificates in ${CERT_DIR}: install ca-certificates`);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const b64 = pems[i % pems.length]!.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const path = join(dir, `cert${String(i).padStart(3, '0')}.der`);
    writeFileSync(path, Buffer.from(b64, 'base64'));
    files.push(path);
  }
  return files;
}

function main(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const work = mkdtempSync(join(tmpdir(), 'etls-bench-header-'));
  try {
    // (a) One 1 MiB file, formatting only: our generator builds the header text in memory, xxd -i
    // writes to /dev/null. Both would pay the same for the disk.
    const big = join(work, 'firmware.bin');
    const bytes = new Uint8Array(randomBytes(1 << 20));
    writeFileSync(big, bytes);
    const spec = { output: join(work, 'firmware.h'), layout: 'c' as const, inputs: [{ path: big }] };
    let characters = 0;
    const generate = () => {
      characters = buildHeader(spec, [{ path: big, bytes }]).files[0]!.text.length;
    };
    for (let i = 0; i < 3; i++) generate(); // let the JIT settle, as it has in a long-running extension host
    const ours = median(Array.from({ length: ROUNDS }, () => timed(generate)));
    const xxd = median(Array.from({ length: ROUNDS }, () => timed(() => mustRun('xxd', ['-i', big], work))));
    const mib = bytes.length / (1 << 20);

    // (b) 200 DER files: one etls header process against a shell loop of xxd -i, start-up included.
    const certDir = join(work, 'certs');
    mkdirSync(certDir);
    const files = derCertificates(certDir, FILES).map((f) => f.slice(certDir.length + 1));
    const etlsRun = () =>
      mustRun(process.execPath, [CLI, 'header', '--quiet', ...files, '-o', 'all.h'], certDir);
    const loop = `for f in ${files.join(' ')}; do xxd -i "$f" > "$f.h"; done`;
    const xxdRun = () => mustRun('bash', ['-c', loop], certDir);
    etlsRun();
    xxdRun();
    // Remove the header between runs so every etls run really writes it.
    const etlsMs = median(
      Array.from({ length: ROUNDS }, () => (rmSync(join(certDir, 'all.h'), { force: true }), timed(etlsRun))),
    );
    const xxdMs = median(Array.from({ length: ROUNDS }, () => timed(xxdRun)));

    console.log(`bench/header (median of ${ROUNDS})`);
    console.log(
      `  (a) 1 MiB file, in-process:   etls ${ours.toFixed(1)} ms (${(mib / (ours / 1000)).toFixed(0)} MiB/s; ${characters} characters of header in memory)`,
    );
    console.log(
      `      xxd -i FILE > /dev/null:  ${xxd.toFixed(1)} ms (${(mib / (xxd / 1000)).toFixed(0)} MiB/s)`,
    );
    console.log(`      ratio xxd/etls: ${(xxd / ours).toFixed(1)}x  (target >= 3x)`);
    console.log(
      `  (b) ${FILES} DER certificates:    one etls header call ${etlsMs.toFixed(0)} ms (start-up included)`,
    );
    console.log(`      ${FILES} xxd -i calls:         ${xxdMs.toFixed(0)} ms`);
    console.log(`      ratio xxd/etls: ${(xxdMs / etlsMs).toFixed(1)}x  (target > 1x)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();

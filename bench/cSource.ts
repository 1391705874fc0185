// bench/cSource: scanning C sources for certificates. (a) A 12 MB `xxd -i` array (2 MiB of DER: the
// system CA certificates, repeated) read in-process, against `xxd -i` writing that same array;
// (b) `etls inspect` on it as a process, start-up included; (c) the hostile inputs that were
// quadratic before: 1 MB of `{0x30,` and 4 MB of `R"(`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readObjects, scanCSource } from '../src/core/x509';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const CERT_DIR = '/etc/ssl/certs';
const ROUNDS = 5;

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Best of the rounds, for both sides: on a shared machine the minimum is what the code costs. */
function best(values: number[]): number {
  return Math.min(...values);
}

function timed(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return ms(t0);
}

function mustRun(cmd: string, args: string[], okStatus = [0]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (!okStatus.includes(r.status ?? -1))
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.toString() ?? r.error}`);
}

/** 2 MiB of real DER: the system CA certificates, concatenated and repeated, in one SEQUENCE. */
function derBlob(): Buffer {
  const certs = readdirSync(CERT_DIR)
    .filter((f) => f.endsWith('.pem'))
    .sort()
    .map((f) =>
      Buffer.from(
        readFileSync(join(CERT_DIR, f), 'utf8')
          .replace(/-----[^-]+-----/g, '')
          .replace(/\s+/g, ''),
        'base64',
      ),
    );
  if (certs.length === 0) throw new Error(`no certificates in ${CERT_DIR}: install ca-certificates`);
  const body: Buffer[] = [];
  let size = 0;
  for (let i = 0; size < (2 << 20) - 8; i++) {
    const c = certs[i % certs.length]!;
    body.push(c);
    size += c.length;
  }
  const all = Buffer.concat(body);
  const header = Buffer.from([0x30, 0x84, 0, 0, 0, 0]);
  header.writeUInt32BE(all.length, 2);
  return Buffer.concat([header, all]);
}

function main(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const work = mkdtempSync(join(tmpdir(), 'etls-bench-csource-'));
  try {
    const bin = join(work, 'bundle.der');
    writeFileSync(bin, derBlob());
    const arrayFile = join(work, 'bundle.c');
    const xxd = spawnSync('xxd', ['-i', bin], { maxBuffer: 1 << 30 });
    if (xxd.status !== 0) throw new Error('xxd -i failed: install xxd');
    writeFileSync(arrayFile, xxd.stdout);
    const text = xxd.stdout.toString('latin1');
    const bytes = new Uint8Array(xxd.stdout);

    // (a) In-process: the reader on the text in memory (scan + DER), against xxd -i writing it.
    let found = 0;
    readObjects(bytes, { fileName: 'bundle.c' }); // warm up, as in a long-running extension host
    const scanMs = best(Array.from({ length: ROUNDS }, () => timed(() => void scanCSource(text))));
    const readMs = best(
      Array.from({ length: ROUNDS }, () =>
        timed(() => {
          const r = readObjects(bytes, { fileName: 'bundle.c' });
          found = r.objects.length + r.problems.length;
        }),
      ),
    );
    const xxdMs = best(Array.from({ length: ROUNDS }, () => timed(() => mustRun('xxd', ['-i', bin]))));

    // (b) One etls inspect process on the file (exit 1: the blob is not one certificate).
    const cliMs = best(
      Array.from({ length: 3 }, () =>
        timed(() => mustRun(process.execPath, [CLI, 'inspect', arrayFile], [0, 1])),
      ),
    );

    // (c) The inputs that were quadratic.
    const hostile: Array<[string, string]> = [
      ["1 MB of '{0x30,'", '{0x30,'.repeat(Math.ceil((1 << 20) / 6)) + '}'],
      ["4 MB of 'R\"('", 'R"('.repeat(Math.ceil((4 << 20) / 3))],
    ];
    const hostileMs = hostile.map(
      ([label, src]) =>
        [label, best(Array.from({ length: 3 }, () => timed(() => void scanCSource(src))))] as const,
    );

    const mb = (text.length / 1e6).toFixed(1);
    console.log(`bench/cSource (best of ${ROUNDS}; load average ${loadavg()[0]!.toFixed(1)})`);
    console.log(`  (a) ${mb} MB xxd -i array of 2 MiB DER, in-process:`);
    console.log(
      `      scan only:            ${scanMs.toFixed(0)} ms (${(text.length / 1e3 / scanMs).toFixed(0)} MB/s)`,
    );
    console.log(`      scan + decode:        ${readMs.toFixed(0)} ms (${found} object(s)/problem(s))`);
    console.log(`      xxd -i > /dev/null:   ${xxdMs.toFixed(0)} ms`);
    console.log(`      ratio xxd/etls scan:  ${(xxdMs / scanMs).toFixed(2)}x  (target >= 1x)`);
    console.log(
      `  (b) etls inspect process on it: ${cliMs.toFixed(0)} ms (start-up included; target < 1200 ms)`,
    );
    for (const [label, t] of hostileMs)
      console.log(`  (c) ${label}: ${t.toFixed(0)} ms in-process (target < 4000 ms)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();

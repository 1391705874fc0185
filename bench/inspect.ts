// bench/inspect: decode 1,000+ certificates (the system CA bundle's files, repeated) in one
// `etls inspect` process, against `openssl x509 -noout -text` run once per file, same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readObjects } from '../src/core/x509';

const CERT_DIR = '/etc/ssl/certs';
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const TARGET = 1000;

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function main(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const unique = readdirSync(CERT_DIR)
    .filter((f) => f.endsWith('.pem'))
    .map((f) => join(CERT_DIR, f))
    .sort();
  if (unique.length === 0) throw new Error(`no certificates in ${CERT_DIR}: install ca-certificates`);
  const files: string[] = [];
  while (files.length < TARGET) files.push(...unique);

  // In-process: the reader alone, files already in memory.
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  readObjects(bytes[0]!); // warm up
  let t0 = process.hrtime.bigint();
  let decoded = 0;
  for (let i = 0; i < bytes.length; i++)
    decoded += readObjects(bytes[i]!, { fileName: files[i] }).objects.length;
  const inProcess = ms(t0);

  // One etls process, start-up and file reading included.
  t0 = process.hrtime.bigint();
  const etls = spawnSync(process.execPath, [CLI, 'inspect', '--json', ...files], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 30,
  });
  const etlsMs = ms(t0);
  if (etls.status !== 0) throw new Error(`etls inspect exited ${etls.status}`);
  const entries = (JSON.parse(etls.stdout.toString()) as unknown[]).length;

  // The anchor: openssl once per file.
  t0 = process.hrtime.bigint();
  for (const f of files) {
    const r = spawnSync('openssl', ['x509', '-noout', '-text', '-in', f], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`openssl failed on ${f}`);
  }
  const opensslMs = ms(t0);

  console.log(
    `bench/inspect: ${files.length} certificate files (${unique.length} unique roots from ${CERT_DIR}, repeated)`,
  );
  console.log(
    `  reader in-process:          ${inProcess.toFixed(1)} ms  (${((inProcess * 1000) / decoded).toFixed(1)} µs per certificate, ${decoded} decoded)`,
  );
  console.log(
    `  etls inspect, one process:  ${etlsMs.toFixed(1)} ms  (${entries} entries, start-up included)`,
  );
  console.log(`  openssl x509 -text loop:    ${opensslMs.toFixed(1)} ms`);
  console.log(
    `  ratio: etls inspect is ${(opensslMs / etlsMs).toFixed(1)}x faster than the openssl loop (target >= 50x)`,
  );
  console.log(
    `  ratio: the in-process reader is ${(opensslMs / inProcess).toFixed(0)}x faster than the openssl loop`,
  );
}

main();

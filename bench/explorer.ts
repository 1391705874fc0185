// bench/explorer: the core of the Certificates view and the Problems list on a 1,000-file workspace:
// discover + read + link + check (git included), in-process, against `openssl x509|pkey -noout -text`
// run once per file over the same files (the anchor), measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkProject, checkWorkspace, discoverFiles, linkWorkspace, scanFile } from '../src/core/check';
import { fastReadFileSystem, nodeDirectoryPort, nodeGitPort } from '../src/core/check/nodePorts';
import { nodeFileSystem } from '../src/core/node/fileSystem';
import { loadProject } from '../src/core/project/load';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const DEVICES = 499; // + the CA's certificate and key = 1,000 certificate and key files
const RSA_EVERY = 10; // one device in ten has an RSA-2048 key, the rest EC P-256
const CACHE = join(tmpdir(), `etls-bench-explorer-core-v1-${DEVICES}`);

function sh(script: string, cwd: string): void {
  const r = spawnSync('sh', ['-ec', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`workspace generation failed: ${String(r.stderr).slice(0, 500)}`);
}

/**
 * A firmware workspace, made once and cached under the temp folder: a dev CA, 499 device
 * certificates with their keys in 10 folders, a project file with five profiles, a git
 * repository that ignores *.key, and one key left tracked so the git rules have work to do.
 */
function workspace(): string {
  if (existsSync(join(CACHE, '.done'))) return CACHE;
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(join(CACHE, 'pki'), { recursive: true });
  console.log(`  generating the workspace once (cached in ${CACHE}) ...`);
  sh(
    `openssl req -x509 -newkey rsa:2048 -nodes -keyout pki/ca.key -out pki/ca.pem -days 3650 -subj "/CN=Bench CA/O=Acme" \
       -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=keyCertSign,cRLSign" 2>/dev/null
     printf 'extendedKeyUsage=clientAuth\\n' > pki/device.ext`,
    CACHE,
  );
  // Two openssl pipelines at a time (the machine has two cores).
  const lines: string[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const d = `devices/group${i % 10}/device-${String(i).padStart(3, '0')}`;
    const alg =
      i % RSA_EVERY === 0
        ? '-algorithm RSA -pkeyopt rsa_keygen_bits:2048'
        : '-algorithm EC -pkeyopt ec_paramgen_curve:P-256';
    lines.push(
      `mkdir -p ${d} && openssl genpkey ${alg} -out ${d}.key 2>/dev/null && ` +
        `openssl req -new -key ${d}.key -subj /CN=device-${i} 2>/dev/null | ` +
        `openssl x509 -req -CA pki/ca.pem -CAkey pki/ca.key -set_serial ${1000 + i} -days 825 -extfile pki/device.ext -out ${d}.pem 2>/dev/null`,
    );
  }
  writeFileSync(join(CACHE, 'jobs.txt'), lines.join('\n') + '\n');
  sh(`tr '\\n' '\\0' < jobs.txt | xargs -0 -P2 -I{} sh -c '{}' && rm -f jobs.txt pki/device.ext`, CACHE);
  const profiles: Record<string, object> = {};
  const targets = ['esp32', 'cc3220', 'linux', 'esp8266', 'wifinina'];
  targets.forEach((target, i) => {
    const d = `devices/group${i}/device-${String(i).padStart(3, '0')}`;
    profiles[`board-${i}`] = {
      target,
      ca: 'pki/ca.pem',
      cert: `${d}.pem`,
      key: `${d}.key`,
      broker: { host: 'broker.local' },
    };
  });
  writeFileSync(join(CACHE, 'embedded-tls.json'), JSON.stringify({ profiles }, null, 2) + '\n');
  writeFileSync(join(CACHE, '.gitignore'), '*.key\n');
  sh(
    `git init -q . && git add -f .gitignore embedded-tls.json pki/ca.pem devices/group0/device-000.key && \
     git -c user.name=bench -c user.email=bench@example.invalid commit -q -m workspace`,
    CACHE,
  );
  writeFileSync(join(CACHE, '.done'), '');
  return CACHE;
}

function filesOf(dir: string): { certs: string[]; keys: string[] } {
  const all = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => !f.startsWith('.git'));
  return {
    certs: all.filter((f) => f.endsWith('.pem')).map((f) => join(dir, f)),
    keys: all.filter((f) => f.endsWith('.key')).map((f) => join(dir, f)),
  };
}

async function checkOnce(
  dir: string,
): Promise<{ ms: number; files: number; objects: number; findings: number }> {
  const t0 = performance.now();
  const r = await checkWorkspace(dir, {
    fs: fastReadFileSystem,
    dir: nodeDirectoryPort,
    git: nodeGitPort,
    stat: (p) => nodeFileSystem.stat(p),
    root: dir,
  });
  return {
    ms: performance.now() - t0,
    files: r.model.files.size,
    objects: r.model.objects.length,
    findings: r.findings.length,
  };
}

/** Where the time goes, phase by phase (git run after the rest here, not overlapped as in checkWorkspace). */
async function phases(dir: string): Promise<string> {
  const out: string[] = [];
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    out.push(`${name} ${(now - t).toFixed(0)}`);
    t = now;
  };
  const paths = await discoverFiles(dir, {}, nodeDirectoryPort);
  lap('discover');
  const bytes = await Promise.all(paths.map((p) => fastReadFileSystem.readFile(p)));
  lap('read');
  const isKey = (p: string) => p.endsWith('.key');
  const certFiles = paths.flatMap((p, i) => (isKey(p) ? [] : [scanFile(p, bytes[i]!)]));
  lap('parse certificates');
  const keyFiles = paths.flatMap((p, i) => (isKey(p) ? [scanFile(p, bytes[i]!)] : []));
  lap('parse keys');
  const project = await loadProject(nodeFileSystem, join(dir, 'embedded-tls.json'));
  const model = linkWorkspace([...certFiles, ...keyFiles], project);
  lap('link');
  await checkProject({ model, project }, { root: dir });
  lap('rules');
  await checkProject({ model, project }, { root: dir, git: nodeGitPort });
  lap('rules + git');
  return out.join(', ') + ' ms';
}

async function main(): Promise<void> {
  const dir = workspace();
  const { certs, keys } = filesOf(dir);
  if (certs.length + keys.length !== 2 * (DEVICES + 1))
    throw new Error(`expected 1,000 files, found ${certs.length + keys.length}`);

  // The first run is what activation sees: cold JIT, cold file cache for this process.
  const first = await checkOnce(dir);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push((await checkOnce(dir)).ms);
  const median = [...runs].sort((a, b) => a - b)[2]!;
  const breakdown = await phases(dir);

  // The same through one `etls check` process: start-up, the bundle and the exit included.
  let cliMs: number | undefined;
  if (existsSync(CLI)) {
    const c0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'check', dir, '--json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cliMs = performance.now() - c0;
    if (r.status !== 0 && r.status !== 1) throw new Error(`etls check failed: ${String(r.stderr)}`);
  }

  const t0 = performance.now();
  for (const f of certs)
    if (spawnSync('openssl', ['x509', '-noout', '-text', '-in', f], { stdio: 'ignore' }).status !== 0)
      throw new Error(`openssl x509 failed on ${f}`);
  for (const f of keys)
    if (spawnSync('openssl', ['pkey', '-noout', '-text', '-in', f], { stdio: 'ignore' }).status !== 0)
      throw new Error(`openssl pkey failed on ${f}`);
  const opensslMs = performance.now() - t0;

  console.log(
    `bench/explorer (core): ${first.files} files, ${first.objects} objects, ${first.findings} findings`,
  );
  // Figures from a busy machine are not comparable; say how busy it was.
  console.log(
    `  machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`  discover + read + link + check (git included), first run: ${first.ms.toFixed(1)} ms`);
  console.log(`  same, median of 5 warm runs: ${median.toFixed(1)} ms`);
  console.log(`  warm phases: ${breakdown}`);
  console.log(
    `  one \`etls check --json\` process: ${cliMs === undefined ? 'skipped (run npm run build)' : `${cliMs.toFixed(1)} ms`}`,
  );
  console.log(`  anchor: openssl x509/pkey -noout -text, once per file: ${opensslMs.toFixed(1)} ms`);
  console.log(
    `  ratio: the check is ${(opensslMs / first.ms).toFixed(1)}x faster than the openssl loop (first run); ` +
      `target: complete within 1000 ms -> ${first.ms <= 1000 ? 'met' : 'NOT met'}`,
  );
}

main().catch((e: unknown) => {
  console.error(`bench/explorer failed: ${(e as Error).message}`);
  process.exitCode = 1;
});

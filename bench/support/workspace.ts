// The 1,000-file firmware workspace the explorer benchmarks share, made once with openssl and cached
// under the temp folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEVICES = 499; // + the CA's certificate and key = 1,000 certificate and key files
const RSA_EVERY = 10; // one device in ten has an RSA-2048 key, the rest EC P-256
export const CACHE = join(tmpdir(), `etls-bench-explorer-core-v1-${DEVICES}`);

function sh(script: string, cwd: string): void {
  const r = spawnSync('sh', ['-ec', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`workspace generation failed: ${String(r.stderr).slice(0, 500)}`);
}

/**
 * A firmware workspace, made once and cached under the temp folder: a dev CA, 499 device
 * certificates with their keys in 10 folders, a project file with five profiles, a git
 * repository that ignores *.key, and one key left tracked so the git rules have work to do.
 */
export function workspace(): string {
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

// The shared set-up of the `etls check` e2e suites: an openssl PKI, workspaces made from it, and
// the built CLI run on them with --json.
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls, requireBuiltCli, requireTool, scratchDir } from '../../support/realParts';
import { OpenSslPki, type Issued } from '../../support/openssl';

export interface Finding {
  file: string;
  code: string;
  severity: string;
  message: string;
  range?: { start: { line: number } };
  fix?: { kind: string; args: Record<string, unknown> };
}

export class CheckHarness {
  private readonly scratch;
  readonly pki: OpenSslPki;

  constructor(name: string) {
    this.scratch = scratchDir(`check-${name}`);
    this.pki = new OpenSslPki(join(this.scratch.path, 'pki'));
  }

  get path(): string {
    return this.scratch.path;
  }

  /** Fails loudly without openssl, git or the built CLI; makes a dev CA, a device and a broker certificate. */
  setUp(): { ca: Issued; device: Issued; broker: Issued } {
    requireTool('openssl');
    requireTool('git');
    requireBuiltCli();
    const ca = this.pki.root('ca', '/CN=Dev CA/O=Acme');
    const device = this.pki.issue('device', '/CN=device-01', ca, { ext: ['extendedKeyUsage=clientAuth'] });
    const broker = this.pki.issue('broker', '/CN=broker.local', ca, {
      ext: ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:broker.local,IP:127.0.0.1'],
    });
    return { ca, device, broker };
  }

  remove(): void {
    this.scratch.remove();
  }

  /** A workspace folder with the given files (copied from the PKI) and one profile, "dev". */
  workspace(name: string, files: Record<string, string>, profile: object): string {
    const dir = join(this.scratch.path, name);
    mkdirSync(dir, { recursive: true });
    for (const [to, from] of Object.entries(files)) {
      mkdirSync(join(dir, to, '..'), { recursive: true });
      copyFileSync(from, join(dir, to));
      if (/\.key/.test(to)) chmodSync(join(dir, to), 0o600);
    }
    writeFileSync(
      join(dir, 'embedded-tls.json'),
      JSON.stringify({ profiles: { dev: profile } }, null, 2) + '\n',
    );
    return dir;
  }

  /** `etls check DIR --json`: exit status 0 or 1, and the findings. */
  check(dir: string, args: string[] = ['--no-git']): { status: number | null; findings: Finding[] } {
    const r = etls(['check', dir, '--json', ...args]);
    assert.ok(r.status === 0 || r.status === 1, `etls check failed (${r.status}): ${r.stderr}`);
    return { status: r.status, findings: (JSON.parse(r.stdout) as { findings: Finding[] }).findings };
  }
}

/** Distinct codes; certificates made a moment ago are "recently issued" on boards, which one test checks. */
export function codes(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => f.code))].filter((c) => c !== 'cert-recently-issued').sort();
}

/** A correct Linux/Mosquitto profile, with overrides. */
export function good(o: object = {}): object {
  return {
    target: 'linux',
    ca: 'ca.pem',
    cert: 'device.pem',
    key: 'device.key',
    broker: { host: 'broker.local', cloud: 'mosquitto' },
    ...o,
  };
}

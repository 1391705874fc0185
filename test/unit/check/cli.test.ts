import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtlsError } from '../../../src/core/errors';
import { checkCommand } from '../../../src/cli/commands/check';
import type { CliIo } from '../../../src/cli/command';
import { formatFinding } from '../../../src/core/check/format';
import { FIXTURES } from './fixtures';

/** Runs the command as the CLI's main does: an EtlsError is exit status 2. */
async function runCli(args: string[], o: CliIo): Promise<number> {
  const [, ...rest] = args;
  try {
    return await checkCommand.run(rest, o);
  } catch (e) {
    if (!(e instanceof EtlsError)) throw e;
    o.err(e.describe());
    return 2;
  }
}

function io(cwd: string): CliIo & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    cwd,
    env: {},
    out: (t: string) => void (o.stdout += t),
    err: (t: string) => void (o.stderr += t),
  };
  return o;
}

describe('etls check (in process)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'etls-check-'));
    for (const f of ['ca.pem', 'broker.pem', 'device.pem', 'device.key'])
      copyFileSync(join(FIXTURES, f), join(dir, f));
    // A git checkout gives the fixture key 0644; on Linux that is a finding of its own.
    chmodSync(join(dir, 'device.key'), 0o600);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const writeProject = (profile: object) =>
    writeFileSync(join(dir, 'embedded-tls.json'), JSON.stringify({ profiles: { dev: profile } }, null, 2));

  it('exits 0 and prints only the summary for a good set', async () => {
    // Linux: the fixtures may have been made today, which boards without a clock would note.
    writeProject({
      target: 'linux',
      ca: 'ca.pem',
      cert: 'device.pem',
      key: 'device.key',
      broker: { host: 'broker.local' },
    });
    const o = io(dir);
    assert.equal(await runCli(['check', '--no-git'], o), 0, o.stdout + o.stderr);
    assert.equal(o.stdout, '');
    assert.match(o.stderr, /0 errors, 0 warnings/);
  });

  it('exits 1 with path:line:col lines for errors', async () => {
    writeProject({
      target: 'cc3220',
      ca: 'ca.pem',
      cert: 'device.pem',
      key: 'device.key',
      broker: { host: '10.1.1.1' },
    });
    const o = io(dir);
    assert.equal(await runCli(['check', '--no-git'], o), 1);
    assert.match(o.stdout, /^device\.key:1:1: error target-format: .*\[dev\]$/m);
    assert.match(o.stdout, /^broker\.pem:1:1: error ip-without-ip-san: /m);
  });

  it('gives JSON with fixes, and --strict fails on warnings', async () => {
    writeProject({ ca: 'ca.pem', cert: 'device.pem', key: 'device.key', broker: { host: 'broker.local' } });
    const o = io(dir);
    assert.equal(await runCli(['check', '--json', '--expiry-days', '40000', '--no-git'], o), 0);
    const json = JSON.parse(o.stdout) as { findings: Array<{ code: string }>; files: number };
    assert.equal(json.files, 4);
    assert.ok(json.findings.every((f) => f.code === 'cert-expiring'));
    assert.ok(json.findings.length >= 3);
    assert.equal(await runCli(['check', '--strict', '--expiry-days', '40000', '--no-git'], io(dir)), 1);
  });

  it('narrows to one profile with --profile', async () => {
    writeFileSync(
      join(dir, 'embedded-tls.json'),
      JSON.stringify({
        profiles: {
          good: {
            target: 'linux',
            ca: 'ca.pem',
            cert: 'device.pem',
            key: 'device.key',
            broker: { host: 'broker.local' },
          },
          bad: { target: 'cc3220', cert: 'device.pem', broker: { host: 'broker.local' } },
        },
      }),
    );
    assert.equal(await runCli(['check', '--no-git', '--profile', 'good'], io(dir)), 0);
    const o = io(dir);
    assert.equal(await runCli(['check', '--no-git', '--profile', 'bad'], o), 1);
    assert.match(o.stdout, /target-format/);
    const none = io(dir);
    assert.equal(await runCli(['check', '--profile', 'nope'], none), 2);
    assert.match(none.stderr, /no profile "nope".*Profiles: good, bad/);
  });

  it('refuses bad arguments with exit 2', async () => {
    const o = io(dir);
    assert.equal(await runCli(['check', '--expiry-days', 'soon'], o), 2);
    assert.match(o.stderr, /whole number/);
    assert.equal(await runCli(['check', '--project', 'nope.json'], io(dir)), 2);
  });

  it('formats findings 1-based, relative to the working folder', () => {
    const line = formatFinding(
      {
        file: join(dir, 'a.pem'),
        range: { start: { line: 4, column: 2 }, end: { line: 4, column: 9 } },
        severity: 'warning',
        code: 'cert-expiring',
        message: 'm',
      },
      dir,
    );
    assert.equal(line, 'a.pem:5:3: warning cert-expiring: m');
    assert.equal(
      formatFinding({ file: '/elsewhere/b.pem', severity: 'info', code: 'cert-expiring', message: 'm' }, dir),
      '/elsewhere/b.pem:1:1: info cert-expiring: m',
    );
  });

  it('prints lines the contributed $etlsCheck problem matcher reads', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: {
        problemMatchers: Array<{ name: string; pattern: { regexp: string } & Record<string, number> }>;
      };
    };
    const matcher = pkg.contributes.problemMatchers.find((m) => m.name === 'etlsCheck')!;
    const line = formatFinding(
      {
        file: join(dir, 'certs', 'broker.pem'),
        range: { start: { line: 0, column: 0 }, end: { line: 20, column: 0 } },
        severity: 'error',
        code: 'host-not-in-san',
        message: 'broker certificate broker.local does not cover mqtt.local: its SAN is DNS:x',
        profile: 'dev',
      },
      dir,
    );
    const m = new RegExp(matcher.pattern.regexp).exec(line)!;
    const p = matcher.pattern;
    assert.equal(m[p['file']!], 'certs/broker.pem');
    assert.equal(m[p['line']!], '1');
    assert.equal(m[p['column']!], '1');
    assert.equal(m[p['severity']!], 'error');
    assert.equal(m[p['code']!], 'host-not-in-san');
    assert.match(m[p['message']!]!, /^broker certificate .* \[dev\]$/);
  });
});

// etls header as a build step: stale detection, determinism, awkward names, the project file.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { etls, requireBuiltCli, requireTool, run, scratchDir } from '../../support/realParts';
import { makePki, type Pki } from './pki';
import { roundTrip } from './roundTrip';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('etls header as a build step (e2e)', function () {
  this.timeout(180_000);
  let scratch: ReturnType<typeof scratchDir>;
  let pki: Pki;

  before(() => {
    for (const tool of ['openssl', 'gcc', 'g++', 'git']) requireTool(tool);
    requireBuiltCli();
    scratch = scratchDir('header-build');
    pki = makePki(mkdirAndReturn(join(scratch.path, 'pki')));
  });
  after(() => scratch?.remove());

  function mkdirAndReturn(dir: string): string {
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** A firmware tree: certs/ with copies of the PKI files, include/ for headers. */
  function firmwareTree(name: string): string {
    const root = mkdirAndReturn(join(scratch.path, name));
    mkdirAndReturn(join(root, 'certs'));
    mkdirAndReturn(join(root, 'include'));
    copyFileSync(pki.caPem, join(root, 'certs', 'ca.pem'));
    copyFileSync(pki.devicePem, join(root, 'certs', 'device.pem'));
    copyFileSync(pki.deviceKey, join(root, 'certs', 'device.key'));
    return root;
  }

  it('--check passes right after generating, fails with file:line once a source changes, passes again after regenerating', () => {
    const root = firmwareTree('stale');
    const args = ['header', 'certs/ca.pem', 'certs/device.pem', '-o', 'include/certs.h'];
    assert.equal(etls(args, { cwd: root }).status, 0);
    const ok = etls([...args, '--check'], { cwd: root });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /include\/certs\.h: up to date/);

    // A renewed device certificate: same file name, different bytes.
    copyFileSync(pki.renewedPem, join(root, 'certs', 'device.pem'));
    const stale = etls([...args, '--check'], { cwd: root });
    assert.equal(stale.status, 1);
    const m =
      /^include\/certs\.h:(\d+): error: device_cert_der is stale: \.\.\/certs\/device\.pem changed/m.exec(
        stale.stdout,
      );
    assert.ok(m, stale.stdout);
    const header = readFileSync(join(root, 'include', 'certs.h'), 'utf8').split('\n');
    assert.match(header[Number(m[1]) - 1]!, /^static const unsigned char device_cert_der\[\]/);
    // --check wrote nothing.
    assert.equal(etls([...args, '--check'], { cwd: root }).status, 1);

    // The header can be checked and regenerated from what it records, without repeating the files.
    assert.equal(etls(['header', '--check', '-o', 'include/certs.h'], { cwd: root }).status, 1);
    assert.equal(etls(['header', '-o', 'include/certs.h'], { cwd: root }).status, 0);
    assert.equal(etls([...args, '--check'], { cwd: root }).status, 0);
    assert.match(
      readFileSync(join(root, 'include', 'certs.h'), 'utf8'),
      new RegExp(`SHA-256: ${sha256(pki.renewedPem)}`),
    );

    // Hand edits are stale too.
    const edited = readFileSync(join(root, 'include', 'certs.h'), 'utf8').replace(/0x30, 0x82/, '0x30, 0x83');
    writeFileSync(join(root, 'include', 'certs.h'), edited);
    const hand = etls([...args, '--check'], { cwd: root });
    assert.equal(hand.status, 1);
    assert.match(hand.stdout, /edited by hand/);
  });

  it('leaves an up-to-date header untouched so make does not rebuild', async () => {
    const root = firmwareTree('untouched');
    const args = ['header', 'certs/ca.pem', '-o', 'include/ca.h'];
    assert.equal(etls(args, { cwd: root }).status, 0);
    const before = statSync(join(root, 'include', 'ca.h')).mtimeMs;
    await new Promise((r) => setTimeout(r, 50));
    const again = etls(args, { cwd: root });
    assert.equal(again.status, 0);
    assert.match(again.stdout, /include\/ca\.h: up to date/);
    assert.equal(statSync(join(root, 'include', 'ca.h')).mtimeMs, before);
  });

  it('is deterministic: same sources, same bytes, whatever the folder, path style or time', () => {
    const a = firmwareTree('det-a');
    const b = firmwareTree('det-b');
    const opts = ['--format', 'pem', '--static'];
    assert.equal(
      etls(['header', ...opts, 'certs/ca.pem', 'certs/device.key', '-o', 'include/certs.h'], { cwd: a })
        .status,
      0,
    );
    // From another working folder, with absolute paths.
    assert.equal(
      etls(
        [
          'header',
          ...opts,
          join(b, 'certs/ca.pem'),
          join(b, 'certs/device.key'),
          '-o',
          join(b, 'include/certs.h'),
        ],
        { cwd: scratch.path },
      ).status,
      0,
    );
    const ha = readFileSync(join(a, 'include', 'certs.h'));
    assert.deepEqual(ha, readFileSync(join(b, 'include', 'certs.h')));
    assert.doesNotMatch(
      ha.toString(),
      new RegExp(scratch.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      'no absolute paths',
    );
  });

  it('gives legal C names for awkward file names and compiles them', () => {
    const root = mkdirAndReturn(join(scratch.path, 'awkward'));
    const files: Record<string, string> = {
      '1st cert.pem': 'file_1st_cert_der',
      'my-device.cert.der': 'my_device_cert_der',
      'çà é.pem': 'ca_e_cert_der',
      int: 'int_cert_der',
      '证书.der': 'data_cert_der',
    };
    copyFileSync(pki.caPem, join(root, '1st cert.pem'));
    copyFileSync(pki.deviceDer, join(root, 'my-device.cert.der'));
    copyFileSync(pki.devicePem, join(root, 'çà é.pem'));
    copyFileSync(pki.caDer, join(root, 'int'));
    copyFileSync(pki.deviceDer, join(root, '证书.der'));
    const r = etls(['header', ...Object.keys(files), '-o', 'my certs-1.h'], { cwd: root });
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(join(root, 'my certs-1.h'), 'utf8');
    assert.match(text, /^#ifndef MY_CERTS_1_H$/m);
    for (const name of Object.values(files))
      assert.match(text, new RegExp(`^static const unsigned char ${name}\\[\\] = \\{$`, 'm'));
    const symbols = Object.values(files).map((name) => ({ name, size: 'len' as const }));
    for (const lang of ['c', 'c++'] as const) {
      const out = roundTrip(root, 'my certs-1.h', symbols, { lang });
      assert.deepEqual(out.get('int_cert_der'), readFileSync(pki.caDer));
      assert.deepEqual(out.get('data_cert_der'), readFileSync(pki.deviceDer));
    }
    // The header records the awkward paths so it can regenerate itself.
    assert.equal(etls(['header', '--check', '-o', 'my certs-1.h'], { cwd: root }).status, 0);
  });

  it('regenerates and checks every header of embedded-tls.json from any subfolder', () => {
    const root = firmwareTree('project');
    const project = {
      version: 1,
      profiles: {
        dev: {
          target: 'esp32',
          broker: { host: 'broker.example', port: 8883, clientId: 'device-01' },
          headers: [
            {
              output: 'include/certs.h',
              inputs: [{ file: 'certs/ca.pem', name: 'root_ca' }, { file: 'certs/device.pem' }],
            },
            {
              output: 'include/demo_config.h',
              layout: 'coremqtt',
              inputs: [{ file: 'certs/ca.pem' }, { file: 'certs/device.pem' }, { file: 'certs/device.key' }],
            },
          ],
        },
        prod: {
          headers: [
            {
              output: 'include/prod.h',
              format: 'pem',
              options: { static: true },
              inputs: [{ file: 'certs/ca.pem' }],
            },
          ],
        },
      },
    };
    writeFileSync(join(root, 'embedded-tls.json'), JSON.stringify(project, null, 2));
    const sub = mkdirAndReturn(join(root, 'src', 'app'));
    const r = etls(['header'], { cwd: sub });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.match(/^wrote /gm)?.length, 3, r.stdout);
    const certs = readFileSync(join(root, 'include', 'certs.h'), 'utf8');
    assert.match(
      certs,
      /Regenerate \(in this folder\): etls header --project \.\.\/embedded-tls\.json --profile dev/,
    );
    assert.match(certs, /^static const unsigned char root_ca\[\]/m);
    assert.match(
      readFileSync(join(root, 'include', 'demo_config.h'), 'utf8'),
      /#define democonfigMQTT_BROKER_ENDPOINT "broker.example"/,
    );
    assert.equal(etls(['header', '--check'], { cwd: root }).status, 0);

    copyFileSync(pki.renewedPem, join(root, 'certs', 'device.pem'));
    const stale = etls(['header', '--check', '--profile', 'dev'], { cwd: root });
    assert.equal(stale.status, 1);
    assert.match(stale.stdout, /^include\/certs\.h:\d+: error: device_cert_der is stale/m);
    assert.match(
      stale.stdout,
      /^include\/demo_config\.h:\d+: error: democonfigCLIENT_CERTIFICATE_PEM is stale/m,
    );
    assert.equal(etls(['header', '--check', '--profile', 'prod'], { cwd: root }).status, 0);
    // One header regenerated from its own record, through the project file.
    assert.equal(etls(['header', '-o', 'include/certs.h'], { cwd: root }).status, 0);
    assert.match(etls(['header', '--check'], { cwd: root }).stdout, /include\/certs\.h: up to date/);
  });

  it('writes headers that etls inspect reads back, in every layout', () => {
    const root = firmwareTree('inspect');
    const layouts = [
      ['--format', 'der'],
      ['--format', 'pem'],
      ['--layout', 'freertos'],
      ['--layout', 'coremqtt'],
      ['--layout', 'arduino'],
    ];
    const expected = [
      'CA certificate CN=Header Test CA',
      'certificate CN=device-01',
      'EC P-256 private key, SEC1',
    ];
    const files = ['certs/ca.pem', 'certs/device.pem', 'certs/device.key'];
    layouts.forEach((options, i) => {
      const out = `include/h${i}.h`;
      assert.equal(etls(['header', ...options, ...files, '-o', out], { cwd: root }).status, 0);
      const r = etls(['inspect', '--json', out], { cwd: root });
      assert.equal(r.status, 0, r.stderr);
      const found = (JSON.parse(r.stdout) as Array<{ summary: string }>).map((o) => o.summary);
      assert.equal(found.length, 3, `${options.join(' ')}: ${found.join(' | ')}`);
      for (const e of expected)
        assert.ok(
          found.some((f) => f.startsWith(e)),
          `${options.join(' ')}: no "${e}" in ${found.join(' | ')}`,
        );
    });
  });

  it('says what is wrong, in one sentence with a fix, without a stack trace', () => {
    const root = firmwareTree('errors');
    writeFileSync(join(root, 'blob.bin'), Buffer.from([1, 2, 3]));
    const cases: Array<[string[], RegExp]> = [
      [['header', 'certs/missing.pem', '-o', 'x.h'], /missing\.pem: no such file/],
      [
        ['header', '--format', 'pem', 'blob.bin', '-o', 'x.h'],
        /neither PEM nor a DER certificate or key.*Use --format der/,
      ],
      [
        ['header', '--layout', 'freertos', '--format', 'der', 'certs/ca.pem', '-o', 'x.h'],
        /holds PEM strings/,
      ],
      [['header', '--name', '1bad', 'certs/ca.pem', '-o', 'x.h'], /not a legal C identifier/],
      [['header', 'certs/ca.pem'], /need an output.*-o OUT\.h/],
      [
        ['header', '--layout', 'vhdl', 'certs/ca.pem', '-o', 'x.h'],
        /--layout vhdl is not known.*c, freertos, coremqtt, arduino/,
      ],
      [['header'], /no embedded-tls\.json/],
    ];
    for (const [args, pattern] of cases) {
      const r = etls(args, { cwd: root });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr.replace(/\n/g, ' '), pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('prints its usage for --help', () => {
    const r = etls(['header', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--layout c\|freertos\|coremqtt\|arduino/);
  });

  it('warns when git tracks a header that holds a private key', () => {
    const root = firmwareTree('git');
    run('git', ['init', '-q'], { cwd: root });
    const args = ['header', 'certs/device.key', '-o', 'include/key.h'];
    const first = etls(args, { cwd: root });
    assert.equal(first.status, 0);
    assert.doesNotMatch(first.stderr, /git tracks it/);
    assert.equal(statSync(join(root, 'include', 'key.h')).mode & 0o777, 0o600);
    run('git', ['add', 'include/key.h'], { cwd: root });
    const tracked = etls(args, { cwd: root });
    assert.equal(tracked.status, 0);
    assert.match(tracked.stderr, /include\/key\.h:1: warning: holds a PRIVATE KEY and git tracks it/);
  });
});

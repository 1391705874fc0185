// The build snippets of docs/headers.md, run for real: make, and cmake with its default generator.
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { CLI, REPO, requireBuiltCli, requireTool, scratchDir } from '../../support/realParts';
import { makePki, type Pki } from './pki';

const DOC = readFileSync(join(REPO, 'docs', 'headers.md'), 'utf8');

/** The first fenced block of `lang` after the heading `heading`. */
function snippet(heading: string, lang: string): string {
  const at = DOC.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `docs/headers.md has no "${heading}" section`);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(DOC.slice(at));
  assert.ok(m, `no ${lang} block under ${heading}`);
  return m[1]!;
}

describe('docs/headers.md build snippets (e2e: make, cmake, gcc)', function () {
  this.timeout(240_000);
  let scratch: ReturnType<typeof scratchDir>;
  let pki: Pki;
  let env: NodeJS.ProcessEnv;

  before(() => {
    for (const tool of ['openssl', 'gcc', 'make', 'cmake']) requireTool(tool);
    requireBuiltCli();
    scratch = scratchDir('header-docs');
    mkdirSync(join(scratch.path, 'pki'));
    pki = makePki(join(scratch.path, 'pki'));
    // `etls` on the PATH, as an npm install would put it.
    const bin = join(scratch.path, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'etls'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'etls'), 0o755);
    env = { ...process.env, PATH: `${bin}:${process.env['PATH']}` };
  });
  after(() => scratch?.remove());

  function project(name: string): string {
    const root = join(scratch.path, name);
    mkdirSync(join(root, 'certs'), { recursive: true });
    mkdirSync(join(root, 'include'), { recursive: true });
    copyFileSync(pki.caPem, join(root, 'certs', 'ca.pem'));
    copyFileSync(pki.devicePem, join(root, 'certs', 'device.pem'));
    copyFileSync(pki.deviceKey, join(root, 'certs', 'device.key'));
    writeFileSync(join(root, 'main.c'), snippet('`main.c` for both:', 'c'));
    return root;
  }

  const sh = (cmd: string, cwd: string) =>
    execFileSync('sh', ['-c', cmd], {
      cwd,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });

  it('the Make snippet builds, and rebuilds the header when a certificate changes', () => {
    const root = project('make');
    writeFileSync(join(root, 'Makefile'), snippet('### Make', 'make'));
    sh('make', root);
    const ca = readFileSync(pki.caPem);
    assert.equal(sh('./app', root).trim(), `${ca.length + 1} bytes of CA certificate`);
    assert.match(sh('make -q app; echo $?', root).trim(), /^0$/);
    copyFileSync(pki.renewedPem, join(root, 'certs', 'device.pem'));
    sh('touch certs/device.pem && make', root);
    assert.equal(sh(`etls header --check -o include/certs.h; echo $?`, root).trim().split('\n').pop(), '0');
  });

  it('the CMake snippet configures, builds, and regenerates on a certificate change', () => {
    const root = project('cmake');
    writeFileSync(join(root, 'CMakeLists.txt'), snippet('### CMake', 'cmake'));
    sh('cmake -S . -B build >/dev/null && cmake --build build', root);
    const header = join(root, 'build', 'generated', 'certs.h');
    assert.match(readFileSync(header, 'utf8'), /^static const char ca_cert_pem\[\] =$/m);
    assert.equal(
      sh('./build/app', root).trim(),
      `${readFileSync(pki.caPem).length + 1} bytes of CA certificate`,
    );
    const before = statSync(header).mtimeMs;
    copyFileSync(pki.renewedPem, join(root, 'certs', 'device.pem'));
    sh('cmake --build build', root);
    assert.notEqual(statSync(header).mtimeMs, before);
    assert.match(readFileSync(header, 'utf8'), /Source: {2}\.\.\/\.\.\/certs\/device\.pem/);
    assert.equal(
      sh('etls header --check -o build/generated/certs.h; echo $?', root).trim().split('\n').pop(),
      '0',
    );
  });

  it('the project file example is accepted as written', () => {
    const root = project('json');
    const json = /```json\n(\{\n {2}"version": 1[\s\S]*?)```/.exec(DOC);
    assert.ok(json, 'no embedded-tls.json example');
    writeFileSync(join(root, 'embedded-tls.json'), json[1]!);
    sh('etls header && etls header --check', root);
    assert.match(readFileSync(join(root, 'main', 'certs.h'), 'utf8'), /^static const char root_ca\[\] =$/m);
  });
});

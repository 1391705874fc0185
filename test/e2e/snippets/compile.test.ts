// Every C and Arduino snippet compiles (gcc/g++ -fsyntax-only) against stand-in headers written
// from the public APIs, together with the real header etls header writes: so the symbols the
// snippet names are the ones the header defines, and the fields and calls exist with those types.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls, requireBuiltCli, requireTool, scratchDir } from '../../support/realParts';
import { editProject, FIXTURES, headerCommandFrom, makeKitchen } from './project';

function compile(compiler: 'gcc' | 'g++', file: string, includes: string[], defines: string[] = []): void {
  const std = compiler === 'gcc' ? ['-x', 'c', '-std=c11'] : ['-x', 'c++', '-std=c++11'];
  const r = spawnSync(
    compiler,
    [
      '-fsyntax-only',
      '-Wall',
      '-Werror',
      '-Wno-unused-const-variable',
      '-Wno-unused-variable',
      ...std,
      ...includes.flatMap((i) => ['-I', i]),
      ...defines,
      file,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(
    r.status,
    0,
    `${compiler} rejected ${file}:\n${r.stderr}\n--- snippet ---\n${readFileSync(file, 'utf8')}`,
  );
}

const KINDS: Array<{ kind: string; compiler: 'gcc' | 'g++'; fixture: string; variants: string[][] }> = [
  {
    kind: 'esp-idf',
    compiler: 'gcc',
    fixture: 'esp-idf',
    variants: [['-DESP_IDF_VERSION_MAJOR=5'], ['-DESP_IDF_VERSION_MAJOR=4']],
  },
  { kind: 'coremqtt', compiler: 'gcc', fixture: 'coremqtt', variants: [[]] },
  { kind: 'simplelink', compiler: 'gcc', fixture: 'simplelink', variants: [[]] },
  { kind: 'cc3200', compiler: 'gcc', fixture: 'cc3200', variants: [[]] },
  { kind: 'arduino-esp32', compiler: 'g++', fixture: 'arduino-esp32', variants: [[]] },
  { kind: 'esp8266-bearssl', compiler: 'g++', fixture: 'esp8266', variants: [[]] },
  { kind: 'wifinina', compiler: 'g++', fixture: 'wifinina', variants: [[], ['-DETLS_CLIENT_CERT_ECCX08']] },
];

describe('etls snippet: C and Arduino snippets compile (e2e)', function () {
  this.timeout(180_000);
  let scratch: ReturnType<typeof scratchDir>;

  before(() => {
    for (const tool of ['gcc', 'g++', 'openssl']) requireTool(tool);
    requireBuiltCli();
    scratch = scratchDir('snippet-compile');
    makeKitchen(scratch.path);
  });
  after(() => scratch?.remove());

  for (const k of KINDS)
    it(`${k.kind}: compiles with the header the snippet names`, () => {
      const r = etls(['snippet', '--profile', 'kitchen', '--for', k.kind], { cwd: scratch.path });
      assert.equal(r.status, 0, r.stderr);
      const file = join(scratch.path, `${k.kind}.${k.compiler === 'gcc' ? 'c' : 'cpp'}`);
      writeFileSync(file, r.stdout);
      if (k.kind !== 'simplelink' && k.kind !== 'cc3200') {
        // No header recorded yet: the snippet says which command writes it; run exactly that.
        const words = headerCommandFrom(r.stderr);
        assert.ok(words, `no header command in:\n${r.stderr}`);
        const h = etls(['header', ...words], { cwd: scratch.path });
        assert.equal(h.status, 0, h.stderr);
      }
      for (const defines of k.variants)
        compile(k.compiler, file, [join(FIXTURES, k.fixture), scratch.path], defines);
    });

  it('uses the names a recorded header gives, and says nothing about writing one', () => {
    editProject(scratch.path, (p) => {
      p.profiles['kitchen']!['headers'] = [
        {
          output: 'firmware/creds.h',
          format: 'pem',
          inputs: [
            { file: 'certs/ca.pem', name: 'broker_root' },
            { file: 'certs/device-01.pem' },
            { file: 'certs/device-01.key', name: 'my_key' },
          ],
        },
      ];
    });
    const h = etls(['header', '--profile', 'kitchen'], { cwd: scratch.path });
    assert.equal(h.status, 0, h.stderr);
    for (const k of KINDS.filter((x) => x.kind === 'esp-idf' || x.kind === 'esp8266-bearssl')) {
      const r = etls(['snippet', '--profile', 'kitchen', '--for', k.kind], { cwd: scratch.path });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /broker_root/);
      assert.match(r.stdout, /my_key/);
      assert.match(r.stdout, /#include "creds\.h"/);
      assert.doesNotMatch(r.stderr, /write it/);
      const file = join(scratch.path, `recorded-${k.kind}.${k.compiler === 'gcc' ? 'c' : 'cpp'}`);
      writeFileSync(file, r.stdout);
      for (const defines of k.variants)
        compile(k.compiler, file, [join(FIXTURES, k.fixture), join(scratch.path, 'firmware')], defines);
    }
  });
});

// Real board and broker log lines from public threads (test/fixtures/board-logs): `explain` must name them.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { catalog, explain } from '../../../src/core/explain';

interface CorpusLine {
  file: string;
  source: string;
  library: string;
  name: string;
  target?: string;
  line: string;
}

const dir = resolve(__dirname, '../../fixtures/board-logs');

function readCorpus(): CorpusLine[] {
  const out: CorpusLine[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
    let source = '';
    for (const raw of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!raw.trim() || raw.startsWith('# ')) continue;
      if (raw.startsWith('@ ')) {
        source = raw.slice(2).trim();
        continue;
      }
      const [library, name, target, ...rest] = raw.split('\t');
      assert.ok(library && name && target && rest.length, `${file}: malformed corpus line: ${raw}`);
      out.push({ file, source, library, name, line: rest.join('\t'), ...(target !== '-' ? { target } : {}) });
    }
  }
  return out;
}

describe('explain: the corpus of real log lines', () => {
  const corpus = readCorpus();

  it('has lines from every library family the issue names, each with its source', () => {
    for (const f of [
      'esp-idf',
      'arduino-esp32',
      'esp8266-bearssl',
      'simplelink',
      'pubsubclient',
      'wolfssl',
      'coremqtt',
      'mosquitto',
    ])
      assert.ok(
        corpus.some((c) => c.file === `${f}.txt`),
        `no ${f} lines`,
      );
    for (const c of corpus)
      assert.match(c.source, /^https?:\/\//, `${c.file}: "${c.line}" has no source URL`);
    assert.ok(corpus.length >= 40, `only ${corpus.length} lines`);
  });

  it('expects only names the catalog has (from the headers), or a broker log name', () => {
    for (const c of corpus) {
      if (c.library === 'openssl' || c.library === 'mosquitto') continue;
      assert.ok(
        catalog.some((e) => e.library === c.library && e.name === c.name),
        `${c.file}: ${c.library} ${c.name} is not in the catalog`,
      );
    }
  });

  it('recognises at least 90% of the lines', () => {
    const recognised = corpus.filter((c) => explain(c.line, c.target).explanations.length > 0);
    assert.ok(recognised.length / corpus.length >= 0.9, `${recognised.length}/${corpus.length} recognised`);
  });

  it('names every line right: library and symbolic name of the best candidate', () => {
    const wrong = corpus
      .map((c) => ({ c, best: explain(c.line, c.target).explanations[0] }))
      .filter(({ c, best }) => !best || best.library !== c.library || best.name !== c.name)
      .map(
        ({ c, best }) =>
          `${c.file}: "${c.line}" → ${best ? `${best.library} ${best.name}` : 'nothing'}, want ${c.library} ${c.name}`,
      );
    assert.deepEqual(wrong, []);
  });
});

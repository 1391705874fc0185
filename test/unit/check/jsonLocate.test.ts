import { strict as assert } from 'node:assert';
import { locateJson } from '../../../src/core/check/jsonLocate';

describe('locateJson', () => {
  const text = `{
  "profiles": {
    "dev": {
      "broker": { "host": "a.b", "port": 443, "alpn": ["x"] },
      "key": "k\\"ey.pem"
    }
  }
}`;
  const m = locateJson(text);
  const at = (...p: Array<string | number>) => m.get(JSON.stringify(p));

  it('places primitive values', () => {
    const line3 = text.split('\n')[3]!;
    const port = line3.indexOf('443');
    assert.deepEqual(at('profiles', 'dev', 'broker', 'port'), {
      start: { line: 3, column: port },
      end: { line: 3, column: port + 3 },
    });
    assert.deepEqual(at('profiles', 'dev', 'key')?.start, {
      line: 4,
      column: text.split('\n')[4]!.lastIndexOf('"k'),
    });
    assert.deepEqual(at('profiles', 'dev', 'broker', 'alpn', 0)?.start, {
      line: 3,
      column: line3.indexOf('"x"'),
    });
  });

  it('places objects at their property name', () => {
    assert.deepEqual(at('profiles', 'dev'), { start: { line: 2, column: 4 }, end: { line: 2, column: 9 } });
  });

  it('returns what it found before a syntax error', () => {
    const broken = locateJson('{ "a": 1, "b": ');
    assert.ok(broken.get(JSON.stringify(['a'])));
  });
});

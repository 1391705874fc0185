// Feeds 10,000+ mutated inputs through the reader: nothing may escape, nothing may take long.
import assert from 'node:assert/strict';
import { readObjects } from '../../../src/core/x509';
import { fixture } from './helpers';

/** A small deterministic PRNG so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'device-01.der',
  'rsa-pkcs1.der',
  'rsa-pkcs8.der',
  'ca.pem',
  'device-01.csr',
  'rsa-encrypted.key',
  'rsa-legacy-encrypted.key',
  'device-01.p12',
  'ec-params.pem',
];
/** Per-input bound: far above the ~0.1 ms an input takes, far below a hang. */
const BOUND_MS = 2000;

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  const b = new Uint8Array(input);
  const n = () => Math.floor(r() * b.length);
  switch (Math.floor(r() * 6)) {
    case 0: // bit flips
      for (let k = 1 + Math.floor(r() * 8); k > 0; k--) b[n()]! ^= 1 << Math.floor(r() * 8);
      return b;
    case 1: // truncation
      return b.subarray(0, n());
    case 2: // random bytes, same length
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
      return b;
    case 3: {
      // length bytes set to extremes
      const i = n();
      b[i] = [0x80, 0x84, 0xff, 0x00, 0x7f][Math.floor(r() * 5)]!;
      return b;
    }
    case 4: {
      // mangled PEM: drop, duplicate or swap lines
      const lines = new TextDecoder('latin1').decode(b).split('\n');
      const i = Math.floor(r() * lines.length);
      const op = Math.floor(r() * 3);
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) lines.splice(i, 0, lines[i] ?? '');
      else lines[i] = (lines[i] ?? '').split('').reverse().join('');
      return new Uint8Array(Buffer.from(lines.join('\n'), 'latin1'));
    }
    default: {
      // splice a chunk of itself somewhere else
      const from = n();
      const len = Math.floor(r() * 64);
      const to = n();
      return new Uint8Array([...b.subarray(0, to), ...b.subarray(from, from + len), ...b.subarray(to)]);
    }
  }
}

describe('reader fuzzing', function () {
  this.timeout(300_000);
  it('survives 10,800 mutated inputs without an exception or a slow input', () => {
    const r = rng(20261121);
    let count = 0;
    let worst = 0;
    let objects = 0;
    let problems = 0;
    for (const seed of SEEDS) {
      const original = fixture(seed);
      for (let i = 0; i < 1200; i++) {
        const input = mutate(original, r);
        const names = [seed, 'x.c', 'x.p12'];
        const name = names[i % 3]!;
        const t0 = performance.now();
        let result;
        try {
          result = readObjects(input, { fileName: name, passphrase: i % 2 ? 'secret' : undefined });
        } catch (e) {
          assert.fail(`input ${count} (${seed} as ${name}) threw: ${(e as Error).stack}`);
        }
        const ms = performance.now() - t0;
        worst = Math.max(worst, ms);
        assert.ok(ms < BOUND_MS, `input ${count} (${seed}) took ${ms.toFixed(0)} ms`);
        for (const p of result.problems) {
          assert.ok(p.message.length > 0 && !/\n\s+at /.test(p.message), `raw error leaked: ${p.message}`);
          assert.ok(!/^Error:|ERR_|asn1|forge/i.test(p.message), `library wording leaked: ${p.message}`);
        }
        objects += result.objects.length;
        problems += result.problems.length;
        count++;
      }
    }
    assert.equal(count, SEEDS.length * 1200);
    assert.ok(objects > 0 && problems > 0, 'the mutations should produce both survivors and failures');
  });
});

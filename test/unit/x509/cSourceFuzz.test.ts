// Fuzzes the C scanner with random and adversarial sources (deep nesting, unterminated literals,
// huge lengths, binary noise, token soup, mangled real files): no input may throw, and each must
// finish within a bound proportional to its size. A seeded PRNG makes every failure replayable.
import assert from 'node:assert/strict';
import { readObjects, scanCSource } from '../../../src/core/x509';
import { fixtureText } from './helpers';

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

/**
 * Per-input bound: a fixed allowance for a busy machine (GC, JIT) plus 5 µs per character. The scan
 * runs at 0.1 to 0.7 µs per character; the quadratic scanner this replaced took 1.7 s for 64 KB.
 */
const boundMs = (chars: number) => 500 + chars * 0.005;

/** Pieces of C that open or close something, so random sequences hit every state of the scanner. */
const TOKENS = [
  '{',
  '}',
  '{0x30,',
  '0x82, ',
  '48,',
  '(uint8_t)',
  '"',
  '"-----BEGIN CERTIFICATE-----\\n"',
  '"-----END CERTIFICATE-----\\n"',
  '"MIIB"',
  "'",
  "'{'",
  'R"(',
  ')"',
  'R"xy(',
  ')xy"',
  'u8R"',
  '/*',
  '*/',
  '//',
  '\n',
  '\\\n',
  '\r\n',
  '#define ',
  '#define M(x) ',
  '#if 1\n',
  '#endif\n',
  '# ',
  'MACRO ',
  'const char name[] = ',
  'static const uint8_t arr[] PROGMEM = ',
  '=',
  '==',
  ';',
  ',',
  '[',
  ']',
  '(',
  ')',
  ' ',
  '\\',
  'TA0_DN',
  'TA0_RSA_N',
  'TA0_EC_Q',
  '0x',
  '999',
  '.',
];

type Gen = (r: () => number) => string;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const repeat = (s: string, chars: number) => s.repeat(Math.max(1, Math.ceil(chars / s.length)));

const GENERATORS: Array<[string, Gen]> = [
  ['token soup', (r) => Array.from({ length: 1 + Math.floor(r() * 400) }, () => pick(r, TOKENS)).join('')],
  [
    'binary noise',
    (r) =>
      String.fromCharCode(...Array.from({ length: Math.floor(r() * 4000) }, () => Math.floor(r() * 256))),
  ],
  ['deep nesting', (r) => repeat(pick(r, ['{', '{0x30,', '(', '[', '{{}']), 1000 + r() * 50_000)],
  [
    'unterminated',
    (r) =>
      pick(r, ['const char a[] = ', '#define X ', '', '{0x30, ']) +
      pick(r, ['"', "'", 'R"(', 'R"abcdefghijklmnop(', '/*', '{', '#if ']) +
      repeat(pick(r, ['x', '0x30, ', '-----BEGIN CERTIFICATE-----\\n', ')', '"']), r() * 20_000),
  ],
  [
    'mangled real source',
    (r) => {
      const s = fixtureText(
        pick(r, [
          'c-sources/mbedtls-2-certs.c',
          'c-sources/azure-certs.c',
          'c-sources/nina-fw-BearSSLTrustAnchors.h',
          'c-sources/sslclient-trust-anchors.h',
          'c-sources/esp-idf-mqtt-app_main.c',
        ]),
      );
      let out = s;
      for (let k = 1 + Math.floor(r() * 6); k > 0; k--) {
        const at = Math.floor(r() * out.length);
        out = out.slice(0, at) + pick(r, TOKENS) + out.slice(at + Math.floor(r() * 8));
      }
      return out;
    },
  ],
];

/** The known worst cases, large: the inputs that once took minutes. */
const LARGE: Array<[string, string]> = [
  ["'{0x30,' x 1 MB", repeat('{0x30,', 1 << 20) + '}'],
  ['flat 1 MB byte list', '{' + repeat('0x30, ', 1 << 20) + '}'],
  ['R"( x 4 MB', repeat('R"(', 4 << 20)],
  [
    'R"abc( with distinct delimiters, 1 MB',
    Array.from({ length: 60_000 }, (_, i) => `R"${i.toString(36)}(`).join(''),
  ],
  ['"-----BEGIN x 1 MB', repeat('"-----BEGIN CERTIFICATE-----\\n" ', 1 << 20)],
  ['1 MB of #define continuations', '#define X ' + repeat('"a" \\\n', 1 << 20)],
  ['1 MB of open comments', repeat('/* /*', 1 << 20)],
  ['1 MB of (casts in a list', '{' + repeat('(uint8_t', 1 << 20)],
  ['1 MB of macros between literals', 'x = "-----BEGIN CERTIFICATE-----\\n" ' + repeat('M ', 1 << 20) + ';'],
];

function timeOne(label: string, src: string, name: string): number {
  const t0 = performance.now();
  try {
    scanCSource(src);
    readObjects(new TextEncoder().encode(src), { fileName: name });
  } catch (e) {
    assert.fail(`${label} (${src.length} chars) threw: ${(e as Error).stack}`);
  }
  const ms = performance.now() - t0;
  assert.ok(ms < boundMs(src.length), `${label}: ${src.length} chars took ${ms.toFixed(0)} ms`);
  return ms;
}

describe('C scanner fuzzing with time bounds', function () {
  this.timeout(600_000);

  it('scans 5,000 random and adversarial sources without an exception, each within its bound', () => {
    const r = rng(20261205);
    let count = 0;
    for (const [label, gen] of GENERATORS)
      for (let i = 0; i < 1000; i++) {
        const src = gen(r);
        timeOne(`${label} #${i}`, src, pick(r, ['x.c', 'x.h', 'x.cpp', 'x.ino']));
        count++;
      }
    assert.equal(count, GENERATORS.length * 1000);
  });

  it('scans the large worst cases in linear time', () => {
    for (const [label, src] of LARGE) timeOne(label, src, 'big.c');
  });
});

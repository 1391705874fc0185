// Key-derivation caps: hostile iteration counts (PKCS#12 MAC, PBKDF2 in a key bag or an encrypted
// key, scrypt N and p) are refused before anything is derived; real files made by openssl open.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readObjects, DEFAULT_KDF_LIMITS, UNLIMITED_KDF, kdfLimitsFrom } from '../../../src/core/x509';
import { planConversion } from '../../../src/core/pki/convertFiles';
import { isEtlsError } from '../../../src/core/errors';
import { pkcs12KeyNative } from '../../../src/core/x509/kdf';
import forge from 'node-forge';
import {
  encryptedKeyDer,
  exportP12,
  HUGE,
  hugeMacP12,
  replaceInteger,
  rewriteIntegers,
  toPemText,
} from '../../support/hostileKdf';
import { requireTool } from '../../support/realParts';

const dir = join(process.env['TMPDIR'] ?? tmpdir(), `etls-kdf-unit-${process.pid}`);

/** Guards against a regression that would hash for an hour: the test fails instead of hanging. */
function quick<T>(fn: () => T): T {
  const t = Date.now();
  const r = fn();
  assert.ok(Date.now() - t < 5000, `took ${Date.now() - t} ms`);
  return r;
}

function problems(bytes: Uint8Array, fileName: string, extra: object = {}) {
  return quick(() => readObjects(bytes, { fileName, ...extra }));
}

describe('key-derivation caps', function () {
  this.timeout(60_000);
  before(() => {
    requireTool('openssl');
    mkdirSync(dir, { recursive: true });
  });

  it('refuses a PKCS#12 whose MAC asks for 2^31-1 iterations, naming the count and the way to open it', () => {
    const r = problems(hugeMacP12(dir), 'hostile.p12');
    assert.equal(r.objects.length, 0);
    const p = r.problems[0]!;
    assert.equal(p.code, 'too-costly');
    assert.match(p.message, /MAC\) asks for 2147483647 iterations/);
    assert.match(p.fix!, /--allow-slow-kdf/);
    assert.match(p.fix!, /--max-kdf-iterations/);
  });

  it('refuses the same bundle given with a pass phrase, and in convert', () => {
    const bytes = hugeMacP12(dir);
    assert.equal(problems(bytes, 'hostile.p12', { passphrase: 'x' }).problems[0]?.code, 'too-costly');
    assert.throws(
      () => quick(() => planConversion('hostile.p12', bytes, { to: 'pem' })),
      (e: unknown) => isEtlsError(e) && e.code === 'too-costly' && /2147483647/.test(e.message),
    );
  });

  it('refuses a PBES2 key bag with 2^31-1 PBKDF2 iterations (bundle without a MAC)', () => {
    const p12 = replaceInteger(exportP12(dir, ['-nomac', '-certpbe', 'NONE']), 2048, HUGE);
    const p = problems(p12, 'bag.p12').problems[0]!;
    assert.equal(p.code, 'too-costly');
    assert.match(p.message, /PBKDF2\) asks for 2147483647 iterations/);
  });

  it('refuses a legacy 3DES bundle whose encryption asks for 2^31-1 PKCS#12 iterations', () => {
    const p12 = replaceInteger(
      exportP12(dir, ['-nomac', '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES']),
      2048,
      HUGE,
    );
    const p = problems(p12, 'legacy.p12').problems[0]!;
    assert.equal(p.code, 'too-costly');
    assert.match(p.message, /2147483647 iterations/);
  });

  it('refuses an encrypted PKCS#8 key with 2^31-1 PBKDF2 iterations when a pass phrase is given', () => {
    const der = replaceInteger(encryptedKeyDer(dir, ['-v2', 'aes-256-cbc', '-iter', '2048']), 2048, HUGE);
    const pem = new TextEncoder().encode(toPemText('ENCRYPTED PRIVATE KEY', der));
    const locked = problems(pem, 'k.pem');
    assert.equal(locked.problems.length, 0, 'without a pass phrase nothing is derived');
    const p = problems(pem, 'k.pem', { passphrase: 'secret' }).problems[0]!;
    assert.equal(p.code, 'too-costly');
    assert.match(p.message, /2147483647 iterations/);
    assert.throws(
      () => quick(() => planConversion('k.pem', pem, { to: 'pem', passphrase: 'secret' })),
      (e: unknown) => isEtlsError(e) && e.code === 'too-costly',
    );
  });

  it('names scrypt parameters above OpenSSL memory cap instead of calling them a wrong pass phrase', () => {
    // openssl's default scrypt: N=16384, r=8, p=1; N=2^20 needs 1 GiB.
    const der = encryptedKeyDer(dir, ['-scrypt']);
    const big = replaceInteger(der, 16384, 1 << 20);
    const pem = new TextEncoder().encode(toPemText('ENCRYPTED PRIVATE KEY', big));
    const p = problems(pem, 'k.pem', { passphrase: 'secret' }).problems[0]!;
    assert.equal(p.code, 'unsupported');
    assert.match(p.message, /scrypt with N=1048576, r=8, which needs 1024 MiB/);
    assert.match(p.message, /not a pass-phrase problem/);
    assert.doesNotMatch(p.message, /does not open/);
  });

  it('refuses scrypt whose parallelism p asks for too much work', () => {
    const der = encryptedKeyDer(dir, ['-scrypt']);
    // N, r, p are INTEGERs 16384, 8, 1 in that order inside the scrypt parameters.
    let seenN = false;
    const hostile = rewriteIntegers(der, (v) => {
      if (v === 16384) seenN = true;
      else if (seenN && v === 1) return HUGE;
      return undefined;
    });
    const pem = new TextEncoder().encode(toPemText('ENCRYPTED PRIVATE KEY', hostile));
    const p = problems(pem, 'k.pem', { passphrase: 'secret' }).problems[0]!;
    assert.equal(p.code, 'too-costly');
    assert.match(p.message, /scrypt N=16384, r=8, p=2147483647/);
  });

  it('opens what openssl writes by default: PBES2 bundles, legacy 3DES ones, scrypt keys', () => {
    for (const [args, pass] of [
      [[], 'pw'],
      [['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES'], 'pw'],
      [[], ''],
    ] as const) {
      const r = problems(exportP12(dir, [...args], pass), 'ok.p12', { passphrase: pass });
      assert.deepEqual(r.problems, [], `${args.join(' ')}`);
      const o = r.objects[0]!.object;
      assert.ok(o.kind === 'pkcs12' && o.contents.length === 2);
    }
    const scrypt = toPemText('ENCRYPTED PRIVATE KEY', encryptedKeyDer(dir, ['-scrypt']));
    const key = problems(new TextEncoder().encode(scrypt), 'k.pem', { passphrase: 'secret' });
    assert.deepEqual(key.problems, []);
    assert.equal(key.objects[0]?.object.kind, 'privateKey');
  });

  it('opens a Java-like bundle (100000 iterations for the MAC and both encryptions) under the default limits', () => {
    const r = problems(exportP12(dir, ['-iter', '100000'], 'pw'), 'java.p12', { passphrase: 'pw' });
    assert.deepEqual(r.problems, []);
  });

  it('a bundle over the default limit opens when the caller raises the limit or lifts it', () => {
    const over = DEFAULT_KDF_LIMITS.pkcs12Iterations + 1000;
    const bytes = exportP12(dir, ['-iter', String(over)], 'pw');
    assert.equal(problems(bytes, 'big.p12', { passphrase: 'pw' }).problems[0]?.code, 'too-costly');
    for (const kdfLimits of [UNLIMITED_KDF, kdfLimitsFrom(false, 5_000_000)]) {
      const r = problems(bytes, 'big.p12', { passphrase: 'pw', kdfLimits });
      assert.deepEqual(r.problems, []);
    }
  });

  it('counts the budget over the whole file: many moderate derivations add up', () => {
    // Each part's PBKDF2 count (certificates, key) is under the limit alone; both are over it.
    const each = Math.floor(DEFAULT_KDF_LIMITS.iterations / 2) + 1;
    const p12 = exportP12(dir, ['-iter', String(each), '-nomac', '-certpbe', 'AES-256-CBC'], '');
    const p = problems(p12, 'sum.p12').problems[0]!;
    assert.equal(p.code, 'too-costly');
    assert.match(p.message, /with the derivations before it/);
  });

  it('kdfLimitsFrom reads the CLI options', () => {
    assert.equal(kdfLimitsFrom(false), undefined);
    assert.equal(kdfLimitsFrom(true, 5)?.iterations, Infinity);
    assert.deepEqual(kdfLimitsFrom(false, 7), { iterations: 7, pkcs12Iterations: 7 });
  });
});

describe('the native PKCS#12 key derivation', () => {
  it('equals node-forge for every digest, id, length, salt and password shape', () => {
    const mds = [
      forge.md.sha1.create(),
      forge.md.sha256.create(),
      forge.md.sha384.create(),
      forge.md.sha512.create(),
    ];
    const passwords = [undefined, '', 'pw', 'pässwörd-€', 'x'.repeat(70)];
    const salts = ['', 'salt1234', 'a-salt-longer-than-one-sixty-four-byte-block-of-sha-1-and-sha-256-xx'];
    for (const md of mds)
      for (const password of passwords)
        for (const salt of salts)
          for (const [id, n] of [
            [1, 24],
            [2, 8],
            [3, md.digestLength],
            [1, 5],
          ] as const) {
            const expected = forge.pkcs12
              .generateKey(password as string, forge.util.createBuffer(salt), id, 3, n, md)
              .getBytes();
            const got = pkcs12KeyNative(
              password,
              Buffer.from(salt, 'binary'),
              id,
              3,
              n,
              md.algorithm,
              md.digestLength,
              md.blockLength,
            ).toString('binary');
            assert.equal(got, expected, `${md.algorithm} ${String(password)} ${salt} ${id} ${n}`);
          }
  });
});

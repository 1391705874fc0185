import assert from 'node:assert/strict';
import { convertObjects } from '../../../src/core/pki/convert';
import { EtlsError } from '../../../src/core/errors';
import { readObjects } from '../../../src/core/x509';
import { fixture } from '../x509/helpers';

// A wrong pass phrase usually fails AES-CBC's padding check, but now and then the padding of the
// garbage looks right and OpenSSL's decoder reports "unsupported" instead. These pass phrases were
// found to do that with the fixture keys; they must still read as a wrong pass phrase.
const UNLUCKY = [
  { file: 'rsa-encrypted.key', passphrase: 'wrong-408' },
  { file: 'rsa-legacy-encrypted.key', passphrase: 'wrong-115' },
];

describe('a wrong pass phrase whose decryption passes the padding check', () => {
  for (const { file, passphrase } of UNLUCKY) {
    it(`${file}: etls convert says the pass phrase does not open it`, () => {
      assert.throws(
        () => convertObjects(fixture(file), { to: 'der', passphrase }),
        (e: unknown) =>
          e instanceof EtlsError &&
          e.code === 'wrong-passphrase' &&
          /pass phrase does not open/.test(e.message),
      );
    });
    it(`${file}: the reader reports wrong-passphrase`, () => {
      const r = readObjects(fixture(file), { fileName: file, passphrase });
      assert.equal(r.problems[0]?.code, 'wrong-passphrase');
    });
  }
  it('a bad-padding wrong pass phrase is reported the same way', () => {
    assert.throws(
      () => convertObjects(fixture('rsa-encrypted.key'), { to: 'der', passphrase: 'wrong-0' }),
      (e: unknown) => e instanceof EtlsError && e.code === 'wrong-passphrase',
    );
  });
});

describe('a key encrypted with a cipher OpenSSL 3 dropped (PBES1 with RC2-40, pass phrase "x")', () => {
  it('is named as such, with the openssl command that re-encrypts it, even with the right pass phrase', () => {
    for (const passphrase of ['x', 'y'])
      assert.throws(
        () => convertObjects(fixture('rsa-pbes1-rc2.key'), { to: 'der', passphrase }),
        (e: unknown) =>
          e instanceof EtlsError &&
          e.code === 'unsupported' &&
          /no longer opens/.test(e.message) &&
          /-provider legacy/.test(e.fix ?? ''),
      );
  });

  it('is opened by the reader with the right pass phrase, and a wrong one is named as such', () => {
    const r = readObjects(fixture('rsa-pbes1-rc2.key'), { fileName: 'rsa-pbes1-rc2.key', passphrase: 'x' });
    assert.deepEqual(r.problems, []);
    assert.equal(r.objects[0]?.object.kind, 'privateKey');
    const wrong = readObjects(fixture('rsa-pbes1-rc2.key'), {
      fileName: 'rsa-pbes1-rc2.key',
      passphrase: 'y',
    });
    assert.equal(wrong.problems[0]?.code, 'wrong-passphrase');
  });
});

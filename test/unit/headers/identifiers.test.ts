// Unit tests (plain Node): C names for header arrays that say what they hold and stay legal for awkward file names.
import { strict as assert } from 'node:assert';
import {
  IdentifierPool,
  identifierForContent,
  identifierFromFileName,
  includeGuardFor,
  isLegalIdentifier,
} from '../../../src/core/headers/identifiers';

describe('header identifiers', () => {
  it('follows xxd -i from the file name only', () => {
    assert.equal(identifierFromFileName('certs/ca.der'), 'ca_der');
    assert.equal(identifierFromFileName('C:\\fw\\certs\\device.cert.pem'), 'device_cert_pem');
  });

  it('names arrays for what they hold and the form they are in', () => {
    const cases: Array<[string, string, 'der' | 'pem', string]> = [
      ['certs/device.pem', 'certificate', 'der', 'device_cert_der'],
      ['certs/ca.pem', 'certificate', 'der', 'ca_cert_der'],
      ['certs/device.key', 'privateKey', 'der', 'device_key_der'],
      ['device.key.der', 'privateKey', 'der', 'device_key_der'],
      ['device-cert.pem', 'certificate', 'pem', 'device_cert_pem'],
      ['ca.crt', 'certificate', 'pem', 'ca_cert_pem'],
      ['C:\\fw\\dev.csr', 'csr', 'der', 'dev_csr_der'],
      ['broker.pub', 'publicKey', 'pem', 'broker_pubkey_pem'],
      ['blob.bin', 'data', 'der', 'blob_der'],
      ['1st cert.pem', 'certificate', 'der', 'file_1st_cert_der'],
      ['证书.der', 'certificate', 'der', 'data_cert_der'],
    ];
    for (const [file, kind, form, expected] of cases) {
      const name = identifierForContent(file, kind, form);
      assert.equal(name, expected, file);
      assert.ok(isLegalIdentifier(name), name);
    }
  });

  it('makes awkward names legal: digits first, dashes, spaces, unicode, keywords', () => {
    const cases: Record<string, string> = {
      '1st cert.pem': 'file_1st_cert_pem',
      'my-device key.pem': 'my_device_key_pem',
      'çert-é.der': 'cert_e_der',
      '证书.pem': '___pem',
      int: 'int_',
      '': 'data',
    };
    for (const [input, expected] of Object.entries(cases)) {
      const name = identifierFromFileName(input);
      assert.equal(name, expected, input);
      assert.ok(isLegalIdentifier(name), name);
    }
  });

  it('rejects illegal identifiers given by hand', () => {
    for (const bad of ['1abc', 'a-b', 'static', 'ä', 'a b', ''])
      assert.equal(isLegalIdentifier(bad), false, bad);
    assert.ok(isLegalIdentifier('root_ca'));
  });

  it('derives include guards from the output name', () => {
    assert.equal(includeGuardFor('include/aws-keys.h'), 'AWS_KEYS_H');
    assert.equal(includeGuardFor('1certs.h'), 'H_1CERTS_H');
  });

  it('suffixes names that would clash, including with a _len', () => {
    const pool = new IdentifierPool();
    assert.equal(pool.take('ca_der'), 'ca_der');
    assert.equal(pool.take('ca_der'), 'ca_der_2');
    assert.equal(pool.take('ca_der_len'), 'ca_der_len_2');
    assert.equal(pool.claim('ca_der'), false);
  });
});

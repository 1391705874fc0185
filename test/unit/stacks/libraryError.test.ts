// Library errors as the board prints them, named from the explain catalog, and what they mean here.
import { strict as assert } from 'node:assert';
import { explainFailure } from '../../../src/core/mqtt/explain';
import { RecordScanner } from '../../../src/core/stacks/channel';
import { stackForTarget } from '../../../src/core/stacks/ids';
import {
  describeLibraryError,
  verifyFlagNames,
  verifyFlagsAsNodeCode,
} from '../../../src/core/stacks/libraryError';
import { parseStackOptions } from '../../../src/core/stacks/options';

describe('stacks/libraryError', () => {
  it('an mbedTLS code as the board prints it, with the catalog name and the verify flags by name', () => {
    const e = describeLibraryError(
      'mbedtls',
      '3.6',
      -0x2700,
      'X509 - Certificate verification failed',
      0x208,
    );
    assert.equal(e.code, '-0x2700');
    assert.equal(e.name, 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED');
    assert.deepEqual(e.verifyFlags, ['MBEDTLS_X509_BADCERT_NOT_TRUSTED', 'MBEDTLS_X509_BADCERT_FUTURE']);
    assert.equal(e.line, 'mbedtls_ssl_handshake returned -0x2700');
    assert.equal(
      describeLibraryError('mbedtls', '2.28', -0x7200, '', 0).name,
      'MBEDTLS_ERR_SSL_INVALID_RECORD',
    );
  });

  it('verify flags: an unknown CA outranks the board clock; the clock outranks the name', () => {
    assert.equal(verifyFlagsAsNodeCode(0x08 | 0x200), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    assert.equal(verifyFlagsAsNodeCode(0x200), 'CERT_NOT_YET_VALID');
    assert.equal(verifyFlagsAsNodeCode(0x01 | 0x04), 'CERT_HAS_EXPIRED');
    assert.equal(verifyFlagsAsNodeCode(0x04), 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.equal(verifyFlagsAsNodeCode(0x4000), undefined);
    assert.deepEqual(verifyFlagNames(0x4000 | 0x10000), [
      'MBEDTLS_X509_BADCERT_BAD_MD',
      'MBEDTLS_X509_BADCERT_BAD_KEY',
    ]);
  });

  it('a record over the board buffer and an engine fault get their own codes', () => {
    const big = explainFailure({
      stage: 'tls',
      recordTooLarge: { largest: 5000, limit: 4096 },
      error: { code: 'record-too-large' },
    });
    assert.equal(big.code, 'tls-record-too-large');
    assert.match(big.message, /5,000 bytes/);
    assert.match(big.fix, /CONFIG_MBEDTLS_SSL_IN_CONTENT_LEN/);
    const broken = explainFailure({
      stage: 'tls',
      error: { code: 'stack-internal-error', message: 'the engine trapped' },
    });
    assert.equal(broken.code, 'stack-internal-error');
    assert.match(broken.fix, /--stack node/);
  });

  it("a certificate refused as not yet valid by a board whose clock is set names the board's clock", () => {
    const stack = {
      id: 'mbedtls-3.6' as const,
      library: 'mbedtls',
      version: '3.6.6',
      config: { 'board-time': '1970-01-01T00:00:00.000Z' },
    };
    const r = explainFailure(
      { stage: 'tls', stack, error: { code: 'CERT_NOT_YET_VALID' } },
      { serverValidFrom: 'Jan  1 00:00:00 2026 GMT' },
    );
    assert.equal(r.code, 'server-cert-not-yet-valid');
    assert.match(
      r.message,
      /board's clock says 1970-01-01T00:00:00\.000Z, before the broker's certificate starts \(Jan  1/,
    );
    // Without a board clock it is the ordinary explanation.
    assert.doesNotMatch(
      explainFailure({ stage: 'tls', error: { code: 'CERT_NOT_YET_VALID' } }).message,
      /board's clock/,
    );
  });

  it('the record scanner follows headers across chunks', () => {
    const r = new RecordScanner();
    const rec = (len: number) =>
      Buffer.concat([Buffer.from([0x16, 0x03, 0x03, len >> 8, len & 0xff]), Buffer.alloc(len)]);
    const all = Buffer.concat([rec(10), rec(5000), rec(7)]);
    r.scan(all.subarray(0, 3));
    r.scan(all.subarray(3, 4000));
    r.scan(all.subarray(4000));
    assert.equal(r.largest, 5000);
    assert.equal(r.spokeTls, true);
    const plain = new RecordScanner();
    plain.scan(Buffer.from([0x20, 0x02, 0x00, 0x00]));
    assert.equal(plain.spokeTls, false);
  });

  it('targets map to their board library; closed stacks stay on Node', () => {
    assert.equal(stackForTarget('esp32'), 'mbedtls-3.6');
    assert.equal(stackForTarget('cc3200'), 'node');
    assert.equal(stackForTarget(undefined), 'node');
  });

  it('--stack-option KEY=VALUE pairs', () => {
    assert.deepEqual(parseStackOptions(['in-content-len=4096', 'alpn=mqtt,x']), {
      'in-content-len': '4096',
      alpn: 'mqtt,x',
    });
    assert.match(parseStackOptions(['oops']) as string, /KEY=VALUE/);
  });
});

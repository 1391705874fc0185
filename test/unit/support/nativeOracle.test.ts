// The native oracle's reading of what ssl_client2 and brssl print, on their real output shapes.
import assert from 'node:assert/strict';
import { parseBrssl, parseSslClient2 } from '../../support/nativeOracle';

describe('native oracle output parsing', () => {
  it('reads an mbedTLS handshake failure with its verify flags', () => {
    const out = [
      '  . Performing the SSL/TLS handshake...',
      'Verify requested for (Depth 0):',
      '  ! The certificate validity starts in the future',
      '  ! The certificate is not correctly signed by the trusted CA',
      ' failed',
      '  ! mbedtls_ssl_handshake returned -0x2700',
      "    Unable to verify the server's certificate. Either it is invalid,",
    ].join('\n');
    assert.deepEqual(parseSslClient2(out), {
      ok: false,
      code: '-0x2700',
      name: 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED',
      verifyFlags: ['MBEDTLS_X509_BADCERT_FUTURE', 'MBEDTLS_X509_BADCERT_NOT_TRUSTED'],
    });
  });

  it('counts a TLS 1.3 alert on the first read, not the close that answers the HTTP request', () => {
    const alert = '    [ Protocol is TLSv1.3 ]\n  < Read from server: mbedtls_ssl_read returned -0x7780\n';
    assert.deepEqual(parseSslClient2(alert), {
      ok: false,
      code: '-0x7780',
      name: 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE',
    });
    const closed = '    [ Protocol is TLSv1.2 ]\n  < Read from server: mbedtls_ssl_read returned -0x7880\n';
    assert.deepEqual(parseSslClient2(closed), { ok: true });
    assert.deepEqual(parseSslClient2('  . Connecting to tcp/localhost/1883... failed\n'), { ok: false });
  });

  it('reads brssl errors, alerts by their base name, and socket errors as BR_ERR_IO', () => {
    assert.deepEqual(parseBrssl('ERROR: SSL error 62 (BR_ERR_X509_NOT_TRUSTED)\n'), {
      ok: false,
      code: 62,
      name: 'BR_ERR_X509_NOT_TRUSTED',
    });
    assert.deepEqual(parseBrssl('ERROR: SSL error 326 (received alert 70)\n'), {
      ok: false,
      code: 326,
      name: 'BR_ERR_RECV_FATAL_ALERT',
    });
    assert.deepEqual(parseBrssl('ERROR: write(): Connection reset by peer\n'), {
      ok: false,
      code: 31,
      name: 'BR_ERR_IO',
    });
    assert.deepEqual(parseBrssl('connected.\nsocket closed...\n'), {
      ok: false,
      code: 31,
      name: 'BR_ERR_IO',
    });
    assert.deepEqual(parseBrssl('Handshake completed\n   version: TLS 1.2\n'), { ok: true });
  });
});

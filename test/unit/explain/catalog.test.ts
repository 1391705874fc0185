// The generated tables hold the headers' numbers; the generator reproduces them from the pinned sources.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalog, catalogSources, displayCode } from '../../../src/core/explain';

const REPO = resolve(__dirname, '../../..');
const one = (library: string, name: string) => {
  const found = catalog.filter((e) => e.library === library && e.name === name);
  assert.ok(found.length, `${library} ${name} missing`);
  return found;
};

describe('explain: the catalog', () => {
  it('has the mbedTLS values of the 2.28 and 3.6 headers', () => {
    const v = one('mbedtls', 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED')[0]!;
    assert.equal(v.code, -0x2700);
    assert.equal(displayCode(v), '-0x2700');
    assert.equal(v.versions, '2.28,3.6');
    assert.equal(one('mbedtls', 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE')[0]!.code, -0x7780);
    assert.equal(one('mbedtls', 'MBEDTLS_ERR_SSL_CONN_EOF')[0]!.code, -0x7280);
    assert.equal(one('mbedtls', 'MBEDTLS_ERR_X509_CERT_UNKNOWN_FORMAT')[0]!.code, -0x2780);
    assert.equal(one('mbedtls', 'MBEDTLS_ERR_NET_RECV_FAILED')[0]!.code, -0x004c);
  });

  it('keeps codes whose meaning changed between mbedTLS 2.28 and 3.6 apart', () => {
    const at6e00 = catalog.filter((e) => e.library === 'mbedtls' && e.code === -0x6e00);
    assert.deepEqual(at6e00.map((e) => `${e.name}@${e.versions}`).sort(), [
      'MBEDTLS_ERR_SSL_BAD_HS_NEW_SESSION_TICKET@2.28',
      'MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE@3.6',
    ]);
  });

  it('has the BearSSL and wolfSSL values of their headers', () => {
    assert.equal(one('bearssl', 'BR_ERR_X509_NOT_TRUSTED')[0]!.code, 62);
    assert.equal(one('bearssl', 'BR_ERR_X509_EXPIRED')[0]!.code, 54);
    assert.equal(one('bearssl', 'BR_ERR_RECV_FATAL_ALERT')[0]!.code, 256);
    assert.equal(one('wolfssl', 'ASN_NO_SIGNER_E')[0]!.code, -188);
    assert.equal(one('wolfssl', 'DOMAIN_NAME_MISMATCH')[0]!.code, -322);
    assert.equal(one('wolfssl', 'ASN_AFTER_DATE_E')[0]!.code, -151);
  });

  it('names where every table came from, with checksums for the generated ones', () => {
    for (const s of catalogSources.generated) {
      assert.ok(s.debian.package, s.library);
      for (const sum of Object.values(s.debian.sha256)) assert.match(sum, /^[0-9a-f]{64}$/);
    }
    assert.ok(catalogSources.handWritten.every((t) => t.source.length > 10));
  });

  it('has no entry without a meaning or a name', () => {
    for (const e of catalog) assert.ok(e.name && e.meaning, `${e.library} ${e.code}`);
  });

  // The sources are large and not in the repository. Where they are on this machine the tables must be what the
  // generator makes of them; elsewhere the generator must refuse plainly rather than write empty tables.
  const src = process.env['ETLS_EXPLAIN_SRC'] ?? '/tmp/etls-explain/src';
  const mbedtls3 = process.env['ETLS_MBEDTLS_GIT'] ?? '/work/.mirror/Mbed-TLS+mbedtls/repo';
  it('is what the generator makes from the pinned sources', function () {
    this.timeout(120_000);
    const run = (args: string[]) =>
      execFileSync(process.execPath, ['scripts/explainCatalog.mjs', ...args], { cwd: REPO, stdio: 'pipe' });
    if (existsSync(src) && existsSync(mbedtls3)) run(['--src', src, '--mbedtls3', mbedtls3, '--check']);
    else
      assert.throws(
        () => run(['--src', resolve(REPO, 'no-such-source-folder'), '--check']),
        (e: { status?: number; stderr?: Buffer }) => e.status === 2 && /usage/.test(String(e.stderr)),
      );
  });
});

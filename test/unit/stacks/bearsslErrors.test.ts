// The BearSSL error table: names as the explain catalog has them, probe codes that exist, and the
// same diagnosis from the Node-stack explainer wherever an OpenSSL code stands in for the number.
import { strict as assert } from 'node:assert';
import { entriesFor } from '../../../src/core/explain/catalog';
import { explainFailure } from '../../../src/core/mqtt/explain';
import { diagnosisCodes } from '../../../src/core/mqtt/types';
import { bearsslDiagnosis, bearsslErrorTable } from '../../../src/core/stacks/bearsslErrors';

describe('bearsslErrors', () => {
  it('names each number as the catalog generated from bearssl_ssl.h / bearssl_x509.h does', () => {
    for (const [n, name] of bearsslErrorTable)
      assert.deepEqual(
        entriesFor('bearssl', n).map((e) => e.name),
        [name],
        `${n}`,
      );
    assert.equal(
      new Set(bearsslErrorTable.map(([n]) => n)).size,
      bearsslErrorTable.length,
      'one row per number',
    );
  });

  it('maps to stable probe codes, which the Node explainer reaches from the stand-in OpenSSL code', () => {
    for (const [, name, code, nodeCode] of bearsslErrorTable) {
      assert.ok((diagnosisCodes as readonly string[]).includes(code), name);
      if (nodeCode)
        assert.equal(explainFailure({ stage: 'tls', error: { code: nodeCode } }).code, code, name);
    }
  });

  it('62 is server-cert-untrusted, the acceptance check for --stack bearssl with another CA', () => {
    assert.deepEqual(bearsslDiagnosis(62), {
      code: 'server-cert-untrusted',
      name: 'BR_ERR_X509_NOT_TRUSTED',
      nodeCode: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    });
  });

  it('54 is expired unless the certificate dates say not yet valid', () => {
    assert.equal(bearsslDiagnosis(54)?.code, 'server-cert-expired');
    assert.equal(bearsslDiagnosis(54, { validity: 'expired' })?.code, 'server-cert-expired');
    const future = bearsslDiagnosis(54, { validity: 'not-yet-valid' });
    assert.equal(future?.code, 'server-cert-not-yet-valid');
    assert.equal(
      explainFailure({ stage: 'tls', error: { code: future!.nodeCode } }).code,
      'server-cert-not-yet-valid',
    );
  });

  it('reads the alert out of 256+N and 512+N', () => {
    // A broker that refused the hello outright (one alert record) and one that asked for a certificate.
    assert.equal(
      bearsslDiagnosis(296, { clientCertOffered: false, bytesFromServer: 7 })?.code,
      'handshake-failure',
    );
    assert.equal(
      bearsslDiagnosis(296, { clientCertOffered: false, bytesFromServer: 1500 })?.code,
      'client-cert-required',
    );
    assert.equal(
      bearsslDiagnosis(296, { clientCertOffered: true, bytesFromServer: 1500 })?.code,
      'handshake-failure',
    );
    assert.deepEqual(bearsslDiagnosis(256 + 48), {
      code: 'client-cert-rejected',
      name: 'BR_ERR_RECV_FATAL_ALERT',
      alert: { number: 48, sentBy: 'broker' },
    });
    assert.equal(bearsslDiagnosis(256 + 116)?.code, 'client-cert-required');
    assert.deepEqual(bearsslDiagnosis(512 + 80)?.alert, { number: 80, sentBy: 'board' });
    assert.equal(bearsslDiagnosis(0), undefined);
    assert.equal(bearsslDiagnosis(9999), undefined);
  });
});

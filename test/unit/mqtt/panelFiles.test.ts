// The panel's pickers list only files of their kind, and the only device profile loads into a blank form.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileToLoadByDefault } from '../../../src/extension/mqtt/mqttForm';
import { candidateRoles, rolesOfObjects } from '../../../src/extension/mqtt/mqttFiles';
import { readObjects } from '../../../src/core/x509';
import { defaultForm } from '../../../src/shared/protocol';

const fixture = (name: string) => join(__dirname, '../../fixtures/x509', name);
const roles = (name: string) =>
  rolesOfObjects(readObjects(readFileSync(fixture(name)), { fileName: name }).objects.map((f) => f.object));

describe('MQTT panel pickers', () => {
  it('sorts files into CA certificates, device certificates and keys', async () => {
    assert.deepEqual(roles('ca.pem'), ['ca']);
    assert.deepEqual(roles('device-01.pem'), ['cert']);
    assert.deepEqual(roles('device-01.der'), ['cert']);
    assert.deepEqual(roles('rsa-pkcs8.key'), ['key']);
    assert.deepEqual(roles('device-01.ec.key'), ['key']);
    // Neither a certificate nor a private key: in no picker.
    assert.deepEqual(roles('device-01.csr'), []);
    assert.deepEqual(roles('rsa.pub'), []);
    assert.deepEqual(await candidateRoles(fixture('ca.pem')), ['ca']);
    assert.deepEqual(await candidateRoles(fixture('no-such-file.pem')), []);
  });

  it('loads the only device profile into a form with no file picked, and only then', () => {
    assert.equal(profileToLoadByDefault(defaultForm, ['device-01']), 'device-01');
    assert.equal(profileToLoadByDefault(defaultForm, ['a', 'b']), undefined);
    assert.equal(profileToLoadByDefault(defaultForm, []), undefined);
    assert.equal(
      profileToLoadByDefault({ ...defaultForm, caFile: 'certs/ca.pem' }, ['device-01']),
      undefined,
    );
  });
});

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { HEADER_OPTIONS } from '../../../src/core/headers';
import { validateProject } from '../../../src/core/project/load';
import { cloudIds, targetIds } from '../../../src/core/targets/ids';

const REPO = join(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'embedded-tls.schema.json'), 'utf8'));
// enumDescriptions is VS Code's own keyword.
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const full = {
  $schema: './schemas/embedded-tls.schema.json',
  version: 1,
  pki: { dir: 'pki' },
  profiles: {
    'lab-board': {
      target: 'cc3220',
      broker: {
        host: 'abc-ats.iot.eu-west-1.amazonaws.com',
        port: 8883,
        alpn: ['x-amzn-mqtt-ca'],
        cloud: 'aws-iot',
        clientId: 'device-01',
        username: 'u',
        servername: 'abc-ats.iot.eu-west-1.amazonaws.com',
        mqttVersion: 5,
      },
      ca: 'certs/AmazonRootCA1.der',
      cert: 'certs/device.der',
      key: 'certs/device.key.der',
      headers: [
        {
          output: 'include/certs.h',
          layout: 'freertos',
          format: 'pem',
          inputs: [{ file: 'certs/device.pem', name: 'device_pem', format: 'pem' }],
          options: { static: true },
        },
      ],
      push: {
        protocol: 'simplelink-at',
        port: '/dev/ttyACM0',
        baud: 115200,
        files: [{ local: 'certs/ca.der', remote: '/cert/ca.der' }],
      },
    },
  },
};

describe('embedded-tls.json schema', () => {
  it('accepts a project file using every field, as the loader does', () => {
    assert.ok(validate(full), JSON.stringify(validate.errors));
    validateProject(full, 'embedded-tls.json');
  });

  it('lists exactly the target and cloud ids of the core', () => {
    assert.deepEqual(schema.definitions.target.enum, [...targetIds]);
    assert.equal(schema.definitions.target.enumDescriptions.length, targetIds.length);
    assert.deepEqual(schema.definitions.broker.properties.cloud.enum, [...cloudIds]);
  });

  it('rejects what the loader rejects, and typos', () => {
    const bad = (profile: object) => !validate({ profiles: { p: profile } });
    assert.ok(bad({ target: 'cc9999' }));
    assert.ok(bad({ broker: { host: 'h', port: 70000 } }));
    assert.ok(bad({ broker: { port: 8883 } }), 'host is required');
    assert.ok(bad({ certificate: 'x.pem' }), 'unknown property');
    assert.ok(bad({ headers: [{ output: 'a.h', inputs: [{ file: 'a', name: '9bad' }] }] }));
    assert.ok(!validate({}), 'profiles is required');
    const header = (options: object) => ({ headers: [{ output: 'a.h', inputs: [{ file: 'a' }], options }] });
    assert.ok(bad(header({ alignement: 4 })), 'unknown header option');
    assert.ok(bad(header({ static: 'yes' })));
    assert.ok(bad(header({ guard: true })));
    assert.ok(bad(header({ pemStyle: 'heredoc' })));
    assert.ok(!bad(header({ guard: false, alignment: 16, lineWidth: 16, pemStyle: 'raw' })));
  });

  it('lists exactly the header options the core takes', () => {
    assert.deepEqual(
      Object.keys(schema.definitions.header.properties.options.properties).sort(),
      Object.keys(HEADER_OPTIONS).sort(),
    );
  });

  it('is contributed for embedded-tls.json', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.jsonValidation, [
      { fileMatch: 'embedded-tls.json', url: './schemas/embedded-tls.schema.json' },
    ]);
  });
});

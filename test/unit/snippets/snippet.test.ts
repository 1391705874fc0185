// Connection snippets from a profile, in memory: what each kind takes from the profile (header
// symbols, pushed names, files) and the sentence a profile that lacks something gets.
import assert from 'node:assert/strict';
import { EtlsError } from '../../../src/core/errors';
import { createDevelopmentPki, linkPkiToProject } from '../../../src/core/pki';
import { JITP_PARAMETERS, jitpTemplate } from '../../../src/core/pki/verification';
import type { DeviceProfile, LoadedProject } from '../../../src/core/project/types';
import { boardFiles, snippetContext } from '../../../src/core/snippets/context';
import { buildSnippet, nodeRedFlow, snippetKinds, snippetKindsFor } from '../../../src/core/snippets';
import { memoryFs, type MemoryFs } from '../pki/memoryFs';

const kitchen: DeviceProfile = {
  ca: 'certs/ca.pem',
  cert: 'certs/device-01.pem',
  key: 'certs/device-01.key',
  broker: { host: 'broker.local', port: 8883, clientId: 'device-01' },
};

function project(profiles: Record<string, DeviceProfile>): LoadedProject {
  return { path: '/p/embedded-tls.json', dir: '/p', file: { profiles } };
}

async function pkiFs(): Promise<MemoryFs> {
  const fs = memoryFs();
  await createDevelopmentPki(fs, {
    outDir: '/p/certs',
    brokerHosts: ['broker.local'],
    brokerIps: [],
    devices: ['device-01'],
    keyType: 'p256',
    keyContainer: 'traditional',
    days: 10,
  });
  return fs;
}

function rejects(p: Promise<unknown>, message: RegExp, fix: RegExp): Promise<void> {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof EtlsError, String(e));
    assert.match(e.message, message);
    assert.match(e.fix ?? '', fix);
    return true;
  });
}

describe('connection snippets', () => {
  let fs: MemoryFs;
  before(async () => {
    fs = await pkiFs();
  });

  it('names the missing broker and the command that makes one', async () => {
    await rejects(
      buildSnippet(fs, project({ bare: { ca: 'certs/ca.pem' } }), 'bare', 'esp-idf'),
      /profile "bare" names no broker/,
      /etls pki init --profile bare --broker-host HOST/,
    );
    await rejects(
      buildSnippet(fs, project({ kitchen }), 'garage', 'esp-idf'),
      /has no profile "garage"/,
      /Use one of: kitchen/,
    );
    await rejects(
      buildSnippet(fs, project({ nofiles: { broker: { host: 'h' } } }), 'nofiles', 'mosquitto_pub'),
      /has no CA certificate \("ca"\)/,
      /etls pki init --profile nofiles --broker-host h/,
    );
  });

  it('keeps a key and a certificate of the same device apart when matching pushed names', () => {
    const ctx = snippetContext(
      project({
        kitchen: {
          ...kitchen,
          push: {
            protocol: 'simplelink-at',
            files: [
              { local: 'certs/device-01.key.der', remote: '/cert/k.key' },
              { local: 'certs/device-01.der', remote: '/cert/c.der' },
              { local: 'certs/ca.der', remote: '/cert/root.der' },
            ],
          },
        },
      }),
      'kitchen',
    );
    const files = boardFiles(ctx, ['ca', 'cert', 'key']);
    assert.deepEqual(
      [files.ca?.remote, files.cert?.remote, files.key?.remote],
      ['/cert/root.der', '/cert/c.der', '/cert/k.key'],
    );
    assert.ok(Object.values(files).every((f) => f.recorded));
  });

  it('simplelink-at without recorded pushes uses the names etls push offers, and says how to push them', async () => {
    const s = await buildSnippet(fs, project({ kitchen }), 'kitchen', 'simplelink-at');
    assert.match(s.text, /^AT\+SetSockOpt=<SD>,SOCKET,SECURE_FILES_CA_FILE_NAME,\/cert\/ca\.der$/m);
    assert.match(
      s.notes.join(' '),
      /etls push --port PORT --protocol simplelink-at certs\/ca\.pem:\/cert\/ca\.der/,
    );
  });

  it('cc3200 refuses names SlSockSecureFiles_t cannot hold, and offers numbered ones when none are recorded', async () => {
    const s = await buildSnippet(fs, project({ kitchen }), 'kitchen', 'cc3200');
    assert.match(s.text, /secureFiles\[0\] = 129;.*\n.*secureFiles\[1\] = 130;.*\n.*secureFiles\[2\] = 131;/);
    const named: DeviceProfile = {
      ...kitchen,
      push: { protocol: 'simplelink-at', files: [{ local: 'certs/ca.pem', remote: '/cert/ca.der' }] },
    };
    await rejects(
      buildSnippet(fs, project({ kitchen: named }), 'kitchen', 'cc3200'),
      /holds file IDs/,
      /\/cert\/131\.der/,
    );
  });

  it('C kinds without a recorded header use the names etls header gives, with the command that writes it', async () => {
    const s = await buildSnippet(fs, project({ kitchen }), 'kitchen', 'esp-idf');
    assert.match(s.text, /\.verification\.certificate = ca_cert_pem,/);
    assert.match(s.text, /\.key = device_01_key_pem,/);
    assert.match(s.text, /#if ESP_IDF_VERSION_MAJOR >= 5[\s\S]*\.cert_pem = ca_cert_pem,/);
    assert.match(
      s.notes[0]!,
      /etls header --format pem -o certs\.h certs\/ca\.pem certs\/device-01\.pem certs\/device-01\.key/,
    );
    const core = await buildSnippet(fs, project({ kitchen }), 'kitchen', 'coremqtt');
    assert.match(core.text, /rootCaSize = sizeof\(democonfigROOT_CA_PEM\);/);
  });

  it('offers the kind a target wants first, every kind once', () => {
    assert.equal(snippetKindsFor('esp32')[0], 'esp-idf');
    assert.equal(snippetKindsFor('cc3235')[0], 'simplelink-at');
    assert.deepEqual([...snippetKindsFor('cc3200')].sort(), [...snippetKinds].sort());
    assert.deepEqual(snippetKindsFor(undefined), [...snippetKinds]);
  });

  it('exports a Node-RED tls-config (verify on) and an mqtt-broker that uses it, with ALPN for AWS on 443', async () => {
    const aws: DeviceProfile = {
      ...kitchen,
      broker: { host: 'x.iot.eu-west-1.amazonaws.com', port: 443, cloud: 'aws-iot' },
    };
    const { nodes } = await nodeRedFlow(fs, project({ aws }), 'aws');
    const tls = nodes.find((n) => n['type'] === 'tls-config')!;
    const broker = nodes.find((n) => n['type'] === 'mqtt-broker')!;
    assert.equal(tls['verifyservercert'], true);
    assert.equal(tls['alpnprotocol'], 'x-amzn-mqtt-ca');
    assert.equal(tls['ca'], '/p/certs/ca.pem');
    assert.equal(broker['tls'], tls['id']);
    assert.deepEqual(
      [broker['broker'], broker['port'], broker['usetls']],
      ['x.iot.eu-west-1.amazonaws.com', 443, true],
    );
  });
});

describe('AWS JITP template', () => {
  it('declares exactly the parameters it references, and only ones a device certificate or AWS fills', () => {
    const t = jitpTemplate() as { Parameters: Record<string, unknown>; Resources: unknown };
    const refs = new Set([...JSON.stringify(t.Resources).matchAll(/"Ref":"([^"]+)"/g)].map((m) => m[1]!));
    assert.deepEqual([...refs].sort(), Object.keys(t.Parameters).sort());
    assert.deepEqual(Object.keys(t.Parameters).sort(), Object.keys(JITP_PARAMETERS).sort());
  });
});

describe('pki init --profile NAME', () => {
  it('adds the named profile when the project file does not have it yet', async () => {
    const mem = memoryFs();
    await mem.writeFileAtomic('/w/embedded-tls.json', '{"profiles":{"garage":{}}}');
    const changes = await linkPkiToProject(
      mem,
      '/w/embedded-tls.json',
      { outDir: '/w/certs', device: 'd1', brokerHost: 'localhost' },
      'kitchen',
    );
    const saved = JSON.parse(mem.text('/w/embedded-tls.json')) as { profiles: Record<string, DeviceProfile> };
    assert.ok(changes.includes('profiles.kitchen added'), changes.join('; '));
    assert.equal(saved.profiles['kitchen']?.broker?.host, 'localhost');
    assert.equal(saved.profiles['kitchen']?.ca, 'certs/ca.pem');
    assert.deepEqual(saved.profiles['garage'], {});
  });
});

// The explorer's unit tests' workspace, made with the real openssl and read and linked by the core
// exactly as the extension does it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkWorkspace } from '../../../src/core/check/model';
import { scanFile } from '../../../src/core/check/scan';
import type { ScannedFile, WorkspaceModel } from '../../../src/core/check/types';
import { loadProject } from '../../../src/core/project/load';
import type { LoadedProject } from '../../../src/core/project/types';
import { nodeFileSystem } from '../../../src/core/node/fileSystem';
import { readObjects } from '../../../src/core/x509';

export interface Fixture {
  dir: string;
  files: Map<string, ScannedFile>;
  model: WorkspaceModel;
  project: LoadedProject;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(
      `openssl ${args[0]} failed (is openssl installed?): ${String((e as { stderr?: unknown }).stderr ?? e)}`,
    );
  }
}

function issue(dir: string, name: string, subject: string, key: string[], ext: string[]): void {
  openssl(['genpkey', ...key, '-out', `${name}.key`], dir);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), ext.join('\n') + '\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-days',
      '825',
      '-sha256',
    ].concat([
      '-set_serial',
      `0x1${randomBytes(7).toString('hex')}`,
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ]),
    dir,
  );
  rmSync(join(dir, `${name}.csr`));
  rmSync(join(dir, `${name}.ext`));
}

const EC = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const RSA = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];

/**
 * A small firmware project made with the real openssl (the same shape as the integration tests'
 * workspace): certs/ca, broker (SAN localhost), device-01 (RSA-2048) as PEM, DER, PKCS#12 (password
 * "secret") and an encrypted key; main/certs.c with the device certificate as a byte array and the
 * CA as a PEM string; embedded-tls.json with one esp32 profile.
 */
function makeWorkspace(dir: string): void {
  const certs = join(dir, 'certs');
  mkdirSync(certs, { recursive: true });
  mkdirSync(join(dir, 'main'));
  openssl(['genpkey', ...EC, '-out', 'ca.key'], certs);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      '/CN=Dev CA/O=Embedded TLS Fixtures',
      '-days',
      '3650',
    ].concat([
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      'ca.pem',
    ]),
    certs,
  );
  const leaf = [
    'basicConstraints=critical,CA:FALSE',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid',
  ];
  issue(certs, 'broker', '/CN=localhost/O=Embedded TLS Fixtures', EC, [
    ...leaf,
    'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  issue(certs, 'device-01', '/CN=device-01/O=Embedded TLS Fixtures', RSA, [
    ...leaf,
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
  ]);
  openssl(['x509', '-in', 'device-01.pem', '-outform', 'DER', '-out', 'device-01.der'], certs);
  openssl(
    [
      'pkcs12',
      '-export',
      '-inkey',
      'device-01.key',
      '-in',
      'device-01.pem',
      '-certfile',
      'ca.pem',
      '-name',
      'device-01',
    ].concat(['-passout', 'pass:secret', '-out', 'device-01.p12']),
    certs,
  );
  openssl(
    ['pkey', '-in', 'device-01.key', '-aes256', '-passout', 'pass:secret', '-out', 'device-01-encrypted.key'],
    certs,
  );
  const der = readFileSync(join(certs, 'device-01.der'));
  const hex: string[] = [];
  for (let i = 0; i < der.length; i += 12)
    hex.push(
      '  ' + [...der.subarray(i, i + 12)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ') + ',',
    );
  const caLines = readFileSync(join(certs, 'ca.pem'), 'utf8').trim().split('\n');
  writeFileSync(
    join(dir, 'main', 'certs.c'),
    [
      '/* Credentials pasted into the firmware. */',
      '#include <stddef.h>',
      '',
      `const unsigned char device_cert_der[] = {\n${hex.join('\n')}\n};`,
      `const unsigned int device_cert_der_len = ${der.length};`,
      '',
      `const char root_ca_pem[] =\n${caLines.map((l) => `    "${l}\\n"`).join('\n')};`,
      '',
    ].join('\n'),
  );
  const profile = {
    target: 'esp32',
    broker: { host: 'localhost', port: 8883, cloud: 'mosquitto', clientId: 'device-01' },
  };
  const project = {
    version: 1,
    profiles: {
      'device-01': {
        ...profile,
        ca: 'certs/ca.pem',
        cert: 'certs/device-01.pem',
        key: 'certs/device-01.key',
      },
    },
  };
  writeFileSync(join(dir, 'embedded-tls.json'), JSON.stringify(project, null, 2) + '\n');
}

export async function makeFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'etls-explorer-'));
  makeWorkspace(dir);
  const files = new Map<string, ScannedFile>();
  for (const rel of readdirSync(dir, { recursive: true }).map(String)) {
    if (!/\.(pem|key|der|p12|c)$/.test(rel)) continue;
    const path = join(dir, rel);
    files.set(path, scanFile(path, readFileSync(path), { reader: readObjects }));
  }
  const project = await loadProject(nodeFileSystem, join(dir, 'embedded-tls.json'));
  return {
    dir,
    files,
    model: linkWorkspace(files.values(), project),
    project,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

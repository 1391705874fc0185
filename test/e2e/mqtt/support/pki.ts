// Test PKI for the MQTT e2e matrix, made with the real openssl CLI in a temp folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  /** Path of a file in the PKI folder. */
  file(name: string): string;
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr?.toString() ?? err.message}`);
  }
}

const caConf = (dir: string, name: string) => `[ca]
default_ca = ${name}
[${name}]
dir = ${dir}
database = ${dir}/${name}.index
new_certs_dir = ${dir}
serial = ${dir}/${name}.serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
`;

/**
 * Two unrelated roots named after the CC3200 story (the broker's real root and the stale one a user
 * downloaded), a server certificate per case, and device certificates from each root.
 */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'etls-mqtt-pki-'));
  const run = (...args: string[]) => openssl(dir, args);
  const root = (name: string, cn: string) => {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '3650',
      '-subj',
      `/O=etls test/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    writeFileSync(join(dir, `${name}.index`), '');
    writeFileSync(join(dir, `${name}.serial`), '1000\n');
    writeFileSync(join(dir, `${name}.cnf`), caConf(dir, name));
  };
  const leaf = (
    ca: string,
    name: string,
    cn: string,
    opts: { san?: string; start?: string; end?: string; client?: boolean } = {},
  ) => {
    const ext = opts.san ? ['-addext', `subjectAltName=${opts.san}`] : [];
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${cn}`,
      ...ext,
    );
    const dates = opts.start
      ? ['-startdate', opts.start, '-enddate', opts.end ?? '20991231000000Z']
      : ['-days', '825'];
    run(
      'ca',
      '-batch',
      '-config',
      `${ca}.cnf`,
      '-cert',
      `${ca}.pem`,
      '-keyfile',
      `${ca}.key`,
      '-extensions',
      'leaf',
      '-notext',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.pem`,
      ...dates,
    );
  };
  root('ca', 'Test Amazon Root CA 1');
  root('otherca', 'Test VeriSign Class 3 Public Primary CA - G5');
  const san = 'DNS:localhost,IP:127.0.0.1';
  leaf('ca', 'server', 'localhost', { san });
  leaf('ca', 'server-wrongname', 'broker.example.com', { san: 'DNS:broker.example.com' });
  leaf('ca', 'server-expired', 'localhost', { san, start: '20200101000000Z', end: '20210101000000Z' });
  leaf('ca', 'server-future', 'localhost', { san, start: '20980101000000Z', end: '20990101000000Z' });
  leaf('ca', 'device', 'device-01');
  leaf('otherca', 'device-foreign', 'device-02');
  // An encrypted copy of the device key, to exercise the pass phrase path.
  run('pkey', '-in', 'device.key', '-out', 'device-enc.key', '-aes256', '-passout', 'pass:s3cret');
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Development certificates made with the real `openssl` binary (Node, build time only): a CA, server and
// device certificates signed by it, DER and PKCS#12 copies, encrypted keys. Used by the integration test
// fixtures and by `npm start` to give the example firmware project its certs/ folder.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function openssl(args, options = {}) {
  try {
    return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (e) {
    if (e.code === 'ENOENT')
      throw new Error('openssl is not installed; install it with: apt-get install -y openssl');
    const detail = e.stderr ? String(e.stderr).trim() : e.message;
    throw new Error(`openssl ${args[0]} failed: ${detail}`);
  }
}

/** Key algorithms as `openssl genpkey` options. */
const keyOptions = {
  'rsa-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'ec-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
};

/** Writes a new private key (PKCS#8 PEM, mode 0600). */
export function makeKey(path, algorithm = 'ec-p256') {
  const opts = keyOptions[algorithm];
  if (!opts) throw new Error(`unknown key algorithm ${algorithm}`);
  openssl(['genpkey', ...opts, '-out', path]);
  chmodSync(path, 0o600);
}

function withExtensions(lines, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'etls-ext-'));
  try {
    const file = join(dir, 'ext.cnf');
    writeFileSync(file, lines.join('\n') + '\n');
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A self-signed CA: `<name>.pem` and `<name>.key` in dir. */
export function makeCa(
  dir,
  { name = 'ca', subject = '/CN=Dev CA/O=Embedded TLS', days = 3650, algorithm = 'ec-p256' } = {},
) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  makeKey(key, algorithm);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    key,
    '-subj',
    subject,
    '-days',
    String(days),
    '-sha256',
    '-out',
    cert,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
  ]);
  return { cert, key };
}

/**
 * A certificate signed by the CA: `<name>.pem` and `<name>.key` in dir.
 * usage 'server' adds serverAuth and the SANs; 'client' adds clientAuth.
 */
export function issueCert(
  dir,
  ca,
  { name, subject, usage = 'client', san = [], days = 825, algorithm = 'ec-p256' },
) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  const csr = join(dir, `${name}.csr.tmp`);
  makeKey(key, algorithm);
  try {
    openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    const ext = [
      'basicConstraints=critical,CA:FALSE',
      `keyUsage=critical,digitalSignature${algorithm.startsWith('rsa') ? ',keyEncipherment' : ''}`,
      `extendedKeyUsage=${usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
    ];
    if (san.length > 0) ext.push(`subjectAltName=${san.join(',')}`);
    withExtensions(ext, (extfile) =>
      openssl([
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        ca.cert,
        '-CAkey',
        ca.key,
        '-days',
        String(days),
        '-sha256',
        '-set_serial',
        '0x' + randomBytes(8).toString('hex').replace(/^./, '1'),
        '-extfile',
        extfile,
        '-out',
        cert,
      ]),
    );
  } finally {
    rmSync(csr, { force: true });
  }
  return { cert, key };
}

/** The certificate in DER. */
export function toDer(certPem, derPath) {
  openssl(['x509', '-in', certPem, '-outform', 'DER', '-out', derPath]);
}

/** A PKCS#12 bundle of key, certificate and CA, protected by password (mode 0600). */
export function toPkcs12(pair, caCert, p12Path, password, friendlyName) {
  openssl([
    'pkcs12',
    '-export',
    '-inkey',
    pair.key,
    '-in',
    pair.cert,
    '-certfile',
    caCert,
    '-name',
    friendlyName,
    '-passout',
    `pass:${password}`,
    '-out',
    p12Path,
  ]);
  chmodSync(p12Path, 0o600);
}

/** The key as encrypted PKCS#8 (AES-256), mode 0600. */
export function encryptKey(keyPath, outPath, password) {
  openssl(['pkey', '-in', keyPath, '-aes256', '-passout', `pass:${password}`, '-out', outPath]);
  chmodSync(outPath, 0o600);
}

/** `const unsigned char name[] = { 0x30, 0x82, ... };` as firmware developers paste it. */
export function cByteArray(name, bytes) {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 12) {
    lines.push(
      '  ' +
        [...bytes.subarray(i, i + 12)].map((b) => '0x' + b.toString(16).padStart(2, '0')).join(', ') +
        ',',
    );
  }
  return `const unsigned char ${name}[] = {\n${lines.join('\n')}\n};\nconst unsigned int ${name}_len = ${bytes.length};\n`;
}

/** A PEM file as a C string literal of concatenated "...\n" lines. */
export function cPemString(name, pemPath) {
  const lines = readFileSync(pemPath, 'utf8').trim().split(/\r?\n/);
  return `const char ${name}[] =\n${lines.map((l) => `    "${l}\\n"`).join('\n')};\n`;
}

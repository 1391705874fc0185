// Development certificates made with the real `openssl` binary (Node, build and test time only): keys,
// self-signed CAs, certificates issued by them (backdated or post-dated when asked), DER, PKCS#12 and
// encrypted copies, C sources holding them, and openssl as the oracle. The one implementation: the
// integration fixtures import it directly, the e2e tests through test/support/openssl.ts (typed by
// devCerts.d.mts), the unit tests' workspace through test/integration/fixtures/makeWorkspace.mjs.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs openssl; its stdout. Fails with openssl's own words, or with the install line when it is missing. */
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

/** `openssl genpkey` options for a key spec: rsa:BITS or ec:CURVE (rsa:2048, rsa:1024, ec:P-256). */
function genpkeyOptions(spec) {
  const [alg, param] = spec.split(':');
  if (alg === 'rsa' && /^\d+$/.test(param ?? ''))
    return ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${param}`];
  if (alg === 'ec' && param) return ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${param}`];
  throw new Error(`unknown key spec ${spec}: use rsa:BITS or ec:CURVE`);
}

/**
 * Writes a new private key, mode 0600: PKCS#8 PEM (OpenSSL 3's default), or with `traditional` PKCS#1 /
 * SEC1 ("RSA PRIVATE KEY", "EC PRIVATE KEY"). Returns its path.
 */
export function makeKey(path, spec = 'ec:P-256', { traditional = false } = {}) {
  openssl(['genpkey', ...genpkeyOptions(spec), '-out', path]);
  if (traditional) {
    openssl(['pkey', '-in', path, '-traditional', '-out', `${path}.traditional`]);
    renameSync(`${path}.traditional`, path);
  }
  chmodSync(path, 0o600);
  return path;
}

/** The extensions of a development CA. */
export const CA_EXTENSIONS = [
  'basicConstraints=critical,CA:TRUE',
  'keyUsage=critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier=hash',
];

/**
 * A self-signed CA: `<name>.pem` in dir, with `key` (a key file) or a new `<name>.key` of `keySpec`.
 * `ext` lines replace CA_EXTENSIONS.
 */
export function makeCa(
  dir,
  {
    name = 'ca',
    subject = '/CN=Dev CA/O=Embedded TLS',
    days = 3650,
    keySpec = 'ec:P-256',
    key = undefined,
    ext = CA_EXTENSIONS,
  } = {},
) {
  const keyPath = key ?? makeKey(join(dir, `${name}.key`), keySpec);
  const cert = join(dir, `${name}.pem`);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    keyPath,
    '-subj',
    subject,
    '-days',
    String(days),
    '-sha256',
    '-out',
    cert,
    ...ext.flatMap((e) => ['-addext', e]),
  ]);
  return { cert, key: keyPath };
}

/** The extensions of a leaf certificate: serverAuth and its SANs for 'server', clientAuth for 'client'. */
export function leafExtensions({ usage = 'client', san = [], keySpec = 'ec:P-256' } = {}) {
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    `keyUsage=critical,digitalSignature${keySpec.startsWith('rsa') ? ',keyEncipherment' : ''}`,
    `extendedKeyUsage=${usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid',
  ];
  if (san.length > 0) ext.push(`subjectAltName=${san.join(',')}`);
  return ext;
}

/**
 * A certificate signed by `issuer` ({ cert, key }): `<name>.pem` in dir, for `key` or a new `<name>.key`.
 * Extensions: `ext` as given (may be empty), else leafExtensions(usage, san). Validity: `days` from now,
 * or `start`/`end` (YYYYMMDDHHMMSSZ) through `openssl ca`, which can backdate and post-date. `serial`:
 * a number, else a random 64-bit one.
 */
export function issueCert(
  dir,
  issuer,
  {
    name,
    subject,
    key = undefined,
    keySpec = 'ec:P-256',
    usage = 'client',
    san = [],
    ext = undefined,
    days = 825,
    start = undefined,
    end = undefined,
    serial = undefined,
  },
) {
  const keyPath = key ?? makeKey(join(dir, `${name}.key`), keySpec);
  const cert = join(dir, `${name}.pem`);
  const work = mkdtempSync(join(tmpdir(), 'etls-issue-'));
  try {
    const csr = join(work, 'req.csr');
    const extFile = join(work, 'ext.cnf');
    writeFileSync(extFile, (ext ?? leafExtensions({ usage, san, keySpec })).join('\n') + '\n');
    openssl(['req', '-new', '-key', keyPath, '-subj', subject, '-out', csr]);
    const serialHex =
      serial === undefined
        ? '1' + randomBytes(8).toString('hex').slice(1)
        : serial.toString(16).padStart(4, '0');
    if (start || end) {
      mkdirSync(join(work, 'new'));
      writeFileSync(join(work, 'index.txt'), '');
      writeFileSync(join(work, 'serial'), `${serialHex.length % 2 ? '0' : ''}${serialHex}\n`);
      writeFileSync(
        join(work, 'ca.cnf'),
        [
          '[ca]',
          'default_ca = d',
          '[d]',
          `database = ${join(work, 'index.txt')}`,
          `new_certs_dir = ${join(work, 'new')}`,
          `serial = ${join(work, 'serial')}`,
          'default_md = sha256',
          'policy = any',
          'unique_subject = no',
          '[any]',
          'commonName = supplied',
        ].join('\n') + '\n',
      );
      openssl([
        'ca',
        '-batch',
        '-notext',
        '-config',
        join(work, 'ca.cnf'),
        '-cert',
        issuer.cert,
        '-keyfile',
        issuer.key,
        '-in',
        csr,
        '-out',
        cert,
        '-startdate',
        start ?? '20200101000000Z',
        '-enddate',
        end ?? '20991231000000Z',
        '-extfile',
        extFile,
      ]);
    } else {
      openssl([
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        issuer.cert,
        '-CAkey',
        issuer.key,
        '-days',
        String(days),
        '-sha256',
        '-set_serial',
        `0x${serialHex}`,
        '-extfile',
        extFile,
        '-out',
        cert,
      ]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { cert, key: keyPath };
}

/** The certificate in DER; returns derPath. */
export function toDer(certPem, derPath) {
  openssl(['x509', '-in', certPem, '-outform', 'DER', '-out', derPath]);
  return derPath;
}

/** The key as traditional (PKCS#1 / SEC1) DER, what SimpleLink reads; returns derPath. */
export function keyToDer(keyPem, derPath, alg = 'rsa') {
  openssl([
    alg,
    '-in',
    keyPem,
    '-outform',
    'DER',
    '-out',
    derPath,
    ...(alg === 'rsa' ? ['-traditional'] : []),
  ]);
  return derPath;
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

/** The SubjectPublicKeyInfo of a certificate or key, as openssl prints it (the oracle for key matching). */
export function publicKeyOf(file, kind) {
  const args =
    kind === 'cert' ? ['x509', '-in', file, '-noout', '-pubkey'] : ['pkey', '-in', file, '-pubout'];
  return openssl(args, { encoding: 'utf8' });
}

/** openssl verify's verdict: true when the chain verifies. */
export function opensslVerifies(ca, cert, extra = []) {
  try {
    openssl(['verify', '-CAfile', ca, ...extra, cert]);
    return true;
  } catch {
    return false;
  }
}

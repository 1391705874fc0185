// Real certificates and keys made with the openssl CLI, for the e2e tests: roots, issued leaves
// (backdated or post-dated through `openssl ca` when asked), DER copies, and openssl as the oracle.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './realParts';

export interface Issued {
  cert: string;
  key: string;
}

/** A scratch PKI in `dir`: keys are generated once per name and reused by later certificates. */
export class OpenSslPki {
  private serial = 100;
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /**
   * A key file, generated once: PKCS#8 PEM (OpenSSL 3's default), or with `traditional` PKCS#1 /
   * SEC1 ("RSA PRIVATE KEY", "EC PRIVATE KEY"). `spec`: rsa:2048, rsa:1024, ec:P-256.
   */
  key(name: string, spec = 'rsa:2048', o: { traditional?: boolean } = {}): string {
    const out = this.path(name);
    try {
      readFileSync(out);
      return out;
    } catch {
      const [alg, param] = spec.split(':');
      const opt = alg === 'rsa' ? `rsa_keygen_bits:${param}` : `ec_paramgen_curve:${param}`;
      run('openssl', ['genpkey', '-algorithm', alg === 'rsa' ? 'RSA' : 'EC', '-pkeyopt', opt, '-out', out]);
      if (o.traditional) {
        run('openssl', ['pkey', '-in', out, '-traditional', '-out', `${out}.traditional`]);
        renameSync(`${out}.traditional`, out);
      }
      chmodSync(out, 0o600);
      return out;
    }
  }

  /** A self-signed root. `ext` lines go to -addext; default CA:TRUE and keyCertSign. */
  root(
    name: string,
    subject: string,
    o: { key?: string; keySpec?: string; ext?: string[]; days?: number } = {},
  ): Issued {
    const key = o.key ?? this.key(`${name}.key`, o.keySpec);
    const cert = this.path(`${name}.pem`);
    const ext = o.ext ?? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
    run('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-out',
      cert,
      '-days',
      String(o.days ?? 3650),
      '-subj',
      subject,
      ...ext.flatMap((e) => ['-addext', e]),
    ]);
    return { cert, key };
  }

  /**
   * A certificate for `key`, signed by `issuer`. Dates: `days` from now, or explicit
   * `start`/`end` (YYYYMMDDHHMMSSZ) through `openssl ca`, which can backdate and post-date.
   */
  issue(
    name: string,
    subject: string,
    issuer: Issued,
    o: { key?: string; keySpec?: string; ext?: string[]; days?: number; start?: string; end?: string } = {},
  ): Issued {
    const key = o.key ?? this.key(`${name}.key`, o.keySpec);
    const csr = this.path(`${name}.csr`);
    const cert = this.path(`${name}.pem`);
    const extFile = this.path(`${name}.ext`);
    writeFileSync(extFile, (o.ext ?? []).join('\n') + '\n');
    run('openssl', ['req', '-new', '-key', key, '-out', csr, '-subj', subject]);
    if (o.start || o.end) {
      const caDir = this.path(`ca-${name}`);
      mkdirSync(join(caDir, 'new'), { recursive: true });
      writeFileSync(join(caDir, 'index.txt'), '');
      writeFileSync(join(caDir, 'serial'), `${(this.serial++).toString(16).padStart(4, '0')}\n`);
      writeFileSync(
        join(caDir, 'ca.cnf'),
        [
          '[ca]',
          'default_ca = d',
          '[d]',
          `database = ${join(caDir, 'index.txt')}`,
          `new_certs_dir = ${join(caDir, 'new')}`,
          `serial = ${join(caDir, 'serial')}`,
          'default_md = sha256',
          'policy = any',
          'unique_subject = no',
          '[any]',
          'commonName = supplied',
        ].join('\n') + '\n',
      );
      run('openssl', [
        'ca',
        '-batch',
        '-notext',
        '-config',
        join(caDir, 'ca.cnf'),
        '-cert',
        issuer.cert,
        '-keyfile',
        issuer.key,
        '-in',
        csr,
        '-out',
        cert,
        '-startdate',
        o.start ?? '20200101000000Z',
        '-enddate',
        o.end ?? '20991231000000Z',
        '-extfile',
        extFile,
      ]);
    } else {
      run('openssl', [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        issuer.cert,
        '-CAkey',
        issuer.key,
        '-set_serial',
        String(this.serial++),
        '-days',
        String(o.days ?? 365),
        '-extfile',
        extFile,
        '-out',
        cert,
      ]);
    }
    return { cert, key };
  }

  /** DER copy of a PEM certificate. */
  certDer(pem: string, out: string): string {
    run('openssl', ['x509', '-in', pem, '-outform', 'DER', '-out', out]);
    return out;
  }

  /** Traditional (PKCS#1 / SEC1) DER copy of a key, what SimpleLink reads. */
  keyDer(pem: string, out: string, alg: 'rsa' | 'ec' = 'rsa'): string {
    run('openssl', [
      alg,
      '-in',
      pem,
      '-outform',
      'DER',
      '-out',
      out,
      ...(alg === 'rsa' ? ['-traditional'] : []),
    ]);
    return out;
  }
}

/** The SubjectPublicKeyInfo of a certificate or key, as openssl prints it (the oracle for key matching). */
export function publicKeyOf(file: string, kind: 'cert' | 'key'): string {
  return kind === 'cert'
    ? run('openssl', ['x509', '-in', file, '-noout', '-pubkey'])
    : run('openssl', ['pkey', '-in', file, '-pubout']);
}

/** openssl verify's verdict: true when the chain verifies. */
export function opensslVerifies(ca: string, cert: string, extra: string[] = []): boolean {
  try {
    run('openssl', ['verify', '-CAfile', ca, ...extra, cert]);
    return true;
  } catch {
    return false;
  }
}

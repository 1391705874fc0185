// Real certificates and keys made with the openssl CLI, for the e2e tests: a scratch PKI in one folder
// whose keys are made once per name. The openssl work itself is scripts/devCerts.mjs, shared with the
// integration fixtures and the unit tests' workspace.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { issueCert, keyToDer, makeCa, makeKey, toDer, type Issued } from '../../scripts/devCerts.mjs';

export { opensslVerifies, publicKeyOf, type Issued } from '../../scripts/devCerts.mjs';

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
    return existsSync(out) ? out : makeKey(out, spec, o);
  }

  /** A self-signed root. `ext` lines go to -addext; default CA:TRUE and keyCertSign. */
  root(
    name: string,
    subject: string,
    o: { key?: string; keySpec?: string; ext?: string[]; days?: number } = {},
  ): Issued {
    return makeCa(this.dir, {
      name,
      subject,
      key: o.key ?? this.key(`${name}.key`, o.keySpec),
      ext: o.ext ?? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
      ...(o.days !== undefined ? { days: o.days } : {}),
    });
  }

  /**
   * A certificate for `key`, signed by `issuer`, with exactly the `ext` lines given. Dates: `days` from
   * now, or explicit `start`/`end` (YYYYMMDDHHMMSSZ), which can backdate and post-date.
   */
  issue(
    name: string,
    subject: string,
    issuer: Issued,
    o: { key?: string; keySpec?: string; ext?: string[]; days?: number; start?: string; end?: string } = {},
  ): Issued {
    return issueCert(this.dir, issuer, {
      name,
      subject,
      key: o.key ?? this.key(`${name}.key`, o.keySpec),
      ext: o.ext ?? [],
      days: o.days ?? 365,
      ...(o.start !== undefined ? { start: o.start } : {}),
      ...(o.end !== undefined ? { end: o.end } : {}),
      serial: this.serial++,
    });
  }

  /** DER copy of a PEM certificate. */
  certDer(pem: string, out: string): string {
    return toDer(pem, out);
  }

  /** Traditional (PKCS#1 / SEC1) DER copy of a key, what SimpleLink reads. */
  keyDer(pem: string, out: string, alg: 'rsa' | 'ec' = 'rsa'): string {
    return keyToDer(pem, out, alg);
  }
}

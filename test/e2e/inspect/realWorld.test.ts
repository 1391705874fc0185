// openssl as the oracle on a corpus of real files: every certificate, key, CSR and public key that
// openssl reads must be found by the reader and by `etls inspect --json` with equal values.
// ETLS_CORPUS=DIR runs it on other files (passwords.json in DIR, mapping relative paths to pass
// phrases, opens encrypted ones).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readObjects, type X509Object } from '../../../src/core/x509';
import { etls, requireBuiltCli, requireTool } from '../../support/realParts';

const CORPUS = process.env['ETLS_CORPUS'] ?? join(__dirname, '..', '..', 'fixtures', 'real-world');
const SKIP = /\.(md|json|sh|txt)$/i;

type Expected =
  | {
      kind: 'certificate';
      sha256: string;
      serial: bigint;
      notBefore: number;
      notAfter: number;
      subject: string;
      keySha256: string;
    }
  | { kind: 'privateKey' | 'publicKey'; keySha256: string; type: string; bits?: number }
  | { kind: 'csr'; subject: string; keySha256: string }
  | { kind: 'crl'; issuer: string; thisUpdate: number; nextUpdate?: number };

function openssl(args: string[], input: Uint8Array): Buffer | undefined {
  try {
    return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'ignore'], timeout: 20_000 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl is not installed');
    return undefined;
  }
}

const LEGACY = ['-provider', 'legacy', '-provider', 'default'];
const NAMEOPT = ['-nameopt', 'RFC2253,-esc_msb'];

const SPKI_TYPES: Record<string, string> = {
  rsaEncryption: 'RSA',
  rsassaPss: 'RSA-PSS',
  'id-ecPublicKey': 'EC',
  dsaEncryption: 'DSA',
  dhKeyAgreement: 'DH',
  'X9.42 DH': 'DH',
  dhpublicnumber: 'DH',
  ED25519: 'Ed25519',
  ED448: 'Ed448',
  X25519: 'X25519',
  X448: 'X448',
};

/** SHA-256, algorithm and size of a DER SubjectPublicKeyInfo, all as openssl reports them. */
function keyFacts(spki: Buffer): { keySha256: string; type: string; bits?: number } {
  const parsed = openssl(['asn1parse', '-inform', 'DER'], spki)?.toString() ?? '';
  const oid = /OBJECT\s+:([^\n]+)/.exec(parsed)?.[1]?.trim() ?? '';
  const text = openssl(['pkey', '-pubin', '-inform', 'DER', '-noout', '-text_pub'], spki)?.toString() ?? '';
  const bits = /\((\d+) bit/.exec(text)?.[1];
  return {
    keySha256: createHash('sha256').update(spki).digest('hex'),
    type: SPKI_TYPES[oid] ?? oid,
    ...(bits ? { bits: Number(bits) } : {}),
  };
}

function field(out: string, name: string): string {
  const m = new RegExp(`^${name}=\\s*(.*)$`, 'm').exec(out);
  if (!m) throw new Error(`openssl printed no ${name}`);
  return m[1]!.replace(/\r$/, '');
}

function certificate(unit: Uint8Array, der: boolean): Expected | undefined {
  const inform = der ? ['-inform', 'DER'] : [];
  const out = openssl(
    ['x509', ...inform, '-noout', '-fingerprint', '-sha256', '-serial', '-dates', '-subject', ...NAMEOPT],
    unit,
  )?.toString();
  if (!out) return undefined;
  const pub = openssl(['x509', ...inform, '-noout', '-pubkey'], unit);
  const spki = pub && openssl(['pkey', '-pubin', '-outform', 'DER'], pub);
  return {
    kind: 'certificate',
    sha256: field(out, 'sha256 Fingerprint').replace(/:/g, '').toLowerCase(),
    serial: BigInt('0x' + field(out, 'serial')),
    notBefore: Date.parse(field(out, 'notBefore')),
    notAfter: Date.parse(field(out, 'notAfter')),
    subject: field(out, 'subject'),
    keySha256: spki ? createHash('sha256').update(spki).digest('hex') : '',
  };
}

/** What openssl finds in one PEM block or one DER object. */
function expectedOf(unit: Uint8Array, der: boolean, label: string, pass: string | undefined): Expected[] {
  const inform = der ? ['-inform', 'DER'] : [];
  const passin = ['-passin', `pass:${pass ?? ''}`];
  const tries: Array<() => Expected[] | undefined> = [];
  const cert = () => {
    const c = certificate(unit, der);
    return c ? [c] : undefined;
  };
  const pkcs7 = () => {
    const pem = openssl(['pkcs7', ...inform, '-print_certs'], unit)?.toString();
    if (!pem) return undefined;
    return pemBlocks(pem).flatMap((b) => expectedOf(b.bytes, false, b.label, undefined));
  };
  const crl = () => {
    const out = openssl(
      ['crl', ...inform, '-noout', '-issuer', '-lastupdate', '-nextupdate', ...NAMEOPT],
      unit,
    );
    if (!out) return undefined;
    const s = out.toString();
    const next = field(s, 'nextUpdate');
    return [
      {
        kind: 'crl' as const,
        issuer: field(s, 'issuer'),
        thisUpdate: Date.parse(field(s, 'lastUpdate')),
        ...(next === 'NONE' ? {} : { nextUpdate: Date.parse(next) }),
      },
    ];
  };
  const csr = () => {
    const out = openssl(['req', ...inform, '-noout', '-subject', ...NAMEOPT], unit)?.toString();
    const pub = out && openssl(['req', ...inform, '-noout', '-pubkey'], unit);
    const spki = pub && openssl(['pkey', '-pubin', '-outform', 'DER'], pub);
    if (!out || !spki) return undefined;
    return [{ kind: 'csr' as const, subject: field(out, 'subject'), keySha256: keyFacts(spki).keySha256 }];
  };
  const privateKey = () => {
    const spki = openssl(['pkey', ...inform, ...passin, ...LEGACY, '-pubout', '-outform', 'DER'], unit);
    return spki ? [{ kind: 'privateKey' as const, ...keyFacts(spki) }] : undefined;
  };
  const publicKey = () => {
    const spki =
      openssl(['pkey', '-pubin', ...inform, '-pubout', '-outform', 'DER'], unit) ??
      openssl(['rsa', '-RSAPublicKey_in', ...inform, '-pubout', '-outform', 'DER'], unit);
    return spki ? [{ kind: 'publicKey' as const, ...keyFacts(spki) }] : undefined;
  };
  // openssl reads DER (p, g) DH parameters as an RSA public key (n, e) too; the primality of p
  // tells them apart (-check complains "not prime" about an RSA modulus, at most "not safe prime"
  // about real DH parameters).
  const dhParameters = () => {
    const r = spawnSync('openssl', ['dhparam', ...inform, '-noout', '-check'], {
      input: unit,
      encoding: 'latin1',
    });
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw r.error;
    const said = `${r.stdout}${r.stderr}`;
    if (!/DH parameters appear to be ok|Diffie-Hellman|DH_check/.test(said)) return undefined;
    return /p is not prime|check p not prime/.test(said) ? undefined : [];
  };
  const pkcs12 = () => {
    const certs = openssl(['pkcs12', ...passin, ...LEGACY, '-nokeys'], unit)?.toString();
    const keys = openssl(['pkcs12', ...passin, ...LEGACY, '-nocerts', '-nodes'], unit)?.toString();
    if (certs === undefined && keys === undefined) return undefined;
    return pemBlocks((certs ?? '') + (keys ?? '')).flatMap((b) =>
      expectedOf(b.bytes, false, b.label, undefined),
    );
  };
  if (!der) {
    if (/CERTIFICATE REQUEST/.test(label)) tries.push(csr);
    else if (/CERTIFICATE$/.test(label)) tries.push(cert);
    else if (/PKCS ?#?7|CMS/.test(label)) tries.push(pkcs7);
    else if (/CRL/.test(label)) tries.push(crl);
    else if (/PUBLIC KEY/.test(label)) tries.push(publicKey);
    else if (/PRIVATE KEY/.test(label)) tries.push(privateKey);
  } else tries.push(cert, crl, csr, pkcs7, privateKey, dhParameters, publicKey, pkcs12);
  for (const t of tries) {
    const found = t();
    if (found) return found;
  }
  return [];
}

function pemBlocks(text: string): Array<{ label: string; bytes: Uint8Array }> {
  const out: Array<{ label: string; bytes: Uint8Array }> = [];
  const re = /-----BEGIN ([A-Z0-9 #.]+)-----[\s\S]*?-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push({ label: m[1]!, bytes: new TextEncoder().encode(m[0] + '\n') });
  return out;
}

/** Top-level DER elements one after another (a concatenated chain); [] when it is not DER. */
function derObjects(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p + 2 <= bytes.length && bytes[p] === 0x30) {
    let len = bytes[p + 1]!;
    let h = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4) break;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (bytes[p + 2 + i] ?? 0);
      h += n;
    }
    if (p + h + len > bytes.length) break;
    out.push(bytes.subarray(p, p + h + len));
    p += h + len;
  }
  return out.length ? out : [bytes];
}

function expectedInFile(bytes: Uint8Array, pass: string | undefined): Expected[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN '))
    return pemBlocks(text).flatMap((b) => expectedOf(b.bytes, false, b.label, pass));
  return derObjects(bytes).flatMap((d) => expectedOf(d, true, '', pass));
}

/** One object as the reader or the CLI's JSON reports it, reduced to the values openssl gives. */
interface Found {
  kind: string;
  sha256?: string;
  serial?: string;
  notBefore?: number;
  notAfter?: number;
  subject?: string;
  issuer?: string;
  keySha256?: string;
  type?: string;
  bits?: number;
  thisUpdate?: number;
  nextUpdate?: number;
}

function fromReader(objects: X509Object[]): Found[] {
  return objects.flatMap((o): Found[] => {
    switch (o.kind) {
      case 'pkcs12':
        return fromReader(o.contents);
      case 'certificate':
        return [
          {
            kind: o.kind,
            sha256: o.sha256Fingerprint,
            serial: o.serialNumber,
            notBefore: o.notBefore.getTime(),
            notAfter: o.notAfter.getTime(),
            subject: o.subject.rfc4514,
            keySha256: o.publicKey.sha256,
          },
        ];
      case 'csr':
        return [{ kind: o.kind, subject: o.subject.rfc4514, keySha256: o.publicKey.sha256 }];
      case 'privateKey':
      case 'publicKey':
        return [
          {
            kind: o.kind,
            ...(o.publicKey
              ? { keySha256: o.publicKey.sha256, type: o.publicKey.algorithm, bits: o.publicKey.bits }
              : {}),
          },
        ];
      case 'crl':
        return [
          {
            kind: o.kind,
            issuer: o.issuer.rfc4514,
            thisUpdate: o.thisUpdate.getTime(),
            ...(o.nextUpdate ? { nextUpdate: o.nextUpdate.getTime() } : {}),
          },
        ];
      default:
        return [{ kind: o.kind }];
    }
  });
}

function fromJson(entries: Array<Record<string, unknown>>): Found[] {
  const time = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : undefined);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return entries.flatMap((e): Found[] => {
    if (Array.isArray(e['contents'])) return fromJson(e['contents'] as Array<Record<string, unknown>>);
    const f: Found = { kind: String(e['kind']) };
    const put = <K extends keyof Found>(k: K, v: Found[K] | undefined) => {
      if (v !== undefined) f[k] = v;
    };
    put('sha256', str(e['sha256Fingerprint']));
    put('serial', str(e['serialNumber']));
    put('notBefore', time(e['notBefore']));
    put('notAfter', time(e['notAfter']));
    put('subject', str(e['subject']));
    put('issuer', str(e['issuer']));
    put('keySha256', str(e['publicKeySha256']));
    put('type', str(e['keyAlgorithm']));
    put('bits', typeof e['keyBits'] === 'number' ? e['keyBits'] : undefined);
    put('thisUpdate', time(e['thisUpdate']));
    put('nextUpdate', time(e['nextUpdate']));
    return [f];
  });
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return files(p);
    return SKIP.test(n) ? [] : [p];
  });
}

/** Compares what openssl found in one file with what we found; returns the differences as sentences. */
function compare(name: string, expected: Expected[], ours: Found[]): string[] {
  const errors: string[] = [];
  for (const e of expected) {
    const where = `${name}: openssl's ${e.kind}`;
    switch (e.kind) {
      case 'certificate': {
        const c = ours.find((o) => o.kind === 'certificate' && o.sha256 === e.sha256);
        if (!c) {
          errors.push(`${where} ${e.subject} (SHA-256 ${e.sha256}) was not found`);
          break;
        }
        if (BigInt('0x' + c.serial) !== e.serial) errors.push(`${where} serial ${c.serial}`);
        if (c.notBefore !== e.notBefore) errors.push(`${where} notBefore ${c.notBefore}`);
        if (c.notAfter !== e.notAfter) errors.push(`${where} notAfter ${c.notAfter}`);
        if (c.subject !== e.subject) errors.push(`${where} subject "${c.subject}" vs "${e.subject}"`);
        if (e.keySha256 && c.keySha256 !== e.keySha256) errors.push(`${where} public-key hash`);
        break;
      }
      case 'csr': {
        const c = ours.find((o) => o.kind === 'csr' && o.keySha256 === e.keySha256);
        if (!c) errors.push(`${where} ${e.subject} was not found`);
        else if (c.subject !== e.subject) errors.push(`${where} subject "${c.subject}" vs "${e.subject}"`);
        break;
      }
      case 'privateKey':
      case 'publicKey': {
        const k = ours.find((o) => o.kind === e.kind && o.keySha256 === e.keySha256);
        if (!k) {
          errors.push(
            `${where} (${e.type}${e.bits ? `-${e.bits}` : ''}, public key SHA-256 ${e.keySha256}) was not found`,
          );
          break;
        }
        if (k.type !== e.type) errors.push(`${where} type ${k.type} vs ${e.type}`);
        if (e.bits !== undefined && k.bits !== e.bits) errors.push(`${where} bits ${k.bits} vs ${e.bits}`);
        break;
      }
      case 'crl': {
        const c = ours.find(
          (o) => o.kind === 'crl' && o.issuer === e.issuer && o.thisUpdate === e.thisUpdate,
        );
        if (!c) errors.push(`${where} of ${e.issuer} was not found`);
        else if (c.nextUpdate !== e.nextUpdate) errors.push(`${where} nextUpdate`);
        break;
      }
    }
  }
  return errors;
}

interface CorpusFile {
  path: string;
  rel: string;
  pass: string | undefined;
  expected: Expected[];
}

describe('real-world corpus, with openssl as the oracle', function () {
  this.timeout(900_000);
  let corpus: CorpusFile[] = [];

  before(() => {
    requireTool('openssl');
    assert.ok(existsSync(CORPUS), `no corpus at ${CORPUS}`);
    const pwFile = join(CORPUS, 'passwords.json');
    const passwords: Record<string, string> = existsSync(pwFile)
      ? (JSON.parse(readFileSync(pwFile, 'utf8')) as Record<string, string>)
      : {};
    corpus = files(CORPUS).map((path) => {
      const rel = relative(CORPUS, path);
      const pass = passwords[rel];
      return { path, rel, pass, expected: expectedInFile(new Uint8Array(readFileSync(path)), pass) };
    });
    const count = corpus.reduce((n, f) => n + f.expected.length, 0);
    // The committed corpus holds about a hundred objects; a broken openssl call would find none.
    if (!process.env['ETLS_CORPUS']) assert.ok(count >= 95, `openssl read only ${count} objects`);
  });

  it('the reader finds every certificate, key, CSR, public key and CRL that openssl reads, with equal values', () => {
    const errors = corpus.flatMap((f) => {
      const bytes = new Uint8Array(readFileSync(f.path));
      const name = f.path.split('/').pop()!;
      const r = readObjects(bytes, {
        fileName: name,
        ...(f.pass !== undefined ? { passphrase: f.pass } : {}),
      });
      return compare(f.rel, f.expected, fromReader(r.objects.map((o) => o.object)));
    });
    assert.deepEqual(errors, [], `${errors.length} differences from openssl`);
  });

  it('etls inspect --json reports the same values', () => {
    requireBuiltCli();
    // One run per pass phrase: --passphrase-env applies to every file of a run.
    const groups = new Map<string, CorpusFile[]>();
    for (const f of corpus) {
      const key = f.pass ?? '';
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    const errors: string[] = [];
    for (const [pass, group] of groups) {
      const r = etls(
        [
          'inspect',
          '--json',
          ...(pass ? ['--passphrase-env', 'ETLS_CORPUS_PASS'] : []),
          ...group.map((f) => f.rel),
        ],
        { cwd: CORPUS, env: { ...process.env, ETLS_CORPUS_PASS: pass } },
      );
      const entries = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      for (const f of group)
        errors.push(...compare(f.rel, f.expected, fromJson(entries.filter((e) => e['file'] === f.rel))));
    }
    assert.deepEqual(errors, [], `${errors.length} differences from openssl`);
  });
});

// PEM ↔ DER for certificates, CSRs and keys; PKCS#1 ↔ PKCS#8 ↔ SEC1; removing a key's pass phrase.
// Keys go through Node's crypto (OpenSSL underneath), so the bytes equal what openssl writes.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { EtlsError } from '../errors';
import { exportPrivateKey, FORMAT_LABEL, formatFor, type KeyFormatName } from './keys';
import { chargeEncryptedPkcs8 } from '../x509/kdf';
import {
  classifyDer,
  DER_KIND_NAMES,
  encryptedKeyFailure,
  withKdfBudget,
  type KdfLimits,
  parsePemBlocks,
  toPem,
  type DerKind,
  type PemBlock,
} from '../x509';

export type ConvertKind = 'certificate' | 'csr' | 'privateKey' | 'publicKey';

export interface ConvertOptions {
  to: 'pem' | 'der';
  /** For private keys; default: keep the input's container. */
  keyFormat?: KeyFormatName;
  /** Opens encrypted keys; the output is never encrypted. Never logged. */
  passphrase?: string;
  /** Key-derivation work the input may ask for; default DEFAULT_KDF_LIMITS. */
  kdfLimits?: KdfLimits;
}

export interface ConvertedObject {
  kind: ConvertKind;
  data: Uint8Array;
  /** Private keys: write with mode 0600. */
  secret: boolean;
  /** One line for the user: "certificate", "RSA private key, PKCS#1 → PKCS#8". */
  description: string;
  /** A pass phrase was removed. */
  decrypted: boolean;
}

interface Parsed {
  kind: ConvertKind;
  der: Uint8Array;
  key?: KeyObject;
  keyFormat?: KeyFormatName;
  publicFormat?: 'spki' | 'pkcs1';
  decrypted: boolean;
}

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

function openKey(
  input: { key: Buffer | string; format: 'pem' | 'der'; type?: 'pkcs1' | 'pkcs8' | 'sec1' },
  passphrase: string | undefined,
): KeyObject {
  try {
    return createPrivateKey({ ...input, ...(passphrase !== undefined ? { passphrase } : {}) } as never);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (
      code === 'ERR_MISSING_PASSPHRASE' ||
      (passphrase === undefined && code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED')
    )
      throw new EtlsError(
        'encrypted',
        'this private key is protected by a pass phrase',
        'Give the pass phrase (--passphrase-env VAR names the variable holding it).',
      );
    if (passphrase !== undefined) throw encryptedKeyFailure(e);
    throw new EtlsError(
      'malformed',
      'the private key is damaged or of an unknown type',
      'Export it again from its source.',
    );
  }
}

function fromPem(block: PemBlock, passphrase: string | undefined): Parsed | undefined {
  const { label, der } = block;
  if (CERT_LABELS.has(label)) return { kind: 'certificate', der, decrypted: false };
  if (CSR_LABELS.has(label)) return { kind: 'csr', der, decrypted: false };
  if (label === 'PUBLIC KEY') return { kind: 'publicKey', der, publicFormat: 'spki', decrypted: false };
  if (label === 'RSA PUBLIC KEY') return { kind: 'publicKey', der, publicFormat: 'pkcs1', decrypted: false };
  if (label === 'EC PARAMETERS') return undefined;
  const keyFormats: Record<string, KeyFormatName> = {
    'PRIVATE KEY': 'pkcs8',
    'ENCRYPTED PRIVATE KEY': 'pkcs8',
    'RSA PRIVATE KEY': 'pkcs1',
    'EC PRIVATE KEY': 'sec1',
  };
  const keyFormat = keyFormats[label];
  if (!keyFormat)
    throw new EtlsError(
      'unsupported',
      `a PEM block labelled "${label}" is not a certificate, CSR or key`,
      'Convert certificates, CSRs, keys and PKCS#12 files.',
    );
  const legacyEncrypted = /4,ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '');
  const encrypted = legacyEncrypted || label === 'ENCRYPTED PRIVATE KEY';
  // Legacy encrypted PEM needs its headers, so hand Node the block's own text.
  const pemText = legacyEncrypted ? block.text : toPem(label, der);
  if (label === 'ENCRYPTED PRIVATE KEY' && passphrase !== undefined) chargeEncryptedPkcs8(der);
  const key = openKey({ key: pemText, format: 'pem' }, encrypted ? (passphrase ?? undefined) : undefined);
  return { kind: 'privateKey', der, key, keyFormat, decrypted: encrypted };
}

const NOT_CONVERTIBLE = new EtlsError(
  'unrecognized',
  'this file is not a certificate, CSR, key or PKCS#12 bundle in PEM or DER',
  'Check that it is the file you meant; C headers are converted with etls header.',
);

/** DER input, told apart by the reader's structural classification; Node's crypto then opens keys. */
function fromDer(der: Uint8Array, passphrase: string | undefined): Parsed {
  let kind: DerKind;
  try {
    kind = classifyDer(der);
  } catch {
    throw NOT_CONVERTIBLE;
  }
  const buf = Buffer.from(der);
  const privateKey = (type: KeyFormatName, encrypted = false): Parsed => ({
    kind: 'privateKey',
    der,
    key: openKey({ key: buf, format: 'der', type }, encrypted ? passphrase : undefined),
    keyFormat: type,
    decrypted: encrypted,
  });
  switch (kind) {
    case 'certificate':
      try {
        new X509Certificate(buf);
      } catch {
        throw new EtlsError(
          'malformed',
          'the DER certificate is damaged',
          'Export it again from its source.',
        );
      }
      return { kind: 'certificate', der, decrypted: false };
    case 'csr':
      return { kind: 'csr', der, decrypted: false };
    case 'spki':
      return { kind: 'publicKey', der, publicFormat: 'spki', decrypted: false };
    case 'pkcs1-public':
      return { kind: 'publicKey', der, publicFormat: 'pkcs1', decrypted: false };
    case 'pkcs8-private':
      return privateKey('pkcs8');
    case 'encrypted-pkcs8':
      if (passphrase !== undefined) chargeEncryptedPkcs8(der);
      return privateKey('pkcs8', true);
    case 'pkcs1-private':
      return privateKey('pkcs1');
    case 'sec1-private':
      return privateKey('sec1');
    case 'pkcs12':
      throw new EtlsError(
        'unsupported',
        'this is a PKCS#12 bundle',
        'Import it into certificate, key and chain: etls convert FILE.p12 --to pem.',
      );
    case 'ec-parameters':
      throw new EtlsError(
        'unsupported',
        'this file holds only EC curve parameters, no key',
        'Convert the key file itself (EC PRIVATE KEY or PRIVATE KEY).',
      );
    case 'dsa-private':
    case 'dh-parameters':
    case 'crl':
    case 'pkcs7':
      throw new EtlsError(
        'unsupported',
        `this is a ${DER_KIND_NAMES[kind]}; convert handles certificates, CSRs, RSA/EC keys and PKCS#12`,
        'Use openssl for it (openssl pkcs7 -print_certs, openssl crl, openssl pkey).',
      );
  }
}

/** Every certificate, CSR and key in the input, in order. */
function parseInput(bytes: Uint8Array, passphrase: string | undefined): Parsed[] {
  if (bytes.length === 0) throw new EtlsError('empty', 'the file is empty');
  const text = new TextDecoder('latin1').decode(bytes);
  if (!text.includes('-----BEGIN ')) return [fromDer(bytes, passphrase)];
  const { blocks, problems } = parsePemBlocks(text);
  if (blocks.length > 0 && problems[0])
    throw new EtlsError(
      problems[0].kind,
      problems[0].message,
      'Copy the block again, from its BEGIN line to its END line.',
    );
  const found = blocks.map((b) => fromPem(b, passphrase)).filter((p): p is Parsed => p !== undefined);
  if (found.length === 0)
    throw new EtlsError(
      'truncated',
      'the PEM text has a BEGIN line but no complete block',
      'Check that the END line was copied too.',
    );
  return found;
}

const FORMAT_NAME = FORMAT_LABEL;

function convertOne(p: Parsed, o: ConvertOptions): ConvertedObject {
  if (p.kind === 'certificate' || p.kind === 'csr') {
    const label = p.kind === 'certificate' ? 'CERTIFICATE' : 'CERTIFICATE REQUEST';
    const data = o.to === 'der' ? p.der : new TextEncoder().encode(toPem(label, p.der));
    return {
      kind: p.kind,
      data,
      secret: false,
      description: p.kind === 'certificate' ? 'certificate' : 'certificate signing request',
      decrypted: false,
    };
  }
  if (p.kind === 'publicKey') {
    const key = createPublicKey({ key: Buffer.from(p.der), format: 'der', type: p.publicFormat ?? 'spki' });
    const type = p.publicFormat ?? 'spki';
    const out = key.export({ type, format: o.to } as never) as Buffer | string;
    return {
      kind: 'publicKey',
      data: typeof out === 'string' ? new TextEncoder().encode(out) : new Uint8Array(out),
      secret: false,
      description: 'public key',
      decrypted: false,
    };
  }
  const key = p.key!;
  const target = formatFor(key, o.keyFormat ?? p.keyFormat ?? 'pkcs8');
  const from = FORMAT_NAME[p.keyFormat ?? 'pkcs8'];
  const algo =
    key.asymmetricKeyType === 'rsa'
      ? `RSA-${key.asymmetricKeyDetails?.modulusLength}`
      : key.asymmetricKeyType === 'ec'
        ? `EC ${key.asymmetricKeyDetails?.namedCurve}`
        : String(key.asymmetricKeyType).toUpperCase();
  return {
    kind: 'privateKey',
    data: exportPrivateKey(key, target, o.to),
    secret: true,
    description: `${algo} private key, ${from === FORMAT_NAME[target] ? from : `${from} → ${FORMAT_NAME[target]}`}${p.decrypted ? ', pass phrase removed' : ''}`,
    decrypted: p.decrypted,
  };
}

export function convertObjects(bytes: Uint8Array, o: ConvertOptions): ConvertedObject[] {
  return withKdfBudget(o.kdfLimits, () => parseInput(bytes, o.passphrase)).map((p) => convertOne(p, o));
}

// PKCS#12 (.p12/.pfx): import splits a bundle into certificate, key and chain; export builds one.
// node-forge opens bundles (3DES, RC2 and the OpenSSL 3 AES/PBKDF2 default). Export is written here
// because forge's writer takes RSA keys only: the key bag is Node's PBES2 (AES-256-CBC, PBKDF2-SHA256)
// encrypted PKCS#8, the MAC is HMAC-SHA256 with the RFC 7292 key derivation, as OpenSSL 3 writes it.
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';
import { EtlsError, isEtlsError } from '../errors';
import { withGuardedForge } from '../x509/kdf';
import * as A from './asn1';

const OID = {
  data: '1.2.840.113549.1.7.1',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  sha256: '2.16.840.1.101.3.4.2.1',
};

export interface Pkcs12Contents {
  /** The certificate that belongs to the key (or the first one when there is no key). */
  certificate?: Uint8Array;
  key?: KeyObject;
  /** The other certificates: intermediates and roots. */
  chain: Uint8Array[];
}

function spkiOf(k: KeyObject | X509Certificate): string {
  const pub = k instanceof X509Certificate ? k.publicKey : createPublicKey(k);
  return pub.export({ type: 'spki', format: 'der' }).toString('hex');
}

function certBagDer(bag: forge.pkcs12.Bag): Uint8Array | undefined {
  if (bag.cert) return A.encode(forge.pki.certificateToAsn1(bag.cert));
  // forge models RSA certificates only; for others it keeps the parsed certificate ASN.1 in `asn1`.
  return bag.asn1 ? A.encode(bag.asn1) : undefined;
}

export function importPkcs12(der: Uint8Array, passphrase: string): Pkcs12Contents {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(A.toBinary(der)));
    pfx = withGuardedForge(() => forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase));
  } catch (e) {
    if (isEtlsError(e)) throw e; // a refused key derivation says so itself
    const m = (e as Error)?.message ?? '';
    if (/mac|password|decrypt|invalid/i.test(m))
      throw new EtlsError(
        'wrong-passphrase',
        'the pass phrase does not open this PKCS#12 file',
        'Check the export password (empty when it was exported without one).',
      );
    throw new EtlsError(
      'malformed',
      'this PKCS#12 file is damaged or uses an encoding that cannot be read',
      'Export it again; openssl pkcs12 -export writes a readable one.',
    );
  }
  const certs: Uint8Array[] = [];
  let key: KeyObject | undefined;
  for (const safe of pfx.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids['certBag']) {
        const c = certBagDer(bag);
        if (c) certs.push(c);
      } else if (
        bag.type === forge.pki.oids['pkcs8ShroudedKeyBag'] ||
        bag.type === forge.pki.oids['keyBag']
      ) {
        const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
        if (info && !key)
          key = createPrivateKey({ key: Buffer.from(A.encode(info)), format: 'der', type: 'pkcs8' });
      }
    }
  }
  if (!key && certs.length === 0)
    throw new EtlsError('empty', 'the PKCS#12 file holds no certificate and no key');
  const keySpki = key ? spkiOf(key) : undefined;
  const leafIndex = keySpki
    ? certs.findIndex((c) => spkiOf(new X509Certificate(Buffer.from(c))) === keySpki)
    : 0;
  const certificate = leafIndex >= 0 ? certs[leafIndex] : undefined;
  return {
    ...(certificate ? { certificate } : {}),
    ...(key ? { key } : {}),
    chain: certs.filter((_, i) => i !== leafIndex),
  };
}

function bmp(s: string): A.Asn1 {
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.BMPSTRING, false, s);
}

function bagAttributes(localKeyId: Uint8Array, friendlyName?: string): A.Asn1 {
  const attrs = [A.seq([A.oid(OID.localKeyId), A.set([A.octets(localKeyId)])])];
  if (friendlyName) attrs.unshift(A.seq([A.oid(OID.friendlyName), A.set([bmp(friendlyName)])]));
  return A.set(attrs);
}

const dataContentInfo = (content: A.Asn1): A.Asn1 =>
  A.seq([A.oid(OID.data), A.explicit(0, A.octetsOf(content))]);

export interface Pkcs12ExportOptions {
  certificate: Uint8Array;
  key: KeyObject;
  chain?: Uint8Array[];
  /** Protects the key and the MAC; required (an empty password makes a bundle many tools refuse). */
  passphrase: string;
  friendlyName?: string;
  /** PBKDF2 and MAC iterations; OpenSSL 3 uses 2048. */
  iterations?: number;
}

export function exportPkcs12(o: Pkcs12ExportOptions): Uint8Array {
  if (!o.passphrase)
    throw new EtlsError(
      'invalid-argument',
      'a PKCS#12 export needs a pass phrase',
      'Give one; it protects the private key inside.',
    );
  const cert = new X509Certificate(Buffer.from(o.certificate));
  if (spkiOf(cert) !== spkiOf(o.key))
    throw new EtlsError(
      'verify-failed',
      'the private key does not belong to the certificate',
      'Pick the key that was made with this certificate (their public keys must match).',
    );
  const iterations = o.iterations ?? 2048;
  const localKeyId = new Uint8Array(createHash('sha1').update(o.certificate).digest());
  const encryptedKey = new Uint8Array(
    o.key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: o.passphrase }),
  );
  const keyBag = A.seq([
    A.oid(OID.shroudedKeyBag),
    A.explicit(0, A.raw(encryptedKey)),
    bagAttributes(localKeyId, o.friendlyName),
  ]);
  const certBag = (der: Uint8Array, attrs?: A.Asn1) =>
    A.seq([
      A.oid(OID.certBag),
      A.explicit(0, A.seq([A.oid(OID.x509Certificate), A.explicit(0, A.octets(der))])),
      ...(attrs ? [attrs] : []),
    ]);
  // Certificates are public: they go in a plain data SafeContents (as `openssl pkcs12 -certpbe NONE`).
  const certBags = [
    certBag(o.certificate, bagAttributes(localKeyId, o.friendlyName)),
    ...(o.chain ?? []).map((c) => certBag(c)),
  ];
  const authSafe = A.encode(A.seq([dataContentInfo(A.seq(certBags)), dataContentInfo(A.seq([keyBag]))]));

  const salt = new Uint8Array(randomBytes(16));
  const macKey = forge.pkcs12.generateKey(
    o.passphrase,
    forge.util.createBuffer(A.toBinary(salt)),
    3,
    iterations,
    32,
    forge.md.sha256.create(),
  );
  const mac = new Uint8Array(
    createHmac('sha256', Buffer.from(macKey.getBytes(), 'binary')).update(authSafe).digest(),
  );
  const macData = A.seq([
    A.seq([A.seq([A.oid(OID.sha256), A.nul()]), A.octets(mac)]),
    A.octets(salt),
    A.int(iterations),
  ]);
  return A.encode(A.seq([A.int(3), A.seq([A.oid(OID.data), A.explicit(0, A.octets(authSafe))]), macData]));
}

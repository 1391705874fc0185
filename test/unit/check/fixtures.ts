// Plain-object fixtures for the check rules, plus the committed openssl set (test/fixtures/check, made by make.sh).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkProject } from '../../../src/core/check/check';
import { linkWorkspace } from '../../../src/core/check/model';
import { scanFile } from '../../../src/core/check/scan';
import type { CheckOptions, Finding, ScannedFile, WorkspaceModel } from '../../../src/core/check/types';
import type { DeviceProfile, LoadedProject } from '../../../src/core/project/types';
import type {
  CertificateInfo,
  DistinguishedName,
  FoundObject,
  PrivateKeyInfo,
  PublicKeyDetails,
  X509Object,
} from '../../../src/core/x509/types';

export const ROOT = '/ws';
export const NOW = Date.parse('2030-06-01T00:00:00Z');
export const DAY = 86_400_000;
export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'check');

export function dn(cn: string, o?: string): DistinguishedName {
  const attributes = [
    ...(o ? [{ type: 'O', oid: '2.5.4.10', value: o }] : []),
    { type: 'CN', oid: '2.5.4.3', value: cn },
  ];
  return { rfc4514: `CN=${cn}${o ? `,O=${o}` : ''}`, attributes, commonName: cn };
}

export function pubKey(
  id: string,
  algorithm: PublicKeyDetails['algorithm'] = 'RSA',
  bits = 2048,
  curve?: string,
) {
  const pk: PublicKeyDetails = { algorithm, bits, spki: new Uint8Array(), sha256: id };
  if (curve) pk.curve = curve;
  return pk;
}

let serial = 1;

export function cert(
  o: Partial<CertificateInfo> & { cn: string; issuerCn?: string; keyId?: string },
): CertificateInfo {
  const { cn, issuerCn, keyId, ...rest } = o;
  const n = serial++;
  return {
    kind: 'certificate',
    der: new Uint8Array(900),
    version: 3,
    subject: dn(cn),
    issuer: dn(issuerCn ?? cn),
    serialNumber: n.toString(16),
    notBefore: new Date(NOW - 100 * DAY),
    notAfter: new Date(NOW + 365 * DAY),
    subjectAltNames: [],
    publicKey: pubKey(keyId ?? `key-${cn}`),
    signatureAlgorithm: 'sha256WithRSAEncryption',
    sha1Fingerprint: `sha1-${n}`,
    sha256Fingerprint: `fp-${cn}-${n}`,
    selfSigned: issuerCn === undefined,
    isCA: false,
    ...rest,
  };
}

export function caCert(cn: string, o: Partial<CertificateInfo> = {}): CertificateInfo {
  return cert({ cn, isCA: true, basicConstraints: { ca: true, critical: true }, ...o });
}

export function key(o: Partial<PrivateKeyInfo> & { keyId?: string } = {}): PrivateKeyInfo {
  const { keyId, ...rest } = o;
  return {
    kind: 'privateKey',
    format: 'PKCS#1',
    encrypted: false,
    algorithm: 'RSA',
    publicKey: pubKey(keyId ?? 'key-device-01'),
    ...rest,
  };
}

/** A scanned file holding these objects, each as its own PEM block starting on line index*30. */
export function file(path: string, objects: X509Object[], o: Partial<ScannedFile> = {}): ScannedFile {
  const found: FoundObject[] = objects.map((object, index) => ({
    index,
    encoding: 'PEM',
    location: {
      container: 'pem',
      start: { line: index * 30, column: 0 },
      end: { line: index * 30 + 20, column: 0 },
    },
    object,
  }));
  return {
    path: `${ROOT}/${path}`,
    size: 1000,
    encoding: 'PEM',
    endsWithNul: false,
    objects: found,
    problems: [],
    ...o,
  };
}

export function project(profiles: Record<string, DeviceProfile>): LoadedProject {
  return { path: `${ROOT}/embedded-tls.json`, dir: ROOT, file: { profiles } };
}

/** Plain-object certificates have no real signature: a certificate verifies unless its fingerprint says "forged". */
export const plainVerify = (child: CertificateInfo, issuer: CertificateInfo) =>
  child.issuer.rfc4514 === issuer.subject.rfc4514 && !child.sha256Fingerprint.includes('forged');

export async function check(
  files: ScannedFile[],
  proj?: LoadedProject,
  options: CheckOptions & { realSignatures?: boolean } = {},
): Promise<{ findings: Finding[]; model: WorkspaceModel }> {
  const model = linkWorkspace(files, proj, options.realSignatures ? {} : { verifySignature: plainVerify });
  const findings = await checkProject(proj ? { model, project: proj } : { model }, { now: NOW, ...options });
  return { findings, model };
}

export function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code).sort();
}

export function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** A committed openssl fixture, scanned under ROOT with the real reader. */
export function real(name: string, as = name): ScannedFile {
  return scanFile(`${ROOT}/${as}`, new Uint8Array(readFileSync(join(FIXTURES, name))));
}

/** A typical good profile: cc3220 would complain about PEM, so no target unless a test sets one. */
export function deviceSet(): ScannedFile[] {
  return [
    file('ca.pem', [caCert('Dev CA')]),
    file('device.pem', [
      cert({ cn: 'device-01', issuerCn: 'Dev CA', keyId: 'key-device-01', extendedKeyUsage: ['clientAuth'] }),
    ]),
    file('device.key', [key()]),
  ];
}

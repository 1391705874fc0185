// A private key and a certificate signing request, for clouds that sign (AWS IoT
// CreateCertificateFromCsr, an Azure or corporate CA): the key never leaves the machine.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { EtlsError } from '../errors';
import type { FileSystemPort } from '../ports';
import { buildCsr } from './certBuilder';
import { ignoreSecrets, refuseToOverwrite, writeOutputs, type OutputFile } from './files';
import { checkDeviceId } from './init';
import {
  exportPrivateKey,
  FORMAT_LABEL,
  formatFor,
  generateKey,
  keyTypeOf,
  type KeyContainer,
  type KeyType,
} from './keys';
import { toPem } from '../x509';

export interface CsrOptions {
  outDir: string;
  /** The subject CN (device id / thing name); also the file name. */
  commonName: string;
  organization?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  keyType: KeyType;
  keyContainer: KeyContainer;
  /** Sign with this existing unencrypted key (PEM or DER text) instead of making a new one. */
  existingKey?: Uint8Array;
  force?: boolean;
}

export async function createCsr(
  fs: FileSystemPort,
  o: CsrOptions,
): Promise<{ files: OutputFile[]; ignored: string[] }> {
  checkDeviceId(o.commonName);
  const csrPath = join(o.outDir, `${o.commonName}.csr`);
  const keyPaths = o.existingKey ? [] : [join(o.outDir, `${o.commonName}.key`)];
  await refuseToOverwrite(fs, [csrPath, ...keyPaths], o.force);
  let privateKey: KeyObject;
  if (o.existingKey) {
    try {
      const text = new TextDecoder('latin1').decode(o.existingKey);
      privateKey = text.includes('-----BEGIN')
        ? createPrivateKey(text)
        : createPrivateKey({ key: Buffer.from(o.existingKey), format: 'der', type: 'pkcs8' });
    } catch {
      throw new EtlsError(
        'malformed',
        'the key given with --key cannot be read (or is protected by a pass phrase)',
        'Give an unencrypted PEM key; remove a pass phrase with etls convert.',
      );
    }
    keyTypeOf(privateKey);
  } else {
    privateKey = (await generateKey(o.keyType)).privateKey;
  }
  const der = buildCsr({
    subject: { commonName: o.commonName, ...(o.organization ? { organization: o.organization } : {}) },
    privateKey,
    publicKey: createPublicKey(privateKey),
    dnsNames: o.dnsNames ?? [],
    ipAddresses: o.ipAddresses ?? [],
  });
  const files: OutputFile[] = [
    {
      path: csrPath,
      data: toPem('CERTIFICATE REQUEST', der),
      secret: false,
      role: 'certificate signing request (PEM)',
    },
  ];
  if (!o.existingKey) {
    const format = formatFor(privateKey, o.keyContainer);
    files.unshift({
      path: keyPaths[0]!,
      data: exportPrivateKey(privateKey, format, 'pem'),
      secret: true,
      role: `private key (${FORMAT_LABEL[format]} PEM): stays here`,
    });
  }
  const ignored = await ignoreSecrets(fs, o.outDir, files);
  await writeOutputs(fs, files, o.force);
  return { files, ignored };
}

// Adds a device to an existing development PKI, signed by its intermediate (if any) or its root CA.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { EtlsError } from '../errors';
import type { FileSystemPort } from '../ports';
import { buildCertificate, issuerFromCertificate } from './certBuilder';
import { ignoreSecrets, refuseToOverwrite, writeOutputs, type OutputFile } from './files';
import { checkDeviceId, leafFiles } from './init';
import { generateKey, keyTypeOf, type KeyContainer, type KeyType } from './keys';
import { parsePemBlocks } from '../x509';

const DAY = 86_400_000;

export interface AddDeviceOptions {
  caDir: string;
  id: string;
  /** Default: the CA's own key type. */
  keyType?: KeyType;
  /** Default: the container the CA key was written in. */
  keyContainer?: KeyContainer;
  days: number;
  force?: boolean;
  now?: number;
}

export interface SigningCa {
  certDer: Uint8Array;
  key: KeyObject;
  keyContainer: KeyContainer;
  /** Certificates a device sends after its own (the intermediate). */
  chain: Uint8Array[];
}

async function readCertAndKey(
  fs: FileSystemPort,
  dir: string,
  name: string,
): Promise<{ cert: Uint8Array; key: KeyObject; container: KeyContainer }> {
  const certText = new TextDecoder().decode(await fs.readFile(join(dir, `${name}.pem`)));
  const cert = parsePemBlocks(certText).blocks.find((b) => b.label === 'CERTIFICATE');
  if (!cert)
    throw new EtlsError(
      'malformed',
      `${join(dir, `${name}.pem`)} holds no certificate`,
      'Point --ca-dir at the folder etls pki init wrote.',
    );
  const keyText = new TextDecoder().decode(await fs.readFile(join(dir, `${name}.key`)));
  let key: KeyObject;
  try {
    key = createPrivateKey(keyText);
  } catch {
    const encrypted = /ENCRYPTED/.test(keyText);
    throw new EtlsError(
      encrypted ? 'encrypted' : 'malformed',
      encrypted
        ? `${name}.key is protected by a pass phrase`
        : `${name}.key is not a private key this tool can read`,
      encrypted
        ? 'Remove the pass phrase first: etls convert ' +
            `${name}.key --to pem --passphrase-env VAR -o ${name}.key --force.`
        : undefined,
    );
  }
  return { cert: cert.der, key, container: /BEGIN PRIVATE KEY/.test(keyText) ? 'pkcs8' : 'traditional' };
}

/** The CA that signs new devices in `dir`: the intermediate when the PKI has one. */
export async function loadSigningCa(fs: FileSystemPort, dir: string): Promise<SigningCa> {
  if (!(await fs.stat(join(dir, 'ca.pem'))))
    throw new EtlsError(
      'not-found',
      `${dir} has no ca.pem`,
      'Create the PKI first: etls pki init --out DIR ...',
    );
  const root = await readCertAndKey(fs, dir, 'ca').catch(async (e) => {
    // A PKI with an intermediate can be used even when the root key was moved somewhere safer.
    if ((await fs.stat(join(dir, 'intermediate.key'))) && e instanceof EtlsError && e.code === 'not-found')
      return undefined;
    throw e;
  });
  if (await fs.stat(join(dir, 'intermediate.pem'))) {
    const inter = await readCertAndKey(fs, dir, 'intermediate');
    return { certDer: inter.cert, key: inter.key, keyContainer: inter.container, chain: [inter.cert] };
  }
  if (!root) throw new EtlsError('not-found', `${join(dir, 'ca.key')}: no such file`);
  return { certDer: root.cert, key: root.key, keyContainer: root.container, chain: [] };
}

export async function addDevice(
  fs: FileSystemPort,
  o: AddDeviceOptions,
): Promise<{ files: OutputFile[]; ignored: string[]; warnings: string[] }> {
  checkDeviceId(o.id);
  const ca = await loadSigningCa(fs, o.caDir);
  const container = o.keyContainer ?? ca.keyContainer;
  const paths = [
    `${o.id}.pem`,
    `${o.id}.der`,
    `${o.id}.key`,
    `${o.id}.key.der`,
    ...(ca.chain.length ? [`${o.id}-chain.pem`] : []),
  ];
  await refuseToOverwrite(
    fs,
    paths.map((p) => join(o.caDir, p)),
    o.force,
  );
  const issuer = issuerFromCertificate(ca.certDer, ca.key);
  const now = o.now ?? Date.now();
  const warnings: string[] = [];
  let notAfter = new Date(now + o.days * DAY);
  if (notAfter > issuer.notAfter) {
    notAfter = issuer.notAfter;
    warnings.push(
      `the CA expires on ${issuer.notAfter.toISOString().slice(0, 10)}, so the device certificate ends then too`,
    );
  }
  const pair = await generateKey(o.keyType ?? keyTypeOf(ca.key));
  const der = buildCertificate({
    profile: 'client',
    subject: { commonName: o.id, organization: 'Embedded TLS development PKI' },
    publicKey: pair.publicKey,
    issuer,
    notBefore: new Date(now - DAY),
    notAfter,
  });
  const files = leafFiles(o.caDir, o.id, pair, der, container, ca.chain);
  const ignored = await ignoreSecrets(fs, o.caDir, files);
  await writeOutputs(fs, files, o.force);
  return { files, ignored, warnings };
}

// A development PKI in one step: root CA (and optional intermediate), broker and device
// certificates, keys in the board's container, mosquitto.conf, .gitignore.
import { join } from 'node:path';
import { EtlsError } from '../errors';
import type { FileSystemPort } from '../ports';
import { buildCertificate, checkHost, ipBytes, issuerFromCertificate, type Issuer } from './certBuilder';
import { ignoreSecrets, refuseToOverwrite, writeOutputs, type OutputFile } from './files';
import {
  exportPrivateKey,
  FORMAT_LABEL,
  formatFor,
  generateKey,
  type KeyContainer,
  type KeyPair,
  type KeyType,
} from './keys';
import { mosquittoConf } from './mosquittoConf';
import { toPem } from '../x509';

const DAY = 86_400_000;

export interface PkiInitOptions {
  /** Absolute folder the files go to. */
  outDir: string;
  /** Names devices dial: DNS names or IP literals (these become IP SANs); the first is also the CN. */
  brokerHosts: string[];
  brokerIps?: string[];
  /** Device ids: each becomes a certificate CN and a file name. */
  devices: string[];
  keyType: KeyType;
  keyContainer: KeyContainer;
  /** Validity of broker and device certificates in days. */
  days: number;
  /** Validity of the CA (and intermediate); at least `days`. Default 3650. */
  caDays?: number;
  intermediate?: boolean;
  organization?: string;
  force?: boolean;
  /** Milliseconds since the epoch; notBefore is one day earlier to tolerate device clocks. */
  now?: number;
}

export interface PkiResult {
  files: OutputFile[];
  /** Key names added to DIR/.gitignore. */
  ignored: string[];
  /** The files mosquitto.conf points at. */
  cafile: string;
  certfile: string;
  keyfile: string;
  confPath: string;
}

const RESERVED = new Set(['ca', 'broker', 'intermediate', 'ca-bundle', 'broker-chain', 'mosquitto']);

export function checkDeviceId(id: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id) || id.endsWith('.'))
    throw new EtlsError(
      'invalid-argument',
      `device id "${id}" can't be used as a certificate CN and file name`,
      'Use 1-64 letters, digits, dots, hyphens or underscores, starting with a letter or digit.',
    );
  if (RESERVED.has(id))
    throw new EtlsError(
      'invalid-argument',
      `"${id}" names one of the PKI's own files`,
      'Pick another device id.',
    );
}

export function checkPkiOptions(o: PkiInitOptions): void {
  if (o.brokerHosts.length === 0)
    throw new EtlsError(
      'invalid-argument',
      'the broker needs a host name (--broker-host)',
      'Use the name devices dial, e.g. broker.local.',
    );
  for (const h of o.brokerHosts) checkHost(h);
  for (const ip of o.brokerIps ?? []) ipBytes(ip);
  if (o.devices.length === 0)
    throw new EtlsError('invalid-argument', 'name at least one device (--device ID)');
  const seen = new Set<string>();
  for (const d of o.devices) {
    checkDeviceId(d);
    if (seen.has(d.toLowerCase())) throw new EtlsError('invalid-argument', `device id "${d}" is given twice`);
    seen.add(d.toLowerCase());
  }
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 36500)
    throw new EtlsError('invalid-argument', `--days ${o.days} is not a number of days from 1 to 36500`);
}

/** The leaf files for one name: certificate PEM/DER, key in the container as PEM/DER, chain when there is an intermediate. */
export function leafFiles(
  dir: string,
  name: string,
  pair: KeyPair,
  certDer: Uint8Array,
  container: KeyContainer,
  chain?: Uint8Array[],
): OutputFile[] {
  const format = formatFor(pair.privateKey, container);
  const files: OutputFile[] = [
    {
      path: join(dir, `${name}.pem`),
      data: toPem('CERTIFICATE', certDer),
      secret: false,
      role: `${name} certificate (PEM)`,
    },
    { path: join(dir, `${name}.der`), data: certDer, secret: false, role: `${name} certificate (DER)` },
    {
      path: join(dir, `${name}.key`),
      data: exportPrivateKey(pair.privateKey, format, 'pem'),
      secret: true,
      role: `${name} private key (${FORMAT_LABEL[format]} PEM)`,
    },
    {
      path: join(dir, `${name}.key.der`),
      data: exportPrivateKey(pair.privateKey, format, 'der'),
      secret: true,
      role: `${name} private key (${FORMAT_LABEL[format]} DER)`,
    },
  ];
  if (chain?.length)
    files.push({
      path: join(dir, `${name}-chain.pem`),
      data: [certDer, ...chain].map((d) => toPem('CERTIFICATE', d)).join(''),
      secret: false,
      role: `${name} certificate + intermediate (PEM chain)`,
    });
  return files;
}

/** Every path `init` writes, so an existing PKI is detected before any key is generated. */
export function initPaths(o: PkiInitOptions): string[] {
  const d = o.outDir;
  const leaf = (n: string) => [
    `${n}.pem`,
    `${n}.der`,
    `${n}.key`,
    `${n}.key.der`,
    ...(o.intermediate ? [`${n}-chain.pem`] : []),
  ];
  const names = [
    'ca.pem',
    'ca.der',
    'ca.key',
    ...(o.intermediate ? ['intermediate.pem', 'intermediate.der', 'intermediate.key', 'ca-bundle.pem'] : []),
  ];
  names.push(...leaf('broker'), ...o.devices.flatMap(leaf), 'mosquitto.conf');
  return names.map((n) => join(d, n));
}

function caFiles(
  dir: string,
  name: string,
  pair: KeyPair,
  der: Uint8Array,
  container: KeyContainer,
  role: string,
): OutputFile[] {
  const format = formatFor(pair.privateKey, container);
  return [
    {
      path: join(dir, `${name}.pem`),
      data: toPem('CERTIFICATE', der),
      secret: false,
      role: `${role} certificate (PEM)`,
    },
    { path: join(dir, `${name}.der`), data: der, secret: false, role: `${role} certificate (DER)` },
    {
      path: join(dir, `${name}.key`),
      data: exportPrivateKey(pair.privateKey, format, 'pem'),
      secret: true,
      role: `${role} private key: keep it off devices`,
    },
  ];
}

export async function createDevelopmentPki(fs: FileSystemPort, o: PkiInitOptions): Promise<PkiResult> {
  checkPkiOptions(o);
  await refuseToOverwrite(fs, initPaths(o), o.force);
  const now = o.now ?? Date.now();
  const notBefore = new Date(now - DAY);
  const caDays = Math.max(o.caDays ?? 3650, o.days);
  const org = o.organization ?? 'Embedded TLS development PKI';
  // Unique CA names: two development PKIs on one machine must never look like the same issuer.
  const tag =
    Math.floor(now / 1000)
      .toString(36)
      .slice(-5) + Math.random().toString(36).slice(2, 5);

  const count = 2 + (o.intermediate ? 1 : 0) + o.devices.length;
  const pairs = await Promise.all(Array.from({ length: count }, () => generateKey(o.keyType)));
  const [caPair, ...rest] = pairs as [KeyPair, ...KeyPair[]];
  const interPair = o.intermediate ? rest.shift() : undefined;
  const brokerPair = rest.shift()!;

  const caDer = buildCertificate({
    profile: 'root-ca',
    subject: { commonName: `Embedded TLS Dev Root CA ${tag}`, organization: org },
    publicKey: caPair.publicKey,
    selfSigningKey: caPair.privateKey,
    notBefore,
    notAfter: new Date(now + caDays * DAY),
    pathLength: o.intermediate ? 1 : 0,
  });
  const files: OutputFile[] = caFiles(o.outDir, 'ca', caPair, caDer, o.keyContainer, 'root CA');
  let signer: Issuer = issuerFromCertificate(caDer, caPair.privateKey);
  let chain: Uint8Array[] | undefined;
  if (interPair) {
    const interDer = buildCertificate({
      profile: 'intermediate-ca',
      subject: { commonName: `Embedded TLS Dev Intermediate CA ${tag}`, organization: org },
      publicKey: interPair.publicKey,
      issuer: signer,
      notBefore,
      notAfter: new Date(now + caDays * DAY),
      pathLength: 0,
    });
    files.push(...caFiles(o.outDir, 'intermediate', interPair, interDer, o.keyContainer, 'intermediate CA'));
    files.push({
      path: join(o.outDir, 'ca-bundle.pem'),
      data: toPem('CERTIFICATE', caDer) + toPem('CERTIFICATE', interDer),
      secret: false,
      role: 'root + intermediate, for the broker to check device certificates',
    });
    signer = issuerFromCertificate(interDer, interPair.privateKey);
    chain = [interDer];
  }

  const leafNotAfter = new Date(now + o.days * DAY);
  const brokerDer = buildCertificate({
    profile: 'server',
    subject: { commonName: o.brokerHosts[0]!, organization: org },
    publicKey: brokerPair.publicKey,
    issuer: signer,
    notBefore,
    notAfter: leafNotAfter,
    dnsNames: o.brokerHosts,
    ipAddresses: o.brokerIps ?? [],
  });
  files.push(...leafFiles(o.outDir, 'broker', brokerPair, brokerDer, o.keyContainer, chain));
  o.devices.forEach((id, i) => {
    const pair = rest[i]!;
    const der = buildCertificate({
      profile: 'client',
      subject: { commonName: id, organization: org },
      publicKey: pair.publicKey,
      issuer: signer,
      notBefore,
      notAfter: leafNotAfter,
    });
    files.push(...leafFiles(o.outDir, id, pair, der, o.keyContainer, chain));
  });

  const cafile = join(o.outDir, o.intermediate ? 'ca-bundle.pem' : 'ca.pem');
  const certfile = join(o.outDir, o.intermediate ? 'broker-chain.pem' : 'broker.pem');
  const keyfile = join(o.outDir, 'broker.key');
  const confPath = join(o.outDir, 'mosquitto.conf');
  files.push({
    path: confPath,
    data: mosquittoConf({ cafile, certfile, keyfile }),
    secret: false,
    role: 'Mosquitto TLS listener on 8883',
  });

  // .gitignore first: a run killed half way leaves no key (or temporary file) git would pick up.
  const ignored = await ignoreSecrets(fs, o.outDir, files);
  await writeOutputs(fs, files, o.force);
  return { files, ignored, cafile, certfile, keyfile, confPath };
}

// Proof that we hold a CA's key, for the clouds that accept your own CA (AWS IoT register-CA,
// Azure DPS / IoT Hub verification): a certificate whose CN is the code the cloud gave, signed by
// the CA. Beside it, an AWS just-in-time provisioning (JITP) template for that CA and device
// certificates whose subjects carry every value the template reads.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { EtlsError } from '../errors';
import type { FileSystemPort } from '../ports';
import { parsePemBlocks, toPem } from '../x509';
import { buildCertificate, issuerFromCertificate } from './certBuilder';
import { ignoreSecrets, refuseToOverwrite, writeOutputs, type OutputFile } from './files';
import { checkDeviceId, leafFiles } from './init';
import { generateKey, keyTypeOf } from './keys';

const DAY = 86_400_000;

/** The organisation JITP devices carry, so the template's Organization parameter has a value. */
export const JITP_ORGANIZATION = 'Embedded TLS devices';

/** The template parameters AWS fills from a device certificate's subject, and what fills each here. */
export const JITP_PARAMETERS = {
  'AWS::IoT::Certificate::CommonName': 'the device id (subject CN)',
  'AWS::IoT::Certificate::Organization': `the organisation (subject O, "${JITP_ORGANIZATION}")`,
  'AWS::IoT::Certificate::Id': 'filled by AWS IoT from the certificate itself',
} as const;

export interface VerificationOptions {
  caCertPath: string;
  caKeyPath: string;
  /** The registration code (AWS) or verification code (Azure): the certificate's CN. */
  code: string;
  outDir: string;
  /** JITP device certificates to make; none when empty. */
  devices: string[];
  days?: number;
  force?: boolean;
  now?: number;
}

export interface VerificationResult {
  files: OutputFile[];
  certificate: string;
  template: string;
  registration: string;
  ignored: string[];
}

/** What the code may hold: the clouds hand out hex or base64-like strings; nothing that breaks a CN or a shell. */
export function checkVerificationCode(code: string): void {
  if (!/^[A-Za-z0-9._=+/-]{1,64}$/.test(code))
    throw new EtlsError(
      'invalid-argument',
      `--code "${code.replace(/[^\x20-\x7e]/g, '?')}" is not a registration or verification code`,
      'Paste the code as the cloud shows it: aws iot get-registration-code, or az iot dps certificate generate-verification-code (up to 64 letters and digits).',
    );
}

async function readCa(
  fs: FileSystemPort,
  certPath: string,
  keyPath: string,
): Promise<{ der: Uint8Array; key: KeyObject }> {
  const bytes = await fs.readFile(certPath);
  const text = new TextDecoder().decode(bytes);
  const block = parsePemBlocks(text).blocks.find((b) => b.label === 'CERTIFICATE');
  const der = block?.der ?? (bytes[0] === 0x30 ? bytes : undefined);
  if (!der)
    throw new EtlsError(
      'malformed',
      `${certPath} holds no certificate`,
      'Point --ca at the CA certificate (ca.pem).',
    );
  const keyBytes = await fs.readFile(keyPath);
  let key: KeyObject;
  try {
    const keyText = new TextDecoder().decode(keyBytes);
    key = keyText.includes('-----BEGIN')
      ? createPrivateKey(keyText)
      : createPrivateKey({ key: Buffer.from(keyBytes), format: 'der', type: 'pkcs8' });
  } catch {
    const encrypted = /ENCRYPTED/.test(new TextDecoder().decode(keyBytes.subarray(0, 200)));
    throw new EtlsError(
      encrypted ? 'encrypted' : 'malformed',
      encrypted
        ? `${keyPath} is protected by a pass phrase`
        : `${keyPath} is not a private key this tool can read`,
      encrypted
        ? `Remove the pass phrase into a temporary copy first: etls convert ${keyPath} --to pem --passphrase-env VAR -o ca-plain.key`
        : 'Point --ca-key at the CA key (ca.key).',
    );
  }
  return { der, key };
}

/** True when the private key belongs to the certificate (same public key). */
function keyMatches(certDer: Uint8Array, key: KeyObject): boolean {
  try {
    const fromCert = createPublicKey(toPem('CERTIFICATE', certDer));
    const fromKey = createPublicKey(key);
    return fromCert
      .export({ type: 'spki', format: 'der' })
      .equals(fromKey.export({ type: 'spki', format: 'der' }));
  } catch {
    return false;
  }
}

/** The JITP template: a thing named after the CN, the certificate activated, a policy for its own client id. */
export function jitpTemplate(): Record<string, unknown> {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['iot:Connect'],
        Resource: ['arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}'],
      },
      {
        Effect: 'Allow',
        Action: ['iot:Publish', 'iot:Receive'],
        Resource: ['arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*'],
      },
      {
        Effect: 'Allow',
        Action: ['iot:Subscribe'],
        Resource: ['arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*'],
      },
    ],
  };
  return {
    Parameters: Object.fromEntries(Object.keys(JITP_PARAMETERS).map((p) => [p, { Type: 'String' }])),
    Resources: {
      thing: {
        Type: 'AWS::IoT::Thing',
        Properties: {
          ThingName: { Ref: 'AWS::IoT::Certificate::CommonName' },
          AttributePayload: { organization: { Ref: 'AWS::IoT::Certificate::Organization' } },
        },
      },
      certificate: {
        Type: 'AWS::IoT::Certificate',
        Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'ACTIVE' },
      },
      policy: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: JSON.stringify(policy) } },
    },
  };
}

/** Writes the verification certificate and key, the JITP template and registration config, and JITP devices. */
export async function createVerification(
  fs: FileSystemPort,
  o: VerificationOptions,
): Promise<VerificationResult> {
  checkVerificationCode(o.code);
  for (const d of o.devices) checkDeviceId(d);
  const ca = await readCa(fs, o.caCertPath, o.caKeyPath);
  if (!keyMatches(ca.der, ca.key))
    throw new EtlsError(
      'verify-failed',
      `${o.caKeyPath} is not the key of ${o.caCertPath}`,
      'Pass the CA key that belongs to this CA certificate (etls pki init writes them as ca.pem and ca.key).',
    );
  const certificate = join(o.outDir, 'verification.pem');
  const template = join(o.outDir, 'jitp-template.json');
  const registration = join(o.outDir, 'jitp-registration.json');
  const devicePaths = o.devices.flatMap((d) =>
    ['.pem', '.der', '.key', '.key.der', '-chain.pem'].map((s) => join(o.outDir, `${d}${s}`)),
  );
  await refuseToOverwrite(
    fs,
    [certificate, join(o.outDir, 'verification.key'), template, registration, ...devicePaths],
    o.force,
  );
  const issuer = issuerFromCertificate(ca.der, ca.key);
  const now = o.now ?? Date.now();
  const notAfter = new Date(Math.min(now + (o.days ?? 30) * DAY, issuer.notAfter.getTime()));
  const keyType = keyTypeOf(ca.key);
  const pair = await generateKey(keyType);
  const der = buildCertificate({
    profile: 'client',
    subject: { commonName: o.code },
    publicKey: pair.publicKey,
    issuer,
    notBefore: new Date(now - DAY),
    notAfter,
  });
  const files: OutputFile[] = leafFiles(o.outDir, 'verification', pair, der, 'pkcs8').filter(
    (f) => f.path.endsWith('.pem') || f.path.endsWith('.key'),
  );
  files[0]!.role = `verification certificate, CN=${o.code}, signed by the CA`;
  files[1]!.role = 'verification private key (needed by nobody once the CA is registered)';
  const body = jitpTemplate();
  files.push({
    path: template,
    data: JSON.stringify(body, null, 2) + '\n',
    secret: false,
    role: 'AWS JITP provisioning template',
  });
  files.push({
    path: registration,
    data:
      JSON.stringify(
        {
          templateBody: JSON.stringify(body),
          roleArn: 'arn:aws:iam::123456789012:role/JITPRole',
        },
        null,
        2,
      ) + '\n',
    secret: false,
    role: 'AWS --registration-config (replace the roleArn with your JITP role)',
  });
  for (const id of o.devices) {
    const devicePair = await generateKey(keyType);
    const deviceDer = buildCertificate({
      profile: 'client',
      subject: { commonName: id, organization: JITP_ORGANIZATION },
      publicKey: devicePair.publicKey,
      issuer,
      notBefore: new Date(now - DAY),
      notAfter: new Date(Math.min(now + 825 * DAY, issuer.notAfter.getTime())),
    });
    // JITP needs the CA beside the device certificate on the first connection: the chain file.
    for (const f of leafFiles(o.outDir, id, devicePair, deviceDer, 'traditional', [ca.der])) {
      if (f.path.endsWith('-chain.pem'))
        f.role = `${id} certificate + CA (send this on the first connection)`;
      else f.role = f.role.replace(`${id} certificate`, `${id} JITP device certificate`);
      files.push(f);
    }
  }
  const ignored = await ignoreSecrets(fs, o.outDir, files);
  await writeOutputs(fs, files, o.force);
  return { files, certificate, template, registration, ignored };
}

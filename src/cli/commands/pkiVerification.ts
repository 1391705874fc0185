// `etls pki verification`: the proof-of-possession certificate for cloud CA registration, with the
// next command for AWS IoT and Azure DPS / IoT Hub. Runs on Node.
import { relative, resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { createVerification } from '../../core/pki/verification';
import { hasFlag, optionValue, type CliIo, type ParsedArgs } from '../command';

function all(p: ParsedArgs, name: string): string[] {
  return (p.options.get(name) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function listFiles(io: CliIo, files: Array<{ path: string; role: string; secret: boolean }>): void {
  for (const f of files)
    io.out(`  ${(relative(io.cwd, f.path) || f.path).padEnd(34)} ${f.role}${f.secret ? ' (0600)' : ''}\n`);
}

export async function verification(p: ParsedArgs, io: CliIo): Promise<number> {
  const ca = optionValue(p, 'ca');
  const caKey = optionValue(p, 'ca-key');
  const code = optionValue(p, 'code');
  if (!ca || !caKey || !code)
    throw new EtlsError(
      'invalid-argument',
      `${[!ca && '--ca FILE', !caKey && '--ca-key FILE', !code && '--code CODE'].filter(Boolean).join(', ')} ${[ca, caKey, code].filter((v) => !v).length > 1 ? 'are' : 'is'} required`,
      'The code is what the cloud gave: aws iot get-registration-code, or az iot dps certificate generate-verification-code.',
    );
  const devices = all(p, 'device');
  if (devices.length === 0) devices.push('jitp-device-01');
  const r = await createVerification(nodeFileSystem, {
    caCertPath: resolve(io.cwd, ca),
    caKeyPath: resolve(io.cwd, caKey),
    code,
    outDir: resolve(io.cwd, optionValue(p, 'out') ?? 'verification'),
    devices,
    force: hasFlag(p, 'force'),
  });
  listFiles(io, r.files);
  const show = (f: string) => relative(io.cwd, f) || f;
  const cert = show(r.certificate);
  io.out(
    `\nAWS IoT (register the CA, with just-in-time provisioning):\n` +
      `  aws iot register-ca-certificate --ca-certificate file://${show(resolve(io.cwd, ca))} --verification-certificate file://${cert} --set-as-active --allow-auto-registration --registration-config file://${show(r.registration)}\n` +
      `  (edit the roleArn in ${show(r.registration)} first; devices send ${devices[0]}-chain.pem on their first connection)\n` +
      `Azure DPS:     az iot dps certificate verify --dps-name DPS --resource-group RG --certificate-name CA-NAME --path ${cert} --etag ETAG\n` +
      `Azure IoT Hub: az iot hub certificate verify --hub-name HUB --resource-group RG --name CA-NAME --path ${cert} --etag ETAG\n`,
  );
  return 0;
}

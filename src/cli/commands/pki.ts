// `etls pki`: a development CA with broker and device certificates, more devices later, and CSRs. Runs on Node.
import { relative, resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import {
  addDevice,
  createCsr,
  createDevelopmentPki,
  defaultKeyContainer,
  defaultKeyType,
  isKeyType,
  keyTypeLabel,
  keyTypes,
  keyTypeWarnings,
  linkPkiToProject,
  pickProfile,
  type KeyContainer,
  type KeyType,
  type OutputFile,
} from '../../core/pki';
import { verification } from './pkiVerification';
import { writeGuarded } from '../../core/files/guard';
import { findProjectFile, loadProject } from '../../core/project/load';
import { PROJECT_FILE_NAME } from '../../core/project/types';
import { isTargetId, targetIds, type TargetId } from '../../core/targets/ids';
import { hasFlag, optionValue, parseArgs, type CliCommand, type CliIo, type ParsedArgs } from '../command';

const usage = `etls pki init --broker-host NAME [--out DIR] [--broker-ip IP]... [--device ID]... [options]
etls pki device --ca-dir DIR ID [ID...] [--key-type T] [--days N] [--force]
etls pki csr --cn NAME [--out DIR] [--dns NAME]... [--ip IP]... [--key FILE] [options]
etls pki verification --ca CA.pem --ca-key CA.key --code CODE [--out DIR] [--device ID]... [--force]

init writes DIR/ca.pem, ca.key, broker.pem, broker.key, <ID>.pem, <ID>.key (certificates also as
.der, keys also as .key.der) and DIR/mosquitto.conf; key files get mode 0600 and go in DIR/.gitignore.

Options:
  --broker-host NAME     name or IP address devices dial (repeatable or comma-separated; the
                         first is also the CN; an IP address becomes an IP SAN)
  --broker-ip IP         IP address devices may dial instead (repeatable)
  --out DIR              the folder to write (default: pki)
  --device ID            a device certificate with CN=ID (repeatable; default: one, device-01)
  --key-type T           ${keyTypes.join('|')} (default: rsa2048 for CC32xx/CC3100/WINC1500
                         targets, p256 otherwise)
  --key-format F         traditional (PKCS#1/SEC1) | pkcs8 (default: traditional for boards,
                         pkcs8 for linux or no target)
  --days N               validity of broker and device certificates (default 825)
  --ca-days N            validity of the CA (default 3650)
  --intermediate         sign broker and devices with an intermediate CA below the root
  --target ID            ${targetIds.join('|')} (default: the profile's target)
  --profile NAME         profile in embedded-tls.json to read the target from and to link
  --no-project           leave embedded-tls.json alone
  --force                replace existing files (nothing is replaced without it)
csr:
  --cn NAME              subject CN (device id / AWS IoT thing name); also the file name
  --org NAME             subject O
  --dns NAME, --ip IP    subjectAltNames to request
  --key FILE             sign with this existing key instead of making a new one
verification (proof of possession of the CA key, for AWS IoT and Azure DPS / IoT Hub):
  --ca FILE, --ca-key FILE  the CA certificate and its key
  --code CODE            the registration code (aws iot get-registration-code) or verification
                         code (az iot dps certificate generate-verification-code): the CN
  --out DIR              where verification.pem/.key, jitp-template.json, jitp-registration.json
                         go (default: verification)
  --device ID            an AWS JITP device certificate whose subject satisfies the template
                         (repeatable; default: one, jitp-device-01)`;

const spec = {
  flags: ['force', 'intermediate', 'no-project'],
  options: [
    'out',
    'broker-host',
    'broker-ip',
    'device',
    'key-type',
    'key-format',
    'days',
    'ca-days',
    'target',
    'profile',
    'ca-dir',
    'cn',
    'org',
    'dns',
    'ip',
    'key',
    'project',
    'ca',
    'ca-key',
    'code',
  ],
};

function all(p: ParsedArgs, name: string): string[] {
  return (p.options.get(name) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function intOption(p: ParsedArgs, name: string, fallback: number): number {
  const v = optionValue(p, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v))
    throw new EtlsError('invalid-argument', `--${name} ${v} is not a whole number of days`);
  return Number(v);
}

interface Context {
  target?: TargetId;
  projectPath?: string;
  profile?: string;
}

async function projectContext(p: ParsedArgs, io: CliIo): Promise<Context> {
  const explicit = optionValue(p, 'target');
  if (explicit !== undefined && !isTargetId(explicit))
    throw new EtlsError(
      'invalid-argument',
      `unknown target "${explicit}"`,
      `Use one of: ${targetIds.join(', ')}.`,
    );
  const given = optionValue(p, 'project');
  const projectPath = given ? resolve(io.cwd, given) : await findProjectFile(nodeFileSystem, io.cwd);
  const profile = optionValue(p, 'profile');
  let target = explicit as TargetId | undefined;
  if (projectPath && !target) {
    const project = await loadProject(nodeFileSystem, projectPath);
    // A profile the file does not have yet is made when the PKI is linked (init).
    if (!profile || project.file.profiles[profile]) target = pickProfile(project, profile)?.profile.target;
  }
  return {
    ...(target ? { target } : {}),
    ...(projectPath ? { projectPath } : {}),
    ...(profile ? { profile } : {}),
  };
}

function keyChoice(
  p: ParsedArgs,
  ctx: Context,
  fallbackType?: KeyType,
): { keyType: KeyType; container: KeyContainer } {
  const t = optionValue(p, 'key-type');
  if (t !== undefined && !isKeyType(t))
    throw new EtlsError('invalid-argument', `unknown key type "${t}"`, `Use one of: ${keyTypes.join(', ')}.`);
  const f = optionValue(p, 'key-format');
  const formats: Record<string, KeyContainer> = {
    traditional: 'traditional',
    pkcs1: 'traditional',
    sec1: 'traditional',
    pkcs8: 'pkcs8',
  };
  if (f !== undefined && !formats[f])
    throw new EtlsError(
      'invalid-argument',
      `unknown key format "${f}"`,
      'Use traditional (PKCS#1/SEC1) or pkcs8.',
    );
  return {
    keyType: (t as KeyType | undefined) ?? fallbackType ?? defaultKeyType(ctx.target),
    container: f ? formats[f]! : defaultKeyContainer(ctx.target),
  };
}

function listFiles(io: CliIo, files: OutputFile[]): void {
  for (const f of files)
    io.out(`  ${(relative(io.cwd, f.path) || f.path).padEnd(34)} ${f.role}${f.secret ? ' (0600)' : ''}\n`);
}

async function init(p: ParsedArgs, io: CliIo): Promise<number> {
  // Defaults a first run can live with: the folder the VS Code wizard uses, and one device.
  const out = optionValue(p, 'out') ?? 'pki';
  const ctx = await projectContext(p, io);
  const { keyType, container } = keyChoice(p, ctx);
  for (const w of keyTypeWarnings(keyType, ctx.target)) io.err(`warning: ${w}\n`);
  const outDir = resolve(io.cwd, out);
  const devices = all(p, 'device');
  if (devices.length === 0) {
    devices.push('device-01');
    io.err('No --device given: making one device certificate, device-01 (add more with etls pki device).\n');
  }
  const result = await createDevelopmentPki(nodeFileSystem, {
    outDir,
    brokerHosts: all(p, 'broker-host'),
    brokerIps: all(p, 'broker-ip'),
    devices,
    keyType,
    keyContainer: container,
    days: intOption(p, 'days', 825),
    caDays: intOption(p, 'ca-days', 3650),
    intermediate: hasFlag(p, 'intermediate'),
    force: hasFlag(p, 'force'),
  });
  io.out(
    `Development PKI with ${keyTypeLabel(keyType)} keys (${container === 'pkcs8' ? 'PKCS#8' : 'PKCS#1/SEC1'})${ctx.target ? ` for ${ctx.target}` : ''}:\n`,
  );
  listFiles(io, result.files);
  if (result.ignored.length)
    io.out(`Added ${result.ignored.length} key files to ${relative(io.cwd, outDir) || '.'}/.gitignore.\n`);
  let projectPath = ctx.projectPath;
  if (!projectPath && ctx.profile && !hasFlag(p, 'no-project')) {
    // --profile with no project file yet: start one here, so the profile has somewhere to live.
    projectPath = resolve(io.cwd, PROJECT_FILE_NAME);
    await writeGuarded(nodeFileSystem, projectPath, '{\n  "profiles": {}\n}\n', {
      within: io.cwd,
      replace: 'nothing',
    });
  }
  if (projectPath && !hasFlag(p, 'no-project')) {
    const changes = await linkPkiToProject(
      nodeFileSystem,
      projectPath,
      { outDir, device: devices[0]!, brokerHost: all(p, 'broker-host')[0]! },
      ctx.profile,
    );
    if (changes.length) io.out(`Updated ${relative(io.cwd, projectPath)}: ${changes.join('; ')}\n`);
  }
  io.out(
    `\nStart the broker: etls broker --conf ${relative(io.cwd, result.confPath)}   (or mosquitto -c ${result.confPath})\n`,
  );
  io.out(
    `Try a device:     mosquitto_pub -h ${all(p, 'broker-host')[0]} -p 8883 --cafile ${relative(io.cwd, result.cafile)} --cert ${relative(io.cwd, resolve(outDir, devices[0]!))}.pem --key ${relative(io.cwd, resolve(outDir, devices[0]!))}.key -t test -m hello\n`,
  );
  return 0;
}

async function device(p: ParsedArgs, io: CliIo): Promise<number> {
  const caDir = optionValue(p, 'ca-dir');
  if (!caDir)
    throw new EtlsError('invalid-argument', '--ca-dir DIR is required (the folder etls pki init wrote)');
  if (p.positional.length === 0)
    throw new EtlsError('invalid-argument', 'name the device: etls pki device --ca-dir DIR ID');
  const keyTypeArg = optionValue(p, 'key-type');
  if (keyTypeArg !== undefined && !isKeyType(keyTypeArg))
    throw new EtlsError(
      'invalid-argument',
      `unknown key type "${keyTypeArg}"`,
      `Use one of: ${keyTypes.join(', ')}.`,
    );
  const f = optionValue(p, 'key-format');
  for (const id of p.positional) {
    const r = await addDevice(nodeFileSystem, {
      caDir: resolve(io.cwd, caDir),
      id,
      ...(keyTypeArg ? { keyType: keyTypeArg as KeyType } : {}),
      ...(f ? { keyContainer: f === 'pkcs8' ? 'pkcs8' : 'traditional' } : {}),
      days: intOption(p, 'days', 825),
      force: hasFlag(p, 'force'),
    });
    for (const w of r.warnings) io.err(`warning: ${w}\n`);
    io.out(`Device ${id}:\n`);
    listFiles(io, r.files);
  }
  return 0;
}

async function csr(p: ParsedArgs, io: CliIo): Promise<number> {
  const cn = optionValue(p, 'cn');
  if (!cn) throw new EtlsError('invalid-argument', '--cn NAME is required (the device id or thing name)');
  const ctx = await projectContext(p, io);
  const { keyType, container } = keyChoice(p, ctx);
  const keyFile = optionValue(p, 'key');
  const r = await createCsr(nodeFileSystem, {
    outDir: resolve(io.cwd, optionValue(p, 'out') ?? '.'),
    commonName: cn,
    ...(optionValue(p, 'org') ? { organization: optionValue(p, 'org')! } : {}),
    dnsNames: all(p, 'dns'),
    ipAddresses: all(p, 'ip'),
    keyType,
    keyContainer: container,
    ...(keyFile ? { existingKey: await nodeFileSystem.readFile(resolve(io.cwd, keyFile)) } : {}),
    force: hasFlag(p, 'force'),
  });
  listFiles(io, r.files);
  const csrFile = relative(io.cwd, r.files.find((f) => f.path.endsWith('.csr'))!.path);
  io.out(
    `\nAWS IoT: aws iot create-certificate-from-csr --certificate-signing-request file://${csrFile} --set-as-active\n`,
  );
  return 0;
}

export const pkiCommand: CliCommand = {
  name: 'pki',
  summary: 'development CA, broker and device certificates, CSRs',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    const p = parseArgs(rest, spec);
    if (sub === 'init') return init(p, io);
    if (sub === 'device') return device(p, io);
    if (sub === 'csr') return csr(p, io);
    if (sub === 'verification') return verification(p, io);
    throw new EtlsError(
      'invalid-argument',
      sub ? `unknown pki command "${sub}"` : 'say what to do: init, device, csr or verification',
    );
  },
};

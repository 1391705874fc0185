// `etls convert`: PEM ↔ DER, PKCS#1 ↔ PKCS#8 ↔ SEC1, pass-phrase removal, PKCS#12 import and export. Runs on Node.
import { relative, resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import {
  defaultP12Path,
  planConversion,
  planPkcs12Export,
  refuseToOverwrite,
  writeOutputs,
  type KeyFormatName,
  type OutputFile,
} from '../../core/pki';
import {
  hasFlag,
  KDF_FLAGS,
  KDF_OPTIONS,
  KDF_USAGE,
  kdfLimitsFromArgs,
  optionValue,
  parseArgs,
  secretFromEnv,
  type CliCommand,
} from '../command';

const usage = `etls convert IN --to der|pem [--key-format pkcs1|pkcs8|sec1] [-o OUT] [--passphrase-env VAR] [--force]
etls convert IN.p12 --to pem|der [-o BASE] [--passphrase-env VAR]
etls convert CERT --to p12 --key KEY [--chain FILE] --export-passphrase-env VAR [-o OUT.p12]

Certificates, CSRs, public and private keys, PEM or DER. Keys come out unencrypted (mode 0600):
an encrypted input key is opened with the pass phrase in the environment variable VAR.
A PKCS#12 input is split into BASE.pem (certificate), BASE.key and BASE-chain.pem.

Options:
  --to der|pem|p12          output encoding
  --key-format F            pkcs1 (RSA) | sec1 (EC) | pkcs8 (default: keep the input's)
  -o, --output OUT          output file (default: beside IN with the new extension)
  --passphrase-env VAR      pass phrase of an encrypted key or of the .p12 (never on the command line)
  --export-passphrase-env VAR
                            pass phrase protecting the exported .p12
  --key KEY, --chain FILE   key and extra certificates for --to p12
  --name NAME               friendlyName in the .p12
  --force                   replace existing output files
${KDF_USAGE}`;

const spec = {
  flags: ['force', ...KDF_FLAGS],
  options: [
    ...KDF_OPTIONS,
    'to',
    'key-format',
    'o',
    'output',
    'passphrase-env',
    'export-passphrase-env',
    'key',
    'chain',
    'name',
  ],
};

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: 'PEM/DER, PKCS#1/PKCS#8/SEC1, pass-phrase removal, PKCS#12',
  usage,
  async run(args, io) {
    const p = parseArgs(args, spec);
    const [input, ...extra] = p.positional;
    if (!input || extra.length)
      throw new EtlsError('invalid-argument', input ? 'give one input file' : 'name the file to convert');
    const to = optionValue(p, 'to');
    if (to !== 'der' && to !== 'pem' && to !== 'p12')
      throw new EtlsError(
        'invalid-argument',
        to ? `--to ${to}: use der, pem or p12` : '--to der|pem|p12 is required',
      );
    const keyFormat = optionValue(p, 'key-format');
    if (keyFormat !== undefined && !['pkcs1', 'pkcs8', 'sec1'].includes(keyFormat))
      throw new EtlsError('invalid-argument', `--key-format ${keyFormat}: use pkcs1, pkcs8 or sec1`);
    const inPath = resolve(io.cwd, input);
    const outArg = optionValue(p, 'output') ?? optionValue(p, 'o');
    const output = outArg ? resolve(io.cwd, outArg) : undefined;
    const passphrase = secretFromEnv(io, p, 'passphrase-env');
    const kdfLimits = kdfLimitsFromArgs(p);
    const bytes = await nodeFileSystem.readFile(inPath);

    let files: OutputFile[];
    if (to === 'p12') {
      const keyPath = optionValue(p, 'key');
      if (!keyPath) throw new EtlsError('invalid-argument', '--to p12 needs --key KEY');
      const exportPassphrase = secretFromEnv(io, p, 'export-passphrase-env');
      if (!exportPassphrase)
        throw new EtlsError(
          'invalid-argument',
          '--to p12 needs --export-passphrase-env VAR (the pass phrase that protects the bundle)',
        );
      const chainPath = optionValue(p, 'chain');
      files = [
        planPkcs12Export({
          certificate: bytes,
          key: await nodeFileSystem.readFile(resolve(io.cwd, keyPath)),
          ...(chainPath ? { chain: await nodeFileSystem.readFile(resolve(io.cwd, chainPath)) } : {}),
          ...(passphrase !== undefined ? { keyPassphrase: passphrase } : {}),
          ...(kdfLimits ? { kdfLimits } : {}),
          exportPassphrase,
          ...(optionValue(p, 'name') ? { friendlyName: optionValue(p, 'name')! } : {}),
          output: output ?? defaultP12Path(inPath),
        }),
      ];
    } else {
      files = planConversion(inPath, bytes, {
        to,
        ...(keyFormat ? { keyFormat: keyFormat as KeyFormatName } : {}),
        ...(passphrase !== undefined ? { passphrase } : {}),
        ...(kdfLimits ? { kdfLimits } : {}),
        ...(output ? { output } : {}),
      });
    }
    if (files.some((f) => f.path === inPath) && !hasFlag(p, 'force'))
      throw new EtlsError(
        'exists',
        'the output would replace the input file',
        'Give another -o OUT, or --force to replace it.',
      );
    await refuseToOverwrite(
      nodeFileSystem,
      files.map((f) => f.path),
      hasFlag(p, 'force'),
      'Pass --force to replace them, or name another output with -o OUT.',
    );
    await writeOutputs(nodeFileSystem, files, hasFlag(p, 'force'));
    for (const f of files)
      io.out(`${relative(io.cwd, f.path) || f.path}: ${f.role}${f.secret ? ' (0600)' : ''}\n`);
    return 0;
  },
};

// `etls inspect FILE... [--json]`: decode certificates, keys, CSRs and PKCS#12 bundles.
import { statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { discoverFiles, VIEW_MAX_FILES } from '../../core/check/discover';
import { nodeDirectoryPort } from '../../core/check/nodePorts';
import { EtlsError } from '../../core/errors';
import { readFileNow, readStreamBounded } from '../../core/node/fileSystem';
import { describeObject, objectReport, readObjects, whereFound } from '../../core/x509';
import type { FoundObject, ReadProblem, X509Object } from '../../core/x509';
import {
  hasFlag,
  KDF_FLAGS,
  KDF_OPTIONS,
  KDF_USAGE,
  kdfLimitsFromArgs,
  parseArgs,
  secretFromEnv,
  type CliCommand,
  type CliIo,
} from '../command';

const INSPECTABLE = [
  'pem',
  'crt',
  'cer',
  'der',
  'key',
  'p12',
  'pfx',
  'p7b',
  'p7c',
  'crl',
  'csr',
  'pub',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'ino',
];
/** The files a folder stands for, at any depth; Windows exports write upper-case extensions. */
const INSPECTABLE_GLOB = `**/*.{${[...INSPECTABLE, ...INSPECTABLE.map((e) => e.toUpperCase())].join(',')}}`;

/** The JSON shape of one object, with null where a field does not apply. */
export function objectJson(
  file: string,
  index: number,
  encoding: string | null,
  o: X509Object,
): Record<string, unknown> {
  const cert = o.kind === 'certificate' ? o : undefined;
  const crl = o.kind === 'crl' ? o : undefined;
  const named = o.kind === 'certificate' || o.kind === 'csr' ? o : undefined;
  const subject = named?.subject ?? (o.kind === 'trustAnchor' ? o.subject : undefined);
  const key =
    o.kind === 'certificate' || o.kind === 'csr' || o.kind === 'publicKey'
      ? o.publicKey
      : o.kind === 'privateKey' || o.kind === 'trustAnchor'
        ? o.publicKey
        : undefined;
  const entry: Record<string, unknown> = {
    file,
    index,
    kind: o.kind,
    encoding,
    summary: describeObject(o),
    subject: subject?.rfc4514 ?? null,
    subjectCN: subject?.commonName ?? null,
    issuer: (cert ?? crl)?.issuer.rfc4514 ?? null,
    serialNumber: cert?.serialNumber ?? null,
    notBefore: cert?.notBefore.toISOString() ?? null,
    notAfter: cert?.notAfter.toISOString() ?? null,
    sha256Fingerprint: (cert ?? crl)?.sha256Fingerprint ?? null,
    sha1Fingerprint: cert?.sha1Fingerprint ?? null,
    keyAlgorithm:
      key?.algorithm ?? (o.kind === 'privateKey' && o.algorithm !== 'unknown' ? o.algorithm : null),
    keyBits: key?.bits ?? (o.kind === 'dhParameters' ? o.bits : null),
    curve: key?.curve ?? (o.kind === 'ecParameters' ? o.curve : null),
    subjectAltNames: named ? named.subjectAltNames.map((s) => `${s.type.toUpperCase()}:${s.value}`) : null,
    isCA: cert ? cert.isCA : null,
    selfSigned: cert ? cert.selfSigned : null,
    publicKeySha256: key?.sha256 ?? null,
    signatureAlgorithm: named?.signatureAlgorithm ?? null,
    basicConstraints: cert?.basicConstraints ?? null,
    keyUsage: cert?.keyUsage ?? null,
    extendedKeyUsage: cert?.extendedKeyUsage ?? null,
    subjectKeyIdentifier: cert?.subjectKeyIdentifier ?? null,
    authorityKeyIdentifier: cert?.authorityKeyIdentifier ?? null,
    subjectAttributes: subject?.attributes ?? null,
    issuerAttributes: cert?.issuer.attributes ?? null,
    keyFormat:
      o.kind === 'privateKey' || o.kind === 'publicKey' || o.kind === 'trustAnchor' ? o.format : null,
    encrypted: o.kind === 'privateKey' || o.kind === 'pkcs12' ? o.encrypted : null,
  };
  if (crl) {
    entry['thisUpdate'] = crl.thisUpdate.toISOString();
    entry['nextUpdate'] = crl.nextUpdate?.toISOString() ?? null;
    entry['revokedSerials'] = crl.revokedSerials;
  }
  if (o.kind === 'pkcs12') entry['contents'] = o.contents.map((c, i) => objectJson(file, i, 'DER', c));
  return entry;
}

function foundJson(file: string, f: FoundObject): Record<string, unknown> {
  const e = objectJson(file, f.index, f.encoding, f.object);
  e['location'] = {
    container: f.location.container,
    line: f.location.start.line + 1,
    symbol: f.location.symbol ?? null,
    pemLabel: f.location.pemLabel ?? null,
  };
  return e;
}

function problemJson(file: string, p: ReadProblem): Record<string, unknown> {
  return {
    file,
    index: p.index,
    error: p.fix ? `${p.message}. ${p.fix}` : p.message,
    code: p.code,
    line: p.location ? p.location.start.line + 1 : null,
  };
}

/**
 * Expands folders to the certificate-like files in them and their subfolders, as `etls check` walks
 * them: node_modules, .git and build folders skipped, at most VIEW_MAX_FILES files per folder.
 */
async function expand(paths: string[], io: CliIo): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(io.cwd, p);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      /* reported when read */
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const found = await discoverFiles(
      abs,
      { include: [INSPECTABLE_GLOB], maxFiles: VIEW_MAX_FILES },
      nodeDirectoryPort,
    );
    if (found.length >= VIEW_MAX_FILES)
      io.err(`etls inspect: ${p}: stopped after ${VIEW_MAX_FILES} files; name a smaller folder\n`);
    if (found.length === 0)
      io.err(`etls inspect: ${p}: no certificate, key or C source files in this folder\n`);
    for (const f of found) out.push(join(p, relative(abs, f)));
  }
  return out;
}

async function readInput(path: string, io: CliIo): Promise<Uint8Array> {
  if (path !== '-') return readFileNow(resolve(io.cwd, path));
  return readStreamBounded(process.stdin, 'standard input');
}

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'decode certificates, keys, CSRs, PKCS#12 and arrays in C sources',
  usage: `Usage: etls inspect FILE... [--json] [--passphrase-env VAR]

Decodes every certificate, key, CSR, CRL, PKCS#7 and PKCS#12 bundle in each FILE: PEM (several
blocks, any labels), DER (several objects one after another), .p12/.pfx, .p7b, and C/C++ sources
with pasted byte arrays or PEM string literals.
A folder stands for the certificate-like files in it and its subfolders (node_modules, .git and
build folders skipped, at most ${VIEW_MAX_FILES} files); - reads standard input.

  --json                one JSON array entry per object; a file that fails gives { "file", "error" }
  --passphrase-env VAR  read the pass phrase of encrypted keys and PKCS#12 files from \$VAR
${KDF_USAGE}

Exit status: 0 when everything was read, 1 otherwise (a PKCS#12 file locked with a password that
was not given counts as not read).`,
  async run(args, io) {
    const p = parseArgs(args, { flags: ['json', ...KDF_FLAGS], options: ['passphrase-env', ...KDF_OPTIONS] });
    if (p.positional.length === 0) throw new EtlsError('invalid-argument', 'name at least one file');
    const json = hasFlag(p, 'json');
    const passphrase = secretFromEnv(io, p, 'passphrase-env');
    const kdfLimits = kdfLimitsFromArgs(p);
    const entries: Record<string, unknown>[] = [];
    let failed = false;
    const now = Date.now();
    const files = await expand(p.positional, io);
    if (files.length === 0) failed = true;
    for (const file of files) {
      let bytes: Uint8Array;
      try {
        bytes = await readInput(file, io);
      } catch (e) {
        failed = true;
        const message = e instanceof EtlsError ? e.describe() : `${file}: cannot be read`;
        if (json) entries.push({ file, error: message });
        else io.out(`${file}\n  error: ${message}\n`);
        continue;
      }
      const r = readObjects(bytes, {
        fileName: file,
        ...(passphrase !== undefined ? { passphrase } : {}),
        ...(kdfLimits ? { kdfLimits } : {}),
      });
      if (r.problems.length) failed = true;
      // A bundle locked with a password was not read: its contents are unknown.
      if (
        r.objects.some((f) => f.object.kind === 'pkcs12' && f.object.encrypted && !f.object.contents.length)
      )
        failed = true;
      if (json) {
        for (const f of r.objects) entries.push(foundJson(file, f));
        for (const pr of r.problems) entries.push(problemJson(file, pr));
        if (!r.objects.length && !r.problems.length) {
          failed = true;
          entries.push({ file, error: 'no certificate or key found in this source file' });
        }
        continue;
      }
      let text = `${file}\n`;
      const items = [
        ...r.objects.map((o) => ({ i: o.index, o })),
        ...r.problems.map((pr) => ({ i: pr.index, pr })),
      ].sort((a, b) => a.i - b.i);
      for (const it of items) {
        if ('o' in it) {
          text += `  [${it.o.index}] ${whereFound(it.o)}: ${describeObject(it.o.object)}\n`;
          for (const line of objectReport(it.o.object, now)) text += `      ${line}\n`;
        } else {
          const where = it.pr.location ? ` (line ${it.pr.location.start.line + 1})` : '';
          text += `  [${it.pr.index}] error${where}: ${it.pr.message}${it.pr.fix ? `. ${it.pr.fix}` : ''}\n`;
        }
      }
      if (!items.length) {
        failed = true;
        text += '  error: no certificate or key found in this source file\n';
      }
      io.out(text);
    }
    if (json) io.out(JSON.stringify(entries, null, 2) + '\n');
    return failed ? 1 : 0;
  },
};

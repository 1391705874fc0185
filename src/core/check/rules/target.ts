// Board rules, read from the target catalog: file encodings, key types, sizes and containers,
// encrypted keys, root algorithms, the SimpleLink catalog, module-uploaded roots, ALPN, chain size.
import { basename, dirname, extname, join } from 'node:path';
import {
  editFix,
  isCert,
  type CertObject,
  isKey,
  objectRange,
  onObject,
  type ResolvedProfile,
  type RuleContext,
} from '../context';
import type { TargetSpec } from '../../targets/catalog';
import type { ModelObject } from '../types';
import { publicRootOrganizations } from './publicRoots';
import { findArduinoDefaultRoot } from '../../targets/arduinoRoots';

function beside(file: string, ext: string): string {
  return join(dirname(file), basename(file, extname(file)) + ext);
}

function formatRule(ctx: RuleContext, r: ResolvedProfile, t: TargetSpec): void {
  for (const [path, what] of [
    [r.caPath, 'CA'],
    [r.certPath, 'certificate'],
    [r.keyPath, 'key'],
  ] as const) {
    const f = path ? ctx.model.files.get(path) : undefined;
    if (!f || (f.encoding !== 'PEM' && f.encoding !== 'DER') || t.fileEncodings.includes(f.encoding))
      continue;
    const first = ctx.model.byFile.get(f.path)?.[0];
    const toDer = f.encoding === 'PEM';
    const code =
      what === 'key'
        ? t.errorCodes.badKeyFile
        : what === 'CA'
          ? t.errorCodes.badCaFile
          : t.errorCodes.badFormat;
    ctx.report({
      file: f.path,
      ...(first ? { range: objectRange(first) } : {}),
      severity: 'error',
      code: 'target-format',
      profile: r.name,
      ...(first ? { objectIds: [first.id] } : {}),
      message: `the ${t.name} loads ${t.fileEncodings.join(' or ')} files, and this ${what} is ${f.encoding}${code ? `; the board reports ${code}` : ''}. Convert it to ${toDer ? 'DER' : 'PEM'}`,
      fix: {
        kind: toDer ? 'convert-to-der' : 'convert-to-pem',
        title: toDer ? 'Convert to DER' : 'Convert to PEM',
        args: { file: f.path, output: beside(f.path, toDer ? '.der' : '.pem') },
      },
    });
  }
}

function keyRules(ctx: RuleContext, r: ResolvedProfile, t: TargetSpec): void {
  const k = r.key;
  const subjects: ModelObject[] = [];
  if (k) subjects.push(k);
  else if (r.cert) subjects.push(r.cert);
  for (const m of subjects) {
    const alg = isKey(m) ? m.object.algorithm : isCert(m) ? m.object.publicKey.algorithm : undefined;
    const pk = isKey(m) ? m.object.publicKey : isCert(m) ? m.object.publicKey : undefined;
    if (isKey(m) && m.object.encrypted) {
      ctx.report(
        onObject(m, {
          severity: t.keys.decryptsEncryptedKeys ? 'info' : 'error',
          code: 'target-encrypted-key',
          profile: r.name,
          message: t.keys.decryptsEncryptedKeys
            ? `this key is encrypted; ${t.stack} can open it, but the pass phrase must then be built into the firmware or service configuration`
            : `this key is encrypted with a pass phrase, and the ${t.name} cannot decrypt keys${t.errorCodes.badKeyFile ? ` (${t.errorCodes.badKeyFile})` : ''}. Strip the pass phrase before pushing it to the board, and keep the file out of git`,
          ...(t.keys.decryptsEncryptedKeys
            ? {}
            : {
                fix: {
                  kind: 'strip-passphrase' as const,
                  title: 'Remove the pass phrase',
                  args: { file: m.file, output: beside(m.file, '.plain' + (extname(m.file) || '.key')) },
                },
              }),
        }),
      );
    }
    // An encrypted PKCS#8 key hides its algorithm and inner format until it is decrypted.
    if (!alg || alg === 'unknown' || (isKey(m) && m.object.encrypted && !m.object.publicKey)) continue;
    if (!t.keys.algorithms.includes(alg)) {
      ctx.report(
        onObject(m, {
          severity: 'error',
          code: 'target-key-type',
          profile: r.name,
          message: `the ${t.name} signs with ${t.keys.algorithms.join(' or ')} keys only, and this is an ${alg} key${t.errorCodes.badKeyFile ? ` (${t.errorCodes.badKeyFile} bad private-key file)` : ''}. Create an ${t.keys.algorithms[0]}-2048 key and certificate`,
        }),
      );
      continue;
    }
    if (pk && (alg === 'RSA' || alg === 'RSA-PSS') && t.keys.maxRsaBits && pk.bits > t.keys.maxRsaBits)
      ctx.report(
        onObject(m, {
          severity: 'error',
          code: 'target-key-size',
          profile: r.name,
          message: `the ${t.name} handles RSA keys up to ${t.keys.maxRsaBits} bits, and this one has ${pk.bits}. Create an RSA-${t.keys.maxRsaBits} key`,
        }),
      );
    if (pk && alg === 'EC' && t.keys.curves && pk.curve && !t.keys.curves.includes(pk.curve))
      ctx.report(
        onObject(m, {
          severity: 'error',
          code: 'target-key-type',
          profile: r.name,
          message: `the ${t.name} supports the curves ${t.keys.curves.join(', ')}, and this key is on ${pk.curve}. Create a P-256 key`,
        }),
      );
    if (!isKey(m) || m.object.encrypted) continue;
    const formats = t.keys.formats[alg] ?? [];
    if (formats.length > 0 && !formats.includes(m.object.format)) {
      const want = formats[0]!;
      ctx.report(
        onObject(m, {
          severity: 'error',
          code: 'target-key-format',
          profile: r.name,
          message: `the ${t.name} reads ${alg} private keys as ${formats.join(' or ')}, and this one is ${m.object.format} (OpenSSL 3 writes PKCS#8 by default)${t.errorCodes.badKeyFile ? `; the board reports ${t.errorCodes.badKeyFile}` : ''}. Convert it with \`openssl ${alg === 'EC' ? 'ec' : 'rsa'} -in KEY -traditional\``,
          fix: {
            kind: 'convert-key-format',
            title: `Convert key to ${want}`,
            args: {
              file: m.file,
              output: beside(m.file, `.${want.replace('#', '').toLowerCase()}${extname(m.file) || '.key'}`),
              format: want,
            },
          },
        }),
      );
    }
  }
}

function rootRules(ctx: RuleContext, r: ResolvedProfile, t: TargetSpec): void {
  for (const ca of r.ca) {
    const alg = ca.object.publicKey.algorithm;
    if (!t.roots.algorithms.includes(alg))
      ctx.report(
        onObject(ca, {
          severity: 'error',
          code: 'target-root-type',
          profile: r.name,
          message: `the ${t.name} stores ${t.roots.algorithms.join(' or ')} roots only, and ${ca.label} has an ${alg} key; the upload or the handshake fails. Trust an RSA root (e.g. Amazon Root CA 1 instead of CA 3)`,
        }),
      );
  }
  const root = r.ca.find((c) => c.object.selfSigned) ?? r.ca[0];
  if (root && t.roots.catalogRequired) {
    const org = root.object.subject.attributes.find((a) => a.type === 'O')?.value;
    const publicRoot = !!org && publicRootOrganizations.some((o) => org.startsWith(o));
    ctx.report(
      onObject(root, {
        severity: publicRoot ? 'info' : 'warning',
        code: 'target-root-catalog',
        profile: r.name,
        message: publicRoot
          ? `the ${t.name} checks ${root.label} against TI's trusted-root catalog: put it on the file system as DER, named exactly "${root.object.subject.commonName ?? root.label}", and keep the catalog current, else ${t.errorCodes.rootNotInCatalog}`
          : `${root.label} is a private root, so it is not in TI's trusted-root catalog: connections report ${t.errorCodes.rootNotInCatalog} (root CA not in catalog) and signed files ${t.errorCodes.signedFileRootUnknown}. For development, use the playground catalog or SL_SO_SECURE_DISABLE_CERTIFICATE_STORE; the root must be on the file system as DER named "${root.object.subject.commonName ?? root.label}"`,
      }),
    );
  }
  if (root && t.roots.uploadedToModule && (t.id === 'wifinina' || t.id === 'winc1500'))
    moduleRootRule(ctx, r, t, root, t.id);
}

/**
 * WiFiNINA/WINC1500 verify the broker against the roots in the Wi-Fi module. A root among Arduino's
 * defaults is there already; one a verified `etls push` recorded in the profile (push.moduleRoots) was
 * put there; any other root (a mini-CA for a local Mosquitto) must be pushed, and the Quick Fix does it.
 */
function moduleRootRule(
  ctx: RuleContext,
  r: ResolvedProfile,
  t: TargetSpec,
  root: CertObject,
  target: 'wifinina' | 'winc1500',
): void {
  if (findArduinoDefaultRoot(target, root.object)) return;
  const pushed = r.profile.push?.moduleRoots?.some((p) => p.sha256 === root.object.sha256Fingerprint);
  if (pushed) return;
  if (!t.roots.algorithms.includes(root.object.publicKey.algorithm)) return; // target-root-type says why
  const protocol = target === 'wifinina' ? 'wifinina-roots' : 'wifi101-roots';
  ctx.report(
    onObject(root, {
      severity: 'warning',
      code: 'target-root-upload',
      profile: r.name,
      message: `${root.label} is not among the roots Arduino ships in the ${t.name} module and no push of it is recorded, so the sketch's WiFiSSLClient rejects the broker. Push it into the module with the FirmwareUpdater sketch running (the Quick Fix, or ${
        target === 'winc1500'
          ? `\`etls push --profile ${r.name} --protocol ${protocol} --merge\`, which keeps the module's roots`
          : `\`etls push --profile ${r.name} --protocol ${protocol}\`, which replaces the module's roots: list every root the sketch needs in push.files, nina-fw's roots.pem for Arduino's defaults`
      })`,
      ...(r.caPath && ctx.project
        ? {
            fix: {
              kind: 'push-module-roots' as const,
              title: `Push ${root.label} into the ${t.name} module`,
              args: { project: ctx.project.path, profile: r.name, protocol, file: r.caPath },
            },
          }
        : {}),
    }),
  );
}

function connectionRules(ctx: RuleContext, r: ResolvedProfile, t: TargetSpec): void {
  const broker = r.profile.broker;
  const port = broker?.port ?? 8883;
  if (t.tls.fixedAlpn && port === 443 && r.cloud.id === 'aws-iot')
    ctx.report({
      file: ctx.project!.path,
      range: ctx.locate(['profiles', r.name, 'broker', 'port']),
      severity: 'error',
      code: 'target-alpn',
      profile: r.name,
      message: `the ${t.name} ${t.tls.fixedAlpn.length > 0 ? `has a fixed ALPN list (${t.tls.fixedAlpn.join(',')})` : 'sends no ALPN'} and cannot offer x-amzn-mqtt-ca, so AWS IoT on port 443 drops the connection. Use port 8883`,
      fix: editFix(ctx, r, ['broker', 'port'], 8883, 'Use port 8883'),
    });
  const fixed = t.tls.fixedAlpn;
  const unsupported = fixed ? (broker?.alpn ?? []).filter((a) => !fixed.includes(a)) : [];
  // Port 443 on AWS is reported above with its fix; this is the setting itself, anywhere else.
  if (fixed && unsupported.length > 0 && !(port === 443 && r.cloud.id === 'aws-iot'))
    ctx.report({
      file: ctx.project!.path,
      range: ctx.locate(['profiles', r.name, 'broker', 'alpn']),
      severity: 'warning',
      code: 'target-alpn',
      profile: r.name,
      message: `the ${t.name} ${fixed.length > 0 ? `offers only the ALPN protocols ${fixed.join(',')}` : 'sends no ALPN'}, so "${unsupported.join('", "')}" from the profile is never sent; a broker that requires it refuses the connection`,
    });
  if (t.tls.chainBytesWarning) {
    const chain = [r.cert, ...r.certExtras, ...r.ca].filter((m) => !!m);
    const bytes = chain.reduce((n, m) => n + m.object.der.length, 0);
    const first = chain[0];
    if (first && bytes > t.tls.chainBytesWarning)
      ctx.report(
        onObject(first, {
          severity: bytes > 16384 ? 'warning' : 'info',
          code: 'target-chain-size',
          profile: r.name,
          message: `the certificates this ${t.name} handles add up to ${bytes} bytes of DER; ${t.stack} then needs its full 16 KB receive buffer (do not shrink it with setBufferSizes unless the broker supports max fragment length; probe with \`openssl s_client -maxfraglen 512\`)`,
        }),
      );
  }
}

/** mbedTLS needs the NUL that EMBED_TXTFILES adds; a PEM file embedded with EMBED_FILES fails with -0x2180. */
function pemNulRule(ctx: RuleContext, r: ResolvedProfile, t: TargetSpec): void {
  if (!t.pemNeedsNul) return;
  const embeds: Array<{ build: string; entry: string; line: number }> = [];
  for (const f of ctx.model.files.values())
    for (const e of f.binaryEmbeds ?? []) embeds.push({ build: f.path, entry: e.file, line: e.line });
  if (embeds.length === 0) return;
  for (const path of [r.caPath, r.certPath, r.keyPath]) {
    const f = path ? ctx.model.files.get(path) : undefined;
    if (!f || f.encoding !== 'PEM' || f.endsWithNul) continue;
    const hit = embeds.find((e) => basename(e.entry) === basename(f.path));
    if (!hit) continue;
    const range = { start: { line: hit.line, column: 0 }, end: { line: hit.line + 1, column: 0 } };
    ctx.report({
      file: hit.build,
      range,
      severity: 'error',
      code: 'target-pem-nul',
      profile: r.name,
      message: `${hit.build.endsWith('platformio.ini') ? 'board_build.embed_files' : 'EMBED_FILES'} embeds the PEM file ${hit.entry} without a terminating NUL, so mbedTLS cannot parse it (${t.errorCodes.pemWithoutNul}). Embed it with ${hit.build.endsWith('platformio.ini') ? 'board_build.embed_txtfiles' : 'EMBED_TXTFILES'}, or convert it to DER`,
    });
  }
}

export function targetRule(ctx: RuleContext): void {
  for (const r of ctx.profiles) {
    if (!r.target) continue;
    formatRule(ctx, r, r.target);
    keyRules(ctx, r, r.target);
    rootRules(ctx, r, r.target);
    pemNulRule(ctx, r, r.target);
    if (ctx.project) connectionRules(ctx, r, r.target);
  }
}

// Files: what a profile names must exist and hold the right kind of object; unreadable objects;
// headers whose embedded objects no longer match their inputs.
import { resolveProjectPath } from '../../project/load';
import { isCert, type RuleContext } from '../context';
import type { X509Object } from '../../x509/types';
import type { Finding } from '../types';

/** What identifies an object across encodings: the certificate fingerprint, else the public key. */
function identity(o: X509Object): string | undefined {
  if (o.kind === 'certificate') return `cert:${o.sha256Fingerprint}`;
  if (o.kind === 'privateKey') return o.publicKey ? `key:${o.publicKey.sha256}` : undefined;
  if (o.kind === 'csr') return `csr:${o.publicKey.sha256}`;
  if (o.kind === 'publicKey') return `pub:${o.publicKey.sha256}`;
  return undefined;
}

export function problemsRule(ctx: RuleContext): void {
  for (const f of ctx.model.files.values())
    for (const p of f.problems) {
      const finding: Finding = {
        file: f.path,
        // A locked key or PKCS#12 is normal on disk, and a byte array in a C source may be no
        // certificate at all (test vectors, firmware blobs): only notes, not warnings.
        severity: p.code === 'encrypted' || f.encoding === 'source' ? 'info' : 'warning',
        code: 'file-unreadable',
        message: p.fix ? `${p.message}. ${p.fix}` : p.message,
      };
      if (p.location) finding.range = { start: { ...p.location.start }, end: { ...p.location.end } };
      ctx.report(finding);
    }
}

export function profileFilesRule(ctx: RuleContext): void {
  const project = ctx.project;
  if (!project) return;
  for (const r of ctx.profiles) {
    for (const [slot, path, want] of [
      ['ca', r.caPath, 'certificate'],
      ['cert', r.certPath, 'certificate'],
      ['key', r.keyPath, 'privateKey'],
    ] as const) {
      if (!path) continue;
      const range = ctx.locate(['profiles', r.name, slot]);
      const base = { file: project.path, profile: r.name, ...(range ? { range } : {}) };
      const scanned = ctx.model.files.get(path);
      if (!scanned) {
        // Not scanned is not the same as missing: checkProject asks the file system before reporting.
        ctx.unscanned.push({
          path,
          finding: {
            ...base,
            severity: 'error',
            code: 'file-not-found',
            message: `profile "${r.name}" names ${slot} file ${path}, which does not exist`,
          },
        });
        continue;
      }
      const objects = ctx.model.byFile.get(path) ?? [];
      const has = objects.some(
        (m) => m.object.kind === want || (m.object.kind === 'pkcs12' && slot !== 'ca'),
      );
      if (!has && scanned.problems.length === 0)
        ctx.report({
          ...base,
          severity: 'error',
          code: 'profile-wrong-kind',
          message: `profile "${r.name}" uses ${path} as its ${slot}, but it holds ${objects.length === 0 ? 'no certificate or key' : objects.map((m) => m.object.kind).join(', ')}; expected a ${want === 'privateKey' ? 'private key' : 'certificate'}`,
        });
    }
    // The client certificate must be a leaf the device presents, not the CA.
    if (
      r.cert &&
      r.ca.some((c) => isCert(c) && c.object.sha256Fingerprint === r.cert!.object.sha256Fingerprint)
    ) {
      const range = ctx.locate(['profiles', r.name, 'cert']);
      ctx.report({
        file: project.path,
        ...(range ? { range } : {}),
        severity: 'error',
        code: 'profile-wrong-kind',
        profile: r.name,
        message: `profile "${r.name}" uses the CA certificate ${r.cert.label} as the device certificate; the device needs its own certificate issued by the CA`,
      });
    }
  }
}

export function headerRule(ctx: RuleContext): void {
  const project = ctx.project;
  if (!project) return;
  for (const r of ctx.profiles)
    (r.profile.headers ?? []).forEach((h, hi) => {
      const output = resolveProjectPath(project, h.output);
      const inHeader = new Set(
        (ctx.model.byFile.get(output) ?? []).map((m) => identity(m.object)).filter((s): s is string => !!s),
      );
      // A header not generated yet, or one the reader found nothing in, is not stale.
      if (!ctx.model.files.has(output) || inHeader.size === 0) return;
      const stale = h.inputs.filter((i) => {
        const objs = ctx.model.byFile.get(resolveProjectPath(project, i.file)) ?? [];
        const ids = objs.map((m) => identity(m.object)).filter((s): s is string => !!s);
        return ids.length > 0 && !ids.some((id) => inHeader.has(id));
      });
      if (stale.length === 0) return;
      const first = ctx.model.byFile.get(output)?.[0];
      ctx.report({
        file: output,
        ...(first ? { range: { start: { ...first.location.start }, end: { ...first.location.end } } } : {}),
        severity: 'warning',
        code: 'header-stale',
        profile: r.name,
        message: `this header no longer matches ${stale.map((i) => i.file).join(', ')}: the firmware would be built with the old certificate or key. Regenerate the header`,
        fix: {
          kind: 'regenerate-header',
          title: 'Regenerate the header',
          args: { project: project.path, profile: r.name, header: hi, output },
        },
      });
    });
}

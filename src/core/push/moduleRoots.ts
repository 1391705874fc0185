// What goes into an Arduino Wi-Fi module's root store: the roots from the user's files, duplicates
// dropped, and the WiFiNINA store as bytes — PEM text at 0x10000 ended by a NUL (nina-fw mmaps its
// "certs" partition and parses strlen()+1 bytes). The WINC1500 store is in wincStore.ts. Pure
// functions: the engines in arduinoModules.ts send them.
import { createHash } from 'node:crypto';
import { checkWincRoot } from './wincStore';
import { EtlsError } from '../errors';
import { parsePemBlocks, readObjects, toPem, type CertificateInfo } from '../x509';
import type { ModuleRoot, PlannedFile, PushPlan, PushProtocol } from './types';

export type { ModuleRoot };
export * from './wincStore';

/** nina-fw partitions.csv: `certs, data, 0x04, 0x10000, 0x20000`. */
export const NINA_ROOTS_ADDRESS = 0x10000;
export const NINA_ROOTS_SIZE = 0x20000;

export type ModuleProtocol = Extract<PushProtocol, 'wifinina-roots' | 'wifi101-roots'>;

export function isModuleProtocol(p: PushProtocol): p is ModuleProtocol {
  return p === 'wifinina-roots' || p === 'wifi101-roots';
}

function label(c: CertificateInfo): string {
  return c.subject.commonName ?? c.subject.rfc4514;
}

/**
 * The certificates in the given files, in order, as roots. A file may hold several (a PEM bundle);
 * a key or anything that is not a certificate is refused: only certificates go into a root store.
 */
export function rootsFromFiles(files: { local: string; data: Uint8Array }[]): ModuleRoot[] {
  if (files.length === 0)
    throw new EtlsError(
      'invalid-argument',
      'No certificate files given',
      'Name the root CA files, PEM or DER',
    );
  const out: ModuleRoot[] = [];
  for (const f of files) {
    if (f.data.length === 0)
      throw new EtlsError('empty', `${f.local} is empty`, 'Choose the CA certificate file itself');
    const { objects } = readObjects(f.data, { fileName: f.local });
    if (objects.some((o) => o.object.kind === 'privateKey'))
      throw new EtlsError(
        'refused',
        `${f.local} holds a private key; only certificates go into the module's root store, and a key never leaves the computer this way`,
        'Name the CA certificate (ca.pem / ca.der) instead',
      );
    const certs = objects
      .filter((o) => o.object.kind === 'certificate')
      .map((o) => o.object as CertificateInfo);
    if (certs.length === 0)
      throw new EtlsError(
        'unrecognized',
        `${f.local} holds no certificate`,
        'Name a PEM or DER certificate file (check it with `etls inspect`)',
      );
    for (const c of certs)
      out.push({ source: f.local, subject: label(c), sha256: c.sha256Fingerprint, cert: c });
  }
  return out;
}

/**
 * Drops later copies of the same root (by SHA-256 of the certificate, or of a read-back WINC entry). When
 * a given certificate equals an entry read back from the module, the entry keeps its place and takes the
 * certificate's name and fingerprint, so the record of the push names it.
 */
export function dropDuplicates(roots: ModuleRoot[]): { kept: ModuleRoot[]; dropped: ModuleRoot[] } {
  const at = new Map<string, number>();
  const kept: ModuleRoot[] = [];
  const dropped: ModuleRoot[] = [];
  for (const r of roots) {
    const key = r.wincEntry ? `entry:${createHash('sha256').update(r.wincEntry).digest('hex')}` : r.sha256;
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, kept.length);
      kept.push(r);
      continue;
    }
    dropped.push(r);
    if (!kept[i]!.cert && r.cert) kept[i] = { ...r, wincEntry: kept[i]!.wincEntry! };
  }
  return { kept, dropped };
}

// ---------------------------------------------------------------------------------------------- NINA

/** The PEM text of every root, as arduino-fwuploader writes it (pem.EncodeToMemory per certificate). */
export function ninaPemText(roots: ModuleRoot[]): Buffer {
  return Buffer.from(roots.map((r) => toPem('CERTIFICATE', r.cert!.der)).join(''), 'latin1');
}

/**
 * The bytes written at 0x10000: the PEM text, a NUL (the firmware parses up to it), zero padding to a
 * whole number of payloads. Throws when it does not fit the 128 KB "certs" partition.
 */
export function ninaArea(roots: ModuleRoot[], payload: number): Buffer {
  const pem = ninaPemText(roots);
  const size = Math.ceil((pem.length + 1) / payload) * payload;
  if (size > NINA_ROOTS_SIZE)
    throw new EtlsError(
      'too-large',
      `${roots.length} roots take ${pem.length + 1} bytes as PEM; the module's certs partition holds ${NINA_ROOTS_SIZE} (0x10000..0x30000)`,
      'Push fewer roots: keep the ones your sketches connect to',
    );
  const area = Buffer.alloc(size, 0);
  pem.copy(area);
  return area;
}

/** The roots in a NINA area read back: the PEM certificates before the first NUL (or erased 0xFF). */
export function parseNinaArea(area: Uint8Array): ModuleRoot[] {
  let end = area.indexOf(0);
  const ff = area.indexOf(0xff);
  if (end < 0 || (ff >= 0 && ff < end)) end = ff < 0 ? area.length : ff;
  const text = Buffer.from(area.subarray(0, end)).toString('latin1');
  const roots: ModuleRoot[] = [];
  for (const block of parsePemBlocks(text).blocks) {
    if (block.label !== 'CERTIFICATE') continue;
    const { objects } = readObjects(block.der);
    const c = objects.find((o) => o.object.kind === 'certificate')?.object as CertificateInfo | undefined;
    if (c) roots.push({ source: 'the module', subject: label(c), sha256: c.sha256Fingerprint, cert: c });
  }
  return roots;
}

/** A plan for a module push: every certificate as a file of the plan, for the report and the record. */
export function planModuleRoots(protocol: ModuleProtocol, roots: ModuleRoot[]): PushPlan {
  const store = protocol === 'wifinina-roots' ? 'the WiFiNINA root store' : 'the WiFi101 root store';
  const files: PlannedFile[] = roots.map((r) => ({
    local: r.source,
    remote: `${store}: ${r.subject}`,
    kind: 'certificate',
    data: r.cert?.der ?? r.wincEntry!,
    sha256: r.sha256,
    conversion: protocol === 'wifinina-roots' ? 'certificate → PEM' : 'certificate → WINC root entry',
  }));
  if (protocol === 'wifi101-roots') for (const r of roots) if (r.cert) checkWincRoot(r);
  return { protocol, files, totalBytes: files.reduce((n, f) => n + f.data.length, 0), roots };
}

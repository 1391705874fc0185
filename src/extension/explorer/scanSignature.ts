// What a file's scan found, reduced to a string, so an edit that changes nothing the check looks at
// (a comment in a C file, whitespace) does not re-check the whole workspace. Host-neutral.
import type { ScannedFile } from '../../core/check/types';
import type { X509Object } from '../../core/x509/types';

function identity(o: X509Object): string {
  switch (o.kind) {
    case 'certificate':
      return o.sha256Fingerprint;
    case 'privateKey':
      return `${o.publicKey?.sha256 ?? o.algorithm}/${o.format}/${o.encrypted ? 'encrypted' : 'plain'}`;
    case 'publicKey':
      return `${o.publicKey.sha256}/${o.format}`;
    case 'csr':
      return `${o.publicKey.sha256}/${o.subject.rfc4514}/${o.signatureValid}`;
    case 'pkcs12':
      return `${o.encrypted}/${o.contents.map(identity).join('+')}`;
    case 'ecParameters':
      return o.curve;
    case 'trustAnchor':
      return `${o.subject.rfc4514}/${o.publicKey?.sha256 ?? ''}/${o.arrays.join('+')}`;
    case 'dhParameters':
      return `dh/${o.bits}/${o.generator ?? ''}`;
    case 'crl':
      return o.sha256Fingerprint;
  }
}

export function scanSignature(f: ScannedFile): string {
  const objects = f.objects.map((o) => {
    const l = o.location;
    return `${o.encoding}:${l.container}@${l.start.line}:${l.start.column}-${l.end.line}:${l.end.column}=${identity(o.object)}`;
  });
  const problems = f.problems.map((p) => `${p.code}@${p.location?.start.line ?? ''}:${p.message}`);
  return `${f.encoding}|${f.endsWithNul}|${objects.join(',')}|${problems.join(',')}`;
}

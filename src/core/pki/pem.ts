// PEM armour for the files the PKI writes and reads back (RFC 7468: 64-character lines).

export interface PemBlock {
  label: string;
  der: Uint8Array;
  /** Header lines such as `Proc-Type: 4,ENCRYPTED` (legacy encrypted keys). */
  headers: string[];
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 #]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2]!.split(/\r?\n/);
    const headers = body.filter((l) => l.includes(':'));
    const b64 = body
      .filter((l) => !l.includes(':'))
      .join('')
      .replace(/\s+/g, '');
    out.push({ label: m[1]!, der: new Uint8Array(Buffer.from(b64, 'base64')), headers });
  }
  return out;
}

export function looksLikePem(bytes: Uint8Array): boolean {
  return new TextDecoder('latin1').decode(bytes.subarray(0, 64 * 1024)).includes('-----BEGIN ');
}

// Checks a file's name on the board before anything is sent: a control character in it would reach a
// console's line editor (^U wipes the typed line, so the rest of the name runs as a command) or a
// receiver's file system, whatever the quoting.
import { EtlsError } from '../errors';

/** A problem with a remote name, or undefined when the name is fine for every protocol. */
export interface RemoteNameProblem {
  /** Where in the name (UTF-16 index) the offending character is. */
  index: number;
  /** What it is, e.g. "0x15 (Ctrl-U)". */
  what: string;
}

const C0_NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x03: 'Ctrl-C',
  0x04: 'Ctrl-D',
  0x08: 'backspace',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0d: 'carriage return',
  0x15: 'Ctrl-U',
  0x17: 'Ctrl-W',
  0x1b: 'escape',
};

function hex(n: number, width: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(width, '0')}`;
}

function describe(code: number): string {
  if (code < 0x20) {
    const name = C0_NAMES[code] ?? `Ctrl-${String.fromCharCode(code + 0x40)}`;
    return `${hex(code, 2)} (${name})`;
  }
  if (code === 0x7f) return '0x7F (delete)';
  if (code <= 0x9f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')} (a C1 control character)`;
  if (code === 0xfffd) return 'U+FFFD (the mark of bytes that are not UTF-8)';
  return `${hex(code, 4)} (half of a UTF-16 surrogate pair)`;
}

/** The first character a board must not see in a file name: C0/C1 controls, DEL, and what is not UTF-8. */
export function remoteNameProblem(name: string): RemoteNameProblem | undefined {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) return { index: i, what: describe(c) };
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = name.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { index: i, what: describe(c) };
    }
    if (c >= 0xdc00 && c <= 0xdfff) return { index: i, what: describe(c) };
  }
  return undefined;
}

/** The name as it can be shown safely: control characters as \xNN / \uNNNN escapes. */
export function printableName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if ((c >= 0x80 && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff))
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += name[i];
  }
  return out;
}

/** Throws when `remote` holds a character no board may see; `local` names the file for the message. */
export function checkRemoteName(remote: string, local: string): void {
  const p = remoteNameProblem(remote);
  if (!p) return;
  throw new EtlsError(
    'invalid-argument',
    `The name on the board for ${printableName(local)}, "${printableName(remote)}", holds ${p.what} at position ${p.index + 1}; nothing was sent`,
    'Use printable characters only in remote names (check push.files[].remote in embedded-tls.json)',
  );
}

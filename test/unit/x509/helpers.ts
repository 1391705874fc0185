// Reads the committed x509 fixtures (made once with openssl; valid for 100 years).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readObjects, type ReadOptions, type X509Object } from '../../../src/core/x509';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'x509');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Reads a fixture and returns its single object, failing on problems. */
export function only(name: string, options: ReadOptions = {}): X509Object {
  const r = readObjects(fixture(name), { fileName: name, ...options });
  if (r.problems.length || r.objects.length !== 1)
    throw new Error(
      `${name}: ${r.objects.length} objects, problems: ${r.problems.map((p) => p.message).join('; ')}`,
    );
  return r.objects[0]!.object;
}

export function text(s: string, name = 'x.pem', options: ReadOptions = {}) {
  return readObjects(new TextEncoder().encode(s), { fileName: name, ...options });
}

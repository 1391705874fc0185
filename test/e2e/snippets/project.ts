// A project as a user makes it: etls pki init with a profile `kitchen`, in an empty folder.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls } from '../../support/realParts';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'snippets');

export function makeKitchen(dir: string, extra: string[] = []): void {
  const r = etls(
    [
      'pki',
      'init',
      '--out',
      'certs',
      '--profile',
      'kitchen',
      '--broker-host',
      'localhost',
      '--broker-ip',
      '127.0.0.1',
      ...extra,
    ],
    { cwd: dir },
  );
  assert.equal(r.status, 0, r.stderr);
}

export function editProject(
  dir: string,
  edit: (p: { profiles: Record<string, Record<string, unknown>> }) => void,
): void {
  const path = join(dir, 'embedded-tls.json');
  const project = JSON.parse(readFileSync(path, 'utf8')) as {
    profiles: Record<string, Record<string, unknown>>;
  };
  edit(project);
  writeFileSync(path, JSON.stringify(project, null, 2));
}

/** The `etls header ...` command a snippet's note says writes its header, as arguments. */
export function headerCommandFrom(stderr: string): string[] | undefined {
  const m = /write it: etls header (.+)$/m.exec(stderr);
  return m ? m[1]!.trim().split(/\s+/) : undefined;
}

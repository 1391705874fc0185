// The unit tests' firmware workspace: the integration tier's fixture workspace
// (test/integration/fixtures/makeWorkspace.mjs, real openssl through scripts/devCerts.mjs), made in a
// temporary folder, then read and linked by the core exactly as the extension does it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkWorkspace } from '../../src/core/check/model';
import { scanFile } from '../../src/core/check/scan';
import type { ScannedFile, WorkspaceModel } from '../../src/core/check/types';
import { loadProject } from '../../src/core/project/load';
import type { LoadedProject } from '../../src/core/project/types';
import { nodeFileSystem } from '../../src/core/node/fileSystem';
import { readObjects } from '../../src/core/x509';
import { makeWorkspace } from '../integration/fixtures/makeWorkspace.mjs';

export interface Fixture {
  dir: string;
  files: Map<string, ScannedFile>;
  model: WorkspaceModel;
  project: LoadedProject;
  remove(): void;
}

/**
 * certs/ca, broker (SAN localhost), device-01 (RSA-2048) as PEM, DER, PKCS#12 (password "secret") and
 * an encrypted key; main/certs.c with the device certificate as a byte array and the CA as a PEM string;
 * embedded-tls.json with one esp32 profile.
 */
export async function makeFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'etls-explorer-'));
  makeWorkspace(dir);
  const files = new Map<string, ScannedFile>();
  for (const rel of readdirSync(dir, { recursive: true }).map(String)) {
    if (!/\.(pem|key|der|p12|c)$/.test(rel)) continue;
    const path = join(dir, rel);
    files.set(path, scanFile(path, readFileSync(path), { reader: readObjects }));
  }
  const project = await loadProject(nodeFileSystem, join(dir, 'embedded-tls.json'));
  return {
    dir,
    files,
    model: linkWorkspace(files.values(), project),
    project,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

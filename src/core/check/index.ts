// The project check: discovers certificate files, links keys, certificates and chains, and reports
// what will fail on the board before anything is flashed. Pure core; runs in the CLI and the extension host.
/**
 * How the explorer and the diagnostics use this module
 * ----------------------------------------------------
 * 1. Discovery: `discoverFiles(root, options, nodeDirectoryPort)` lists candidate files (absolute,
 *    sorted). In VS Code use `workspace.findFiles(includeGlob(options), excludeGlob(options))`
 *    instead, and `isDiscoverable(relativePath, options)` to filter FileSystemWatcher events.
 * 2. Reading: `scanFile(path, bytes)` reads one file with the x509 reader and returns a
 *    `ScannedFile`. Keep a Map<path, ScannedFile>; on a watcher event re-scan only that file.
 *    Build files (CMakeLists.txt, component.mk, platformio.ini) are discovered too: they hold no
 *    objects, only `binaryEmbeds` for the ESP32 PEM-without-NUL rule; leave them out of the tree.
 * 3. Linking: `linkWorkspace(scannedFiles, project?)` builds the `WorkspaceModel` in O(n): every
 *    `ModelObject` has an `id` (`file#index`), a `role` (ca | server | client | key | csr |
 *    public-key | pkcs12 | other — tree groups), `embedded` (found in C sources), a `label` (CN),
 *    `keyId` (public-key SHA-256), `issuerId` (signature-verified issuer), `matchIds` (key <-> cert
 *    <-> CSR) and `usedBy` (profiles). `model.chainOf(id)` gives the issuer chain up to the root,
 *    `model.issuedBy(id)` the children, `model.isIssuedBy(child, issuer)` the verified-signature
 *    test. Rebuilding after one change is cheap (1,000 files: about 10 ms warm; signatures are memoised).
 * 4. Checking: `checkProject({ model, project }, { expiryDays, now, root, git, stat, projectText })`
 *    returns `Finding[]`: `{ file, range?, severity, code, message, fix?, profile?, objectIds? }`.
 *    Ranges are 0-based like VS Code's. `fix.kind` names the Quick Fix (convert-to-der,
 *    strip-passphrase, add-to-gitignore, regenerate-header, ...) and `fix.args` its inputs
 *    (absolute paths, never key material; `edit-project` has `pointer` + scalar `value`, and
 *    `json`, its JSON text). Findings about settings are on the project file, at the line of the
 *    setting when `projectText` is given. `objectIds` lets the tree colour nodes by the
 *    worst severity (`worstSeverity`). Codes are stable and listed in `findingCodes` and docs/check.md.
 * 5. One call for hosts that do not cache: `checkWorkspace(root, options)` does 1-4 and returns
 *    `{ project, model, findings }` — the CLI `etls check` and bench/explorer use it.
 * Ports: `GitPort` (`nodeGitPort` from ./nodePorts runs `git ls-files` / `git check-ignore` in two batched
 * processes), `DirectoryPort` (`nodeDirectoryPort`), and `fastReadFileSystem` (sync reads). Unit
 * tests pass plain objects; `linkWorkspace(files, project, { verifySignature })` lets plain-object
 * certificates form chains.
 * The target and cloud tables are `targetCatalog` / `cloudCatalog` in src/core/targets/.
 */
export * from './types';
export {
  discoverFiles,
  isDiscoverable,
  includeGlob,
  excludeGlob,
  defaultInclude,
  defaultExclude,
} from './discover';
export { scanFile, type ObjectReader } from './scan';
export { linkWorkspace, signatureVerifies, type LinkOptions } from './model';
export { checkProject, worstSeverity, sortFindings } from './check';
export {
  checkWorkspace,
  unreadable,
  type CheckWorkspaceOptions,
  type CheckWorkspaceResult,
} from './workspace';
export { formatFinding } from './format';

// The types of the project check: findings, their fixes, the linked workspace model and the ports
// the check needs (git, directory listing). Shared by the CLI, the explorer and the diagnostics.
import type { EtlsErrorCode } from '../errors';
import type {
  CertificateInfo as X509CertificateInfo,
  Encoding,
  FoundObject,
  ReadProblem,
  SourceLocation,
  X509Object,
} from '../x509/types';

export type Severity = 'error' | 'warning' | 'info';

/** 0-based, like SourceLocation and VS Code's Position; the CLI prints them 1-based. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Every finding code; stable, documented in docs/check.md. */
export const findingCodes = [
  // validity
  'cert-expired',
  'cert-not-yet-valid',
  'cert-expiring',
  'cert-recently-issued',
  // keys and certificates
  'key-mismatch',
  'rsa-too-small',
  'weak-signature',
  // chain
  'chain-unverified',
  'broker-issuer-not-ca',
  'ca-not-ca',
  // names
  'host-not-in-san',
  'host-only-in-cn',
  'ip-without-ip-san',
  // extended key usage
  'missing-client-auth',
  'missing-server-auth',
  // target (board) rules
  'target-format',
  'target-pem-nul',
  'target-key-type',
  'target-key-size',
  'target-key-format',
  'target-encrypted-key',
  'target-root-type',
  'target-root-catalog',
  'target-root-upload',
  'target-alpn',
  'target-chain-size',
  'target-key-permissions',
  // clouds
  'aws-key-type',
  'aws-root-ca',
  'aws-legacy-root',
  'aws-port-alpn',
  'aws-endpoint',
  'aws-sni',
  'aws-signature-hash',
  'azure-root-ca',
  'azure-baltimore-root',
  'azure-cn-device-id',
  'azure-username',
  'azure-port',
  // secrets
  'key-tracked-by-git',
  'key-not-ignored',
  // files and project
  'file-not-found',
  'file-unreadable',
  'profile-wrong-kind',
  'header-stale',
  'push-remote-name',
] as const;
export type FindingCode = (typeof findingCodes)[number];

/**
 * What a Quick Fix (or `etls` command) would do. `args` carry paths (absolute) and options, never
 * key material. The extension maps each kind to a command; the CLI prints `fix` as a hint.
 */
export type FixKind =
  /** args: { file, output } — write the object as DER beside the original. */
  | 'convert-to-der'
  /** args: { file, output } — write the object as PEM. */
  | 'convert-to-pem'
  /** args: { file, output, format: 'PKCS#1' | 'SEC1' | 'PKCS#8' } — rewrite the key container. */
  | 'convert-key-format'
  /** args: { file, output } — ask for the pass phrase, write the key unencrypted (mode 0600). */
  | 'strip-passphrase'
  /** args: { gitignore, pattern } — append the pattern to .gitignore. */
  | 'add-to-gitignore'
  /** args: { file, root, gitignore, pattern } — `git rm --cached FILE` in `root`, then add `pattern` to .gitignore. */
  | 'untrack-key'
  /** args: { file, mode } — chmod the key. */
  | 'chmod-key'
  /** args: { project, profile, header } — regenerate the header from its inputs. */
  | 'regenerate-header'
  /** args: { project, profile, pointer, value, json } — set the scalar at a JSON pointer of the project file (`json` is its JSON text). */
  | 'edit-project'
  /** args: { project, profile, protocol, file } — push the root `file` into the profile's Arduino Wi-Fi module (merging). */
  | 'push-module-roots';

export interface FindingFix {
  kind: FixKind;
  /** The Quick Fix title: "Convert to DER", "Add to .gitignore", ... */
  title: string;
  args: Record<string, string | number | boolean>;
}

export interface Finding {
  /** Absolute path of the file the finding is about (the project file for settings). */
  file: string;
  /** Where in the file; absent when the whole file is meant. */
  range?: Range;
  severity: Severity;
  code: FindingCode;
  /** One or two plain sentences: what is wrong and what the board will do. */
  message: string;
  fix?: FindingFix;
  /** The device profile the finding came from, when there was one. */
  profile?: string;
  /** The model objects (ModelObject.id) the finding is about, so the explorer can colour them. */
  objectIds?: string[];
}

/** What a certificate, key or file is for, as the explorer groups it. */
export type ObjectRole = 'ca' | 'server' | 'client' | 'key' | 'csr' | 'public-key' | 'pkcs12' | 'other';

/** One certificate, key, CSR or container found in the workspace, with its links. */
export interface ModelObject {
  /** `${file}#${index}`: stable while the file does not change. */
  id: string;
  file: string;
  index: number;
  encoding: Encoding;
  location: SourceLocation;
  object: X509Object;
  role: ObjectRole;
  /** Found in a C/C++/Arduino source (c-array or c-string). */
  embedded: boolean;
  /** Label for a tree node: the CN, else the file name and kind. */
  label: string;
  /** SHA-256 of the SubjectPublicKeyInfo (PublicKeyDetails.sha256); undefined for locked keys. */
  keyId?: string;
  /** Certificates: the issuer found in the workspace whose signature verifies; undefined at a root or when missing. */
  issuerId?: string;
  /** Certificates: the issuer DN is in the workspace but no candidate's signature verifies. */
  issuerSignatureBad?: boolean;
  /** Private keys, CSRs and public keys: certificates with the same public key; certificates: keys and CSRs. */
  matchIds: readonly string[];
  /** Profiles referring to this object's file, with what for. */
  usedBy: Array<{ profile: string; as: 'ca' | 'cert' | 'key' | 'header-input' }>;
}

/** One file as read: the reader's output plus what the target rules need to know about the bytes. */
export interface ScannedFile {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs?: number;
  /** Encoding of the file as a whole: PEM text, DER bytes, or a source file (c/h/ino). */
  encoding: Encoding | 'source' | 'pkcs12' | 'build' | 'unknown';
  /** PEM text ending in a NUL byte (what EMBED_TXTFILES would add). */
  endsWithNul: boolean;
  /**
   * Build files (CMakeLists.txt, component.mk, platformio.ini): the files they embed as binary
   * (EMBED_FILES), which get no terminating NUL, as written in the build file, with their 0-based line.
   */
  binaryEmbeds?: Array<{ file: string; line: number }>;
  objects: FoundObject[];
  problems: ReadProblem[];
}

/** The linked objects of a workspace; build with `linkWorkspace`. Cheap to rebuild after one file changes. */
export interface WorkspaceModel {
  files: ReadonlyMap<string, ScannedFile>;
  objects: readonly ModelObject[];
  byId: ReadonlyMap<string, ModelObject>;
  byFile: ReadonlyMap<string, readonly ModelObject[]>;
  /** The certificate and its issuers up to the root (or to the last one found), first = the certificate. */
  chainOf(id: string): ModelObject[];
  /** Certificates whose issuerId is this certificate. */
  issuedBy(id: string): ModelObject[];
  /** Whether `issuer` signed `child`: names, then the signature. */
  isIssuedBy(child: X509CertificateInfo, issuer: X509CertificateInfo): boolean;
}

/** The git questions the check asks, answered in one batch so 1,000 keys cost two processes. */
export interface GitPort {
  /** The folder is inside a work tree; false (not an error) when git is missing or it is not a repository. */
  isRepository(root: string): Promise<boolean>;
  /** Of these absolute paths, those tracked (`git ls-files`). */
  tracked(root: string, paths: string[]): Promise<Set<string>>;
  /** Of these absolute paths, those ignored (`git check-ignore`). */
  ignored(root: string, paths: string[]): Promise<Set<string>>;
}

/** Lists folders for discovery; the extension may use vscode.workspace.findFiles instead. */
export interface DirectoryPort {
  /** Entries of a folder; symbolic links are reported as neither file nor folder. */
  list(dir: string): Promise<Array<{ name: string; isFile: boolean; isDirectory: boolean }>>;
}

export interface DiscoveryOptions {
  /** Globs (relative to the root) a file must match; default: the certificate and source extensions. */
  include?: string[];
  /** Globs to skip; default: build folders, node_modules, .git and friends. */
  exclude?: string[];
  /** Stop after this many files (a safety net for huge trees); default 20,000. */
  maxFiles?: number;
  /** Called after each folder level of the walk with the folders listed and files found so far. */
  onProgress?: (folders: number, files: number) => void;
}

export interface CheckOptions {
  /** Warn about certificates expiring within this many days; default 30 (setting embeddedTls.expiryWarningDays). */
  expiryDays?: number;
  /** Milliseconds since the epoch; default Date.now(). */
  now?: number;
  /** The workspace folder: git runs here and .gitignore fixes point here; default: the project folder. */
  root?: string;
  /** When absent the git rules are skipped. */
  git?: GitPort;
  /** File modes for the Linux key-permission rule; absent skips it. */
  stat?: (path: string) => Promise<{ mode: number } | undefined>;
  /** Text of the project file, to put findings about settings on the right line. */
  projectText?: string;
}

export type { EtlsErrorCode };

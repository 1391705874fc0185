// `etls check`: what will fail on the board, before flashing; problem-matcher friendly. Runs on Node.
import { dirname, resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { checkWorkspace, formatFinding, type CheckWorkspaceResult, type Finding } from '../../core/check';
import { VIEW_MAX_FILES } from '../../core/check/discover';
import { fastReadFileSystem, nodeDirectoryPort, nodeGitPort } from '../../core/check/nodePorts';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { hasFlag, optionValue, parseArgs, type CliCommand, type CliIo } from '../command';

const usage = `etls check [DIR] [--project FILE] [--profile NAME] [--json] [--expiry-days N] [--strict] [--no-git]

Checks the certificates, keys and device profiles of a workspace against the boards and clouds
they are for. One line per finding:  path:line:col: severity code: message [profile]

  DIR               the workspace folder (default: the project file's folder, else here)
  --project FILE    the project file (default: embedded-tls.json here or above)
  --profile NAME    only findings about this device profile and the files it uses
  --json            findings as JSON, with their fixes
  --expiry-days N   warn about certificates expiring within N days (default 30)
  --strict          exit 1 on warnings too
  --no-git          skip the "private key tracked by git / not ignored" checks
  --max-files N     read at most N files (default ${VIEW_MAX_FILES}, as the Certificates view)

Without a project file the folder is walked, skipping node_modules, .git and build folders
(build, out, dist, .pio, cmake-build-*, managed_components, ...); progress goes to stderr.

Exit status: 0 no errors, 1 errors found (or warnings with --strict), 2 bad arguments or project file.`;

/** Progress on stderr at most once a second, so a long walk is never silent; nothing for quick runs. */
function progressReporter(io: CliIo): {
  walk(folders: number, files: number): void;
  read(done: number, total: number): void;
} {
  let last = Date.now();
  const say = (text: string) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    io.err(`etls check: ${text}\n`);
  };
  return {
    walk: (folders, files) => say(`walking: ${folders} folders, ${files} files found so far`),
    read: (done, total) => say(`reading: ${done} of ${total} files`),
  };
}

function summary(findings: Finding[]): string {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const e = count('error');
  const w = count('warning');
  const i = count('info');
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}, ${i} info`;
}

/** Findings of one profile: its own, plus those on the files (and their issuers) it uses. */
function forProfile(result: CheckWorkspaceResult, profile: string): Finding[] {
  const files = new Set<string>([result.project!.path]);
  for (const m of result.model.objects)
    if (m.usedBy.some((u) => u.profile === profile))
      for (const link of result.model.chainOf(m.id)) files.add(link.file);
  return result.findings.filter((f) => (f.profile === undefined ? files.has(f.file) : f.profile === profile));
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'find what will fail on the board: expiry, key/cert mismatch, SAN, target and cloud rules',
  usage,
  async run(args, io) {
    const p = parseArgs(args, {
      flags: ['json', 'strict', 'no-git'],
      options: ['project', 'expiry-days', 'profile', 'max-files'],
    });
    if (p.positional.length > 1) throw new EtlsError('invalid-argument', 'give at most one workspace folder');
    const days = optionValue(p, 'expiry-days');
    const expiryDays = days === undefined ? 30 : Number(days);
    if (!Number.isInteger(expiryDays) || expiryDays < 0)
      throw new EtlsError('invalid-argument', `--expiry-days needs a whole number of days, not "${days}"`);
    const maxArg = optionValue(p, 'max-files');
    const maxFiles = maxArg === undefined ? VIEW_MAX_FILES : Number(maxArg);
    if (!Number.isSafeInteger(maxFiles) || maxFiles < 1)
      throw new EtlsError('invalid-argument', `--max-files needs a whole number above 0, not "${maxArg}"`);
    const projectArg = optionValue(p, 'project');
    const projectPath = projectArg ? resolve(io.cwd, projectArg) : undefined;
    if (projectPath && !(await nodeFileSystem.stat(projectPath))?.isFile)
      throw new EtlsError(
        'not-found',
        `${projectArg}: no such project file`,
        'Create embedded-tls.json or pass --project.',
      );
    const dirArg = p.positional[0];
    const root = dirArg ? resolve(io.cwd, dirArg) : projectPath ? dirname(projectPath) : io.cwd;
    const rootStat = await nodeFileSystem.stat(root);
    if (!rootStat || rootStat.isFile) throw new EtlsError('not-found', `${dirArg ?? root}: no such folder`);

    const progress = progressReporter(io);
    let found = 0;
    const result = await checkWorkspace(root, {
      fs: fastReadFileSystem,
      dir: nodeDirectoryPort,
      discovery: {
        maxFiles,
        onProgress: (folders, files) => {
          found = files;
          progress.walk(folders, files);
        },
      },
      onRead: progress.read,
      expiryDays,
      root,
      ...(projectPath ? { projectPath } : {}),
      ...(hasFlag(p, 'no-git') ? {} : { git: nodeGitPort }),
      stat: async (path) => nodeFileSystem.stat(path),
    });
    const profile = optionValue(p, 'profile');
    if (profile !== undefined && !result.project?.file.profiles[profile])
      throw new EtlsError(
        'invalid-argument',
        `no profile "${profile}" in ${result.project?.path ?? 'the project (there is no embedded-tls.json)'}`,
        result.project
          ? `Profiles: ${Object.keys(result.project.file.profiles).join(', ') || 'none'}.`
          : undefined,
      );
    const findings = profile === undefined ? result.findings : forProfile(result, profile);
    if (hasFlag(p, 'json')) {
      io.out(
        JSON.stringify(
          {
            project: result.project?.path ?? null,
            root,
            files: result.model.files.size,
            maxFilesReached: found >= maxFiles,
            objects: result.model.objects.length,
            findings,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      for (const f of findings) io.out(formatFinding(f, io.cwd) + '\n');
      const where = result.project ? `profiles of ${result.project.path}` : 'no project file';
      io.err(`etls check: ${result.model.files.size} files under ${root}, ${where}: ${summary(findings)}\n`);
      if (found >= maxFiles)
        io.err(
          `etls check: stopped after ${maxFiles} files; name a smaller folder, a project file (--project), or raise --max-files\n`,
        );
    }
    const failing = findings.some(
      (f) => f.severity === 'error' || (hasFlag(p, 'strict') && f.severity === 'warning'),
    );
    return failing ? 1 : 0;
  },
};

// `etls snippet` and `etls export node-red`: connection code and a Node-RED flow from a profile. Runs on Node.
import { dirname, resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { ensureOutputDir, writeGuarded } from '../../core/files/guard';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { findProjectFile, loadProject } from '../../core/project/load';
import type { LoadedProject } from '../../core/project/types';
import { buildSnippet, isSnippetKind, nodeRedFlow, SNIPPET_KINDS, snippetKinds } from '../../core/snippets';
import { hasFlag, optionValue, parseArgs, type CliCommand, type CliIo, type ParsedArgs } from '../command';

const snippetUsage = `etls snippet --profile NAME --for KIND [-o FILE] [--force]

The connection code for one profile of embedded-tls.json, with the names etls header gives its
certificates and keys and the names its files were pushed under (push.files).

Kinds:
${snippetKinds.map((k) => `  ${k.padEnd(16)} ${SNIPPET_KINDS[k].label}: ${SNIPPET_KINDS[k].detail}`).join('\n')}

Options:
  --profile NAME     the profile (default: the only one)
  --for KIND         one of the kinds above
  -o, --output FILE  write it there (a script gets mode 0755); default: print it
  --project FILE     the project file (default: embedded-tls.json here or above)
  --force            replace FILE even when etls did not write it (never a key)`;

const exportUsage = `etls export node-red --profile NAME [-o FILE] [--force]

An importable Node-RED flow: a tls-config node (the profile's CA, certificate and key, verify
server certificate on, servername, ALPN) and an mqtt-broker node that uses it, with an mqtt in
node on a tab. Import it in Node-RED with Menu > Import.

Options:
  --profile NAME     the profile (default: the only one)
  -o, --output FILE  write it there; default: print it
  --project FILE     the project file (default: embedded-tls.json here or above)
  --force            replace FILE even when etls did not write it`;

const spec = { flags: ['force'], options: ['profile', 'for', 'output', 'project'], aliases: { o: 'output' } };

async function projectAndProfile(
  p: ParsedArgs,
  io: CliIo,
): Promise<{ project: LoadedProject; profile: string }> {
  const given = optionValue(p, 'project');
  const path = given ? resolve(io.cwd, given) : await findProjectFile(nodeFileSystem, io.cwd);
  if (!path)
    throw new EtlsError(
      'not-found',
      'no embedded-tls.json here or in any folder above, so there is no profile to read',
      'Make one with a development PKI: etls pki init --profile NAME --broker-host HOST.',
    );
  const project = await loadProject(nodeFileSystem, path);
  const names = Object.keys(project.file.profiles);
  const profile = optionValue(p, 'profile') ?? (names.length === 1 ? names[0] : undefined);
  if (!profile)
    throw new EtlsError(
      'invalid-argument',
      names.length ? `say which profile: --profile ${names.join('|')}` : `${path} has no profiles yet`,
      names.length ? undefined : 'Make one: etls pki init --profile NAME --broker-host HOST.',
    );
  return { project, profile };
}

async function emit(
  io: CliIo,
  p: ParsedArgs,
  text: string,
  options: { script?: boolean; marked: boolean },
): Promise<string | undefined> {
  const out = optionValue(p, 'output');
  if (!out) {
    io.out(text);
    return undefined;
  }
  const path = resolve(io.cwd, out);
  await ensureOutputDir(nodeFileSystem, dirname(path));
  await writeGuarded(nodeFileSystem, path, text, {
    replace: hasFlag(p, 'force') ? 'anything-but-keys' : options.marked ? 'generated' : 'nothing',
    ...(options.script ? { mode: 0o755 } : {}),
    forceHint: 'Pass --force to replace it, or choose another -o.',
  });
  return path;
}

export const snippetCommand: CliCommand = {
  name: 'snippet',
  summary: 'connection code for a profile: ESP-IDF, Arduino, SimpleLink, AT commands, coreMQTT, mosquitto',
  usage: snippetUsage,
  async run(args, io) {
    const p = parseArgs(args, spec);
    const kind = optionValue(p, 'for');
    if (!kind || !isSnippetKind(kind))
      throw new EtlsError(
        'invalid-argument',
        kind ? `unknown kind "${kind}"` : 'say which code: --for KIND',
        `Use one of: ${snippetKinds.join(', ')}.`,
      );
    const { project, profile } = await projectAndProfile(p, io);
    const out = optionValue(p, 'output');
    const snippet = await buildSnippet(
      nodeFileSystem,
      project,
      profile,
      kind,
      out ? { outFile: resolve(io.cwd, out) } : {},
    );
    const written = await emit(io, p, snippet.text, {
      script: snippet.language === 'shellscript',
      marked: true,
    });
    for (const n of snippet.notes) io.err(`note: ${n}\n`);
    if (written) io.err(`wrote ${out} (${SNIPPET_KINDS[kind].label} for profile "${profile}")\n`);
    return 0;
  },
};

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'a Node-RED flow (tls-config + mqtt-broker) from a profile',
  usage: exportUsage,
  async run(args, io) {
    const [what, ...rest] = args;
    if (what !== 'node-red')
      throw new EtlsError(
        'invalid-argument',
        what ? `etls export knows node-red, not "${what}"` : 'say what to export: etls export node-red',
      );
    const p = parseArgs(rest, spec);
    const { project, profile } = await projectAndProfile(p, io);
    const flow = await nodeRedFlow(nodeFileSystem, project, profile);
    const written = await emit(io, p, flow.text, { marked: true });
    if (written) io.err(`wrote ${optionValue(p, 'output')}: import it in Node-RED (Menu > Import)\n`);
    return 0;
  },
};

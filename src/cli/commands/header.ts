// `etls header`: C headers from certificates and keys, for firmware builds and CI. Runs on Node.
import { execFile } from 'node:child_process';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import {
  argFlag,
  argValue,
  checkHeader,
  generateHeader,
  parseHeaderArgs,
  projectHeaderSpecs,
  specFromArgs,
  specsFromHeaderFile,
  suggestedHeaderFolder,
  suggestedHeaderName,
  writeHeader,
  type HeaderSpec,
} from '../../core/headers';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { findProjectFile, loadProject } from '../../core/project/load';
import type { CliCommand, CliIo } from '../command';

const usage = `etls header                       regenerate every header in embedded-tls.json
etls header FILE... -o OUT.h [options]
etls header FILE...               in an ESP-IDF project (esp32/esp8266 profile): writes main/certs.h
etls header -o OUT.h              regenerate OUT.h from the command recorded in it

Options:
  -o, --output OUT.h     header to write (with --split, OUT.c too)
  --format der|pem       byte array (default for --layout c) or NUL-terminated PEM string
  --layout c|freertos|coremqtt|arduino
                         plain C; aws_clientcredential_keys.h macros; demo_config.h macros;
                         an Arduino sketch header (PROGMEM raw strings)
  --name NAME            array or macro name, once per FILE in order (default: what it holds, e.g. device_cert_der)
  --static               static const arrays (the default; --no-static for plain const)
  --section NAME         __attribute__((section("NAME")))
  --align N              __attribute__((aligned(N)))
  --line-width N         bytes per line of DER arrays (default 12)
  --guard NAME | --no-guard
                         include guard (default: from the file name)
  --split                extern declarations in OUT.h, definitions in OUT.c
  --force                replace an existing OUT.h that etls did not generate (never a key)
  --pem-style quoted|raw one string literal per line, or a C++ raw string
  --progmem              mark arrays PROGMEM
  --broker HOST --port N --client-id ID
                         endpoint macros for --layout coremqtt
  --check                write nothing; exit 1 when a header does not match its sources
  --project FILE         the project file (default: embedded-tls.json here or above)
  --profile NAME         only the headers of this profile
  --quiet                print only problems`;

function display(io: CliIo, path: string): string {
  return relative(io.cwd, path) || '.';
}

/** True when git tracks `path`; false when it does not, or git is not there. */
function gitTracks(path: string): Promise<boolean> {
  return new Promise((done) => {
    execFile(
      'git',
      ['ls-files', '--error-unmatch', '--', basename(path)],
      { cwd: dirname(path), timeout: 5000 },
      (err) => done(!err),
    );
  });
}

/**
 * Files and no -o: the header goes where the project's target keeps its sources (ESP-IDF:
 * main/certs.h), inside the project; elsewhere -o is needed.
 */
async function conventionalSpec(io: CliIo, args: ReturnType<typeof parseHeaderArgs>): Promise<HeaderSpec> {
  const projectPath = await findProjectFile(nodeFileSystem, io.cwd);
  const project = projectPath ? await loadProject(nodeFileSystem, projectPath) : undefined;
  const folder =
    project &&
    suggestedHeaderFolder(
      project.dir,
      Object.values(project.file.profiles).map((p) => p.target),
    );
  if (!project || !folder)
    throw new EtlsError(
      'invalid-argument',
      'header files need an output',
      'Add -o OUT.h (in a project whose profile targets ESP-IDF, the default is main/certs.h).',
    );
  const layout = argValue(args, 'layout') ?? 'c';
  const name = suggestedHeaderName(layout as HeaderSpec['layout'], args.positional);
  args.options.set('output', [join(folder, name)]);
  return { ...specFromArgs(args, io.cwd), root: project.dir };
}

async function specsToRun(
  io: CliIo,
  files: string[],
  args: ReturnType<typeof parseHeaderArgs>,
): Promise<{ specs: HeaderSpec[]; from?: string }> {
  if (files.length > 0)
    return {
      specs: [argValue(args, 'output') ? specFromArgs(args, io.cwd) : await conventionalSpec(io, args)],
    };
  const output = argValue(args, 'output');
  if (output) return { specs: await specsFromHeaderFile(nodeFileSystem, resolve(io.cwd, output)) };
  const given = argValue(args, 'project');
  const path = given ? resolve(io.cwd, given) : await findProjectFile(nodeFileSystem, io.cwd);
  if (!path)
    throw new EtlsError(
      'not-found',
      'no embedded-tls.json here or in any folder above, and no files given',
      'Run etls header FILE... -o OUT.h, or add "headers" to a profile in embedded-tls.json.',
    );
  const project = await loadProject(nodeFileSystem, path);
  const specs = projectHeaderSpecs(project, argValue(args, 'profile'));
  if (specs.length === 0)
    throw new EtlsError(
      'not-found',
      `${display(io, path)} configures no headers`,
      'Add a "headers" list to a profile; see docs/headers.md.',
    );
  return { specs, from: path };
}

async function runOne(
  io: CliIo,
  spec: HeaderSpec,
  check: boolean,
  quiet: boolean,
  force: boolean,
): Promise<number> {
  if (check) {
    const result = await checkHeader(nodeFileSystem, spec);
    for (const s of result.stale)
      io.out(`${display(io, s.path)}:${s.line}: error: ${s.reason}. Run etls header to regenerate.\n`);
    if (result.upToDate && !quiet) io.out(`${display(io, spec.output)}: up to date\n`);
    return result.upToDate ? 0 : 1;
  }
  const header = await generateHeader(nodeFileSystem, spec);
  const results = await writeHeader(nodeFileSystem, header, { force });
  if (!quiet) {
    const arrays = header.entries
      .map((e) => `${e.symbol} ${e.bytes.length + (e.form === 'pem' ? 1 : 0)} bytes`)
      .join(', ');
    for (const r of results)
      io.out(
        r.state === 'written'
          ? `wrote ${display(io, r.path)} (${arrays})\n`
          : `${display(io, r.path)}: up to date\n`,
      );
  }
  if (header.holdsPrivateKey)
    for (const f of header.files)
      if (await gitTracks(f.path))
        io.err(
          `${display(io, f.path)}:1: warning: holds a PRIVATE KEY and git tracks it. Run git rm --cached ${basename(f.path)} and add it to .gitignore.\n`,
        );
  return 0;
}

export const headerCommand: CliCommand = {
  name: 'header',
  summary: 'C headers (DER arrays, PEM strings) from certificates and keys',
  usage,
  async run(argv, io) {
    const args = parseHeaderArgs(argv);
    if (argFlag(args, 'help') || argFlag(args, 'h')) {
      io.out(`${usage}\n`);
      return 0;
    }
    const check = argFlag(args, 'check');
    const quiet = argFlag(args, 'quiet');
    const force = argFlag(args, 'force');
    const { specs, from } = await specsToRun(io, args.positional, args);
    let status = 0;
    for (const spec of specs) {
      try {
        status = Math.max(status, await runOne(io, spec, check, quiet, force));
      } catch (e) {
        // In a project run, one bad header must not hide the state of the others.
        if (!(e instanceof EtlsError) || !from) throw e;
        io.err(`${display(io, from)}:1: error: ${display(io, spec.output)}: ${e.describe()}\n`);
        status = 2;
      }
    }
    return status;
  },
};

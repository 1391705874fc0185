// The headers a project file asks for, as specs `etls header` and the editor can build.
import { resolve } from 'node:path';
import { EtlsError } from '../errors';
import type { HeaderSettings, LoadedProject } from '../project/types';
import { resolveProjectPath } from '../project/load';
import { relativePath } from './args';
import { validateSpec, type HeaderSpec } from './spec';

/**
 * The generator options a project file's `headers[].options` may hold, each with the values it
 * takes. The JSON Schema lists the same names (a unit test keeps the two equal).
 */
export const HEADER_OPTIONS: Record<string, { takes: string; accepts: (v: unknown) => boolean }> = {
  static: { takes: 'true or false', accepts: (v) => typeof v === 'boolean' },
  split: { takes: 'true or false', accepts: (v) => typeof v === 'boolean' },
  progmem: { takes: 'true or false', accepts: (v) => typeof v === 'boolean' },
  section: { takes: 'a section name', accepts: (v) => typeof v === 'string' },
  alignment: { takes: 'a number', accepts: (v) => typeof v === 'number' },
  align: { takes: 'a number', accepts: (v) => typeof v === 'number' },
  lineWidth: { takes: 'a number', accepts: (v) => typeof v === 'number' },
  guard: { takes: 'a macro name or false', accepts: (v) => typeof v === 'string' || v === false },
  pemStyle: { takes: '"quoted" or "raw"', accepts: (v) => v === 'quoted' || v === 'raw' },
};

function checkOptions(o: Record<string, unknown> | undefined, where: string): void {
  if (o === undefined) return;
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw new EtlsError('malformed', `${where}: "options" must be an object`, 'See docs/headers.md.');
  for (const [key, value] of Object.entries(o)) {
    const known = Object.hasOwn(HEADER_OPTIONS, key) ? HEADER_OPTIONS[key] : undefined;
    if (!known)
      throw new EtlsError(
        'malformed',
        `${where}: unknown option "${key}"`,
        `Known options: ${Object.keys(HEADER_OPTIONS).join(', ')}.`,
      );
    if (!known.accepts(value))
      throw new EtlsError(
        'malformed',
        `${where}: option "${key}" must be ${known.takes}, not ${JSON.stringify(value)}`,
      );
  }
}

function option<T>(
  o: Record<string, unknown> | undefined,
  key: string,
  type: 'string' | 'number' | 'boolean',
): T | undefined {
  const v = o?.[key];
  return typeof v === type ? (v as T) : undefined;
}

/** One header of the project file as a spec; errors name the profile and the header. */
export function specFromSettings(
  project: LoadedProject,
  profile: string,
  h: HeaderSettings,
  index: number,
): HeaderSpec {
  const where = `${project.path}: profile "${profile}", headers[${index}]`;
  if (typeof h?.output !== 'string' || !Array.isArray(h.inputs))
    throw new EtlsError(
      'malformed',
      `${where} needs "output" and "inputs"`,
      'See docs/headers.md for the shape.',
    );
  const o = h.options;
  checkOptions(o, where);
  const guard = o?.['guard'];
  const spec: HeaderSpec = {
    output: resolveProjectPath(project, h.output),
    inputs: h.inputs.map((i) => ({
      path: resolveProjectPath(project, i.file),
      ...(i.name ? { name: i.name } : {}),
      ...(i.format ? { format: i.format } : {}),
    })),
    layout: h.layout ?? 'c',
    root: project.dir,
    origin: { project: project.path, profile },
  };
  if (h.format) spec.format = h.format;
  const flags = {
    static: option<boolean>(o, 'static', 'boolean'),
    split: option<boolean>(o, 'split', 'boolean'),
    progmem: option<boolean>(o, 'progmem', 'boolean'),
  };
  if (flags.static !== undefined) spec.static = flags.static;
  if (flags.split) spec.split = true;
  if (flags.progmem) spec.progmem = true;
  const section = option<string>(o, 'section', 'string');
  if (section) spec.section = section;
  const align = option<number>(o, 'alignment', 'number') ?? option<number>(o, 'align', 'number');
  if (align !== undefined) spec.align = align;
  const lineWidth = option<number>(o, 'lineWidth', 'number');
  if (lineWidth !== undefined) spec.lineWidth = lineWidth;
  if (guard === false) spec.guard = false;
  else if (typeof guard === 'string') spec.guard = guard;
  const pemStyle = option<'quoted' | 'raw'>(o, 'pemStyle', 'string');
  if (pemStyle) spec.pemStyle = pemStyle;
  const broker = project.file.profiles[profile]?.broker;
  if (spec.layout === 'coremqtt' && broker)
    spec.broker = {
      host: broker.host,
      ...(broker.port ? { port: broker.port } : {}),
      ...(broker.clientId ? { clientId: broker.clientId } : {}),
    };
  try {
    validateSpec(spec);
  } catch (e) {
    if (e instanceof EtlsError) throw new EtlsError(e.code, `${where}: ${e.message}`, e.fix);
    throw e;
  }
  return spec;
}

/** Every header in the project, or those of one profile. */
export function projectHeaderSpecs(project: LoadedProject, onlyProfile?: string): HeaderSpec[] {
  const profiles = Object.entries(project.file.profiles);
  if (onlyProfile !== undefined && !project.file.profiles[onlyProfile])
    throw new EtlsError(
      'not-found',
      `${project.path} has no profile "${onlyProfile}"`,
      `Use one of: ${profiles.map(([n]) => n).join(', ') || '(none)'}.`,
    );
  const specs: HeaderSpec[] = [];
  for (const [name, p] of profiles) {
    if (onlyProfile !== undefined && name !== onlyProfile) continue;
    (p.headers ?? []).forEach((h, i) => specs.push(specFromSettings(project, name, h, i)));
  }
  return specs;
}

/** The project headers whose output is `path` (a header, or the .c of a split one). */
export function specsForOutput(specs: HeaderSpec[], path: string): HeaderSpec[] {
  const target = resolve(path);
  return specs.filter(
    (s) => s.output === target || (s.split && s.output.replace(/\.[^./\\]*$/, '') + '.c' === target),
  );
}

/** The project headers that read `inputPath`, for regenerate-on-save. */
export function specsUsingInput(specs: HeaderSpec[], inputPath: string): HeaderSpec[] {
  const target = resolve(inputPath);
  return specs.filter((s) => s.inputs.some((i) => i.path === target));
}

/** The project-file entry for a header made elsewhere (the editor's command), paths relative to the project. */
export function headerSettingsFor(project: LoadedProject, spec: HeaderSpec): HeaderSettings {
  const rel = (p: string) => relativePath(project.dir, p);
  const settings: HeaderSettings = {
    output: rel(spec.output),
    inputs: spec.inputs.map((i) => ({
      file: rel(i.path),
      ...(i.name ? { name: i.name } : {}),
      ...(i.format ? { format: i.format } : {}),
    })),
  };
  if (spec.layout !== 'c') settings.layout = spec.layout;
  if (spec.format) settings.format = spec.format;
  const options: Record<string, unknown> = {};
  if (spec.static !== undefined) options['static'] = spec.static;
  if (spec.split) options['split'] = true;
  if (spec.progmem) options['progmem'] = true;
  if (spec.section) options['section'] = spec.section;
  if (spec.align) options['alignment'] = spec.align;
  if (spec.lineWidth) options['lineWidth'] = spec.lineWidth;
  if (spec.guard !== undefined) options['guard'] = spec.guard;
  if (spec.pemStyle) options['pemStyle'] = spec.pemStyle;
  if (Object.keys(options).length) settings.options = options;
  return settings;
}

/** Adds (or replaces, by output) a header in a profile; returns the project to save. */
export function withHeader(project: LoadedProject, profile: string, settings: HeaderSettings): LoadedProject {
  const current = project.file.profiles[profile] ?? {};
  const others = (current.headers ?? []).filter(
    (h) => resolveProjectPath(project, h.output) !== resolveProjectPath(project, settings.output),
  );
  return {
    ...project,
    file: {
      ...project.file,
      profiles: { ...project.file.profiles, [profile]: { ...current, headers: [...others, settings] } },
    },
  };
}

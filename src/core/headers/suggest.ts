// Defaults the editor offers when it asks where a new header goes and what it is called.
import { basename, join } from 'node:path';
import { identifierFromFileName } from './identifiers';
import type { HeaderLayout } from './spec';
import type { SourceState } from './stale';

/** The file name each layout's users expect; for plain C, the input's name or `certs.h`. */
export function suggestedHeaderName(layout: HeaderLayout, inputs: string[]): string {
  if (layout === 'freertos') return 'aws_clientcredential_keys.h';
  if (layout === 'coremqtt') return 'demo_config.h';
  if (layout === 'arduino') return 'secrets.h';
  const only = inputs.length === 1 ? inputs[0] : undefined;
  return only ? `${identifierFromFileName(basename(only).replace(/\.[^.]*$/, ''))}.h` : 'certs.h';
}

/** The words of the CodeLens above a generated array. */
export function sourceStateTitle(source: string, state: SourceState): string {
  switch (state) {
    case 'up-to-date':
      return `$(check) from ${source}: up to date`;
    case 'changed':
      return `$(warning) from ${source}: stale, the source changed. Regenerate`;
    case 'missing':
      return `$(error) from ${source}: the source is missing`;
  }
}

/** Targets whose projects are ESP-IDF (or PlatformIO on ESP-IDF): sources and headers live in main/. */
const MAIN_FOLDER_TARGETS = new Set(['esp32', 'esp8266']);

/** The folder a new header goes in by the target's convention (ESP-IDF: `main/`); undefined when there is none. */
export function suggestedHeaderFolder(
  projectDir: string,
  targets: Array<string | undefined>,
): string | undefined {
  return targets.some((t) => t !== undefined && MAIN_FOLDER_TARGETS.has(t))
    ? join(projectDir, 'main')
    : undefined;
}

// Compiles a generated header with the real gcc/g++, links a program that writes every array back
// to a file, runs it, and returns the bytes, so tests compare them with the DER or the PEM + NUL.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../support/realParts';

export const STRICT_C = ['-std=c99', '-Wall', '-Wextra', '-Werror'];
export const STRICT_CXX = ['-std=c++11', '-Wall', '-Wextra', '-Werror'];

/** How the program reads one symbol: an array with NAME_len, or a string/macro with sizeof. */
export interface Symbol {
  name: string;
  size: 'len' | 'sizeof';
}

function program(header: string, symbols: Symbol[]): string {
  const dumps = symbols.map(
    (s) =>
      `  rc |= dump("${s.name}.bin", ${s.name}, ${s.size === 'len' ? `${s.name}_len` : `sizeof(${s.name})`});`,
  );
  return `#include <stdio.h>
#include <stddef.h>
#include "${header}"

static int dump(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return 1;
  if (fwrite(p, 1, n, f) != n) { fclose(f); return 1; }
  return fclose(f) != 0;
}

int main(void) {
  int rc = 0;
${dumps.join('\n')}
  return rc;
}
`;
}

export interface Build {
  /** gcc -std=c99 for everything, or g++ for everything. */
  lang: 'c' | 'c++';
  /** Other generated sources to compile and link (the .c of a split header). */
  sources?: string[];
}

/** Builds and runs the write-back program in `dir`; returns each symbol's bytes. */
export function roundTrip(dir: string, header: string, symbols: Symbol[], build: Build): Map<string, Buffer> {
  const [cc, flags, lang] = build.lang === 'c' ? ['gcc', STRICT_C, 'c'] : ['g++', STRICT_CXX, 'c++'];
  const main = `main_${build.lang === 'c' ? 'c' : 'cpp'}`;
  writeFileSync(join(dir, `${main}.src`), program(header, symbols));
  const objects: string[] = [];
  for (const src of [`${main}.src`, ...(build.sources ?? [])]) {
    const obj = `${src}.${build.lang === 'c' ? 'c' : 'cxx'}.o`;
    run(cc, [...flags, '-x', lang, '-c', src, '-o', obj], { cwd: dir });
    objects.push(obj);
  }
  const exe = `writeback_${build.lang === 'c' ? 'c' : 'cxx'}`;
  run(cc, [...objects, '-o', exe], { cwd: dir });
  run(join(dir, exe), [], { cwd: dir });
  return new Map(symbols.map((s) => [s.name, readFileSync(join(dir, `${s.name}.bin`))]));
}

/** The PEM text of a file plus the NUL mbedTLS needs. */
export function pemWithNul(path: string): Buffer {
  return Buffer.concat([readFileSync(path), Buffer.from([0])]);
}

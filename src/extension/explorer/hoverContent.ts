// What a hover over a PEM block, a C byte array or a C string literal says. Host-neutral (no `vscode`) so
// it is unit-tested in Node; hoverProvider.ts turns it into a vscode.Hover.
import type { FoundObject, ReadProblem, ReadResult, SourceLocation } from '../../core/x509/types';
import { md, objectDescription, tooltipMarkdown, whereText } from '../inspect/certificatePresentation';

export interface HoverContent {
  markdown: string;
  range: SourceLocation['start'] & { endLine: number; endColumn: number };
}

/** Cheap test before parsing a whole document on every mouse move: does it hold anything worth reading? */
export function mayHoldObjects(text: string): boolean {
  return text.includes('-----BEGIN ') || /0x30\s*,\s*0x8[1-3]/i.test(text) || /\\x30\\x8[1-3]/i.test(text);
}

function contains(loc: SourceLocation, line: number, column: number): boolean {
  const afterStart = line > loc.start.line || (line === loc.start.line && column >= loc.start.column);
  const beforeEnd = line < loc.end.line || (line === loc.end.line && column <= loc.end.column);
  return afterStart && beforeEnd;
}

function rangeOf(loc: SourceLocation): HoverContent['range'] {
  return { line: loc.start.line, column: loc.start.column, endLine: loc.end.line, endColumn: loc.end.column };
}

/** The hover for the object (or unreadable block) under the position, if any. */
export function hoverAt(
  result: ReadResult,
  line: number,
  column: number,
  relativePath: string,
  describe: (o: FoundObject['object']) => string,
  now: number,
): HoverContent | undefined {
  const found = result.objects.find((o) => contains(o.location, line, column));
  if (found) {
    const summary = describe(found.object);
    const where = `${whereText(relativePath, found, result.objects.length)} · ${containerText(found.location)}`;
    const markdown = `${tooltipMarkdown(found.object, where, summary)}\n\n${md(objectDescription(found.object, now))}`;
    return { markdown, range: rangeOf(found.location) };
  }
  // A damaged PEM block's problem spans its BEGIN marker; a hover anywhere on that line shows it.
  const problem = result.problems.find(
    (p): p is ReadProblem & { location: SourceLocation } =>
      !!p.location && (contains(p.location, line, column) || p.location.start.line === line),
  );
  if (problem) {
    const markdown = `**Unreadable** — ${md(problem.message)}${problem.fix ? `\n\n${md(problem.fix)}` : ''}`;
    return { markdown, range: rangeOf(problem.location) };
  }
  return undefined;
}

function containerText(loc: SourceLocation): string {
  switch (loc.container) {
    case 'pem':
      return `PEM ${loc.pemLabel ?? ''}`.trim();
    case 'der':
      return 'DER';
    case 'pkcs12':
      return 'PKCS#12';
    case 'c-array':
      return `C byte array${loc.symbol ? ` ${loc.symbol}` : ''}`;
    case 'c-string':
      return `C string${loc.symbol ? ` ${loc.symbol}` : ''}`;
  }
}

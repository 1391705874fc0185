// Turns the check's findings into per-file diagnostics as plain data, and finds the finding behind a
// diagnostic for the Quick Fixes. Host-neutral: diagnosticsProvider.ts maps it to vscode.Diagnostic.
import type { Finding, Range, Severity } from '../../core/check/types';

export const DIAGNOSTIC_SOURCE = 'Embedded TLS';

export interface PlainDiagnostic {
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  finding: Finding;
}

/** A finding about a whole file sits on its first line. */
const WHOLE_FILE: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

/** Findings grouped by file, in a stable order, ready for a DiagnosticCollection. */
export function diagnosticsByFile(findings: readonly Finding[]): Map<string, PlainDiagnostic[]> {
  const out = new Map<string, PlainDiagnostic[]>();
  for (const f of findings) {
    const d: PlainDiagnostic = {
      range: f.range ?? WHOLE_FILE,
      severity: f.severity,
      code: f.code,
      message: f.profile ? `${f.message} (profile ${f.profile})` : f.message,
      finding: f,
    };
    const list = out.get(f.file);
    if (list) list.push(d);
    else out.set(f.file, [d]);
  }
  for (const list of out.values())
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.code.localeCompare(b.code));
  return out;
}

/** The finding a diagnostic came from: same file, code and start line. */
export function findingFor(
  byFile: ReadonlyMap<string, PlainDiagnostic[]>,
  file: string,
  code: string,
  startLine: number,
): Finding | undefined {
  return byFile.get(file)?.find((d) => d.code === code && d.range.start.line === startLine)?.finding;
}

// The HTML of the read-only certificate viewer (DER, PKCS#12): decoded details, no script, no key material.
// Host-neutral so it is unit-tested in Node; the custom editor provider only adds the CSP nonce.
import type { ReadResult, X509Object } from '../../core/x509/types';
import { detailRows, expiryText, objectLabel } from './certificatePresentation';

export interface ViewerInput {
  fileName: string;
  result: ReadResult;
  describe: (o: X509Object) => string;
  now: number;
  /** Nonce for the one inline style block. */
  nonce: string;
  /** Shown instead of the objects, e.g. "Locked: the PKCS#12 password was not given". */
  notice?: string;
  /** The check's findings on this file, as the Problems panel lists them. */
  findings?: Array<{ severity: 'error' | 'warning' | 'info'; message: string; code?: string }>;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function objectSection(o: X509Object, index: number, input: ViewerInput): string {
  const rows = detailRows(o, input.now)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const validity =
    o.kind === 'certificate'
      ? `<p class="validity">${escapeHtml(expiryText(o.notBefore, o.notAfter, input.now))}</p>`
      : '';
  const nested = o.kind === 'pkcs12' ? o.contents.map((c, i) => objectSection(c, i, input)).join('') : '';
  return `<section><h2>${index + 1}. ${escapeHtml(objectLabel(o, input.fileName))}</h2>
<p class="summary">${escapeHtml(input.describe(o))}</p>${validity}
<table>${rows}</table>${nested ? `<div class="nested">${nested}</div>` : ''}</section>`;
}

/** A complete HTML page with a strict CSP: nothing loads, nothing runs. */
export function renderViewerHtml(input: ViewerInput): string {
  const { result } = input;
  const body = input.notice
    ? `<p class="notice">${escapeHtml(input.notice)}</p>`
    : result.objects.length
      ? result.objects.map((f, i) => objectSection(f.object, i, input)).join('\n')
      : '<p class="notice">No certificate, key or CSR was found in this file.</p>';
  const problems = result.problems.length
    ? `<section class="problems"><h2>Problems</h2><ul>${result.problems
        .map((p) => `<li>${escapeHtml(p.message)}${p.fix ? ` — ${escapeHtml(p.fix)}` : ''}</li>`)
        .join('')}</ul></section>`
    : '';
  const findings = input.findings?.length
    ? `<section class="findings"><h2>Findings</h2><ul>${input.findings
        .map(
          (f) =>
            `<li class="${f.severity}"><strong>${f.severity}</strong> ${escapeHtml(f.message)}${f.code ? ` <code>${escapeHtml(f.code)}</code>` : ''}</li>`,
        )
        .join('')}</ul></section>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${input.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(input.fileName)}</title>
<style nonce="${input.nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; }
h1 { font-size: 1.3em; font-weight: 600; } h2 { font-size: 1.1em; margin: 1.4em 0 .3em; }
.summary { margin: .2em 0; } .validity { margin: .2em 0; color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; margin-top: .5em; } th { text-align: left; font-weight: normal; color: var(--vscode-descriptionForeground); padding: 2px 1.5em 2px 0; vertical-align: top; white-space: nowrap; }
td { font-family: var(--vscode-editor-font-family); word-break: break-all; padding: 2px 0; }
.nested { margin-left: 1.5em; border-left: 2px solid var(--vscode-panel-border); padding-left: 1em; }
.notice, .problems, .findings .error strong { color: var(--vscode-errorForeground); }
.findings .warning strong { color: var(--vscode-editorWarning-foreground); }
</style></head>
<body><h1>${escapeHtml(input.fileName)}</h1>
${findings}
${body}
${problems}
</body></html>`;
}

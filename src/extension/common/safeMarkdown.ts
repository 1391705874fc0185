// The only way the extension host turns text into a vscode.MarkdownString. Everything shown in hovers
// and tooltips comes from workspace files, which are untrusted: no command links, no HTML, no icons.
import * as vscode from 'vscode';

/** `value` must already be escaped (md / mdCode in inspect/certificatePresentation.ts). */
export function safeMarkdown(value: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(value, false);
  m.isTrusted = false;
  m.supportHtml = false;
  m.supportThemeIcons = false;
  return m;
}

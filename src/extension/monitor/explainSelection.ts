// "Embedded TLS: Explain Selection": for a log pasted into any editor, the explanation of each recognised line
// appears beside it (after the text), with the causes, fix and the run that tells them apart on hover.
import * as vscode from 'vscode';
import { explain, type ExplainResult } from '../../core/explain';

const decoration = vscode.window.createTextEditorDecorationType({
  after: {
    margin: '0 0 0 2em',
    color: new vscode.ThemeColor('editorCodeLens.foreground'),
    fontStyle: 'italic',
  },
  isWholeLine: false,
});

function hover(r: ExplainResult): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  r.explanations.slice(0, 3).forEach((x, i) => {
    md.appendMarkdown(
      `${i ? '\n\n---\n\n' : ''}**${x.library} \`${x.code}\` ${x.name}**${x.versions ? ` _(${x.versions})_` : ''}\n\n`,
    );
    md.appendText(x.meaning + (x.note ? `\n${x.note}` : ''));
    if (x.kind !== 'other')
      md.appendMarkdown('\n\n' + x.causes.map((c) => `- ${c.replace(/[\\`*_[\]]/g, '\\$&')}`).join('\n'));
    md.appendMarkdown('\n\n**Fix:** ');
    md.appendText(x.fix);
    for (const d of x.diagnose) md.appendMarkdown('\n\n**Tell which:** `' + d.replace(/`/g, "'") + '`');
  });
  return md;
}

/** Explains the selected lines (or the cursor's line); returns what was recognised, per line. */
export async function explainSelection(
  editor = vscode.window.activeTextEditor,
  target?: string,
): Promise<{ line: number; result: ExplainResult }[]> {
  if (!editor) {
    void vscode.window.showInformationMessage('Embedded TLS: open a log and select the lines to explain.');
    return [];
  }
  const found: { line: number; result: ExplainResult }[] = [];
  const ranges = editor.selections.map((s) => (s.isEmpty ? editor.document.lineAt(s.active.line).range : s));
  for (const range of ranges) {
    for (let n = range.start.line; n <= range.end.line; n++) {
      const text = editor.document.lineAt(n).text;
      const result = explain(text, target);
      if (result.explanations.length) found.push({ line: n, result });
    }
  }
  editor.setDecorations(
    decoration,
    found.map(({ line, result }) => {
      const best = result.explanations[0]!;
      const more = result.explanations.length > 1 ? ` (+${result.explanations.length - 1} more)` : '';
      return {
        range: editor.document.lineAt(line).range,
        hoverMessage: hover(result),
        renderOptions: {
          after: { contentText: `⮡ ${best.library} ${best.code} ${best.name}: ${best.meaning}${more}` },
        },
      };
    }),
  );
  if (!found.length)
    void vscode.window.showInformationMessage(
      'Embedded TLS: no error code recognised in the selection. Select the whole log line (e.g. "mbedtls_ssl_handshake returned -0x2700" or "rc=-2").',
    );
  return found;
}

// The MQTT panel's HTML shell: strict CSP (default-src 'none', one script nonce), codicons, one bundle.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export function mqttPanelHtml(webview: vscode.Webview, script: vscode.Uri, codicons: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${webview.asWebviewUri(codicons).toString()}">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 12px 24px; }
h2 { font-size: 1.05em; font-weight: 600; margin: 14px 0 6px; display: flex; align-items: center; gap: 6px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 6px 12px; align-items: end; }
.row { display: flex; gap: 8px; align-items: end; flex-wrap: wrap; margin: 6px 0; }
.row > .field { flex: 0 1 220px; } .row > .field.small { flex: 0 1 110px; }
.chip { display: inline-flex; gap: 2px; align-items: center; }
.grid.compact { grid-template-columns: minmax(160px, 2fr) repeat(2, minmax(90px, 1fr)) auto; }
.field { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.field > span { font-size: .9em; color: var(--vscode-descriptionForeground); }
.field > vscode-textfield, .field > vscode-single-select, .field > vscode-textarea { width: 100%; min-width: 0; box-sizing: border-box; }
.wide { grid-column: 1 / -1; }
.status { display: flex; align-items: center; gap: 6px; margin: 8px 0; }
.status.connected { color: var(--vscode-testing-iconPassed, #3fb950); }
.warning { color: var(--vscode-editorWarning-foreground); display: flex; gap: 6px; align-items: center; margin: 4px 0; }
.diagnosis { border-left: 3px solid var(--vscode-editorError-foreground); padding: 4px 10px; margin: 8px 0; background: var(--vscode-inputValidation-errorBackground, transparent); }
.diagnosis code { font-weight: 600; }
.diagnosis .board-line { font-family: var(--vscode-editor-font-family); margin: 2px 0 6px; white-space: pre-wrap; }
.hint { opacity: 0.8; margin: 4px 0; }
.file { font-size: .9em; color: var(--vscode-descriptionForeground); word-break: break-all; }
.file.problem { color: var(--vscode-editorWarning-foreground); }
/* The list and the tree draw only the rows in view: fixed 20px rows placed by transform. */
.log, .topics { position: relative; height: 320px; overflow: auto; contain: strict; border: 1px solid var(--vscode-panel-border); font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
.topics { height: 240px; }
.log .spacer, .topics .spacer { width: 1px; }
.log .entry, .topics .node { position: absolute; top: 0; left: 0; right: 0; height: 20px; line-height: 20px; padding: 0 6px; box-sizing: border-box; cursor: pointer; display: flex; gap: 8px; white-space: nowrap; overflow: hidden; }
.log .entry.selected { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
.log .entry .codicon, .topics .twisty { line-height: 20px; flex: none; }
.log .time, .topics .count, .topics .rate { color: var(--vscode-descriptionForeground); flex: none; }
.log .topic, .topics .name { font-weight: 600; flex: none; }
.log .payload, .topics .last { overflow: hidden; text-overflow: ellipsis; flex: 1; }
.log .badge { color: var(--vscode-descriptionForeground); flex: none; }
.topics .twisty { width: 16px; }
.topics .gaps { color: var(--vscode-editorWarning-foreground); flex: none; }
.counts { color: var(--vscode-descriptionForeground); margin: 4px 0; }
pre.viewer { white-space: pre-wrap; word-break: break-all; font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 6px; max-height: 260px; overflow: auto; }
table.chain { border-collapse: collapse; } table.chain td, table.chain th { text-align: left; padding: 1px 12px 1px 0; }
</style>
<title>MQTT TLS Test Client</title></head>
<body><div id="app"></div>
<script nonce="${nonce}" src="${webview.asWebviewUri(script).toString()}"></script>
</body></html>`;
}

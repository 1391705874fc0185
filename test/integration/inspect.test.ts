// Integration: "Embedded TLS: Inspect Certificate…" decodes a certificate from the fixture workspace.
// Runs inside VS Code's extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixtureUri, screenshot } from './support';

/** What the inspect command returns to callers (and tests) besides showing the view. */
interface InspectResult {
  file: string;
  summary: string[];
}

describe('inspect certificate', () => {
  it('shows the decoded subject and issuer of certs/device-01.pem', async () => {
    const uri = fixtureUri('certs/device-01.pem');
    const result = await vscode.commands.executeCommand<InspectResult | undefined>(
      'embeddedTls.inspectCertificate',
      uri,
    );
    assert.ok(result, 'the inspect command returned nothing');
    assert.equal(result.file, uri.fsPath);
    const text = result.summary.join('\n');
    assert.match(text, /CN=device-01/, 'the summary should name the subject');
    assert.match(text, /Dev CA/, 'the summary should name the issuer');
    // A clean picture for the docs: no toasts or terminal from earlier tests.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await screenshot('inspect');
  });

  it('decodes the certificate pasted into main/certs.c', async () => {
    const result = await vscode.commands.executeCommand<InspectResult | undefined>(
      'embeddedTls.inspectCertificate',
      fixtureUri('main/certs.c'),
    );
    assert.ok(result, 'the inspect command returned nothing');
    assert.ok(result.summary.length >= 2, `expected two objects, got: ${result.summary.join(' | ')}`);
    const text = result.summary.join('\n');
    assert.match(text, /CN=device-01/, 'the byte array holds the device certificate');
    assert.match(text, /CN=Dev CA/, 'the PEM string literal holds the CA');
  });
});

// Integration: "Create Development PKI", a conversion, PKCS#12 import and the local TLS broker, driven
// through their commands with arguments instead of dialogs. Runs inside VS Code's extension host.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri } from './support';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function mosquittoPub(args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('mosquitto_pub', args, { timeout: 30_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`mosquitto_pub failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

describe('development PKI, conversions and local broker', () => {
  let dir = '';
  before(async () => {
    await extensionApi();
    dir = mkdtempSync(join(tmpdir(), 'etls-it-pki-'));
  });
  after(async () => {
    await vscode.commands.executeCommand('embeddedTls.stopLocalBroker');
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a PKI with 0600 keys and a mosquitto.conf', async () => {
    const result = await vscode.commands.executeCommand<{ confPath: string } | undefined>(
      'embeddedTls.createDevelopmentPki',
      {
        outDir: join(dir, 'pki'),
        brokerHosts: ['localhost'],
        brokerIps: ['127.0.0.1'],
        devices: ['it-device'],
        keyType: 'p256',
      },
    );
    assert.ok(result, 'the command returned nothing');
    assert.match(readFileSync(result.confPath, 'utf8'), /^require_certificate true$/m);
    assert.equal(statSync(join(dir, 'pki', 'it-device.key')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(dir, 'pki', 'it-device.pem'), 'utf8'), /BEGIN CERTIFICATE/);
  });

  it('converts a certificate to DER beside a chosen output', async () => {
    const out = join(dir, 'ca.der');
    const written = await vscode.commands.executeCommand<string[]>(
      'embeddedTls.convertToDer',
      fixtureUri('certs/ca.pem'),
      { output: out },
    );
    assert.deepEqual(written, [out]);
    const pem = readFileSync(fixtureUri('certs/ca.pem').fsPath, 'utf8');
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    assert.deepEqual(readFileSync(out), Buffer.from(body, 'base64'));
  });

  it('imports the fixture PKCS#12 into certificate, key (0600) and chain', async () => {
    const written = await vscode.commands.executeCommand<string[]>(
      'embeddedTls.importPkcs12',
      fixtureUri('certs/device-01.p12'),
      {
        output: join(dir, 'imported'),
        passphrase: 'secret',
      },
    );
    assert.ok(
      written.includes(join(dir, 'imported.pem')) && written.includes(join(dir, 'imported.key')),
      written.join(', '),
    );
    assert.equal(statSync(join(dir, 'imported.key')).mode & 0o777, 0o600);
  });

  it('starts the local TLS broker on a chosen port; a device certificate gets in; Stop stops it', async () => {
    const port = await freePort();
    const started = await vscode.commands.executeCommand<{ port: number } | { error: string } | undefined>(
      'embeddedTls.startLocalBroker',
      vscode.Uri.file(join(dir, 'pki', 'mosquitto.conf')),
      { port, bindAddress: '127.0.0.1' },
    );
    assert.ok(
      started && 'port' in started,
      `the broker did not start: ${started && 'error' in started ? started.error : 'no result'}`,
    );
    assert.equal(started.port, port);
    const pki = join(dir, 'pki');
    await mosquittoPub([
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '--cafile',
      join(pki, 'ca.pem'),
      '--cert',
      join(pki, 'it-device.pem'),
      '--key',
      join(pki, 'it-device.key'),
      '-t',
      'it',
      '-m',
      'hi',
    ]);
    await vscode.commands.executeCommand('embeddedTls.stopLocalBroker');
    await assert.rejects(
      mosquittoPub([
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '--cafile',
        join(pki, 'ca.pem'),
        '--cert',
        join(pki, 'it-device.pem'),
        '--key',
        join(pki, 'it-device.key'),
        '-t',
        'it',
        '-m',
        'hi',
      ]),
    );
  });
});

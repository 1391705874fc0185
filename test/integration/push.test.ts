// Integration: Push Certificates to Board… inside VS Code, over a socat pty pair to the C receiver (gcc).
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PushReport } from '../../src/core/push';
import { ptyPair, type SocatPtys } from '../support/push/ptyPair';
import { buildReceiver } from '../support/push/receiverBuild';
import { FirmwareUpdaterBoard } from '../support/push/firmwareUpdaterBoard';
import { EXTENSION_ID, extensionApi, fixtureUri } from './support';

describe('Push Certificates to Board', () => {
  let ptys: SocatPtys | undefined;
  let receiver: ChildProcess | undefined;
  let root: string;

  before(async function () {
    this.timeout(120_000);
    await extensionApi();
    const rx = await buildReceiver();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'etls-it-board-'));
    ptys = await ptyPair();
    receiver = spawn(rx.posix, ['--tty', ptys.paths[1]!, '--root', root], { stdio: 'ignore' });
  });

  after(async () => {
    receiver?.kill('SIGKILL');
    await ptys?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('is in the Embedded TLS category and needs a trusted workspace', () => {
    const commands = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as {
      command: string;
      category: string;
      enablement?: string;
    }[];
    const push = commands.find((c) => c.command === 'embeddedTls.pushCertificatesToBoard');
    assert.equal(push?.category, 'Embedded TLS');
    assert.equal(push?.enablement, 'isWorkspaceTrusted');
  });

  it('pushes the files selected in the explorer and returns the verified report', async () => {
    const cert = fixtureUri('certs/device-01.pem');
    const key = fixtureUri('certs/device-01.key');
    const report = await vscode.commands.executeCommand<PushReport | undefined>(
      'embeddedTls.pushCertificatesToBoard',
      cert,
      [cert, key],
      { port: ptys!.paths[0], protocol: 'etls-frame', remotes: ['device.pem', 'device.key'], baud: 921600 },
    );
    assert.equal(report?.files.length, 2);
    assert.deepEqual(fs.readFileSync(path.join(root, 'device.pem')), fs.readFileSync(cert.fsPath));
    assert.deepEqual(fs.readFileSync(path.join(root, 'device.key')), fs.readFileSync(key.fsPath));
    assert.equal(fs.statSync(path.join(root, 'device.key')).mode & 0o777, 0o600);
  });

  it('pushes a root CA into a simulated WiFiNINA module with options first (the Quick Fix form)', async function () {
    this.timeout(60_000);
    const board = await FirmwareUpdaterBoard.start('nina', 921600);
    try {
      const ca = fixtureUri('certs/ca.pem');
      const report = await vscode.commands.executeCommand<PushReport | undefined>(
        'embeddedTls.pushCertificatesToBoard',
        { port: board.hostPath, protocol: 'wifinina-roots', files: [ca.fsPath], merge: false, baud: 921600 },
      );
      assert.equal(report?.moduleRoots?.length, 1);
      assert.match(report!.files[0]!.verifiedBy, /MD5 of \d+ bytes at 0x10000 matches/);
      const text = board.textAt(0x10000);
      const caText = fs.readFileSync(ca.fsPath, 'latin1');
      assert.equal(text.replace(/\s/g, ''), caText.slice(caText.indexOf('-----BEGIN')).replace(/\s/g, ''));
    } finally {
      await board.dispose();
    }
  });
});

// Integration: Explain Selection on a pasted log, and Open Board Monitor on a socat pty with a fake ESP32.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplainResult } from '../../src/core/explain';
import * as fs from 'node:fs';
import type { BoardMonitorTerminal } from '../../src/extension/monitor/boardMonitor';
import { ptyPair, type SocatPtys } from '../support/push/ptyPair';
import { EXTENSION_ID, extensionApi, waitFor } from './support';

describe('Board errors explained', () => {
  let ptys: SocatPtys | undefined;

  before(async function () {
    this.timeout(60_000);
    await extensionApi();
    ptys = await ptyPair();
  });

  after(async () => {
    await ptys?.dispose();
  });

  it('contributes both commands in the Embedded TLS category', () => {
    const commands = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as {
      command: string;
      category: string;
    }[];
    for (const id of ['embeddedTls.openBoardMonitor', 'embeddedTls.explainSelection'])
      assert.equal(commands.find((c) => c.command === id)?.category, 'Embedded TLS', id);
  });

  it('explains the selected lines of a pasted log', async () => {
    const doc = await vscode.workspace.openTextDocument({
      content: [
        'I (312) wifi:connected with home',
        'E (5123) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x2700',
        'Attempting MQTT connection...failed, rc=-2 try again in 5 seconds',
      ].join('\n'),
    });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 2, 10);
    const found = await vscode.commands.executeCommand<{ line: number; result: ExplainResult }[]>(
      'embeddedTls.explainSelection',
    );
    assert.deepEqual(
      found.map((f) => [f.line, f.result.explanations[0]?.name]),
      [
        [1, 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED'],
        [2, 'MQTT_CONNECT_FAILED'],
      ],
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens a terminal on the port that shows the board and explains its errors', async function () {
    this.timeout(60_000);
    const pty = await vscode.commands.executeCommand<BoardMonitorTerminal | undefined>(
      'embeddedTls.openBoardMonitor',
      {
        port: ptys!.paths[1],
        baud: 115200,
        target: 'esp32',
      },
    );
    assert.ok(pty, 'the monitor did not open');
    await waitFor(() => pty.transcript.includes('Board monitor:'), 10_000, 'the terminal to open');
    // The fake board: the other end of the pty pair, written as a file.
    // Non-blocking: until the monitor reads, the pty's buffer fills, and a blocking write would stall
    // this extension host (and the monitor in it) for good.
    const { O_WRONLY, O_NONBLOCK, O_NOCTTY } = fs.constants;
    const board = fs.openSync(ptys!.paths[0]!, O_WRONLY | O_NONBLOCK | O_NOCTTY);
    let lastWrite = 0;
    try {
      await waitFor(
        async () => {
          if (Date.now() - lastWrite >= 1000) {
            lastWrite = Date.now();
            try {
              fs.writeSync(board, 'E (5123) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x2700\r\n');
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
            }
          }
          return pty.transcript.includes('MBEDTLS_ERR_X509_CERT_VERIFY_FAILED');
        },
        20_000,
        'the explanation in the terminal',
      );
      assert.match(pty.transcript, /returned -0x2700\r\n\x1b\[36m {2}⮡ etls: mbedtls -0x2700/);
    } finally {
      fs.closeSync(board);
      pty.close();
      // Only the monitor's own terminal: "kill all" waits on terminals other suites left (a task's
      // shell asks before it is ended) and never returns.
      for (const t of vscode.window.terminals) if (t.name.startsWith('Board: ')) t.dispose();
    }
  });
});

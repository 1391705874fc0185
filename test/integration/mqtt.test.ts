// Integration: the MQTT test client panel connects to a real mosquitto (TLS, client certificates from the
// fixture workspace) and shows a message published by mosquitto_pub. Runs inside VS Code's extension host.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startMosquitto, type RunningBroker } from '../e2e/mqtt/support/broker';
import { extensionApi, fixtureUri, screenshot, waitFor, workspaceDir } from './support';

function mosquittoPub(args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('mosquitto_pub', args, { timeout: 30_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`mosquitto_pub failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

/** mosquitto_pub -l: one message per line of `lines`, fed on its standard input. */
function mosquittoPubLines(args: string[], lines: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('mosquitto_pub', [...args, '-l'], { timeout: 30_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`mosquitto_pub -l failed: ${stderr || err.message}`)) : resolve(),
    );
    child.stdin!.end(lines);
  });
}

/** What the panel counted and what its webview last said it shows, for a timeout's message. */
async function panelCounts(): Promise<string> {
  return JSON.stringify((await extensionApi()).mqtt.counts());
}

describe('MQTT test client panel', () => {
  let broker: RunningBroker | undefined;
  let dir = '';
  const cert = (name: string) => join(workspaceDir(), 'certs', name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'etls-it-mqtt-'));
    broker = await startMosquitto(
      dir,
      'panel',
      `cafile ${cert('ca.pem')}\ncertfile ${cert('broker.pem')}\nkeyfile ${cert('broker.key')}\nrequire_certificate true`,
      // The flood test counts exactly: the broker queues the whole burst instead of dropping beyond 1000.
      'max_queued_messages 0',
    );
  });

  after(async () => {
    const api = await extensionApi();
    await api.mqtt.request({ kind: 'disconnect' }).catch(() => undefined);
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the only device profile when opened with none named, and lists only files of each kind', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('embeddedTls.openMqttClient');
    await waitFor(() => api.mqtt.state().visible, 20_000, 'the MQTT panel to be visible');
    // A blank form (no file picked), then the palette command with no argument.
    for (const role of ['ca', 'cert', 'key'] as const)
      await api.mqtt.request({ kind: 'setFile', role, path: '' });
    await vscode.commands.executeCommand('embeddedTls.openMqttClient');
    const s = api.mqtt.state();
    assert.equal(s.form.caFile, 'certs/ca.pem');
    assert.equal(s.form.certFile, 'certs/device-01.pem');
    assert.equal(s.form.keyFile, 'certs/device-01.key');
    const { ca, cert, key } = s.candidates;
    assert.ok(
      ca.includes('certs/ca.pem') &&
        !ca.includes('certs/device-01.pem') &&
        !ca.includes('certs/device-01.key'),
    );
    assert.ok(
      cert.includes('certs/device-01.pem') &&
        !cert.includes('certs/ca.pem') &&
        !cert.includes('certs/device-01.key'),
    );
    assert.ok(
      key.includes('certs/device-01.key') &&
        !key.includes('certs/ca.pem') &&
        !key.includes('certs/device-01.pem'),
    );
  });

  it('opens from the device profile, connects with the project certificates and logs a message from mosquitto_pub', async () => {
    const api = await extensionApi();
    await vscode.window.showTextDocument(fixtureUri('embedded-tls.json'), {
      viewColumn: vscode.ViewColumn.One,
    });
    await vscode.commands.executeCommand('embeddedTls.openMqttClient', 'device-01');
    await waitFor(() => api.mqtt.state().visible, 20_000, 'the MQTT panel to be visible');
    const form = api.mqtt.state().form;
    assert.equal(form.caFile, 'certs/ca.pem');
    assert.equal(form.keyFile, 'certs/device-01.key');
    const files = api.mqtt.state().files;
    assert.ok(
      files.some((f) => f.role === 'cert' && /device-01/.test(f.summary) && f.fingerprint),
      'the certificate is summarised with a fingerprint',
    );
    assert.ok(
      files.every((f) => !/BEGIN|PRIVATE KEY-----/.test(JSON.stringify(f))),
      'no key material in the state sent to the webview',
    );

    await api.mqtt.request({ kind: 'subscribe', topic: 'sensors/#', qos: 1 });
    await api.mqtt.request({ kind: 'connect', form: { ...form, port: broker!.port } });
    const connected = api.mqtt.state();
    assert.equal(connected.status, 'connected', JSON.stringify(connected.diagnosis));
    assert.match(connected.tls?.verifiedBy ?? '', /ca\.pem: Dev CA/);
    // The profile's target is an ESP32: the panel ran its own mbedTLS 3.6 (in WebAssembly) by default.
    assert.equal(connected.boardStacks['esp32'], 'mbedTLS 3.6');
    assert.notEqual(form.runAsBoard, false);
    assert.match(connected.tls?.verifiedBy ?? '', /\(mbedTLS 3\.6\.\d+\)/);
    assert.equal(connected.subscriptions[0]?.granted, 1);

    // The panel's own publish (hex) comes back through the subscription, then mosquitto_pub's JSON.
    await api.mqtt.request({
      kind: 'publish',
      topic: 'sensors/lab/led',
      payload: '01 ff',
      format: 'hex',
      qos: 1,
      retain: false,
    });
    await mosquittoPub([
      '-h',
      'localhost',
      '-p',
      String(broker!.port),
      '--cafile',
      cert('ca.pem'),
      '--cert',
      cert('device-01.pem'),
      '--key',
      cert('device-01.key'),
      '-q',
      '1',
      '-t',
      'sensors/lab/temperature',
      '-m',
      '{"celsius":21.5,"board":"device-01"}',
    ]);
    const entry = await waitFor(
      () => api.mqtt.state().log.find((e) => e.topic === 'sensors/lab/temperature'),
      20_000,
      'the published message in the log',
    );
    assert.equal(
      Buffer.from(entry.payloadBase64, 'base64').toString(),
      '{"celsius":21.5,"board":"device-01"}',
    );
    // The webview acknowledges every update it draws; a slow start of the editor may delay the first.
    await waitFor(
      () => api.mqtt.counts().shown >= 3,
      45_000,
      async () =>
        `the webview to draw the published, echoed and received messages; counts: ${await panelCounts()}`,
    );
    // Room for the panel in the README picture: no side bar or bottom panel.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('notifications.clearAll');
    await screenshot('mqtt-panel');
  });

  it('counts a flood of 2,000 messages exactly, clears at once and lists the topics in its tree', async () => {
    const api = await extensionApi();
    assert.equal(api.mqtt.state().status, 'connected');
    const before = api.mqtt.counts().received;
    let received = 0;
    const listener = api.mqtt.client.on('message', () => received++);
    try {
      // Four bounded publishers, 500 numbered lines each, one topic each.
      const lines = Array.from({ length: 500 }, (_, i) => `{"seq":${i},"v":${i % 7}}`).join('\n') + '\n';
      const tls = [
        '--cafile',
        cert('ca.pem'),
        '--cert',
        cert('device-01.pem'),
        '--key',
        cert('device-01.key'),
      ];
      await api.mqtt.request({ kind: 'sequenceField', field: 'seq' });
      await Promise.all(
        [0, 1, 2, 3].map((n) =>
          mosquittoPubLines(
            ['-h', 'localhost', '-p', String(broker!.port), ...tls, '-q', '1', '-t', `sensors/flood/${n}`],
            lines,
          ),
        ),
      );
      await waitFor(
        () => received >= 2000,
        30_000,
        () => `2000 messages at the client, got ${received}`,
      );
      // The totals the webview shows are the client's own count: no message lost between them.
      await waitFor(
        () => {
          const c = api.mqtt.counts();
          return c.received === before + received && c.shownReceived === c.received;
        },
        20_000,
        async () => `the webview to show ${before + received} received; counts: ${await panelCounts()}`,
      );
      assert.equal(received, 2000);
      const counts = api.mqtt.counts();
      assert.equal(counts.dropped, 0);
      assert.equal(counts.missing, 0, 'the sequence check finds no gap in a complete flood');
      // The tree lists every topic: the four flood topics and the two of the earlier test.
      await waitFor(
        () => api.mqtt.counts().shownTopics >= 6,
        20_000,
        async () => `the topic tree to list 6 topics; counts: ${await panelCounts()}`,
      );
      assert.equal(api.mqtt.counts().shownTopics, api.mqtt.counts().topics);
      assert.equal(api.mqtt.counts().shown, 1000, 'the list holds the newest 1,000 rows');

      await api.mqtt.request({ kind: 'clearLog' });
      // Clear bypasses the frame and the acknowledgement: the host's history is empty on return.
      assert.equal(api.mqtt.counts().stored, 0);
      assert.equal(api.mqtt.state().log.length, 0);
      await waitFor(
        () => api.mqtt.counts().shown === 0,
        10_000,
        async () => `the webview to empty its list; counts: ${await panelCounts()}`,
      );
      assert.equal(api.mqtt.counts().received, before + received, 'Clear empties the list, the totals go on');

      const out = join(dir, 'export.jsonl');
      await mosquittoPub([
        '-h',
        'localhost',
        '-p',
        String(broker!.port),
        ...tls,
        '-q',
        '1',
        '-t',
        'sensors/after',
        '-m',
        '{"seq":0}',
      ]);
      await waitFor(() => api.mqtt.counts().stored === 1, 20_000, 'the message after Clear in the history');
      assert.equal(await api.mqtt.exportHistory(out), 1);
      const exported = readFileSync(out, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { topic: string; payload: string });
      assert.deepEqual(
        exported.map((e) => [e.topic, e.payload]),
        [['sensors/after', '{"seq":0}']],
      );
    } finally {
      listener.dispose();
      await api.mqtt.request({ kind: 'sequenceField', field: '' });
    }
  });

  it('explains a wrong CA file with a stable code instead of connecting', async () => {
    const api = await extensionApi();
    await api.mqtt.request({ kind: 'disconnect' });
    const form = { ...api.mqtt.state().form, caFile: 'certs/broker.pem', port: broker!.port };
    await api.mqtt.request({ kind: 'connect', form });
    const s = api.mqtt.state();
    assert.equal(s.status, 'disconnected');
    assert.equal(s.diagnosis?.code, 'server-cert-untrusted');
    assert.match(s.diagnosis?.fix ?? '', /Dev CA/);
    // The board's own line, as its serial log shows it, beside our explanation.
    assert.equal(s.diagnosis?.libraryError?.line, 'mbedtls_ssl_handshake returned -0x2700');
    assert.deepEqual(s.diagnosis?.libraryError?.verifyFlags, ['MBEDTLS_X509_BADCERT_NOT_TRUSTED']);
  });

  it('with "Run as the board" off, the same connection uses desktop TLS', async () => {
    const api = await extensionApi();
    const form = {
      ...api.mqtt.state().form,
      caFile: 'certs/broker.pem',
      port: broker!.port,
      runAsBoard: false,
    };
    await api.mqtt.request({ kind: 'connect', form });
    const s = api.mqtt.state();
    assert.equal(s.diagnosis?.code, 'server-cert-untrusted');
    assert.equal(s.diagnosis?.libraryError, undefined);
  });

  it('refuses malformed requests from the webview side', async () => {
    const api = await extensionApi();
    await assert.rejects(
      api.mqtt.request({ kind: 'subscribe', topic: '', qos: 1 }),
      /invalid MQTT panel request/,
    );
  });

  it('offers the profiles of the project nearest the open file, with its paths resolved from there', async () => {
    const api = await extensionApi();
    const fw = join(workspaceDir(), 'nested', 'fw');
    mkdirSync(join(fw, 'certs'), { recursive: true });
    try {
      for (const f of ['ca.pem', 'device-01.pem', 'device-01.key'])
        copyFileSync(cert(f), join(fw, 'certs', f));
      const nested = {
        version: 1,
        profiles: {
          'nested-dev': {
            broker: { host: 'nested.example', port: 8883 },
            ca: 'certs/ca.pem',
            cert: 'certs/device-01.pem',
            key: 'certs/device-01.key',
          },
        },
      };
      writeFileSync(join(fw, 'embedded-tls.json'), JSON.stringify(nested, null, 2));
      writeFileSync(join(fw, 'main.c'), 'int main(void) { return 0; }\n');
      await vscode.window.showTextDocument(vscode.Uri.file(join(fw, 'main.c')), {
        viewColumn: vscode.ViewColumn.One,
      });
      await vscode.commands.executeCommand('embeddedTls.openMqttClient', 'nested-dev');
      let state = api.mqtt.state();
      assert.equal(state.form.host, 'nested.example');
      assert.equal(state.form.caFile, join('nested', 'fw', 'certs', 'ca.pem'));
      assert.deepEqual(
        state.profiles.filter((p) => p.source === 'project').map((p) => p.name),
        ['nested-dev'],
      );
      assert.ok(
        state.files.some((f) => f.role === 'cert' && /device-01/.test(f.summary)),
        "the nested profile's certificate is found and summarised",
      );

      // The CodeLens above a profile names its project file: that project wins over the editor's.
      await vscode.commands.executeCommand(
        'embeddedTls.openMqttClient',
        'device-01',
        fixtureUri('embedded-tls.json'),
      );
      state = api.mqtt.state();
      assert.equal(state.form.caFile, 'certs/ca.pem');
      assert.ok(state.profiles.some((p) => p.source === 'project' && p.name === 'device-01'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(join(workspaceDir(), 'nested'), { recursive: true, force: true });
    }
  });
});

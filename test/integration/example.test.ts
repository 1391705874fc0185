// Integration: the first run of examples/esp32-mqtt-tls as `npm start` prepares it (certs/ made by
// `etls pki init`, with its mosquitto.conf). Start Local TLS Broker, then the MQTT TLS Test Client from
// the example's profile, Connect, and a message round trip, with no file picked by hand. Runs inside VS
// Code's extension host, in the harness's "example" layout only.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, waitFor } from './support';

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

describe('example project', () => {
  after(async () => {
    const api = await extensionApi();
    await api.mqtt.request({ kind: 'disconnect' }).catch(() => undefined);
    await vscode.commands.executeCommand('embeddedTls.stopLocalBroker');
  });

  it('has the PKI npm start makes: CA with its key, broker, device and mosquitto.conf', () => {
    for (const f of ['ca.pem', 'ca.key', 'broker.pem', 'broker.key', 'esp32-devkit.pem', 'mosquitto.conf'])
      assert.ok(existsSync(fixtureUri(`certs/${f}`).fsPath), `certs/${f} is missing`);
  });

  it('Start Local TLS Broker, open the test client from the profile, Connect and round-trip a message', async () => {
    const api = await extensionApi();
    const port = await freePort();
    // No mosquitto.conf is given: the command finds the one of the project's PKI folder.
    const started = await vscode.commands.executeCommand<{ port: number } | { error: string } | undefined>(
      'embeddedTls.startLocalBroker',
      undefined,
      { port },
    );
    assert.ok(
      started && 'port' in started,
      `the broker did not start: ${started && 'error' in started ? started.error : 'no result (a dialog?)'}`,
    );

    // "Open in MQTT Test Client" on embedded-tls.json: its only profile, its files.
    await vscode.commands.executeCommand('embeddedTls.openMqttClient', fixtureUri('embedded-tls.json'));
    await waitFor(() => api.mqtt.state().visible, 20_000, 'the MQTT panel to be visible');
    const form = api.mqtt.state().form;
    assert.equal(form.caFile, 'certs/ca.pem');
    assert.equal(form.certFile, 'certs/esp32-devkit.pem');
    assert.equal(form.keyFile, 'certs/esp32-devkit.key');
    assert.equal(form.host, 'localhost');

    await api.mqtt.request({ kind: 'subscribe', topic: 'devices/#', qos: 1 });
    // Only the port differs from the profile: the test's broker must not take a port in use.
    await api.mqtt.request({ kind: 'connect', form: { ...form, port } });
    const connected = api.mqtt.state();
    assert.equal(connected.status, 'connected', JSON.stringify(connected.diagnosis));
    assert.match(connected.tls?.verifiedBy ?? '', /ca\.pem/);

    await api.mqtt.request({
      kind: 'publish',
      topic: 'devices/esp32-devkit/hello',
      payload: 'hello over TLS',
      format: 'text',
      qos: 1,
      retain: false,
    });
    const entry = await waitFor(
      () =>
        api.mqtt.state().log.find((e) => e.topic === 'devices/esp32-devkit/hello' && e.direction === 'in'),
      20_000,
      () => `the message to come back; log: ${JSON.stringify(api.mqtt.state().log.map((e) => e.topic))}`,
    );
    assert.equal(Buffer.from(entry.payloadBase64, 'base64').toString(), 'hello over TLS');
  });
});

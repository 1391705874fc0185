// The host's guard on webview messages, and the shared payload/topic helpers both sides use.
import { strict as assert } from 'node:assert';
import { boardStackLabels, settingsFromForm } from '../../../src/extension/mqtt/mqttForm';
import { parseWebviewMessage } from '../../../src/extension/mqtt/mqttMessages';
import {
  defaultForm,
  encodePayload,
  toHex,
  topicMatches,
  base64ToBytes,
  bytesToBase64,
} from '../../../src/shared/protocol';

const req = (request: unknown, id: unknown = 1) => parseWebviewMessage({ type: 'request', id, request });

describe('MQTT panel messages', () => {
  it('accepts the handshake and well-formed requests', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.ok(req({ kind: 'connect', form: defaultForm, password: 'pw' }));
    assert.ok(req({ kind: 'subscribe', topic: 'sensors/#', qos: 1 }));
    assert.ok(req({ kind: 'publish', topic: 'a/b', payload: '{}', format: 'json', qos: 0, retain: true }));
    assert.ok(req({ kind: 'setFile', role: 'key', path: 'certs/device.key' }));
    assert.ok(parseWebviewMessage({ type: 'formChanged', form: { ...defaultForm, target: 'cc3200' } }));
  });

  it('accepts the feed controls and acknowledgements, and nothing that would let the webview pick a file', () => {
    assert.ok(req({ kind: 'pause', paused: true }));
    assert.ok(req({ kind: 'exportLog' }));
    assert.ok(req({ kind: 'sequenceField', field: 'seq' }));
    assert.ok(req({ kind: 'sequenceField', field: '' }));
    assert.equal(req({ kind: 'pause', paused: 'yes' }), undefined);
    assert.equal(req({ kind: 'sequenceField', field: 'a"b' }), undefined);
    assert.equal(req({ kind: 'sequenceField', field: 'x'.repeat(101) }), undefined);
    // The export target comes from the host's save dialog; a path from the webview is ignored.
    assert.deepEqual(req({ kind: 'exportLog', path: '/etc/passwd' })?.type, 'request');
    assert.deepEqual(parseWebviewMessage({ type: 'payload', id: 7 }), { type: 'payload', id: 7 });
    assert.equal(parseWebviewMessage({ type: 'payload', id: -7 }), undefined);
    assert.deepEqual(
      parseWebviewMessage({ type: 'rendered', logCount: 3, seq: 9, topics: 2, received: 40 }),
      {
        type: 'rendered',
        logCount: 3,
        seq: 9,
        topics: 2,
        received: 40,
      },
    );
    assert.equal(parseWebviewMessage({ type: 'rendered', logCount: 3, seq: 'next' }), undefined);
    assert.equal(
      parseWebviewMessage({ type: 'rendered', logCount: 3, probe: { drawnAt: 'now' } }),
      undefined,
    );
  });

  it('rejects anything out of shape or range', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'nope' },
      { type: 'request', id: -1, request: { kind: 'disconnect' } },
      { type: 'request', id: 1.5, request: { kind: 'disconnect' } },
      { type: 'request', id: 1, request: { kind: 'eval', code: 'x' } },
      { type: 'rendered', logCount: 'many' },
    ];
    for (const b of bad) assert.equal(parseWebviewMessage(b), undefined, JSON.stringify(b));
    assert.equal(req({ kind: 'subscribe', topic: '', qos: 1 }), undefined);
    assert.equal(req({ kind: 'subscribe', topic: 'a', qos: 3 }), undefined);
    assert.equal(
      req({ kind: 'publish', topic: 'a/#', payload: '', format: 'text', qos: 0, retain: false }),
      undefined,
      'no wildcards in a publish topic',
    );
    assert.equal(
      req({
        kind: 'publish',
        topic: 'a',
        payload: 'x'.repeat(2 * 1024 * 1024),
        format: 'text',
        qos: 0,
        retain: false,
      }),
      undefined,
    );
    assert.equal(req({ kind: 'setFile', role: 'secret', path: 'x' }), undefined);
    assert.equal(req({ kind: 'connect', form: { ...defaultForm, port: 70000 } }), undefined);
    assert.equal(req({ kind: 'connect', form: { ...defaultForm, target: 'toaster' } }), undefined);
    assert.equal(req({ kind: 'connect', form: { ...defaultForm, rejectUnauthorized: 'no' } }), undefined);
    assert.equal(req({ kind: 'connect', form: { ...defaultForm, host: 'a\0b' } }), undefined);
    assert.equal(req({ kind: 'saveProfile', name: '  ', form: defaultForm }), undefined);
  });

  it('encodes text, JSON and hex payloads and says what is wrong', () => {
    assert.deepEqual([...encodePayload('01 ff:7A', 'hex')], [1, 255, 122]);
    assert.deepEqual([...encodePayload('0x01,0x02', 'hex')], [1, 2]);
    assert.throws(() => encodePayload('abc', 'hex'), /pairs of hex digits/);
    assert.throws(() => encodePayload('{oops', 'json'), /not valid JSON/);
    assert.equal(new TextDecoder().decode(encodePayload('héllo', 'text')), 'héllo');
    assert.equal(toHex(new Uint8Array([0, 16, 255])), '00 10 ff');
    const bytes = new Uint8Array([0, 1, 254, 255]);
    assert.deepEqual([...base64ToBytes(bytesToBase64(bytes))], [...bytes]);
  });

  it('matches MQTT topic filters for the log', () => {
    assert.ok(topicMatches('sensors/#', 'sensors/lab/temp'));
    assert.ok(topicMatches('sensors/+/temp', 'sensors/lab/temp'));
    assert.ok(!topicMatches('sensors/+/temp', 'sensors/lab/humidity'));
    assert.ok(!topicMatches('sensors/+', 'sensors/lab/temp'));
    assert.ok(topicMatches('', 'anything'));
  });
});

describe('MQTT panel form to connection settings', () => {
  it('splits ALPN, drops empty optional fields and ignores unknown targets', () => {
    const s = settingsFromForm(
      { ...defaultForm, alpn: ' x-amzn-mqtt-ca , ', target: 'cc3200', minTls: 'TLSv1.2' },
      'pw',
    );
    assert.deepEqual(s.alpn, ['x-amzn-mqtt-ca']);
    assert.equal(s.target, 'cc3200');
    assert.equal(s.minVersion, 'TLSv1.2');
    assert.equal(s.maxVersion, undefined);
    assert.equal(s.servername, undefined);
    assert.equal(s.username, undefined);
    assert.equal(s.password, 'pw');
    assert.equal(settingsFromForm({ ...defaultForm, target: 'toaster' }, undefined).target, undefined);
  });

  it("runs as the board by default when the target has its own library; off, or a closed stack, is Node's TLS", () => {
    assert.equal(settingsFromForm({ ...defaultForm, target: 'esp32' }, undefined).stack, 'mbedtls-3.6');
    const { runAsBoard: _omit, ...oldForm } = { ...defaultForm, target: 'esp32' };
    assert.equal(settingsFromForm(oldForm, undefined).stack, 'mbedtls-3.6', 'forms saved before the choice');
    assert.equal(
      settingsFromForm({ ...defaultForm, target: 'esp32', runAsBoard: false }, undefined).stack,
      undefined,
    );
    assert.equal(settingsFromForm({ ...defaultForm, target: 'cc3200' }, undefined).stack, undefined);
    assert.equal(settingsFromForm(defaultForm, undefined).stack, undefined);
    assert.equal(boardStackLabels()['esp32'], 'mbedTLS 3.6');
    assert.equal(boardStackLabels()['cc3200'], undefined);
  });

  it('accepts forms without the run-as-board choice and refuses a non-boolean one', () => {
    const { runAsBoard: _omit, ...oldForm } = defaultForm;
    assert.ok(parseWebviewMessage({ type: 'formChanged', form: oldForm }));
    assert.equal(
      parseWebviewMessage({ type: 'formChanged', form: { ...defaultForm, runAsBoard: 'yes' } }),
      undefined,
    );
  });
});

// Validates every message the MQTT webview sends before the host acts on it: the webview is treated
// as untrusted input. Pure (no vscode) so it is unit-tested in Node.
import { targetIds } from '../../core/targets/ids';
import type { ConnectionForm, FileRole, PanelRequest, QoS, WebviewToHost } from '../../shared/protocol';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length <= max && !v.includes('\0');
const int = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const bool = (v: unknown): v is boolean => typeof v === 'boolean';
const qos = (v: unknown): v is QoS => v === 0 || v === 1 || v === 2;
const role = (v: unknown): v is FileRole => v === 'ca' || v === 'cert' || v === 'key';
const optStr = (v: unknown, max: number) => v === undefined || str(v, max);

const MAX_PAYLOAD_CHARS = 1024 * 1024;
const MAX_TOPIC = 65535;

function isTopic(v: unknown): v is string {
  return str(v, MAX_TOPIC) && v.length > 0;
}

export function validForm(f: unknown): f is ConnectionForm {
  if (!isObj(f)) return false;
  return (
    str(f['host'], 253) &&
    int(f['port'], 1, 65535) &&
    (f['mqttVersion'] === 3 || f['mqttVersion'] === 5) &&
    str(f['clientId'], 23 * 1024) &&
    str(f['username'], 1024) &&
    bool(f['cleanSession']) &&
    int(f['keepalive'], 0, 65535) &&
    str(f['caFile'], 4096) &&
    str(f['certFile'], 4096) &&
    str(f['keyFile'], 4096) &&
    str(f['servername'], 253) &&
    str(f['alpn'], 1024) &&
    ['', 'TLSv1.2', 'TLSv1.3'].includes(f['minTls'] as string) &&
    ['', 'TLSv1.2', 'TLSv1.3'].includes(f['maxTls'] as string) &&
    (f['target'] === '' || (targetIds as readonly unknown[]).includes(f['target'])) &&
    (f['runAsBoard'] === undefined || bool(f['runAsBoard'])) &&
    bool(f['rejectUnauthorized'])
  );
}

function validRequest(r: unknown): r is PanelRequest {
  if (!isObj(r)) return false;
  switch (r['kind']) {
    case 'connect':
    case 'saveProfile':
      return (
        validForm(r['form']) &&
        optStr(r['password'], 64 * 1024) &&
        optStr(r['passphrase'], 4096) &&
        (r['kind'] === 'connect' || (str(r['name'], 200) && (r['name'] as string).trim().length > 0))
      );
    case 'disconnect':
    case 'clearLog':
    case 'exportLog':
      return true;
    case 'pause':
      return bool(r['paused']);
    case 'sequenceField':
      return str(r['field'], 100) && /^[A-Za-z0-9_$.-]*$/.test(r['field'] as string);
    case 'subscribe':
      return isTopic(r['topic']) && qos(r['qos']);
    case 'unsubscribe':
      return isTopic(r['topic']);
    case 'publish':
      return (
        isTopic(r['topic']) &&
        !/[+#]/.test(r['topic'] as string) &&
        str(r['payload'], MAX_PAYLOAD_CHARS) &&
        ['text', 'json', 'hex'].includes(r['format'] as string) &&
        qos(r['qos']) &&
        bool(r['retain'])
      );
    case 'loadProfile':
      return str(r['name'], 200) && (r['source'] === 'saved' || r['source'] === 'project');
    case 'deleteProfile':
      return str(r['name'], 200);
    case 'setFile':
      return role(r['role']) && str(r['path'], 4096);
    default:
      return false;
  }
}

/** The message, when it is one the panel understands with every field in range; otherwise undefined. */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (!isObj(raw)) return undefined;
  if (raw['type'] === 'ready') return { type: 'ready' };
  if (raw['type'] === 'payload')
    return int(raw['id'], 0, Number.MAX_SAFE_INTEGER)
      ? { type: 'payload', id: raw['id'] as number }
      : undefined;
  if (raw['type'] === 'rendered') {
    if (!int(raw['logCount'], 0, 1_000_000)) return undefined;
    if (raw['seq'] !== undefined && !int(raw['seq'], 0, Number.MAX_SAFE_INTEGER)) return undefined;
    if (raw['topics'] !== undefined && !int(raw['topics'], 0, 10_000_000)) return undefined;
    if (raw['received'] !== undefined && !int(raw['received'], 0, Number.MAX_SAFE_INTEGER)) return undefined;
    const seq = {
      ...(raw['received'] === undefined ? {} : { received: raw['received'] as number }),
      ...(raw['seq'] === undefined ? {} : { seq: raw['seq'] as number }),
      ...(raw['topics'] === undefined ? {} : { topics: raw['topics'] as number }),
    };
    const probe = raw['probe'];
    if (probe === undefined) return { type: 'rendered', logCount: raw['logCount'] as number, ...seq };
    const time = (v: unknown) => v === undefined || int(v, 0, Number.MAX_SAFE_INTEGER);
    if (!isObj(probe) || !int(probe['drawnAt'], 0, Number.MAX_SAFE_INTEGER)) return undefined;
    if (!time(probe['newestT']) || !time(probe['oldestNewT'])) return undefined;
    return {
      type: 'rendered',
      logCount: raw['logCount'] as number,
      ...seq,
      probe: {
        drawnAt: probe['drawnAt'] as number,
        newestT: probe['newestT'] as number | undefined,
        oldestNewT: probe['oldestNewT'] as number | undefined,
      },
    };
  }
  if (raw['type'] === 'formChanged')
    return validForm(raw['form']) ? { type: 'formChanged', form: raw['form'] } : undefined;
  if (raw['type'] === 'request' && int(raw['id'], 0, Number.MAX_SAFE_INTEGER) && validRequest(raw['request']))
    return { type: 'request', id: raw['id'] as number, request: raw['request'] };
  return undefined;
}

// The MQTT stage: mqtt.js speaking over the TLS socket the staged connect opened, so a refusal is
// told apart from a TLS problem and the CONNACK code is kept.
import { MqttClient, type IClientOptions } from 'mqtt';
import { explainFailure, type LocalFacts } from './explain';
import { baseEvidence, openTls, StageFailure, type OpenConnection } from './connect';
import type { ConnectionSettings, Diagnosis, FailureEvidence, TlsMaterial } from './types';

export interface MqttSession {
  client: MqttClient;
  conn: OpenConnection;
}

/** A failed attempt, already explained. */
export class ConnectFailure extends Error {
  constructor(
    readonly diagnosis: Diagnosis,
    readonly facts: LocalFacts,
    readonly evidence: FailureEvidence,
  ) {
    super(diagnosis.message);
  }
}

export function explainStageFailure(f: StageFailure): ConnectFailure {
  return new ConnectFailure(explainFailure(f.evidence, f.facts), f.facts, f.evidence);
}

/** Opens DNS → TCP → TLS → MQTT; rejects with a ConnectFailure carrying exactly one code. */
export async function openMqtt(s: ConnectionSettings, material: TlsMaterial): Promise<MqttSession> {
  let conn: OpenConnection;
  try {
    conn = await openTls(s, material);
  } catch (e) {
    if (e instanceof StageFailure) throw explainStageFailure(e);
    throw e;
  }
  const base: FailureEvidence = { ...baseEvidence(s, material, 'mqtt'), tlsEstablished: true };
  const { socket } = conn;
  let socketError: { code?: string; message?: string } | undefined;
  socket.on('error', (e: NodeJS.ErrnoException) => {
    socketError ??= { code: e.code, message: e.message };
  });
  let built = false;
  const options: IClientOptions = {
    protocolVersion: s.mqttVersion === 5 ? 5 : 4,
    protocolId: s.protocolName,
    clientId: s.clientId,
    username: s.username || undefined,
    password: s.password || undefined,
    clean: s.cleanSession,
    keepalive: s.keepalive,
    reconnectPeriod: 0,
    connectTimeout: s.timeoutMs,
    resubscribe: false,
  };
  // The stream is one TLS socket: a second call would mean a reconnect, which this client never does.
  const client = new MqttClient(() => {
    if (built) throw new Error('reconnect not supported on a probed socket');
    built = true;
    return socket;
  }, options);
  const start = Date.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail({ error: { code: 'timeout', message: 'no CONNACK' } }), s.timeoutMs);
    const onConnect = () => {
      clearTimeout(timer);
      cleanup();
      resolve();
    };
    const onError = (e: Error & { code?: number | string }) => {
      if (typeof e.code === 'number') fail({ connackCode: e.code });
      else fail({ error: socketError ?? { code: e.code, message: e.message } });
    };
    const onClose = () =>
      // Let a TLS alert that closed the socket arrive first; it names the real cause.
      setImmediate(() => fail(socketError ? { error: socketError } : { closedWithoutConnack: true }));
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
    function cleanup() {
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
    }
    function fail(extra: Partial<FailureEvidence>) {
      clearTimeout(timer);
      cleanup();
      client.end(true);
      socket.destroy();
      const evidence = { ...base, ...extra, bytesFromServer: conn.raw.bytesRead };
      reject(new ConnectFailure(explainFailure(evidence, conn.facts), conn.facts, evidence));
    }
  });
  conn.timings.mqtt = conn.timings.tls! + (Date.now() - start);
  // mqtt.js logs stream errors as client errors; keep one listener so a late error never throws.
  client.on('error', () => {});
  return { client, conn };
}

// The MQTT stage: mqtt.js speaking over the TLS socket the staged connect opened, so a refusal is
// told apart from a TLS problem and the CONNACK code is kept.
import { MqttClient, type IClientOptions } from 'mqtt';
import { explainFailure, type LocalFacts } from './explain';
import { baseEvidence, deadlineFor, openTls, remaining, StageFailure, type OpenConnection } from './connect';
import { DEFAULT_MAX_PACKET_BYTES, PacketSizeGuard } from './packetGuard';
import type { ConnectionSettings, Diagnosis, FailureEvidence, TlsMaterial } from './types';

export interface MqttSession {
  client: MqttClient;
  conn: OpenConnection;
  /** Why this side ended the connection (an oversized or malformed packet), once it did. */
  closeReason(): string | undefined;
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
  const diagnosis = explainFailure(f.evidence, f.facts);
  return new ConnectFailure(
    f.evidence.libraryError ? { ...diagnosis, libraryError: f.evidence.libraryError } : diagnosis,
    f.facts,
    f.evidence,
  );
}

/**
 * Opens DNS → TCP → TLS → MQTT within one deadline; rejects with a ConnectFailure carrying exactly one
 * code.
 */
export async function openMqtt(
  s: ConnectionSettings,
  material: TlsMaterial,
  deadline = deadlineFor(s),
): Promise<MqttSession> {
  let conn: OpenConnection;
  try {
    conn = await openTls(s, material, deadline);
  } catch (e) {
    if (e instanceof StageFailure) throw explainStageFailure(e);
    throw e;
  }
  const base: FailureEvidence = { ...baseEvidence(s, material, 'mqtt'), tlsEstablished: true };
  const { socket } = conn;
  let socketError: { code?: string; message?: string } | undefined;
  let libraryError: FailureEvidence['libraryError'];
  socket.on('error', (e: NodeJS.ErrnoException & { libraryError?: FailureEvidence['libraryError'] }) => {
    socketError ??= { code: e.code, message: e.message };
    libraryError ??= e.libraryError;
  });
  let built = false;
  const maxPacketBytes = s.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const options: IClientOptions = {
    protocolVersion: s.mqttVersion === 5 ? 5 : 4,
    protocolId: s.protocolName,
    clientId: s.clientId,
    username: s.username || undefined,
    password: s.password || undefined,
    clean: s.cleanSession,
    // mqtt-packet would otherwise build 65,536 two-byte buffers (and their GC) before the first packet.
    writeCache: false,
    keepalive: s.keepalive,
    reconnectPeriod: 0,
    // The deadline below decides; mqtt.js's own timer would close the socket and look like a refusal.
    connectTimeout: remaining(deadline) + 60_000,
    resubscribe: false,
    // MQTT 5 lets the broker know the limit, so it drops an oversized message instead of sending it.
    ...(s.mqttVersion === 5 ? { properties: { maximumPacketSize: maxPacketBytes } } : {}),
  };
  // The stream is one TLS socket: a second call would mean a reconnect, which this client never does.
  const client = new MqttClient(() => {
    if (built) throw new Error('reconnect not supported on a probed socket');
    built = true;
    return socket;
  }, options);
  // Watches the fixed headers so a huge announced length ends the connection at its first bytes.
  const guard = new PacketSizeGuard(maxPacketBytes);
  socket.on('data', (chunk: Buffer) => {
    const problem = guard.feed(chunk);
    if (!problem) return;
    socketError ??=
      problem.kind === 'too-large'
        ? { code: 'packet-too-large', message: `an MQTT packet of ${problem.announced} bytes` }
        : { code: 'packet-malformed', message: 'an MQTT packet length field longer than 4 bytes' };
    packetTooLarge ??=
      problem.kind === 'too-large' ? { announced: problem.announced, limit: maxPacketBytes } : undefined;
    socket.destroy();
  });
  let packetTooLarge: FailureEvidence['packetTooLarge'];
  const start = Date.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail({ error: { code: 'timeout', message: 'no CONNACK' } }),
      remaining(deadline),
    );
    const onConnect = () => {
      clearTimeout(timer);
      cleanup();
      resolve();
    };
    const onError = (e: Error & { code?: number | string }) => {
      if (typeof e.code === 'number' && !socketError) fail({ connackCode: e.code });
      // Without a code and without a socket error, the error is mqtt-packet's: the bytes are not MQTT.
      else
        fail({
          error: socketError ?? { code: e.code ?? 'packet-malformed', message: e.message },
          packetTooLarge,
        });
    };
    const onClose = () =>
      // Let a TLS alert that closed the socket arrive first; it names the real cause.
      setImmediate(() =>
        fail(socketError ? { error: socketError, packetTooLarge } : { closedWithoutConnack: true }),
      );
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
    function cleanup() {
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
    }
    let failed = false;
    function fail(extra: Partial<FailureEvidence>) {
      if (failed) return;
      failed = true;
      clearTimeout(timer);
      cleanup();
      client.end(true);
      socket.destroy();
      const evidence = {
        ...base,
        ...extra,
        bytesFromServer: conn.raw.bytesRead,
        ...(conn.stack ? { stack: conn.stack } : {}),
        ...(libraryError ? { libraryError } : {}),
      };
      const diagnosis = explainFailure(evidence, conn.facts);
      reject(
        new ConnectFailure(libraryError ? { ...diagnosis, libraryError } : diagnosis, conn.facts, evidence),
      );
    }
  });
  conn.timings.mqtt = conn.timings.tls! + (Date.now() - start);
  // mqtt.js logs stream errors as client errors; keep one listener so a late error never throws.
  client.on('error', () => {});
  const closeReason = () =>
    packetTooLarge
      ? `The broker sent an MQTT packet of ${packetTooLarge.announced.toLocaleString('en')} bytes, over the ${packetTooLarge.limit.toLocaleString('en')}-byte limit, so the connection was closed.`
      : socketError?.code === 'packet-malformed'
        ? 'The broker sent bytes that are not valid MQTT, so the connection was closed.'
        : undefined;
  return { client, conn, closeReason };
}

// The test client core behind the MQTT panel: one connection at a time, subscriptions, publish, and
// incoming messages; connect failures come back explained, exactly like `etls probe`.
import type { MqttClient } from 'mqtt';
import { ConnectFailure, openMqtt } from './session';
import type { ConnectionSettings, Diagnosis, TlsMaterial, TlsSessionInfo } from './types';

export interface ReceivedMessage {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** Milliseconds since the epoch, when it arrived. */
  at: number;
}

export type ConnectOutcome =
  { ok: true; tls: TlsSessionInfo; findings: string[] } | { ok: false; diagnosis: Diagnosis };

export interface MqttTestClientEvents {
  message(m: ReceivedMessage): void;
  /** The connection ended; `reason` is set when it was not asked for. */
  closed(reason?: string): void;
}

export class MqttTestClient {
  private client: MqttClient | undefined;
  private listeners: Partial<{ [K in keyof MqttTestClientEvents]: MqttTestClientEvents[K][] }> = {};

  get connected(): boolean {
    return !!this.client?.connected;
  }

  on<K extends keyof MqttTestClientEvents>(event: K, listener: MqttTestClientEvents[K]): { dispose(): void } {
    const list = (this.listeners[event] ??= []) as MqttTestClientEvents[K][];
    list.push(listener);
    return { dispose: () => list.splice(list.indexOf(listener), 1) };
  }

  private emit<K extends keyof MqttTestClientEvents>(
    event: K,
    ...args: Parameters<MqttTestClientEvents[K]>
  ): void {
    for (const l of [...(this.listeners[event] ?? [])]) (l as (...a: unknown[]) => void)(...args);
  }

  async connect(s: ConnectionSettings, material: TlsMaterial): Promise<ConnectOutcome> {
    await this.disconnect();
    try {
      const { client, conn, closeReason } = await openMqtt(s, material);
      this.client = client;
      client.on('message', (topic, payload, packet) =>
        this.emit('message', {
          topic,
          payload: new Uint8Array(payload),
          qos: packet.qos,
          retain: packet.retain,
          at: Date.now(),
        }),
      );
      client.once('close', () => {
        const asked = this.client !== client;
        if (!asked) this.client = undefined;
        this.emit('closed', asked ? undefined : (closeReason() ?? 'The broker closed the connection.'));
      });
      return { ok: true, tls: conn.tls, findings: [] };
    } catch (e) {
      if (e instanceof ConnectFailure) return { ok: false, diagnosis: e.diagnosis };
      throw e;
    }
  }

  /** Resolves with the QoS the broker granted; 128 means refused. */
  subscribe(topic: string, qos: 0 | 1 | 2): Promise<number> {
    const c = this.requireClient();
    return new Promise((resolve, reject) =>
      c.subscribe(topic, { qos }, (err, granted) => (err ? reject(err) : resolve(granted?.[0]?.qos ?? 128))),
    );
  }

  unsubscribe(topic: string): Promise<void> {
    const c = this.requireClient();
    return new Promise((resolve, reject) =>
      c.unsubscribe(topic, (err?: Error) => (err ? reject(err) : resolve())),
    );
  }

  /** Resolves once the broker acknowledged (QoS 1/2) or the packet was written (QoS 0). */
  publish(topic: string, payload: Uint8Array, o: { qos: 0 | 1 | 2; retain: boolean }): Promise<void> {
    const c = this.requireClient();
    return new Promise((resolve, reject) =>
      c.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), o, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }

  async disconnect(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        c.end(true);
        resolve();
      }, 2000);
      c.end(false, {}, () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private requireClient(): MqttClient {
    if (!this.client?.connected) throw new Error('Not connected');
    return this.client;
  }
}

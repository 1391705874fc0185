// `probe`: connect stage by stage, then a publish/subscribe round trip; always resolves with one code.
import { randomBytes } from 'node:crypto';
import { explainFailure } from './explain';
import { ConnectFailure, openMqtt } from './session';
import type { ConnectionSettings, ProbeResult, TlsMaterial } from './types';

export interface ProbeOptions {
  /** Subscribe and publish once on a private topic (default true). */
  roundTrip?: boolean;
}

export async function probe(
  s: ConnectionSettings,
  material: TlsMaterial,
  o: ProbeOptions = {},
): Promise<ProbeResult> {
  const start = Date.now();
  let session;
  try {
    session = await openMqtt(s, material);
  } catch (e) {
    if (!(e instanceof ConnectFailure)) throw e;
    return {
      ...e.diagnosis,
      ok: false,
      details: { host: s.host, port: s.port, findings: findings(e.facts), timings: {} },
    };
  }
  const { client, conn } = session;
  let roundTrip: ProbeResult['details']['roundTrip'] = 'skipped';
  if (o.roundTrip !== false) roundTrip = await pingPong(client, s.timeoutMs);
  conn.timings.done = Date.now() - start;
  await new Promise<void>((r) => client.end(false, {}, () => r()));
  conn.socket.destroy();
  const ok = explainFailure({ stage: 'done', host: s.host, port: s.port });
  const rt =
    roundTrip === 'ok'
      ? ' A publish/subscribe round trip worked.'
      : roundTrip === 'denied'
        ? ' The broker did not allow the test subscription, so no round trip was made.'
        : roundTrip === 'lost'
          ? ' The round-trip message did not come back in time.'
          : '';
  return {
    ...ok,
    message: `${ok.message} ${conn.tls.protocol}, ${conn.tls.cipher}.${rt}`,
    ok: true,
    details: {
      host: s.host,
      port: s.port,
      address: conn.address,
      tls: conn.tls,
      roundTrip,
      timings: conn.timings,
    },
  };
}

/** Subscribes to a topic nobody else uses and waits for its own QoS 1 message to come back. */
async function pingPong(
  client: import('mqtt').MqttClient,
  timeoutMs: number,
): Promise<'ok' | 'denied' | 'lost'> {
  const topic = `etls/probe/${randomBytes(6).toString('hex')}`;
  const payload = randomBytes(8);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done('lost'), timeoutMs);
    const onMessage = (t: string, p: Buffer) => {
      if (t === topic && p.equals(payload)) done('ok');
    };
    client.on('message', onMessage);
    // QoS 0 and one packet in flight at a time: a broker without TCP_NODELAY (mosquitto's default) holds a
    // second small packet until the first is acknowledged, which costs a 40 ms delayed ACK per stall.
    client.subscribe(topic, { qos: 0 }, (err, granted) => {
      if (err || !granted?.length || (granted[0]?.qos ?? 128) >= 128) return done('denied');
      client.publish(topic, payload, { qos: 0 }, (e) => {
        if (e) done('denied');
      });
    });
    function done(r: 'ok' | 'denied' | 'lost') {
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(r);
    }
  });
}

function findings(f: import('./explain').LocalFacts): string[] {
  const out: string[] = [];
  if (f.caFile && f.caNames) out.push(`CA file ${f.caFile}: ${f.caNames.join(', ')}`);
  if (f.chainRootIssuer) out.push(`broker chain issued by: ${f.chainRootIssuer}`);
  if (f.serverNames?.length) out.push(`broker certificate names: ${f.serverNames.join(', ')}`);
  if (f.clientCertName) out.push(`client certificate: ${f.clientCertName}, issued by ${f.clientCertIssuer}`);
  return out;
}

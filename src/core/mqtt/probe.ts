// `probe`: connect stage by stage, then a publish/subscribe round trip; always resolves with one code.
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { baseEvidence, remaining } from './connect';
import { explainFailure } from './explain';
import { ConnectFailure, openMqtt } from './session';
import type { ConnectionSettings, ProbeResult, TlsMaterial } from './types';

export interface ProbeOptions {
  /** Subscribe and publish once on a private topic (default true), within the same deadline. */
  roundTrip?: boolean;
}

export async function probe(
  s: ConnectionSettings,
  material: TlsMaterial,
  o: ProbeOptions = {},
): Promise<ProbeResult> {
  const start = Date.now();
  // One deadline for everything: DNS, TCP, TLS, CONNECT, SUBSCRIBE and the round trip.
  const deadline = start + s.timeoutMs;
  let session;
  try {
    session = await openMqtt(s, material, deadline);
  } catch (e) {
    if (!(e instanceof ConnectFailure)) throw e;
    return {
      ...e.diagnosis,
      ok: false,
      ...(e.evidence.stack ? { stack: e.evidence.stack } : {}),
      details: { host: s.host, port: s.port, findings: findings(e.facts), timings: {} },
    };
  }
  const { client, conn } = session;
  const details = (): ProbeResult['details'] => ({
    host: s.host,
    port: s.port,
    address: conn.address,
    tls: conn.tls,
    roundTrip,
    timings: conn.timings,
  });
  let roundTrip: ProbeResult['details']['roundTrip'] = 'skipped';
  if (o.roundTrip !== false) {
    const r = await pingPong(client, deadline, (stage) => (conn.timings[stage] = Date.now() - start));
    if (r.stuck) {
      roundTrip = undefined;
      client.end(true);
      conn.socket.destroy();
      const evidence = {
        ...baseEvidence(s, material, r.stuck),
        tlsEstablished: true,
        error: { code: 'timeout', message: `no answer at ${r.stuck}` },
      };
      return {
        ...explainFailure(evidence, conn.facts),
        ok: false,
        ...(conn.stack ? { stack: conn.stack } : {}),
        details: details(),
      };
    }
    roundTrip = r.result;
  }
  conn.timings.done = Date.now() - start;
  await endWithin(client, Math.min(1000, remaining(deadline)));
  conn.socket.destroy();
  const ok = explainFailure({ stage: 'done', host: s.host, port: s.port });
  const rt =
    roundTrip === 'ok'
      ? ' A publish/subscribe round trip worked.'
      : roundTrip === 'denied'
        ? ' The broker did not allow the test subscription or message, so no round trip was made.'
        : '';
  return {
    ...ok,
    message: `${ok.message} ${conn.tls.protocol}, ${conn.tls.cipher}.${rt}`,
    ok: true,
    ...(conn.stack ? { stack: conn.stack } : {}),
    details: details(),
  };
}

/** Sends DISCONNECT and waits for the close, but no longer than `ms`: a silent broker must not hold us. */
function endWithin(client: MqttClient, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      client.end(true);
      resolve();
    }, ms);
    client.end(false, {}, () => {
      clearTimeout(t);
      resolve();
    });
  });
}

type PingPong = { stuck?: undefined; result: 'ok' | 'denied' } | { stuck: 'subscribe' | 'publish' };

/**
 * Subscribes to a topic nobody else uses and waits for its own message to come back, until the
 * deadline; `stuck` names the step the broker never answered.
 */
async function pingPong(
  client: MqttClient,
  deadline: number,
  reached: (stage: 'subscribe' | 'publish') => void,
): Promise<PingPong> {
  const topic = `etls/probe/${randomBytes(6).toString('hex')}`;
  const payload = randomBytes(8);
  let step: 'subscribe' | 'publish' = 'subscribe';
  return new Promise((resolve) => {
    const timer = setTimeout(() => done({ stuck: step }), remaining(deadline));
    const onMessage = (t: string, p: Buffer) => {
      if (t === topic && p.equals(payload)) {
        reached('publish');
        done({ result: 'ok' });
      }
    };
    // A broker that closes on a topic it does not allow (AWS IoT) has answered: no, not here.
    const onClose = () => done({ result: 'denied' });
    client.on('message', onMessage);
    client.on('close', onClose);
    // QoS 0 and one packet in flight at a time: a broker without TCP_NODELAY (mosquitto's default) holds a
    // second small packet until the first is acknowledged, which costs a 40 ms delayed ACK per stall.
    client.subscribe(topic, { qos: 0 }, (err, granted) => {
      if (err || !granted?.length || (granted[0]?.qos ?? 128) >= 128) return done({ result: 'denied' });
      reached('subscribe');
      step = 'publish';
      client.publish(topic, payload, { qos: 0 }, (e) => {
        if (e) done({ result: 'denied' });
      });
    });
    let finished = false;
    function done(r: PingPong) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      client.off('message', onMessage);
      client.off('close', onClose);
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

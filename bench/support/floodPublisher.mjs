// A bounded MQTT publisher over TLS for bench/mqttPanelLoad: publishes RATE messages a second for
// SECONDS seconds (QoS 0), spread over TOPICS topics (bench/flood/<n>), each payload a small JSON
// object carrying a per-topic sequence number and its publish time: {"seq":7,"t":1733412345678,"v":21.5}.
// Prints {"published":N,"ms":...,"lastT":...} on stdout when done (lastT: the last message's publish time). Run: node floodPublisher.mjs PORT CA CERT KEY RATE SECONDS TOPICS
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [port, ca, cert, key, rate, seconds, topics] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const mqtt = require('mqtt');

const client = mqtt.connect({
  protocol: 'mqtts',
  host: 'localhost',
  port: Number(port),
  ca: readFileSync(ca),
  cert: readFileSync(cert),
  key: readFileSync(key),
  clientId: `etls-flood-${process.pid}`,
  reconnectPeriod: 0,
});
client.on('error', (e) => {
  console.error(`flood publisher: ${e.message}`);
  process.exit(1);
});
client.on('connect', () => {
  const total = Math.round(Number(rate) * Number(seconds));
  const nTopics = Number(topics);
  const seq = new Array(nTopics).fill(0);
  const start = Date.now();
  let sent = 0;
  let lastT = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * Number(rate)));
    while (sent < due) {
      const i = sent % nTopics;
      lastT = Date.now();
      const payload = `{"seq":${seq[i]++},"t":${lastT},"v":${(20 + (sent % 100) / 10).toFixed(1)}}`;
      client.publish(`bench/flood/${i}`, payload, { qos: 0 });
      sent++;
    }
    if (sent < total) setTimeout(tick, 5);
    else
      client.end(false, {}, () => {
        console.log(JSON.stringify({ published: sent, ms: Date.now() - start, lastT }));
        process.exit(0);
      });
  };
  tick();
});

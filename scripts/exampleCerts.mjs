// The example firmware project's development PKI (Node, dev machines and the integration tier): made by
// the built CLI's own `etls pki init`, so certs/ holds a CA with its key, the broker's certificate and
// key, the device's, and the mosquitto.conf "Start Local TLS Broker" runs. Used by `npm start` and by
// scripts/run-integration.mjs, which opens a copy of the example the way a new user sees it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The device id of examples/esp32-mqtt-tls (its CN, its file names, its MQTT client id). */
export const EXAMPLE_DEVICE = 'esp32-devkit';

/** Files the example's profile, CMakeLists.txt and the local broker need. */
export const exampleCertFiles = [
  'ca.pem',
  'ca.key',
  'broker.pem',
  'broker.key',
  `${EXAMPLE_DEVICE}.pem`,
  `${EXAMPLE_DEVICE}.key`,
  'mosquitto.conf',
];

/**
 * Makes `exampleDir`/certs with `etls pki init` unless it is complete. An older certs/ (made before the
 * example had a mosquitto.conf) is moved aside to `aside`, never overwritten: it holds private keys.
 * Returns a sentence for the user, or undefined when nothing was done.
 */
export function prepareExampleCerts(exampleDir, { cli, aside }) {
  const certs = join(exampleDir, 'certs');
  if (exampleCertFiles.every((f) => existsSync(join(certs, f)))) return undefined;
  let moved = '';
  if (existsSync(certs)) {
    const to = join(aside, `example-certs-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(aside, { recursive: true });
    renameSync(certs, to);
    moved = ` (the previous certs/ is kept in ${to})`;
  }
  const args = [
    cli,
    'pki',
    'init',
    '--out',
    'certs',
    '--broker-host',
    'localhost,127.0.0.1',
    '--device',
    EXAMPLE_DEVICE,
    '--no-project',
  ];
  const r = spawnSync(process.execPath, [resolve(cli), ...args.slice(1)], {
    cwd: exampleDir,
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`etls pki init failed for the example: ${(r.stderr || r.stdout || '').trim()}`);
  return `development PKI for the example made with etls pki init in ${certs}/${moved}`;
}

// The probe matrix's brokers: one real Mosquitto per misconfiguration, a listener that accepts TCP and
// never answers, and the test PKI they use. Shared by the Node probe's and the board stacks' matrices.
import { execFileSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { requireBuiltCli, requireTool } from '../../../support/realParts';
import { startMosquitto, type RunningBroker } from './broker';
import { createTestPki, type TestPki } from './pki';

export interface ProbeBrokers {
  pki: TestPki;
  brokers: Record<string, RunningBroker>;
  /** The port of the listener that accepts TCP and never says a word. */
  silentPort(): number;
  stop(): Promise<void>;
}

/** A listener line for a server certificate of the test PKI, plus extra mosquitto.conf lines. */
export type TlsListener = (cert: string, extra?: string) => string;

/**
 * Starts the common brokers (mtls, open, wrongname, expired, future, plain, passwords, namedids) and
 * the ones `more` adds as [name, listener, global config].
 */
export async function startProbeBrokers(
  more: (tls: TlsListener, pki: TestPki) => [string, string, string?][] = () => [],
): Promise<ProbeBrokers> {
  requireTool('mosquitto', 'apt-get install mosquitto');
  requireTool('openssl');
  requireBuiltCli();
  const pki = createTestPki();
  const brokers: Record<string, RunningBroker> = {};
  const silentSockets: Socket[] = [];
  let silent: Server | undefined;
  const stop = async () => {
    for (const b of Object.values(brokers)) await b.stop();
    for (const s of silentSockets) s.destroy();
    await new Promise<void>((r) => (silent ? silent.close(() => r()) : r()));
    pki.remove();
  };
  try {
    const tls: TlsListener = (cert, extra = '') =>
      `certfile ${pki.file(`${cert}.pem`)}\nkeyfile ${pki.file(`${cert}.key`)}\ncafile ${pki.file('ca.pem')}\n${extra}`;
    execFileSync('mosquitto_passwd', ['-b', '-c', pki.file('passwd'), 'alice', 'right']);
    const defs: [string, string, string?][] = [
      ['mtls', tls('server', 'require_certificate true')],
      ['open', tls('server')],
      ['wrongname', tls('server-wrongname')],
      ['expired', tls('server-expired')],
      ['future', tls('server-future')],
      ['plain', ''],
      ['passwords', tls('server'), `allow_anonymous false\npassword_file ${pki.file('passwd')}`],
      ['namedids', tls('server'), 'allow_zero_length_clientid false'],
      ...more(tls, pki),
    ];
    for (const [name, listener, global] of defs)
      brokers[name] = await startMosquitto(pki.dir, name, listener, global);
    const server = createServer((s) => silentSockets.push(s));
    silent = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    pki,
    brokers,
    silentPort: () => {
      const a = silent!.address();
      return typeof a === 'object' && a ? a.port : 0;
    },
    stop,
  };
}

// Test fixtures for pushes: a real certificate and key made by openssl, a logger that keeps the transcript,
// and the glue that opens a port and runs one push.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSerialLink } from '../../../src/core/node/serialLink';
import type { CancellationPort, LoggerPort } from '../../../src/core/ports';
import { neverCancelled, systemClock } from '../../../src/core/ports';
import {
  executePush,
  planPush,
  type PushContext,
  type PushProtocol,
  type PushReport,
  type PushSource,
} from '../../../src/core/push';

export interface CertFixture {
  dir: string;
  certPem: string;
  keyPem: string;
  /** The certificate as DER and the key as DER PKCS#1, made by openssl (the oracle). */
  certDer: Buffer;
  keyDerPkcs1: Buffer;
  dispose(): void;
}

/** An RSA-2048 device certificate of about 1.2 KB DER (long subject and SANs, as cloud certificates have). */
export function makeCertFixture(): CertFixture {
  const dir = mkdtempSync(join(tmpdir(), 'etls-push-fx-'));
  const certPem = join(dir, 'device.pem');
  const keyPem = join(dir, 'device.key');
  const sans = Array.from({ length: 3 }, (_, i) => `DNS:device-${i}.sensors.example-factory.internal`).join(
    ',',
  );
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-keyout',
      keyPem,
      '-out',
      certPem,
      '-subj',
      '/C=DE/ST=Baden-Wuerttemberg/L=Stuttgart/O=Example Sensors GmbH/OU=Field Devices/CN=device-01.sensors.example-factory.internal',
      '-addext',
      `subjectAltName=${sans}`,
    ],
    { stdio: 'pipe' },
  );
  const certDer = execFileSync('openssl', ['x509', '-in', certPem, '-outform', 'DER']);
  const keyDerPkcs1 = execFileSync('openssl', ['rsa', '-in', keyPem, '-outform', 'DER', '-traditional'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    dir,
    certPem,
    keyPem,
    certDer,
    keyDerPkcs1,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Transcript extends LoggerPort {
  lines: string[];
  text(): string;
}

export function transcript(): Transcript {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    debug: (m) => lines.push(`debug ${m}`),
    text: () => lines.join('\n'),
  };
}

/** Fails when any 16-byte run of `secret` shows up in the transcript, raw, hex or base64. */
export function assertNoSecret(text: string, secret: Uint8Array): void {
  const b = Buffer.from(secret);
  for (let i = 0; i + 16 <= b.length; i += 16) {
    const run = b.subarray(i, i + 16);
    for (const form of [run.toString('hex'), run.toString('base64').slice(0, 20), run.toString('latin1')]) {
      if (text.includes(form)) throw new Error(`the transcript contains key bytes (offset ${i})`);
    }
  }
}

/** A cancellation source for tests. */
export function cancelSource(): CancellationPort & { cancel(): void } {
  let cancelled = false;
  const listeners: (() => void)[] = [];
  return {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(l) {
      listeners.push(l);
      return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
    },
    cancel() {
      cancelled = true;
      for (const l of [...listeners]) l();
    },
  };
}

/** Opens `path`, plans and runs one push, and always closes the port. */
export async function pushOver(
  path: string,
  protocol: PushProtocol,
  sources: PushSource[],
  options: Partial<PushContext> & { baud: number },
): Promise<PushReport> {
  const link = await openSerialLink(path, options.baud);
  try {
    const plan = planPush(protocol, sources);
    return await executePush(plan, {
      link,
      logger: options.logger ?? transcript(),
      progress: options.progress ?? { report: () => {} },
      cancel: options.cancel ?? neverCancelled,
      clock: systemClock,
      ...options,
    });
  } finally {
    await link.close();
  }
}

export function read(path: string): Buffer {
  return readFileSync(path);
}

// bench/push: a 1.2 KB DER certificate and a 1.2 KB key pushed at 115200 baud through each throttled
// simulated board (socat ptys), verification included, against the line-rate limit for the payload
// bytes (10 bits per byte) — the anchor, computed for the same bytes in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineRateSeconds, type PushProtocol } from '../src/core/push';
import { makeCertFixture } from '../test/support/push/fixtures';
import { pushOver } from '../test/support/push/fixtures';
import { ProxyBoard } from '../test/support/push/proxyBoard';
import { buildReceiver } from '../test/support/push/receiverBuild';
import { SimpleLinkBoard } from '../test/support/push/simplelinkBoard';

const BAUD = 115200;
const RUNS = 7;
const targets: Partial<Record<PushProtocol, number>> = { 'etls-frame': 1.3, 'simplelink-at': 1.6 };

interface Board {
  hostPath: string;
  dispose(): Promise<void>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const fx = makeCertFixture();
  const rx = await buildReceiver();
  const work = mkdtempSync(join(tmpdir(), 'etls-bench-push-'));
  const cert = fx.certDer;
  const key = fx.keyDerPkcs1;
  const payload = cert.length + key.length;
  const limit = lineRateSeconds(payload, BAUD) * 1000;
  console.log(
    `bench/push: ${cert.length} B DER certificate + ${key.length} B DER key at ${BAUD} baud, ${RUNS} runs each`,
  );
  console.log(`anchor: line-rate limit for ${payload} payload bytes = ${limit.toFixed(1)} ms`);
  console.log(
    'simplelink-at sends 512 raw bytes per FileWrite line (TI); simplelink-at/744 fills the 1024-byte line\n',
  );
  const boards: Partial<Record<PushProtocol, (i: number) => Promise<Board>>> = {
    'etls-frame': (i) =>
      ProxyBoard.start(`${rx.posix} --tty {TTY} --root ${mkdtempSync(join(work, `rx${i}-`))}`, BAUD),
    'simplelink-at': () => SimpleLinkBoard.start(BAUD),
    'linux-shell': (i) => {
      // The shell starts in its own scratch home, so relative board paths land there.
      const home = mkdtempSync(join(work, `sh${i}-`));
      return ProxyBoard.start(
        `env -i HOME=${home} PATH=/usr/bin:/bin PS1='$ ' sh -c 'cd ${home} && exec bash --norc --noprofile -i'`,
        BAUD,
      );
    },
  };
  const remote = (p: PushProtocol, name: string) => (p === 'simplelink-at' ? `/cert/${name}` : name);
  try {
    const cases: [PushProtocol, string, number | undefined][] = [
      ['etls-frame', 'etls-frame', undefined],
      ['simplelink-at', 'simplelink-at', undefined],
      ['simplelink-at', 'simplelink-at/744', 744],
      ['linux-shell', 'linux-shell', undefined],
    ];
    for (const [protocol, label, chunkBytes] of cases) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const board = await boards[protocol]!(i);
        try {
          // elapsedMs runs from the first byte of the protocol to the verified end, port opening excluded
          const report = await pushOver(
            board.hostPath,
            protocol,
            [
              { local: 'device.der', remote: remote(protocol, 'device.der'), data: cert },
              { local: 'device.key', remote: remote(protocol, 'device.key'), data: key },
            ],
            { baud: BAUD, ...(chunkBytes ? { chunkBytes } : {}) },
          );
          times.push(report.elapsedMs);
        } finally {
          await board.dispose();
        }
      }
      // The best run is the protocol's own cost; the median also carries whatever else loads the machine.
      const t = Math.min(...times);
      const med = median(times);
      const ratio = t / limit;
      const target = targets[protocol];
      const verdict =
        target === undefined ? '(no target)' : ratio <= target ? `≤ ${target}× ok` : `> ${target}× MISSED`;
      console.log(
        `${label.padEnd(18)} best ${t.toFixed(0).padStart(4)} ms, median ${med.toFixed(0).padStart(4)} ms (${(med / limit).toFixed(2)}×)  ratio ${ratio.toFixed(2)}×  ${verdict}`,
      );
    }
  } finally {
    fx.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

void main();

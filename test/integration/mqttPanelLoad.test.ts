// The inside half of bench/mqttPanelLoad (registered only when ETLS_BENCH_PANEL_RATES is set): floods the
// MQTT panel, connected over TLS to a local Mosquitto, from bounded publishers and logs one
// `ETLS_BENCH {...}` line per flood rate: publish-to-drawn lag, Clear and command latency, counts and
// extension host memory. The browser half (script time, stalls, renderer memory, the clicks) is
// scripts/benchProbe.mjs; bench/mqttPanelLoad.ts runs both and prints the figures.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import { startMosquitto, type RunningBroker } from '../e2e/mqtt/support/broker';
import { EXTENSION_ID, extensionApi, fixtureUri, waitFor, workspaceDir } from './support';

const RATES = (process.env['ETLS_BENCH_PANEL_RATES'] ?? '').split(',').filter(Boolean).map(Number);
const SECONDS = Number(process.env['ETLS_BENCH_PANEL_SECONDS'] ?? 30);
const TOPICS = 20;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Asks the browser driver for a user action; resolves with when it was started, or its error. */
async function browserAction(request: { kind: string; title?: string }): Promise<number | string> {
  const dir = process.env['ETLS_SCREENSHOT_REQUESTS'];
  if (!dir) throw new Error('no browser driver (ETLS_SCREENSHOT_REQUESTS)');
  const done = join(dir, 'bench-action-done.json');
  rmSync(done, { force: true });
  writeFileSync(join(dir, 'bench-action.json.tmp'), JSON.stringify(request));
  renameSync(join(dir, 'bench-action.json.tmp'), join(dir, 'bench-action.json'));
  await waitFor(() => existsSync(done), 150_000, `the browser to do ${request.kind}`);
  const reply = JSON.parse(readFileSync(done, 'utf8')) as { at?: number; error?: string };
  return reply.error || reply.at === undefined ? `browser action ${request.kind}: ${reply.error}` : reply.at;
}

// What the extension host retains, not what V8 has yet to collect: a full collection before reading.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memory(collect = true) {
  if (collect) gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}

function quantile(xs: number[], q: number): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

if (RATES.length)
  describe('MQTT panel load', () => {
    let broker: RunningBroker | undefined;
    let dir = '';
    const cert = (name: string) => join(workspaceDir(), 'certs', name);

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'etls-bench-panel-'));
      // Mosquitto's defaults (a queue of 1000 messages per client): what a developer runs locally.
      broker = await startMosquitto(
        dir,
        'load',
        `cafile ${cert('ca.pem')}\ncertfile ${cert('broker.pem')}\nkeyfile ${cert('broker.key')}\nrequire_certificate true`,
      );
    });

    after(async () => {
      const api = await extensionApi();
      await api.mqtt.request({ kind: 'disconnect' }).catch(() => undefined);
      await broker?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('floods the panel at each rate and reports what it drew', async function () {
      this.timeout(0);
      const api = await extensionApi();
      const repo = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
      // The Certificates view, for the command run from the palette during the flood.
      await vscode.commands.executeCommand('embeddedTls.certificates.focus').then(undefined, () => undefined);
      await api.explorer.ready();
      await vscode.window.showTextDocument(fixtureUri('embedded-tls.json'), {
        viewColumn: vscode.ViewColumn.One,
      });
      await vscode.commands.executeCommand('embeddedTls.openMqttClient', 'device-01');
      await waitFor(() => api.mqtt.state().visible, 20_000, 'the MQTT panel to be visible');
      await api.mqtt.request({ kind: 'subscribe', topic: 'bench/#', qos: 0 });
      await api.mqtt.request({ kind: 'connect', form: { ...api.mqtt.state().form, port: broker!.port } });
      assert.equal(api.mqtt.state().status, 'connected');
      let received = 0;
      api.mqtt.client.on('message', () => received++);
      let grouping: 'profile' | 'role' = 'role';
      // The same palette command with no flood: what this machine's editor takes anyway.
      await sleep(3000);
      const idleAt = await browserAction({ kind: 'command', title: 'Group by Device Profile' });
      let idleCommandMs: number | null = null;
      for (const end = Date.now() + 60_000; typeof idleAt === 'number' && Date.now() < end; await sleep(5))
        if (api.explorer.getChildren()[0]?.label === 'device-01') {
          idleCommandMs = Date.now() - idleAt;
          break;
        }
      grouping = 'profile';
      console.log(`ETLS_BENCH_IDLE ${JSON.stringify({ idleCommandMs })}`);

      for (const rate of RATES) {
        await api.mqtt.request({ kind: 'clearLog' });
        await sleep(3000);
        api.mqtt.drawProbes();
        const before = memory();
        const receivedBefore = received;
        const probes: ReturnType<typeof api.mqtt.drawProbes> = [];
        const drain = setInterval(() => probes.push(...api.mqtt.drawProbes()), 20);
        const floodStart = Date.now();
        const publisher = spawn(
          process.execPath,
          [
            join(repo, 'bench', 'support', 'floodPublisher.mjs'),
            String(broker!.port),
            cert('ca.pem'),
            cert('device-01.pem'),
            cert('device-01.key'),
            String(rate),
            String(SECONDS),
            String(TOPICS),
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        publisher.stdout.on('data', (d: Buffer) => (out += d.toString()));
        publisher.stderr.on('data', (d: Buffer) => (out += d.toString()));
        const finished = new Promise<number | null>((r) => publisher.on('exit', r));

        // Clear, once the list is full, then a command from the palette; each timed to its visible effect.
        await sleep(SECONDS * 400);
        const countAtClick = probes.at(-1)?.logCount ?? 0;
        const clickAt = await browserAction({ kind: 'clickClear' });
        const cleared =
          typeof clickAt === 'number'
            ? await waitFor(
                () => probes.find((p) => p.drawnAt >= clickAt && p.logCount < countAtClick),
                60_000,
                'the webview to draw the cleared list',
              ).catch(() => undefined)
            : undefined;
        const during = memory(false);
        await sleep(Math.max(0, floodStart + SECONDS * 600 - Date.now()));
        grouping = grouping === 'role' ? 'profile' : 'role';
        const wanted = grouping === 'profile' ? 'device-01' : 'Certificate Authorities';
        const commandAt = await browserAction({
          kind: 'command',
          title: grouping === 'profile' ? 'Group by Device Profile' : 'Group by Role',
        });
        let commandDone: number | undefined;
        for (
          const end = Date.now() + 60_000;
          typeof commandAt === 'number' && Date.now() < end;
          await sleep(5)
        )
          if (api.explorer.getChildren()[0]?.label === wanted) {
            commandDone = Date.now();
            break;
          }

        const code = await finished;
        const floodEnd = Date.now();
        // Let the panel catch up: until it draws the last message published (at most 120 s).
        const lastT = Number((/"lastT":(\d+)/.exec(out) ?? [])[1] ?? floodEnd);
        let caughtUp: number | undefined;
        for (const end = Date.now() + 120_000; Date.now() < end; await sleep(100))
          if ((probes.at(-1)?.newestT ?? 0) >= lastT) {
            caughtUp = probes.at(-1)!.drawnAt;
            break;
          }
        clearInterval(drain);
        probes.push(...api.mqtt.drawProbes());
        await sleep(3000);
        const after = memory();
        const lagOldest = probes.filter((p) => p.oldestNewT).map((p) => p.drawnAt - p.oldestNewT!);
        const lagNewest = probes.filter((p) => p.newestT).map((p) => p.drawnAt - p.newestT!);
        const published = (/"published":(\d+)/.exec(out) ?? [])[1];
        const line = {
          rate,
          seconds: SECONDS,
          publisherExit: code,
          published: published === undefined ? null : Number(published),
          publisherOutput: published === undefined ? out.slice(-500) : undefined,
          received: received - receivedBefore,
          receivedTotal: received,
          panel: (api.mqtt as { counts?: () => unknown }).counts?.() ?? null,
          shown: probes.at(-1)?.logCount ?? null,
          frames: probes.length,
          lagOldestNewP50: quantile(lagOldest, 0.5),
          lagOldestNewP95: quantile(lagOldest, 0.95),
          lagNewestP50: quantile(lagNewest, 0.5),
          lagNewestP95: quantile(lagNewest, 0.95),
          clickAt: typeof clickAt === 'number' ? clickAt : null,
          clearMs: cleared && typeof clickAt === 'number' ? cleared.drawnAt - clickAt : null,
          clearError: typeof clickAt === 'string' ? clickAt : cleared ? undefined : 'not drawn within 60 s',
          commandMs: commandDone && typeof commandAt === 'number' ? commandDone - commandAt : null,
          commandError:
            typeof commandAt === 'string' ? commandAt : commandDone ? undefined : 'no effect within 60 s',
          floodStart,
          floodEnd,
          caughtUp: caughtUp ?? null,
          lastPublished: lastT,
          extHost: { before, during, after },
        };
        console.log(`ETLS_BENCH ${JSON.stringify(line)}`);
      }
    });
  });

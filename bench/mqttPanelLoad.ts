// bench/mqttPanelLoad: inside a real VS Code (code-server 4.100.3, driven by headless Chromium), the MQTT
// panel connected over TLS to a local Mosquitto (default queue) and flooded by a bounded publisher at
// 10, 1k, 5k and 20k msg/s (ETLS_BENCH_PANEL_RATES, ETLS_BENCH_PANEL_SECONDS each, 30 by default).
// Prints per rate: publish-to-drawn lag p50/p95, the renderer main thread's script time per second and
// the largest stall, Clear and a palette command to their visible effect, counts published, received
// and shown, and renderer and extension host memory before, during and after.
// The extension host half is test/integration/mqttPanelLoad.test.ts; the browser half scripts/benchProbe.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..');
const RATES = process.env['ETLS_BENCH_PANEL_RATES'] ?? '10,1000,5000,20000';
const SECONDS = Number(process.env['ETLS_BENCH_PANEL_SECONDS'] ?? 30);

interface Sample {
  at: number;
  scriptS: number;
  taskS: number;
  jsHeapUsed: number;
  maxGapMs: number;
  rendererRss: number;
}
interface Memory {
  rss: number;
  heapUsed: number;
}
interface Flood {
  rate: number;
  seconds: number;
  published: number | null;
  publisherOutput?: string;
  received: number;
  receivedTotal: number;
  panel: { received: number; shown: number; dropped: number } | null;
  shown: number | null;
  frames: number;
  lagOldestNewP50?: number;
  lagOldestNewP95?: number;
  lagNewestP50?: number;
  lagNewestP95?: number;
  clickAt: number | null;
  clearMs: number | null;
  clearError?: string;
  commandMs: number | null;
  commandError?: string;
  floodStart: number;
  floodEnd: number;
  /** When the webview drew a row from the flood's last second; null: not within 120 s. */
  caughtUp: number | null;
  extHost: { before: Memory; during: Memory; after: Memory };
}

const mb = (b: number | undefined) => (b === undefined ? '?' : `${(b / 1048576).toFixed(0)} MB`);
const ms = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${x.toFixed(0)} ms`);

function nearest(samples: Sample[], at: number): Sample | undefined {
  return samples.reduce<Sample | undefined>(
    (best, s) => (!best || Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best),
    undefined,
  );
}

function main(): void {
  const dir = join(process.env['TMPDIR'] ?? tmpdir(), `etls-bench-panel-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const samplesFile = join(dir, 'samples.jsonl');
  const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'run-integration.mjs')], {
    cwd: REPO,
    env: {
      ...process.env,
      ETLS_TEST_GREP: 'MQTT panel load',
      ETLS_INTEGRATION_LAYOUT: 'folder',
      ETLS_BENCH_PANEL_RATES: RATES,
      ETLS_BENCH_PANEL_SECONDS: String(SECONDS),
      ETLS_BENCH_PROBE: samplesFile,
      ETLS_MQTT_PANEL_PROBE: '1',
      ETLS_INTEGRATION_TIMEOUT_MS: String((RATES.split(',').length * (SECONDS + 90) + 180) * 1000),
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  const floods = [...output.matchAll(/ETLS_BENCH (\{.*\})/g)].map((m) => JSON.parse(m[1]!) as Flood);
  if (r.status !== 0 || !floods.length)
    throw new Error(`the VS Code run failed (exit ${r.status}):\n${output.slice(-4000)}`);
  const samples = readFileSync(samplesFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Sample);
  rmSync(dir, { recursive: true, force: true });

  console.log(
    `bench/mqttPanelLoad: MQTT panel over TLS to a local Mosquitto, ${SECONDS} s floods, in code-server 4.100.3 (VS Code 1.100.3)`,
  );
  console.log(
    `  machine: load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const idle = /ETLS_BENCH_IDLE (\{.*\})/.exec(output);
  const idleCommand = idle ? (JSON.parse(idle[1]!) as { idleCommandMs: number | null }).idleCommandMs : null;
  console.log(`  idle, no flood: palette command to effect ${ms(idleCommand)}`);
  const first = floods[0]!;
  for (const f of floods) {
    const inFlood = samples.filter((s) => s.at >= f.floodStart && s.at <= f.floodEnd);
    // The quiet seconds before the flood: what the renderer does with the panel idle.
    const quiet = samples.filter((s) => s.at >= f.floodStart - 2600 && s.at <= f.floodStart);
    const quietSpan = quiet.length >= 2 ? (quiet.at(-1)!.at - quiet[0]!.at) / 1000 : 0;
    const quietScript = quietSpan
      ? ((quiet.at(-1)!.scriptS - quiet[0]!.scriptS) * 1000) / quietSpan
      : undefined;
    const quietGap = Math.max(0, ...quiet.map((s) => s.maxGapMs));
    // The flood alone: from its start to the Clear click (the palette typing after it costs script too).
    const alone = inFlood.filter((s) => s.at <= (f.clickAt ?? f.floodEnd));
    const aloneSpan = alone.length >= 2 ? (alone.at(-1)!.at - alone[0]!.at) / 1000 : 0;
    const aloneScript = aloneSpan
      ? ((alone.at(-1)!.scriptS - alone[0]!.scriptS) * 1000) / aloneSpan
      : undefined;
    const aloneGap = Math.max(0, ...alone.slice(1).map((s) => s.maxGapMs));
    const span = inFlood.length >= 2 ? (inFlood.at(-1)!.at - inFlood[0]!.at) / 1000 : 0;
    const scriptPerS = span ? ((inFlood.at(-1)!.scriptS - inFlood[0]!.scriptS) * 1000) / span : undefined;
    const taskPerS = span ? ((inFlood.at(-1)!.taskS - inFlood[0]!.taskS) * 1000) / span : undefined;
    const maxGap = Math.max(0, ...inFlood.map((s) => s.maxGapMs));
    const gaps = inFlood.map((s) => s.maxGapMs).sort((a, b) => a - b);
    const rBefore = nearest(samples, f.floodStart - 1000)?.rendererRss;
    const rDuring = Math.max(0, ...inFlood.map((s) => s.rendererRss));
    const rAfter = nearest(samples, (f.caughtUp ?? f.floodEnd + 120_000) + 3000)?.rendererRss;
    const panel = f.panel
      ? `; panel counted ${f.panel.received}, dropped ${f.panel.dropped}, showing ${f.panel.shown}`
      : '';
    console.log(`  ${f.rate} msg/s:`);
    console.log(
      `    counts: published ${f.published ?? 'n/a'}, received by the client ${f.received}, rows shown ${f.shown ?? 'n/a'}${panel}`,
    );
    if (f.publisherOutput) console.log(`    publisher: ${f.publisherOutput}`);
    console.log(
      `    publish-to-drawn lag: oldest new row per frame p50 ${ms(f.lagOldestNewP50)}, p95 ${ms(f.lagOldestNewP95)}; newest row p50 ${ms(f.lagNewestP50)}, p95 ${ms(f.lagNewestP95)} (${f.frames} frames)`,
    );
    console.log(
      `    flood alone (start to the Clear click, ${aloneSpan.toFixed(0)} s): script ${ms(aloneScript)}/s, largest stall ${ms(aloneGap)}`,
    );
    console.log(
      `    renderer main thread, whole flood with the clicks and the palette: script ${ms(scriptPerS)}/s, tasks ${ms(taskPerS)}/s; largest stall ${ms(maxGap)} (p95 of per-second max ${ms(gaps[Math.floor(gaps.length * 0.95)])}); just before the flood: script ${ms(quietScript)}/s, largest stall ${ms(quietGap)}`,
    );
    console.log(
      `    Clear to drawn: ${f.clearError ?? ms(f.clearMs)}; palette command to effect: ${f.commandError ?? ms(f.commandMs)}`,
    );
    console.log(
      `    memory: renderer ${mb(rBefore)} before, ${mb(rDuring)} peak during, ${mb(rAfter)} after; extension host rss ${mb(f.extHost.before.rss)} / ${mb(f.extHost.during.rss)} / ${mb(f.extHost.after.rss)} (heap after a full GC ${mb(f.extHost.before.heapUsed)} / during, no GC ${mb(f.extHost.during.heapUsed)} / after a full GC ${mb(f.extHost.after.heapUsed)})`,
    );
    console.log(
      f.caughtUp === null
        ? '    not caught up 120 s after the publisher finished'
        : `    caught up ${ms(f.caughtUp - f.floodEnd)} after the publisher finished`,
    );
  }
  const last = floods.at(-1)!;
  const total = floods.reduce((n, f) => n + f.received, 0);
  console.log(
    `  extension host over ${total} messages: rss ${mb(first.extHost.before.rss)} -> ${mb(last.extHost.after.rss)} (${mb(last.extHost.after.rss - first.extHost.before.rss)}), heap ${mb(first.extHost.before.heapUsed)} -> ${mb(last.extHost.after.heapUsed)}`,
  );
}

main();

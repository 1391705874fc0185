// The browser side of bench/mqttPanelLoad, used by scripts/run-integration.mjs only when ETLS_BENCH_PROBE
// names a file: samples the workbench page once a second (CDP Performance metrics of the renderer's
// main thread, the largest gap of a 20 ms heartbeat, renderer memory) into that file as JSON lines,
// and performs the user actions the bench asks for through a request file (a click on the MQTT panel's
// Clear button, a command run from the Command Palette), recording when each was done.
import {
  existsSync,
  readFileSync,
  readdirSync,
  appendFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resident memory (bytes) of the Chromium renderer processes started under this (the harness's) process. */
function rendererRss(harnessPid) {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      // Renderers are children of a zygote, under the browser, under the harness: walk up a few levels.
      let p = ppid;
      let ours = false;
      for (let i = 0; i < 5 && p > 1; i++) {
        if (p === harnessPid) {
          ours = true;
          break;
        }
        p = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]);
      }
      if (ours) total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // the process ended while it was read
    }
  }
  return total;
}

/** The frame holding the MQTT panel's webview content (it has the panel's #app). */
async function panelFrame(page) {
  for (const f of page.frames()) {
    try {
      if (await f.$('#app vscode-button[icon="clear-all"]')) return f;
    } catch {
      // a frame that went away
    }
  }
  return undefined;
}

/** Rejects after ms: a renderer that never gets to the action is a result, not a hang. */
const within = (ms, what, p) =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what}: not done within ${ms} ms`)))]);

async function act(page, request) {
  if (request.kind === 'clickClear') {
    const frame = await within(30_000, 'finding the panel', panelFrame(page));
    if (!frame) throw new Error('no MQTT panel with a Clear button');
    // The click is dispatched in the page, as the user's would be: it waits for the busy main thread.
    const at = Date.now();
    await within(
      60_000,
      'clicking Clear',
      frame.$eval('#app vscode-button[icon="clear-all"]', (el) => el.click()),
    );
    return { at };
  }
  if (request.kind === 'command') {
    const at = Date.now();
    await within(60_000, 'opening the Command Palette', page.keyboard.press('F1'));
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
    await page.keyboard.type(`>${request.title}`);
    // Wait until the palette lists it, so Enter runs this command and not the first one shown.
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${request.title}"]`, {
      timeout: 30_000,
    });
    await page.keyboard.press('Enter');
    return { at };
  }
  throw new Error(`unknown bench action ${request.kind}`);
}

export async function startBenchProbe(page, harnessPid, samplesFile, requestsDir) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.evaluate(() => {
    const w = globalThis;
    w.__etlsMaxGap = 0;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.__etlsMaxGap = Math.max(w.__etlsMaxGap, now - last - 20);
      last = now;
    }, 20);
  });
  let stopped = false;
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    const maxGap = await page.evaluate(() => {
      const g = globalThis.__etlsMaxGap;
      globalThis.__etlsMaxGap = 0;
      return g;
    });
    appendFileSync(
      samplesFile,
      JSON.stringify({
        at: Date.now(),
        scriptS: m.ScriptDuration,
        taskS: m.TaskDuration,
        jsHeapUsed: m.JSHeapUsedSize,
        maxGapMs: maxGap,
        rendererRss: rendererRss(harnessPid),
      }) + '\n',
    );
  };
  const loop = async () => {
    let next = Date.now();
    while (!stopped) {
      // After a stall, the next sample is a second later, not a burst to catch up.
      next = Math.max(next + 1000, Date.now());
      try {
        await sample();
      } catch {
        // the page is busy navigating or closing
      }
      await sleep(Math.max(0, next - Date.now()));
    }
  };
  const actions = async () => {
    const request = join(requestsDir, 'bench-action.json');
    while (!stopped) {
      if (existsSync(request)) {
        let reply;
        try {
          reply = await act(page, JSON.parse(readFileSync(request, 'utf8')));
        } catch (e) {
          reply = { error: e.message };
        }
        rmSync(request, { force: true });
        const done = join(requestsDir, 'bench-action-done.json');
        writeFileSync(`${done}.tmp`, JSON.stringify(reply));
        renameSync(`${done}.tmp`, done);
      }
      await sleep(20);
    }
  };
  void loop();
  void actions();
  return () => {
    stopped = true;
  };
}

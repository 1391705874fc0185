// One build script, several targets: the extension host bundle, the `etls` CLI, the webviews and the
// integration test bundle. `vscode` stays external; serialport's native prebuilds are copied beside.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** serialport finds its .node file relative to its own package; once bundled, point it at dist/native. */
const serialportNative = {
  name: 'serialport-native',
  setup(build) {
    build.onLoad({ filter: /bindings-cpp[\\/]dist[\\/]serialport-bindings\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        "(0, path_1.join)(__dirname, '../')",
        "(0, path_1.join)(__dirname, 'native')",
      ),
      loader: 'js',
    }));
  },
};

/**
 * node-forge, mqtt.js and serialport are half the bundle, and activation needs none of them. In the
 * extension and the CLI each is a stand-in that requires its own bundle (dist/lib/<name>.js) the first
 * time a property is read; the named exports listed here are stand-ins too (classes can be constructed
 * and their statics read). Type-only imports never reach the bundle.
 */
const LAZY = { 'node-forge': [], mqtt: ['MqttClient'], serialport: ['SerialPort'] };
const lazyLibraries = {
  name: 'lazy-libraries',
  setup(build) {
    const names = Object.keys(LAZY).map((n) => n.replace(/[-/]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'lazy',
    }));
    build.onResolve({ filter: /^\.\/lib\/.*\.js$/, namespace: 'lazy' }, (args) => ({
      path: args.path,
      external: true,
    }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
      const file = `./lib/${args.path}.js`;
      const named = LAZY[args.path]
        .map((n) => `export const ${n} = lazy(() => load()[${JSON.stringify(n)}]);`)
        .join('\n');
      return {
        contents: `
let mod;
const load = () => (mod ??= require(${JSON.stringify(file)}));
function lazy(get) {
  return new Proxy(function () {}, {
    get: (_, k) => (k === '__esModule' ? undefined : Reflect.get(get(), k)),
    has: (_, k) => k in get(),
    construct: (_, args) => Reflect.construct(get(), args),
    apply: (_, self, args) => Reflect.apply(get(), self, args),
  });
}
export default lazy(load);
${named}
`,
        loader: 'js',
        resolveDir: process.cwd(),
      };
    });
  },
};

/** The lazily required libraries, one bundle each; serialport finds dist/native from dist/lib. */
const libraryNative = {
  name: 'serialport-native-lib',
  setup(build) {
    build.onLoad({ filter: /bindings-cpp[\\/]dist[\\/]serialport-bindings\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        "(0, path_1.join)(__dirname, '../')",
        "(0, path_1.join)(__dirname, '../native')",
      ),
      loader: 'js',
    }));
  },
};

/**
 * What each library bundle exports. mqtt.js: only its client, which is all the core uses (session.ts),
 * without the websocket, SOCKS and mini-program transports that `mqtt`'s index loads at require time.
 */
const LIBRARY_ENTRIES = {
  'node-forge': `module.exports = require('node-forge');`,
  mqtt: `module.exports = { MqttClient: require('mqtt/lib/client').default };`,
  serialport: `module.exports = require('serialport');`,
};

/**
 * Two of mqtt.js's dependencies are browser stand-ins, and each call of `etls probe` paid for them:
 * readable-stream is Node's own stream module copied for browsers (Node's is already loaded for the
 * socket), and worker-timers runs timers in a Web Worker, which mqtt.js picks only in a browser
 * (get-timer.js; Node gets setInterval).
 */
const nodeOnly = {
  name: 'node-only',
  setup(build) {
    build.onResolve({ filter: /^readable-stream$/ }, () => ({ path: 'node:stream', external: true }));
    build.onResolve({ filter: /^worker-timers$/ }, () => ({
      path: 'worker-timers',
      namespace: 'browser-only',
    }));
    build.onLoad({ filter: /.*/, namespace: 'browser-only' }, () => ({
      contents: `const browserOnly = () => { throw new Error('worker-timers: browsers only'); };
module.exports = { setInterval: browserOnly, clearInterval: browserOnly, setTimeout: browserOnly, clearTimeout: browserOnly };`,
      loader: 'js',
    }));
  },
};

/**
 * Ends each CLI bundle with the SHA-256 of its bytes, so the start-up can name its code cache by the
 * bundle's content without hashing 600 KB on every call (src/cli/compileCache.ts).
 */
const bundleStamp = {
  name: 'bundle-stamp',
  setup(build) {
    build.initialOptions.metafile = true;
    build.onEnd((result) => {
      for (const out of Object.keys(result.metafile?.outputs ?? {})) {
        if (!out.endsWith('.js') || !existsSync(out)) continue;
        const bytes = readFileSync(out);
        const hash = createHash('sha256').update(bytes).digest('hex');
        appendFileSync(out, `\n// etls-bundle-sha256: ${hash}\n`);
      }
    });
  },
};

const integrationTests = {
  name: 'integration-tests',
  setup(build) {
    build.onResolve({ filter: /^etls:integration-tests$/ }, () => ({
      path: 'tests',
      namespace: 'etls-tests',
    }));
    build.onLoad({ filter: /.*/, namespace: 'etls-tests' }, () => ({
      contents: listTests('test/integration')
        .map((f) => `require(${JSON.stringify('./' + f.replaceAll('\\', '/'))});`)
        .join('\n'),
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  plugins: [serialportNative],
  logLevel: 'warning',
};

function listTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f));
}

function webviewEntries() {
  if (!existsSync('webview')) return {};
  const entries = {};
  for (const d of readdirSync('webview', { withFileTypes: true })) {
    if (d.isDirectory() && existsSync(join('webview', d.name, 'main.ts')))
      entries[d.name] = join('webview', d.name, 'main.ts');
  }
  return entries;
}

const targets = [
  // The scan worker (src/extension/explorer/scanWorker.ts) runs in a worker thread of the extension host;
  // the pool finds it beside extension.js.
  {
    ...node,
    entryPoints: {
      extension: 'src/extension/extension.ts',
      scanWorker: 'src/extension/explorer/scanWorker.ts',
    },
    outdir: 'dist',
    plugins: [serialportNative, lazyLibraries],
  },
  {
    ...node,
    entryPoints: Object.fromEntries(Object.keys(LAZY).map((n) => [n, `lazy-entry:${n}`])),
    outdir: 'dist/lib',
    plugins: [
      libraryNative,
      nodeOnly,
      bundleStamp,
      {
        name: 'lazy-entries',
        setup(build) {
          build.onResolve({ filter: /^lazy-entry:/ }, (args) => ({
            path: args.path.slice(11),
            namespace: 'lazy-entry',
          }));
          build.onLoad({ filter: /.*/, namespace: 'lazy-entry' }, (args) => ({
            contents: LIBRARY_ENTRIES[args.path],
            resolveDir: process.cwd(),
            loader: 'js',
          }));
        },
      },
    ],
  },
  // `etls`: dist/cli.js is a small start-up (src/cli/bin.ts) that loads dist/cliMain.js, and the
  // libraries in dist/lib, through V8's code cache in the user's cache folder (docs/development.md).
  {
    ...node,
    entryPoints: { cli: 'src/cli/bin.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...node,
    entryPoints: { cliMain: 'src/cli/main.ts' },
    outdir: 'dist',
    plugins: [serialportNative, lazyLibraries, bundleStamp],
    // `etls --version` prints the package's own version.
    define: {
      ETLS_PACKAGE_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version),
    },
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    entryPoints: webviewEntries(),
    outdir: 'dist/webview',
    loader: { '.ttf': 'file', '.css': 'css' },
    logLevel: 'warning',
  },
  // The integration suite runs inside VS Code's extension host: one bundle with every *.test.ts in it,
  // imported through the virtual module `etls:integration-tests`.
  {
    ...node,
    entryPoints: { index: 'test/integration/index.ts' },
    outdir: 'out/test/integration',
    // mocha loads from the repo's node_modules: bundling it breaks its reporters' dynamic requires.
    external: ['vscode', 'mocha'],
    plugins: [serialportNative, integrationTests],
  },
  {
    ...node,
    entryPoints: { runElectron: 'test/integration/runElectron.ts' },
    outdir: 'out/test',
    external: ['vscode', '@vscode/test-electron'],
  },
];

function copyStatic() {
  const src = 'node_modules/@serialport/bindings-cpp/prebuilds';
  rmSync('dist/native', { recursive: true, force: true });
  mkdirSync('dist/native', { recursive: true });
  if (existsSync(src)) cpSync(src, 'dist/native/prebuilds', { recursive: true });
  const codicons = 'node_modules/@vscode/codicons/dist';
  if (existsSync(codicons)) cpSync(codicons, 'dist/codicons', { recursive: true });
  // The board TLS engines (wasm/ABI.md), built by scripts/build-wasm.mjs and committed.
  rmSync('dist/wasm', { recursive: true, force: true });
  if (existsSync('wasm/dist')) cpSync('wasm/dist', 'dist/wasm', { recursive: true });
}

const active = targets.filter((t) => {
  const e = t.entryPoints;
  return (
    Object.values(e).every((p) => p.startsWith('lazy-entry:') || existsSync(p)) && Object.keys(e).length > 0
  );
});

copyStatic();
if (watch) {
  for (const t of active) (await esbuild.context(t)).watch();
} else {
  await Promise.all(active.map((t) => esbuild.build(t)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}

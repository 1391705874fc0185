// `etls` as installed (dist/cli.js): a small start-up that loads the CLI bundle (dist/cliMain.js) and
// the libraries it needs through V8's code cache in the user's cache folder, then runs the command.
// NODE_DISABLE_COMPILE_CACHE=1, or source maps turned on, loads the bundle with plain require instead.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BundleLoader, cacheFolder } from './compileCache';

type CliMain = { main(argv: string[]): Promise<void> };

const argv = process.argv.slice(2);
const bundle = join(__dirname, 'cliMain.js');
const plain = !!process.env['NODE_DISABLE_COMPILE_CACHE'] || process.sourceMapsEnabled;
let cli: CliMain;
if (plain) cli = createRequire(__filename)(bundle) as CliMain;
else {
  // Each command keeps its own cache: it holds the functions that command compiled.
  const command = argv[0] && /^[a-z]+$/.test(argv[0]) ? argv[0] : 'help';
  const loader = new BundleLoader(cacheFolder(process.env), command);
  // Only a run that did its work (0, or 1 for "found a problem") is worth a cache: not a mistyped name.
  process.once('exit', (code) => (code === 0 || code === 1) && loader.save());
  cli = loader.load(bundle) as CliMain;
}
void cli.main(argv);

import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/main';
import { commands } from '../../../src/cli/commands';
import { captureIo } from '../../support/cliIo';

const io = captureIo;

describe('etls entry point', () => {
  it('lists every command in help without loading them', async () => {
    const o = io();
    assert.equal(await runCli(['help'], o), 0);
    for (const c of commands) assert.match(o.stdout, new RegExp(`\\b${c.name}\\b`));
  });

  it('says which command is unknown and exits 2', async () => {
    const o = io();
    assert.equal(await runCli(['flash'], o), 2);
    assert.match(o.stderr, /unknown command "flash"/);
  });

  it('explains a command whose native module does not load, instead of exiting silently', async () => {
    const entry = {
      name: 'ports-broken',
      summary: 'x',
      load: () => Promise.reject(new Error('No native build was found for platform=linux arch=x64')),
    };
    commands.push(entry);
    try {
      const o = io();
      assert.equal(await runCli(['ports-broken'], o), 70);
      assert.match(
        o.stderr,
        /^etls ports-broken: cannot start: its native serial-port module does not load on /,
      );
      assert.match(o.stderr, /Reinstall etls on this machine/);
    } finally {
      commands.splice(commands.indexOf(entry), 1);
    }
  });

  it('turns bad arguments into a sentence plus the usage, exit 2', async () => {
    const o = io();
    assert.equal(await runCli(['inspect', '--frobnicate'], o), 2);
    assert.match(o.stderr, /etls inspect: unknown option --frobnicate/);
    assert.match(o.stderr, /Usage: etls inspect/);
  });
});

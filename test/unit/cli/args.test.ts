import { strict as assert } from 'node:assert';
import { hasFlag, optionValue, parseArgs } from '../../../src/core/args';
import { EtlsError } from '../../../src/core/errors';
import { parseHeaderArgs } from '../../../src/core/headers';
import { secretFromEnv } from '../../../src/cli/command';

const spec = { flags: ['json', 'force'], options: ['output', 'to'], aliases: { o: 'output' } };
const refused = (args: string[], message: RegExp) =>
  assert.throws(
    () => parseArgs(args, spec),
    (e: unknown) => e instanceof EtlsError && e.code === 'invalid-argument' && message.test(e.message),
  );

describe('the option parser every etls command uses', () => {
  it('takes --name value, --name=value, short aliases, flags, repeats and positionals in order', () => {
    const p = parseArgs(['a.pem', '--to', 'der', '-o', 'x.der', '--json', 'b.pem', '--to=pem', '-'], spec);
    assert.deepEqual(p.positional, ['a.pem', 'b.pem', '-']);
    assert.deepEqual(p.options.get('to'), ['der', 'pem']);
    assert.equal(optionValue(p, 'to'), 'pem');
    assert.equal(optionValue(p, 'output'), 'x.der');
    assert.ok(hasFlag(p, 'json') && !hasFlag(p, 'force'));
  });

  it('passes everything after -- through as files, even names that look like options', () => {
    assert.deepEqual(parseArgs(['--', '--json', '-o'], spec).positional, ['--json', '-o']);
  });

  it('names the option as it was typed when it is unknown, lacks a value or takes none', () => {
    refused(['--frobnicate'], /^unknown option --frobnicate$/);
    refused(['-x'], /^unknown option -x$/);
    refused(['-o'], /^-o needs a value$/);
    refused(['--to'], /^--to needs a value$/);
    refused(['--json=yes'], /^--json takes no value$/);
  });

  it('reads the command line recorded in a generated header the same way', () => {
    const a = parseHeaderArgs(['certs/ca.pem', '-o', 'include/certs.h', '--static', '--name', 'root_ca']);
    assert.deepEqual(a.positional, ['certs/ca.pem']);
    assert.equal(optionValue(a, 'output'), 'include/certs.h');
    assert.ok(hasFlag(a, 'static'));
    assert.throws(() => parseHeaderArgs(['--statik']), /unknown option --statik/);
  });
});

describe('secrets named by an option', () => {
  const io = { out() {}, err() {}, cwd: '/', env: { KEYPASS: 'hunter2' } };
  const parsed = (args: string[]) => parseArgs(args, { options: ['passphrase-env'] });

  it('reads the variable the option names, and nothing when the option is absent', () => {
    assert.equal(secretFromEnv(io, parsed(['--passphrase-env', 'KEYPASS']), 'passphrase-env'), 'hunter2');
    assert.equal(secretFromEnv(io, parsed([]), 'passphrase-env'), undefined);
  });

  it('says how to set a variable that is missing, without a value in the message', () => {
    assert.throws(
      () => secretFromEnv(io, parsed(['--passphrase-env', 'NOPE']), 'passphrase-env'),
      (e: unknown) =>
        e instanceof EtlsError &&
        /the environment variable NOPE is not set/.test(e.message) &&
        /read -rs NOPE/.test(e.fix ?? ''),
    );
  });
});

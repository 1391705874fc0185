// Reading a user's file is bounded: devices and FIFOs are refused from the opened descriptor's stat,
// a file over the limit is refused before it is read, a stream stops at the limit.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isEtlsError } from '../../../src/core/errors';
import {
  MAX_USER_FILE_BYTES,
  nodeFileSystem,
  readFileBounded,
  readFileBoundedSync,
  readStreamBounded,
} from '../../../src/core/node/fileSystem';
import { fastReadFileSystem } from '../../../src/core/check/nodePorts';
import { DEFAULT_MAX_BYTES } from '../../../src/core/x509';

const code = (c: string, re?: RegExp) => (e: unknown) =>
  isEtlsError(e) && e.code === c && (!re || re.test(e.message));

describe('bounded reads of user files', () => {
  const dir = mkdtempSync(join(process.env['TMPDIR'] ?? tmpdir(), 'etls-bounded-'));

  it('uses the same limit as the reader', () => {
    assert.equal(MAX_USER_FILE_BYTES, DEFAULT_MAX_BYTES);
  });

  it('refuses /dev/zero as a device, synchronously and not', async () => {
    assert.throws(
      () => readFileBoundedSync('/dev/zero'),
      code('unsupported', /character device, not a file/),
    );
    await assert.rejects(readFileBounded('/dev/zero'), code('unsupported', /character device/));
    await assert.rejects(nodeFileSystem.readFile('/dev/zero'), code('unsupported'));
    await assert.rejects(fastReadFileSystem.readFile('/dev/zero'), code('unsupported'));
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(dir, 'cert.pem');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => readFileBoundedSync(fifo), code('unsupported', /named pipe \(FIFO\)/));
    await assert.rejects(readFileBounded(fifo), code('unsupported', /FIFO/));
  });

  it('refuses a folder and a missing file with their sentences', async () => {
    mkdirSync(join(dir, 'x.c'));
    assert.throws(() => readFileBoundedSync(join(dir, 'x.c')), code('io', /is a folder, not a file/));
    await assert.rejects(readFileBounded(join(dir, 'nope.pem')), code('not-found'));
  });

  it('refuses a file over the limit from its size, and reads one at the limit whole', async () => {
    const f = join(dir, 'big.der');
    writeFileSync(f, Buffer.alloc(1025, 0x30));
    assert.throws(() => readFileBoundedSync(f, 1024), code('too-large', /is 0\.0 MB/));
    await assert.rejects(readFileBounded(f, 1024), code('too-large'));
    assert.equal(readFileBoundedSync(f, 1025).length, 1025);
    assert.equal((await readFileBounded(f, 1025)).length, 1025);
    assert.equal((await readFileBounded(f)).length, 1025);
  });

  it('stops reading a stream past the limit', async () => {
    const endless = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(4096);
      })(),
    );
    await assert.rejects(
      readStreamBounded(endless, 'standard input', 100_000),
      code('too-large', /more than/),
    );
    assert.equal((await readStreamBounded(Readable.from([Buffer.from('ab'), 'c']), 'x')).length, 3);
  });
});

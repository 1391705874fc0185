import { strict as assert } from 'node:assert';
import { caCert, cert, check, codes, deviceSet, file, key, only, project } from './fixtures';

describe('rules: files and headers', () => {
  it('reports a profile file that does not exist, on the project line', async () => {
    const p = project({ d: { ca: 'ca.pem', cert: 'missing.pem' } });
    const { findings } = await check(deviceSet(), p, { projectText: JSON.stringify(p.file, null, 2) });
    const [f] = only(findings, 'file-not-found');
    assert.equal(f?.file, '/ws/embedded-tls.json');
    assert.equal(f?.range?.start.line, 4);
    // Present on disk but not scanned (excluded by the host's globs): not "missing".
    const present = await check(deviceSet(), p, {
      stat: async (path) => (path === '/ws/missing.pem' ? { mode: 0o644 } : undefined),
    });
    assert.deepEqual(only(present.findings, 'file-not-found'), []);
  });

  it('reports a profile slot holding the wrong kind of object, or the CA as device certificate', async () => {
    const wrong = await check(deviceSet(), project({ d: { key: 'device.pem', cert: 'device.key' } }));
    assert.deepEqual(codes(wrong.findings), ['profile-wrong-kind', 'profile-wrong-kind']);
    const caAsCert = await check(deviceSet(), project({ d: { ca: 'ca.pem', cert: 'ca.pem' } }));
    assert.deepEqual(codes(caAsCert.findings), ['profile-wrong-kind']);
  });

  it('turns reader problems into findings at their location', async () => {
    const broken = file('bad.pem', [], {
      problems: [
        {
          index: 0,
          code: 'truncated',
          message: 'the PEM block ends early',
          fix: 'Copy it again.',
          location: { container: 'pem', start: { line: 3, column: 0 }, end: { line: 9, column: 0 } },
        },
      ],
    });
    const [f] = (await check([broken])).findings;
    assert.equal(f?.code, 'file-unreadable');
    assert.equal(f?.severity, 'warning');
    assert.equal(f?.range?.start.line, 3);
    assert.match(f!.message, /ends early\. Copy it again\./);
    const inSource = { ...broken, path: '/ws/src/vectors.c', encoding: 'source' as const };
    assert.equal((await check([inSource])).findings[0]?.severity, 'info');
  });

  it('reports a header whose embedded certificate is not the current input, with a regenerate fix', async () => {
    const current = cert({ cn: 'device-01', issuerCn: 'Dev CA' });
    const old = { ...current, sha256Fingerprint: 'old-fingerprint' };
    const header = (c: typeof current) => file('include/certs.h', [c], { encoding: 'source' });
    const p = project({ d: { headers: [{ output: 'include/certs.h', inputs: [{ file: 'device.pem' }] }] } });
    const base = [file('ca.pem', [caCert('Dev CA')]), file('device.pem', [current])];
    const stale = await check([...base, header(old)], p);
    const [f] = only(stale.findings, 'header-stale');
    assert.equal(f?.file, '/ws/include/certs.h');
    assert.deepEqual(f?.fix?.kind, 'regenerate-header');
    assert.equal(f?.fix?.args['header'], 0);
    assert.deepEqual(only((await check([...base, header(current)], p)).findings, 'header-stale'), []);
    // Not generated yet: nothing to say.
    assert.deepEqual(only((await check(base, p)).findings, 'header-stale'), []);
  });

  it('matches keys in headers by public key', async () => {
    const p = project({ d: { headers: [{ output: 'k.h', inputs: [{ file: 'device.key' }] }] } });
    const files = [
      file('device.key', [key()]),
      file('k.h', [key({ keyId: 'another' })], { encoding: 'source' }),
    ];
    assert.deepEqual(codes((await check(files, p)).findings), ['header-stale']);
  });
});

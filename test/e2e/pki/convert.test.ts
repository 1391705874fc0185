// `etls convert` against openssl's own output, byte for byte.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls, openssl, removeDir, requireBuiltCli, tempDir, tool } from './helpers';

describe('e2e: etls convert', function () {
  this.timeout(120_000);
  let w = '';
  const at = (f: string) => join(w, f);
  const read = (f: string) => readFileSync(at(f));
  const run = async (args: string[], env?: Record<string, string>) => {
    const r = await etls(['convert', ...args], { cwd: w, ...(env ? { env } : {}) });
    assert.equal(r.code, 0, r.stderr);
    return r;
  };

  before(() => {
    requireBuiltCli();
    w = tempDir('convert');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', at('rsa.p8.pem'));
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', at('ec.p8.pem'));
    openssl(
      'req',
      '-new',
      '-x509',
      '-key',
      at('ec.p8.pem'),
      '-subj',
      '/CN=conv-test',
      '-days',
      '5',
      '-out',
      at('cert.pem'),
    );
    openssl('req', '-new', '-key', at('rsa.p8.pem'), '-subj', '/CN=conv-csr', '-out', at('req.csr'));
  });
  after(() => removeDir(w));

  for (const [name, trad] of [
    ['rsa', 'pkcs1'],
    ['ec', 'sec1'],
  ] as const) {
    it(`${name}: PKCS#8 → ${trad} equals openssl pkey -traditional, in PEM and DER`, async () => {
      await run([`${name}.p8.pem`, '--to', 'pem', '--key-format', trad, '-o', `${name}.trad.key`]);
      assert.deepEqual(
        read(`${name}.trad.key`),
        openssl('pkey', '-in', at(`${name}.p8.pem`), '-traditional'),
      );
      await run([`${name}.p8.pem`, '--to', 'der', '--key-format', trad, '-o', `${name}.trad.der`]);
      assert.deepEqual(
        read(`${name}.trad.der`),
        openssl('pkey', '-in', at(`${name}.p8.pem`), '-traditional', '-outform', 'DER'),
      );
      assert.equal(statSync(at(`${name}.trad.der`)).mode & 0o777, 0o600);
    });

    it(`${name}: ${trad} → PKCS#8 equals openssl pkcs8 -topk8 -nocrypt, and DER → PEM round-trips`, async () => {
      await run([`${name}.trad.key`, '--to', 'pem', '--key-format', 'pkcs8', '-o', `${name}.back.pem`]);
      assert.deepEqual(
        read(`${name}.back.pem`),
        openssl('pkcs8', '-topk8', '-nocrypt', '-in', at(`${name}.trad.key`)),
      );
      assert.deepEqual(read(`${name}.back.pem`), read(`${name}.p8.pem`));
      await run([`${name}.trad.der`, '--to', 'der', '--key-format', 'pkcs8', '-o', `${name}.p8.der`]);
      assert.deepEqual(
        read(`${name}.p8.der`),
        openssl('pkcs8', '-topk8', '-nocrypt', '-in', at(`${name}.trad.key`), '-outform', 'DER'),
      );
      await run([`${name}.p8.der`, '--to', 'pem', '-o', `${name}.p8.again.pem`]);
      assert.deepEqual(read(`${name}.p8.again.pem`), read(`${name}.p8.pem`));
    });
  }

  it('certificate PEM ↔ DER equals openssl x509 -outform DER / -inform DER', async () => {
    await run(['cert.pem', '--to', 'der']);
    assert.deepEqual(read('cert.der'), openssl('x509', '-in', at('cert.pem'), '-outform', 'DER'));
    await run(['cert.der', '--to', 'pem', '-o', 'cert.back.pem']);
    assert.deepEqual(read('cert.back.pem'), openssl('x509', '-in', at('cert.der'), '-inform', 'DER'));
    assert.deepEqual(read('cert.back.pem'), read('cert.pem'));
    assert.equal(statSync(at('cert.der')).mode & 0o777, 0o644);
  });

  it('CSR PEM ↔ DER equals openssl req -outform DER / -inform DER', async () => {
    await run(['req.csr', '--to', 'der']);
    assert.deepEqual(read('req.csr.der'), openssl('req', '-in', at('req.csr'), '-outform', 'DER'));
    await run(['req.csr.der', '--to', 'pem', '-o', 'req.back.csr']);
    assert.deepEqual(read('req.back.csr'), openssl('req', '-in', at('req.csr.der'), '-inform', 'DER'));
  });

  it('removes a pass phrase (PKCS#8 PBES2 and legacy PEM) given through an environment variable', async () => {
    openssl(
      'pkey',
      '-in',
      at('rsa.p8.pem'),
      '-aes256',
      '-passout',
      'pass:hunter2',
      '-out',
      at('rsa.enc.pem'),
    );
    openssl(
      'pkey',
      '-in',
      at('ec.p8.pem'),
      '-traditional',
      '-aes128',
      '-passout',
      'pass:hunter2',
      '-out',
      at('ec.legacy.pem'),
    );
    assert.match(read('ec.legacy.pem').toString(), /Proc-Type: 4,ENCRYPTED/);
    const r = await run(
      ['rsa.enc.pem', '--to', 'pem', '--passphrase-env', 'KEYPASS', '-o', 'rsa.plain.pem'],
      { KEYPASS: 'hunter2' },
    );
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
    assert.deepEqual(
      read('rsa.plain.pem'),
      openssl('pkey', '-in', at('rsa.enc.pem'), '-passin', 'pass:hunter2'),
    );
    await run(['ec.legacy.pem', '--to', 'pem', '--passphrase-env', 'KEYPASS', '-o', 'ec.plain.key'], {
      KEYPASS: 'hunter2',
    });
    assert.deepEqual(
      read('ec.plain.key'),
      openssl('pkey', '-in', at('ec.legacy.pem'), '-passin', 'pass:hunter2', '-traditional'),
    );
    assert.equal(statSync(at('ec.plain.key')).mode & 0o777, 0o600);
  });

  it('a wrong or missing pass phrase is a sentence with a fix, and writes nothing', async () => {
    const wrong = await etls(
      ['convert', 'rsa.enc.pem', '--to', 'der', '--passphrase-env', 'KEYPASS', '-o', 'nope.der'],
      { cwd: w, env: { KEYPASS: 'wrong' } },
    );
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /pass phrase does not open/);
    const missing = await etls(['convert', 'rsa.enc.pem', '--to', 'der', '-o', 'nope.der'], { cwd: w });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /protected by a pass phrase.*--passphrase-env/s);
    for (const r of [wrong, missing]) assert.doesNotMatch(r.stderr, /\n\s+at |hunter2|wrong\b.*wrong/);
    assert.equal(tool('test', ['-e', at('nope.der')]).code, 1);
  });

  it('imports an openssl PKCS#12 (AES default and -legacy) into certificate, key and chain equal to openssl pkcs12 output', async () => {
    openssl(
      'req',
      '-new',
      '-x509',
      '-key',
      at('rsa.p8.pem'),
      '-subj',
      '/CN=conv-ca',
      '-days',
      '5',
      '-out',
      at('ca.pem'),
    );
    for (const legacy of [false, true]) {
      const p12 = `bundle${legacy ? '-legacy' : ''}.p12`;
      openssl(
        'pkcs12',
        '-export',
        ...(legacy ? ['-legacy'] : []),
        '-in',
        at('cert.pem'),
        '-inkey',
        at('ec.p8.pem'),
        '-certfile',
        at('ca.pem'),
        '-passout',
        'pass:p12pass',
        '-out',
        at(p12),
      );
      const base = `imported${legacy ? '-legacy' : ''}`;
      await run([p12, '--to', 'pem', '--passphrase-env', 'P12', '-o', base], { P12: 'p12pass' });
      // Reading RC2-40 back needs openssl's legacy provider too.
      const read12 = [...(legacy ? ['-legacy'] : []), '-in', at(p12), '-passin', 'pass:p12pass'];
      const leaf = openssl('pkcs12', ...read12, '-clcerts', '-nokeys');
      assert.deepEqual(
        openssl('x509', '-in', at(`${base}.pem`), '-outform', 'DER'),
        tool('openssl', ['x509', '-outform', 'DER'], leaf).stdout,
      );
      const keyPem = openssl('pkcs12', ...read12, '-nocerts', '-nodes');
      assert.deepEqual(read(`${base}.key`), tool('openssl', ['pkey'], keyPem).stdout);
      assert.equal(statSync(at(`${base}.key`)).mode & 0o777, 0o600);
      const cas = openssl('pkcs12', ...read12, '-cacerts', '-nokeys');
      assert.deepEqual(
        openssl('x509', '-in', at(`${base}-chain.pem`), '-outform', 'DER'),
        tool('openssl', ['x509', '-outform', 'DER'], cas).stdout,
      );
    }
    const wrong = await etls(['convert', 'bundle.p12', '--to', 'pem', '--passphrase-env', 'P12', '-o', 'x'], {
      cwd: w,
      env: { P12: 'nope' },
    });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /pass phrase does not open this PKCS#12/);
  });

  it('exports a PKCS#12 that openssl opens, holding the same certificate, key and chain (EC and RSA)', async () => {
    openssl(
      'req',
      '-new',
      '-x509',
      '-key',
      at('rsa.p8.pem'),
      '-subj',
      '/CN=rsa-leaf',
      '-days',
      '5',
      '-out',
      at('rsa-cert.pem'),
    );
    for (const [cert, key] of [
      ['cert.pem', 'ec.p8.pem'],
      ['rsa-cert.pem', 'rsa.trad.key'],
    ] as const) {
      const out = `${cert}.p12`;
      await run(
        [
          cert,
          '--to',
          'p12',
          '--key',
          key,
          '--chain',
          'ca.pem',
          '--export-passphrase-env',
          'P12',
          '--name',
          'device',
          '-o',
          out,
        ],
        { P12: 'exp0rt' },
      );
      assert.equal(statSync(at(out)).mode & 0o777, 0o600);
      const info = tool('openssl', ['pkcs12', '-in', at(out), '-passin', 'pass:exp0rt', '-info', '-nodes']);
      assert.equal(info.code, 0, info.stderr);
      assert.match(info.stderr, /MAC: sha256/);
      const leaf = openssl('pkcs12', '-in', at(out), '-passin', 'pass:exp0rt', '-clcerts', '-nokeys');
      assert.deepEqual(
        tool('openssl', ['x509', '-outform', 'DER'], leaf).stdout,
        openssl('x509', '-in', at(cert), '-outform', 'DER'),
      );
      const k = openssl('pkcs12', '-in', at(out), '-passin', 'pass:exp0rt', '-nocerts', '-nodes');
      assert.deepEqual(
        tool('openssl', ['pkey', '-outform', 'DER'], k).stdout,
        openssl('pkey', '-in', at(key), '-outform', 'DER'),
      );
      const cas = openssl('pkcs12', '-in', at(out), '-passin', 'pass:exp0rt', '-cacerts', '-nokeys');
      assert.deepEqual(
        tool('openssl', ['x509', '-outform', 'DER'], cas).stdout,
        openssl('x509', '-in', at('ca.pem'), '-outform', 'DER'),
      );
      assert.equal(
        tool('openssl', ['pkcs12', '-in', at(out), '-passin', 'pass:wrong', '-noout']).code !== 0,
        true,
      );
    }
    const mismatch = await etls(
      [
        'convert',
        'cert.pem',
        '--to',
        'p12',
        '--key',
        'rsa.p8.pem',
        '--export-passphrase-env',
        'P12',
        '-o',
        'mismatch.p12',
      ],
      { cwd: w, env: { P12: 'x' } },
    );
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.stderr, /does not belong to the certificate/);
  });

  it('never overwrites without --force, and turns junk into a sentence', async () => {
    const before = read('cert.der');
    const again = await etls(['convert', 'cert.pem', '--to', 'der'], { cwd: w });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists.*--force/s);
    assert.deepEqual(read('cert.der'), before);
    writeFileSync(at('junk.bin'), Buffer.from('this is not a certificate at all'));
    writeFileSync(at('cut.pem'), read('cert.pem').toString().slice(0, 200));
    for (const [f, re] of [
      ['junk.bin', /not a certificate, CSR, key or PKCS#12/],
      ['cut.pem', /BEGIN line but no complete block/],
      ['missing.pem', /no such file/],
    ] as const) {
      const r = await etls(['convert', f, '--to', 'der'], { cwd: w });
      assert.equal(r.code, 2, f);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});

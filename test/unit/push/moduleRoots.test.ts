// The bytes of an Arduino Wi-Fi module's root store, against the formats the firmware reads.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EtlsError } from '../../../src/core/errors';
import {
  dropDuplicates,
  ninaArea,
  parseNinaArea,
  parseWincStore,
  planModuleRoots,
  rootsFromFiles,
  wincEntry,
  wincFormatOf,
  wincNameHash,
  wincStore,
  NINA_ROOTS_SIZE,
  WINC_PATTERN_V0,
  WINC_PATTERN_V1,
} from '../../../src/core/push/moduleRoots';

const fixtures = join(__dirname, '../../fixtures');
const isrg = () => ({
  local: 'ISRG_Root_X1.pem',
  data: readFileSync(join(fixtures, 'push/ISRG_Root_X1.pem')),
});
const isrgX2 = () => ({
  local: 'ISRG_Root_X2.pem',
  data: readFileSync(join(fixtures, 'push/ISRG_Root_X2.pem')),
});
const ca = () => ({ local: 'ca.pem', data: readFileSync(join(fixtures, 'x509/ca.pem')) });

describe('push/moduleRoots: the module root stores', () => {
  it('NINA: PEM text, then at least one NUL, zero-padded to whole payloads', () => {
    const roots = rootsFromFiles([isrg()]);
    const area = ninaArea(roots, 1024);
    assert.equal(area.length % 1024, 0);
    const text = area.subarray(0, area.indexOf(0)).toString('latin1');
    assert.match(text, /^-----BEGIN CERTIFICATE-----\nMII[\s\S]*\n-----END CERTIFICATE-----\n$/);
    assert.ok(area.subarray(text.length).every((b) => b === 0));
    assert.equal(parseNinaArea(area)[0]!.sha256, roots[0]!.sha256);
  });

  it('NINA: a PEM text of exactly a payload still gets its NUL (a whole block of zeros more)', () => {
    const roots = rootsFromFiles([isrg()]);
    const pemLength = ninaArea(roots, 1).indexOf(0);
    const area = ninaArea(roots, pemLength);
    assert.equal(area.length, 2 * pemLength);
    assert.equal(area[pemLength], 0);
  });

  it('NINA: refuses what does not fit the 128 KB certs partition', () => {
    const many = Array.from({ length: 80 }, () => isrg());
    assert.throws(
      () => ninaArea(rootsFromFiles(many), 1024),
      (e: EtlsError) => e.code === 'too-large' && e.message.includes(String(NINA_ROOTS_SIZE)),
    );
  });

  it('drops duplicates by SHA-256, keeping the first', () => {
    const { kept, dropped } = dropDuplicates(rootsFromFiles([isrg(), ca(), isrg()]));
    assert.equal(kept.length, 2);
    assert.equal(dropped.length, 1);
  });

  it('WINC: the name hash is SHA-1 over the first value of each RDN, as the firmware decodes names', () => {
    const x1 = rootsFromFiles([isrg()])[0]!.cert!;
    // C=US, O=Internet Security Research Group, CN=ISRG Root X1
    const expected = createHash('sha1').update('USInternet Security Research GroupISRG Root X1').digest();
    assert.deepEqual(wincNameHash(x1.der), expected);
  });

  it('WINC: 19.5+ entries are name hash, two dates, key type, lengths, modulus, exponent, 0xFF padding', () => {
    const root = rootsFromFiles([isrg()])[0]!;
    const e = wincEntry(root, 'v1');
    assert.equal(e.length % 4, 0);
    assert.equal(e.readUInt16LE(20), 2015); // notBefore 2015-06-04
    assert.deepEqual([...e.subarray(22, 28)], [6, 4, 11, 4, 38, 0xcc]); // month, day, h, m, s, pad
    assert.equal(e.readUInt32LE(36), 1);
    assert.equal(e.readUInt16LE(40), 512); // RSA-4096
    assert.equal(e.readUInt16LE(42), 3);
    assert.deepEqual([...e.subarray(44 + 512, 44 + 515)], [1, 0, 1]);
    assert.equal(e[44 + 515], 0xff);
    const v0 = wincEntry(root, 'v0');
    assert.equal(v0.subarray(24, 37).toString('latin1'), '150604110438Z');
  });

  it('WINC: the store round-trips (pattern, count, entries) and its format is recognised', () => {
    const roots = rootsFromFiles([isrg(), ca()]);
    for (const [format, pattern] of [
      ['v1', WINC_PATTERN_V1],
      ['v0', WINC_PATTERN_V0],
    ] as const) {
      const store = wincStore(roots, format);
      assert.deepEqual(store.subarray(0, 16), pattern);
      assert.equal(wincFormatOf(store), format);
      const parsed = parseWincStore(store);
      assert.equal(parsed.entries.length, 2);
      assert.deepEqual(Buffer.concat(parsed.entries), store.subarray(20));
    }
    assert.equal(wincFormatOf(Buffer.alloc(16, 0xff)), 'erased');
    assert.throws(() => parseWincStore(Buffer.alloc(64, 0x42)), /unknown pattern/);
  });

  it('WINC: refuses an ECDSA root with the reason and the RSA alternative', () => {
    assert.throws(
      () => planModuleRoots('wifi101-roots', rootsFromFiles([isrgX2()])),
      (e: EtlsError) =>
        e.code === 'unsupported' && /RSA roots only/.test(e.message) && /X1 \(not X2\)/.test(e.fix ?? ''),
    );
    // WiFiNINA (mbedTLS) takes it.
    assert.equal(planModuleRoots('wifinina-roots', rootsFromFiles([isrgX2()])).files.length, 1);
  });

  it('refuses keys and files without a certificate', () => {
    assert.throws(
      () => rootsFromFiles([{ local: 'k.pem', data: readFileSync(join(fixtures, 'x509/ec-pkcs8.key')) }]),
      (e: EtlsError) => e.code === 'refused' && /private key/.test(e.message),
    );
    assert.throws(
      () => rootsFromFiles([{ local: 'x.txt', data: Buffer.from('hello') }]),
      /holds no certificate/,
    );
  });
});

describe('push/moduleRoots: against the store Arduino ships in WINC1500 firmware 19.6.1', () => {
  it('encodes Baltimore CyberTrust Root byte for byte as the entry in the image at 0x4000', () => {
    // The entry was cut from arduino-fwuploader firmwares/WINC1500/19.6.1/WINC1500-arduino.samd.mkr1000.bin
    // (its root store at 0x4000, second entry); the certificate is the one in nina-fw data/roots.pem.
    const shipped = Buffer.from(
      readFileSync(join(fixtures, 'push/winc-19.6.1-baltimore-entry.hex'), 'utf8').replace(/\s/g, ''),
      'hex',
    );
    const root = rootsFromFiles([
      { local: 'b.pem', data: readFileSync(join(fixtures, 'push/Baltimore_CyberTrust_Root.pem')) },
    ])[0]!;
    assert.deepEqual(wincEntry(root, 'v1'), shipped);
  });
});

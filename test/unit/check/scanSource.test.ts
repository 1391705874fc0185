// Which C sources the workspace scan hands to the reader: every one that may hold DER or PEM, also
// short DER (an EC key starts `0x30, 0x77`), BearSSL DN arrays and decimal byte lists.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFile } from '../../../src/core/check/scan';
import { parsePemBlocks, readObjects } from '../../../src/core/x509';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'x509');

function cArray(name: string, bytes: Uint8Array, format: (b: number) => string): string {
  return `static const unsigned char ${name}[] = {\n  ${Array.from(bytes, format).join(', ')}\n};\n`;
}

describe('workspace scan of C sources', () => {
  const key = parsePemBlocks(readFileSync(join(FIXTURES, 'device-01.ec.key'), 'utf8')).blocks[0]!.der;

  it('reads an EC key array (0x30, 0x77), in hex and in decimal', () => {
    for (const format of [(b: number) => `0x${b.toString(16).padStart(2, '0')}`, (b: number) => String(b)]) {
      const src = new TextEncoder().encode(cArray('device_key_der', key, format));
      const f = scanFile('/ws/main/key.c', src, { reader: readObjects });
      assert.deepEqual(
        f.objects.map((o) => [o.location.symbol, o.object.kind]),
        [['device_key_der', 'privateKey']],
      );
    }
  });

  it('reads BearSSL trust anchors, whose DN arrays are short DER', () => {
    const path = join(FIXTURES, 'c-sources', 'nina-fw-BearSSLTrustAnchors.h');
    const f = scanFile(path, readFileSync(path), { reader: readObjects });
    assert.deepEqual(
      f.objects.map((o) => o.object.kind),
      ['trustAnchor', 'trustAnchor'],
    );
  });

  it('still skips sources with no SEQUENCE tag and no PEM line', () => {
    let called = false;
    const src = new TextEncoder().encode(
      'static const uint8_t lut[] = { 0x01, 0x02 };\nint main(void) { return 0; }\n',
    );
    scanFile('/ws/main/main.c', src, {
      reader: (b, o) => ((called = true), readObjects(b, o)),
    });
    assert.equal(called, false);
  });
});

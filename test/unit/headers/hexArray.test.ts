// Unit tests (plain Node): the fast DER array body against an obvious reference rendering.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { hexArrayBody } from '../../../src/core/headers/hexArray';

/** The obvious, slow rendering the fast one must equal. */
function reference(bytes: Uint8Array, perLine: number): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine)
    lines.push(
      '  ' +
        Array.from(bytes.subarray(i, i + perLine), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', '),
    );
  return lines.length ? lines.join(',\n') + '\n' : '';
}

describe('hexArrayBody', () => {
  it('equals the reference for many sizes and widths', () => {
    for (const n of [1, 2, 11, 12, 13, 24, 25, 255, 256, 1000]) {
      const bytes = randomBytes(n);
      for (const w of [1, 8, 12, 16, 32])
        assert.equal(hexArrayBody(bytes, w), reference(bytes, w), `n=${n} w=${w}`);
    }
  });

  it('covers every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.equal(hexArrayBody(all), reference(all, 12));
    assert.match(hexArrayBody(all), /0xff\n$/);
  });

  it('is empty for empty input', () => {
    assert.equal(hexArrayBody(new Uint8Array(0)), '');
  });
});

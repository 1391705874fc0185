import { strict as assert } from 'node:assert';
import {
  explainSimpleLinkError,
  parseErrorLine,
  SimpleLinkAtError,
} from '../../../src/core/push/simplelinkErrors';

describe('push/simplelinkErrors: SimpleLink error numbers in plain words', () => {
  const expected: [number, RegExp][] = [
    [-456, /CA file.*bad/],
    [-457, /certificate file.*bad/],
    [-458, /private key file.*bad/],
    [-461, /clock/],
    [-468, /not in the trusted certificate catalog/],
    [-688, /no signer/],
    [-10287, /FS_ERR_ROOT_CA_IS_UNKOWN/],
    [-10289, /signature is wrong/],
    [-10341, /does not exist/],
  ];
  for (const [code, meaning] of expected) {
    it(`explains ${code}`, () => {
      const e = explainSimpleLinkError(code);
      assert.match(e.meaning, meaning);
      assert.ok(e.fix, 'with a fix');
    });
  }

  it('names unknown numbers and points to errors.h', () => {
    assert.match(explainSimpleLinkError(-12345).meaning, /-12345/);
    assert.match(explainSimpleLinkError(-12345).fix!, /errors\.h/);
  });

  it('parses ERROR lines of the AT-command application', () => {
    assert.deepEqual(parseErrorLine('ERROR:process command,-457'), {
      errorClass: 'process command',
      code: -457,
    });
    assert.deepEqual(parseErrorLine('ERROR: parse parameters , -3 '), {
      errorClass: 'parse parameters',
      code: -3,
    });
    assert.deepEqual(parseErrorLine('ERROR'), { errorClass: '', code: 0 });
    assert.equal(parseErrorLine('+fileopen:1,0'), undefined);
  });

  it('treats garbled lines as retryable and refusals as final', () => {
    assert.equal(new SimpleLinkAtError('AT+FileWrite', 'parse parameters', -3).retryable, true);
    const refusal = new SimpleLinkAtError('AT+FileClose', 'process command', -457);
    assert.equal(refusal.retryable, false);
    assert.match(refusal.message, /AT\+FileClose: the board refused it: the certificate file/);
    assert.equal(refusal.code, 'device');
  });
});

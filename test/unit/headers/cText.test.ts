// Unit tests (plain Node): C text helpers for generated headers: comments, literals, recorded command lines.
import { strict as assert } from 'node:assert';
import {
  commentText,
  commentValue,
  cStringLiteral,
  parseCommentValue,
  rawStringLiteral,
  splitArgs,
  splitLines,
} from '../../../src/core/headers/cText';

describe('C text helpers', () => {
  it('keeps plain paths and quotes the rest so they cannot end a comment', () => {
    assert.equal(commentValue('../certs/ca.pem'), '../certs/ca.pem');
    for (const nasty of [
      'my cert.pem',
      'a*/b.pem',
      'x??/',
      'tab\there',
      'q"uote',
      'back\\slash',
      'ünï cödé.pem',
    ]) {
      const v = commentValue(nasty);
      assert.ok(!v.includes('*/') && !v.includes('??'), v);
      assert.equal(parseCommentValue(v), nasty);
    }
    // `/*` inside a comment is -Wcomment, which -Werror builds fail on.
    assert.equal(commentText('CN=evil */ int x; /*'), 'CN=evil * / int x; / *');
  });

  it('splits a recorded command line back into the same words', () => {
    const words = ['--name', '', 'my cert.pem', 'plain.der', 'a*/b', '-o', 'out.h'];
    assert.deepEqual(splitArgs(words.map(commentValue).join(' ')), words);
  });

  it('escapes C string literals so the bytes are exact', () => {
    assert.equal(cStringLiteral('a"b\\c?', true), '"a\\"b\\\\c\\?\\n"');
    assert.equal(cStringLiteral('é', false), '"\\303\\251"');
  });

  it('splits text into lines that add up to the text', () => {
    assert.deepEqual(splitLines('a\nb\n'), [
      { line: 'a', newline: true },
      { line: 'b', newline: true },
    ]);
    assert.deepEqual(splitLines('a\nb'), [
      { line: 'a', newline: true },
      { line: 'b', newline: false },
    ]);
  });

  it('picks a raw-string delimiter that does not occur in the text', () => {
    assert.equal(rawStringLiteral('x\n'), 'R"EOF(x\n)EOF"');
    assert.equal(rawStringLiteral('a)EOF"b'), 'R"EOF1(a)EOF"b)EOF1"');
  });
});

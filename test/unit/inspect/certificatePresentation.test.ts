// How objects read in the Certificates view, hovers and the viewer: expiry phrases, key types, statuses.
import * as assert from 'node:assert/strict';
import { expiryPhrase, wholeDays } from '../../../src/core/x509/describe';
import type { PublicKeyDetails } from '../../../src/core/x509/types';
import {
  expiryText,
  keyType,
  md,
  validityStatus,
  worse,
} from '../../../src/extension/inspect/certificatePresentation';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 21, 12);
const pk = (over: Partial<PublicKeyDetails>): PublicKeyDetails => ({
  algorithm: 'RSA',
  bits: 2048,
  spki: new Uint8Array(),
  sha256: '00',
  ...over,
});

describe('certificate presentation', () => {
  it('says how long until expiry, or since, in days (hours on the last day)', () => {
    const from = new Date(now - 100 * DAY);
    assert.equal(expiryText(from, new Date(now + 23 * DAY + 5_000), now), 'expires in 23 d');
    assert.equal(expiryText(from, new Date(now - 3 * DAY - 5_000), now), 'expired 3 d ago');
    assert.equal(expiryText(from, new Date(now + 5 * 3_600_000), now), 'expires in 5 h');
    assert.equal(
      expiryText(new Date(now + 2 * DAY + 1), new Date(now + 400 * DAY), now),
      'not valid for 2 d yet',
    );
  });

  it('counts days as etls inspect does: a certificate with 824 d 23 h left says 824 in both', () => {
    const from = new Date(now - DAY);
    const to = new Date(now + 825 * DAY - 3_600_000);
    assert.equal(expiryText(from, to, now), 'expires in 824 d');
    assert.equal(expiryPhrase({ notBefore: from, notAfter: to }, now), 'expires in 824 d');
    assert.equal(wholeDays(825 * DAY - 1), 824);
    assert.equal(wholeDays(-(3 * DAY + 5)), 3);
  });

  it('names key types the way firmware documentation does', () => {
    assert.equal(keyType(pk({})), 'RSA-2048');
    assert.equal(keyType(pk({ algorithm: 'EC', bits: 256, curve: 'P-256' })), 'EC P-256');
    assert.equal(keyType(pk({ algorithm: 'Ed25519', bits: 255 })), 'Ed25519');
    assert.equal(
      keyType(undefined, 'RSA'),
      'RSA',
      'an encrypted legacy key: the algorithm from its label only',
    );
  });

  it('turns validity dates and the warning window into a status, and keeps the worse of two', () => {
    const from = new Date(now - DAY);
    assert.equal(validityStatus(from, new Date(now + 40 * DAY), now, 30), 'ok');
    assert.equal(validityStatus(from, new Date(now + 10 * DAY), now, 30), 'expiring');
    assert.equal(validityStatus(from, new Date(now - 1), now, 30), 'expired');
    assert.equal(validityStatus(new Date(now + DAY), new Date(now + 40 * DAY), now, 30), 'notYetValid');
    assert.equal(worse('expiring', 'error'), 'error');
    assert.equal(worse('ok', 'warning'), 'warning');
  });

  it('escapes Markdown in names taken from certificates', () => {
    assert.equal(md('*evil* [link](x)'), '\\*evil\\* \\[link\\]\\(x\\)');
  });
});

// The TLS cipher suites and versions a board's stack offers, as OpenSSL names, so the MQTT test client
// can offer exactly the same and a mismatch shows up on the desktop, not on the board.
import type { TargetId } from './ids';

/**
 * CC3200/CC3100 (SimpleLink NWP): the SL_SEC_MASK_* suites of its socket.h (field notes §5).
 * RC4 and MD5 are kept for completeness; OpenSSL 3 no longer offers them, which matches real brokers.
 */
export const cc3200Ciphers = [
  'RC4-SHA',
  'RC4-MD5',
  'AES256-SHA',
  'DHE-RSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'ECDHE-RSA-RC4-SHA',
  'AES128-SHA256',
  'AES256-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA256',
] as const;

/** CC3220/CC3235: the CC3200 list plus the ECDSA CBC, GCM and ChaCha suites, 23 in all (field notes §5). */
export const cc3220Ciphers = [
  ...cc3200Ciphers,
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-CHACHA20-POLY1305',
] as const;

export const cipherLists = { cc3200: cc3200Ciphers, cc3220: cc3220Ciphers } as const;

/** What to offer when emulating a board: OpenSSL cipher string (TLS 1.2 and below) and version range. */
export interface TlsEmulation {
  /** Colon-separated OpenSSL names; undefined leaves OpenSSL's defaults. */
  ciphers?: string;
  minVersion: 'TLSv1.2';
  maxVersion: 'TLSv1.2' | 'TLSv1.3';
  /** The stack sends no SNI. */
  noSni: boolean;
}

// Version ceilings and SNI per stack, kept here (rather than read from the catalog) so the CLI's probe
// stays a small bundle; they agree with src/core/targets/catalog.ts.
const emulations: Record<TargetId, TlsEmulation> = {
  cc3200: { ciphers: cc3200Ciphers.join(':'), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', noSni: true },
  cc3100: { ciphers: cc3200Ciphers.join(':'), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', noSni: true },
  cc3220: { ciphers: cc3220Ciphers.join(':'), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', noSni: false },
  cc3235: { ciphers: cc3220Ciphers.join(':'), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', noSni: false },
  esp32: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', noSni: false },
  esp8266: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', noSni: false },
  wifinina: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', noSni: false },
  winc1500: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', noSni: false },
  linux: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', noSni: false },
};

export function tlsEmulation(target: TargetId): TlsEmulation {
  return emulations[target];
}

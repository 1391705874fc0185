// The per-target stack configuration: every value names its source, each target with an open
// stack maps to an engine and its ABI options, closed stacks say so, bad input gets a sentence.
import assert from 'node:assert/strict';
import { targetIds } from '../../../src/core/targets/ids';
import { stackForTarget, targetStackOptions } from '../../../src/core/stacks/ids';
import {
  boardStackFor,
  boardStackIds,
  checkStackOption,
  stackOptionSpecs,
  stackOptionsOf,
  stackProfileFor,
  stackProfiles,
  stackVariantIds,
  validStacksSentence,
  type OpenStackProfile,
} from '../../../src/core/targets/stacks';

const open = (target: Parameters<typeof stackProfileFor>[0], variant?: string): OpenStackProfile => {
  const p = stackProfileFor(target, variant);
  assert.ok(p && p.kind === 'open', `${target} ${variant ?? ''} is an open stack`);
  return p;
};

describe('board stack profiles', () => {
  it('gives every target a profile, and every sourced value a repo@tag:path or a note', () => {
    for (const t of targetIds) assert.ok(stackProfileFor(t), t);
    for (const p of stackProfiles) {
      if (p.kind === 'closed') {
        assert.match(p.note, /closed/);
        continue;
      }
      for (const [k, v] of Object.entries(p)) {
        if (v && typeof v === 'object' && 'value' in v) {
          assert.ok(typeof v.source === 'string' && v.source.length > 8, `${p.variant}.${k} has a source`);
        }
      }
    }
  });

  it('pins ESP-IDF sources by tag, not by branch', () => {
    const sources = stackProfiles.flatMap((p) =>
      p.kind === 'open'
        ? Object.values(p).flatMap((v) =>
            v && typeof v === 'object' && 'source' in v ? [String(v.source)] : [],
          )
        : [],
    );
    const idf = sources.filter((s) => s.includes('espressif/esp-idf@'));
    assert.ok(idf.length > 10);
    for (const s of idf) assert.match(s, /espressif\/esp-idf@v\d+\.\d+\.\d+:/);
  });

  it('runs ESP-IDF 5.x on mbedTLS 3.6 with the Kconfig record buffers 16384/4096', () => {
    const c = boardStackFor('esp32');
    assert.ok(!('error' in c));
    assert.equal(c.stack, 'mbedtls-3.6');
    assert.equal(c.options['in-content-len'], '16384');
    assert.equal(c.options['out-content-len'], '4096');
    assert.equal(c.options.verify, 'required');
    assert.equal(c.options.sni, 'on');
    assert.ok(c.options.ciphersuites?.includes('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'));
    assert.ok(!c.options.ciphersuites?.includes('CHACHA20'), 'ESP-IDF leaves ChaCha20-Poly1305 off');
  });

  it('distinguishes ESP-IDF 4.4 (mbedTLS 2.28) and the Arduino cores by variant', () => {
    const idf44 = boardStackFor('esp32', 'esp-idf-4.4');
    assert.ok(!('error' in idf44));
    assert.equal(idf44.stack, 'mbedtls-2.28');
    assert.equal(idf44.options['tls-max'], '1.2');
    const a2 = open('esp32', 'arduino-esp32-2');
    assert.equal(a2.stack, 'mbedtls-2.28');
    // Arduino-ESP32 turns the asymmetric lengths off: 16 KB both ways, allocated on demand.
    assert.equal(a2.outContentLen.value, 16384);
    assert.equal(a2.dynamicBuffer?.value, true);
    assert.equal(open('esp32', 'arduino-esp32-3').stack, 'mbedtls-3.6');
  });

  it('never asks mbedTLS 3.6 for TLS 1.0, which it no longer has', () => {
    for (const p of stackProfiles) {
      if (p.kind === 'open' && p.stack === 'mbedtls-3.6') assert.equal(stackOptionsOf(p)['tls-min'], '1.2');
    }
  });

  it("gives the ESP8266 BearSSL with the core's 16384/512 buffers and no sig-algs option", () => {
    const c = boardStackFor('esp8266');
    assert.ok(!('error' in c));
    assert.equal(c.stack, 'bearssl');
    assert.equal(c.options['in-content-len'], '16384');
    assert.equal(c.options['out-content-len'], '512');
    assert.equal(c.options['sig-algs'], undefined);
    for (const key of Object.keys(c.options))
      assert.ok(
        stackOptionSpecs.bearssl.some((s) => s.key === key),
        key,
      );
  });

  it('runs WiFiNINA on the 2.28 engine and says nina-fw has 2.16', () => {
    const c = boardStackFor('wifinina');
    assert.ok(!('error' in c));
    assert.equal(c.stack, 'mbedtls-2.28');
    assert.match(c.note ?? '', /2\.16/);
  });

  it('keeps emulation for SimpleLink and WINC1500, with a sentence to show', () => {
    for (const t of ['cc3200', 'cc3100', 'cc3220', 'cc3235', 'winc1500'] as const) {
      const c = boardStackFor(t);
      assert.ok(!('error' in c));
      assert.equal(c.stack, 'node');
      assert.deepEqual(c.options, {});
      assert.match(c.note ?? '', /closed TLS stack.*emulates/);
    }
  });

  it('uses node when no target is named, and the linux target is OpenSSL', () => {
    assert.deepEqual(boardStackFor(undefined), { stack: 'node', options: {} });
    const c = boardStackFor('linux');
    assert.ok(!('error' in c));
    assert.equal(c.stack, 'node');
  });

  it('lets --stack-option values win over the profile', () => {
    const c = boardStackFor('esp32', undefined, { 'in-content-len': '4096' });
    assert.ok(!('error' in c));
    assert.equal(c.options['in-content-len'], '4096');
  });

  it('names the valid variants for an unknown one', () => {
    const c = boardStackFor('esp32', 'esp-idf-9');
    assert.ok('error' in c);
    assert.match(
      c.error,
      /esp-idf-9.*Valid variants: esp-idf-5, arduino-esp32-3, esp-idf-4\.4, arduino-esp32-2/,
    );
    assert.ok(stackVariantIds().includes('nina-fw-2'));
  });

  it('lists valid stacks and options for CLI errors', () => {
    assert.deepEqual([...boardStackIds], ['mbedtls-2.28', 'mbedtls-3.6', 'bearssl', 'node']);
    assert.match(validStacksSentence(), /mbedtls-2\.28, mbedtls-3\.6, bearssl, node/);
    assert.equal(checkStackOption('mbedtls-2.28', 'in-content-len', '4096'), undefined);
    assert.match(checkStackOption('mbedtls-2.28', 'in-content-len', '99') ?? '', /512 to 16384/);
    assert.match(checkStackOption('mbedtls-3.6', 'colour', 'x') ?? '', /no option "colour".*in-content-len/);
    assert.match(checkStackOption('mbedtls-3.6', 'tls-max', '1.4') ?? '', /one of 1\.0, 1\.1, 1\.2, 1\.3/);
    assert.equal(checkStackOption('bearssl', 'iobuf-in', '2048'), undefined);
    assert.match(checkStackOption('bearssl', 'verify', 'optional') ?? '', /required, none/);
    assert.match(checkStackOption('node', 'sni', 'on') ?? '', /OpenSSL/);
  });

  it("gives the probe and the panel the target's own stack with the board's configuration", () => {
    assert.equal(stackForTarget('esp32'), 'mbedtls-3.6');
    assert.equal(stackForTarget('esp8266'), 'bearssl');
    assert.equal(stackForTarget('cc3220'), 'node', 'SimpleLink keeps the emulation');
    assert.equal(stackForTarget(undefined), 'node');
    const esp32 = targetStackOptions('esp32', 'mbedtls-3.6');
    assert.equal(esp32['in-content-len'], '16384');
    assert.equal(esp32['tls-max'], '1.2', 'ESP-IDF 5.x leaves TLS 1.3 off by default');
    assert.deepEqual(targetStackOptions('esp32', 'mbedtls-2.28'), {}, 'another stack than the board runs');
  });
});

import { strict as assert } from 'node:assert';
import { binaryEmbeds, scanFile } from '../../../src/core/check/scan';
import { check, codes, deviceSet, project } from './fixtures';

const enc = (s: string) => new TextEncoder().encode(s);

describe('ESP32: PEM embedded without its NUL', () => {
  it('reads EMBED_FILES, target_add_binary_data, component.mk and platformio.ini', () => {
    const cmake = `idf_component_register(SRCS "main.c"
      INCLUDE_DIRS "."
      EMBED_FILES certs/ca.pem "certs/device.pem"
      EMBED_TXTFILES certs/key.pem)
    # EMBED_FILES commented.pem
    target_add_binary_data(app certs/bin.pem BINARY)
    target_add_binary_data(app certs/text.pem TEXT)`;
    assert.deepEqual(binaryEmbeds('CMakeLists.txt', cmake), [
      'certs/ca.pem',
      'certs/device.pem',
      'certs/bin.pem',
    ]);
    assert.deepEqual(binaryEmbeds('component.mk', 'COMPONENT_EMBED_FILES := a.pem b.der\n'), [
      'a.pem',
      'b.der',
    ]);
    assert.deepEqual(
      binaryEmbeds(
        'platformio.ini',
        '[env:esp32]\nboard_build.embed_files =\n  src/ca.pem\n  src/x.pem\nboard = esp32dev\n',
      ),
      ['src/ca.pem', 'src/x.pem'],
    );
    const f = scanFile('/ws/main/CMakeLists.txt', enc(cmake));
    assert.equal(f.encoding, 'build');
    assert.deepEqual(f.binaryEmbeds, [
      { file: 'certs/ca.pem', line: 2 },
      { file: 'certs/device.pem', line: 2 },
      { file: 'certs/bin.pem', line: 5 },
    ]);
  });

  const cmakeFile = (embed: string) => {
    const f = scanFile('/ws/main/CMakeLists.txt', enc(`idf_component_register(SRCS "m.c" ${embed} ca.pem)`));
    return f;
  };

  it('reports an ESP32 profile whose PEM CA is embedded with EMBED_FILES', async () => {
    const p = project({ d: { target: 'esp32', ca: 'ca.pem', cert: 'device.pem', key: 'device.key' } });
    const { findings } = await check([...deviceSet(), cmakeFile('EMBED_FILES')], p);
    assert.deepEqual(codes(findings), ['target-pem-nul']);
    assert.equal(findings[0]!.file, '/ws/main/CMakeLists.txt');
    assert.match(findings[0]!.message, /-0x2180/);
    assert.match(findings[0]!.message, /EMBED_TXTFILES/);
    assert.equal(findings[0]!.range?.start.line, 0);
  });

  it('is quiet with EMBED_TXTFILES, and for targets other than the ESP32', async () => {
    const p = project({ d: { target: 'esp32', ca: 'ca.pem' } });
    assert.deepEqual((await check([...deviceSet(), cmakeFile('EMBED_TXTFILES')], p)).findings, []);
    const linux = project({ d: { target: 'linux', ca: 'ca.pem' } });
    assert.deepEqual((await check([...deviceSet(), cmakeFile('EMBED_FILES')], linux)).findings, []);
  });
});

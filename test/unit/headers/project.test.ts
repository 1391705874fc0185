// Unit tests (plain Node): headers listed in embedded-tls.json.
import { strict as assert } from 'node:assert';
import {
  headerSettingsFor,
  projectHeaderSpecs,
  specFromSettings,
  specsForOutput,
  specsUsingInput,
  suggestedHeaderFolder,
  suggestedHeaderName,
  withHeader,
  type HeaderSpec,
} from '../../../src/core/headers';
import { EtlsError } from '../../../src/core/errors';
import type { LoadedProject } from '../../../src/core/project/types';

const project: LoadedProject = {
  path: '/fw/embedded-tls.json',
  dir: '/fw',
  file: {
    profiles: {
      dev: {
        broker: { host: 'broker.example', port: 8883, clientId: 'dev-1' },
        headers: [
          {
            output: 'include/certs.h',
            format: 'pem',
            inputs: [
              { file: 'certs/ca.pem', name: 'root_ca' },
              { file: 'certs/dev.pem', format: 'der' },
            ],
            options: {
              static: true,
              alignment: 4,
              lineWidth: 16,
              section: '.certs',
              guard: false,
              pemStyle: 'raw',
            },
          },
          { output: 'include/demo_config.h', layout: 'coremqtt', inputs: [{ file: 'certs/ca.pem' }] },
        ],
      },
      prod: {
        headers: [
          { output: 'include/prod.h', inputs: [{ file: '/abs/prod.der' }], options: { split: true } },
        ],
      },
      bare: {},
    },
  },
};

describe('project headers', () => {
  it('turns every header of the project file into a spec with absolute paths', () => {
    const specs = projectHeaderSpecs(project);
    assert.equal(specs.length, 3);
    assert.deepEqual(specs[0], {
      output: '/fw/include/certs.h',
      inputs: [
        { path: '/fw/certs/ca.pem', name: 'root_ca' },
        { path: '/fw/certs/dev.pem', format: 'der' },
      ],
      layout: 'c',
      format: 'pem',
      root: '/fw',
      origin: { project: '/fw/embedded-tls.json', profile: 'dev' },
      static: true,
      align: 4,
      lineWidth: 16,
      section: '.certs',
      guard: false,
      pemStyle: 'raw',
    });
    assert.deepEqual(specs[1]!.broker, { host: 'broker.example', port: 8883, clientId: 'dev-1' });
    assert.equal(specs[2]!.inputs[0]!.path, '/abs/prod.der');
    assert.equal(specs[2]!.split, true);
  });

  it('selects one profile, and names the profiles when the one asked for is missing', () => {
    assert.equal(projectHeaderSpecs(project, 'prod').length, 1);
    assert.throws(
      () => projectHeaderSpecs(project, 'nope'),
      (e: unknown) =>
        e instanceof EtlsError && /no profile "nope"/.test(e.message) && /dev, prod, bare/.test(e.fix ?? ''),
    );
  });

  it('says which profile and header is wrong', () => {
    const bad = { output: 'x.h', inputs: [{ file: 'a.pem', name: '1x' }] };
    assert.throws(
      () => specFromSettings(project, 'dev', bad, 2),
      (e: unknown) =>
        e instanceof EtlsError &&
        /profile "dev", headers\[2\]: "1x" is not a legal C identifier/.test(e.message),
    );
  });

  it('refuses an unknown or mistyped option with a sentence instead of ignoring it', () => {
    const withOptions = (options: Record<string, unknown>) => ({
      output: 'x.h',
      inputs: [{ file: 'a.pem' }],
      options,
    });
    const refused = (options: Record<string, unknown>, message: RegExp) =>
      assert.throws(
        () => specFromSettings(project, 'dev', withOptions(options), 0),
        (e: unknown) => e instanceof EtlsError && e.code === 'malformed' && message.test(e.message),
      );
    refused({ alignement: 4 }, /profile "dev", headers\[0\]: unknown option "alignement"/);
    refused({ static: 'yes' }, /option "static" must be true or false, not "yes"/);
    refused({ lineWidth: '16' }, /option "lineWidth" must be a number/);
    refused({ guard: true }, /option "guard" must be a macro name or false/);
    refused({ pemStyle: 'heredoc' }, /option "pemStyle" must be "quoted" or "raw"/);
    assert.equal(specFromSettings(project, 'dev', withOptions({ align: 8 }), 0).align, 8);
    assert.equal(specFromSettings(project, 'dev', withOptions({ guard: 'MY_H' }), 0).guard, 'MY_H');
  });

  it('finds the headers of an output file (the .c of a split too) and of an input', () => {
    const specs = projectHeaderSpecs(project);
    assert.equal(specsForOutput(specs, '/fw/include/prod.c').length, 1);
    assert.equal(specsForOutput(specs, '/fw/include/certs.h').length, 1);
    assert.equal(specsUsingInput(specs, '/fw/certs/ca.pem').length, 2);
    assert.equal(specsUsingInput(specs, '/fw/certs/other.pem').length, 0);
  });

  it('suggests the file names each layout is known by', () => {
    assert.equal(suggestedHeaderName('freertos', ['a.pem']), 'aws_clientcredential_keys.h');
    assert.equal(suggestedHeaderName('coremqtt', []), 'demo_config.h');
    assert.equal(suggestedHeaderName('arduino', []), 'secrets.h');
    assert.equal(suggestedHeaderName('c', ['/x/1st-ca.pem']), 'file_1st_ca.h');
    assert.equal(suggestedHeaderName('c', ['a.pem', 'b.pem']), 'certs.h');
  });

  it('puts new headers where the target expects them: ESP-IDF in main/', () => {
    assert.equal(suggestedHeaderFolder('/fw', ['esp32']), '/fw/main');
    assert.equal(suggestedHeaderFolder('/fw', [undefined, 'esp8266']), '/fw/main');
    assert.equal(suggestedHeaderFolder('/fw', ['cc3220']), undefined);
    assert.equal(suggestedHeaderFolder('/fw', []), undefined);
  });

  it('records a header made in the editor in a profile, so the project rebuilds the same spec', () => {
    const spec: HeaderSpec = {
      output: '/fw/main/secrets.h',
      layout: 'arduino',
      inputs: [{ path: '/fw/certs/ca.pem' }, { path: '/fw/certs/dev.pem', name: 'DEVICE_CERT' }],
      static: true,
      guard: 'SECRETS_H',
    };
    const settings = headerSettingsFor(project, spec);
    assert.deepEqual(settings, {
      output: 'main/secrets.h',
      layout: 'arduino',
      inputs: [{ file: 'certs/ca.pem' }, { file: 'certs/dev.pem', name: 'DEVICE_CERT' }],
      options: { static: true, guard: 'SECRETS_H' },
    });
    const added = withHeader(project, 'bare', settings);
    assert.deepEqual(specFromSettings(added, 'bare', settings, 0), {
      ...spec,
      root: '/fw',
      origin: { project: '/fw/embedded-tls.json', profile: 'bare' },
    });
    // Adding the same output again replaces the entry instead of listing it twice.
    assert.equal(withHeader(added, 'bare', settings).file.profiles['bare']!.headers!.length, 1);
    assert.equal(
      project.file.profiles['bare']!.headers,
      undefined,
      'the loaded project is not changed in place',
    );
  });
});

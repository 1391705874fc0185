// The PEM TextMate grammar: its regular expressions tell labels, headers, base64 and surrounding text apart.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  begin?: string;
  end?: string;
  match?: string;
  patterns?: Rule[];
}
const grammar = JSON.parse(
  readFileSync(join(__dirname, '../../../syntaxes/pem.tmLanguage.json'), 'utf8'),
) as {
  scopeName: string;
  repository: Record<string, Rule>;
};
const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: {
    grammars: Array<{ language: string; scopeName: string; path: string }>;
    languages: Array<{ id: string; extensions: string[] }>;
  };
};
const re = (s: string | undefined) => new RegExp(s ?? '(?!)');
const r = grammar.repository;

describe('PEM grammar', () => {
  it('is contributed for the pem language with the expected file extensions', () => {
    const g = manifest.contributes.grammars.find((x) => x.language === 'pem');
    assert.equal(g?.scopeName, grammar.scopeName);
    const lang = manifest.contributes.languages.find((l) => l.id === 'pem');
    assert.deepEqual([...(lang?.extensions ?? [])].sort(), ['.crt', '.csr', '.key', '.pem']);
  });

  it('opens and closes a block on BEGIN/END lines and captures the label', () => {
    const m = re(r.block?.begin).exec('-----BEGIN RSA PRIVATE KEY-----');
    assert.equal(m?.[3], 'RSA PRIVATE KEY');
    assert.equal(re(r.block?.end).exec('-----END CERTIFICATE-----')?.[3], 'CERTIFICATE');
    assert.equal(
      re(r.block?.begin).exec('-----BEGIN CERTIFICATE'),
      null,
      'an unterminated label is no block',
    );
  });

  it('reads Proc-Type and DEK-Info headers as name and value', () => {
    const m = re(r.header?.match).exec('DEK-Info: AES-128-CBC,1A2B3C4D5E6F');
    assert.equal(m?.[1], 'DEK-Info');
    assert.equal(m?.[3], 'AES-128-CBC,1A2B3C4D5E6F');
    assert.equal(re(r.header?.match).exec('Proc-Type: 4,ENCRYPTED')?.[1], 'Proc-Type');
  });

  it('tells base64 body lines, their padding, and stray text apart', () => {
    const m = re(r.base64?.match).exec('MIIBszCCAVmgAwIBAgIUQ==');
    assert.equal(m?.[1], 'MIIBszCCAVmgAwIBAgIUQ');
    assert.equal(m?.[2], '==');
    assert.equal(re(r.base64?.match).exec('not base64!'), null);
    assert.ok(re(r.invalid?.match).test('not base64!'));
  });

  it('marks explanatory text around blocks, such as openssl bag attributes', () => {
    const [attr, text] = r.explanatory?.patterns ?? [];
    assert.equal(re(attr?.match).exec('subject=CN = device-01')?.[1], 'subject');
    assert.ok(re(text?.match).test('Anything else'));
  });
});

// Names in certificates are attacker-controlled: what hovers and tooltips make of them must render as
// text, never as a link, an image or HTML. Checked with a CommonMark renderer, on a real certificate.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeObject, readObjects } from '../../../src/core/x509';
import { hoverAt } from '../../../src/extension/explorer/hoverContent';
import { md, mdCode, tooltipMarkdown } from '../../../src/extension/inspect/certificatePresentation';

interface Renderer {
  render(src: string): string;
}
// markdown-it is CommonMark with linkify on, which is stricter than the renderer VS Code uses.
const MarkdownIt = createRequire(__filename)('markdown-it') as new (o: object) => Renderer;
const renderer = new MarkdownIt({ html: false, linkify: true });
const render = (src: string) => renderer.render(src);

const HOSTILE = [
  'x\n![x](http://evil/x.png)',
  'x\n\n![x](http://evil/x.png)',
  '[link](command:workbench.action.terminal.new)',
  '`` ` ``\n[a](http://e)',
  '<img src=x onerror=alert(1)>',
  '<http://evil>',
  'http://evil.example/x www.evil.example mail@evil.example',
  'x\r\n# heading\n---\n> quote\n- item\n```\ncode',
  '&lt;img src=x&gt; &#x3C;b&#x3E;',
  '$(alert) \u202eevil\u2066 \u0000 \u0085',
  '`',
  ' ',
  '``x``',
];

/** Rendered Markdown that holds no element but the paragraph and code spans the helpers produce. */
function assertInert(html: string, input: string): void {
  const tags = [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase());
  const unexpected = tags.filter((t) => !['p', 'code', 'br', 'strong', 'em'].includes(t));
  assert.deepEqual(unexpected, [], `${JSON.stringify(input)} rendered as ${html}`);
  assert.doesNotMatch(html, /<img|<a[\s>]/i, `${JSON.stringify(input)} rendered as ${html}`);
}

describe('Markdown from workspace files', () => {
  for (const input of HOSTILE) {
    it(`keeps ${JSON.stringify(input)} as text`, () => {
      const asText = render(md(input));
      assertInert(asText, input);
      assert.equal(asText.match(/<p>/g)?.length ?? 0, input.trim() ? 1 : 0, 'one paragraph, no line break');
      const asCode = render(`Subject: ${mdCode(input)}`);
      assertInert(asCode, input);
      assert.equal(asCode.match(/<code>/g)?.length, 1, `one code span: ${asCode}`);
      assert.match(asCode, /<\/code><\/p>\n$/, 'nothing after the code span');
    });
  }

  it('shows line breaks and invisible characters instead of hiding them', () => {
    assert.equal(md('a\nb'), 'a\\\\u\\{a\\}b');
    assert.equal(mdCode('a\nb\u202e'), '`a\\u{a}b\\u{202e}`');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`'), '`` ` ``');
    // Backslash escapes are not processed in code spans: the text reads as it is written.
    assert.match(render(mdCode('C:\\certs\\[x]')), /<code>C:\\certs\\\[x\]<\/code>/);
  });

  describe('a certificate whose names carry Markdown', () => {
    let dir: string;
    let bytes: Buffer;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'etls-md-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          join(dir, 'evil.key'),
          '-out',
          join(dir, 'evil.pem'),
          '-days',
          '30',
          '-subj',
          '/CN=x\n![x](http:\\/\\/evil\\/x.png)/O=[link](command:workbench.action.terminal.new) <img src=x>',
          '-addext',
          'subjectAltName=DNS:a.example,URI:http://evil/`x`![y](http://evil/y.png)',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      bytes = readFileSync(join(dir, 'evil.pem'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the hostile names as they are, then renders them inert in the tooltip and the hover', () => {
      const result = readObjects(bytes, { fileName: 'evil.pem' });
      const cert = result.objects[0]?.object;
      assert.ok(cert?.kind === 'certificate', JSON.stringify(result.problems));
      assert.equal(cert.subject.commonName, 'x\n![x](http://evil/x.png)');
      const tooltip = tooltipMarkdown(cert, 'certs/[evil](command:x).pem', describeObject(cert), [
        `warning host-not-in-san: ${cert.subject.commonName}`,
      ]);
      const html = render(tooltip);
      assert.doesNotMatch(html, /<img|<a[\s>]|<h\d|<blockquote|<hr/i, html);
      assert.match(html, /!\[x\]\(http:\/\/evil\/x\.png\)/, 'the name is still shown, as text');
      const hover = hoverAt(result, 1, 0, 'evil.pem', describeObject, Date.now());
      assert.ok(hover);
      assert.doesNotMatch(render(hover.markdown), /<img|<a[\s>]/i);
    });
  });
});

// The editor's HTML and the server's article model agree: every document the schema can hold, written by
// serializeBody, comes out of the server's sanitiser (src/articles/body-html.ts) unchanged and with nothing
// reported removed, for hand-picked samples and for random documents with hostile text, addresses and
// attributes. The samples also pin the exact HTML, so a writer that dropped content would fail here too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Mark, Node } from 'prosemirror-model';
import { cleanArticleHtml, sanitizeArticleHtml } from '../../../articles/body-html.ts';
import { schema } from './schema.ts';
import { serializeBody } from './serialize.ts';
import { keptLinkUrl, keptPictureUrl } from './urls.ts';

const RUNS: fc.Parameters<unknown> = {
  numRuns: Number(process.env.FC_RUNS) || 300,
  includeErrorInReport: true,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
};

const n = schema.nodes;
const m = schema.marks;
const text = (value: string, marks: readonly Mark[] = []) => schema.text(value, marks);
const p = (...content: Node[]) => n.paragraph!.create(null, content);
const doc = (...content: Node[]) => n.doc!.create(null, content);
const picture = (attrs: Record<string, unknown>, ...caption: Node[]) =>
  n.figure!.create(null, [n.figure_image!.create(attrs), n.figcaption!.create(null, caption)]);
const cell = (type: 'table_cell' | 'table_header', attrs: Record<string, unknown>, ...content: Node[]) =>
  n[type]!.create(attrs, content.length ? content : [p()]);

function assertSurvives(html: string): void {
  const cleaned = cleanArticleHtml(html, 'site');
  assert.equal(cleaned.html, html);
  assert.deepEqual(cleaned.findings.removed, []);
}

describe('editor HTML and the article sanitiser', () => {
  it('writes each node and mark as the sanitiser keeps it', () => {
    const samples: [Node, string][] = [
      [doc(p(text('Plain & <simple> "text"'))), '<p>Plain &amp; &lt;simple&gt; "text"</p>'],
      [doc(p()), '<p></p>'],
      [
        doc(
          n.heading!.create({ level: 2 }, [text('Two')]),
          n.heading!.create({ level: 3 }, [text('Three')]),
          n.heading!.create({ level: 1 }, [text('One reads as two')]),
        ),
        '<h2>Two</h2><h3>Three</h3><h2>One reads as two</h2>',
      ],
      [
        doc(
          p(
            text('a', [m.strong!.create()]),
            text('b', [m.strong!.create(), m.em!.create()]),
            text('c', [m.em!.create()]),
            n.hard_break!.create(),
            text('d', [m.underline!.create(), m.strike!.create(), m.sub!.create()]),
            text('e', [m.sup!.create(), m.q!.create(), m.cite!.create(), m.code!.create()]),
            text('f', [m.abbr!.create({ title: 'Full "name"' })]),
          ),
        ),
        '<p><strong>a<em>b</em></strong><em>c</em><br /><u><s><sub>d</sub></s></u><sup><q><cite><code>e</code></cite></q></sup><abbr title="Full &quot;name&quot;">f</abbr></p>',
      ],
      [
        doc(
          p(
            text('one ', [m.link!.create({ href: '/world/story', title: null })]),
            text('link', [m.link!.create({ href: '/world/story', title: null }), m.strong!.create()]),
            text(' and ', []),
            text('out', [m.link!.create({ href: 'https://x.example', title: 'T & t' })]),
            text(' ', []),
            text('mail', [m.link!.create({ href: 'mailto:desk@x.example', title: '' })]),
          ),
        ),
        '<p><a href="/world/story" rel="noopener nofollow">one <strong>link</strong></a> and <a href="https://x.example/" rel="noopener nofollow" title="T &amp; t">out</a> <a href="mailto:desk@x.example" rel="noopener nofollow">mail</a></p>',
      ],
      [
        doc(p(text('script link', [m.link!.create({ href: 'javascript:alert(1)', title: null })]))),
        '<p>script link</p>',
      ],
      [
        doc(
          n.bullet_list!.create(null, [
            n.list_item!.create(null, [p(text('one'))]),
            n.list_item!.create(null, [
              p(text('two')),
              n.ordered_list!.create(null, [n.list_item!.create(null, [p(text('inner'))])]),
            ]),
          ]),
          n.blockquote!.create(null, [p(text('Said.'))]),
          n.horizontal_rule!.create(),
          n.code_block!.create(null, [text('\nline 1\n  <two>')]),
        ),
        '<ul><li>one</li><li><p>two</p><ol><li>inner</li></ol></li></ul><blockquote><p>Said.</p></blockquote><hr /><pre>\n\nline 1\n  &lt;two&gt;</pre>',
      ],
      [
        doc(
          picture(
            { src: '/media/7/960.webp', alt: 'The square at dawn', width: '960', height: '640' },
            text('Protesters on the square. '),
            text('Photo: A. Person/Agency', [m.cite!.create()]),
          ),
          picture({ src: 'https://img.example/a.jpg', alt: '', width: '12px', height: null }),
          picture({ src: 'data:image/png;base64,AAAA', alt: 'x' }, text('kept words')),
          picture({ src: 'javascript:alert(1)', alt: 'x' }),
        ),
        '<figure><img width="960" height="640" src="/media/7/960.webp" alt="The square at dawn" /><figcaption>Protesters on the square. <cite>Photo: A. Person/Agency</cite></figcaption></figure><figure><img src="https://img.example/a.jpg" alt="" /></figure><p>kept words</p>',
      ],
      [
        doc(
          n.table!.create(null, [
            n.table_row!.create(null, [
              cell('table_header', {}, p(text('Party'))),
              cell('table_header', { colspan: 2 }, p(text('Seats'))),
            ]),
            n.table_row!.create(null, [
              cell('table_header', {}, p(text('Blue'))),
              cell('table_cell', { rowspan: 2 }, p(text('12'))),
              cell('table_cell', {}, p(text('a')), p(text('b'))),
            ]),
          ]),
          n.table!.create(null, [n.table_row!.create(null, [cell('table_cell', { colspan: 0 })])]),
        ),
        '<table><thead><tr><th scope="col">Party</th><th colspan="2" scope="col">Seats</th></tr></thead><tbody><tr><th scope="row">Blue</th><td rowspan="2">12</td><td><p>a</p><p>b</p></td></tr></tbody></table><table><tbody><tr><td></td></tr></tbody></table>',
      ],
    ];
    for (const [document, expected] of samples) {
      document.check();
      const html = serializeBody(document);
      assert.equal(html, expected);
      assertSurvives(html);
    }
  });

  it('accepts the addresses the sanitiser keeps and refuses the ones it drops', () => {
    const addresses = [
      '/world/story',
      'story?id=1&x=2',
      '  /trimmed  ',
      '#top',
      'https://x.example',
      'HTTPS://X.EXAMPLE/a b',
      'http://x.example/%zz',
      'mailto:desk@x.example',
      '//evil.example/x',
      '\\\\evil.example',
      '/\t/site.invalid/x',
      '//site.invalid/x',
      'https://site.invalid/x',
      'javascript:alert(1)',
      'java\tscript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'vbscript:x',
      'data:image/png;base64,AAAA',
      'file:///etc/passwd',
      'ftp://x.example/',
      'tel:123',
      'x<!--c-->:y',
      'http://[::1',
      '',
      '   ',
    ];
    for (const address of addresses) {
      const link = keptLinkUrl(address);
      const linkHtml = `<p><a href="${address.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" rel="noopener nofollow">x</a></p>`;
      const expectedLink =
        link === null
          ? '<p>x</p>'
          : `<p><a href="${link.replace(/&/g, '&amp;')}" rel="noopener nofollow">x</a></p>`;
      assert.equal(sanitizeArticleHtml(linkHtml), expectedLink, `link ${JSON.stringify(address)}`);
      const src = keptPictureUrl(address);
      const imgHtml = `<figure><img src="${address.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" alt="" /></figure>`;
      const expectedImg =
        src === null
          ? '<figure></figure>'
          : `<figure><img src="${src.replace(/&/g, '&amp;')}" alt="" /></figure>`;
      assert.equal(sanitizeArticleHtml(imgHtml), expectedImg, `picture ${JSON.stringify(address)}`);
    }
    assert.equal(keptLinkUrl('javascript:alert(1)'), null);
    assert.equal(keptPictureUrl('mailto:desk@x.example'), null);
    assert.equal(keptLinkUrl(' /a '), '/a');
  });

  it('writes random documents with hostile content exactly as the sanitiser keeps them', () => {
    const hostile = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
      fc.constantFrom(
        '<script>alert(1)</script>',
        '&amp;',
        '&lt;b&gt;',
        '"\'',
        ' ',
        '  lead',
        'tail\t ',
        'x\ny',
        '\r\n',
        '\u00a0',
        '\u0000',
        '\uD800',
        '<!-- c -->',
        ']]>',
      ),
    );
    const address = fc.oneof(
      fc.constantFrom(
        '/a',
        'https://x.example/p?q=1&r=2',
        'mailto:a@x.example',
        'javascript:alert(1)',
        'data:text/html,x',
        '//evil.example',
        ' /spaced ',
        '/a\nb',
        'file:///x',
      ),
      hostile,
    );
    const markSet = fc
      .array(
        fc.oneof(
          fc
            .constantFrom('strong', 'em', 'underline', 'strike', 'sub', 'sup', 'q', 'cite', 'code')
            .map((name) => m[name]!.create()),
          fc
            .record({ href: address, title: fc.option(hostile) })
            .map((attrs) => m.link!.create({ href: attrs.href, title: attrs.title })),
          fc.option(hostile).map((title) => m.abbr!.create({ title })),
        ),
        { maxLength: 4 },
      )
      .map((marks) => marks.reduce<readonly Mark[]>((set, mark) => mark.addToSet(set), []));
    const inline = fc
      .array(
        fc.oneof(
          { weight: 5, arbitrary: fc.tuple(hostile, markSet).map(([value, marks]) => text(value, marks)) },
          { weight: 1, arbitrary: fc.constant(n.hard_break!.create()) },
        ),
        { maxLength: 5 },
      )
      .map((nodes) => schema.nodes.paragraph!.create(null, nodes).content);

    const { block } = fc.letrec<{ block: Node; blocks: Node[] }>((tie) => ({
      blocks: fc.array(tie('block'), { minLength: 1, maxLength: 3 }),
      block: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        inline.map((content) => n.paragraph!.create(null, content)),
        fc
          .tuple(fc.integer({ min: 0, max: 8 }), inline)
          .map(([level, content]) => n.heading!.create({ level }, content)),
        fc.constant(n.horizontal_rule!.create()),
        hostile.map((value) => n.code_block!.create(null, [text(value)])),
        tie('blocks').map((content) => n.blockquote!.create(null, content)),
        fc
          .tuple(
            fc.boolean(),
            fc.array(fc.tuple(inline, fc.array(tie('block'), { maxLength: 2 })), {
              minLength: 1,
              maxLength: 3,
            }),
          )
          .map(([ordered, items]) =>
            n[ordered ? 'ordered_list' : 'bullet_list']!.create(
              null,
              items.map(([first, rest]) =>
                n.list_item!.create(null, [n.paragraph!.create(null, first), ...(rest as Node[])]),
              ),
            ),
          ),
        fc
          .record({
            src: address,
            alt: hostile,
            width: fc.option(fc.oneof(fc.constantFrom('960', '0012', '123456', '10px'), hostile)),
            height: fc.option(fc.constantFrom('640', ' 7 ', '-1')),
            caption: inline,
          })
          .map(({ caption, ...attrs }) =>
            n.figure!.create(null, [n.figure_image!.create(attrs), n.figcaption!.create(null, caption)]),
          ),
        fc
          .array(
            fc.array(
              fc.record({
                header: fc.boolean(),
                colspan: fc.integer({ min: 0, max: 3 }),
                rowspan: fc.integer({ min: 1, max: 3 }),
                content: tie('blocks'),
              }),
              { maxLength: 3 },
            ),
            { minLength: 1, maxLength: 3 },
          )
          .map((rows) =>
            n.table!.create(
              null,
              rows.map((cells) =>
                n.table_row!.create(
                  null,
                  cells.map((c) =>
                    n[c.header ? 'table_header' : 'table_cell']!.create(
                      { colspan: c.colspan, rowspan: c.rowspan },
                      c.content as Node[],
                    ),
                  ),
                ),
              ),
            ),
          ),
      ),
    }));

    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), (blocks) => {
        assertSurvives(serializeBody(doc(...(blocks as Node[]))));
      }),
      RUNS,
    );
  });
});

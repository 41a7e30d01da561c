// Tests for malformed, hostile and oversized input: every fixture in fixtures/bad, XML entity attacks,
// script injection in every text field, unsafe links, body size limits, and inputs that must not throw.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  allStrings,
  FIXTURES_URL,
  fixturePath,
  hasEventHandlerAttribute,
  itemTextStrings,
  readFixture,
} from '../fixtures/fixtures.ts';
import { parseWireDocument } from './index.ts';
import type { ParseResult } from './types.ts';

function parseFixture(name: string): ParseResult {
  return parseWireDocument(readFixture(name), { source: fixturePath(name) });
}

type Expected = [item: string | null, field: string | null, code: string][];

function problemsOf(result: ParseResult): Expected {
  return result.problems.map((p) => [p.item, p.field, p.code]);
}

/** No markup anywhere: plain-text fields carry no tags at all, bodies no script and no event handlers. */
function assertNoMarkup(result: ParseResult): void {
  for (const text of itemTextStrings(result)) {
    assert.ok(!/<[a-z!/?]/i.test(text), `markup in text field: ${text}`);
  }
  for (const item of result.items) {
    assert.ok(!/<script/i.test(item.bodyHtml), item.bodyHtml);
    assert.ok(!hasEventHandlerAttribute(item.bodyHtml), item.bodyHtml);
    assert.ok(!/(?:javascript|vbscript|data):/i.test(item.bodyHtml), item.bodyHtml);
  }
  for (const text of allStrings(result)) assert.ok(!/<script/i.test(text), text);
  for (const problem of result.problems) assert.ok(!problem.message.includes('<'), problem.message);
}

const ENTITY_PROBLEM: Expected = [[null, null, 'DATELINE_ERR_WIRE_XML_ENTITIES']];

// Every file in fixtures/bad with the problems it must produce (item, field, code).
const BAD_FIXTURES: Record<string, Expected> = {
  'entity-expansion.xml': ENTITY_PROBLEM,
  'xxe.xml': ENTITY_PROBLEM,
  'xxe-parameter.xml': ENTITY_PROBLEM,
  'xxe-rss.xml': ENTITY_PROBLEM,
  'missing-uri.json': [['#0', 'uri', 'DATELINE_ERR_WIRE_MISSING_FIELD']],
  'truncated.json': [[null, null, 'DATELINE_ERR_WIRE_INVALID_JSON']],
  'wrong-types.json': [
    ['urn:newsml:wire.example.net:bad3', 'headlines', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:bad3', 'bodies[0].value', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:bad3', 'version', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:bad3', 'versioncreated', 'DATELINE_ERR_WIRE_INVALID_DATE'],
    ['urn:newsml:wire.example.net:bad3', 'urgency', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
  ],
  'script-injection.json': [
    ['urn:newsml:wire.example.net:20251011:EXWXSS1', 'headlines[0].value', 'DATELINE_ERR_WIRE_UNSAFE_MARKUP'],
    ['urn:newsml:wire.example.net:20251011:EXWXSS1', 'bodies[0].value', 'DATELINE_ERR_WIRE_UNSAFE_MARKUP'],
    ['urn:newsml:wire.example.net:20251011:EXWXSS1', 'by', 'DATELINE_ERR_WIRE_UNSAFE_MARKUP'],
    ['urn:newsml:wire.example.net:20251011:EXWXSS1', 'located', 'DATELINE_ERR_WIRE_UNSAFE_MARKUP'],
  ],
  'malformed.xml': [[null, null, 'DATELINE_ERR_WIRE_INVALID_XML']],
  'unknown-root.xml': [[null, null, 'DATELINE_ERR_WIRE_UNKNOWN_FORMAT']],
  'not-ninjs.json': [[null, null, 'DATELINE_ERR_WIRE_UNKNOWN_FORMAT']],
  'empty.json': [[null, null, 'DATELINE_ERR_WIRE_UNKNOWN_FORMAT']],
  'unknown-format.txt': [[null, null, 'DATELINE_ERR_WIRE_UNKNOWN_FORMAT']],
  'unknown-pubstatus.json': [
    ['urn:newsml:wire.example.net:status', 'pubstatus', 'DATELINE_ERR_WIRE_INVALID_VALUE'],
  ],
  'unparseable-embargo.json': [
    ['urn:newsml:wire.example.net:emb', 'expires', 'DATELINE_ERR_WIRE_INVALID_DATE'],
  ],
  'wrong-associations.json': [
    ['urn:newsml:wire.example.net:assoc1', 'associations', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:assoc2', 'associations[0]', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:assoc2', 'associations[1].renditions', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:assoc2', 'associations[1].renditions', 'DATELINE_ERR_WIRE_MISSING_FIELD'],
    ['urn:newsml:wire.example.net:assoc2', 'associations[2].renditions[0]', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    [
      'urn:newsml:wire.example.net:assoc2',
      'associations[2].renditions[1].href',
      'DATELINE_ERR_WIRE_WRONG_TYPE',
    ],
    [
      'urn:newsml:wire.example.net:assoc2',
      'associations[2].renditions[2].width',
      'DATELINE_ERR_WIRE_WRONG_TYPE',
    ],
    [
      'urn:newsml:wire.example.net:assoc2',
      'associations[2].renditions[2].height',
      'DATELINE_ERR_WIRE_WRONG_TYPE',
    ],
    ['#2', 'uri', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['#3', 'uri', 'DATELINE_ERR_WIRE_INVALID_VALUE'],
    ['urn:newsml:wire.example.net:assoc5', 'headline', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:assoc6', 'subjects', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:assoc6', 'keywords[0]', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
    ['urn:newsml:wire.example.net:assoc6', 'altids', 'DATELINE_ERR_WIRE_WRONG_TYPE'],
  ],
  'hostile-links.json': [
    ['urn:newsml:wire.example.net:links', 'bodies[0].value', 'DATELINE_ERR_WIRE_UNSAFE_MARKUP'],
    ...[0, 1, 2, 3, 4, 5].map((index): Expected[number] => [
      'urn:newsml:wire.example.net:links',
      `associations[0].renditions[${index}].href`,
      'DATELINE_ERR_WIRE_BAD_LINK',
    ]),
    ['urn:newsml:wire.example.net:links', 'associations[1].renditions[0].href', 'DATELINE_ERR_WIRE_BAD_LINK'],
    ['urn:newsml:wire.example.net:links', 'associations[1].renditions', 'DATELINE_ERR_WIRE_MISSING_FIELD'],
    ['urn:newsml:wire.example.net:links', 'links[0].href', 'DATELINE_ERR_WIRE_BAD_LINK'],
  ],
  'script-injection-all-fields.json': [
    'headlines[0].value',
    'bodies[0].value',
    'version',
    'slugline',
    'descriptions[0].value',
    'by',
    'located',
    'copyrightnotice',
    'usageterms',
    'ednote',
    'subjects[0].code',
    'subjects[0].name',
    'keywords[0]',
    'keywords[1]',
    'altids[0].role',
    'altids[0].value',
    'signals[0]',
    'associations[0].renditions[0].contenttype',
    'associations[0].renditions[0].name',
    'associations[0].version',
    'associations[0].caption',
    'associations[0].creditline',
    'associations[0].copyrightnotice',
    'associations[0].alt',
  ].map((field) => [
    'urn:newsml:wire.example.net:xss-all',
    field,
    // A style element is removed and listed, not a sign of tampering (the item is refused for the rest).
    field === 'usageterms' ? 'DATELINE_ERR_WIRE_MARKUP_REMOVED' : 'DATELINE_ERR_WIRE_UNSAFE_MARKUP',
  ]),
  'script-injection.xml': [
    'contentMeta.headline',
    'contentSet.inlineXML',
    'contentMeta.slugline',
    'contentMeta.creator',
    'contentMeta.located',
    'rightsInfo.copyrightNotice',
    'itemMeta.edNote',
    'contentMeta.keyword[0]',
  ].map((field) => ['urn:newsml:wire.example.net:xss-xml', field, 'DATELINE_ERR_WIRE_UNSAFE_MARKUP']),
  'script-injection-rss.xml': [
    ['rss-xss-1', 'title', 'DATELINE_ERR_WIRE_UNSAFE_MARKUP'],
    ['rss-xss-1', 'link', 'DATELINE_ERR_WIRE_BAD_LINK'],
    ...[
      'dc:creator',
      'content:encoded',
      'description',
      'category[0]',
      'copyright',
      'media:content[0].caption',
      'media:content[0].creditline',
      'media:content[0].copyrightnotice',
      'media:content[0].alt',
    ].map((field): Expected[number] => ['rss-xss-1', field, 'DATELINE_ERR_WIRE_UNSAFE_MARKUP']),
  ],
};

// How long each of these takes (bad fixtures, the entity bomb, 3 MB bodies, backtracking bait) is measured
// by `npm run bench` (bench/guard-timings.ts): a time bound here would fail on a loaded machine.
describe('bad fixtures', () => {
  it('has an expectation for every file in fixtures/bad', () => {
    assert.deepEqual(readdirSync(fixturePath('bad')).sort(), Object.keys(BAD_FIXTURES).sort());
  });

  for (const [name, expected] of Object.entries(BAD_FIXTURES)) {
    it(`${name}: reports ${expected.map(([, field, code]) => `${code}${field ? `@${field}` : ''}`).join(', ')}`, () => {
      const result = parseFixture(`bad/${name}`);
      assert.deepEqual(problemsOf(result), expected);
      for (const problem of result.problems) {
        assert.equal(problem.file, fixturePath(`bad/${name}`));
        assert.ok(problem.message.length > 40, 'message says what happened and what to do');
      }
      assertNoMarkup(result);
    });
  }

  it('document-level failures return no items', () => {
    for (const name of ['entity-expansion.xml', 'xxe.xml', 'truncated.json', 'malformed.xml', 'empty.json']) {
      assert.deepEqual(parseFixture(`bad/${name}`).items, [], name);
    }
  });

  it('never leaks local file content through XXE', () => {
    for (const name of ['xxe.xml', 'xxe-rss.xml', 'xxe-parameter.xml']) {
      const strings = allStrings(parseFixture(`bad/${name}`)).join('\n');
      assert.ok(!strings.includes('root:'), name);
    }
  });

  it('skips the wrong-typed item but keeps the good ones in the same batch', () => {
    const result = parseFixture('bad/wrong-associations.json');
    assert.deepEqual(
      result.items.map((item) => item.uri),
      [
        'urn:newsml:wire.example.net:assoc1',
        'urn:newsml:wire.example.net:assoc2',
        'urn:newsml:wire.example.net:assoc6',
      ],
    );
    assert.deepEqual(
      result.items[1]?.pictures.map((picture) => picture.uri),
      ['urn:x:q'],
    );
    assert.deepEqual(result.items[2]?.keywords, ['ok']);
  });

  it('holds an unreadable embargo for an editor instead of dropping it', () => {
    const result = parseFixture('bad/unparseable-embargo.json');
    assert.deepEqual(result.items[0]?.embargoed, { unparseable: 'next Tuesday at noon' });
    assert.equal(result.items[0]?.expires, null);
  });

  it('never reads "constructor" or other Object.prototype names as a status', () => {
    assert.deepEqual(parseFixture('bad/unknown-pubstatus.json').items, []);
  });
});

describe('script injection', () => {
  it('cleans the sample injection: text fields lose markup, the body keeps only safe markup', () => {
    const item = parseFixture('bad/script-injection.json').items[0];
    assert.ok(item);
    assert.equal(item.headline, 'Markets steady  ahead of data');
    assert.equal(item.byline, 'Example Wire');
    assert.equal(item.located, 'TOKYO">');
    assert.equal(item.bodyHtml, '<p>Shares were steady.</p><p>more </p><p>Traders waited for data.</p>');
  });

  it('cleans every text field of a ninjs item, its subjects, keywords, ids and picture', () => {
    const item = parseFixture('bad/script-injection-all-fields.json').items[0];
    assert.ok(item);
    assert.deepEqual(
      {
        version: item.version,
        headline: item.headline,
        slugline: item.slugline,
        dek: item.dek,
        byline: item.byline,
        located: item.located,
        copyrightnotice: item.copyrightnotice,
        usageterms: item.usageterms,
        ednote: item.ednote,
        keywords: item.keywords,
        subjects: item.subjects,
        altids: item.altids,
        signals: item.signals,
        bodyHtml: item.bodyHtml,
      },
      {
        version: '1',
        headline: 'Headline',
        slugline: 'SLUG',
        dek: 'Dek',
        byline: 'Byline',
        located: 'PARIS',
        copyrightnotice: '© Wire',
        usageterms: 'Terms',
        ednote: 'Note',
        keywords: ['kw', 'bold'],
        subjects: [{ code: 'medtop:1', name: 'Name' }],
        altids: [{ role: 'usn', value: 'ID1' }],
        signals: ['correction'],
        bodyHtml: '<p>Body</p>x<p>end</p>',
      },
    );
    assert.deepEqual(item.pictures, [
      {
        uri: 'urn:x:xss-pic',
        version: '2',
        pubstatus: 'usable',
        caption: 'Caption text',
        creditline: 'Credit',
        copyrightnotice: '© Pic',
        alt: 'Alt',
        renditions: [
          {
            href: `${FIXTURES_URL}bad/pictures/x.jpg`,
            width: null,
            height: null,
            contentType: 'image/jpeg',
            name: 'base',
          },
        ],
      },
    ]);
  });

  it('cleans every text field of a NewsML-G2 item, including CDATA and entity-encoded markup', () => {
    const item = parseFixture('bad/script-injection.xml').items[0];
    assert.ok(item);
    assert.equal(item.headline, 'Headline');
    assert.equal(item.slugline, 'SLUG');
    assert.equal(item.located, 'BERLIN');
    assert.equal(item.copyrightnotice, '© Wire');
    assert.equal(item.ednote, 'Note');
    assert.deepEqual(item.keywords, ['kw']);
    assert.equal(item.byline, 'Reporter');
    assert.equal(
      item.bodyHtml,
      '<p>Body link</p>\n<p>&lt;script&gt;escaped text stays text&lt;/script&gt;</p>',
    );
  });

  it('cleans every text field of an RSS item and its Media RSS picture', () => {
    const item = parseFixture('bad/script-injection-rss.xml').items[0];
    assert.ok(item);
    assert.equal(item.headline, 'Title');
    assert.equal(item.link, null);
    assert.equal(item.byline, 'Writer');
    assert.equal(item.dek, 'Dek');
    assert.deepEqual(item.keywords, ['Cat']);
    assert.equal(item.copyrightnotice, '© Feed');
    assert.equal(item.bodyHtml, '<p>Body</p>x');
    const picture = item.pictures[0];
    assert.deepEqual(
      [picture?.alt, picture?.caption, picture?.creditline, picture?.copyrightnotice],
      ['Title', 'Caption', 'Credit', '©'],
    );
  });

  const payloads = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '"><script>alert(1)</script>',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<scr<script>ipt>alert(1)</scr</script>ipt>',
    '<body onload=alert(1)>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  ];

  it('never lets a payload through any ninjs text field', () => {
    for (const payload of payloads) {
      const text = `Text ${payload} Text`;
      const doc = {
        uri: 'urn:x:payload',
        version: text,
        headlines: [{ role: 'main', value: text }],
        descriptions: [{ role: 'summary', value: text }],
        bodies: [{ role: 'main', contenttype: 'text/html', value: text }],
        slugline: text,
        by: text,
        located: text,
        copyrightnotice: text,
        usageterms: text,
        ednote: text,
        keywords: [text],
        subjects: [{ code: text, name: text }],
        altids: [{ role: text, value: text }],
        signals: [text],
        associations: [
          {
            type: 'picture',
            uri: 'urn:x:p',
            version: text,
            headlines: [{ value: text }],
            descriptions: [
              { role: 'caption', value: text },
              { role: 'creditline', value: text },
            ],
            copyrightnotice: text,
            renditions: [{ name: text, href: 'https://cdn.example/p.jpg', contenttype: text }],
          },
        ],
      };
      const result = parseWireDocument(JSON.stringify(doc), { source: 'https://wire.example/p.json' });
      assert.equal(result.items.length, 1, `${payload}: ${JSON.stringify(result.problems)}`);
      assertNoMarkup(result);
    }
  });

  it('never lets a payload through any NewsML-G2, RSS or Atom text field', () => {
    const escapeXml = (text: string) =>
      text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const payload of payloads) {
      for (const text of [escapeXml(`${payload} T`), `<![CDATA[${payload} T]]>`]) {
        const documents = [
          `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:p" version="1"><rightsInfo><copyrightNotice>${text}</copyrightNotice><usageTerms>${text}</usageTerms></rightsInfo><itemMeta><edNote>${text}</edNote><signal qcode="sig:x"/></itemMeta><contentMeta><headline>T</headline><slugline>${text}</slugline><by>${text}</by><located><name>${text}</name></located><description role="drol:summary">${text}</description><keyword>${text}</keyword><subject qcode="a:b"><name>${text}</name></subject></contentMeta><contentSet><inlineData contenttype="text/html">${text}</inlineData></contentSet></newsItem>`,
          `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><copyright>${text}</copyright><item><guid>g</guid><title>T ${text}</title><author>${text}</author><category>${text}</category><description>${text}</description><content:encoded>${text}</content:encoded><media:content url="https://cdn.example/p.jpg"><media:title>${text}</media:title><media:description>${text}</media:description><media:credit>${text}</media:credit><media:copyright>${text}</media:copyright></media:content></item></channel></rss>`,
          `<feed xmlns="http://www.w3.org/2005/Atom"><rights>${text}</rights><entry><id>e</id><title type="html">T ${text}</title><summary type="html">${text}</summary><author><name>${text}</name></author><content type="html">${text}</content></entry></feed>`,
        ];
        for (const xml of documents) {
          const result = parseWireDocument(xml, { source: 'https://wire.example/p.xml' });
          assert.equal(result.items.length, 1, `${xml}: ${JSON.stringify(result.problems)}`);
          assertNoMarkup(result);
        }
      }
    }
  });
});

describe('XML entity attacks', () => {
  it('refuses entity declarations before expanding any, however large the expansion', () => {
    const quadratic = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "${'x'.repeat(50_000)}">]><rss><channel><item><title>${'&a;'.repeat(50_000)}</title></item></channel></rss>`;
    const result = parseWireDocument(quadratic, { source: 'q.xml' });
    assert.deepEqual(problemsOf(result), ENTITY_PROBLEM);
    assert.deepEqual(result.items, []);
  });

  it('accepts a DOCTYPE without entity declarations and never expands undeclared entities', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
      <rss version="0.91"><channel><item><guid>g</guid><title>A &amp; B &nbsp;&copy; &#169; &unknown;</title></item></channel></rss>`;
    const result = parseWireDocument(xml, { source: 'https://wire.example/old.xml' });
    assert.deepEqual(result.problems, []);
    assert.equal(result.items[0]?.headline, 'A & B \u00a0© © &unknown;');
  });

  it('refuses absurdly deep nesting instead of exhausting the stack', () => {
    const xml = `<rss><channel><item><guid>g</guid><title>t</title><description>${'<b>'.repeat(500)}x${'</b>'.repeat(500)}</description></item></channel></rss>`;
    assert.deepEqual(problemsOf(parseWireDocument(xml, { source: 'deep.xml' })), [
      [null, null, 'DATELINE_ERR_WIRE_INVALID_XML'],
    ]);
  });
});

describe('body size', () => {
  function bigBody(bytes: number): string {
    const paragraph = `<p>${'Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit &amp; more. '.repeat(20)}</p>`;
    return paragraph.repeat(Math.ceil(bytes / paragraph.length));
  }

  it('ingests a 3 MB body with default settings in every format', () => {
    const body = bigBody(3 * 1024 * 1024);
    assert.ok(Buffer.byteLength(body) > 3 * 1024 * 1024);
    const documents = [
      JSON.stringify({ uri: 'urn:x:big', headlines: [{ value: 'Big' }], bodies: [{ value: body }] }),
      `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:big"><contentMeta><headline>Big</headline></contentMeta><contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>${body}</body></html></inlineXML></contentSet></newsItem>`,
      `<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><guid>urn:x:big</guid><title>Big</title><content:encoded><![CDATA[${body}]]></content:encoded></item></channel></rss>`,
    ];
    for (const doc of documents) {
      const result = parseWireDocument(doc, { source: 'https://wire.example/big' });
      assert.deepEqual(result.problems, []);
      assert.equal(result.items.length, 1);
      assert.ok((result.items[0]?.bodyHtml.length ?? 0) > 3_000_000);
    }
  });

  it('reports a body over the limit for that item only', () => {
    const doc = JSON.stringify([
      { uri: 'urn:x:small', headlines: [{ value: 'Small' }], bodies: [{ value: '<p>ok</p>' }] },
      { uri: 'urn:x:large', headlines: [{ value: 'Large' }], bodies: [{ value: bigBody(20_000) }] },
    ]);
    const result = parseWireDocument(doc, { source: 'batch.json', maxBodyBytes: 10_000 });
    assert.deepEqual(
      result.items.map((item) => item.uri),
      ['urn:x:small'],
    );
    assert.deepEqual(problemsOf(result), [['urn:x:large', 'bodies[0].value', 'DATELINE_ERR_WIRE_TOO_LARGE']]);
  });

  it('applies the 5 MB default', () => {
    const doc = JSON.stringify({
      uri: 'urn:x:huge',
      headlines: [{ value: 'Huge' }],
      body_html: bigBody(5.5 * 1024 * 1024),
    });
    assert.deepEqual(problemsOf(parseWireDocument(doc, { source: 'huge.json' })), [
      ['urn:x:huge', 'body_html', 'DATELINE_ERR_WIRE_TOO_LARGE'],
    ]);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const doc = JSON.stringify({
      uri: 'urn:x:utf8',
      headlines: [{ value: 'U' }],
      body_text: 'é'.repeat(600),
    });
    assert.deepEqual(problemsOf(parseWireDocument(doc, { source: 'u.json', maxBodyBytes: 1000 })), [
      ['urn:x:utf8', 'body_text', 'DATELINE_ERR_WIRE_TOO_LARGE'],
    ]);
  });
});

describe('picture links', () => {
  it('keeps only http(s) renditions and files inside the feed folder', () => {
    const item = parseFixture('bad/hostile-links.json').items[0];
    assert.ok(item);
    assert.deepEqual(
      item.pictures.map((picture) => picture.renditions.map((r) => [r.name, r.href])),
      [[['good', `${FIXTURES_URL}bad/pictures/ok.jpg`]]],
    );
    assert.equal(item.link, null);
  });

  it('never returns file:// hrefs for documents fetched over http', () => {
    const result = parseWireDocument(
      JSON.stringify({
        uri: 'urn:x:remote',
        headlines: [{ value: 'Remote' }],
        associations: [
          {
            type: 'picture',
            renditions: [
              { href: 'file:///etc/passwd' },
              { href: '/img/a.jpg' },
              { href: '//cdn.example/b.jpg' },
            ],
          },
        ],
      }),
      { source: 'https://wire.example/feeds/x.json' },
    );
    assert.deepEqual(
      result.items[0]?.pictures[0]?.renditions.map((r) => r.href),
      ['https://wire.example/img/a.jpg', 'https://cdn.example/b.jpg'],
    );
  });

  it('treats a relative source path as relative to the working directory', () => {
    const result = parseWireDocument(
      JSON.stringify({
        uri: 'urn:x:rel',
        headlines: [{ value: 'Rel' }],
        associations: [{ type: 'picture', renditions: [{ href: 'pictures/a.jpg' }] }],
      }),
      { source: 'incoming/agency/story.json' },
    );
    const href = result.items[0]?.pictures[0]?.renditions[0]?.href ?? '';
    assert.ok(href.startsWith('file:///') && href.endsWith('/incoming/agency/pictures/a.jpg'), href);
  });
});

describe('never throws', () => {
  it('handles inputs of the wrong type and odd options', () => {
    const inputs: unknown[] = [
      null,
      undefined,
      42,
      {},
      [],
      new Uint8Array([1, 2]),
      Buffer.alloc(0),
      Symbol('x'),
    ];
    for (const input of inputs) {
      const result = parseWireDocument(input as string, { source: 'odd' });
      assert.deepEqual(result.items, []);
      assert.equal(result.problems[0]?.code, 'DATELINE_ERR_WIRE_UNKNOWN_FORMAT');
    }
    const noOptions = parseWireDocument(
      '{"uri":"u","headline":"h"}',
      undefined as unknown as { source: string },
    );
    assert.equal(noOptions.items.length, 1);
    const badMax = parseWireDocument('{"uri":"u","headline":"h","body_html":"<p>x</p>"}', {
      source: 'x',
      maxBodyBytes: Number.NaN,
    });
    assert.equal(badMax.items[0]?.bodyHtml, '<p>x</p>');
  });

  it('handles prototype-pollution keys and reserved XML names', () => {
    const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
    const json =
      '{"uri":"urn:x:proto","headline":"P","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"associations":{"__proto__":{"type":"picture"}}}';
    const result = parseWireDocument(json, { source: 'p.json' });
    // The item is read as an ordinary one: "__proto__" and "constructor" are just unknown keys, and the
    // association keyed "__proto__" is a picture without renditions, dropped and reported as such.
    assert.deepEqual(
      result.items.map((item) => [item.uri, item.headline, item.pictures]),
      [['urn:x:proto', 'P', []]],
    );
    assert.deepEqual(problemsOf(result), [
      ['urn:x:proto', 'associations.__proto__.renditions', 'DATELINE_ERR_WIRE_MISSING_FIELD'],
    ]);
    const xml =
      '<rss><channel><item><guid>g</guid><title>t</title><constructor/><__proto__:x/></item></channel></rss>';
    const xmlResult = parseWireDocument(xml, { source: 'p.xml' });
    // Element names that are Object.prototype members are refused as unreadable XML, never half-read.
    assert.deepEqual(xmlResult.items, []);
    assert.deepEqual(problemsOf(xmlResult), [[null, null, 'DATELINE_ERR_WIRE_INVALID_XML']]);
    // Neither document reached Object.prototype.
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames);
    const fresh: Record<string, unknown> = {};
    assert.deepEqual([fresh.polluted, fresh.x, fresh.type], [undefined, undefined, undefined]);
  });

  it('handles deeply nested JSON', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const result = parseWireDocument(deep, { source: 'deep.json' });
    assert.deepEqual(result.items, []);
  });

  it('reads hostile strings as plain values: a long author is kept, an unreadable date or urgency reported', () => {
    const long = '('.repeat(100_000);
    const doc = `<rss><channel><item><guid>g</guid><title>t</title><author>${long}</author><pubDate>${' '.repeat(100_000)}1</pubDate></item></channel></rss>`;
    const rss = parseWireDocument(doc, { source: 'slow.xml' });
    assert.deepEqual(
      rss.items.map((item) => [item.uri, item.byline, item.versionCreated]),
      [['g', long, null]],
    );
    assert.deepEqual(problemsOf(rss), [['g', 'pubDate', 'DATELINE_ERR_WIRE_INVALID_DATE']]);
    const version = `${'1'.repeat(100_000)}x`;
    const ninjs = parseWireDocument(
      JSON.stringify({ uri: 'u', headline: 'h', urgency: `${' '.repeat(100_000)}x`, version }),
      { source: 'slow.json' },
    );
    assert.deepEqual(
      ninjs.items.map((item) => [item.uri, item.urgency, item.version]),
      [['u', null, version]],
    );
    assert.deepEqual(problemsOf(ninjs), [['u', 'urgency', 'DATELINE_ERR_WIRE_WRONG_TYPE']]);
  });
});

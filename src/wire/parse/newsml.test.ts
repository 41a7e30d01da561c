// Tests for NewsML-G2 messages, packages, picture items and bare items.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXTURES_URL, fixturePath, readFixture } from '../fixtures/fixtures.ts';
import { parseWireDocument } from './index.ts';
import type { ParseResult, WireItem } from './types.ts';

function parseFixture(name: string): ParseResult {
  return parseWireDocument(readFixture(name), { source: fixturePath(name) });
}

function byUri(result: ParseResult, uri: string): WireItem {
  const item = result.items.find((candidate) => candidate.uri === uri);
  assert.ok(item, `no item ${uri} in ${result.items.map((i) => i.uri).join(', ')}`);
  return item;
}

describe('NewsML-G2 story', () => {
  it('a signal code carrying markup comes out as text (fast-check found <script> passing through)', () => {
    const xml = readFixture('newsmlg2-story.xml')
      .toString('utf8')
      .replace(/<signal qcode="[^"]*"\/>/, '<signal qcode="sig:&lt;script&gt;correction"/>');
    assert.ok(xml.includes('&lt;script&gt;'), 'the fixture has a signal to alter');
    const item = parseWireDocument(xml, { source: 'memory' }).items[0]!;
    assert.equal(item.signals.length, 1);
    assert.ok(!/<script/i.test(item.signals[0]!), item.signals[0]);
  });

  it('reads the sample newsMessage, including the correction signal', () => {
    const result = parseFixture('newsmlg2-story.xml');
    assert.deepEqual(result.problems, []);
    assert.equal(result.items.length, 1);
    const item = result.items[0]!;
    assert.equal(item.format, 'newsml-g2');
    assert.equal(item.uri, 'urn:newsml:wire.example.net:20251009:EXW9D4E');
    assert.equal(item.version, '2');
    assert.deepEqual(item.versionCreated, new Date('2025-10-09T12:05:00Z'));
    assert.deepEqual(item.firstCreated, new Date('2025-10-09T10:00:00Z'));
    assert.equal(item.pubstatus, 'usable');
    assert.equal(item.embargoed, null);
    assert.equal(item.headline, 'Kazakhstan expects record grain exports as rail capacity grows');
    assert.equal(item.slugline, 'KAZAKHSTAN-GRAIN/EXPORTS');
    assert.equal(item.located, 'ALMATY');
    assert.equal(item.byline, 'Example Wire staff');
    assert.equal(item.urgency, 4);
    assert.equal(item.copyrightnotice, '© Example Wire 2025');
    assert.equal(item.usageterms, 'For editorial use by subscribers only.');
    assert.equal(item.ednote, "Corrects spelling of minister's name in paragraph 2.");
    assert.deepEqual(item.signals, ['correction']);
    assert.deepEqual(item.subjects, [{ code: 'medtop:20000565', name: 'international trade' }]);
    assert.equal(
      item.bodyHtml,
      '<p>Kazakhstan expects grain exports to reach a record this season as new rail capacity comes online, the agriculture ministry said on Thursday.</p>\n<p>Minister Ayan Example said shipments to neighbouring states would rise by a fifth.</p>',
    );
    assert.ok(!item.bodyHtml.includes('Kazakhstan grain'), 'the XHTML <title> is not body text');
  });
});

describe('NewsML-G2 package with pictures', () => {
  const result = parseFixture('newsmlg2-package.xml');

  it('reads the text item fields', () => {
    const item = byUri(result, 'urn:newsml:wire.example.net:20251013:TXT1');
    assert.equal(item.version, '3');
    assert.deepEqual(item.versionCreated, new Date('2025-10-13T07:55:00Z'));
    assert.deepEqual(item.firstCreated, new Date('2025-10-13T07:00:00Z'), 'basic ISO format');
    assert.deepEqual(item.embargoed, { at: new Date('2025-10-14T00:00:00Z') });
    assert.equal(item.headline, 'Vietnam rice exports climb & prices rise <5%');
    assert.equal(item.dek, 'Rice shipments rose for a third month.');
    assert.equal(item.byline, 'Jane Reporter, John Writer');
    assert.equal(item.located, 'HANOI');
    assert.equal(item.urgency, 5);
    assert.equal(item.ednote, 'Embargoed until midnight UTC.\nSecond note.');
    assert.deepEqual(item.signals, ['update']);
    assert.deepEqual(item.keywords, ['rice', 'exports']);
    assert.deepEqual(item.altids, [{ role: 'idType:USN', value: 'TXT1-USN' }]);
    assert.deepEqual(item.subjects, [
      { code: 'medtop:04000000', name: 'economy, business and finance' },
      { code: 'medtop:20000385', name: null },
    ]);
    assert.equal(item.copyrightnotice, '© Example Wire 2025');
    assert.equal(item.usageterms, 'Subscribers only.');
  });

  it('serializes the inline XHTML body, resolving links against xml:base', () => {
    const item = byUri(result, 'urn:newsml:wire.example.net:20251013:TXT1');
    assert.equal(
      item.bodyHtml,
      [
        '<h2>Rice</h2>',
        `<p>Vietnam's rice exports rose, <a href="https://wire.example.net/stories/data/rice.html" rel="noopener nofollow">data</a> showed.</p>`,
        '<p><img width="600" height="400" src="https://wire.example.net/stories/charts/rice.png" alt="Chart" /></p>',
        '<table><tr><th colspan="2">Month</th></tr><tr><td>Sept</td><td>+4%</td></tr></table>',
      ].join('\n'),
    );
  });

  it('attaches pictures from the package and from itemMeta links, package first', () => {
    const item = byUri(result, 'urn:newsml:wire.example.net:20251013:TXT1');
    assert.deepEqual(item.pictures, [
      {
        uri: 'urn:newsml:wire.example.net:20251013:PIC1',
        version: '1',
        pubstatus: 'usable',
        caption: 'Farmers harvest rice in the Mekong Delta, Vietnam, October 12, 2025.   EXAMPLE WIRE/Pool',
        creditline: 'Example Wire/Pool  Photographer',
        copyrightnotice: '© Pool 2025',
        alt: 'Rice harvest',
        renditions: [
          {
            href: `${FIXTURES_URL}pictures/PIC1.jpg`,
            width: 3000,
            height: 2000,
            contentType: 'image/jpeg',
            name: 'rnd:highRes',
          },
          {
            href: 'https://cdn.wire.example.net/PIC1-t.jpg',
            width: 300,
            height: 200,
            contentType: 'image/jpeg',
            name: 'rnd:thumbnail',
          },
        ],
      },
      {
        uri: 'urn:newsml:wire.example.net:20251013:PIC2',
        version: '1',
        pubstatus: 'withheld',
        caption: 'A rice terrace.',
        creditline: 'Staff Photographer',
        copyrightnotice: null,
        alt: null,
        renditions: [
          {
            href: 'https://cdn.wire.example.net/PIC2.jpg',
            width: null,
            height: null,
            contentType: 'image/jpeg',
            name: null,
          },
        ],
      },
    ]);
  });

  it('publishes an unreferenced picture item as its own item and skips referenced ones and packages', () => {
    assert.deepEqual(
      result.items.map((item) => item.uri),
      [
        'urn:newsml:wire.example.net:20251013:TXT1',
        'urn:newsml:wire.example.net:20251013:PIC3',
        'urn:newsml:wire.example.net:20251013:TXT2',
      ],
    );
    const picture = byUri(result, 'urn:newsml:wire.example.net:20251013:PIC3');
    assert.equal(picture.headline, 'Standalone picture');
    assert.equal(picture.bodyHtml, '');
    assert.equal(picture.pictures[0]?.caption, 'Not referenced by any text item.');
  });

  it('reads withheld status from a pubstatus URI, an empty <embargoed/> as unparseable, and inlineData text', () => {
    const item = byUri(result, 'urn:newsml:wire.example.net:20251013:TXT2');
    assert.equal(item.pubstatus, 'withheld');
    assert.deepEqual(item.embargoed, { unparseable: '' });
    assert.equal(item.bodyHtml, '<p>Plain body line.</p><p>Second para.</p>');
  });

  it('reports the missing package picture and the unsupported video item, not the external see-also link', () => {
    assert.deepEqual(
      result.problems.map((p) => [p.item, p.field, p.code, p.severity]),
      [
        [
          'urn:newsml:wire.example.net:20251013:TXT1',
          'residref',
          'DATELINE_ERR_WIRE_UNRESOLVED_REF',
          'warning',
        ],
        [
          'urn:newsml:wire.example.net:20251013:VID1',
          'itemMeta.itemClass',
          'DATELINE_ERR_WIRE_INVALID_VALUE',
          'error',
        ],
      ],
    );
  });
});

describe('NewsML-G2 bare items', () => {
  it('reads a bare newsItem kill without headline or body', () => {
    const result = parseFixture('newsmlg2-bare-kill.xml');
    assert.equal(result.items.length, 1);
    const item = result.items[0]!;
    assert.equal(item.pubstatus, 'canceled');
    assert.equal(item.version, '3');
    assert.equal(item.headline, '');
    assert.deepEqual(
      result.problems.map((p) => [p.field, p.code, p.severity]),
      [['headline', 'DATELINE_ERR_WIRE_MISSING_FIELD', 'warning']],
    );
  });

  it('reads a bare packageItem root as a story and reports refs it cannot resolve', () => {
    const xml = `<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:pkg" version="2">
      <itemMeta><itemClass qcode="ninat:composite"/><pubStatus qcode="stat:usable"/></itemMeta>
      <contentMeta><headline>Gallery</headline></contentMeta>
      <groupSet><group><itemRef residref="urn:x:elsewhere"/></group></groupSet></packageItem>`;
    const result = parseWireDocument(xml, { source: 'https://wire.example/pkg.xml' });
    assert.deepEqual(
      result.items.map((item) => [item.uri, item.headline, item.pictures.length]),
      [['urn:x:pkg', 'Gallery', 0]],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.field, p.code]),
      [['residref', 'DATELINE_ERR_WIRE_UNRESOLVED_REF']],
    );
  });

  it('reads a NITF body and prefixed NewsML elements', () => {
    const xml = `<?xml version="1.0"?><nar:newsItem xmlns:nar="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:nitf" version="1">
      <nar:contentMeta><nar:headline>NITF</nar:headline><nar:description role="drol:summary">Sum</nar:description></nar:contentMeta>
      <nar:contentSet><nar:inlineXML><nitf><body><body.head><hedline><hl1>Not body</hl1></hedline></body.head>
      <body.content><p>Real body</p></body.content></body></nitf></nar:inlineXML></nar:contentSet></nar:newsItem>`;
    const result = parseWireDocument(xml, { source: 'https://wire.example/nitf.xml' });
    assert.deepEqual(result.problems, []);
    assert.equal(result.items[0]?.headline, 'NITF');
    assert.equal(result.items[0]?.dek, 'Sum');
    assert.equal(result.items[0]?.bodyHtml, '<p>Real body</p>');
  });

  it('decodes a Buffer in the encoding the XML declaration names', () => {
    const result = parseFixture('newsmlg2-latin1.xml');
    assert.deepEqual(result.problems, []);
    assert.equal(result.items[0]?.headline, 'Zürich café prices');
    assert.equal(result.items[0]?.located, 'ZÜRICH');
    assert.equal(result.items[0]?.bodyHtml, '<p>Café crème costs more.</p>');
  });

  it('decodes UTF-16 with a byte order mark', () => {
    const xml =
      '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:utf16"><contentMeta><headline>Ünïcode</headline></contentMeta></newsItem>';
    const buffer = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    assert.equal(parseWireDocument(buffer, { source: 'u.xml' }).items[0]?.headline, 'Ünïcode');
  });

  it('requires a guid and a headline on a usable item', () => {
    const xml = `<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>
      <newsItem version="1"><contentMeta><headline>No guid</headline></contentMeta></newsItem>
      <newsItem guid="urn:x:nohead" version="1"><contentMeta/></newsItem>
      <newsItem guid="urn:x:status"><itemMeta><pubStatus qcode="stat:draft"/></itemMeta><contentMeta><headline>H</headline></contentMeta></newsItem>
    </itemSet></newsMessage>`;
    const result = parseWireDocument(xml, { source: 'g2.xml' });
    assert.deepEqual(result.items, []);
    assert.deepEqual(
      result.problems.map((p) => [p.item, p.field, p.code]),
      [
        ['#0', 'uri', 'DATELINE_ERR_WIRE_MISSING_FIELD'],
        ['urn:x:nohead', 'headline', 'DATELINE_ERR_WIRE_MISSING_FIELD'],
        ['urn:x:status', 'itemMeta.pubStatus', 'DATELINE_ERR_WIRE_INVALID_VALUE'],
      ],
    );
  });

  it('reports a newsMessage with no items', () => {
    const result = parseWireDocument(
      '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header/></newsMessage>',
      {
        source: 'empty.xml',
      },
    );
    assert.deepEqual(
      result.problems.map((p) => [p.item, p.field, p.code]),
      [[null, 'itemSet', 'DATELINE_ERR_WIRE_MISSING_FIELD']],
    );
  });
});

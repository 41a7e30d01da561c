// Tests for ninjs 1.x, 2.x and 3.0 items and batches, using the agency sample fixtures.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXTURES_URL, fixturePath, readFixture } from '../fixtures/fixtures.ts';
import { compareVersions, parseWireDocument } from './index.ts';
import type { ParseResult, WireItem } from './types.ts';

function parseFixture(name: string): ParseResult {
  return parseWireDocument(readFixture(name), { source: fixturePath(name) });
}

function only(result: ParseResult): WireItem {
  assert.equal(result.items.length, 1, JSON.stringify(result.problems));
  return result.items[0]!;
}

const DUSHANBE_CAPTION =
  'Leaders pose for a family photo during the summit at a government residence in Dushanbe, Tajikistan October 9, 2025. Agency/Pool Photographer/Pool via EXAMPLE WIRE ATTENTION EDITORS - THIS IMAGE WAS PROVIDED BY A THIRD PARTY.';

describe('ninjs 2.x', () => {
  it('reads every field of the v1 story and its picture association', () => {
    const result = parseFixture('ninjs2-story-v1.json');
    assert.deepEqual(result.problems, []);
    const item = only(result);
    assert.equal(item.format, 'ninjs2');
    assert.equal(item.uri, 'urn:newsml:wire.example.net:20251009:EXW7Q1A');
    assert.equal(item.version, '1');
    assert.deepEqual(item.versionCreated, new Date('2025-10-09T09:02:00Z'));
    assert.deepEqual(item.firstCreated, new Date('2025-10-09T09:02:00Z'));
    assert.equal(item.pubstatus, 'usable');
    assert.equal(item.embargoed, null);
    assert.equal(item.expires, null);
    assert.equal(item.headline, 'Regional leaders pledge new freight corridors at Dushanbe summit');
    assert.equal(item.slugline, 'CENTRALASIA-TRADE/SUMMIT');
    assert.equal(item.byline, 'Example Wire staff');
    assert.equal(item.located, 'DUSHANBE');
    assert.equal(item.urgency, 3);
    assert.equal(item.copyrightnotice, '© Example Wire 2025');
    assert.equal(item.usageterms, 'For editorial use by subscribers only.');
    assert.equal(item.ednote, null);
    assert.equal(
      item.bodyHtml,
      '<p>Leaders of six countries agreed on Thursday to study new rail and road freight corridors, a joint statement said.</p><p>Officials did not give a timetable or cost for the projects.</p><p>(Reporting by Example Wire staff; Editing by A. Editor)</p>',
    );
    assert.deepEqual(item.subjects, [
      { code: 'medtop:20000565', name: 'international trade' },
      { code: 'medtop:20000000', name: 'Tajikistan' },
    ]);
    assert.deepEqual(item.altids, [{ role: 'usn', value: 'EXW7Q1A' }]);
    assert.deepEqual(item.keywords, []);
    assert.deepEqual(item.signals, []);
    assert.equal(item.link, null);
    assert.deepEqual(item.pictures, [
      {
        uri: 'urn:newsml:wire.example.net:20251009:EXWPIX0311',
        version: '1',
        pubstatus: 'usable',
        caption: DUSHANBE_CAPTION,
        creditline: 'Example Wire/Pool Photographer',
        copyrightnotice: '© Agency 2025',
        alt: 'Summit in Dushanbe',
        renditions: [
          {
            href: `${FIXTURES_URL}pictures/EXWPIX0311.jpg`,
            width: 1200,
            height: 800,
            contentType: 'image/jpeg',
            name: 'baseImage',
          },
        ],
      },
    ]);
  });

  it('reads v2 as a newer version of the same story, with its ednote', () => {
    const v1 = only(parseFixture('ninjs2-story-v1.json'));
    const v2 = only(parseFixture('ninjs2-story-v2.json'));
    assert.equal(v2.uri, v1.uri);
    assert.equal(v2.version, '2');
    assert.deepEqual(v2.firstCreated, v1.firstCreated);
    assert.deepEqual(v2.versionCreated, new Date('2025-10-09T11:30:00Z'));
    assert.equal(
      v2.headline,
      'UPDATE 1-Regional leaders pledge new freight corridors, payment systems at Dushanbe summit',
    );
    assert.ok(
      v2.bodyHtml.includes('<p>They also agreed to improve trade payment and settlement systems.</p>'),
    );
    assert.equal(v2.ednote, 'Adds payment systems in paragraph 2. Not for publication.');
    assert.equal(v2.pictures[0]?.caption, DUSHANBE_CAPTION);
    assert.equal(compareVersions(v1, v2), -1);
  });

  it('reads the kill as version 3 with pubstatus canceled', () => {
    const kill = only(parseFixture('ninjs2-story-kill.json'));
    const v2 = only(parseFixture('ninjs2-story-v2.json'));
    assert.equal(kill.pubstatus, 'canceled');
    assert.equal(kill.version, '3');
    assert.equal(kill.uri, v2.uri);
    assert.equal(compareVersions(kill, v2), 1);
    assert.equal(kill.bodyHtml, '<p>Story withdrawn.</p>');
    assert.equal(kill.ednote, 'KILL - This story has been withdrawn. Please remove it from all platforms.');
    assert.deepEqual(kill.pictures, []);
  });

  it('reads the embargo time', () => {
    const item = only(parseFixture('ninjs2-embargoed.json'));
    assert.deepEqual(item.embargoed, { at: new Date('2030-01-15T00:00:00Z') });
    assert.equal(item.headline, 'Central bank annual report shows reserves at record (embargoed)');
    assert.equal(item.located, 'TOKYO');
  });

  it('turns text/plain bodies into escaped paragraphs', () => {
    const result = parseFixture('ninjs2-batch.json');
    assert.equal(
      result.items[0]?.bodyHtml,
      '<p>Line one.<br />Line two &amp; more.</p><p>Second paragraph &lt;b&gt;not bold&lt;/b&gt;.</p>',
    );
    assert.equal(result.items[0]?.version, '1', 'a JSON number version becomes its text');
  });
});

describe('ninjs 1.x', () => {
  it('reads headline, body_html, byline, subject and keyed associations/renditions like 2.x', () => {
    const result = parseFixture('ninjs1-story.json');
    assert.deepEqual(result.problems, []);
    const item = only(result);
    assert.equal(item.format, 'ninjs1');
    assert.equal(item.uri, 'urn:newsml:otherwire.example.org:2025:OW-5521');
    assert.equal(item.version, '2');
    assert.deepEqual(item.versionCreated, new Date('2025-10-08T13:15:00Z'));
    assert.equal(item.headline, 'Typhoon disrupts flights across southern Japan');
    assert.equal(item.byline, 'Otherwire');
    assert.equal(item.located, 'NAHA, Japan');
    assert.equal(
      item.bodyHtml,
      '<p>Hundreds of flights were cancelled as a typhoon approached Okinawa on Wednesday.</p><p>Ferry services were also halted.</p>',
    );
    assert.deepEqual(item.subjects, [{ code: 'medtop:06000000', name: 'environment' }]);
    assert.equal(item.copyrightnotice, '© Otherwire 2025');
    assert.deepEqual(item.pictures, [
      {
        uri: 'urn:newsml:otherwire.example.org:2025:OW-P-88',
        version: '1',
        pubstatus: 'usable',
        caption:
          'Waves hit the sea wall in Naha, Okinawa prefecture, Japan, October 8, 2025. Otherwire/Photographer',
        creditline: 'Photographer',
        copyrightnotice: null,
        alt: null,
        renditions: [
          {
            href: `${FIXTURES_URL}pictures/OW-P-88.jpg`,
            width: 1200,
            height: 800,
            contentType: 'image/jpeg',
            name: 'baseImage',
          },
        ],
      },
    ]);
  });

  it('reads body_text, description_text and keyed altids', () => {
    const item = only(
      parseWireDocument(
        JSON.stringify({
          uri: 'urn:x:1',
          headline: 'H',
          body_text: 'One\n\nTwo',
          description_text: 'Dek',
          altids: { usn: 'X1' },
          standard: { version: '1.2' },
        }),
        { source: 'https://wire.example/x.json' },
      ),
    );
    assert.equal(item.format, 'ninjs1');
    assert.equal(item.bodyHtml, '<p>One</p><p>Two</p>');
    assert.equal(item.dek, 'Dek');
    assert.deepEqual(item.altids, [{ role: 'usn', value: 'X1' }]);
  });
});

describe('ninjs 3.0', () => {
  it('reads the camelCase fields', () => {
    const result = parseFixture('ninjs3-story.json');
    assert.deepEqual(result.problems, []);
    const item = only(result);
    assert.equal(item.format, 'ninjs3');
    assert.equal(item.version, '4');
    assert.deepEqual(item.firstCreated, new Date('2025-10-12T07:00:00Z'));
    assert.deepEqual(item.versionCreated, new Date('2025-10-12T06:15:30.250Z'));
    assert.equal(item.pubstatus, 'usable');
    assert.deepEqual(item.embargoed, { at: new Date('2025-10-12T10:00:00Z') });
    assert.deepEqual(item.expires, new Date('2025-11-12T00:00:00Z'));
    assert.equal(item.urgency, 2);
    assert.equal(item.headline, 'Asian shares edge up as investors weigh central bank signals');
    assert.equal(item.dek, 'Regional stocks rose modestly in early trade.');
    assert.equal(item.copyrightnotice, '© Example Wire 2025');
    assert.equal(item.usageterms, 'Subscribers only.');
    assert.equal(item.ednote, 'Moves on markets wire.');
    assert.deepEqual(item.keywords, ['stocks', 'Asia']);
    assert.deepEqual(item.altids, [{ role: 'usn', value: 'EXW3C0A' }]);
    assert.deepEqual(item.signals, ['update']);
    assert.deepEqual(item.subjects, [
      { code: 'medtop:20000385', name: 'equities' },
      { code: 'ex:markets', name: 'Markets' },
    ]);
    assert.equal(item.link, 'https://wire.example.net/stories/EXW3C0A');
    // h1 demoted; the site-relative link cannot resolve against a file on disk, so only its text stays.
    assert.equal(
      item.bodyHtml,
      '<h2>Markets</h2><p>Asian shares rose on <em>Friday</em>.</p><p>See regional data.</p>',
    );
  });

  it('keeps caption inner spacing exactly, trims the ends, and skips non-picture associations', () => {
    const item = only(parseFixture('ninjs3-story.json'));
    assert.equal(item.pictures.length, 1);
    const picture = item.pictures[0]!;
    assert.equal(
      picture.caption,
      'A trader  watches screens in Singapore, October 12, 2025.  REUTERS-STYLE/Photographer',
    );
    assert.equal(picture.creditline, 'Example Wire/Photographer');
    assert.equal(picture.alt, 'A trader in front of several screens');
    assert.deepEqual(
      picture.renditions.map((r) => [r.name, r.href, r.width, r.height, r.contentType]),
      [
        ['baseImage', `${FIXTURES_URL}pictures/EXWPIX0400.jpg`, 2000, 1333, 'image/jpeg'],
        ['thumbnail', 'https://cdn.wire.example.net/EXWPIX0400-t.jpg', 200, 133, 'image/jpeg'],
      ],
    );
  });

  it('resolves relative links against an http source', () => {
    const item = only(
      parseWireDocument(readFixture('ninjs3-story.json'), {
        source: 'https://feeds.wire.example/en/latest.json',
      }),
    );
    assert.ok(
      item.bodyHtml.includes('<a href="https://feeds.wire.example/markets/asia" rel="noopener nofollow">'),
      item.bodyHtml,
    );
    assert.equal(
      item.pictures[0]?.renditions[0]?.href,
      'https://feeds.wire.example/en/pictures/EXWPIX0400.jpg',
    );
  });
});

describe('ninjs batches', () => {
  it('reads a JSON array, reporting bad entries and keeping the good ones', () => {
    const result = parseFixture('ninjs2-batch.json');
    assert.deepEqual(
      result.items.map((item) => item.uri),
      ['urn:newsml:wire.example.net:batch:1', 'urn:newsml:wire.example.net:batch:5'],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.item, p.field, p.code, p.severity]),
      [
        [
          'urn:newsml:wire.example.net:batch:2',
          'headlines[0].value',
          'DATELINE_ERR_WIRE_WRONG_TYPE',
          'error',
        ],
        ['#2', null, 'DATELINE_ERR_WIRE_WRONG_TYPE', 'error'],
        ['urn:newsml:wire.example.net:batch:4', 'pubstatus', 'DATELINE_ERR_WIRE_INVALID_VALUE', 'error'],
      ],
    );
    for (const problem of result.problems) assert.equal(problem.file, fixturePath('ninjs2-batch.json'));
  });

  it('reads an object with an items array', () => {
    const result = parseFixture('ninjs2-items-batch.json');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.items.map((item) => item.headline),
      ['Items batch one', 'Items batch two'],
    );
  });

  it('reports a non-list items member', () => {
    const result = parseWireDocument('{"items": {"uri": "x"}}', { source: 'batch.json' });
    assert.deepEqual(result.items, []);
    assert.deepEqual(
      result.problems.map((p) => [p.item, p.field, p.code]),
      [[null, 'items', 'DATELINE_ERR_WIRE_WRONG_TYPE']],
    );
  });
});

describe('ninjs field rules', () => {
  const parseOne = (item: Record<string, unknown>) =>
    parseWireDocument(JSON.stringify({ uri: 'urn:x:rules', headlines: [{ value: 'H' }], ...item }), {
      source: 'https://wire.example/rules.json',
    });

  it('keeps a kill without a headline, with a warning', () => {
    const result = parseOne({ headlines: undefined, pubstatus: 'canceled' });
    assert.equal(only(result).headline, '');
    assert.deepEqual(
      result.problems.map((p) => [p.field, p.code, p.severity]),
      [['headline', 'DATELINE_ERR_WIRE_MISSING_FIELD', 'warning']],
    );
  });

  it('still applies a kill whose body is unreadable or too large, with a warning', () => {
    const wrong = parseOne({ pubstatus: 'canceled', bodies: [{ value: 42 }] });
    assert.equal(only(wrong).pubstatus, 'canceled');
    assert.deepEqual(
      wrong.problems.map((p) => [p.field, p.code, p.severity]),
      [['bodies[0].value', 'DATELINE_ERR_WIRE_WRONG_TYPE', 'warning']],
    );
    const large = parseWireDocument(
      JSON.stringify({ uri: 'urn:x:k', pubstatus: 'canceled', headline: 'K', body_html: 'x'.repeat(2000) }),
      { source: 'k.json', maxBodyBytes: 1000 },
    );
    assert.equal(only(large).bodyHtml, '');
    assert.deepEqual(
      large.problems.map((p) => [p.field, p.code, p.severity]),
      [['body_html', 'DATELINE_ERR_WIRE_TOO_LARGE', 'warning']],
    );
  });

  it('skips a story whose bodies list holds nothing readable', () => {
    const result = parseOne({ bodies: ['<p>not an object</p>'] });
    assert.deepEqual(result.items, []);
    assert.deepEqual(
      result.problems.map((p) => [p.field, p.code, p.severity]),
      [
        ['bodies[0]', 'DATELINE_ERR_WIRE_WRONG_TYPE', 'warning'],
        ['bodies', 'DATELINE_ERR_WIRE_WRONG_TYPE', 'error'],
      ],
    );
  });

  it('reads pubstatus withheld and the British spelling of cancelled', () => {
    assert.equal(only(parseOne({ pubstatus: 'withheld' })).pubstatus, 'withheld');
    assert.equal(only(parseOne({ pubstatus: 'Cancelled' })).pubstatus, 'canceled');
  });

  it('rejects urgency outside 1-9 and accepts numeric text', () => {
    assert.equal(only(parseOne({ urgency: '4' })).urgency, 4);
    const result = parseOne({ urgency: 12 });
    assert.equal(only(result).urgency, null);
    assert.deepEqual(
      result.problems.map((p) => [p.field, p.code]),
      [['urgency', 'DATELINE_ERR_WIRE_INVALID_VALUE']],
    );
  });

  it('uses the main headline, then an unlabelled one, then the first', () => {
    assert.equal(
      only(parseOne({ headlines: [{ role: 'short', value: 'S' }, { value: 'U' }] })).headline,
      'U',
    );
    assert.equal(only(parseOne({ headlines: [{ role: 'short', value: 'S' }] })).headline, 'S');
  });

  it('treats a picture item on its own as its own picture', () => {
    const item = only(
      parseOne({
        type: 'picture',
        renditions: [{ href: 'https://cdn.example/p.jpg', contenttype: 'image/jpeg' }],
        descriptions: [{ role: 'caption', value: 'Cap' }],
      }),
    );
    assert.equal(item.pictures[0]?.caption, 'Cap');
    assert.equal(item.pictures[0]?.uri, 'urn:x:rules');
  });

  it('treats an untyped association with image renditions as a picture, using its href as uri', () => {
    const item = only(
      parseOne({
        associations: { main: { renditions: { base: { href: 'a.jpg', mimetype: 'image/png' } } } },
      }),
    );
    assert.equal(item.pictures[0]?.uri, 'https://wire.example/a.jpg');
    assert.equal(item.pictures[0]?.renditions[0]?.name, 'base');
  });
});

// Tests for RSS 2.0 and Atom 1.0 feeds with content:encoded and Media RSS pictures.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXTURES_URL, fixturePath, readFixture } from '../fixtures/fixtures.ts';
import { parseWireDocument } from './index.ts';
import type { ParseResult } from './types.ts';

function parseFixture(name: string, source = fixturePath(name)): ParseResult {
  return parseWireDocument(readFixture(name), { source });
}

describe('RSS 2.0', () => {
  it('reads both items of the sample feed, with the picture and its credit', () => {
    const result = parseFixture('wire-rss.xml');
    assert.deepEqual(result.problems, []);
    assert.equal(result.items.length, 2);
    const [osaka, kyoto] = result.items;
    assert.equal(osaka?.format, 'rss');
    assert.equal(osaka?.uri, 'rw-asia-10021');
    assert.equal(osaka?.version, null);
    assert.equal(osaka?.headline, 'Osaka port sets container volume record');
    assert.equal(osaka?.link, 'https://regional-wire.example.org/asia/osaka-port-record');
    assert.deepEqual(osaka?.versionCreated, new Date('2025-10-09T03:00:00Z'));
    assert.deepEqual(osaka?.firstCreated, new Date('2025-10-09T03:00:00Z'));
    assert.equal(osaka?.byline, 'Regional Wire');
    assert.deepEqual(osaka?.keywords, ['Business']);
    assert.equal(osaka?.dek, 'Container volumes at Osaka port hit a record in September.');
    assert.equal(
      osaka?.bodyHtml,
      '<p>Container volumes at Osaka port hit a record in September, the port authority said.</p><p>Exports of machinery led the rise.</p>',
    );
    assert.deepEqual(osaka?.pictures, [
      {
        uri: `${FIXTURES_URL}pictures/rw-10021.jpg`,
        version: null,
        pubstatus: 'usable',
        caption: 'Cranes at a container terminal in Osaka. Regional Wire/Photographer',
        creditline: 'Regional Wire/Photographer',
        copyrightnotice: null,
        alt: null,
        renditions: [
          {
            href: `${FIXTURES_URL}pictures/rw-10021.jpg`,
            width: 1200,
            height: 800,
            contentType: 'image/jpeg',
            name: null,
          },
        ],
      },
    ]);
    assert.equal(kyoto?.uri, 'rw-asia-10022');
    assert.equal(kyoto?.headline, 'Kyoto limits tour buses in historic district');
    assert.equal(kyoto?.bodyHtml, '<p>The city will cap tour bus entries to ease congestion.</p>');
    assert.equal(kyoto?.dek, null);
    assert.deepEqual(kyoto?.pictures, []);
  });

  it('resolves picture hrefs against an http feed URL', () => {
    const result = parseFixture('wire-rss.xml', 'https://regional-wire.example.org/feeds/asia.xml');
    assert.equal(
      result.items[0]?.pictures[0]?.renditions[0]?.href,
      'https://regional-wire.example.org/feeds/pictures/rw-10021.jpg',
    );
  });

  const media = parseFixture('rss-media.xml');

  it('reads a media:group as one picture with all its image renditions and thumbnail, honouring xml:base', () => {
    const item = media.items.find((candidate) => candidate.uri === 'rw-asia-20001');
    assert.ok(item);
    assert.equal(item.headline, 'Seoul & Busan add flights');
    assert.equal(item.link, 'https://regional-wire.example.org/asia/seoul-busan-flights');
    assert.deepEqual(item.versionCreated, new Date('2025-10-10T00:30:00Z'));
    assert.equal(item.byline, 'Kim Reporter', 'the e-mail address is not a byline');
    assert.deepEqual(item.keywords, ['Transport', 'aviation', 'Korea']);
    assert.equal(item.copyrightnotice, '© Regional Wire 2025', 'channel copyright applies to items');
    assert.equal(
      item.bodyHtml,
      '<p>Airlines add flights between <a href="https://regional-wire.example.org/asia/seoul" rel="noopener nofollow">Seoul</a> and Busan.</p>',
    );
    assert.deepEqual(item.pictures, [
      {
        uri: 'https://regional-wire.example.org/asia/pictures/rw-20001-large.jpg',
        version: null,
        pubstatus: 'usable',
        caption: 'Planes wait at Gimpo airport,  Seoul.',
        creditline: 'Regional Wire/Lee',
        copyrightnotice: '© Regional Wire 2025',
        alt: 'Planes at Gimpo',
        renditions: [
          {
            href: 'https://regional-wire.example.org/asia/pictures/rw-20001-large.jpg',
            width: 1600,
            height: 1067,
            contentType: 'image/jpeg',
            name: null,
          },
          {
            href: 'https://cdn.regional-wire.example.org/rw-20001-small.jpg',
            width: 400,
            height: 267,
            contentType: 'image/jpeg',
            name: null,
          },
          {
            href: 'https://regional-wire.example.org/asia/thumbs/rw-20001.jpg',
            width: 100,
            height: 67,
            contentType: null,
            name: 'thumbnail',
          },
        ],
      },
    ]);
  });

  it('falls back to the link as identity, joins dc:creators and uses image enclosures', () => {
    const item = media.items.find(
      (candidate) => candidate.uri === 'https://regional-wire.example.org/asia/taipei-metro',
    );
    assert.ok(item);
    assert.equal(item.byline, 'Regional Wire, Chen Writer');
    assert.equal(
      item.bodyHtml,
      '<p>The metro <a href="https://regional-wire.example.org/asia/taipei" rel="noopener nofollow">will run later</a>.</p><img src="https://regional-wire.example.org/asia/img/metro.jpg" alt="Metro" />',
    );
    assert.deepEqual(
      item.pictures.map((picture) => picture.renditions.map((r) => [r.href, r.name])),
      [[['https://regional-wire.example.org/asia/pictures/rw-20002.jpg', 'enclosure']]],
    );
  });

  it('keeps media:content metadata and drops unsafe media URLs with a warning', () => {
    const item = media.items.find(
      (candidate) => candidate.uri === 'https://regional-wire.example.org/asia/manila-port',
    );
    assert.ok(item);
    assert.equal(item.versionCreated, null);
    assert.deepEqual(
      item.pictures.map((picture) => [picture.caption, picture.creditline, picture.renditions.length]),
      [['Ships at Manila port.', 'Regional Wire/Santos', 1]],
    );
  });

  it('reports items with no identity or no title and keeps going', () => {
    assert.equal(media.items.length, 3);
    assert.deepEqual(
      media.problems.map((p) => [p.item, p.field, p.code, p.severity]),
      [
        ['#2', 'uri', 'DATELINE_ERR_WIRE_MISSING_FIELD', 'error'],
        ['rw-asia-20004', 'headline', 'DATELINE_ERR_WIRE_MISSING_FIELD', 'error'],
        [
          'https://regional-wire.example.org/asia/manila-port',
          'pubDate',
          'DATELINE_ERR_WIRE_INVALID_DATE',
          'warning',
        ],
        [
          'https://regional-wire.example.org/asia/manila-port',
          'media:content[1].href',
          'DATELINE_ERR_WIRE_BAD_LINK',
          'warning',
        ],
        [
          'https://regional-wire.example.org/asia/manila-port',
          'media:content[1].renditions',
          'DATELINE_ERR_WIRE_MISSING_FIELD',
          'warning',
        ],
      ],
    );
  });

  it('reads RSS 1.0 (RDF) items', () => {
    const xml = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://w.example/"><title>W</title></channel>
      <item rdf:about="https://w.example/1"><title>RDF item</title><link>https://w.example/1</link><dc:date>2025-10-09T10:00:00Z</dc:date></item>
    </rdf:RDF>`;
    const result = parseWireDocument(xml, { source: 'https://w.example/rss' });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.items.map((item) => [item.format, item.uri, item.headline, item.firstCreated?.toISOString()]),
      [['rss', 'https://w.example/1', 'RDF item', '2025-10-09T10:00:00.000Z']],
    );
  });
});

describe('Atom 1.0', () => {
  const result = parseFixture('atom-feed.xml');

  it('reads an html entry with xml:base, enclosure picture, authors, categories and feed rights', () => {
    const item = result.items[0];
    assert.ok(item);
    assert.equal(item.format, 'atom');
    assert.equal(item.uri, 'tag:atom-wire.example.com,2025:story-1');
    assert.equal(item.headline, 'Lagos tech hub expands');
    assert.equal(item.link, 'https://atom-wire.example.com/stories/story-1');
    assert.deepEqual(item.firstCreated, new Date('2025-10-11T08:00:00Z'));
    assert.deepEqual(item.versionCreated, new Date('2025-10-11T08:30:00Z'));
    assert.equal(item.byline, 'Ada Reporter');
    assert.equal(item.dek, 'A new campus opened.');
    assert.deepEqual(item.keywords, ['Technology', 'nigeria']);
    assert.equal(item.copyrightnotice, '© Atom Wire 2025');
    assert.equal(
      item.bodyHtml,
      '<p>The campus <a href="https://atom-wire.example.com/stories/campus" rel="noopener nofollow">opened</a> on Saturday.</p><img src="https://atom-wire.example.com/stories/img/campus.jpg" alt="Campus" />',
    );
    assert.deepEqual(
      item.pictures.map((picture) => [picture.uri, picture.renditions[0]?.contentType]),
      [['https://cdn.atom-wire.example.com/story-1.jpg', 'image/jpeg']],
    );
  });

  it('reads xhtml title and content, drops script, uses the feed author and Media RSS pictures', () => {
    const item = result.items[1];
    assert.ok(item);
    assert.equal(item.headline, 'Nairobi rail link');
    assert.equal(
      item.bodyHtml,
      '<p>Trains <em>start</em> in <a href="https://atom-wire.example.com/rail" rel="noopener nofollow">June</a>.</p>',
    );
    assert.equal(item.byline, 'Atom Wire desk');
    assert.deepEqual(
      item.pictures.map((picture) => [picture.alt, picture.creditline, picture.renditions[0]?.href]),
      [['Rail bridge', 'Atom Wire/Otieno', 'https://atom-wire.example.com/feeds/images/rail.jpg']],
    );
    assert.deepEqual(
      result.problems.map((p) => [p.item, p.field, p.code]),
      [['tag:atom-wire.example.com,2025:story-2', 'content', 'DATELINE_ERR_WIRE_UNSAFE_MARKUP']],
    );
  });

  it('falls back to the link as identity and escapes text content', () => {
    const item = result.items[2];
    assert.ok(item);
    assert.equal(item.uri, 'https://atom-wire.example.com/stories/story-3');
    assert.equal(item.bodyHtml, '<p>Plain text body &lt;not a tag&gt;.</p><p>Second paragraph.</p>');
  });

  it('reads a bare entry document', () => {
    const single = parseFixture('atom-entry.xml');
    assert.deepEqual(single.problems, []);
    assert.deepEqual(
      single.items.map((item) => [item.format, item.uri, item.headline, item.bodyHtml]),
      [['atom', 'urn:uuid:single-entry', 'Single entry document', '<p>Body.</p>']],
    );
  });
});

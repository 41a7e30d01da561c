// The reader pages' date format: the zone's full name from ICU, in summer and winter, one formatter per
// language and zone, and the <time> element that carries the instant for machines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { Time } from '../web/views/time.tsx';
import { readerDateFormat } from './date-format.ts';
import type { SiteContext } from './directory.ts';

// ICU puts a narrow no-break space before AM/PM; the tests read any space as one.
const plain = (s: string) => s.replace(/\s/g, ' ');

test('a site in Tokyo reads Japan Standard Time, not GMT+9', () => {
  const f = readerDateFormat('en', 'Asia/Tokyo');
  assert.equal(
    plain(f.format(new Date('2026-12-02T08:56:00Z'))),
    'December 2, 2026 at 5:56 PM Japan Standard Time',
  );
  // Japan keeps no summer time: the same name in July.
  assert.equal(
    plain(f.format(new Date('2026-07-15T03:05:00Z'))),
    'July 15, 2026 at 12:05 PM Japan Standard Time',
  );
});

test('a site in London reads Greenwich Mean Time in winter and British Summer Time in summer, its clock moving with it', () => {
  const f = readerDateFormat('en-GB', 'Europe/London');
  assert.equal(
    plain(f.format(new Date('2026-01-15T17:56:00Z'))),
    '15 January 2026 at 17:56 Greenwich Mean Time',
  );
  assert.equal(
    plain(f.format(new Date('2026-07-15T17:56:00Z'))),
    '15 July 2026 at 18:56 British Summer Time',
  );
  // Either side of the spring change (01:00 UTC on 29 March 2026).
  assert.match(f.format(new Date('2026-03-29T00:59:00Z')), /00:59 Greenwich Mean Time$/);
  assert.match(f.format(new Date('2026-03-29T01:00:00Z')), /02:00 British Summer Time$/);
});

test('the site language writes the date and the zone name', () => {
  assert.equal(
    plain(readerDateFormat('en-US', 'America/New_York').format(new Date('2026-07-15T17:56:00Z'))),
    'July 15, 2026 at 1:56 PM Eastern Daylight Time',
  );
  assert.equal(
    readerDateFormat('ja', 'Asia/Tokyo').format(new Date('2026-07-15T17:56:00Z')),
    '2026年7月16日 2:56 日本標準時',
  );
});

test('one formatter per language and zone, kept across directory reloads, and the same text for the same instant', () => {
  const f = readerDateFormat('en-GB', 'Europe/London');
  assert.equal(readerDateFormat('en-GB', 'Europe/London'), f);
  assert.notEqual(readerDateFormat('en', 'Europe/London'), f);
  assert.notEqual(readerDateFormat('en-GB', 'Europe/Dublin'), f);
  const at = new Date('2026-07-15T17:56:00Z');
  assert.equal(f.format(new Date(at)), f.format(at));
});

test('<Time> prints the instant in UTC for machines and the site clock with its zone name for readers', () => {
  const ctx = { dateFormat: readerDateFormat('en', 'Asia/Tokyo') } as SiteContext;
  const html = renderToString(<Time ctx={ctx} at={new Date('2026-12-02T08:56:00Z')} />);
  assert.equal(
    plain(html),
    '<time datetime="2026-12-02T08:56:00.000Z">December 2, 2026 at 5:56 PM<span class="time__zone"> Japan Standard Time</span></time>',
  );
});

test('split gives the date and clock, then the zone name with its space, together the formatted text', () => {
  const at = new Date('2026-07-15T17:56:00Z');
  const cases: [string, string, string][] = [
    ['en', 'Asia/Tokyo', ' Japan Standard Time'],
    ['en-GB', 'Europe/London', ' British Summer Time'],
    ['ja', 'Asia/Tokyo', ' 日本標準時'],
  ];
  for (const [language, zone, name] of cases) {
    const f = readerDateFormat(language, zone);
    const [clock, tail] = f.split(at);
    assert.equal(tail, name, `${language} ${zone}`);
    assert.equal(clock + tail, f.format(at));
    assert.doesNotMatch(clock, /\s$/);
  }
});

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { OutboundClient } from '../outbound/client.ts';
import { agencySetup, type Harness, liveHeadlines, ninjs, testJpeg, wireHarness } from './testing.ts';

/** A folder holding pictures and the documents that point at them by relative href. */
async function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-wire-pics-'));
  writeFileSync(join(dir, 'p1.jpg'), await testJpeg(64, 48, 10));
  writeFileSync(join(dir, 'p1-v2.jpg'), await testJpeg(64, 48, 200));
  writeFileSync(join(dir, 'not-an-image.jpg'), 'this is text');
  return dir;
}

function picture(uri: string, href: string, over: Record<string, unknown> = {}) {
  return {
    uri,
    type: 'picture',
    version: '1',
    pubstatus: 'usable',
    headlines: [{ role: 'main', value: 'Alt text' }],
    descriptions: [
      {
        role: 'caption',
        value:
          '  Leaders meet. Agency/Pool via EXAMPLE WIRE ATTENTION EDITORS - THIS IMAGE WAS PROVIDED BY A THIRD PARTY  ',
      },
      { role: 'creditline', value: 'Example Wire/Pool Photographer' },
    ],
    renditions: [{ name: 'baseImage', href, contenttype: 'image/jpeg', width: 64, height: 48 }],
    ...over,
  };
}

function write(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

async function leadOf(h: Harness, agencyId: number, uri: string) {
  const story = (await h.wire.story(agencyId, uri))!;
  const link = (await h.wire.storyArticles(story.id))[0]!;
  return (await h.articles.get(link.articleId))!.article.leadMediaId;
}

// A picture server on loopback that counts requests, for "fetched once per picture version".
let server: ReturnType<typeof createServer>;
let base = '';
const hits = new Map<string, number>();
before(async () => {
  const jpeg = await testJpeg(80, 60, 90);
  server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    if (req.url?.startsWith('/pics/ok')) {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(jpeg);
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

/** The picture server is on loopback, which only an explicit allow-list opens. */
const loopback = new OutboundClient({ allow: ['127.0.0.1'] });

describeEachDialect('Wire ingest: pictures', (ctx) => {
  test('a picture is stored once per version, with caption and credit exactly as supplied', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const dir = await folder();
    const a = write(dir, 'a.json', ninjs('urn:s:a', { associations: [picture('urn:p:1', 'p1.jpg')] }));
    const b = write(dir, 'b.json', ninjs('urn:s:b', { associations: [picture('urn:p:1', 'p1.jpg')] }));
    const s = await h.wire.ingestPaths(agency, [a, b]);
    assert.equal(s.counts.created, 2);
    const mediaA = await leadOf(h, agency.id, 'urn:s:a');
    assert.ok(mediaA);
    assert.equal(await leadOf(h, agency.id, 'urn:s:b'), mediaA);
    const m = await h.media.get(mediaA);
    // Trimmed at the edges, otherwise byte for byte.
    assert.equal(
      m.caption,
      'Leaders meet. Agency/Pool via EXAMPLE WIRE ATTENTION EDITORS - THIS IMAGE WAS PROVIDED BY A THIRD PARTY',
    );
    assert.equal(m.credit, 'Example Wire/Pool Photographer');
    assert.equal(m.alt, 'Alt text');
  });

  test('over http, a rendition is fetched once per picture version, even across stories and repeats', async () => {
    const h = await wireHarness(ctx.db, { outbound: loopback });
    const { agency } = await agencySetup(h);
    const href = `${base}/pics/ok-${ctx.db.dialect}.jpg`;
    const docs = ['x', 'y'].map((k) => ({
      source: `${k}.json`,
      content: JSON.stringify(ninjs(`urn:s:${k}`, { associations: [picture('urn:p:http', href)] })),
      allowFiles: false,
    }));
    await h.wire.ingester.ingestDocuments(agency, docs);
    await h.wire.ingester.ingestDocuments(agency, docs);
    assert.equal(hits.get(`/pics/ok-${ctx.db.dialect}.jpg`), 1);
    assert.ok(await leadOf(h, agency.id, 'urn:s:y'));
  });

  test('a missing rendition does not lose the story: it ingests without the picture and editors see why', async () => {
    const h = await wireHarness(ctx.db, { outbound: loopback });
    const { site, agency } = await agencySetup(h);
    const dir = await folder();
    const a = write(
      dir,
      'a.json',
      ninjs('urn:s:m1', { associations: [picture('urn:p:gone', 'nowhere.jpg')] }),
    );
    const b = write(
      dir,
      'b.json',
      ninjs('urn:s:m2', { associations: [picture('urn:p:text', 'not-an-image.jpg')] }),
    );
    const docs = [
      {
        source: 'c.json',
        content: JSON.stringify(
          ninjs('urn:s:m3', { associations: [picture('urn:p:404', `${base}/pics/missing.jpg`)] }),
        ),
        allowFiles: false,
      },
    ];
    const s = await h.wire.ingestPaths(agency, [a, b]);
    const s2 = await h.wire.ingester.ingestDocuments(agency, docs);
    assert.equal(s.counts.created + s2.counts.created, 3);
    assert.equal(await leadOf(h, agency.id, 'urn:s:m1'), null);
    assert.equal(await leadOf(h, agency.id, 'urn:s:m2'), null);
    assert.equal(await leadOf(h, agency.id, 'urn:s:m3'), null);
    const warnings = [...s.warnings, ...s2.warnings].filter(
      (w) => w.code === 'DATELINE_ERR_WIRE_PICTURE_MISSING',
    );
    assert.deepEqual(warnings.map((w) => w.item).sort(), ['urn:p:404', 'urn:p:gone', 'urn:p:text']);
    assert.match(warnings.find((w) => w.item === 'urn:p:404')!.message, /HTTP 404/);
    const problems = await h.wire.problems();
    assert.ok(
      problems.some(
        (p) =>
          p.code === 'DATELINE_ERR_WIRE_PICTURE_MISSING' &&
          p.item === 'urn:p:gone' &&
          p.field === 'renditions',
      ),
    );
    // Each test has a site of its own: exactly these three stories are on it, published without pictures.
    assert.deepEqual((await liveHeadlines(h, site.id)).sort(), ['Story m1', 'Story m2', 'Story m3']);
  });

  test('a document from the API cannot make the ingester read local files', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const dir = await folder();
    const content = JSON.stringify(
      ninjs('urn:s:f1', { associations: [picture('urn:p:local', `file://${join(dir, 'p1.jpg')}`)] }),
    );
    const s = await h.wire.ingester.ingestDocuments(agency, [
      { source: `api://${agency.slug}/doc`, content, allowFiles: false },
    ]);
    assert.equal(s.counts.created, 1);
    assert.equal(await leadOf(h, agency.id, 'urn:s:f1'), null);
  });

  test('a cancelled picture is removed from every story that uses it, and is audit-logged', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const dir = await folder();
    const files = ['c1', 'c2'].map((k) =>
      write(dir, `${k}.json`, ninjs(`urn:s:${k}`, { associations: [picture('urn:p:c', 'p1.jpg')] })),
    );
    await h.wire.ingestPaths(agency, files);
    assert.ok(await leadOf(h, agency.id, 'urn:s:c1'));
    h.seen.length = 0;
    const kill = write(dir, 'kill.json', {
      uri: 'urn:p:c',
      type: 'picture',
      version: '2',
      pubstatus: 'canceled',
    });
    const s = await h.wire.ingestPaths(agency, [kill]);
    assert.equal(s.counts.killed, 1);
    assert.match(s.outcomes[0]!.reason, /picture was cancelled/);
    assert.equal(await leadOf(h, agency.id, 'urn:s:c1'), null);
    assert.equal(await leadOf(h, agency.id, 'urn:s:c2'), null);
    assert.equal(h.seen.filter((e) => e.type === 'article.updated').length, 2);
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'wire.picture_canceled')
      .execute();
    assert.equal((JSON.parse(audit[0]!.detail) as { articles: number[] }).articles.length, 2);
    // A later story using the cancelled picture shows no picture.
    await h.wire.ingestPaths(agency, [
      write(dir, 'c3.json', ninjs('urn:s:c3', { associations: [picture('urn:p:c', 'p1.jpg')] })),
    ]);
    assert.equal(await leadOf(h, agency.id, 'urn:s:c3'), null);
  });

  test('a picture cancelled before it ever arrived is never shown', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const dir = await folder();
    await h.wire.ingestPaths(agency, [
      write(dir, 'kill.json', { uri: 'urn:p:early', type: 'picture', version: '2', pubstatus: 'canceled' }),
    ]);
    const s = await h.wire.ingestPaths(agency, [
      write(dir, 's.json', ninjs('urn:s:e', { associations: [picture('urn:p:early', 'p1.jpg')] })),
    ]);
    assert.equal(s.counts.created, 1);
    assert.equal(await leadOf(h, agency.id, 'urn:s:e'), null);
  });

  test('a cancelled association in a story update removes the picture from that story and every other', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const dir = await folder();
    await h.wire.ingestPaths(
      agency,
      ['u1', 'u2'].map((k) =>
        write(dir, `${k}.json`, ninjs(`urn:s:${k}`, { associations: [picture('urn:p:u', 'p1.jpg')] })),
      ),
    );
    const update = ninjs('urn:s:u1', {
      version: '2',
      associations: [picture('urn:p:u', 'p1.jpg', { version: '2', pubstatus: 'canceled' })],
    });
    const s = await h.wire.ingestPaths(agency, [write(dir, 'u1v2.json', update)]);
    assert.equal(s.counts.updated, 1);
    assert.equal(await leadOf(h, agency.id, 'urn:s:u1'), null);
    assert.equal(await leadOf(h, agency.id, 'urn:s:u2'), null);
  });

  test('a new version of a picture replaces it in the stories that use it', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const dir = await folder();
    await h.wire.ingestPaths(agency, [
      write(dir, 'r1.json', ninjs('urn:s:r1', { associations: [picture('urn:p:r', 'p1.jpg')] })),
    ]);
    const first = await leadOf(h, agency.id, 'urn:s:r1');
    const v2 = picture('urn:p:r', 'p1-v2.jpg', {
      version: '2',
      descriptions: [{ role: 'caption', value: 'Corrected caption' }],
    });
    const s = await h.wire.ingestPaths(agency, [write(dir, 'r.json', v2)]);
    assert.equal(s.counts.created, 1);
    const second = await leadOf(h, agency.id, 'urn:s:r1');
    assert.notEqual(second, first);
    assert.equal((await h.media.get(second!)).caption, 'Corrected caption');
    assert.equal(
      (await h.media.get(second!)).credit,
      'Example Wire',
      'no credit line: the agency default credit',
    );
  });
});

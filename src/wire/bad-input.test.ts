import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describeEachDialect } from '../../test/dialects.ts';
import {
  agencySetup,
  ingestJson,
  liveCount,
  liveHeadlines,
  ninjs,
  sharedFixture,
  wireHarness,
} from './testing.ts';

const PROJECT_BAD = fileURLToPath(new URL('./fixtures/bad/', import.meta.url));

function badFiles(): string[] {
  return [
    ...readdirSync(sharedFixture('bad')).map((f) => `${sharedFixture('bad')}/${f}`),
    ...readdirSync(PROJECT_BAD).map((f) => `${PROJECT_BAD}${f}`),
  ];
}

describeEachDialect('Wire ingest: bad input', (ctx) => {
  test('every hostile file gets a clear rejection naming the file, and nothing from it is published', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const files = badFiles();
    assert.ok(files.length >= 20);
    for (const file of files) {
      const s = await h.wire.ingestPaths(agency, [file]);
      const name = file.split('/').pop()!;
      const rejected = s.outcomes.filter((o) => o.kind === 'rejected');
      assert.ok(rejected.length > 0, `${name} is rejected`);
      for (const r of rejected) {
        assert.ok(r.reason.includes(name), `${name}: the reason names the file`);
        assert.match(r.code ?? '', /^DATELINE_ERR_/);
        // Item-level rejections name the item and the field.
        if (r.item !== null) assert.ok(r.field, `${name}: the rejection of ${r.item} names a field`);
      }
      assert.equal(s.counts.created + s.counts.updated, 0, `${name} creates nothing`);
    }
    assert.equal(await liveCount(h, site.id), 0);
    // Rejections are kept for editors.
    assert.ok(
      (await h.wire.problems({ limit: 500 })).some((p) => p.code === 'DATELINE_ERR_WIRE_XML_ENTITIES'),
    );
  });

  test('a bad item in a batch is rejected and the items after it still go in', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const batch = [
      ninjs('urn:b:1'),
      { uri: 'urn:b:2', headlines: 'not a list', bodies: [{ value: 42 }] },
      ninjs('urn:b:3'),
    ];
    const s = await h.wire.ingester.ingestDocuments(agency, [
      { source: 'batch.json', content: JSON.stringify(batch), allowFiles: false },
    ]);
    assert.deepEqual(s.counts, { created: 2, updated: 0, unchanged: 0, killed: 0, held: 0, rejected: 1 });
    const r = s.outcomes.find((o) => o.kind === 'rejected')!;
    assert.equal(r.item, 'urn:b:2');
    assert.match(r.field ?? '', /headlines/);
    assert.equal(await liveCount(h, site.id), 2);
  });

  test('an item that fails half-way leaves nothing half-written, and its neighbours are unaffected', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    // The story row is written before the article, which then refuses a 400-character headline.
    const long = ninjs('urn:b:long', { headlines: [{ role: 'main', value: 'x'.repeat(400) }] });
    const s = await ingestJson(h, agency, ninjs('urn:b:before'), long, ninjs('urn:b:after'));
    assert.equal(s.counts.created, 2);
    const r = s.outcomes.find((o) => o.kind === 'rejected')!;
    assert.equal(r.code, 'DATELINE_ERR_WIRE_ARTICLE_INVALID');
    assert.equal(r.field, 'headline');
    assert.equal(r.item, 'urn:b:long');
    assert.equal(await h.wire.story(agency.id, 'urn:b:long'), null);
    assert.deepEqual((await liveHeadlines(h, site.id)).sort(), ['Story after', 'Story before']);
    // Once fixed, it goes in normally.
    const fixed = await ingestJson(h, agency, ninjs('urn:b:long'));
    assert.equal(fixed.counts.created, 1);
  });

  test('a 3 MB body ingests; a body over the configured limit is rejected', async () => {
    const h = await wireHarness(ctx.db, { options: { maxBodyBytes: 4 * 1024 * 1024 } });
    const { agency } = await agencySetup(h);
    const paragraph = `<p>${'Officials said the talks would continue next week. '.repeat(20)}</p>`;
    const big = paragraph.repeat(Math.ceil((3 * 1024 * 1024) / paragraph.length));
    const huge = big + big;
    const s = await ingestJson(
      h,
      agency,
      ninjs('urn:b:3mb', { bodies: [{ role: 'main', contenttype: 'text/html', value: big }] }),
      ninjs('urn:b:6mb', { bodies: [{ role: 'main', contenttype: 'text/html', value: huge }] }),
    );
    assert.equal(s.counts.created, 1);
    const r = s.outcomes.find((o) => o.kind === 'rejected')!;
    assert.equal(r.item, 'urn:b:6mb');
    assert.equal(r.code, 'DATELINE_ERR_WIRE_TOO_LARGE');
    const story = (await h.wire.story(agency.id, 'urn:b:3mb'))!;
    const article = (await h.articles.get((await h.wire.storyArticles(story.id))[0]!.articleId))!.article;
    assert.ok(article.bodyHtml.length > 3_000_000);
  });

  test('random and mutated documents never crash the ingester and never put a script on a page', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const hostile = fc.constantFrom(
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      'javascript:alert(1)',
      '"><svg onload=alert(1)>',
      '<iframe src="http://evil.example"></iframe>',
      '&lt;script&gt;',
      '\u0000',
      '',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      hostile,
      fc.tuple(fc.string({ maxLength: 10 }), hostile).map(([a, b]) => a + b),
    );
    const doc = fc.record({
      uri: fc.oneof(fc.constant('urn:p:1'), fc.constant('urn:p:2'), text, fc.integer()),
      version: fc.oneof(fc.constantFrom('1', '2', '3'), text, fc.integer(), fc.constant(null)),
      pubstatus: fc.oneof(fc.constantFrom('usable', 'canceled', 'withheld'), text),
      headlines: fc.oneof(
        fc.array(fc.record({ role: fc.constant('main'), value: text }), { maxLength: 2 }),
        text,
      ),
      bodies: fc.oneof(
        fc.array(fc.record({ contenttype: fc.constant('text/html'), value: text }), { maxLength: 2 }),
        fc.integer(),
      ),
      located: text,
      by: text,
      embargoed: fc.oneof(text, fc.constant('2030-01-01T00:00:00Z'), fc.constant(undefined)),
      associations: fc.oneof(
        fc.constant(undefined),
        fc.array(
          fc.record({
            uri: text,
            type: fc.constant('picture'),
            renditions: fc.array(fc.record({ href: text })),
          }),
          { maxLength: 1 },
        ),
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(doc, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (docs, truncate) => {
          let content = JSON.stringify(docs);
          if (truncate) content = content.slice(0, Math.floor(content.length / 2));
          const s = await h.wire.ingester.ingestDocuments(agency, [
            { source: 'random.json', content, allowFiles: false },
          ]);
          assert.equal(
            Object.values(s.counts).reduce((a, b) => a + b, 0),
            s.outcomes.length,
          );
        },
      ),
      { numRuns: 25, seed: 20251009 },
    );
    const rows = await ctx.db.kysely
      .selectFrom('articles')
      .select(['headline', 'body_html', 'byline', 'dateline'])
      .where('site_id', '=', site.id)
      .execute();
    for (const r of rows) {
      const all = `${r.headline} ${r.body_html} ${r.byline ?? ''} ${r.dateline ?? ''}`;
      assert.ok(!/<script|onerror=|onload=|javascript:|<iframe/i.test(all), all);
    }
  });
});

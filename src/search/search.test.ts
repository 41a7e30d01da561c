import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { SiteDirectory } from '../sites/directory.ts';
import { SearchIndexer } from './indexer.ts';
import { SearchService } from './service.ts';
import { parseQuery, toSegments } from './text.ts';

test('parseQuery keeps only letters and digits, phrases and exclusions', () => {
  const q = parseQuery('  "closer ties" summit -Moscow NEAR(a b) * ^col: AND ');
  assert.deepEqual(q.phrases, [['closer', 'ties']]);
  assert.deepEqual(q.excluded, ['moscow']);
  assert.deepEqual(q.terms, ['summit', 'near', 'a', 'b', 'col', 'and']);
  assert.equal(q.cjk, false);
  assert.equal(parseQuery('x'.repeat(10_000)).text.length, 200);
  assert.equal(parseQuery('東京 美術館').cjk, true);
  assert.deepEqual(parseQuery('東京、美術館').terms, ['東京', '美術館']);
});

test('toSegments splits marked text and ignores stray markers', () => {
  assert.deepEqual(toSegments('a \uE000b\uE001 c\uE001'), [
    { text: 'a ', hit: false },
    { text: 'b', hit: true },
    { text: ' c', hit: false },
  ]);
});

describeEachDialect('search', (ctx) => {
  let s: ReturnType<typeof services>;
  let site: Awaited<ReturnType<typeof siteWithSections>>;
  let search: SearchService;
  let indexer: SearchIndexer;
  const ids: Record<string, number> = {};
  const find = async (q: string, extra: Partial<Parameters<SearchService['search']>[0]> = {}) => {
    await indexer.idle();
    return search.search({ siteId: site.site.id, language: 'en', q, ...extra });
  };
  const headlines = (r: Awaited<ReturnType<typeof find>>) => r.hits.map((h) => h.headline);

  before(async () => {
    s = services(ctx.db);
    site = await siteWithSections(s);
    const directory = new SiteDirectory(ctx.db);
    await directory.load();
    directory.follow(s.bus);
    indexer = new SearchIndexer(ctx.db, s.articles, directory);
    indexer.follow(s.bus);
    search = new SearchService(ctx.db);
    const add = async (key: string, input: Record<string, unknown>) => {
      const { article } = await s.articles.create(
        { siteId: site.site.id, sectionId: site.world.id, bodyHtml: '<p>Body.</p>', ...input } as never,
        'test',
      );
      ids[key] = article.id;
    };
    await add('markets', {
      headline: 'Markets rally as exporters gain',
      dek: 'Shares rose on Tuesday.',
      bodyHtml:
        '<p>Stocks climbed in Tokyo as exporters gained on a weaker yen. Traders said the rally may last.</p>',
      sectionId: site.business.id,
      publishedAt: new Date('2025-10-01T03:00:00Z'),
    });
    await add('typhoon', {
      headline: 'Typhoon nears Okinawa',
      byline: 'Hana Sato',
      bodyHtml: '<p>The storm is expected to bring heavy rain &amp; strong winds to the market towns.</p>',
      publishedAt: new Date('2025-10-05T03:00:00Z'),
    });
    await add('xss', {
      headline: 'Script <b>tags</b> in a summit headline',
      bodyHtml: '<p>The summit text mentions &lt;script&gt;alert(1)&lt;/script&gt; as plain words.</p>',
      publishedAt: new Date('2025-10-06T03:00:00Z'),
    });
    await add('museum', {
      headline: '東京で新しい美術館が開館',
      bodyHtml: '<p>東京都内に現代美術館が十日、開館した。初日には多くの来館者が訪れた。</p>',
      publishedAt: new Date('2025-10-07T03:00:00Z'),
    });
    await add('draft', { headline: 'Secret typhoon plan', status: 'draft' });
  });

  test('finds stories by headline, body, byline and section, ranking headline matches first', async () => {
    const r = await find('typhoon');
    assert.deepEqual(headlines(r), ['Typhoon nears Okinawa']);
    assert.equal(r.total, 1);
    assert.deepEqual(headlines(await find('sato')), ['Typhoon nears Okinawa'], 'byline');
    assert.deepEqual(headlines(await find('business')), ['Markets rally as exporters gain'], 'section name');
    const market = await find('market');
    assert.equal(
      market.hits[0]?.headline,
      'Markets rally as exporters gain',
      'stemmed headline match ranks first',
    );
    assert.equal(market.total, 2);
    assert.ok(market.hits[0]?.headlineSegments.some((seg) => seg.hit && /market/i.test(seg.text)));
  });

  test('highlights snippets as data, never as markup', async () => {
    const r = await find('summit');
    const hit = r.hits[0]!;
    assert.equal(hit.headline, 'Script <b>tags</b> in a summit headline');
    assert.ok(hit.snippet.some((seg) => seg.hit && seg.text.toLowerCase() === 'summit'));
    assert.ok(!hit.snippet.some((x) => /[\uE000\uE001]/.test(x.text)), 'markers never leak into text');
  });

  test('phrases, exclusions, section and date filters, sort by date', async () => {
    assert.deepEqual(headlines(await find('"weaker yen"')), ['Markets rally as exporters gain']);
    assert.deepEqual(headlines(await find('"yen weaker"')), []);
    assert.deepEqual(headlines(await find('market -typhoon')), ['Markets rally as exporters gain']);
    assert.deepEqual(headlines(await find('market', { sectionId: site.world.id })), [
      'Typhoon nears Okinawa',
    ]);
    assert.deepEqual(headlines(await find('market', { from: new Date('2025-10-03T00:00:00Z') })), [
      'Typhoon nears Okinawa',
    ]);
    assert.deepEqual(headlines(await find('market', { to: new Date('2025-10-03T00:00:00Z') })), [
      'Markets rally as exporters gain',
    ]);
    assert.deepEqual(headlines(await find('market', { sort: 'date' })), [
      'Typhoon nears Okinawa',
      'Markets rally as exporters gain',
    ]);
  });

  test('CJK text is found by substring, including two-character words', async () => {
    assert.deepEqual(headlines(await find('美術館')), ['東京で新しい美術館が開館']);
    assert.deepEqual(headlines(await find('東京')), ['東京で新しい美術館が開館']);
    assert.deepEqual(headlines(await find('来館者')), ['東京で新しい美術館が開館'], 'body only');
    assert.deepEqual(headlines(await find('東京 大阪')), []);
    const r = await find('美術館');
    assert.ok(r.hits[0]?.headlineSegments.some((seg) => seg.hit && seg.text === '美術館'));
    assert.ok(r.hits[0]?.snippet.some((seg) => seg.hit && seg.text === '美術館'));
  });

  test('syntax characters, long and empty queries never fail', async () => {
    // Search syntax of either database is read as plain words: punctuation alone leaves no terms, and the
    // words around it are searched for like any others ("NEAR(" finds "nears", stemmed).
    const typhoon = ['Typhoon nears Okinawa'];
    // PostgreSQL's parser drops the literal "<b>" of that headline as a tag, and "a" is a stop word there.
    const letters = ctx.db.dialect === 'sqlite' ? ['Script <b>tags</b> in a summit headline'] : [];
    const expected: [query: string, problem: string | null, headlines: string[]][] = [
      ['"', 'no_terms', []],
      ['*', 'no_terms', []],
      ['NEAR(', null, typhoon],
      ['AND OR NOT', null, []],
      [')(', 'no_terms', []],
      ["'; drop table x; --", null, []],
      ['a:b', null, letters],
      ['rain:winds', null, typhoon],
      ['^', 'no_terms', []],
      ['-', 'no_terms', []],
      ['"unbalanced', null, []],
      ['"heavy rain', null, typhoon],
      ['\\', 'no_terms', []],
      ['%_', 'no_terms', []],
    ];
    for (const [q, problem, found] of expected) {
      const r = await find(q);
      assert.deepEqual([r.problem ?? null, headlines(r), r.total], [problem, found, found.length], q);
    }
    assert.equal((await find('')).problem, 'empty');
    assert.equal((await find('   ')).problem, 'empty');
    assert.equal((await find('!!! ???')).problem, 'no_terms');
    assert.equal((await find('-typhoon')).problem, 'no_terms');
    const long = await find(`typhoon ${'x'.repeat(5000)}`);
    assert.equal(long.total, 0);
    assert.equal((await find('typhoon', { page: 999 })).page, 50);
  });

  test('drafts are never found; a taken-down story vanishes; an embargoed one appears when published', async () => {
    assert.deepEqual(headlines(await find('secret')), []);
    const { article } = await s.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.world.id,
        headline: 'Embargoed volcano report',
        bodyHtml: '<p>Ash.</p>',
        publishAt: new Date(Date.now() + 3_600_000),
      },
      'test',
    );
    assert.deepEqual(headlines(await find('volcano')), []);
    await s.articles.update(
      article.id,
      { publishAt: new Date(Date.now() - 1000), status: 'published' },
      'editor',
    );
    assert.deepEqual(headlines(await find('volcano')), ['Embargoed volcano report']);
    await s.articles.takeDown(article.id, 'legal', 'editor');
    // Even before the index catches up, the live check hides it.
    assert.deepEqual((await search.search({ siteId: site.site.id, language: 'en', q: 'volcano' })).hits, []);
    await indexer.idle();
    const row = await ctx.db.kysely
      .selectFrom('search_documents')
      .select('article_id')
      .where('article_id', '=', article.id)
      .execute();
    assert.equal(row.length, 0, 'removed from the index');
  });

  test('an edit is searchable at once, and syncAll repairs a missing index', async () => {
    await s.articles.update(ids.typhoon!, { headline: 'Typhoon reaches Okinawa' }, 'editor');
    assert.deepEqual(headlines(await find('reaches')), ['Typhoon reaches Okinawa']);
    await ctx.db.kysely.deleteFrom('search_documents').execute();
    assert.deepEqual(headlines(await find('reaches')), []);
    assert.ok((await indexer.syncAll()) >= 4);
    assert.deepEqual(headlines(await find('reaches')), ['Typhoon reaches Okinawa']);
    assert.equal(await indexer.syncAll(), 0, 'nothing left out of step');
  });

  test('a burst of stories is indexed together, and each follows its latest state', async () => {
    // More stories than one index transaction takes, published in one go as a wire batch does.
    const created = await s.articles.inTransaction(async (unit) => {
      const out: number[] = [];
      for (let i = 0; i < 120; i++) {
        const { article } = await s.articles.create(
          {
            siteId: site.site.id,
            sectionId: site.world.id,
            headline: `Glacier survey ${i}`,
            bodyHtml: '<p>Ice.</p>',
          },
          'test',
          unit,
        );
        out.push(article.id);
      }
      return out;
    });
    // Changed while (or before) the burst is indexed: the index ends up with the latest state.
    await s.articles.takeDown(created[7]!, 'legal', 'editor');
    await s.articles.update(created[8]!, { headline: 'Glacier survey renamed' }, 'editor');
    const found = await find('glacier', { pageSize: 50, page: 1 });
    assert.equal(found.total, 119);
    assert.ok(!found.hits.some((h) => h.articleId === created[7]));
    const indexed = await ctx.db.kysely
      .selectFrom('search_documents')
      .select(['article_id', 'headline'])
      .where('article_id', 'in', created)
      .execute();
    assert.equal(indexed.length, 119);
    assert.equal(indexed.find((r) => r.article_id === created[8])?.headline, 'Glacier survey renamed');
    assert.equal(await indexer.syncAll(), 0, 'nothing left out of step');
  });

  test('pages of results', async () => {
    for (let i = 0; i < 13; i++) {
      await s.articles.create(
        {
          siteId: site.site.id,
          sectionId: site.world.id,
          headline: `Harbour note ${i}`,
          bodyHtml: '<p>Harbour.</p>',
        },
        'test',
      );
    }
    const p1 = await find('harbour');
    assert.equal(p1.total, 13);
    assert.equal(p1.pages, 2);
    assert.equal(p1.hits.length, 10);
    const p2 = await find('harbour', { page: 2 });
    assert.equal(p2.hits.length, 3);
    const p3 = await find('harbour', { page: 3 });
    assert.equal(p3.hits.length, 0);
    assert.equal(p3.total, 13);
  });

  test('a multi-megabyte story is found, and highlighted only from a bounded excerpt of its text', async () => {
    // A common word on every line of a 3 MB story, the lighthouse near its start, the zebrafish far past
    // the excerpt that highlighting reads.
    const filler = '<p>The pier and the town and the boats and the nets of the harbourmaster.</p>'.repeat(
      500,
    );
    let body = `<p>A lighthouse keeper opens the story.</p>${filler}`;
    while (body.length < 3_000_000) body += filler;
    body += '<p>The zebrafish come last.</p>';
    await s.articles.create(
      { siteId: site.site.id, sectionId: site.world.id, headline: 'A very long chronicle', bodyHtml: body },
      'test',
    );
    const common = await find('boats');
    assert.ok(common.hits.some((h) => h.headline === 'A very long chronicle'));
    for (const h of common.hits) {
      const text = h.snippet.map((x) => x.text).join('');
      assert.ok(text.length < 1000, `snippet of ${h.headline} is ${text.length} characters`);
    }
    const near = (await find('lighthouse')).hits[0]!;
    assert.equal(near.headline, 'A very long chronicle');
    assert.ok(near.snippet.some((x) => x.hit && x.text.toLowerCase() === 'lighthouse'));
    // Past the indexed length (200,000 characters) nothing is searchable; within it but past the excerpt,
    // a match is found and shown with the story's lead instead of a highlight.
    const deep = await s.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.world.id,
        headline: 'A shorter chronicle',
        bodyHtml: `<p>It begins plainly.</p>${filler}<p>Then a walrus appears.</p>`,
      },
      'test',
    );
    const far = await find('walrus');
    assert.deepEqual(headlines(far), ['A shorter chronicle']);
    assert.equal(far.hits[0]!.articleId, deep.article.id);
    assert.ok(!far.hits[0]!.snippet.some((x) => x.hit), 'no highlight from beyond the excerpt');
    assert.match(far.hits[0]!.snippet.map((x) => x.text).join(''), /^It begins plainly/);
  });

  test('relevance ranks only the newest candidates, and the total still counts every match', async () => {
    const add = (headline: string, bodyHtml: string) =>
      s.articles.create({ siteId: site.site.id, sectionId: site.world.id, headline, bodyHtml }, 'test');
    await add('Quasar quasar quasar: the quasar issue', '<p>Quasar quasar quasar.</p>');
    await add('Observatory notes', '<p>A faint quasar was logged.</p>');
    await add('Telescope diary', '<p>One more quasar.</p>');
    await indexer.idle();
    const all = await search.search({ siteId: site.site.id, language: 'en', q: 'quasar' });
    assert.equal(all.hits[0]?.headline, 'Quasar quasar quasar: the quasar issue', 'most relevant first');
    const capped = new SearchService(ctx.db, { candidates: 2 });
    for (const extra of [{}, { from: new Date('2000-01-01T00:00:00Z') }]) {
      const r = await capped.search({ siteId: site.site.id, language: 'en', q: 'quasar', ...extra });
      assert.deepEqual(
        headlines(r).sort(),
        ['Observatory notes', 'Telescope diary'],
        `only the two newest are ranked (${JSON.stringify(extra)})`,
      );
      assert.equal(r.total, 3);
    }
    // Sorting by date ranks nothing: every match is in date order.
    const byDate = await capped.search({ siteId: site.site.id, language: 'en', q: 'quasar', sort: 'date' });
    assert.equal(byDate.hits.length, 3);
  });
});

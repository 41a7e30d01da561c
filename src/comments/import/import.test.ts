// The importer on both databases: the sample Disqus and WordPress exports land in the right stories with
// their nesting, times, states and authors; a second run imports nothing; a dry run writes nothing; bad
// files are refused with a clear code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeEachDialect } from '../../../test/dialects.ts';
import { services, siteWithSections } from '../../../test/fixtures.ts';
import { fromDbTime } from '../../db/values.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import { importComments } from './importer.ts';
import { emailHashOf, readExport } from './read-export.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describeEachDialect('comment import', (ctx) => {
  const setup = async () => {
    const s = services(ctx.db);
    const site = await siteWithSections(s);
    const ferry = await s.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.world.id,
        slug: 'harbour-ferry-timetable-changes',
        headline: 'Harbour ferry timetable changes from Monday',
        bodyHtml: '<p>Ferries.</p>',
        publishedAt: new Date('2024-03-04T06:00:00Z'),
      },
      'test',
    );
    const market = await s.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.business.id,
        slug: 'old-market-hall-slug',
        headline: 'Market hall reopens after two years',
        bodyHtml: '<p>Market.</p>',
        publishedAt: new Date('2024-03-05T06:00:00Z'),
      },
      'test',
    );
    // Renamed since: the old address is kept by the 301 rule, and the import follows it.
    await s.articles.update(market.article.id, { slug: 'market-hall-reopens' }, 'test');
    return { s, site, ferry: ferry.article.id, market: market.article.id };
  };

  const rows = (articleId: number) =>
    ctx.db.kysely
      .selectFrom('comments')
      .innerJoin('users', 'users.id', 'comments.author_id')
      .select([
        'comments.id',
        'comments.parent_id',
        'comments.root_id',
        'comments.depth',
        'comments.status',
        'comments.body',
        'comments.reply_count',
        'comments.created_at',
        'comments.import_key',
        'comments.reject_reason',
        'users.display_name',
        'users.status as user_status',
        'users.email',
      ])
      .where('comments.article_id', '=', articleId)
      .orderBy('comments.id')
      .execute();

  test('Disqus: threads matched by address (http/https, slash, query, old slug), nesting, states, authors; twice imports nothing', async () => {
    const { s, site, ferry, market } = await setup();
    const doc = readExport(fixture('disqus-sample.xml'));
    const first = await importComments({ db: ctx.db, events: s.events }, doc, { siteId: site.site.id });
    assert.equal(first.threads.matched, 3);
    assert.deepEqual(
      first.threads.unmatched.map((t) => t.url),
      ['https://news.example.com/world/a-story-that-never-moved-here'],
    );
    assert.equal(first.threads.by.old_path, 1);
    assert.equal(first.comments.imported, 7);
    assert.equal(first.comments.unmatched, 1);
    assert.equal(first.comments.notPublished, 2);
    assert.equal(first.comments.orphans, 0);
    // Sam, Rosa, the anonymous spammer and the anonymous passer-by.
    assert.equal(first.authors.created, 4);

    const thread = await rows(ferry);
    const byKey = new Map(thread.map((r) => [r.import_key, r]));
    const top = byKey.get('70001')!;
    const reply = byKey.get('70002')!;
    const deep = byKey.get('70003')!;
    assert.equal(top.parent_id, null);
    assert.equal(top.depth, 0);
    assert.equal(reply.parent_id, top.id);
    assert.equal(deep.parent_id, reply.id);
    assert.equal(deep.root_id, top.id);
    assert.equal(deep.depth, 2);
    assert.equal(Number(top.reply_count), 1);
    assert.equal(Number(reply.reply_count), 1);
    assert.match(top.body, /early shift\.\n\nIs there a replacement/);
    assert.match(top.body, /https:\/\/council\.example\.org\/ferries/);
    assert.equal(reply.body, 'Does anyone know if the winter schedule & the "night boat" are affected too?');
    assert.equal(fromDbTime(top.created_at).toISOString(), '2024-03-04T08:05:00.000Z');
    const spam = byKey.get('70004')!;
    assert.equal(spam.status, 'rejected');
    assert.equal(spam.reject_reason, 'spam');
    assert.doesNotMatch(spam.body, /script|alert/);
    const gone = byKey.get('70005')!;
    assert.equal(gone.status, 'deleted');
    assert.equal(gone.body, '');
    // A reply from the https copy of the thread hangs from the deleted comment of the http copy.
    assert.equal(byKey.get('70006')!.parent_id, gone.id);
    assert.equal(Number(gone.reply_count), 1);
    assert.equal(top.display_name, 'Sam Okafor');
    assert.equal(top.user_status, 'unclaimed');
    assert.equal(top.email, null);
    const samUser = await ctx.db.kysely
      .selectFrom('users')
      .select('created_at')
      .where('display_name', '=', 'Sam Okafor')
      .executeTakeFirstOrThrow();
    // "Member since" is the first comment at the source.
    assert.equal(fromDbTime(samUser.created_at).toISOString(), '2024-03-04T08:05:00.000Z');
    assert.equal((await rows(market)).length, 1);

    const authors = await ctx.db.kysely
      .selectFrom('comment_import_authors')
      .selectAll()
      .orderBy('id')
      .execute();
    const sam = authors.find((a) => a.source_key === 'user:samokafor')!;
    assert.equal(sam.email_hash, emailHashOf('Sam.Okafor@example.com'));
    assert.equal(authors.find((a) => a.source_key.startsWith('name:'))?.email_hash, null);
    const slugs = await ctx.db.kysely
      .selectFrom('users')
      .select('profile_slug')
      .where('status', '=', 'unclaimed')
      .execute();
    assert.equal(new Set(slugs.map((r) => r.profile_slug)).size, slugs.length);

    // One comment.changed per story touched, not one per comment.
    const changed = s.seen.filter((e) => e.type === 'comment.changed');
    assert.deepEqual(
      changed.map((e) => (e as { articleId: number }).articleId).sort(),
      [ferry, market].sort(),
    );

    const again = await importComments(
      { db: ctx.db, events: s.events },
      readExport(fixture('disqus-sample.xml')),
      { siteId: site.site.id },
    );
    assert.equal(again.comments.imported, 0);
    assert.equal(again.comments.skipped, 7);
    assert.equal(again.authors.created, 0);
    assert.equal(again.authors.existing, 4);
    assert.equal((await rows(ferry)).length, 6);
    assert.equal(s.seen.filter((e) => e.type === 'comment.changed').length, 2);
  });

  test('WordPress: matched by the last segment, pingbacks left out, pending/spam/trash kept unpublished; dry run writes nothing', async () => {
    const { s, site, ferry } = await setup();
    const doc = readExport(fixture('wordpress-sample.xml'));
    const eventsBefore = s.seen.length;
    const dry = await importComments({ db: ctx.db, events: s.events }, doc, {
      siteId: site.site.id,
      dryRun: true,
    });
    assert.equal(dry.comments.imported, 5);
    assert.equal(dry.authors.created, 3);
    assert.equal((await rows(ferry)).length, 0);
    assert.equal(s.seen.length, eventsBefore);
    const count = await ctx.db.kysely
      .selectFrom('comment_import_authors')
      .select('id')
      .where('source', '=', 'wordpress')
      .execute();
    assert.equal(count.length, 0);

    const done = await importComments({ db: ctx.db, events: s.events }, doc, { siteId: site.site.id });
    assert.equal(done.threads.matched, 1);
    assert.equal(done.threads.by.slug, 1);
    assert.equal(done.threads.unmatched.length, 1);
    assert.equal(done.comments.imported, 5);
    assert.equal(done.comments.notPublished, 3);
    // Mira (same address in two cases), Tomas (no address: by name) and the spammer.
    assert.equal(done.authors.created, 3);
    const thread = await rows(ferry);
    const byId = new Map(thread.map((r) => [r.import_key!.split('#')[1], r]));
    assert.equal(byId.size, 5);
    assert.equal(byId.get('302')!.parent_id, byId.get('301')!.id);
    assert.equal(byId.get('303')!.parent_id, byId.get('302')!.id);
    assert.equal(byId.get('303')!.status, 'pending');
    assert.equal(byId.get('304')!.status, 'rejected');
    assert.doesNotMatch(byId.get('304')!.body, /javascript/);
    assert.equal(byId.get('306')!.status, 'deleted');
    assert.equal(byId.get('301')!.display_name, byId.get('303')!.display_name);
    // The pending reply is not counted among the visible ones.
    assert.equal(Number(byId.get('302')!.reply_count), 0);
    assert.equal(Number(byId.get('301')!.reply_count), 1);
    assert.equal(
      byId.get('301')!.body,
      'I counted: that is three fewer crossings on weekdays.\nStill better than the bridge works last year.',
    );

    const again = await importComments({ db: ctx.db, events: s.events }, doc, { siteId: site.site.id });
    assert.equal(again.comments.imported, 0);
    assert.equal(again.comments.skipped, 5);
  });

  test('bad files: not XML, entity declarations, another format, a broken entry', () => {
    const refused = (text: string, re: RegExp) =>
      assert.throws(
        () => readExport(text),
        (e) => isDatelineError(e, 'COMMENT_IMPORT_INVALID') && re.test(e.message),
      );
    refused('<disqus><thread dsq:id="1"><link>x</link></disqus>', /line 1/);
    refused(
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><disqus>&b;</disqus>',
      /entit/i,
    );
    refused('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', /<feed>/);
    refused('<rss version="2.0"><channel><title>t</title></channel></rss>', /wxr_version/);
    const doc = readExport(
      '<disqus xmlns:dsq="x"><thread dsq:id="1"><link>https://a.example/world/x</link></thread>' +
        '<post dsq:id="5"><message>hi</message><createdAt>yesterday</createdAt><thread dsq:id="1"/></post>' +
        '<post dsq:id="6"><message>hi</message><createdAt>2024-01-01T00:00:00Z</createdAt><thread dsq:id="2"/></post></disqus>',
    );
    assert.equal(doc.threads[0]!.comments.length, 0);
    assert.equal(doc.problems.length, 2);
    assert.match(doc.problems[0]!, /dsq:id="5".*createdAt/);
    assert.match(doc.problems[1]!, /dsq:id="6".*thread "2"/);
  });

  test('a comment of more than 20,000 characters is skipped and named', async () => {
    const { s, site } = await setup();
    const doc = readExport(
      '<disqus xmlns:dsq="x"><thread dsq:id="1"><link>https://a.example/world/harbour-ferry-timetable-changes</link></thread>' +
        `<post dsq:id="big-1"><message>${'word '.repeat(5000)}</message><createdAt>2024-01-01T00:00:00Z</createdAt><thread dsq:id="1"/></post>` +
        '<post dsq:id="small-1"><message>Fine.</message><createdAt>2024-01-01T00:01:00Z</createdAt><thread dsq:id="1"/></post></disqus>',
    );
    const r = await importComments({ db: ctx.db, events: s.events }, doc, { siteId: site.site.id });
    assert.equal(r.comments.imported, 1);
    assert.match(r.problems.join('\n'), /big-1.*skipped/);
  });
});

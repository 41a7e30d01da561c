// The review queue and problems screens over HTTP on both dialects: the list (newest first, per site in
// view, the agency's terms and note beside the story and never on the public page), publishing now and on
// the site's clock, editing, discarding, the queue's refusals as notices with their codes, and per role and
// per site that a forbidden action answers 403 and changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { instantOfWallTime, wallTimeOf } from '../../articles/schedule-time.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { auditCount, type DeskFixture, deskFixture, entryState, story } from './testing.ts';

describeEachDialect('the wire queue in the admin', (ctx) => {
  let t: TestApp;
  let f: DeskFixture;
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    f = await deskFixture(t);
  });
  after(async () => {
    await t.close();
  });

  const articleOf = async (entryId: number) => {
    const row = await t.rt.db.kysely
      .selectFrom('wire_queue as e')
      .innerJoin('wire_story_articles as l', 'l.story_id', 'e.story_id')
      .innerJoin('articles as a', 'a.id', 'l.article_id')
      .select(['a.id', 'a.status', 'a.publish_at', 'l.site_id'])
      .where('e.id', '=', entryId)
      .executeTakeFirst();
    return row ?? null;
  };

  test('lists waiting stories newest first with terms and note beside them, only for the sites reviewed', async () => {
    const [older] = await f.deliver([
      story('urn:desk:list-old', { headlines: [{ value: 'Older harbour story' }] }),
    ]);
    const [newer] = await f.deliver([
      story('urn:desk:list-new', {
        headlines: [{ value: 'Newer harbour story' }],
        bodies: [{ value: '<p>The <b>preview</b> shows the opening words of the story.</p>' }],
      }),
    ]);
    const [sisters] = await f.deliver(
      [story('urn:desk:list-sister', { headlines: [{ value: 'Sister only story' }] })],
      f.sisterAgency,
    );
    assert.ok(older && newer && sisters);
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const page = await editor.client.get(`${ADMIN}/wire`);
    assert.equal(page.status, 200, page.body.slice(0, 300));
    const at = (s: string) => page.body.indexOf(s);
    assert.ok(
      at('Newer harbour story') > 0 && at('Older harbour story') > at('Newer harbour story'),
      'newest first',
    );
    assert.match(page.body, /Subscribers only; no archive use\./);
    assert.match(page.body, /Desk: confirm the figures before publishing\./);
    assert.match(page.body, /The preview shows the opening words of the story\./);
    assert.match(page.body, new RegExp(f.agency.name));
    assert.match(page.body, /<time datetime="/);
    // The sister site's story is not on a news editor's desk, and its page is refused.
    assert.doesNotMatch(page.body, /Sister only story/);
    const refused = await editor.client.get(`${ADMIN}/wire/queue/${sisters}`);
    assert.equal(refused.status, 403);
    assert.match(refused.body, /DATELINE_ERR_FORBIDDEN/);
    // A network-wide editor sees both; with the switcher on the sister site, only the sister's.
    const chief = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const both = await chief.client.get(`${ADMIN}/wire`);
    assert.match(both.body, /Sister only story/);
    assert.match(both.body, /Newer harbour story/);
    await chief.client.post(`${ADMIN}/site`, {
      csrf: chief.csrf,
      site: String(f.sister.site.id),
      next: '/wire',
    });
    const one = await chief.client.get(`${ADMIN}/wire`);
    assert.match(one.body, /Sister only story/);
    assert.doesNotMatch(one.body, /Newer harbour story/);
  });

  test('publishes now to a licensed site and section; readers never see the terms or the note', async () => {
    const [id] = await f.deliver([
      story('urn:desk:now', { headlines: [{ value: 'Published from the desk' }] }),
    ]);
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const before = await auditCount(t, 'wire.queue_published');
    const r = await editor.client.post(`${ADMIN}/wire/queue/${id}/publish`, {
      csrf: editor.csrf,
      target: `${f.news.site.slug}/business`,
      when: 'now',
    });
    assert.equal(r.status, 303, r.body.slice(0, 500));
    assert.equal(r.headers.location, '/wire?done=wire-published');
    assert.equal((await entryState(t, id!)).state, 'published');
    assert.equal(await auditCount(t, 'wire.queue_published'), before + 1);
    const audit = await t.rt.db.kysely
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'wire.queue_published')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor, `user:${editor.userId}`);
    const article = await articleOf(id!);
    assert.equal(article?.status, 'published');
    const section = await t.app.inject({ method: 'GET', url: '/business', headers: { host: f.news.host } });
    assert.match(section.body, /Published from the desk/);
    const path = /href="(\/business\/[^"]+)"/.exec(section.body)?.[1];
    assert.ok(path);
    const pageBody = (await t.app.inject({ method: 'GET', url: path, headers: { host: f.news.host } })).body;
    assert.match(pageBody, /Fishing boats returned/);
    assert.doesNotMatch(pageBody, /Subscribers only/);
    assert.doesNotMatch(pageBody, /confirm the figures/);
  });

  test('schedules on the site clock, shown with the zone by name; an embargo cannot be broken', async () => {
    const [id] = await f.deliver([story('urn:desk:later')]);
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const page = await editor.client.get(`${ADMIN}/wire/queue/${id}`);
    // The zone by its IANA name, its offset and its full name.
    const zone = /id="w\d+-zone">([\s\S]*?)<\/p>/.exec(page.body)?.[1] ?? '';
    for (const part of ['Asia/Tokyo', 'GMT+09:00', 'Japan Standard Time'])
      assert.ok(zone.includes(part), part);
    const wall = wallTimeOf(new Date(Date.now() + 3 * 86_400_000), 'Asia/Tokyo');
    const r = await editor.client.post(`${ADMIN}/wire/queue/${id}/publish`, {
      csrf: editor.csrf,
      target: `${f.news.site.slug}/world`,
      when: 'later',
      at: wall,
    });
    assert.equal(r.status, 303, r.body.slice(0, 500));
    assert.equal(r.headers.location, '/wire?done=wire-scheduled');
    const article = await articleOf(id!);
    assert.equal(article?.status, 'scheduled');
    assert.equal(new Date(article!.publish_at!).getTime(), instantOfWallTime(wall, 'Asia/Tokyo').getTime());
    // A time already past is a problem beside the field, and nothing is published.
    const [past] = await f.deliver([story('urn:desk:past')]);
    const late = await editor.client.post(`${ADMIN}/wire/queue/${past}/publish`, {
      csrf: editor.csrf,
      target: `${f.news.site.slug}/world`,
      when: 'later',
      at: '2020-01-01T09:00',
    });
    assert.equal(late.status, 400);
    assert.match(late.body, /class="adm-problem"[^>]*>[^<]*has passed/);
    assert.equal((await entryState(t, past!)).state, 'pending');
    // Embargoed until next week: "now" is refused, the form proposes the scheduled time.
    const embargo = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const [held] = await f.deliver([story('urn:desk:embargo', { embargoed: embargo })]);
    assert.ok(held, 'an embargoed story on a review rule waits in the queue');
    const now = await editor.client.post(`${ADMIN}/wire/queue/${held}/publish`, {
      csrf: editor.csrf,
      target: `${f.news.site.slug}/world`,
      when: 'now',
    });
    assert.equal(now.status, 400);
    assert.match(now.body, /embargoes this story/);
    assert.equal((await entryState(t, held!)).state, 'pending');
  });

  test('refusals show as notices with their codes: not licensed, already decided, killed', async () => {
    const chief = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const [id] = await f.deliver([story('urn:desk:refuse')]);
    const unlicensed = await chief.client.post(`${ADMIN}/wire/queue/${id}/publish`, {
      csrf: chief.csrf,
      target: `${f.sister.site.slug}/world`,
      when: 'now',
    });
    assert.equal(unlicensed.status, 403);
    assert.match(unlicensed.body, /role="alert"/);
    assert.match(unlicensed.body, /DATELINE_ERR_WIRE_NOT_LICENSED/);
    assert.equal((await entryState(t, id!)).state, 'pending');
    const discard = await chief.client.post(`${ADMIN}/wire/queue/${id}/discard`, { csrf: chief.csrf });
    assert.equal(discard.status, 303);
    assert.equal(discard.headers.location, '/wire?done=wire-discarded');
    const again = await chief.client.post(`${ADMIN}/wire/queue/${id}/publish`, {
      csrf: chief.csrf,
      target: `${f.news.site.slug}/world`,
      when: 'now',
    });
    assert.equal(again.status, 409);
    assert.match(again.body, /DATELINE_ERR_WIRE_QUEUE_DECIDED/);
    // A story the agency killed while it waited (an unreadable embargo holds it; the kill keeps its entry).
    const [killed] = await f.deliver([story('urn:desk:killed', { embargoed: 'when the minister speaks' })]);
    await t.rt.db.kysely
      .updateTable('wire_stories')
      .set({ state: 'killed' })
      .where('uri', '=', 'urn:desk:killed')
      .execute();
    const gone = await chief.client.post(`${ADMIN}/wire/queue/${killed}/publish`, {
      csrf: chief.csrf,
      target: `${f.news.site.slug}/world`,
      when: 'now',
    });
    assert.equal(gone.status, 410);
    assert.match(gone.body, /DATELINE_ERR_WIRE_STORY_KILLED/);
  });

  test('edits keep only what changed, show problems beside the field, and are audited', async () => {
    const [id] = await f.deliver([story('urn:desk:edit')]);
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const page = await editor.client.get(`${ADMIN}/wire/queue/${id}`);
    assert.match(page.body, /id="edit"/);
    const entry = await t.rt.wire.queue.get(id!);
    const form = {
      csrf: editor.csrf,
      headline: 'Sharper desk headline',
      dek: entry.story.dek ?? '',
      byline: entry.story.byline ?? '',
      dateline: entry.story.dateline ?? '',
      bodyHtml: entry.story.bodyHtml,
    };
    const before = await auditCount(t, 'wire.queue_edited');
    const saved = await editor.client.post(`${ADMIN}/wire/queue/${id}/edit`, form);
    assert.equal(saved.status, 303, saved.body.slice(0, 400));
    assert.deepEqual(JSON.parse((await entryState(t, id!)).edits!), { headline: 'Sharper desk headline' });
    assert.equal(await auditCount(t, 'wire.queue_edited'), before + 1);
    const empty = await editor.client.post(`${ADMIN}/wire/queue/${id}/edit`, { ...form, headline: ' ' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /id="wedit-headline-problem"/);
    assert.deepEqual(JSON.parse((await entryState(t, id!)).edits!), { headline: 'Sharper desk headline' });
    assert.equal(await auditCount(t, 'wire.queue_edited'), before + 1);
  });

  test('a story already on a site opens in the stories editor', async () => {
    const [id] = await f.deliver([story('urn:desk:update', { version: '1' })]);
    const chief = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    await chief.client.post(`${ADMIN}/wire/queue/${id}/publish`, {
      csrf: chief.csrf,
      target: `${f.news.site.slug}/world`,
      when: 'now',
    });
    // Edited before publishing, so the agency's next version waits in the queue instead of replacing it.
    await t.rt.db.kysely.updateTable('wire_story_articles').set({ follow_updates: 0 }).execute();
    const [update] = await f.deliver([
      story('urn:desk:update', { version: '2', headlines: [{ value: 'Version two' }] }),
    ]);
    assert.ok(update);
    const article = await articleOf(update!);
    const page = await chief.client.get(`${ADMIN}/wire/queue/${update}`);
    assert.match(page.body, new RegExp(`href="/stories/${article!.id}"`));
  });

  test('per role and per site, a forbidden action answers 403 and changes nothing', async () => {
    const [id] = await f.deliver([story('urn:desk:forbidden')]);
    const sisterEditor = await signedInStaff(t, [{ role: 'editor', siteId: f.sister.site.id }]);
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const moderator = await signedInStaff(t, [{ role: 'moderator', siteId: null }]);
    const target = `${f.news.site.slug}/world`;
    const before = await auditCount(t);
    for (const who of [contributor, moderator, sisterEditor]) {
      for (const [path, form] of [
        [`/wire/queue/${id}/publish`, { target, when: 'now' }],
        [`/wire/queue/${id}/edit`, { headline: 'Not allowed' }],
        [`/wire/queue/${id}/discard`, {}],
      ] as const) {
        const r = await who.client.post(`${ADMIN}${path}`, { csrf: who.csrf, ...form });
        assert.equal(r.status, 403, `${path}: ${r.body.slice(0, 200)}`);
        assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
      }
      assert.equal((await who.client.get(`${ADMIN}/wire`)).status, who === sisterEditor ? 200 : 403);
    }
    const after = await entryState(t, id!);
    assert.equal(after.state, 'pending');
    assert.equal(after.edits, null);
    assert.equal(await articleOf(id!), null);
    assert.equal(await auditCount(t), before);
  });

  test('an agency licensed for two sites: both desks see its story, only the suggested site discards it', async () => {
    const { agency } = await t.rt.wire.setup.addAgency('shared-desk-wire', {
      name: 'Shared Wire',
      sites: [f.news.site.slug, f.sister.site.slug],
    });
    await t.rt.wire.setup.addRoute({
      agency: agency.slug,
      site: f.news.site.slug,
      section: 'world',
      review: true,
    });
    const [id] = await f.deliver([story('urn:desk:shared')], agency);
    const sisterEditor = await signedInStaff(t, [{ role: 'editor', siteId: f.sister.site.id }]);
    const page = await sisterEditor.client.get(`${ADMIN}/wire/queue/${id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(
      page.body,
      /action="\/wire\/queue\/\d+\/discard"/,
      'no discard button for the sister desk',
    );
    const before = await auditCount(t);
    const refused = await sisterEditor.client.post(`${ADMIN}/wire/queue/${id}/discard`, {
      csrf: sisterEditor.csrf,
    });
    assert.equal(refused.status, 403);
    assert.equal((await entryState(t, id!)).state, 'pending');
    assert.equal(await auditCount(t), before);
    // Not on the suggested site, whose desk it is not: refused before anything changes.
    const onNews = await sisterEditor.client.post(`${ADMIN}/wire/queue/${id}/publish`, {
      csrf: sisterEditor.csrf,
      target: `${f.news.site.slug}/world`,
      when: 'now',
    });
    assert.equal(onNews.status, 403);
    assert.equal(await articleOf(id!), null);
    assert.equal(await auditCount(t), before);
    // The sister desk may still publish it on its own site.
    const published = await sisterEditor.client.post(`${ADMIN}/wire/queue/${id}/publish`, {
      csrf: sisterEditor.csrf,
      target: `${f.sister.site.slug}/world`,
      when: 'now',
    });
    assert.equal(published.status, 303, published.body.slice(0, 300));
    assert.equal((await articleOf(id!))?.site_id, f.sister.site.id);
  });

  test('the problems screen lists what the log holds, by agency and kind', async () => {
    await f.deliver([
      { uri: 'urn:desk:broken', headlines: [{ value: 'No body' }] },
      story('urn:desk:held', { embargoed: 'after the vote' }),
    ]);
    await f.deliver([{ uri: 'urn:desk:sister-broken', headlines: [{ value: 'x' }] }], f.sisterAgency);
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const all = await editor.client.get(`${ADMIN}/wire/problems`);
    assert.equal(all.status, 200);
    assert.match(all.body, /DATELINE_ERR_WIRE_MISSING_FIELD/);
    assert.match(all.body, /DATELINE_ERR_WIRE_EMBARGO_UNREADABLE/);
    assert.doesNotMatch(all.body, /urn:desk:sister-broken/, 'another site’s agency is not shown');
    const rejected = await editor.client.get(`${ADMIN}/wire/problems?kind=rejected`);
    assert.match(rejected.body, /urn:desk:broken/);
    assert.doesNotMatch(rejected.body, /DATELINE_ERR_WIRE_EMBARGO_UNREADABLE/);
    const held = await editor.client.get(`${ADMIN}/wire/problems?kind=held&agency=${f.agency.slug}`);
    assert.match(held.body, /DATELINE_ERR_WIRE_EMBARGO_UNREADABLE/);
    assert.doesNotMatch(held.body, /DATELINE_ERR_WIRE_MISSING_FIELD/);
    const none = await editor.client.get(`${ADMIN}/wire/problems?kind=feed`);
    assert.match(none.body, /No problem of this kind/);
  });

  test('the menu has the wire entries for editors only', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const home = (await editor.client.get(`${ADMIN}/`)).body;
    for (const label of ['Wire queue', 'Wire problems', 'Agencies &amp; routing', 'API tokens'])
      assert.ok(home.includes(`>${label}<`), label);
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    assert.doesNotMatch((await contributor.client.get(`${ADMIN}/`)).body, />Wire queue</);
  });
});

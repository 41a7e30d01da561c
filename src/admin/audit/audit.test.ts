// The audit log page over HTTP on both dialects: filters by person, subject (a story), action (exact and
// by kind) and date range in the site's time zone, keyset pages newer and older, before/after shown, and a
// site's admin reading only what concerns their site. Read-only, so the role checks are that it opens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { staffActor } from '../../audit/log.ts';
import { toDbTime } from '../../db/values.ts';
import { ADMIN, signedInStaff } from '../testing.ts';

describeEachDialect('the audit log page', (ctx) => {
  let t: TestApp;
  let news: Awaited<ReturnType<typeof newsSite>>;
  let life: Awaited<ReturnType<typeof newsSite>>;
  let admin: Awaited<ReturnType<typeof signedInStaff>>;
  let writer: Awaited<ReturnType<typeof signedInStaff>>;
  let newsStory = 0;
  let lifeStory = 0;

  const entry = (o: {
    actor: string;
    action: string;
    type: string;
    id: string | number;
    at: string;
    detail?: Record<string, unknown>;
  }) => ({
    actor: o.actor,
    action: o.action,
    subject_type: o.type,
    subject_id: String(o.id),
    detail: JSON.stringify(o.detail ?? {}),
    created_at: toDbTime(new Date(o.at)),
  });

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    news = await newsSite(t.rt, 'news');
    life = await newsSite(t.rt, 'life');
    admin = await signedInStaff(t, [{ role: 'admin', siteId: null }], { displayName: 'Ada Admin' });
    writer = await signedInStaff(t, [{ role: 'author', siteId: news.site.id }], {
      displayName: 'Walt Writer',
    });
    newsStory = (
      await t.rt.articles.create(
        { siteId: news.site.id, sectionId: news.world.id, headline: 'Harbour', bodyHtml: '<p>a</p>' },
        'test',
      )
    ).article.id;
    lifeStory = (
      await t.rt.articles.create(
        { siteId: life.site.id, sectionId: life.world.id, headline: 'Gardens', bodyHtml: '<p>a</p>' },
        'test',
      )
    ).article.id;
    const w = staffActor(writer.userId);
    const rows = [
      entry({
        actor: w,
        action: 'story.saved',
        type: 'article',
        id: newsStory,
        at: '2026-03-01T10:00:00Z',
        detail: { before: { headline: 'Harbor' }, after: { headline: 'Harbour' } },
      }),
      entry({
        actor: w,
        action: 'story.published',
        type: 'article',
        id: newsStory,
        at: '2026-03-02T10:00:00Z',
      }),
      // 23:30 UTC on 2 March is already 3 March in Tokyo (the test site's zone).
      entry({
        actor: w,
        action: 'story.scheduled',
        type: 'article',
        id: newsStory,
        at: '2026-03-02T23:30:00Z',
      }),
      entry({
        actor: 'wire',
        action: 'story.published',
        type: 'article',
        id: lifeStory,
        at: '2026-03-03T10:00:00Z',
      }),
      entry({
        actor: staffActor(admin.userId),
        action: 'site.updated',
        type: 'site',
        id: life.site.id,
        at: '2026-03-04T10:00:00Z',
        detail: { before: { name: 'Life' }, after: { name: 'Life Weekly' } },
      }),
      entry({
        actor: staffActor(admin.userId),
        action: 'staff.role_granted',
        type: 'user',
        id: writer.userId,
        at: '2026-03-05T10:00:00Z',
      }),
    ];
    rows.push(
      entry({ actor: 'cli', action: 'api_key.created', type: 'api_key', id: 1, at: '2026-01-01T10:00:00Z' }),
      entry({ actor: 'cli', action: 'apixkey.made', type: 'api_key', id: 2, at: '2026-01-01T11:00:00Z' }),
    );
    // And 120 saves, for paging.
    for (let i = 0; i < 120; i++)
      rows.push(
        entry({
          actor: 'cli',
          action: 'media.changed',
          type: 'media',
          id: i,
          at: `2026-02-01T${String(i % 24).padStart(2, '0')}:00:00Z`,
        }),
      );
    await t.rt.db.kysely.insertInto('audit_log').values(rows).execute();
  });
  after(async () => {
    await t.close();
  });

  const rowsOf = (html: string) =>
    [
      ...html.matchAll(/<tr><td data-label="When"[\s\S]*?<\/tr>\s*(?=<tr><td data-label="When"|<\/tbody>)/g),
    ].map((m) => m[0]);
  const actionsOf = (html: string) =>
    [...html.matchAll(/data-label="What"><code>([a-z_.]+)<\/code>/g)].map((m) => m[1]);

  test('filtered by person and by story, with before and after shown', async () => {
    const byWriter = await admin.client.get(`${ADMIN}/audit?person=${writer.userId}`);
    assert.equal(byWriter.status, 200);
    assert.deepEqual(actionsOf(byWriter.body), [
      'story.scheduled',
      'story.published',
      'story.saved',
      'staff.signed_in',
    ]);
    assert.match(byWriter.body, /Walt Writer/);
    const story = await admin.client.get(`${ADMIN}/audit?subjectType=article&subjectId=${newsStory}`);
    assert.deepEqual(actionsOf(story.body), ['story.scheduled', 'story.published', 'story.saved']);
    const saved = rowsOf(story.body).find((r) => r.includes('story.saved'))!;
    assert.match(
      saved,
      /<th scope="row">headline<\/th><td class="adm-before">Harbor<\/td><td class="adm-after">Harbour<\/td>/,
    );
    assert.match(saved, new RegExp(`href="/stories/${newsStory}"`));
  });

  test('filtered by action, exactly or by kind', async () => {
    const exact = await admin.client.get(`${ADMIN}/audit?action=story.published`);
    assert.deepEqual(actionsOf(exact.body), ['story.published', 'story.published']);
    const kind = await admin.client.get(`${ADMIN}/audit?action=story.`);
    assert.deepEqual(actionsOf(kind.body), [
      'story.published',
      'story.scheduled',
      'story.published',
      'story.saved',
    ]);
    // A kind's _ is a letter, not LIKE's any-character.
    const underscore = await admin.client.get(`${ADMIN}/audit?action=api_key.`);
    assert.deepEqual(actionsOf(underscore.body), ['api_key.created']);
    const partial = await admin.client.get(`${ADMIN}/audit?action=staff.role_`);
    assert.deepEqual(actionsOf(partial.body), [], 'without the dot it is one exact action');
    const bad = await admin.client.get(`${ADMIN}/audit?action=%25`);
    assert.equal(bad.status, 400);
    assert.match(bad.body, /f-action-problem/);
  });

  test('a date range is days in the chosen site’s time zone (UTC across all sites)', async () => {
    const utc = await admin.client.get(`${ADMIN}/audit?from=2026-03-02&to=2026-03-02&action=story.`);
    assert.deepEqual(actionsOf(utc.body), ['story.scheduled', 'story.published']);
    await admin.client.post(`${ADMIN}/site`, {
      csrf: admin.csrf,
      site: String(news.site.id),
      next: '/audit',
    });
    const tokyo = await admin.client.get(`${ADMIN}/audit?from=2026-03-02&to=2026-03-02&action=story.`);
    assert.deepEqual(
      actionsOf(tokyo.body),
      ['story.published'],
      'the 23:30 UTC entry is on 3 March in Tokyo',
    );
    await admin.client.post(`${ADMIN}/site`, { csrf: admin.csrf, site: 'all', next: '/audit' });
  });

  test('pages of 50, older and newer, keep the filters', async () => {
    const first = await admin.client.get(`${ADMIN}/audit?action=media.changed`);
    assert.equal(actionsOf(first.body).length, 50);
    assert.match(first.body, /<span class="adm-muted">← Newer<\/span>/);
    const older = /href="(\/audit\?[^"]*before=\d+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(older);
    assert.match(older, /action=media.changed/);
    const second = await admin.client.get(`${ADMIN}${older}`);
    assert.equal(actionsOf(second.body).length, 50);
    const third = await admin.client.get(
      `${ADMIN}${/href="(\/audit\?[^"]*before=\d+)"/.exec(second.body)![1]!.replace(/&amp;/g, '&')}`,
    );
    assert.equal(actionsOf(third.body).length, 20);
    assert.match(third.body, /<span class="adm-muted">Older →<\/span>/);
    const back = /href="(\/audit\?[^"]*after=\d+)"/.exec(second.body)?.[1]?.replace(/&amp;/g, '&');
    const again = await admin.client.get(`${ADMIN}${back}`);
    assert.deepEqual(rowsOf(again.body), rowsOf(first.body));
  });

  test('a site’s admin reads what concerns their site only; an editor cannot open the log', async () => {
    const lifeAdmin = await signedInStaff(t, [{ role: 'admin', siteId: life.site.id }]);
    const r = await lifeAdmin.client.get(`${ADMIN}/audit`);
    assert.equal(r.status, 200);
    assert.deepEqual(actionsOf(r.body), ['site.updated', 'story.published']);
    assert.match(r.body, /Life Weekly/);
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    assert.equal((await editor.client.get(`${ADMIN}/audit`)).status, 403);
    assert.doesNotMatch((await editor.client.get(`${ADMIN}/`)).body, />Audit log</);
  });
});

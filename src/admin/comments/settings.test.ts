// Comment settings and a story's moderation view over HTTP on both dialects: the site's mode and a section's
// override, the word lists (a site's and the network's, with the wildcard help), the story's thread with its
// hidden comments, closing and opening it, and its own mode. A moderator of the other site, or of one site
// asking for the network's list, gets 403 and nothing is written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { type Client, FAST_ARGON2 } from '../../accounts/testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { auditRows, type ModFixture, modFixture } from './testing.ts';

describeEachDialect('comment settings and the story moderation view', (ctx) => {
  let t: TestApp;
  let f: ModFixture;
  let mod: { client: Client; csrf: string };
  let chief: { client: Client; csrf: string };
  let outsider: { client: Client; csrf: string };
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    f = await modFixture(t);
    mod = await signedInStaff(t, [{ role: 'moderator', siteId: f.news.site.id }]);
    chief = await signedInStaff(t, [{ role: 'moderator', siteId: null }]);
    outsider = await signedInStaff(t, [{ role: 'moderator', siteId: f.sister.site.id }]);
  });
  after(async () => {
    await t.close();
  });

  const policies = () => t.rt.db.kysely.selectFrom('comment_policies').selectAll().orderBy('id').execute();
  const words = () => t.rt.db.kysely.selectFrom('comment_words').selectAll().orderBy('id').execute();

  /** As the outsider (or another): 403 and neither the settings nor the audit log change. */
  async function refused(path: string, form: Record<string, string>, who = outsider) {
    const [p, w, audit] = [await policies(), await words(), await auditRows(t)];
    const r = await who.client.post(`${ADMIN}${path}`, { csrf: who.csrf, ...form });
    assert.equal(r.status, 403, `${path}: ${r.body.slice(0, 300)}`);
    assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
    assert.deepEqual(await policies(), p);
    assert.deepEqual(await words(), w);
    assert.equal(await auditRows(t), audit);
  }

  test("the site's mode and a section's override", async () => {
    const site = f.news.site.id;
    const page = await mod.client.get(`${ADMIN}/comments/settings`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Pre-moderation for new members, until N/);
    await refused(`/comments/settings/${site}/site`, { mode: 'pre' });
    const r = await mod.client.post(`${ADMIN}/comments/settings/${site}/site`, {
      csrf: mod.csrf,
      mode: 'pre_new',
      newMemberApprovals: '3',
      closeAfterDays: '',
    });
    assert.equal(r.status, 303, r.body.slice(0, 300));
    const row = (await policies()).find((p) => p.site_id === site && p.scope === 'site');
    assert.equal(row?.mode, 'pre_new');
    assert.equal(Number(row?.new_member_approvals), 3);
    assert.equal(row?.close_after_days, null);
    assert.equal((await t.rt.comments.policy(site, f.story.id)).mode, 'pre_new');
    const bad = await mod.client.post(`${ADMIN}/comments/settings/${site}/site`, {
      csrf: mod.csrf,
      mode: 'anarchy',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /DATELINE_ERR_COMMENT_POLICY_INVALID/);
    const days = await mod.client.post(`${ADMIN}/comments/settings/${site}/site`, {
      csrf: mod.csrf,
      closeAfterDays: '-1',
    });
    assert.equal(days.status, 400);

    const section = f.news.business.id;
    await refused(`/comments/settings/${site}/section/${section}`, { mode: 'closed' });
    const s = await mod.client.post(`${ADMIN}/comments/settings/${site}/section/${section}`, {
      csrf: mod.csrf,
      mode: 'pre',
    });
    assert.equal(s.status, 303);
    assert.equal((await policies()).find((p) => p.scope === `section:${section}`)?.mode, 'pre');
    const shown = await mod.client.get(`${ADMIN}/comments/settings?site=${site}`);
    assert.match(shown.body, /Business — Pre-moderation/);
    // The sister's settings are not the news moderator's to open.
    const other = await mod.client.get(`${ADMIN}/comments/settings?site=${f.sister.site.id}`);
    assert.match(other.body, new RegExp(`action="/comments/settings/${site}/site"`));
    assert.doesNotMatch(other.body, new RegExp(`action="/comments/settings/${f.sister.site.id}/`));
  });

  test('word lists: a site moderator edits the site list; the network list needs a network moderator', async () => {
    const site = f.news.site.id;
    await refused('/comments/words', { siteId: String(site), kind: 'banned', pattern: 'scam*' });
    await refused('/comments/words', { siteId: 'network', kind: 'banned', pattern: 'scam*' }, mod);
    const add = await mod.client.post(`${ADMIN}/comments/words`, {
      csrf: mod.csrf,
      siteId: String(site),
      kind: 'suspect',
      pattern: 'scam*',
      next: `/comments/settings?site=${site}`,
    });
    assert.equal(add.status, 303, add.body.slice(0, 300));
    const entry = (await words()).find((w) => w.pattern === 'scam*');
    assert.equal(entry?.kind, 'suspect');
    assert.equal(entry?.site_id, site);
    const net = await chief.client.post(`${ADMIN}/comments/words`, {
      csrf: chief.csrf,
      siteId: 'network',
      kind: 'banned',
      pattern: 'ｂａｄword',
    });
    assert.equal(net.status, 303, net.body.slice(0, 300));
    const page = await mod.client.get(`${ADMIN}/comments/settings?site=${site}`);
    assert.match(page.body, /<code>scam\*<\/code>/);
    assert.match(page.body, /matches “spam”, “spammer” and “spamming”/);
    assert.match(page.body, /Words on every site of the network/);
    const netEntry = (await words()).find((w) => w.site_id === null)!;
    // Removing: the network's entry is not the site moderator's; the site's is.
    await refused(`/comments/words/${netEntry.id}/remove`, {}, mod);
    await refused(`/comments/words/${entry!.id}/remove`, {});
    const gone = await mod.client.post(`${ADMIN}/comments/words/${entry!.id}/remove`, { csrf: mod.csrf });
    assert.equal(gone.status, 303);
    assert.equal(
      (await words()).find((w) => w.id === entry!.id),
      undefined,
    );
    const invalid = await mod.client.post(`${ADMIN}/comments/words`, {
      csrf: mod.csrf,
      siteId: String(site),
      kind: 'banned',
      pattern: '',
    });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body, /DATELINE_ERR_COMMENT_WORD_INVALID/);
  });

  test("a story's moderation view: the thread with hidden comments, close/open, the story's own mode", async () => {
    const site = f.news.site.id;
    const author = await f.reader('Thread Author');
    const top = await f.comment({ authorId: author.id, status: 'published', body: 'Visible top comment' });
    const reply = await f.comment({
      authorId: author.id,
      status: 'pending',
      body: 'Held reply',
      parentId: top,
    });
    await f.comment({ authorId: author.id, status: 'rejected', body: 'Rejected top comment' });
    const pinned = await f.comment({
      authorId: author.id,
      status: 'published',
      body: 'Pinned older comment',
      at: new Date(Date.now() - 86_400_000),
    });
    await t.rt.db.kysely
      .updateTable('comments')
      .set({ featured_at: new Date().toISOString() } as never)
      .where('id', '=', pinned)
      .execute();
    const path = `/comments/threads/${site}/${f.story.id}`;
    const page = await mod.client.get(`${ADMIN}${path}`);
    assert.equal(page.status, 200, page.body.slice(0, 300));
    assert.match(page.body, /Harbour bridge reopens/);
    assert.match(page.body, /Visible top comment/);
    assert.match(page.body, /Rejected top comment/);
    assert.ok(
      page.body.indexOf('Pinned older comment') < page.body.indexOf('Rejected top comment'),
      'featured first',
    );
    assert.equal(page.body.split('Pinned older comment').length, 2, 'shown once');
    assert.ok(
      page.body.indexOf('Held reply') > page.body.indexOf('Visible top comment'),
      'the reply under its parent',
    );
    assert.match(page.body, new RegExp(`class="mod-item mod-depth-1 mod-hidden" id="c-${reply}"`));
    assert.match(page.body, /Open the thread|Close the thread/);
    assert.equal((await outsider.client.get(`${ADMIN}${path}`)).status, 403);
    assert.equal((await mod.client.get(`${ADMIN}/comments/threads/${site}/${f.sisterStory.id}`)).status, 404);

    await refused(`${path}/close`, {});
    const closed = await mod.client.post(`${ADMIN}${path}/close`, { csrf: mod.csrf });
    assert.equal(closed.status, 303, closed.body.slice(0, 300));
    assert.equal((await t.rt.comments.policy(site, f.story.id)).open, false);
    assert.match((await mod.client.get(`${ADMIN}${path}`)).body, /Closed \(by hand\)/);
    await refused(`${path}/open`, {});
    const opened = await mod.client.post(`${ADMIN}${path}/open`, { csrf: mod.csrf });
    assert.equal(opened.status, 303);
    assert.equal((await t.rt.comments.policy(site, f.story.id)).open, true);

    await refused(`${path}/policy`, { mode: 'pre' });
    const own = await mod.client.post(`${ADMIN}${path}/policy`, {
      csrf: mod.csrf,
      mode: 'pre',
      closeAfterDays: '0',
    });
    assert.equal(own.status, 303, own.body.slice(0, 300));
    const p = await t.rt.comments.policy(site, f.story.id);
    assert.equal(p.mode, 'pre');
    assert.equal(p.closesAt, null);
  });
});

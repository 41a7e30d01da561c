// The moderation actions over HTTP on both dialects: approve, reject with a reason code and a note to the
// author, edit with a visible moderator's note, feature and unfeature, dismiss reports, and bulk approve,
// reject and mark-reviewed through checkboxes. Each one is also sent by a moderator of the other site only,
// who gets 403 FORBIDDEN with the comment and the audit log exactly as they were.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { type Client, FAST_ARGON2 } from '../../accounts/testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { postPairs } from '../wire/testing.ts';
import { auditRows, commentRow, type ModFixture, modFixture } from './testing.ts';

describeEachDialect('moderation actions', (ctx) => {
  let t: TestApp;
  let f: ModFixture;
  let mod: { client: Client; csrf: string };
  let outsider: { client: Client; csrf: string };
  let author: { id: number };
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    f = await modFixture(t);
    author = await f.reader('Moderated Author');
    mod = await signedInStaff(t, [{ role: 'moderator', siteId: f.news.site.id }]);
    // A moderator, but of the sister site only: every action on a news comment is refused.
    outsider = await signedInStaff(t, [{ role: 'moderator', siteId: f.sister.site.id }]);
  });
  after(async () => {
    await t.close();
  });

  /** Sends the form as the outsider and checks nothing changed. */
  async function refused(path: string, form: Record<string, string>, ids: number[]) {
    const rows = await Promise.all(ids.map((id) => commentRow(t, id)));
    const audit = await auditRows(t);
    const r = await outsider.client.post(`${ADMIN}${path}`, { csrf: outsider.csrf, ...form });
    assert.equal(r.status, 403, `${path}: ${r.body.slice(0, 300)}`);
    assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
    assert.deepEqual(
      await Promise.all(ids.map((id) => commentRow(t, id))),
      rows,
      `${path} changed a comment`,
    );
    assert.equal(await auditRows(t), audit, `${path} wrote to the audit log`);
  }

  test('approve publishes a held comment and marks it reviewed; back to the queue with a notice', async () => {
    const id = await f.comment({ authorId: author.id, holdReasons: [{ code: 'pre_moderation' }] });
    await refused(`/comments/${id}/approve`, { next: '/comments' }, [id]);
    const audit = await auditRows(t);
    const r = await mod.client.post(`${ADMIN}/comments/${id}/approve`, {
      csrf: mod.csrf,
      next: '/comments?queue=pending',
    });
    assert.equal(r.status, 303, r.body.slice(0, 300));
    assert.equal(r.headers.location, '/comments?queue=pending&done=comment-approved');
    const row = await commentRow(t, id);
    assert.equal(row?.status, 'published');
    assert.ok(row?.reviewed_at);
    assert.ok((await auditRows(t)) > audit, 'audited');
    const page = await mod.client.get(`${ADMIN}/comments?queue=approved&done=comment-approved`);
    assert.match(page.body, /Approved: the comment is on the site\./);
    // A next pointing off the admin goes to the queue instead.
    const id2 = await f.comment({ authorId: author.id });
    const away = await mod.client.post(`${ADMIN}/comments/${id2}/approve`, {
      csrf: mod.csrf,
      next: '//evil.example/',
    });
    assert.equal(away.headers.location, '/?done=comment-approved');
  });

  test('reject takes a reason code and an optional note to the author', async () => {
    const id = await f.comment({ authorId: author.id, status: 'published' });
    await refused(`/comments/${id}/reject`, { reason: 'spam' }, [id]);
    const before = await commentRow(t, id);
    const bad = await mod.client.post(`${ADMIN}/comments/${id}/reject`, { csrf: mod.csrf, reason: 'boring' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /DATELINE_ERR_BAD_REQUEST/);
    assert.deepEqual(await commentRow(t, id), before);
    const r = await mod.client.post(`${ADMIN}/comments/${id}/reject`, {
      csrf: mod.csrf,
      reason: 'off_topic',
      note: 'Please keep to the story.',
    });
    assert.equal(r.status, 303, r.body.slice(0, 300));
    const row = await commentRow(t, id);
    assert.equal(row?.status, 'rejected');
    assert.equal(row?.reject_reason, 'off_topic');
    assert.equal(row?.reject_note, 'Please keep to the story.');
    const page = await mod.client.get(`${ADMIN}/comments/${id}`);
    assert.match(page.body, /Rejected as Off-topic with a note to the author: “Please keep to the story\.”/);
  });

  test('edit changes the text and sets the moderator note readers see', async () => {
    const id = await f.comment({ authorId: author.id, status: 'published', body: 'Some words and a slur' });
    await refused(`/comments/${id}/edit`, { body: 'x', note: 'y' }, [id]);
    const form = await mod.client.get(`${ADMIN}/comments/${id}`);
    assert.match(form.body, /name="note"/);
    const r = await mod.client.post(`${ADMIN}/comments/${id}/edit`, {
      csrf: mod.csrf,
      body: 'Some words',
      note: 'offensive word removed',
      next: `/comments/${id}`,
    });
    assert.equal(r.status, 303, r.body.slice(0, 300));
    const row = await commentRow(t, id);
    assert.equal(row?.body, 'Some words');
    assert.equal(row?.moderator_note, 'offensive word removed');
    const page = await mod.client.get(`${ADMIN}/comments/${id}`);
    assert.match(page.body, /Moderator: offensive word removed/);
    // An empty note removes it; the unchanged text stays.
    await mod.client.post(`${ADMIN}/comments/${id}/edit`, { csrf: mod.csrf, body: 'Some words', note: '' });
    assert.equal((await commentRow(t, id))?.moderator_note, null);
  });

  test('feature and unfeature a published comment; dismiss its reports', async () => {
    const reporter = await f.reader();
    const id = await f.comment({
      authorId: author.id,
      status: 'published',
      reports: [{ userId: reporter.id, reason: 'spam' }],
    });
    await refused(`/comments/${id}/feature`, { on: '1' }, [id]);
    await refused(`/comments/${id}/dismiss-reports`, {}, [id]);
    assert.equal(
      (await mod.client.post(`${ADMIN}/comments/${id}/feature`, { csrf: mod.csrf, on: '1' })).status,
      303,
    );
    assert.ok((await commentRow(t, id))?.featured_at);
    const card = await mod.client.get(`${ADMIN}/comments?queue=reported`);
    assert.match(card.body, /Unfeature/);
    assert.match(card.body, /Reported Spam/);
    assert.equal(
      (await mod.client.post(`${ADMIN}/comments/${id}/feature`, { csrf: mod.csrf, on: '0' })).status,
      303,
    );
    assert.equal((await commentRow(t, id))?.featured_at, null);
    assert.equal(
      (await mod.client.post(`${ADMIN}/comments/${id}/dismiss-reports`, { csrf: mod.csrf })).status,
      303,
    );
    assert.equal(Number((await commentRow(t, id))?.report_count), 0);
    const after = await mod.client.get(`${ADMIN}/comments?queue=reported`);
    assert.doesNotMatch(after.body, new RegExp(`id="c-${id}"`));
  });

  test('bulk approve, reject and mark reviewed through checkboxes; one foreign comment refuses them all', async () => {
    const a1 = await f.comment({ authorId: author.id });
    const a2 = await f.comment({ authorId: author.id });
    const r1 = await f.comment({ authorId: author.id });
    const seen = await f.comment({ authorId: author.id, status: 'published' });
    const foreign = await f.comment({ authorId: author.id, siteId: f.sister.site.id });
    // The news moderator selects a sister-site comment among theirs: 403 and nothing changes.
    const rows = await Promise.all([a1, a2, foreign].map((id) => commentRow(t, id)));
    const audit = await auditRows(t);
    const mixed = await postPairs(t, mod.client, '/comments/bulk', [
      ['csrf', mod.csrf],
      ['action', 'approve'],
      ['ids', String(a1)],
      ['ids', String(foreign)],
      ['ids', String(a2)],
    ]);
    assert.equal(mixed.status, 403);
    assert.match(mixed.body, /DATELINE_ERR_FORBIDDEN/);
    assert.deepEqual(await Promise.all([a1, a2, foreign].map((id) => commentRow(t, id))), rows);
    assert.equal(await auditRows(t), audit);

    const ok = await postPairs(t, mod.client, '/comments/bulk', [
      ['csrf', mod.csrf],
      ['next', '/comments?queue=pending'],
      ['action', 'approve'],
      ['ids', String(a1)],
      ['ids', String(a2)],
    ]);
    assert.equal(ok.status, 303, ok.body.slice(0, 300));
    assert.equal(ok.headers.location, '/comments?queue=pending&done=comments-bulk-approved');
    for (const id of [a1, a2]) assert.equal((await commentRow(t, id))?.status, 'published');
    const rej = await postPairs(t, mod.client, '/comments/bulk', [
      ['csrf', mod.csrf],
      ['action', 'reject'],
      ['reason', 'abuse'],
      ['ids', String(r1)],
    ]);
    assert.equal(rej.status, 303);
    assert.equal((await commentRow(t, r1))?.status, 'rejected');
    assert.equal((await commentRow(t, r1))?.reject_reason, 'abuse');
    const rev = await postPairs(t, mod.client, '/comments/bulk', [
      ['csrf', mod.csrf],
      ['action', 'reviewed'],
      ['ids', String(seen)],
    ]);
    assert.equal(rev.status, 303);
    assert.ok((await commentRow(t, seen))?.reviewed_at);
    // Nothing ticked: nothing changes, and the notice says so.
    const none = await postPairs(t, mod.client, '/comments/bulk', [
      ['csrf', mod.csrf],
      ['action', 'approve'],
    ]);
    assert.equal(none.headers.location, '/comments?done=comments-none-selected');
    await refused('/comments/bulk', { action: 'approve', ids: String(a1) }, [a1]);
  });
});

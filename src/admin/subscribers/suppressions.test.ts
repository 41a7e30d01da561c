// The Suppression list screen over HTTP on both dialects: a site admin searches and adds (with a note),
// only a network-wide admin takes an address off (the page shows no Remove button to others, and their post
// is refused, nothing changed), a bad address is refused with MAIL_SUPPRESSION_INVALID, bounce reasons and
// soft-bounce counts are shown, an editor cannot open it, and each change is audited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { auditCount, auditEntries, postFields } from '../sites/network-testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';

type Staff = Awaited<ReturnType<typeof signedInStaff>>;

describeEachDialect('the Suppression list screen', (ctx) => {
  let t: TestApp;
  let siteAdmin: Staff;
  let networkAdmin: Staff;
  let editor: Staff;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    const news = await newsSite(t.rt, 'news');
    siteAdmin = await signedInStaff(t, [{ role: 'admin', siteId: news.site.id }]);
    networkAdmin = await signedInStaff(t, [{ role: 'admin', siteId: null }]);
    editor = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    await t.rt.suppressions.record({
      provider: 'generic',
      providerEventId: 'evt-1',
      email: 'hard@mail.co.jp',
      kind: 'hard_bounce',
      detail: '550 5.1.1 no such user',
      messageId: null,
    });
    await t.rt.suppressions.record({
      provider: 'generic',
      providerEventId: 'evt-2',
      email: 'soft@mail.co.jp',
      kind: 'soft_bounce',
      detail: '452 mailbox full',
      messageId: null,
    });
  });
  after(async () => {
    await t.close();
  });

  test('the list shows reasons; soft bounces still mailed only when asked for', async () => {
    const r = await siteAdmin.client.get(`${ADMIN}/suppressions`);
    assert.equal(r.status, 200);
    assert.match(r.body, /hard@mail\.co\.jp/);
    assert.match(r.body, /Hard bounce/);
    assert.match(r.body, /550 5\.1\.1 no such user/);
    assert.doesNotMatch(r.body, /soft@mail\.co\.jp/, 'one soft bounce does not suppress');
    const all = await siteAdmin.client.get(`${ADMIN}/suppressions?all=1`);
    assert.match(all.body, /soft@mail\.co\.jp/);
    assert.match(all.body, /Still mailed/);
    const e = await editor.client.get(`${ADMIN}/suppressions`);
    assert.equal(e.status, 403);
    assert.match(e.body, /DATELINE_ERR_FORBIDDEN/);
  });

  test('a site admin adds an address with a note, audited; search finds it', async () => {
    const r = await postFields(t, siteAdmin.client, `${ADMIN}/suppressions/add`, [
      ['csrf', siteAdmin.csrf],
      ['email', ' Phoned@Mail.co.jp '],
      ['note', 'asked by phone to stop all mail'],
    ]);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/suppressions?done=suppression-added');
    assert.equal(await t.rt.suppressions.isSuppressed('phoned@mail.co.jp'), true);
    const [entry] = await auditEntries(t, 'mail.suppression_added', {
      type: 'mail_suppression',
      id: 'phoned@mail.co.jp',
    });
    assert.equal(entry?.actor, `user:${siteAdmin.userId}`);
    assert.equal(entry?.detail.after?.reason, 'manual');
    assert.equal(entry?.detail.before, null);
    const found = await siteAdmin.client.get(`${ADMIN}/suppressions?q=PHONED`);
    assert.match(found.body, /phoned@mail\.co\.jp/);
    assert.match(found.body, /Added by hand/);
    assert.match(found.body, /asked by phone to stop all mail/);
    assert.doesNotMatch(found.body, /hard@mail\.co\.jp/);
  });

  test('a bad address is refused with MAIL_SUPPRESSION_INVALID and the form kept', async () => {
    const before = await auditCount(t);
    const r = await postFields(t, siteAdmin.client, `${ADMIN}/suppressions/add`, [
      ['csrf', siteAdmin.csrf],
      ['email', 'not an address'],
      ['note', 'typo'],
    ]);
    assert.equal(r.status, 400);
    assert.match(r.body, /DATELINE_ERR_MAIL_SUPPRESSION_INVALID/);
    assert.match(r.body, /value="not an address"/);
    assert.equal(await auditCount(t), before);
  });

  test('only a network-wide admin takes an address off the list', async () => {
    const page = await siteAdmin.client.get(`${ADMIN}/suppressions`);
    assert.doesNotMatch(page.body, /action="\/suppressions\/remove"/, 'no Remove button for a site admin');
    const before = await auditCount(t);
    const refused = await postFields(t, siteAdmin.client, `${ADMIN}/suppressions/remove`, [
      ['csrf', siteAdmin.csrf],
      ['email', 'hard@mail.co.jp'],
    ]);
    assert.equal(refused.status, 403);
    assert.match(refused.body, /DATELINE_ERR_FORBIDDEN/);
    assert.equal(await t.rt.suppressions.isSuppressed('hard@mail.co.jp'), true);
    assert.equal(await auditCount(t), before);

    const full = await networkAdmin.client.get(`${ADMIN}/suppressions`);
    assert.match(full.body, /data-confirm="Take hard@mail\.co\.jp off the suppression list\?/);
    const r = await postFields(t, networkAdmin.client, `${ADMIN}/suppressions/remove`, [
      ['csrf', networkAdmin.csrf],
      ['email', 'hard@mail.co.jp'],
    ]);
    assert.equal(r.status, 303);
    assert.equal(await t.rt.suppressions.isSuppressed('hard@mail.co.jp'), false);
    const [entry] = await auditEntries(t, 'mail.suppression_removed', {
      type: 'mail_suppression',
      id: 'hard@mail.co.jp',
    });
    assert.equal(entry?.actor, `user:${networkAdmin.userId}`);
    assert.equal(entry?.detail.before?.reason, 'hard_bounce');
    const again = await postFields(t, networkAdmin.client, `${ADMIN}/suppressions/remove`, [
      ['csrf', networkAdmin.csrf],
      ['email', 'hard@mail.co.jp'],
    ]);
    assert.equal(again.status, 404);
    assert.match(again.body, /DATELINE_ERR_MAIL_SUPPRESSION_NOT_FOUND/);
  });

  test('changes need the CSRF token', async () => {
    const before = await auditCount(t);
    const r = await postFields(t, networkAdmin.client, `${ADMIN}/suppressions/add`, [
      ['email', 'x@mail.co.jp'],
    ]);
    assert.equal(r.status, 403);
    assert.match(r.body, /DATELINE_ERR_CSRF_REJECTED/);
    assert.equal(await t.rt.suppressions.isSuppressed('x@mail.co.jp'), false);
    assert.equal(await auditCount(t), before);
  });
});

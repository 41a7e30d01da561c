// The members screens over HTTP on both dialects: search by name or email, a member's page with counts,
// sanctions, notes and comments; warn, suspend for a time (mailed), ban on a site with their comments
// rejected, lift, and notes. A moderator of one site cannot ban network-wide or act on the other site's
// sanctions: 403 and nothing changed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { type Client, FAST_ARGON2 } from '../../accounts/testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { auditRows, commentRow, type ModFixture, modFixture } from './testing.ts';

describeEachDialect('moderating members', (ctx) => {
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

  const sanctions = async (userId: number) =>
    t.rt.db.kysely
      .selectFrom('member_sanctions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  const mails = async (userId: number) =>
    Number(
      (
        await sql<{ n: number }>`select count(*) as n from mail_messages where user_id = ${userId}`.execute(
          t.rt.db.kysely,
        )
      ).rows[0]!.n,
    );

  test('search finds members by name or email, and their page shows the record', async () => {
    const m = await f.reader('Ottoline Findable');
    await f.comment({ authorId: m.id, status: 'published', reviewed: true, body: 'An approved thought' });
    await f.comment({ authorId: m.id, status: 'rejected', body: 'A rejected thought' });
    await f.comment({
      authorId: m.id,
      siteId: f.sister.site.id,
      status: 'published',
      body: 'On the sister site',
    });
    const byName = await mod.client.get(`${ADMIN}/comments/members?q=ottoline`);
    assert.equal(byName.status, 200);
    assert.match(byName.body, new RegExp(`href="/comments/members/${m.id}"`));
    const byEmail = await mod.client.get(
      `${ADMIN}/comments/members?q=${encodeURIComponent(m.email.slice(0, 10))}`,
    );
    assert.match(byEmail.body, /Ottoline Findable/);
    const none = await mod.client.get(`${ADMIN}/comments/members?q=${encodeURIComponent('%_')}`);
    assert.doesNotMatch(none.body, /Ottoline Findable/, 'LIKE wildcards are taken literally');
    const page = await mod.client.get(`${ADMIN}/comments/members/${m.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /1 approved · 2 published · 0 pending · 1 rejected/);
    assert.match(page.body, /An approved thought/);
    assert.match(page.body, /rejected/);
    // Comments on a site the moderator does not moderate are not listed.
    assert.doesNotMatch(page.body, /On the sister site/);
    assert.doesNotMatch(
      page.body,
      /Every site of the network/,
      'no network-wide choice for a site moderator',
    );
    const wide = await chief.client.get(`${ADMIN}/comments/members/${m.id}`);
    assert.match(wide.body, /On the sister site/);
    assert.match(wide.body, /Every site of the network/);
    const missing = await mod.client.get(`${ADMIN}/comments/members/999999`);
    assert.equal(missing.status, 404);
  });

  test('warn, suspend for some days and ban on a site rejecting their comments; each mailed; lift', async () => {
    const m = await f.reader('Sanctioned Member');
    const live = await f.comment({ authorId: m.id, status: 'published' });
    const held = await f.comment({ authorId: m.id });
    const elsewhere = await f.comment({ authorId: m.id, siteId: f.sister.site.id, status: 'published' });
    const send = (form: Record<string, string>, who = mod) =>
      who.client.post(`${ADMIN}/comments/members/${m.id}/sanctions`, { csrf: who.csrf, ...form });

    const warned = await send({
      kind: 'warning',
      where: String(f.news.site.id),
      message: 'Mind your language.',
    });
    assert.equal(warned.status, 303, warned.body.slice(0, 300));
    assert.equal(warned.headers.location, `/comments/members/${m.id}?done=member-warned`);
    assert.equal((await sanctions(m.id)).at(-1)?.kind, 'warning');
    assert.equal(await mails(m.id), 1);

    const noDays = await send({ kind: 'suspension', where: String(f.news.site.id) });
    assert.equal(noDays.status, 400);
    assert.match(noDays.body, /DATELINE_ERR_SANCTION_INVALID/);
    const suspended = await send({
      kind: 'suspension',
      where: String(f.news.site.id),
      days: '3',
      message: 'Cool off.',
    });
    assert.equal(suspended.status, 303, suspended.body.slice(0, 300));
    const s = (await sanctions(m.id)).at(-1)!;
    assert.equal(s.kind, 'suspension');
    const ends = new Date(s.ends_at as string).getTime();
    assert.ok(Math.abs(ends - (Date.now() + 3 * 86_400_000)) < 60_000, 'ends in three days');
    assert.equal(await mails(m.id), 2);

    // A site moderator cannot ban network-wide, nor on the other site: nothing written.
    const count = (await sanctions(m.id)).length;
    const audit = await auditRows(t);
    for (const where of ['network', String(f.sister.site.id)]) {
      const r = await send({ kind: 'ban', where, rejectExisting: '1' });
      assert.equal(r.status, 403, where);
      assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
    }
    assert.equal((await sanctions(m.id)).length, count);
    assert.equal(await auditRows(t), audit);
    assert.equal((await commentRow(t, elsewhere))?.status, 'published');

    const banned = await send({
      kind: 'ban',
      where: String(f.news.site.id),
      rejectExisting: '1',
      message: 'Enough.',
    });
    assert.equal(banned.status, 303, banned.body.slice(0, 300));
    assert.equal((await commentRow(t, live))?.status, 'rejected');
    assert.equal((await commentRow(t, held))?.status, 'rejected');
    assert.equal((await commentRow(t, elsewhere))?.status, 'published', 'the other site is untouched');
    const ban = (await sanctions(m.id)).at(-1)!;
    assert.equal(ban.kind, 'ban');
    assert.equal(ban.ends_at, null);

    const page = await mod.client.get(`${ADMIN}/comments/members/${m.id}`);
    assert.match(page.body, /permanent/);
    assert.match(page.body, /Cool off\./);
    assert.match(
      page.body,
      /rejected as [^·]*· decided by Staff Member \d+/,
      'each decision says who made it',
    );
    // The queue's author line shows the sanction in force.
    await f.comment({ authorId: m.id, body: 'Still trying' });
    const queue = await mod.client.get(`${ADMIN}/comments`);
    assert.match(queue.body, /Banned \(Example Times\)/);

    // The sister moderator may not lift a news ban; the news moderator may.
    const before = await sanctions(m.id);
    const refused = await outsider.client.post(`${ADMIN}/comments/sanctions/${ban.id}/lift`, {
      csrf: outsider.csrf,
    });
    assert.equal(refused.status, 403);
    assert.deepEqual(await sanctions(m.id), before);
    const lifted = await mod.client.post(`${ADMIN}/comments/sanctions/${ban.id}/lift`, { csrf: mod.csrf });
    assert.equal(lifted.status, 303, lifted.body.slice(0, 300));
    assert.ok((await sanctions(m.id)).at(-1)?.lifted_at);

    // Network-wide, by a network moderator.
    const wide = await send({ kind: 'ban', where: 'network', days: '30' }, chief);
    assert.equal(wide.status, 303, wide.body.slice(0, 300));
    assert.equal((await sanctions(m.id)).at(-1)?.site_id, null);
  });

  test('moderator notes on a member: added, listed with their author; empty refused', async () => {
    const m = await f.reader('Noted Member');
    const r = await mod.client.post(`${ADMIN}/comments/members/${m.id}/notes`, {
      csrf: mod.csrf,
      body: 'Trolls every Friday.',
    });
    assert.equal(r.status, 303, r.body.slice(0, 300));
    const page = await mod.client.get(`${ADMIN}/comments/members/${m.id}`);
    assert.match(page.body, /Trolls every Friday\./);
    assert.match(page.body, /Staff Member \d+/);
    const empty = await mod.client.post(`${ADMIN}/comments/members/${m.id}/notes`, {
      csrf: mod.csrf,
      body: '  ',
    });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /DATELINE_ERR_MEMBER_NOTE_INVALID/);
    await f.comment({ authorId: m.id, body: 'Noted comment' });
    const queue = await mod.client.get(`${ADMIN}/comments`);
    assert.match(queue.body, /1 note</);
  });
});

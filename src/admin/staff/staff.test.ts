// The Staff screens over HTTP on both dialects: an invitation by mail whose link sets a first password on the
// admin host, roles per site and network-wide, disabling, ending sessions, two-factor status; each change
// audited with before and after, and per role a forbidden change answers 403 and changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2 } from '../../accounts/testing.ts';
import { staffActor } from '../../audit/log.ts';
import { auditCount, auditEntries } from '../sites/network-testing.ts';
import { ADMIN, enrolApp, STAFF_PASSWORD, signedInStaff } from '../testing.ts';

describeEachDialect('the Staff screens', (ctx) => {
  let t: TestApp;
  let news: Awaited<ReturnType<typeof newsSite>>;
  let life: Awaited<ReturnType<typeof newsSite>>;
  let owner: Awaited<ReturnType<typeof signedInStaff>>;
  let admin: Awaited<ReturnType<typeof signedInStaff>>;
  let lifeAdmin: Awaited<ReturnType<typeof signedInStaff>>;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    news = await newsSite(t.rt, 'news');
    life = await newsSite(t.rt, 'life');
    owner = await signedInStaff(t, [{ role: 'owner', siteId: null }], { displayName: 'Olive Owner' });
    admin = await signedInStaff(t, [{ role: 'admin', siteId: null }], { displayName: 'Ada Admin' });
    lifeAdmin = await signedInStaff(t, [{ role: 'admin', siteId: life.site.id }], {
      displayName: 'Lia Life',
    });
  });
  after(async () => {
    await t.close();
  });

  const mailTo = (email: string) =>
    t.rt.db.kysely
      .selectFrom('mail_messages')
      .selectAll()
      .where('to_address', '=', email)
      .orderBy('id')
      .execute();
  const roles = async (email: string) => {
    const u = await t.rt.accounts.findByEmail(email);
    return u ? t.rt.accounts.roles(u.id) : null;
  };

  test('an invitation makes the account, mails a link to the admin host, and the link sets the password', async () => {
    const r = await admin.client.post(`${ADMIN}/staff/invite`, {
      csrf: admin.csrf,
      email: 'New.Editor@Example.com',
      displayName: 'Nora Newcomer',
      role: 'editor',
      site: String(news.site.id),
    });
    assert.equal(r.status, 303, r.body.slice(0, 800));
    const user = (await t.rt.accounts.findByEmail('new.editor@example.com'))!;
    assert.ok(user);
    assert.equal(user.hasPassword, false);
    assert.deepEqual(await t.rt.accounts.roles(user.id), [{ role: 'editor', siteId: news.site.id }]);
    assert.equal(r.headers.location, `/staff/${user.id}?done=staff-invited`);
    const [entry] = await auditEntries(t, 'staff.invited', { type: 'user', id: user.id });
    assert.equal(entry?.actor, staffActor(admin.userId));
    assert.deepEqual(entry?.detail.after?.roles, [`editor@${news.site.id}`]);

    // Queued through the mail jobs, in the site's branding, with the admin's own link.
    const [mail] = await mailTo('new.editor@example.com');
    assert.ok(mail);
    assert.equal(mail.kind, 'staff-invite');
    assert.match(mail.subject, /Example Times newsroom/);
    const job = await t.rt.jobs.get(`mail:${mail.key}`);
    assert.equal(job?.state, 'queued');
    const link = /http:\/\/admin\.localhost:3000\/account\/reset\?t=[A-Za-z0-9_-]+/.exec(mail.text_body)?.[0];
    assert.ok(link, mail.text_body);

    const invited = new Client(t.app);
    const page = await invited.get(link);
    assert.equal(page.status, 200);
    assert.match(page.body, /Set your password/);
    const token = new URL(link).searchParams.get('t')!;
    const weak = await invited.post(`${ADMIN}/account/reset`, {
      csrf: csrfOf(page.body),
      t: token,
      password: 'short',
    });
    assert.equal(weak.status, 400);
    const set = await invited.post(`${ADMIN}/account/reset`, {
      csrf: csrfOf(page.body),
      t: token,
      password: STAFF_PASSWORD,
    });
    assert.equal(set.status, 200);
    assert.match(set.body, /Your password is set/);
    const signIn = await invited.submit(`${ADMIN}/login`, '/login', {
      email: 'new.editor@example.com',
      password: STAFF_PASSWORD,
    });
    assert.equal(signIn.status, 303);
    assert.equal((await invited.get(`${ADMIN}/`)).status, 200);
    // Used once.
    assert.equal((await new Client(t.app).get(link)).status, 400);
  });

  test('inviting someone who has an account gives them the role and tells them by mail', async () => {
    await t.rt.accounts.createUser({
      email: 'reader@example.com',
      displayName: 'Rita Reader',
      password: STAFF_PASSWORD,
    });
    const r = await admin.client.post(`${ADMIN}/staff/invite`, {
      csrf: admin.csrf,
      email: 'reader@example.com',
      displayName: 'ignored',
      role: 'moderator',
      site: String(life.site.id),
    });
    assert.equal(r.status, 303);
    assert.deepEqual(await roles('reader@example.com'), [{ role: 'moderator', siteId: life.site.id }]);
    const [mail] = await mailTo('reader@example.com');
    assert.equal(mail?.kind, 'staff-role-granted');
    const again = await admin.client.post(`${ADMIN}/staff/invite`, {
      csrf: admin.csrf,
      email: 'reader@example.com',
      displayName: 'ignored',
      role: 'moderator',
      site: String(life.site.id),
    });
    assert.equal(again.status, 400);
  });

  test('per role: invitations beyond one’s reach answer 403 and make nobody', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const entries = await auditCount(t);
    const tries: [typeof editor, Record<string, string>][] = [
      [editor, { role: 'contributor', site: String(news.site.id) }],
      [lifeAdmin, { role: 'contributor', site: '' }],
      [lifeAdmin, { role: 'editor', site: String(news.site.id) }],
      [owner, { role: 'owner', site: '' }],
    ];
    for (const [i, [who, form]] of tries.entries()) {
      const email = `nobody${i}@example.com`;
      const r = await who.client.post(`${ADMIN}/staff/invite`, {
        csrf: who.csrf,
        email,
        displayName: 'No Body',
        ...form,
      });
      assert.equal(r.status, 403, `try ${i}: ${r.status}`);
      assert.equal(await t.rt.accounts.findByEmail(email), null);
      assert.equal((await mailTo(email)).length, 0);
    }
    assert.equal(await auditCount(t), entries);
    // Within reach: a site's admin invites to their site.
    const ok = await lifeAdmin.client.post(`${ADMIN}/staff/invite`, {
      csrf: lifeAdmin.csrf,
      email: 'life.writer@example.com',
      displayName: 'Lou Writer',
      role: 'author',
      site: String(life.site.id),
    });
    assert.equal(ok.status, 303);
    assert.deepEqual(await roles('life.writer@example.com'), [{ role: 'author', siteId: life.site.id }]);
  });

  test('roles are granted and removed per site or network-wide, each audited', async () => {
    const person = await signedInStaff(t, [{ role: 'contributor', siteId: news.site.id }]);
    const base = `${ADMIN}/staff/${person.userId}`;
    const page = await admin.client.get(base);
    assert.equal(page.status, 200);
    const add = await admin.client.post(`${base}/roles`, { csrf: admin.csrf, role: 'editor', site: '' });
    assert.equal(add.status, 303);
    assert.deepEqual((await t.rt.accounts.roles(person.userId)).map((g) => `${g.role}@${g.siteId}`).sort(), [
      `contributor@${news.site.id}`,
      'editor@null',
    ]);
    const [granted] = await auditEntries(t, 'staff.role_granted', { type: 'user', id: person.userId });
    assert.deepEqual(granted?.detail.before?.roles, [`contributor@${news.site.id}`]);
    assert.deepEqual(granted?.detail.after?.roles, [`contributor@${news.site.id}`, 'editor']);
    // Their very next page has the new role: editors reach Sites.
    assert.match((await person.client.get(`${ADMIN}/`)).body, /href="\/sites"/);

    const remove = await admin.client.post(`${base}/roles/remove`, {
      csrf: admin.csrf,
      role: 'contributor',
      site: String(news.site.id),
    });
    assert.equal(remove.status, 303);
    assert.deepEqual(await t.rt.accounts.roles(person.userId), [{ role: 'editor', siteId: null }]);
    const [removed] = await auditEntries(t, 'staff.role_removed', { type: 'user', id: person.userId });
    assert.deepEqual(removed?.detail.after?.roles, ['editor']);

    // A site's admin can neither remove a network-wide role nor grant on another site.
    const entries = await auditCount(t);
    const r1 = await lifeAdmin.client.post(`${base}/roles/remove`, {
      csrf: lifeAdmin.csrf,
      role: 'editor',
      site: '',
    });
    assert.equal(r1.status, 403);
    const r2 = await lifeAdmin.client.post(`${base}/roles`, {
      csrf: lifeAdmin.csrf,
      role: 'admin',
      site: String(news.site.id),
    });
    assert.equal(r2.status, 403);
    assert.deepEqual(await t.rt.accounts.roles(person.userId), [{ role: 'editor', siteId: null }]);
    assert.equal(await auditCount(t), entries);

    // Removing the last role: they are no longer staff.
    const last = await admin.client.post(`${base}/roles/remove`, {
      csrf: admin.csrf,
      role: 'editor',
      site: '',
    });
    assert.equal(last.headers.location, '/staff?done=staff-left');
    assert.equal((await person.client.get(`${ADMIN}/`)).status, 303);
  });

  test('the owner keeps the owner role and cannot be disabled; nobody disables themselves', async () => {
    const entries = await auditCount(t);
    const base = `${ADMIN}/staff/${owner.userId}`;
    const strip = await admin.client.post(`${base}/roles/remove`, {
      csrf: admin.csrf,
      role: 'owner',
      site: '',
    });
    assert.equal(strip.status, 403);
    assert.match(strip.body, /DATELINE_ERR_FORBIDDEN/);
    const off = await admin.client.post(`${base}/status`, { csrf: admin.csrf, disabled: '1' });
    assert.equal(off.status, 403);
    assert.deepEqual(await t.rt.accounts.roles(owner.userId), [{ role: 'owner', siteId: null }]);
    assert.equal((await t.rt.accounts.requireUser(owner.userId)).status, 'active');
    const self = await admin.client.post(`${ADMIN}/staff/${admin.userId}/status`, {
      csrf: admin.csrf,
      disabled: '1',
    });
    assert.equal(self.status, 409);
    assert.match(self.body, /DATELINE_ERR_STAFF_CHANGE_REFUSED/);
    assert.equal((await t.rt.accounts.requireUser(admin.userId)).status, 'active');
    assert.equal(await auditCount(t), entries);
  });

  test('disabling signs the person out at once; enabling lets them back; a site admin cannot touch network staff', async () => {
    const person = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }]);
    const network = await signedInStaff(t, [{ role: 'author', siteId: null }]);
    const entries = await auditCount(t);
    const refused = await lifeAdmin.client.post(`${ADMIN}/staff/${network.userId}/status`, {
      csrf: lifeAdmin.csrf,
      disabled: '1',
    });
    assert.equal(refused.status, 403);
    const notTheirs = await lifeAdmin.client.get(`${ADMIN}/staff/${person.userId}`);
    assert.equal(notTheirs.status, 403);
    assert.equal(await auditCount(t), entries);
    assert.equal((await t.rt.accounts.requireUser(network.userId)).status, 'active');

    const off = await admin.client.post(`${ADMIN}/staff/${person.userId}/status`, {
      csrf: admin.csrf,
      disabled: '1',
    });
    assert.equal(off.status, 303);
    assert.equal((await t.rt.accounts.requireUser(person.userId)).status, 'disabled');
    assert.equal((await person.client.get(`${ADMIN}/`)).status, 303, 'signed out at the next request');
    const [entry] = await auditEntries(t, 'staff.disabled', { type: 'user', id: person.userId });
    assert.deepEqual(entry?.detail.before, { status: 'active' });
    assert.deepEqual(entry?.detail.after, { status: 'disabled' });
    const list = await admin.client.get(`${ADMIN}/staff`);
    assert.match(list.body, /Disabled/);

    const on = await admin.client.post(`${ADMIN}/staff/${person.userId}/status`, {
      csrf: admin.csrf,
      disabled: '0',
    });
    assert.equal(on.status, 303);
    assert.equal((await t.rt.accounts.requireUser(person.userId)).status, 'active');
    assert.equal((await auditEntries(t, 'staff.enabled', { type: 'user', id: person.userId })).length, 1);
  });

  test('ending a person’s sessions signs them out; one’s own keeps the current sign-in', async () => {
    const person = await signedInStaff(t, [{ role: 'editor', siteId: life.site.id }]);
    assert.equal((await person.client.get(`${ADMIN}/`)).status, 200);
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const entries = await auditCount(t);
    const refused = await editor.client.post(`${ADMIN}/staff/${person.userId}/sessions/end`, {
      csrf: editor.csrf,
    });
    assert.equal(refused.status, 403);
    assert.equal((await person.client.get(`${ADMIN}/`)).status, 200);
    assert.equal(await auditCount(t), entries);

    const ended = await lifeAdmin.client.post(`${ADMIN}/staff/${person.userId}/sessions/end`, {
      csrf: lifeAdmin.csrf,
    });
    assert.equal(ended.status, 303);
    assert.equal((await person.client.get(`${ADMIN}/`)).status, 303);
    const [entry] = await auditEntries(t, 'staff.sessions_ended', { type: 'user', id: person.userId });
    assert.equal(entry?.actor, staffActor(lifeAdmin.userId));
    assert.deepEqual(entry?.detail.after, { adminSessions: 0 });

    const mine = await admin.client.post(`${ADMIN}/staff/${admin.userId}/sessions/end`, { csrf: admin.csrf });
    assert.equal(mine.status, 303);
    assert.equal((await admin.client.get(`${ADMIN}/staff`)).status, 200, 'still signed in here');
  });

  test('two-factor can be required of one person: every page leads them to enrol until they have', async () => {
    const person = await signedInStaff(t, [{ role: 'author', siteId: news.site.id }], {
      displayName: 'Tess Twofactor',
    });
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const base = `${ADMIN}/staff/${person.userId}/two-factor`;
    const entries = await auditCount(t);
    const refused = await editor.client.post(base, { csrf: editor.csrf, required: '1' });
    assert.equal(refused.status, 403);
    const notTheirs = await lifeAdmin.client.post(base, { csrf: lifeAdmin.csrf, required: '1' });
    assert.equal(notTheirs.status, 403);
    assert.equal(await auditCount(t), entries);
    assert.equal((await person.client.get(`${ADMIN}/`)).status, 200, 'not asked yet');

    const asked = await admin.client.post(base, { csrf: admin.csrf, required: '1' });
    assert.equal(asked.status, 303);
    const [entry] = await auditEntries(t, 'staff.two_factor_required', { type: 'user', id: person.userId });
    assert.deepEqual(entry?.detail.before, { twoFactorRequired: false });
    assert.deepEqual(entry?.detail.after, { twoFactorRequired: true });
    assert.match((await admin.client.get(`${ADMIN}/staff`)).body, /Tess Twofactor<\/a>[\s\S]*?Off, required/);

    const led = await person.client.get(`${ADMIN}/stories`);
    assert.equal(led.status, 303);
    assert.equal(led.headers.location, `/security/two-factor?next=${encodeURIComponent('/stories')}`);
    const change = await person.client.post(`${ADMIN}/site`, { csrf: person.csrf, site: 'all', next: '/' });
    assert.equal(change.status, 403);
    assert.match(change.body, /DATELINE_ERR_TWO_FACTOR_REQUIRED/);
    await enrolApp(person.client);
    assert.equal((await person.client.get(`${ADMIN}/`)).status, 200, 'enrolled: the admin opens again');

    const lifted = await admin.client.post(base, { csrf: admin.csrf, required: '0' });
    assert.equal(lifted.status, 303);
    assert.equal(
      (await auditEntries(t, 'staff.two_factor_lifted', { type: 'user', id: person.userId })).length,
      1,
    );
  });

  test('the list shows roles per site and each person’s two-factor set-up', async () => {
    const r = await owner.client.get(`${ADMIN}/staff`);
    assert.equal(r.status, 200);
    const row = (name: string) => new RegExp(`${name}</a>[\\s\\S]*?</tr>`).exec(r.body)?.[0] ?? '';
    assert.match(row('Ada Admin'), /On \(app\)/, 'admins enrolled an app at sign-in');
    assert.match(row('Lia Life'), /Example Times/);
    assert.match(row('Nora Newcomer'), />Off</);
    // A site's admin sees their site's people and network-wide staff, not the other site's.
    const theirs = await lifeAdmin.client.get(`${ADMIN}/staff`);
    assert.match(theirs.body, /Lou Writer/);
    assert.match(theirs.body, /Ada Admin/);
    assert.doesNotMatch(theirs.body, /Nora Newcomer/);
    // Not for editors at all.
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    assert.equal((await editor.client.get(`${ADMIN}/staff`)).status, 403);
  });
});

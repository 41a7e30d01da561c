import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2 } from '../accounts/testing.ts';
import { ADMIN, adminJson, enrolApp, STAFF_PASSWORD, signedInStaff } from './testing.ts';

describeEachDialect('the admin shell', (ctx) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    await newsSite(t.rt, 'news');
  });
  after(async () => {
    await t.close();
  });

  test('answers at the admin host only, and site paths never reach it', async () => {
    const c = new Client(t.app);
    const login = await c.get(`${ADMIN}/login`);
    assert.equal(login.status, 200);
    assert.match(login.body, /Sign in to the newsroom/);
    assert.equal(login.headers['cache-control'], 'private, no-store');
    assert.match(String(login.headers['content-security-policy']), /script-src 'self'/);
    // The same path on a news site is the site's own (a 404 page of the site), not the admin's sign-in.
    const onSite = await c.get('http://news.localhost:3000/login');
    assert.equal(onSite.status, 404);
    assert.doesNotMatch(onSite.body, /newsroom/);
    // A site path on the admin host is the admin's not-found page.
    const onAdmin = await c.get(`${ADMIN}/account/login`);
    assert.equal(onAdmin.status, 404);
    assert.match(onAdmin.body, /DATELINE_ERR_NOT_FOUND/);
  });

  test('a signed-out visitor is sent to sign in and comes back to the page asked for', async () => {
    const c = new Client(t.app);
    const r = await c.get(`${ADMIN}/`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/login?next=%2F');
    const j = await adminJson(t, c, 'POST', '/logout', 'x');
    assert.equal(j.status, 401, j.body);
    assert.match(j.body, /DATELINE_ERR_STAFF_SIGN_IN_REQUIRED/);
  });

  test('the setup link creates the one owner, once, and signs them in', async (tt) => {
    if (await t.rt.staff.hasStaff()) return tt.diagnostic('staff exist already in this database');
    const token = await t.rt.staff.setupToken();
    assert.ok(token);
    // An older link stops working once a newer one is printed.
    const newer = await t.rt.staff.setupToken();
    const c = new Client(t.app);
    const old = await c.get(`${ADMIN}/setup?t=${token}`);
    assert.equal(old.status, 400);
    assert.match(old.body, /DATELINE_ERR_TOKEN_INVALID/);
    const page = await c.get(`${ADMIN}/setup?t=${newer}`);
    assert.equal(page.status, 200);
    // A field problem keeps the link.
    const weak = await c.post(`${ADMIN}/setup`, {
      csrf: csrfOf(page.body),
      t: newer!,
      email: 'owner@example.com',
      displayName: 'Olive Owner',
      password: 'short',
    });
    assert.equal(weak.status, 400);
    const made = await c.post(`${ADMIN}/setup`, {
      csrf: csrfOf(page.body),
      t: newer!,
      email: 'owner@example.com',
      displayName: 'Olive Owner',
      password: STAFF_PASSWORD,
    });
    assert.equal(made.status, 303);
    assert.equal(made.headers.location, '/?done=welcome');
    // The owner sets up an authenticator app before anything else (admin/security/).
    const first = await c.get(`${ADMIN}/`);
    assert.equal(first.status, 303);
    assert.equal(first.headers.location, '/security/two-factor?next=%2F');
    await enrolApp(c);
    const home = await c.get(`${ADMIN}/`);
    assert.equal(home.status, 200);
    assert.match(home.body, /Olive Owner/);
    const owner = await t.rt.accounts.findByEmail('owner@example.com');
    assert.deepEqual(await t.rt.accounts.roles(owner!.id), [{ role: 'owner', siteId: null }]);
    // Used up, and no new link is made once staff exist.
    const again = await new Client(t.app).get(`${ADMIN}/setup?t=${newer}`);
    assert.equal(again.status, 400);
    assert.equal(await t.rt.staff.setupToken(), null);
  });

  test('a reader cannot sign in to the admin, and a reader cookie does not open it', async () => {
    await t.rt.accounts.createUser({
      email: 'plain-reader@example.com',
      displayName: 'Plain Reader',
      password: STAFF_PASSWORD,
    });
    const c = new Client(t.app);
    const r = await c.submit(`${ADMIN}/login`, '/login', {
      email: 'plain-reader@example.com',
      password: STAFF_PASSWORD,
    });
    assert.equal(r.status, 403);
    assert.match(r.body, /no role in the newsroom/);
    // Signed in as a reader on the news site: the session cookie is the site's and a reader's.
    const onSite = await c.submit('http://news.localhost:3000/account/login', '/account/login', {
      email: 'plain-reader@example.com',
      password: STAFF_PASSWORD,
    });
    assert.equal(onSite.status, 303);
    const token = c.cookie('news.localhost:3000', 'dl_session')!;
    assert.ok(token);
    assert.equal(await t.rt.staff.lookup(token), null);
  });

  test('a staff cookie is not a reader session', async () => {
    const s = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const token = s.client.cookie('admin.localhost:3000', 'dl_staff')!;
    assert.ok(token);
    assert.equal(await t.rt.accounts.sessions.lookup(token, null), null);
  });

  test('state changes check the session, then CSRF, then permission', async () => {
    const s = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    // No token, and a token of another session: refused, still signed in.
    const noToken = await s.client.post(`${ADMIN}/logout`, {});
    assert.equal(noToken.status, 403);
    assert.match(noToken.body, /DATELINE_ERR_CSRF_REJECTED/);
    const other = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const wrong = await s.client.post(`${ADMIN}/logout`, { csrf: other.csrf });
    assert.equal(wrong.status, 403);
    // From another site, with the right token: refused.
    const cross = await s.client.post(
      `${ADMIN}/logout`,
      { csrf: s.csrf },
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(cross.status, 403);
    assert.equal((await s.client.get(`${ADMIN}/`)).status, 200);
    // The right token signs out.
    const out = await s.client.post(`${ADMIN}/logout`, { csrf: s.csrf });
    assert.equal(out.status, 303);
    assert.equal((await s.client.get(`${ADMIN}/`)).status, 303);
  });

  test('the menu shows each role only what it can open', async () => {
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const home = await contributor.client.get(`${ADMIN}/`);
    assert.match(home.body, /Dashboard/);
    assert.doesNotMatch(home.body, />Audit log</);
  });

  test('after sign-in the browser goes only to admin paths', async () => {
    const c = new Client(t.app);
    await t.rt.accounts.createUser({
      email: 'nexter@example.com',
      displayName: 'Nex Ter',
      password: STAFF_PASSWORD,
      roles: [{ role: 'editor', siteId: null }],
    });
    const r = await c.submit(`${ADMIN}/login`, '/login', {
      email: 'nexter@example.com',
      password: STAFF_PASSWORD,
      next: '//evil.example/x',
    });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/');
  });
});

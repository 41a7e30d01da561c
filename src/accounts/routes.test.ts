import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2, linkIn } from './testing.ts';

const NEWS = 'http://news.localhost:3000';
const LIFE = 'http://life.localhost:3000';

describeEachDialect('account pages over HTTP', (ctx) => {
  let t: TestApp;
  // Mail is written by jobs, which the runtime's own worker may be running when drain() looks (a reset
  // request is one job, its mail another): wait until the address has a message, against a hang only.
  const mailTo = async (email: string) => {
    for (let i = 0; i < 400; i++) {
      await t.rt.jobs.drain();
      const mails = await t.rt.mail.outbox({ to: email });
      if (mails.length > 0) return mails;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail(`no mail reached ${email}`);
  };
  async function registerAndVerify(c: Client, email: string, name: string, password: string) {
    const reg = await c.submit(`${NEWS}/account/register`, '/account/register', {
      email,
      displayName: name,
      password,
    });
    assert.equal(reg.status, 200, reg.body);
    const [mail] = await mailTo(email);
    const verify = await c.get(linkIn(mail!.text, '/account/verify?t='));
    assert.equal(verify.status, 200);
    return c.post(`${NEWS}/account/verify`, {
      csrf: csrfOf(verify.body),
      t: new URL(linkIn(mail!.text, '/account/verify?t=')).searchParams.get('t')!,
    });
  }

  // Each test signs in as a reader of its own, made here, so that any one of them runs alone and none
  // depends on what an earlier one did to an account (a changed password, a deleted account).
  async function reader(email: string, displayName: string, password = 'velvet-harbour-lantern') {
    await t.rt.accounts.createUser({ email, displayName, password });
    return { email, password };
  }
  async function signIn(c: Client, creds: { email: string; password: string }) {
    const signedIn = await c.submit(`${NEWS}/account/login`, '/account/login', creds);
    assert.equal(signedIn.status, 303, signedIn.body);
    // Through the hop, so the sister site knows the reader too.
    await c.follow(signedIn);
  }

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    await newsSite(t.rt, 'news');
    const life = await t.rt.sites.create({
      slug: 'life',
      name: 'Lifestyle Daily',
      hosts: ['life.localhost'],
    });
    await t.rt.sections.create(life.id, { slug: 'food', name: 'Food' });
    await t.rt.directory.load();
  });
  after(() => t.close());

  test('register → verify mail → signed in on the site and, through the hop, on its sister site', async () => {
    const c = new Client(t.app);
    const verified = await registerAndVerify(c, 'ana@example.com', 'Ana Reader', 'velvet-harbour-lantern');
    assert.equal(verified.status, 303);
    const landed = await c.follow(verified);
    assert.equal(landed.status, 200);
    assert.equal(landed.url, `${NEWS}/account?m=verified`);
    assert.match(landed.body, /Your email address is confirmed/);
    assert.ok(c.cookie('news.localhost:3000', 'dl_session'));
    assert.ok(c.cookie('life.localhost:3000', 'dl_session'), 'the hop set a cookie on the sister host');
    assert.notEqual(
      c.cookie('news.localhost:3000', 'dl_session'),
      c.cookie('life.localhost:3000', 'dl_session'),
    );
    const sister = await c.get(`${LIFE}/`);
    assert.match(sister.body, /<a href="\/account" title="My account">Ana Reader<\/a>/);
  });

  test('the page cache never holds a name: signed-in and anonymous requests for the same page', async () => {
    const c = new Client(t.app);
    await signIn(c, await reader('cara@example.com', 'Cara Reader'));
    const anon1 = await t.app.inject({
      url: '/',
      headers: { host: 'news.localhost:3000', 'accept-encoding': 'br, gzip' },
    });
    const raw = await t.app.inject({
      url: '/',
      headers: {
        host: 'news.localhost:3000',
        cookie: `dl_session=${c.cookie('news.localhost:3000', 'dl_session')}`,
        'accept-encoding': 'gzip',
      },
    });
    assert.equal(raw.headers['content-encoding'], 'gzip', 'signed-in pages are still compressed');
    const personal = gunzipSync(raw.rawPayload).toString();
    assert.match(personal, /Cara Reader/);
    assert.match(String(raw.headers['cache-control']), /^private/);
    assert.match(String(raw.headers.vary), /Cookie/);
    const anon2 = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000' } });
    assert.doesNotMatch(anon2.body, /Cara Reader/);
    assert.match(anon2.body, /Register<\/a> \/ <a href="\/account\/login">Login/);
    assert.match(String(anon2.headers['cache-control']), /^public/);
    assert.equal(anon1.headers.etag, anon2.headers.etag, 'the shared version is unchanged');
    assert.notEqual(raw.headers.etag, anon2.headers.etag);
    // Revalidation: the personal ETag gives a 304, the shared one does not satisfy a signed-in reader.
    const cookie = `dl_session=${c.cookie('news.localhost:3000', 'dl_session')}`;
    const again = await t.app.inject({
      url: '/',
      headers: { host: 'news.localhost:3000', cookie, 'if-none-match': String(raw.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
    const stale = await t.app.inject({
      url: '/',
      headers: { host: 'news.localhost:3000', cookie, 'if-none-match': String(anon2.headers.etag) },
    });
    assert.equal(stale.statusCode, 200);
    assert.match(stale.body, /Cara Reader/);
    // Without gzip the reader's version goes out as it is (never brotli of the shared page), the same
    // bytes on a repeat view, and still never in the shared version.
    const brOnly = { host: 'news.localhost:3000', cookie, 'accept-encoding': 'br' };
    const plain = await t.app.inject({ url: '/', headers: brOnly });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.body, /Cara Reader/);
    assert.equal(plain.headers.etag, raw.headers.etag, 'one validator for every encoding of the version');
    assert.equal((await t.app.inject({ url: '/', headers: brOnly })).body, plain.body);
    const anon3 = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000' } });
    assert.equal(anon3.headers.etag, anon2.headers.etag);
    assert.doesNotMatch(anon3.body, /Cara Reader/);
  });

  test('every state-changing route refuses a missing or foreign CSRF token and a cross-site origin', async () => {
    const c = new Client(t.app);
    const page = await c.get(`${NEWS}/account/login`);
    const csrf = csrfOf(page.body);
    const creds = await reader('dan@example.com', 'Dan Reader');
    const noToken = await c.post(`${NEWS}/account/login`, creds);
    assert.equal(noToken.status, 403);
    assert.match(noToken.body, /Request refused/);
    const otherBrowser = new Client(t.app);
    await otherBrowser.get(`${NEWS}/account/login`);
    assert.equal(
      (await otherBrowser.post(`${NEWS}/account/login`, { ...creds, csrf })).status,
      403,
      'a token from another browser',
    );
    const crossSite = await c.post(
      `${NEWS}/account/login`,
      { ...creds, csrf },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(crossSite.status, 403);
    const sisterOrigin = await c.post(
      `${NEWS}/account/login`,
      { ...creds, csrf },
      { origin: LIFE, 'sec-fetch-site': 'same-site' },
    );
    assert.equal(sisterOrigin.status, 403, 'even a sister site may not post here');
    assert.equal(c.cookie('news.localhost:3000', 'dl_session'), undefined);
    const ok = await c.post(`${NEWS}/account/login`, { ...creds, csrf });
    assert.equal(ok.status, 303);
    // Signed in, the token is tied to the session: the anonymous one no longer works for logout.
    const signedInCsrf = csrfOf((await c.get(`${NEWS}/account`)).body);
    assert.notEqual(signedInCsrf, csrf);
    assert.ok(c.cookie('news.localhost:3000', 'dl_pre'), 'the browser still holds its pre-sign-in cookie');
    const staleLogout = await c.post(`${NEWS}/account/logout`, { csrf });
    assert.equal(staleLogout.status, 403);
    assert.ok(c.cookie('news.localhost:3000', 'dl_session'), 'the session cookie is kept');
    const stillIn = await c.get(`${NEWS}/account`);
    assert.equal(stillIn.status, 200, 'the session survives');
    assert.match(stillIn.body, /dan@example\.com/);
    const staleProfile = await c.post(`${NEWS}/account/profile`, { csrf, displayName: 'Hacked' });
    assert.equal(staleProfile.status, 403, 'nor change the account');
    for (const path of [
      '/account/profile',
      '/account/email',
      '/account/password',
      '/account/delete',
      '/account/logout',
      '/account/logout-everywhere',
    ]) {
      const r = await c.post(`${NEWS}${path}`, {
        csrf: 'forged-token',
        displayName: 'Hacked',
        email: 'x@evil.example',
        confirm: 'delete',
      });
      assert.equal(r.status, 403, path);
    }
    assert.equal((await t.rt.accounts.findByEmail('dan@example.com'))!.displayName, 'Dan Reader');
  });

  test('next only leads to paths on network hosts', async () => {
    const c = new Client(t.app);
    const creds = await reader('eve@example.com', 'Eve Reader');
    const page = await c.get(`${NEWS}/account/login`);
    const tryNext = async (next: string) => {
      const r = await c.post(`${NEWS}/account/login`, { csrf: csrfOf(page.body), ...creds, next });
      return decodeURIComponent(String(r.headers.location).replace('/account/hop/start?next=', ''));
    };
    assert.equal(await tryNext('/world?page=2'), `${NEWS}/world?page=2`);
    assert.equal(await tryNext(`${LIFE}/food`), `${LIFE}/food`);
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      'http://news.localhost.evil.example:3000/',
      'http://user@news.localhost:3000/',
      `http://life.localhost:9999/`,
    ]) {
      assert.equal(await tryNext(bad), `${NEWS}/`, bad);
    }
  });

  test('forms keep what was typed, never the password, and say what is wrong', async () => {
    const c = new Client(t.app);
    const r = await c.submit(`${NEWS}/account/register`, '/account/register', {
      email: 'new@example.com',
      displayName: 'Ok\u202eName',
      password: 'hunter2-secret',
    });
    assert.equal(r.status, 400);
    assert.match(r.body, /value="new@example.com"/);
    assert.doesNotMatch(r.body, /hunter2-secret/);
    assert.match(r.body, /invisible or control characters/);
    assert.match(r.body, /aria-invalid="true"/);
    const { email } = await reader('fay@example.com', 'Fay Reader');
    const login = await c.submit(`${NEWS}/account/login`, '/account/login', {
      email,
      password: 'wrong-password-here',
    });
    assert.equal(login.status, 401);
    assert.match(login.body, /value="fay@example.com"/);
    assert.doesNotMatch(login.body, /wrong-password-here/);
  });

  test('forgot → reset by mail, over HTTP; the link is single use and the old sessions end', async () => {
    const c = new Client(t.app);
    await signIn(c, await reader('gus@example.com', 'Gus Reader'));
    const d = new Client(t.app);
    const sent = await d.submit(`${NEWS}/account/forgot`, '/account/forgot', { email: 'gus@example.com' });
    assert.match(sent.body, /Check your email/);
    const unknown = await d.submit(`${NEWS}/account/forgot`, '/account/forgot', {
      email: 'nobody@example.com',
    });
    assert.equal(
      unknown.body.replace(/nobody@example.com/g, 'X').replace(/name="csrf" value="[^"]+"/, ''),
      sent.body.replace(/gus@example.com/g, 'X').replace(/name="csrf" value="[^"]+"/, ''),
    );
    const [mail] = (await mailTo('gus@example.com')).filter((m) => m.kind === 'reset');
    const link = linkIn(mail!.text, '/account/reset?t=');
    const form = await d.get(link);
    assert.equal(form.headers['referrer-policy'], 'same-origin');
    const token = new URL(link).searchParams.get('t')!;
    const done = await d.post(`${NEWS}/account/reset`, {
      csrf: csrfOf(form.body),
      t: token,
      password: 'a-fresh-passphrase',
    });
    assert.equal(done.headers.location, '/account/login?m=reset');
    const replay = await d.get(link);
    assert.equal(replay.status, 400);
    assert.match(replay.body, /Link not valid/);
    const old = await c.get(`${NEWS}/account`);
    assert.equal(old.status, 303, 'the earlier session ended');
    const back = await d.submit(`${NEWS}/account/login`, '/account/login', {
      email: 'gus@example.com',
      password: 'a-fresh-passphrase',
    });
    assert.equal(back.status, 303);
  });

  test('log out ends the sign-in on every site; headers stay strict', async () => {
    const c = new Client(t.app);
    await signIn(c, await reader('hal@example.com', 'Hal Reader'));
    assert.match((await c.get(`${LIFE}/`)).body, /Hal Reader/);
    const account = await c.get(`${NEWS}/account`);
    assert.match(String(account.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(account.headers['x-content-type-options'], 'nosniff');
    assert.match(String(account.headers['cache-control']), /no-store/);
    assert.match(String(account.headers['set-cookie'] ?? ''), /^$/);
    const out = await c.post(`${NEWS}/account/logout`, { csrf: csrfOf(account.body) });
    assert.equal(out.status, 303);
    assert.match(
      String(out.headers['set-cookie']),
      /dl_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax/,
    );
    const sister = await c.get(`${LIFE}/`);
    assert.doesNotMatch(sister.body, /Hal Reader/);
    assert.match(String(sister.headers['set-cookie']), /dl_session=;/, 'the dead cookie is cleared');
  });

  test('download my data, and delete the account', async () => {
    const c = new Client(t.app);
    await signIn(c, await reader('ivy@example.com', 'Ivy Reader', 'a-fresh-passphrase'));
    const data = await c.get(`${NEWS}/account/data.json`);
    assert.match(String(data.headers['content-disposition']), /attachment/);
    assert.equal(JSON.parse(data.body).account.email, 'ivy@example.com');
    const page = await c.get(`${NEWS}/account`);
    const wrong = await c.post(`${NEWS}/account/delete`, {
      csrf: csrfOf(page.body),
      confirm: 'delete',
      password: 'nope',
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /value="delete"/);
    const gone = await c.post(`${NEWS}/account/delete`, {
      csrf: csrfOf(page.body),
      confirm: 'delete',
      password: 'a-fresh-passphrase',
    });
    assert.equal(gone.status, 200);
    assert.match(gone.body, /Your account is deleted/);
    assert.equal(await t.rt.accounts.findByEmail('ivy@example.com'), null);
    assert.equal((await c.get(`${LIFE}/account`)).status, 303);
  });
});

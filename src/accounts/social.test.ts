import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import {
  Client,
  csrfOf,
  FAST_ARGON2,
  linkIn,
  oidcLogin,
  startOAuth2Provider,
  startOidcProvider,
} from './testing.ts';

const NEWS = 'http://news.localhost:3000';
const LIFE = 'http://life.localhost:3000';
const PW = 'velvet-harbour-lantern';

describeEachDialect('social and single sign-on', (ctx) => {
  let t: TestApp;
  let op: Awaited<ReturnType<typeof startOidcProvider>>;
  let fb: Awaited<ReturnType<typeof startOAuth2Provider>>;

  before(async () => {
    op = await startOidcProvider({
      alice: { sub: 'alice-sub', email: 'alice@example.com', email_verified: true, name: 'Alice Social' },
      bob: { sub: 'bob-sub', email: 'bob@example.com', email_verified: true, name: 'Bob Social' },
      mallory: { sub: 'mallory-sub', email: 'victim@example.com', email_verified: false, name: 'Mallory' },
    });
    fb = await startOAuth2Provider({
      carol: { id: '1001', name: 'Carol Facebook', email: 'carol@example.com' },
      dan: { id: '1002', name: 'Dan Facebook', email: 'dan@example.com' },
    });
    const providers = [
      {
        kind: 'oidc',
        id: 'oidc',
        name: 'Test ID',
        issuer: op.issuer,
        clientId: op.clientId,
        clientSecret: op.clientSecret,
      },
      fb.config,
    ];
    t = await startTestApp(ctx.db, { ...FAST_ARGON2, DATELINE_AUTH_PROVIDERS: JSON.stringify(providers) });
    await newsSite(t.rt, 'news');
    await t.rt.sites.create({ slug: 'life', name: 'Lifestyle Daily', hosts: ['life.localhost'] });
    await t.rt.directory.load();
  });
  after(async () => {
    await t.close();
    await op.close();
    await fb.close();
  });

  const outbox = async (to: string) => {
    await t.rt.jobs.drain();
    return t.rt.mail.outbox({ to });
  };

  async function oidcSignIn(c: Client, login: string, next = '/world') {
    const start = await c.get(`${NEWS}/account/oauth/oidc/start?next=${encodeURIComponent(next)}`);
    assert.equal(start.status, 302);
    const authorize = new URL(String(start.headers.location));
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('nonce') && authorize.searchParams.get('state'));
    return oidcLogin(c, authorize.href, login);
  }

  test('OIDC: a new reader gets an account, is signed in on every site, and is invited (not subscribed) to news alerts', async () => {
    const c = new Client(t.app);
    const back = await oidcSignIn(c, 'alice');
    const landed = await c.follow(back);
    assert.equal(landed.url, `${NEWS}/world`);
    assert.ok(c.cookie('news.localhost:3000', 'dl_session') && c.cookie('life.localhost:3000', 'dl_session'));
    assert.match((await c.get(`${LIFE}/`)).body, /Alice Social/);
    const user = (await t.rt.accounts.findByEmail('alice@example.com'))!;
    assert.equal(user.emailVerified, true);
    assert.equal(user.hasPassword, false);
    assert.equal(user.newsAlertsConfirmedAt, null);
    const invites = (await outbox('alice@example.com')).filter((m) => m.kind === 'news-alerts-invite');
    assert.equal(invites.length, 1);
    const confirm = await c.get(linkIn(invites[0]!.text, '/account/news-alerts?t='));
    const token = new URL(linkIn(invites[0]!.text, '/account/news-alerts?t=')).searchParams.get('t')!;
    const done = await c.post(`${NEWS}/account/news-alerts`, { csrf: csrfOf(confirm.body), t: token });
    assert.equal(done.status, 200);
    assert.ok((await t.rt.accounts.findByEmail('alice@example.com'))!.newsAlertsConfirmedAt);
    // Signing in again with the same identity reuses the account and sends no second invitation.
    const again = new Client(t.app);
    await again.follow(await oidcSignIn(again, 'alice'));
    assert.equal(
      (await outbox('alice@example.com')).filter((m) => m.kind === 'news-alerts-invite').length,
      1,
    );
    // The last way to sign in cannot be unlinked.
    const [identity] = await t.rt.social.identities(user.id);
    const account = await c.get(`${NEWS}/account`);
    const refused = await c.post(`${NEWS}/account/logins/${identity!.id}/unlink`, {
      csrf: csrfOf(account.body),
    });
    assert.equal(refused.status, 409);
    assert.match(refused.body, /only way to sign in/);
  });

  test('OIDC: a verified email matching an account links only after the reader signs in to that account', async () => {
    await t.rt.accounts.createUser({ email: 'bob@example.com', displayName: 'Bob', password: PW });
    const c = new Client(t.app);
    const back = await oidcSignIn(c, 'bob');
    assert.equal(back.status, 303);
    assert.match(String(back.headers.location), /^\/account\/login\?link=1/);
    assert.equal(
      c.cookie('news.localhost:3000', 'dl_session'),
      undefined,
      'not signed in by the matching email alone',
    );
    const user = (await t.rt.accounts.findByEmail('bob@example.com'))!;
    assert.equal((await t.rt.social.identities(user.id)).length, 0);
    const loginPage = await c.get(`${NEWS}${back.headers.location}`);
    assert.match(loginPage.body, /Log in to your account to link the two/);
    const signedIn = await c.follow(
      await c.post(`${NEWS}/account/login`, {
        csrf: csrfOf(loginPage.body),
        email: 'bob@example.com',
        password: PW,
      }),
    );
    assert.match(signedIn.body, /The login is linked to your account/);
    assert.deepEqual(
      (await t.rt.social.identities(user.id)).map((i) => i.provider),
      ['oidc'],
    );
    // From now on the OIDC login signs in to Bob's account directly.
    const other = new Client(t.app);
    await other.follow(await oidcSignIn(other, 'bob'));
    assert.match((await other.get(`${NEWS}/account`)).body, /bob@example\.com/);
    // With a password as well, the linked login can be unlinked.
    const [identity] = await t.rt.social.identities(user.id);
    const page = await other.get(`${NEWS}/account`);
    const unlinked = await other.post(`${NEWS}/account/logins/${identity!.id}/unlink`, {
      csrf: csrfOf(page.body),
    });
    assert.equal(unlinked.status, 303);
    assert.equal((await t.rt.social.identities(user.id)).length, 0);
  });

  test('OIDC: an unverified email matching an account is refused; tampered and replayed callbacks change nothing', async () => {
    await t.rt.accounts.createUser({ email: 'victim@example.com', displayName: 'Victim', password: PW });
    const c = new Client(t.app);
    const back = await oidcSignIn(c, 'mallory');
    assert.equal(back.status, 409);
    assert.equal(c.cookie('news.localhost:3000', 'dl_session'), undefined);

    const d = new Client(t.app);
    const start = await d.get(`${NEWS}/account/oauth/oidc/start`);
    const authorize = new URL(String(start.headers.location));
    const state = authorize.searchParams.get('state')!;
    const forged = await d.get(
      `${NEWS}/account/oauth/oidc/callback?code=made-up&state=${state.slice(0, -3)}abc`,
    );
    assert.equal(forged.status, 400);
    // A callback from a flow started in another browser (login CSRF) is refused too.
    const e = new Client(t.app);
    const elsewhere = await e.get(`${NEWS}/account/oauth/oidc/callback?code=made-up&state=${state}`);
    assert.equal(elsewhere.status, 400);
    assert.equal(e.cookie('news.localhost:3000', 'dl_session'), undefined);
  });

  test('Facebook-style OAuth2: code flow with state and PKCE, profile from the user-info endpoint', async () => {
    const c = new Client(t.app);
    const start = await c.get(`${NEWS}/account/oauth/facebook/start?next=/`);
    const authorize = new URL(String(start.headers.location));
    assert.equal(authorize.origin, fb.base);
    assert.equal(authorize.searchParams.get('scope'), 'email,public_profile');
    assert.ok(authorize.searchParams.get('code_challenge'));
    authorize.searchParams.set('as', 'carol');
    const stateCookie = c.cookie('news.localhost:3000', 'dl_oauth')!;
    assert.equal(stateCookie, authorize.searchParams.get('state'));
    const back = await c.get(authorize.href);
    const callback = await c.get(String(back.headers.location));
    const landed = await c.follow(callback);
    assert.equal(landed.url, `${NEWS}/`);
    assert.match(landed.body, /Carol Facebook/);
    const user = (await t.rt.accounts.findByEmail('carol@example.com'))!;
    assert.deepEqual(
      (await t.rt.social.identities(user.id)).map((i) => [i.provider, i.subject]),
      [['facebook', '1001']],
    );
    assert.equal(
      (await outbox('carol@example.com')).filter((m) => m.kind === 'news-alerts-invite').length,
      1,
    );
    // Replaying the same callback (code and state already used) is refused and signs no one in.
    const replay = new Client(t.app);
    const replayed = await replay.get(String(back.headers.location));
    assert.equal(replayed.status, 400);
    // Even with the state cookie as well, as the browser that began the flow (or a thief of both) would
    // send it: the state was used up, so the flow ends before the provider is asked for a token again.
    const tokenRequests = fb.seen.tokenRequests;
    const withCookie = new Client(t.app);
    withCookie.jar.set('news.localhost:3000', new Map([['dl_oauth', stateCookie]]));
    const replayedWithCookie = await withCookie.get(String(back.headers.location));
    assert.equal(replayedWithCookie.status, 400);
    assert.match(replayedWithCookie.body, /Link not valid/);
    assert.equal(fb.seen.tokenRequests, tokenRequests, 'the provider is not asked again');
    assert.equal(withCookie.cookie('news.localhost:3000', 'dl_session'), undefined);
  });

  test('a signed-in reader links another login from My account', async () => {
    await t.rt.accounts.createUser({ email: 'erin@example.com', displayName: 'Erin', password: PW });
    const c = new Client(t.app);
    await c.follow(
      await c.submit(`${NEWS}/account/login`, '/account/login', { email: 'erin@example.com', password: PW }),
    );
    const start = await c.get(`${NEWS}/account/oauth/facebook/start?link=1`);
    const authorize = new URL(String(start.headers.location));
    authorize.searchParams.set('as', 'dan');
    const back = await c.get(authorize.href);
    const linked = await c.get(String(back.headers.location));
    assert.equal(linked.headers.location, '/account?m=linked');
    const erin = (await t.rt.accounts.findByEmail('erin@example.com'))!;
    assert.deepEqual(
      (await t.rt.social.identities(erin.id)).map((i) => i.subject),
      ['1002'],
    );
    // Linking needs a session: anonymous link requests go to the sign-in page.
    const anon = new Client(t.app);
    const refused = await anon.get(`${NEWS}/account/oauth/facebook/start?link=1`);
    assert.match(String(refused.headers.location), /^\/account\/login/);
  });
});

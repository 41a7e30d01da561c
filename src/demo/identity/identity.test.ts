import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2, linkIn } from '../../accounts/testing.ts';
import { buildDemoNetwork } from '../content/index.ts';
import { DEMO_IDENTITIES, typedIdentity } from './identities.ts';
import { DEMO_SITE_SLUGS, demoIdentityEnabled } from './mode.ts';

const NEWS = 'http://news.localhost:3000';
const LIFE = 'http://life.localhost:3000';
const ID = 'http://id.localhost:3000';

/** From a site's sign-in page through the demo provider's picker, back to the site's callback. */
async function startDemoSignIn(c: Client, next = '/world') {
  const login = await c.get(`${NEWS}/account/login?next=${encodeURIComponent(next)}`);
  const href = /href="([^"]*\/account\/oauth\/demo-id\/start[^"]*)"/.exec(login.body)?.[1];
  assert.ok(href, 'the sign-in page offers the demo provider');
  assert.match(login.body, /Continue with Demo ID/);
  const start = await c.get(new URL(href.replace(/&amp;/g, '&'), `${NEWS}/`).href);
  assert.equal(start.status, 302);
  const authorize = new URL(String(start.headers.location));
  assert.equal(authorize.origin, ID);
  // The provider asks for an identity on its own page.
  let r = await c.get(authorize.href);
  while (r.status >= 300 && r.status < 400) r = await c.get(new URL(String(r.headers.location), r.url).href);
  assert.equal(r.status, 200);
  assert.match(r.body, /Demo sign-in — not a real identity provider/);
  const action = /<form method="post" action="([^"]+)"/.exec(r.body)?.[1];
  assert.ok(action);
  return { page: r, action: new URL(action, r.url).href };
}

/** Submits the picker and follows the provider's redirects until they reach the site's callback. */
async function pick(c: Client, action: string, form: Record<string, string>) {
  let r = await c.post(action, form);
  for (let i = 0; i < 10 && r.status >= 300 && r.status < 400; i++) {
    const loc = new URL(String(r.headers.location), r.url);
    r = await c.get(loc.href);
    if (loc.pathname === '/account/oauth/demo-id/callback') return r;
  }
  return r;
}

test('the demo mode check: on only for the demo sites, never in production or with DATELINE_DEMO=false', () => {
  const dir = (slug: string, host: string) => ({
    all: () => [{ site: { slug, hosts: [host] } }] as never,
  });
  const dev = { demoOnEmpty: true, nodeEnv: 'development' as const, adminHost: 'admin.localhost' };
  assert.equal(demoIdentityEnabled(dev, dir('news', 'news.localhost')), true);
  assert.equal(demoIdentityEnabled({ ...dev, nodeEnv: 'production' }, dir('news', 'news.localhost')), false);
  assert.equal(demoIdentityEnabled({ ...dev, demoOnEmpty: false }, dir('news', 'news.localhost')), false);
  assert.equal(demoIdentityEnabled(dev, dir('news', 'news.example.com')), false);
  assert.equal(demoIdentityEnabled(dev, dir('herald', 'herald.localhost')), false);
  // The list of demo slugs is the demo network's.
  assert.deepEqual(
    buildDemoNetwork({ articlesPerSite: 0 }).map((s) => s.slug),
    [...DEMO_SITE_SLUGS],
  );
});

test('typed addresses: checked, lower-cased, and the same address is the same subject', () => {
  assert.equal(typedIdentity('not an address', ''), null);
  assert.equal(typedIdentity('a@b', ''), null);
  const one = typedIdentity('  Maria.Silva@Example.com ', '')!;
  assert.equal(one.email, 'maria.silva@example.com');
  assert.equal(one.name, 'Maria Silva');
  assert.equal(typedIdentity('maria.silva@example.com', 'M. S.')!.sub, one.sub);
  assert.notEqual(typedIdentity('other@example.com', '')!.sub, one.sub);
});

describeEachDialect('the demo identity provider', (ctx) => {
  describe('outside demo mode', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(ctx.db, FAST_ARGON2);
      // The demo's sites, made here: demo mode is decided when the server is built, from the sites it finds.
      await newsSite(t.rt, 'news');
      await t.rt.sites.create({ slug: 'life', name: 'Lifestyle Daily', hosts: ['life.localhost'] });
    });
    after(async () => {
      await t.close();
    });

    test('there is no provider at id.localhost and no Demo ID button', async () => {
      const c = new Client(t.app);
      const discovery = await c.get(`${ID}/.well-known/openid-configuration`);
      assert.equal(discovery.status, 404);
      assert.equal((await c.get(`${ID}/sign-in/abc`)).status, 404);
      assert.doesNotMatch((await c.get(`${NEWS}/account/login`)).body, /Demo ID/);
      assert.equal((await c.get(`${NEWS}/account/oauth/demo-id/start`)).status, 404);
    });
  });

  describe('in demo mode', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(ctx.db, { ...FAST_ARGON2, DATELINE_DEMO: 'true' });
    });
    after(async () => {
      await t.close();
    });
    const outbox = async (to: string) => {
      await t.rt.jobs.drain();
      return t.rt.mail.outbox({ to });
    };

    test('the provider answers at its own host only, and says it is a demo', async () => {
      const c = new Client(t.app);
      const discovery = await c.get(`${ID}/.well-known/openid-configuration`);
      assert.equal(discovery.status, 200);
      assert.equal(JSON.parse(discovery.body).issuer, ID);
      // A site path at the provider's host is not the site's page, and the provider's paths are no site's.
      assert.notEqual((await c.get(`${ID}/account/login`)).status, 200);
      assert.equal((await c.get(`${NEWS}/.well-known/openid-configuration`)).status, 404);
      assert.match((await c.get(`${ID}/`)).body, /Demo sign-in — not a real identity provider/);
    });

    test('picking a demo reader creates the account, signs in on every site and mails the news-alert invitation', async () => {
      const c = new Client(t.app);
      const { page, action } = await startDemoSignIn(c);
      assert.match(page.body, /Example Times/, 'the picker names the site asking');
      const ada = DEMO_IDENTITIES[0]!;
      const back = await pick(c, action, { identity: ada.sub });
      const landed = await c.follow(back);
      assert.equal(landed.url, `${NEWS}/world`);
      assert.match((await c.get(`${LIFE}/`)).body, new RegExp(ada.name));
      const user = (await t.rt.accounts.findByEmail(ada.email))!;
      assert.equal(user.emailVerified, true);
      assert.equal(user.hasPassword, false);
      assert.deepEqual(
        (await t.rt.social.identities(user.id)).map((i) => [i.provider, i.subject]),
        [['demo-id', ada.sub]],
      );
      const invites = (await outbox(ada.email)).filter((m) => m.kind === 'news-alerts-invite');
      assert.equal(invites.length, 1);
      const link = linkIn(invites[0]!.text, '/account/news-alerts?t=');
      const confirm = await c.get(link);
      const done = await c.post(`${NEWS}/account/news-alerts`, {
        csrf: csrfOf(confirm.body),
        t: new URL(link).searchParams.get('t')!,
      });
      assert.equal(done.status, 200);
      assert.ok((await t.rt.accounts.findByEmail(ada.email))!.newsAlertsConfirmedAt);
    });

    test('any typed address works; a bad one is refused with its code; the picker asks every time', async () => {
      const c = new Client(t.app);
      const first = await startDemoSignIn(c, '/');
      const bad = await c.post(first.action, { email: 'nobody', name: '' });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /data-code="DATELINE_ERR_ACCOUNT_INVALID"/);
      await c.follow(await pick(c, first.action, { email: 'New.Reader@Example.org', name: 'Nora Reader' }));
      const nora = (await t.rt.accounts.findByEmail('new.reader@example.org'))!;
      assert.equal(nora.displayName, 'Nora Reader');
      // Signing in again in the same browser shows the picker again, so another reader can be tried.
      await c.post(`${NEWS}/account/logout`, { csrf: csrfOf((await c.get(`${NEWS}/account`)).body) });
      const second = await startDemoSignIn(c, '/');
      await c.follow(await pick(c, second.action, { identity: DEMO_IDENTITIES[1]!.sub }));
      assert.match((await c.get(`${NEWS}/account`)).body, new RegExp(DEMO_IDENTITIES[1]!.email));
    });

    test('the picker refuses a post from another site and an interaction this browser did not start', async () => {
      const c = new Client(t.app);
      const { action } = await startDemoSignIn(c);
      const forged = await c.request('POST', action, {
        form: { identity: DEMO_IDENTITIES[2]!.sub },
        headers: { origin: 'http://evil.localhost:3000', 'sec-fetch-site': 'cross-site' },
      });
      assert.equal(forged.status, 403);
      assert.match(forged.body, /DATELINE_ERR_CSRF_REJECTED/);
      const stranger = new Client(t.app);
      const stale = await stranger.post(action, { identity: DEMO_IDENTITIES[2]!.sub });
      assert.equal(stale.status, 400);
      assert.match(stale.body, /DATELINE_ERR_TOKEN_INVALID/);
      assert.equal(await t.rt.accounts.findByEmail(DEMO_IDENTITIES[2]!.email), null);
    });
  });
});

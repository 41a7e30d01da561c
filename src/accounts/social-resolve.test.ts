// What a returning social identity means, decided by SocialService without a provider in the loop: the
// state checks a callback passes before any provider is asked (this browser, this provider, this site,
// no provider error), then known identities, linking, an email that matches an existing account, new
// accounts and their names, the pending link, and unlinking that keeps one way to sign in.
// social.test.ts runs the same paths through real OIDC and OAuth 2 providers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import type { SocialProfile } from './providers.ts';
import { FAST_ARGON2 } from './testing.ts';
import { issueToken, peekToken } from './tokens.ts';

const NEWS = 'http://news.localhost:3000';
const code = (name: Parameters<typeof isDatelineError>[1]) => (e: unknown) => isDatelineError(e, name);

describeEachDialect('social sign-in decisions', (ctx) => {
  let t: TestApp;
  let siteId: number;
  let n = 0;
  const req = () => ({ ip: '192.0.2.7', userAgent: 'test', siteId, origin: NEWS });

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    siteId = (await newsSite(t.rt, 'news')).site.id;
  });
  after(() => t.close());

  const profile = (over: Partial<SocialProfile> = {}): SocialProfile => {
    n += 1;
    return {
      provider: 'test',
      subject: `subject-${n}`,
      email: null,
      emailVerified: false,
      name: 'Sam Social',
      ...over,
    };
  };
  async function user(over: { email?: string; password?: boolean } = {}): Promise<number> {
    n += 1;
    const row = await ctx.db.kysely
      .insertInto('users')
      .values({
        email: over.email ?? `social-${n}@example.com`,
        email_verified_at: null,
        display_name: `Member ${n}`,
        profile_slug: `social-member-${n}`,
        avatar_media_id: null,
        password_hash: over.password ? '$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g' : null,
        status: 'active',
        news_alerts_invited_at: null,
        news_alerts_confirmed_at: null,
        deleted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const identities = (userId: number) => t.rt.social.identities(userId);
  const resolve = (p: SocialProfile, linkUserId: number | null = null) =>
    t.rt.social.resolve(p, { linkUserId, next: '/next' }, req());

  async function stateFor(provider: string, site: number | null) {
    const data = { provider, nonce: 'n', verifier: 'v', next: '/', linkUserId: null, redirectUri: 'x' };
    return issueToken(ctx.db.kysely, 'oauth_state', { siteId: site, data });
  }
  const callback = (state: string | null, extra = '') =>
    new URL(`${NEWS}/account/oauth/test/callback?code=c${state === null ? '' : `&state=${state}`}${extra}`);

  test('a callback must come back to this browser, for the provider and site it started with', async () => {
    const state = await stateFor('test', siteId);
    const finish = (url: URL, cookie: string | undefined, provider = 'test', ctxSite = siteId) =>
      t.rt.social.finish(provider, url, cookie, { ...req(), siteId: ctxSite });
    await assert.rejects(finish(callback(state), undefined), code('TOKEN_INVALID'), 'no state cookie');
    await assert.rejects(finish(callback(state), `${state}x`), code('TOKEN_INVALID'), 'another browser');
    await assert.rejects(finish(callback(null), state), code('TOKEN_INVALID'), 'no state in the callback');
    // The state was not used by the refusals above: it still works once.
    assert.ok(await peekToken(ctx.db.kysely, state, 'oauth_state'));

    await assert.rejects(finish(callback(state), state, 'other'), code('TOKEN_INVALID'), 'another provider');
    await assert.rejects(finish(callback(state), state), code('TOKEN_INVALID'), 'used up by that attempt');

    const elsewhere = await stateFor('test', siteId);
    await assert.rejects(finish(callback(elsewhere), elsewhere, 'test', siteId + 999), code('TOKEN_INVALID'));

    const refused = await stateFor('test', siteId);
    await assert.rejects(
      finish(callback(refused, '&error=access_denied'), refused),
      code('PROVIDER_FAILED'),
      'the provider reported an error',
    );
  });

  test('a known identity signs its account in, or is linked again to the same account only', async () => {
    const owner = await user();
    const p = profile();
    assert.deepEqual(await resolve(p, owner), {
      kind: 'linked',
      userId: owner,
      provider: 'test',
      next: '/next',
    });
    assert.equal((await identities(owner)).length, 1);
    assert.deepEqual(await resolve(p, owner), {
      kind: 'linked',
      userId: owner,
      provider: 'test',
      next: '/next',
    });
    assert.equal((await identities(owner)).length, 1, 'linked once');

    const someoneElse = await user();
    await assert.rejects(resolve(p, someoneElse), code('IDENTITY_TAKEN'));

    const signedIn = await resolve(p);
    assert.equal(signedIn.kind, 'signed-in');
    assert.equal(signedIn.kind === 'signed-in' && signedIn.created, false);
    assert.equal(signedIn.next, '/next');
    const session = signedIn.kind === 'signed-in' ? signedIn.signedIn : null;
    assert.equal(
      (await t.rt.accounts.sessions.lookup(session!.token, siteId, { fresh: true }))?.userId,
      owner,
    );
  });

  test('an email that matches an account: refused when unverified, linked only after that account signs in', async () => {
    const email = `owner-${n}@example.com`;
    const owner = await user({ email });
    await assert.rejects(resolve(profile({ email, emailVerified: false })), code('ACCOUNT_EXISTS'));
    const p = profile({ email, emailVerified: true });
    const pending = await resolve(p);
    assert.equal(pending.kind, 'pending-link');
    assert.equal((await identities(owner)).length, 0, 'nothing linked yet');
    const token = pending.kind === 'pending-link' ? pending.token : '';
    assert.equal(await t.rt.social.completePendingLink(token, await user()), null, 'another account');
    assert.equal(await t.rt.social.completePendingLink(token, owner), null, 'the token was used up');

    const again = await resolve(p);
    const second = again.kind === 'pending-link' ? again.token : '';
    assert.equal(await t.rt.social.completePendingLink('not-a-token', owner), null);
    assert.equal(await t.rt.social.completePendingLink(second, owner), 'test');
    const linked = await identities(owner);
    assert.equal(linked.length, 1);
    assert.equal(linked[0]?.provider, 'test');
  });

  test('a pending link for a login someone else has linked meanwhile is refused', async () => {
    const email = `race-${n}@example.com`;
    const owner = await user({ email });
    const p = profile({ email, emailVerified: true });
    const pending = await resolve(p);
    await resolve(p, await user());
    const token = pending.kind === 'pending-link' ? pending.token : '';
    await assert.rejects(t.rt.social.completePendingLink(token, owner), code('IDENTITY_TAKEN'));
  });

  test('a new reader gets an account: the provider’s name when usable, a verified email kept and invited', async () => {
    const email = `new-${n}@example.com`;
    const created = await resolve(profile({ email, emailVerified: true, name: 'Nora Newcomer' }));
    assert.equal(created.kind, 'signed-in');
    assert.equal(created.kind === 'signed-in' && created.created, true);
    const row = await t.rt.accounts.findByEmail(email);
    assert.equal(row?.displayName, 'Nora Newcomer');
    assert.equal(row?.emailVerified, true);
    await t.rt.jobs.drain();
    assert.equal((await t.rt.mail.outbox({ to: email })).length, 1, 'invited to news alerts');

    for (const name of [null, '', '   ']) {
      const p = profile({ name, email: `unverified-${n}@example.com`, emailVerified: false });
      const r = await resolve(p);
      assert.equal(r.kind, 'signed-in');
      const userId = r.kind === 'signed-in' ? r.signedIn.user.id : 0;
      const u = await ctx.db.kysely
        .selectFrom('users')
        .select(['display_name', 'email'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      assert.match(u.display_name, /^Reader [1-9]\d{3}$/, String(name));
      assert.equal(u.email, null, 'an unverified address is not kept');
    }
  });

  test('unlinking keeps at least one way to sign in', async () => {
    const lone = await user();
    await resolve(profile(), lone);
    const [only] = await identities(lone);
    await assert.rejects(t.rt.social.unlink(lone, only!.id), code('LAST_SIGN_IN_METHOD'));
    await assert.rejects(t.rt.social.unlink(await user(), only!.id), code('NOT_FOUND'), 'not theirs');

    const withPassword = await user({ password: true });
    await resolve(profile(), withPassword);
    const [one] = await identities(withPassword);
    await t.rt.social.unlink(withPassword, one!.id);
    assert.equal((await identities(withPassword)).length, 0);

    const two = await user();
    await resolve(profile(), two);
    await resolve(profile(), two);
    const [first] = await identities(two);
    await t.rt.social.unlink(two, first!.id);
    assert.equal((await identities(two)).length, 1);
  });
});

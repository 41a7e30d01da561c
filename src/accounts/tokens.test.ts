// Single-use tokens on their own: each purpose's lifetime to the second, refusal (never a crash) of a
// token that is not a string, one winner when two requests race with the same token, revocation of an
// account's unused links, and housekeeping that keeps recently expired tokens a day longer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import type { Db } from '../db/connection.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { hashSecret } from './secrets.ts';
import type { TokenPurpose } from './tables.ts';
import {
  consumeToken,
  issueToken,
  peekToken,
  pruneTokens,
  revokeTokens,
  TOKEN_TTL_SECONDS,
} from './tokens.ts';

const T0 = new Date('2026-03-01T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const invalid = (e: unknown) => isDatelineError(e, 'TOKEN_INVALID');

let users = 0;
async function newUser(db: Db): Promise<number> {
  users += 1;
  const row = await db.kysely
    .insertInto('users')
    .values({
      email: `tokens-${users}@example.com`,
      email_verified_at: null,
      display_name: `Reader ${users}`,
      profile_slug: `tokens-reader-${users}`,
      avatar_media_id: null,
      password_hash: null,
      status: 'active',
      news_alerts_invited_at: null,
      news_alerts_confirmed_at: null,
      deleted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describeEachDialect('single-use tokens', (ctx) => {
  test('each purpose lives exactly its lifetime', async () => {
    const lifetimes: Record<TokenPurpose, number> = {
      verify_email: 48 * 3600,
      reset_password: 3600,
      change_email: 24 * 3600,
      hop: 120,
      oauth_state: 600,
      pending_link: 900,
      news_alerts: 30 * 24 * 3600,
      admin_setup: 24 * 3600,
      staff_pending: 600,
    };
    assert.deepEqual(TOKEN_TTL_SECONDS, lifetimes);
    for (const [purpose, seconds] of Object.entries(lifetimes) as [TokenPurpose, number][]) {
      const token = await issueToken(ctx.db.kysely, purpose, { data: { p: purpose } }, T0);
      const rec = await peekToken(ctx.db.kysely, token, purpose, at(seconds * 1000 - 1));
      assert.equal(rec.expiresAt.getTime(), at(seconds * 1000).getTime(), purpose);
      await assert.rejects(peekToken(ctx.db.kysely, token, purpose, at(seconds * 1000)), invalid, purpose);
    }
  });

  test('a token that is not a string, or not of the right form, is refused as invalid', async () => {
    const token = await issueToken(ctx.db.kysely, 'verify_email', {}, T0);
    for (const bad of [undefined, null, 12345, [token], { token }, '', 'short', `${token}!`, `!${token}`]) {
      await assert.rejects(peekToken(ctx.db.kysely, bad, 'verify_email', T0), invalid, JSON.stringify(bad));
      await assert.rejects(
        consumeToken(ctx.db.kysely, bad, 'verify_email', T0),
        invalid,
        JSON.stringify(bad),
      );
    }
    await assert.rejects(peekToken(ctx.db.kysely, token, 'reset_password', T0), invalid, 'another purpose');
    assert.ok(await consumeToken(ctx.db.kysely, token, 'verify_email', T0));
  });

  test('two requests racing with the same token: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const token = await issueToken(ctx.db.kysely, 'reset_password', {}, T0);
      const outcomes = await Promise.allSettled([
        consumeToken(ctx.db.kysely, token, 'reset_password', T0),
        consumeToken(ctx.db.kysely, token, 'reset_password', T0),
      ]);
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      const lost = outcomes.find((o) => o.status === 'rejected');
      assert.ok(lost && invalid(lost.reason));
    }
  });

  test('revoking ends the unused tokens of the named purposes for that account only', async () => {
    const me = await newUser(ctx.db);
    const other = await newUser(ctx.db);
    const reset = await issueToken(ctx.db.kysely, 'reset_password', { userId: me }, T0);
    const change = await issueToken(ctx.db.kysely, 'change_email', { userId: me }, T0);
    const verify = await issueToken(ctx.db.kysely, 'verify_email', { userId: me }, T0);
    const theirs = await issueToken(ctx.db.kysely, 'reset_password', { userId: other }, T0);
    await revokeTokens(ctx.db.kysely, me, ['reset_password', 'change_email'], T0);
    await assert.rejects(peekToken(ctx.db.kysely, reset, 'reset_password', T0), invalid);
    await assert.rejects(peekToken(ctx.db.kysely, change, 'change_email', T0), invalid);
    assert.equal((await peekToken(ctx.db.kysely, verify, 'verify_email', T0)).userId, me);
    assert.equal((await peekToken(ctx.db.kysely, theirs, 'reset_password', T0)).userId, other);
  });

  test('housekeeping drops tokens expired a day ago or more and keeps the rest', async () => {
    const hour = 3600 * 1000;
    const old = await issueToken(ctx.db.kysely, 'hop', { ttlSeconds: 1 }, at(-25 * hour));
    const recent = await issueToken(ctx.db.kysely, 'hop', { ttlSeconds: 1 }, at(-23 * hour));
    const live = await issueToken(ctx.db.kysely, 'hop', { ttlSeconds: 3600 }, T0);
    await pruneTokens(ctx.db.kysely, T0);
    const kept = await ctx.db.kysely
      .selectFrom('auth_tokens')
      .select('token_hash')
      .where('token_hash', 'in', [old, recent, live].map(hashSecret))
      .execute();
    assert.deepEqual(kept.map((r) => r.token_hash).sort(), [recent, live].map(hashSecret).sort());
  });
});

// Claiming imported comments, on both databases: verifying the address an export gave merges the unclaimed
// profile into the reader's account in one go (comments moved, placeholder removed, claim recorded, the
// thread's pages dropped); "Claim imported comments" in My account does the same for a reader verified
// before the import (session and CSRF checked); unclaimed profiles can never sign in or be listed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2, linkIn } from '../../accounts/testing.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import type { DomainEvent } from '../../events/bus.ts';
import { importComments } from './importer.ts';
import { emailHashOf, readExport } from './read-export.ts';

const PW = 'velvet-harbour-lantern';
const DISQUS = readFileSync(new URL('./fixtures/disqus-sample.xml', import.meta.url), 'utf8');

describeEachDialect('claiming imported comments', (ctx) => {
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    const seen: DomainEvent[] = [];
    const reqCtx = () => ({
      ip: `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
      userAgent: 'test',
      siteId: s.site.id,
      origin: `http://${s.host}:3000`,
    });
    const authorsOf = async (keys: string[]) =>
      (
        await t.rt.db.kysely
          .selectFrom('comments')
          .select(['import_key', 'author_id'])
          .where('import_source', '=', 'disqus')
          .where('import_key', 'in', keys)
          .execute()
      ).map((r) => r.author_id);

    before(async () => {
      t = await startTestApp(ctx.db, FAST_ARGON2);
      s = await newsSite(t.rt);
      t.rt.bus.on((e) => seen.push(e));
      for (const [section, slug] of [
        [s.world.id, 'harbour-ferry-timetable-changes'],
        [s.business.id, 'old-market-hall-slug'],
      ] as const) {
        await t.rt.articles.create(
          { siteId: s.site.id, sectionId: section, slug, headline: slug, bodyHtml: '<p>x</p>' },
          'test',
        );
      }
      // Rosa had an account, verified, before the comments were imported.
      await t.rt.accounts.createUser({
        email: 'rosa.lindqvist@example.net',
        displayName: 'Rosa L',
        password: PW,
      });
      await importComments(t.rt, readExport(DISQUS), { siteId: s.site.id });
    });
    after(async () => {
      await t.close();
      await t.rt.tail.catchUp();
    });

    test('unclaimed profiles cannot sign in and are not listed as accounts', async () => {
      const placeholders = await t.rt.db.kysely
        .selectFrom('users')
        .select('id')
        .where('status', '=', 'unclaimed')
        .execute();
      assert.equal(placeholders.length, 4);
      await assert.rejects(
        t.rt.db.kysely
          .transaction()
          .execute((trx) => t.rt.accounts.startSession(trx, placeholders[0]!.id, reqCtx())),
        (e) => isDatelineError(e, 'ACCOUNT_DISABLED'),
      );
      const listed = new Set((await t.rt.accounts.list()).map((u) => u.id));
      assert.ok(placeholders.every((p) => !listed.has(p.id)));
    });

    test('verifying the same address claims the profile: comments move, placeholder goes, claim recorded', async () => {
      const [placeholder] = await authorsOf(['70001']);
      const before = seen.length;
      await t.rt.accounts.register(
        { email: 'Sam.Okafor@example.com', displayName: 'Sam O', password: PW },
        reqCtx(),
      );
      await t.rt.jobs.drain();
      const [mail] = await t.rt.mail.outbox({ to: 'sam.okafor@example.com' });
      // Registering alone proves nothing: the profile stays unclaimed until the link is opened.
      assert.deepEqual(new Set(await authorsOf(['70001', '70002', '70005'])), new Set([placeholder]));
      const token = new URL(linkIn(mail!.text, '/account/verify?t=')).searchParams.get('t')!;
      const signed = await t.rt.accounts.verifyEmail(token, reqCtx());
      assert.deepEqual(await authorsOf(['70001', '70002', '70005']), [
        signed.user.id,
        signed.user.id,
        signed.user.id,
      ]);
      const gone = await t.rt.db.kysely
        .selectFrom('users')
        .select('id')
        .where('id', '=', placeholder!)
        .execute();
      assert.equal(gone.length, 0);
      const row = await t.rt.db.kysely
        .selectFrom('comment_import_authors')
        .selectAll()
        .where('email_hash', '=', emailHashOf('sam.okafor@example.com'))
        .executeTakeFirstOrThrow();
      assert.equal(row.user_id, signed.user.id);
      assert.equal(row.claimed_by, signed.user.id);
      assert.ok(row.claimed_at);
      // One event for the one thread Sam wrote in, after the commit.
      const changed = seen.slice(before).filter((e) => e.type === 'comment.changed');
      assert.equal(changed.length, 1);
      // Rosa's and the guests' profiles are untouched.
      assert.equal(
        (await t.rt.db.kysely.selectFrom('users').select('id').where('status', '=', 'unclaimed').execute())
          .length,
        3,
      );
      // Importing again adds nothing, and knows the author as Sam now.
      const again = await importComments(t.rt, readExport(DISQUS), { siteId: s.site.id });
      assert.equal(again.comments.imported, 0);
      assert.equal(again.authors.created, 0);
    });

    test('"Claim imported comments" in My account: session and CSRF checked, then the profile is merged', async () => {
      const rosa = (await t.rt.db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'rosa.lindqvist@example.net')
        .executeTakeFirstOrThrow())!.id;
      const anon = new Client(t.app);
      const out = await anon.post(`http://${s.host}:3000/account/claim-comments`, { csrf: 'x' });
      // Refused without a session (and its token); nothing moves.
      assert.equal(out.status, 403);

      const c = new Client(t.app);
      const login = await c.submit(`http://${s.host}:3000/account/login`, '/account/login', {
        email: 'rosa.lindqvist@example.net',
        password: PW,
      });
      assert.equal(login.status, 303, login.body);
      await c.follow(login);
      const page = await c.get(`http://${s.host}:3000/account`);
      assert.equal(page.status, 200);
      assert.match(page.body, /Claim imported comments/);
      assert.match(page.body, /2 comments/);

      const forged = await c.post(`http://${s.host}:3000/account/claim-comments`, { csrf: 'not-the-token' });
      assert.equal(forged.status, 403);
      assert.notDeepEqual(await authorsOf(['70003', '70007']), [rosa, rosa]);

      const done = await c.post(`http://${s.host}:3000/account/claim-comments`, { csrf: csrfOf(page.body) });
      assert.equal(done.status, 303);
      assert.match(String(done.headers.location), /m=claimed/);
      assert.deepEqual(await authorsOf(['70003', '70007']), [rosa, rosa]);
      const after = await c.get(`http://${s.host}:3000/account?m=claimed`);
      assert.doesNotMatch(after.body, /Claim imported comments<\/button>/);
      assert.match(after.body, /are now yours/);
    });
  });
});

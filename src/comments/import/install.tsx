// Wires claiming into accounts. `installImport` runs once per runtime (runtime.ts): proving an address
// (the registration link, a password reset, an email change, a social sign-up) claims the imported profiles
// written under it, in the same transaction; and My account shows a "Claim imported comments" section when
// some are waiting for the reader's verified address. `importRoutes` runs once per server (web/server.tsx):
// POST /account/claim-comments, checked for session, then CSRF (the account routes' guard), then that the
// reader's own verified address is what is matched (the only permission there is).
import type { FastifyInstance } from 'fastify';
import { accountRouteContext } from '../../accounts/route-context.tsx';
import type { AccountService } from '../../accounts/service.ts';
import type { SocialService } from '../../accounts/social.ts';
import { Csrf } from '../../accounts/views/forms.tsx';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/connection.ts';
import type { Events } from '../../events/log.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import type { SiteHook } from '../../web/request-site.ts';
import { siteOf } from '../../web/request-site.ts';
import { claimableProfiles, claimForVerifiedReader, claimImportedProfiles } from './claim.ts';

export interface ImportRuntime {
  db: Db;
  events: Events;
  accounts: AccountService;
}

export function installImport(rt: ImportRuntime, now: () => Date = () => new Date()): void {
  rt.accounts.onEmailVerified(async (trx, userId, email) => {
    const done = await claimImportedProfiles(trx, rt.events, { userId, email, now: now() });
    return done.publish;
  });
  rt.accounts.pageParts.push(async ({ userId, csrf }) => {
    const user = await rt.accounts.user(userId);
    if (!user?.email || !user.emailVerified) return null;
    const waiting = await claimableProfiles(rt.db.kysely, user.email);
    const comments = waiting.reduce((n, p) => n + p.comments, 0);
    if (waiting.length === 0) return null;
    return (
      <section aria-labelledby="claim-comments">
        <h2 id="claim-comments">Imported comments</h2>
        <p>
          {comments === 1 ? 'One comment' : `${comments} comments`} brought over from this site’s earlier
          comment system {comments === 1 ? 'was' : 'were'} written with your email address. Claim{' '}
          {comments === 1 ? 'it' : 'them'} to show {comments === 1 ? 'it' : 'them'} under your name and on
          your member page.
        </p>
        <form method="post" action="/account/claim-comments">
          <Csrf token={csrf} />
          <button type="submit">Claim imported comments</button>
        </form>
      </section>
    );
  });
}

export function importRoutes(
  app: FastifyInstance,
  deps: {
    rt: ImportRuntime & { social: SocialService; directory: SiteDirectory; config: Config };
    accountSiteHook: SiteHook;
    now?: () => Date;
  },
): void {
  const { rt } = deps;
  const now = deps.now ?? (() => new Date());
  const r = accountRouteContext(app, {
    accounts: rt.accounts,
    social: rt.social,
    directory: rt.directory,
    config: rt.config,
    siteHook: deps.accountSiteHook,
  });
  app.post('/account/claim-comments', r.formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return r.sessionGuarded(req, reply, ctx, async () => {
      const session = r.requireSession(req, reply);
      if (!session) return reply;
      const done = await claimForVerifiedReader(rt.db.kysely, rt.events, {
        userId: session.userId,
        now: now(),
      });
      return reply
        .code(303)
        .header(
          'location',
          `/account?m=${done.comments > 0 || done.profiles > 0 ? 'claimed' : 'nothing-claimed'}`,
        )
        .send();
    });
  });
}

// Wires the reader's side of newsletters into the app. `installSignup` runs once per runtime (runtime.ts):
// the lists repository and the signup service, "Newsletters and alerts" in My account, the news-alert
// invitation's acceptance (the site's alert list), the account's newsletters in data download and
// deletion, and the hourly forgetting of unconfirmed addresses (started with the background work).
// `signupRoutes` below runs once per server (web/server.tsx): the /newsletters pages and links, and My
// account's form.
import type { FastifyInstance } from 'fastify';
import { accountRouteContext, formField } from '../../accounts/route-context.tsx';
import type { AccountService } from '../../accounts/service.ts';
import type { SocialService } from '../../accounts/social.ts';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/connection.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import type { Events } from '../../events/log.ts';
import type { MailService } from '../../mail/mailer.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { configuredUrls, siteOrigin } from '../../sites/urls.ts';
import type { SiteHook } from '../../web/request-site.ts';
import { siteOf } from '../../web/request-site.ts';
import { NewsletterLists } from '../lists.ts';
import { AccountNewsletters } from './account-link.ts';
import { idsFrom, signupRoutes as readerRoutes } from './routes.tsx';
import { NewsletterSubscriptions } from './subscriptions.ts';
import { NewslettersAccountPart } from './views/account-part.tsx';

export interface SignupRuntime {
  config: Config;
  db: Db;
  events: Events;
  mail: MailService;
  directory: SiteDirectory;
  accounts: AccountService;
}

/** What rt.newsletterSignup holds. */
export interface NewsletterSignup {
  lists: NewsletterLists;
  subscriptions: NewsletterSubscriptions;
  account: AccountNewsletters;
  /** Registers the periodic work with the runtime's background loop (runtime.startBackgroundWork). */
  startBackground(every: (ms: number, what: string, fn: () => Promise<unknown>) => void): void;
}

/** How often unconfirmed signups older than 7 days are looked for. */
const FORGET_EVERY_MS = 60 * 60_000;

export function installSignup(rt: SignupRuntime): NewsletterSignup {
  const { db, accounts, directory } = rt;
  const lists = new NewsletterLists(rt.events);
  const urls = configuredUrls(rt.config);
  const subscriptions = new NewsletterSubscriptions({
    db,
    lists,
    mail: rt.mail,
    limits: accounts.limits.factory,
    signingKey: () => accounts.signingKey,
    mailSite: (siteId, origin) => accounts.mailSite(siteId, origin),
    siteOrigin: (siteId) => {
      const site = directory.byIdOrUndefined(siteId)?.site;
      return site ? siteOrigin(urls, site) : siteOrigin(urls, { hosts: [], slug: 'site' });
    },
  });
  const account = new AccountNewsletters(db, lists, subscriptions);
  accounts.onNewsAlertsConfirmed((userId, siteId, trx) =>
    account.acceptAlertsInvitation(trx, userId, siteId),
  );
  accounts.onDelete(async (userId, _mode, trx) => {
    await account.forgetAccount(trx, userId);
  });
  accounts.onExport((userId) => account.exportFor(userId));
  accounts.pageParts.push(async ({ userId, csrf, ctx }) => {
    const user = await accounts.user(userId);
    if (!user) return null;
    const [choices, active] = await Promise.all([
      account.choices(user, ctx.site.id),
      account.alertsActive(user, ctx.site.id),
    ]);
    return (
      <NewslettersAccountPart
        ctx={ctx}
        csrf={csrf}
        email={user.email}
        verified={user.emailVerified}
        choices={choices}
        alerts={{ confirmedAt: user.newsAlertsConfirmedAt, invitedAt: user.newsAlertsInvitedAt, active }}
      />
    );
  });
  return {
    lists,
    subscriptions,
    account,
    startBackground(every) {
      every(FORGET_EVERY_MS, 'forgetting unconfirmed newsletter signups failed', () =>
        subscriptions.forgetUnconfirmed(),
      );
    },
  };
}

export async function signupRoutes(
  app: FastifyInstance,
  deps: {
    rt: SignupRuntime & { social: SocialService; newsletterSignup: NewsletterSignup };
    /** Answers an unknown host with plain text, as the account routes do. */
    siteHook: SiteHook;
  },
): Promise<void> {
  const { rt } = deps;
  const r = accountRouteContext(app, {
    accounts: rt.accounts,
    social: rt.social,
    directory: rt.directory,
    config: rt.config,
    siteHook: deps.siteHook,
  });
  const s = rt.newsletterSignup;
  await readerRoutes(app, {
    db: rt.db,
    accounts: rt.accounts,
    lists: s.lists,
    subscriptions: s.subscriptions,
    account: s.account,
    r,
  });

  // My account's "Newsletters and alerts" form.
  app.post('/account/newsletters', r.formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return r.sessionGuarded(req, reply, ctx, async () => {
      const session = r.requireSession(req, reply);
      if (!session) return reply;
      const user = await rt.accounts.user(session.userId);
      if (!user) return reply.code(303).header('location', '/account/login').send();
      try {
        await s.account.save(
          user,
          ctx.site.id,
          idsFrom(req.body, 'n'),
          formField(req.body, 'alerts') === '1',
        );
      } catch (e) {
        if (isDatelineError(e)) return r.problemPage(reply, ctx, e);
        throw e;
      }
      return reply.code(303).header('location', '/account?m=newsletters#newsletters').send();
    });
  });
}

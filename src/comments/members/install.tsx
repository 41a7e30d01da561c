// Wires the members part of comments into the app. `installMembers` runs once per runtime (runtime.ts): the
// `comments.notify` job, the comments in "Download my data" and in account deletion, and the "Comments"
// section of My account. `memberRoutes` runs once per server (web/server.tsx): the member pages and the
// account routes (settings, notifications, the one-click off link).
import type { FastifyInstance } from 'fastify';
import { accountRouteContext } from '../../accounts/route-context.tsx';
import type { AccountService } from '../../accounts/service.ts';
import type { SocialService } from '../../accounts/social.ts';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/connection.ts';
import type { EventBus } from '../../events/bus.ts';
import type { Events } from '../../events/log.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { MailService } from '../../mail/mailer.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { configuredUrls } from '../../sites/urls.ts';
import type { PageCache } from '../../web/cache/page-cache.ts';
import type { PageServer } from '../../web/pages.ts';
import type { SiteHook } from '../../web/request-site.ts';
import { commentsDeletion, commentsExport } from './account-data.ts';
import { memberAccountRoutes } from './account-routes.tsx';
import { counts } from './notifications.ts';
import { registerNotifyJob } from './notify.ts';
import { memberPageRoutes } from './routes.tsx';
import { readSettings } from './settings.ts';
import { CommentsAccountPart } from './views/account-views.tsx';

export interface MembersRuntime {
  config: Config;
  db: Db;
  bus: EventBus;
  events: Events;
  jobs: JobQueue;
  mail: MailService;
  directory: SiteDirectory;
  accounts: AccountService;
  social: SocialService;
}

export function installMembers(rt: Omit<MembersRuntime, 'social'>): void {
  const { db, accounts, directory } = rt;
  registerNotifyJob({
    db,
    jobs: rt.jobs,
    mail: rt.mail,
    directory,
    publicUrls: configuredUrls(rt.config),
    signingKey: () => accounts.signingKey,
    mailSite: (siteId, origin) => accounts.mailSite(siteId, origin),
  });
  accounts.onExport(commentsExport({ db, events: rt.events, directory }));
  accounts.onDelete(commentsDeletion({ db, events: rt.events, directory }));
  accounts.pageParts.push(async ({ userId, csrf }) => {
    const [settings, totals, user] = await Promise.all([
      readSettings(db.kysely, userId),
      counts(db.kysely, userId),
      accounts.user(userId),
    ]);
    if (!user) return null;
    return (
      <CommentsAccountPart
        csrf={csrf}
        settings={settings}
        profileSlug={user.profileSlug}
        unread={totals.unread}
      />
    );
  });
}

export function memberRoutes(
  app: FastifyInstance,
  deps: {
    rt: MembersRuntime;
    pages: PageServer;
    cache: PageCache | null;
    /** For pages: answers an unknown host with the no-such-site page. */
    siteHook: SiteHook;
    /** For account URLs: answers an unknown host with plain text, as the account routes do. */
    accountSiteHook: SiteHook;
    onError: (err: unknown) => void;
  },
): void {
  const { rt } = deps;
  memberPageRoutes(app, {
    db: rt.db,
    pages: deps.pages,
    cache: deps.cache,
    bus: rt.bus,
    directory: rt.directory,
    siteHook: deps.siteHook,
    onError: deps.onError,
  });
  const r = accountRouteContext(app, {
    accounts: rt.accounts,
    social: rt.social,
    directory: rt.directory,
    config: rt.config,
    siteHook: deps.accountSiteHook,
  });
  memberAccountRoutes(app, {
    db: rt.db,
    events: rt.events,
    accounts: rt.accounts,
    directory: rt.directory,
    r,
  });
}

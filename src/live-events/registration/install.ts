// Wires event registration into the app. `installRegistration` runs once per runtime (runtime.ts): the
// service, whose construction registers the job that lapses unclaimed waitlist offers on the shared job
// queue, so every node's worker runs it. The routes register once per server (web/server.tsx, routes.tsx).
import type { AccountService } from '../../accounts/service.ts';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/connection.ts';
import type { Events } from '../../events/log.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { MailService } from '../../mail/mailer.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { configuredUrls, siteOrigin } from '../../sites/urls.ts';
import { EventRegistrations } from './service.ts';

export interface RegistrationRuntime {
  config: Config;
  db: Db;
  events: Events;
  mail: MailService;
  jobs: JobQueue;
  directory: SiteDirectory;
  accounts: AccountService;
}

export function installRegistration(rt: RegistrationRuntime): EventRegistrations {
  const urls = configuredUrls(rt.config);
  return new EventRegistrations({
    db: rt.db,
    events: rt.events,
    mail: rt.mail,
    jobs: rt.jobs,
    limits: rt.accounts.limits.factory,
    signingKey: () => rt.accounts.signingKey,
    mailSite: (siteId, origin) => rt.accounts.mailSite(siteId, origin),
    siteOrigin: (siteId) => {
      const site = rt.directory.byIdOrUndefined(siteId)?.site;
      return site ? siteOrigin(urls, site) : siteOrigin(urls, { hosts: [], slug: 'site' });
    },
    siteLanguage: (siteId) => rt.directory.byIdOrUndefined(siteId)?.site.language ?? 'en',
    siteHost: (siteId) => {
      const site = rt.directory.byIdOrUndefined(siteId)?.site;
      return site?.hosts[0] ?? site?.slug ?? 'site';
    },
  });
}

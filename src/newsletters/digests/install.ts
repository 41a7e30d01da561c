// How the digests plug into the composition root (src/runtime.ts): the Digests service on the lists (from
// the signup feature) and the send engine (from sending), following the event bus for stories taken down,
// with the scheduler's half-minute tick started by the serving process's background work; and the open and
// click counting routes for the web server (src/web/server.tsx).
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection.ts';
import type { EventBus } from '../../events/bus.ts';
import { FrontPageReader } from '../../front-page/reader.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import type { UrlContext } from '../../sites/urls.ts';
import type { SiteHook } from '../../web/request-site.ts';
import type { NewsletterLists } from '../lists.ts';
import { DIGEST_TICK_MS, type DigestSender, Digests } from './service.ts';
import { trackingRoutes } from './tracking.ts';

export { Digests } from './service.ts';

export interface DigestsRuntime {
  db: Db;
  bus: EventBus;
  lists: NewsletterLists;
  sender: DigestSender;
  directory: SiteDirectory;
  urls: UrlContext;
  signingKey: () => Buffer;
  onError: (err: unknown, what: string) => void;
}

export function installDigests(rt: DigestsRuntime): Digests {
  const digests = new Digests({
    db: rt.db,
    lists: rt.lists,
    sender: rt.sender,
    directory: rt.directory,
    urls: rt.urls,
    signingKey: rt.signingKey,
    frontPage: new FrontPageReader(rt.db),
    onError: rt.onError,
  });
  digests.follow(rt.bus);
  return digests;
}

/** For startBackgroundWork's `every`: the scheduler's tick. */
export function startDigestScheduler(
  digests: Digests,
  every: (ms: number, what: string, fn: () => Promise<unknown>) => void,
): void {
  every(DIGEST_TICK_MS, 'the digest scheduler failed', () => digests.tick());
}

/** The first-party open pixel and click redirect on every site host. */
export function digestRoutes(
  app: FastifyInstance,
  o: { rt: { db: Db; accounts: { signingKey: Buffer } }; siteHook: SiteHook },
): void {
  trackingRoutes(app, { db: o.rt.db, signingKey: () => o.rt.accounts.signingKey, siteHook: o.siteHook });
}

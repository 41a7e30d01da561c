// Plugs breaking alerts into the runtime: the VAPID keys (made on the first start), the push subscriptions,
// the push sender (through a guarded outbound client of its own, which also reaches loopback endpoints when
// DATELINE_PUSH_ALLOW_HTTP_LOOPBACK is on), the alert service following article events, its two jobs, and
// the alert mail renderer, registered with the send engine (passed in, or handed over later by useMail).
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/connection.ts';
import type { EventBus } from '../../events/bus.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import { OutboundClient } from '../../outbound/client.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { configuredUrls } from '../../sites/urls.ts';
import { loadVapidKeys, type VapidKeys, vapidSubject } from '../push/keys.ts';
import { PushSender } from '../push/sender.ts';
import { PushSubscriptions } from '../push/subscriptions.ts';
import type { IssueRenderer } from '../sending/content.ts';
import { registerPushJob } from './push-job.ts';
import { AlertMailRenderer } from './renderer.ts';
import { ALERT_JOB, type AlertEventKind, type AlertMail, AlertService } from './service.ts';

/** The send engine as alerts need it: start and cancel an issue's mail, and render alerts (kind 'alert'). */
export interface AlertMailEngine extends AlertMail {
  registerRenderer(kind: 'alert', renderer: IssueRenderer): void;
}

export interface Alerts {
  keys: VapidKeys;
  subscriptions: PushSubscriptions;
  push: PushSender;
  service: AlertService;
  renderer: AlertMailRenderer;
  /** Whether push endpoints over plain http on loopback are accepted (tests, the local push endpoint). */
  allowHttpLoopback: boolean;
  /** Hands over the send engine: alerts then go by email too, rendered by `renderer`. */
  useMail(engine: AlertMailEngine): void;
}

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

export async function installAlerts(deps: {
  config: Config;
  db: Db;
  bus: EventBus;
  jobs: JobQueue;
  directory: SiteDirectory;
  log: (detail: Record<string, unknown>, message: string) => void;
  onError: (err: unknown) => void;
  /** The newsletter send engine (rt.newsletterSender): alerts go by email through it. */
  mail?: AlertMailEngine;
}): Promise<Alerts> {
  const { config, db, jobs, directory } = deps;
  const keys = await loadVapidKeys(db);
  const outbound = new OutboundClient({
    allow: [...config.outboundAllow, ...(config.pushAllowHttpLoopback ? LOOPBACK : [])],
    log: deps.log,
  });
  const push = new PushSender(db, outbound, keys, {
    subject: vapidSubject(config.mailFrom),
    concurrency: config.pushConcurrency,
    ttlSeconds: config.pushTtlSeconds,
    log: deps.log,
  });
  let engine: AlertMailEngine | null = null;
  const mail = () => engine;
  const publicUrls = configuredUrls(config);
  const service = new AlertService({
    db,
    jobs,
    push,
    mail,
    correctionMinutes: config.alertCorrectionMinutes,
    onError: deps.onError,
  });
  service.follow(deps.bus);
  jobs.register<{ articleId: number; kind: AlertEventKind }>(ALERT_JOB, ({ articleId, kind }) =>
    service.handle(articleId, kind),
  );
  registerPushJob({ db, jobs, push, directory, publicUrls, mail });
  const renderer = new AlertMailRenderer({ db, directory, publicUrls });
  const alerts: Alerts = {
    keys,
    subscriptions: new PushSubscriptions(db.kysely),
    push,
    service,
    renderer,
    allowHttpLoopback: config.pushAllowHttpLoopback,
    useMail(e) {
      engine = e;
      e.registerRenderer('alert', renderer);
    },
  };
  if (deps.mail) alerts.useMail(deps.mail);
  return alerts;
}

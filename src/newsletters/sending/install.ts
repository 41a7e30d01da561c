// Wires newsletter sending into the runtime: the bulk SMTP transport (or the outbox without SMTP_URL), DKIM
// when configured, the send engine and its job, and the suppression list that bounce and complaint
// webhooks feed. rt.newsletterSender and rt.suppressions are what digests, alerts and the admin use.
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/connection.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import { loadDkimKey } from '../../mail/dkim.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { configuredUrls } from '../../sites/urls.ts';
import { SuppressionList } from '../feedback/suppressions.ts';
import { NewsletterSender } from './engine.ts';
import { SmtpBulkTransport } from './transport.ts';

export interface SendingDeps {
  config: Config;
  db: Db;
  jobs: JobQueue;
  directory: SiteDirectory;
  signingKey: () => Buffer;
  log: {
    error(obj: Record<string, unknown>, msg: string): void;
    warn?(obj: Record<string, unknown>, msg: string): void;
  };
}

export function installSending(d: SendingDeps): { sender: NewsletterSender; suppressions: SuppressionList } {
  const c = d.config;
  const transport = c.smtpUrl
    ? new SmtpBulkTransport({
        smtpUrl: c.smtpUrl,
        maxConnections: c.bulkMaxConnections,
        dkim: loadDkimKey(c),
      })
    : null;
  const sender = new NewsletterSender({
    db: d.db,
    jobs: d.jobs,
    directory: d.directory,
    urls: configuredUrls(c),
    signingKey: d.signingKey,
    transport,
    rate: { perSecond: c.bulkRatePerSecond, perHour: c.bulkRatePerHour },
    concurrency: c.bulkConcurrency,
    batchSize: c.bulkBatchSize,
    leaseMs: c.bulkClaimSeconds * 1000,
    log: d.log,
  });
  return {
    sender,
    suppressions: new SuppressionList(d.db, { softBouncesToSuppress: c.softBouncesToSuppress }),
  };
}

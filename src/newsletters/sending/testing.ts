// For tests and the bench: an SMTP sink that accepts (or, by rule, refuses) bulk mail and counts what
// arrived per recipient, and a seeded send (a site, a list with N active subscribers, an issue and a
// simple renderer) on any database.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Db } from '../../db/connection.ts';
import { toDbTime } from '../../db/values.ts';
import { type IssueContent, type IssueRenderer, PLACEHOLDER } from './content.ts';

export interface SinkReply {
  code: number;
  message: string;
}

export interface BulkSink {
  url: string;
  port: number;
  /** Copies accepted per recipient address. */
  counts: Map<string, number>;
  /** Raw messages kept (when asked), in arrival order. */
  raw: { to: string; data: string }[];
  accepted(): number;
  /** Waits until at least n messages were accepted. */
  waitForTotal(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `refuse(rcpt)` may answer a recipient with an SMTP error (e.g. { code: 450 } or { code: 550 }).
 * `port` reuses a port (to bring a stopped sink back for the unreachable-server test).
 */
export async function startBulkSink(
  opts: { keepRaw?: boolean; refuse?: (rcpt: string) => SinkReply | null; port?: number } = {},
): Promise<BulkSink> {
  const counts = new Map<string, number>();
  const raw: { to: string; data: string }[] = [];
  let total = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, cb) {
      const r = opts.refuse?.(address.address.toLowerCase());
      if (r) {
        const err = new Error(r.message) as Error & { responseCode: number };
        err.responseCode = r.code;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (opts.keepRaw) chunks.push(c);
      });
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) {
          const to = r.address.toLowerCase();
          counts.set(to, (counts.get(to) ?? 0) + 1);
          total++;
          if (opts.keepRaw) raw.push({ to, data: Buffer.concat(chunks).toString('utf8') });
        }
        cb();
      });
    },
  });
  // A client that dies mid-message (the bench's kill -9 of the sender) resets its connection; the sink
  // carries on with the others rather than crash on an unhandled 'error'.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    counts,
    raw,
    accepted: () => total,
    async waitForTotal(n, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (total < n) {
        if (Date.now() > until) throw new Error(`the sink has ${total} messages, not ${n}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A renderer that mails the issue's subject with both placeholders in html and text. */
export function simpleRenderer(db: Db): IssueRenderer {
  return {
    async render(issueId: number): Promise<IssueContent> {
      const row = await db.kysely
        .selectFrom('newsletter_issues')
        .select(['subject', 'intro'])
        .where('id', '=', issueId)
        .executeTakeFirstOrThrow();
      return {
        subject: row.subject,
        html: `<p>${row.intro}</p><p><a href="${PLACEHOLDER.preferences}">Preferences</a> · <a href="${PLACEHOLDER.unsubscribe}">Unsubscribe</a></p>`,
        text: `${row.intro}\n\nPreferences: ${PLACEHOLDER.preferences}\nUnsubscribe: ${PLACEHOLDER.unsubscribe}\n`,
        campaign: 'morning',
      };
    },
  };
}

/** A list on `siteId` with `n` active subscribers r<i>@example.com, and a draft issue of it. */
export async function seedSend(
  db: Db,
  siteId: number,
  n: number,
  opts: { slug?: string; pending?: number } = {},
): Promise<{ newsletterId: number; issueId: number; emails: string[] }> {
  const k = db.kysely;
  const slug = opts.slug ?? `morning-${Math.random().toString(36).slice(2, 8)}`;
  const nl = await k
    .insertInto('newsletters')
    .values({
      site_id: siteId,
      slug,
      name: 'Morning briefing',
      kind: 'digest',
      sender_name: 'The Times',
      sender_email: 'news@example.com',
      reply_to: 'desk@example.com',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const emails: string[] = [];
  const now = toDbTime(new Date());
  for (let i = 0; i < n; i += 500) {
    const part = Array.from({ length: Math.min(500, n - i) }, (_, j) => `r${i + j}.${slug}@example.com`);
    emails.push(...part);
    const subs = await k
      .insertInto('newsletter_subscribers')
      .values(part.map((email) => ({ email })))
      .returning('id')
      .execute();
    await k
      .insertInto('newsletter_subscriptions')
      .values(
        subs.map((s) => ({
          subscriber_id: s.id,
          newsletter_id: nl.id,
          status: 'active' as const,
          consent_source: 'form' as const,
          confirmed_at: now,
        })),
      )
      .execute();
  }
  for (let i = 0; i < (opts.pending ?? 0); i++) {
    const s = await k
      .insertInto('newsletter_subscribers')
      .values({ email: `pending${i}.${slug}@example.com` })
      .returning('id')
      .executeTakeFirstOrThrow();
    await k
      .insertInto('newsletter_subscriptions')
      .values({ subscriber_id: s.id, newsletter_id: nl.id, status: 'pending', consent_source: 'form' })
      .execute();
  }
  const issue = await k
    .insertInto('newsletter_issues')
    .values({
      newsletter_id: nl.id,
      site_id: siteId,
      kind: 'digest',
      status: 'draft',
      subject: 'Morning, 2 December',
      intro: 'Good morning.',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { newsletterId: nl.id, issueId: issue.id, emails };
}

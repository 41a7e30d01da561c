// The one way the network sends mail. A message is written to mail_messages and a job is queued in the same
// transaction as the change that caused it, so a rolled-back change sends nothing and a committed one is
// never lost. The job sends it over SMTP (SMTP_URL) with nodemailer, or, with no SMTP server configured,
// leaves it in the outbox for the operator (`dateline mail outbox`). The job checks `sent_at` before
// sending and sets it right after, and the Message-ID is derived from the key, so a retried job does not
// send again and a receiving server can drop the copy in the one narrow window left (a crash between the
// SMTP server's acceptance and our commit).
// No address receives more than a set number of messages an hour, whatever asks for them: a message over that
// cap is still written (transport 'capped', never sent) and logged, so the operator can see what was held
// back and why.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { type Kysely, sql, type Transaction } from 'kysely';
import type nodemailerModule from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/database.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import type { JobQueue } from '../jobs/queue.ts';

export interface OutgoingMail {
  /** Unique per message: queueing the same key twice keeps one message. */
  key: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  siteId?: number | null;
  userId?: number | null;
  /** Headers of this message's own, e.g. List-Unsubscribe on comment notices (src/comments/members/). */
  headers?: Record<string, string>;
  /** Small text attachments, e.g. an event registration's .ics (src/live-events/registration/). */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  /** e.g. "text/calendar; charset=utf-8; method=REQUEST". */
  contentType: string;
  content: string;
}

export interface StoredMail extends Omit<OutgoingMail, 'siteId' | 'userId' | 'headers' | 'attachments'> {
  headers: Record<string, string>;
  attachments: MailAttachment[];
  id: number;
  siteId: number | null;
  userId: number | null;
  messageId: string;
  createdAt: Date;
  sentAt: Date | null;
  transport: string | null;
}

export interface MailOptions {
  from: string;
  smtpUrl: string | null;
  /** The host part of generated Message-IDs. */
  messageIdDomain?: string;
  /** Most messages one address receives in an hour (default 5); more are recorded as 'capped', unsent. */
  perRecipientPerHour?: number;
  /** Told about every message held back by the cap. */
  log?: { error(obj: Record<string, unknown>, msg: string): void };
}

/** The transport recorded for a message the per-recipient cap held back; it is never sent. */
export const CAPPED = 'capped';
const DEFAULT_PER_RECIPIENT_PER_HOUR = 5;
// Two-key advisory locks on PostgreSQL: this first key names "mail to one recipient".
const RECIPIENT_LOCK_SPACE = 7_340_101;

export const MAIL_JOB = 'mail.send';

type Q = Kysely<Database> | Transaction<Database>;

export class MailService {
  private readonly transport: Transporter | null;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    private readonly opts: MailOptions,
  ) {
    // nodemailer loads only when there is an SMTP server to talk to.
    this.transport = opts.smtpUrl
      ? (createRequire(import.meta.url)('nodemailer') as typeof nodemailerModule).createTransport(
          opts.smtpUrl,
        )
      : null;
    jobs.register<{ key: string }>(MAIL_JOB, (p) => this.deliver(p.key));
  }

  get mode(): 'smtp' | 'outbox' {
    return this.transport ? 'smtp' : 'outbox';
  }

  /** Records the message and queues its delivery; pass the caller's transaction to make both atomic. */
  async queue(mail: OutgoingMail, trx?: Q): Promise<void> {
    const run = async (q: Q) => {
      const known = await q
        .selectFrom('mail_messages')
        .select('id')
        .where('key', '=', mail.key)
        .executeTakeFirst();
      if (known) return;
      const to = mail.to.trim().toLowerCase();
      const capped = await this.overRecipientCap(q, to);
      const messageId = `<${createHash('sha256').update(mail.key).digest('hex').slice(0, 32)}@${this.opts.messageIdDomain ?? 'dateline.invalid'}>`;
      const inserted = await q
        .insertInto('mail_messages')
        .values({
          key: mail.key,
          kind: mail.kind,
          site_id: mail.siteId ?? null,
          user_id: mail.userId ?? null,
          to_address: to,
          subject: mail.subject,
          text_body: mail.text,
          html_body: mail.html,
          message_id: messageId,
          headers: mail.headers ? JSON.stringify(mail.headers) : null,
          attachments: mail.attachments?.length ? JSON.stringify(mail.attachments) : null,
          sent_at: null,
          transport: capped ? CAPPED : null,
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return;
      if (capped) {
        this.opts.log?.error(
          { to, kind: mail.kind, key: mail.key, perHour: this.perRecipientPerHour },
          'mail not sent: the address has had as many messages as it may receive in an hour (recorded as capped in the outbox)',
        );
        return;
      }
      await this.jobs.enqueue(MAIL_JOB, `mail:${mail.key}`, { key: mail.key }, { trx: q });
    };
    if (trx) await run(trx);
    else await this.db.kysely.transaction().execute(run);
  }

  get perRecipientPerHour(): number {
    return this.opts.perRecipientPerHour ?? DEFAULT_PER_RECIPIENT_PER_HOUR;
  }

  /**
   * Whether `to` has already had its hour's share of messages (capped ones do not count: they were not
   * sent). On PostgreSQL a transaction-scoped lock per recipient makes concurrent requests count in turn;
   * SQLite runs one write transaction at a time anyway.
   */
  private async overRecipientCap(q: Q, to: string): Promise<boolean> {
    if (this.db.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(${RECIPIENT_LOCK_SPACE}, hashtext(${to}))`.execute(q);
    }
    const since = toDbTime(new Date(Date.now() - 3600_000));
    const row = await q
      .selectFrom('mail_messages')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('to_address', '=', to)
      .where('created_at', '>', since)
      .where((eb) => eb.or([eb('transport', 'is', null), eb('transport', '!=', CAPPED)]))
      .executeTakeFirstOrThrow();
    return Number(row.n) >= this.perRecipientPerHour;
  }

  /** The job: idempotent for its key. */
  async deliver(key: string): Promise<void> {
    const row = await this.db.kysely
      .selectFrom('mail_messages')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row || row.sent_at !== null) return;
    if (this.transport) {
      await this.transport.sendMail({
        from: this.opts.from,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        messageId: row.message_id,
        ...(row.headers && { headers: JSON.parse(row.headers) as Record<string, string> }),
        ...(row.attachments && { attachments: JSON.parse(row.attachments) as MailAttachment[] }),
      });
    }
    await this.db.kysely
      .updateTable('mail_messages')
      .set({ sent_at: toDbTime(new Date()), transport: this.transport ? 'smtp' : 'outbox' })
      .where('id', '=', row.id)
      .where('sent_at', 'is', null)
      .execute();
  }

  async outbox(opts: { limit?: number; to?: string } = {}): Promise<StoredMail[]> {
    let q = this.db.kysely.selectFrom('mail_messages').selectAll();
    if (opts.to) q = q.where('to_address', '=', opts.to.toLowerCase());
    const rows = await q
      .orderBy('id', 'desc')
      .limit(opts.limit ?? 20)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      kind: r.kind,
      to: r.to_address,
      subject: r.subject,
      text: r.text_body,
      html: r.html_body,
      siteId: r.site_id,
      userId: r.user_id,
      messageId: r.message_id,
      createdAt: fromDbTime(r.created_at),
      sentAt: fromDbTimeOrNull(r.sent_at),
      transport: r.transport,
      headers: r.headers ? (JSON.parse(r.headers) as Record<string, string>) : {},
      attachments: r.attachments ? (JSON.parse(r.attachments) as MailAttachment[]) : [],
    }));
  }

  /** Deletes every message about an account (account deletion removes personal data). */
  async forgetUser(userId: number, email: string | null, trx: Q): Promise<void> {
    await trx.deleteFrom('mail_messages').where('user_id', '=', userId).execute();
    if (email) await trx.deleteFrom('mail_messages').where('to_address', '=', email).execute();
  }

  close(): void {
    this.transport?.close();
  }
}

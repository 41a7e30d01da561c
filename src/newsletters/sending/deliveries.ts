// The delivery rows of a send, in the database: freezing an issue's recipients, claiming the next batch
// (a lease in claimed_until; FOR UPDATE SKIP LOCKED on PostgreSQL so several nodes share one send) and
// recording what the SMTP server answered. A row in 'sending' is in flight; if its lease runs out (the
// process died) it is claimed again and sent again: those are the only recipients who can get two copies.
// Counters on newsletter_issues change in the same transaction as the rows they count, so they stay exact.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { fromDbTime, toDbTime } from '../../db/values.ts';
import type { DeliveryStatus } from '../tables.ts';

export interface ClaimedDelivery {
  id: number;
  subscriberId: number;
  email: string;
  attempts: number;
  linkVersion: number;
  /** Claimed again after its earlier claim ran out: it may already have been sent once (a crash). */
  reclaimed: boolean;
}

export interface SentRow {
  id: number;
  subscriberId: number;
  email: string;
}

export interface Outcomes {
  sent: SentRow[];
  deferred: { id: number; error: string; retryAt: Date }[];
  failed: { id: number; error: string }[];
  /** Not tried (the server could not be reached, or the send stopped): back to the queue, attempt not counted. */
  untried: number[];
  suppressed: number[];
}

/** Each message the outbox keeps when there is no SMTP server (written with the sent mark, atomically). */
export interface OutboxRow {
  deliveryId: number;
  key: string;
  siteId: number;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

/**
 * `column in (values)` with the list as one parameter (json_each on SQLite, = any on PostgreSQL), so that
 * every batch size is the same statement: SQLite's prepared statements are kept by their SQL text (500 of
 * them, src/db/connection.ts), and lists of 1 to 500 placeholders filled that cache with hundreds of large
 * statements during a send, pushing out the pages' own and growing the process by megabytes.
 */
function inList(db: Db, column: string, values: readonly (number | string)[]) {
  return db.dialect === 'postgres'
    ? sql<boolean>`${sql.ref(column)} = any(${[...values]})`
    : sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}

export class DeliveryStore {
  constructor(private readonly db: Db) {}

  /**
   * Freezes the recipients: every active subscriber of the list, once (the unique pair makes a retry add
   * nothing); addresses on the suppression list are recorded as 'suppressed' and get nothing. Returns how
   * many will be mailed. Runs inside the caller's transaction.
   */
  async freeze(
    trx: Db['kysely'],
    issueId: number,
    newsletterId: number,
  ): Promise<{ recipients: number; suppressed: number }> {
    await sql`
      insert into newsletter_deliveries (issue_id, subscriber_id, email, status, attempts)
      select ${issueId}, s.id, s.email,
        case when exists (select 1 from mail_suppressions m where m.email = s.email and m.suppressed = 1)
          then 'suppressed' else 'queued' end,
        0
      from newsletter_subscriptions sub
      join newsletter_subscribers s on s.id = sub.subscriber_id
      where sub.newsletter_id = ${newsletterId} and sub.status = 'active'
      order by s.id
      on conflict (issue_id, subscriber_id) do nothing`.execute(trx);
    const counts = await trx
      .selectFrom('newsletter_deliveries')
      .select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
      .where('issue_id', '=', issueId)
      .groupBy('status')
      .execute();
    let recipients = 0;
    let suppressed = 0;
    for (const c of counts) {
      if (c.status === 'suppressed') suppressed += Number(c.n);
      else recipients += Number(c.n);
    }
    return { recipients, suppressed };
  }

  /**
   * Claims up to `limit` deliveries: first those whose earlier claim ran out or whose retry is due, then
   * queued ones in id order. Each claimed row is 'sending' until `leaseUntil`.
   */
  async claim(
    issueId: number,
    limit: number,
    leaseUntil: Date,
    now = new Date(),
  ): Promise<ClaimedDelivery[]> {
    if (limit <= 0) return [];
    const nowDb = toDbTime(now);
    const lease = toDbTime(leaseUntil);
    const lock = this.db.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    type Row = { id: number; subscriber_id: number; email: string; attempts: number };
    const claimWhere = async (where: ReturnType<typeof sql>, n: number): Promise<Row[]> => {
      if (n <= 0) return [];
      const res = await sql<Row>`
        update newsletter_deliveries set status = 'sending', claimed_until = ${lease}, attempts = attempts + 1
        where id in (
          select id from newsletter_deliveries
          where issue_id = ${issueId} and ${where}
          order by id
          limit ${n}
          ${lock}
        )
        returning id, subscriber_id, email, attempts`.execute(this.db.kysely);
      return res.rows;
    };
    // In flight when their process stopped (the lease ran out): they may have been sent once already.
    const lapsed = await claimWhere(sql`status = 'sending' and claimed_until <= ${nowDb}`, limit);
    const due = await claimWhere(
      sql`status = 'deferred' and claimed_until <= ${nowDb}`,
      limit - lapsed.length,
    );
    const fresh = await claimWhere(sql`status = 'queued'`, limit - lapsed.length - due.length);
    const reclaimed = new Set(lapsed.map((r) => r.id));
    const rows = [...lapsed, ...due, ...fresh];
    if (rows.length === 0) return [];
    const versions = new Map<number, number>();
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500).map((r) => r.subscriber_id);
      const found = await this.db.kysely
        .selectFrom('newsletter_subscribers')
        .select(['id', 'link_version'])
        .where(inList(this.db, 'id', part))
        .execute();
      for (const f of found) versions.set(f.id, f.link_version);
    }
    return rows
      .map((r) => ({
        id: r.id,
        subscriberId: r.subscriber_id,
        email: r.email,
        attempts: r.attempts,
        linkVersion: versions.get(r.subscriber_id) ?? 1,
        reclaimed: reclaimed.has(r.id),
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Which of these addresses are on the suppression list now (a bounce or complaint during the send). */
  async suppressedAmong(emails: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < emails.length; i += 500) {
      const rows = await this.db.kysely
        .selectFrom('mail_suppressions')
        .select('email')
        .where('suppressed', '=', 1)
        .where(inList(this.db, 'email', emails.slice(i, i + 500)))
        .execute();
      for (const r of rows) out.add(r.email);
    }
    return out;
  }

  /**
   * Records one round of answers in one transaction, with the issue's counters. Only rows still 'sending'
   * change (a cancel in the meantime leaves what was already handed over counted as sent, nothing else).
   */
  async record(
    issueId: number,
    messageIdDomain: string,
    o: Outcomes,
    outbox: OutboxRow[] = [],
    now = new Date(),
  ): Promise<{ sent: number; failed: number }> {
    const at = toDbTime(now);
    return this.db.kysely.transaction().execute(async (trx) => {
      let sent = 0;
      let failed = 0;
      for (let i = 0; i < o.sent.length; i += 500) {
        const part = o.sent.slice(i, i + 500).map((r) => r.id);
        const res = await sql`
          update newsletter_deliveries
          set status = 'sent', sent_at = ${at}, claimed_until = null, last_error = null,
            message_id = '<nl.' || cast(issue_id as text) || '.' || cast(subscriber_id as text) || '@' || ${messageIdDomain} || '>'
          where ${inList(this.db, 'id', part)} and status = 'sending'`.execute(trx);
        sent += Number(res.numAffectedRows ?? 0n);
      }
      for (let i = 0; i < outbox.length; i += 200) {
        await trx
          .insertInto('mail_messages')
          .values(
            outbox.slice(i, i + 200).map((m) => ({
              key: m.key,
              kind: 'newsletter',
              site_id: m.siteId,
              user_id: null,
              to_address: m.to,
              subject: m.subject,
              text_body: m.text,
              html_body: m.html,
              message_id: m.messageId,
              headers: JSON.stringify(m.headers),
              sent_at: at,
              transport: 'outbox',
            })),
          )
          .onConflict((oc) => oc.column('key').doNothing())
          .execute();
      }
      for (const d of o.deferred) {
        await trx
          .updateTable('newsletter_deliveries')
          .set({ status: 'deferred', claimed_until: toDbTime(d.retryAt), last_error: d.error })
          .where('id', '=', d.id)
          .where('status', '=', 'sending')
          .execute();
      }
      for (const f of o.failed) {
        const res = await trx
          .updateTable('newsletter_deliveries')
          .set({ status: 'failed', claimed_until: null, last_error: f.error })
          .where('id', '=', f.id)
          .where('status', '=', 'sending')
          .executeTakeFirst();
        failed += Number(res.numUpdatedRows ?? 0n);
      }
      if (o.untried.length > 0) {
        await sql`
          update newsletter_deliveries set status = 'queued', claimed_until = null, attempts = attempts - 1
          where ${inList(this.db, 'id', o.untried)} and status = 'sending'`.execute(trx);
      }
      if (o.suppressed.length > 0) {
        await sql`
          update newsletter_deliveries set status = 'suppressed', claimed_until = null
          where ${inList(this.db, 'id', o.suppressed)} and status = 'sending'`.execute(trx);
      }
      if (sent > 0 || failed > 0 || o.suppressed.length > 0) {
        await trx
          .updateTable('newsletter_issues')
          .set((eb) => ({
            sent_count: eb('sent_count', '+', sent),
            failed_count: eb('failed_count', '+', failed),
            recipient_count: eb('recipient_count', '-', o.suppressed.length),
            updated_at: at,
          }))
          .where('id', '=', issueId)
          .execute();
      }
      return { sent, failed };
    });
  }

  async counts(issueId: number): Promise<Record<DeliveryStatus, number>> {
    const rows = await this.db.kysely
      .selectFrom('newsletter_deliveries')
      .select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
      .where('issue_id', '=', issueId)
      .groupBy('status')
      .execute();
    const out: Record<DeliveryStatus, number> = {
      queued: 0,
      sending: 0,
      sent: 0,
      failed: 0,
      deferred: 0,
      suppressed: 0,
      cancelled: 0,
    };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  /** When the next deferred or in-flight row of the issue may be claimed, or null when none is left. */
  async nextDue(issueId: number): Promise<Date | null> {
    const row = await this.db.kysely
      .selectFrom('newsletter_deliveries')
      .select((eb) => eb.fn.min('claimed_until').as('at'))
      .where('issue_id', '=', issueId)
      .where('status', 'in', ['deferred', 'sending'])
      .executeTakeFirst();
    return row?.at ? fromDbTime(row.at as string | Date) : null;
  }

  async hasQueued(issueId: number): Promise<boolean> {
    const row = await this.db.kysely
      .selectFrom('newsletter_deliveries')
      .select('id')
      .where('issue_id', '=', issueId)
      .where('status', '=', 'queued')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Marks every delivery not yet handed over (queued, deferred) cancelled; in-flight ones finish. */
  async cancelUndelivered(trx: Db['kysely'], issueId: number): Promise<number> {
    const res = await trx
      .updateTable('newsletter_deliveries')
      .set({ status: 'cancelled', claimed_until: null })
      .where('issue_id', '=', issueId)
      .where('status', 'in', ['queued', 'deferred'])
      .executeTakeFirst();
    return Number(res.numUpdatedRows ?? 0n);
  }
}

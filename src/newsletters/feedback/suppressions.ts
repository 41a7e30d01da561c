// The suppression list: addresses that get no bulk mail any more (a hard bounce, a complaint, N soft
// bounces, or an editor's hand), which every send honours when it freezes its recipients and again before
// each batch. Bounce and complaint notifications are recorded once per provider event (a provider's retry
// of the same notification changes nothing), and a bounce of a newsletter message counts on its issue.
// The admin's suppression screen (src/admin/subscribers/) searches, adds and removes through this.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { fromDbTime, toDbTime } from '../../db/values.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import { readBulkMessageId } from '../sending/message.ts';
import type { FeedbackKind, SuppressionReason } from '../tables.ts';

export interface Suppression {
  email: string;
  /** false: soft bounces counted, still mailed. */
  suppressed: boolean;
  reason: SuppressionReason | null;
  softBounces: number;
  detail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One bounce or complaint, as a provider reported it (src/newsletters/feedback/formats.ts reads them). */
export interface FeedbackEvent {
  provider: string;
  /** The provider's id for this notification: the same id twice is one notification. */
  providerEventId: string;
  email: string;
  kind: FeedbackKind;
  detail: string | null;
  /** The Message-ID of the mail it is about, when the provider says. */
  messageId: string | null;
}

export interface FeedbackResult {
  duplicate: boolean;
  suppressed: boolean;
  /** The newsletter issue the bounced message belonged to, when it was one. */
  issueId: number | null;
}

const EMAIL = /^[^\s@<>"(),;:]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** The address as the list keys it (trimmed, lower-cased), or a clear error. */
export function suppressionAddress(raw: unknown): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (email.length > 254 || !EMAIL.test(email))
    throw new DatelineError(
      'MAIL_SUPPRESSION_INVALID',
      `${JSON.stringify(String(raw ?? '').slice(0, 100))} is not an email address.`,
      { field: 'email' },
    );
  return email;
}

type Row = {
  email: string;
  suppressed: number;
  reason: SuppressionReason | null;
  soft_bounces: number;
  detail: string | null;
  created_at: string | Date;
  updated_at: string | Date;
};

function toSuppression(r: Row): Suppression {
  return {
    email: r.email,
    suppressed: r.suppressed === 1,
    reason: r.reason,
    softBounces: r.soft_bounces,
    detail: r.detail,
    createdAt: fromDbTime(r.created_at),
    updatedAt: fromDbTime(r.updated_at),
  };
}

export class SuppressionList {
  constructor(
    private readonly db: Db,
    private readonly opts: { softBouncesToSuppress: number },
  ) {}

  async isSuppressed(email: string): Promise<boolean> {
    const r = await this.db.kysely
      .selectFrom('mail_suppressions')
      .select('suppressed')
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return r?.suppressed === 1;
  }

  async get(email: string): Promise<Suppression | null> {
    const r = await this.db.kysely
      .selectFrom('mail_suppressions')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return r ? toSuppression(r) : null;
  }

  /**
   * Newest first. `query` matches part of the address; `all` also lists addresses with soft bounces
   * counted that are still mailed.
   */
  async search(
    opts: { query?: string; all?: boolean; limit?: number; offset?: number } = {},
  ): Promise<{ items: Suppression[]; total: number }> {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    const like = opts.query?.trim().toLowerCase().slice(0, 254);
    let q = this.db.kysely.selectFrom('mail_suppressions');
    if (!opts.all) q = q.where('suppressed', '=', 1);
    if (like) q = q.where('email', 'like', `%${like.replace(/[\\%_]/g, '')}%`);
    const total = await q
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('email')
      .limit(limit)
      .offset(Math.max(opts.offset ?? 0, 0))
      .execute();
    return { items: rows.map(toSuppression), total: Number(total.n) };
  }

  /** An editor suppresses an address by hand (or again, with a new note). */
  async add(rawEmail: unknown, detail: string | null = null): Promise<Suppression> {
    const email = suppressionAddress(rawEmail);
    const note = detail?.trim().slice(0, 500) || null;
    const now = toDbTime(new Date());
    await this.db.kysely
      .insertInto('mail_suppressions')
      .values({ email, suppressed: 1, reason: 'manual', detail: note, updated_at: now })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet({ suppressed: 1, reason: 'manual', detail: note, updated_at: now }),
      )
      .execute();
    return (await this.get(email))!;
  }

  /** Takes an address off the list (its soft bounce count starts again from zero). */
  async remove(rawEmail: unknown): Promise<void> {
    const email = suppressionAddress(rawEmail);
    const res = await this.db.kysely
      .deleteFrom('mail_suppressions')
      .where('email', '=', email)
      .executeTakeFirst();
    if (Number(res.numDeletedRows ?? 0n) === 0)
      throw new DatelineError('MAIL_SUPPRESSION_NOT_FOUND', `${email} is not on the suppression list.`);
  }

  /** Records one notification: once per provider event id, in one transaction. */
  async record(e: FeedbackEvent): Promise<FeedbackResult> {
    const email = suppressionAddress(e.email);
    const detail = e.detail?.slice(0, 1000) ?? null;
    const n = this.opts.softBouncesToSuppress;
    return this.db.kysely.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('mail_feedback_events')
        .values({
          provider: e.provider,
          provider_event_id: e.providerEventId.slice(0, 300),
          email,
          kind: e.kind,
          detail,
        })
        .onConflict((oc) => oc.columns(['provider', 'provider_event_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0)
        return { duplicate: true, suppressed: false, issueId: null };
      const now = toDbTime(new Date());
      if (e.kind === 'soft_bounce') {
        await trx
          .insertInto('mail_suppressions')
          .values({
            email,
            suppressed: n <= 1 ? 1 : 0,
            reason: n <= 1 ? 'soft_bounces' : null,
            soft_bounces: 1,
            detail,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc.column('email').doUpdateSet({
              soft_bounces: sql`mail_suppressions.soft_bounces + 1`,
              suppressed: sql`case when mail_suppressions.soft_bounces + 1 >= ${n} then 1 else mail_suppressions.suppressed end`,
              reason: sql`case when mail_suppressions.suppressed = 1 then mail_suppressions.reason when mail_suppressions.soft_bounces + 1 >= ${n} then 'soft_bounces' else mail_suppressions.reason end`,
              detail,
              updated_at: now,
            }),
          )
          .execute();
      } else {
        await trx
          .insertInto('mail_suppressions')
          .values({ email, suppressed: 1, reason: e.kind, detail, updated_at: now })
          .onConflict((oc) =>
            oc.column('email').doUpdateSet({
              suppressed: 1,
              // A complaint outranks a bounce; a manual entry keeps its reason.
              reason: sql`case when mail_suppressions.suppressed = 1 and mail_suppressions.reason in ('manual', 'complaint') then mail_suppressions.reason else ${e.kind} end`,
              detail,
              updated_at: now,
            }),
          )
          .execute();
      }
      let issueId: number | null = null;
      const ref = e.messageId ? readBulkMessageId(e.messageId) : null;
      if (ref && e.kind !== 'complaint') {
        const delivery = await trx
          .selectFrom('newsletter_deliveries')
          .select('id')
          .where('issue_id', '=', ref.issueId)
          .where('subscriber_id', '=', ref.subscriberId)
          .where('email', '=', email)
          .executeTakeFirst();
        if (delivery) {
          issueId = ref.issueId;
          await trx
            .updateTable('newsletter_issues')
            .set((eb) => ({ bounced_count: eb('bounced_count', '+', 1) }))
            .where('id', '=', ref.issueId)
            .execute();
        }
      }
      const state = await trx
        .selectFrom('mail_suppressions')
        .select('suppressed')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      return { duplicate: false, suppressed: state.suppressed === 1, issueId };
    });
  }
}

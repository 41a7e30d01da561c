// What moderators do about members rather than single comments: warnings, suspensions until a time, bans
// from one site or the whole network (optionally rejecting the member's comments), lifting them, notes on a
// member, and the history a moderator reads beside a comment. Also the check every reader write makes:
// whether a suspension or ban is in force for the member on that site.
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/log.ts';
import type { Database } from '../db/database.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { bumpReplyCount, type Ctx, inTransaction, type Trx } from './context.ts';
import type { MemberHistory, MemberNote, ModeratorActor, Sanction, SanctionInput } from './model.ts';
import type { MemberSanctionsTable } from './tables.ts';

type Q = Kysely<Database> | Trx;

function toSanction(r: {
  id: number;
  user_id: number;
  site_id: number | null;
  kind: MemberSanctionsTable['kind'];
  message: string;
  ends_at: string | Date | null;
  created_at: string | Date;
  created_by: number | null;
  lifted_at: string | Date | null;
  lifted_by: number | null;
}): Sanction {
  return {
    id: r.id,
    userId: r.user_id,
    siteId: r.site_id,
    kind: r.kind,
    message: r.message,
    endsAt: fromDbTimeOrNull(r.ends_at),
    createdAt: fromDbTime(r.created_at),
    createdBy: r.created_by,
    liftedAt: fromDbTimeOrNull(r.lifted_at),
    liftedBy: r.lifted_by,
  };
}

/** The ban or suspension in force for the member on the site (a ban first, then the latest end), or null. */
export async function activeSanction(
  q: Q,
  userId: number,
  siteId: number,
  now: Date,
): Promise<Sanction | null> {
  const rows = await q
    .selectFrom('member_sanctions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('kind', 'in', ['suspension', 'ban'])
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('site_id', 'is', null), eb('site_id', '=', siteId)]))
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', toDbTime(now))]))
    .execute();
  if (rows.length === 0) return null;
  const list = rows.map(toSanction);
  list.sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'ban' ? -1 : 1;
    return (
      (b.endsAt?.getTime() ?? Number.POSITIVE_INFINITY) - (a.endsAt?.getTime() ?? Number.POSITIVE_INFINITY)
    );
  });
  return list[0] ?? null;
}

/** Refuses a reader write while a suspension or ban is in force: the error names the reason and the end. */
export async function assertNotSanctioned(q: Q, userId: number, siteId: number, now: Date): Promise<void> {
  const s = await activeSanction(q, userId, siteId, now);
  if (!s) return;
  const where = s.siteId === null ? 'anywhere on this network' : 'on this site';
  const reason = s.message ? ` The moderators' reason: "${s.message}".` : '';
  const until = s.endsAt ? s.endsAt.toISOString() : null;
  if (s.kind === 'ban' && !until) {
    throw new DatelineError(
      'MEMBER_BANNED',
      `Your account is banned from commenting ${where}, so this was not accepted.${reason} ` +
        'If you think this is a mistake, write to the site.',
      { sanction: s.id, reason: s.message, until: 'never' },
    );
  }
  throw new DatelineError(
    s.kind === 'ban' ? 'MEMBER_BANNED' : 'MEMBER_SUSPENDED',
    `Your account may not comment ${where} until ${until}, so this was not accepted.${reason} ` +
      'You can comment again after that time.',
    { sanction: s.id, reason: s.message, until: until ?? 'never' },
  );
}

export async function sanction(
  ctx: Ctx,
  mod: ModeratorActor,
  userId: number,
  input: SanctionInput,
): Promise<Sanction> {
  const now = ctx.now();
  const message = (input.message ?? '').trim();
  const invalid = (what: string) =>
    new DatelineError('SANCTION_INVALID', `${what} Change it, then send again.`);
  if (!['warning', 'suspension', 'ban'].includes(input.kind))
    throw invalid(`"${input.kind}" is not a sanction.`);
  if (message.length > 2000) throw invalid('The message to the member is over 2,000 characters.');
  if (input.kind === 'warning' && message === '') throw invalid('A warning needs a message to the member.');
  const endsAt = input.kind === 'warning' ? null : (input.endsAt ?? null);
  if (input.kind === 'suspension' && !endsAt) throw invalid('A suspension needs the time it ends.');
  if (endsAt && endsAt <= now) throw invalid('The end of the sanction is not in the future.');
  return inTransaction(ctx, async (trx, record) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'display_name'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw new DatelineError('ACCOUNT_NOT_FOUND', `There is no member with id ${userId}.`);
    const row = await trx
      .insertInto('member_sanctions')
      .values({
        user_id: userId,
        site_id: input.siteId,
        kind: input.kind,
        message,
        ends_at: endsAt ? toDbTime(endsAt) : null,
        created_at: toDbTime(now),
        created_by: mod.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    let rejected = 0;
    if (input.rejectExisting && input.kind !== 'warning') {
      rejected = await rejectAllOf(ctx, trx, record, mod, userId, input.siteId);
    }
    await recordAudit(trx, {
      actor: mod.label,
      action: `member.${input.kind === 'warning' ? 'warned' : input.kind === 'ban' ? 'banned' : 'suspended'}`,
      subjectType: 'user',
      subjectId: userId,
      after: { kind: input.kind, siteId: input.siteId, endsAt: endsAt?.toISOString() ?? null, message },
      detail: { sanction: row.id, rejectedComments: rejected },
    });
    if (ctx.mail && user.email) {
      const where = input.siteId === null ? 'on every site of the network' : 'on the site';
      const what =
        input.kind === 'warning'
          ? 'The moderators sent you a warning about your comments.'
          : `Your account may not comment ${where} ${endsAt ? `until ${endsAt.toUTCString()}` : 'any more'}.`;
      const text = `${what}\n\n${message ? `Their message:\n${message}\n` : ''}`;
      await ctx.mail.queue(
        {
          key: `member-sanction:${row.id}`,
          kind: 'member.sanction',
          to: user.email,
          subject: input.kind === 'warning' ? 'A warning from the moderators' : 'Your commenting is paused',
          text,
          html: `<p>${escapeText(what)}</p>${message ? `<p>Their message:</p><p>${escapeText(message)}</p>` : ''}`,
          siteId: input.siteId,
          userId,
        },
        trx,
      );
    }
    return toSanction(row);
  });
}

function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Rejects a member's published and pending comments (on one site, or everywhere); returns how many. */
async function rejectAllOf(
  ctx: Ctx,
  trx: Trx,
  record: Parameters<Parameters<typeof inTransaction>[1]>[1],
  mod: ModeratorActor,
  userId: number,
  siteId: number | null,
): Promise<number> {
  let q = trx
    .selectFrom('comments')
    .select(['id', 'site_id', 'article_id', 'parent_id', 'status'])
    .where('author_id', '=', userId)
    .where('status', 'in', ['published', 'pending']);
  if (siteId !== null) q = q.where('site_id', '=', siteId);
  const rows = await q.execute();
  if (rows.length === 0) return 0;
  const now = toDbTime(ctx.now());
  for (const r of rows) {
    await trx
      .updateTable('comments')
      .set({
        status: 'rejected',
        reject_reason: 'member_sanctioned',
        reviewed_at: now,
        reviewed_by: mod.userId,
        featured_at: null,
        updated_at: now,
      })
      .where('id', '=', r.id)
      .execute();
    if (r.status === 'published') await bumpReplyCount(trx, r.parent_id, -1);
    await record({
      type: 'comment.changed',
      siteId: r.site_id,
      articleId: r.article_id,
      commentId: r.id,
      change: 'rejected',
      visible: r.status === 'published',
    });
  }
  return rows.length;
}

export async function lift(ctx: Ctx, mod: ModeratorActor, sanctionId: number): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const r = await trx
      .updateTable('member_sanctions')
      .set({ lifted_at: toDbTime(ctx.now()), lifted_by: mod.userId })
      .where('id', '=', sanctionId)
      .where('lifted_at', 'is', null)
      .returning(['user_id', 'kind', 'site_id'])
      .executeTakeFirst();
    if (!r) {
      throw new DatelineError(
        'SANCTION_NOT_FOUND',
        `There is no sanction ${sanctionId} in force (it may have been lifted already). Reload the member's page.`,
      );
    }
    await recordAudit(trx, {
      actor: mod.label,
      action: 'member.sanction_lifted',
      subjectType: 'user',
      subjectId: r.user_id,
      detail: { sanction: sanctionId, kind: r.kind, siteId: r.site_id },
    });
  });
}

export async function addMemberNote(
  ctx: Ctx,
  mod: ModeratorActor,
  userId: number,
  body: string,
): Promise<MemberNote> {
  const text = (body ?? '').trim();
  if (text === '' || text.length > 4000) {
    throw new DatelineError(
      'MEMBER_NOTE_INVALID',
      'A note on a member needs some text, at most 4,000 characters. Change it, then save again.',
    );
  }
  return inTransaction(ctx, async (trx) => {
    const row = await trx
      .insertInto('member_notes')
      .values({ user_id: userId, author_id: mod.userId, body: text, created_at: toDbTime(ctx.now()) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: mod.label,
      action: 'member.note_added',
      subjectType: 'user',
      subjectId: userId,
      detail: { note: row.id },
    });
    return {
      id: row.id,
      userId: row.user_id,
      authorId: row.author_id,
      body: row.body,
      createdAt: fromDbTime(row.created_at),
    };
  });
}

export async function memberHistory(ctx: Ctx, userId: number): Promise<MemberHistory> {
  const q = ctx.db.kysely;
  const [counts, approved, sanctions, notes] = await Promise.all([
    q
      .selectFrom('comments')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('author_id', '=', userId)
      .groupBy('status')
      .execute(),
    q
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('author_id', '=', userId)
      .where('status', '=', 'published')
      .where('reviewed_at', 'is not', null)
      .executeTakeFirst(),
    q
      .selectFrom('member_sanctions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .execute(),
    q.selectFrom('member_notes').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute(),
  ]);
  const by = new Map(counts.map((c) => [c.status, Number(c.n)]));
  return {
    userId,
    counts: {
      published: by.get('published') ?? 0,
      pending: by.get('pending') ?? 0,
      rejected: by.get('rejected') ?? 0,
      deleted: by.get('deleted') ?? 0,
      approved: Number(approved?.n ?? 0),
    },
    sanctions: sanctions.map(toSanction),
    notes: notes.map((n) => ({
      id: n.id,
      userId: n.user_id,
      authorId: n.author_id,
      body: n.body,
      createdAt: fromDbTime(n.created_at),
    })),
  };
}

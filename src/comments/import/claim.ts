// Claiming imported comments. An imported author is an unclaimed profile with the sha256 of the address the
// export gave (importer.ts). When a reader proves they hold that address (the registration link, a password
// reset, an email change, a social sign-up with a verified address) or asks from My account, every unclaimed
// profile with the same hash is merged into their account in one transaction: its comments (and what
// moderators recorded about it) move to the reader, the import-author row points at the reader with
// claimed_at/claimed_by set (so a later import of the same export files new comments under the reader), and
// the placeholder user is removed. Each thread whose comments changed author gets one comment.changed event.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { toDbTime } from '../../db/values.ts';
import type { DomainEvent } from '../../events/bus.ts';
import type { Events } from '../../events/log.ts';
import { emailHashOf } from './read-export.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface ClaimResult {
  profiles: number;
  comments: number;
}

/** Unclaimed profiles waiting for this address (for My account's "Claim imported comments"). */
export async function claimableProfiles(
  q: Q,
  email: string | null,
): Promise<{ userId: number; comments: number }[]> {
  const hash = emailHashOf(email);
  if (!hash) return [];
  const rows = await q
    .selectFrom('comment_import_authors as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select([
      'a.user_id',
      (eb) =>
        eb
          .selectFrom('comments')
          .select(eb.fn.countAll().as('n'))
          .whereRef('comments.author_id', '=', 'a.user_id')
          .as('comments'),
    ])
    .where('a.email_hash', '=', hash)
    .where('a.claimed_at', 'is', null)
    .where('u.status', '=', 'unclaimed')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, comments: Number(r.comments ?? 0) }));
}

/**
 * Merges every unclaimed profile of `email` into `userId`, inside the caller's transaction. Returns what
 * moved and a function that publishes the events once the transaction committed.
 */
export async function claimImportedProfiles(
  trx: Q,
  events: Events,
  input: { userId: number; email: string | null; now: Date },
): Promise<ClaimResult & { publish: () => void }> {
  const found = await claimableProfiles(trx, input.email);
  const recorded: { event: DomainEvent; id: number }[] = [];
  let comments = 0;
  const profiles = found.filter((p) => p.userId !== input.userId);
  for (const { userId: placeholder } of profiles) {
    const threads = await trx
      .selectFrom('comments')
      .select(['site_id', 'article_id', (eb) => eb.fn.min('id').as('first')])
      .where('author_id', '=', placeholder)
      .groupBy(['site_id', 'article_id'])
      .execute();
    // The reader may have voted on what turns out to be their own comment: such votes go, with their tally.
    const ownVotes = await trx
      .selectFrom('comment_votes')
      .innerJoin('comments', 'comments.id', 'comment_votes.comment_id')
      .select(['comment_votes.comment_id', 'comment_votes.value'])
      .where('comment_votes.user_id', '=', input.userId)
      .where('comments.author_id', '=', placeholder)
      .execute();
    for (const v of ownVotes) {
      await trx
        .deleteFrom('comment_votes')
        .where('comment_id', '=', v.comment_id)
        .where('user_id', '=', input.userId)
        .execute();
      await trx
        .updateTable('comments')
        .set((eb) =>
          Number(v.value) > 0
            ? { up_count: eb('up_count', '-', 1) }
            : { down_count: eb('down_count', '-', 1) },
        )
        .where('id', '=', v.comment_id)
        .execute();
    }
    const moved = await trx
      .updateTable('comments')
      .set({ author_id: input.userId })
      .where('author_id', '=', placeholder)
      .executeTakeFirst();
    comments += Number(moved.numUpdatedRows);
    for (const table of ['member_notes', 'member_sanctions', 'comment_notifications'] as const) {
      await trx
        .updateTable(table)
        .set({ user_id: input.userId })
        .where('user_id', '=', placeholder)
        .execute();
    }
    await trx
      .updateTable('comment_import_authors')
      .set({ user_id: input.userId, claimed_at: toDbTime(input.now), claimed_by: input.userId })
      .where('user_id', '=', placeholder)
      .execute();
    await trx.deleteFrom('users').where('id', '=', placeholder).where('status', '=', 'unclaimed').execute();
    for (const t of threads) {
      const event: DomainEvent = {
        type: 'comment.changed',
        siteId: t.site_id,
        articleId: t.article_id,
        commentId: Number(t.first),
      };
      // Always inside a transaction: the accounts flows and claimForVerifiedReader open one.
      recorded.push({ event, id: await events.record(trx as Transaction<Database>, event) });
    }
  }
  return {
    profiles: profiles.length,
    comments,
    publish: () => {
      for (const r of recorded) events.published(r.event, r.id);
    },
  };
}

/** The "Claim imported comments" action: its own transaction, for a reader whose address is verified. */
export async function claimForVerifiedReader(
  db: Kysely<Database>,
  events: Events,
  input: { userId: number; now: Date },
): Promise<ClaimResult> {
  const done = await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['email', 'email_verified_at', 'status'])
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (user?.status !== 'active' || !user.email || !user.email_verified_at)
      return { profiles: 0, comments: 0, publish: () => {} };
    return claimImportedProfiles(trx, events, { userId: input.userId, email: user.email, now: input.now });
  });
  done.publish();
  return { profiles: done.profiles, comments: done.comments };
}

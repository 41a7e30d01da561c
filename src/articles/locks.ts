// Who has a story open in the editor. The editor screen asks for the lock when it opens and every 30 s
// after (the heartbeat); a lock without a heartbeat for two minutes (a closed tab, a lost connection) is
// free for the next editor. Another editor can take a held lock over after the screen has warned them;
// the lock then names the editor it displaced, whose next heartbeat answers that they no longer hold it,
// who does and since when. Locks are advice to people: saves are kept safe by the revision check
// (editing.ts), whoever holds the lock.
import type { Db } from '../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { actorOf, storyNotFound } from './story.ts';
import { auditStory } from './story-audit.ts';

/** A lock not renewed for this long is free. */
export const LOCK_STALE_MS = 2 * 60_000;

export type LockState =
  | { held: true; since: Date }
  | {
      held: false;
      /** Who holds it now. */
      by: { userId: number; name: string };
      since: Date;
      /** True when it was taken over from the asker (the screen tells them so). */
      takenOver: boolean;
    };

export interface LockHolder {
  userId: number;
  name: string;
  since: Date;
  heartbeatAt: Date;
}

export class StoryLocks {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q() {
    return this.db.kysely;
  }

  /**
   * Takes the lock if it is free, stale or already the asker's (renewing its heartbeat): the editor's
   * heartbeat. One conditional upsert, so two editors opening a story at once cannot both get it.
   */
  async acquire(articleId: number, userId: number): Promise<LockState> {
    const now = this.now();
    const at = toDbTime(now);
    const staleBefore = toDbTime(new Date(now.getTime() - LOCK_STALE_MS));
    const taken = await this.q
      .insertInto('story_locks')
      .values({ article_id: articleId, user_id: userId, since: at, heartbeat_at: at })
      .onConflict((oc) =>
        oc
          .column('article_id')
          .doUpdateSet({
            // A renewal keeps the time the editor first opened it; a stale lock starts over.
            since: (eb) =>
              eb
                .case()
                .when('story_locks.user_id', '=', userId)
                .then(eb.ref('story_locks.since'))
                .else(at)
                .end(),
            user_id: userId,
            heartbeat_at: at,
            displaced_user_id: (eb) =>
              eb
                .case()
                .when('story_locks.user_id', '=', userId)
                .then(eb.ref('story_locks.displaced_user_id'))
                .else(null)
                .end(),
          })
          .where((eb) =>
            eb.or([eb('story_locks.user_id', '=', userId), eb('story_locks.heartbeat_at', '<', staleBefore)]),
          ),
      )
      .returning(['since'])
      .executeTakeFirst()
      .catch(async (err: unknown) => {
        // The only foreign key that can fail here is the story's (the account is the signed-in one).
        if (!(await this.storyExists(articleId))) throw storyNotFound(articleId);
        throw err;
      });
    if (taken) return { held: true, since: fromDbTime(taken.since) };
    return this.heldByOther(articleId, userId);
  }

  /**
   * Takes the lock from whoever holds it (the screen has warned the asker first), remembering who was
   * displaced so their screen is told. Audit-logged, since it interrupts someone's work.
   */
  async takeOver(articleId: number, userId: number): Promise<LockState> {
    const now = toDbTime(this.now());
    return this.q.transaction().execute(async (trx) => {
      const story = await trx
        .selectFrom('articles')
        .select('id')
        .where('id', '=', articleId)
        .executeTakeFirst();
      if (!story) throw storyNotFound(articleId);
      const before = await trx
        .selectFrom('story_locks')
        .select(['user_id', 'heartbeat_at'])
        .where('article_id', '=', articleId)
        .executeTakeFirst();
      const displaced = before && before.user_id !== userId ? before.user_id : null;
      await trx
        .insertInto('story_locks')
        .values({
          article_id: articleId,
          user_id: userId,
          since: now,
          heartbeat_at: now,
          displaced_user_id: displaced,
          displaced_at: displaced === null ? null : now,
        })
        .onConflict((oc) =>
          oc.column('article_id').doUpdateSet({
            user_id: userId,
            since: now,
            heartbeat_at: now,
            displaced_user_id: displaced,
            displaced_at: displaced === null ? null : now,
          }),
        )
        .execute();
      if (displaced !== null) {
        await auditStory(trx, {
          actor: actorOf(userId),
          action: 'story.lock_taken_over',
          storyId: articleId,
          before: { lockedBy: actorOf(displaced) },
          after: { lockedBy: actorOf(userId) },
        });
      }
      return { held: true as const, since: fromDbTime(now) };
    });
  }

  /** Lets the lock go (the editor left the story); a lock held by someone else is left alone. */
  async release(articleId: number, userId: number): Promise<void> {
    await this.q
      .deleteFrom('story_locks')
      .where('article_id', '=', articleId)
      .where('user_id', '=', userId)
      .execute();
  }

  /** Who has the story open, if anyone (a stale lock counts as nobody). */
  async holder(articleId: number): Promise<LockHolder | null> {
    return (await this.holders([articleId])).get(articleId) ?? null;
  }

  /** The live locks of several stories at once (for the story list), by story id. */
  async holders(articleIds: readonly number[]): Promise<Map<number, LockHolder>> {
    const out = new Map<number, LockHolder>();
    if (articleIds.length === 0) return out;
    const staleBefore = toDbTime(new Date(this.now().getTime() - LOCK_STALE_MS));
    const rows = await this.q
      .selectFrom('story_locks as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .select(['l.article_id', 'l.user_id', 'l.since', 'l.heartbeat_at', 'u.display_name'])
      .where('l.article_id', 'in', articleIds)
      .where('l.heartbeat_at', '>=', staleBefore)
      .execute();
    for (const r of rows) {
      out.set(r.article_id, {
        userId: r.user_id,
        name: r.display_name,
        since: fromDbTime(r.since),
        heartbeatAt: fromDbTime(r.heartbeat_at),
      });
    }
    return out;
  }

  private async heldByOther(articleId: number, userId: number): Promise<LockState> {
    const r = await this.q
      .selectFrom('story_locks as l')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .select(['l.user_id', 'l.since', 'l.displaced_user_id', 'l.displaced_at', 'u.display_name'])
      .where('l.article_id', '=', articleId)
      .executeTakeFirst();
    if (!r) {
      // Released between the upsert and this read: try once more.
      return this.acquire(articleId, userId);
    }
    return {
      held: false,
      by: { userId: r.user_id, name: r.display_name },
      since: fromDbTime(r.since),
      takenOver: r.displaced_user_id === userId && fromDbTimeOrNull(r.displaced_at) !== null,
    };
  }

  private async storyExists(articleId: number): Promise<boolean> {
    const r = await this.q.selectFrom('articles').select('id').where('id', '=', articleId).executeTakeFirst();
    return r !== undefined;
  }
}

// Moderators' settings for comments: modes per site, section or story (closing and opening a thread by hand)
// and the banned/suspect word lists. Each change is one transaction with its audit entry; a mode change
// records comment.policy_changed so cached pages of the thread (or the site) drop; a word-list change drops
// the compiled lists of the sites it touches.
import { recordAudit } from '../audit/log.ts';
import { fromDbTime, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { type Ctx, inTransaction, type Trx } from './context.ts';
import type { ModeratorActor, PolicyPatch, PolicyScope, WordEntry, WordKind } from './model.ts';
import { checkPatch, parseScope, resolvePolicy, storyOnSite, writePolicy } from './policy.ts';
import { checkPattern } from './words.ts';

type Record_ = Parameters<Parameters<typeof inTransaction>[1]>[1];

async function applyPolicy(
  ctx: Ctx,
  trx: Trx,
  record: Record_,
  mod: ModeratorActor,
  siteId: number,
  scope: PolicyScope,
  patch: PolicyPatch,
): Promise<void> {
  const target = parseScope(scope);
  checkPatch(patch);
  if (target.kind === 'section') {
    const s = await trx
      .selectFrom('sections')
      .select('site_id')
      .where('id', '=', target.id!)
      .executeTakeFirst();
    if (s?.site_id !== siteId) {
      throw new DatelineError(
        'COMMENT_POLICY_INVALID',
        `Section ${target.id} is not a section of site ${siteId}.`,
      );
    }
  }
  if (target.kind === 'story') {
    const p = await trx
      .selectFrom('placements')
      .select('id')
      .where('article_id', '=', target.id!)
      .where('site_id', '=', siteId)
      .executeTakeFirst();
    if (!p) throw new DatelineError('COMMENT_POLICY_INVALID', `Story ${target.id} is not on site ${siteId}.`);
  }
  const change = await writePolicy(trx, siteId, scope, patch, mod.userId, toDbTime(ctx.now()));
  await record({
    type: 'comment.policy_changed',
    siteId,
    articleId: target.kind === 'story' ? target.id : null,
  });
  await recordAudit(trx, {
    actor: mod.label,
    action: 'comment.policy_set',
    subjectType: 'comment_policy',
    subjectId: `${siteId}:${scope}`,
    before: change.before,
    after: change.after,
  });
}

export async function setPolicy(
  ctx: Ctx,
  mod: ModeratorActor,
  siteId: number,
  scope: PolicyScope,
  patch: PolicyPatch,
): Promise<void> {
  await inTransaction(ctx, (trx, record) => applyPolicy(ctx, trx, record, mod, siteId, scope, patch));
}

/**
 * Closes a story's thread by hand, or opens it. Opening sets the story's own mode to 'post' when the thread
 * is closed by hand (here or by its section or site) and stops it closing by age when it had; a thread
 * whose story is not live stays closed.
 */
export async function setThreadOpen(
  ctx: Ctx,
  mod: ModeratorActor,
  siteId: number,
  articleId: number,
  open: boolean,
): Promise<void> {
  const scope = `story:${articleId}` as const;
  await inTransaction(ctx, async (trx, record) => {
    if (!open) return applyPolicy(ctx, trx, record, mod, siteId, scope, { mode: 'closed' });
    const p = await resolvePolicy(trx, siteId, articleId, ctx.now());
    const patch: PolicyPatch = {};
    if (p.mode === 'closed') patch.mode = 'post';
    const story = await storyOnSite(trx, siteId, articleId);
    const agePassed =
      p.closeAfterDays > 0 &&
      story?.publishedAt != null &&
      story.publishedAt.getTime() + p.closeAfterDays * 86_400_000 <= ctx.now().getTime();
    if (agePassed) patch.closeAfterDays = 0;
    if (Object.keys(patch).length === 0) return;
    return applyPolicy(ctx, trx, record, mod, siteId, scope, patch);
  });
}

// Word lists.

function toWord(r: {
  id: number;
  site_id: number | null;
  kind: WordKind;
  pattern: string;
  created_at: string | Date;
  created_by: number | null;
}): WordEntry {
  return {
    id: r.id,
    siteId: r.site_id,
    kind: r.kind,
    pattern: r.pattern,
    createdAt: fromDbTime(r.created_at),
    createdBy: r.created_by,
  };
}

export async function listWords(ctx: Ctx, siteId: number | null): Promise<WordEntry[]> {
  let q = ctx.db.kysely.selectFrom('comment_words').selectAll();
  q = siteId === null ? q.where('site_id', 'is', null) : q.where('site_id', '=', siteId);
  return (await q.orderBy('kind').orderBy('pattern').execute()).map(toWord);
}

export async function addWord(
  ctx: Ctx,
  mod: ModeratorActor,
  entry: { siteId: number | null; kind: WordKind; pattern: string },
): Promise<WordEntry> {
  if (entry.kind !== 'banned' && entry.kind !== 'suspect') {
    throw new DatelineError(
      'COMMENT_WORD_INVALID',
      `"${entry.kind}" is not a word list: choose banned or suspect.`,
    );
  }
  const pattern = checkPattern(entry.pattern);
  const added = await inTransaction(ctx, async (trx) => {
    let q = trx
      .selectFrom('comment_words')
      .selectAll()
      .where('kind', '=', entry.kind)
      .where('pattern', '=', pattern);
    q = entry.siteId === null ? q.where('site_id', 'is', null) : q.where('site_id', '=', entry.siteId);
    const existing = await q.executeTakeFirst();
    if (existing) return toWord(existing);
    const row = await trx
      .insertInto('comment_words')
      .values({
        site_id: entry.siteId,
        kind: entry.kind,
        pattern,
        created_at: toDbTime(ctx.now()),
        created_by: mod.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: mod.label,
      action: 'comment.word_added',
      subjectType: 'comment_word',
      subjectId: row.id,
      after: { siteId: entry.siteId, kind: entry.kind, pattern },
    });
    return toWord(row);
  });
  ctx.words.drop(entry.siteId);
  return added;
}

export async function removeWord(ctx: Ctx, mod: ModeratorActor, id: number): Promise<void> {
  const siteId = await inTransaction(ctx, async (trx) => {
    const row = await trx.deleteFrom('comment_words').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row)
      throw new DatelineError(
        'COMMENT_WORD_NOT_FOUND',
        `There is no word entry ${id}; it may have been removed already.`,
      );
    await recordAudit(trx, {
      actor: mod.label,
      action: 'comment.word_removed',
      subjectType: 'comment_word',
      subjectId: id,
      before: { siteId: row.site_id, kind: row.kind, pattern: row.pattern },
    });
    return row.site_id;
  });
  ctx.words.drop(siteId);
}

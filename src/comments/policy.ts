// A thread's moderation mode and whether it is open. A story's own setting wins over its section's, which
// wins over its site's, which wins over the defaults (post-moderation, pre-moderation of new members until 2
// approvals when that mode is chosen, closing 14 days after publication). Each field inherits separately: a
// story can be pre-moderated while keeping its site's closing age.
// A thread is closed by hand (mode 'closed'), by age, or because its story is not live on that site (not
// published, taken down, killed by the wire, or not placed there).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { fromDbTime, fromDbTimeOrNull } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import {
  COMMENT_MODES,
  type PolicyPatch,
  type PolicyRow,
  type PolicyScope,
  type ThreadPolicy,
} from './model.ts';
import type { CommentMode } from './tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const POLICY_DEFAULTS = { mode: 'post' as CommentMode, newMemberApprovals: 2, closeAfterDays: 14 };

export interface StoryOnSite {
  articleId: number;
  siteId: number;
  sectionId: number;
  live: boolean;
  /** On this site (a republished story's own time there), else the story's. */
  publishedAt: Date | null;
}

/** The story as placed on the site, or null when it is not placed there at all. */
export async function storyOnSite(
  q: Q,
  siteId: number,
  articleId: number,
  opts: { lock?: boolean } = {},
): Promise<StoryOnSite | null> {
  let query = q
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .select(['p.section_id', 'p.live', 'p.published_at as placed_at', 'a.status', 'a.published_at'])
    .where('p.article_id', '=', articleId)
    .where('p.site_id', '=', siteId);
  // On PostgreSQL a takedown committing between this check and the comment's insert would let a comment in
  // under a story already gone: the shared lock makes the takedown wait for the post, or the post for it.
  if (opts.lock) query = query.forShare();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return {
    articleId,
    siteId,
    sectionId: row.section_id,
    live: row.live === 1 && row.status === 'published',
    publishedAt: fromDbTimeOrNull(row.placed_at) ?? fromDbTimeOrNull(row.published_at),
  };
}

/** Resolves the policy of a story on a site from the stored rows (story > section > site > defaults). */
export async function resolvePolicy(
  q: Q,
  siteId: number,
  articleId: number,
  now: Date,
  opts: { lockStory?: boolean } = {},
): Promise<ThreadPolicy> {
  const story = await storyOnSite(q, siteId, articleId, { lock: opts.lockStory });
  const scopes = ['site', `story:${articleId}`];
  if (story) scopes.push(`section:${story.sectionId}`);
  const rows = await q
    .selectFrom('comment_policies')
    .select(['scope', 'mode', 'new_member_approvals', 'close_after_days'])
    .where('site_id', '=', siteId)
    .where('scope', 'in', scopes)
    .execute();
  const order = [`story:${articleId}`, story ? `section:${story.sectionId}` : '', 'site'];
  rows.sort((a, b) => order.indexOf(a.scope) - order.indexOf(b.scope));
  const pick = <K extends 'mode' | 'new_member_approvals' | 'close_after_days'>(k: K) =>
    rows.find((r) => r[k] !== null)?.[k] ?? null;
  const mode = (pick('mode') as CommentMode | null) ?? POLICY_DEFAULTS.mode;
  const newMemberApprovals = pick('new_member_approvals') ?? POLICY_DEFAULTS.newMemberApprovals;
  const closeAfterDays = pick('close_after_days') ?? POLICY_DEFAULTS.closeAfterDays;
  const closesAt =
    closeAfterDays > 0 && story?.publishedAt
      ? new Date(story.publishedAt.getTime() + closeAfterDays * 86_400_000)
      : null;
  let closedBecause: ThreadPolicy['closedBecause'] = null;
  if (!story?.live) closedBecause = 'story_gone';
  else if (mode === 'closed') closedBecause = 'by_hand';
  else if (closesAt && closesAt <= now) closedBecause = 'age';
  return {
    mode,
    newMemberApprovals,
    closeAfterDays,
    open: closedBecause === null,
    closedBecause,
    closesAt: closedBecause === null ? closesAt : null,
  };
}

/** Checks a scope string; returns the section or story id it names (null for 'site'). */
export function parseScope(scope: string): { kind: 'site' | 'section' | 'story'; id: number | null } {
  if (scope === 'site') return { kind: 'site', id: null };
  const m = /^(section|story):([1-9]\d{0,14})$/.exec(scope);
  if (!m) {
    throw new DatelineError(
      'COMMENT_POLICY_INVALID',
      `"${scope}" is not a place a comment mode can be set: use 'site', 'section:<id>' or 'story:<id>'.`,
    );
  }
  return { kind: m[1] as 'section' | 'story', id: Number(m[2]) };
}

export function checkPatch(patch: PolicyPatch): void {
  const bad = (what: string) => {
    throw new DatelineError('COMMENT_POLICY_INVALID', `${what} Change it, then save again.`);
  };
  if (patch.mode != null && !COMMENT_MODES.includes(patch.mode)) {
    bad(`"${patch.mode}" is not a comment mode (post, pre, pre_new or closed).`);
  }
  const n = patch.newMemberApprovals;
  if (n != null && (!Number.isInteger(n) || n < 1 || n > 100)) {
    bad('The approvals a new member needs must be a whole number from 1 to 100.');
  }
  const d = patch.closeAfterDays;
  if (d != null && (!Number.isInteger(d) || d < 0 || d > 3650)) {
    bad('The days after which a thread closes must be a whole number from 0 (never) to 3650.');
  }
}

/** Upserts one scope's row; a field left undefined keeps its stored value. */
export async function writePolicy(
  q: Q,
  siteId: number,
  scope: PolicyScope,
  patch: PolicyPatch,
  by: number | null,
  now: string,
): Promise<{ before: Record<string, unknown> | null; after: Record<string, unknown> }> {
  const existing = await q
    .selectFrom('comment_policies')
    .select(['mode', 'new_member_approvals', 'close_after_days'])
    .where('site_id', '=', siteId)
    .where('scope', '=', scope)
    .executeTakeFirst();
  const next = {
    mode: patch.mode === undefined ? (existing?.mode ?? null) : patch.mode,
    new_member_approvals:
      patch.newMemberApprovals === undefined
        ? (existing?.new_member_approvals ?? null)
        : patch.newMemberApprovals,
    close_after_days:
      patch.closeAfterDays === undefined ? (existing?.close_after_days ?? null) : patch.closeAfterDays,
  };
  if (existing) {
    await q
      .updateTable('comment_policies')
      .set({ ...next, updated_at: now, updated_by: by })
      .where('site_id', '=', siteId)
      .where('scope', '=', scope)
      .execute();
  } else {
    await q
      .insertInto('comment_policies')
      .values({ site_id: siteId, scope, ...next, updated_at: now, updated_by: by })
      .execute();
  }
  return { before: existing ? { ...existing } : null, after: next };
}

export async function listPolicies(q: Q, siteId: number): Promise<PolicyRow[]> {
  const rows = await q
    .selectFrom('comment_policies')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('scope')
    .execute();
  return rows.map((r) => ({
    siteId: r.site_id,
    scope: r.scope,
    mode: r.mode,
    newMemberApprovals: r.new_member_approvals,
    closeAfterDays: r.close_after_days,
    updatedAt: fromDbTime(r.updated_at),
    updatedBy: r.updated_by,
  }));
}

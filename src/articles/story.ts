// A story as the newsroom admin sees it: the article, where it lives on its own site (section and slug of
// the canonical placement), its tags, urgent flag, author and current revision number. Also the full
// snapshot a revision made through the admin keeps, and the queries both editing and publishing share:
// loading a story, the revisions after a given one, and completing the revision a change just made.
import { sql } from 'kysely';
import { staffActor, staffIdOfActor } from '../audit/log.ts';
import { fromDbTime, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { Article } from './article.ts';
import { placementsOf, type Q, toArticle } from './repository.ts';
import type { ArticleStatus } from './tables.ts';

export interface Story {
  article: Article;
  sectionId: number;
  slug: string;
  tags: string[];
  urgent: boolean;
  /** The staff account that created it in the admin; null for wire, imports and the demo. */
  createdBy: number | null;
  /** The newest revision's number: what a save must name to show it saw the latest. */
  revision: number;
}

/**
 * What a revision made through the admin records: every field an editor sees, so two revisions can be
 * compared and one restored. Revisions made before (or by the wire and the scheduler) hold the article's
 * fields only; section, slug, tags and urgent are then absent.
 */
export interface StorySnapshot {
  headline: string;
  dek: string;
  byline: string | null;
  dateline: string | null;
  bodyHtml: string;
  sourceCopyright: string | null;
  leadMediaId: number | null;
  status: ArticleStatus;
  publishAt: string | null;
  sectionId?: number;
  slug?: string;
  tags?: string[];
  urgent?: boolean;
}

/**
 * Fields whose change by someone else makes a save based on an older revision a conflict: the ones the
 * editor form writes. A revision that only changed the status (the scheduler publishing it), the schedule
 * or where else it appears overwrote nothing the editor holds, so saving over it is safe.
 */
export const EDITED_FIELDS = [
  'headline',
  'dek',
  'byline',
  'dateline',
  'bodyHtml',
  'sourceCopyright',
  'leadMediaId',
  'section',
  'slug',
  'tags',
  'urgent',
] as const;

export function storyNotFound(id: number): DatelineError {
  return new DatelineError('ARTICLE_NOT_FOUND', `There is no story with id ${id}.`, { article: id });
}

export function parseTags(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

export async function currentRevision(q: Q, articleId: number): Promise<number> {
  const r = await q
    .selectFrom('article_revisions')
    .select((eb) => eb.fn.max('revision').as('n'))
    .where('article_id', '=', articleId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function loadStory(q: Q, id: number): Promise<Story | null> {
  const [row, placements, revision] = await Promise.all([
    q.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst(),
    placementsOf(q, id),
    currentRevision(q, id),
  ]);
  if (!row) return null;
  const canonical = placements.find((p) => p.canonical) ?? placements[0]!;
  return {
    article: toArticle(row),
    sectionId: canonical.sectionId,
    slug: canonical.slug,
    tags: parseTags(row.tags),
    urgent: row.urgent === 1,
    createdBy: row.created_by,
    revision,
  };
}

export async function requireStory(q: Q, id: number): Promise<Story> {
  const story = await loadStory(q, id);
  if (!story) throw storyNotFound(id);
  return story;
}

export function snapshotOf(story: Story): StorySnapshot {
  const a = story.article;
  return {
    headline: a.headline,
    dek: a.dek,
    byline: a.byline,
    dateline: a.dateline,
    bodyHtml: a.bodyHtml,
    sourceCopyright: a.sourceCopyright,
    leadMediaId: a.leadMediaId,
    status: a.status,
    publishAt: a.publishAt ? a.publishAt.toISOString() : null,
    sectionId: story.sectionId,
    slug: story.slug,
    tags: story.tags,
    urgent: story.urgent,
  };
}

/**
 * Holds the story's row until the transaction ends, so two saves of one story take turns (on PostgreSQL;
 * SQLite runs one write transaction at a time anyway). The second then sees the first one's revision.
 */
export async function lockStoryRow(q: Q, dialect: 'sqlite' | 'postgres', id: number): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select id from articles where id = ${id} for update`.execute(q);
}

/**
 * Makes the revisions a change wrote (ArticleService writes one per change with the article's fields)
 * complete: the newest gets the story's full snapshot and `extraChanged` in its changed fields. When the
 * change made no revision but `extraChanged` names fields (only tags or urgent changed), one is added.
 * Returns the story's revision number afterwards.
 */
export async function completeRevision(
  q: Q,
  story: Story,
  before: number,
  extraChanged: string[],
  actor: string,
  now: Date,
): Promise<number> {
  const latest = await currentRevision(q, story.article.id);
  const snapshot = JSON.stringify({ ...story.article, ...snapshotOf(story) });
  if (latest > before) {
    const row = await q
      .selectFrom('article_revisions')
      .select('changed_fields')
      .where('article_id', '=', story.article.id)
      .where('revision', '=', latest)
      .executeTakeFirstOrThrow();
    const changed = [...new Set([...(JSON.parse(row.changed_fields) as string[]), ...extraChanged])];
    await q
      .updateTable('article_revisions')
      .set({ snapshot, changed_fields: JSON.stringify(changed) })
      .where('article_id', '=', story.article.id)
      .where('revision', '=', latest)
      .execute();
    return latest;
  }
  if (extraChanged.length === 0) return latest;
  await q
    .insertInto('article_revisions')
    .values({
      article_id: story.article.id,
      revision: latest + 1,
      actor,
      changed_fields: JSON.stringify(extraChanged),
      snapshot,
      created_at: toDbTime(now),
    })
    .execute();
  return latest + 1;
}

export interface LaterRevision {
  revision: number;
  actor: string;
  changedFields: string[];
  createdAt: Date;
}

/** The revisions after `revision`, oldest first (usually none). */
export async function revisionsAfter(q: Q, articleId: number, revision: number): Promise<LaterRevision[]> {
  const rows = await q
    .selectFrom('article_revisions')
    .select(['revision', 'actor', 'changed_fields', 'created_at'])
    .where('article_id', '=', articleId)
    .where('revision', '>', revision)
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({
    revision: r.revision,
    actor: r.actor,
    changedFields: JSON.parse(r.changed_fields) as string[],
    createdAt: fromDbTime(r.created_at),
  }));
}

/** The later revision a save based on `revision` would overwrite, if any (the newest such one). */
export function conflictingRevision(later: readonly LaterRevision[]): LaterRevision | null {
  const edits = later.filter((r) =>
    r.changedFields.some(
      (f) => (EDITED_FIELDS as readonly string[]).includes(f) || f.startsWith('restored:'),
    ),
  );
  return edits.at(-1) ?? null;
}

/**
 * Names for actors as the audit log and revisions write them: `user:<id>` becomes the account's display
 * name; the wire, the CLI, the scheduler and imports keep their own names.
 */
export async function actorNames(q: Q, actors: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>(actors.map((a) => [a, a]));
  const ids = [...new Set(actors.map(staffIdOfActor).filter((n): n is number => n !== null))];
  if (ids.length > 0) {
    const rows = await q.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r.display_name]));
    for (const a of actors) {
      const n = staffIdOfActor(a);
      if (n !== null && byId.has(n)) names.set(a, byId.get(n)!);
    }
  }
  return names;
}

/** The actor name of a staff account in revisions and the audit log. */
export const actorOf = staffActor;

/** The conflict a save answers when the story moved on: the newest revision, who made it and when. */
export async function editConflict(
  q: Q,
  id: number,
  theirs: LaterRevision,
  latest: number,
): Promise<DatelineError> {
  const by = (await actorNames(q, [theirs.actor])).get(theirs.actor) ?? theirs.actor;
  return new DatelineError(
    'EDIT_CONFLICT',
    `${by} saved this story at ${theirs.createdAt.toISOString()} (revision ${theirs.revision}) after your copy was opened. Nothing was overwritten and your copy is kept: compare the two, take what you need into the newest version, and save again.`,
    { article: id, revision: latest, theirs: theirs.revision, by, at: theirs.createdAt.toISOString() },
  );
}

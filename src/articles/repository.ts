// Queries on articles, placements, revisions and redirects. Values come back normalised (see db/values).
import type { Compilable, Insertable, Kysely, QueryResult, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { reusableQuery, runCompiledOnce } from '../db/reusable-query.ts';
import { fromDbBool, fromDbTime, fromDbTimeOrNull } from '../db/values.ts';
import type { Article, Placement } from './article.ts';
import type { ArticleRevisionsTable, ArticlesTable, PlacementsTable } from './tables.ts';

export type Q = Kysely<Database> | Transaction<Database>;

// ---- the writes every new article makes ------------------------------------------------------------------

// Compiled once per dialect, then run with fresh parameters: building and compiling a Kysely insert costs
// more than SQLite takes to run it, and a wire batch creates hundreds of articles. Each statement lists its
// columns, so the parameters always come in the order the SQL was compiled with.
function runCompiled<T extends object, R>(
  q: Q,
  name: string,
  columns: readonly (keyof T & string)[],
  values: T,
  build: (row: T) => Compilable<R>,
): Promise<QueryResult<R>> {
  // undefined would make Kysely leave the column out of the SQL; every column is always sent.
  const parameters = columns.map((c) => values[c] ?? null);
  const row = () => Object.fromEntries(columns.map((c, i) => [c, parameters[i]])) as T;
  return runCompiledOnce<R>(q, name, () => build(row()), parameters);
}

export type NewArticleRow = Required<
  Omit<Insertable<ArticlesTable>, 'id' | 'content_updated_at' | 'taken_down_at' | 'takedown_reason'>
>;
const ARTICLE_COLUMNS = [
  'site_id',
  'headline',
  'dek',
  'byline',
  'dateline',
  'body_html',
  'source_copyright',
  'lead_media_id',
  'status',
  'publish_at',
  'published_at',
  'created_at',
  'modified_at',
] as const satisfies readonly (keyof NewArticleRow)[];

export async function insertArticle(q: Q, values: NewArticleRow): Promise<Selectable<ArticlesTable>> {
  const { rows } = await runCompiled(q, 'insertArticle', ARTICLE_COLUMNS, values, (row) =>
    q.insertInto('articles').values(row).returningAll(),
  );
  return rows[0]!;
}

export type NewPlacementRow = Required<Omit<Insertable<PlacementsTable>, 'id'>>;
const PLACEMENT_COLUMNS = [
  'article_id',
  'site_id',
  'section_id',
  'slug',
  'canonical',
  'live',
  'published_at',
] as const satisfies readonly (keyof NewPlacementRow)[];

/** Inserts a placement unless its slug is taken on that site (then null): the insert is the check. */
export async function insertPlacementIfSlugFree(q: Q, values: NewPlacementRow): Promise<Placement | null> {
  const { rows } = await runCompiled(q, 'insertPlacementIfSlugFree', PLACEMENT_COLUMNS, values, (row) =>
    q
      .insertInto('placements')
      .values(row)
      .onConflict((oc) => oc.columns(['site_id', 'slug']).doNothing())
      .returningAll(),
  );
  return rows[0] ? toPlacement(rows[0]) : null;
}

export type NewRevisionRow = Required<Omit<Insertable<ArticleRevisionsTable>, 'id'>>;
const REVISION_COLUMNS = [
  'article_id',
  'revision',
  'actor',
  'changed_fields',
  'snapshot',
  'created_at',
] as const satisfies readonly (keyof NewRevisionRow)[];

export async function insertRevision(q: Q, values: NewRevisionRow): Promise<void> {
  await runCompiled(q, 'insertRevision', REVISION_COLUMNS, values, (row) =>
    q.insertInto('article_revisions').values(row),
  );
}

export function toArticle(r: Selectable<ArticlesTable>): Article {
  return {
    id: r.id,
    siteId: r.site_id,
    headline: r.headline,
    dek: r.dek,
    byline: r.byline,
    dateline: r.dateline,
    bodyHtml: r.body_html,
    sourceCopyright: r.source_copyright,
    leadMediaId: r.lead_media_id,
    status: r.status,
    publishAt: fromDbTimeOrNull(r.publish_at),
    publishedAt: fromDbTimeOrNull(r.published_at),
    contentUpdatedAt: fromDbTimeOrNull(r.content_updated_at),
    takenDownAt: fromDbTimeOrNull(r.taken_down_at),
    takedownReason: r.takedown_reason,
    createdAt: fromDbTime(r.created_at),
    modifiedAt: fromDbTime(r.modified_at),
  };
}

export function toPlacement(r: Selectable<PlacementsTable>): Placement {
  return {
    id: r.id,
    articleId: r.article_id,
    siteId: r.site_id,
    sectionId: r.section_id,
    slug: r.slug,
    canonical: fromDbBool(r.canonical),
    live: fromDbBool(r.live),
    publishedAt: fromDbTimeOrNull(r.published_at),
  };
}

const articleById = reusableQuery((q, id: number) =>
  q.selectFrom('articles').selectAll().where('id', '=', id),
);

export async function findArticle(q: Q, id: number): Promise<Article | null> {
  const [r] = await articleById(q, id);
  return r ? toArticle(r) : null;
}

const placementsByArticle = reusableQuery((q, articleId: number) =>
  q.selectFrom('placements').selectAll().where('article_id', '=', articleId).orderBy('id'),
);

export async function placementsOf(q: Q, articleId: number): Promise<Placement[]> {
  return (await placementsByArticle(q, articleId)).map(toPlacement);
}

/** Several articles at once, each with its placements (in id order); missing ids are absent. */
export async function findArticlesWithPlacements(
  q: Q,
  ids: readonly number[],
): Promise<Map<number, { article: Article; placements: Placement[] }>> {
  const found = new Map<number, { article: Article; placements: Placement[] }>();
  if (ids.length === 0) return found;
  const [articles, placements] = await Promise.all([
    q.selectFrom('articles').selectAll().where('id', 'in', ids).execute(),
    q.selectFrom('placements').selectAll().where('article_id', 'in', ids).orderBy('id').execute(),
  ]);
  for (const r of articles) found.set(r.id, { article: toArticle(r), placements: [] });
  for (const r of placements) found.get(r.article_id)?.placements.push(toPlacement(r));
  return found;
}

const placementBySlug = reusableQuery((q, siteId: number, slug: string) =>
  q.selectFrom('placements').selectAll().where('site_id', '=', siteId).where('slug', '=', slug),
);

export async function findPlacementBySlug(q: Q, siteId: number, slug: string): Promise<Placement | null> {
  const [r] = await placementBySlug(q, siteId, slug);
  return r ? toPlacement(r) : null;
}

export async function findPlacementById(q: Q, id: number): Promise<Placement | null> {
  const r = await q.selectFrom('placements').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toPlacement(r) : null;
}

export async function findRedirect(q: Q, siteId: number, path: string): Promise<number | null> {
  const r = await q
    .selectFrom('path_redirects')
    .select('placement_id')
    .where('site_id', '=', siteId)
    .where('path', '=', path)
    .executeTakeFirst();
  return r?.placement_id ?? null;
}

/** A story in a list: what a teaser shows, without the body. */
export interface Teaser {
  placementId: number;
  articleId: number;
  sectionId: number;
  slug: string;
  headline: string;
  dek: string;
  byline: string | null;
  leadMediaId: number | null;
  publishedAt: Date;
}

function teaserQuery(q: Q) {
  return q
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .select([
      'p.id as placement_id',
      'p.article_id',
      'p.section_id',
      'p.slug',
      'p.published_at',
      'a.headline',
      'a.dek',
      'a.byline',
      'a.lead_media_id',
    ])
    .where('p.live', '=', 1);
}

type TeaserRow = Awaited<ReturnType<ReturnType<typeof teaserQuery>['execute']>>[number];

function toTeaser(r: TeaserRow): Teaser {
  return {
    placementId: r.placement_id,
    articleId: r.article_id,
    sectionId: r.section_id,
    slug: r.slug,
    headline: r.headline,
    dek: r.dek,
    byline: r.byline,
    leadMediaId: r.lead_media_id,
    publishedAt: fromDbTime(r.published_at!),
  };
}

export interface ListOptions {
  siteId: number;
  sectionId?: number;
  limit: number;
  offset?: number;
  excludeArticleId?: number;
}

// The four shapes of a list (a site or a section; with or without one story left out), each compiled once.
function newestFirst(query: ReturnType<typeof teaserQuery>, limit: number, offset: number) {
  return query.orderBy('p.published_at', 'desc').orderBy('p.id', 'desc').limit(limit).offset(offset);
}
const liveInSite = reusableQuery((q, siteId: number, limit: number, offset: number) =>
  newestFirst(teaserQuery(q).where('p.site_id', '=', siteId), limit, offset),
);
const liveInSection = reusableQuery((q, sectionId: number, limit: number, offset: number) =>
  newestFirst(teaserQuery(q).where('p.section_id', '=', sectionId), limit, offset),
);
const liveInSiteExcept = reusableQuery((q, siteId: number, except: number, limit: number, offset: number) =>
  newestFirst(
    teaserQuery(q).where('p.site_id', '=', siteId).where('p.article_id', '!=', except),
    limit,
    offset,
  ),
);
const liveInSectionExcept = reusableQuery(
  (q, sectionId: number, except: number, limit: number, offset: number) =>
    newestFirst(
      teaserQuery(q).where('p.section_id', '=', sectionId).where('p.article_id', '!=', except),
      limit,
      offset,
    ),
);

export async function listLive(q: Q, o: ListOptions): Promise<Teaser[]> {
  const offset = o.offset ?? 0;
  const rows =
    o.excludeArticleId === undefined
      ? o.sectionId !== undefined
        ? await liveInSection(q, o.sectionId, o.limit, offset)
        : await liveInSite(q, o.siteId, o.limit, offset)
      : o.sectionId !== undefined
        ? await liveInSectionExcept(q, o.sectionId, o.excludeArticleId, o.limit, offset)
        : await liveInSiteExcept(q, o.siteId, o.excludeArticleId, o.limit, offset);
  return rows.map(toTeaser);
}

/** The live teasers of these stories on one site, in no particular order (a story not live there is left out). */
export async function liveTeasersOf(q: Q, siteId: number, articleIds: number[]): Promise<Teaser[]> {
  if (articleIds.length === 0) return [];
  const rows = await teaserQuery(q)
    .where('p.site_id', '=', siteId)
    .where('p.article_id', 'in', articleIds)
    .execute();
  return rows.map(toTeaser);
}

export async function countLive(q: Q, siteId: number, sectionId?: number): Promise<number> {
  let query = q
    .selectFrom('placements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('live', '=', 1);
  query =
    sectionId !== undefined ? query.where('section_id', '=', sectionId) : query.where('site_id', '=', siteId);
  const r = await query.executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface Revision {
  revision: number;
  actor: string;
  changedFields: string[];
  snapshot: Record<string, unknown>;
  createdAt: Date;
}

export async function listRevisions(q: Q, articleId: number): Promise<Revision[]> {
  const rows = await q
    .selectFrom('article_revisions')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({
    revision: r.revision,
    actor: r.actor,
    changedFields: JSON.parse(r.changed_fields) as string[],
    snapshot: JSON.parse(r.snapshot) as Record<string, unknown>,
    createdAt: fromDbTime(r.created_at),
  }));
}

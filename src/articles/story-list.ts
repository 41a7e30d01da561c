// The admin's story list: every story of the chosen sites (one, several, or the whole network) newest change
// first, filtered by status, section, author, origin (wire or staff), a time range of the last change and a
// full-text query, one page at a time with a cursor. A first page is an index range scan that stops at the
// page size (see the indexes in migration 0008), or a few of them merged (one per site for a status, one per
// status for a query), so it stays fast at 100,000 stories.
//
// Full text reuses the search feature: its query reader (search/text.ts) and its index, which holds the
// published stories (FTS5 on SQLite, tsvector on PostgreSQL, in the sites' languages). Stories that are not
// published are not in that index; for them the query's words are looked for in the headline, dek and
// byline, since a newsroom's drafts are few and found by what they are called.
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { fts5Expression, tsConfigFor } from '../search/repository.ts';
import { isSearchable, type ParsedQuery, parseQuery, substrings } from '../search/text.ts';
import { parseTags } from './story.ts';
import type { ArticleStatus } from './tables.ts';

export type StoryOrigin = 'wire' | 'staff';
export const STORY_STATUSES: readonly ArticleStatus[] = ['draft', 'scheduled', 'published', 'taken_down'];

export interface StoryListQuery {
  /** The sites to list: some (those the reader may see) or the whole network. */
  siteIds: readonly number[] | 'all';
  status?: ArticleStatus;
  sectionId?: number;
  /** Stories created by this staff account. */
  authorId?: number;
  origin?: StoryOrigin;
  /** Last changed at or after. */
  updatedFrom?: Date;
  /** Last changed before (exclusive). */
  updatedTo?: Date;
  q?: string;
  /** The `next` of the page before. */
  after?: string;
  /** Stories per page (default 50, at most 100). */
  limit?: number;
}

export interface StoryListItem {
  id: number;
  siteId: number;
  headline: string;
  status: ArticleStatus;
  sectionId: number;
  slug: string;
  /** The staff account that created it, when it was made in the admin. */
  authorId: number | null;
  authorName: string | null;
  byline: string | null;
  origin: StoryOrigin;
  urgent: boolean;
  tags: string[];
  modifiedAt: Date;
  publishAt: Date | null;
  publishedAt: Date | null;
}

export interface StoryListPage {
  items: StoryListItem[];
  /** Cursor of the next page, null on the last one. */
  next: string | null;
  /** Set when a query was given but has nothing to look for (only punctuation, only -exclusions). */
  problem: 'no_terms' | null;
}

export const STORY_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

interface Cursor {
  modifiedAt: string;
  id: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.modifiedAt}|${c.id}`).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  const text = /^[A-Za-z0-9_-]{1,80}$/.test(s) ? Buffer.from(s, 'base64url').toString() : '';
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/.exec(text);
  if (!m || Number.isNaN(Date.parse(m[1]!))) {
    throw new DatelineError(
      'BAD_REQUEST',
      'The page link is not valid (it was cut or changed). Go back to the first page of the list.',
      { field: 'after' },
    );
  }
  return { modifiedAt: m[1]!, id: Number(m[2]) };
}

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The languages' PostgreSQL text-search configurations of the listed sites (the index is built in them). */
async function tsConfigs(db: Db, siteIds: readonly number[] | 'all'): Promise<string[]> {
  let query = db.kysely.selectFrom('sites').select('language').distinct();
  if (siteIds !== 'all') query = query.where('id', 'in', siteIds);
  const rows = await query.execute();
  return [...new Set(rows.map((r) => tsConfigFor(r.language)))];
}

const UNPUBLISHED: readonly ArticleStatus[] = ['draft', 'scheduled', 'taken_down'];

/** How to find the published stories a query matches: by their ids, by a condition, or none at all. */
type PublishedMatches = { ids: number[] } | { where: RawBuilder<boolean> } | null;

/** From this many matches on, a word counts as common (see textConditions). */
const COMMON_MATCHES = 30_000;
/** Up to this many matches, the matching stories are looked up one by one (see textConditions). */
const FEW_MATCHES = 500;

/**
 * What a query asks of each kind of story: published ones are looked up in the search index, the others
 * by their titles. The two are listed by separate queries (see listStories) so each uses its own index.
 */
async function textConditions(
  db: Db,
  parsed: ParsedQuery,
  siteIds: readonly number[] | 'all',
  limits: { common: number; few: number },
): Promise<{ published: PublishedMatches; unpublished: RawBuilder<boolean> }> {
  const titles = sql`(a.headline || ' ' || a.dek || ' ' || coalesce(a.byline, ''))`;
  const like = db.dialect === 'postgres' ? sql`ilike` : sql`like`;
  const wanted = parsed.cjk
    ? substrings(parsed)
    : [...parsed.terms, ...parsed.phrases.map((p) => p.join(' '))];
  const inTitles = [
    ...wanted.map((w) => sql`${titles} ${like} ${likePattern(w)} escape '\\'`),
    ...parsed.excluded.map((w) => sql`${titles} not ${like} ${likePattern(w)} escape '\\'`),
  ];
  const unpublished = sql<boolean>`(${sql.join(inTitles, sql` and `)})`;

  let indexed: RawBuilder<unknown>;
  if (parsed.cjk) {
    const parts = [
      ...wanted.map((w) => sql`d.cjk_text like ${likePattern(w)} escape '\\'`),
      ...parsed.excluded.map((w) => sql`d.cjk_text not like ${likePattern(w)} escape '\\'`),
    ];
    const long = wanted.filter((w) => [...w].length >= 3);
    if (db.dialect === 'sqlite' && long.length > 0) {
      const expr = long.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');
      parts.push(sql`d.article_id in (select rowid from search_cjk where search_cjk match ${expr})`);
    }
    indexed = sql`select d.article_id from search_documents d where ${sql.join(parts, sql` and `)}`;
  } else if (db.dialect === 'sqlite') {
    const expr = `{headline dek byline section_names body_text}: (${fts5Expression(parsed)})`;
    // How the published matches are found depends on how many there are, which the index says cheaply:
    // - none: no published story to look at;
    // - a few: those stories by id (then sorting a few hundred), instead of walking every published story
    //   of each site to check it against the list (about 10 ms a site at 100,000 stories);
    // - many: the site's published stories newest first, each checked against the list of matches;
    // - most stories: checking the newest stories one by one against the index finds a page within a few
    //   dozen (each check costs about 80 µs), where listing every match first would cost far more (40 ms
    //   for 90,000).
    const few = await sql<{ id: number }>`select rowid as id from search_fts where search_fts match ${expr}
      limit ${limits.few + 1}`.execute(db.kysely);
    if (few.rows.length === 0) return { published: null, unpublished };
    if (few.rows.length <= limits.few) {
      return { published: { ids: few.rows.map((r) => r.id) }, unpublished };
    }
    const probe = await sql<{ n: number }>`select count(*) as n from (
      select rowid from search_fts where search_fts match ${expr} limit ${limits.common})`.execute(db.kysely);
    if (Number(probe.rows[0]?.n ?? 0) >= limits.common) {
      return {
        published: {
          where: sql<boolean>`exists (select 1 from search_fts where search_fts match ${expr} and rowid = a.id)`,
        },
        unpublished,
      };
    }
    indexed = sql`select rowid from search_fts where search_fts match ${expr}`;
  } else {
    const perConfig = (await tsConfigs(db, siteIds)).map((cfg) => {
      const c = sql`${cfg}::regconfig`;
      let tq = sql.join(
        [
          ...parsed.terms.map((t) => sql`plainto_tsquery(${c}, ${t})`),
          ...parsed.phrases.map((p) => sql`phraseto_tsquery(${c}, ${p.join(' ')})`),
        ],
        sql` && `,
      );
      for (const ex of parsed.excluded) tq = sql`(${tq}) && !!plainto_tsquery(${c}, ${ex})`;
      return sql`d.tsv @@ (${tq})`;
    });
    indexed = sql`select d.article_id from search_documents d where ${sql.join(perConfig, sql` or `)}`;
  }
  // On SQLite the unary plus keeps the planner from driving the scan from the matches (then sorting every
  // one of them by time, 250 ms for a word in most stories at 100,000): it walks the site's published
  // stories newest first in the (site_id, status, modified_at, id) index and stops at a page of matches.
  const id = db.dialect === 'sqlite' ? sql`+a.id` : sql`a.id`;
  return { published: { where: sql<boolean>`${id} in (${indexed})` }, unpublished };
}

export interface StoryListOptions {
  /** From how many matches a word is looked up story by story (tests lower it; see textConditions). */
  commonMatches?: number;
  /** Up to how many matches the matching stories are read by id (tests lower it; see textConditions). */
  fewMatches?: number;
}

export async function listStories(
  db: Db,
  query: StoryListQuery,
  options: StoryListOptions = {},
): Promise<StoryListPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? STORY_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  if (query.siteIds !== 'all' && query.siteIds.length === 0) return { items: [], next: null, problem: null };
  let parsed: ParsedQuery | null = null;
  if (query.q !== undefined && query.q.trim() !== '') {
    parsed = parseQuery(query.q);
    if (!isSearchable(parsed)) return { items: [], next: null, problem: 'no_terms' };
  }
  // Wire stories are the ones the wire feature linked to its items.
  const wire = sql<boolean>`exists (select 1 from wire_story_articles w where w.article_id = a.id)`;
  // The canonical placement (on the story's own site) gives its section and slug.
  let q = db.kysely
    .selectFrom('articles as a')
    .innerJoin('placements as p', (j) =>
      j.onRef('p.article_id', '=', 'a.id').onRef('p.site_id', '=', 'a.site_id'),
    )
    .leftJoin('users as u', 'u.id', 'a.created_by')
    .select([
      'a.id',
      'a.site_id',
      'a.headline',
      'a.status',
      'a.byline',
      'a.created_by',
      'a.urgent',
      'a.tags',
      'a.modified_at',
      'a.publish_at',
      'a.published_at',
      'p.section_id',
      'p.slug',
      'u.display_name',
      wire.as('from_wire'),
    ]);
  if (query.sectionId !== undefined) q = q.where('p.section_id', '=', query.sectionId);
  if (query.authorId !== undefined) q = q.where('a.created_by', '=', query.authorId);
  if (query.origin === 'wire') q = q.where(wire);
  if (query.origin === 'staff') q = q.where(sql<boolean>`not ${wire}`);
  if (query.updatedFrom) q = q.where('a.modified_at', '>=', toDbTime(query.updatedFrom));
  if (query.updatedTo) q = q.where('a.modified_at', '<', toDbTime(query.updatedTo));
  if (query.after) {
    const c = decodeCursor(query.after);
    q = q.where((eb) =>
      eb.or([
        eb('a.modified_at', '<', c.modifiedAt),
        eb.and([eb('a.modified_at', '=', c.modifiedAt), eb('a.id', '<', c.id)]),
      ]),
    );
  }
  const sites = query.siteIds;
  // One author's stories are few: their (created_by, modified_at, id) index is the one to walk, whatever
  // else is asked. On SQLite the unary plus keeps the site and status out of the index choice, which
  // otherwise walks every published story of the site looking for the author's (a whole site's worth of
  // row reads for an author who writes elsewhere).
  const byAuthor = query.authorId !== undefined;
  const col = (name: 'a.site_id' | 'a.status', plain = byAuthor) =>
    plain && db.dialect === 'sqlite' ? sql.raw(`+${name}`) : sql.ref(name);
  const siteIs = (ids: readonly number[], plain?: boolean) =>
    ids.length === 1
      ? sql<boolean>`${col('a.site_id', plain)} = ${ids[0]!}`
      : sql<boolean>`${col('a.site_id', plain)} in (${sql.join(ids.map((id) => sql`${id}`))})`;
  const statusIs = (status: ArticleStatus, plain?: boolean) =>
    sql<boolean>`${col('a.status', plain)} = ${status}`;
  const ordered = (query: typeof q) =>
    query
      .orderBy('a.modified_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit + 1)
      .execute();
  type Rows = Awaited<ReturnType<typeof ordered>>;
  const newest = (pages: Rows[]): Rows =>
    pages
      .flat()
      .sort((x, y) => {
        const byTime = fromDbTime(y.modified_at).getTime() - fromDbTime(x.modified_at).getTime();
        return byTime !== 0 ? byTime : y.id - x.id;
      })
      .slice(0, limit + 1);
  // A page for several sites: per site, each an ordered range of the (site_id, status, modified_at, id) or
  // (site_id, modified_at, id) index, then the newest of them. In one query over several sites the planner
  // takes every matching story and sorts them all (the three demo sites at 100,000 stories: 360 ms of CPU;
  // drafts of the whole network: 15-100 ms, against under 1 ms a site). An author's stories need no split
  // (see above).
  const siteList =
    sites === 'all' ? (await db.kysely.selectFrom('sites').select('id').execute()).map((r) => r.id) : sites;
  const perSite = async (query: typeof q) => {
    if (byAuthor) return ordered(sites === 'all' ? query : query.where(siteIs(sites)));
    if (siteList.length === 1) return ordered(query.where(siteIs(siteList)));
    return newest(await Promise.all(siteList.map((id) => ordered(query.where(siteIs([id]))))));
  };
  let rows: Rows;
  if (!parsed) {
    if (query.status) rows = await perSite(q.where(statusIs(query.status)));
    // The whole network newest first is the (modified_at, id) index as it is.
    else rows = sites === 'all' && !byAuthor ? await ordered(q) : await perSite(q);
  } else {
    // Published stories and the others are found differently (see textConditions): a page of each status
    // (with `status in (...)` the planner walks every story of the site instead, to save a sort), then the
    // newest of all.
    const text = await textConditions(db, parsed, query.siteIds, {
      common: options.commonMatches ?? COMMON_MATCHES,
      few: options.fewMatches ?? FEW_MATCHES,
    });
    const wantsPublished = !query.status || query.status === 'published';
    const others = query.status ? UNPUBLISHED.filter((st) => st === query.status) : UNPUBLISHED;
    const published = async (): Promise<Rows> => {
      const found = text.published;
      if (!wantsPublished || !found) return [];
      if ('where' in found) return perSite(q.where(statusIs('published')).where(found.where));
      // A few stories by id: site and status are only checked, so the planner reads those rows and no index.
      const byId = q
        .where(sql<boolean>`a.id in (${sql.join(found.ids.map((id) => sql`${id}`))})`)
        .where(statusIs('published', true));
      return ordered(sites === 'all' ? byId : byId.where(siteIs(sites, true)));
    };
    rows = newest(
      await Promise.all([
        published(),
        ...others.map((st) => perSite(q.where(statusIs(st)).where(text.unpublished))),
      ]),
    );
  }
  const items = rows.slice(0, limit).map(
    (r): StoryListItem => ({
      id: r.id,
      siteId: r.site_id,
      headline: r.headline,
      status: r.status,
      sectionId: r.section_id,
      slug: r.slug,
      authorId: r.created_by,
      authorName: r.display_name,
      byline: r.byline,
      origin: r.from_wire === true || Number(r.from_wire) === 1 ? 'wire' : 'staff',
      urgent: r.urgent === 1,
      tags: parseTags(r.tags),
      modifiedAt: fromDbTime(r.modified_at),
      publishAt: fromDbTimeOrNull(r.publish_at),
      publishedAt: fromDbTimeOrNull(r.published_at),
    }),
  );
  const last = items.at(-1);
  const next =
    rows.length > limit && last
      ? encodeCursor({ modifiedAt: last.modifiedAt.toISOString(), id: last.id })
      : null;
  return { items, next, problem: null };
}

/** The staff who created stories on the sites, for the list's author filter, by name. */
export async function storyAuthors(
  db: Db,
  siteIds: readonly number[] | 'all',
): Promise<{ id: number; name: string }[]> {
  if (siteIds !== 'all' && siteIds.length === 0) return [];
  let q = db.kysely
    .selectFrom('users as u')
    .select(['u.id', 'u.display_name'])
    .where((eb) => {
      let sub = eb.selectFrom('articles as a').select('a.id').whereRef('a.created_by', '=', 'u.id');
      if (siteIds !== 'all') sub = sub.where('a.site_id', 'in', siteIds);
      return eb.exists(sub);
    });
  q = q.orderBy('u.display_name');
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}

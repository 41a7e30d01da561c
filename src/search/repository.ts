// The search index's queries, one function per job, each with its SQLite (FTS5) and PostgreSQL (tsvector,
// pg_trgm) form. Callers never see which engine ran. Live-ness is always checked against placements, so a
// story that was just taken down or is still embargoed is never returned, whatever state the index is in.
import { CompiledQuery, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/database.ts';
import { type DbTimestamp, fromDbTime, toDbTime } from '../db/values.ts';
import { MARK_END, MARK_START, type ParsedQuery, substrings } from './text.ts';

export interface IndexDoc {
  articleId: number;
  headline: string;
  dek: string;
  byline: string;
  sectionNames: string;
  bodyText: string;
  cjkText: string;
  /** "s<siteId> c<sectionId>" for each placement. */
  scope: string;
  tsConfig: string;
  articleModifiedAt: Date;
}

const PG_CONFIGS: Record<string, string> = {
  ar: 'arabic',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  fi: 'finnish',
  fr: 'french',
  hu: 'hungarian',
  id: 'indonesian',
  it: 'italian',
  nl: 'dutch',
  no: 'norwegian',
  nb: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sv: 'swedish',
  tr: 'turkish',
};

/** The PostgreSQL text-search configuration for a site language ('simple' when there is no stemmer). */
export function tsConfigFor(language: string): string {
  return PG_CONFIGS[language.toLowerCase().split('-')[0] ?? ''] ?? 'simple';
}

// Plain SQL, as the indexer writes a document per published story: building the same Kysely upsert for each
// cost about as much as SQLite takes to run it. The columns are in the order upsertDocument lists them.
const SQLITE_UPSERT = `insert into search_documents (article_id, headline, dek, byline, section_names, body_text,
    cjk_text, scope, ts_config, article_modified_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (article_id) do update set headline = excluded.headline, dek = excluded.dek,
    byline = excluded.byline, section_names = excluded.section_names, body_text = excluded.body_text,
    cjk_text = excluded.cjk_text, scope = excluded.scope, ts_config = excluded.ts_config,
    article_modified_at = excluded.article_modified_at`;

/** Where index writes run: the database, or a transaction that writes many documents at once. */
export type IndexWriter = Kysely<Database> | Transaction<Database>;

export async function upsertDocument(db: Db, d: IndexDoc, q: IndexWriter = db.kysely): Promise<void> {
  const values = {
    article_id: d.articleId,
    headline: d.headline,
    dek: d.dek,
    byline: d.byline,
    section_names: d.sectionNames,
    body_text: d.bodyText,
    cjk_text: d.cjkText,
    scope: d.scope,
    ts_config: d.tsConfig,
    article_modified_at: toDbTime(d.articleModifiedAt),
  };
  if (db.dialect === 'sqlite') {
    // Triggers on search_documents keep both FTS5 tables in step (see the migration).
    await q.executeQuery(CompiledQuery.raw(SQLITE_UPSERT, Object.values(values)));
    return;
  }
  const cfg = sql`${d.tsConfig}::regconfig`;
  // Headline weighs most, then dek, byline and section, then the body.
  const tsv = sql`setweight(to_tsvector(${cfg}, ${d.headline}), 'A')
    || setweight(to_tsvector(${cfg}, ${d.dek}), 'B')
    || setweight(to_tsvector(${cfg}, ${`${d.byline} ${d.sectionNames}`}), 'B')
    || setweight(to_tsvector(${cfg}, ${d.bodyText}), 'C')`;
  await sql`
    insert into search_documents (article_id, headline, dek, byline, section_names, body_text, cjk_text, scope,
      ts_config, article_modified_at, tsv)
    values (${d.articleId}, ${d.headline}, ${d.dek}, ${d.byline}, ${d.sectionNames}, ${d.bodyText}, ${d.cjkText},
      ${d.scope}, ${d.tsConfig}, ${values.article_modified_at}, ${tsv})
    on conflict (article_id) do update set headline = excluded.headline, dek = excluded.dek, byline = excluded.byline,
      section_names = excluded.section_names, body_text = excluded.body_text, cjk_text = excluded.cjk_text,
      scope = excluded.scope, ts_config = excluded.ts_config, article_modified_at = excluded.article_modified_at, tsv = excluded.tsv`.execute(
    q,
  );
}

export async function deleteDocuments(
  db: Db,
  articleIds: readonly number[],
  q: IndexWriter = db.kysely,
): Promise<void> {
  if (articleIds.length === 0) return;
  await q.deleteFrom('search_documents').where('article_id', 'in', articleIds).execute();
}

/** Articles whose index row is missing or older than the article, and rows whose article is no longer published. */
export async function outOfStep(db: Db, limit: number): Promise<{ index: number[]; remove: number[] }> {
  const q = db.kysely;
  const [index, remove] = await Promise.all([
    q
      .selectFrom('articles as a')
      .leftJoin('search_documents as d', 'd.article_id', 'a.id')
      .select('a.id')
      .where('a.status', '=', 'published')
      .where((eb) =>
        eb.or([eb('d.article_id', 'is', null), eb('d.article_modified_at', '<>', eb.ref('a.modified_at'))]),
      )
      .orderBy('a.id')
      .limit(limit)
      .execute(),
    q
      .selectFrom('search_documents as d')
      .innerJoin('articles as a', 'a.id', 'd.article_id')
      .select('d.article_id')
      .where('a.status', '<>', 'published')
      .limit(limit)
      .execute(),
  ]);
  return { index: index.map((r) => r.id), remove: remove.map((r) => r.article_id) };
}

export async function articleIdsInSection(db: Db, sectionId: number): Promise<number[]> {
  const rows = await db.kysely
    .selectFrom('placements')
    .select('article_id')
    .distinct()
    .where('section_id', '=', sectionId)
    .execute();
  return rows.map((r) => r.article_id);
}

export interface SearchFilters {
  siteId: number;
  sectionId?: number;
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
  sort: 'relevance' | 'date';
  limit: number;
  offset: number;
  /** PostgreSQL text-search configuration for the searching site's language. */
  tsConfig: string;
}

export interface HitRow {
  placementId: number;
  articleId: number;
  sectionId: number;
  slug: string;
  publishedAt: Date;
  headline: string;
  dek: string;
  byline: string | null;
  leadMediaId: number | null;
}

interface RawHit {
  placement_id: number;
  article_id: number;
  section_id: number;
  slug: string;
  published_at: DbTimestamp;
  headline: string;
  dek: string;
  byline: string | null;
  lead_media_id: number | null;
  total: number;
}

const HIT_COLUMNS = sql`p.id as placement_id, p.article_id, p.section_id, p.slug, p.published_at, a.headline, a.dek,
  a.byline, a.lead_media_id, count(*) over () as total`;

function placementFilters(f: SearchFilters): RawBuilder<unknown> {
  const parts = [sql`p.site_id = ${f.siteId}`, sql`p.live = 1`];
  if (f.sectionId !== undefined) parts.push(sql`p.section_id = ${f.sectionId}`);
  if (f.from) parts.push(sql`p.published_at >= ${toDbTime(f.from)}`);
  if (f.to) parts.push(sql`p.published_at < ${toDbTime(f.to)}`);
  return sql.join(parts, sql` and `);
}

function toHits(rows: RawHit[]): { rows: HitRow[]; total: number } {
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows.map((r) => ({
      placementId: r.placement_id,
      articleId: r.article_id,
      sectionId: r.section_id,
      slug: r.slug,
      publishedAt: fromDbTime(r.published_at),
      headline: r.headline,
      dek: r.dek,
      byline: r.byline,
      leadMediaId: r.lead_media_id,
    })),
  };
}

function ftsString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** An FTS5 MATCH expression built only from quoted strings, so no reader input is ever read as syntax. */
export function fts5Expression(q: ParsedQuery): string {
  const positive = [...q.terms.map(ftsString), ...q.phrases.map((p) => ftsString(p.join(' ')))].join(' AND ');
  if (q.excluded.length === 0) return positive;
  return `(${positive}) NOT (${q.excluded.map(ftsString).join(' OR ')})`;
}

/** A tsquery built with plainto/phraseto_tsquery, which accept any text without syntax errors. */
function pgTsQuery(q: ParsedQuery, cfg: string): RawBuilder<unknown> {
  const c = sql`${cfg}::regconfig`;
  const positive = [
    ...q.terms.map((t) => sql`plainto_tsquery(${c}, ${t})`),
    ...q.phrases.map((p) => sql`phraseto_tsquery(${c}, ${p.join(' ')})`),
  ];
  let query = sql.join(positive, sql` && `);
  for (const ex of q.excluded) query = sql`(${query}) && !!plainto_tsquery(${c}, ${ex})`;
  return query;
}

/**
 * How many of a site's matches relevance ranking considers, newest first. Scoring every match of a word
 * found in nearly every story (bm25 over 10,000 rows) costs more than a reader waits; in news, the most
 * recent thousand of those stories are where the relevant ones are.
 */
export const RANK_WINDOW = 1000;

/** The reader's words go to the text columns only; the site (and section) filter runs inside the index. */
function scopedExpression(q: ParsedQuery, f: SearchFilters): string {
  let e = `{headline dek byline section_names body_text}: (${fts5Expression(q)}) AND scope:"s${f.siteId}"`;
  if (f.sectionId !== undefined) e += ` AND scope:"c${f.sectionId}"`;
  return e;
}

const BM25 = sql`bm25(search_fts, 10.0, 4.0, 2.0, 2.0, 1.0, 0.0)`;

/** Word search: ranked by relevance (bm25 / ts_rank) or by date, with the total number of hits. */
export async function wordSearch(
  db: Db,
  q: ParsedQuery,
  f: SearchFilters,
): Promise<{ rows: HitRow[]; total: number }> {
  if (db.dialect === 'sqlite')
    return f.from || f.to ? sqliteJoinedSearch(db, q, f) : sqliteScopedSearch(db, q, f);
  const order =
    f.sort === 'date'
      ? sql`p.published_at desc, p.id desc`
      : sql`ts_rank(d.tsv, tq.q) desc, p.published_at desc, p.id desc`;
  const r = await sql<RawHit>`
    with tq as (select ${pgTsQuery(q, f.tsConfig)} as q)
    select ${HIT_COLUMNS}
    from search_documents d
    cross join tq
    join placements p on p.article_id = d.article_id
    join articles a on a.id = p.article_id
    where d.tsv @@ tq.q and ${placementFilters(f)}
    order by ${order}
    limit ${f.limit} offset ${f.offset}`.execute(db.kysely);
  return toHits(r.rows);
}

/**
 * SQLite without date filters: everything inside FTS5. Counting matches is cheap; ranking is limited to the
 * newest RANK_WINDOW matches by rowid (article ids grow with time), found with one more index probe.
 */
async function sqliteScopedSearch(
  db: Db,
  q: ParsedQuery,
  f: SearchFilters,
): Promise<{ rows: HitRow[]; total: number }> {
  const expr = scopedExpression(q, f);
  const counted = await sql<{
    n: number;
  }>`select count(*) as n from search_fts where search_fts match ${expr}`.execute(db.kysely);
  const total = Number(counted.rows[0]?.n ?? 0);
  if (total === 0 || f.offset >= total) return { rows: [], total };
  let ids: number[];
  if (f.sort === 'date') {
    const r = await sql<{ id: number }>`
      select p.article_id as id from placements p
      where ${placementFilters(f)}
        and p.article_id in (select rowid from search_fts where search_fts match ${expr})
      order by p.published_at desc, p.id desc
      limit ${f.limit} offset ${f.offset}`.execute(db.kysely);
    ids = r.rows.map((x) => x.id);
  } else {
    let floor = 0;
    if (total > RANK_WINDOW) {
      const edge = await sql<{ id: number }>`
        select rowid as id from search_fts where search_fts match ${expr}
        order by rowid desc limit 1 offset ${RANK_WINDOW - 1}`.execute(db.kysely);
      floor = edge.rows[0]?.id ?? 0;
    }
    const r = await sql<{ id: number }>`
      select rowid as id from search_fts
      where search_fts match ${expr} and rowid >= ${floor}
      order by ${BM25}, rowid desc
      limit ${f.limit} offset ${f.offset}`.execute(db.kysely);
    ids = r.rows.map((x) => x.id);
  }
  // The index can change between the count and this page (the indexer runs alongside); a short page
  // means the count is whatever precedes it plus what it shows.
  if (ids.length === 0) return { rows: [], total: f.offset };
  // The live check: a story killed a moment ago may still be in the index; it is never shown.
  const r = await sql<RawHit>`
    select ${HIT_COLUMNS}
    from placements p join articles a on a.id = p.article_id
    where ${placementFilters(f)} and p.article_id in (${sql.join(ids.map((id) => sql`${id}`))})`.execute(
    db.kysely,
  );
  const byId = new Map(toHits(r.rows).rows.map((h) => [h.articleId, h]));
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
  // Such stories are still counted by the index for a moment; leave them out of the count too.
  const exact = ids.length < f.limit ? f.offset + rows.length : total - (ids.length - rows.length);
  return { rows, total: exact };
}

/** SQLite with a date range: the range lives on placements, so matches are ranked then joined. */
async function sqliteJoinedSearch(
  db: Db,
  q: ParsedQuery,
  f: SearchFilters,
): Promise<{ rows: HitRow[]; total: number }> {
  const order =
    f.sort === 'date' ? sql`p.published_at desc, p.id desc` : sql`m.score, p.published_at desc, p.id desc`;
  // bm25() only works while FTS5 drives the scan, so the matches are ranked first (materialized, so the
  // planner cannot fold them into the join) and filtered by placement after.
  const r = await sql<RawHit>`
    with m as materialized (
      select rowid as article_id, ${BM25} as score
      from search_fts where search_fts match ${scopedExpression(q, f)}
    )
    select ${HIT_COLUMNS}
    from m
    join placements p on p.article_id = m.article_id
    join articles a on a.id = p.article_id
    where ${placementFilters(f)}
    order by ${order}
    limit ${f.limit} offset ${f.offset}`.execute(db.kysely);
  return toHits(r.rows);
}

export interface Highlight {
  /** Headline and snippet with MARK_START/MARK_END around the matched words. */
  headline: string;
  snippet: string;
  dek: string;
  bodyText: string;
}

/** Engine-made highlights for a page of word-search hits: only for those rows, so it stays cheap. */
export async function wordHighlights(
  db: Db,
  q: ParsedQuery,
  articleIds: number[],
  tsConfig: string,
): Promise<Map<number, Highlight>> {
  if (articleIds.length === 0) return new Map();
  const ids = sql.join(articleIds.map((id) => sql`${id}`));
  let rows: { article_id: number; headline: string; snippet: string; dek: string; body_text: string }[];
  if (db.dialect === 'sqlite') {
    const r = await sql<{
      article_id: number;
      headline: string;
      snippet: string;
      dek: string;
      body_text: string;
    }>`
      select search_fts.rowid as article_id,
        highlight(search_fts, 0, ${MARK_START}, ${MARK_END}) as headline,
        snippet(search_fts, 4, ${MARK_START}, ${MARK_END}, '…', 28) as snippet,
        d.dek, d.body_text
      from search_fts join search_documents d on d.article_id = search_fts.rowid
      where search_fts match ${`{headline dek byline section_names body_text}: (${fts5Expression(q)})`}
        and search_fts.rowid in (${ids})`.execute(db.kysely);
    rows = r.rows;
  } else {
    const opts = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;
    const r = await sql<{
      article_id: number;
      headline: string;
      snippet: string;
      dek: string;
      body_text: string;
    }>`
      with tq as (select ${pgTsQuery(q, tsConfig)} as q)
      select d.article_id,
        ts_headline(${tsConfig}::regconfig, d.headline, tq.q, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`}) as headline,
        ts_headline(${tsConfig}::regconfig, d.body_text, tq.q, ${opts}) as snippet,
        d.dek, d.body_text
      from search_documents d cross join tq
      where d.article_id in (${ids})`.execute(db.kysely);
    rows = r.rows;
  }
  return new Map(
    rows.map((r) => [
      r.article_id,
      { headline: r.headline, snippet: r.snippet, dek: r.dek, bodyText: r.body_text },
    ]),
  );
}

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * CJK search by substring: every term must occur in the story's text. On SQLite the trigram FTS5 table
 * finds candidates for terms of three or more characters; on PostgreSQL a pg_trgm index serves the LIKE.
 * Shorter terms (most Japanese words are two characters) are checked with LIKE. Stories with a term in the
 * headline rank first, then the newest.
 */
export async function substringSearch(
  db: Db,
  q: ParsedQuery,
  f: SearchFilters,
): Promise<{ rows: HitRow[]; total: number }> {
  const needles = substrings(q);
  const parts: RawBuilder<unknown>[] = needles.map((n) => sql`d.cjk_text like ${likePattern(n)} escape '\\'`);
  for (const ex of q.excluded) parts.push(sql`d.cjk_text not like ${likePattern(ex)} escape '\\'`);
  const long = needles.filter((n) => [...n].length >= 3);
  if (db.dialect === 'sqlite' && long.length > 0) {
    const expr = long.map(ftsString).join(' AND ');
    parts.push(sql`d.article_id in (select rowid from search_cjk where search_cjk match ${expr})`);
  }
  const inHeadline = sql.join(
    needles.map((n) => sql`lower(a.headline) like ${likePattern(n)} escape '\\'`),
    sql` or `,
  );
  const order =
    f.sort === 'date'
      ? sql`p.published_at desc, p.id desc`
      : sql`case when ${inHeadline} then 0 else 1 end, p.published_at desc, p.id desc`;
  const r = await sql<RawHit>`
    select ${HIT_COLUMNS}
    from search_documents d
    join placements p on p.article_id = d.article_id
    join articles a on a.id = p.article_id
    where ${sql.join(parts, sql` and `)} and ${placementFilters(f)}
    order by ${order}
    limit ${f.limit} offset ${f.offset}`.execute(db.kysely);
  return toHits(r.rows);
}

export async function documentTexts(db: Db, articleIds: number[]): Promise<Map<number, Highlight>> {
  if (articleIds.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('search_documents')
    .select(['article_id', 'headline', 'dek', 'body_text'])
    .where('article_id', 'in', articleIds)
    .execute();
  return new Map(
    rows.map((r) => [r.article_id, { headline: r.headline, snippet: '', dek: r.dek, bodyText: r.body_text }]),
  );
}

/** How many live stories match, for a page past the last one (where the windowed count has no row). */
export async function countOnly(
  db: Db,
  q: ParsedQuery,
  f: SearchFilters,
  kind: 'words' | 'substrings',
): Promise<number> {
  const probe = { ...f, limit: 1, offset: 0 };
  const r = kind === 'words' ? await wordSearch(db, q, probe) : await substringSearch(db, q, probe);
  return r.total;
}

// The search index's queries, one function per job, each with its SQLite (FTS5) and PostgreSQL (tsvector,
// pg_trgm) form. Callers never see which engine ran. Live-ness is always checked against placements, so a
// story that was just taken down or is still embargoed is never returned, whatever state the index is in.
import { CompiledQuery, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/database.ts';
import { type DbTimestamp, fromDbTime, toDbTime } from '../db/values.ts';
import { MARK_END, MARK_START, type ParsedQuery, substrings } from './text.ts';

/** What the queries need of a database: its Kysely instance and dialect (a worker's connection has no more). */
export type SearchDb = Pick<Db, 'kysely' | 'dialect'>;

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

export async function upsertDocument(db: SearchDb, d: IndexDoc, q: IndexWriter = db.kysely): Promise<void> {
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
  db: SearchDb,
  articleIds: readonly number[],
  q: IndexWriter = db.kysely,
): Promise<void> {
  if (articleIds.length === 0) return;
  await q.deleteFrom('search_documents').where('article_id', 'in', articleIds).execute();
}

/** Articles whose index row is missing or older than the article, and rows whose article is no longer published. */
export async function outOfStep(db: SearchDb, limit: number): Promise<{ index: number[]; remove: number[] }> {
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

export async function articleIdsInSection(db: SearchDb, sectionId: number): Promise<number[]> {
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
  /** How many of the newest matches relevance ranking considers (RANK_WINDOW unless a test lowers it). */
  candidates: number;
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
 * recent thousand of those stories are where the relevant ones are. Every search path keeps to it, so the
 * work one query can ask for is bounded however common its words are.
 */
export const RANK_WINDOW = 1000;

/**
 * Highlights are made from the first this-many characters of a story's indexed text, never the whole of it:
 * FTS5's snippet() scores every occurrence against every other (quadratic in how often the words occur), and
 * ts_headline re-parses all the text it is given, so a multi-megabyte story with a common word cost seconds
 * of one database connection. Matches further in are still found; their snippet is then the story's lead.
 */
export const HIGHLIGHT_EXCERPT_CHARS = 20_000;

/** The reader's words go to the text columns only; the site (and section) filter runs inside the index. */
function scopedExpression(q: ParsedQuery, f: SearchFilters): string {
  let e = `{headline dek byline section_names body_text}: (${fts5Expression(q)}) AND scope:"s${f.siteId}"`;
  if (f.sectionId !== undefined) e += ` AND scope:"c${f.sectionId}"`;
  return e;
}

const BM25 = sql`bm25(search_fts, 10.0, 4.0, 2.0, 2.0, 1.0, 0.0)`;

/** Word search: ranked by relevance (bm25 / ts_rank) or by date, with the total number of hits. */
export async function wordSearch(
  db: SearchDb,
  q: ParsedQuery,
  f: SearchFilters,
): Promise<{ rows: HitRow[]; total: number }> {
  if (db.dialect === 'sqlite')
    return f.from || f.to ? sqliteJoinedSearch(db, q, f) : sqliteScopedSearch(db, q, f);
  if (f.sort === 'date') {
    const r = await sql<RawHit>`
      with tq as (select ${pgTsQuery(q, f.tsConfig)} as q)
      select ${HIT_COLUMNS}
      from search_documents d
      cross join tq
      join placements p on p.article_id = d.article_id
      join articles a on a.id = p.article_id
      where d.tsv @@ tq.q and ${placementFilters(f)}
      order by p.published_at desc, p.id desc
      limit ${f.limit} offset ${f.offset}`.execute(db.kysely);
    return toHits(r.rows);
  }
  // ts_rank reads each candidate's whole tsvector, so only the newest candidates are ranked; the window
  // count is taken before the limit, so the total still counts every match.
  const r = await sql<RawHit>`
    with tq as (select ${pgTsQuery(q, f.tsConfig)} as q),
    c as (
      select ${HIT_COLUMNS}, d.tsv
      from search_documents d
      cross join tq
      join placements p on p.article_id = d.article_id
      join articles a on a.id = p.article_id
      where d.tsv @@ tq.q and ${placementFilters(f)}
      order by p.article_id desc, p.id desc
      limit ${f.candidates}
    )
    select c.placement_id, c.article_id, c.section_id, c.slug, c.published_at, c.headline, c.dek, c.byline,
      c.lead_media_id, c.total
    from c cross join tq
    order by ts_rank(c.tsv, tq.q) desc, c.published_at desc, c.placement_id desc
    limit ${f.limit} offset ${f.offset}`.execute(db.kysely);
  return toHits(r.rows);
}

/**
 * SQLite without date filters: everything inside FTS5. Counting matches is cheap; ranking is limited to the
 * newest RANK_WINDOW matches by rowid (article ids grow with time), found with one more index probe.
 */
async function sqliteScopedSearch(
  db: SearchDb,
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
    if (total > f.candidates) {
      const edge = await sql<{ id: number }>`
        select rowid as id from search_fts where search_fts match ${expr}
        order by rowid desc limit 1 offset ${f.candidates - 1}`.execute(db.kysely);
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
  // (Ranking past the candidates yields short pages too; the count then stays the index's.)
  const short = ids.length < f.limit && (f.sort === 'date' || total <= f.candidates);
  const exact = short ? f.offset + rows.length : total - (ids.length - rows.length);
  return { rows, total: exact };
}

/** SQLite with a date range: the range lives on placements, so matches are ranked then joined. */
async function sqliteJoinedSearch(
  db: SearchDb,
  q: ParsedQuery,
  f: SearchFilters,
): Promise<{ rows: HitRow[]; total: number }> {
  const expr = scopedExpression(q, f);
  const inRange = sql`from placements p
    where ${placementFilters(f)} and p.article_id in (select rowid from search_fts where search_fts match ${expr})`;
  const counted = await sql<{ n: number }>`select count(*) as n ${inRange}`.execute(db.kysely);
  const total = Number(counted.rows[0]?.n ?? 0);
  if (total === 0 || f.offset >= total) return { rows: [], total };
  // Only the newest candidates in the range are scored: bm25 runs over the span of their ids.
  let span = sql`1 = 1`;
  if (total > f.candidates) {
    const edges = await sql<{ lo: number; hi: number }>`
      select min(article_id) as lo, max(article_id) as hi from (
        select p.article_id ${inRange} order by p.article_id desc limit ${f.candidates})`.execute(db.kysely);
    const e = edges.rows[0];
    if (e) span = sql`rowid between ${e.lo} and ${e.hi}`;
  }
  const order =
    f.sort === 'date' ? sql`p.published_at desc, p.id desc` : sql`m.score, p.published_at desc, p.id desc`;
  // bm25() only works while FTS5 drives the scan, so the matches are ranked first (materialized, so the
  // planner cannot fold them into the join) and filtered by placement after.
  const r = await sql<RawHit>`
    with m as materialized (
      select rowid as article_id, ${BM25} as score
      from search_fts where search_fts match ${expr} and ${span}
    )
    select ${HIT_COLUMNS}
    from m
    join placements p on p.article_id = m.article_id
    join articles a on a.id = p.article_id
    where ${placementFilters(f)}
    order by ${order}
    limit ${f.limit} offset ${f.offset}`.execute(db.kysely);
  return { rows: toHits(r.rows).rows, total };
}

export interface Highlight {
  /** Headline and snippet with MARK_START/MARK_END around the matched words. */
  headline: string;
  snippet: string;
  dek: string;
  bodyText: string;
}

/** Any of the reader's words or phrases: what a highlight marks, wherever in the excerpt it is. */
function fts5AnyExpression(q: ParsedQuery): string {
  return [...q.terms.map(ftsString), ...q.phrases.map((p) => ftsString(p.join(' ')))].join(' OR ');
}

/**
 * A per-connection scratch index with search_fts's tokenizer, so SQLite's highlighter runs over bounded
 * excerpts with the same stemming as the search. It lives in the temp schema: a read-only connection can
 * write it, and it never touches the database file.
 */
const SQLITE_EXCERPTS = sql.raw(`create virtual table if not exists temp.search_excerpts using fts5(
  headline, body_text, tokenize='porter unicode61 remove_diacritics 2')`);

/**
 * Engine-made highlights for a page of word-search hits: only for those rows, and only over the first
 * HIGHLIGHT_EXCERPT_CHARS of each, so the cost is bounded whatever the size of a story.
 */
export async function wordHighlights(
  db: SearchDb,
  q: ParsedQuery,
  articleIds: number[],
  tsConfig: string,
): Promise<Map<number, Highlight>> {
  if (articleIds.length === 0) return new Map();
  const texts = await documentTexts(db, articleIds);
  const ids = sql.join(articleIds.map((id) => sql`${id}`));
  let rows: { article_id: number; headline: string; snippet: string }[];
  if (db.dialect === 'sqlite') {
    // One transaction holds the connection, so two searches sharing it never see each other's excerpts.
    rows = await db.kysely.transaction().execute(async (trx) => {
      await SQLITE_EXCERPTS.execute(trx);
      await sql`delete from temp.search_excerpts`.execute(trx);
      await sql`insert into temp.search_excerpts (rowid, headline, body_text)
        select article_id, headline, substr(body_text, 1, ${HIGHLIGHT_EXCERPT_CHARS}) from search_documents
        where article_id in (${ids})`.execute(trx);
      const r = await sql<{ article_id: number; headline: string; snippet: string }>`
        select rowid as article_id,
          highlight(search_excerpts, 0, ${MARK_START}, ${MARK_END}) as headline,
          snippet(search_excerpts, 1, ${MARK_START}, ${MARK_END}, '…', 28) as snippet
        from temp.search_excerpts where search_excerpts match ${fts5AnyExpression(q)}`.execute(trx);
      await sql`delete from temp.search_excerpts`.execute(trx);
      return r.rows;
    });
  } else {
    const opts = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;
    const r = await sql<{ article_id: number; headline: string; snippet: string }>`
      with tq as (select ${pgTsQuery(q, tsConfig)} as q)
      select d.article_id,
        ts_headline(${tsConfig}::regconfig, d.headline, tq.q, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`}) as headline,
        ts_headline(${tsConfig}::regconfig, left(d.body_text, ${HIGHLIGHT_EXCERPT_CHARS}), tq.q, ${opts}) as snippet
      from search_documents d cross join tq
      where d.article_id in (${ids})`.execute(db.kysely);
    rows = r.rows;
  }
  for (const r of rows) {
    const text = texts.get(r.article_id);
    if (text) texts.set(r.article_id, { ...text, headline: r.headline, snippet: r.snippet });
  }
  return texts;
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
  db: SearchDb,
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

/** Headline, dek and the bounded excerpt of each story's text, unhighlighted. */
export async function documentTexts(db: SearchDb, articleIds: number[]): Promise<Map<number, Highlight>> {
  if (articleIds.length === 0) return new Map();
  const r = await sql<{ article_id: number; headline: string; dek: string; body_text: string }>`
    select article_id, headline, dek, substr(body_text, 1, ${HIGHLIGHT_EXCERPT_CHARS}) as body_text
    from search_documents
    where article_id in (${sql.join(articleIds.map((id) => sql`${id}`))})`.execute(db.kysely);
  return new Map(
    r.rows.map((r) => [
      r.article_id,
      { headline: r.headline, snippet: '', dek: r.dek, bodyText: r.body_text },
    ]),
  );
}

/** How many live stories match, for a page past the last one (where the windowed count has no row). */
export async function countOnly(
  db: SearchDb,
  q: ParsedQuery,
  f: SearchFilters,
  kind: 'words' | 'substrings',
): Promise<number> {
  const probe = { ...f, limit: 1, offset: 0 };
  const r = kind === 'words' ? await wordSearch(db, q, probe) : await substringSearch(db, q, probe);
  return r.total;
}

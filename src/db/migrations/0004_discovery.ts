// Schema for the discovery feature: search index, read counts, trending choices, API keys, webhooks.
// Immutable once landed: later changes go in new migrations.
import { sql } from 'kysely';
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  const pg = dialect === 'postgres';

  // The search index. On SQLite article_id must be the rowid (INTEGER PRIMARY KEY) so that the FTS5
  // tables can use this table as their external content.
  await db.schema
    .createTable('search_documents')
    .addColumn('article_id', 'integer', (col) =>
      col.primaryKey().references('articles.id').onDelete('cascade'),
    )
    .addColumn('headline', 'text', (col) => col.notNull())
    .addColumn('dek', 'text', (col) => col.notNull())
    .addColumn('byline', 'text', (col) => col.notNull())
    .addColumn('section_names', 'text', (col) => col.notNull())
    .addColumn('body_text', 'text', (col) => col.notNull())
    .addColumn('cjk_text', 'text', (col) => col.notNull())
    // Where the story is live, as words ("s3 c12": site 3, section 12), so SQLite's FTS can filter by site
    // and section inside the index and rank only the site's matches.
    .addColumn('scope', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('ts_config', 'text', (col) => col.notNull().defaultTo('simple'))
    .addColumn('article_modified_at', c.time, (col) => col.notNull())
    .execute();

  if (pg) {
    await sql`alter table search_documents add column tsv tsvector not null default ''::tsvector`.execute(db);
    await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
    // CJK text has no spaces between words, so it is searched by substring; pg_trgm makes that indexed.
    // Without the extension (or the right to create it) the same LIKE queries still work, unindexed.
    const trgm = await ensurePgTrgm(db);
    if (trgm) {
      await sql`create index search_documents_cjk on search_documents using gin (cjk_text ${sql.raw(`${quoteIdent(trgm)}.gin_trgm_ops`)})`.execute(
        db,
      );
    }
  } else {
    // Words: Porter stemming over Unicode word breaks, accents folded. Column order sets the bm25 weights.
    await sql`create virtual table search_fts using fts5(
      headline, dek, byline, section_names, body_text, scope,
      content='search_documents', content_rowid='article_id',
      tokenize='porter unicode61 remove_diacritics 2'
    )`.execute(db);
    // CJK: trigrams, which find any substring of three or more characters; shorter terms use LIKE.
    await sql`create virtual table search_cjk using fts5(
      cjk_text, content='search_documents', content_rowid='article_id', tokenize='trigram'
    )`.execute(db);
    await sql`create trigger search_documents_ai after insert on search_documents begin
      insert into search_fts(rowid, headline, dek, byline, section_names, body_text, scope)
        values (new.article_id, new.headline, new.dek, new.byline, new.section_names, new.body_text, new.scope);
      insert into search_cjk(rowid, cjk_text) values (new.article_id, new.cjk_text);
    end`.execute(db);
    await sql`create trigger search_documents_ad after delete on search_documents begin
      insert into search_fts(search_fts, rowid, headline, dek, byline, section_names, body_text, scope)
        values ('delete', old.article_id, old.headline, old.dek, old.byline, old.section_names, old.body_text, old.scope);
      insert into search_cjk(search_cjk, rowid, cjk_text) values ('delete', old.article_id, old.cjk_text);
    end`.execute(db);
    await sql`create trigger search_documents_au after update on search_documents begin
      insert into search_fts(search_fts, rowid, headline, dek, byline, section_names, body_text, scope)
        values ('delete', old.article_id, old.headline, old.dek, old.byline, old.section_names, old.body_text, old.scope);
      insert into search_cjk(search_cjk, rowid, cjk_text) values ('delete', old.article_id, old.cjk_text);
      insert into search_fts(rowid, headline, dek, byline, section_names, body_text, scope)
        values (new.article_id, new.headline, new.dek, new.byline, new.section_names, new.body_text, new.scope);
      insert into search_cjk(rowid, cjk_text) values (new.article_id, new.cjk_text);
    end`.execute(db);
  }

  await db.schema
    .createTable('article_reads')
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('section_id', 'integer', (col) => col.notNull())
    .addColumn('hour', c.time, (col) => col.notNull())
    .addColumn('reads', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('article_reads_pk', ['article_id', 'site_id', 'hour'])
    .execute();
  await db.schema.createIndex('article_reads_hour').on('article_reads').columns(['hour']).execute();
  await db.schema
    .createIndex('article_reads_site_hour')
    .on('article_reads')
    .columns(['site_id', 'hour'])
    .execute();
  await db.schema
    .createIndex('article_reads_section_hour')
    .on('article_reads')
    .columns(['section_id', 'hour'])
    .execute();

  await db.schema
    .createTable('read_salts')
    .addColumn('day', 'text', (col) => col.primaryKey())
    .addColumn('salt', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('trending_sources')
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('source_site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('trending_sources_pk', ['site_id', 'source_site_id'])
    .execute();

  await c
    .id(db.schema.createTable('trending_overrides'))
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addUniqueConstraint('trending_overrides_site_article', ['site_id', 'article_id'])
    .execute();

  await c
    .id(db.schema.createTable('api_keys'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('key_prefix', 'text', (col) => col.notNull())
    .addColumn('key_hash', 'text', (col) => col.notNull().unique())
    .addColumn('site_ids', 'text')
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('revoked_at', c.time)
    .execute();

  await c
    .id(db.schema.createTable('webhook_endpoints'))
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('cascade'))
    .addColumn('events', 'text', (col) => col.notNull())
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('start_event_id', 'integer', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();

  await c
    .id(db.schema.createTable('webhook_deliveries'))
    .addColumn('endpoint_id', 'integer', (col) =>
      col.notNull().references('webhook_endpoints.id').onDelete('cascade'),
    )
    .addColumn('event_id', 'integer', (col) => col.notNull())
    .addColumn('event_type', 'text', (col) => col.notNull())
    .addColumn('attempt', 'integer', (col) => col.notNull())
    .addColumn('ok', 'integer', (col) => col.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'id'])
    .execute();

  await db.schema
    .createTable('discovery_cursors')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('last_event_id', 'integer', (col) => col.notNull())
    .execute();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Makes pg_trgm available if it can and returns the schema it lives in, or null. Extensions are per
 * database, not per schema, so it goes in `public` where every schema's queries can reach the operator
 * class by its qualified name. Concurrent migrations (parallel test runs) serialise on an advisory lock.
 */
async function ensurePgTrgm(db: AnyDb): Promise<string | null> {
  const find = async () => {
    const r = await sql<{ schema: string }>`
      select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_trgm'`.execute(db);
    return r.rows[0]?.schema ?? null;
  };
  const existing = await find();
  if (existing) return existing;
  const available = await sql<{ ok: boolean }>`
    select exists (select 1 from pg_available_extensions where name = 'pg_trgm') as ok`.execute(db);
  if (!available.rows[0]?.ok) return null;
  await sql`select pg_advisory_xact_lock(7420001)`.execute(db);
  // A savepoint keeps a refused CREATE EXTENSION (no privilege) from aborting the whole migration.
  await sql`savepoint discovery_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm schema public`.execute(db);
    await sql`release savepoint discovery_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint discovery_trgm`.execute(db);
    return null;
  }
  return find();
}

// Writes an export (model.ts) into a site's threads. Idempotent: a comment is keyed by (import_source,
// import_key) and an author by (source, source_key), so a second run of the same file adds nothing and a
// later, larger export adds only what is new. Authors become member profiles: a users row with no email and
// status 'unclaimed' (claim.ts hands them to the reader who verifies the same address). Each story's new
// comments are written in one transaction, parents before replies, with reply counts recomputed and one
// comment.changed event recorded for the thread (not one per comment), published after commit.
import type { Kysely, Transaction } from 'kysely';
import { slugFromName } from '../../accounts/fields.ts';
import { uniqueProfileSlug } from '../../accounts/repository.ts';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/database.ts';
import { toDbTime } from '../../db/values.ts';
import type { DomainEvent } from '../../events/bus.ts';
import type { Events } from '../../events/log.ts';
import { type MatchedBy, ThreadMatcher } from './match.ts';
import type { ImportDocument, ImportedAuthor, ImportedComment, ImportedThread } from './model.ts';

type Q = Kysely<Database> | Transaction<Database>;

const CHUNK = 200;
/** Longer than any comment a reader writes (posting allows 2,000 by default): such an entry is not a comment. */
export const MAX_IMPORTED_CHARS = 20_000;

export interface ImportOptions {
  siteId: number;
  dryRun?: boolean;
  now?: Date;
}

export interface ImportSummary {
  source: ImportDocument['source'];
  dryRun: boolean;
  threads: {
    matched: number;
    unmatched: { key: string; url: string; title: string; comments: number }[];
    /** How the matched ones were found. */
    by: Record<MatchedBy, number>;
  };
  comments: {
    imported: number;
    /** Already imported by an earlier run. */
    skipped: number;
    /** In threads that matched no story. */
    unmatched: number;
    /** Of those imported: not published (pending, spam, deleted at the source). */
    notPublished: number;
    /** Replies whose parent is not in the file: imported at the top of the thread. */
    orphans: number;
  };
  authors: { created: number; existing: number };
  problems: string[];
}

interface Known {
  id: number;
  articleId: number;
  depth: number;
  rootId: number | null;
}

const chunks = <T>(items: T[], size = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export async function importComments(
  deps: { db: Db; events: Events },
  doc: ImportDocument,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const q = deps.db.kysely;
  const now = opts.now ?? new Date();
  const dryRun = opts.dryRun ?? false;
  const summary: ImportSummary = {
    source: doc.source,
    dryRun,
    threads: { matched: 0, unmatched: [], by: { path: 0, old_path: 0, slug: 0 } },
    comments: { imported: 0, skipped: 0, unmatched: 0, notPublished: 0, orphans: 0 },
    authors: { created: 0, existing: 0 },
    problems: [...doc.problems],
  };

  // 1. Threads to stories. Several source threads may be one story (http and https copies in Disqus).
  const matcher = new ThreadMatcher(q, opts.siteId);
  const byArticle = new Map<number, ImportedThread[]>();
  for (const t of doc.threads) {
    const m = await matcher.match(t.url);
    if (!m) {
      if (t.comments.length > 0) {
        summary.threads.unmatched.push({
          key: t.key,
          url: t.url,
          title: t.title,
          comments: t.comments.length,
        });
        summary.comments.unmatched += t.comments.length;
      }
      continue;
    }
    const kept = t.comments.filter((c) => [...c.body].length <= MAX_IMPORTED_CHARS);
    for (const c of t.comments)
      if (!kept.includes(c))
        summary.problems.push(
          `Comment ${c.key} of thread ${t.key}: ${[...c.body].length} characters, more than the ${MAX_IMPORTED_CHARS} an imported comment may have; skipped.`,
        );
    t.comments = kept;
    if (t.comments.length === 0) continue;
    summary.threads.matched++;
    summary.threads.by[m.by]++;
    const list = byArticle.get(m.articleId) ?? [];
    list.push(t);
    byArticle.set(m.articleId, list);
  }

  // 2. Authors of the comments that will be written.
  const authors = new Map<string, ImportedAuthor>();
  // A profile's "member since" is its first comment at the source, not the day of the import.
  const since = new Map<string, Date>();
  for (const threads of byArticle.values())
    for (const t of threads)
      for (const c of t.comments) {
        if (!authors.has(c.author.key)) authors.set(c.author.key, c.author);
        const first = since.get(c.author.key);
        if (!first || c.createdAt < first) since.set(c.author.key, c.createdAt);
      }
  const authorIds = await ensureAuthors(q, doc.source, [...authors.values()], since, dryRun, summary);

  // 3. Comments, one transaction per story.
  for (const [articleId, threads] of byArticle) {
    const comments = threads.flatMap((t) => t.comments);
    const keys = [...new Set(comments.flatMap((c) => (c.parentKey ? [c.key, c.parentKey] : [c.key])))];
    const known = await existingComments(q, doc.source, keys);
    const seen = new Set<string>();
    const fresh: ImportedComment[] = [];
    for (const c of comments) {
      if (known.has(c.key) || seen.has(c.key)) {
        summary.comments.skipped++;
        continue;
      }
      seen.add(c.key);
      fresh.push(c);
    }
    if (fresh.length === 0) continue;
    const notPublished = fresh.filter((c) => c.status !== 'published').length;
    if (dryRun) {
      summary.comments.imported += fresh.length;
      summary.comments.notPublished += notPublished;
      summary.comments.orphans += fresh.filter(
        (c) => c.parentKey && !seen.has(c.parentKey) && known.get(c.parentKey)?.articleId !== articleId,
      ).length;
      continue;
    }
    const written = await deps.db.kysely.transaction().execute(async (trx) => {
      const r = await writeThread(trx, {
        source: doc.source,
        siteId: opts.siteId,
        articleId,
        comments: fresh,
        known,
        authorIds,
        now,
      });
      const event: DomainEvent = {
        type: 'comment.changed',
        siteId: opts.siteId,
        articleId,
        commentId: r.firstId,
      };
      return { ...r, event, eventId: await deps.events.record(trx, event) };
    });
    deps.events.published(written.event, written.eventId);
    summary.comments.imported += fresh.length;
    summary.comments.notPublished += notPublished;
    summary.comments.orphans += written.orphans;
  }
  return summary;
}

async function ensureAuthors(
  q: Kysely<Database>,
  source: string,
  authors: ImportedAuthor[],
  since: Map<string, Date>,
  dryRun: boolean,
  summary: ImportSummary,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(authors.map((a) => a.key))) {
    const rows = await q
      .selectFrom('comment_import_authors')
      .select(['source_key', 'user_id'])
      .where('source', '=', source)
      .where('source_key', 'in', part)
      .execute();
    for (const r of rows) ids.set(r.source_key, r.user_id);
  }
  const missing = authors.filter((a) => !ids.has(a.key));
  summary.authors.existing = authors.length - missing.length;
  summary.authors.created = missing.length;
  if (dryRun) return ids;
  for (const part of chunks(missing)) {
    await q.transaction().execute(async (trx) => {
      for (const a of part) {
        const user = await trx
          .insertInto('users')
          .values({
            email: null,
            email_verified_at: null,
            display_name: a.name,
            profile_slug: await uniqueProfileSlug(trx, slugFromName(a.name)),
            avatar_media_id: null,
            password_hash: null,
            status: 'unclaimed',
            news_alerts_invited_at: null,
            news_alerts_confirmed_at: null,
            deleted_at: null,
            created_at: toDbTime(since.get(a.key) ?? new Date()),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('comment_import_authors')
          .values({
            source,
            source_key: a.key,
            email_hash: a.emailHash,
            user_id: user.id,
            claimed_at: null,
            claimed_by: null,
          })
          .execute();
        ids.set(a.key, user.id);
      }
    });
  }
  return ids;
}

/** Comments of this source already in the database among `keys`, on this story. */
async function existingComments(q: Q, source: string, keys: string[]): Promise<Map<string, Known>> {
  const known = new Map<string, Known>();
  for (const part of chunks(keys, 500)) {
    const rows = await q
      .selectFrom('comments')
      .select(['id', 'import_key', 'depth', 'root_id', 'article_id'])
      .where('import_source', '=', source)
      .where('import_key', 'in', part)
      .execute();
    // A key imported onto another story is still taken (the unique index says so), but is no parent here.
    for (const r of rows)
      if (r.import_key)
        known.set(r.import_key, {
          id: r.id,
          articleId: r.article_id,
          depth: Number(r.depth),
          rootId: r.root_id ?? null,
        });
  }
  return known;
}

async function writeThread(
  trx: Transaction<Database>,
  t: {
    source: string;
    siteId: number;
    articleId: number;
    comments: ImportedComment[];
    known: Map<string, Known>;
    authorIds: Map<string, number>;
    now: Date;
  },
): Promise<{ firstId: number; orphans: number }> {
  const inFile = new Set(t.comments.map((c) => c.key));
  let orphans = 0;
  // Parents first: each round writes the comments whose parent is written (or that have none).
  let pending = [...t.comments].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const parents = new Set<number>();
  let firstId = 0;
  while (pending.length > 0) {
    const ready: { c: ImportedComment; parent: Known | null }[] = [];
    const later: ImportedComment[] = [];
    for (const c of pending) {
      const found = c.parentKey ? t.known.get(c.parentKey) : undefined;
      const parent = found?.articleId === t.articleId ? found : undefined;
      if (!c.parentKey || parent) ready.push({ c, parent: parent ?? null });
      else if (inFile.has(c.parentKey) && !found) later.push(c);
      else {
        orphans++;
        ready.push({ c, parent: null });
      }
    }
    // A loop of replies answering each other has no start: its first comment goes to the top.
    if (ready.length === 0) {
      const c = later.shift()!;
      orphans++;
      ready.push({ c, parent: null });
    }
    for (const part of chunks(ready)) {
      const rows = await trx
        .insertInto('comments')
        .values(
          part.map(({ c, parent }) => ({
            site_id: t.siteId,
            article_id: t.articleId,
            parent_id: parent?.id ?? null,
            root_id: parent ? (parent.rootId ?? parent.id) : null,
            depth: parent ? parent.depth + 1 : 0,
            author_id: t.authorIds.get(c.author.key)!,
            body: c.body,
            status: c.status,
            hold_reasons:
              c.status === 'pending'
                ? JSON.stringify([{ code: 'pre_moderation', detail: 'held at the source' }])
                : '[]',
            // Decided at the source: only what was awaiting moderation there enters the unmoderated queues.
            reviewed_at: c.status === 'pending' ? null : toDbTime(t.now),
            reviewed_by: null,
            reject_reason: c.reason,
            reject_note: null,
            moderator_note: null,
            featured_at: null,
            edited_at: null,
            created_at: toDbTime(c.createdAt),
            updated_at: toDbTime(c.createdAt),
            import_source: t.source,
            import_key: c.key,
          })),
        )
        .returning(['id', 'import_key', 'depth', 'root_id', 'parent_id'])
        .execute();
      for (const r of rows) {
        t.known.set(r.import_key!, {
          id: r.id,
          articleId: t.articleId,
          depth: Number(r.depth),
          rootId: r.root_id ?? null,
        });
        if (r.parent_id !== null) parents.add(r.parent_id);
        if (firstId === 0 || r.id < firstId) firstId = r.id;
      }
    }
    pending = later;
  }
  // Reply counts are the visible direct replies: recount each parent that gained some.
  for (const part of chunks([...parents], 500)) {
    await trx
      .updateTable('comments')
      .set((eb) => ({
        reply_count: eb
          .selectFrom('comments as r')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('r.parent_id', '=', 'comments.id')
          .where('r.status', '=', 'published'),
      }))
      .where('id', 'in', part)
      .execute();
  }
  return { firstId, orphans };
}

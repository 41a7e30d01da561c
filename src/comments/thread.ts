// The read side of a thread, as readers see it: one page of top-level comments in the chosen order (featured
// first on the first page) with their replies, the counts shown beside headlines and on teasers, where a
// comment shows (for the permalink), and the reader's own votes. Writes go through rt.comments (service.ts).
//
// Never the whole thread: a page reads at most PAGE_SIZE top-level rows, then at most REPLIES_PER_ROOT
// replies under each and REPLIES_PER_PAGE in all (one windowed query), then the authors and roles of
// just those rows.
import { type SqlBool, sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { type Author, commentAuthors, DELETED_MEMBER } from './authors.ts';
import type { CommentStatus } from './tables.ts';

export const PAGE_SIZE = 50;
/** Replies shown under a top-level comment in the list; the rest are one link away (`?root=`). */
export const REPLIES_PER_ROOT = 20;
/**
 * Replies on one page of the thread, taken evenly across its top-level comments (each one's first, then each
 * one's second…), so a page stays well under the page cache's size cap (about 250 KB of HTML at most).
 */
export const REPLIES_PER_PAGE = 200;
/** Replies certain to be on their top-level comment's page; the permalink sends later ones to the conversation. */
const REPLIES_SURELY_SHOWN = Math.floor(REPLIES_PER_PAGE / PAGE_SIZE);
/** Replies read for one conversation on its own page (`?root=`). */
export const REPLIES_ONE_ROOT = 1000;
/** Nesting shown; deeper replies are shown at this level, saying whom they answer. */
export const MAX_LEVEL = 3;

export type ThreadSort = 'newest' | 'oldest' | 'top' | 'replies';
export const SORTS: readonly ThreadSort[] = ['newest', 'oldest', 'top', 'replies'];
export const DEFAULT_SORT: ThreadSort = 'oldest';

export interface ThreadComment {
  id: number;
  parentId: number | null;
  rootId: number | null;
  depth: number;
  /** Empty for a deleted comment (shown as "comment deleted" where replies hang from it). */
  body: string;
  status: CommentStatus;
  author: Author;
  moderatorNote: string | null;
  featured: boolean;
  edited: boolean;
  up: number;
  down: number;
  replyCount: number;
  createdAt: Date;
  /** Replies shown under this comment (nested to MAX_LEVEL, deeper ones flattened at that level). */
  replies: ThreadComment[];
  /** The author a flattened reply answers (set only when it is shown below its real nesting). */
  inReplyTo: Author | null;
}

export interface TopLevel extends ThreadComment {
  /** Every visible reply under this top-level comment, shown or not. */
  totalReplies: number;
}

export interface ThreadPage {
  featured: TopLevel[];
  comments: TopLevel[];
  page: number;
  /** Pages of top-level comments (featured ones lead the first). */
  pages: number;
  /** Published comments in the thread, replies included (the headline count). */
  count: number;
  sort: ThreadSort;
}

type Q = Db['kysely'];

function n(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

// A row is shown when it is published, or deleted but with replies still hanging from it (as "comment
// deleted"). Written against the alias `c` every query here uses.
const SHOWN = sql<SqlBool>`(c.status = 'published' or (c.status = 'deleted' and c.reply_count > 0))`;

const COLUMNS = [
  'c.id',
  'c.parent_id',
  'c.root_id',
  'c.depth',
  'c.author_id',
  'c.body',
  'c.status',
  'c.moderator_note',
  'c.featured_at',
  'c.edited_at',
  'c.up_count',
  'c.down_count',
  'c.reply_count',
  'c.created_at',
] as const;

interface Row {
  id: number;
  parent_id: number | null;
  root_id: number | null;
  depth: number;
  author_id: number;
  body: string;
  status: CommentStatus;
  moderator_note: string | null;
  featured_at: string | Date | null;
  edited_at: string | Date | null;
  up_count: number;
  down_count: number;
  reply_count: number;
  created_at: string | Date;
  total?: number | string;
}

function toThreadComment(r: Row, authors: Map<number, Author>): ThreadComment {
  const gone = r.status === 'deleted';
  return {
    id: r.id,
    parentId: r.parent_id,
    rootId: r.root_id,
    depth: n(r.depth),
    body: gone ? '' : r.body,
    status: r.status,
    author: gone
      ? { id: 0, ...DELETED_MEMBER }
      : (authors.get(r.author_id) ?? { id: r.author_id, ...DELETED_MEMBER }),
    moderatorNote: r.moderator_note,
    featured: r.featured_at !== null,
    edited: fromDbTimeOrNull(r.edited_at) !== null,
    up: n(r.up_count),
    down: n(r.down_count),
    replyCount: n(r.reply_count),
    createdAt: fromDbTime(r.created_at),
    replies: [],
    inReplyTo: null,
  };
}

export class ThreadReader {
  constructor(private readonly db: Db) {}

  private get q(): Q {
    return this.db.kysely;
  }

  /** Published comments (replies included) of one thread. */
  async count(siteId: number, articleId: number): Promise<number> {
    return (await this.counts(siteId, [articleId])).get(articleId) ?? 0;
  }

  /** The same for a batch of stories on one site (teasers): one grouped query. */
  async counts(siteId: number, articleIds: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const ids = [...new Set(articleIds)];
    if (ids.length === 0) return out;
    const rows = await this.q
      .selectFrom('comments')
      .select(['article_id', (eb) => eb.fn.countAll().as('n')])
      .where('article_id', 'in', ids)
      .where('site_id', '=', siteId)
      .where('status', '=', 'published')
      .groupBy('article_id')
      .execute();
    for (const r of rows) out.set(r.article_id, n(r.n));
    return out;
  }

  /** A page of the thread. `root` instead shows one conversation: that top-level comment and all its replies. */
  async page(
    siteId: number,
    articleId: number,
    opts: { sort?: ThreadSort; page?: number; root?: number } = {},
  ): Promise<ThreadPage | null> {
    const sort = opts.sort ?? DEFAULT_SORT;
    const page = Math.max(1, opts.page ?? 1);
    const base = () =>
      this.q
        .selectFrom('comments as c')
        .where('c.article_id', '=', articleId)
        .where('c.site_id', '=', siteId)
        .where('c.root_id', 'is', null)
        .where(SHOWN);
    if (opts.root !== undefined) {
      const [one, count] = await Promise.all([
        base().select(COLUMNS).where('c.id', '=', opts.root).executeTakeFirst(),
        this.count(siteId, articleId),
      ]);
      if (!one) return null;
      const [top] = await this.assemble(siteId, articleId, [one as Row], REPLIES_ONE_ROOT, REPLIES_ONE_ROOT);
      return { featured: [], comments: [top!], page: 1, pages: 1, count, sort };
    }
    // Featured comments lead, then the chosen order: one ordered scan for the page, one count for the pages.
    let list = base()
      .select(COLUMNS)
      .orderBy(sql`case when c.featured_at is null then 1 else 0 end`)
      .orderBy('c.featured_at', 'desc');
    switch (sort) {
      case 'newest':
        list = list.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc');
        break;
      case 'oldest':
        list = list.orderBy('c.created_at', 'asc').orderBy('c.id', 'asc');
        break;
      case 'top':
        list = list.orderBy('c.up_count', 'desc').orderBy('c.id', 'desc');
        break;
      case 'replies':
        list = list.orderBy('c.reply_count', 'desc').orderBy('c.id', 'desc');
        break;
    }
    const [rows, tops, count] = await Promise.all([
      list
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .execute(),
      base()
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
      this.count(siteId, articleId),
    ]);
    const pages = Math.max(1, Math.ceil(n(tops.n) / PAGE_SIZE));
    if (page > pages) return null;
    const all = await this.assemble(siteId, articleId, rows as Row[], REPLIES_PER_ROOT, REPLIES_PER_PAGE);
    const featuredRows = all.filter((c) => c.featured);
    return {
      featured: all.slice(0, featuredRows.length),
      comments: all.slice(featuredRows.length),
      page,
      pages,
      count,
      sort,
    };
  }

  /** The top-level rows with their first replies (each root's earliest `perRoot`), authors and roles. */
  private async assemble(
    siteId: number,
    articleId: number,
    roots: Row[],
    perRoot: number,
    perPage: number,
  ): Promise<TopLevel[]> {
    if (roots.length === 0) return [];
    const rootIds = roots.map((r) => r.id);
    // The published replies of the page's conversations are counted and ranked on the thread index's
    // columns (id, root, time); only the replies shown are read in full. A reply's parent is always older
    // than it, so each root's earliest replies hold their own parents. Deleted replies that others still
    // answer ("comment deleted") are few, and read on their own.
    const thread = () =>
      this.q
        .selectFrom('comments as c')
        .where('c.article_id', '=', articleId)
        .where('c.site_id', '=', siteId)
        .where('c.root_id', 'in', rootIds);
    const [counted, deleted] = await Promise.all([
      thread()
        .select(['c.root_id', (eb) => eb.fn.countAll().as('n')])
        .where('c.status', '=', 'published')
        .groupBy('c.root_id')
        .execute(),
      thread()
        .select(COLUMNS)
        .where('c.status', '=', 'deleted')
        .where('c.reply_count', '>', 0)
        .execute() as Promise<Row[]>,
    ]);
    const totals = new Map(counted.map((r) => [r.root_id!, n(r.n)]));
    // Within the page's budget, evenly: every root's first reply, then every root's second… so each root
    // gets at most `take`, found from the counts. The ranks are counted in the database on the index's
    // columns alone; only the rows shown are read in full.
    const fits = (k: number) =>
      rootIds.reduce((sum, id) => sum + Math.min(totals.get(id) ?? 0, k), 0) <= perPage;
    let take = perRoot;
    while (take > 1 && !fits(take)) take--;
    const ranked = thread()
      .select([
        'c.id',
        sql<number>`row_number() over (partition by c.root_id order by c.created_at, c.id)`.as('rk'),
      ])
      .where('c.status', '=', 'published');
    const published =
      totals.size > 0
        ? ((await this.q
            .selectFrom('comments as c')
            .innerJoin(ranked.as('r'), 'r.id', 'c.id')
            .select(COLUMNS)
            .where('r.rk', '<=', take)
            .execute()) as Row[])
        : [];
    const at = new Map<number, number>();
    for (const r of [...published, ...deleted]) at.set(r.id, fromDbTime(r.created_at).getTime());
    const byTime = (x: Row, y: Row) => at.get(x.id)! - at.get(y.id)! || x.id - y.id;
    // Deleted replies still answered join their conversation in time order; the budget still holds.
    const rank = new Map<number, number>();
    const seen = new Map<number, number>();
    for (const r of [...published, ...deleted].sort(byTime)) {
      const k = (seen.get(r.root_id!) ?? 0) + 1;
      seen.set(r.root_id!, k);
      rank.set(r.id, k);
    }
    const replies = [...published, ...deleted]
      .filter((r) => rank.get(r.id)! <= take)
      .sort((x, y) => rank.get(x.id)! - rank.get(y.id)! || byTime(x, y))
      .slice(0, perPage)
      // Parents before their replies.
      .sort(byTime);
    const authors = await commentAuthors(
      this.q,
      siteId,
      [...roots, ...replies].map((r) => r.author_id),
    );
    const make = (r: Row) => toThreadComment(r, authors);
    const byId = new Map<number, ThreadComment>();
    const tops: TopLevel[] = roots.map((r) => {
      const t = { ...make(r), totalReplies: 0 };
      byId.set(t.id, t);
      return t;
    });
    for (const r of replies) {
      const c = make(r);
      byId.set(c.id, c);
      // Shown under its parent down to MAX_LEVEL; below that, beside its ancestor at MAX_LEVEL. A reply whose
      // parent is not shown (held or rejected) hangs from the top-level comment.
      let parent = c.parentId === null ? undefined : byId.get(c.parentId);
      const realParent = parent;
      while (parent && parent.depth >= MAX_LEVEL && parent.parentId !== null)
        parent = byId.get(parent.parentId);
      parent ??= byId.get(c.rootId!);
      if (!parent) continue;
      if (realParent && realParent !== parent) c.inReplyTo = realParent.author;
      parent.replies.push(c);
    }
    for (const t of tops) t.totalReplies = totals.get(t.id) ?? 0;
    return tops;
  }

  /** One comment of this site as readers see it (any status: the caller decides what it may show), with its thread. */
  async single(
    siteId: number,
    id: number,
  ): Promise<(ThreadComment & { articleId: number; authorId: number }) | null> {
    const r = await this.q
      .selectFrom('comments as c')
      .select([...COLUMNS, 'c.article_id'])
      .where('c.id', '=', id)
      .where('c.site_id', '=', siteId)
      .executeTakeFirst();
    if (!r) return null;
    const authors = await commentAuthors(this.q, siteId, [r.author_id]);
    return { ...toThreadComment(r as Row, authors), articleId: r.article_id, authorId: r.author_id };
  }

  /**
   * Where a visible comment shows in the default order: its top-level comment's page, or that conversation's
   * own page when the reply is beyond the first few (REPLIES_SURELY_SHOWN). Null when the comment is not on this site's
   * thread or is not shown to readers.
   */
  async locate(
    siteId: number,
    commentId: number,
  ): Promise<{ articleId: number; page: number; root: number | null } | null> {
    const c = await this.q
      .selectFrom('comments as c')
      .select(['c.id', 'c.article_id', 'c.root_id', 'c.status', 'c.reply_count', 'c.created_at'])
      .where('c.id', '=', commentId)
      .where('c.site_id', '=', siteId)
      .executeTakeFirst();
    if (!c || !(c.status === 'published' || (c.status === 'deleted' && n(c.reply_count) > 0))) return null;
    const rootId = c.root_id ?? c.id;
    if (c.root_id !== null) {
      const earlier = await this.q
        .selectFrom('comments as c')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('c.article_id', '=', c.article_id)
        .where('c.site_id', '=', siteId)
        .where('c.root_id', '=', rootId)
        .where(SHOWN)
        .where((eb) =>
          eb.or([
            eb('c.created_at', '<', c.created_at),
            eb.and([eb('c.created_at', '=', c.created_at), eb('c.id', '<', c.id)]),
          ]),
        )
        .executeTakeFirstOrThrow();
      if (n(earlier.n) >= REPLIES_SURELY_SHOWN) return { articleId: c.article_id, page: 1, root: rootId };
    }
    const root = await this.q
      .selectFrom('comments as c')
      .select(['c.id', 'c.created_at', 'c.featured_at'])
      .where('c.id', '=', rootId)
      .executeTakeFirstOrThrow();
    // Featured comments lead the default order (oldest first): the page is how many shown top-level
    // comments come before this one's.
    const before = await this.q
      .selectFrom('comments as c')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('c.article_id', '=', c.article_id)
      .where('c.site_id', '=', siteId)
      .where('c.root_id', 'is', null)
      .where(SHOWN)
      .where((eb) =>
        root.featured_at !== null
          ? eb('c.featured_at', '>', root.featured_at)
          : eb.or([
              eb('c.featured_at', 'is not', null),
              eb.and([
                eb('c.featured_at', 'is', null),
                eb.or([
                  eb('c.created_at', '<', root.created_at),
                  eb.and([eb('c.created_at', '=', root.created_at), eb('c.id', '<', root.id)]),
                ]),
              ]),
            ]),
      )
      .executeTakeFirstOrThrow();
    return { articleId: c.article_id, page: Math.floor(n(before.n) / PAGE_SIZE) + 1, root: null };
  }

  /** The reader's votes on the given comments. */
  async votesOf(userId: number, commentIds: number[]): Promise<Map<number, 1 | -1>> {
    const out = new Map<number, 1 | -1>();
    if (commentIds.length === 0) return out;
    const rows = await this.q
      .selectFrom('comment_votes')
      .select(['comment_id', 'value'])
      .where('user_id', '=', userId)
      .where('comment_id', 'in', commentIds)
      .execute();
    for (const r of rows) out.set(r.comment_id, n(r.value) > 0 ? 1 : -1);
    return out;
  }

  /** The reader's own visible comments of a thread that are still within the edit window. */
  async ownRecent(userId: number, siteId: number, articleId: number, since: Date): Promise<number[]> {
    const rows = await this.q
      .selectFrom('comments')
      .select('id')
      .where('author_id', '=', userId)
      .where('site_id', '=', siteId)
      .where('article_id', '=', articleId)
      .where('status', 'in', ['published', 'pending'])
      .where('created_at', '>=', toDbTime(since))
      .execute();
    return rows.map((r) => r.id);
  }

  /** The reader's own shown comments among the given ones (for their delete buttons). */
  async ownAmong(userId: number, commentIds: number[]): Promise<number[]> {
    if (commentIds.length === 0) return [];
    const rows = await this.q
      .selectFrom('comments')
      .select('id')
      .where('author_id', '=', userId)
      .where('id', 'in', commentIds)
      .where('status', '=', 'published')
      .execute();
    return rows.map((r) => r.id);
  }
}

/** Every id on a page, replies included. */
export function idsOn(page: ThreadPage): number[] {
  const out: number[] = [];
  const walk = (c: ThreadComment) => {
    out.push(c.id);
    for (const r of c.replies) walk(r);
  };
  for (const c of [...page.featured, ...page.comments]) walk(c);
  return out;
}

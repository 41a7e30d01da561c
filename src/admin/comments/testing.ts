// Test fixtures for the moderation screens: two sites with a published story each, reader accounts, and
// comments written straight into the table (any status, hold reasons, reports, times), so the screens' reads
// are tested apart from posting; the actions then go through rt.comments as the screens do.
import { sql } from 'kysely';
import { newsSite, type TestApp } from '../../../test/app.ts';
import type { HoldReason } from '../../comments/model.ts';
import type { CommentStatus } from '../../comments/tables.ts';
import { toDbTime } from '../../db/values.ts';

let n = 0;

export interface ModFixture {
  news: Awaited<ReturnType<typeof newsSite>>;
  sister: Awaited<ReturnType<typeof newsSite>>;
  story: { id: number; slug: string };
  sisterStory: { id: number; slug: string };
  reader(name?: string): Promise<{ id: number; email: string; name: string }>;
  comment(o: {
    siteId?: number;
    articleId?: number;
    authorId: number;
    body?: string;
    status?: CommentStatus;
    holdReasons?: HoldReason[];
    reviewed?: boolean;
    parentId?: number | null;
    at?: Date;
    reports?: { userId: number; reason: 'spam' | 'abuse' | 'off_topic' | 'other'; note?: string }[];
  }): Promise<number>;
}

export async function modFixture(t: TestApp): Promise<ModFixture> {
  const news = await newsSite(t.rt, 'news');
  const sister = await newsSite(t.rt, 'sister');
  const make = async (site: typeof news, headline: string) => {
    const a = await t.rt.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.world.id,
        headline,
        bodyHtml: '<p>Text.</p>',
        status: 'published',
      },
      'test',
    );
    const slug = a.placements.find((p) => p.siteId === site.site.id)!.slug;
    return { id: a.article.id, slug };
  };
  const story = await make(news, 'Harbour bridge reopens');
  const sisterStory = await make(sister, 'Sister site council vote');
  const base = Date.now() - 3600_000;
  return {
    news,
    sister,
    story,
    sisterStory,
    async reader(name) {
      n++;
      const email = `reader${n}-${process.pid}@example.com`;
      const u = await t.rt.accounts.createUser({
        email,
        displayName: name ?? `Reader ${n}`,
        password: 'reader-password-long-enough',
      });
      return { id: u.id, email, name: name ?? `Reader ${n}` };
    },
    async comment(o) {
      n++;
      const siteId = o.siteId ?? news.site.id;
      const articleId = o.articleId ?? (siteId === news.site.id ? story.id : sisterStory.id);
      const at = o.at ?? new Date(base + n * 1000);
      let rootId: number | null = null;
      let depth = 0;
      if (o.parentId) {
        const p = await t.rt.db.kysely
          .selectFrom('comments')
          .select(['root_id', 'depth'])
          .where('id', '=', o.parentId)
          .executeTakeFirstOrThrow();
        rootId = p.root_id ?? o.parentId;
        depth = Number(p.depth) + 1;
      }
      const row = await t.rt.db.kysely
        .insertInto('comments')
        .values({
          site_id: siteId,
          article_id: articleId,
          parent_id: o.parentId ?? null,
          root_id: rootId,
          depth,
          author_id: o.authorId,
          body: o.body ?? `Comment number ${n}`,
          status: o.status ?? 'pending',
          hold_reasons: JSON.stringify(o.holdReasons ?? []),
          reviewed_at: o.reviewed ? toDbTime(at) : null,
          report_count: o.reports?.length ?? 0,
          created_at: toDbTime(at),
          updated_at: toDbTime(at),
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const r of o.reports ?? [])
        await t.rt.db.kysely
          .insertInto('comment_reports')
          .values({ comment_id: row.id, user_id: r.userId, reason: r.reason, note: r.note ?? null })
          .execute();
      return Number(row.id);
    },
  };
}

/** The row of a comment, to compare before and after a refused request. */
export async function commentRow(t: TestApp, id: number) {
  return t.rt.db.kysely.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function auditRows(t: TestApp): Promise<number> {
  return Number(
    (await sql<{ n: number }>`select count(*) as n from audit_log`.execute(t.rt.db.kysely)).rows[0]!.n,
  );
}

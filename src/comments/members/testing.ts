// Test helpers for the members part: a network of two sites with stories, readers signed in through the
// real forms, and comments, votes and notifications written straight into the tables (as core's writes
// leave them), with the domain event core would publish.
import assert from 'node:assert/strict';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { Client, FAST_ARGON2 } from '../../accounts/testing.ts';
import type { Db } from '../../db/connection.ts';
import { toDbTime } from '../../db/values.ts';
import type { CommentStatus, NotificationKind } from '../tables.ts';

export const NEWS = 'http://news.localhost:3000';
export const LIFE = 'http://life.localhost:3000';
export const PW = 'velvet-harbour-lantern';

export interface Network {
  t: TestApp;
  newsId: number;
  lifeId: number;
  /** Stories: live on news, live on life, taken down on news, a draft on news. */
  stories: { news: number; life: number; gone: number; draft: number };
}

export async function startNetwork(db: Db): Promise<Network> {
  const t = await startTestApp(db, FAST_ARGON2);
  const news = await newsSite(t.rt, 'news');
  const life = await t.rt.sites.create({ slug: 'life', name: 'Lifestyle Daily', hosts: ['life.localhost'] });
  const food = await t.rt.sections.create(life.id, { slug: 'food', name: 'Food' });
  await t.rt.directory.load();
  const story = async (siteId: number, sectionId: number, headline: string, status?: 'draft') =>
    (
      await t.rt.articles.create(
        { siteId, sectionId, headline, bodyHtml: '<p>Text.</p>', ...(status && { status }) },
        'test',
      )
    ).article.id;
  const stories = {
    news: await story(news.site.id, news.world.id, 'Leaders meet at the summit'),
    life: await story(life.id, food.id, 'The best ramen in town'),
    gone: await story(news.site.id, news.world.id, 'A story taken down'),
    draft: await story(news.site.id, news.world.id, 'A story not yet out', 'draft'),
  };
  await t.rt.articles.takeDown(stories.gone, 'legal', 'test');
  return { t, newsId: news.site.id, lifeId: life.id, stories };
}

let clock = Date.parse('2026-01-01T00:00:00Z');

/** A comment as core stores it; later calls are newer. */
export async function addComment(
  t: TestApp,
  c: {
    siteId: number;
    articleId: number;
    authorId: number;
    body?: string;
    status?: CommentStatus;
    parentId?: number | null;
    up?: number;
    down?: number;
  },
): Promise<number> {
  clock += 60_000;
  const row = await t.rt.db.kysely
    .insertInto('comments')
    .values({
      site_id: c.siteId,
      article_id: c.articleId,
      author_id: c.authorId,
      parent_id: c.parentId ?? null,
      root_id: c.parentId ?? null,
      depth: c.parentId ? 1 : 0,
      body: c.body ?? 'A comment.',
      status: c.status ?? 'published',
      up_count: c.up ?? 0,
      down_count: c.down ?? 0,
      created_at: toDbTime(new Date(clock)),
      updated_at: toDbTime(new Date(clock)),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Publishes comment.changed as core's writes do after commit. */
export async function commentChanged(t: TestApp, siteId: number, articleId: number, commentId: number) {
  const event = { type: 'comment.changed' as const, siteId, articleId, commentId };
  const id = await t.rt.db.kysely.transaction().execute((trx) => t.rt.events.record(trx, event));
  t.rt.events.published(event, id);
  // The member page's listener looks the author up before dropping pages.
  await new Promise((r) => setTimeout(r, 50));
}

export async function addNotification(t: TestApp, userId: number, kind: NotificationKind, commentId: number) {
  const row = await t.rt.db.kysely
    .insertInto('comment_notifications')
    .values({ user_id: userId, kind, comment_id: commentId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function reader(
  t: TestApp,
  email: string,
  displayName: string,
  roles?: { role: 'moderator' | 'editor'; siteId: number | null }[],
) {
  const user = await t.rt.accounts.createUser({ email, displayName, password: PW, ...(roles && { roles }) });
  return user;
}

export async function signedIn(t: TestApp, email: string): Promise<Client> {
  const c = new Client(t.app);
  const res = await c.submit(`${NEWS}/account/login`, '/account/login', { email, password: PW });
  assert.equal(res.status, 303, res.body);
  await c.follow(res);
  return c;
}

// Preview links: an unguessable URL on the story's own site (/preview/<token>) that shows a draft or
// scheduled story as its real page to whoever has the link (a lawyer, a source, a colleague without an
// account), until an editor revokes it. The token is 256 random bits; only its SHA-256 is stored, so a
// leaked table opens nothing. Creating and revoking are audit-logged.

import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { Q } from './repository.ts';
import { actorOf, storyNotFound } from './story.ts';
import { auditStory } from './story-audit.ts';

export interface PreviewLink {
  id: number;
  articleId: number;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** The path of a preview on the story's site host. */
export function previewPath(token: string): string {
  return `/preview/${token}`;
}

/** A token as newToken makes them (43 URL-safe characters): anything else is refused without a query. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, URL-safe; the same shape and hash as the accounts' secrets, without importing them. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class PreviewLinks {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q() {
    return this.db.kysely;
  }

  /** A new link for the story; the token is returned once, here, and never stored. */
  async create(articleId: number, userId: number): Promise<{ link: PreviewLink; token: string }> {
    const token = newToken();
    const at = toDbTime(this.now());
    return this.q.transaction().execute(async (trx) => {
      const story = await trx
        .selectFrom('articles')
        .select('status')
        .where('id', '=', articleId)
        .executeTakeFirst();
      if (!story) throw storyNotFound(articleId);
      if (story.status === 'taken_down') {
        throw new DatelineError(
          'ARTICLE_GONE',
          `Story ${articleId} was taken down, so it has no preview. Nothing was created.`,
          { article: articleId },
        );
      }
      const row = await trx
        .insertInto('story_preview_links')
        .values({ token_hash: hashToken(token), article_id: articleId, created_by: userId, created_at: at })
        .returning(['id'])
        .executeTakeFirstOrThrow();
      await auditStory(trx, {
        actor: actorOf(userId),
        action: 'story.preview_link_created',
        storyId: articleId,
        detail: { link: row.id },
      });
      const link = (await this.linksWhere(trx, articleId)).find((l) => l.id === row.id)!;
      return { link, token };
    });
  }

  /** Stops a link from working, from the next request on. Revoking twice changes nothing. */
  async revoke(articleId: number, linkId: number, userId: number): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('story_preview_links')
        .set({ revoked_at: toDbTime(this.now()) })
        .where('id', '=', linkId)
        .where('article_id', '=', articleId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!done) {
        const exists = await trx
          .selectFrom('story_preview_links')
          .select('id')
          .where('id', '=', linkId)
          .where('article_id', '=', articleId)
          .executeTakeFirst();
        if (!exists) {
          throw new DatelineError('NOT_FOUND', `Story ${articleId} has no preview link ${linkId}.`, {
            article: articleId,
          });
        }
        return;
      }
      await auditStory(trx, {
        actor: actorOf(userId),
        action: 'story.preview_link_revoked',
        storyId: articleId,
        detail: { link: linkId },
      });
    });
  }

  /** The story's links, newest first, revoked ones included (the screen shows them struck out). */
  list(articleId: number): Promise<PreviewLink[]> {
    return this.linksWhere(this.q, articleId);
  }

  /**
   * The story a token previews, or null: an unknown, malformed or revoked token, or a story taken down.
   * The caller renders the story's page on its own site's host only.
   */
  async resolve(token: string): Promise<{ articleId: number; siteId: number } | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const row = await this.q
      .selectFrom('story_preview_links as l')
      .innerJoin('articles as a', 'a.id', 'l.article_id')
      .select(['l.article_id', 'a.site_id', 'a.status'])
      .where('l.token_hash', '=', hashToken(token))
      .where('l.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row || row.status === 'taken_down') return null;
    return { articleId: row.article_id, siteId: row.site_id };
  }

  private async linksWhere(q: Q, articleId: number): Promise<PreviewLink[]> {
    const rows = await q
      .selectFrom('story_preview_links as l')
      .leftJoin('users as u', 'u.id', 'l.created_by')
      .select(['l.id', 'l.article_id', 'l.created_by', 'l.created_at', 'l.revoked_at', 'u.display_name'])
      .where('l.article_id', '=', articleId)
      .orderBy('l.id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      articleId: r.article_id,
      createdBy: r.created_by,
      createdByName: r.display_name,
      createdAt: fromDbTime(r.created_at),
      revokedAt: fromDbTimeOrNull(r.revoked_at),
    }));
  }
}

// Publishing from the newsroom admin: publish now, schedule on the site's own clock, unpublish (back to a
// draft), take down (410 Gone, as the command line does) and circulate to sister sites (the existing
// republish, whose pages link to the original as canonical). Each is one transaction with its revision
// (a full snapshot, see story.ts) and an audit entry; the article's events publish after it commits, so
// the site's pages and caches follow as they do for every other change.

import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { htmlToText } from './body-html.ts';
import type { StaffActor } from './editing.ts';
import type { ArticleService, Unit } from './service.ts';
import { actorOf, completeRevision, lockStoryRow, requireStory, type Story } from './story.ts';
import { auditStory } from './story-audit.ts';

/** Longest take-down reason kept (it is shown to editors and written to the audit log). */
const MAX_REASON_CHARS = 500;

export class StoryPublishing {
  constructor(
    private readonly db: Db,
    private readonly articles: ArticleService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Puts the story out now (a scheduled one goes out at once). */
  publishNow(id: number, actor: StaffActor): Promise<Story> {
    return this.change(id, actor, 'story.published', async (unit, before) => {
      if (before.article.status === 'published') return;
      assertPublishable(before);
      await this.articles.update(
        id,
        { status: 'published', publishAt: this.now() },
        actorOf(actor.userId),
        unit,
      );
    });
  }

  /**
   * Schedules the story for `at` (an instant; the screen reads it on the site's clock, see schedule-time.ts).
   * A time that has passed is refused rather than published at once, so a typo never puts a story out early;
   * a published story must be unpublished before it can be scheduled again.
   */
  schedule(id: number, at: Date, actor: StaffActor): Promise<Story> {
    return this.change(id, actor, 'story.scheduled', async (unit, before) => {
      if (before.article.status === 'published') {
        throw new DatelineError(
          'ARTICLE_INVALID',
          `Story ${id} is already published, so it cannot be scheduled. Unpublish it first if it should go out again later.`,
          { field: 'publishAt' },
        );
      }
      if (Number.isNaN(at.getTime()) || at <= this.now()) {
        throw new DatelineError(
          'ARTICLE_INVALID',
          'That time has already passed. Choose a time in the future, or publish now.',
          { field: 'publishAt' },
        );
      }
      assertPublishable(before);
      await this.articles.update(id, { status: 'published', publishAt: at }, actorOf(actor.userId), unit);
    });
  }

  /** Back to a draft: a published story leaves the site (its pages answer 404), a scheduled one is kept back. */
  unpublish(id: number, actor: StaffActor): Promise<Story> {
    return this.change(id, actor, 'story.unpublished', async (unit, before) => {
      if (before.article.status === 'draft') return;
      await this.articles.update(id, { status: 'draft' }, actorOf(actor.userId), unit);
    });
  }

  /** Takes the story down everywhere it appears: its pages answer 410 Gone. The reason is kept. */
  async takeDown(id: number, reason: string, actor: StaffActor): Promise<Story> {
    const why = reason.trim();
    if (why === '' || why.length > MAX_REASON_CHARS) {
      throw new DatelineError(
        'ARTICLE_INVALID',
        `Give the reason for taking the story down, in at most ${MAX_REASON_CHARS} characters (it is kept with the story).`,
        { field: 'reason' },
      );
    }
    // ArticleService.takeDown writes its own audit entry (article.taken_down, with the reason and sites).
    return this.change(id, actor, null, async (unit, before) => {
      if (before.article.status === 'taken_down') return;
      await this.articles.takeDown(id, why, actorOf(actor.userId), unit);
    });
  }

  /**
   * Shows the story on a sister site too, in the section chosen there; that page names the original as
   * canonical. A story already on that site is refused (SLUG_TAKEN names the site field).
   */
  circulate(
    id: number,
    target: { siteId: number; sectionId: number; slug?: string },
    actor: StaffActor,
  ): Promise<Story> {
    return this.change(
      id,
      actor,
      'story.circulated',
      async (unit, before) => {
        if (before.article.status === 'taken_down') {
          throw new DatelineError('ARTICLE_GONE', `Story ${id} was taken down and cannot be circulated.`, {
            article: id,
          });
        }
        if (target.siteId === before.article.siteId) {
          throw new DatelineError(
            'ARTICLE_INVALID',
            'That is the story’s own site. Choose a sister site to circulate it to.',
            { field: 'site' },
          );
        }
        await this.articles.republish(
          id,
          target.siteId,
          target.sectionId,
          actorOf(actor.userId),
          target.slug,
          unit,
        );
      },
      { site: target.siteId, section: target.sectionId },
    );
  }

  private async change(
    id: number,
    actor: StaffActor,
    action: string | null,
    work: (unit: Unit, before: Story) => Promise<void>,
    detail: Record<string, unknown> = {},
  ): Promise<Story> {
    const name = actorOf(actor.userId);
    return this.articles.inTransaction(async (unit) => {
      await lockStoryRow(unit.trx, this.db.dialect, id);
      const before = await requireStory(unit.trx, id);
      await work(unit, before);
      const after = await requireStory(unit.trx, id);
      if (after.revision === before.revision) return after;
      const revision = await completeRevision(unit.trx, after, before.revision, [], name, this.now());
      if (action) {
        await auditStory(unit.trx, {
          actor: name,
          action,
          storyId: id,
          before: {
            status: before.article.status,
            publishAt: before.article.publishAt?.toISOString() ?? null,
          },
          after: { status: after.article.status, publishAt: after.article.publishAt?.toISOString() ?? null },
          detail: { revision, ...detail },
        });
      }
      return { ...after, revision };
    });
  }
}

/** A story goes out only with something in it: a new draft's empty paragraph is not a story. */
function assertPublishable(story: Story): void {
  const body = story.article.bodyHtml;
  if (htmlToText(body).trim() === '' && !body.includes('<img')) {
    throw new DatelineError(
      'ARTICLE_INVALID',
      'The story has no text yet. Write the body, save, then publish.',
      { field: 'bodyHtml' },
    );
  }
}

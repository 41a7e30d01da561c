// Arranging a site's front page: the rules of an arrangement (a lead and up to MAX_TOP_STORIES top stories,
// each a story live on that site, none twice) and saving or clearing it in one transaction with its audit
// entry and the front_page.changed event, published after commit so the site's home page drops from the
// cache on every node. Reading for the admin (what is saved, with what left since) is here too; the home
// page reads through FrontPageReader.
import { recordAudit } from '../audit/log.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { DomainEvent } from '../events/bus.ts';
import type { Events } from '../events/log.ts';
import type { FrontPageArrangement } from './reader.ts';
import {
  cardsOnSite,
  liveOnSite,
  replaceSlots,
  type SavedSlot,
  type StoryCard,
  savedSlots,
} from './repository.ts';

/** Top stories an editor may place under the lead; the home page shows as many as its layout holds. */
export const MAX_TOP_STORIES = 10;

export interface FrontPageActor {
  /** The audit log's name (`user:<id>`, or e.g. `demo`). */
  label: string;
  /** The staff account, kept on the rows; null for the demo and the CLI. */
  userId: number | null;
}

/** The saved arrangement as the admin shows it. */
export interface SavedFrontPage {
  /** Only the stories live on the site now: what readers see (the home page fills the rest with the newest). */
  arrangement: FrontPageArrangement;
  /** Saved stories that are no longer live on the site: skipped when read, named so editors know. */
  dropped: StoryCard[];
  /** When and by whom it was last saved; null when the site has no arrangement. */
  savedAt: Date | null;
  savedBy: number | null;
}

export class FrontPageService {
  constructor(
    private readonly events: Events,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db() {
    return this.events.db.kysely;
  }

  async saved(siteId: number): Promise<SavedFrontPage> {
    const slots = await savedSlots(this.db, siteId);
    const ids = slots.map((s) => s.articleId);
    const live = await liveOnSite(this.db, siteId, ids);
    const gone = ids.filter((id) => !live.has(id));
    const cards = await cardsOnSite(this.db, siteId, gone);
    return {
      arrangement: toArrangement(slots.filter((s) => live.has(s.articleId))),
      dropped: gone.flatMap((id) => cards.get(id) ?? []),
      savedAt: slots[0]?.updatedAt ?? null,
      savedBy: slots[0]?.pinnedBy ?? null,
    };
  }

  /** Cards of the given stories as placed on the site (for the admin's lists). */
  cards(siteId: number, articleIds: readonly number[]): Promise<Map<number, StoryCard>> {
    return cardsOnSite(this.db, siteId, articleIds);
  }

  /**
   * Saves the site's arrangement in place of the one before. Refused (nothing written) with BAD_REQUEST for
   * too many top stories or a story placed twice, and ARTICLE_NOT_FOUND for a story not live on the site. An
   * arrangement with no stories at all clears it: the home page shows the newest stories again. With
   * `expectVersion`, refused with EDIT_CONFLICT when the saved front page is no longer that version.
   */
  async save(
    siteId: number,
    next: FrontPageArrangement,
    actor: FrontPageActor,
    o: { expectVersion?: string } = {},
  ): Promise<void> {
    const ids = [...(next.leadArticleId !== null ? [next.leadArticleId] : []), ...next.topArticleIds];
    if (next.topArticleIds.length > MAX_TOP_STORIES)
      throw new DatelineError(
        'BAD_REQUEST',
        `A front page holds at most ${MAX_TOP_STORIES} top stories under its lead; remove some. Nothing was saved.`,
        { field: 'top' },
      );
    if (new Set(ids).size !== ids.length)
      throw new DatelineError(
        'BAD_REQUEST',
        'A story can be on the front page once only: as the lead or as one top story. Nothing was saved.',
        { field: 'top' },
      );
    if (ids.some((id) => !Number.isSafeInteger(id) || id < 1))
      throw new DatelineError('BAD_REQUEST', 'Stories are named by their numbers. Nothing was saved.', {
        field: 'top',
      });
    const event: DomainEvent = { type: 'front_page.changed', siteId };
    const eventId = await this.db.transaction().execute(async (trx) => {
      const live = await liveOnSite(trx, siteId, ids);
      const missing = ids.filter((id) => !live.has(id));
      if (missing.length > 0)
        throw new DatelineError(
          'ARTICLE_NOT_FOUND',
          `Story ${missing.join(', ')} is not published on this site (it may have been taken down or unpublished ` +
            'meanwhile), so the front page was not saved. Remove it and save again.',
          { article: missing[0]! },
        );
      const slots = await savedSlots(trx, siteId);
      if (o.expectVersion !== undefined && o.expectVersion !== versionOf(slots[0]?.updatedAt ?? null))
        throw new DatelineError(
          'EDIT_CONFLICT',
          'Someone else saved this front page after you started arranging it, so yours was not saved. Their ' +
            'arrangement is shown; save again to replace it with yours.',
        );
      const before = toArrangement(slots);
      if (sameArrangement(before, next)) return null;
      await replaceSlots(trx, siteId, next, actor.userId, this.now());
      await recordAudit(trx, {
        actor: actor.label,
        action: ids.length === 0 ? 'front_page.cleared' : 'front_page.saved',
        subjectType: 'site',
        subjectId: siteId,
        before: { lead: before.leadArticleId, top: before.topArticleIds },
        after: { lead: next.leadArticleId, top: [...next.topArticleIds] },
      });
      return this.events.record(trx, event);
    });
    if (eventId !== null) this.events.published(event, eventId);
  }

  /** Removes the site's arrangement: the home page shows the newest stories again. */
  clear(siteId: number, actor: FrontPageActor): Promise<void> {
    return this.save(siteId, { leadArticleId: null, topArticleIds: [] }, actor);
  }
}

/** A saved front page's version, for noticing a save made meanwhile: when it was saved ('0' for never). */
export function versionOf(savedAt: Date | null): string {
  return savedAt ? String(savedAt.getTime()) : '0';
}

function toArrangement(slots: SavedSlot[]): FrontPageArrangement {
  return {
    leadArticleId: slots.find((s) => s.kind === 'lead')?.articleId ?? null,
    topArticleIds: slots.filter((s) => s.kind === 'top').map((s) => s.articleId),
  };
}

export function sameArrangement(a: FrontPageArrangement, b: FrontPageArrangement): boolean {
  return (
    a.leadArticleId === b.leadArticleId &&
    a.topArticleIds.length === b.topArticleIds.length &&
    a.topArticleIds.every((id, i) => b.topArticleIds[i] === id)
  );
}

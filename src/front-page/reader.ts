// What the home page reads of the editor-arranged front page: a site's lead story and ordered top stories as
// an editor saved them in the admin (src/admin/front-page/), keeping only the stories still live on that
// site. A story that was taken down, killed by its agency or unpublished since drops out here, so the home
// page (which fills what is missing with the newest stories) never shows it. The composition root
// (src/web/server.tsx) hands this reader to the home page; the articles feature never imports it. A change
// records front_page.changed, which drops the site's cached home page (web/cache/invalidation.ts).
import type { Db } from '../db/connection.ts';
import { liveSlots } from './repository.ts';

export interface FrontPageArrangement {
  leadArticleId: number | null;
  topArticleIds: number[];
}

export class FrontPageReader {
  constructor(private readonly db: Pick<Db, 'kysely'>) {}

  /**
   * The site's arrangement with only its live stories; null when none is set, or when none of its stories is
   * live any more (the home page then shows the newest stories, as it does without an arrangement). When only
   * the lead has gone, leadArticleId is null and the top stories stay as arranged.
   */
  async arrangement(siteId: number): Promise<FrontPageArrangement | null> {
    const slots = await liveSlots(this.db.kysely, siteId);
    if (slots.length === 0) return null;
    return {
      leadArticleId: slots.find((s) => s.kind === 'lead')?.articleId ?? null,
      topArticleIds: slots.filter((s) => s.kind === 'top').map((s) => s.articleId),
    };
  }
}

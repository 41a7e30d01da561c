// Which stories a digest carries: the site's stories published since its last issue went out (or in the
// last week, for a list's first), top stories first, then one block per section the list's composition
// names. Top stories follow the site's front page as an editor arranged it (its lead and top stories, when
// set and live), then the newest; each section block is that section's newest not already above. A story in
// the previous issue is not sent again, and no story appears twice.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { toDbTime } from '../../db/values.ts';
import type { Composition } from '../lists.ts';
import type { IssueItem } from './issues.ts';

/** The site's front page as arranged (src/front-page/reader.ts), or null when none is set. */
export interface FrontPageOrder {
  arrangement(siteId: number): Promise<{ leadArticleId: number | null; topArticleIds: number[] } | null>;
}

export const FIRST_ISSUE_WINDOW_MS = 7 * 86_400_000;
/** Newest stories read to fill the blocks: more than any composition asks for. */
const CANDIDATES = 400;

interface Candidate {
  articleId: number;
  sectionId: number;
}

export class DigestComposer {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly frontPage: FrontPageOrder | null,
  ) {}

  /** The site's stories live now and published after `since`, newest first, one row per story. */
  private async candidates(siteId: number, since: Date): Promise<Candidate[]> {
    const rows = await this.db
      .selectFrom('placements as p')
      .innerJoin('articles as a', 'a.id', 'p.article_id')
      .select(['p.article_id', 'p.section_id', 'p.canonical'])
      .where('p.site_id', '=', siteId)
      .where('p.live', '=', 1)
      .where('a.status', '=', 'published')
      .where('p.published_at', '>', toDbTime(since))
      .orderBy('p.published_at', 'desc')
      .orderBy('p.article_id', 'desc')
      .limit(CANDIDATES)
      .execute();
    const seen = new Set<number>();
    const out: Candidate[] = [];
    for (const r of rows) {
      if (seen.has(r.article_id)) continue;
      seen.add(r.article_id);
      out.push({ articleId: r.article_id, sectionId: r.section_id });
    }
    return out;
  }

  /** Stories of the front page that are live on the site now, in the editor's order. */
  private async arranged(siteId: number): Promise<number[]> {
    const a = await this.frontPage?.arrangement(siteId);
    if (!a) return [];
    const ids = [...(a.leadArticleId ? [a.leadArticleId] : []), ...a.topArticleIds];
    if (ids.length === 0) return [];
    const live = await this.db
      .selectFrom('placements as p')
      .innerJoin('articles as a', 'a.id', 'p.article_id')
      .select('p.article_id')
      .where('p.site_id', '=', siteId)
      .where('p.live', '=', 1)
      .where('a.status', '=', 'published')
      .where('p.article_id', 'in', ids)
      .execute();
    const ok = new Set(live.map((r) => r.article_id));
    return [...new Set(ids)].filter((id) => ok.has(id));
  }

  async compose(
    siteId: number,
    composition: Composition,
    o: { since: Date; exclude?: ReadonlySet<number> },
  ): Promise<IssueItem[]> {
    const exclude = o.exclude ?? new Set<number>();
    const [fresh, arranged] = await Promise.all([this.candidates(siteId, o.since), this.arranged(siteId)]);
    const chosen = new Set<number>();
    const items: IssueItem[] = [];
    const take = (articleId: number, block: string) => {
      if (chosen.has(articleId) || exclude.has(articleId)) return false;
      chosen.add(articleId);
      items.push({ articleId, block });
      return true;
    };
    let top = 0;
    for (const id of [...arranged, ...fresh.map((c) => c.articleId)]) {
      if (top >= composition.topCount) break;
      if (take(id, 'top')) top++;
    }
    for (const s of composition.sections) {
      let n = 0;
      for (const c of fresh) {
        if (n >= s.count) break;
        if (c.sectionId === s.sectionId && take(c.articleId, `section:${s.sectionId}`)) n++;
      }
    }
    return items;
  }
}

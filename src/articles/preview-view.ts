// What a preview link shows: the story as its article page would, on its own site, whatever its status
// (a draft or a scheduled story is not live, so the reader's lookup would answer 404). Related stories are
// the live ones of its section, as on the real page.
import type { Db } from '../db/connection.ts';
import type { SiteContext } from '../sites/directory.ts';
import type { ArticleView, MediaLookup, PictureInfo } from './reader.ts';
import { findArticle, listLive, placementsOf } from './repository.ts';

const RELATED = 4;

export async function previewView(
  db: Db,
  media: MediaLookup,
  ctx: SiteContext,
  articleId: number,
): Promise<ArticleView | null> {
  const [article, placements] = await Promise.all([
    findArticle(db.kysely, articleId),
    placementsOf(db.kysely, articleId),
  ]);
  const placement = placements.find((p) => p.siteId === ctx.site.id);
  if (!article || !placement || article.status === 'taken_down') return null;
  const related = await listLive(db.kysely, {
    siteId: ctx.site.id,
    sectionId: placement.sectionId,
    limit: RELATED,
    excludeArticleId: article.id,
  });
  const wanted = [
    ...new Set(
      [article.leadMediaId, ...related.map((t) => t.leadMediaId)].filter((id): id is number => id !== null),
    ),
  ];
  const pictures = new Map<number, PictureInfo>(
    wanted.length ? (await media.getMany(wanted)).map((m) => [m.id, m]) : [],
  );
  return {
    article,
    placement,
    placements,
    canonical: null,
    lead: article.leadMediaId ? (pictures.get(article.leadMediaId) ?? null) : null,
    related,
    pictures,
  };
}

// A story in a list: picture, section label, headline link, dek, time.
import { ResponsivePicture } from '../../media/picture.tsx';
import type { SiteContext } from '../../sites/directory.ts';
import { Time } from '../../web/views/time.tsx';
import type { PictureInfo } from '../reader.ts';
import type { Teaser } from '../repository.ts';
import { storyPath } from '../slug.ts';

export function teaserPath(ctx: SiteContext, t: Teaser): string {
  return storyPath(ctx.sectionsById.get(t.sectionId)?.slug ?? 'story', t.slug);
}

/** "24 Comments" after a teaser's time, linking to the thread; nothing for a story with none. */
export function TeaserCount({ path, n }: { path: string; n: number | undefined }) {
  if (!n) return null;
  return (
    <>
      {' · '}
      <a class="teaser__comments" href={`${path}#comments`}>
        {n.toLocaleString('en')} {n === 1 ? 'Comment' : 'Comments'}
      </a>
    </>
  );
}

export function TeaserList({
  ctx,
  teasers,
  pictures,
  showSection = true,
  headingLevel = 3,
  counts,
}: {
  ctx: SiteContext;
  teasers: Teaser[];
  pictures: Map<number, PictureInfo>;
  showSection?: boolean;
  headingLevel?: 2 | 3;
  /** Comment counts by article id (src/comments); a teaser without one shows none. */
  counts?: Map<number, number>;
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="teasers">
      {teasers.map((t) => {
        const pic = t.leadMediaId ? pictures.get(t.leadMediaId) : undefined;
        return (
          <li class="teaser" key={t.placementId}>
            {pic ? <ResponsivePicture media={pic} sizes="(min-width: 48rem) 22rem, 100vw" /> : null}
            {showSection ? (
              <span class="teaser__label">{ctx.sectionsById.get(t.sectionId)?.name}</span>
            ) : null}
            <H>
              <a href={teaserPath(ctx, t)}>{t.headline}</a>
            </H>
            {t.dek ? <p>{t.dek}</p> : null}
            <p>
              <Time ctx={ctx} at={t.publishedAt} />
              <TeaserCount path={teaserPath(ctx, t)} n={counts?.get(t.articleId)} />
            </p>
          </li>
        );
      })}
    </ul>
  );
}

// A story in a list: picture, section label, headline link, dek, time. Three shapes: a list item (related
// stories, section pages), a block's lead (the picture, or without one a text lead set large under a rule,
// so a story with no picture looks intended rather than missing one) and a compact line (headline and time
// beside a lead, with its dek only where there is room).
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
  // The dot stays with the time, and "24 Comments" is kept whole: a line that breaks, breaks after the dot.
  return (
    <>
      {'\u00a0· '}
      <span class="teaser__count">
        <a class="teaser__comments" href={`${path}#comments`}>
          {n.toLocaleString('en')} {n === 1 ? 'Comment' : 'Comments'}
        </a>
      </span>
    </>
  );
}

export type TeaserShape = 'item' | 'lead' | 'compact';

export interface TeaserProps {
  ctx: SiteContext;
  teaser: Teaser;
  pictures: Map<number, PictureInfo>;
  shape?: TeaserShape;
  showSection?: boolean;
  headingLevel?: 2 | 3;
  /** Comment counts by article id (src/comments); a teaser without one shows none. */
  counts?: Map<number, number>;
  /** The picture's laid-out width, for the browser's choice of file. */
  sizes?: string;
  /** The page's largest picture above the fold: fetched at once. */
  eager?: boolean;
}

export function TeaserItem({
  ctx,
  teaser: t,
  pictures,
  shape = 'item',
  showSection = true,
  headingLevel = 3,
  counts,
  sizes = '(min-width: 48rem) 22rem, 100vw',
  eager = false,
}: TeaserProps) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const pic = shape !== 'compact' && t.leadMediaId ? pictures.get(t.leadMediaId) : undefined;
  const path = teaserPath(ctx, t);
  const shapeClass = shape === 'item' ? '' : ` teaser--${shape}`;
  return (
    <li class={`teaser${shapeClass}${pic || shape === 'compact' ? '' : ' teaser--text'}`}>
      {pic ? <ResponsivePicture media={pic} sizes={sizes} eager={eager} /> : null}
      {showSection ? <span class="teaser__label">{ctx.sectionsById.get(t.sectionId)?.name}</span> : null}
      <H>
        <a href={path}>{t.headline}</a>
      </H>
      {t.dek ? <p class="teaser__dek">{t.dek}</p> : null}
      <p class="teaser__meta">
        <Time ctx={ctx} at={t.publishedAt} />
        <TeaserCount path={path} n={counts?.get(t.articleId)} />
      </p>
    </li>
  );
}

export function TeaserList({
  ctx,
  teasers,
  pictures,
  showSection = true,
  headingLevel = 3,
  counts,
  shape = 'item',
  className = 'teasers',
}: {
  ctx: SiteContext;
  teasers: Teaser[];
  pictures: Map<number, PictureInfo>;
  showSection?: boolean;
  headingLevel?: 2 | 3;
  counts?: Map<number, number>;
  shape?: TeaserShape;
  className?: string;
}) {
  return (
    <ul class={className}>
      {teasers.map((t) => (
        <TeaserItem
          key={t.placementId}
          ctx={ctx}
          teaser={t}
          pictures={pictures}
          shape={shape}
          showSection={showSection}
          headingLevel={headingLevel}
          counts={counts}
        />
      ))}
    </ul>
  );
}

/**
 * A lead teaser and the rest as compact lines beside it (below it on a phone): the shape of a home block,
 * the top stories and the head of a section page. The lead is the first story with a picture, so a block
 * opens on a picture whenever it has one; without any it opens on a text lead.
 */
export function LeadAndList({
  ctx,
  teasers,
  pictures,
  counts,
  showSection,
  headingLevel = 3,
  sizes,
  eager = false,
  className,
}: {
  ctx: SiteContext;
  teasers: Teaser[];
  pictures: Map<number, PictureInfo>;
  counts?: Map<number, number>;
  showSection: boolean;
  headingLevel?: 2 | 3;
  sizes: string;
  eager?: boolean;
  className: string;
}) {
  const at = Math.max(
    0,
    teasers.findIndex((t) => t.leadMediaId !== null && pictures.has(t.leadMediaId)),
  );
  const lead = teasers[at];
  if (!lead) return null;
  const rest = teasers.filter((_, i) => i !== at);
  return (
    <ul class={`lead-list ${className}`} data-rest={rest.length}>
      <TeaserItem
        ctx={ctx}
        teaser={lead}
        pictures={pictures}
        shape="lead"
        showSection={showSection}
        headingLevel={headingLevel}
        counts={counts}
        sizes={sizes}
        eager={eager}
      />
      {rest.map((t) => (
        <TeaserItem
          key={t.placementId}
          ctx={ctx}
          teaser={t}
          pictures={pictures}
          shape="compact"
          showSection={showSection}
          headingLevel={headingLevel}
          counts={counts}
        />
      ))}
    </ul>
  );
}

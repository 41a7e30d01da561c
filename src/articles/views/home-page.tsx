// The home page: the top story large, the next few beside it, then a block per section. Features fill its
// slots (articles/page-slots.ts): head, betweenBlocks (after the top stories and after each block), sidebar
// and end.
import { Fragment } from 'preact';
import { ResponsivePicture } from '../../media/picture.tsx';
import type { Section } from '../../sections/section.ts';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import type { FilledHome } from '../page-slots.ts';
import type { PictureInfo } from '../reader.ts';
import type { Teaser } from '../repository.ts';
import { TeaserCount, TeaserList, teaserPath } from './teaser.tsx';

export interface HomePageProps {
  ctx: SiteContext;
  top: Teaser[];
  sections: { section: Section; teasers: Teaser[] }[];
  pictures: Map<number, PictureInfo>;
  canonicalUrl: string;
  /** Comment counts by article id, for the teasers. */
  counts?: Map<number, number>;
  /** What features put in the page's slots; a slot not given is empty. */
  slots?: Partial<FilledHome>;
}

export function HomePage({ ctx, top, sections, pictures, canonicalUrl, counts, slots = {} }: HomePageProps) {
  const between = slots.betweenBlocks ?? [];
  const [lead, ...rest] = top;
  const leadPic = lead?.leadMediaId ? pictures.get(lead.leadMediaId) : undefined;
  return (
    <Layout
      ctx={ctx}
      title={ctx.site.name}
      description={ctx.site.tagline || undefined}
      canonical={canonicalUrl}
      path="/"
      head={slots.head}
    >
      <h1 class="visually-hidden">{ctx.site.name}</h1>
      {lead ? (
        <section class="top-story" aria-label="Top stories">
          <div>
            {leadPic ? (
              <ResponsivePicture media={leadPic} sizes="(min-width: 48rem) 42rem, 100vw" eager />
            ) : null}
            <span class="teaser__label">{ctx.sectionsById.get(lead.sectionId)?.name}</span>
            <h2>
              <a href={teaserPath(ctx, lead)}>{lead.headline}</a>
            </h2>
            {lead.dek ? <p>{lead.dek}</p> : null}
            <p>
              <Time ctx={ctx} at={lead.publishedAt} />
              <TeaserCount path={teaserPath(ctx, lead)} n={counts?.get(lead.articleId)} />
            </p>
          </div>
          <TeaserList ctx={ctx} teasers={rest} pictures={new Map()} counts={counts} />
        </section>
      ) : (
        <p>No stories have been published yet.</p>
      )}
      {between[0]}
      {sections.map(({ section, teasers }, i) => (
        <Fragment key={section.id}>
          <section class="home-block" aria-labelledby={`block-${section.id}`}>
            <h2 class="block-title" id={`block-${section.id}`}>
              <a href={`/${section.slug}`}>{section.name}</a>
            </h2>
            <TeaserList ctx={ctx} teasers={teasers} pictures={pictures} showSection={false} counts={counts} />
          </section>
          {between[i + 1]}
        </Fragment>
      ))}
      {slots.sidebar}
      {slots.end}
    </Layout>
  );
}

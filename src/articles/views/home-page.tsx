// The home page: the lead and top stories (as an editor arranged them, else the newest), then a block per
// section, each a lead teaser and compact lines; the sidebar slot (most read, trending) is a rail beside them
// on a wide screen and comes after the top stories on a narrow one, as a newspaper's front would place it.
// Features fill its slots (articles/page-slots.ts): head, betweenBlocks (after the top stories and after
// each block), sidebar and end.
import { Fragment } from 'preact';
import type { Section } from '../../sections/section.ts';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { FilledHome } from '../page-slots.ts';
import type { PictureInfo } from '../reader.ts';
import type { Teaser } from '../repository.ts';
import { LeadAndList } from './teaser.tsx';

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
  const rail = slots.sidebar ?? null;
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
      <div class={rail ? 'front front--rail' : 'front'}>
        {top.length > 0 ? (
          <section class="front__top" aria-label="Top stories">
            <LeadAndList
              ctx={ctx}
              teasers={top}
              pictures={pictures}
              counts={counts}
              showSection
              headingLevel={2}
              sizes="(min-width: 72rem) 30rem, (min-width: 40rem) 56vw, 100vw"
              eager
              className="lead-list--top"
            />
          </section>
        ) : (
          <p class="front__top">No stories have been published yet.</p>
        )}
        {rail ? <div class="rail">{rail}</div> : null}
        <div class="front__blocks">
          {between[0]}
          {sections.map(({ section, teasers }, i) => (
            <Fragment key={section.id}>
              <section class="home-block" aria-labelledby={`block-${section.id}`}>
                <h2 class="block-title" id={`block-${section.id}`}>
                  <a href={`/${section.slug}`}>{section.name}</a>
                </h2>
                <LeadAndList
                  ctx={ctx}
                  teasers={teasers}
                  pictures={pictures}
                  counts={counts}
                  showSection={false}
                  sizes="(min-width: 72rem) 26rem, (min-width: 40rem) 50vw, 100vw"
                  className="lead-list--block"
                />
              </section>
              {between[i + 1]}
            </Fragment>
          ))}
        </div>
      </div>
      {slots.end}
    </Layout>
  );
}

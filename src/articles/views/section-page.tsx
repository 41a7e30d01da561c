// A section's page of stories, newest first: on the first page a lead and three lines as on the home page,
// then rows with a thumbnail, with previous/next links; most read in the rail (the sidebar slot). Features
// fill its slots (articles/page-slots.ts): head, afterList, sidebar and end.
import type { Section } from '../../sections/section.ts';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { Filled, SectionSlots } from '../page-slots.ts';
import type { PictureInfo } from '../reader.ts';
import type { Teaser } from '../repository.ts';
import { LeadAndList, TeaserList } from './teaser.tsx';

/** Stories at the head of a section's first page, shaped as a home block. */
const SECTION_HEAD = 4;

export interface SectionPageProps {
  ctx: SiteContext;
  section: Section;
  teasers: Teaser[];
  pictures: Map<number, PictureInfo>;
  page: number;
  pages: number;
  canonicalUrl: string;
  /** What features put in the page's slots; a slot not given is empty. */
  slots?: Partial<Filled<SectionSlots>>;
  /** Comment counts by article id, for the teasers. */
  counts?: Map<number, number>;
}

export function SectionPage({
  ctx,
  section,
  teasers,
  pictures,
  page,
  pages,
  canonicalUrl,
  counts,
  slots = {},
}: SectionPageProps) {
  // The first page opens like a home block (a lead and three lines); the rest are rows with a thumbnail.
  const head = page === 1 ? teasers.slice(0, SECTION_HEAD) : [];
  const list = teasers.slice(head.length);
  const href = (n: number) => (n === 1 ? `/${section.slug}` : `/${section.slug}?page=${n}`);
  return (
    <Layout
      ctx={ctx}
      title={page > 1 ? `${section.name} (page ${page})` : section.name}
      description={section.description || undefined}
      canonical={canonicalUrl}
      path={href(page)}
      activeSectionId={section.id}
      head={slots.head}
    >
      <h1 class="section-title">{section.name}</h1>
      {section.description ? <p class="section-intro">{section.description}</p> : null}
      <div class={slots.sidebar ? 'front front--rail' : 'front'}>
        <div class="front__top">
          {teasers.length === 0 ? <p>No stories in this section yet.</p> : null}
          {page === 1 ? (
            <LeadAndList
              ctx={ctx}
              teasers={head}
              pictures={pictures}
              counts={counts}
              showSection={false}
              headingLevel={2}
              sizes="(min-width: 72rem) 30rem, (min-width: 40rem) 56vw, 100vw"
              eager
              className="lead-list--top"
            />
          ) : null}
          <TeaserList
            ctx={ctx}
            teasers={list}
            pictures={pictures}
            showSection={false}
            headingLevel={2}
            counts={counts}
            className="teasers teasers--rows"
          />
          {pages > 1 ? (
            <nav class="pager" aria-label="Pages">
              {page > 1 ? (
                <a href={href(page - 1)} rel="prev">
                  ← Newer
                </a>
              ) : (
                <span />
              )}
              <span>
                Page {page} of {pages}
              </span>
              {page < pages ? (
                <a href={href(page + 1)} rel="next">
                  Older →
                </a>
              ) : (
                <span />
              )}
            </nav>
          ) : null}
          {slots.afterList}
        </div>
        {slots.sidebar ? <div class="rail">{slots.sidebar}</div> : null}
      </div>
      {slots.end}
    </Layout>
  );
}

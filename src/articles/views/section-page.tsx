// A section's page of stories, newest first, with previous/next links. Features fill its slots
// (articles/page-slots.ts): head, afterList, sidebar and end.
import type { Section } from '../../sections/section.ts';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import type { Filled, SectionSlots } from '../page-slots.ts';
import type { PictureInfo } from '../reader.ts';
import type { Teaser } from '../repository.ts';
import { TeaserList } from './teaser.tsx';

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
      <h1>{section.name}</h1>
      {section.description ? <p>{section.description}</p> : null}
      {teasers.length === 0 ? <p>No stories in this section yet.</p> : null}
      <TeaserList
        ctx={ctx}
        teasers={teasers}
        pictures={pictures}
        showSection={false}
        headingLevel={2}
        counts={counts}
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
      {slots.sidebar}
      {slots.end}
    </Layout>
  );
}

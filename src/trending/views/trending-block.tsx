// The "Trending on our other sites" block (category, title, site name per item, linking to the sister
// site) and the "Most read" list. Both render from memory and are cached inside the page.
import type { TrendingItem } from '../service.ts';

export function TrendingBlock({
  items,
  urlOf,
  headingId = 'trending-title',
  landmark = true,
}: {
  items: TrendingItem[];
  urlOf: (item: TrendingItem) => string;
  /** The heading's id; a page showing several blocks (the admin's previews) gives each its own. */
  headingId?: string;
  /** A region of the page (readers' pages); previews of several sites' blocks on one page are not. */
  landmark?: boolean;
}) {
  if (items.length === 0) return null;
  const Wrapper = landmark ? 'section' : 'div';
  return (
    <Wrapper class="trending" aria-labelledby={landmark ? headingId : undefined}>
      <h2 class="block-title" id={headingId}>
        Trending on our other sites
      </h2>
      <p class="trending__intro">
        Articles, offers &amp; useful resources: a mix of what's trending across our network.
      </p>
      <ul class="trending__list">
        {items.map((i) => (
          <li class="trending__item" key={i.placementId}>
            <span class="trending__category">{i.category}</span>
            <a class="trending__title" href={urlOf(i)}>
              {i.headline}
            </a>
            <span class="trending__site">{i.siteName}</span>
          </li>
        ))}
      </ul>
    </Wrapper>
  );
}

export function MostRead({
  title,
  items,
  urlOf,
}: {
  title: string;
  items: TrendingItem[];
  urlOf: (item: TrendingItem) => string;
}) {
  if (items.length === 0) return null;
  return (
    <section class="most-read" aria-labelledby="most-read-title">
      <h2 class="block-title" id="most-read-title">
        {title}
      </h2>
      <ol class="most-read__list">
        {items.slice(0, 5).map((i) => (
          <li key={i.placementId}>
            <a href={urlOf(i)}>{i.headline}</a>
          </li>
        ))}
      </ol>
    </section>
  );
}

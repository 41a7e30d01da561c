// The article page: lead photo with caption and credit exactly as supplied, section label, headline,
// byline, dateline, times, body, the source's copyright line, then related stories. Features fill its slots
// (articles/page-slots.ts): head, headline (in the meta line), afterBody, thread, sidebar and end.
import { ResponsivePicture } from '../../media/picture.tsx';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import { trustedBodyHtml } from '../body-html.ts';
import type { ArticleSlots, Filled } from '../page-slots.ts';
import type { ArticleView } from '../reader.ts';
import { storyPath } from '../slug.ts';
import { TeaserList } from './teaser.tsx';

export interface ArticlePageProps {
  ctx: SiteContext;
  view: ArticleView;
  canonicalUrl: string;
  /** What features put in the page's slots; a slot not given is empty. */
  slots?: Partial<Filled<ArticleSlots>>;
}

export function ArticlePage({ ctx, view, canonicalUrl, slots = {} }: ArticlePageProps) {
  const { article, placement, lead } = view;
  const section = ctx.sectionsById.get(placement.sectionId);
  const updated =
    article.contentUpdatedAt && article.publishedAt && article.contentUpdatedAt > article.publishedAt
      ? article.contentUpdatedAt
      : null;
  return (
    <Layout
      ctx={ctx}
      title={article.headline}
      description={article.dek || undefined}
      canonical={canonicalUrl}
      path={storyPath(section?.slug ?? 'story', placement.slug)}
      activeSectionId={section?.id}
      head={slots.head}
    >
      <article class="article">
        {lead ? (
          <figure class="lead">
            <ResponsivePicture media={lead} sizes="(min-width: 44rem) 44rem, 100vw" eager />
            {lead.caption || lead.credit ? (
              <figcaption>
                {lead.caption ? <span class="lead__caption">{lead.caption}</span> : null}
                {lead.credit ? <span class="lead__credit">{lead.credit}</span> : null}
              </figcaption>
            ) : null}
          </figure>
        ) : null}
        <header>
          {section ? (
            <a class="article__section" href={`/${section.slug}`}>
              {section.name}
            </a>
          ) : null}
          <h1>{article.headline}</h1>
          {article.dek ? <p class="article__dek">{article.dek}</p> : null}
          <p class="article__meta">
            {article.byline ? <span class="article__byline">{article.byline}</span> : null}
            {article.publishedAt ? (
              <span>
                Published <Time ctx={ctx} at={article.publishedAt} />
              </span>
            ) : null}
            {updated ? (
              <span>
                Updated <Time ctx={ctx} at={updated} />
              </span>
            ) : null}
            {slots.headline}
          </p>
        </header>
        {article.dateline ? <p class="article__dateline">{article.dateline}</p> : null}
        <div class="article__body" dangerouslySetInnerHTML={trustedBodyHtml(article.bodyHtml)} />
        {article.sourceCopyright ? <p class="article__source-copyright">{article.sourceCopyright}</p> : null}
      </article>
      {slots.afterBody}
      {view.related.length > 0 ? (
        <section class="related" aria-labelledby="related-title">
          <h2 class="block-title" id="related-title">
            More in {section?.name ?? 'this section'}
          </h2>
          <TeaserList ctx={ctx} teasers={view.related} pictures={view.pictures} showSection={false} />
        </section>
      ) : null}
      {slots.thread}
      {slots.sidebar}
      {slots.end}
    </Layout>
  );
}

// The web version of a newsletter's latest issue (/newsletters/<slug>/latest), or before the first one a
// sample composed the same way: its blocks of stories, each headline linking to the story, and a link back
// to the signup form with this newsletter ticked.
import { storyPath } from '../../../articles/slug.ts';
import type { SiteContext } from '../../../sites/directory.ts';
import { Layout } from '../../../web/views/layout.tsx';
import type { Newsletter } from '../../lists.ts';
import type { IssueSample } from '../sample.ts';
import { howOften } from '../schedule-words.ts';

export function SamplePage({
  ctx,
  list,
  sample,
}: {
  ctx: SiteContext;
  list: Newsletter;
  sample: IssueSample;
}) {
  const path = `/newsletters/${list.slug}/latest`;
  return (
    <Layout ctx={ctx} title={`${list.name}: latest issue`} path={path}>
      <div class="account account--wide newsletters">
        <h1>{sample.sentAt ? sample.subject : `${list.name}: a sample`}</h1>
        <p class="newsletter__often">
          {sample.sentAt
            ? `${list.name}, sent ${ctx.dateFormat.format(sample.sentAt)}.`
            : `No issue of ${list.name} has gone out yet: this is what it would hold today.`}{' '}
          {howOften(list, ctx.site.timeZone)}.
        </p>
        {sample.intro ? <p>{sample.intro}</p> : null}
        {sample.blocks.length === 0 ? <p>There are no stories in it yet.</p> : null}
        {sample.blocks.map((b, i) => (
          <section key={`${b.title ?? 'top'}-${i}`} class="newsletter-sample__block">
            <h2>{b.title ?? 'Top stories'}</h2>
            <ul class="newsletter-sample__stories">
              {b.stories.map((t) => {
                const section = ctx.sectionsById.get(t.sectionId);
                return (
                  <li key={t.articleId}>
                    {section ? <a href={storyPath(section.slug, t.slug)}>{t.headline}</a> : t.headline}
                    {t.dek ? <p>{t.dek}</p> : null}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
        <p>
          <a class="btn" href={`/newsletters?n=${list.id}`}>
            Sign up for {list.name}
          </a>
        </p>
      </div>
    </Layout>
  );
}

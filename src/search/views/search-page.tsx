// The search page: the form (words, section, dates, order), a summary, results with highlighted headline
// and snippet, and pages. Highlights arrive as segments and render as text inside <mark>, so nothing from
// an article can become markup here.
import { storyPath } from '../../articles/slug.ts';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import { Time } from '../../web/views/time.tsx';
import { dayPattern, writeDay } from '../dates.ts';
import type { SearchResult } from '../service.ts';
import type { Segment } from '../text.ts';

export interface SearchForm {
  q: string;
  section: string;
  /** YYYY-MM-DD (shown in the site's locale), or empty. */
  from: string;
  to: string;
  sort: 'relevance' | 'date';
}

function Marked({ segments }: { segments: Segment[] }) {
  return <>{segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : s.text))}</>;
}

export function searchHref(form: SearchForm, page: number): string {
  const p = new URLSearchParams();
  p.set('q', form.q);
  if (form.section) p.set('section', form.section);
  if (form.from) p.set('from', form.from);
  if (form.to) p.set('to', form.to);
  if (form.sort !== 'relevance') p.set('sort', form.sort);
  if (page > 1) p.set('page', String(page));
  return `/search?${p.toString()}`;
}

export function SearchPage({
  ctx,
  form,
  result,
  notes,
}: {
  ctx: SiteContext;
  form: SearchForm;
  result: SearchResult;
  /** Filters we could not read and ignored, said plainly. */
  notes: string[];
}) {
  const { hits, total, page, pages, problem } = result;
  const shown = result.query.text;
  // Text fields in the site's own date order: a date input would show the browser's format instead.
  const language = ctx.site.language;
  const { hint } = dayPattern(language);
  return (
    <Layout
      ctx={ctx}
      title={shown ? `Search: ${shown}` : 'Search'}
      path={form.q ? searchHref(form, page) : '/search'}
      head={<meta name="robots" content="noindex, follow" />}
    >
      <h1>Search</h1>
      <form class="search-form" action="/search" method="get" role="search" aria-label="Search with filters">
        <label>
          Words
          <input type="search" name="q" value={form.q} maxLength={200} />
        </label>
        <label>
          Section
          <select name="section">
            <option value="">All sections</option>
            {ctx.sections.map((s) => (
              <option key={s.id} value={s.slug} selected={s.slug === form.section}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>
            From <span class="search-form__hint">({hint})</span>
          </span>
          <input
            type="text"
            name="from"
            value={form.from ? writeDay(form.from, language) : ''}
            placeholder={hint}
            inputMode="numeric"
            autocomplete="off"
            maxLength={20}
            size={11}
          />
        </label>
        <label>
          <span>
            To <span class="search-form__hint">({hint})</span>
          </span>
          <input
            type="text"
            name="to"
            value={form.to ? writeDay(form.to, language) : ''}
            placeholder={hint}
            inputMode="numeric"
            autocomplete="off"
            maxLength={20}
            size={11}
          />
        </label>
        <label>
          Order
          <select name="sort">
            <option value="relevance" selected={form.sort === 'relevance'}>
              Best match
            </option>
            <option value="date" selected={form.sort === 'date'}>
              Newest first
            </option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {notes.map((n) => (
        <p class="search-summary" key={n}>
          {n}
        </p>
      ))}
      <p class="search-summary" role="status">
        {problem === 'empty'
          ? `Type a word or two to search ${ctx.site.name}.`
          : problem === 'no_terms'
            ? 'Your search has no words we can look for. Try a name, a place or a topic.'
            : total === 0
              ? `No stories match “${shown}”. Check the spelling, try fewer words, or remove a filter.`
              : `${total} ${total === 1 ? 'story matches' : 'stories match'} “${shown}”${pages > 1 ? ` (page ${page} of ${pages})` : ''}.`}
      </p>
      {hits.length > 0 ? (
        <ol class="search-results">
          {hits.map((h) => {
            const section = ctx.sectionsById.get(h.sectionId);
            return (
              <li class="search-result" key={h.placementId}>
                {section ? <span class="teaser__label">{section.name}</span> : null}
                <h2>
                  <a href={storyPath(section?.slug ?? 'story', h.slug)}>
                    <Marked segments={h.headlineSegments} />
                  </a>
                </h2>
                <p>
                  <Marked segments={h.snippet} />
                </p>
                <p class="search-result__meta">
                  <Time ctx={ctx} at={h.publishedAt} />
                  {h.byline ? ` · ${h.byline}` : ''}
                </p>
              </li>
            );
          })}
        </ol>
      ) : null}
      {pages > 1 ? (
        <nav class="pager" aria-label="Result pages">
          {page > 1 ? (
            <a href={searchHref(form, page - 1)} rel="prev">
              ← Previous
            </a>
          ) : (
            <span />
          )}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <a href={searchHref(form, page + 1)} rel="next">
              Next →
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </Layout>
  );
}

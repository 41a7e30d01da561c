// The story list: filters in one GET form (works without JavaScript, every filter in the address so a
// filtered list can be bookmarked or shared), then a table of stories newest change first, with who has
// each one open, and a link to the next page.
import type { LockHolder } from '../../../articles/locks.ts';
import type { StoryListItem } from '../../../articles/story-list.ts';
import type { ArticleStatus } from '../../../articles/tables.ts';
import { SiteTime, StatusBadge, statusLabel } from './parts.tsx';

export interface ListFilters {
  q: string;
  status: ArticleStatus | '';
  section: string;
  author: string;
  origin: 'wire' | 'staff' | '';
  from: string;
  to: string;
}

export interface ListSite {
  id: number;
  name: string;
  timeZone: string;
  sections: { id: number; name: string }[];
}

export interface StoryListProps {
  filters: ListFilters;
  sites: ListSite[];
  /** More than one site in view: the table names each story's site. */
  showSite: boolean;
  authors: { id: number; name: string }[];
  items: StoryListItem[];
  locks: Map<number, LockHolder>;
  /** Query string of the next page (the filters and the cursor), or null on the last one. */
  nextQuery: string | null;
  /** Query string of the first page, when this is a later one. */
  firstQuery: string | null;
  canWrite: boolean;
  noTerms: boolean;
  /** The signed-in staff member: their own open stories read "Open by you". */
  viewerId: number;
  /** The zone the date filters are read in. */
  filterZone: string;
}

const STATUSES: ArticleStatus[] = ['draft', 'scheduled', 'published', 'taken_down'];

export function StoryList(p: StoryListProps) {
  const siteById = new Map(p.sites.map((s) => [s.id, s]));
  const sectionName = (siteId: number, sectionId: number) =>
    siteById.get(siteId)?.sections.find((s) => s.id === sectionId)?.name ?? '—';
  const filtered = Object.values(p.filters).some((v) => v !== '');
  return (
    <>
      <div class="adm-toolbar">
        {p.canWrite && (
          <a class="adm-button" href="/stories/new">
            New story
          </a>
        )}
      </div>
      <form
        class="adm-panel stories-filters"
        method="get"
        action="/stories"
        role="search"
        aria-label="Filter stories"
      >
        <div class="adm-field stories-filter-q">
          <label for="f-q">Search</label>
          <input id="f-q" name="q" type="search" value={p.filters.q} placeholder="Words in the story" />
        </div>
        <div class="adm-field">
          <label for="f-status">Status</label>
          <select id="f-status" name="status">
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option value={s} selected={p.filters.status === s} key={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="adm-field">
          <label for="f-section">Section</label>
          <select id="f-section" name="section">
            <option value="">Any</option>
            {p.sites.map((site) =>
              p.showSite ? (
                <optgroup label={site.name} key={site.id}>
                  {site.sections.map((s) => (
                    <option value={String(s.id)} selected={p.filters.section === String(s.id)} key={s.id}>
                      {s.name}
                    </option>
                  ))}
                </optgroup>
              ) : (
                site.sections.map((s) => (
                  <option value={String(s.id)} selected={p.filters.section === String(s.id)} key={s.id}>
                    {s.name}
                  </option>
                ))
              ),
            )}
          </select>
        </div>
        <div class="adm-field">
          <label for="f-author">Author</label>
          <select id="f-author" name="author">
            <option value="">Anyone</option>
            {p.authors.map((a) => (
              <option value={String(a.id)} selected={p.filters.author === String(a.id)} key={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div class="adm-field">
          <label for="f-origin">Origin</label>
          <select id="f-origin" name="origin">
            <option value="">Wire and staff</option>
            <option value="wire" selected={p.filters.origin === 'wire'}>
              Wire
            </option>
            <option value="staff" selected={p.filters.origin === 'staff'}>
              Staff
            </option>
          </select>
        </div>
        <div class="adm-field">
          <label for="f-from">Changed from</label>
          <input id="f-from" name="from" type="date" value={p.filters.from} aria-describedby="f-dates-hint" />
        </div>
        <div class="adm-field">
          <label for="f-to">Changed until</label>
          <input id="f-to" name="to" type="date" value={p.filters.to} aria-describedby="f-dates-hint" />
        </div>
        <p class="adm-hint stories-filter-hint" id="f-dates-hint">
          Days on the {p.filterZone} clock.
        </p>
        <div class="stories-filter-actions">
          <button type="submit" class="adm-button">
            Filter
          </button>
          {filtered && (
            <a class="adm-button adm-button-quiet" href="/stories">
              Clear
            </a>
          )}
        </div>
      </form>
      {p.noTerms && (
        <p class="adm-notice adm-notice-warn" role="status">
          The search has no words to look for (only punctuation or exclusions). Type a word of the story.
        </p>
      )}
      {p.items.length === 0 ? (
        <p class="adm-panel">{filtered ? 'No stories match these filters.' : 'No stories yet.'}</p>
      ) : (
        <div class="adm-table-wrap">
          <table class="adm-table stories-table">
            <caption class="adm-muted">Stories, newest change first</caption>
            <thead>
              <tr>
                <th scope="col">Story</th>
                {p.showSite && <th scope="col">Site</th>}
                <th scope="col">Section</th>
                <th scope="col">Status</th>
                <th scope="col">Author</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((s) => {
                const site = siteById.get(s.siteId);
                const zone = site?.timeZone ?? 'UTC';
                const lock = p.locks.get(s.id);
                return (
                  <tr key={s.id}>
                    <td data-label="Story">
                      <a href={`/stories/${s.id}`} class="stories-headline">
                        {s.headline}
                      </a>
                      {s.urgent && <span class="adm-badge adm-badge-bad stories-urgent">Urgent</span>}
                      {lock && (
                        <span class="stories-lock adm-muted">
                          Open by {lock.userId === p.viewerId ? 'you' : lock.name}
                        </span>
                      )}
                    </td>
                    {p.showSite && <td data-label="Site">{site?.name ?? '—'}</td>}
                    <td data-label="Section">{sectionName(s.siteId, s.sectionId)}</td>
                    <td data-label="Status">
                      <StatusBadge status={s.status} />
                      {s.status === 'scheduled' && s.publishAt && (
                        <span class="stories-when adm-muted">
                          for <SiteTime at={s.publishAt} zone={zone} />
                        </span>
                      )}
                    </td>
                    <td data-label="Author">
                      {s.origin === 'wire' ? (
                        <span>
                          <span class="adm-badge">Wire</span> {s.byline ?? ''}
                        </span>
                      ) : (
                        (s.authorName ?? s.byline ?? '—')
                      )}
                    </td>
                    <td data-label="Updated">
                      <SiteTime at={s.modifiedAt} zone={zone} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {(p.nextQuery !== null || p.firstQuery !== null) && (
        <nav class="adm-pager" aria-label="More stories">
          {p.firstQuery !== null && <a href={`/stories${p.firstQuery}`}>Newest stories</a>}
          {p.nextQuery !== null && (
            <a href={`/stories${p.nextQuery}`} rel="next">
              Older stories
            </a>
          )}
        </nav>
      )}
    </>
  );
}

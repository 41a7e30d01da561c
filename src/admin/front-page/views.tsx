// The Front page screen: a site's lead story and top stories as the editor is arranging them (each with its
// picture, section and time, and links that move it), Save and "back to newest first", and a search of the
// site's published stories to add from. Every move is a plain link and every change a plain form, so the
// screen works without JavaScript. Also the list of sites to choose from when several are in view.
import type { ComponentChildren } from 'preact';
import type { DatelineError } from '../../errors/catalogue.ts';
import type { StoryCard } from '../../front-page/repository.ts';
import { croppedMediaUrl } from '../../media/urls.ts';
import type { Site } from '../../sites/site.ts';
import { ButtonForm, Csrf, RefusedPanel } from '../sites/form-parts.tsx';
import { siteTime } from '../stories/times.ts';
import { type Draft, draftQuery, type Move, moved } from './draft.ts';

export interface FrontPageScreen {
  site: Site;
  /** The site's home page, to see the result. */
  homeUrl: string;
  draft: Draft;
  /** The draft differs from what is saved. */
  dirty: boolean;
  /** Cards of every story the draft and the results name. */
  cards: Map<number, StoryCard>;
  /** Saved stories no longer live on the site (readers do not see them). */
  dropped: StoryCard[];
  savedAt: Date | null;
  savedByName: string | null;
  maxTop: number;
  q: string;
  /** Search results, or the newest stories when nothing was searched. */
  results: StoryCard[];
  searchProblem: string | null;
  csrf: string;
  /** A refused save: why. */
  error?: DatelineError | null;
  /** After a conflict: the arrangement someone else saved meanwhile. */
  theirs?: { lead: StoryCard | null; top: StoryCard[] } | null;
  /** More than one site to choose from: link back to the list. */
  manySites: boolean;
}

function Thumb({ card }: { card: StoryCard | undefined }) {
  if (!card?.picture) return <span class="fp-thumb fp-thumb-none" aria-hidden="true" />;
  return (
    <img
      class="fp-thumb"
      src={croppedMediaUrl(card.picture.id, { aspect: '3x2', version: card.picture.version }, 480, 'webp')}
      alt=""
      width={96}
      height={64}
      loading="lazy"
    />
  );
}

function Meta({ card, zone }: { card: StoryCard; zone: string }) {
  return (
    <p class="fp-meta">
      <span>{card.sectionName}</span>
      {card.publishedAt ? (
        <time dateTime={card.publishedAt.toISOString()}>{siteTime(card.publishedAt, zone)}</time>
      ) : (
        <span class="adm-badge adm-badge-bad">Not published on this site</span>
      )}
    </p>
  );
}

function StoryLine(p: {
  id: number;
  card: StoryCard | undefined;
  zone: string;
  children?: ComponentChildren;
}) {
  return (
    <div class="fp-story">
      <Thumb card={p.card} />
      <div class="fp-story-text">
        <p class="fp-headline">
          {p.card ? <a href={`/stories/${p.id}`}>{p.card.headline}</a> : `Story ${p.id} (not on this site)`}
        </p>
        {p.card && <Meta card={p.card} zone={p.zone} />}
      </div>
      {p.children && <div class="fp-moves">{p.children}</div>}
    </div>
  );
}

/** A move as a link to the screen with the changed draft. */
function MoveLink(p: {
  s: FrontPageScreen;
  move: Move;
  id: number;
  label: string;
  what: string;
  quiet?: boolean;
}) {
  const next = moved(p.s.draft, p.move, p.id);
  return (
    <a
      class={`adm-button adm-button-small${p.quiet === false ? '' : ' adm-button-quiet'}`}
      href={`/front-page/${p.s.site.id}?${draftQuery(next, p.s.q)}#arrangement`}
      aria-label={`${p.label}: ${p.what}`}
    >
      {p.label}
    </a>
  );
}

function DraftFields({ d }: { d: Draft }) {
  return (
    <>
      <input type="hidden" name="lead" value={d.leadArticleId === null ? '' : String(d.leadArticleId)} />
      <input type="hidden" name="top" value={d.topArticleIds.join(',')} />
      <input type="hidden" name="base" value={d.base} />
    </>
  );
}

function savedLine(s: FrontPageScreen): string {
  if (!s.savedAt) return 'Not arranged yet: the home page leads with the newest stories.';
  const by = s.savedByName ? ` by ${s.savedByName}` : '';
  return `Saved ${siteTime(s.savedAt, s.site.timeZone)}${by}.`;
}

function Arrangement({ s }: { s: FrontPageScreen }) {
  const { draft } = s;
  const zone = s.site.timeZone;
  const headline = (id: number) => s.cards.get(id)?.headline ?? `story ${id}`;
  const lead = draft.leadArticleId;
  return (
    <section class="adm-panel fp-arrangement" id="arrangement" aria-labelledby="fp-title">
      <h2 class="fp-panel-title" id="fp-title">
        Front page
      </h2>
      <p class="adm-muted fp-saved">{savedLine(s)}</p>
      <h3 class="fp-subhead">Lead story</h3>
      {lead === null ? (
        <p class="fp-empty">No lead chosen: the newest story leads the home page.</p>
      ) : (
        <div class="fp-lead">
          <StoryLine id={lead} card={s.cards.get(lead)} zone={zone}>
            <MoveLink s={s} move="add" id={lead} label="To top stories" what={headline(lead)} />
            <MoveLink s={s} move="remove" id={lead} label="Remove" what={headline(lead)} />
          </StoryLine>
        </div>
      )}
      <h3 class="fp-subhead">
        Top stories{' '}
        <span class="adm-muted fp-count">
          ({draft.topArticleIds.length} of {s.maxTop})
        </span>
      </h3>
      {draft.topArticleIds.length === 0 ? (
        <p class="fp-empty">None chosen: the newest stories follow the lead.</p>
      ) : (
        <ol class="fp-list">
          {draft.topArticleIds.map((id, i) => (
            <li key={id}>
              <StoryLine id={id} card={s.cards.get(id)} zone={zone}>
                {i > 0 && <MoveLink s={s} move="up" id={id} label="Up" what={headline(id)} />}
                {i < draft.topArticleIds.length - 1 && (
                  <MoveLink s={s} move="down" id={id} label="Down" what={headline(id)} />
                )}
                <MoveLink s={s} move="lead" id={id} label="Make lead" what={headline(id)} />
                <MoveLink s={s} move="remove" id={id} label="Remove" what={headline(id)} />
              </StoryLine>
            </li>
          ))}
        </ol>
      )}
      <div class="fp-actions">
        <form method="post" action={`/front-page/${s.site.id}`} class="adm-inline-form">
          <Csrf token={s.csrf} />
          <DraftFields d={draft} />
          <button type="submit" class="adm-button">
            Save front page
          </button>
        </form>
        {s.dirty && (
          <a class="adm-button adm-button-quiet" href={`/front-page/${s.site.id}`}>
            Discard changes
          </a>
        )}
        {s.savedAt && (
          <ButtonForm
            action={`/front-page/${s.site.id}/clear`}
            csrf={s.csrf}
            label="Back to newest first"
            confirm="Clear the arrangement? The home page will show the newest stories."
          />
        )}
      </div>
      <p class="adm-hint fp-hint">
        Readers see the saved front page. A story that is taken down or unpublished leaves it by itself, and
        the newest stories fill its place.
      </p>
    </section>
  );
}

function Results({ s }: { s: FrontPageScreen }) {
  const placed = new Set([
    ...(s.draft.leadArticleId !== null ? [s.draft.leadArticleId] : []),
    ...s.draft.topArticleIds,
  ]);
  const full = s.draft.topArticleIds.length >= s.maxTop;
  return (
    <section class="adm-panel fp-add" id="fp-add" aria-labelledby="fp-add-title">
      <h2 class="fp-panel-title" id="fp-add-title">
        Add a story
      </h2>
      <form
        method="get"
        action={`/front-page/${s.site.id}`}
        role="search"
        aria-label="Published stories"
        class="fp-search"
      >
        <DraftFields d={s.draft} />
        <div class="adm-field">
          <label for="fp-q">Search published stories of {s.site.name}</label>
          <div class="fp-search-row">
            <input id="fp-q" name="q" type="search" value={s.q} placeholder="Words in the story" />
            <button type="submit" class="adm-button">
              Search
            </button>
          </div>
        </div>
      </form>
      <h3 class="fp-subhead">{s.q ? `Stories matching “${s.q}”` : 'Newest published stories'}</h3>
      {s.searchProblem && <p class="adm-problem">{s.searchProblem}</p>}
      {s.results.length === 0 && !s.searchProblem ? (
        <p class="fp-empty">
          {s.q ? 'No published story matches. Try other words.' : 'Nothing published yet.'}
        </p>
      ) : (
        <ul class="fp-list fp-results">
          {s.results.map((c) => (
            <li key={c.articleId}>
              <StoryLine id={c.articleId} card={c} zone={s.site.timeZone}>
                {placed.has(c.articleId) ? (
                  <span class="adm-badge adm-badge-ok">On the front page</span>
                ) : (
                  <>
                    <MoveLink
                      s={s}
                      move="lead"
                      id={c.articleId}
                      label="Make lead"
                      what={c.headline}
                      quiet={false}
                    />
                    {full ? (
                      <span class="adm-badge">Top stories full</span>
                    ) : (
                      <MoveLink s={s} move="add" id={c.articleId} label="Add to top" what={c.headline} />
                    )}
                  </>
                )}
              </StoryLine>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function FrontPageView({ s }: { s: FrontPageScreen }) {
  return (
    <>
      <div class="fp-head">
        {s.manySites && (
          <a href="/front-page" class="fp-back">
            All sites
          </a>
        )}
        <a href={s.homeUrl}>See the home page of {s.site.name}</a>
        <a href="#fp-add" class="fp-jump">
          Add a story
        </a>
      </div>
      <RefusedPanel error={s.error} />
      {s.theirs && (
        <div class="adm-notice adm-notice-warn">
          <p class="fp-notice-text">
            Saved meanwhile: lead {s.theirs.lead ? `“${s.theirs.lead.headline}”` : 'none'}; top stories{' '}
            {s.theirs.top.length ? s.theirs.top.map((c) => `“${c.headline}”`).join(', ') : 'none'}. Save again
            to replace it with yours below.
          </p>
        </div>
      )}
      {s.dirty && !s.error && (
        <div class="adm-notice adm-notice-warn" role="status">
          <p class="fp-notice-text">Not saved yet: readers still see the saved front page.</p>
        </div>
      )}
      {s.dropped.length > 0 && (
        <div class="adm-notice adm-notice-warn">
          <p class="fp-notice-text">
            No longer on the front page, since they are not published any more:{' '}
            {s.dropped.map((c) => `“${c.headline}”`).join(', ')}.
          </p>
        </div>
      )}
      <div class="fp-grid">
        <Arrangement s={s} />
        <Results s={s} />
      </div>
    </>
  );
}

export interface SiteSummary {
  site: Site;
  lead: StoryCard | null;
  topCount: number;
  savedAt: Date | null;
}

export function FrontPageSites({ sites }: { sites: SiteSummary[] }) {
  return (
    <>
      <p class="adm-hint">
        Each site's home page opens with a lead story and top stories an editor chose here.
      </p>
      <ul class="fp-sites">
        {sites.map((x) => (
          <li key={x.site.id} class="adm-panel">
            <h2 class="fp-panel-title">
              <a href={`/front-page/${x.site.id}`}>{x.site.name}</a>
            </h2>
            <p class="fp-site-line">
              {x.savedAt
                ? `Lead: ${x.lead ? x.lead.headline : 'the newest story'}; ${x.topCount} top ${x.topCount === 1 ? 'story' : 'stories'}.`
                : 'Not arranged: newest stories first.'}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The screen's own rules, added to the admin stylesheet once. */
export const FRONT_PAGE_CSS = `
.fp-head{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:0 0 1rem}
.fp-jump{display:none}
.fp-grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;align-items:start}
.fp-grid>.adm-panel{margin:0}
.fp-panel-title{margin:0 0 .25rem;font-size:1.2rem}
.fp-saved{margin:0 0 .5rem;font-size:.9rem}
.fp-subhead{font-size:1rem;margin:1rem 0 .5rem}
.fp-count{font-weight:400}
.fp-empty{margin:0;color:var(--muted)}
.fp-list{list-style:none;margin:0;padding:0}
.fp-list>li{border-top:1px solid var(--line)}
.fp-list>li:last-child{border-bottom:1px solid var(--line)}
ol.fp-list{counter-reset:fp}
ol.fp-list>li{counter-increment:fp;position:relative;padding-left:1.6rem}
ol.fp-list>li::before{content:counter(fp);position:absolute;left:0;top:.6rem;font-weight:700;color:var(--muted)}
.fp-story{display:grid;grid-template-columns:96px minmax(0,1fr);grid-template-areas:"thumb text" "thumb moves";gap:.4rem .75rem;padding:.6rem 0;align-items:start}
.fp-thumb{grid-area:thumb;display:block;width:96px;height:64px;object-fit:cover;border-radius:4px;background:var(--bg)}
.fp-thumb-none{border:1px dashed var(--line)}
.fp-story-text{grid-area:text;min-width:0}
.fp-headline{margin:0;font-weight:600;line-height:1.3;overflow-wrap:break-word}
.fp-headline a{color:var(--ink);text-decoration:none}
.fp-headline a:hover{text-decoration:underline}
.fp-meta{margin:.2rem 0 0;font-size:.85rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:.2rem .75rem;align-items:center}
.fp-moves{grid-area:moves;display:flex;flex-wrap:wrap;gap:.4rem}
.fp-moves .adm-button-small{min-height:2rem;line-height:1.3}
.fp-lead .fp-story{grid-template-columns:160px minmax(0,1fr)}
.fp-lead .fp-thumb{width:160px;height:107px}
.fp-lead .fp-headline{font-size:1.15rem}
.fp-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0 .5rem}
.fp-hint{margin-top:.5rem}
.fp-search{margin:.5rem 0 0}
.fp-search .adm-field{margin:0}
.fp-search-row{display:flex;gap:.5rem}
.fp-search-row input{flex:1;min-width:0}
.fp-notice-text{margin:0}
.fp-sites{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem}
.fp-sites>li{margin:0}
.fp-site-line{margin:.25rem 0 0}
@media (max-width:480px){.fp-lead .fp-story{grid-template-columns:112px minmax(0,1fr)}.fp-lead .fp-thumb{width:112px;height:75px}
.fp-story{grid-template-areas:"thumb text" "moves moves"}}
@media (max-width:960px){.fp-grid{grid-template-columns:1fr}.fp-jump{display:inline}}
`;

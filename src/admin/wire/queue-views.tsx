// The review queue's views: the list of waiting stories (each with its preview, the agency's terms and
// note beside it, and the publish, edit and discard actions) and one story's page with its whole text and
// the edit form. The terms and the editor's note are the agency's words to editors and appear only here.
import { htmlToText, sanitizeArticleHtml, trustedBodyHtml } from '../../articles/body-html.ts';
import { zoneLabel } from '../../articles/schedule-time.ts';
import type { DatelineError } from '../../errors/catalogue.ts';
import type { Section } from '../../sections/section.ts';
import type { SiteContext } from '../../sites/directory.ts';
import type { QueueView } from '../../wire/review-queue.ts';
import { Refusal, When } from './shared.tsx';

export interface PublishTarget {
  site: SiteContext;
  sections: Section[];
}

/** What the desk can do with one entry, worked out by the route from the staff member's roles. */
export interface EntryActions {
  /** Licensed sites the staff member may publish on, with their sections. */
  targets: PublishTarget[];
  /** `site/section` preselected: the routing rule's suggestion, when it is one of the targets. */
  suggested: string;
  mayDiscard: boolean;
  /** The story's articles on sites the staff member sees: "edit" opens them in the stories editor. */
  articles: { siteName: string; articleId: number }[];
}

export interface PublishValues {
  target?: string;
  when?: 'now' | 'later';
  at?: string;
}

export type FieldProblems = Record<string, string>;

const PREVIEW_CHARS = 360;

function preview(html: string): string {
  const text = htmlToText(htmlToText(html)).replace(/\s+/g, ' ').trim();
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS).replace(/\s+\S*$/, '')}…` : text;
}

/** The headline and the rest as the entry will publish: the editor's changes over the agency's copy. */
export function effectiveCopy(e: QueueView): EditValues {
  return {
    headline: e.edits?.headline ?? e.story.headline,
    dek: e.edits?.dek ?? e.story.dek ?? '',
    byline: e.edits?.byline !== undefined ? (e.edits.byline ?? '') : (e.story.byline ?? ''),
    dateline: e.edits?.dateline !== undefined ? (e.edits.dateline ?? '') : (e.story.dateline ?? ''),
    bodyHtml: e.edits?.bodyHtml ?? e.story.bodyHtml,
  };
}

function embargoPending(e: QueueView, now: Date): Date | null {
  const at = e.story.embargoUntil ? new Date(e.story.embargoUntil) : null;
  return at && at > now ? at : null;
}

function ForEditors(p: { entry: QueueView; zone: string; now: Date }) {
  const { story } = p.entry;
  const embargo = embargoPending(p.entry, p.now);
  return (
    <aside class="wire-editorial" aria-label="For editors only">
      <p class="wire-editorial-head">For editors only, never shown to readers</p>
      <h3>Usage terms</h3>
      <p>{story.usageTerms ?? <span class="adm-muted">None given by the agency.</span>}</p>
      <h3>Editor's note</h3>
      <p>{story.edNote ?? <span class="adm-muted">None.</span>}</p>
      {embargo && (
        <p class="wire-embargo">
          <strong>Embargoed</strong> until <When at={embargo} zone={p.zone} />
        </p>
      )}
      {story.corrected && <p class="adm-badge adm-badge-warn">Corrected by the agency</p>}
    </aside>
  );
}

function Meta(p: { entry: QueueView; zone: string }) {
  const e = p.entry;
  return (
    <p class="wire-meta">
      <span>{e.agency.name}</span>
      <span>
        Received <When at={e.receivedAt} zone={p.zone} />
      </span>
      {e.story.version !== null && <span>Version {e.story.version}</span>}
      {e.story.urgency !== null && <span>Urgency {e.story.urgency}</span>}
    </p>
  );
}

function PublishForm(p: {
  entry: QueueView;
  actions: EntryActions;
  csrf: string;
  values: PublishValues;
  problems: FieldProblems;
  now: Date;
}) {
  const id = p.entry.id;
  const f = (name: string) => `w${id}-${name}`;
  const chosen = p.values.target ?? p.actions.suggested;
  const embargo = embargoPending(p.entry, p.now);
  const when = p.values.when ?? (embargo ? 'later' : 'now');
  const problem = (name: string) =>
    p.problems[name] ? (
      <p class="adm-problem" id={f(`${name}-problem`)}>
        {p.problems[name]}
      </p>
    ) : null;
  if (p.actions.targets.length === 0) {
    return (
      <p class="adm-muted">
        You hold the editor role on no site this agency is licensed for, so you cannot publish it.
      </p>
    );
  }
  return (
    <form method="post" action={`/wire/queue/${id}/publish`} class="wire-publish">
      <input type="hidden" name="csrf" value={p.csrf} />
      <div class={`adm-field${p.problems.target ? ' adm-field-problem' : ''}`}>
        <label for={f('target')}>Publish to</label>
        {problem('target')}
        <select
          id={f('target')}
          name="target"
          required
          aria-invalid={p.problems.target ? 'true' : undefined}
          aria-describedby={p.problems.target ? f('target-problem') : undefined}
        >
          <option value="">Choose a site and section</option>
          {p.actions.targets.map((t) => (
            <optgroup label={t.site.site.name} key={t.site.site.id}>
              {t.sections.map((s) => {
                const v = `${t.site.site.slug}/${s.slug}`;
                return (
                  <option value={v} selected={v === chosen} key={s.id}>
                    {t.site.site.name} › {s.name}
                  </option>
                );
              })}
            </optgroup>
          ))}
        </select>
      </div>
      <fieldset
        class={`wire-when${p.problems.when || p.problems.at ? ' adm-field-problem' : ''}`}
        aria-describedby={f('zone')}
      >
        <legend>When</legend>
        {problem('when')}
        {problem('at')}
        <label class="wire-choice">
          <input type="radio" name="when" value="now" checked={when === 'now'} /> Now
        </label>
        <label class="wire-choice">
          <input type="radio" name="when" value="later" checked={when === 'later'} /> Scheduled for
        </label>
        <input
          type="datetime-local"
          name="at"
          id={f('at')}
          class="adm-input"
          aria-label="Publish at (date and time on the site's clock)"
          value={p.values.at ?? ''}
          aria-invalid={p.problems.at ? 'true' : undefined}
        />
      </fieldset>
      <button type="submit" class="adm-button">
        Publish
      </button>
      <p class="adm-hint wire-zone" id={f('zone')}>
        On the chosen site's clock:{' '}
        {p.actions.targets.map((t, i) => (
          <span key={t.site.site.id}>
            {i > 0 && '; '}
            {t.site.site.name}, {zoneLabel(t.site.site.timeZone, p.now)}
          </span>
        ))}
        .
      </p>
    </form>
  );
}

function EditAction(p: { entry: QueueView; actions: EntryActions; onEntryPage: boolean }) {
  if (p.actions.articles.length > 0) {
    return (
      <>
        {p.actions.articles.map((x) => (
          <a class="adm-button adm-button-quiet" href={`/stories/${x.articleId}`} key={x.articleId}>
            Edit the story on {x.siteName}
          </a>
        ))}
      </>
    );
  }
  return (
    <a class="adm-button adm-button-quiet" href={p.onEntryPage ? '#edit' : `/wire/queue/${p.entry.id}#edit`}>
      Edit before publishing
    </a>
  );
}

function DiscardForm(p: { id: number; csrf: string }) {
  return (
    <form method="post" action={`/wire/queue/${p.id}/discard`} class="wire-discard">
      <input type="hidden" name="csrf" value={p.csrf} />
      <button
        type="submit"
        class="adm-button adm-button-danger"
        data-confirm="Discard this story? It leaves the queue for every site."
      >
        Discard
      </button>
    </form>
  );
}

function EntryCard(p: { entry: QueueView; actions: EntryActions; csrf: string; zone: string; now: Date }) {
  const e = p.entry;
  const copy = effectiveCopy(e);
  return (
    <article class="wire-entry" aria-labelledby={`w${e.id}-h`}>
      <div class="wire-story">
        <h2 id={`w${e.id}-h`}>
          <a href={`/wire/queue/${e.id}`}>{copy.headline}</a>
        </h2>
        <Meta entry={e} zone={p.zone} />
        <p class="wire-reason">{e.reason}</p>
        <p class="wire-preview">{preview(copy.bodyHtml)}</p>
        {e.edits && Object.keys(e.edits).length > 0 && (
          <p class="adm-badge adm-badge-ok">Edited: {Object.keys(e.edits).join(', ')}</p>
        )}
        <div class="wire-side-actions">
          <EditAction entry={e} actions={p.actions} onEntryPage={false} />
          {p.actions.mayDiscard && <DiscardForm id={e.id} csrf={p.csrf} />}
        </div>
      </div>
      <ForEditors entry={e} zone={p.zone} now={p.now} />
      <div class="wire-actions">
        <PublishForm entry={e} actions={p.actions} csrf={p.csrf} values={{}} problems={{}} now={p.now} />
      </div>
    </article>
  );
}

export function QueueList(p: {
  entries: { entry: QueueView; actions: EntryActions }[];
  csrf: string;
  zone: string;
  now: Date;
  agencies: { slug: string; name: string }[];
  agency: string;
  page: number;
  more: boolean;
  scopeNote: string;
}) {
  const pageLink = (n: number) =>
    `/wire?${new URLSearchParams({ ...(p.agency && { agency: p.agency }), page: String(n) }).toString()}`;
  return (
    <>
      <form method="get" action="/wire" class="adm-toolbar wire-filter">
        <div class="adm-field">
          <label for="wire-agency">Agency</label>
          <select id="wire-agency" name="agency" data-autosubmit="">
            <option value="">All agencies</option>
            {p.agencies.map((g) => (
              <option value={g.slug} selected={g.slug === p.agency} key={g.slug}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="adm-button adm-button-quiet">
          Show
        </button>
        <p class="adm-muted wire-scope">{p.scopeNote}</p>
      </form>
      {p.entries.length === 0 ? (
        <p class="adm-panel">
          {p.page > 1
            ? 'No more stories wait for review.'
            : 'No story waits for review. New ones appear here.'}
        </p>
      ) : (
        <div class="wire-list">
          {p.entries.map(({ entry, actions }) => (
            <EntryCard
              entry={entry}
              actions={actions}
              csrf={p.csrf}
              zone={p.zone}
              now={p.now}
              key={entry.id}
            />
          ))}
        </div>
      )}
      {(p.page > 1 || p.more) && (
        <nav class="adm-pager" aria-label="Queue pages">
          {p.page > 1 && <a href={pageLink(p.page - 1)}>Newer stories</a>}
          {p.more && <a href={pageLink(p.page + 1)}>Older stories</a>}
        </nav>
      )}
    </>
  );
}

export interface EditValues {
  headline: string;
  dek: string;
  byline: string;
  dateline: string;
  bodyHtml: string;
}

function EditForm(p: { id: number; csrf: string; values: EditValues; problems: FieldProblems }) {
  const field = (name: keyof EditValues, label: string, hint?: string) => {
    const id = `wedit-${name}`;
    const problem = p.problems[name];
    const described = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
    const common = {
      id,
      name,
      'aria-invalid': problem ? ('true' as const) : undefined,
      'aria-describedby': described || undefined,
    };
    return (
      <div class={`adm-field${problem ? ' adm-field-problem' : ''}`}>
        <label for={id}>{label}</label>
        {hint && (
          <p class="adm-hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        {problem && (
          <p class="adm-problem" id={`${id}-problem`}>
            {problem}
          </p>
        )}
        {name === 'bodyHtml' || name === 'dek' ? (
          <textarea {...common} rows={name === 'dek' ? 3 : 14}>
            {p.values[name]}
          </textarea>
        ) : (
          <input {...common} type="text" value={p.values[name]} />
        )}
      </div>
    );
  };
  return (
    <form method="post" action={`/wire/queue/${p.id}/edit`} class="adm-panel wire-edit">
      <h2 id="edit">Edit before publishing</h2>
      <p class="adm-hint">
        Changes are kept with the queue entry and applied when it is published. A story you change is no
        longer updated by the agency's later versions: those wait here for you instead.
      </p>
      <input type="hidden" name="csrf" value={p.csrf} />
      {field('headline', 'Headline')}
      {field('dek', 'Dek')}
      {field('byline', 'Byline')}
      {field('dateline', 'Dateline')}
      {field(
        'bodyHtml',
        'Body (HTML)',
        'Paragraphs, headings, lists, links, quotes and tables are kept; anything else is removed when it is published.',
      )}
      <button type="submit" class="adm-button">
        Save changes
      </button>
    </form>
  );
}

export function EntryPage(p: {
  entry: QueueView;
  actions: EntryActions;
  csrf: string;
  zone: string;
  now: Date;
  refusal?: DatelineError | null;
  publish?: { values: PublishValues; problems: FieldProblems };
  edit?: { values: EditValues; problems: FieldProblems };
  decidedBy?: string | null;
}) {
  const e = p.entry;
  const copy = effectiveCopy(e);
  const pending = e.state === 'pending' && e.story.state === 'active';
  return (
    <>
      {p.refusal && <Refusal error={p.refusal} />}
      <p>
        <a href="/wire">Back to the queue</a>
      </p>
      <div class="wire-entry wire-entry-page">
        <div class="wire-story">
          <h2>{copy.headline}</h2>
          <Meta entry={e} zone={p.zone} />
          <p class="wire-reason">{e.reason}</p>
          {!pending && (
            <p class="adm-badge adm-badge-warn">
              {e.story.state !== 'active'
                ? `The agency ${e.story.state === 'killed' ? 'killed' : 'let expire'} this story`
                : `${e.state[0]!.toUpperCase()}${e.state.slice(1)}${p.decidedBy ? ` by ${p.decidedBy}` : ''}`}
            </p>
          )}
          {pending && (
            <div class="wire-side-actions">
              <EditAction entry={e} actions={p.actions} onEntryPage />
              {p.actions.mayDiscard && <DiscardForm id={e.id} csrf={p.csrf} />}
            </div>
          )}
        </div>
        <ForEditors entry={e} zone={p.zone} now={p.now} />
        {pending && (
          <div class="wire-actions">
            <PublishForm
              entry={e}
              actions={p.actions}
              csrf={p.csrf}
              values={p.publish?.values ?? {}}
              problems={p.publish?.problems ?? {}}
              now={p.now}
            />
          </div>
        )}
        <section class="wire-body" aria-label="Story text">
          {copy.dek && <p class="wire-dek">{copy.dek}</p>}
          <p class="wire-byline adm-muted">{[copy.byline, copy.dateline].filter(Boolean).join(' · ')}</p>
          {/* The body passes the article sanitiser first (trustedBodyHtml is the one way raw HTML enters a view). */}
          <div dangerouslySetInnerHTML={trustedBodyHtml(sanitizeArticleHtml(copy.bodyHtml))} />
          {e.story.copyright && <p class="adm-muted">{e.story.copyright}</p>}
        </section>
      </div>
      {pending && (
        <EditForm id={e.id} csrf={p.csrf} values={p.edit?.values ?? copy} problems={p.edit?.problems ?? {}} />
      )}
    </>
  );
}

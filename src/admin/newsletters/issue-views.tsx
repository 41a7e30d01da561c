// The next issue of a digest as the editor works on it: its stories in print order under their blocks, each
// with up, down and remove (plain forms, no script needed), the subject and intro, a search of the site's
// published stories and a paste box to add one, the preview (the mail's HTML in a sandboxed frame, and its
// text part), "Send a test to me" and the way to "Send now", which asks first.
import type { DatelineError } from '../../errors/catalogue.ts';
import type { StoryCard } from '../../front-page/repository.ts';
import type { DigestIssue } from '../../newsletters/digests/issues.ts';
import { INTRO_MAX, SUBJECT_MAX } from '../../newsletters/digests/issues.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import type { Site } from '../../sites/site.ts';
import { ButtonForm, Csrf, RefusedPanel, SelectField } from '../sites/form-parts.tsx';
import { siteTime } from '../stories/times.ts';

export interface BlockView {
  key: string;
  title: string;
  items: { articleId: number; card: StoryCard | undefined }[];
}

export interface NextIssueScreen {
  site: Site;
  n: Newsletter;
  issue: DigestIssue;
  blocks: BlockView[];
  /** The blocks a story may be added to, 'top' first. */
  blockChoices: { value: string; label: string }[];
  q: string;
  results: StoryCard[];
  searchProblem: string | null;
  text: string;
  staffEmail: string | null;
  confirmed: number;
  csrf: string;
  error: DatelineError | null;
  /** What the editor typed in a refused subject/intro or story field. */
  typed: { subject?: string; intro?: string; story?: string };
}

function problemFor(s: NextIssueScreen, field: string): string | undefined {
  return s.error?.where?.field === field ? s.error.message : undefined;
}

function Item(p: {
  s: NextIssueScreen;
  id: number;
  card: StoryCard | undefined;
  first: boolean;
  last: boolean;
}) {
  const base = `/newsletters/issues/${p.s.issue.id}`;
  const what = p.card?.headline ?? `story ${p.id}`;
  const fields = { article: String(p.id) };
  return (
    <li class="nl-item">
      <div class="nl-item-text">
        <p class="nl-item-headline">
          {p.card ? (
            <a href={`/stories/${p.id}`}>{p.card.headline}</a>
          ) : (
            `Story ${p.id} (no longer on the site)`
          )}
        </p>
        {p.card && (
          <p class="nl-item-meta">
            <span>{p.card.sectionName}</span>
            {p.card.publishedAt && (
              <time dateTime={p.card.publishedAt.toISOString()}>
                {siteTime(p.card.publishedAt, p.s.site.timeZone)}
              </time>
            )}
          </p>
        )}
      </div>
      <div class="nl-item-moves">
        {!p.first && (
          <ButtonForm
            action={`${base}/move`}
            csrf={p.s.csrf}
            label="Up"
            ariaLabel={`Move up: ${what}`}
            fields={{ ...fields, by: 'up' }}
          />
        )}
        {!p.last && (
          <ButtonForm
            action={`${base}/move`}
            csrf={p.s.csrf}
            label="Down"
            ariaLabel={`Move down: ${what}`}
            fields={{ ...fields, by: 'down' }}
          />
        )}
        <ButtonForm
          action={`${base}/remove`}
          csrf={p.s.csrf}
          label="Remove"
          ariaLabel={`Remove: ${what}`}
          fields={fields}
          kind="danger"
        />
      </div>
    </li>
  );
}

function Stories({ s }: { s: NextIssueScreen }) {
  return (
    <section class="adm-panel" aria-labelledby="nl-stories">
      <h2 class="nl-panel-title" id="nl-stories">
        Stories <span class="adm-muted nl-count">({s.issue.items.length})</span>
      </h2>
      {s.blocks.length === 0 && (
        <p class="adm-muted">No stories: an issue without stories is not sent. Add one below.</p>
      )}
      {s.blocks.map((b) => (
        <div key={b.key} class="nl-block">
          <h3 class="nl-subhead">{b.title}</h3>
          <ol class="nl-items">
            {b.items.map((it, i) => (
              <Item
                key={it.articleId}
                s={s}
                id={it.articleId}
                card={it.card}
                first={i === 0}
                last={i === b.items.length - 1}
              />
            ))}
          </ol>
        </div>
      ))}
      <p class="adm-hint">
        Moves stay within a block. A story taken down or unpublished before the send leaves the issue by
        itself.
      </p>
    </section>
  );
}

function Texts({ s }: { s: NextIssueScreen }) {
  const subjectProblem = problemFor(s, 'subject');
  const introProblem = problemFor(s, 'intro');
  return (
    <form method="post" action={`/newsletters/issues/${s.issue.id}/text`} class="adm-panel">
      <h2 class="nl-panel-title">Subject and intro</h2>
      <Csrf token={s.csrf} />
      <div class={`adm-field${subjectProblem ? ' adm-field-problem' : ''}`}>
        <label for="f-subject">Subject</label>
        {subjectProblem && (
          <p class="adm-problem" id="f-subject-problem">
            {subjectProblem}
          </p>
        )}
        <input
          id="f-subject"
          name="subject"
          value={s.typed.subject ?? s.issue.subject}
          maxLength={SUBJECT_MAX * 2}
          aria-invalid={subjectProblem ? 'true' : undefined}
          aria-describedby={subjectProblem ? 'f-subject-problem' : undefined}
        />
      </div>
      <div class={`adm-field${introProblem ? ' adm-field-problem' : ''}`}>
        <label for="f-intro">Intro (optional)</label>
        <p class="adm-hint" id="f-intro-hint">
          A few lines above the stories, up to {INTRO_MAX} characters. Blank lines start a new paragraph.
        </p>
        {introProblem && (
          <p class="adm-problem" id="f-intro-problem">
            {introProblem}
          </p>
        )}
        <textarea
          id="f-intro"
          name="intro"
          rows={4}
          aria-invalid={introProblem ? 'true' : undefined}
          aria-describedby={introProblem ? 'f-intro-hint f-intro-problem' : 'f-intro-hint'}
        >
          {s.typed.intro ?? s.issue.intro}
        </textarea>
      </div>
      <button type="submit" class="adm-button">
        Save subject and intro
      </button>
    </form>
  );
}

function AddStory({ s }: { s: NextIssueScreen }) {
  const inIssue = new Set(s.issue.items.map((i) => i.articleId));
  const storyProblem = problemFor(s, 'articleId');
  return (
    <section class="adm-panel" id="nl-add" aria-labelledby="nl-add-title">
      <h2 class="nl-panel-title" id="nl-add-title">
        Add a story
      </h2>
      <form method="post" action={`/newsletters/issues/${s.issue.id}/add`} class="nl-paste">
        <Csrf token={s.csrf} />
        <div class={`adm-field${storyProblem ? ' adm-field-problem' : ''}`}>
          <label for="f-story">Story number or address</label>
          <p class="adm-hint" id="f-story-hint">
            Paste the story’s link on {s.site.name}, its admin link, or its number.
          </p>
          {storyProblem && (
            <p class="adm-problem" id="f-story-problem">
              {storyProblem}
            </p>
          )}
          <input
            id="f-story"
            name="story"
            value={s.typed.story ?? ''}
            aria-invalid={storyProblem ? 'true' : undefined}
            aria-describedby={storyProblem ? 'f-story-hint f-story-problem' : 'f-story-hint'}
          />
        </div>
        <SelectField name="block" id="f-block" label="Into" value="top" options={s.blockChoices} />
        <button type="submit" class="adm-button">
          Add story
        </button>
      </form>
      <form method="get" action={`/newsletters/${s.n.id}/next`} role="search" aria-label="Published stories">
        <div class="adm-field nl-search">
          <label for="nl-q">Search published stories of {s.site.name}</label>
          <div class="nl-search-row">
            <input id="nl-q" name="q" type="search" value={s.q} placeholder="Words in the story" />
            <button type="submit" class="adm-button adm-button-quiet">
              Search
            </button>
          </div>
        </div>
      </form>
      <h3 class="nl-subhead">{s.q ? `Stories matching “${s.q}”` : 'Newest published stories'}</h3>
      {s.searchProblem && <p class="adm-problem">{s.searchProblem}</p>}
      {s.results.length === 0 && !s.searchProblem && (
        <p class="adm-muted">{s.q ? 'No published story matches.' : 'Nothing published yet.'}</p>
      )}
      <ul class="nl-results">
        {s.results.map((c) => (
          <li key={c.articleId}>
            <span class="nl-result-headline">{c.headline}</span>{' '}
            <span class="adm-muted nl-result-section">{c.sectionName}</span>
            {inIssue.has(c.articleId) ? (
              <span class="adm-badge adm-badge-ok">In the issue</span>
            ) : (
              <ButtonForm
                action={`/newsletters/issues/${s.issue.id}/add`}
                csrf={s.csrf}
                label="Add to top stories"
                ariaLabel={`Add to top stories: ${c.headline}`}
                fields={{ story: String(c.articleId), block: 'top' }}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Preview({ s }: { s: NextIssueScreen }) {
  const src = `/newsletters/issues/${s.issue.id}/preview`;
  return (
    <section class="adm-panel" aria-labelledby="nl-preview">
      <h2 class="nl-panel-title" id="nl-preview">
        Preview
      </h2>
      <p>
        <a href={src} target="_blank" rel="noopener">
          Open the preview on its own page
        </a>
      </p>
      <iframe class="nl-frame" src={src} title={`Preview of ${s.issue.subject}`} sandbox="" />
      <details class="nl-text">
        <summary>The plain-text part</summary>
        <pre>{s.text}</pre>
      </details>
    </section>
  );
}

function Sending({ s }: { s: NextIssueScreen }) {
  return (
    <section class="adm-panel" aria-labelledby="nl-send">
      <h2 class="nl-panel-title" id="nl-send">
        Test and send
      </h2>
      {s.staffEmail ? (
        <form method="post" action={`/newsletters/issues/${s.issue.id}/test`} class="adm-inline-form">
          <Csrf token={s.csrf} />
          <button type="submit" class="adm-button adm-button-quiet">
            Send a test to me
          </button>{' '}
          <span class="adm-muted">({s.staffEmail})</span>
        </form>
      ) : (
        <p class="adm-muted">Your account has no address to send a test to.</p>
      )}
      <p class="nl-send-line">
        {s.n.active && s.n.nextIssueAt
          ? `Goes out by itself ${siteTime(s.n.nextIssueAt, s.site.timeZone)}, to the confirmed subscribers then.`
          : 'Not scheduled: it goes out only when sent from here.'}
      </p>
      <a class="adm-button" href={`/newsletters/${s.n.id}/send-now`}>
        Send now…
      </a>
    </section>
  );
}

export function NextIssueView({ s }: { s: NextIssueScreen }) {
  return (
    <>
      <div class="nl-head">
        <a href={`/newsletters/sites/${s.site.id}`}>Newsletters of {s.site.name}</a>
        <a href={`/newsletters/${s.n.id}/edit`}>Settings of {s.n.name}</a>
        <a href={`/newsletters/sites/${s.site.id}/sends`}>Sends</a>
      </div>
      <RefusedPanel error={s.error} />
      {s.issue.edited ? (
        <p class="adm-hint">Changed by an editor: it goes out as you see it here.</p>
      ) : (
        <p class="adm-hint">
          Composed from the newest stories; until someone changes it, it is composed again before it goes out.
        </p>
      )}
      <div class="nl-grid">
        <div>
          <Stories s={s} />
          <Texts s={s} />
          <AddStory s={s} />
        </div>
        <div>
          <Sending s={s} />
          <Preview s={s} />
        </div>
      </div>
    </>
  );
}

/** The step before "Send now": what goes out, to how many, and the button that sends it. */
export function SendNowConfirm(p: {
  site: Site;
  n: Newsletter;
  issue: DigestIssue;
  confirmed: number;
  csrf: string;
}) {
  return (
    <div class="adm-panel adm-narrow">
      <p>
        Send “{p.issue.subject}” with {p.issue.items.length}{' '}
        {p.issue.items.length === 1 ? 'story' : 'stories'} to the {p.confirmed.toLocaleString('en-GB')}{' '}
        confirmed subscribers of {p.n.name} now?
      </p>
      <p class="adm-hint">
        It cannot be called back once sent; a send can be paused or cancelled on the way.
      </p>
      <form method="post" action={`/newsletters/${p.n.id}/send-now`} class="adm-actions">
        <Csrf token={p.csrf} />
        <input type="hidden" name="issue" value={String(p.issue.id)} />
        <button type="submit" class="adm-button">
          Send now
        </button>
        <a class="adm-button adm-button-quiet" href={`/newsletters/${p.n.id}/next`}>
          Back to the issue
        </a>
      </form>
    </div>
  );
}

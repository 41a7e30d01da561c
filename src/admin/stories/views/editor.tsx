// The editor screen. The story form follows the editor contract (docs in the editor client): a plain form
// whose textarea is the body, so it works without JavaScript, and which the editor script turns into the
// rich-text editor with autosave, a browser copy and the lock heartbeat. Beside it: who else has the story
// open (with a take-over that asks first), unsaved work kept on the server, and the publishing panel
// (publish, schedule on the site's clock, unpublish, take down, circulate, preview links). Without the
// right to edit, the story is shown read-only.

import { trustedBodyHtml } from '../../../articles/body-html.ts';
import type { PreviewLink } from '../../../articles/previews.ts';
import type { Story } from '../../../articles/story.ts';
import type { EditorFields } from '../../../articles/story-fields.ts';
import { Csrf, SiteTime, StatusBadge } from './parts.tsx';

export interface EditorSite {
  id: number;
  name: string;
  timeZone: string;
  sections: { id: number; name: string }[];
}

export interface EditorProps {
  story: Story;
  site: EditorSite;
  /** What the form shows: the story's fields, or the unsaved copy being restored, or what was just posted. */
  fields: EditorFields;
  /** The revision the form's fields are based on. */
  baseRevision: number;
  csrf: string;
  editable: boolean;
  problems: Record<string, string>;
  /** Someone else has the story open. */
  lockedBy: { name: string; since: Date } | null;
  /** This save was refused because someone saved the story after the form was opened. */
  conflict: { by: string; at: string; revision: number } | null;
  /** Unsaved work of this staff member kept on the server, offered when the form does not show it. */
  autosave: { savedAt: Date; baseRevision: number } | null;
  /** Where the story appears (its own site first), with each site's name and the section there. */
  placements: { siteName: string; sectionName: string; path: string; live: boolean; url: string | null }[];
  publish: {
    canPublish: boolean;
    canTakeDown: boolean;
    /** Sister sites and sections this staff member may circulate to: value "siteId:sectionId". */
    circulateTo: { value: string; label: string }[];
    zoneLabel: string;
    scheduleValue: string;
  };
  previews: { links: PreviewLink[]; origin: string; justMade: string | null };
}

function TextField(p: {
  name: keyof EditorFields;
  label: string;
  fields: EditorFields;
  problems: Record<string, string>;
  hint?: string;
  required?: boolean;
}) {
  const id = `f-${p.name}`;
  const value = p.fields[p.name];
  const problem = p.problems[p.name];
  const described = [p.hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : '';
  return (
    <div class={`adm-field${problem ? ' adm-field-problem' : ''}`}>
      <label for={id}>{p.label}</label>
      {p.hint && (
        <p class="adm-hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      {problem && (
        <p class="adm-problem" id={`${id}-problem`}>
          {problem}
        </p>
      )}
      <input
        id={id}
        name={p.name}
        type="text"
        value={text}
        required={p.required}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}

function StoryForm(p: EditorProps) {
  const id = p.story.article.id;
  const f = p.fields;
  const sectionId = String(f.section_id ?? p.story.sectionId);
  const urgent = f.urgent === true || f.urgent === 'on' || f.urgent === 'true' || f.urgent === '1';
  const bodyProblem = p.problems.body_html;
  return (
    <form
      id="story-form"
      class="adm-panel story-form"
      method="post"
      action={`/stories/${id}`}
      data-story-id={String(id)}
      data-base-revision={String(p.baseRevision)}
      data-autosave-url={`/stories/${id}/autosave`}
      data-lock-url={`/stories/${id}/lock`}
      data-csrf={p.csrf}
    >
      <Csrf token={p.csrf} />
      <input type="hidden" name="base_revision" value={String(p.baseRevision)} />
      <TextField name="headline" label="Headline" fields={f} problems={p.problems} required />
      <TextField
        name="dek"
        label="Dek"
        fields={f}
        problems={p.problems}
        hint="The line under the headline."
      />
      <div class="story-form-row">
        <TextField name="byline" label="Byline" fields={f} problems={p.problems} />
        <TextField
          name="dateline"
          label="Dateline"
          fields={f}
          problems={p.problems}
          hint="The place, e.g. GENEVA."
        />
      </div>
      <div class="story-form-row">
        <div class={`adm-field${p.problems.section_id ? ' adm-field-problem' : ''}`}>
          <label for="f-section_id">Section</label>
          {p.problems.section_id && (
            <p class="adm-problem" id="f-section_id-problem">
              {p.problems.section_id}
            </p>
          )}
          <select
            id="f-section_id"
            name="section_id"
            aria-describedby={p.problems.section_id ? 'f-section_id-problem' : undefined}
          >
            {p.site.sections.map((s) => (
              <option value={String(s.id)} selected={sectionId === String(s.id)} key={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <TextField name="tags" label="Tags" fields={f} problems={p.problems} hint="Separated by commas." />
      </div>
      <TextField
        name="slug"
        label="Slug"
        fields={f}
        problems={p.problems}
        hint="The end of the story's address. Changing it after publishing keeps the old address working (it redirects)."
      />
      <div class="story-form-row">
        <TextField
          name="lead_media_id"
          label="Lead picture"
          fields={f}
          problems={p.problems}
          hint="The picture's number in the Pictures library; empty for none."
        />
        <TextField name="source_copyright" label="Source copyright line" fields={f} problems={p.problems} />
      </div>
      <div class="adm-field story-urgent">
        <label>
          <input type="checkbox" name="urgent" value="on" checked={urgent} /> Urgent (news alerts)
        </label>
      </div>
      <div class={`adm-field story-body-field${bodyProblem ? ' adm-field-problem' : ''}`}>
        <label for="body_html">Story text</label>
        <p class="adm-hint" id="body_html-hint">
          Saving cleans it as wire copy is cleaned (scripts, styles, frames and event handlers go), and says
          what it removed.
        </p>
        {bodyProblem && (
          <p class="adm-problem" id="body_html-problem">
            {bodyProblem}
          </p>
        )}
        <textarea
          id="body_html"
          name="body_html"
          rows={18}
          aria-describedby={bodyProblem ? 'body_html-hint body_html-problem' : 'body_html-hint'}
          value={typeof f.body_html === 'string' ? f.body_html : ''}
        />
      </div>
      <div class="adm-toolbar story-save">
        <button type="submit" class="adm-button">
          Save
        </button>
        <a class="adm-button adm-button-quiet" href={`/stories/${id}/revisions`}>
          Revisions
        </a>
      </div>
    </form>
  );
}

function ReadOnly({ story, site }: { story: Story; site: EditorSite }) {
  const a = story.article;
  const section = site.sections.find((s) => s.id === story.sectionId)?.name ?? '—';
  return (
    <section class="adm-panel" aria-label="The story (read-only)">
      <dl class="story-facts">
        <dt>Headline</dt>
        <dd>{a.headline}</dd>
        {a.dek && (
          <>
            <dt>Dek</dt>
            <dd>{a.dek}</dd>
          </>
        )}
        <dt>Byline</dt>
        <dd>{a.byline ?? '—'}</dd>
        <dt>Section</dt>
        <dd>{section}</dd>
        <dt>Tags</dt>
        <dd>{story.tags.length ? story.tags.join(', ') : '—'}</dd>
        <dt>Slug</dt>
        <dd>{story.slug}</dd>
      </dl>
      <div class="story-readonly-body" dangerouslySetInnerHTML={trustedBodyHtml(a.bodyHtml)} />
      <p>
        <a href={`/stories/${a.id}/revisions`}>Revisions</a>
      </p>
    </section>
  );
}

function StatusLine({ story, site }: { story: Story; site: EditorSite }) {
  const a = story.article;
  const zone = site.timeZone;
  return (
    <p class="story-status">
      <StatusBadge status={a.status} />{' '}
      {a.status === 'scheduled' && a.publishAt && (
        <span>
          goes out <SiteTime at={a.publishAt} zone={zone} />
        </span>
      )}
      {a.status === 'published' && a.publishedAt && (
        <span>
          since <SiteTime at={a.publishedAt} zone={zone} />
        </span>
      )}
      {a.status === 'taken_down' && a.takenDownAt && (
        <span>
          <SiteTime at={a.takenDownAt} zone={zone} />: {a.takedownReason ?? ''}
        </span>
      )}{' '}
      <span class="adm-muted">
        · {site.name} · revision {story.revision}
      </span>
    </p>
  );
}

function PublishPanel(p: EditorProps) {
  const a = p.story.article;
  const id = a.id;
  const { canPublish, canTakeDown, circulateTo, zoneLabel, scheduleValue } = p.publish;
  const live = a.status === 'published';
  const gone = a.status === 'taken_down';
  return (
    <section class="adm-panel story-publish" aria-labelledby="publish-title">
      <h2 id="publish-title">Publishing</h2>
      {p.placements.length > 0 && (
        <ul class="story-placements">
          {p.placements.map((pl) => (
            <li key={pl.url ?? pl.path}>
              {pl.siteName} › {pl.sectionName}:{' '}
              {pl.live && pl.url ? <a href={pl.url}>{pl.path}</a> : <code>{pl.path}</code>}
              {!pl.live && <span class="adm-muted"> (not live)</span>}
            </li>
          ))}
        </ul>
      )}
      {canPublish && !gone && (
        <div class="story-publish-actions">
          {!live && (
            <form method="post" action={`/stories/${id}/publish`}>
              <Csrf token={p.csrf} />
              <button type="submit" class="adm-button" data-confirm="Publish this story now?">
                Publish now
              </button>
            </form>
          )}
          {!live && (
            <form method="post" action={`/stories/${id}/schedule`} class="story-schedule">
              <Csrf token={p.csrf} />
              <div class={`adm-field${p.problems.publish_at ? ' adm-field-problem' : ''}`}>
                <label for="f-publish_at">Schedule for</label>
                <p class="adm-hint" id="f-publish_at-hint">
                  On the site's clock: {zoneLabel}.
                </p>
                {p.problems.publish_at && (
                  <p class="adm-problem" id="f-publish_at-problem">
                    {p.problems.publish_at}
                  </p>
                )}
                <input
                  id="f-publish_at"
                  name="publish_at"
                  type="datetime-local"
                  value={scheduleValue}
                  required
                  aria-describedby={
                    p.problems.publish_at ? 'f-publish_at-hint f-publish_at-problem' : 'f-publish_at-hint'
                  }
                />
              </div>
              <button type="submit" class="adm-button adm-button-quiet">
                {a.status === 'scheduled' ? 'Reschedule' : 'Schedule'}
              </button>
            </form>
          )}
          {(live || a.status === 'scheduled') && (
            <form method="post" action={`/stories/${id}/unpublish`}>
              <Csrf token={p.csrf} />
              <button
                type="submit"
                class="adm-button adm-button-quiet"
                data-confirm={
                  live
                    ? 'Take this story off the site and back to a draft?'
                    : 'Cancel the schedule and keep it a draft?'
                }
              >
                {live ? 'Unpublish' : 'Cancel schedule'}
              </button>
            </form>
          )}
        </div>
      )}
      {circulateTo.length > 0 && !gone && (
        <form method="post" action={`/stories/${id}/circulate`} class="story-circulate">
          <Csrf token={p.csrf} />
          <div class="adm-field">
            <label for="f-target">Circulate to a sister site</label>
            <p class="adm-hint" id="f-target-hint">
              The story appears there too; that page names this one as the original.
            </p>
            <select id="f-target" name="target" aria-describedby="f-target-hint">
              {circulateTo.map((t) => (
                <option value={t.value} key={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="adm-button adm-button-quiet">
            Circulate
          </button>
        </form>
      )}
      {canTakeDown && !gone && (
        <form method="post" action={`/stories/${id}/take-down`} class="story-take-down">
          <Csrf token={p.csrf} />
          <div class={`adm-field${p.problems.reason ? ' adm-field-problem' : ''}`}>
            <label for="f-reason">Reason for taking it down</label>
            <p class="adm-hint" id="f-reason-hint">
              Its pages then answer “gone” everywhere it appears. This cannot be undone here.
            </p>
            {p.problems.reason && (
              <p class="adm-problem" id="f-reason-problem">
                {p.problems.reason}
              </p>
            )}
            <textarea
              id="f-reason"
              name="reason"
              rows={2}
              required
              aria-describedby={p.problems.reason ? 'f-reason-hint f-reason-problem' : 'f-reason-hint'}
            />
          </div>
          <button
            type="submit"
            class="adm-button adm-button-danger"
            data-confirm="Take this story down everywhere?"
          >
            Take down
          </button>
        </form>
      )}
    </section>
  );
}

function PreviewPanel(p: EditorProps) {
  const id = p.story.article.id;
  const { links, origin, justMade } = p.previews;
  if (p.story.article.status === 'taken_down') return null;
  return (
    <section class="adm-panel story-previews" aria-labelledby="previews-title">
      <h2 id="previews-title">Preview links</h2>
      <p class="adm-hint">
        Anyone with a link sees the story as its page, unpublished, until the link is revoked. Search engines
        are told not to index it.
      </p>
      {justMade && (
        <p class="adm-notice adm-notice-ok" role="status">
          New link (shown only now, copy it): <a href={justMade}>{justMade}</a>
        </p>
      )}
      {links.length > 0 && (
        <ul class="story-preview-links">
          {links.map((l) => (
            <li key={l.id}>
              Link {l.id}, made by {l.createdByName ?? 'someone'}{' '}
              <SiteTime at={l.createdAt} zone={p.site.timeZone} />
              {l.revokedAt ? (
                <span class="adm-badge"> revoked</span>
              ) : (
                p.editable && (
                  <form
                    method="post"
                    action={`/stories/${id}/previews/${l.id}/revoke`}
                    class="story-inline-form"
                  >
                    <Csrf token={p.csrf} />
                    <button type="submit" class="adm-link-button" data-confirm="Stop this link from working?">
                      Revoke
                    </button>
                  </form>
                )
              )}
            </li>
          ))}
        </ul>
      )}
      {p.editable && (
        <form method="post" action={`/stories/${id}/previews`}>
          <Csrf token={p.csrf} />
          <button type="submit" class="adm-button adm-button-quiet">
            Make a preview link
          </button>
          <span class="adm-muted"> on {origin}</span>
        </form>
      )}
    </section>
  );
}

export function StoryEditorView(p: EditorProps) {
  const id = p.story.article.id;
  return (
    <div class="story-editor">
      <StatusLine story={p.story} site={p.site} />
      {p.conflict && (
        <div class="adm-notice adm-notice-problem story-conflict" role="alert">
          <p>
            Your copy below is kept (also on the server). {p.conflict.by} saved revision {p.conflict.revision}
            {p.conflict.at && (
              <>
                {' '}
                at <SiteTime at={new Date(p.conflict.at)} zone={p.site.timeZone} />
              </>
            )}
            .
          </p>
          <p class="story-autosave-actions">
            <a
              class="adm-button adm-button-quiet"
              href={`/stories/${id}/revisions?compare=${p.conflict.revision}..mine`}
            >
              Compare theirs with yours
            </a>{' '}
            <a class="adm-button adm-button-quiet" href={`/stories/${id}?draft=mine`}>
              Continue with yours on revision {p.conflict.revision}
            </a>{' '}
            <a class="adm-button adm-button-quiet" href={`/stories/${id}`}>
              Open theirs
            </a>
          </p>
        </div>
      )}
      {p.lockedBy && p.editable && (
        <div class="adm-notice adm-notice-warn story-lock" role="status">
          <p>
            {p.lockedBy.name} has had this story open since{' '}
            <SiteTime at={p.lockedBy.since} zone={p.site.timeZone} />. Your changes would not overwrite theirs
            (saving checks for that), but you may be working on the same text.
          </p>
          <form method="post" action={`/stories/${id}/lock/take-over`}>
            <Csrf token={p.csrf} />
            <button
              type="submit"
              class="adm-button adm-button-quiet"
              data-confirm={`Take over from ${p.lockedBy.name}? They will be told and their editor turns read-only.`}
            >
              Take over editing
            </button>
          </form>
        </div>
      )}
      {p.autosave && p.editable && (
        <div class="adm-notice adm-notice-warn story-autosave" role="status">
          <p>
            You have unsaved changes from <SiteTime at={p.autosave.savedAt} zone={p.site.timeZone} /> (made on
            revision {p.autosave.baseRevision}).
          </p>
          <p class="story-autosave-actions">
            <a class="adm-button adm-button-quiet" href={`/stories/${id}?draft=mine`}>
              Show them in the form
            </a>{' '}
            <a
              class="adm-button adm-button-quiet"
              href={`/stories/${id}/revisions?compare=${p.story.revision}..mine`}
            >
              Compare with the saved story
            </a>
          </p>
          <form method="post" action={`/stories/${id}/autosave/discard`}>
            <Csrf token={p.csrf} />
            <button type="submit" class="adm-link-button" data-confirm="Throw away your unsaved changes?">
              Discard them
            </button>
          </form>
        </div>
      )}
      <div class="story-columns">
        <div class="story-main">
          {p.editable ? <StoryForm {...p} /> : <ReadOnly story={p.story} site={p.site} />}
        </div>
        <div class="story-side">
          <PublishPanel {...p} />
          <PreviewPanel {...p} />
        </div>
      </div>
    </div>
  );
}

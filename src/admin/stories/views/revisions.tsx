// A story's revisions: any two side by side (fields that differ, and the text word by word: removed words
// struck through on the left, added ones underlined on the right), the list of every revision with who made
// it and what it changed, and restoring one. Either side of a comparison may be the staff member's own
// unsaved copy ("mine"), which is where a conflict leads.
import type { RevisionEntry } from '../../../articles/editing.ts';
import type { Comparison, TextPart } from '../../../articles/revision-diff.ts';
import { Csrf, SiteTime } from './parts.tsx';

export type Side = number | 'mine';

export interface RevisionsProps {
  storyId: number;
  headline: string;
  current: number;
  revisions: RevisionEntry[];
  hasMine: boolean;
  mineBase: number | null;
  compared: { from: Side; to: Side; comparison: Comparison } | null;
  canRestore: boolean;
  csrf: string;
  zone: string;
}

const FIELD_NAMES: Record<string, string> = {
  created: 'created',
  headline: 'headline',
  dek: 'dek',
  byline: 'byline',
  dateline: 'dateline',
  bodyHtml: 'text',
  sourceCopyright: 'source line',
  leadMediaId: 'lead picture',
  publishAt: 'schedule',
  status: 'status',
  section: 'section',
  slug: 'slug',
  tags: 'tags',
  urgent: 'urgent',
};

function changedText(fields: string[]): string {
  return fields
    .map((f) => {
      if (f.startsWith('restored:')) return `restored revision ${f.slice(9)}`;
      if (f.startsWith('republished:')) return 'circulated to a sister site';
      return FIELD_NAMES[f] ?? f;
    })
    .join(', ');
}

function sideName(s: Side): string {
  return s === 'mine' ? 'Your unsaved copy' : `Revision ${s}`;
}

function Parts({ parts, show }: { parts: TextPart[]; show: 'removed' | 'added' }) {
  return (
    <>
      {parts.map((part, i) => {
        if (part.kind === 'same') return <span key={i}>{part.text}</span>;
        if (part.kind !== show) return null;
        return show === 'removed' ? <del key={i}>{part.text}</del> : <ins key={i}>{part.text}</ins>;
      })}
    </>
  );
}

function Compared({ from, to, comparison }: { from: Side; to: Side; comparison: Comparison }) {
  const nothing = comparison.fields.length === 0 && !comparison.body.changed;
  return (
    <section class="adm-panel revisions-compare" aria-labelledby="compare-title">
      <h2 id="compare-title">
        {sideName(from)} and {sideName(to)}
      </h2>
      {nothing ? (
        <p>These two are the same.</p>
      ) : (
        <>
          {comparison.fields.length > 0 && (
            <div class="adm-table-wrap">
              <table class="adm-table revisions-fields">
                <caption class="adm-muted">Fields that differ</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">{sideName(from)}</th>
                    <th scope="col">{sideName(to)}</th>
                  </tr>
                </thead>
                <tbody>
                  {comparison.fields.map((f) => (
                    <tr key={f.field}>
                      <th scope="row">{f.label}</th>
                      <td>
                        <Parts parts={f.parts} show="removed" />
                      </td>
                      <td>
                        <Parts parts={f.parts} show="added" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>Text</h3>
          {comparison.body.changed ? (
            <div class="revisions-body">
              <div class="revisions-side">
                <h4>{sideName(from)}</h4>
                <div class="revisions-text">
                  <Parts parts={comparison.body.parts} show="removed" />
                </div>
              </div>
              <div class="revisions-side">
                <h4>{sideName(to)}</h4>
                <div class="revisions-text">
                  <Parts parts={comparison.body.parts} show="added" />
                </div>
              </div>
            </div>
          ) : (
            <p>The text is the same.</p>
          )}
        </>
      )}
    </section>
  );
}

export function RevisionsView(p: RevisionsProps) {
  const options: Side[] = [...(p.hasMine ? (['mine'] as Side[]) : []), ...p.revisions.map((r) => r.revision)];
  const from = p.compared?.from ?? p.revisions[1]?.revision ?? p.current;
  const to = p.compared?.to ?? p.current;
  return (
    <div class="revisions">
      <p>
        <a href={`/stories/${p.storyId}`}>Back to “{p.headline}”</a>
      </p>
      <form
        method="get"
        action={`/stories/${p.storyId}/revisions`}
        class="adm-panel adm-toolbar revisions-pick"
      >
        <div class="adm-field">
          <label for="f-from">Compare</label>
          <select id="f-from" name="from">
            {options.map((o) => (
              <option value={String(o)} selected={o === from} key={String(o)}>
                {sideName(o)}
              </option>
            ))}
          </select>
        </div>
        <div class="adm-field">
          <label for="f-to">with</label>
          <select id="f-to" name="to">
            {options.map((o) => (
              <option value={String(o)} selected={o === to} key={String(o)}>
                {sideName(o)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="adm-button">
          Compare
        </button>
      </form>
      {p.compared && <Compared {...p.compared} />}
      {p.hasMine && (
        <section class="adm-panel revisions-mine" aria-label="Your unsaved copy">
          <p>
            You have an unsaved copy, made on revision {p.mineBase}.{' '}
            {p.mineBase !== p.current && `The story is at revision ${p.current} now.`}
          </p>
          <p class="adm-toolbar">
            <a class="adm-button adm-button-quiet" href={`/stories/${p.storyId}?draft=mine`}>
              Continue with my copy on revision {p.current}
            </a>
            <a
              class="adm-button adm-button-quiet"
              href={`/stories/${p.storyId}/revisions?compare=${p.current}..mine`}
            >
              Compare it with revision {p.current}
            </a>
          </p>
          <form method="post" action={`/stories/${p.storyId}/autosave/discard`}>
            <Csrf token={p.csrf} />
            <button type="submit" class="adm-link-button" data-confirm="Throw away your unsaved copy?">
              Discard my copy
            </button>
          </form>
        </section>
      )}
      <div class="adm-table-wrap">
        <table class="adm-table revisions-list">
          <caption class="adm-muted">Every revision, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What changed</th>
              {p.canRestore && <th scope="col">Restore</th>}
            </tr>
          </thead>
          <tbody>
            {p.revisions.map((r) => (
              <tr key={r.revision}>
                <td data-label="Revision">
                  {r.revision}
                  {r.revision === p.current && <span class="adm-badge"> current</span>}
                </td>
                <td data-label="When">
                  <SiteTime at={r.createdAt} zone={p.zone} />
                </td>
                <td data-label="Who">{r.by}</td>
                <td data-label="What changed">{changedText(r.changedFields)}</td>
                {p.canRestore && (
                  <td data-label={r.revision !== p.current ? 'Restore' : undefined}>
                    {r.revision !== p.current && (
                      <form method="post" action={`/stories/${p.storyId}/revisions/${r.revision}/restore`}>
                        <Csrf token={p.csrf} />
                        <input type="hidden" name="base_revision" value={String(p.current)} />
                        <button
                          type="submit"
                          class="adm-button adm-button-quiet"
                          data-confirm={`Bring back revision ${r.revision}? It becomes a new revision; nothing is lost.`}
                        >
                          Restore {r.revision}
                        </button>
                      </form>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

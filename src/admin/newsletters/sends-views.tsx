// The Sends page: a site's recent issues, newest first, with their status and figures; a send on its way
// shows its progress (sent of total, failed, deferred, bounced, unsubscribed, rate, time left and the
// engine's note, e.g. that the SMTP server is unreachable and it waits) with Pause, Resume and Cancel.
// Without JavaScript the Refresh link reloads it; with it, client/progress.ts polls the progress JSON and
// fills the same fields (each marked data-k).
import type { DigestIssue } from '../../newsletters/digests/issues.ts';
import type { SendProgress } from '../../newsletters/sending/engine.ts';
import type { Site } from '../../sites/site.ts';
import { ButtonForm, Csrf } from '../sites/form-parts.tsx';
import { siteTime } from '../stories/times.ts';
import { SendFigures, statusLabel } from './views.tsx';

export interface SendRow {
  issue: DigestIssue;
  listName: string;
  alert: boolean;
  progress: SendProgress | null;
}

export function eta(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${seconds} s`;
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const RUNNING = new Set(['queued', 'sending', 'paused']);

function Progress({ row, csrf }: { row: SendRow; csrf: string }) {
  const p = row.progress!;
  const id = row.issue.id;
  const done = p.sent + p.failed + p.suppressed + p.cancelled;
  return (
    <div class="nl-progress" data-progress-url={`/newsletters/issues/${id}/progress`}>
      <progress max={Math.max(1, p.total)} value={done} aria-label={`Progress of ${row.issue.subject}`} />
      <dl class="adm-kv nl-kv">
        <dt>Status</dt>
        <dd data-k="status">{p.status}</dd>
        <dt>Sent</dt>
        <dd>
          <span data-k="sent">{p.sent}</span> of <span data-k="total">{p.total}</span>
        </dd>
        <dt>Failed</dt>
        <dd data-k="failed">{p.failed}</dd>
        <dt>Deferred</dt>
        <dd data-k="deferred">{p.deferred}</dd>
        <dt>Bounced</dt>
        <dd data-k="bounced">{p.bounced}</dd>
        <dt>Unsubscribed</dt>
        <dd data-k="unsubscribed">{p.unsubscribed}</dd>
        <dt>Rate</dt>
        <dd>
          <span data-k="ratePerSecond">{p.ratePerSecond}</span> per second
        </dd>
        <dt>Time left</dt>
        <dd data-k="eta">{eta(p.etaSeconds)}</dd>
      </dl>
      <p class="nl-note" data-k="note" role="status">
        {p.note ?? ''}
      </p>
      <div class="adm-actions">
        {p.status === 'paused' ? (
          <ButtonForm
            action={`/newsletters/issues/${id}/resume`}
            csrf={csrf}
            label="Resume"
            kind="primary"
            ariaLabel={`Resume: ${row.issue.subject}`}
          />
        ) : (
          <ButtonForm
            action={`/newsletters/issues/${id}/pause`}
            csrf={csrf}
            label="Pause"
            ariaLabel={`Pause: ${row.issue.subject}`}
          />
        )}
        <a
          class="adm-button adm-button-danger adm-button-small"
          href={`/newsletters/issues/${id}/cancel`}
          aria-label={`Cancel: ${row.issue.subject}`}
        >
          Cancel…
        </a>
      </div>
    </div>
  );
}

export function SendsView(p: { site: Site; rows: SendRow[]; csrf: string }) {
  const zone = p.site.timeZone;
  return (
    <>
      <div class="nl-head">
        <a href={`/newsletters/sites/${p.site.id}`}>Newsletters of {p.site.name}</a>
        <a href={`/newsletters/sites/${p.site.id}/sends`}>Refresh</a>
      </div>
      {p.rows.length === 0 ? (
        <p class="adm-panel">Nothing has been sent yet.</p>
      ) : (
        <ol class="nl-sends">
          {p.rows.map((row) => {
            const i = row.issue;
            const at = i.startedAt ?? i.scheduledFor ?? i.updatedAt;
            return (
              <li key={i.id} class="adm-panel" id={`issue-${i.id}`}>
                <h2 class="nl-panel-title">
                  {/* Subjects often start with the list's name already (the composer's default). */}
                  {i.subject.startsWith(row.listName) ? i.subject : `${row.listName}: ${i.subject}`}
                </h2>
                <p class="nl-send-meta">
                  <span class={`adm-badge${i.status === 'sent' ? ' adm-badge-ok' : ''}`}>
                    {statusLabel(i)}
                  </span>{' '}
                  {row.alert ? 'Alert' : 'Digest'} ·{' '}
                  <time dateTime={at.toISOString()}>{siteTime(at, zone)}</time>
                  {i.finishedAt && (
                    <>
                      {' '}
                      – finished{' '}
                      <time dateTime={i.finishedAt.toISOString()}>{siteTime(i.finishedAt, zone)}</time>
                    </>
                  )}
                </p>
                {row.progress && RUNNING.has(i.status) ? (
                  <Progress row={row} csrf={p.csrf} />
                ) : (
                  <>
                    <p class="nl-figures">
                      <SendFigures i={i} />
                      {i.counts.opens + i.counts.clicks > 0 &&
                        ` · ${i.counts.opens} opens · ${i.counts.clicks} clicks`}
                    </p>
                    {i.note && <p class="adm-muted">{i.note}</p>}
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

/** The step before cancelling a send. */
export function CancelConfirm(p: {
  issue: DigestIssue;
  progress: SendProgress;
  siteId: number;
  csrf: string;
}) {
  const left = Math.max(0, p.progress.total - p.progress.sent - p.progress.failed - p.progress.suppressed);
  return (
    <div class="adm-panel adm-narrow">
      <p>
        Cancel “{p.issue.subject}”? {p.progress.sent} of {p.progress.total} are sent; the {left} not yet sent
        will not get it. A cancelled send cannot be resumed.
      </p>
      <form method="post" action={`/newsletters/issues/${p.issue.id}/cancel`} class="adm-actions">
        <Csrf token={p.csrf} />
        <button type="submit" class="adm-button adm-button-danger">
          Cancel the send
        </button>
        <a class="adm-button adm-button-quiet" href={`/newsletters/sites/${p.siteId}/sends`}>
          Keep sending
        </a>
      </form>
    </div>
  );
}

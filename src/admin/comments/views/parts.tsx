// Pieces every moderation screen shares: a comment as a card (its story, author record, why it is held or
// reported, its text, and the actions the moderator may take), labels for reasons and statuses, and the
// hidden fields every form carries (the CSRF token and where to come back to). Plain forms: each action is
// its own POST, so the screens work without JavaScript; the queue's script only adds keys to press.
import type { ComponentChildren } from 'preact';
import type { HoldReason } from '../../../comments/model.ts';
import { siteTime } from '../../stories/times.ts';
import type { AuthorRecord, OpenReport, QueueComment, StoryRef } from '../queries.ts';

export const REJECT_REASONS = [
  { code: 'spam', label: 'Spam' },
  { code: 'abuse', label: 'Abuse' },
  { code: 'off_topic', label: 'Off-topic' },
  { code: 'other', label: 'Other' },
] as const;

const HOLD_LABELS: Record<string, string> = {
  pre_moderation: 'Pre-moderation',
  new_member: 'New member',
  suspect_word: 'Suspect word',
  links: 'Too many links',
  repeated: 'Repeated comment',
  history: 'Recent comments mostly rejected',
  reports: 'Reported',
};

const REPORT_LABELS: Record<string, string> = {
  spam: 'Spam',
  abuse: 'Abuse',
  off_topic: 'Off-topic',
  other: 'Other',
};

export function holdLabel(r: HoldReason): string {
  const label = HOLD_LABELS[r.code] ?? r.code;
  return r.detail ? `${label}: ${r.detail}` : label;
}

export function reasonLabel(code: string | null): string {
  return REJECT_REASONS.find((r) => r.code === code)?.label ?? code ?? '';
}

export function Time({ at, zone }: { at: Date; zone: string }) {
  return <time dateTime={at.toISOString()}>{siteTime(at, zone)}</time>;
}

/** A day on the site's clock ("2 Dec 2026"), for "member since". */
export function Day({ at, zone }: { at: Date; zone: string }) {
  const text = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: zone }).format(at);
  return <time dateTime={at.toISOString()}>{text}</time>;
}

export function Hidden({ csrf, next }: { csrf: string; next?: string }) {
  return (
    <>
      <input type="hidden" name="csrf" value={csrf} />
      {next !== undefined && <input type="hidden" name="next" value={next} />}
    </>
  );
}

/** The text as typed, in paragraphs; Preact escapes it, so markup and links stay visible as text. */
export function CommentText({ body }: { body: string }) {
  const paragraphs = body.split(/\n{2,}/).filter((p) => p.trim() !== '');
  return (
    <div class="mod-text">
      {paragraphs.length === 0 ? (
        <p class="adm-muted">(no text)</p>
      ) : (
        paragraphs.map((p, i) => (
          <p key={i}>
            {p.split('\n').map((line, j) => (
              <>
                {j > 0 && <br />}
                {line}
              </>
            ))}
          </p>
        ))
      )}
    </div>
  );
}

export function StatusBadge({ c }: { c: QueueComment }) {
  if (c.status === 'pending') return <span class="adm-badge adm-badge-warn">Pending</span>;
  if (c.status === 'rejected') return <span class="adm-badge adm-badge-bad">Rejected</span>;
  if (c.status === 'deleted') return <span class="adm-badge">Deleted by author</span>;
  return c.reviewedAt ? (
    <span class="adm-badge adm-badge-ok">Approved</span>
  ) : (
    <span class="adm-badge adm-badge-ok">Published, not reviewed</span>
  );
}

export function AuthorLine({
  a,
  zone,
  siteName,
}: {
  a: AuthorRecord | undefined;
  zone: string;
  siteName: (id: number | null) => string;
}) {
  if (!a) return <p class="mod-author adm-muted">Author unknown (account removed)</p>;
  return (
    <p class="mod-author">
      <a href={`/comments/members/${a.id}`} class="mod-author-name">
        {a.name}
      </a>
      <span>
        member since <Day at={a.memberSince} zone={zone} />
      </span>
      <span>{a.approved} approved</span>
      <span>{a.rejected} rejected</span>
      {a.activeSanctions.map((s, i) => (
        <span class="adm-badge adm-badge-bad" key={i}>
          {s.kind === 'ban' ? 'Banned' : 'Suspended'} ({siteName(s.siteId)})
          {s.endsAt ? (
            <>
              {' '}
              until <Time at={s.endsAt} zone={zone} />
            </>
          ) : null}
        </span>
      ))}
      {a.warnings > 0 && (
        <span class="adm-badge adm-badge-warn">
          {a.warnings} warning{a.warnings === 1 ? '' : 's'}
        </span>
      )}
      <span>
        {a.notes} note{a.notes === 1 ? '' : 's'}
      </span>
    </p>
  );
}

export function Reasons({ c, reports }: { c: QueueComment; reports: OpenReport[] }) {
  const grouped = new Map<string, { n: number; notes: string[] }>();
  for (const r of reports) {
    const g = grouped.get(r.reason) ?? { n: 0, notes: [] };
    g.n++;
    if (r.note) g.notes.push(r.note);
    grouped.set(r.reason, g);
  }
  if (c.holdReasons.length === 0 && grouped.size === 0) return null;
  return (
    <ul class="mod-reasons">
      {c.holdReasons.map((r, i) => (
        <li key={`h${i}`} class="adm-badge adm-badge-warn">
          Held: {holdLabel(r)}
        </li>
      ))}
      {[...grouped].map(([reason, g]) => (
        <li key={reason} class="adm-badge adm-badge-bad">
          Reported {REPORT_LABELS[reason] ?? reason}
          {g.n > 1 ? ` ×${g.n}` : ''}
          {g.notes.length > 0 ? `: “${g.notes.join('”, “')}”` : ''}
        </li>
      ))}
    </ul>
  );
}

export function StoryLine({
  s,
  origin,
  commentId,
  siteLabel,
}: {
  s: StoryRef | undefined;
  origin: string;
  commentId: number;
  siteLabel?: string;
}) {
  if (!s) return <p class="mod-story adm-muted">Story removed</p>;
  return (
    <p class="mod-story">
      {s.path && s.status === 'published' ? (
        <a href={`${origin}${s.path}`} class="mod-headline">
          {s.headline}
        </a>
      ) : (
        <span class="mod-headline">
          {s.headline} <span class="adm-badge">{s.status === 'taken_down' ? 'Taken down' : 'Not live'}</span>
        </span>
      )}
      {siteLabel && <span class="adm-muted"> · {siteLabel}</span>}
      <span class="mod-links">
        {s.path && s.status === 'published' && (
          <>
            <a href={`${origin}${s.path}#comments`}>Thread on the site</a>
            <a href={`${origin}/comments/${commentId}`}>In context</a>
          </>
        )}
        <a href={`/comments/threads/${s.siteId}/${s.articleId}`}>Moderate thread</a>
      </span>
    </p>
  );
}

/** Reject with a reason code and an optional note to the author, folded away until asked for. */
export function RejectForm({ id, csrf, next }: { id: number; csrf: string; next: string }) {
  return (
    <details class="mod-reject">
      <summary class="adm-button adm-button-quiet">Reject…</summary>
      <form method="post" action={`/comments/${id}/reject`} class="mod-reject-form">
        <Hidden csrf={csrf} next={next} />
        <div class="adm-field">
          <label for={`reason-${id}`}>Reason</label>
          <select id={`reason-${id}`} name="reason" class="mod-reason-select">
            {REJECT_REASONS.map((r) => (
              <option value={r.code} key={r.code}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div class="adm-field">
          <label for={`note-${id}`}>Note to the author (optional)</label>
          <textarea id={`note-${id}`} name="note" rows={2} maxLength={1000} />
        </div>
        <button type="submit" class="adm-button adm-button-danger" data-key="reject">
          Reject
        </button>
      </form>
    </details>
  );
}

export function ActionButton(p: {
  action: string;
  csrf: string;
  next: string;
  label: string;
  quiet?: boolean;
  dataKey?: string;
  fields?: Record<string, string>;
}) {
  return (
    <form method="post" action={p.action} class="mod-inline">
      <Hidden csrf={p.csrf} next={p.next} />
      {Object.entries(p.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} key={k} />
      ))}
      <button
        type="submit"
        class={p.quiet ? 'adm-button adm-button-quiet' : 'adm-button'}
        data-key={p.dataKey}
      >
        {p.label}
      </button>
    </form>
  );
}

export interface CardContext {
  csrf: string;
  next: string;
  zone: (siteId: number) => string;
  origin: (siteId: number) => string;
  siteName: (siteId: number | null) => string;
  showSite: boolean;
  /** The form id of the bulk form, when the card has a checkbox for it. */
  bulkForm?: string;
}

/** One comment with everything a moderator needs to decide on it, and the actions. */
export function CommentCard(p: {
  c: QueueComment;
  author: AuthorRecord | undefined;
  /** Null: the card sits in its story's own view and does not repeat it. */
  story: StoryRef | undefined | null;
  reports: OpenReport[];
  k: CardContext;
  children?: ComponentChildren;
  /** In a thread view: replies are indented, and comments readers do not see are marked. */
  depth?: number;
  /** On the comment's own page: no link to it. */
  onItsPage?: boolean;
}) {
  const { c, k } = p;
  const zone = k.zone(c.siteId);
  return (
    <article
      class={`mod-item${p.depth === undefined ? '' : ` mod-depth-${Math.min(p.depth, 3)}${c.status === 'published' ? '' : ' mod-hidden'}`}`}
      id={`c-${c.id}`}
      tabIndex={-1}
      data-comment={String(c.id)}
    >
      <header class="mod-item-head">
        {k.bulkForm && (
          <label class="mod-pick">
            <input type="checkbox" name="ids" value={String(c.id)} form={k.bulkForm} />
            <span class="mod-sr">Select comment {c.id}</span>
          </label>
        )}
        <div class="mod-item-meta">
          {p.story !== null && (
            <StoryLine
              s={p.story}
              origin={k.origin(c.siteId)}
              commentId={c.id}
              siteLabel={k.showSite ? k.siteName(c.siteId) : undefined}
            />
          )}
          <AuthorLine a={p.author} zone={zone} siteName={k.siteName} />
        </div>
      </header>
      <Reasons c={c} reports={p.reports} />
      <CommentText body={c.body} />
      {c.moderatorNote && <p class="mod-note">Moderator: {c.moderatorNote}</p>}
      <p class="mod-when adm-muted">
        <StatusBadge c={c} /> {c.featuredAt && <span class="adm-badge adm-badge-ok">Featured</span>} Posted{' '}
        <Time at={c.createdAt} zone={zone} />
        {c.editedAt && ' · edited'} · +{c.up} / −{c.down}
        {c.status === 'rejected' && c.rejectReason && ` · rejected: ${reasonLabel(c.rejectReason)}`}
        {!p.onItsPage && (
          <>
            {' · '}
            <a href={`/comments/${c.id}`}>Details, edit</a>
          </>
        )}
      </p>
      <div class="mod-actions">
        {c.status !== 'deleted' && !(c.status === 'published' && c.reviewedAt) && (
          <ActionButton
            action={`/comments/${c.id}/approve`}
            csrf={k.csrf}
            next={k.next}
            label="Approve"
            dataKey="approve"
          />
        )}
        {c.status !== 'deleted' && c.status !== 'rejected' && (
          <RejectForm id={c.id} csrf={k.csrf} next={k.next} />
        )}
        {c.status === 'published' && (
          <ActionButton
            action={`/comments/${c.id}/feature`}
            csrf={k.csrf}
            next={k.next}
            quiet
            label={c.featuredAt ? 'Unfeature' : 'Feature'}
            fields={{ on: c.featuredAt ? '0' : '1' }}
          />
        )}
        {c.reportCount > 0 && (
          <ActionButton
            action={`/comments/${c.id}/dismiss-reports`}
            csrf={k.csrf}
            next={k.next}
            quiet
            label="Dismiss reports"
          />
        )}
        {p.children}
      </div>
    </article>
  );
}

/** The keys' help line: hidden until the script that makes the keys work shows it. */
export function KeysHelp() {
  return (
    <p class="mod-keys" id="mod-keys" hidden>
      Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>a</kbd> approve · <kbd>r</kbd> reject ·{' '}
      <kbd>x</kbd> select · <kbd>o</kbd> open details
    </p>
  );
}

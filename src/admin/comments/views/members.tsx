// The members screens: search by name or email (/comments/members), and one member's page with their record
// (counts, sanctions with Lift, notes), the forms to warn, suspend for a time, ban from a site or the network
// (optionally rejecting what they wrote) and add a note, and their comments with each decision.
import type { MemberHistory, Sanction } from '../../../comments/model.ts';
import type { MemberHit } from '../member-queries.ts';
import type { AuthorRecord, QueueComment } from '../queries.ts';
import { Day, Hidden, reasonLabel, StatusBadge, Time } from './parts.tsx';

export function MemberSearch({
  q,
  hits,
  records,
  zone,
}: {
  q: string;
  hits: MemberHit[];
  records: Map<number, AuthorRecord>;
  zone: string;
}) {
  return (
    <>
      <form
        method="get"
        action="/comments/members"
        class="adm-toolbar"
        role="search"
        aria-label="Find a member"
      >
        <div class="adm-field">
          <label for="m-q">Name or email</label>
          <input id="m-q" name="q" type="search" value={q} maxLength={100} />
        </div>
        <button type="submit" class="adm-button">
          Search
        </button>
      </form>
      {q && hits.length === 0 && <p class="adm-panel">No member's name or email contains “{q}”.</p>}
      {hits.length > 0 && (
        <div class="adm-table-wrap">
          <table class="adm-table mod-members">
            <caption class="adm-muted">Members matching “{q}”, newest accounts first</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Email</th>
                <th scope="col">Since</th>
                <th scope="col">Comments</th>
              </tr>
            </thead>
            <tbody>
              {hits.map((h) => {
                const r = records.get(h.id);
                return (
                  <tr key={h.id}>
                    <td data-label="Member">
                      <a href={`/comments/members/${h.id}`}>{h.name}</a>
                      {r?.activeSanctions.length ? (
                        <span class="adm-badge adm-badge-bad"> sanctioned</span>
                      ) : null}
                    </td>
                    <td data-label="Email" class="mod-break">
                      {h.email ?? '—'}
                    </td>
                    <td data-label="Since">
                      <Day at={h.memberSince} zone={zone} />
                    </td>
                    <td data-label="Comments">
                      {r ? `${r.approved} approved · ${r.rejected} rejected` : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export interface MemberPageProps {
  m: MemberHit;
  history: MemberHistory;
  names: Map<number, string>;
  comments: QueueComment[];
  nextHref: string | null;
  csrf: string;
  zone: string;
  /** Sites the moderator may sanction on; network when they moderate network-wide. */
  sites: { id: number; name: string }[];
  canNetwork: boolean;
  siteName: (id: number | null) => string;
  mayLift: (s: Sanction) => boolean;
  now: Date;
}

const KIND_LABEL = { warning: 'Warning', suspension: 'Suspension', ban: 'Ban' } as const;

export function MemberPage(p: MemberPageProps) {
  const next = `/comments/members/${p.m.id}`;
  const active = (s: Sanction) => !s.liftedAt && (!s.endsAt || s.endsAt > p.now);
  const by = (id: number | null) => (id === null ? 'someone' : (p.names.get(id) ?? `staff ${id}`));
  const c = p.history.counts;
  return (
    <>
      <section class="adm-panel mod-panel" aria-labelledby="who-h">
        <h2 id="who-h">{p.m.name}</h2>
        <p>
          {p.m.email ?? 'No email'} · member since <Day at={p.m.memberSince} zone={p.zone} />
          {p.m.status !== 'active' && <span class="adm-badge"> {p.m.status}</span>}
        </p>
        <p>
          {c.approved} approved · {c.published} published · {c.pending} pending · {c.rejected} rejected ·{' '}
          {c.deleted} deleted by them
        </p>
      </section>

      <section class="adm-panel mod-panel" aria-labelledby="sanctions-h">
        <h2 id="sanctions-h">Warnings, suspensions and bans</h2>
        {p.history.sanctions.length === 0 ? (
          <p class="adm-muted">None.</p>
        ) : (
          <ul class="mod-sanctions">
            {p.history.sanctions.map((s) => (
              <li key={s.id}>
                <span class={active(s) && s.kind !== 'warning' ? 'adm-badge adm-badge-bad' : 'adm-badge'}>
                  {KIND_LABEL[s.kind]}
                </span>{' '}
                on {p.siteName(s.siteId)} by {by(s.createdBy)}, <Time at={s.createdAt} zone={p.zone} />
                {s.endsAt && (
                  <>
                    {' '}
                    until <Time at={s.endsAt} zone={p.zone} />
                  </>
                )}
                {s.kind === 'ban' && !s.endsAt && ', permanent'}
                {s.liftedAt && (
                  <>
                    {' '}
                    · lifted by {by(s.liftedBy)}, <Time at={s.liftedAt} zone={p.zone} />
                  </>
                )}
                {s.message && <q class="mod-quote">{s.message}</q>}
                {active(s) && s.kind !== 'warning' && p.mayLift(s) && (
                  <form method="post" action={`/comments/sanctions/${s.id}/lift`} class="mod-inline">
                    <Hidden csrf={p.csrf} next={next} />
                    <button type="submit" class="adm-button adm-button-quiet">
                      Lift
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        <details class="mod-sanction-form">
          <summary class="adm-button adm-button-quiet">Warn, suspend or ban…</summary>
          <form method="post" action={`/comments/members/${p.m.id}/sanctions`}>
            <Hidden csrf={p.csrf} next={next} />
            <fieldset class="mod-choices">
              <legend>What</legend>
              <label>
                <input type="radio" name="kind" value="warning" checked /> Warn
              </label>
              <label>
                <input type="radio" name="kind" value="suspension" /> Suspend for a time
              </label>
              <label>
                <input type="radio" name="kind" value="ban" /> Ban
              </label>
            </fieldset>
            <div class="adm-field">
              <label for="s-where">Where</label>
              <select id="s-where" name="where">
                {p.sites.map((s) => (
                  <option value={String(s.id)} key={s.id}>
                    {s.name}
                  </option>
                ))}
                {p.canNetwork && <option value="network">Every site of the network</option>}
              </select>
            </div>
            <div class="adm-field">
              <label for="s-days">Days</label>
              <p class="adm-hint" id="s-days-hint">
                A suspension needs it (1 to 365). A ban without it is permanent.
              </p>
              <input id="s-days" name="days" inputMode="numeric" aria-describedby="s-days-hint" />
            </div>
            <div class="adm-field">
              <label for="s-message">Message to the member</label>
              <p class="adm-hint" id="s-message-hint">
                Mailed to them, and shown when they try to comment.
              </p>
              <textarea
                id="s-message"
                name="message"
                rows={3}
                maxLength={1000}
                aria-describedby="s-message-hint"
              />
            </div>
            <label class="mod-check">
              <input type="checkbox" name="rejectExisting" value="1" /> Also reject their published and
              pending comments there
            </label>
            <button type="submit" class="adm-button adm-button-danger">
              Apply
            </button>
          </form>
        </details>
      </section>

      <section class="adm-panel mod-panel" aria-labelledby="notes-h">
        <h2 id="notes-h">Moderators' notes</h2>
        <p class="adm-hint">Seen by staff only.</p>
        {p.history.notes.length === 0 ? (
          <p class="adm-muted">No notes.</p>
        ) : (
          <ul class="mod-notes">
            {p.history.notes.map((n) => (
              <li key={n.id}>
                <p>{n.body}</p>
                <p class="adm-muted">
                  {by(n.authorId)}, <Time at={n.createdAt} zone={p.zone} />
                </p>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={`/comments/members/${p.m.id}/notes`}>
          <Hidden csrf={p.csrf} next={next} />
          <div class="adm-field">
            <label for="n-body">New note</label>
            <textarea id="n-body" name="body" rows={2} maxLength={2000} required />
          </div>
          <button type="submit" class="adm-button">
            Add the note
          </button>
        </form>
      </section>

      <section class="adm-panel mod-panel" aria-labelledby="comments-h">
        <h2 id="comments-h">Comments and decisions</h2>
        {p.comments.length === 0 ? (
          <p class="adm-muted">No comments on the sites you moderate.</p>
        ) : (
          <ul class="mod-recent">
            {p.comments.map((x) => (
              <li key={x.id}>
                <StatusBadge c={x} /> <Time at={x.createdAt} zone={p.zone} /> · {p.siteName(x.siteId)}
                {x.status === 'rejected' && x.rejectReason && ` · rejected as ${reasonLabel(x.rejectReason)}`}
                {x.reviewedAt && (
                  <>
                    {' '}
                    · decided by {by(x.reviewedBy)}, <Time at={x.reviewedAt} zone={p.zone} />
                  </>
                )}{' '}
                <a href={`/comments/${x.id}`}>
                  {x.body.length > 160 ? `${x.body.slice(0, 160)}…` : x.body || '(no text)'}
                </a>
              </li>
            ))}
          </ul>
        )}
        {p.nextHref && (
          <nav class="adm-pager" aria-label="More comments">
            <a href={p.nextHref} rel="next">
              Older comments
            </a>
          </nav>
        )}
      </section>
    </>
  );
}

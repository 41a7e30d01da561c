// The Newsletters screen's list and form: a site's newsletters (kind, schedule in words on the site's clock,
// next issue, confirmed subscribers, the last send and its figures), the sites to choose from when several
// are in view, and the create/edit form with every setting of a list. A refused form comes back as typed,
// with the service's problem beside the field it names (where.field) and the error's code above.
import type { DatelineError } from '../../errors/catalogue.ts';
import type { DigestIssue } from '../../newsletters/digests/issues.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import { scheduleInWords } from '../../newsletters/signup/schedule-words.ts';
import { DIGEST_TEMPLATES } from '../../newsletters/templates/digest.ts';
import type { Section } from '../../sections/section.ts';
import type { Site } from '../../sites/site.ts';
import { Choice, ChoiceGroup, Csrf, RefusedPanel, SelectField, TextAreaField } from '../sites/form-parts.tsx';
import { siteTime } from '../stories/times.ts';
import { Field } from '../views/layout.tsx';
import { DEFAULT_SECTION_COUNT, type NewsletterForm } from './form.ts';

export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const TEMPLATE_LABELS: Record<string, string> = {
  standard: 'Standard: pictures beside every story',
  compact: 'Compact: headlines and one line each',
};

export interface ListRow {
  n: Newsletter;
  confirmed: number;
  last: DigestIssue | null;
}

export function statusLabel(i: DigestIssue): string {
  return (
    {
      draft: 'Next issue',
      queued: 'Queued',
      sending: 'Sending',
      paused: 'Paused',
      sent: 'Sent',
      cancelled: 'Cancelled',
    } as const
  )[i.status];
}

export function SendFigures({ i }: { i: DigestIssue }) {
  const c = i.counts;
  return (
    <span>
      {c.sent} of {c.recipients} sent · {c.failed} failed · {c.bounced} bounced · {c.unsubscribed}{' '}
      unsubscribed
    </span>
  );
}

function LastSend({ i, zone }: { i: DigestIssue | null; zone: string }) {
  if (!i) return <span class="adm-muted">Not sent yet</span>;
  const at = i.finishedAt ?? i.startedAt ?? i.updatedAt;
  return (
    <>
      <span class={`adm-badge${i.status === 'sent' ? ' adm-badge-ok' : ''}`}>{statusLabel(i)}</span>{' '}
      <time dateTime={at.toISOString()}>{siteTime(at, zone)}</time>
      <br />
      <span class="nl-figures">
        <SendFigures i={i} />
      </span>
    </>
  );
}

export function NewsletterList(p: { site: Site; rows: ListRow[]; manySites: boolean }) {
  const zone = p.site.timeZone;
  return (
    <>
      <div class="nl-head">
        {p.manySites && <a href="/newsletters">All sites</a>}
        <a href={`/newsletters/sites/${p.site.id}/sends`}>Sends of {p.site.name}</a>
        <a class="adm-button" href={`/newsletters/sites/${p.site.id}/new`}>
          New newsletter
        </a>
      </div>
      {p.rows.length === 0 ? (
        <p class="adm-panel">
          {p.site.name} has no newsletters yet. Readers find the ones you add at /newsletters on the site.
        </p>
      ) : (
        <div class="adm-table-wrap">
          <table class="adm-table adm-table-stack nl-table">
            <thead>
              <tr>
                <th scope="col">Newsletter</th>
                <th scope="col">Sent</th>
                <th scope="col">Next issue</th>
                <th scope="col" class="adm-num">
                  Subscribers
                </th>
                <th scope="col">Last send</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map(({ n, confirmed, last }) => (
                <tr key={n.id}>
                  <th scope="row">
                    <a href={`/newsletters/${n.id}/edit`}>{n.name}</a>{' '}
                    <span class="adm-badge">{n.kind === 'alerts' ? 'Alerts' : 'Digest'}</span>
                    {!n.active && <span class="adm-badge adm-badge-bad">Paused</span>}
                    <br />
                    <span class="adm-muted nl-slug">{n.slug}</span>
                  </th>
                  <td data-label="Sent">
                    {n.kind === 'alerts'
                      ? 'When news breaks'
                      : n.schedule
                        ? scheduleInWords(n.schedule, zone)
                        : 'No schedule'}
                  </td>
                  <td data-label="Next issue">
                    {n.kind === 'digest' ? (
                      <>
                        {n.active && n.nextIssueAt ? (
                          <time dateTime={n.nextIssueAt.toISOString()}>{siteTime(n.nextIssueAt, zone)}</time>
                        ) : (
                          <span class="adm-muted">Not scheduled</span>
                        )}
                        <br />
                        <a href={`/newsletters/${n.id}/next`}>Open the next issue</a>
                      </>
                    ) : (
                      <span class="adm-muted">Sent with each urgent story</span>
                    )}
                  </td>
                  <td data-label="Subscribers" class="adm-num">
                    {confirmed.toLocaleString('en-GB')}
                  </td>
                  <td data-label="Last send">
                    <LastSend i={last} zone={zone} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function NewsletterSites(p: { sites: { site: Site; count: number }[] }) {
  return (
    <ul class="nl-sites">
      {p.sites.map(({ site, count }) => (
        <li key={site.id} class="adm-panel">
          <h2 class="nl-panel-title">
            <a href={`/newsletters/sites/${site.id}`}>{site.name}</a>
          </h2>
          <p class="nl-site-line">
            {count === 0 ? 'No newsletters yet.' : `${count} ${count === 1 ? 'newsletter' : 'newsletters'}.`}
          </p>
        </li>
      ))}
    </ul>
  );
}

export interface FormScreen {
  site: Site;
  sections: Section[];
  form: NewsletterForm;
  /** Null when creating. */
  newsletterId: number | null;
  csrf: string;
  error: DatelineError | null;
}

export function NewsletterFormView({ s }: { s: FormScreen }) {
  const f = s.form;
  const field = typeof s.error?.where?.field === 'string' ? s.error.where.field : null;
  const problem = (name: string) => (field === name ? s.error!.message : undefined);
  const action = s.newsletterId
    ? `/newsletters/${s.newsletterId}/edit`
    : `/newsletters/sites/${s.site.id}/new`;
  const digest = f.kind === 'digest';
  const chosen = new Map(f.sections.map((x) => [x.sectionId, x.count]));
  return (
    <>
      <div class="nl-head">
        <a href={`/newsletters/sites/${s.site.id}`}>Newsletters of {s.site.name}</a>
        {s.newsletterId && digest && <a href={`/newsletters/${s.newsletterId}/next`}>Open the next issue</a>}
      </div>
      <RefusedPanel error={s.error} />
      <form method="post" action={action} class="adm-panel nl-form" novalidate>
        <Csrf token={s.csrf} />
        {s.newsletterId === null ? (
          <ChoiceGroup legend="Kind" id="f-kind" problem={problem('kind')}>
            <Choice
              type="radio"
              name="kind"
              value="digest"
              id="f-kind-digest"
              label="Digest: stories on a schedule"
              checked={digest}
            />
            <Choice
              type="radio"
              name="kind"
              value="alerts"
              id="f-kind-alerts"
              label="Breaking news alerts (one per site)"
              checked={!digest}
            />
          </ChoiceGroup>
        ) : (
          <p class="adm-hint">
            {digest ? 'A digest, sent on its schedule.' : 'The site’s breaking-news alerts.'}
          </p>
        )}
        <div class="adm-form-grid">
          <Field name="name" label="Name" value={f.name} problem={problem('name')} />
          <Field
            name="slug"
            label="Slug"
            value={f.slug}
            hint="Lower-case letters, digits and hyphens, e.g. morning-briefing."
            problem={problem('slug')}
          />
          <div class="adm-wide">
            <TextAreaField
              name="description"
              label="Description"
              value={f.description}
              hint="What readers get, on the signup page (up to 400 characters)."
              problem={problem('description')}
            />
          </div>
          <Field name="senderName" label="Sender name" value={f.senderName} problem={problem('senderName')} />
          <Field
            name="senderEmail"
            label="Sender address"
            type="email"
            value={f.senderEmail}
            autocomplete="off"
            problem={problem('senderEmail')}
          />
          <Field
            name="replyTo"
            label="Reply-to address (optional)"
            type="email"
            value={f.replyTo}
            autocomplete="off"
            problem={problem('replyTo')}
          />
          <SelectField
            name="template"
            label="Template"
            value={f.template}
            options={DIGEST_TEMPLATES.map((t) => ({ value: t, label: TEMPLATE_LABELS[t] ?? t }))}
            problem={problem('template')}
          />
        </div>
        {digest && (
          <>
            <ChoiceGroup
              legend="Schedule"
              id="f-schedule"
              hint={`Days and time on the site’s clock (${s.site.timeZone}).`}
              problem={problem('schedule')}
            >
              <div class="nl-days">
                {DAY_NAMES.map((d, i) => (
                  <Choice
                    key={d}
                    type="checkbox"
                    name="day"
                    value={String(i + 1)}
                    id={`f-day-${i + 1}`}
                    label={d}
                    checked={f.days.includes(i + 1)}
                  />
                ))}
              </div>
              <div class="adm-field nl-time">
                <label for="f-time">Time (HH:MM, 24-hour)</label>
                <input id="f-time" name="time" type="text" inputMode="numeric" value={f.time} />
              </div>
            </ChoiceGroup>
            <ChoiceGroup
              legend="What each issue carries"
              id="f-composition"
              hint="The top stories first, then a block for each ticked section."
              problem={problem('composition')}
            >
              <div class="adm-field nl-count">
                <label for="f-topCount">Top stories (0–20)</label>
                <input id="f-topCount" name="topCount" type="text" inputMode="numeric" value={f.topCount} />
              </div>
              <ul class="nl-sections">
                {s.sections.map((sec) => (
                  <li key={sec.id}>
                    <Choice
                      type="checkbox"
                      name="section"
                      value={String(sec.id)}
                      id={`f-section-${sec.id}`}
                      label={sec.name}
                      checked={chosen.has(sec.id)}
                    />
                    <label class="nl-section-count" for={`f-count-${sec.id}`}>
                      <span>Stories</span>
                      <input
                        id={`f-count-${sec.id}`}
                        name={`count-${sec.id}`}
                        type="text"
                        inputMode="numeric"
                        value={chosen.get(sec.id) ?? DEFAULT_SECTION_COUNT}
                        aria-label={`Stories from ${sec.name}`}
                      />
                    </label>
                  </li>
                ))}
              </ul>
            </ChoiceGroup>
          </>
        )}
        <ChoiceGroup legend="Options" id="f-options">
          <Choice
            type="checkbox"
            name="active"
            value="on"
            id="f-active"
            label="Active: offered to readers and sent"
            checked={f.active}
          />
          <Choice
            type="checkbox"
            name="articleBox"
            value="on"
            id="f-articleBox"
            label="Offer it in the box at the end of every story (one newsletter per site)"
            checked={f.articleBox}
          />
          <Choice
            type="checkbox"
            name="trackEngagement"
            value="on"
            id="f-trackEngagement"
            label="Count opens and clicks"
            checked={f.trackEngagement}
          />
          <p class="adm-hint">
            Off unless ticked. When on, the site counts opens and clicks per issue itself (a pixel and a
            redirect on the site’s own host, no one else’s), never per reader, and the signup page says so.
          </p>
        </ChoiceGroup>
        <button type="submit" class="adm-button">
          {s.newsletterId ? 'Save newsletter' : 'Add newsletter'}
        </button>
      </form>
    </>
  );
}

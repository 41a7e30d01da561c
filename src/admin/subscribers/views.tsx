// The Subscribers and Suppression list screens: the lists of the sites in view with their counts; one list's
// subscribers (search by address, filter by status, 50 to a page, export as CSV, import a CSV, remove one
// with a confirming button); what an import did, line by line; and the network's suppression list with
// its reason and time, searched, added to with a note, and removed from. Every form works without script.
import type { DatelineError } from '../../errors/catalogue.ts';
import type { Suppression } from '../../newsletters/feedback/suppressions.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import type { SubscriptionStatus, SuppressionReason } from '../../newsletters/tables.ts';
import type { Site } from '../../sites/site.ts';
import { ButtonForm, Csrf, RefusedPanel, SelectField } from '../sites/form-parts.tsx';
import { Field } from '../views/layout.tsx';
import { IMPORT_MAX_ROWS, type ImportReport } from './import.ts';
import { SUBSCRIBER_STATES, type SubscriberRow, type SubscriberState } from './queries.ts';

export const SUBSCRIBERS_CSS = `
.adm-rows-list{list-style:none;padding:0;margin:0}
.adm-rows-list>li{padding:.55rem 0;border-bottom:1px solid var(--line)}
.adm-rows-list>li:last-child{border-bottom:0}
.adm-rows-list .adm-badge{margin-left:.5rem}
.adm-subs-lines tbody th{white-space:nowrap}
.adm-subs td,.adm-subs th[scope=row]{font-size:.92rem;overflow-wrap:anywhere}
.adm-subs time{white-space:nowrap}
.adm-subs td.adm-subs-act{overflow-wrap:normal;white-space:nowrap;text-align:right}
.adm-subs-search{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}
.adm-subs-search .adm-field{flex:1 1 14rem;margin-bottom:.6rem}
.adm-subs-search .adm-actions{margin-bottom:.9rem}
.adm-subs-counts{display:flex;flex-wrap:wrap;gap:.3rem .8rem;margin:.3rem 0 0;padding:0;list-style:none}
.adm-subs-tools{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem;margin-top:1rem}
.adm-subs-tools .adm-panel{margin:0}
.adm-subs-tools:first-child{margin:0 0 1rem}
.adm-subs-tools .adm-refused-code code{overflow-wrap:anywhere}
.adm-subs-file{display:block;margin:.4rem 0 .8rem;max-width:100%}
.adm-import-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(7.5rem,1fr));gap:.5rem;margin:0 0 1rem;padding:0;list-style:none}
.adm-import-figures li{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem}
.adm-import-figures strong{display:block;font-size:1.4rem}
`;

const formats = new Map<string, Intl.DateTimeFormat>();

/** "3 Dec 2026, 07:30" on the site's clock; the zone is named once, above the table, not in every cell. */
function shortTime(at: Date, timeZone: string): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f.format(at);
}

function zoneName(timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'long' })
    .formatToParts(new Date())
    .find((x) => x.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

const STATE_LABEL: Record<SubscriberState, string> = {
  pending: 'Pending confirmation',
  confirmed: 'Confirmed',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
};
const STATE_BADGE: Record<SubscriberState, string> = {
  pending: 'adm-badge adm-badge-warn',
  confirmed: 'adm-badge adm-badge-ok',
  unsubscribed: 'adm-badge',
  bounced: 'adm-badge adm-badge-bad',
};
const SOURCE_LABEL: Record<string, string> = {
  form: 'Signup form',
  account: 'Reader account',
  social: 'Social sign-up',
  import: 'Import',
  admin: 'Admin',
};
export const REASON_LABEL: Record<SuppressionReason, string> = {
  hard_bounce: 'Hard bounce',
  complaint: 'Complaint',
  soft_bounces: 'Soft bounces',
  manual: 'Added by hand',
};

export interface ListSummary {
  site: Site;
  lists: { list: Newsletter; counts: Record<SubscriptionStatus, number> }[];
}

export function ListsOverview(p: { sites: ListSummary[] }) {
  if (p.sites.every((s) => s.lists.length === 0))
    return (
      <p class="adm-panel">No newsletters yet: a site’s newsletters and alert list appear here once made.</p>
    );
  return (
    <>
      {p.sites.map((s) => (
        <section class="adm-panel" aria-labelledby={`subs-site-${s.site.id}`} key={s.site.id}>
          <h2 id={`subs-site-${s.site.id}`}>{s.site.name}</h2>
          {s.lists.length === 0 ? (
            <p class="adm-muted">No newsletters on this site.</p>
          ) : (
            <ul class="adm-rows-list">
              {s.lists.map(({ list, counts }) => (
                <li key={list.id}>
                  <a href={`/subscribers/${list.id}`}>{list.name}</a>
                  {list.kind === 'alerts' && <span class="adm-badge">Alerts</span>}
                  {!list.active && <span class="adm-badge">Not offered</span>}
                  <ul class="adm-subs-counts adm-muted">
                    <li>{counts.active} confirmed</li>
                    <li>{counts.pending} pending</li>
                    <li>{counts.unsubscribed} unsubscribed</li>
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

export interface ListPageProps {
  list: Newsletter;
  site: Site;
  csrf: string;
  rows: SubscriberRow[];
  total: number;
  query: string;
  state: SubscriberState | null;
  exportHref: string;
  newerHref: string | null;
  olderHref: string | null;
  importError?: DatelineError | null;
}

function when(at: Date | null, timeZone: string) {
  return at ? (
    <time dateTime={at.toISOString()}>{shortTime(at, timeZone)}</time>
  ) : (
    <span class="adm-muted">—</span>
  );
}

export function SubscriberList(p: ListPageProps) {
  const tz = p.site.timeZone;
  // A refused import comes back with its form first, where the problem is seen without scrolling.
  const tools = (
    <div class="adm-subs-tools">
      <section class="adm-panel" aria-labelledby="subs-export">
        <h2 id="subs-export">Export</h2>
        <p>
          A CSV file of{' '}
          {p.query || p.state ? 'the subscribers matching the search' : 'every subscriber of this list'}:
          email, name, status, source, signed up, confirmed and unsubscribed times (UTC).
        </p>
        <a class="adm-button adm-button-quiet" href={p.exportHref} download>
          Download CSV
        </a>
      </section>
      <ImportForm list={p.list} csrf={p.csrf} error={p.importError} />
    </div>
  );
  return (
    <>
      {p.importError && tools}
      <p class="adm-hint">
        {p.site.name} · {p.total} {p.total === 1 ? 'subscriber matches' : 'subscribers match'}. Times are in{' '}
        {zoneName(tz)}. Bounced: the address is on the suppression list and gets no mail, whatever its
        subscription says.
      </p>
      <form
        method="get"
        action={`/subscribers/${p.list.id}`}
        class="adm-panel adm-subs-search"
        aria-label="Search"
      >
        <Field name="q" label="Address contains" value={p.query} type="search" />
        <SelectField
          name="state"
          label="Status"
          value={p.state ?? ''}
          options={[
            { value: '', label: 'Any' },
            ...SUBSCRIBER_STATES.map((s) => ({ value: s, label: STATE_LABEL[s] })),
          ]}
        />
        <div class="adm-actions">
          <button type="submit" class="adm-button">
            Search
          </button>
          <a href={`/subscribers/${p.list.id}`} class="adm-button adm-button-quiet">
            Clear
          </a>
        </div>
      </form>
      {p.rows.length === 0 ? (
        <p class="adm-panel">No subscriber matches.</p>
      ) : (
        <div class="adm-table-wrap">
          <table class="adm-table adm-table-stack adm-subs">
            <caption class="adm-visually-hidden">Subscribers of {p.list.name}, newest signup first</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Status</th>
                <th scope="col">Source</th>
                <th scope="col">Signed up</th>
                <th scope="col">Confirmed</th>
                <th scope="col">
                  <span class="adm-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr key={r.subscriptionId}>
                  <th scope="row">
                    {r.email}
                    {r.name && <div class="adm-muted">{r.name}</div>}
                  </th>
                  <td data-label="Status">
                    <span class={STATE_BADGE[r.state]}>{STATE_LABEL[r.state]}</span>
                    {r.suppression && <div class="adm-muted">{REASON_LABEL[r.suppression]}</div>}
                  </td>
                  <td data-label="Source">{SOURCE_LABEL[r.source] ?? r.source}</td>
                  <td data-label="Signed up">{when(r.signedUpAt, tz)}</td>
                  <td data-label="Confirmed">
                    {r.state === 'unsubscribed' ? (
                      <>Left {when(r.unsubscribedAt, tz)}</>
                    ) : (
                      when(r.confirmedAt, tz)
                    )}
                  </td>
                  <td class="adm-subs-act">
                    <ButtonForm
                      action={`/subscribers/${p.list.id}/remove`}
                      csrf={p.csrf}
                      fields={{ subscription: String(r.subscriptionId) }}
                      label="Remove"
                      ariaLabel={`Remove ${r.email} from ${p.list.name}`}
                      kind="danger"
                      confirm={`Remove ${r.email} from ${p.list.name}? Its subscription and consent record are deleted; to stop all mail to the address, add it to the suppression list instead.`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="adm-pager" aria-label="Pages of subscribers">
        {p.newerHref ? <a href={p.newerHref}>← Newer</a> : <span class="adm-muted">← Newer</span>}
        {p.olderHref ? <a href={p.olderHref}>Older →</a> : <span class="adm-muted">Older →</span>}
      </nav>
      {!p.importError && tools}
    </>
  );
}

export function ImportForm(p: { list: Newsletter; csrf: string; error?: DatelineError | null }) {
  return (
    <form
      method="post"
      action={`/subscribers/${p.list.id}/import`}
      enctype="multipart/form-data"
      class="adm-panel"
      aria-labelledby="subs-import"
    >
      <h2 id="subs-import">Import</h2>
      <RefusedPanel error={p.error} />
      <Csrf token={p.csrf} />
      <p class="adm-hint" id="subs-import-hint">
        A CSV file (UTF-8, up to 5 MB and {IMPORT_MAX_ROWS.toLocaleString('en')} rows) whose first line is{' '}
        <code>email,consent</code> (a <code>name</code> column may follow). Consent <code>yes</code>: they
        agreed to receive this newsletter, and you vouch for it; they are confirmed at once. Consent{' '}
        <code>no</code>: they are sent a confirmation mail and get nothing else until they confirm. Suppressed
        addresses and addresses already on the list are left alone.
      </p>
      <label for="subs-file">CSV file</label>
      <input
        id="subs-file"
        class="adm-subs-file"
        type="file"
        name="file"
        accept=".csv,text/csv"
        required
        aria-describedby="subs-import-hint"
      />
      <button type="submit" class="adm-button">
        Import into {p.list.name}
      </button>
    </form>
  );
}

export function ImportResult(p: { list: Newsletter; report: ImportReport; fileName: string; csrf: string }) {
  const r = p.report;
  const figures: [number, string][] = [
    [r.rows, 'rows read'],
    [r.confirmed, 'added, confirmed'],
    [r.pending, 'added, pending'],
    [r.mailed, 'confirmation mails'],
    [r.unchanged, 'already on the list'],
    [r.suppressed.length, 'suppressed, skipped'],
    [r.problems.length, 'rows not imported'],
  ];
  return (
    <>
      <section class="adm-panel" aria-labelledby="import-done">
        <h2 id="import-done">
          Imported {p.fileName} into {p.list.name}
        </h2>
        <ul class="adm-import-figures">
          {figures.map(([n, label]) => (
            <li key={label}>
              <strong>{n}</strong>
              {label}
            </li>
          ))}
        </ul>
        <p>
          <a href={`/subscribers/${p.list.id}`}>Back to the subscribers of {p.list.name}</a>
        </p>
      </section>
      {r.problems.length > 0 && (
        <section class="adm-panel" aria-labelledby="import-problems">
          <h2 id="import-problems">Rows not imported</h2>
          <p class="adm-hint">
            Correct these lines and import the file again: the rows already in are left as they are.
          </p>
          <LineTable rows={r.problems.map((x) => ({ line: x.line, value: x.value, reason: x.reason }))} />
        </section>
      )}
      {r.suppressed.length > 0 && (
        <section class="adm-panel" aria-labelledby="import-suppressed">
          <h2 id="import-suppressed">Suppressed addresses, skipped</h2>
          <LineTable
            rows={r.suppressed.map((x) => ({
              line: x.line,
              value: x.email,
              reason: 'On the suppression list: it gets no mail.',
            }))}
          />
        </section>
      )}
    </>
  );
}

const LINES_SHOWN = 500;

function LineTable(p: { rows: { line: number; value: string; reason: string }[] }) {
  return (
    <>
      <div class="adm-table-wrap">
        <table class="adm-table adm-table-stack adm-subs adm-subs-lines">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Row</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.slice(0, LINES_SHOWN).map((x) => (
              <tr key={x.line}>
                <th scope="row">Line {x.line}</th>
                <td data-label="Row">
                  <code>{x.value}</code>
                </td>
                <td data-label="Why">{x.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.rows.length > LINES_SHOWN && <p class="adm-muted">And {p.rows.length - LINES_SHOWN} more lines.</p>}
    </>
  );
}

export function SuppressionView(p: {
  csrf: string;
  items: Suppression[];
  total: number;
  query: string;
  all: boolean;
  canRemove: boolean;
  timeZone: string;
  newerHref: string | null;
  olderHref: string | null;
  addError?: DatelineError | null;
  addValues?: { email: string; note: string };
}) {
  return (
    <>
      <p class="adm-hint">
        Addresses on this list get no newsletter or alert from any site of the network: a hard bounce or a
        complaint puts them here at once, soft bounces after several. {p.total}{' '}
        {p.total === 1 ? 'address matches' : 'addresses match'}; times in {zoneName(p.timeZone)}.
      </p>
      <form method="get" action="/suppressions" class="adm-panel adm-subs-search" aria-label="Search">
        <Field name="q" label="Address contains" value={p.query} type="search" />
        <label class="adm-choice" for="f-all">
          <input type="checkbox" id="f-all" name="all" value="1" checked={p.all} />
          <span>Also addresses with soft bounces counted, still mailed</span>
        </label>
        <div class="adm-actions">
          <button type="submit" class="adm-button">
            Search
          </button>
        </div>
      </form>
      {p.items.length === 0 ? (
        <p class="adm-panel">No address matches.</p>
      ) : (
        <div class="adm-table-wrap">
          <table class="adm-table adm-table-stack adm-subs">
            <caption class="adm-visually-hidden">Suppressed addresses, most recently changed first</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Reason</th>
                <th scope="col">Soft bounces</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span class="adm-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((s) => (
                <tr key={s.email}>
                  <th scope="row">{s.email}</th>
                  <td data-label="Reason">
                    {s.suppressed ? (
                      <span class="adm-badge adm-badge-bad">
                        {s.reason ? REASON_LABEL[s.reason] : 'Suppressed'}
                      </span>
                    ) : (
                      <span class="adm-badge">Still mailed</span>
                    )}
                    {s.detail && <div class="adm-muted">{s.detail}</div>}
                  </td>
                  <td data-label="Soft bounces">{s.softBounces}</td>
                  <td data-label="Since">
                    <time dateTime={s.updatedAt.toISOString()}>{shortTime(s.updatedAt, p.timeZone)}</time>
                  </td>
                  <td class="adm-subs-act">
                    {p.canRemove && (
                      <ButtonForm
                        action="/suppressions/remove"
                        csrf={p.csrf}
                        fields={{ email: s.email }}
                        label="Remove"
                        ariaLabel={`Remove ${s.email} from the suppression list`}
                        kind="danger"
                        confirm={`Take ${s.email} off the suppression list? Every site's newsletters it subscribes to will mail it again.`}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="adm-pager" aria-label="Pages of the suppression list">
        {p.newerHref ? <a href={p.newerHref}>← Newer</a> : <span class="adm-muted">← Newer</span>}
        {p.olderHref ? <a href={p.olderHref}>Older →</a> : <span class="adm-muted">Older →</span>}
      </nav>
      <form method="post" action="/suppressions/add" class="adm-panel" aria-labelledby="supp-add">
        <h2 id="supp-add">Add an address</h2>
        <RefusedPanel error={p.addError} />
        <Csrf token={p.csrf} />
        <Field
          name="email"
          label="Address"
          type="email"
          value={p.addValues?.email ?? ''}
          required
          problem={p.addError ? 'Enter one email address, e.g. reader@mail.co.jp.' : undefined}
        />
        <Field
          name="note"
          label="Note (optional)"
          value={p.addValues?.note ?? ''}
          hint="Why, for whoever reads this later: “asked by phone to stop all mail”."
        />
        <button type="submit" class="adm-button">
          Suppress
        </button>
      </form>
      {!p.canRemove && (
        <p class="adm-hint">
          Taking an address off the list needs a network-wide admin, since every site would mail it again.
        </p>
      )}
    </>
  );
}

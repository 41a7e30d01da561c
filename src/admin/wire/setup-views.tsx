// The views of the wire set-up screens: the overview of agencies (with the sites each is licensed for),
// routing rules and pollers, each with its add form, and the pages that edit one agency, rule or poller.
// Every form shows a problem beside the field it is about; the services' own checks decide what is wrong.
import type { ComponentChildren } from 'preact';
import type { SiteContext } from '../../sites/directory.ts';
import type { Agency, Poller, Route } from '../../wire/model.ts';
import { When } from './shared.tsx';

export type Values = Record<string, string | string[] | undefined>;
export type Problems = Record<string, string>;

interface FormState {
  values: Values;
  problems: Problems;
}

const EMPTY: FormState = { values: {}, problems: {} };

function text(v: string | string[] | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** A labelled control with its hint and problem, tied together for screen readers. */
function Labelled(p: {
  id: string;
  label: string;
  hint?: string;
  problem?: string;
  children: (described: string | undefined, invalid: boolean) => ComponentChildren;
}) {
  const described = [p.hint ? `${p.id}-hint` : '', p.problem ? `${p.id}-problem` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`adm-field${p.problem ? ' adm-field-problem' : ''}`}>
      <label for={p.id}>{p.label}</label>
      {p.hint && (
        <p class="adm-hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.problem && (
        <p class="adm-problem" id={`${p.id}-problem`}>
          {p.problem}
        </p>
      )}
      {p.children(described || undefined, Boolean(p.problem))}
    </div>
  );
}

function Text(p: {
  form: string;
  name: string;
  label: string;
  state: FormState;
  hint?: string;
  required?: boolean;
  inputMode?: 'numeric';
}) {
  const id = `${p.form}-${p.name}`;
  return (
    <Labelled id={id} label={p.label} hint={p.hint} problem={p.state.problems[p.name]}>
      {(described, invalid) => (
        <input
          id={id}
          name={p.name}
          type="text"
          value={text(p.state.values[p.name])}
          required={p.required}
          inputMode={p.inputMode}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={described}
        />
      )}
    </Labelled>
  );
}

function SiteBoxes(p: {
  form: string;
  sites: SiteContext[];
  state: FormState;
  legend: string;
  hint?: string;
  locked?: string[];
}) {
  const checked = new Set(
    Array.isArray(p.state.values.sites)
      ? p.state.values.sites
      : p.state.values.sites
        ? [p.state.values.sites]
        : [],
  );
  const problem = p.state.problems.sites;
  return (
    <fieldset class={`wire-boxes${problem ? ' adm-field-problem' : ''}`}>
      <legend>{p.legend}</legend>
      {p.hint && <p class="adm-hint">{p.hint}</p>}
      {problem && <p class="adm-problem">{problem}</p>}
      {p.sites.length === 0 && <p class="adm-muted">You hold the editor role on no site.</p>}
      {p.sites.map((c) => (
        <label class="wire-choice" key={c.site.id}>
          <input
            type="checkbox"
            name="sites"
            value={c.site.slug}
            checked={checked.has(c.site.slug)}
            id={`${p.form}-site-${c.site.slug}`}
          />{' '}
          {c.site.name}
        </label>
      ))}
      {p.locked && p.locked.length > 0 && (
        <p class="adm-hint">
          Also licensed for {p.locked.join(', ')}: only an editor of those sites can change that.
        </p>
      )}
    </fieldset>
  );
}

function Csrf(p: { csrf: string }) {
  return <input type="hidden" name="csrf" value={p.csrf} />;
}

export interface SetupData {
  agencies: Agency[];
  routes: Route[];
  pollers: Poller[];
  siteNames: Map<number, string>;
  sectionNames: Map<number, string>;
  /** Sites the staff member reviews: licences and rules can point only at these. */
  reviewable: SiteContext[];
  /** Which rows the staff member may change. */
  mayChangeAgency: (a: Agency) => boolean;
  mayChangeRoute: (r: Route) => boolean;
  mayChangePoller: (p: Poller) => boolean;
  zone: string;
}

function routeConditions(r: Route, agencyName: (id: number) => string): string {
  return (
    [
      r.agencyId ? `from ${agencyName(r.agencyId)}` : 'from any agency',
      r.subjectCode && `subject ${r.subjectCode}`,
      r.sluglinePrefix && `slugline starting ${r.sluglinePrefix}`,
      r.keyword && `keyword “${r.keyword}”`,
      r.maxUrgency && `urgency ${r.maxUrgency} or more urgent`,
    ]
      .filter(Boolean)
      .join(', ') || 'everything'
  );
}

function AgencyFields(p: { form: string; state: FormState; withSlug: boolean }) {
  return (
    <>
      {p.withSlug && (
        <Text
          form={p.form}
          name="slug"
          label="Short name (slug)"
          hint="Lowercase letters, digits and hyphens, e.g. example-wire. It cannot be changed later."
          state={p.state}
          required
        />
      )}
      <Text form={p.form} name="name" label="Name" state={p.state} required />
      <Text
        form={p.form}
        name="credit"
        label="Credit line"
        hint="Printed under pictures that come without a credit, and as the copyright line when a story has none. Empty: the name."
        state={p.state}
      />
      <Text
        form={p.form}
        name="retention"
        label="Keep stories for (days)"
        hint="Stories are taken down this many days after they first arrive. Empty: until the agency's own expiry."
        state={p.state}
        inputMode="numeric"
      />
    </>
  );
}

export function RouteFields(p: {
  form: string;
  state: FormState;
  agencies: Agency[];
  reviewable: SiteContext[];
}) {
  const v = p.state.values;
  const target = text(v.target);
  const agency = text(v.agency);
  const review = text(v.action) === 'review';
  return (
    <>
      <Labelled id={`${p.form}-agency`} label="Agency" problem={p.state.problems.agency}>
        {(described, invalid) => (
          <select
            id={`${p.form}-agency`}
            name="agency"
            aria-describedby={described}
            aria-invalid={invalid ? 'true' : undefined}
          >
            <option value="">Any agency</option>
            {p.agencies.map((g) => (
              <option value={g.slug} selected={g.slug === agency} key={g.slug}>
                {g.name}
              </option>
            ))}
          </select>
        )}
      </Labelled>
      <Labelled
        id={`${p.form}-target`}
        label="Send to"
        hint="The site and section the story goes to. The agency must be licensed for the site."
        problem={p.state.problems.target}
      >
        {(described, invalid) => (
          <select
            id={`${p.form}-target`}
            name="target"
            required
            aria-describedby={described}
            aria-invalid={invalid ? 'true' : undefined}
          >
            <option value="">Choose a site and section</option>
            {p.reviewable.map((c) => (
              <optgroup label={c.site.name} key={c.site.id}>
                {[...c.sectionsById.values()]
                  .sort((x, y) => x.position - y.position || x.id - y.id)
                  .map((s) => {
                    const val = `${c.site.slug}/${s.slug}`;
                    return (
                      <option value={val} selected={val === target} key={s.id}>
                        {c.site.name} › {s.name}
                      </option>
                    );
                  })}
              </optgroup>
            ))}
          </select>
        )}
      </Labelled>
      <fieldset class="wire-boxes">
        <legend>What happens</legend>
        <label class="wire-choice">
          <input type="radio" name="action" value="publish" checked={!review} /> Published at once
        </label>
        <label class="wire-choice">
          <input type="radio" name="action" value="review" checked={review} /> Sent to the review queue
        </label>
      </fieldset>
      <p class="adm-hint">Only matching stories are sent; leave a condition empty to match any value.</p>
      <Text form={p.form} name="subject" label="Subject code" hint="e.g. medtop:04000000" state={p.state} />
      <Text form={p.form} name="slugline" label="Slugline starts with" hint="e.g. JAPAN-" state={p.state} />
      <Text form={p.form} name="keyword" label="Keyword" state={p.state} />
      <Text
        form={p.form}
        name="urgency"
        label="Urgency at least"
        hint="1 (most urgent) to 9: matches stories this urgent or more."
        state={p.state}
        inputMode="numeric"
      />
      <Text
        form={p.form}
        name="position"
        label="Position"
        hint="Rules are tried lowest first; for each site the first that matches wins. Empty: after the others."
        state={p.state}
        inputMode="numeric"
      />
    </>
  );
}

export function PollerFields(p: {
  form: string;
  state: FormState;
  agencies: Agency[];
  folderAllowed: boolean;
}) {
  const v = p.state.values;
  const kind = text(v.kind) === 'folder' ? 'folder' : 'feed';
  return (
    <>
      <Labelled id={`${p.form}-agency`} label="Agency" problem={p.state.problems.agency}>
        {(described, invalid) => (
          <select
            id={`${p.form}-agency`}
            name="agency"
            required
            aria-describedby={described}
            aria-invalid={invalid ? 'true' : undefined}
          >
            <option value="">Choose the agency</option>
            {p.agencies.map((g) => (
              <option value={g.slug} selected={g.slug === text(v.agency)} key={g.slug}>
                {g.name}
              </option>
            ))}
          </select>
        )}
      </Labelled>
      <fieldset class={`wire-boxes${p.state.problems.kind ? ' adm-field-problem' : ''}`}>
        <legend>Reads</legend>
        {p.state.problems.kind && <p class="adm-problem">{p.state.problems.kind}</p>}
        <label class="wire-choice">
          <input type="radio" name="kind" value="feed" checked={kind === 'feed'} /> A feed URL (RSS, Atom,
          ninjs)
        </label>
        {p.folderAllowed && (
          <label class="wire-choice">
            <input type="radio" name="kind" value="folder" checked={kind === 'folder'} /> A folder on the
            server
          </label>
        )}
      </fieldset>
      <Text
        form={p.form}
        name="location"
        label="Feed URL or folder"
        hint="e.g. https://wire.example.net/feed.xml, or /srv/wire/drop for a folder."
        state={p.state}
        required
      />
      <Text
        form={p.form}
        name="every"
        label="Every (seconds)"
        hint="How often it is read, 1 to 86400. Empty: every 60 seconds."
        state={p.state}
        inputMode="numeric"
      />
    </>
  );
}

export function SetupOverview(p: {
  data: SetupData;
  csrf: string;
  open?: 'agency' | 'route' | 'poller';
  agencyForm?: FormState;
  routeForm?: FormState;
  pollerForm?: FormState;
  folderAllowed: boolean;
  madeToken?: { agency: string; token: string } | null;
}) {
  const d = p.data;
  const agencyName = (id: number) => d.agencies.find((g) => g.id === id)?.name ?? `#${id}`;
  return (
    <>
      {p.madeToken && <TokenOnce title={`API token for ${p.madeToken.agency}`} token={p.madeToken.token} />}
      <section aria-labelledby="ws-agencies">
        <h2 id="ws-agencies">Agencies and licences</h2>
        <p class="adm-hint">An agency's stories appear only on the sites it is licensed for.</p>
        <div class="adm-table-wrap wire-table-wrap">
          <table class="adm-table">
            <thead>
              <tr>
                <th scope="col">Agency</th>
                <th scope="col">Licensed for</th>
                <th scope="col">Credit</th>
                <th scope="col">Kept</th>
                <th scope="col">
                  <span class="wire-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.agencies.length === 0 && (
                <tr>
                  <td colSpan={5}>No agency yet.</td>
                </tr>
              )}
              {d.agencies.map((g) => (
                <tr key={g.id}>
                  <th scope="row">
                    {g.name} <span class="adm-muted">({g.slug})</span>
                  </th>
                  <td>
                    {g.siteIds.map((id) => d.siteNames.get(id) ?? `#${id}`).join(', ') || (
                      <span class="adm-badge adm-badge-warn">No site: nothing is published</span>
                    )}
                  </td>
                  <td>{g.credit}</td>
                  <td>{g.retentionDays ? `${g.retentionDays} days` : 'until expiry'}</td>
                  <td>
                    <a href={`/wire/agencies/${g.slug}`}>{d.mayChangeAgency(g) ? 'Edit' : 'Licences'}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <details class="adm-panel wire-add" open={p.open === 'agency'}>
          <summary>Add an agency</summary>
          <form method="post" action="/wire/agencies">
            <Csrf csrf={p.csrf} />
            <AgencyFields form="na" state={p.agencyForm ?? EMPTY} withSlug />
            <SiteBoxes form="na" sites={d.reviewable} state={p.agencyForm ?? EMPTY} legend="Licensed for" />
            <button type="submit" class="adm-button">
              Add the agency
            </button>
          </form>
        </details>
      </section>

      <section aria-labelledby="ws-routes">
        <h2 id="ws-routes">Routing rules</h2>
        <p class="adm-hint">
          Tried in order; for each site the first rule that matches wins. A story no rule matches waits in the
          review queue.
        </p>
        <div class="adm-table-wrap wire-table-wrap">
          <table class="adm-table">
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">When a story comes</th>
                <th scope="col">It goes to</th>
                <th scope="col">
                  <span class="wire-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.routes.length === 0 && (
                <tr>
                  <td colSpan={4}>No rule yet: every story waits in the review queue.</td>
                </tr>
              )}
              {d.routes.map((r) => (
                <tr key={r.id}>
                  <td>{r.position}</td>
                  <td>{routeConditions(r, agencyName)}</td>
                  <td>
                    {d.siteNames.get(r.siteId)} › {d.sectionNames.get(r.sectionId)}{' '}
                    <span
                      class={r.action === 'review' ? 'adm-badge adm-badge-warn' : 'adm-badge adm-badge-ok'}
                    >
                      {r.action === 'review' ? 'review queue' : 'published'}
                    </span>
                  </td>
                  <td>
                    {d.mayChangeRoute(r) && (
                      <div class="wire-row-actions">
                        <a href={`/wire/routes/${r.id}`}>Edit</a>
                        <form method="post" action={`/wire/routes/${r.id}/remove`}>
                          <Csrf csrf={p.csrf} />
                          <button
                            type="submit"
                            class="adm-link-button wire-danger-link"
                            data-confirm="Remove this routing rule?"
                          >
                            Remove<span class="wire-sr-only"> rule at position {r.position}</span>
                          </button>
                        </form>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <details class="adm-panel wire-add" open={p.open === 'route'}>
          <summary>Add a routing rule</summary>
          <form method="post" action="/wire/routes">
            <Csrf csrf={p.csrf} />
            <RouteFields
              form="nr"
              state={p.routeForm ?? EMPTY}
              agencies={d.agencies}
              reviewable={d.reviewable}
            />
            <button type="submit" class="adm-button">
              Add the rule
            </button>
          </form>
        </details>
      </section>

      <section aria-labelledby="ws-pollers">
        <h2 id="ws-pollers">Pollers</h2>
        <p class="adm-hint">
          Feeds and folders read on a schedule; a failing one backs off and is listed in Wire problems.
        </p>
        <div class="adm-table-wrap wire-table-wrap">
          <table class="adm-table">
            <thead>
              <tr>
                <th scope="col">Agency</th>
                <th scope="col">Reads</th>
                <th scope="col">Every</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="wire-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.pollers.length === 0 && (
                <tr>
                  <td colSpan={5}>No poller yet.</td>
                </tr>
              )}
              {d.pollers.map((pl) => (
                <tr key={pl.id}>
                  <td>{agencyName(pl.agencyId)}</td>
                  <td class="wire-break">
                    {pl.kind === 'folder' ? 'Folder' : 'Feed'} {pl.location}
                  </td>
                  <td>{pl.intervalSeconds} s</td>
                  <td>
                    {!pl.enabled ? (
                      <span class="adm-badge">Disabled</span>
                    ) : pl.lastError ? (
                      <span class="adm-badge adm-badge-bad">Failing</span>
                    ) : (
                      <span class="adm-badge adm-badge-ok">Running</span>
                    )}{' '}
                    {pl.enabled && (
                      <span class="adm-muted">
                        next <When at={pl.nextRunAt} zone={d.zone} />
                      </span>
                    )}
                  </td>
                  <td>{d.mayChangePoller(pl) && <a href={`/wire/pollers/${pl.id}`}>Edit</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <details class="adm-panel wire-add" open={p.open === 'poller'}>
          <summary>Add a poller</summary>
          <form method="post" action="/wire/pollers">
            <Csrf csrf={p.csrf} />
            <PollerFields
              form="np"
              state={p.pollerForm ?? EMPTY}
              agencies={d.agencies}
              folderAllowed={p.folderAllowed}
            />
            <button type="submit" class="adm-button">
              Add the poller
            </button>
          </form>
        </details>
      </section>
    </>
  );
}

export function TokenOnce(p: { title: string; token: string }) {
  return (
    <section class="adm-panel wire-token" aria-labelledby="token-once">
      <h2 id="token-once">{p.title}</h2>
      <p>Copy it now: it is shown only this once and stored only as a hash.</p>
      <p>
        <code class="wire-token-value">{p.token}</code>
      </p>
    </section>
  );
}

export function AgencyPage(p: {
  agency: Agency;
  csrf: string;
  state: FormState;
  reviewable: SiteContext[];
  locked: string[];
  mayChangeDetails: boolean;
  madeToken?: string | null;
}) {
  const g = p.agency;
  return (
    <>
      <p>
        <a href="/wire/setup">Back to agencies and routing</a>
      </p>
      {p.madeToken && <TokenOnce title="The agency's new API token" token={p.madeToken} />}
      <form method="post" action={`/wire/agencies/${g.slug}`} class="adm-panel">
        <Csrf csrf={p.csrf} />
        {p.mayChangeDetails ? (
          <AgencyFields form="ea" state={p.state} withSlug={false} />
        ) : (
          <p class="adm-hint">
            Name, credit and retention apply on every site the agency is licensed for, so only an editor of
            all of them can change them.
          </p>
        )}
        <SiteBoxes
          form="ea"
          sites={p.reviewable}
          state={p.state}
          legend="Licensed for"
          hint="Withdrawing a licence takes the agency's stories off that site at once."
          locked={p.locked}
        />
        <button
          type="submit"
          class="adm-button"
          data-confirm="Save? A withdrawn licence takes the agency's stories off that site."
        >
          Save
        </button>
      </form>
      {p.mayChangeDetails && (
        <form method="post" action={`/wire/agencies/${g.slug}/token`} class="adm-panel">
          <Csrf csrf={p.csrf} />
          <h2>API token</h2>
          <p>
            {g.hasToken ? 'The agency has an API token.' : 'The agency has no API token.'} A new one replaces
            it: the old one stops working at once.
          </p>
          <button
            type="submit"
            class="adm-button adm-button-quiet"
            data-confirm="Replace the agency's API token now?"
          >
            Make a new API token
          </button>
        </form>
      )}
    </>
  );
}

export function RoutePage(p: {
  id: number;
  csrf: string;
  state: FormState;
  agencies: Agency[];
  reviewable: SiteContext[];
}) {
  return (
    <>
      <p>
        <a href="/wire/setup">Back to agencies and routing</a>
      </p>
      <form method="post" action={`/wire/routes/${p.id}`} class="adm-panel">
        <Csrf csrf={p.csrf} />
        <RouteFields form="er" state={p.state} agencies={p.agencies} reviewable={p.reviewable} />
        <button type="submit" class="adm-button">
          Save the rule
        </button>
      </form>
    </>
  );
}

export function PollerPage(p: {
  poller: Poller;
  agencyName: string;
  csrf: string;
  state: FormState;
  zone: string;
}) {
  const pl = p.poller;
  return (
    <>
      <p>
        <a href="/wire/setup">Back to agencies and routing</a>
      </p>
      <div class="adm-panel">
        <p>
          {pl.kind === 'folder' ? 'Folder' : 'Feed'} <code class="wire-break">{pl.location}</code> for{' '}
          {p.agencyName}.
        </p>
        {pl.lastError && <p class="adm-notice adm-notice-problem">{pl.lastError}</p>}
        {pl.lastRunAt && (
          <p class="adm-muted">
            Last read <When at={pl.lastRunAt} zone={p.zone} />
          </p>
        )}
      </div>
      <form method="post" action={`/wire/pollers/${pl.id}`} class="adm-panel">
        <Csrf csrf={p.csrf} />
        <Text
          form="ep"
          name="every"
          label="Every (seconds)"
          hint="1 to 86400."
          state={p.state}
          inputMode="numeric"
        />
        <button type="submit" class="adm-button">
          Save
        </button>
      </form>
      <div class="adm-toolbar">
        <form method="post" action={`/wire/pollers/${pl.id}/${pl.enabled ? 'disable' : 'enable'}`}>
          <Csrf csrf={p.csrf} />
          <button type="submit" class="adm-button adm-button-quiet">
            {pl.enabled ? 'Disable' : 'Enable and run now'}
          </button>
        </form>
        <form method="post" action={`/wire/pollers/${pl.id}/remove`}>
          <Csrf csrf={p.csrf} />
          <button type="submit" class="adm-button adm-button-danger" data-confirm="Remove this poller?">
            Remove
          </button>
        </form>
      </div>
    </>
  );
}

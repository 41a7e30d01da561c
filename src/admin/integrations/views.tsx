// The Integrations screens: content API keys (made with a name and the sites they may read, the key shown
// once, revoked with one button) and webhook endpoints (made with a URL, a site and events, the signing
// secret shown once; turned off and on, removed), and an endpoint's delivery log with a retry button on each
// failed delivery not delivered since.
import type { ApiKeyInfo } from '../../api/keys.ts';
import type { DatelineError } from '../../errors/catalogue.ts';
import { type DeliveryRecord, WEBHOOK_EVENTS, type WebhookEndpoint } from '../../webhooks/service.ts';
import { ButtonForm, Choice, ChoiceGroup, Csrf, RefusedPanel, SelectField } from '../sites/form-parts.tsx';
import { formatWhen } from '../staff/views.tsx';
import { Field } from '../views/layout.tsx';

export type SiteNames = Map<number, string>;

/** A secret shown once, right after it was made: nowhere else, and never again. */
export interface JustMade {
  kind: 'key' | 'webhook';
  name: string;
  secret: string;
}

function scopeText(ids: number[] | null, sites: SiteNames): string {
  if (ids === null) return 'All sites';
  return ids.map((id) => sites.get(id) ?? `site ${id}`).join(', ');
}

export interface IntegrationsProps {
  keys: (ApiKeyInfo & { mayRevoke: boolean })[];
  endpoints: (WebhookEndpoint & { mayChange: boolean; failing: number })[];
  sites: SiteNames;
  /** The sites they may limit a key or an endpoint to; network: may they make network-wide ones. */
  scopes: { network: boolean; siteIds: number[] };
  csrf: string;
  timeZone: string;
  justMade?: JustMade | null;
  keyError?: DatelineError | null;
  keyValues?: { name: string; sites: string[] };
  hookError?: DatelineError | null;
  hookValues?: { url: string; site: string; events: string[] };
}

export function IntegrationsView(p: IntegrationsProps) {
  return (
    <>
      {p.justMade && (
        <section class="adm-panel adm-just-made" aria-labelledby="just-made" role="status">
          <h2 class="adm-panel-title" id="just-made">
            {p.justMade.kind === 'key'
              ? `The key “${p.justMade.name}”`
              : `The signing secret of ${p.justMade.name}`}
          </h2>
          <p>
            Copy it now and keep it where the integration reads it: it is shown only this once. Only its
            fingerprint is kept here.
          </p>
          <code class="adm-secret">{p.justMade.secret}</code>
        </section>
      )}
      <KeysPanel {...p} />
      <WebhooksPanel {...p} />
    </>
  );
}

function KeysPanel(p: IntegrationsProps) {
  const values = p.keyValues ?? { name: '', sites: [] };
  return (
    <section class="adm-panel" aria-labelledby="keys-title">
      <h2 class="adm-panel-title" id="keys-title">
        Content API keys
      </h2>
      <p class="adm-hint">Integrations read published stories through the content API with a key each.</p>
      {p.keys.length === 0 ? (
        <p class="adm-muted">No keys yet.</p>
      ) : (
        <div class="adm-table-wrap adm-table-inner">
          <table class="adm-table adm-table-stack">
            <caption class="adm-visually-hidden">Content API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Reads</th>
                <th scope="col">Made</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {p.keys.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{k.name}</th>
                  <td data-label="Starts with">
                    <code>{k.prefix}…</code>
                  </td>
                  <td data-label="Reads">{scopeText(k.siteIds, p.sites)}</td>
                  <td data-label="Made" class="adm-nowrap">
                    {formatWhen(k.createdAt, p.timeZone)}
                  </td>
                  <td data-label="State">
                    {k.revokedAt ? (
                      <span class="adm-badge adm-badge-bad">
                        Revoked {formatWhen(k.revokedAt, p.timeZone)}
                      </span>
                    ) : (
                      <div class="adm-actions">
                        <span class="adm-badge adm-badge-ok">Working</span>
                        {k.mayRevoke && (
                          <ButtonForm
                            action={`/integrations/keys/${k.id}/revoke`}
                            csrf={p.csrf}
                            label="Revoke"
                            ariaLabel={`Revoke the key ${k.name}`}
                            kind="danger"
                            confirm={`Revoke the key “${k.name}”? The integration using it stops working within seconds.`}
                          />
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form method="post" action="/integrations/keys" class="adm-make-form" novalidate>
        <Csrf token={p.csrf} />
        <h3>Make a key</h3>
        <RefusedPanel error={p.keyError} />
        <Field
          name="name"
          label="Name"
          value={values.name}
          hint="After the integration that uses it, e.g. “Newsletter tool”."
          problem={p.keyError?.where?.field === 'name' ? p.keyError.message : undefined}
        />
        <SiteChoices
          name="sites"
          legend="Sites it may read"
          hint={p.scopes.network ? 'Tick none for every site.' : 'Tick at least one.'}
          sites={p.sites}
          allowed={p.scopes.siteIds}
          checked={values.sites}
        />
        <button type="submit" class="adm-button">
          Make the key
        </button>
      </form>
    </section>
  );
}

function SiteChoices(p: {
  name: string;
  legend: string;
  hint: string;
  sites: SiteNames;
  allowed: number[];
  checked: string[];
}) {
  return (
    <ChoiceGroup legend={p.legend} hint={p.hint} id={`${p.name}-choices`}>
      {p.allowed.map((id) => (
        <Choice
          type="checkbox"
          name={p.name}
          value={String(id)}
          id={`${p.name}-${id}`}
          label={p.sites.get(id) ?? `Site ${id}`}
          checked={p.checked.includes(String(id))}
          key={id}
        />
      ))}
    </ChoiceGroup>
  );
}

function WebhooksPanel(p: IntegrationsProps) {
  const values = p.hookValues ?? {
    url: '',
    site: p.scopes.network ? '' : String(p.scopes.siteIds[0] ?? ''),
    events: [...WEBHOOK_EVENTS],
  };
  return (
    <section class="adm-panel" aria-labelledby="hooks-title">
      <h2 class="adm-panel-title" id="hooks-title">
        Webhooks
      </h2>
      <p class="adm-hint">
        Endpoints receive a signed JSON POST when a story is published, updated or taken down.
      </p>
      {p.endpoints.length === 0 ? (
        <p class="adm-muted">No endpoints yet.</p>
      ) : (
        <div class="adm-table-wrap adm-table-inner">
          <table class="adm-table adm-table-stack">
            <caption class="adm-visually-hidden">Webhook endpoints</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Site</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="adm-visually-hidden">Change</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.endpoints.map((e) => (
                <tr key={e.id}>
                  <th scope="row" class="adm-url">
                    <a href={`/integrations/webhooks/${e.id}`}>{e.url}</a>
                  </th>
                  <td data-label="Site">{scopeText(e.siteId === null ? null : [e.siteId], p.sites)}</td>
                  <td data-label="Events">
                    <ul class="adm-list-plain">
                      {e.events.map((ev) => (
                        <li key={ev}>
                          <code>{ev}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td data-label="State">
                    <span class={`adm-badge ${e.active ? 'adm-badge-ok' : ''}`}>
                      {e.active ? 'On' : 'Off'}
                    </span>
                    {e.failing > 0 && <span class="adm-badge adm-badge-bad">{e.failing} failing</span>}
                  </td>
                  <td>
                    <div class="adm-actions">
                      <a
                        class="adm-button adm-button-quiet adm-button-small"
                        href={`/integrations/webhooks/${e.id}`}
                      >
                        Deliveries<span class="adm-visually-hidden"> to {e.url}</span>
                      </a>
                      {e.mayChange && (
                        <ButtonForm
                          action={`/integrations/webhooks/${e.id}/active`}
                          csrf={p.csrf}
                          fields={{ active: e.active ? '0' : '1' }}
                          label={e.active ? 'Turn off' : 'Turn on'}
                          ariaLabel={`${e.active ? 'Turn off' : 'Turn on'} ${e.url}`}
                        />
                      )}
                      {e.mayChange && (
                        <ButtonForm
                          action={`/integrations/webhooks/${e.id}/remove`}
                          csrf={p.csrf}
                          label="Revoke"
                          ariaLabel={`Revoke and remove ${e.url}`}
                          kind="danger"
                          confirm={`Revoke ${e.url}? It receives nothing more, and its delivery log is deleted.`}
                        />
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form method="post" action="/integrations/webhooks" class="adm-make-form" novalidate>
        <Csrf token={p.csrf} />
        <h3>Add an endpoint</h3>
        <RefusedPanel error={p.hookError} />
        <Field
          name="url"
          label="URL"
          type="url"
          value={values.url}
          hint="https:// to a public address."
          problem={p.hookError?.where?.field === 'url' ? p.hookError.message : undefined}
        />
        <SelectField
          name="site"
          label="Stories of"
          value={values.site}
          options={[
            ...(p.scopes.network ? [{ value: '', label: 'Every site' }] : []),
            ...p.scopes.siteIds.map((id) => ({ value: String(id), label: p.sites.get(id) ?? `Site ${id}` })),
          ]}
        />
        <ChoiceGroup legend="Events" id="events-choices">
          {WEBHOOK_EVENTS.map((ev) => (
            <Choice
              type="checkbox"
              name="events"
              value={ev}
              id={`event-${ev}`}
              label={ev}
              checked={values.events.includes(ev)}
              key={ev}
            />
          ))}
        </ChoiceGroup>
        <button type="submit" class="adm-button">
          Add the endpoint
        </button>
      </form>
    </section>
  );
}

export interface DeliveryRow extends DeliveryRecord {
  /** Failed, and the event has not been delivered to this endpoint since. */
  retryable: boolean;
}

export function DeliveryLog(p: {
  endpoint: WebhookEndpoint;
  sites: SiteNames;
  deliveries: DeliveryRow[];
  csrf: string;
  mayChange: boolean;
  timeZone: string;
}) {
  return (
    <>
      <p class="adm-muted">
        <a href="/integrations">All integrations</a>
      </p>
      <section class="adm-panel">
        <dl class="adm-kv">
          <dt>URL</dt>
          <dd>{p.endpoint.url}</dd>
          <dt>Stories of</dt>
          <dd>{scopeText(p.endpoint.siteId === null ? null : [p.endpoint.siteId], p.sites)}</dd>
          <dt>Events</dt>
          <dd>{p.endpoint.events.join(', ')}</dd>
          <dt>State</dt>
          <dd>{p.endpoint.active ? 'On' : 'Off: nothing is sent'}</dd>
        </dl>
      </section>
      {p.deliveries.length === 0 ? (
        <p class="adm-panel adm-muted">No deliveries yet: they appear as stories are published.</p>
      ) : (
        <div class="adm-table-wrap">
          <table class="adm-table adm-table-stack">
            <caption class="adm-visually-hidden">The newest deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col" class="adm-num">
                  Try
                </th>
                <th scope="col">Result</th>
                <th scope="col" class="adm-num">
                  Took
                </th>
                <th scope="col">
                  <span class="adm-visually-hidden">Retry</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.deliveries.map((d) => (
                <tr key={d.id}>
                  <td data-label="When" class="adm-nowrap">
                    {formatWhen(d.createdAt, p.timeZone)}
                  </td>
                  <td data-label="Event">
                    <code>evt_{d.eventId}</code> {d.eventType}
                  </td>
                  <td data-label="Try" class="adm-num">
                    {d.attempt}
                  </td>
                  <td data-label="Result">
                    <span class={`adm-badge ${d.ok ? 'adm-badge-ok' : 'adm-badge-bad'}`}>
                      {d.ok ? `HTTP ${d.statusCode}` : 'Failed'}
                    </span>
                    {!d.ok && d.error && <div class="adm-small adm-delivery-error">{d.error}</div>}
                  </td>
                  <td data-label="Took" class="adm-num">
                    {d.durationMs} ms
                  </td>
                  <td>
                    {d.retryable && p.mayChange && p.endpoint.active && (
                      <ButtonForm
                        action={`/integrations/webhooks/${p.endpoint.id}/deliveries/${d.id}/retry`}
                        csrf={p.csrf}
                        label="Retry"
                        ariaLabel={`Retry evt_${d.eventId}`}
                      />
                    )}
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

export const INTEGRATIONS_CSS = `
.adm-just-made{border-color:var(--accent)}
.adm-make-form{margin-top:1.25rem;border-top:1px solid var(--line);padding-top:.5rem}
.adm-make-form h3{font-size:1rem;margin:.75rem 0}
.adm-url{overflow-wrap:anywhere;font-weight:400}
.adm-delivery-error{color:var(--muted);overflow-wrap:anywhere;max-width:28rem}
`;

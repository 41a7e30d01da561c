// The audit log page: the filter form (person, subject, action, dates), the entries newest first with who,
// what, when and each changed field before and after, and links to newer and older pages. Works without
// JavaScript: the filters are a GET form, so a filtered page has its own address.
import { Fragment } from 'preact';
import type { Option } from '../sites/form-parts.tsx';
import { SelectField } from '../sites/form-parts.tsx';
import { formatWhen } from '../staff/views.tsx';
import { Field } from '../views/layout.tsx';
import type { AuditEntryView } from './audit-query.ts';

export interface AuditFilterValues {
  person: string;
  subjectType: string;
  subjectId: string;
  action: string;
  from: string;
  to: string;
}

/** What the log calls things, as people say them; with where each kind's page is in the admin. */
export const SUBJECT_KINDS: { type: string; label: string; path?: (id: string) => string }[] = [
  { type: 'article', label: 'Story', path: (id) => `/stories/${id}` },
  { type: 'site', label: 'Site', path: (id) => `/sites/${id}` },
  { type: 'section', label: 'Section' },
  { type: 'user', label: 'Account', path: (id) => `/staff/${id}` },
  { type: 'media', label: 'Picture', path: (id) => `/media/${id}` },
  { type: 'api_key', label: 'API key' },
  { type: 'webhook', label: 'Webhook', path: (id) => `/integrations/webhooks/${id}` },
  { type: 'wire_story', label: 'Wire story' },
];

function subjectLabel(type: string): string {
  return SUBJECT_KINDS.find((k) => k.type === type)?.label ?? type;
}

function show(v: unknown): string {
  if (v === undefined) return '—';
  if (v === null) return 'none';
  if (typeof v === 'string') return v === '' ? '(empty)' : v;
  return JSON.stringify(v);
}

function Changes({ e }: { e: AuditEntryView }) {
  const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])];
  const extra = Object.entries(e.detail);
  if (keys.length === 0 && extra.length === 0) return <span class="adm-muted">—</span>;
  return (
    <>
      {keys.length > 0 && (
        <table class={`adm-changes${e.before && e.after ? '' : ' adm-changes-one'}`}>
          <thead>
            <tr>
              <th scope="col">Field</th>
              {/* A creation has no before, a removal no after: only the half there is. */}
              {e.before && <th scope="col">Before</th>}
              {e.after && <th scope="col">After</th>}
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                {e.before && <td class="adm-before">{show(e.before[k])}</td>}
                {e.after && <td class="adm-after">{show(e.after[k])}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {extra.length > 0 && (
        <dl class="adm-kv adm-detail">
          {extra.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>{show(v)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
    </>
  );
}

export function AuditView(p: {
  entries: AuditEntryView[];
  names: Map<string, string>;
  people: Option[];
  values: AuditFilterValues;
  problems: Record<string, string>;
  timeZone: string;
  newerHref: string | null;
  olderHref: string | null;
}) {
  return (
    <>
      <form method="get" action="/audit" class="adm-panel adm-audit-filters" aria-label="Filter the log">
        <div class="adm-filter-grid">
          <SelectField
            name="person"
            label="Person"
            value={p.values.person}
            options={[{ value: '', label: 'Anyone' }, ...p.people]}
          />
          <SelectField
            name="subjectType"
            label="About"
            value={p.values.subjectType}
            options={[
              { value: '', label: 'Anything' },
              ...SUBJECT_KINDS.map((k) => ({ value: k.type, label: k.label })),
            ]}
          />
          <Field
            name="subjectId"
            label="Number"
            value={p.values.subjectId}
            hint="E.g. the story's number, with About: Story."
            inputMode="numeric"
            problem={p.problems.subjectId}
          />
          <Field
            name="action"
            label="Action"
            value={p.values.action}
            hint="E.g. story.published, or story. for every story action."
            problem={p.problems.action}
          />
          <Field
            name="from"
            label="From"
            type="date"
            value={p.values.from}
            problem={p.problems.from}
            hint={p.timeZone}
          />
          <Field
            name="to"
            label="To (inclusive)"
            type="date"
            value={p.values.to}
            problem={p.problems.to}
            hint={p.timeZone}
          />
        </div>
        <div class="adm-actions">
          <button type="submit" class="adm-button">
            Filter
          </button>
          <a href="/audit" class="adm-button adm-button-quiet">
            Clear
          </a>
        </div>
      </form>
      {p.entries.length === 0 ? (
        <p class="adm-panel">Nothing in the log matches.</p>
      ) : (
        <div class="adm-table-wrap">
          <table class="adm-table adm-table-stack adm-audit">
            <caption class="adm-visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">About</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {p.entries.map((e) => {
                const kind = SUBJECT_KINDS.find((k) => k.type === e.subjectType);
                return (
                  <tr key={e.id}>
                    <td data-label="When" class="adm-nowrap">
                      {formatWhen(e.createdAt, p.timeZone)}
                    </td>
                    <td data-label="Who">{p.names.get(e.actor) ?? e.actor}</td>
                    <td data-label="What">
                      <code>{e.action}</code>
                    </td>
                    <td data-label="About">
                      {subjectLabel(e.subjectType)}{' '}
                      {kind?.path ? <a href={kind.path(e.subjectId)}>{e.subjectId}</a> : e.subjectId}
                    </td>
                    <td data-label="Changes">
                      <Changes e={e} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav class="adm-pager" aria-label="Pages of the log">
        {p.newerHref ? <a href={p.newerHref}>← Newer</a> : <span class="adm-muted">← Newer</span>}
        {p.olderHref ? <a href={p.olderHref}>Older →</a> : <span class="adm-muted">Older →</span>}
      </nav>
    </>
  );
}

export const AUDIT_CSS = `
.adm-filter-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:0 1rem}
.adm-audit td{font-size:.92rem}
.adm-changes{border-collapse:collapse;font-size:.88rem;width:100%;table-layout:fixed}
.adm-changes th:first-child{width:30%}
.adm-changes tr:last-child th,.adm-changes tr:last-child td{border-bottom:0}
.adm-changes th,.adm-changes td{border:0;border-bottom:1px solid var(--line);padding:.15rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.adm-changes thead th{color:var(--muted);font-weight:600}
.adm-changes tbody th{font-weight:600;white-space:nowrap}
.adm-before{color:var(--bad-ink)}
.adm-after{color:var(--ok-ink)}
.adm-detail{margin-top:.4rem;font-size:.85rem}
`;

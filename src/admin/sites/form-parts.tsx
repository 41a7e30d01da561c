// Form pieces the network screens (sites, staff, trending, integrations, audit) share beside the shell's
// <Field>: a select, a text area and a colour field, each with its label, hint and problem tied to the
// control for screen readers, and the panel that says why a form was refused, with the error's code.
import type { ComponentChildren } from 'preact';
import type { DatelineError } from '../../errors/catalogue.ts';

function describedBy(id: string, hint?: string, problem?: string): string | undefined {
  return [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
}

function HintAndProblem(p: { id: string; hint?: string; problem?: string }) {
  return (
    <>
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
    </>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(p: {
  name: string;
  label: string;
  value: string;
  options: Option[];
  hint?: string;
  problem?: string;
  /** Several selects of one name on a page need their own ids. */
  id?: string;
}) {
  const id = p.id ?? `f-${p.name}`;
  return (
    <div class={`adm-field${p.problem ? ' adm-field-problem' : ''}`}>
      <label for={id}>{p.label}</label>
      <HintAndProblem id={id} hint={p.hint} problem={p.problem} />
      <select
        id={id}
        name={p.name}
        aria-invalid={p.problem ? 'true' : undefined}
        aria-describedby={describedBy(id, p.hint, p.problem)}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextAreaField(p: {
  name: string;
  label: string;
  value: string;
  hint?: string;
  problem?: string;
  rows?: number;
}) {
  const id = `f-${p.name}`;
  return (
    <div class={`adm-field${p.problem ? ' adm-field-problem' : ''}`}>
      <label for={id}>{p.label}</label>
      <HintAndProblem id={id} hint={p.hint} problem={p.problem} />
      <textarea
        id={id}
        name={p.name}
        rows={p.rows ?? 3}
        class="adm-textarea-short"
        aria-invalid={p.problem ? 'true' : undefined}
        aria-describedby={describedBy(id, p.hint, p.problem)}
      >
        {p.value}
      </textarea>
    </div>
  );
}

/** A group of checkboxes or radios under one legend. */
export function ChoiceGroup(p: {
  legend: string;
  hint?: string;
  problem?: string;
  id: string;
  children: ComponentChildren;
}) {
  return (
    <fieldset
      class={`adm-choices${p.problem ? ' adm-field-problem' : ''}`}
      aria-describedby={describedBy(p.id, p.hint, p.problem)}
    >
      <legend>{p.legend}</legend>
      <HintAndProblem id={p.id} hint={p.hint} problem={p.problem} />
      {p.children}
    </fieldset>
  );
}

export function Choice(p: {
  type: 'checkbox' | 'radio';
  name: string;
  value: string;
  label: string;
  checked: boolean;
  id: string;
}) {
  return (
    <label class="adm-choice" for={p.id}>
      <input type={p.type} id={p.id} name={p.name} value={p.value} checked={p.checked} />
      <span>{p.label}</span>
    </label>
  );
}

/** Why a form was refused: the error's message and its stable code, above the form. */
export function RefusedPanel({ error }: { error: DatelineError | null | undefined }) {
  if (!error) return null;
  return (
    <div class="adm-notice adm-notice-problem" role="alert">
      <p class="adm-refused-text">{error.message}</p>
      <p class="adm-refused-code">
        Code: <code>{error.code}</code>
      </p>
    </div>
  );
}

/** The hidden CSRF field every form of the admin carries. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

/** A one-button form: up/down, hide, revoke, retry. Works without JavaScript. */
export function ButtonForm(p: {
  action: string;
  csrf: string;
  label: string;
  /** Read by screen readers instead of the short visible label, e.g. "Move World up". */
  ariaLabel?: string;
  fields?: Record<string, string>;
  kind?: 'quiet' | 'danger' | 'primary';
  confirm?: string;
  disabled?: boolean;
}) {
  const kind = p.kind ?? 'quiet';
  return (
    <form method="post" action={p.action} class="adm-inline-form">
      <Csrf token={p.csrf} />
      {Object.entries(p.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} key={k} />
      ))}
      <button
        type="submit"
        class={`adm-button${kind === 'primary' ? '' : ` adm-button-${kind}`} adm-button-small`}
        aria-label={p.ariaLabel}
        data-confirm={p.confirm}
        disabled={p.disabled}
      >
        {p.label}
      </button>
    </form>
  );
}

/** The network screens' own rules, added to the admin stylesheet once. */
export const NETWORK_SCREENS_CSS = `
.adm-inline-form{display:inline-block;margin:0}
.adm-button-small,button.adm-button-small{padding:.3rem .7rem;font-size:.9rem}
button.adm-button:disabled{background:var(--panel);color:var(--muted);border:1px dashed var(--muted);cursor:not-allowed}
.adm-table-stack tbody th,.adm-rows tbody th{font-size:inherit;color:inherit;font-weight:600}
.adm-table-stack tr:last-child th,.adm-rows tr:last-child th{border-bottom:0}
.adm-table-wrap+.adm-panel,.adm-table-wrap+form.adm-panel{margin-top:1rem}
.adm-actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
.adm-field textarea.adm-textarea-short,.adm-textarea-short{min-height:4.5rem;font:inherit;padding:.45rem .6rem;border:1px solid var(--muted);border-radius:6px;background:var(--panel);color:var(--ink);max-width:100%}
.adm-field select{max-width:100%}
.adm-choices{border:1px solid var(--line);border-radius:6px;padding:.5rem .9rem .7rem;margin:0 0 1rem}
.adm-choices legend{font-weight:600;padding:0 .3rem}
.adm-choice{display:flex;gap:.5rem;align-items:center;padding:.2rem 0}
.adm-choice input{width:1.1rem;height:1.1rem;margin:0}
.adm-refused-text{margin:0}
.adm-refused-code{margin:.3rem 0 0;font-size:.85rem}
.adm-form-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:0 1.5rem}
.adm-form-grid>.adm-wide{grid-column:1/-1}
.adm-section-head{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between}
.adm-section-head h2{margin:1rem 0 .5rem}
.adm-secret{display:block;font:1rem/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all;background:var(--bg);border:1px dashed var(--muted);border-radius:6px;padding:.6rem .8rem;margin:.5rem 0;user-select:all}
.adm-kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
.adm-kv dt{font-weight:600;color:var(--muted)}
.adm-kv dd{margin:0;min-width:0;overflow-wrap:anywhere}
.adm-nowrap{white-space:nowrap}
.adm-table td.adm-num,.adm-table th.adm-num{text-align:right;font-variant-numeric:tabular-nums}
.adm-list-plain{list-style:none;margin:0;padding:0;display:grid;gap:.35rem}
@media (max-width:760px){.adm-table-stack>thead{position:absolute;left:-9999px}
.adm-table-stack>tbody>tr{display:block;border-bottom:1px solid var(--line);padding:.5rem 0}
.adm-table-stack>tbody>tr>td,.adm-table-stack>tbody>tr>th{display:block;border:0;padding:.2rem .75rem}
.adm-table-stack>tbody>tr>td[data-label]::before{content:attr(data-label);display:block;font-size:.8rem;font-weight:600;color:var(--muted)}}
`;

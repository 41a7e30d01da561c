// Form parts shared by the account pages: a labelled field that shows its problem beside it and keeps what
// was typed (password fields never do), the summary of problems at the top, and the hidden CSRF token.
import type { ComponentChildren } from 'preact';

export type Problems = Record<string, string>;

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

export function ErrorSummary({
  problems,
  message,
  prefix = '',
}: {
  problems?: Problems;
  message?: string | null;
  prefix?: string;
}) {
  const list = Object.entries(problems ?? {});
  if (!message && list.length === 0) return null;
  return (
    <div class="errors" role="alert" tabIndex={-1} id="errors">
      <h2>There is a problem</h2>
      {message ? <p>{message}</p> : null}
      {list.length ? (
        <ul>
          {list.map(([field, text]) => (
            <li key={field}>
              <a href={`#f-${prefix}${field}`}>{text}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {children}
    </div>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  problem?: string | undefined;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  maxLength?: number;
  /** Keeps ids unique when several forms on one page share a field name. */
  prefix?: string;
}

export function Field({
  name,
  label,
  type = 'text',
  value,
  problem,
  hint,
  autocomplete,
  required = true,
  maxLength,
  prefix = '',
}: FieldProps) {
  const id = `f-${prefix}${name}`;
  const described = [hint ? `${id}-hint` : null, problem ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        required={required}
        maxLength={maxLength}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {hint ? (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {problem ? (
        <p class="field__error" id={`${id}-error`}>
          {problem}
        </p>
      ) : null}
    </div>
  );
}

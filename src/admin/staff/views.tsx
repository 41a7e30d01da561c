// The Staff screens: the list of the newsroom's people with their roles per site and two-factor set-up, a
// person's page (roles to add and remove, disabling, ending sessions), the invitation form, and the page
// where an invited person sets their first password. Plain forms; the few that cannot be undone ask first
// (data-confirm, through admin.js).
import { PASSWORD_MIN } from '../../accounts/passwords.ts';
import type { RoleGrant } from '../../accounts/repository.ts';
import type { SessionListing } from '../../accounts/sessions.ts';
import type { DatelineError } from '../../errors/catalogue.ts';
import { ButtonForm, Csrf, RefusedPanel, SelectField } from '../sites/form-parts.tsx';
import { Field } from '../views/layout.tsx';
import { GRANTABLE_ROLES, type StaffMember } from './staff-directory.ts';

export type SiteNames = Map<number, string>;

function scopeName(siteId: number | null, sites: SiteNames): string {
  return siteId === null ? 'All sites' : (sites.get(siteId) ?? `Site ${siteId}`);
}

function RoleBadges({ roles, sites }: { roles: RoleGrant[]; sites: SiteNames }) {
  return (
    <ul class="adm-list-plain">
      {roles.map((g) => (
        <li key={`${g.role}@${g.siteId}`}>
          <span class={`adm-badge${g.role === 'owner' || g.role === 'admin' ? ' adm-badge-warn' : ''}`}>
            {g.role}
          </span>{' '}
          {scopeName(g.siteId, sites)}
        </li>
      ))}
    </ul>
  );
}

export function TwoFactorBadge({ person, required }: { person: StaffMember; required: boolean }) {
  if (person.totp || person.passkeys > 0)
    return (
      <span class="adm-badge adm-badge-ok">
        On{person.totp ? ' (app' : ' ('}
        {person.passkeys > 0
          ? `${person.totp ? ', ' : ''}${person.passkeys} passkey${person.passkeys === 1 ? '' : 's'}`
          : ''}
        )
      </span>
    );
  return (
    <span class={`adm-badge ${required ? 'adm-badge-bad' : ''}`}>{required ? 'Off, required' : 'Off'}</span>
  );
}

export function formatWhen(at: Date | null, timeZone: string): string {
  if (!at) return 'Never';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at);
}

export function StaffList(p: {
  people: StaffMember[];
  sites: SiteNames;
  required: (person: StaffMember) => boolean;
  timeZone: string;
  canInvite: boolean;
}) {
  return (
    <>
      {p.canInvite && (
        <div class="adm-toolbar">
          <a class="adm-button" href="/staff/invite">
            Invite someone
          </a>
        </div>
      )}
      {p.people.length === 0 ? (
        <p class="adm-panel">Nobody works on these sites yet. Invite someone.</p>
      ) : (
        <div class="adm-table-wrap">
          <table class="adm-table adm-table-stack">
            <caption class="adm-visually-hidden">The newsroom's people</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Roles</th>
                <th scope="col">Two-factor</th>
                <th scope="col">Account</th>
                <th scope="col">Last in the admin</th>
              </tr>
            </thead>
            <tbody>
              {p.people.map((person) => (
                <tr key={person.id}>
                  <th scope="row">
                    <a href={`/staff/${person.id}`}>{person.displayName}</a>
                    <div class="adm-muted adm-small">{person.email}</div>
                  </th>
                  <td data-label="Roles">
                    <RoleBadges roles={person.roles} sites={p.sites} />
                  </td>
                  <td data-label="Two-factor">
                    <TwoFactorBadge person={person} required={p.required(person)} />
                  </td>
                  <td data-label="Account">
                    <span
                      class={`adm-badge ${person.status === 'active' ? 'adm-badge-ok' : 'adm-badge-bad'}`}
                    >
                      {person.status === 'active' ? 'Active' : 'Disabled'}
                    </span>
                  </td>
                  <td data-label="Last in the admin" class="adm-nowrap">
                    {formatWhen(person.lastSeenAt, p.timeZone)}
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

/** Where a role may be granted: the sites the staff member manages staff of, and the network if theirs. */
export interface ScopeChoice {
  value: string;
  label: string;
}

export function PersonView(p: {
  person: StaffMember;
  sites: SiteNames;
  csrf: string;
  scopes: ScopeChoice[];
  mayRemove: (g: RoleGrant) => boolean;
  mayManage: boolean;
  isSelf: boolean;
  sessions: SessionListing[];
  twoFactorRequired: boolean;
  /** Required because of an admin or owner role (always), rather than asked of them. */
  twoFactorByRole: boolean;
  timeZone: string;
  error?: DatelineError | null;
  problems: Record<string, string>;
  values: { role: string; site: string };
}) {
  const owner = p.person.roles.some((g) => g.role === 'owner');
  return (
    <>
      <p class="adm-muted">
        <a href="/staff">All staff</a>
      </p>
      <RefusedPanel error={p.error} />
      <section class="adm-panel" aria-labelledby="person-facts">
        <h2 class="adm-panel-title" id="person-facts">
          Account
        </h2>
        <dl class="adm-kv">
          <dt>Email</dt>
          <dd>{p.person.email ?? '(none)'}</dd>
          <dt>Account</dt>
          <dd>
            <span class={`adm-badge ${p.person.status === 'active' ? 'adm-badge-ok' : 'adm-badge-bad'}`}>
              {p.person.status === 'active' ? 'Active' : 'Disabled'}
            </span>
          </dd>
          <dt>Two-factor</dt>
          <dd>
            <TwoFactorBadge person={p.person} required={p.twoFactorRequired} />
            {p.twoFactorByRole && (
              <span class="adm-muted"> Admins and owners must sign in with an authenticator app.</span>
            )}
            {!p.twoFactorByRole && p.mayManage && (
              <div class="adm-two-factor-rule">
                <ButtonForm
                  action={`/staff/${p.person.id}/two-factor`}
                  csrf={p.csrf}
                  fields={{ required: p.person.twoFactorAsked ? '0' : '1' }}
                  label={p.person.twoFactorAsked ? 'Stop requiring two-factor' : 'Require two-factor sign-in'}
                  kind={p.person.twoFactorAsked ? 'quiet' : 'primary'}
                />
              </div>
            )}
          </dd>
          <dt>Last in the admin</dt>
          <dd>{formatWhen(p.person.lastSeenAt, p.timeZone)}</dd>
        </dl>
        {p.mayManage && !owner && (
          <div class="adm-actions adm-person-actions">
            {p.person.status === 'active' ? (
              !p.isSelf && (
                <ButtonForm
                  action={`/staff/${p.person.id}/status`}
                  csrf={p.csrf}
                  fields={{ disabled: '1' }}
                  label="Disable the account"
                  kind="danger"
                  confirm={`Disable ${p.person.displayName}? They are signed out everywhere at once and cannot sign in until enabled again.`}
                />
              )
            ) : (
              <ButtonForm
                action={`/staff/${p.person.id}/status`}
                csrf={p.csrf}
                fields={{ disabled: '0' }}
                label="Enable the account"
                kind="primary"
              />
            )}
          </div>
        )}
        {owner && <p class="adm-muted">The owner cannot be disabled or lose the owner role.</p>}
      </section>

      <section class="adm-panel" aria-labelledby="person-roles">
        <h2 class="adm-panel-title" id="person-roles">
          Roles
        </h2>
        <div class="adm-table-wrap adm-table-inner">
          <table class="adm-table">
            <caption class="adm-visually-hidden">Roles of {p.person.displayName}</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Where</th>
                <th scope="col">
                  <span class="adm-visually-hidden">Change</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.person.roles.map((g) => (
                <tr key={`${g.role}@${g.siteId}`}>
                  <td>{g.role}</td>
                  <td>{scopeName(g.siteId, p.sites)}</td>
                  <td>
                    {g.role !== 'owner' && p.mayRemove(g) && (
                      <ButtonForm
                        action={`/staff/${p.person.id}/roles/remove`}
                        csrf={p.csrf}
                        fields={{ role: g.role, site: g.siteId === null ? '' : String(g.siteId) }}
                        label="Remove"
                        ariaLabel={`Remove the ${g.role} role on ${scopeName(g.siteId, p.sites)}`}
                        kind="danger"
                        confirm={`Remove the ${g.role} role on ${scopeName(g.siteId, p.sites)} from ${p.person.displayName}?`}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {p.scopes.length > 0 && (
          <form method="post" action={`/staff/${p.person.id}/roles`} class="adm-toolbar adm-add-role">
            <Csrf token={p.csrf} />
            <SelectField
              name="role"
              label="Add a role"
              value={p.values.role}
              options={GRANTABLE_ROLES.map((r) => ({ value: r, label: r }))}
              problem={p.problems.role}
            />
            <SelectField
              name="site"
              label="On"
              value={p.values.site}
              options={p.scopes}
              problem={p.problems.site}
            />
            <button type="submit" class="adm-button">
              Add the role
            </button>
          </form>
        )}
      </section>

      <section class="adm-panel" aria-labelledby="person-sessions">
        <h2 class="adm-panel-title" id="person-sessions">
          Admin sessions
        </h2>
        {p.sessions.length === 0 ? (
          <p class="adm-muted">Not signed in to the admin anywhere.</p>
        ) : (
          <ul class="adm-list-plain adm-sessions">
            {p.sessions.map((s) => (
              <li key={s.id}>
                {formatWhen(s.lastSeenAt, p.timeZone)} · <span class="adm-muted">{s.ip}</span> ·{' '}
                <span class="adm-muted adm-ua">{s.userAgent.slice(0, 120) || 'unknown browser'}</span>
              </li>
            ))}
          </ul>
        )}
        {p.mayManage && (
          <ButtonForm
            action={`/staff/${p.person.id}/sessions/end`}
            csrf={p.csrf}
            label={p.isSelf ? 'Sign out my other sessions' : 'End all sessions'}
            kind="danger"
            confirm={
              p.isSelf
                ? 'Sign out every other browser where you are signed in?'
                : `Sign ${p.person.displayName} out everywhere, on the admin and the sites?`
            }
          />
        )}
      </section>
    </>
  );
}

export interface InviteValues {
  email: string;
  displayName: string;
  role: string;
  site: string;
}

export function InviteForm(p: {
  values: InviteValues;
  problems: Record<string, string>;
  error?: DatelineError | null;
  scopes: ScopeChoice[];
  csrf: string;
}) {
  return (
    <>
      <p class="adm-muted">
        <a href="/staff">All staff</a>
      </p>
      <RefusedPanel error={p.error} />
      <form method="post" action="/staff/invite" class="adm-panel adm-narrow-form" novalidate>
        <Csrf token={p.csrf} />
        <Field
          name="email"
          label="Email address"
          type="email"
          value={p.values.email}
          problem={p.problems.email}
          autocomplete="off"
          required
        />
        <Field
          name="displayName"
          label="Name"
          value={p.values.displayName}
          hint="As bylines and the audit log show it."
          problem={p.problems.displayName}
          required
        />
        <SelectField
          name="role"
          label="Role"
          value={p.values.role}
          options={GRANTABLE_ROLES.map((r) => ({ value: r, label: r }))}
          hint="contributor writes drafts; author publishes their own; editor runs stories, sections and the wire; moderator, comments; admin, the site."
          problem={p.problems.role}
        />
        <SelectField
          name="site"
          label="On"
          value={p.values.site}
          options={p.scopes}
          problem={p.problems.site}
        />
        <p class="adm-hint">
          They get a mail with a link to set their password (valid 24 hours, once). Someone who already has an
          account gets the role and a mail saying so.
        </p>
        <button type="submit" class="adm-button">
          Send the invitation
        </button>
      </form>
    </>
  );
}

export function SetPasswordPage(p: { csrf: string; token: string; problem?: string; done?: boolean }) {
  if (p.done)
    return (
      <div class="adm-panel adm-narrow">
        <p>Your password is set. Sign in to the newsroom with your email address and the new password.</p>
        <p>
          <a class="adm-button" href="/login">
            Sign in
          </a>
        </p>
      </div>
    );
  return (
    <form method="post" action="/account/reset" class="adm-panel adm-narrow" novalidate>
      <Csrf token={p.csrf} />
      <input type="hidden" name="t" value={p.token} />
      <Field
        name="password"
        label="New password"
        type="password"
        autocomplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters; a few unusual words make a good one.`}
        problem={p.problem}
        required
      />
      <button type="submit" class="adm-button">
        Set the password
      </button>
    </form>
  );
}

export const STAFF_CSS = `
.adm-person-actions{margin-top:1rem}
.adm-two-factor-rule{margin-top:.5rem}
.adm-add-role{margin-top:1rem}
.adm-table-inner{margin:0 0 .5rem}
.adm-sessions{margin:0 0 1rem}
.adm-ua{overflow-wrap:anywhere}
`;

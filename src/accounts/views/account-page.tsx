// "My account": profile, email and password changes, linked logins, active sign-ins, news alerts, data
// download and deletion. Each section is its own small form, so a problem in one keeps the others as they
// were; the section with the problem shows what was typed.
import type { VNode } from 'preact';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import { NAME_MAX } from '../fields.ts';
import { PASSWORD_MIN } from '../passwords.ts';
import type { Identity, RoleGrant, User } from '../repository.ts';
import type { SessionListing } from '../sessions.ts';
import { Csrf, ErrorSummary, Field, Notice, type Problems } from './forms.tsx';
import type { ProviderLink } from './pages.tsx';

export interface AccountPageProps {
  ctx: SiteContext;
  csrf: string;
  user: User;
  roles: RoleGrant[];
  identities: Identity[];
  sessions: SessionListing[];
  currentLoginId: string;
  providers: ProviderLink[];
  siteName: (id: number | null) => string;
  notice?: string | null;
  /** Sections other features add (see AccountService.pageParts), before "Your data". */
  parts?: (VNode | null)[];
  /** What deletion does with public writing unless the reader chooses otherwise. */
  deletionDefault?: 'anonymise' | 'remove';
  /** The section that failed, its problems and what was typed. */
  failed?: { form: string; problems: Problems; values: Record<string, string>; message?: string | null };
}

/** A section another feature adds to My account; null to add nothing for this reader. */
export type AccountPagePart = (p: {
  userId: number;
  csrf: string;
  ctx: SiteContext;
}) => Promise<VNode | null>;

function fmt(ctx: SiteContext, d: Date): string {
  return ctx.dateFormat.format(d);
}

export function AccountPage(p: AccountPageProps) {
  const { ctx, csrf, user } = p;
  const f = (form: string) => (p.failed?.form === form ? p.failed : undefined);
  const profile = f('profile');
  const email = f('email');
  const password = f('password');
  const del = f('delete');
  const logins = new Map<string, SessionListing[]>();
  for (const s of p.sessions) logins.set(s.loginId, [...(logins.get(s.loginId) ?? []), s]);
  const linked = new Set(p.identities.map((i) => i.provider));
  const canUnlink = p.identities.length + (user.hasPassword ? 1 : 0) > 1;
  return (
    <Layout ctx={ctx} title="My account" head={<meta name="robots" content="noindex" />}>
      <div class="account account--wide">
        <h1>My account</h1>
        {p.notice ? <Notice>{p.notice}</Notice> : null}
        {p.failed ? (
          <ErrorSummary
            problems={p.failed.problems}
            message={p.failed.message}
            prefix={p.failed.form === 'profile' ? '' : `${p.failed.form}-`}
          />
        ) : null}
        {!user.email ? (
          <Notice>
            Your account has no email address yet. Add one below so you can set a password or recover your
            account.
          </Notice>
        ) : null}

        <h2 id="profile">Profile</h2>
        <p>
          Your public profile name is <strong>{user.displayName}</strong> (profile id {user.profileSlug}).
          {p.roles.length
            ? ` Roles: ${p.roles.map((r) => `${r.role} (${p.siteName(r.siteId)})`).join(', ')}.`
            : ''}
        </p>
        <form method="post" action="/account/profile" novalidate>
          <Csrf token={csrf} />
          <Field
            name="displayName"
            label="Name to show"
            value={profile?.values.displayName ?? user.displayName}
            problem={profile?.problems.displayName}
            maxLength={NAME_MAX}
            autocomplete="nickname"
          />
          <button class="btn" type="submit">
            Save name
          </button>
        </form>

        <h2 id="email">Email address</h2>
        <p>Your address is {user.email ? <strong>{user.email}</strong> : 'not set'}.</p>
        <form method="post" action="/account/email" novalidate>
          <Csrf token={csrf} />
          <Field
            prefix="email-"
            name="email"
            label="New email address"
            type="email"
            value={email?.values.email}
            problem={email?.problems.email}
            autocomplete="email"
            maxLength={254}
          />
          {user.hasPassword ? (
            <Field
              prefix="email-"
              name="password"
              label="Your password"
              type="password"
              autocomplete="current-password"
              problem={email?.problems.password}
            />
          ) : null}
          <button class="btn" type="submit">
            Change email address
          </button>
        </form>

        <h2 id="password">Password</h2>
        {user.hasPassword ? null : (
          <p>You sign in with a linked login only. You can set a password as well.</p>
        )}
        <form method="post" action="/account/password" novalidate>
          <Csrf token={csrf} />
          {user.hasPassword ? (
            <Field
              prefix="password-"
              name="currentPassword"
              label="Current password"
              type="password"
              autocomplete="current-password"
              problem={password?.problems.currentPassword}
            />
          ) : null}
          <Field
            prefix="password-"
            name="newPassword"
            label="New password"
            type="password"
            autocomplete="new-password"
            hint={`At least ${PASSWORD_MIN} characters. Changing it signs you out everywhere else.`}
            problem={password?.problems.newPassword}
          />
          <button class="btn" type="submit">
            {user.hasPassword ? 'Change password' : 'Set password'}
          </button>
        </form>

        <h2 id="logins">Linked logins</h2>
        {p.identities.length === 0 ? <p>No social or single sign-on login is linked.</p> : null}
        {p.identities.length ? (
          <table class="stacked">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Email</th>
                <th scope="col">Linked</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.identities.map((i) => (
                <tr key={i.id}>
                  <td data-label="Provider">
                    {p.providers.find((x) => x.id === i.provider)?.name ?? i.provider}
                  </td>
                  <td data-label="Email">{i.email ?? '—'}</td>
                  <td data-label="Linked">{fmt(ctx, i.createdAt)}</td>
                  <td>
                    {canUnlink ? (
                      <form class="inline-form" method="post" action={`/account/logins/${i.id}/unlink`}>
                        <Csrf token={csrf} />
                        <button class="btn btn--plain" type="submit">
                          Unlink
                        </button>
                      </form>
                    ) : (
                      'Your only way to sign in'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {p.providers.filter((x) => !linked.has(x.id)).length ? (
          <ul class="providers">
            {p.providers
              .filter((x) => !linked.has(x.id))
              .map((x) => (
                <li key={x.id}>
                  <a class="btn btn--plain" href={`/account/oauth/${x.id}/start?link=1`}>
                    Link your {x.name} login
                  </a>
                </li>
              ))}
          </ul>
        ) : null}

        <h2 id="sessions">Where you are signed in</h2>
        <table class="stacked">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">Sites</th>
            </tr>
          </thead>
          <tbody>
            {[...logins.entries()].map(([loginId, list]) => (
              <tr key={loginId}>
                <td data-label="Device">
                  {list[0]!.userAgent || 'Unknown browser'}
                  {loginId === p.currentLoginId ? ' (this browser)' : ''}
                </td>
                <td data-label="Signed in">{fmt(ctx, list[0]!.createdAt)}</td>
                <td data-label="Last seen">
                  {fmt(ctx, new Date(Math.max(...list.map((s) => s.lastSeenAt.getTime()))))}
                </td>
                <td data-label="Sites">{list.map((s) => p.siteName(s.siteId)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/account/logout-everywhere">
          <Csrf token={csrf} />
          <p>
            <button class="btn btn--plain" type="submit">
              Log out everywhere
            </button>
          </p>
        </form>

        {/* News alerts are in the newsletters feature's part ("Newsletters and alerts", src/newsletters/signup). */}
        {p.parts}

        <h2 id="data">Your data</h2>
        <p>
          <a href="/account/data.json" download="my-data.json">
            Download my data
          </a>{' '}
          (JSON: your profile, roles, linked logins, sign-ins, the mail we sent you, and your comments and
          votes).
        </p>

        <h2 id="delete">Delete my account</h2>
        <p>
          This removes your personal data: email address, password, linked logins, sign-ins and your votes on
          comments. It cannot be undone.
        </p>
        <form method="post" action="/account/delete" novalidate>
          <Csrf token={csrf} />
          <Field
            prefix="delete-"
            name="confirm"
            label='Type "delete" to confirm'
            value={del?.values.confirm}
            problem={del?.problems.confirm}
            autocomplete="off"
          />
          <fieldset class="choice">
            <legend>Your comments</legend>
            {(
              [
                ['anonymise', 'Keep them, shown as written by “deleted member”'],
                ['remove', 'Remove them'],
              ] as const
            ).map(([value, label]) => (
              <label key={value}>
                <input
                  type="radio"
                  name="publicWriting"
                  value={value}
                  checked={(del?.values.publicWriting || p.deletionDefault || 'anonymise') === value}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          {user.hasPassword ? (
            <Field
              prefix="delete-"
              name="password"
              label="Your password"
              type="password"
              autocomplete="current-password"
              problem={del?.problems.password}
            />
          ) : null}
          <button class="btn btn--danger" type="submit">
            Delete my account
          </button>
        </form>
      </div>
    </Layout>
  );
}

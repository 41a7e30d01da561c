// The reader's account pages inside the site's frame: sign in, register, forgot password, set a new
// password, the confirm-a-link pages, the sign-in hop, and plain messages. Every form posts to this site,
// carries its CSRF token, works without JavaScript and, after a problem, shows what was typed again.
import type { ComponentChildren } from 'preact';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import { NAME_MAX } from '../fields.ts';
import { PASSWORD_MIN } from '../passwords.ts';
import { Csrf, ErrorSummary, Field, Notice, type Problems } from './forms.tsx';

interface Base {
  ctx: SiteContext;
  csrf: string;
}

function Frame({
  ctx,
  title,
  children,
  wide,
  noindex = true,
}: {
  ctx: SiteContext;
  title: string;
  children: ComponentChildren;
  wide?: boolean;
  noindex?: boolean;
}) {
  return (
    <Layout ctx={ctx} title={title} head={noindex ? <meta name="robots" content="noindex" /> : null}>
      <div class={wide ? 'account account--wide' : 'account'}>{children}</div>
    </Layout>
  );
}

export interface ProviderLink {
  id: string;
  name: string;
}

function ProviderButtons({
  providers,
  next,
  verb,
}: {
  providers: ProviderLink[];
  next: string;
  verb: string;
}) {
  if (providers.length === 0) return null;
  return (
    <>
      <h2>{verb} with another account</h2>
      <p>
        Use your social account to log in or register. If you register this way, we will also send you one
        email inviting you to our news alerts.
      </p>
      <ul class="providers">
        {providers.map((p) => (
          <li key={p.id}>
            <a class="btn btn--plain" href={`/account/oauth/${p.id}/start?next=${encodeURIComponent(next)}`}>
              Continue with {p.name}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function LoginPage(
  props: Base & {
    email?: string;
    next: string;
    message?: string | null;
    problems?: Problems;
    notice?: string | null;
    providers: ProviderLink[];
    sisters: { name: string; url: string }[];
  },
) {
  const { ctx, csrf, next } = props;
  return (
    <Frame ctx={ctx} title="Log in">
      <h1>Login with your account</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <ErrorSummary problems={props.problems} message={props.message} />
      <form method="post" action="/account/login" novalidate>
        <Csrf token={csrf} />
        <input type="hidden" name="next" value={next} />
        <Field
          name="email"
          label="Email address"
          type="email"
          value={props.email}
          autocomplete="username"
          problem={props.problems?.email}
          maxLength={254}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          problem={props.problems?.password}
        />
        <p>
          <button class="btn" type="submit">
            Log in
          </button>
        </p>
      </form>
      <p>
        <a href="/account/forgot">Forgot password?</a>
      </p>
      <p>
        New here? <a href={`/account/register?next=${encodeURIComponent(next)}`}>User registration</a>
      </p>
      <ProviderButtons providers={props.providers} next={next} verb="Log in" />
      {props.sisters.length ? (
        <>
          <h2>Signed in on one of our other sites?</h2>
          <ul>
            {props.sisters.map((s) => (
              <li key={s.url}>
                <a href={s.url}>Continue with your account from {s.name}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Frame>
  );
}

export function RegisterPage(
  props: Base & {
    values: { email?: string; displayName?: string };
    next: string;
    message?: string | null;
    problems?: Problems;
    providers: ProviderLink[];
  },
) {
  const { ctx, csrf, values, problems, next } = props;
  return (
    <Frame ctx={ctx} title="Register">
      <h1>User registration</h1>
      <p>One account works on every site of our network.</p>
      <ErrorSummary problems={problems} message={props.message} />
      <form method="post" action="/account/register" novalidate>
        <Csrf token={csrf} />
        <input type="hidden" name="next" value={next} />
        <Field
          name="email"
          label="Email address"
          type="email"
          value={values.email}
          autocomplete="email"
          problem={problems?.email}
          maxLength={254}
        />
        <Field
          name="displayName"
          label="Name to show"
          value={values.displayName}
          autocomplete="nickname"
          hint="Shown beside your comments."
          problem={problems?.displayName}
          maxLength={NAME_MAX}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a good one.`}
          problem={problems?.password}
        />
        <p>
          <button class="btn" type="submit">
            Register
          </button>
        </p>
      </form>
      <p>
        Already registered? <a href="/account/login">Log in</a>
      </p>
      <ProviderButtons providers={props.providers} next={next} verb="Register" />
    </Frame>
  );
}

export function ForgotPage(props: Base & { email?: string; problems?: Problems; message?: string | null }) {
  return (
    <Frame ctx={props.ctx} title="Forgot password">
      <h1>Forgot password?</h1>
      <p>Enter the email address of your account. We will send you a link to set a new password.</p>
      <ErrorSummary problems={props.problems} message={props.message} />
      <form method="post" action="/account/forgot" novalidate>
        <Csrf token={props.csrf} />
        <Field
          name="email"
          label="Email address"
          type="email"
          value={props.email}
          autocomplete="username"
          problem={props.problems?.email}
          maxLength={254}
        />
        <p>
          <button class="btn" type="submit">
            Send me a link
          </button>
        </p>
      </form>
    </Frame>
  );
}

export function ResetPage(props: Base & { token: string; problems?: Problems; message?: string | null }) {
  return (
    <Frame ctx={props.ctx} title="Set a new password">
      <h1>Set a new password</h1>
      <p>Setting a new password signs you out on every device.</p>
      <ErrorSummary problems={props.problems} message={props.message} />
      <form method="post" action="/account/reset" novalidate>
        <Csrf token={props.csrf} />
        <input type="hidden" name="t" value={props.token} />
        <Field
          name="password"
          label="New password"
          type="password"
          autocomplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters.`}
          problem={props.problems?.password}
        />
        <p>
          <button class="btn" type="submit">
            Set password
          </button>
        </p>
      </form>
    </Frame>
  );
}

/** The page a mailed link opens: one button confirms, so that mail scanners following links change nothing. */
export function ConfirmLinkPage(
  props: Base & { action: string; token: string; title: string; text: string; button: string },
) {
  return (
    <Frame ctx={props.ctx} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <form method="post" action={props.action}>
        <Csrf token={props.csrf} />
        <input type="hidden" name="t" value={props.token} />
        <p>
          <button class="btn" type="submit">
            {props.button}
          </button>
        </p>
      </form>
    </Frame>
  );
}

export function MessagePage(props: {
  ctx: SiteContext;
  title: string;
  paragraphs: string[];
  links?: { href: string; text: string }[];
}) {
  return (
    <Frame ctx={props.ctx} title={props.title}>
      <h1>{props.title}</h1>
      {props.paragraphs.map((p) => (
        <p key={p}>{p}</p>
      ))}
      {props.links?.length ? (
        <ul>
          {props.links.map((l) => (
            <li key={l.href}>
              <a href={l.href}>{l.text}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Frame>
  );
}

/**
 * After signing in: the browser goes on to sign in on each sister site. A new navigation (meta refresh,
 * not a redirect of the form's POST) so the CSP's form-action 'self' holds; the link is there for anyone
 * whose browser does not follow it.
 */
export function HopPage({ ctx, url }: { ctx: SiteContext; url: string }) {
  return (
    <Layout ctx={ctx} title="Signing you in" head={<meta http-equiv="refresh" content={`0;url=${url}`} />}>
      <div class="account">
        <h1>Signing you in</h1>
        <p>You are signed in. We are signing you in on our other sites too.</p>
        <p>
          <a class="btn" href={url}>
            Continue
          </a>
        </p>
      </div>
    </Layout>
  );
}

// The pages behind the links in newsletter mail, none of which needs signing in: confirming a signup (a
// button, since mail scanners fetch links), the preference page (choose newsletters, or leave them all),
// the one-click unsubscribe page a plain GET shows (its button posts List-Unsubscribe=One-Click, as a mail
// client's RFC 8058 request does), what each did, and the clear page for a link that is not valid.
import type { ComponentChildren } from 'preact';
import { Csrf, ErrorSummary, Notice, type Problems } from '../../../accounts/views/forms.tsx';
import type { SiteContext } from '../../../sites/directory.ts';
import { Layout } from '../../../web/views/layout.tsx';
import { howOften } from '../schedule-words.ts';
import type { ListChoice } from '../subscriptions.ts';
import { TrackingStatement } from './signup-page.tsx';

function Frame({ ctx, title, children }: { ctx: SiteContext; title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={ctx} title={title} head={<meta name="robots" content="noindex" />}>
      <div class="account newsletters">{children}</div>
    </Layout>
  );
}

/** A mailbox shown without giving it away to someone looking over the shoulder: j•••@example.com. */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return email;
  return `${email[0]}•••${email.slice(at)}`;
}

export function ConfirmPage(p: {
  ctx: SiteContext;
  csrf: string;
  token: string;
  email: string;
  lists: string[];
}) {
  return (
    <Frame ctx={p.ctx} title="Confirm your subscription">
      <h1>Confirm your subscription</h1>
      {p.lists.length ? (
        <>
          <p>Confirm that {maskAddress(p.email)} should receive:</p>
          <ul>
            {p.lists.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>
          There is nothing left to confirm for {maskAddress(p.email)}: the subscription is confirmed already.
        </p>
      )}
      {p.lists.length ? (
        <form method="post" action="/newsletters/confirm">
          <Csrf token={p.csrf} />
          <input type="hidden" name="t" value={p.token} />
          <p>
            <button class="btn" type="submit">
              Yes, subscribe me
            </button>
          </p>
        </form>
      ) : (
        <p>
          <a href="/newsletters">All our newsletters</a>
        </p>
      )}
    </Frame>
  );
}

export function ConfirmedPage({ ctx, names }: { ctx: SiteContext; names: string[] }) {
  return (
    <Frame ctx={ctx} title="Subscription confirmed">
      <h1>Subscription confirmed</h1>
      {names.length ? (
        <>
          <p>Thank you. You will receive:</p>
          <ul>
            {names.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>Your subscription was confirmed already.</p>
      )}
      <p>Every newsletter has a link to change your choice or leave with one click.</p>
      <p>
        <a href="/">{ctx.site.name} home page</a>
      </p>
    </Frame>
  );
}

export function PreferencesPage(p: {
  ctx: SiteContext;
  csrf: string;
  token: string;
  email: string;
  choices: ListChoice[];
  notice?: string | null;
  problems?: Problems;
}) {
  const { ctx } = p;
  return (
    <Frame ctx={ctx} title="Your newsletters">
      <h1>Your newsletters</h1>
      {p.notice ? <Notice>{p.notice}</Notice> : null}
      <ErrorSummary problems={p.problems} />
      <p>
        What {ctx.site.name} sends to {maskAddress(p.email)}. Tick what you want to receive.
      </p>
      <form method="post" action="/newsletters/preferences" novalidate>
        <Csrf token={p.csrf} />
        <input type="hidden" name="t" value={p.token} />
        <fieldset class="newsletters__choice">
          <legend id="f-newsletters">Newsletters and alerts</legend>
          <ul class="newsletters__list">
            {p.choices.map(({ newsletter: list, status }) => (
              <li key={list.id} class="newsletter">
                <input
                  id={`n-${list.id}`}
                  type="checkbox"
                  name="n"
                  value={String(list.id)}
                  checked={status === 'active'}
                  aria-describedby={`n-${list.id}-about`}
                />
                <div class="newsletter__text">
                  <label for={`n-${list.id}`} class="newsletter__name">
                    {list.name}
                  </label>
                  <div id={`n-${list.id}-about`}>
                    <p class="newsletter__often">{howOften(list, ctx.site.timeZone)}</p>
                    {status === 'pending' ? (
                      <p class="newsletter__status">Waiting for you to confirm it from the mail we sent.</p>
                    ) : null}
                    {/* Unticked alone reads the same as never asked for: say the reader left it. */}
                    {status === 'unsubscribed' ? (
                      <p class="newsletter__status">You unsubscribed. Tick it to receive it again.</p>
                    ) : null}
                    {list.trackEngagement ? <TrackingStatement ctx={ctx} /> : null}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </fieldset>
        <p class="newsletters__actions">
          <button class="btn" type="submit" name="action" value="save">
            Save my choice
          </button>
          <button class="btn btn--plain" type="submit" name="action" value="leave">
            Leave all
          </button>
        </p>
      </form>
    </Frame>
  );
}

export function UnsubscribePage(p: {
  ctx: SiteContext;
  action: string;
  email: string;
  name: string;
  preferences: string | null;
}) {
  return (
    <Frame ctx={p.ctx} title={`Unsubscribe from ${p.name}`}>
      <h1>Unsubscribe from {p.name}</h1>
      <p>
        Stop sending {p.name} to {maskAddress(p.email)}?
      </p>
      <form method="post" action={p.action}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <p>
          <button class="btn" type="submit">
            Unsubscribe
          </button>
        </p>
      </form>
      {p.preferences ? (
        <p>
          Or keep it and <a href={p.preferences}>choose which newsletters and alerts you get</a>.
        </p>
      ) : null}
    </Frame>
  );
}

export function UnsubscribedPage({
  ctx,
  name,
  preferences,
}: {
  ctx: SiteContext;
  name: string;
  preferences: string | null;
}) {
  return (
    <Frame ctx={ctx} title="You are unsubscribed">
      <h1>You are unsubscribed</h1>
      <p>You will no longer receive {name}.</p>
      {preferences ? (
        <p>
          <a href={preferences}>Choose your other newsletters</a>
        </p>
      ) : null}
      <p>
        <a href="/">{ctx.site.name} home page</a>
      </p>
    </Frame>
  );
}

export function LinkProblemPage({
  ctx,
  title,
  message,
  code,
}: {
  ctx: SiteContext;
  title: string;
  message: string;
  code: string;
}) {
  return (
    <Frame ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p class="newsletter__often">Error code: {code}</p>
      <ul>
        <li>
          <a href="/newsletters">All our newsletters</a>
        </li>
        <li>
          <a href="/">{ctx.site.name} home page</a>
        </li>
      </ul>
    </Frame>
  );
}

// The /newsletters page of every site: its active newsletters, each with what it is, how often it goes
// out, a link to its latest issue and, when the list counts opens and clicks, a statement saying so; then
// one form (email only, no account needed; a checkbox per newsletter) that works without JavaScript. A
// signed-in reader with a verified address gets the same choices with one button and no address to type.
// Also the answer after a signup, which is the same whatever the address's standing ("Check your inbox").

import { EMAIL_MAX } from '../../../accounts/fields.ts';
import { Csrf, ErrorSummary, Field, Notice, type Problems } from '../../../accounts/views/forms.tsx';
import type { SiteContext } from '../../../sites/directory.ts';
import { Layout } from '../../../web/views/layout.tsx';
import type { Newsletter } from '../../lists.ts';
import { PushOptIn } from '../../push/opt-in.tsx';
import type { SubscriptionStatus } from '../../tables.ts';
import { howOften } from '../schedule-words.ts';

export interface SignupPageProps {
  ctx: SiteContext;
  csrf: string;
  lists: Newsletter[];
  /** Lists ticked (what was sent, or the one the article box named). */
  checked: Set<number>;
  email: string;
  problems?: Problems;
  /** A signed-in reader: their address, whether it is verified, and where they stand on each list. */
  account: { email: string | null; verified: boolean; statuses: Map<number, SubscriptionStatus> } | null;
  notice?: string | null;
}

export function TrackingStatement({ ctx }: { ctx: SiteContext }) {
  return (
    <p class="newsletter__tracking">
      We count who opens this newsletter and which links they follow, on our own site only (a tiny picture and
      links through {ctx.site.hosts[0] ?? 'our site'}). No other company sees it.
    </p>
  );
}

function ListChoice({
  ctx,
  list,
  checked,
  status,
}: {
  ctx: SiteContext;
  list: Newsletter;
  checked: boolean;
  status: SubscriptionStatus | null;
}) {
  const id = `n-${list.id}`;
  const receiving = status === 'active';
  return (
    <li class="newsletter">
      <input
        id={id}
        type="checkbox"
        name="n"
        value={String(list.id)}
        checked={checked || receiving}
        disabled={receiving}
        aria-describedby={`${id}-about`}
      />
      <div class="newsletter__text">
        <label for={id} class="newsletter__name">
          {list.name}
        </label>
        <div id={`${id}-about`}>
          {list.description ? <p class="newsletter__description">{list.description}</p> : null}
          <p class="newsletter__often">{howOften(list, ctx.site.timeZone)}</p>
          {receiving ? <p class="newsletter__status">You receive this newsletter.</p> : null}
          {list.trackEngagement ? <TrackingStatement ctx={ctx} /> : null}
        </div>
        {list.kind === 'digest' ? (
          <p class="newsletter__sample">
            <a href={`/newsletters/${list.slug}/latest`}>See the latest issue of {list.name}</a>
          </p>
        ) : null}
      </div>
    </li>
  );
}

export function SignupPage(p: SignupPageProps) {
  const { ctx } = p;
  const oneClick = p.account?.email && p.account.verified ? p.account.email : null;
  const statuses = p.account?.statuses ?? new Map<number, SubscriptionStatus>();
  const problems = p.problems ?? {};
  return (
    <Layout
      ctx={ctx}
      title="Newsletters"
      path="/newsletters"
      description={`Newsletters from ${ctx.site.name}`}
    >
      <div class="account account--wide newsletters">
        <h1>Newsletters</h1>
        {p.notice ? <Notice>{p.notice}</Notice> : null}
        <ErrorSummary problems={problems} />
        {p.lists.length === 0 ? (
          <p>{ctx.site.name} has no newsletters yet.</p>
        ) : (
          <form method="post" action="/newsletters" novalidate>
            <Csrf token={p.csrf} />
            <p>
              Get {ctx.site.name} in your inbox. Newsletters are free, and every one has a link to leave with
              one click.
            </p>
            <fieldset
              class="newsletters__choice"
              aria-describedby={problems.newsletters ? 'f-newsletters-error' : undefined}
            >
              <legend id="f-newsletters">Choose newsletters</legend>
              {problems.newsletters ? (
                <p class="field__error" id="f-newsletters-error">
                  {problems.newsletters}
                </p>
              ) : null}
              <ul class="newsletters__list">
                {p.lists.map((list) => (
                  <ListChoice
                    key={list.id}
                    ctx={ctx}
                    list={list}
                    checked={p.checked.has(list.id)}
                    status={statuses.get(list.id) ?? null}
                  />
                ))}
              </ul>
            </fieldset>
            {oneClick ? (
              <>
                <input type="hidden" name="account" value="1" />
                <p>
                  You are signed in: we will send them to <strong>{oneClick}</strong>. You can change your
                  newsletters at any time in <a href="/account#newsletters">My account</a>.
                </p>
              </>
            ) : (
              <Field
                name="email"
                label="Your email address"
                type="email"
                value={p.email}
                problem={problems.email}
                autocomplete="email"
                maxLength={EMAIL_MAX}
                hint="We send a mail to confirm it first; until you confirm, you get nothing else."
              />
            )}
            <p>
              <button class="btn" type="submit">
                Sign up
              </button>
            </p>
          </form>
        )}
        {p.lists.some((l) => l.kind === 'alerts') ? (
          <PushOptIn>
            <h2>Alerts in this browser</h2>
            <p>Breaking news alerts can also arrive as notifications from this browser, without a mail.</p>
          </PushOptIn>
        ) : null}
      </div>
    </Layout>
  );
}

/** The answer to every signup by address, subscribed already or not, so it tells nothing about the address. */
export function CheckInboxPage({ ctx }: { ctx: SiteContext }) {
  return (
    <Layout ctx={ctx} title="Check your inbox" head={<meta name="robots" content="noindex" />}>
      <div class="account newsletters">
        <h1>Check your inbox</h1>
        <p>
          If the address can receive our newsletters, a mail to confirm the subscription is on its way. Open
          the link in it to start receiving them.
        </p>
        <p>
          The link works for 7 days. Nothing arrived? Look in your spam folder, or sign up again in 10
          minutes.
        </p>
        <p>
          <a href="/">{ctx.site.name} home page</a>
        </p>
      </div>
    </Layout>
  );
}

/** A signed-in reader's one-click signup: active at once. */
export function SubscribedPage({ ctx, names }: { ctx: SiteContext; names: string[] }) {
  return (
    <Layout ctx={ctx} title="You are subscribed" head={<meta name="robots" content="noindex" />}>
      <div class="account newsletters">
        <h1>You are subscribed</h1>
        {names.length ? (
          <>
            <p>You will receive:</p>
            <ul>
              {names.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </>
        ) : (
          <p>You already receive the newsletters you chose.</p>
        )}
        <p>
          Change them at any time in <a href="/account#newsletters">My account</a>, or from the link in any
          newsletter.
        </p>
      </div>
    </Layout>
  );
}

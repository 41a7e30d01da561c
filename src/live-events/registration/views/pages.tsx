// The reader's registration pages: the form at /events/<slug>/register (name, email and the event's own
// questions; one click for a signed-in reader with a verified address; "Join the waitlist" when full), the
// answer after a signed-out registration (the same whatever the address's standing), the button pages that
// mailed confirm and claim links open (mail scanners fetch links, so only a POST acts), the personal page
// (status, the join link for webinars, calendar links, cancel or leave the waitlist) and the page for a
// refusal or a link that is not valid. Everything works without JavaScript.
import { EMAIL_MAX } from '../../../accounts/fields.ts';
import { Csrf, ErrorSummary, Field, Notice, type Problems } from '../../../accounts/views/forms.tsx';
import type { SiteContext } from '../../../sites/directory.ts';
import { Layout } from '../../../web/views/layout.tsx';
import type { LiveEvent } from '../../repository.ts';
import { EventWhen, eventPath } from '../../views/event-pages.tsx';
import type { CalendarLinks } from '../calendar-links.ts';
import type { RegistrationQuestion } from '../questions.ts';
import type { Registration } from '../repository.ts';

const noindex = <meta name="robots" content="noindex" />;

function EventHeading({ ctx, event }: { ctx: SiteContext; event: LiveEvent }) {
  return (
    <header class="registration__event">
      <a class="article__section" href={eventPath(event)}>
        {event.title}
      </a>
      <p class="registration__when">
        <EventWhen event={event} language={ctx.site.language} />
      </p>
    </header>
  );
}

function Question({ q, value, problem }: { q: RegistrationQuestion; value: string; problem?: string }) {
  const id = `f-q-${q.id}`;
  const name = `q-${q.id}`;
  const optional = q.required ? null : <span class="registration__optional"> (optional)</span>;
  const error = problem ? (
    <p class="field__error" id={`${id}-error`}>
      {problem}
    </p>
  ) : null;
  if (q.kind === 'text')
    return (
      <div class="field">
        <label for={id}>
          {q.label}
          {optional}
        </label>
        <input
          id={id}
          name={name}
          type="text"
          value={value}
          required={q.required}
          maxLength={1000}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
        />
        {error}
      </div>
    );
  if (q.kind === 'checkbox')
    return (
      <div class="field registration__check">
        <input
          id={id}
          name={name}
          type="checkbox"
          value="1"
          checked={value !== ''}
          required={q.required}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
        />
        <label for={id}>
          {q.label}
          {optional}
        </label>
        {error}
      </div>
    );
  return (
    <fieldset class="field registration__choice" aria-describedby={problem ? `${id}-error` : undefined}>
      <legend id={id}>
        {q.label}
        {optional}
      </legend>
      {error}
      {(q.options ?? []).map((o, i) => (
        <div key={o} class="registration__option">
          <input
            id={`${id}-${i}`}
            type="radio"
            name={name}
            value={o}
            checked={value === o}
            required={q.required}
          />
          <label for={`${id}-${i}`}>{o}</label>
        </div>
      ))}
    </fieldset>
  );
}

export interface RegisterPageProps {
  ctx: SiteContext;
  event: LiveEvent;
  csrf: string;
  questions: RegistrationQuestion[];
  /** Places left (null: no limit). */
  placesLeft: number | null;
  full: boolean;
  /** A signed-in reader with a verified address: one click. */
  account: { name: string; email: string } | null;
  values: Record<string, string>;
  problems?: Problems;
  notice?: string | null;
}

export function RegisterPage(p: RegisterPageProps) {
  const { ctx, event } = p;
  const problems = p.problems ?? {};
  const action = `${eventPath(event)}/register`;
  return (
    <Layout ctx={ctx} title={`Register: ${event.title}`} path={action} head={noindex}>
      <div class="account registration">
        <EventHeading ctx={ctx} event={event} />
        <h1>{p.full ? 'Join the waitlist' : 'Register for this event'}</h1>
        {p.notice ? <Notice>{p.notice}</Notice> : null}
        <ErrorSummary problems={problems} />
        <p class="registration__places">
          {p.full
            ? 'The event is full. Join the waitlist: when a place is freed, the first in line gets a mail with a link to claim it.'
            : p.placesLeft === null
              ? 'Registration is free and open.'
              : `${p.placesLeft} ${p.placesLeft === 1 ? 'place' : 'places'} left.`}
        </p>
        <form method="post" action={action} novalidate>
          <Csrf token={p.csrf} />
          {p.full ? <input type="hidden" name="waitlist" value="1" /> : null}
          {p.account ? (
            <>
              <input type="hidden" name="account" value="1" />
              <p>
                You are signed in as <strong>{p.account.name}</strong>: we register{' '}
                <strong>{p.account.email}</strong>.
              </p>
            </>
          ) : (
            <>
              <Field
                name="name"
                label="Your name"
                value={p.values.name ?? ''}
                problem={problems.name}
                autocomplete="name"
                maxLength={200}
              />
              <Field
                name="email"
                label="Your email address"
                type="email"
                value={p.values.email ?? ''}
                problem={problems.email}
                autocomplete="email"
                maxLength={EMAIL_MAX}
                hint={
                  p.full
                    ? 'We send a mail to confirm it; you join the waitlist once you confirm.'
                    : 'We send a mail to confirm it; your place is held once you confirm.'
                }
              />
            </>
          )}
          {p.questions.map((q) => (
            <Question key={q.id} q={q} value={p.values[`q-${q.id}`] ?? ''} problem={problems[`q-${q.id}`]} />
          ))}
          <p>
            <button class="btn" type="submit">
              {p.full ? 'Join the waitlist' : p.account ? 'Register with one click' : 'Register'}
            </button>
          </p>
        </form>
        <p class="registration__back">
          <a href={eventPath(event)}>Back to the event</a>
        </p>
      </div>
    </Layout>
  );
}

/** The answer to every signed-out registration, new or not, so it tells nothing about the address. */
export function CheckInboxPage({ ctx, event }: { ctx: SiteContext; event: LiveEvent }) {
  return (
    <Layout ctx={ctx} title="Check your inbox" head={noindex}>
      <div class="account registration">
        <EventHeading ctx={ctx} event={event} />
        <h1>Check your inbox</h1>
        <p>
          A mail is on its way to the address you gave. Open the link in it to confirm your registration: your
          place is held once you confirm. If you had registered already, the mail tells you where you stand.
        </p>
        <p>Nothing arrived? Look in your spam folder, or try again in a few minutes.</p>
        <p>
          <a href={eventPath(event)}>Back to the event</a>
        </p>
      </div>
    </Layout>
  );
}

export function ButtonPage(p: {
  ctx: SiteContext;
  event: LiveEvent;
  csrf: string;
  action: string;
  token: string;
  title: string;
  text: string;
  button: string;
}) {
  return (
    <Layout ctx={p.ctx} title={p.title} head={noindex}>
      <div class="account registration">
        <EventHeading ctx={p.ctx} event={p.event} />
        <h1>{p.title}</h1>
        <p>{p.text}</p>
        <form method="post" action={p.action}>
          <Csrf token={p.csrf} />
          <input type="hidden" name="t" value={p.token} />
          <button class="btn" type="submit">
            {p.button}
          </button>
        </form>
      </div>
    </Layout>
  );
}

export function ProblemPage(p: {
  ctx: SiteContext;
  event: LiveEvent | null;
  title: string;
  message: string;
  code: string;
  waitlistHref?: string;
}) {
  return (
    <Layout ctx={p.ctx} title={p.title} head={noindex}>
      <div class="account registration">
        {p.event ? <EventHeading ctx={p.ctx} event={p.event} /> : null}
        <h1>{p.title}</h1>
        <p>{p.message}</p>
        <p class="registration__code">
          <code>{p.code}</code>
        </p>
        <p>
          {p.event ? <a href={eventPath(p.event)}>Back to the event</a> : <a href="/">{p.ctx.site.name}</a>}
        </p>
      </div>
    </Layout>
  );
}

const STATUS_WORDS: Record<Registration['status'], string> = {
  pending_confirmation: 'Waiting for your confirmation',
  confirmed: 'You are registered',
  waitlisted: 'You are on the waitlist',
  offered: 'A place is offered to you',
  cancelled: 'Cancelled',
};

export interface PersonalPageProps {
  ctx: SiteContext;
  event: LiveEvent;
  registration: Registration;
  csrf: string;
  /** The page's own path (/events/<slug>/registration/<token>). */
  self: string;
  ahead: number;
  join: string | null;
  calendar: CalendarLinks | null;
  claimHref: string | null;
  notice: string | null;
}

export function PersonalPage(p: PersonalPageProps) {
  const { ctx, event, registration: r } = p;
  const live = r.status !== 'cancelled';
  return (
    <Layout ctx={ctx} title={`Your registration: ${event.title}`} head={noindex}>
      <div class="account registration">
        <EventHeading ctx={ctx} event={event} />
        {p.notice ? <Notice>{p.notice}</Notice> : null}
        <h1>{STATUS_WORDS[r.status]}</h1>
        <dl class="registration__facts">
          <div>
            <dt>Name</dt>
            <dd>{r.name}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{r.email}</dd>
          </div>
          {r.status === 'waitlisted' ? (
            <div>
              <dt>In line</dt>
              <dd>
                {p.ahead === 0
                  ? 'You are next: the first freed place is offered to you.'
                  : `${p.ahead} ${p.ahead === 1 ? 'person is' : 'people are'} ahead of you.`}
              </dd>
            </div>
          ) : null}
        </dl>
        {r.status === 'pending_confirmation' ? (
          <p>Open the link in the mail we sent to confirm; your place is held once you confirm.</p>
        ) : null}
        {r.status === 'offered' && p.claimHref ? (
          <p>
            <a class="btn" href={p.claimHref}>
              Claim my place
            </a>
          </p>
        ) : null}
        {p.join ? (
          <section class="registration__join" aria-labelledby="join-title">
            <h2 id="join-title">Join online</h2>
            <p>
              <a class="btn" href={p.join} rel="noopener">
                Join the webinar
              </a>
            </p>
            <p class="registration__small">This link is for registrants; please do not share it.</p>
          </section>
        ) : null}
        {p.calendar ? (
          <section class="registration__calendar" aria-labelledby="calendar-title">
            <h2 id="calendar-title">Add to your calendar</h2>
            <ul>
              <li>
                <a href={p.calendar.google} rel="noopener">
                  Google Calendar
                </a>
              </li>
              <li>
                <a href={p.calendar.outlook} rel="noopener">
                  Outlook
                </a>
              </li>
              <li>
                <a href={p.calendar.ics}>Apple Calendar or another app (.ics)</a>
              </li>
            </ul>
          </section>
        ) : null}
        {live ? (
          <form method="post" action={`${p.self}/cancel`} class="registration__cancel">
            <Csrf token={p.csrf} />
            <button class="btn btn--danger" type="submit">
              {r.status === 'waitlisted' || r.status === 'offered'
                ? 'Leave the waitlist'
                : 'Cancel my registration'}
            </button>
          </form>
        ) : (
          <p>
            <a href={`${eventPath(event)}/register`}>Register again</a>
          </p>
        )}
        <p class="registration__back">
          <a href={eventPath(event)}>Back to the event</a>
        </p>
      </div>
    </Layout>
  );
}

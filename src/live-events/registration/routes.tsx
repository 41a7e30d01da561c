// The reader's registration routes on every site host (never cached: each answer is someone's own):
// - GET /events/<slug>/register: the form, or a clear page when the event takes no registrations now;
//   POST: origin, then the CSRF token (the session's when signed in), then the service's checks and limits.
//   Signed out, always "Check your inbox"; signed in, straight to the personal page.
// - GET and POST /events/<slug>/register/confirm?t= and /register/claim?t=: the mailed links open a page
//   with a button (mail scanners fetch links); only the POST confirms or claims.
// - GET /events/<slug>/registration/<token>: the personal page; POST …/cancel cancels or leaves the
//   waitlist; GET …/event.ics is the registrant's own calendar file (with the join link for webinars).
// A forged, used or lapsed link shows one clear page with its code and changes nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountRouteContext, formField, queryParam, sendPage } from '../../accounts/route-context.tsx';
import type { SocialService } from '../../accounts/social.ts';
import type { DatelineError } from '../../errors/catalogue.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import type { Runtime } from '../../runtime.ts';
import type { SiteContext } from '../../sites/directory.ts';
import type { SiteHook } from '../../web/request-site.ts';
import { siteOf } from '../../web/request-site.ts';
import type { LiveEvent } from '../repository.ts';
import { eventBySlug } from '../repository.ts';
import { SLUG } from '../service.ts';
import { eventPath } from '../views/event-pages.tsx';
import { linkInvalid, refuseUnlessOpen } from './rules.ts';
import type { EventRegistrations } from './service.ts';
import { ButtonPage, CheckInboxPage, PersonalPage, ProblemPage, RegisterPage } from './views/pages.tsx';

export interface RegistrationRouteDeps {
  rt: Pick<Runtime, 'accounts' | 'directory' | 'config' | 'db'> & {
    social: SocialService;
    eventRegistration: EventRegistrations;
  };
  /** Answers an unknown host with plain text, as the account routes do. */
  siteHook: SiteHook;
}

const NOTICES: Record<string, string> = {
  cancelled:
    'Your registration is cancelled. If you had a place, it goes to the next person on the waitlist.',
  left: 'You have left the waitlist.',
  confirmed: 'Thank you: your registration is confirmed.',
  waitlisted:
    'Thank you. The event filled up, so you are on its waitlist: if a place is freed, we mail you a link to claim it.',
  claimed: 'The place is yours: your registration is confirmed.',
};

export async function registrationRoutes(app: FastifyInstance, deps: RegistrationRouteDeps): Promise<void> {
  const { rt } = deps;
  const service = rt.eventRegistration;
  const r = accountRouteContext(app, {
    accounts: rt.accounts,
    social: rt.social,
    directory: rt.directory,
    config: rt.config,
    siteHook: deps.siteHook,
  });

  const eventOf = async (ctx: SiteContext, slug: string): Promise<LiveEvent | null> => {
    if (!SLUG.test(slug)) return null;
    const e = await eventBySlug(rt.db.kysely, ctx.site.id, slug);
    return e?.published ? e : null;
  };
  const problem = (reply: FastifyReply, ctx: SiteContext, event: LiveEvent | null, e: DatelineError) => {
    const retry = e.where?.retryAfter;
    if (retry !== undefined) reply.header('retry-after', String(retry));
    return sendPage(
      reply,
      e.statusCode,
      <ProblemPage ctx={ctx} event={event} title={e.title} message={e.message} code={e.code} />,
    );
  };
  const notFound = (reply: FastifyReply, ctx: SiteContext) =>
    sendPage(
      reply,
      404,
      <ProblemPage
        ctx={ctx}
        event={null}
        title="No such event"
        message="This site has no event at this address that takes registrations."
        code="DATELINE_ERR_EVENT_NOT_FOUND"
      />,
    );
  /** Runs `work`, answering a DatelineError with the problem page. */
  const orProblem = async (
    reply: FastifyReply,
    ctx: SiteContext,
    event: LiveEvent | null,
    work: () => Promise<FastifyReply>,
  ) => {
    try {
      return await work();
    } catch (e) {
      if (isDatelineError(e)) return problem(reply, ctx, event, e);
      throw e;
    }
  };

  /** The signed-in reader's verified account, for one-click registration. */
  const accountOf = async (req: FastifyRequest) => {
    if (!req.account) return null;
    const user = await rt.accounts.user(req.account.userId);
    if (!user?.email || !user.emailVerified) return null;
    return { userId: user.id, email: user.email, name: user.displayName || user.email };
  };

  async function formPage(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    event: LiveEvent,
    status: number,
    o: { values: Record<string, string>; problems?: Record<string, string>; notice?: string | null },
  ) {
    const settings = await service.settings(event.id);
    const a = await service.availability(event, settings);
    if (a.state !== 'open') return null;
    const account = await accountOf(req);
    return sendPage(
      reply,
      status,
      <RegisterPage
        ctx={ctx}
        event={event}
        csrf={r.csrfFor(req, reply)}
        questions={settings?.questions ?? []}
        placesLeft={a.placesLeft}
        full={a.full}
        account={account && { name: account.name, email: account.email }}
        values={o.values}
        {...(o.problems && { problems: o.problems })}
        notice={o.notice ?? null}
      />,
    );
  }

  /** The clear page for an event that takes no registrations now (closed, not open yet, cancelled). */
  async function refusal(reply: FastifyReply, ctx: SiteContext, event: LiveEvent) {
    const a = await service.availability(event);
    if (a.state === 'off') return notFound(reply, ctx);
    return orProblem(reply, ctx, event, async () => {
      refuseUnlessOpen(a, event);
      return notFound(reply, ctx);
    });
  }

  app.get<{ Params: { slug: string } }>('/events/:slug/register', r.withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const event = await eventOf(ctx, req.params.slug);
    if (!event) return notFound(reply, ctx);
    return (await formPage(req, reply, ctx, event, 200, { values: {} })) ?? refusal(reply, ctx, event);
  });

  app.post<{ Params: { slug: string } }>('/events/:slug/register', r.formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    const event = await eventOf(ctx, req.params.slug);
    if (!event) return notFound(reply, ctx);
    return r.guarded(req, reply, ctx, async () => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(body))
        if (typeof v === 'string' && (k === 'name' || k === 'email' || k.startsWith('q-')))
          values[k] = v.slice(0, 1000);
      const account = formField(body, 'account') === '1' ? await accountOf(req) : null;
      try {
        const out = await service.register({
          event,
          name: formField(body, 'name'),
          email: formField(body, 'email'),
          form: body,
          account,
          waitlist: formField(body, 'waitlist') === '1',
          ip: req.ip,
          origin: r.requestContext(req, ctx).origin,
        });
        if (out.kind === 'check-inbox')
          return sendPage(reply, 200, <CheckInboxPage ctx={ctx} event={event} />);
        const notice = out.again ? 'again' : out.registration.status;
        return reply
          .code(303)
          .header('cache-control', 'no-store')
          .header('location', `${eventPath(event)}/registration/${out.manageToken}?m=${notice}`)
          .send();
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        if (e.code === 'DATELINE_ERR_EVENT_REGISTRATION_INVALID') {
          const field = String(e.where?.field ?? 'email');
          const page = await formPage(req, reply, ctx, event, e.statusCode, {
            values,
            problems: { [field]: e.message },
          });
          if (page) return page;
        }
        if (e.code === 'DATELINE_ERR_EVENT_FULL') {
          const page = await formPage(req, reply, ctx, event, e.statusCode, { values, notice: e.message });
          if (page) return page;
        }
        return problem(reply, ctx, event, e);
      }
    });
  });

  // ------------------------------------------------------------------ mailed links with a button

  const buttonRoute = (
    path: 'confirm' | 'claim',
    o: {
      /** Reads the link; a personal-page token when it was used already (the GET then goes there). */
      check: (token: string) => Promise<string | null>;
      act: (token: string) => Promise<{ manageToken: string; registration: { status: string } }>;
      title: string;
      text: string;
      button: string;
      /** The personal page's notice after the act: by the status it left, else `notice`. */
      notice: string;
    },
  ) => {
    const url = `/events/:slug/register/${path}`;
    app.get<{ Params: { slug: string } }>(url, r.withSite, async (req, reply) => {
      const ctx = siteOf(req);
      const event = await eventOf(ctx, req.params.slug);
      if (!event) return notFound(reply, ctx);
      const token = queryParam(req, 't');
      return orProblem(reply, ctx, event, async () => {
        const settled = await o.check(token);
        if (settled)
          return reply
            .code(303)
            .header('cache-control', 'no-store')
            .header('location', `${eventPath(event)}/registration/${settled}`)
            .send();
        return sendPage(
          reply,
          200,
          <ButtonPage
            ctx={ctx}
            event={event}
            csrf={r.csrfFor(req, reply)}
            action={`${eventPath(event)}/register/${path}`}
            token={token}
            title={o.title}
            text={o.text}
            button={o.button}
          />,
        );
      });
    });
    app.post<{ Params: { slug: string } }>(url, r.formWithSite, async (req, reply) => {
      const ctx = siteOf(req);
      const event = await eventOf(ctx, req.params.slug);
      if (!event) return notFound(reply, ctx);
      return r.guarded(req, reply, ctx, () =>
        orProblem(reply, ctx, event, async () => {
          const out = await o.act(formField(req.body, 't'));
          return reply
            .code(303)
            .header('cache-control', 'no-store')
            .header(
              'location',
              `${eventPath(event)}/registration/${out.manageToken}?m=${out.registration.status === 'waitlisted' ? 'waitlisted' : o.notice}`,
            )
            .send();
        }),
      );
    });
  };

  buttonRoute('confirm', {
    check: async (t) => {
      const { registration } = await service.checkConfirm(t);
      return registration.status === 'pending_confirmation' ? null : service.token('manage', registration);
    },
    act: (t) => service.confirm(t),
    title: 'Confirm your registration',
    text: 'Press the button to confirm. If a place is left it is yours; if the event has filled up meanwhile, you join its waitlist.',
    button: 'Confirm my registration',
    notice: 'confirmed',
  });
  buttonRoute('claim', {
    check: async (t) => {
      await service.checkClaim(t);
      return null;
    },
    act: (t) => service.claim(t),
    title: 'Claim your place',
    text: 'A place has been freed for you. Press the button to take it.',
    button: 'Claim my place',
    notice: 'claimed',
  });

  // ------------------------------------------------------------------ the personal page

  /** The registration a personal link names, on this event; a link of another event is not valid. */
  const personal = async (ctx: SiteContext, slug: string, token: string) => {
    const found = await service.byManageToken(token);
    if (found.event.siteId !== ctx.site.id || found.event.slug !== slug) throw linkInvalid();
    return found;
  };

  app.get<{ Params: { slug: string; token: string } }>(
    '/events/:slug/registration/:token',
    r.withSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      const event = await eventOf(ctx, req.params.slug);
      return orProblem(reply, ctx, event, async () => {
        const { registration, event: e, ahead } = await personal(ctx, req.params.slug, req.params.token);
        const origin = r.requestContext(req, ctx).origin;
        const links = service.links(e, registration, origin);
        const m = queryParam(req, 'm');
        const notice =
          m === 'again'
            ? 'You had registered already, so nothing new was added: here is where you stand.'
            : (NOTICES[m] ?? null);
        return sendPage(
          reply,
          200,
          <PersonalPage
            ctx={ctx}
            event={e}
            registration={registration}
            csrf={r.csrfFor(req, reply)}
            self={`${eventPath(e)}/registration/${req.params.token}`}
            ahead={ahead}
            join={links.join}
            calendar={registration.status === 'confirmed' ? links.calendar : null}
            claimHref={registration.status === 'offered' ? links.claim.replace(origin, '') : null}
            notice={notice}
          />,
        );
      });
    },
  );

  app.post<{ Params: { slug: string; token: string } }>(
    '/events/:slug/registration/:token/cancel',
    r.formWithSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      const event = await eventOf(ctx, req.params.slug);
      return r.guarded(req, reply, ctx, () =>
        orProblem(reply, ctx, event, async () => {
          const before = await personal(ctx, req.params.slug, req.params.token);
          await service.cancel(req.params.token);
          const waiting =
            before.registration.status === 'waitlisted' || before.registration.status === 'offered';
          return reply
            .code(303)
            .header('cache-control', 'no-store')
            .header(
              'location',
              `${eventPath(before.event)}/registration/${req.params.token}?m=${waiting ? 'left' : 'cancelled'}`,
            )
            .send();
        }),
      );
    },
  );

  app.get<{ Params: { slug: string; token: string } }>(
    '/events/:slug/registration/:token/event.ics',
    r.withSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      const event = await eventOf(ctx, req.params.slug);
      return orProblem(reply, ctx, event, async () => {
        const { registration, event: e } = await personal(ctx, req.params.slug, req.params.token);
        if (registration.status !== 'confirmed') return notFound(reply, ctx);
        const body = service.calendarFile(e, registration, r.requestContext(req, ctx).origin);
        return reply
          .code(200)
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'same-origin')
          .header('content-disposition', `attachment; filename="${e.slug}.ics"`)
          .type('text/calendar; charset=utf-8; method=REQUEST')
          .send(body);
      });
    },
  );
}

// The reader's newsletter routes on every site host:
// - GET /newsletters: the signup page (prefilled from the article box's GET form: ?n=<id>&email=…);
//   POST /newsletters: a signup by address (always answered "Check your inbox") or, for a signed-in reader
//   with a verified address, the one-click signup (`account=1`). Origin, then CSRF token, then the limits.
// - GET /newsletters/<slug>/latest: the latest issue's web version, or a composed sample.
// - GET and POST /newsletters/confirm?t=: the double opt-in link (a button: mail scanners fetch links).
// - GET and POST /newsletters/preferences?t=: the signed preference page (choose, or leave all).
// - GET and POST /newsletters/unsubscribe?t=[&i=]: a GET shows a confirmation page; a POST with
//   List-Unsubscribe=One-Click (RFC 8058, urlencoded or multipart) unsubscribes. That POST needs no cookie,
//   session or CSRF token: the signed token is the proof, and all it can do is leave one list.
// Links that are not valid show one clear page (DATELINE_ERR_NEWSLETTER_LINK_INVALID) and change nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountRouteContext } from '../../accounts/route-context.tsx';
import { formField, queryParam, sendPage } from '../../accounts/route-context.tsx';
import type { AccountService } from '../../accounts/service.ts';
import type { Db } from '../../db/connection.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { SiteContext } from '../../sites/directory.ts';
import { acceptOneClickMultipart, oneClickAsked } from '../../web/one-click-body.ts';
import { siteOf } from '../../web/request-site.ts';
import { recipientToken } from '../links.ts';
import type { NewsletterLists } from '../lists.ts';
import type { AccountNewsletters } from './account-link.ts';
import { latestIssue } from './sample.ts';
import type { NewsletterSubscriptions } from './subscriptions.ts';
import {
  ConfirmedPage,
  ConfirmPage,
  LinkProblemPage,
  PreferencesPage,
  UnsubscribedPage,
  UnsubscribePage,
} from './views/link-pages.tsx';
import { SamplePage } from './views/sample-page.tsx';
import { CheckInboxPage, SignupPage, SubscribedPage } from './views/signup-page.tsx';

export interface SignupRouteDeps {
  db: Db;
  accounts: AccountService;
  lists: NewsletterLists;
  subscriptions: NewsletterSubscriptions;
  account: AccountNewsletters;
  r: AccountRouteContext;
}

/** The list ids a form or query names under `name` (one value or several), ignoring anything else. */
export function idsFrom(source: unknown, name: string): number[] {
  const v = source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  const out = new Set<number>();
  for (const x of all.slice(0, 50)) if (typeof x === 'string' && /^[1-9]\d{0,9}$/.test(x)) out.add(Number(x));
  return [...out];
}

function optionalId(raw: string): number | null {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

export async function signupRoutes(app: FastifyInstance, deps: SignupRouteDeps): Promise<void> {
  const { r, lists, subscriptions, accounts } = deps;

  const linkProblem = (reply: FastifyReply, ctx: SiteContext, e: DatelineError) => {
    const retry = e.where?.retryAfter;
    if (retry !== undefined) reply.header('retry-after', String(retry));
    return sendPage(
      reply,
      e.statusCode,
      <LinkProblemPage ctx={ctx} title={e.title} message={e.message} code={e.code} />,
    );
  };
  // A confirmation, preference or unsubscribe link that is tampered with, stale or over its limit gets the
  // link-problem page with its code; any other failure is the server's.
  const orLinkProblem = async (reply: FastifyReply, ctx: SiteContext, work: () => Promise<FastifyReply>) => {
    try {
      return await work();
    } catch (e) {
      if (isDatelineError(e)) return linkProblem(reply, ctx, e);
      throw e;
    }
  };

  async function signupPage(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    status: number,
    o: { checked: number[]; email: string; problems?: Record<string, string>; notice?: string | null },
  ) {
    const active = await lists.listBySite(ctx.site.id, { activeOnly: true });
    let account = null;
    if (req.account) {
      const user = await accounts.user(req.account.userId);
      if (user) {
        const choices = await deps.account.choices(user, ctx.site.id);
        account = {
          email: user.email,
          verified: user.emailVerified,
          statuses: new Map(choices.filter((c) => c.status).map((c) => [c.newsletter.id, c.status!])),
        };
      }
    }
    return sendPage(
      reply,
      status,
      <SignupPage
        ctx={ctx}
        csrf={r.csrfFor(req, reply)}
        lists={active}
        checked={new Set(o.checked)}
        email={o.email}
        problems={o.problems}
        account={account}
        notice={o.notice ?? null}
      />,
    );
  }

  app.get('/newsletters', r.withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const email = queryParam(req, 'email').slice(0, 254);
    return signupPage(req, reply, ctx, 200, {
      checked: idsFrom(req.query, 'n'),
      email,
      notice: email ? 'Check your address and the newsletters you want, then press Sign up.' : null,
    });
  });

  app.post('/newsletters', r.formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return r.guarded(req, reply, ctx, async () => {
      const checked = idsFrom(req.body, 'n');
      const email = formField(req.body, 'email');
      try {
        const user =
          req.account && formField(req.body, 'account') === '1'
            ? await accounts.user(req.account.userId)
            : null;
        if (user?.email && user.emailVerified) {
          const out = await subscriptions.subscribe({
            siteId: ctx.site.id,
            email: user.email,
            newsletterIds: checked,
            source: 'account',
            confirmed: true,
            userId: user.id,
            ip: req.ip,
            origin: r.requestContext(req, ctx).origin,
          });
          const all = await lists.listBySite(ctx.site.id);
          const names = all.filter((l) => out.activated.includes(l.id)).map((l) => l.name);
          return sendPage(reply, 200, <SubscribedPage ctx={ctx} names={names} />);
        }
        await subscriptions.subscribe({
          siteId: ctx.site.id,
          email: user?.email ?? email,
          newsletterIds: checked,
          source: 'form',
          userId: null,
          ip: req.ip,
          origin: r.requestContext(req, ctx).origin,
        });
        return sendPage(reply, 200, <CheckInboxPage ctx={ctx} />);
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        if (e.code === 'DATELINE_ERR_NEWSLETTER_SIGNUP_INVALID') {
          const field = String(e.where?.field ?? 'email');
          return signupPage(req, reply, ctx, e.statusCode, {
            checked,
            email,
            problems: { [field]: e.message },
          });
        }
        return linkProblem(reply, ctx, e);
      }
    });
  });

  app.get<{ Params: { slug: string } }>('/newsletters/:slug/latest', r.withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const list = await lists.getBySlug(ctx.site.id, req.params.slug.slice(0, 60));
    if (!list?.active || list.kind !== 'digest') {
      return sendPage(
        reply,
        404,
        <LinkProblemPage
          ctx={ctx}
          title="No such newsletter"
          message="This site has no newsletter at this address."
          code="DATELINE_ERR_NEWSLETTER_NOT_FOUND"
        />,
      );
    }
    const sample = await latestIssue(deps.db.kysely, list, (id) => ctx.sectionsById.get(id)?.name ?? null);
    return sendPage(reply, 200, <SamplePage ctx={ctx} list={list} sample={sample} />);
  });

  // ------------------------------------------------------------------ the confirmation link

  app.get('/newsletters/confirm', r.withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const token = queryParam(req, 't');
    return orLinkProblem(reply, ctx, async () => {
      const { subscriber, lists: names } = await subscriptions.checkConfirmation(token, ctx.site.id);
      return sendPage(
        reply,
        200,
        <ConfirmPage
          ctx={ctx}
          csrf={r.csrfFor(req, reply)}
          token={token}
          email={subscriber.email}
          lists={names}
        />,
      );
    });
  });

  app.post('/newsletters/confirm', r.formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return r.guarded(req, reply, ctx, async () => {
      return orLinkProblem(reply, ctx, async () => {
        const { confirmed } = await subscriptions.confirm(formField(req.body, 't'), ctx.site.id, req.ip);
        return sendPage(reply, 200, <ConfirmedPage ctx={ctx} names={confirmed} />);
      });
    });
  });

  // ------------------------------------------------------------------ the preference page

  app.get('/newsletters/preferences', r.withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const token = queryParam(req, 't');
    return orLinkProblem(reply, ctx, async () => {
      const { subscriber, choices } = await subscriptions.preferences(token, ctx.site.id);
      return sendPage(
        reply,
        200,
        <PreferencesPage
          ctx={ctx}
          csrf={r.csrfFor(req, reply)}
          token={token}
          email={subscriber.email}
          choices={choices}
        />,
      );
    });
  });

  app.post('/newsletters/preferences', r.formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return r.guarded(req, reply, ctx, async () => {
      const token = formField(req.body, 't');
      const leave = formField(req.body, 'action') === 'leave';
      return orLinkProblem(reply, ctx, async () => {
        const choices = await subscriptions.savePreferences(
          token,
          ctx.site.id,
          leave ? [] : idsFrom(req.body, 'n'),
        );
        const { subscriber } = await subscriptions.recipient(token);
        const none = choices.every((c) => c.status !== 'active');
        return sendPage(
          reply,
          200,
          <PreferencesPage
            ctx={ctx}
            csrf={r.csrfFor(req, reply)}
            token={token}
            email={subscriber.email}
            choices={choices}
            notice={
              none
                ? 'You have left all our newsletters. You will receive none of them.'
                : 'Your choice is saved.'
            }
          />,
        );
      });
    });
  });

  // ------------------------------------------------------------------ one-click unsubscribe (RFC 8058)

  /** The reader's own preference page (no list in the token: it shows them all). */
  const preferencesPath = (subscriber: { id: number; linkVersion: number }) =>
    `/newsletters/preferences?t=${recipientToken(
      accounts.signingKey,
      { subscriberId: subscriber.id, linkVersion: subscriber.linkVersion },
      null,
    )}`;

  app.get('/newsletters/unsubscribe', r.withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const token = queryParam(req, 't');
    const issue = optionalId(queryParam(req, 'i'));
    return orLinkProblem(reply, ctx, async () => {
      const { subscriber, newsletter } = await subscriptions.checkUnsubscribe(token, ctx.site.id);
      const action = `/newsletters/unsubscribe?t=${encodeURIComponent(token)}${issue ? `&i=${issue}` : ''}`;
      return sendPage(
        reply,
        200,
        <UnsubscribePage
          ctx={ctx}
          action={action}
          email={subscriber.email}
          name={newsletter.name}
          preferences={preferencesPath(subscriber)}
        />,
      );
    });
  });

  // Its own scope: mail clients may post the one-click body as multipart/form-data (RFC 8058 §3.1).
  await app.register(async (scope) => {
    acceptOneClickMultipart(scope);
    scope.post('/newsletters/unsubscribe', r.formWithSite, async (req, reply) => {
      const ctx = siteOf(req);
      const token = queryParam(req, 't') || formField(req.body, 't');
      const issue = optionalId(queryParam(req, 'i'));
      const oneClick = oneClickAsked(req.body);
      return orLinkProblem(reply, ctx, async () => {
        if (!oneClick)
          throw new DatelineError(
            'BAD_REQUEST',
            'An unsubscribe request carries List-Unsubscribe=One-Click. Use the button on the unsubscribe page.',
          );
        const { newsletter } = await subscriptions.unsubscribe(token, ctx.site.id, issue);
        const { subscriber } = await subscriptions.recipient(token);
        return sendPage(
          reply,
          200,
          <UnsubscribedPage ctx={ctx} name={newsletter.name} preferences={preferencesPath(subscriber)} />,
        );
      });
    });
  });
}

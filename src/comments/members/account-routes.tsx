// The comments routes of My account, on every site host:
// - POST /account/comments: hide my member page, email notices for replies and for decisions;
// - GET /account/notifications (?page=), POST /account/notifications/read (one by id, or all);
// - GET and POST /account/notifications/off?t=: the one-click off link of notice mails. Its signed token is
//   the only credential (no session, no CSRF token: a mail client posts `List-Unsubscribe=One-Click`
//   from outside, RFC 8058), and all it can do is turn one kind of mail off for one account.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AccountRouteContext, formField, queryParam, sendPage } from '../../accounts/route-context.tsx';
import type { AccountService } from '../../accounts/service.ts';
import { storyPath } from '../../articles/slug.ts';
import type { Db } from '../../db/connection.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import type { DomainEvent } from '../../events/bus.ts';
import type { Events } from '../../events/log.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { siteOrigin } from '../../sites/urls.ts';
import { acceptOneClickMultipart } from '../../web/one-click-body.ts';
import { siteOf } from '../../web/request-site.ts';
import { listNotifications, markRead, NOTIFICATIONS_PAGE_SIZE } from './notifications.ts';
import { commentPath } from './notify.ts';
import { readOffToken, writeSettings } from './settings.ts';
import { NoticeOffPage, NotificationsPage } from './views/account-views.tsx';

export interface MemberAccountDeps {
  db: Db;
  events: Events;
  accounts: AccountService;
  directory: SiteDirectory;
  /** The accounts feature's shared route parts (guards, CSRF tokens, the site hook). */
  r: AccountRouteContext;
  now?: () => Date;
}

const NOTICES: Record<string, string> = {
  read: 'Marked as read.',
};

export function memberAccountRoutes(app: FastifyInstance, deps: MemberAccountDeps): void {
  const { r, accounts, directory } = deps;
  const q = deps.db.kysely;
  const now = deps.now ?? (() => new Date());

  app.post('/account/comments', r.formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return r.sessionGuarded(req, reply, ctx, async () => {
      const session = r.requireSession(req, reply);
      if (!session) return reply;
      const on = (name: string) => formField(req.body, name) === '1';
      const events: DomainEvent[] = [];
      const ids = await q.transaction().execute(async (trx) => {
        const { before, after } = await writeSettings(
          trx,
          session.userId,
          {
            pageHidden: on('pageHidden'),
            emailReplies: on('emailReplies'),
            emailDecisions: on('emailDecisions'),
          },
          now(),
        );
        // Threads link the member's name to their page only while it is shown: those pages change.
        if (before.pageHidden !== after.pageHidden) {
          const threads = await trx
            .selectFrom('comments')
            .select(['site_id', 'article_id', (eb) => eb.fn.max('id').as('id')])
            .where('author_id', '=', session.userId)
            .where('status', '=', 'published')
            .groupBy(['site_id', 'article_id'])
            .execute();
          for (const t of threads) {
            events.push({
              type: 'comment.changed',
              siteId: t.site_id,
              articleId: t.article_id,
              commentId: Number(t.id),
            });
          }
        }
        const out: number[] = [];
        for (const e of events) out.push(await deps.events.record(trx, e));
        return out;
      });
      events.forEach((e, i) => {
        deps.events.published(e, ids[i]!);
      });
      return reply.code(303).header('location', '/account?m=comments#comments').send();
    });
  });

  app.get('/account/notifications', r.withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const session = r.requireSession(req, reply);
    if (!session) return reply;
    const raw = queryParam(req, 'page');
    const page = /^[1-9]\d{0,4}$/.test(raw) ? Number(raw) : 1;
    const list = await listNotifications(q, session.userId, page);
    const pages = Math.max(1, Math.ceil(list.total / NOTIFICATIONS_PAGE_SIZE));
    return sendPage(
      reply,
      200,
      <NotificationsPage
        ctx={ctx}
        csrf={r.csrfFor(req, reply)}
        items={list.items}
        total={list.total}
        unread={list.unread}
        page={Math.min(page, pages)}
        pages={pages}
        notice={NOTICES[queryParam(req, 'm')] ?? null}
        siteName={(id) => directory.byIdOrUndefined(id)?.site.name ?? 'a former site'}
        linkOf={(n) => {
          const site = directory.byIdOrUndefined(n.siteId);
          if (!site || !n.story) return null;
          const origin = n.siteId === ctx.site.id ? '' : siteOrigin(app.publicUrls, site.site);
          if (n.commentStatus === 'published') return `${origin}${commentPath(n.commentId)}`;
          // A rejected comment is not in the thread: its link opens the discussion it was written for.
          const section = site.sectionsById.get(n.story.sectionId);
          if (n.kind !== 'rejected' || !section) return null;
          return `${origin}${storyPath(section.slug, n.story.slug)}#comments`;
        }}
      />,
    );
  });

  app.post('/account/notifications/read', r.formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return r.sessionGuarded(req, reply, ctx, async () => {
      const session = r.requireSession(req, reply);
      if (!session) return reply;
      const raw = formField(req.body, 'id');
      const id = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
      try {
        await markRead(q, session.userId, raw === '' ? null : (id ?? -1), now());
      } catch (e) {
        if (isDatelineError(e)) return r.problemPage(reply, ctx, e);
        throw e;
      }
      return reply.code(303).header('location', '/account/notifications?m=read').send();
    });
  });

  // ------------------------------------------------------------------ the one-click off link

  const offAnswer = async (req: FastifyRequest, reply: FastifyReply, act: boolean) => {
    const ctx = siteOf(req);
    const token = formField(req.body, 't') || queryParam(req, 't');
    let who: ReturnType<typeof readOffToken>;
    try {
      who = readOffToken(accounts.signingKey, token);
    } catch (e) {
      if (isDatelineError(e)) return r.problemPage(reply, ctx, e);
      throw e;
    }
    if (act) {
      const patch = who.group === 'replies' ? { emailReplies: false } : { emailDecisions: false };
      // An account deleted since the mail was sent has no settings to keep.
      const user = await accounts.user(who.userId);
      if (user && user.status !== 'deleted') await writeSettings(q, who.userId, patch, now());
    }
    return sendPage(reply, 200, <NoticeOffPage ctx={ctx} token={token} group={who.group} done={act} />);
  };
  app.get('/account/notifications/off', r.withSite, (req, reply) => offAnswer(req, reply, false));
  // Its own scope: mail clients may post the one-click body as multipart/form-data (RFC 8058 §3.1).
  app.register(async (scope) => {
    acceptOneClickMultipart(scope);
    scope.post('/account/notifications/off', r.formWithSite, (req, reply) => offAnswer(req, reply, true));
  });
}

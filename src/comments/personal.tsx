// Everything a signed-in reader does with comments, working with JavaScript off: post and reply, edit
// within the window, delete their own, vote (up, down, withdraw) and report. Each form has a page of its
// own, rendered per request and never cached, since it carries the reader's token. Every POST checks the
// session, then CSRF (origin and token), then leaves permission to rt.comments (own comment, sanctions,
// closed thread, rate limits), and answers with a 303 back to the comment, or the form again with the
// service's refusal written out. With `Accept: application/json` (the client script) the same routes answer
// in JSON. `/comments/personal` gives the script the reader's own parts of a shared page: token, votes,
// own comments.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkCsrfToken, checkSameOrigin } from '../accounts/csrf.ts';
import { formField } from '../accounts/route-context.tsx';
import { DatelineError, isDatelineError } from '../errors/catalogue.ts';
import type { SiteContext } from '../sites/directory.ts';
import { errorRender } from '../web/error-pages.tsx';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import type { ReportReason } from './model.ts';
import type { ThreadKit } from './thread-routes.tsx';
import { parsePositive, sendPrivate } from './thread-routes.tsx';
import { DeleteConfirm, EditForm, FormPage, Quoted, ReportForm, VoteConfirm } from './views/pages.tsx';
import { CommentForm } from './views/thread.tsx';

type Req = FastifyRequest<{ Params: { id: string } }>;
interface Problem {
  title: string;
  message: string;
}

const wantsJson = (req: FastifyRequest) => (req.headers.accept ?? '').includes('application/json');

/** `path#anchor` with `done=<code>` added to the query, for the notice on the page it leads to. */
function withNotice(path: string, code: string): string {
  const hash = path.indexOf('#');
  const [base, anchor] = hash < 0 ? [path, ''] : [path.slice(0, hash), path.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}done=${code}${anchor}`;
}

export async function personalRoutes(
  app: FastifyInstance,
  kit: ThreadKit,
  withSite: { preHandler: SiteHook },
): Promise<void> {
  const { rt, reader } = kit;
  const form = { ...withSite, bodyLimit: 64 * 1024 };

  const problemOf = (err: DatelineError): Problem => ({ title: err.title, message: err.message });

  /** Signed in, or sent to log in and come back (JSON callers get 401). */
  function session(req: FastifyRequest, reply: FastifyReply, back: string) {
    if (req.account) return req.account;
    if (wantsJson(req)) {
      const e = new DatelineError('COMMENT_SIGN_IN_REQUIRED', 'Log in to comment or vote, then try again.');
      reply
        .code(e.statusCode)
        .header('cache-control', 'no-store')
        .send({ error: { code: e.code, title: e.title, message: e.message } });
    } else {
      reply
        .code(303)
        .header('location', `/account/login?next=${encodeURIComponent(back)}`)
        .header('cache-control', 'no-store')
        .send();
    }
    return null;
  }

  /** Origin and token; only the session's own token counts. Throws CSRF_REJECTED. */
  function checkToken(req: FastifyRequest): void {
    checkSameOrigin(req);
    checkCsrfToken(rt.accounts.signingKey, formField(req.body, 'csrf'), {
      sessionTokenHash: req.account!.tokenHash,
    });
  }

  function sendProblem(
    req: FastifyRequest,
    reply: FastifyReply,
    err: DatelineError,
    page: () => preact.VNode,
  ): FastifyReply {
    const retry = err.where?.retryAfter;
    if (retry !== undefined) reply.header('retry-after', String(retry));
    if (wantsJson(req))
      return reply
        .code(err.statusCode)
        .header('cache-control', 'no-store')
        .send({ error: { code: err.code, title: err.title, message: err.message } });
    return sendPrivate(reply, err.statusCode, page());
  }

  /** Runs a POST: session, then CSRF, then the service (which checks permission); refusals shown readably. */
  async function act(
    req: FastifyRequest,
    reply: FastifyReply,
    back: string,
    page: (problem: Problem | null) => preact.VNode,
    run: () => Promise<FastifyReply>,
  ): Promise<FastifyReply> {
    if (!session(req, reply, back)) return reply;
    try {
      checkToken(req);
      return await run();
    } catch (e) {
      if (isDatelineError(e)) return sendProblem(req, reply, e, () => page(problemOf(e)));
      throw e;
    }
  }

  const notFound = (req: FastifyRequest, reply: FastifyReply, ctx: SiteContext) => {
    if (wantsJson(req)) {
      const e = new DatelineError(
        'COMMENT_NOT_FOUND',
        'That comment is not on this site, or no longer shown.',
      );
      return reply.code(404).send({ error: { code: e.code, title: e.title, message: e.message } });
    }
    const r = errorRender(ctx, 404);
    return sendPrivate(reply, 404, r.html!);
  };

  /** A comment readers can see on this site, with the story it belongs to. */
  async function shown(ctx: SiteContext, rawId: string) {
    const id = parsePositive(rawId, 2 ** 31);
    if (!id) return null;
    const c = await reader.single(ctx.site.id, id);
    if (c?.status !== 'published') return null;
    const story = await kit.story(ctx, c.articleId);
    return story ? { c, story } : null;
  }

  const threadOf = (path: string) => ({ href: `${path}/comments`, text: 'Back to the comments' });

  // Posting and replying. The story's thread is named by the form (article, and parent for a reply).
  app.post('/comments', form, async (req, reply) => {
    const ctx = siteOf(req);
    const articleId = parsePositive(formField(req.body, 'article'), 2 ** 31);
    const parentId = parsePositive(formField(req.body, 'parent') || undefined, 2 ** 31);
    const body =
      typeof (req.body as Record<string, unknown>)?.body === 'string'
        ? String((req.body as Record<string, unknown>).body)
        : '';
    const story = articleId ? await kit.story(ctx, articleId) : null;
    if (!articleId || !story || parentId === null) return notFound(req, reply, ctx);
    const parent = parentId ? await reader.single(ctx.site.id, parentId) : null;
    const page = (problem: Problem | null) => (
      <FormPage
        ctx={ctx}
        title={parent ? `Reply to ${parent.author.name}` : 'Your comment'}
        error={problem}
        back={threadOf(story.path)}
      >
        {parent && parent.status === 'published' ? <Quoted ctx={ctx} c={parent} /> : null}
        <CommentForm
          articleId={articleId}
          csrf={kit.csrf(req)}
          maxLength={kit.maxLength}
          parentId={parentId}
          body={body.slice(0, kit.maxLength * 2)}
          button={parent ? 'Post reply' : 'Post comment'}
        />
      </FormPage>
    );
    return act(req, reply, `${story.path}/comments#reply`, page, async () => {
      const posted = await rt.comments.post(
        { userId: req.account!.userId, ip: req.ip },
        { siteId: ctx.site.id, articleId, parentId: parentId ?? null, body },
      );
      const held = posted.status !== 'published';
      const location = held
        ? withNotice(`${story.path}/comments#reply`, 'held')
        : withNotice((await kit.whereIs(ctx, posted.id, true)) ?? `${story.path}/comments`, 'posted');
      if (wantsJson(req))
        return reply
          .header('cache-control', 'no-store')
          .send({ id: posted.id, status: posted.status, location });
      return reply.code(303).header('location', location).send();
    });
  });

  app.get<{ Params: { id: string } }>('/comments/:id/reply', withSite, async (req: Req, reply) => {
    const ctx = siteOf(req);
    const found = await shown(ctx, req.params.id);
    if (!found) return notFound(req, reply, ctx);
    if (!session(req, reply, req.url)) return reply;
    const { c, story } = found;
    const policy = await kit.policy(ctx, c.articleId);
    return sendPrivate(
      reply,
      200,
      <FormPage
        ctx={ctx}
        title={`Reply to ${c.author.name}`}
        back={threadOf(story.path)}
        error={
          policy.open ? null : { title: 'Comments closed', message: 'This story no longer takes comments.' }
        }
      >
        <Quoted ctx={ctx} c={c} />
        {policy.open ? (
          <div id="reply">
            <CommentForm
              articleId={c.articleId}
              csrf={kit.csrf(req)}
              maxLength={kit.maxLength}
              parentId={c.id}
              button="Post reply"
              label="Your reply"
            />
          </div>
        ) : null}
      </FormPage>,
    );
  });

  // Editing within the window (the service enforces it; the form says so when it has passed).
  app.get<{ Params: { id: string } }>('/comments/:id/edit', withSite, async (req: Req, reply) => {
    const ctx = siteOf(req);
    const found = await shown(ctx, req.params.id);
    if (!found) return notFound(req, reply, ctx);
    const account = session(req, reply, req.url);
    if (!account) return reply;
    const { c, story } = found;
    if (c.authorId !== account.userId) return notFound(req, reply, ctx);
    return sendPrivate(
      reply,
      200,
      <FormPage ctx={ctx} title="Edit your comment" back={threadOf(story.path)}>
        <p class="compose__hint">
          You can change a comment for {rt.config.commentEditMinutes} minutes after posting it.
        </p>
        <EditForm id={c.id} csrf={kit.csrf(req)} body={c.body} maxLength={kit.maxLength} />
      </FormPage>,
    );
  });

  app.post<{ Params: { id: string } }>('/comments/:id/edit', form, async (req: Req, reply) => {
    const ctx = siteOf(req);
    const found = await shown(ctx, req.params.id);
    if (!found) return notFound(req, reply, ctx);
    const { c, story } = found;
    const body = formField(req.body, 'body');
    const page = (problem: Problem | null) => (
      <FormPage ctx={ctx} title="Edit your comment" error={problem} back={threadOf(story.path)}>
        <EditForm id={c.id} csrf={kit.csrf(req)} body={body} maxLength={kit.maxLength} />
      </FormPage>
    );
    return act(req, reply, req.url, page, async () => {
      const edited = await rt.comments.edit({ userId: req.account!.userId, ip: req.ip }, c.id, body);
      const location =
        edited.status === 'published'
          ? withNotice((await kit.whereIs(ctx, c.id, true)) ?? `${story.path}/comments`, 'edited')
          : withNotice(`${story.path}/comments#reply`, 'held');
      if (wantsJson(req)) return reply.send({ id: c.id, status: edited.status, location });
      return reply.code(303).header('location', location).send();
    });
  });

  app.get<{ Params: { id: string } }>('/comments/:id/delete', withSite, async (req: Req, reply) => {
    const ctx = siteOf(req);
    const found = await shown(ctx, req.params.id);
    if (!found) return notFound(req, reply, ctx);
    const account = session(req, reply, req.url);
    if (!account) return reply;
    if (found.c.authorId !== account.userId) return notFound(req, reply, ctx);
    return sendPrivate(
      reply,
      200,
      <FormPage ctx={ctx} title="Delete your comment?" back={threadOf(found.story.path)}>
        <Quoted ctx={ctx} c={found.c} />
        <DeleteConfirm id={found.c.id} csrf={kit.csrf(req)} />
      </FormPage>,
    );
  });

  app.post<{ Params: { id: string } }>('/comments/:id/delete', form, async (req: Req, reply) => {
    const ctx = siteOf(req);
    const found = await shown(ctx, req.params.id);
    if (!found) return notFound(req, reply, ctx);
    const { c, story } = found;
    const page = (problem: Problem | null) => (
      <FormPage ctx={ctx} title="Delete your comment?" error={problem} back={threadOf(story.path)}>
        <Quoted ctx={ctx} c={c} />
      </FormPage>
    );
    return act(req, reply, req.url, page, async () => {
      await rt.comments.remove({ userId: req.account!.userId, ip: req.ip }, c.id);
      const location = withNotice(`${story.path}/comments`, 'deleted');
      if (wantsJson(req)) return reply.send({ id: c.id, location });
      return reply.code(303).header('location', location).send();
    });
  });

  // Votes. A vote sent from a shared page has no token (that page is the same for everyone): the reader is
  // asked to confirm it on a page of their own, which has one. The client script sends the token itself.
  app.post<{ Params: { id: string } }>('/comments/:id/vote', form, async (req: Req, reply) => {
    const ctx = siteOf(req);
    const found = await shown(ctx, req.params.id);
    if (!found) return notFound(req, reply, ctx);
    const { c, story } = found;
    const raw = formField(req.body, 'value');
    const value = raw === '1' ? 1 : raw === '-1' ? -1 : raw === '0' ? 0 : null;
    const page = (problem: Problem | null) => (
      <FormPage ctx={ctx} title="Your vote" error={problem} back={threadOf(story.path)}>
        <Quoted ctx={ctx} c={c} />
        {value !== null && !problem?.title.startsWith('Own') ? (
          <VoteConfirm c={c} csrf={kit.csrf(req)} value={value} />
        ) : null}
      </FormPage>
    );
    if (!session(req, reply, `/comments/${c.id}`)) return reply;
    if (formField(req.body, 'csrf') === '' && !wantsJson(req) && value !== null) {
      checkSameOrigin(req);
      return sendPrivate(reply, 200, page(null));
    }
    return act(req, reply, `/comments/${c.id}`, page, async () => {
      if (value === null)
        throw new DatelineError('VOTE_INVALID', 'A vote is up (1), down (-1) or withdrawn (0).');
      const tally = await rt.comments.vote({ userId: req.account!.userId, ip: req.ip }, c.id, value);
      if (wantsJson(req)) return reply.header('cache-control', 'no-store').send(tally);
      const location = withNotice((await kit.whereIs(ctx, c.id, true)) ?? `${story.path}/comments`, 'voted');
      return reply.code(303).header('location', location).send();
    });
  });

  app.get<{ Params: { id: string } }>('/comments/:id/report', withSite, async (req: Req, reply) => {
    const ctx = siteOf(req);
    const found = await shown(ctx, req.params.id);
    if (!found) return notFound(req, reply, ctx);
    if (!session(req, reply, req.url)) return reply;
    return sendPrivate(
      reply,
      200,
      <FormPage ctx={ctx} title="Report a comment" back={threadOf(found.story.path)}>
        <Quoted ctx={ctx} c={found.c} />
        <ReportForm id={found.c.id} csrf={kit.csrf(req)} />
      </FormPage>,
    );
  });

  app.post<{ Params: { id: string } }>('/comments/:id/report', form, async (req: Req, reply) => {
    const ctx = siteOf(req);
    const found = await shown(ctx, req.params.id);
    if (!found) return notFound(req, reply, ctx);
    const { c, story } = found;
    const reason = formField(req.body, 'reason');
    const note = formField(req.body, 'note').slice(0, 500);
    const page = (problem: Problem | null) => (
      <FormPage ctx={ctx} title="Report a comment" error={problem} back={threadOf(story.path)}>
        <Quoted ctx={ctx} c={c} />
        <ReportForm id={c.id} csrf={kit.csrf(req)} reason={reason} note={note} />
      </FormPage>
    );
    return act(req, reply, req.url, page, async () => {
      await rt.comments.report({ userId: req.account!.userId, ip: req.ip }, c.id, {
        reason: reason as ReportReason,
        ...(note ? { note } : {}),
      });
      const location = withNotice(
        (await kit.whereIs(ctx, c.id, true)) ?? `${story.path}/comments`,
        'reported',
      );
      if (wantsJson(req)) return reply.send({ id: c.id, location });
      return reply.code(303).header('location', location).send();
    });
  });

  // The reader's own parts of a shared page, for the client script: token, votes, own comments. Private.
  app.get<{ Querystring: { a?: string; ids?: string } }>(
    '/comments/personal',
    withSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      reply.header('cache-control', 'private, no-store').header('vary', 'Cookie');
      const articleId = parsePositive(req.query.a, 2 ** 31);
      if (!articleId)
        return reply
          .code(400)
          .send({ error: { code: 'DATELINE_ERR_BAD_REQUEST', message: 'Name the story: ?a=<id>.' } });
      if (!req.account) return reply.send({ signedIn: false });
      const ids = String(req.query.ids ?? '')
        .split(',')
        .slice(0, 2000)
        .map(Number)
        .filter((n) => Number.isSafeInteger(n) && n > 0);
      const p = await kit.personal(req, ctx, articleId, ids);
      return reply.send({
        signedIn: true,
        name: req.account.displayName,
        csrf: p!.csrf,
        votes: Object.fromEntries(p!.votes),
        own: [...p!.own],
        editable: [...p!.editable],
      });
    },
  );
}

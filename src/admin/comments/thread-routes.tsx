// A story's moderation view and what changes a thread: /comments/threads/:siteId/:articleId shows the thread
// with its hidden comments; close and open change the thread's state by hand, and policy sets the story's own
// mode (an override of the section's and the site's). comments.moderate on the thread's site comes first.

import type { PolicyPatch } from '../../comments/model.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import { siteOrigin, urlContext } from '../../sites/urls.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import { threadPage } from './member-queries.ts';
import { storyRefs } from './queries.ts';
import { backTo, besides, CAP, cardContext, idParam, moderator } from './shared.tsx';
import { ThreadScreen } from './views/thread.tsx';

ADMIN_NOTICES.set('thread-closed', 'The thread is closed: readers can no longer comment.');
ADMIN_NOTICES.set('thread-opened', 'The thread is open again.');
ADMIN_NOTICES.set('comment-policy-saved', 'Saved: the mode applies to new comments from now on.');

const MODES = ['post', 'pre', 'pre_new', 'closed'] as const;

/** The policy fields of a form: empty inherits (null). */
export function policyPatch(body: unknown): PolicyPatch {
  const mode = formValue(body, 'mode');
  const number = (name: string, max: number): number | null => {
    const raw = formValue(body, name).trim();
    if (raw === '') return null;
    if (!/^\d{1,4}$/.test(raw) || Number(raw) > max)
      throw new DatelineError(
        'COMMENT_POLICY_INVALID',
        `Give a whole number from 0 to ${max}, or leave it empty to inherit; nothing was saved.`,
        {
          field: name,
        },
      );
    return Number(raw);
  };
  if (mode !== '' && !(MODES as readonly string[]).includes(mode))
    throw new DatelineError(
      'COMMENT_POLICY_INVALID',
      'Choose one of the modes in the list; nothing was saved.',
      { field: 'mode' },
    );
  return {
    mode: mode === '' ? null : (mode as (typeof MODES)[number]),
    newMemberApprovals: number('newMemberApprovals', 1000),
    closeAfterDays: number('closeAfterDays', 3650),
  };
}

export function threadRoutes(kit: AdminKit): void {
  const { rt } = kit;

  /** The thread's site and story, once the moderator may act there. */
  async function thread(a: AdminContext, params: unknown) {
    const siteId = idParam(params, 'siteId');
    const articleId = idParam(params, 'articleId');
    const ctx = rt.directory.byIdOrUndefined(siteId);
    const exists =
      ctx &&
      (await rt.db.kysely
        .selectFrom('placements')
        .select('id')
        .where('article_id', '=', articleId)
        .where('site_id', '=', siteId)
        .executeTakeFirst());
    if (!ctx || !exists)
      throw new DatelineError(
        'NOT_FOUND',
        'That story has no thread on that site (the address may be mistyped). Go back to the queues.',
      );
    a.require(CAP, siteId);
    return { ctx, siteId, articleId };
  }

  kit.page('/comments/threads/:siteId/:articleId', { cap: CAP }, async (req, reply, a) => {
    const { ctx, siteId, articleId } = await thread(a, req.params);
    const afterRaw = queryValue(req, 'after');
    const after = /^\d{1,12}$/.test(afterRaw) ? Number(afterRaw) : null;
    const [page, policy, rows, stories] = await Promise.all([
      threadPage(rt.db, { siteId, articleId, after }),
      rt.comments.policy(siteId, articleId).catch(() => null),
      rt.comments.policies(siteId).catch(() => []),
      storyRefs(
        rt.db,
        [{ siteId, articleId }],
        (s, sec) => rt.directory.byIdOrUndefined(s)?.sectionsById.get(sec)?.slug,
      ),
    ]);
    const near = await besides(
      kit,
      page.items.map((i) => i.c),
    );
    const story = stories.get(`${siteId}:${articleId}`);
    const base = `/comments/threads/${siteId}/${articleId}`;
    return kit.render(
      req,
      reply,
      a,
      { title: 'Thread', current: 'comments', scripts: [kit.assets.path('moderation.js')] },
      <ThreadScreen
        siteId={siteId}
        articleId={articleId}
        story={story}
        storyUrl={
          story?.path && story.status === 'published'
            ? `${siteOrigin(urlContext(req), ctx.site)}${story.path}`
            : null
        }
        policy={policy}
        override={rows.find((r) => r.scope === `story:${articleId}`) ?? null}
        items={page.items}
        total={page.total}
        authors={near.authors}
        reports={near.reports}
        k={cardContext(kit, req, a, { next: after ? `${base}?after=${after}` : base, showSite: false })}
        nextHref={page.next ? `${base}?after=${page.next}` : null}
        firstHref={after ? base : null}
      />,
    );
  });

  // Closing sets the story's mode to closed; opening (rt.comments.setThreadOpen) gives the story
  // post-moderation when a wider scope closed it, and stops an age limit that had passed.
  for (const [path, open] of [
    ['close', false],
    ['open', true],
  ] as const)
    kit.action(`/comments/threads/:siteId/:articleId/${path}`, { cap: CAP }, async (req, reply, a) => {
      const { siteId, articleId } = await thread(a, req.params);
      await rt.comments.setThreadOpen(moderator(a), siteId, articleId, open);
      return kit.seeOther(
        reply,
        backTo(req, `/comments/threads/${siteId}/${articleId}`),
        open ? 'thread-opened' : 'thread-closed',
      );
    });

  kit.action('/comments/threads/:siteId/:articleId/policy', { cap: CAP }, async (req, reply, a) => {
    const { siteId, articleId } = await thread(a, req.params);
    await rt.comments.setPolicy(moderator(a), siteId, `story:${articleId}`, policyPatch(req.body));
    return kit.seeOther(reply, `/comments/threads/${siteId}/${articleId}`, 'comment-policy-saved');
  });
}

// The queues and one comment's actions: /comments (a queue of the sites in view), /comments/:id (details and
// the edit form), and the forms' targets: approve, reject (a reason code and an optional note to the author),
// edit (text and the visible moderator's note), feature/unfeature, dismiss reports, and bulk approve/reject.
// Each action finds the comment's site and checks comments.moderate there before calling rt.comments, which
// does the write, its audit entry and its events; then it goes back to the page the form came from.
import { DatelineError } from '../../errors/catalogue.ts';
import { ADMIN_NOTICES, type AdminKit, formValue, formValues, queryValue } from '../route-kit.tsx';
import { memberComments } from './member-queries.ts';
import { listQueue, QUEUE_LABELS, QUEUES, type QueueName, queueCounts, sitesOfComments } from './queries.ts';
import {
  backTo,
  besides,
  CAP,
  cardContext,
  idParam,
  moderatable,
  moderatedSites,
  moderator,
} from './shared.tsx';
import { DetailScreen } from './views/detail.tsx';
import { REJECT_REASONS } from './views/parts.tsx';
import { QueueScreen } from './views/queue.tsx';

ADMIN_NOTICES.set('comment-approved', 'Approved: the comment is on the site.');
ADMIN_NOTICES.set('comment-rejected', 'Rejected: the comment is off the site.');
ADMIN_NOTICES.set('comment-edited', 'Saved: readers see the new text and note.');
ADMIN_NOTICES.set('comment-featured', 'Featured: the comment is pinned at the top of its thread.');
ADMIN_NOTICES.set('comment-unfeatured', 'No longer featured.');
ADMIN_NOTICES.set('comment-reports-dismissed', 'Reports dismissed; the comment is unchanged.');
ADMIN_NOTICES.set('comments-bulk-approved', 'The selected comments are approved.');
ADMIN_NOTICES.set('comments-bulk-rejected', 'The selected comments are rejected.');
ADMIN_NOTICES.set('comments-bulk-reviewed', 'The selected comments are marked as reviewed.');
ADMIN_NOTICES.set('comments-none-selected', 'No comment was selected, so nothing changed.');

const REASON_CODES: readonly string[] = REJECT_REASONS.map((r) => r.code);
const BULK_MAX = 100;

function rejectInput(body: unknown): { reason: string; note?: string } {
  const reason = formValue(body, 'reason');
  if (!REASON_CODES.includes(reason))
    throw new DatelineError(
      'BAD_REQUEST',
      'Choose why the comment is rejected (spam, abuse, off-topic or other); nothing was changed.',
      { field: 'reason' },
    );
  const note = formValue(body, 'note').trim().slice(0, 1000);
  return note ? { reason, note } : { reason };
}

export function queueRoutes(kit: AdminKit): void {
  const { rt } = kit;

  kit.page('/comments', { cap: CAP }, async (req, reply, a) => {
    const wanted = queryValue(req, 'queue');
    const queue: QueueName = (QUEUES as readonly string[]).includes(wanted)
      ? (wanted as QueueName)
      : 'pending';
    const sites = moderatedSites(a);
    const siteIds = sites.map((c) => c.site.id);
    const afterRaw = queryValue(req, 'after');
    const after = /^\d{1,12}$/.test(afterRaw) ? Number(afterRaw) : null;
    const [page, counts] = await Promise.all([
      listQueue(rt.db, { siteIds, queue, after }),
      queueCounts(rt.db, siteIds),
    ]);
    const near = await besides(kit, page.items);
    const here = `/comments?queue=${queue}${after ? `&after=${after}` : ''}`;
    const names = sites.map((c) => c.site.name).join(', ');
    return kit.render(
      req,
      reply,
      a,
      {
        title: `Comments: ${QUEUE_LABELS[queue].toLowerCase()}`,
        current: 'comments',
        scripts: [kit.assets.path('moderation.js')],
      },
      <QueueScreen
        queue={queue}
        counts={counts}
        cap={1000}
        items={page.items}
        {...near}
        k={cardContext(kit, req, a, { next: here, showSite: sites.length > 1, bulkForm: 'mod-bulk' })}
        nextHref={page.next ? `/comments?queue=${queue}&after=${page.next}` : null}
        firstHref={after ? `/comments?queue=${queue}` : null}
        scopeNote={sites.length === 0 ? 'No site in view is one you moderate.' : `Newest first, on ${names}.`}
      />,
    );
  });

  kit.page('/comments/:id', { cap: CAP }, async (req, reply, a) => {
    const c = await moderatable(kit, a, idParam(req.params));
    const [near, policy, recent] = await Promise.all([
      besides(kit, [c]),
      rt.comments.policy(c.siteId, c.articleId).catch(() => null),
      memberComments(rt.db, {
        userId: c.authorId,
        siteIds: a.sites.filter((s) => a.can(CAP, s.site.id)).map((s) => s.site.id),
        after: null,
        limit: 10,
        except: c.id,
      }),
    ]);
    return kit.render(
      req,
      reply,
      a,
      { title: `Comment ${c.id}`, current: 'comments' },
      <DetailScreen
        c={c}
        author={near.authors.get(c.authorId)}
        story={near.stories.get(`${c.siteId}:${c.articleId}`)}
        reports={near.reports.get(c.id) ?? []}
        policy={policy}
        recent={recent.items}
        k={cardContext(kit, req, a, { next: `/comments/${c.id}`, showSite: a.sites.length > 1 })}
      />,
    );
  });

  kit.action('/comments/:id/approve', { cap: CAP }, async (req, reply, a) => {
    const c = await moderatable(kit, a, idParam(req.params));
    await rt.comments.approve(moderator(a), [c.id]);
    return kit.seeOther(reply, backTo(req), 'comment-approved');
  });

  kit.action('/comments/:id/reject', { cap: CAP }, async (req, reply, a) => {
    const c = await moderatable(kit, a, idParam(req.params));
    const input = rejectInput(req.body);
    await rt.comments.reject(moderator(a), [c.id], input);
    return kit.seeOther(reply, backTo(req), 'comment-rejected');
  });

  kit.action('/comments/:id/edit', { cap: CAP }, async (req, reply, a) => {
    const c = await moderatable(kit, a, idParam(req.params));
    const body = formValue(req.body, 'body').replace(/\r\n/g, '\n');
    const note = formValue(req.body, 'note').trim();
    const change: { body?: string; note: string | null } = { note: note === '' ? null : note };
    if (body !== c.body) change.body = body;
    await rt.comments.moderatorEdit(moderator(a), c.id, change);
    return kit.seeOther(reply, backTo(req, `/comments/${c.id}`), 'comment-edited');
  });

  kit.action('/comments/:id/feature', { cap: CAP }, async (req, reply, a) => {
    const c = await moderatable(kit, a, idParam(req.params));
    const on = formValue(req.body, 'on') !== '0';
    await rt.comments.feature(moderator(a), c.id, on);
    return kit.seeOther(reply, backTo(req), on ? 'comment-featured' : 'comment-unfeatured');
  });

  kit.action('/comments/:id/dismiss-reports', { cap: CAP }, async (req, reply, a) => {
    const c = await moderatable(kit, a, idParam(req.params));
    await rt.comments.dismissReports(moderator(a), c.id);
    return kit.seeOther(reply, backTo(req), 'comment-reports-dismissed');
  });

  kit.action('/comments/bulk', { cap: CAP }, async (req, reply, a) => {
    const ids = [
      ...new Set(
        formValues(req.body, 'ids')
          .filter((x) => /^\d{1,12}$/.test(x))
          .map(Number),
      ),
    ];
    const action = formValue(req.body, 'action');
    if (!['approve', 'reject', 'reviewed'].includes(action))
      throw new DatelineError(
        'BAD_REQUEST',
        'Choose Approve or Reject for the selected comments; nothing was changed.',
        {
          field: 'action',
        },
      );
    if (ids.length === 0) return kit.seeOther(reply, backTo(req), 'comments-none-selected');
    if (ids.length > BULK_MAX)
      throw new DatelineError(
        'BAD_REQUEST',
        `Select at most ${BULK_MAX} comments at once; nothing was changed.`,
        {
          field: 'ids',
        },
      );
    // Every comment's site is checked before any of them changes.
    const sites = await sitesOfComments(rt.db, ids);
    for (const id of ids) {
      const siteId = sites.get(id);
      if (siteId === undefined)
        throw new DatelineError(
          'COMMENT_NOT_FOUND',
          `Comment ${id} no longer exists, so nothing was changed. Reload the queue and select again.`,
        );
      a.require(CAP, siteId);
    }
    const mod = moderator(a);
    if (action === 'approve') await rt.comments.approve(mod, ids);
    else if (action === 'reviewed') await rt.comments.markReviewed(mod, ids);
    else await rt.comments.reject(mod, ids, rejectInput(req.body));
    return kit.seeOther(
      reply,
      backTo(req),
      action === 'approve'
        ? 'comments-bulk-approved'
        : action === 'reviewed'
          ? 'comments-bulk-reviewed'
          : 'comments-bulk-rejected',
    );
  });
}

// A site's sends in the admin (newsletter.manage): the recent issues of its lists with their figures, the
// progress of those on their way (rt.newsletterSender.progress, also as JSON for the page's small polling
// script), and Pause, Resume and Cancel (which asks first) through the send engine. Each change writes the
// audit log with the status before and after.
import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/log.ts';
import type { DigestIssue } from '../../newsletters/digests/issues.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import type { Site } from '../../sites/site.ts';
import { bundleAdminScript } from '../client/bundle.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit } from '../route-kit.tsx';
import { CancelConfirm, SendsView } from './sends-views.tsx';

ADMIN_NOTICES.set('send-paused', 'Send paused: nothing more goes out until you resume it.');
ADMIN_NOTICES.set('send-resumed', 'Send resumed.');
ADMIN_NOTICES.set('send-cancelled', 'Send cancelled: those not yet sent will not get this issue.');

const CAP = 'newsletter.manage';
const RUNNING = ['queued', 'sending', 'paused'];

export async function sendsRoutes(
  kit: AdminKit,
  look: {
    siteFor(req: FastifyRequest, a: AdminContext): Promise<Site>;
    issueFor(
      req: FastifyRequest,
      a: AdminContext,
    ): Promise<{ issue: DigestIssue; n: Newsletter; site: Site }>;
  },
): Promise<void> {
  const { rt } = kit;
  const sender = rt.newsletterSender;
  kit.assets.add(
    'newsletter-progress.js',
    'text/javascript; charset=utf-8',
    await bundleAdminScript('newsletters/client/progress.ts'),
  );

  kit.page('/newsletters/sites/:id/sends', { cap: CAP }, async (req, reply, a) => {
    const site = await look.siteFor(req, a);
    const lists = await rt.newsletterSignup.lists.listBySite(site.id);
    const names = new Map(lists.map((n) => [n.id, n.name]));
    const alerts = new Set(lists.filter((n) => n.kind === 'alerts').map((n) => n.id));
    const recent = await rt.digests.issues.recent([...names.keys()], 50);
    const rows = await Promise.all(
      recent.map(async (issue) => ({
        issue,
        listName: names.get(issue.newsletterId) ?? 'Newsletter',
        alert: alerts.has(issue.newsletterId),
        progress: RUNNING.includes(issue.status) ? await sender.progress(issue.id) : null,
      })),
    );
    return kit.render(
      req,
      reply,
      a,
      {
        title: `Sends: ${site.name}`,
        current: 'newsletters',
        scripts: [kit.assets.path('newsletter-progress.js')],
      },
      <SendsView site={site} rows={rows} csrf={a.csrf} />,
    );
  });

  kit.json('GET', '/newsletters/issues/:id/progress', { cap: CAP }, async (req, _reply, a) => {
    const { issue } = await look.issueFor(req, a);
    return { issueId: issue.id, ...(await sender.progress(issue.id)) };
  });

  const control = (verb: 'pause' | 'resume' | 'cancel', done: string) =>
    kit.action(`/newsletters/issues/:id/${verb}`, { cap: CAP }, async (req, reply, a) => {
      const { issue, site } = await look.issueFor(req, a);
      if (verb === 'pause') await sender.pause(issue.id, a.staff.displayName);
      else if (verb === 'resume') await sender.resume(issue.id);
      else await sender.cancel(issue.id);
      const after = await rt.digests.issues.require(issue.id);
      await recordAudit(rt.db.kysely, {
        actor: a.actor,
        action: `newsletter_issue.send_${verb === 'pause' ? 'paused' : verb === 'resume' ? 'resumed' : 'cancelled'}`,
        subjectType: 'newsletter_issue',
        subjectId: issue.id,
        before: { status: issue.status },
        after: { status: after.status },
        detail: { siteId: site.id, newsletterId: issue.newsletterId },
      });
      return kit.seeOther(reply, `/newsletters/sites/${site.id}/sends`, done);
    });
  control('pause', 'send-paused');
  control('resume', 'send-resumed');
  control('cancel', 'send-cancelled');

  kit.page('/newsletters/issues/:id/cancel', { cap: CAP }, async (req, reply, a) => {
    const { issue, site } = await look.issueFor(req, a);
    return kit.render(
      req,
      reply,
      a,
      { title: 'Cancel this send?', current: 'newsletters' },
      <CancelConfirm
        issue={issue}
        progress={await sender.progress(issue.id)}
        siteId={site.id}
        csrf={a.csrf}
      />,
    );
  });
}

// The next issue of a digest in the admin (newsletter.manage on its site): opening it composes the draft
// through rt.digests.nextIssue; moving, removing and adding stories and the subject and intro go through
// DigestIssues, which changes only a draft (NEWSLETTER_ISSUE_LOCKED otherwise); the preview is the
// renderer's mail made inert (preview.ts); "Send a test to me" mails the staff member's own address through
// the send engine; "Send now" asks first, then rt.digests.sendNow. Every change writes the audit log. The
// sends and their progress are in sends-routes.tsx.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/log.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import { cardsOnSite, newestCards, type StoryCard } from '../../front-page/repository.ts';
import type { DigestIssue } from '../../newsletters/digests/issues.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import type { Site } from '../../sites/site.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import { paramId, requireSite } from '../sites/site-lookup.ts';
import { confirmedCounts, staffEmail, storyNamed } from './data.ts';
import { type BlockView, NextIssueView, SendNowConfirm } from './issue-views.tsx';
import { PREVIEW_CSP, previewHtml, previewText } from './preview.ts';
import { sendsRoutes } from './sends-routes.tsx';

ADMIN_NOTICES.set('issue-changed', 'Issue changed: it goes out as it is now.');
ADMIN_NOTICES.set('issue-text-saved', 'Subject and intro saved.');
ADMIN_NOTICES.set('issue-test-sent', 'Test sent to your address. It carries “[Test]” in its subject.');
ADMIN_NOTICES.set('send-started', 'Sending: the figures below follow the send.');

const CAP = 'newsletter.manage';
const RESULTS = 8;

export interface NewsletterLookups {
  siteFor(req: FastifyRequest, a: AdminContext): Promise<Site>;
  listFor(req: FastifyRequest, a: AdminContext): Promise<{ n: Newsletter; site: Site }>;
}

export async function issueRoutes(kit: AdminKit, look: NewsletterLookups): Promise<void> {
  const { rt } = kit;
  const db = rt.db.kysely;
  const issues = rt.digests.issues;

  /** The issue the route names, once the staff member may manage its site, with its list and site. */
  const issueFor = async (req: FastifyRequest, a: AdminContext) => {
    const issue = await issues.require(paramId(req));
    a.require(CAP, issue.siteId);
    const n = await rt.newsletterSignup.lists.require(issue.newsletterId);
    return { issue, n, site: await requireSite(kit, issue.siteId) };
  };
  const digestOnly = (n: Newsletter) => {
    if (n.kind !== 'digest')
      throw new DatelineError(
        'BAD_REQUEST',
        'An alert list has no next issue: its alerts go out when an urgent story is published.',
      );
  };

  const candidates = async (site: Site, q: string) => {
    if (q === '')
      return { ids: (await newestCards(db, site.id, RESULTS)).map((c) => c.articleId), problem: null };
    try {
      const found = await rt.search.search({
        siteId: site.id,
        language: site.language,
        q,
        sort: 'date',
        pageSize: RESULTS,
      });
      return {
        ids: found.hits.map((h) => h.articleId),
        problem: found.problem === 'no_terms' ? 'Nothing to search for in these words.' : null,
      };
    } catch (e) {
      if (isDatelineError(e)) return { ids: [] as number[], problem: e.message };
      throw e;
    }
  };

  const blockTitle = (site: Site, key: string) => {
    if (key === 'top') return 'Top stories';
    const id = Number(key.replace(/^section:/, ''));
    return rt.directory.byIdOrUndefined(site.id)?.sectionsById.get(id)?.name ?? 'More stories';
  };

  const issuePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: { n: Newsletter; site: Site; issue: DigestIssue },
    extra: { error?: DatelineError; typed?: { subject?: string; intro?: string; story?: string } } = {},
  ) => {
    const { n, site, issue } = o;
    const q = queryValue(req, 'q').trim().slice(0, 200);
    const found = await candidates(site, q);
    const cards = await cardsOnSite(db, site.id, [...issue.items.map((i) => i.articleId), ...found.ids]);
    const blocks: BlockView[] = [];
    for (const item of issue.items) {
      let b = blocks.find((x) => x.key === item.block);
      if (!b) {
        b = { key: item.block, title: blockTitle(site, item.block), items: [] };
        blocks.push(b);
      }
      b.items.push({ articleId: item.articleId, card: cards.get(item.articleId) });
    }
    const keys = ['top', ...n.composition.sections.map((s) => `section:${s.sectionId}`)];
    for (const b of blocks) if (!keys.includes(b.key)) keys.push(b.key);
    const content = await rt.digests.renderer.render(issue.id);
    const confirmed = (await confirmedCounts(db, [n.id])).get(n.id) ?? 0;
    return kit.render(
      req,
      reply,
      a,
      { title: `Next issue: ${n.name}`, current: 'newsletters', status: extra.error?.statusCode },
      <NextIssueView
        s={{
          site,
          n,
          issue,
          blocks,
          blockChoices: keys.map((k) => ({ value: k, label: blockTitle(site, k) })),
          q,
          results: found.ids.flatMap((id) => {
            const c = cards.get(id);
            return c?.live ? [c as StoryCard] : [];
          }),
          searchProblem: found.problem,
          text: previewText(content.text),
          staffEmail: await staffEmail(db, a.staff.userId),
          confirmed,
          csrf: a.csrf,
          error: extra.error ?? null,
          typed: extra.typed ?? {},
        }}
      />,
    );
  };

  kit.page('/newsletters/:id/next', { cap: CAP }, async (req, reply, a) => {
    const { n, site } = await look.listFor(req, a);
    digestOnly(n);
    return issuePage(req, reply, a, { n, site, issue: await rt.digests.nextIssue(n.id) });
  });

  /** An editor's change to the draft: refused ones come back on the page with what was typed. */
  const change = (
    path: string,
    action: string,
    apply: (req: FastifyRequest, issue: DigestIssue, site: Site) => Promise<DigestIssue>,
    o: {
      done: string;
      typed?: (req: FastifyRequest) => { subject?: string; intro?: string; story?: string };
    },
  ) =>
    kit.action(path, { cap: CAP }, async (req, reply, a) => {
      const { issue, n, site } = await issueFor(req, a);
      digestOnly(n);
      let after: DigestIssue;
      try {
        after = await apply(req, issue, site);
      } catch (e) {
        if (isDatelineError(e) && e.code === 'DATELINE_ERR_NEWSLETTER_INVALID')
          return issuePage(req, reply, a, { n, site, issue }, { error: e, typed: o.typed?.(req) });
        throw e;
      }
      await recordAudit(db, {
        actor: a.actor,
        action,
        subjectType: 'newsletter_issue',
        subjectId: issue.id,
        before: { subject: issue.subject, intro: issue.intro, items: issue.items },
        after: { subject: after.subject, intro: after.intro, items: after.items },
        detail: { siteId: site.id, newsletterId: n.id },
      });
      return kit.seeOther(reply, `/newsletters/${n.id}/next`, o.done);
    });

  const articleOf = (req: FastifyRequest) => {
    const raw = formValue(req.body, 'article');
    return /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : 0;
  };

  change(
    '/newsletters/issues/:id/move',
    'newsletter_issue.story_moved',
    (req, issue) => {
      const by = formValue(req.body, 'by');
      if (by !== 'up' && by !== 'down')
        throw new DatelineError('BAD_REQUEST', 'Move a story with its Up and Down buttons.');
      return issues.move(issue.id, articleOf(req), by === 'up' ? -1 : 1);
    },
    { done: 'issue-changed' },
  );

  change(
    '/newsletters/issues/:id/remove',
    'newsletter_issue.story_removed',
    (req, issue) => issues.remove(issue.id, articleOf(req)),
    { done: 'issue-changed' },
  );

  change(
    '/newsletters/issues/:id/add',
    'newsletter_issue.story_added',
    async (req, issue, site) => {
      const id = await storyNamed(db, site.id, formValue(req.body, 'story'));
      if (!id)
        throw new DatelineError(
          'NEWSLETTER_INVALID',
          `No story published on ${site.name} has this number or address. Copy its link from the site or the admin.`,
          { field: 'articleId' },
        );
      const block = formValue(req.body, 'block') || 'top';
      if (block !== 'top' && !/^section:[1-9][0-9]{0,9}$/.test(block))
        throw new DatelineError('BAD_REQUEST', 'Choose the block to add the story to.');
      return issues.add(issue.id, id, block);
    },
    { done: 'issue-changed', typed: (req) => ({ story: formValue(req.body, 'story').slice(0, 2000) }) },
  );

  change(
    '/newsletters/issues/:id/text',
    'newsletter_issue.text_changed',
    (req, issue) =>
      issues.setText(issue.id, {
        subject: formValue(req.body, 'subject'),
        intro: formValue(req.body, 'intro'),
      }),
    {
      done: 'issue-text-saved',
      typed: (req) => ({ subject: formValue(req.body, 'subject'), intro: formValue(req.body, 'intro') }),
    },
  );

  kit.page('/newsletters/issues/:id/preview', { cap: CAP }, async (req, reply, a) => {
    const { issue } = await issueFor(req, a);
    const content = await rt.digests.renderer.render(issue.id);
    return reply
      .header('content-security-policy', PREVIEW_CSP)
      .header('x-frame-options', 'SAMEORIGIN')
      .type('text/html; charset=utf-8')
      .send(previewHtml(content.html));
  });

  kit.action('/newsletters/issues/:id/test', { cap: CAP }, async (req, reply, a) => {
    const { issue, n, site } = await issueFor(req, a);
    const to = await staffEmail(db, a.staff.userId);
    try {
      if (!to)
        throw new DatelineError('NEWSLETTER_TEST_ADDRESS_INVALID', 'Your account has no email address.');
      await rt.newsletterSender.sendTest(issue.id, to);
    } catch (e) {
      if (
        isDatelineError(e) &&
        (e.code === 'DATELINE_ERR_NEWSLETTER_TEST_FAILED' ||
          e.code === 'DATELINE_ERR_NEWSLETTER_TEST_ADDRESS_INVALID')
      )
        return issuePage(req, reply, a, { n, site, issue }, { error: e });
      throw e;
    }
    await recordAudit(db, {
      actor: a.actor,
      action: 'newsletter_issue.test_sent',
      subjectType: 'newsletter_issue',
      subjectId: issue.id,
      detail: { siteId: site.id, newsletterId: n.id, to },
    });
    return kit.seeOther(reply, `/newsletters/${n.id}/next`, 'issue-test-sent');
  });

  kit.page('/newsletters/:id/send-now', { cap: CAP }, async (req, reply, a) => {
    const { n, site } = await look.listFor(req, a);
    digestOnly(n);
    const issue = await rt.digests.nextIssue(n.id);
    const confirmed = (await confirmedCounts(db, [n.id])).get(n.id) ?? 0;
    return kit.render(
      req,
      reply,
      a,
      { title: `Send ${n.name} now?`, current: 'newsletters' },
      <SendNowConfirm site={site} n={n} issue={issue} confirmed={confirmed} csrf={a.csrf} />,
    );
  });

  kit.action('/newsletters/:id/send-now', { cap: CAP }, async (req, reply, a) => {
    const { n, site } = await look.listFor(req, a);
    digestOnly(n);
    const asked = Number(formValue(req.body, 'issue'));
    const draft = await issues.draftOf(n.id);
    // The confirmation named an issue that is no longer the next one (sent or replaced meanwhile).
    if (!draft || draft.id !== asked)
      throw new DatelineError(
        'NEWSLETTER_ISSUE_STATE',
        'This issue was sent or replaced since you opened it, so nothing was sent. Open the next issue again.',
      );
    const { issueId, outcome } = await rt.digests.sendNow(n.id);
    if (outcome === 'empty')
      throw new DatelineError(
        'NEWSLETTER_ISSUE_STATE',
        'The issue has no stories, so it was not sent (it is marked cancelled). Add stories to the next issue.',
      );
    if (outcome === 'lost')
      throw new DatelineError(
        'NEWSLETTER_ISSUE_STATE',
        'This issue was started by someone else at the same moment.',
      );
    await recordAudit(db, {
      actor: a.actor,
      action: 'newsletter_issue.send_started',
      subjectType: 'newsletter_issue',
      subjectId: issueId,
      detail: { siteId: site.id, newsletterId: n.id },
    });
    return kit.seeOther(reply, `/newsletters/sites/${site.id}/sends`, 'send-started');
  });

  await sendsRoutes(kit, { siteFor: look.siteFor, issueFor });
}

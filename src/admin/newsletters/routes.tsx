// The Newsletters screen of the newsroom admin (Audience > Newsletters): per site the staff member holds
// newsletter.manage on (editors, admins and owners of that site; contributors, authors and moderators get
// 403 and nothing changes), the site's newsletters with their schedule and figures, and the form that
// creates or changes one through rt.newsletterSignup.lists, which checks every field and names the one it
// refuses. Each change writes the admin audit log with the settings before and after. The next issue and
// the sends of each list are in issue-routes.tsx.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/log.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import type { NewsletterKind } from '../../newsletters/tables.ts';
import type { Section } from '../../sections/section.ts';
import type { Site } from '../../sites/site.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue } from '../route-kit.tsx';
import { paramId, requireSite } from '../sites/site-lookup.ts';
import { confirmedCounts, lastSendOf } from './data.ts';
import { auditSnapshot, emptyForm, formOf, inputOf, type NewsletterForm, readForm } from './form.ts';
import { issueRoutes } from './issue-routes.tsx';
import { NEWSLETTERS_CSS } from './styles.ts';
import { NewsletterFormView, NewsletterList, NewsletterSites } from './views.tsx';

ADMIN_NOTICES.set('newsletter-created', 'Newsletter added: readers can sign up for it on the site.');
ADMIN_NOTICES.set('newsletter-saved', 'Newsletter saved.');

export const NEWSLETTER_CAP = 'newsletter.manage';

/** A service refusal the form shows beside its field; anything else is the admin's problem page. */
const FORM_CODES = new Set([
  'DATELINE_ERR_NEWSLETTER_INVALID',
  'DATELINE_ERR_NEWSLETTER_SLUG_TAKEN',
  'DATELINE_ERR_BAD_REQUEST',
]);

export async function newslettersScreen(kit: AdminKit): Promise<void> {
  const { rt } = kit;
  const lists = rt.newsletterSignup.lists;
  kit.nav.add({
    id: 'newsletters',
    group: 'Audience',
    label: 'Newsletters',
    href: '/newsletters',
    cap: NEWSLETTER_CAP,
    order: 10,
  });
  kit.assets.addCss(NEWSLETTERS_CSS);

  const siteFor = async (req: FastifyRequest, a: AdminContext): Promise<Site> => {
    const site = await requireSite(kit, paramId(req));
    a.require(NEWSLETTER_CAP, site.id);
    return site;
  };
  /** The newsletter the route names, once the staff member may manage its site. */
  const listFor = async (req: FastifyRequest, a: AdminContext) => {
    const n = await lists.require(paramId(req));
    a.require(NEWSLETTER_CAP, n.siteId);
    return { n, site: await requireSite(kit, n.siteId) };
  };
  const sectionsOf = (siteId: number): Section[] =>
    [...(rt.directory.byIdOrUndefined(siteId)?.sectionsById.values() ?? [])].sort(
      (x, y) => x.position - y.position || x.id - y.id,
    );
  const manySites = (a: AdminContext) =>
    a.site === null && a.sites.filter((c) => a.can(NEWSLETTER_CAP, c.site.id)).length > 1;

  const formPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    site: Site,
    form: NewsletterForm,
    o: { newsletter?: Newsletter; error?: DatelineError } = {},
  ) =>
    kit.render(
      req,
      reply,
      a,
      {
        title: o.newsletter ? `Newsletter: ${o.newsletter.name}` : `New newsletter: ${site.name}`,
        current: 'newsletters',
        status: o.error?.statusCode,
      },
      <NewsletterFormView
        s={{
          site,
          sections: sectionsOf(site.id),
          form,
          newsletterId: o.newsletter?.id ?? null,
          csrf: a.csrf,
          error: o.error ?? null,
        }}
      />,
    );

  kit.page('/newsletters', { cap: NEWSLETTER_CAP }, async (req, reply, a) => {
    const ids = a.siteIds.filter((id) => a.can(NEWSLETTER_CAP, id));
    if (ids.length === 1) return kit.seeOther(reply, `/newsletters/sites/${ids[0]}`);
    await rt.directory.fresh();
    const sites = ids.flatMap((id) => rt.directory.byIdOrUndefined(id)?.site ?? []);
    const counted = await Promise.all(
      sites.map(async (site) => ({ site, count: (await lists.listBySite(site.id)).length })),
    );
    return kit.render(
      req,
      reply,
      a,
      { title: 'Newsletters', current: 'newsletters' },
      <NewsletterSites sites={counted} />,
    );
  });

  kit.page('/newsletters/sites/:id', { cap: NEWSLETTER_CAP }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const all = await lists.listBySite(site.id);
    const ids = all.map((n) => n.id);
    const [counts, recent] = await Promise.all([
      confirmedCounts(rt.db.kysely, ids),
      rt.digests.issues.recent(ids, 200),
    ]);
    const last = lastSendOf(recent);
    return kit.render(
      req,
      reply,
      a,
      { title: `Newsletters: ${site.name}`, current: 'newsletters' },
      <NewsletterList
        site={site}
        manySites={manySites(a)}
        rows={all.map((n) => ({ n, confirmed: counts.get(n.id) ?? 0, last: last.get(n.id) ?? null }))}
      />,
    );
  });

  kit.page('/newsletters/sites/:id/new', { cap: NEWSLETTER_CAP }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    return formPage(req, reply, a, site, emptyForm('digest', site.name));
  });

  kit.action('/newsletters/sites/:id/new', { cap: NEWSLETTER_CAP }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const rawKind = formValue(req.body, 'kind');
    const kind: NewsletterKind = rawKind === 'alerts' ? 'alerts' : 'digest';
    const form = readForm(
      req.body,
      kind,
      sectionsOf(site.id).map((s) => s.id),
    );
    let created: Newsletter;
    try {
      if (rawKind !== 'digest' && rawKind !== 'alerts')
        throw new DatelineError('NEWSLETTER_INVALID', 'Choose a digest or the site’s alert list.', {
          field: 'kind',
        });
      created = await lists.create(site.id, inputOf(form));
    } catch (e) {
      if (isDatelineError(e) && FORM_CODES.has(e.code))
        return formPage(req, reply, a, site, form, { error: e });
      throw e;
    }
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'newsletter.created',
      subjectType: 'newsletter',
      subjectId: created.id,
      after: auditSnapshot(created),
      detail: { siteId: site.id, kind: created.kind },
    });
    return kit.seeOther(reply, `/newsletters/sites/${site.id}`, 'newsletter-created');
  });

  kit.page('/newsletters/:id/edit', { cap: NEWSLETTER_CAP }, async (req, reply, a) => {
    const { n, site } = await listFor(req, a);
    return formPage(req, reply, a, site, formOf(n), { newsletter: n });
  });

  kit.action('/newsletters/:id/edit', { cap: NEWSLETTER_CAP }, async (req, reply, a) => {
    const { n, site } = await listFor(req, a);
    const form = readForm(
      req.body,
      n.kind,
      sectionsOf(site.id).map((s) => s.id),
    );
    const { kind: _kind, ...patch } = inputOf(form);
    let saved: Newsletter;
    try {
      saved = await lists.update(n.id, patch);
    } catch (e) {
      if (isDatelineError(e) && FORM_CODES.has(e.code))
        return formPage(req, reply, a, site, form, { newsletter: n, error: e });
      throw e;
    }
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'newsletter.updated',
      subjectType: 'newsletter',
      subjectId: n.id,
      before: auditSnapshot(n),
      after: auditSnapshot(saved),
      detail: { siteId: site.id },
    });
    return kit.seeOther(reply, `/newsletters/sites/${site.id}`, 'newsletter-saved');
  });

  await issueRoutes(kit, { siteFor, listFor });
}

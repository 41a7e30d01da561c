// A site's sections in the admin: add, rename, move up or down the menu, hide and show. Needs section.manage
// on the site (editors and up). SectionService runs each change in its own transaction with the
// section.changed event that drops the affected pages, so the audit entry is written right after it commits.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/log.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { Section } from '../../sections/section.ts';
import type { Site } from '../../sites/site.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue } from '../route-kit.tsx';
import { paramId, requireSite } from './site-lookup.ts';
import { type Problems, SectionsView } from './views.tsx';

ADMIN_NOTICES.set('section-added', 'Section added at the end of the menu.');
ADMIN_NOTICES.set('section-renamed', 'Section renamed.');
ADMIN_NOTICES.set('section-moved', 'Menu order saved.');
ADMIN_NOTICES.set(
  'section-hidden',
  'Section hidden: it has left the menu and the home page; its pages stay.',
);
ADMIN_NOTICES.set('section-shown', 'Section shown in the menu again.');

const SECTION_FIELDS = new Set(['slug', 'name', 'description']);

export function sectionsScreen(kit: AdminKit): void {
  const { rt } = kit;

  const sectionsPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    site: Site,
    o: {
      values?: { slug: string; name: string; description: string };
      problems?: Problems;
      error?: DatelineError | null;
      rename?: { id: number; name: string; problem: string } | null;
      status?: number;
    } = {},
  ) =>
    kit.render(
      req,
      reply,
      a,
      { title: `Sections: ${site.name}`, current: 'sites', status: o.status },
      <SectionsView
        site={site}
        sections={await rt.sections.list(site.id)}
        csrf={a.csrf}
        error={o.error}
        problems={o.problems ?? {}}
        values={o.values ?? { slug: '', name: '', description: '' }}
        rename={o.rename}
        canSettings={a.can('site.manage', site.id)}
      />,
    );

  /** The site of the route, once the staff member's roles cover its sections. */
  const siteFor = async (req: FastifyRequest, a: AdminContext): Promise<Site> => {
    const site = await requireSite(kit, paramId(req));
    a.require('section.manage', site.id);
    return site;
  };

  /** A section of that site (another site's section id is no section of this one). */
  const sectionOf = async (req: FastifyRequest, site: Site): Promise<Section> => {
    const section = await rt.sections.byId(paramId(req, 'sectionId'));
    if (!section || section.siteId !== site.id)
      throw new DatelineError(
        'SECTION_NOT_FOUND',
        `${site.name} has no such section. Reload its sections page.`,
      );
    return section;
  };

  kit.page('/sites/:id/sections', { cap: 'section.manage' }, async (req, reply, a) =>
    sectionsPage(req, reply, a, await siteFor(req, a)),
  );

  kit.action('/sites/:id/sections', { cap: 'section.manage' }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const values = {
      slug: formValue(req.body, 'slug').trim().toLowerCase(),
      name: formValue(req.body, 'name'),
      description: formValue(req.body, 'description'),
    };
    let section: Section;
    try {
      section = await rt.sections.create(site.id, values);
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const field = String(e.where?.field ?? '');
      return sectionsPage(req, reply, a, site, {
        values,
        problems: SECTION_FIELDS.has(field) ? { [field]: e.message } : {},
        error: e,
        status: e.statusCode,
      });
    }
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'section.created',
      subjectType: 'section',
      subjectId: section.id,
      after: { slug: section.slug, name: section.name, description: section.description },
      detail: { siteId: site.id },
    });
    await rt.directory.fresh();
    return kit.seeOther(reply, `/sites/${site.id}/sections`, 'section-added');
  });

  kit.action('/sites/:id/sections/:sectionId', { cap: 'section.manage' }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const section = await sectionOf(req, site);
    const name = formValue(req.body, 'name');
    if (name.trim() === section.name)
      return kit.seeOther(reply, `/sites/${site.id}/sections`, 'nothing-changed');
    let saved: Section;
    try {
      saved = await rt.sections.update(section.id, { name });
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      return sectionsPage(req, reply, a, site, {
        error: e,
        rename: { id: section.id, name, problem: e.message },
        status: e.statusCode,
      });
    }
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'section.renamed',
      subjectType: 'section',
      subjectId: section.id,
      before: { name: section.name },
      after: { name: saved.name },
      detail: { siteId: site.id },
    });
    await rt.directory.fresh();
    return kit.seeOther(reply, `/sites/${site.id}/sections`, 'section-renamed');
  });

  kit.action('/sites/:id/sections/:sectionId/move', { cap: 'section.manage' }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const section = await sectionOf(req, site);
    const direction = formValue(req.body, 'direction');
    if (direction !== 'up' && direction !== 'down')
      throw new DatelineError('BAD_REQUEST', 'Move a section up or down, with the buttons beside it.');
    const order = await rt.sections.move(section.id, direction);
    if (order.before.join() === order.after.join())
      return kit.seeOther(reply, `/sites/${site.id}/sections`, 'nothing-changed');
    const slugs = new Map((await rt.sections.list(site.id)).map((s) => [s.id, s.slug]));
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'section.moved',
      subjectType: 'section',
      subjectId: section.id,
      before: { order: order.before.map((id) => slugs.get(id) ?? id) },
      after: { order: order.after.map((id) => slugs.get(id) ?? id) },
      detail: { siteId: site.id, direction },
    });
    await rt.directory.fresh();
    return kit.seeOther(reply, `/sites/${site.id}/sections`, 'section-moved');
  });

  kit.action(
    '/sites/:id/sections/:sectionId/visibility',
    { cap: 'section.manage' },
    async (req, reply, a) => {
      const site = await siteFor(req, a);
      const section = await sectionOf(req, site);
      const hidden = formValue(req.body, 'hidden') === '1';
      if (hidden === section.hidden)
        return kit.seeOther(reply, `/sites/${site.id}/sections`, 'nothing-changed');
      await rt.sections.update(section.id, { hidden });
      await recordAudit(rt.db.kysely, {
        actor: a.actor,
        action: hidden ? 'section.hidden' : 'section.shown',
        subjectType: 'section',
        subjectId: section.id,
        before: { hidden: section.hidden },
        after: { hidden },
        detail: { siteId: site.id },
      });
      await rt.directory.fresh();
      return kit.seeOther(reply, `/sites/${site.id}/sections`, hidden ? 'section-hidden' : 'section-shown');
    },
  );
}

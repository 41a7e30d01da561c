// The wire set-up screens (/wire/setup and the pages under /wire/agencies, /wire/routes, /wire/pollers):
// agencies and the sites they are licensed for, routing rules and pollers, changed here as with
// `dateline wire agency|route|poller`, through the same services and their checks. Who may change what,
// site by site (wire.review on each):
// - a licence for a site: that site;
// - an agency's name, credit, retention and API token apply wherever it is licensed: all of those sites (an
//   agency licensed nowhere yet: network-wide), and a new agency: every site it is licensed for;
// - a routing rule: the site it sends stories to (before and after an edit);
// - a poller: every site its agency is licensed for; a folder poller reads the server's own disk, so it
//   takes a network-wide grant.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { SiteContext } from '../../sites/directory.ts';
import type { WireDesk } from '../../wire/desk.ts';
import type { Agency, Poller, Route } from '../../wire/model.ts';
import type { RouteOptions } from '../../wire/setup.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, formValues } from '../route-kit.tsx';
import { forbiddenHere } from './queue.tsx';
import {
  AgencyPage,
  PollerPage,
  type Problems,
  RoutePage,
  type SetupData,
  SetupOverview,
  type Values,
} from './setup-views.tsx';
import { deskZone, idParam, reviewSites, wholeField } from './shared.tsx';

ADMIN_NOTICES.set('wire-agency-saved', 'Agency saved.');
ADMIN_NOTICES.set('wire-route-added', 'Routing rule added.');
ADMIN_NOTICES.set('wire-route-saved', 'Routing rule saved.');
ADMIN_NOTICES.set('wire-route-removed', 'Routing rule removed.');
ADMIN_NOTICES.set('wire-poller-added', 'Poller added: it runs within the minute.');
ADMIN_NOTICES.set('wire-poller-saved', 'Poller saved.');
ADMIN_NOTICES.set('wire-poller-enabled', 'Poller enabled: it runs now.');
ADMIN_NOTICES.set('wire-poller-disabled', 'Poller disabled.');
ADMIN_NOTICES.set('wire-poller-removed', 'Poller removed.');

/** The service's field names as the forms call them. */
const FORM_FIELD: Record<string, string> = {
  slug: 'slug',
  name: 'name',
  credit: 'credit',
  retention: 'retention',
  site: 'target',
  section: 'target',
  subject: 'subject',
  slugline: 'slugline',
  keyword: 'keyword',
  urgency: 'urgency',
  position: 'position',
  source: 'kind',
  folder: 'location',
  url: 'location',
  every: 'every',
};

/** A service refusal as a problem beside its field, or null when it is about no field of the form. */
function fieldProblem(e: DatelineError, fallback: Record<string, string>): Problems | null {
  const raw = e.where?.field;
  const field = typeof raw === 'string' ? FORM_FIELD[raw] : undefined;
  if (field) return { [field]: e.message };
  const byCode = fallback[e.code];
  return byCode ? { [byCode]: e.message } : null;
}

export function setupRoutes(kit: AdminKit, desk: WireDesk): void {
  const { rt } = kit;
  const may = (a: AdminContext, siteId: number | null) => a.can('wire.review', siteId);
  /** Every one of the sites, or network-wide when there are none. */
  const mayAll = (a: AdminContext, ids: readonly number[]) =>
    ids.length > 0 ? ids.every((id) => may(a, id)) : may(a, null);
  const requireAll = (a: AdminContext, ids: readonly number[]) => {
    if (!mayAll(a, ids)) throw forbiddenHere();
  };
  const siteBySlug = (slug: string): SiteContext | undefined =>
    rt.directory.all().find((c) => c.site.slug === slug);
  const pollerSites = (p: Pick<Poller, 'kind'>, agency: Agency | undefined) =>
    p.kind === 'folder' ? [] : (agency?.siteIds ?? []);

  async function data(a: AdminContext): Promise<SetupData> {
    const [agencies, routes, pollers, sections] = await Promise.all([
      rt.wire.setup.listAgencies(),
      rt.wire.setup.listRoutes(),
      rt.wire.setup.listPollers(),
      rt.sections.list(),
    ]);
    const reviewable = reviewSites(a);
    const seen = (ids: number[]) => may(a, null) || ids.some((id) => may(a, id));
    const agencyById = new Map(agencies.map((g) => [g.id, g]));
    return {
      // Every agency (a desk may license one for its own site); rules and pollers only for the desk's sites.
      agencies,
      routes: routes.filter((r) => seen([r.siteId])),
      pollers: pollers.filter((p) => seen(agencyById.get(p.agencyId)?.siteIds ?? [])),
      siteNames: new Map(rt.directory.all().map((c) => [c.site.id, c.site.name])),
      sectionNames: new Map(sections.map((s) => [s.id, s.name])),
      reviewable,
      mayChangeAgency: (g) => mayAll(a, g.siteIds),
      mayChangeRoute: (r) => may(a, r.siteId),
      mayChangePoller: (p) => mayAll(a, pollerSites(p, agencyById.get(p.agencyId))),
      zone: deskZone(a),
    };
  }

  async function overview(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: Omit<Parameters<typeof SetupOverview>[0], 'data' | 'csrf' | 'folderAllowed'> & {
      status?: number;
    } = {},
  ) {
    const { status, ...rest } = o;
    const notice = o.madeToken
      ? { kind: 'ok' as const, text: `Agency ${o.madeToken.agency} added.` }
      : undefined;
    return kit.render(
      req,
      reply,
      a,
      { title: 'Agencies & routing', current: 'wire-setup', status, ...(notice && { notice }) },
      <SetupOverview data={await data(a)} csrf={a.csrf} folderAllowed={may(a, null)} {...rest} />,
    );
  }

  kit.page('/wire/setup', { cap: 'wire.review' }, async (req, reply, a) => overview(req, reply, a));

  // ---------------------------------------------------------------- agencies

  const agencyValues = (body: unknown): Values => ({
    slug: formValue(body, 'slug').trim(),
    name: formValue(body, 'name'),
    credit: formValue(body, 'credit'),
    retention: formValue(body, 'retention'),
    sites: formValues(body, 'sites'),
  });

  /** The licensed sites a form names: unknown slugs are a problem, others' sites are refused. */
  const chosenSites = (a: AdminContext, slugs: string[], problems: Problems): SiteContext[] => {
    const out: SiteContext[] = [];
    for (const slug of slugs) {
      const c = siteBySlug(slug);
      if (!c) problems.sites = `There is no site "${slug}". Tick sites from the list.`;
      else {
        a.require('wire.review', c.site.id);
        out.push(c);
      }
    }
    return out;
  };

  kit.action('/wire/agencies', { cap: 'wire.review' }, async (req, reply, a) => {
    const values = agencyValues(req.body);
    const problems: Problems = {};
    const sites = chosenSites(a, values.sites as string[], problems);
    if (sites.length === 0) a.require('wire.review', null);
    const retention = wholeField(values.retention as string);
    if (Number.isNaN(retention)) problems.retention = 'Give a whole number of days, or leave it empty.';
    const again = (p: Problems, status = 400) =>
      overview(req, reply, a, { open: 'agency', agencyForm: { values, problems: p }, status });
    if (Object.keys(problems).length > 0) return again(problems);
    try {
      const credit = (values.credit as string).trim();
      const made = await desk.addAgency(
        values.slug as string,
        {
          name: values.name as string,
          ...(credit && { credit }),
          retentionDays: retention,
          sites: sites.map((c) => c.site.slug),
        },
        a.actor,
      );
      return overview(req, reply, a, { madeToken: { agency: made.agency.name, token: made.token } });
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const p = fieldProblem(e, { DATELINE_ERR_SITE_NOT_FOUND: 'sites' });
      if (p) return again(p, e.statusCode);
      throw e;
    }
  });

  async function agencyPage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    agency: Agency,
    o: { values?: Values; problems?: Problems; status?: number; madeToken?: string } = {},
  ) {
    const reviewable = reviewSites(a);
    const names = new Map(rt.directory.all().map((c) => [c.site.id, c]));
    const locked = agency.siteIds
      .filter((id) => !may(a, id))
      .map((id) => names.get(id)?.site.name ?? `#${id}`);
    const values: Values = o.values ?? {
      name: agency.name,
      credit: agency.credit,
      retention: agency.retentionDays === null ? '' : String(agency.retentionDays),
      sites: agency.siteIds.map((id) => names.get(id)?.site.slug ?? '').filter(Boolean),
    };
    return kit.render(
      req,
      reply,
      a,
      { title: `Agency: ${agency.name}`, current: 'wire-setup', status: o.status },
      <AgencyPage
        agency={agency}
        csrf={a.csrf}
        state={{ values, problems: o.problems ?? {} }}
        reviewable={reviewable}
        locked={locked}
        mayChangeDetails={mayAll(a, agency.siteIds)}
        madeToken={o.madeToken ?? null}
      />,
    );
  }

  /**
   * The agency. Every wire editor sees every agency, so that a desk can license one already known to the
   * network for its own site; what they may change on it is checked per field.
   */
  const visibleAgency = (_a: AdminContext, slug: string): Promise<Agency> =>
    rt.wire.setup.requireAgency(slug);

  kit.page('/wire/agencies/:slug', { cap: 'wire.review' }, async (req, reply, a) =>
    agencyPage(req, reply, a, await visibleAgency(a, (req.params as { slug: string }).slug)),
  );

  kit.action('/wire/agencies/:slug', { cap: 'wire.review' }, async (req, reply, a) => {
    const agency = await visibleAgency(a, (req.params as { slug: string }).slug);
    const values = agencyValues(req.body);
    const problems: Problems = {};
    const submitted = chosenSites(a, values.sites as string[], problems).map((c) => c.site.id);
    // Licences of sites the staff member does not review stay as they are; their own are as ticked.
    const siteIds = [...new Set([...agency.siteIds.filter((id) => !may(a, id)), ...submitted])];
    for (const id of [...agency.siteIds, ...siteIds])
      if (agency.siteIds.includes(id) !== siteIds.includes(id)) a.require('wire.review', id);
    const patch: { name?: string; credit?: string; retentionDays?: number | null } = {};
    if (req.body && typeof req.body === 'object' && 'name' in req.body) {
      const retention = wholeField(values.retention as string);
      if (Number.isNaN(retention)) problems.retention = 'Give a whole number of days, or leave it empty.';
      else if (retention !== agency.retentionDays) patch.retentionDays = retention;
      if (values.name !== agency.name) patch.name = values.name as string;
      const credit = (values.credit as string).trim() || (values.name as string).trim();
      if (credit !== agency.credit) patch.credit = credit;
      if (Object.keys(patch).length > 0) requireAll(a, agency.siteIds);
    }
    if (Object.keys(problems).length > 0)
      return agencyPage(req, reply, a, agency, { values, problems, status: 400 });
    const slugs = new Map(rt.directory.all().map((c) => [c.site.id, c.site.slug]));
    try {
      await desk.editAgency(
        agency.slug,
        { ...patch, sites: siteIds.map((id) => slugs.get(id)).filter((s): s is string => Boolean(s)) },
        a.actor,
      );
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const p = fieldProblem(e, { DATELINE_ERR_SITE_NOT_FOUND: 'sites' });
      if (p) return agencyPage(req, reply, a, agency, { values, problems: p, status: e.statusCode });
      throw e;
    }
    return kit.seeOther(reply, `/wire/agencies/${agency.slug}`, 'wire-agency-saved');
  });

  kit.action('/wire/agencies/:slug/token', { cap: 'wire.review' }, async (req, reply, a) => {
    const agency = await visibleAgency(a, (req.params as { slug: string }).slug);
    requireAll(a, agency.siteIds);
    const token = await desk.rotateAgencyToken(agency.slug, a.actor);
    return agencyPage(req, reply, a, (await rt.wire.setup.requireAgency(agency.slug))!, { madeToken: token });
  });

  // ---------------------------------------------------------------- routing rules

  const routeValues = (body: unknown): Values => ({
    agency: formValue(body, 'agency'),
    target: formValue(body, 'target'),
    action: formValue(body, 'action') === 'review' ? 'review' : 'publish',
    subject: formValue(body, 'subject'),
    slugline: formValue(body, 'slugline'),
    keyword: formValue(body, 'keyword'),
    urgency: formValue(body, 'urgency'),
    position: formValue(body, 'position'),
  });

  /** The rule a form describes, or the problems with it; permission on its site is checked first. */
  function routeOptions(a: AdminContext, v: Values): { options?: RouteOptions; problems: Problems } {
    const problems: Problems = {};
    const [siteSlug, sectionSlug] = (v.target as string).split('/');
    const site = siteSlug ? siteBySlug(siteSlug) : undefined;
    if (!v.target) problems.target = 'Choose the site and section the rule sends stories to.';
    else if (!site || !sectionSlug)
      problems.target = 'That site and section do not exist. Choose one from the list.';
    if (site) a.require('wire.review', site.site.id);
    const urgency = wholeField(v.urgency as string);
    if (Number.isNaN(urgency)) problems.urgency = 'Give a whole number from 1 to 9, or leave it empty.';
    const position = wholeField(v.position as string);
    if (Number.isNaN(position)) problems.position = 'Give a whole number, or leave it empty.';
    if (Object.keys(problems).length > 0) return { problems };
    const opt = (s: string | string[] | undefined) => ((s as string).trim() === '' ? null : (s as string));
    return {
      problems,
      options: {
        agency: opt(v.agency),
        site: siteSlug!,
        section: sectionSlug!,
        subject: opt(v.subject),
        slugline: opt(v.slugline),
        keyword: opt(v.keyword),
        urgency,
        review: v.action === 'review',
        ...(position !== null && { position }),
      },
    };
  }

  const routeFallback = {
    DATELINE_ERR_WIRE_AGENCY_NOT_FOUND: 'agency',
    DATELINE_ERR_SITE_NOT_FOUND: 'target',
  };

  kit.action('/wire/routes', { cap: 'wire.review' }, async (req, reply, a) => {
    const values = routeValues(req.body);
    const { options, problems } = routeOptions(a, values);
    const again = (p: Problems, status = 400) =>
      overview(req, reply, a, { open: 'route', routeForm: { values, problems: p }, status });
    if (!options) return again(problems);
    try {
      await desk.addRoute(options, a.actor);
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const p = fieldProblem(e, routeFallback);
      if (p) return again(p, e.statusCode);
      throw e;
    }
    return kit.seeOther(reply, '/wire/setup', 'wire-route-added');
  });

  async function changeableRoute(a: AdminContext, id: number): Promise<Route> {
    const route = await desk.requireRoute(id);
    a.require('wire.review', route.siteId);
    return route;
  }

  const routePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    id: number,
    values: Values,
    problems: Problems,
    status?: number,
  ) =>
    kit.render(
      req,
      reply,
      a,
      { title: 'Routing rule', current: 'wire-setup', status },
      <RoutePage
        id={id}
        csrf={a.csrf}
        state={{ values, problems }}
        agencies={(await data(a)).agencies}
        reviewable={reviewSites(a)}
      />,
    );

  kit.page('/wire/routes/:id', { cap: 'wire.review' }, async (req, reply, a) => {
    const route = await changeableRoute(a, idParam(req.params));
    const agencies = await rt.wire.setup.listAgencies();
    const site = rt.directory.byIdOrUndefined(route.siteId);
    const section = site?.sectionsById.get(route.sectionId);
    return routePage(
      req,
      reply,
      a,
      route.id,
      {
        agency: agencies.find((g) => g.id === route.agencyId)?.slug ?? '',
        target: site && section ? `${site.site.slug}/${section.slug}` : '',
        action: route.action,
        subject: route.subjectCode ?? '',
        slugline: route.sluglinePrefix ?? '',
        keyword: route.keyword ?? '',
        urgency: route.maxUrgency === null ? '' : String(route.maxUrgency),
        position: String(route.position),
      },
      {},
    );
  });

  kit.action('/wire/routes/:id', { cap: 'wire.review' }, async (req, reply, a) => {
    const route = await changeableRoute(a, idParam(req.params));
    const values = routeValues(req.body);
    const { options, problems } = routeOptions(a, values);
    if (!options) return routePage(req, reply, a, route.id, values, problems, 400);
    try {
      await desk.editRoute(route.id, options, a.actor);
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const p = fieldProblem(e, routeFallback);
      if (p) return routePage(req, reply, a, route.id, values, p, e.statusCode);
      throw e;
    }
    return kit.seeOther(reply, '/wire/setup', 'wire-route-saved');
  });

  kit.action('/wire/routes/:id/remove', { cap: 'wire.review' }, async (req, reply, a) => {
    const route = await changeableRoute(a, idParam(req.params));
    await desk.removeRoute(route.id, a.actor);
    return kit.seeOther(reply, '/wire/setup', 'wire-route-removed');
  });

  // ---------------------------------------------------------------- pollers

  kit.action('/wire/pollers', { cap: 'wire.review' }, async (req, reply, a) => {
    const values: Values = {
      agency: formValue(req.body, 'agency'),
      kind: formValue(req.body, 'kind') === 'folder' ? 'folder' : 'feed',
      location: formValue(req.body, 'location').trim(),
      every: formValue(req.body, 'every'),
    };
    const problems: Problems = {};
    const agency = values.agency ? await rt.wire.setup.getAgency(values.agency as string) : null;
    if (!agency) problems.agency = 'Choose the agency whose copy the poller reads.';
    requireAll(a, pollerSites({ kind: values.kind as Poller['kind'] }, agency ?? undefined));
    const every = wholeField(values.every as string);
    if (Number.isNaN(every)) problems.every = 'Give a whole number of seconds, or leave it empty.';
    if (!values.location) problems.location = 'Give the feed URL or the folder to read.';
    const again = (p: Problems, status = 400) =>
      overview(req, reply, a, { open: 'poller', pollerForm: { values, problems: p }, status });
    if (Object.keys(problems).length > 0) return again(problems);
    try {
      await desk.addPoller(
        {
          agency: agency!.slug,
          ...(values.kind === 'folder'
            ? { folder: values.location as string }
            : { url: values.location as string }),
          ...(every !== null && { everySeconds: every }),
        },
        a.actor,
      );
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const p = fieldProblem(e, {
        DATELINE_ERR_FETCH_REFUSED: 'location',
        DATELINE_ERR_WIRE_AGENCY_NOT_FOUND: 'agency',
      });
      if (p) return again(p, e.statusCode);
      throw e;
    }
    return kit.seeOther(reply, '/wire/setup', 'wire-poller-added');
  });

  async function changeablePoller(a: AdminContext, id: number) {
    const poller = await rt.wire.setup.requirePoller(id);
    const agencies = await rt.wire.setup.listAgencies();
    const agency = agencies.find((g) => g.id === poller.agencyId);
    requireAll(a, pollerSites(poller, agency));
    return { poller, agencyName: agency?.name ?? `#${poller.agencyId}` };
  }

  const pollerPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    p: { poller: Poller; agencyName: string },
    values: Values,
    problems: Problems,
    status?: number,
  ) =>
    kit.render(
      req,
      reply,
      a,
      { title: 'Poller', current: 'wire-setup', status },
      <PollerPage
        poller={p.poller}
        agencyName={p.agencyName}
        csrf={a.csrf}
        state={{ values, problems }}
        zone={deskZone(a)}
      />,
    );

  kit.page('/wire/pollers/:id', { cap: 'wire.review' }, async (req, reply, a) => {
    const p = await changeablePoller(a, idParam(req.params));
    return pollerPage(req, reply, a, p, { every: String(p.poller.intervalSeconds) }, {});
  });

  kit.action('/wire/pollers/:id', { cap: 'wire.review' }, async (req, reply, a) => {
    const p = await changeablePoller(a, idParam(req.params));
    const values: Values = { every: formValue(req.body, 'every') };
    const every = wholeField(values.every as string);
    if (every === null || Number.isNaN(every))
      return pollerPage(
        req,
        reply,
        a,
        p,
        values,
        { every: 'Give a whole number of seconds from 1 to 86400.' },
        400,
      );
    try {
      await desk.setPollerInterval(p.poller.id, every, a.actor);
    } catch (e) {
      if (!isDatelineError(e, 'WIRE_POLLER_INVALID')) throw e;
      return pollerPage(req, reply, a, p, values, { every: e.message }, e.statusCode);
    }
    return kit.seeOther(reply, `/wire/pollers/${p.poller.id}`, 'wire-poller-saved');
  });

  for (const [path, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    kit.action(`/wire/pollers/:id/${path}`, { cap: 'wire.review' }, async (req, reply, a) => {
      const p = await changeablePoller(a, idParam(req.params));
      await desk.setPollerEnabled(p.poller.id, enabled, a.actor);
      return kit.seeOther(
        reply,
        `/wire/pollers/${p.poller.id}`,
        enabled ? 'wire-poller-enabled' : 'wire-poller-disabled',
      );
    });
  }

  kit.action('/wire/pollers/:id/remove', { cap: 'wire.review' }, async (req, reply, a) => {
    const p = await changeablePoller(a, idParam(req.params));
    await desk.removePoller(p.poller.id, a.actor);
    return kit.seeOther(reply, '/wire/setup', 'wire-poller-removed');
  });
}

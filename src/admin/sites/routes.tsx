// The Sites screens of the newsroom admin: every site's settings (name, hosts, tagline, footer line, time
// zone, language, brand colours, logo), a new site, and each site's sections. Settings need site.manage on
// the site, a new site a network-wide site.manage, sections section.manage (editors have it). Every change
// is audit-logged with the fields before and after; SiteService and SectionService run each change in a
// transaction of their own (with its site.changed / section.changed event), so the entry is written right
// after the change commits, in the handler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { changedHalves } from '../../articles/story-audit.ts';
import { recordAudit } from '../../audit/log.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import { normaliseHost, type Site, type SitePatch } from '../../sites/site.ts';
import { bundleAdminScript } from '../client/bundle.ts';
import { eachUploadedFile, readFieldsFirst, uploadKit } from '../media/upload-form.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue } from '../route-kit.tsx';
import { BRAND_MIN_RATIO, type BrandColour, checkBrandColours } from './brand-contrast.ts';
import { NETWORK_SCREENS_CSS } from './form-parts.tsx';
import { sectionsScreen } from './sections.tsx';
import { paramId, requireSite, timeZoneChoices } from './site-lookup.ts';
import {
  NewSiteForm,
  type NewSiteValues,
  type Problems,
  SITES_CSS,
  type SiteFormValues,
  SiteList,
  SiteSettingsForm,
  siteFormValues,
} from './views.tsx';

ADMIN_NOTICES.set('site-saved', 'Site settings saved. Pages show them at once.');
ADMIN_NOTICES.set('site-added', 'Site added. Give it colours, a logo and sections next.');
ADMIN_NOTICES.set('logo-saved', 'Logo saved. Pages show it at once.');
ADMIN_NOTICES.set('logo-removed', 'Logo removed: the site shows its name instead.');
ADMIN_NOTICES.set('nothing-changed', 'Nothing was changed.');

const BRAND_SCRIPT = 'site-brand.js';

/** The parts of a site the audit log records. */
function siteSnapshot(s: Site): Record<string, unknown> {
  return {
    name: s.name,
    hosts: s.hosts,
    tagline: s.tagline,
    footerText: s.footerText,
    timeZone: s.timeZone,
    language: s.language,
    primaryColor: s.primaryColor,
    accentColor: s.accentColor,
    logoMediaId: s.logoMediaId,
  };
}

/** Host names typed one per line (commas and spaces also separate them), without repeats. */
function parseHosts(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[\s,]+/)
        .map(normaliseHost)
        .filter(Boolean),
    ),
  ];
}

/** SiteService names the field it refused; the form's field of that name shows the message. */
const SITE_FIELD: Record<string, string> = {
  slug: 'slug',
  name: 'name',
  tagline: 'tagline',
  language: 'language',
  'time zone': 'timeZone',
  'primary colour': 'primaryColor',
  'accent colour': 'accentColor',
  'footer text': 'footerText',
  host: 'hosts',
  hosts: 'hosts',
};

function fieldOf(e: DatelineError): string | null {
  const f = e.where?.field;
  return typeof f === 'string' ? (SITE_FIELD[f] ?? null) : null;
}

/** Refuses colours under AA against what readers see them on: the rule, whatever the page's script said. */
export function brandContrastProblems(colours: Record<BrandColour, string>): {
  problems: Problems;
  error: DatelineError | null;
} {
  const problems: Problems = {};
  const failing = checkBrandColours(colours).filter((c) => !c.passes);
  for (const c of failing) {
    problems[c.colour] =
      `${colours[c.colour]} has ${c.ratio.toFixed(2)}:1 contrast against ${c.against}, where readers see it (${c.where}); AA needs ${BRAND_MIN_RATIO}:1. Choose a darker colour.`;
  }
  if (failing.length === 0) return { problems, error: null };
  return {
    problems,
    error: new DatelineError(
      'BRAND_CONTRAST_LOW',
      `${failing.length === 1 ? 'A colour is' : 'The colours are'} too faint to read against the page, so nothing was saved. ` +
        `Each brand colour needs at least ${BRAND_MIN_RATIO}:1 contrast (WCAG AA); darker shades pass.`,
      { field: failing[0]!.colour },
    ),
  };
}

export async function sitesScreen(kit: AdminKit): Promise<void> {
  const { rt } = kit;
  kit.nav.add({
    id: 'sites',
    group: 'Network',
    label: 'Sites',
    href: '/sites',
    // Editors reach the list for their sites' sections; settings need site.manage (admins hold both).
    cap: 'section.manage',
    order: 10,
  });
  kit.assets.addCss(NETWORK_SCREENS_CSS + SITES_CSS);
  kit.assets.add(
    BRAND_SCRIPT,
    'text/javascript; charset=utf-8',
    await bundleAdminScript('sites/client/brand.ts'),
  );
  const uploads = await uploadKit(kit);
  const zones = timeZoneChoices();
  const logoLimits = { maxBytes: rt.media.limits.maxUploadBytes, maxFiles: 1 };
  const maxLogoMb = `${(logoLimits.maxBytes / (1024 * 1024)).toFixed(0)} MB`;

  // ---------------------------------------------------------------- the list

  kit.page('/sites', { cap: 'section.manage' }, async (req, reply, a) => {
    await rt.directory.fresh();
    const rows = a.sites
      .filter((c) => a.siteIds.includes(c.site.id))
      .filter((c) => a.can('site.manage', c.site.id) || a.can('section.manage', c.site.id))
      .map((c) => ({
        site: c.site,
        sections: c.sectionsById.size,
        canSettings: a.can('site.manage', c.site.id),
        canSections: a.can('section.manage', c.site.id),
      }));
    return kit.render(
      req,
      reply,
      a,
      { title: 'Sites', current: 'sites' },
      <SiteList rows={rows} canAdd={a.can('site.manage', null)} />,
    );
  });

  // ---------------------------------------------------------------- a new site (network-wide admins)

  const newSitePage = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: { values?: NewSiteValues; problems?: Problems; error?: DatelineError | null; status?: number } = {},
  ) =>
    kit.render(
      req,
      reply,
      a,
      { title: 'Add a site', current: 'sites', status: o.status },
      <NewSiteForm
        values={o.values ?? { slug: '', name: '', hosts: '', language: 'en', timeZone: 'UTC' }}
        problems={o.problems ?? {}}
        error={o.error}
        timeZones={zones}
        csrf={a.csrf}
      />,
    );

  kit.page('/sites/new', { cap: 'site.manage' }, async (req, reply, a) => {
    a.require('site.manage', null);
    return newSitePage(req, reply, a);
  });

  kit.action('/sites/new', { cap: 'site.manage' }, async (req, reply, a) => {
    a.require('site.manage', null);
    const values: NewSiteValues = {
      slug: formValue(req.body, 'slug').trim(),
      name: formValue(req.body, 'name'),
      hosts: formValue(req.body, 'hosts'),
      language: formValue(req.body, 'language').trim() || 'en',
      timeZone: formValue(req.body, 'timeZone'),
    };
    const hosts = parseHosts(values.hosts);
    const problems: Problems = {};
    if (!zones.includes(values.timeZone))
      problems.timeZone = 'Choose a time zone from the list (UTC, or a place such as Asia/Tokyo).';
    if (hosts.includes(rt.config.adminHost))
      problems.hosts = `${rt.config.adminHost} is the newsroom admin's own host; a site cannot use it.`;
    if (Object.keys(problems).length) return newSitePage(req, reply, a, { values, problems, status: 400 });
    let site: Site;
    try {
      site = await rt.sites.create({
        slug: values.slug,
        name: values.name,
        language: values.language,
        timeZone: values.timeZone,
        ...(hosts.length > 0 && { hosts }),
      });
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const field = fieldOf(e);
      return newSitePage(req, reply, a, {
        values,
        problems: field ? { [field]: e.message } : {},
        error: e,
        status: e.statusCode,
      });
    }
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'site.created',
      subjectType: 'site',
      subjectId: site.id,
      after: { slug: site.slug, ...siteSnapshot(site) },
    });
    await rt.directory.fresh();
    return kit.seeOther(reply, `/sites/${site.id}`, 'site-added');
  });

  // ---------------------------------------------------------------- a site's settings

  const settingsPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    site: Site,
    o: {
      values?: SiteFormValues;
      problems?: Problems;
      error?: DatelineError | null;
      logoProblem?: string;
      logoError?: DatelineError | null;
      status?: number;
    } = {},
  ) =>
    kit.render(
      req,
      reply,
      a,
      {
        title: `Settings: ${site.name}`,
        current: 'sites',
        status: o.status,
        scripts: [kit.assets.path(BRAND_SCRIPT)],
      },
      <SiteSettingsForm
        site={site}
        values={o.values ?? siteFormValues(site)}
        problems={o.problems ?? {}}
        error={o.error}
        timeZones={zones}
        csrf={a.csrf}
        logoProblem={o.logoProblem}
        logoError={o.logoError}
        maxLogoMb={maxLogoMb}
      />,
    );

  kit.page('/sites/:id', { cap: 'site.manage' }, async (req, reply, a) => {
    const site = await requireSite(kit, paramId(req));
    a.require('site.manage', site.id);
    return settingsPage(req, reply, a, site);
  });

  kit.action('/sites/:id', { cap: 'site.manage' }, async (req, reply, a) => {
    const site = await requireSite(kit, paramId(req));
    a.require('site.manage', site.id);
    const values: SiteFormValues = {
      name: formValue(req.body, 'name'),
      hosts: formValue(req.body, 'hosts'),
      language: formValue(req.body, 'language').trim(),
      timeZone: formValue(req.body, 'timeZone'),
      tagline: formValue(req.body, 'tagline'),
      footerText: formValue(req.body, 'footerText'),
      primaryColor: formValue(req.body, 'primaryColor').trim(),
      accentColor: formValue(req.body, 'accentColor').trim(),
    };
    const hosts = parseHosts(values.hosts);
    const problems: Problems = {};
    // The select offers the runtime's zones; a zone stored before (an older alias) may stay as it is.
    if (!zones.includes(values.timeZone) && values.timeZone !== site.timeZone)
      problems.timeZone = 'Choose a time zone from the list (UTC, or a place such as Asia/Tokyo).';
    if (hosts.length === 0) problems.hosts = 'Give at least one host name: readers reach the site there.';
    if (hosts.includes(rt.config.adminHost))
      problems.hosts = `${rt.config.adminHost} is the newsroom admin's own host; a site cannot use it.`;
    for (const c of ['primaryColor', 'accentColor'] as const)
      if (!/^#[0-9a-f]{6}$/i.test(values[c]))
        problems[c] = 'Give the colour as # and six hex digits, e.g. #12355b.';
    const contrast = brandContrastProblems(values);
    Object.assign(problems, contrast.problems);
    if (Object.keys(problems).length)
      return settingsPage(req, reply, a, site, {
        values,
        problems,
        error: contrast.error,
        status: 400,
      });
    const patch: SitePatch = {
      name: values.name,
      hosts,
      language: values.language,
      timeZone: values.timeZone,
      tagline: values.tagline,
      footerText: values.footerText,
      primaryColor: values.primaryColor.toLowerCase(),
      accentColor: values.accentColor.toLowerCase(),
    };
    let saved: Site;
    try {
      saved = await rt.sites.update(site.slug, patch);
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const field = fieldOf(e);
      return settingsPage(req, reply, a, site, {
        values,
        problems: field ? { [field]: e.message } : {},
        error: e,
        status: e.statusCode,
      });
    }
    const halves = changedHalves(siteSnapshot(site), siteSnapshot(saved));
    if (Object.keys(halves.after).length > 0)
      await recordAudit(rt.db.kysely, {
        actor: a.actor,
        action: 'site.updated',
        subjectType: 'site',
        subjectId: site.id,
        ...halves,
      });
    await rt.directory.fresh();
    return kit.seeOther(reply, `/sites/${site.id}`, 'site-saved');
  });

  // ---------------------------------------------------------------- the logo

  kit.page('/sites/:id/logo.webp', { cap: 'site.manage' }, async (req, reply, a) => {
    const site = await requireSite(kit, paramId(req));
    a.require('site.manage', site.id);
    if (!site.logoMediaId)
      throw new DatelineError(
        'MEDIA_NOT_FOUND',
        `${site.name} has no logo. Upload one on its settings page.`,
      );
    const r = await rt.media.rendition(site.logoMediaId, 480, 'webp');
    return reply.type(r.mime).send(r.bytes);
  });

  // The upload's checks read the token from the fields before the file, without reading the file.
  readFieldsFirst(uploads.app, '/sites/:id/logo', logoLimits);
  uploads.action(
    '/sites/:id/logo',
    { cap: 'site.manage', bodyLimit: logoLimits.maxBytes + 64 * 1024 },
    async (req, reply, a) => {
      const site = await requireSite(kit, paramId(req));
      a.require('site.manage', site.id);
      let logoId: number | null = null;
      try {
        const got = await eachUploadedFile(req, logoLimits, async (file) => {
          if (logoId !== null || file.bytes.length === 0) return;
          if (file.cutOff)
            throw new DatelineError(
              'MEDIA_TOO_LARGE',
              `The logo is larger than the ${maxLogoMb} upload limit, so it was not stored. Export it smaller and upload it again.`,
            );
          // The media service's checks: type sniffed from the bytes, size, pixel limit, damage.
          const record = await rt.media.addImage(file.bytes, {
            alt: `${site.name} logo`,
            filename: file.filename,
            uploadedBy: a.staff.userId,
          });
          logoId = record.id;
        });
        if (logoId === null)
          throw new DatelineError(
            got.tooMany ? 'BAD_REQUEST' : 'MEDIA_INVALID',
            got.tooMany
              ? 'Send one logo at a time; nothing was stored.'
              : 'No picture arrived with the form: choose a file in the logo field, then upload.',
          );
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        return settingsPage(req, reply, a, site, {
          logoProblem: e.message,
          logoError: e,
          status: e.statusCode,
        });
      }
      const saved = await rt.sites.update(site.slug, { logoMediaId: logoId });
      await recordAudit(rt.db.kysely, {
        actor: a.actor,
        action: 'site.logo_changed',
        subjectType: 'site',
        subjectId: site.id,
        before: { logoMediaId: site.logoMediaId },
        after: { logoMediaId: saved.logoMediaId },
      });
      await rt.directory.fresh();
      return kit.seeOther(reply, `/sites/${site.id}`, 'logo-saved');
    },
  );

  kit.action('/sites/:id/logo/remove', { cap: 'site.manage' }, async (req, reply, a) => {
    const site = await requireSite(kit, paramId(req));
    a.require('site.manage', site.id);
    if (site.logoMediaId === null) return kit.seeOther(reply, `/sites/${site.id}`, 'nothing-changed');
    await rt.sites.update(site.slug, { logoMediaId: null });
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'site.logo_changed',
      subjectType: 'site',
      subjectId: site.id,
      before: { logoMediaId: site.logoMediaId },
      after: { logoMediaId: null },
    });
    await rt.directory.fresh();
    return kit.seeOther(reply, `/sites/${site.id}`, 'logo-removed');
  });

  sectionsScreen(kit);
}

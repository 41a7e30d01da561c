// Rules for creating and changing sites. Every change runs in a transaction and records a site.changed
// event, which drops the site's cached pages and reloads it in every process.

import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { Events } from '../events/log.ts';
import { findSiteBySlug, hostOwner, listSites } from './repository.ts';
import { checkSiteFields, normaliseHost, type Site, type SiteInput, type SitePatch } from './site.ts';

const DEFAULTS = {
  tagline: '',
  language: 'en',
  timeZone: 'UTC',
  primaryColor: '#1a3d6d',
  accentColor: '#b3261e',
  footerText: '',
};

export class SiteService {
  constructor(private readonly events: Events) {}

  private get db() {
    return this.events.db.kysely;
  }

  list(): Promise<Site[]> {
    return listSites(this.db);
  }

  get(slug: string): Promise<Site | null> {
    return findSiteBySlug(this.db, slug);
  }

  async require(slug: string): Promise<Site> {
    const site = await this.get(slug);
    if (!site) {
      throw new DatelineError(
        'SITE_NOT_FOUND',
        `There is no site "${slug}". List the sites with \`dateline site list\`, or add one with \`dateline site add\`.`,
        { site: slug },
      );
    }
    return site;
  }

  async create(input: SiteInput): Promise<Site> {
    checkSiteFields(input);
    const hosts = [...new Set((input.hosts ?? [`${input.slug}.localhost`]).map(normaliseHost))];
    const { id, eventId } = await this.db.transaction().execute(async (trx) => {
      if (await findSiteBySlug(trx, input.slug)) {
        throw new DatelineError(
          'SITE_SLUG_TAKEN',
          `A site "${input.slug}" already exists. Choose another slug, or change it with \`dateline site edit\`.`,
          { field: 'slug' },
        );
      }
      await this.assertHostsFree(trx, hosts, null);
      const row = await trx
        .insertInto('sites')
        .values({
          slug: input.slug,
          name: input.name.trim(),
          tagline: input.tagline ?? DEFAULTS.tagline,
          language: input.language ?? DEFAULTS.language,
          time_zone: input.timeZone ?? DEFAULTS.timeZone,
          primary_color: input.primaryColor ?? DEFAULTS.primaryColor,
          accent_color: input.accentColor ?? DEFAULTS.accentColor,
          footer_text: input.footerText ?? DEFAULTS.footerText,
          logo_media_id: input.logoMediaId ?? null,
          public_scheme: input.publicScheme ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (hosts.length)
        await trx
          .insertInto('site_hosts')
          .values(hosts.map((host) => ({ host, site_id: row.id })))
          .execute();
      const eventId = await this.events.record(trx, { type: 'site.changed', siteId: row.id });
      return { id: row.id, eventId };
    });
    this.events.published({ type: 'site.changed', siteId: id }, eventId);
    return this.require(input.slug);
  }

  async update(slug: string, patch: SitePatch): Promise<Site> {
    checkSiteFields(patch);
    const site = await this.require(slug);
    const eventId = await this.db.transaction().execute(async (trx) => {
      const values = {
        ...(patch.name !== undefined && { name: patch.name.trim() }),
        ...(patch.tagline !== undefined && { tagline: patch.tagline }),
        ...(patch.language !== undefined && { language: patch.language }),
        ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
        ...(patch.primaryColor !== undefined && { primary_color: patch.primaryColor }),
        ...(patch.accentColor !== undefined && { accent_color: patch.accentColor }),
        ...(patch.footerText !== undefined && { footer_text: patch.footerText }),
        ...(patch.logoMediaId !== undefined && { logo_media_id: patch.logoMediaId }),
        ...(patch.publicScheme !== undefined && { public_scheme: patch.publicScheme }),
        updated_at: toDbTime(new Date()),
      };
      await trx.updateTable('sites').set(values).where('id', '=', site.id).execute();
      if (patch.hosts) {
        const hosts = [...new Set(patch.hosts.map(normaliseHost))];
        await this.assertHostsFree(trx, hosts, site.id);
        await trx.deleteFrom('site_hosts').where('site_id', '=', site.id).execute();
        if (hosts.length)
          await trx
            .insertInto('site_hosts')
            .values(hosts.map((host) => ({ host, site_id: site.id })))
            .execute();
      }
      return this.events.record(trx, { type: 'site.changed', siteId: site.id });
    });
    this.events.published({ type: 'site.changed', siteId: site.id }, eventId);
    return this.require(slug);
  }

  private async assertHostsFree(
    trx: Parameters<typeof hostOwner>[0],
    hosts: string[],
    siteId: number | null,
  ) {
    for (const host of hosts) {
      const owner = await hostOwner(trx, host);
      if (owner !== null && owner !== siteId) {
        throw new DatelineError(
          'HOST_TAKEN',
          `The host ${host} already belongs to another site. Each host serves exactly one site: remove it there first.`,
          { field: 'hosts', host },
        );
      }
    }
  }
}

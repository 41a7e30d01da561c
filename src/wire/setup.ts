// What an operator sets up before stories flow: agencies (name, credit line, licensed sites, retention, API
// token), routing rules (agency, subject, slugline, keyword, urgency → site and section, published or
// reviewed), and pollers (a folder to watch, or a feed URL to fetch). Each change is checked here, with errors
// that say which setting is wrong and what is allowed.
import { createHash, randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArticleService } from '../articles/service.ts';
import type { Db } from '../db/connection.ts';
import { DatelineError, isDatelineError } from '../errors/catalogue.ts';
import { setRouteSendsAlert } from '../newsletters/alerts/wire-alerts.ts';
import type { OutboundClient } from '../outbound/client.ts';
import type { SectionService } from '../sections/service.ts';
import type { SiteService } from '../sites/service.ts';
import type { Agency, Poller, Route } from './model.ts';
import {
  articlesOnSites,
  deletePoller,
  deleteRoute,
  findAgency,
  findPoller,
  insertAgency,
  insertPoller,
  insertRoute,
  listAgencies,
  listPollers,
  listRoutes,
  nextRoutePosition,
  setLicences,
  updateAgency,
  updatePoller,
} from './repository.ts';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
export const MIN_POLL_SECONDS = 1;
export const MAX_POLL_SECONDS = 86_400;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function newToken(): string {
  return `dlw_${randomBytes(24).toString('base64url')}`;
}

function agencyInvalid(field: string, message: string): never {
  throw new DatelineError('WIRE_AGENCY_INVALID', message, { field });
}

function routeInvalid(field: string, message: string): never {
  throw new DatelineError('WIRE_ROUTE_INVALID', message, { field });
}

function pollerInvalid(field: string, message: string): never {
  throw new DatelineError('WIRE_POLLER_INVALID', message, { field });
}

export interface AgencyOptions {
  name?: string;
  credit?: string;
  retentionDays?: number | null;
  /** Slugs of the sites licensed to show the agency's content; replaces the list when given. */
  sites?: string[];
}

export interface RouteOptions {
  /** Agency slug; omitted for a rule that applies to every agency. */
  agency?: string | null;
  site: string;
  section: string;
  subject?: string | null;
  slugline?: string | null;
  keyword?: string | null;
  urgency?: number | null;
  review?: boolean;
  position?: number;
  /** Stories the rule publishes go out as breaking alerts (marked urgent). */
  sendAlert?: boolean;
}

export interface PollerOptions {
  agency: string;
  folder?: string;
  url?: string;
  everySeconds?: number;
}

export class WireSetup {
  constructor(
    private readonly db: Db,
    private readonly sites: SiteService,
    private readonly sections: SectionService,
    private readonly articles: ArticleService,
    private readonly now: () => Date,
    private readonly outbound: OutboundClient,
  ) {}

  private get q() {
    return this.db.kysely;
  }

  listAgencies(): Promise<Agency[]> {
    return listAgencies(this.q);
  }

  getAgency(slug: string): Promise<Agency | null> {
    return findAgency(this.q, { slug });
  }

  async requireAgency(slug: string): Promise<Agency> {
    const agency = await this.getAgency(slug);
    if (!agency) {
      throw new DatelineError(
        'WIRE_AGENCY_NOT_FOUND',
        `There is no agency "${slug}". List agencies with \`dateline wire agency list\`, or add one with \`dateline wire agency add\`.`,
        { agency: slug },
      );
    }
    return agency;
  }

  /** The agency a token belongs to, or null. Tokens are compared by their hash; the token is never stored. */
  agencyForToken(token: string): Promise<Agency | null> {
    if (typeof token !== 'string' || token.length < 10 || token.length > 200) return Promise.resolve(null);
    return findAgency(this.q, { tokenHash: hashToken(token) });
  }

  private checkAgency(o: AgencyOptions & { slug?: string }) {
    if (o.slug !== undefined && !SLUG.test(o.slug)) {
      agencyInvalid(
        'slug',
        `The agency slug "${o.slug}" is not allowed: use 1–50 lowercase letters, digits and hyphens, e.g. example-wire.`,
      );
    }
    if (o.name !== undefined && (o.name.trim() === '' || o.name.length > 100)) {
      agencyInvalid('name', 'The agency needs a name of 1–100 characters, e.g. "Example Wire".');
    }
    if (o.credit !== undefined && o.credit.length > 200) {
      agencyInvalid(
        'credit',
        `The credit line is ${o.credit.length} characters long; the most allowed is 200.`,
      );
    }
    if (
      o.retentionDays !== undefined &&
      o.retentionDays !== null &&
      (!Number.isInteger(o.retentionDays) || o.retentionDays < 1 || o.retentionDays > 36_500)
    ) {
      agencyInvalid(
        'retention',
        `Retention must be a whole number of days from 1 to 36500, not ${o.retentionDays}.`,
      );
    }
  }

  private async siteIds(slugs: string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const slug of slugs) ids.push((await this.sites.require(slug)).id);
    return ids;
  }

  /** Adds an agency and returns it with its API token, which is shown this once and stored only as a hash. */
  async addAgency(
    slug: string,
    o: AgencyOptions & { name: string },
  ): Promise<{ agency: Agency; token: string }> {
    this.checkAgency({ ...o, slug });
    if (await this.getAgency(slug)) {
      throw new DatelineError(
        'WIRE_AGENCY_TAKEN',
        `There is already an agency "${slug}". Edit it with \`dateline wire agency edit ${slug}\`.`,
        {
          field: 'slug',
        },
      );
    }
    const siteIds = await this.siteIds(o.sites ?? []);
    const token = newToken();
    const now = this.now();
    const id = await this.q.transaction().execute(async (trx) => {
      const id = await insertAgency(
        trx,
        {
          slug,
          name: o.name.trim(),
          credit: (o.credit ?? o.name).trim(),
          retentionDays: o.retentionDays ?? null,
        },
        now,
      );
      await updateAgency(trx, id, { tokenHash: hashToken(token) }, now);
      await setLicences(trx, id, siteIds);
      return id;
    });
    return { agency: (await findAgency(this.q, { id }))!, token };
  }

  async editAgency(slug: string, o: AgencyOptions): Promise<Agency> {
    this.checkAgency(o);
    const agency = await this.requireAgency(slug);
    const siteIds = o.sites === undefined ? undefined : await this.siteIds(o.sites);
    const withdrawn = siteIds ? agency.siteIds.filter((id) => !siteIds.includes(id)) : [];
    const affected = await articlesOnSites(this.q, agency.id, withdrawn);
    await this.articles.inTransaction(async (unit) => {
      const { trx } = unit;
      // Content is never shown on a site that is not licensed: a withdrawn licence takes the agency's
      // stories off that site at once.
      for (const a of affected) {
        await this.articles.takeDown(
          a.articleId,
          `Licence for ${agency.name} on this site withdrawn`,
          'wire:licence',
          unit,
        );
      }
      await updateAgency(
        trx,
        agency.id,
        {
          ...(o.name !== undefined && { name: o.name.trim() }),
          ...(o.credit !== undefined && { credit: o.credit.trim() }),
          ...(o.retentionDays !== undefined && { retentionDays: o.retentionDays }),
        },
        this.now(),
      );
      if (siteIds) await setLicences(trx, agency.id, siteIds);
    });
    return (await findAgency(this.q, { id: agency.id }))!;
  }

  /** Replaces the agency's API token; the old one stops working at once. */
  async rotateToken(slug: string): Promise<string> {
    const agency = await this.requireAgency(slug);
    const token = newToken();
    await updateAgency(this.q, agency.id, { tokenHash: hashToken(token) }, this.now());
    return token;
  }

  listRoutes(agencyId?: number): Promise<Route[]> {
    return listRoutes(this.q, agencyId);
  }

  async addRoute(o: RouteOptions): Promise<Route> {
    const agency = o.agency ? await this.requireAgency(o.agency) : null;
    const site = await this.sites.require(o.site);
    const section = await this.sections.require(site.id, o.section);
    if (agency && !agency.siteIds.includes(site.id)) {
      throw new DatelineError(
        'WIRE_NOT_LICENSED',
        `Agency ${agency.slug} is not licensed for site ${site.slug}, so a rule cannot send its stories there. ` +
          `Add the licence first: dateline wire agency edit ${agency.slug} --site ${site.slug} (list every licensed site).`,
        { field: 'site' },
      );
    }
    const text = (field: string, v: string | null | undefined, max: number) => {
      if (v === undefined || v === null) return null;
      const t = v.trim();
      if (t === '' || t.length > max) routeInvalid(field, `The rule's ${field} must be 1–${max} characters.`);
      return t;
    };
    const urgency = o.urgency ?? null;
    if (urgency !== null && (!Number.isInteger(urgency) || urgency < 1 || urgency > 9)) {
      routeInvalid('urgency', `Urgency must be a whole number from 1 (most urgent) to 9, not ${urgency}.`);
    }
    if (
      o.position !== undefined &&
      (!Number.isInteger(o.position) || o.position < 0 || o.position > 1_000_000)
    ) {
      routeInvalid('position', `Position must be a whole number from 0 to 1000000, not ${o.position}.`);
    }
    const route: Omit<Route, 'id'> = {
      agencyId: agency?.id ?? null,
      subjectCode: text('subject', o.subject, 200),
      sluglinePrefix: text('slugline', o.slugline, 200),
      keyword: text('keyword', o.keyword, 200),
      maxUrgency: urgency,
      siteId: site.id,
      sectionId: section.id,
      action: o.review ? 'review' : 'publish',
      position: o.position ?? (await nextRoutePosition(this.q)),
    };
    const id = await insertRoute(this.q, route);
    if (o.sendAlert) await setRouteSendsAlert(this.q, id, true);
    return { id, ...route };
  }

  async removeRoute(id: number): Promise<void> {
    if (!(await deleteRoute(this.q, id))) {
      throw new DatelineError(
        'WIRE_ROUTE_NOT_FOUND',
        `There is no routing rule ${id}. List them with \`dateline wire route list\`.`,
        {
          route: id,
        },
      );
    }
  }

  listPollers(): Promise<Poller[]> {
    return listPollers(this.q);
  }

  async requirePoller(id: number): Promise<Poller> {
    const p = await findPoller(this.q, id);
    if (!p) {
      throw new DatelineError(
        'WIRE_POLLER_NOT_FOUND',
        `There is no poller ${id}. List them with \`dateline wire poller list\`.`,
        {
          poller: id,
        },
      );
    }
    return p;
  }

  async addPoller(o: PollerOptions): Promise<Poller> {
    const agency = await this.requireAgency(o.agency);
    if ((o.folder === undefined) === (o.url === undefined)) {
      pollerInvalid(
        'source',
        'A poller watches either a folder (--folder PATH) or a feed (--url URL), exactly one of them.',
      );
    }
    const every = o.everySeconds ?? 60;
    if (!Number.isInteger(every) || every < MIN_POLL_SECONDS || every > MAX_POLL_SECONDS) {
      pollerInvalid(
        'every',
        `The interval must be a whole number of seconds from ${MIN_POLL_SECONDS} to ${MAX_POLL_SECONDS}, not ${every}.`,
      );
    }
    let location: string;
    if (o.folder !== undefined) {
      location = resolve(o.folder);
      const info = await stat(location).catch(() => null);
      if (!info?.isDirectory())
        pollerInvalid('folder', `${location} is not a folder. Create it first, or check the path.`);
    } else {
      let url: URL | null = null;
      try {
        url = new URL(o.url!);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        pollerInvalid(
          'url',
          `"${o.url}" is not an http(s) URL. Give the feed's full address, e.g. https://wire.example.net/feed.xml.`,
        );
      }
      location = url.href;
      // Refused now if it leads to a non-public address (and again at every poll: DNS can change). A host
      // that does not resolve yet is accepted; the poll reports it.
      await this.outbound.check(url).catch((e: unknown) => {
        if (!isDatelineError(e, 'FETCH_FAILED')) throw e;
      });
    }
    const id = await insertPoller(this.q, {
      agencyId: agency.id,
      kind: o.folder !== undefined ? 'folder' : 'feed',
      location,
      intervalSeconds: every,
      nextRunAt: this.now(),
    });
    return (await findPoller(this.q, id))!;
  }

  async setPollerEnabled(id: number, enabled: boolean): Promise<void> {
    await this.requirePoller(id);
    await updatePoller(this.q, id, { enabled, ...(enabled && { nextRunAt: this.now(), failures: 0 }) });
  }

  async removePoller(id: number): Promise<void> {
    if (!(await deletePoller(this.q, id))) await this.requirePoller(id);
  }
}

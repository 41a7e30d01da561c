// Reading what a sites route names: a numeric id from its parameters, and the site itself, read afresh from
// the database (the directory follows a change a moment later); also the time zones a site may choose.
import type { FastifyRequest } from 'fastify';
import { DatelineError } from '../../errors/catalogue.ts';
import { findSiteById } from '../../sites/repository.ts';
import type { Site } from '../../sites/site.ts';
import type { AdminKit } from '../route-kit.tsx';

/** The IANA time zones a site may use: what this runtime knows, with UTC (which it leaves out). */
export function timeZoneChoices(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** The numeric id in a route's :name parameter, or 0 (which no row has). */
export function paramId(req: FastifyRequest, name = 'id'): number {
  const raw = (req.params as Record<string, string | undefined>)[name] ?? '';
  return /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : 0;
}

export async function requireSite(kit: AdminKit, id: number): Promise<Site> {
  const site = id ? await findSiteById(kit.rt.db.kysely, id) : null;
  if (!site)
    throw new DatelineError(
      'SITE_NOT_FOUND',
      `There is no site with id ${id}. Open Sites for the network's sites.`,
    );
  return site;
}

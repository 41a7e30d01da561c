// Tables owned by the sites feature: the sites of the network and the hosts each answers on.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface SitesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  tagline: string;
  language: string;
  time_zone: string;
  primary_color: string;
  accent_color: string;
  footer_text: string;
  logo_media_id: number | null;
  /** 'http' or 'https' for this site alone; null follows DATELINE_PUBLIC_SCHEME. */
  public_scheme: string | null;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
}

export interface SiteHostsTable {
  host: string;
  site_id: number;
}

export interface SiteTables {
  sites: SitesTable;
  site_hosts: SiteHostsTable;
}

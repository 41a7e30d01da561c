// The network as the request path sees it: every site with its sections, held in memory and looked up by
// Host on each request without touching the database. It reloads on site.changed and section.changed.
import type { Db } from '../db/connection.ts';
import type { EventBus } from '../events/bus.ts';
import { listSections } from '../sections/repository.ts';
import type { Section } from '../sections/section.ts';
import type { PageFrame } from '../web/slots.ts';
import { type DateFormat, readerDateFormat } from './date-format.ts';
import { listSites } from './repository.ts';
import type { Site } from './site.ts';

export interface SiteContext {
  site: Site;
  /** The sections in the site's menu and on its home page, in order: hidden ones are left out. */
  sections: Section[];
  /** By slug and by id: every section, hidden ones too, whose pages and stories stay where they are. */
  sectionsBySlug: Map<string, Section>;
  sectionsById: Map<number, Section>;
  /** Formats instants for this site's readers: its language, in its time zone, the zone's full name. */
  dateFormat: DateFormat;
  /** What frames every page of the site, the masthead's items (web/slots.ts): the directory's one frame. */
  frame: PageFrame;
}

export class SiteDirectory {
  private byHost = new Map<string, SiteContext>();
  private byId = new Map<number, SiteContext>();
  private loading: Promise<void> | null = null;
  private stale = false;
  private frame: PageFrame = { masthead: [] };

  constructor(private readonly db: Db) {}

  /** Set by the composition root (web/server.tsx): every site's pages, loaded now or later, carry it. */
  setFrame(frame: PageFrame): void {
    this.frame = frame;
    for (const ctx of this.byId.values()) ctx.frame = frame;
  }

  /** Reloads whenever a site or a section changes, in this process or (via the event log) another. */
  follow(bus: EventBus): void {
    bus.on((e) => {
      if (e.type === 'site.changed' || e.type === 'section.changed') this.stale = true;
    });
  }

  async load(): Promise<void> {
    const [sites, sections] = await Promise.all([listSites(this.db.kysely), listSections(this.db.kysely)]);
    const byHost = new Map<string, SiteContext>();
    const byId = new Map<number, SiteContext>();
    for (const site of sites) {
      const own = sections.filter((s) => s.siteId === site.id);
      const ctx: SiteContext = {
        site,
        sections: own.filter((s) => !s.hidden),
        sectionsBySlug: new Map(own.map((s) => [s.slug, s])),
        sectionsById: new Map(own.map((s) => [s.id, s])),
        dateFormat: readerDateFormat(site.language, site.timeZone),
        frame: this.frame,
      };
      byId.set(site.id, ctx);
      for (const h of site.hosts) byHost.set(h, ctx);
    }
    this.byHost = byHost;
    this.byId = byId;
  }

  /** Brings the directory up to date if a change was seen; cheap when nothing changed. */
  async fresh(): Promise<void> {
    if (!this.stale) return;
    if (!this.loading) {
      this.stale = false;
      this.loading = this.load().finally(() => {
        this.loading = null;
      });
    }
    await this.loading;
  }

  get needsReload(): boolean {
    return this.stale;
  }

  forHost(host: string): SiteContext | undefined {
    return this.byHost.get(host);
  }

  byIdOrUndefined(id: number): SiteContext | undefined {
    return this.byId.get(id);
  }

  all(): SiteContext[] {
    return [...this.byId.values()];
  }
}

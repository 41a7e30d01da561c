// Builds the services the tests need on a test database, and a small site with sections to write into.

import { ArticleService } from '../src/articles/service.ts';
import type { Db } from '../src/db/connection.ts';
import { type DomainEvent, EventBus } from '../src/events/bus.ts';
import { Events } from '../src/events/log.ts';
import { SectionService } from '../src/sections/service.ts';
import { SiteService } from '../src/sites/service.ts';

export function services(db: Db, now?: () => Date) {
  const bus = new EventBus();
  const seen: DomainEvent[] = [];
  bus.on((e) => seen.push(e));
  const events = new Events(db, bus, null);
  return {
    bus,
    events,
    seen,
    sites: new SiteService(events),
    sections: new SectionService(events),
    articles: new ArticleService(events, now),
  };
}

let n = 0;
export async function siteWithSections(s: ReturnType<typeof services>, slug = `site${++n}`) {
  const site = await s.sites.create({
    slug,
    name: `Site ${slug}`,
    timeZone: 'Asia/Tokyo',
    footerText: '©2025 Publisher Inc.',
  });
  const world = await s.sections.create(site.id, { slug: 'world', name: 'World' });
  const business = await s.sections.create(site.id, { slug: 'business', name: 'Business' });
  return { site, world, business };
}

// Creates the demo network (news site, lifestyle magazine, travel guide) through the same services an
// editor would use, on first start with an empty database or with `dateline demo`.
import { ArticleService } from '../articles/service.ts';
import { arrangeDemoFrontPage } from '../front-page/demo.ts';
import { seedDemoEvents } from '../live-events/demo.ts';
import { seedDemoNewsletters } from '../newsletters/signup/demo.ts';
import type { Runtime } from '../runtime.ts';
import { seedDemoWire } from '../wire/demo.ts';
import { seedDemoComments } from './comment-threads.ts';
import { buildDemoNetwork } from './content/index.ts';
import type { DemoArticle, DemoPicture } from './content/types.ts';

export interface SeedReport {
  sites: { slug: string; name: string; host: string; articles: number }[];
}

/** Runs tasks with at most `limit` at once: sharp already uses every core per image. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function seedDemoNetwork(
  rt: Runtime,
  opts: { articlesPerSite?: number; now?: Date; onProgress?: (line: string) => void } = {},
): Promise<SeedReport> {
  const now = opts.now ?? new Date();
  const network = buildDemoNetwork({ articlesPerSite: opts.articlesPerSite ?? 60, now });
  const report: SeedReport = { sites: [] };
  const created: number[] = [];
  let clock = now;
  // The demo backdates stories and their updates, so it uses a clock of its own.
  const articles = new ArticleService(rt.events, () => clock);
  const addPicture = async (p: DemoPicture) =>
    rt.media.addImage(await p.render(), { caption: p.caption, credit: p.credit, alt: p.alt });

  for (const spec of network) {
    const existing = await rt.sites.get(spec.slug);
    if (existing) {
      opts.onProgress?.(`Site ${spec.slug} already exists; left as it is.`);
      continue;
    }
    const site = await rt.sites.create({
      slug: spec.slug,
      name: spec.name,
      tagline: spec.tagline,
      language: spec.language,
      timeZone: spec.timeZone,
      primaryColor: spec.primaryColor,
      accentColor: spec.accentColor,
      footerText: spec.footerText,
      // No logo picture: the nameplate is set in type, in the headline face (web/views/layout.css).
      hosts: [`${spec.slug}.localhost`],
    });
    const sections = new Map<string, number>();
    for (const s of spec.sections) sections.set(s.slug, (await rt.sections.create(site.id, s)).id);
    const pictures = await mapLimit(spec.articles, 2, (a) =>
      a.picture ? addPicture(a.picture) : Promise.resolve(null),
    );

    // Oldest first, so that ids follow publication order as they would in a real newsroom.
    const ordered = spec.articles.map((a, i) => ({ a, pic: pictures[i] ?? null })).reverse();
    for (const { a, pic } of ordered) {
      clock = minutesBefore(now, a.publishedMinutesAgo);
      const created = await articles.create(
        {
          siteId: site.id,
          sectionId: sections.get(a.section)!,
          slug: a.slug,
          headline: a.headline,
          dek: a.dek,
          byline: a.byline,
          dateline: a.dateline,
          bodyHtml: a.updatedMinutesAgo === null ? a.bodyHtml : firstDraft(a),
          sourceCopyright: a.sourceCopyright,
          leadMediaId: pic?.id ?? null,
        },
        'demo',
      );
      if (a.updatedMinutesAgo !== null) {
        clock = minutesBefore(now, a.updatedMinutesAgo);
        await articles.update(created.article.id, { bodyHtml: a.bodyHtml }, 'demo');
      }
    }
    created.push(site.id);
    report.sites.push({
      slug: site.slug,
      name: site.name,
      host: site.hosts[0]!,
      articles: spec.articles.length,
    });
    opts.onProgress?.(`Created ${site.name} with ${spec.articles.length} stories.`);
  }
  if (await seedDemoWire(rt))
    opts.onProgress?.('Created the wire agency Example Wire (example-wire), publishing to News › World.');
  await republishAcrossTheNetwork(rt, opts.onProgress);
  const threads = await seedDemoComments(rt, { now });
  if (threads) opts.onProgress?.(`Wrote demo comment threads under ${threads} news stories.`);
  // After the cross-network republishing, so an arrangement can pick a sister site's story too.
  for (const id of created) await arrangeDemoFrontPage(rt, id);
  if (created.length > 0) opts.onProgress?.('Arranged the front page of each new site.');
  const lists = await seedDemoNewsletters(rt);
  if (lists) opts.onProgress?.(`Created ${lists} demo newsletters and alert lists.`);
  const events = await seedDemoEvents(rt, now);
  if (events) opts.onProgress?.(`Created ${events} demo events and webinars.`);
  return report;
}

/**
 * Shows the network's sharing at work: the travel guide's newest food stories also appear in the
 * magazine's food section, each page there pointing back to the original as canonical.
 */
async function republishAcrossTheNetwork(rt: Runtime, onProgress?: (line: string) => void): Promise<void> {
  await rt.directory.load();
  const travel = rt.directory.all().find((c) => c.site.slug === 'travel');
  const life = rt.directory.all().find((c) => c.site.slug === 'life');
  const from = travel?.sectionsBySlug.get('food-drink');
  const to = life?.sectionsBySlug.get('food');
  if (!travel || !life || !from || !to) return;
  const page = await rt.reader.sectionPage(travel, from.id, 1);
  for (const t of page?.teasers.slice(0, 2) ?? []) {
    const already = (await rt.articles.require(t.articleId)).placements.some(
      (p) => p.siteId === life.site.id,
    );
    if (!already) await rt.articles.republish(t.articleId, life.site.id, to.id, 'demo');
  }
  onProgress?.(
    `Republished ${Math.min(2, page?.teasers.length ?? 0)} ${travel.site.name} stories in ${life.site.name}.`,
  );
}

function minutesBefore(now: Date, minutes: number): Date {
  return new Date(now.getTime() - minutes * 60_000);
}

/** The story as first filed: without its last paragraph, which the update adds. */
function firstDraft(a: DemoArticle): string {
  const cut = a.bodyHtml.lastIndexOf('<p>');
  return cut > 0 ? a.bodyHtml.slice(0, cut) : a.bodyHtml;
}

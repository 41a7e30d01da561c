// Builds the benchmark database: the demo network's sites, sections and pictures, then enough stories to
// reach the target count, written through the same ArticleService an editor uses.
import { ArticleService } from '../src/articles/service.ts';
import { seedDemoNetwork } from '../src/demo/seed.ts';
import type { Runtime } from '../src/runtime.ts';

const PARAGRAPHS = [
  'Officials said the talks would continue next week, with delegations expected to return with revised proposals on trade and transport links across the region.',
  'Analysts noted that the agreement, if confirmed, would be the first of its kind in more than a decade and could reshape supply routes for manufacturers.',
  'Residents interviewed on Thursday said they hoped the plan would bring lower prices and more reliable services, though several voiced doubts about timing.',
  'The ministry did not respond to a request for comment. A spokesperson for the regional council said details would be published once the text was final.',
  'Markets reacted calmly to the news, with the benchmark index ending the session slightly higher and the currency little changed against the dollar.',
];

export async function seedBenchNetwork(rt: Runtime, total: number, log: (s: string) => void): Promise<void> {
  await seedDemoNetwork(rt, { articlesPerSite: 20, onProgress: log });
  await rt.directory.load();
  const sites = rt.directory.all();
  const existing = sites.length * 20;
  const pictureIds = (
    await rt.db.kysely
      .selectFrom('articles')
      .select('lead_media_id')
      .where('lead_media_id', 'is not', null)
      .execute()
  ).map((r) => r.lead_media_id!);
  const start = Date.now() - 365 * 24 * 3600_000;
  let clock = new Date(start);
  const articles = new ArticleService(rt.events, () => clock);
  const toAdd = total - existing;
  const perBatch = 500;
  for (let done = 0; done < toAdd; done += perBatch) {
    await articles.inTransaction(async (unit) => {
      for (let i = done; i < Math.min(toAdd, done + perBatch); i++) {
        const ctx = sites[i % sites.length]!;
        const section = ctx.sections[i % ctx.sections.length]!;
        clock = new Date(start + i * 45 * 60_000);
        const body = Array.from(
          { length: 6 },
          (_, k) => `<p>${PARAGRAPHS[(i + k) % PARAGRAPHS.length]}</p>`,
        ).join('');
        await articles.create(
          {
            siteId: ctx.site.id,
            sectionId: section.id,
            headline: `Benchmark story ${i + 1}: delegations agree to continue talks on regional links`,
            dek: 'Officials said the talks would continue next week.',
            byline: 'Example Wire staff',
            dateline: 'GENEVA',
            bodyHtml: body,
            sourceCopyright: '© Example Wire 2025',
            leadMediaId: pictureIds.length ? pictureIds[i % pictureIds.length]! : null,
          },
          'bench',
          unit,
        );
      }
    });
  }
  log(`Seeded ${total} stories.`);
}

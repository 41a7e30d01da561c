// The demo network's front pages: an editor's choice made for each demo site, so a newcomer sees an arranged
// home page (and the admin's Front page screen with something in it) straight away. The lead is a recent
// story with a picture that is not simply the newest one, and the top stories come from different sections.
// The demo seed calls this once per site after its stories exist.
import type { Runtime } from '../runtime.ts';
import { newestCards } from './repository.ts';
import { FrontPageService } from './service.ts';

const DEMO_TOP_STORIES = 4;

export async function arrangeDemoFrontPage(rt: Pick<Runtime, 'events'>, siteId: number): Promise<void> {
  const recent = await newestCards(rt.events.db.kysely, siteId, 30);
  // Skipping the very newest shows the arrangement at work: without it the lead would be the newest story.
  const lead = recent.slice(1).find((c) => c.picture) ?? recent[0];
  if (!lead) return;
  const top: number[] = [];
  const sections = new Set([lead.sectionName]);
  for (const c of recent) {
    if (top.length === DEMO_TOP_STORIES) break;
    if (c.articleId === lead.articleId || sections.has(c.sectionName)) continue;
    sections.add(c.sectionName);
    top.push(c.articleId);
  }
  // Fewer sections than places: fill up with the newest of any section.
  for (const c of recent) {
    if (top.length === DEMO_TOP_STORIES) break;
    if (c.articleId !== lead.articleId && !top.includes(c.articleId)) top.push(c.articleId);
  }
  await new FrontPageService(rt.events).save(
    siteId,
    { leadArticleId: lead.articleId, topArticleIds: top },
    { label: 'demo', userId: null },
  );
}

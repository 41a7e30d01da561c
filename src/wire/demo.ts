// The demo network's wire set-up: an agency "Example Wire" licensed for the news site, with one rule that
// publishes everything it sends in News › World. With it, `dateline wire ingest` works out of the box on the
// demo network. Leaves an existing agency alone.
import type { Runtime } from '../runtime.ts';

export const DEMO_AGENCY = 'example-wire';

export async function seedDemoWire(rt: Pick<Runtime, 'wire' | 'sites' | 'sections'>): Promise<boolean> {
  if (await rt.wire.setup.getAgency(DEMO_AGENCY)) return false;
  const news = await rt.sites.get('news');
  if (!news || !(await rt.sections.find(news.id, 'world'))) return false;
  await rt.wire.setup.addAgency(DEMO_AGENCY, {
    name: 'Example Wire',
    credit: 'Example Wire',
    sites: ['news'],
  });
  await rt.wire.setup.addRoute({ agency: DEMO_AGENCY, site: 'news', section: 'world' });
  return true;
}

// The demo network's newsletters (`dateline demo`): a digest on each demo site, composed from its own
// sections, with the article box on, and the news site's breaking-news alert list. Called by the demo seed;
// a site that already has newsletters is left as it is, so seeding twice changes nothing.
import type { Runtime } from '../../runtime.ts';
import type { Composition, NewsletterInput } from '../lists.ts';

interface DemoList {
  site: string;
  digest: Omit<NewsletterInput, 'composition' | 'senderEmail' | 'kind'> & {
    sections: string[];
    topCount: number;
  };
  alerts?: boolean;
}

const DEMO: DemoList[] = [
  {
    site: 'news',
    digest: {
      slug: 'morning-briefing',
      name: 'Morning Briefing',
      description:
        'The stories that matter before your day starts: the top news, then world, Japan and business.',
      schedule: { days: [1, 2, 3, 4, 5], time: '07:00' },
      senderName: 'The Meridian Dispatch',
      sections: ['world', 'japan', 'business'],
      topCount: 5,
    },
    alerts: true,
  },
  {
    site: 'life',
    digest: {
      slug: 'weekend-reads',
      name: 'Weekend Reads',
      description: 'Longer pieces on food, style and culture to read at leisure.',
      schedule: { days: [6], time: '09:00' },
      senderName: 'Lantern',
      sections: ['food', 'style', 'art-culture'],
      topCount: 3,
    },
  },
  {
    site: 'travel',
    digest: {
      slug: 'postcards',
      name: 'Postcards',
      description: 'A week of destinations, hotels and travel tips.',
      schedule: { days: [7], time: '08:00' },
      senderName: 'Far Afield',
      sections: ['destinations', 'hotels', 'tips'],
      topCount: 3,
    },
  },
];

/** Creates the demo newsletters; returns how many lists it made. */
export async function seedDemoNewsletters(
  rt: Pick<Runtime, 'directory' | 'newsletterSignup'>,
): Promise<number> {
  const { lists } = rt.newsletterSignup;
  let made = 0;
  for (const d of DEMO) {
    const ctx = rt.directory.all().find((c) => c.site.slug === d.site);
    if (!ctx) continue;
    if ((await lists.listBySite(ctx.site.id)).length > 0) continue;
    const host = ctx.site.hosts[0] ?? `${d.site}.localhost`;
    const composition: Composition = {
      topCount: d.digest.topCount,
      sections: d.digest.sections
        .map((slug) => ctx.sectionsBySlug.get(slug))
        .filter((s) => s !== undefined)
        .map((s) => ({ sectionId: s.id, count: 3 })),
    };
    const { sections: _s, topCount: _t, ...digest } = d.digest;
    await lists.create(ctx.site.id, {
      ...digest,
      kind: 'digest',
      composition,
      senderEmail: `newsletters@${host}`,
      articleBox: true,
      position: 1,
    });
    made++;
    if (d.alerts) {
      await lists.create(ctx.site.id, {
        slug: 'alerts',
        name: 'Breaking news alerts',
        description: 'One short mail when major news breaks: the headline, one line and the link.',
        kind: 'alerts',
        senderName: d.digest.senderName,
        senderEmail: `alerts@${host}`,
        position: 2,
      });
      made++;
    }
  }
  return made;
}

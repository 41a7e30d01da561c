// Test support for the comments service (its tests and benches, never the app): a CommentService on a test
// database with a clock the test moves, a site with a live story, and reader accounts made straight in the
// users table.
import { LimiterFactory } from '../accounts/rate-limit.ts';
import { ArticleService } from '../articles/service.ts';
import type { Db } from '../db/connection.ts';
import { type DomainEvent, EventBus } from '../events/bus.ts';
import { Events } from '../events/log.ts';
import { JobQueue } from '../jobs/queue.ts';
import { MailService } from '../mail/mailer.ts';
import { SectionService } from '../sections/service.ts';
import { SiteService } from '../sites/service.ts';
import type { CommentSettings } from './context.ts';
import type { CommentActor, ModeratorActor } from './model.ts';
import { CommentService } from './service.ts';

let made = 0;

function services(db: Db, now: () => Date) {
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

/** A reader account with only what comments read: an id, a display name and a profile slug. */
export async function reader(db: Db, name = 'Reader'): Promise<CommentActor> {
  made += 1;
  const slug = `reader-${process.pid}-${made}-${Math.random().toString(36).slice(2, 8)}`;
  const row = await db.kysely
    .insertInto('users')
    .values({ email: `${slug}@example.test`, display_name: name, profile_slug: slug, status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { userId: row.id, ip: `10.0.${Math.floor(made / 250)}.${made % 250}` };
}

export async function moderator(db: Db): Promise<ModeratorActor> {
  const r = await reader(db, 'Moderator');
  return { userId: r.userId, label: `user:${r.userId}` };
}

export interface CommentWorld {
  svc: CommentService;
  s: ReturnType<typeof services>;
  siteId: number;
  sectionId: number;
  articleId: number;
  clock: { now: Date; advance(ms: number): void };
  story(opts?: { publishedAt?: Date; sectionId?: number }): Promise<number>;
}

export async function commentWorld(
  db: Db,
  settings: Partial<CommentSettings> = {},
  opts: { tallyIntervalMs?: number } = {},
): Promise<CommentWorld> {
  const clock = {
    now: new Date(),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const now = () => clock.now;
  const s = services(db, now);
  made += 1;
  const site = await s.sites.create({
    slug: `csite${made}${Math.random().toString(36).slice(2, 6)}`,
    name: 'Comment site',
    timeZone: 'Europe/London',
    footerText: 'Footer',
  });
  const world = await s.sections.create(site.id, { slug: 'world', name: 'World' });
  const story = async (opts: { publishedAt?: Date; sectionId?: number } = {}) => {
    const a = await s.articles.create(
      {
        siteId: site.id,
        sectionId: opts.sectionId ?? world.id,
        headline: `Story ${Math.random().toString(36).slice(2, 8)}`,
        bodyHtml: '<p>Text.</p>',
        status: 'published',
        publishedAt: opts.publishedAt ?? clock.now,
      },
      'test',
    );
    return a.article.id;
  };
  const jobs = new JobQueue(db, { now });
  const svc = new CommentService({
    db,
    events: s.events,
    jobs,
    mail: new MailService(db, jobs, { from: 'comments@example.test', smtpUrl: null }),
    limits: new LimiterFactory(db, null),
    settings: { maxLength: 2000, maxLinks: 3, editMinutes: 5, ...settings },
    now,
    tallyIntervalMs: opts.tallyIntervalMs ?? 50,
  });
  return { svc, s, siteId: site.id, sectionId: world.id, articleId: await story(), clock, story };
}

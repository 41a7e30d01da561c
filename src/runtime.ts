// The composition root: opens the database, runs migrations, and wires the services, the event log and the
// site directory together. The server and the CLI both start from here.
import type { Logger } from 'pino';
import { ArticleReader } from './articles/reader.ts';
import { ArticleService } from './articles/service.ts';
import type { Config } from './config/config.ts';
import { type Db, openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { EventBus } from './events/bus.ts';
import { EventLogTail, Events } from './events/log.ts';
import { MediaService } from './media/service.ts';
import { FilesystemStorage } from './media/storage.ts';
import { SectionService } from './sections/service.ts';
import { SiteDirectory } from './sites/directory.ts';
import { SiteService } from './sites/service.ts';

export interface Runtime {
  config: Config;
  db: Db;
  bus: EventBus;
  tail: EventLogTail;
  events: Events;
  sites: SiteService;
  sections: SectionService;
  articles: ArticleService;
  media: MediaService;
  directory: SiteDirectory;
  reader: ArticleReader;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, log: Pick<Logger, 'error'>, opts: { db?: Db } = {}): Promise<Runtime> {
  const db = opts.db ?? (await openDatabase({ url: config.databaseUrl }));
  await migrateToLatest(db);
  const bus = new EventBus((err, event) => log.error({ err, event }, 'an event listener failed'));
  const tail = new EventLogTail(db, bus);
  await tail.start();
  const events = new Events(db, bus, tail);
  const directory = new SiteDirectory(db);
  directory.follow(bus);
  await directory.load();
  const media = new MediaService(db, new FilesystemStorage(config.mediaDir), {
    maxUploadBytes: config.maxUploadBytes,
    maxImagePixels: config.maxImagePixels,
  });
  const sections = new SectionService(events);
  const reader = new ArticleReader(db, media, (id) => {
    for (const ctx of directory.all()) {
      const s = ctx.sectionsById.get(id);
      if (s) return { siteId: s.siteId, slug: s.slug };
    }
    return undefined;
  });
  return {
    config,
    db,
    bus,
    tail,
    events,
    sites: new SiteService(events),
    sections,
    articles: new ArticleService(events),
    media,
    directory,
    reader,
    async close() {
      await tail.stop();
      await db.close();
    },
  };
}

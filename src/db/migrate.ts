// Runs the one set of migrations on either dialect. Migrations are listed here in order; each receives the
// dialect so it can pick column types (see columns.ts). They never call services.
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Dialect } from './columns.ts';
import type { Db } from './connection.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_wire.ts';
import * as m0003 from './migrations/0003_accounts.ts';
import * as m0004 from './migrations/0004_discovery.ts';
import * as m0005 from './migrations/0005_site_public_scheme.ts';
import * as m0006 from './migrations/0006_admin.ts';
import * as m0007 from './migrations/0007_two_factor.ts';
import * as m0008 from './migrations/0008_story_editing.ts';
import * as m0009 from './migrations/0009_media_library.ts';
import * as m0010 from './migrations/0010_wire_admin.ts';
import * as m0011 from './migrations/0011_site_admin.ts';
import * as m0012 from './migrations/0012_staff_two_factor_rule.ts';
import * as m0013 from './migrations/0013_comments.ts';
import * as m0014 from './migrations/0014_member_pages.ts';
import * as m0015 from './migrations/0015_comment_moderation.ts';
import * as m0016 from './migrations/0016_front_pages.ts';
import * as m0017 from './migrations/0017_newsletters.ts';
import * as m0018 from './migrations/0018_live_events.ts';
import * as m0019 from './migrations/0019_event_registrations.ts';
import * as m0020 from './migrations/0020_mail_attachments.ts';

type DialectMigration = { up: (db: Parameters<Migration['up']>[0], dialect: Dialect) => Promise<void> };

const ALL: Record<string, DialectMigration> = {
  '0001_foundation': m0001,
  '0002_wire': m0002,
  '0003_accounts': m0003,
  '0004_discovery': m0004,
  '0005_site_public_scheme': m0005,
  '0006_admin': m0006,
  '0007_two_factor': m0007,
  '0008_story_editing': m0008,
  '0009_media_library': m0009,
  '0010_wire_admin': m0010,
  '0011_site_admin': m0011,
  '0012_staff_two_factor_rule': m0012,
  '0013_comments': m0013,
  '0014_member_pages': m0014,
  '0015_comment_moderation': m0015,
  '0016_front_pages': m0016,
  '0017_newsletters': m0017,
  '0018_live_events': m0018,
  '0019_event_registrations': m0019,
  '0020_mail_attachments': m0020,
};

class ListedMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(ALL)) out[name] = { up: (db) => m.up(db, this.dialect) };
    return out;
  }
}

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  // Kysely looks for its bookkeeping tables in any schema unless told which; name ours so that databases in
  // separate PostgreSQL schemas (tests, or several installs in one database) never see each other's.
  const migrator = new Migrator({
    db: db.kysely,
    provider: new ListedMigrations(db.dialect),
    ...(db.pgSchema && { migrationTableSchema: db.pgSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

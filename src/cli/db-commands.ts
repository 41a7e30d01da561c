// `dateline migrate` and `dateline demo`: schema and demo content, without starting the server.
import pino from 'pino';
import { loadConfig } from '../config/config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedDemoNetwork } from '../demo/seed.ts';
import { openRuntime } from '../runtime.ts';
import { type Command, EXIT, parse, showHelp } from './args.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Bring the database schema up to date',
  usage:
    'Usage: dateline migrate\n\nApplies every migration not yet applied to DATABASE_URL (default ./data/dateline.db).',
  async run(argv) {
    const { values } = parse(argv, {}, this.usage);
    if (values.help) return showHelp(this.usage);
    const config = loadConfig();
    const db = await openDatabase({ url: config.databaseUrl });
    try {
      const { applied } = await migrateToLatest(db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is already up to date.');
      return EXIT.ok;
    } finally {
      await db.close();
    }
  },
};

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create the demo network (three sites with stories and pictures)',
  usage: `Usage: dateline demo [--articles N]

Creates the demo news site, lifestyle magazine and travel guide. Sites that already exist are left alone.
  --articles N   stories per site (default 60)`,
  async run(argv) {
    const { values } = parse(argv, { articles: { type: 'string' } }, this.usage);
    if (values.help) return showHelp(this.usage);
    const n = values.articles === undefined ? 60 : Number(values.articles);
    if (!Number.isInteger(n) || n < 1 || n > 5000) {
      console.error(
        `--articles must be a whole number from 1 to 5000, not ${values.articles}.\n\n${this.usage}`,
      );
      return EXIT.usage;
    }
    const config = loadConfig();
    const rt = await openRuntime(config, pino({ level: config.logLevel }));
    try {
      await seedDemoNetwork(rt, { articlesPerSite: n, onProgress: (l) => console.log(l) });
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};

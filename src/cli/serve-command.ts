// `dateline serve` (what `npm start` runs): migrate, create the demo network on an empty database, serve
// every site, publish scheduled stories, and on SIGTERM finish in-flight requests before exiting.
import pino from 'pino';
import { startPublishScheduler } from '../articles/scheduler.ts';
import { loadConfig } from '../config/config.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { openRuntime } from '../runtime.ts';
import { hostOrigin, siteOrigin } from '../sites/urls.ts';
import { buildServer } from '../web/server.tsx';
import { type Command, parse, showHelp } from './args.ts';

const USAGE = `Usage: dateline serve

Serves every site of the network on HOST:PORT (default 0.0.0.0:3000). On first start with an empty
database it creates the demo network (set DATELINE_DEMO=false to skip). SIGTERM or SIGINT drains
in-flight requests, then exits.`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the network (what npm start runs)',
  usage: USAGE,
  async run(argv) {
    const { values } = parse(argv, {}, USAGE);
    if (values.help) return showHelp(USAGE);
    const config = loadConfig();
    const log = pino({ level: config.logLevel });
    const rt = await openRuntime(config, log);
    if (config.demoOnEmpty && rt.directory.all().length === 0) {
      console.log('The database is empty: creating the demo network (about a minute, once)…');
      // Loaded only when needed: the demo's picture generator pulls in sharp.
      const { seedDemoNetwork } = await import('../demo/seed.ts');
      await seedDemoNetwork(rt, { onProgress: (l) => console.log(`  ${l}`) });
      await rt.directory.load();
    }
    const app = await buildServer(rt);
    const stopScheduler = startPublishScheduler(rt.articles, (err) => {
      // While the database is away, its availability check has logged the outage once; the next tick retries.
      if (!isDatelineError(err, 'DATABASE_UNAVAILABLE')) log.error({ err }, 'scheduled publishing failed');
    });
    await app.listen({ port: config.port, host: config.host });
    const sites = rt.directory.all();
    console.log(`\nDateline is serving ${sites.length} site${sites.length === 1 ? '' : 's'}:`);
    for (const c of sites) console.log(`  ${c.site.name.padEnd(28)} ${siteOrigin(app.publicUrls, c.site)}/`);
    if (sites.length === 0) console.log('  (none yet: add one with `dateline site add`)');
    const adminUrl = hostOrigin(app.publicUrls, config.adminHost);
    console.log(`\nThe newsroom admin:  ${adminUrl}/`);
    // No staff account yet: a one-time link (24 h) that creates the owner. No default password exists.
    const setup = await rt.staff.setupToken();
    if (setup) {
      console.log(
        'No newsroom account exists yet. Open this link to create the owner (it works once, for 24 hours):',
      );
      console.log(`  ${adminUrl}/setup?t=${setup}`);
      console.log('  (or run `dateline user create --role owner`)');
    }
    console.log('');

    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'draining in-flight requests, then exiting');
      stopScheduler();
      const force = setTimeout(() => {
        log.warn('requests still running after the grace period; exiting anyway');
        process.exit(1);
      }, config.shutdownGraceSeconds * 1000);
      force.unref();
      await app.close();
      await rt.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    return -1;
  },
};

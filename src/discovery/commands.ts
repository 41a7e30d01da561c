// Operator commands for discovery: `dateline api-key`, `dateline webhook`, `dateline trending` and
// `dateline search`. They work on the database; a running server picks trending choices up at its next
// refresh (DATELINE_TRENDING_REFRESH_SECONDS) and everything else at once.

import { type Command, EXIT, parse, showHelp, UsageError } from '../cli/args.ts';
import { withRuntime } from '../cli/with-runtime.ts';
import type { Runtime } from '../runtime.ts';

function siteId(rt: Runtime, slug: string, usage: string): number {
  const ctx = rt.directory.all().find((c) => c.site.slug === slug);
  if (!ctx)
    throw new UsageError(`There is no site "${slug}". Run "dateline site list" to see them.\n\n${usage}`);
  return ctx.site.id;
}

function id(value: string | undefined, what: string, usage: string): number {
  if (!value || !/^[1-9]\d{0,9}$/.test(value))
    throw new UsageError(`Give the ${what} as a number.\n\n${usage}`);
  return Number(value);
}

const KEY_USAGE = `Usage:
  dateline api-key add NAME [--site SLUG]...   make a key for an integration (shown once)
  dateline api-key list [--json]
  dateline api-key revoke ID

Keys read the content API at /api/v1 on each site's host ("Authorization: Bearer <key>").
Without --site a key reads every site.`;

const apiKeyCommand: Command = {
  name: 'api-key',
  summary: 'Make, list and revoke content-API keys',
  usage: KEY_USAGE,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { site: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      KEY_USAGE,
    );
    if (values.help) return showHelp(KEY_USAGE);
    const [action, arg] = positionals;
    return withRuntime(async (rt) => {
      const keys = rt.discovery.apiKeys;
      switch (action) {
        case 'add': {
          if (!arg) throw new UsageError(`Name the key after its integration.\n\n${KEY_USAGE}`);
          const sites = values.site?.map((s) => siteId(rt, s, KEY_USAGE)) ?? null;
          const made = await keys.create(arg, sites);
          console.log(`Key ${made.id} for "${made.name}" (shown only now; store it safely):\n${made.key}`);
          return EXIT.ok;
        }
        case 'list': {
          const list = await keys.list();
          if (values.json) console.log(JSON.stringify(list, null, 2));
          else if (list.length === 0)
            console.log('No API keys yet. Make one with: dateline api-key add NAME');
          else
            for (const k of list) {
              const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
              console.log(`${String(k.id).padStart(4)}  ${k.prefix}…  ${k.name}  (${state})`);
            }
          return EXIT.ok;
        }
        case 'revoke':
          await keys.revoke(id(arg, 'key id', KEY_USAGE));
          console.log('Revoked.');
          return EXIT.ok;
        default:
          throw new UsageError(KEY_USAGE);
      }
    });
  },
};

const HOOK_USAGE = `Usage:
  dateline webhook add URL [--site SLUG] [--event TYPE]...   register an endpoint (prints its secret)
  dateline webhook list
  dateline webhook enable|disable|remove ID
  dateline webhook deliveries ID                              the last attempts, newest first

Events: article.published, article.updated, article.taken_down (default: all three).`;

const webhookCommand: Command = {
  name: 'webhook',
  summary: 'Register webhook endpoints and see their deliveries',
  usage: HOOK_USAGE,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { site: { type: 'string' }, event: { type: 'string', multiple: true } },
      HOOK_USAGE,
    );
    if (values.help) return showHelp(HOOK_USAGE);
    const [action, arg] = positionals;
    return withRuntime(async (rt) => {
      const hooks = rt.discovery.webhooks;
      switch (action) {
        case 'add': {
          if (!arg) throw new UsageError(`Give the endpoint's URL.\n\n${HOOK_USAGE}`);
          const ep = await hooks.createEndpoint({
            url: arg,
            siteId: values.site ? siteId(rt, values.site, HOOK_USAGE) : null,
            events: values.event,
          });
          console.log(`Endpoint ${ep.id} for ${ep.url} (${ep.events.join(', ')}).`);
          console.log(`Signing secret (shown only now): ${ep.secret}`);
          return EXIT.ok;
        }
        case 'list':
          for (const ep of await hooks.listEndpoints()) {
            console.log(
              `${String(ep.id).padStart(4)}  ${ep.active ? 'on ' : 'off'}  ${ep.url}  ${ep.events.join(',')}`,
            );
          }
          return EXIT.ok;
        case 'enable':
        case 'disable':
          await hooks.setActive(id(arg, 'endpoint id', HOOK_USAGE), action === 'enable');
          return EXIT.ok;
        case 'remove':
          await hooks.deleteEndpoint(id(arg, 'endpoint id', HOOK_USAGE));
          return EXIT.ok;
        case 'deliveries':
          for (const d of await hooks.deliveries(id(arg, 'endpoint id', HOOK_USAGE))) {
            const result = d.ok ? `HTTP ${d.statusCode}` : (d.error ?? 'failed');
            console.log(
              `${d.createdAt.toISOString()}  evt_${d.eventId} ${d.eventType}  try ${d.attempt}  ${result}`,
            );
          }
          return EXIT.ok;
        default:
          throw new UsageError(HOOK_USAGE);
      }
    });
  },
};

const TRENDING_USAGE = `Usage:
  dateline trending pin SITE ARTICLE_ID [--position N]   show a story first in SITE's block
  dateline trending exclude SITE ARTICLE_ID              never show a story in SITE's block
  dateline trending clear SITE ARTICLE_ID                undo a pin or exclusion
  dateline trending sources SITE --from SLUG...          which sites feed SITE's block
  dateline trending sources SITE --none | --all          no block, or every other site (default)`;

const trendingCommand: Command = {
  name: 'trending',
  summary: 'Pin, exclude and choose the sources of the trending block',
  usage: TRENDING_USAGE,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        position: { type: 'string' },
        from: { type: 'string', multiple: true },
        none: { type: 'boolean' },
        all: { type: 'boolean' },
      },
      TRENDING_USAGE,
    );
    if (values.help) return showHelp(TRENDING_USAGE);
    const [action, site, article] = positionals;
    if (!site) throw new UsageError(TRENDING_USAGE);
    return withRuntime(async (rt) => {
      const t = rt.discovery.trending;
      const sid = siteId(rt, site, TRENDING_USAGE);
      switch (action) {
        case 'pin':
          await t.pin(
            sid,
            id(article, 'article id', TRENDING_USAGE),
            values.position ? Number(values.position) : 0,
          );
          return EXIT.ok;
        case 'exclude':
          await t.exclude(sid, id(article, 'article id', TRENDING_USAGE));
          return EXIT.ok;
        case 'clear':
          await t.clearOverride(sid, id(article, 'article id', TRENDING_USAGE));
          return EXIT.ok;
        case 'sources':
          if (values.all) await t.setSources(sid, null);
          else if (values.none) await t.setSources(sid, []);
          else if (values.from)
            await t.setSources(
              sid,
              values.from.map((s) => siteId(rt, s, TRENDING_USAGE)),
            );
          else throw new UsageError(TRENDING_USAGE);
          return EXIT.ok;
        default:
          throw new UsageError(TRENDING_USAGE);
      }
    });
  },
};

const SEARCH_USAGE = `Usage:
  dateline search reindex    bring the search index in step with every published story`;

const searchCommand: Command = {
  name: 'search',
  summary: 'Maintain the search index',
  usage: SEARCH_USAGE,
  async run(argv) {
    const { values, positionals } = parse(argv, {}, SEARCH_USAGE);
    if (values.help) return showHelp(SEARCH_USAGE);
    if (positionals[0] !== 'reindex') throw new UsageError(SEARCH_USAGE);
    return withRuntime(async (rt) => {
      const n = await rt.discovery.indexer.syncAll();
      console.log(`Reindexed ${n} ${n === 1 ? 'story' : 'stories'}.`);
      return EXIT.ok;
    });
  },
};

/** For cli/main.ts: `...discoveryCommands` in its COMMANDS list. */
export const discoveryCommands: Command[] = [apiKeyCommand, webhookCommand, trendingCommand, searchCommand];

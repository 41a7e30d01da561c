// `dateline api-key`: make, list and revoke content-API keys. A running server sees a change at once (its
// key lookups are remembered for a few seconds at most).
import { type Command, EXIT, numericId, parse, showHelp, siteIdOf, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const KEY_USAGE = `Usage:
  dateline api-key add NAME [--site SLUG]...   make a key for an integration (shown once)
  dateline api-key list [--json]
  dateline api-key revoke ID

Keys read the content API at /api/v1 on each site's host ("Authorization: Bearer <key>").
Without --site a key reads every site.`;

export const apiKeyCommand: Command = {
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
      const keys = rt.apiKeys;
      switch (action) {
        case 'add': {
          if (!arg) throw new UsageError(`Name the key after its integration.\n\n${KEY_USAGE}`);
          const sites = values.site?.map((s) => siteIdOf(rt, s, KEY_USAGE)) ?? null;
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
          await keys.revoke(numericId(arg, 'key id', KEY_USAGE));
          console.log('Revoked.');
          return EXIT.ok;
        default:
          throw new UsageError(KEY_USAGE);
      }
    });
  },
};

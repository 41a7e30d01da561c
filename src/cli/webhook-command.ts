// `dateline webhook`: register webhook endpoints, turn them on and off, and see their last deliveries.
import { type Command, EXIT, numericId, parse, showHelp, siteIdOf, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const HOOK_USAGE = `Usage:
  dateline webhook add URL [--site SLUG] [--event TYPE]...   register an endpoint (prints its secret)
  dateline webhook list
  dateline webhook enable|disable|remove ID
  dateline webhook deliveries ID                              the last attempts, newest first

Events: article.published, article.updated, article.taken_down (default: all three).`;

export const webhookCommand: Command = {
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
      const hooks = rt.webhooks;
      switch (action) {
        case 'add': {
          if (!arg) throw new UsageError(`Give the endpoint's URL.\n\n${HOOK_USAGE}`);
          const ep = await hooks.createEndpoint({
            url: arg,
            siteId: values.site ? siteIdOf(rt, values.site, HOOK_USAGE) : null,
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
          await hooks.setActive(numericId(arg, 'endpoint id', HOOK_USAGE), action === 'enable');
          return EXIT.ok;
        case 'remove':
          await hooks.deleteEndpoint(numericId(arg, 'endpoint id', HOOK_USAGE));
          return EXIT.ok;
        case 'deliveries':
          for (const d of await hooks.deliveries(numericId(arg, 'endpoint id', HOOK_USAGE))) {
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

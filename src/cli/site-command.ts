// `dateline site add|list|edit`: manage the sites of the network and their sections.

import type { PublicScheme, SitePatch } from '../sites/site.ts';
import { type Command, EXIT, parse, showHelp, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const USAGE = `Usage:
  dateline site list [--json]
  dateline site add SLUG --name NAME [options]
  dateline site edit SLUG [options]

Options for add and edit:
  --name NAME            the site's name
  --tagline TEXT         a line under the name
  --language TAG         BCP 47 language, e.g. en, ja (default en)
  --time-zone ZONE       IANA time zone, e.g. Asia/Tokyo (default UTC)
  --primary-color HEX    header colour, e.g. #1a3d6d
  --accent-color HEX     accent colour, e.g. #b3261e
  --footer TEXT          publisher's line, e.g. "©2025 Publisher Inc."
  --host HOST            a host the site answers on (repeatable; default SLUG.localhost)
  --public-scheme SCHEME http or https for this site's URLs, CSRF origin and HSTS, whatever
                         DATELINE_PUBLIC_SCHEME says; "network" follows that setting again (the default)
  --section SLUG:NAME    add a section (repeatable)`;

const OPTIONS = {
  name: { type: 'string' },
  tagline: { type: 'string' },
  language: { type: 'string' },
  'time-zone': { type: 'string' },
  'primary-color': { type: 'string' },
  'accent-color': { type: 'string' },
  footer: { type: 'string' },
  host: { type: 'string', multiple: true },
  'public-scheme': { type: 'string' },
  section: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

/** --public-scheme: http or https, or "network" for the network's DATELINE_PUBLIC_SCHEME (stored as null). */
function parsePublicScheme(value: string): PublicScheme | null {
  if (value === 'http' || value === 'https') return value;
  if (value === 'network') return null;
  throw new UsageError(`--public-scheme takes http, https or network; got "${value}".\n\n${USAGE}`);
}

function parseSections(list: string[] | undefined) {
  return (list ?? []).map((s) => {
    const [slug, ...name] = s.split(':');
    if (!slug || name.length === 0)
      throw new UsageError(`--section takes SLUG:NAME, e.g. world:World; got "${s}".\n\n${USAGE}`);
    return { slug, name: name.join(':') };
  });
}

export const siteCommand: Command = {
  name: 'site',
  summary: 'List, add and edit the sites of the network',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parse(argv, OPTIONS, USAGE);
    const [action, slug] = positionals;
    if (values.help) return showHelp(USAGE);
    const patch: SitePatch = {
      ...(values.name !== undefined && { name: values.name }),
      ...(values.tagline !== undefined && { tagline: values.tagline }),
      ...(values.language !== undefined && { language: values.language }),
      ...(values['time-zone'] !== undefined && { timeZone: values['time-zone'] }),
      ...(values['primary-color'] !== undefined && { primaryColor: values['primary-color'] }),
      ...(values['accent-color'] !== undefined && { accentColor: values['accent-color'] }),
      ...(values.footer !== undefined && { footerText: values.footer }),
      ...(values.host !== undefined && { hosts: values.host }),
      ...(values['public-scheme'] !== undefined && {
        publicScheme: parsePublicScheme(values['public-scheme']),
      }),
    };
    switch (action) {
      case 'list':
        return withRuntime(async (rt) => {
          const sites = await rt.sites.list();
          if (values.json) console.log(JSON.stringify(sites, null, 2));
          else if (sites.length === 0)
            console.log('No sites yet. Add one with: dateline site add SLUG --name NAME');
          else
            for (const s of sites)
              console.log(
                `${s.slug.padEnd(12)} ${s.name.padEnd(30)} ${s.timeZone.padEnd(18)} ${s.hosts.join(', ')}` +
                  // Only a site's own scheme is shown; the others follow DATELINE_PUBLIC_SCHEME.
                  (s.publicScheme ? `  (public scheme: ${s.publicScheme})` : ''),
              );
          return EXIT.ok;
        });
      case 'add': {
        if (!slug || !values.name) throw new UsageError(`site add needs a SLUG and --name.\n\n${USAGE}`);
        const sections = parseSections(values.section);
        return withRuntime(async (rt) => {
          const site = await rt.sites.create({ slug, name: values.name!, ...patch });
          for (const s of sections) await rt.sections.create(site.id, s);
          console.log(`Added ${site.name} (${site.slug}) on ${site.hosts.join(', ')}.`);
          return EXIT.ok;
        });
      }
      case 'edit': {
        if (!slug) throw new UsageError(`site edit needs the SLUG of the site.\n\n${USAGE}`);
        const sections = parseSections(values.section);
        if (Object.keys(patch).length === 0 && sections.length === 0) {
          throw new UsageError(`site edit needs at least one option to change.\n\n${USAGE}`);
        }
        return withRuntime(async (rt) => {
          const site = Object.keys(patch).length
            ? await rt.sites.update(slug, patch)
            : await rt.sites.require(slug);
          for (const s of sections) await rt.sections.create(site.id, s);
          console.log(`Updated ${site.name} (${site.slug}).`);
          return EXIT.ok;
        });
      }
      default:
        throw new UsageError(
          `${action ? `Unknown action "${action}". ` : ''}site takes list, add or edit.\n\n${USAGE}`,
        );
    }
  },
};

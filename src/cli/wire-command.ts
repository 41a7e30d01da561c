// `dateline wire …`: ingest agency files, set up agencies, routing rules and pollers, work the review queue,
// and see the problems editors should know about. Exit codes: 0 done, 1 something failed (for ingest: at
// least one item or file was rejected), 2 the command was used wrongly.

import type { IngestSummary } from '../wire/model.ts';
import { OUTCOME_KINDS } from '../wire/model.ts';
import { type Command, EXIT, parse, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const USAGE = `Usage:
  dateline wire ingest PATH… [--agency SLUG] [--json]
      Files, folders (walked for .json .xml .rss .atom .ninjs) and globs ("feeds/*.xml"). Prints what
      happened to every item: created, updated, unchanged, killed, held, rejected, with the reason.
  dateline wire agency list [--json]
  dateline wire agency add SLUG --name NAME [--credit TEXT] [--site SITE]… [--retention-days N]
  dateline wire agency edit SLUG [--name NAME] [--credit TEXT] [--site SITE]… [--retention-days N|none]
  dateline wire agency token SLUG              make a new API token (the old one stops working)
  dateline wire route list [--json]
  dateline wire route add --site SITE --section SECTION [--agency SLUG] [--subject CODE]
                          [--slugline PREFIX] [--keyword WORD] [--urgency N] [--review] [--position N]
                          [--send-alert]   (what it publishes goes out as a breaking alert)
  dateline wire route remove ID
  dateline wire poller list [--json]
  dateline wire poller add --agency SLUG (--folder PATH | --url URL) [--every SECONDS]
  dateline wire poller remove|enable|disable ID
  dateline wire poll [--all]                   run the pollers that are due (all with --all) once, now
  dateline wire queue list [--json] [--limit N]
  dateline wire queue show ID
  dateline wire queue publish ID [--site SITE] [--section SECTION] [--headline TEXT] [--dek TEXT]
                          [--byline TEXT] [--dateline TEXT] [--publish-at ISO-TIME]
  dateline wire queue discard ID
  dateline wire problems [--limit N] [--json]
  dateline wire expire                         take down stories whose expiry has passed, now`;

const OPTIONS = {
  agency: { type: 'string' },
  json: { type: 'boolean' },
  name: { type: 'string' },
  credit: { type: 'string' },
  site: { type: 'string', multiple: true },
  'retention-days': { type: 'string' },
  section: { type: 'string' },
  subject: { type: 'string' },
  slugline: { type: 'string' },
  keyword: { type: 'string' },
  urgency: { type: 'string' },
  review: { type: 'boolean' },
  'send-alert': { type: 'boolean' },
  position: { type: 'string' },
  folder: { type: 'string' },
  url: { type: 'string' },
  every: { type: 'string' },
  all: { type: 'boolean' },
  limit: { type: 'string' },
  headline: { type: 'string' },
  dek: { type: 'string' },
  byline: { type: 'string' },
  dateline: { type: 'string' },
  'publish-at': { type: 'string' },
} as const;

function whole(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not "${v}".\n\n${USAGE}`);
  return n;
}

function id(v: string | undefined, what: string): number {
  const n = whole(what, v, 1, Number.MAX_SAFE_INTEGER);
  if (n === undefined) throw new UsageError(`Give the ${what} id.\n\n${USAGE}`);
  return n;
}

/** The summary as people read it: one line per item, then the totals. */
export function formatSummary(summary: IngestSummary): string {
  const lines: string[] = [];
  for (const o of summary.outcomes) {
    const detail =
      o.kind === 'rejected' || o.kind === 'held'
        ? ` [${[o.code, o.field ? `field: ${o.field}` : null].filter(Boolean).join(', ')}]`
        : '';
    lines.push(`${o.kind.padEnd(9)} ${o.reason}${detail}`);
  }
  // A rejected item's warnings only repeat what its rejection already says.
  const rejected = new Set(
    summary.outcomes.filter((o) => o.kind === 'rejected').map((o) => `${o.file}\u0000${o.item}`),
  );
  for (const w of summary.warnings) {
    if (rejected.has(`${w.file}\u0000${w.item}`)) continue;
    lines.push(`${'warning'.padEnd(9)} ${w.message} [${w.code}${w.field ? `, field: ${w.field}` : ''}]`);
  }
  lines.push(`Summary: ${OUTCOME_KINDS.map((k) => `${summary.counts[k]} ${k}`).join(', ')}.`);
  return lines.join('\n');
}

export const wireCommand: Command = {
  name: 'wire',
  summary: 'Ingest agency copy; agencies, routing rules, pollers, review queue',
  usage: USAGE,
  async run(argv) {
    const { values: v, positionals } = parse(argv, OPTIONS, USAGE);
    if (v.help) {
      console.log(USAGE);
      return EXIT.ok;
    }
    const [group, action, ...rest] = positionals;
    switch (group) {
      case 'ingest': {
        const paths = positionals.slice(1);
        if (paths.length === 0)
          throw new UsageError(`wire ingest needs at least one file, folder or glob.\n\n${USAGE}`);
        return withRuntime(async (rt) => {
          const agency = await rt.wire.resolveAgency(v.agency);
          const summary = await rt.wire.ingestPaths(agency, paths);
          if (v.json) console.log(JSON.stringify(summary, null, 2));
          else console.log(`Ingest for ${agency.name} (${agency.slug}):\n${formatSummary(summary)}`);
          return summary.counts.rejected > 0 ? EXIT.failure : EXIT.ok;
        });
      }
      case 'agency':
        return agencyCommand(action, rest, v);
      case 'route':
        return routeCommand(action, rest, v);
      case 'poller':
        return pollerCommand(action, rest, v);
      case 'poll':
        return withRuntime(async (rt) => {
          if (v.all)
            for (const p of await rt.wire.setup.listPollers())
              if (p.enabled) await rt.wire.setup.setPollerEnabled(p.id, true);
          const reports = await rt.wire.pollers.pollDue();
          if (reports.length === 0) console.log('No poller is due. Use --all to run every poller now.');
          let failed = false;
          for (const r of reports) {
            failed ||= r.status === 'failed';
            console.log(
              `Poller ${r.pollerId} (${r.kind} ${r.location}): ${r.status}${r.error ? ` — ${r.error}` : ''}`,
            );
            if (r.summary.outcomes.length > 0) console.log(formatSummary(r.summary));
          }
          return failed ? EXIT.failure : EXIT.ok;
        });
      case 'queue':
        return queueCommand(action, rest, v);
      case 'problems':
        return withRuntime(async (rt) => {
          const problems = await rt.wire.problems({ limit: whole('limit', v.limit, 1, 10_000) ?? 50 });
          if (v.json) console.log(JSON.stringify(problems, null, 2));
          else if (problems.length === 0) console.log('No wire problems recorded.');
          else {
            for (const p of problems) {
              console.log(
                `${p.createdAt.toISOString()} ${p.severity.padEnd(7)} ${p.code}${p.field ? ` (field ${p.field})` : ''}\n  ${p.message}`,
              );
            }
          }
          return EXIT.ok;
        });
      case 'expire':
        return withRuntime(async (rt) => {
          const n = await rt.wire.expireDue(10_000);
          console.log(`${n} expired ${n === 1 ? 'story' : 'stories'} taken down.`);
          return EXIT.ok;
        });
      default:
        throw new UsageError(`${group ? `Unknown wire command "${group}". ` : ''}\n${USAGE}`);
    }
  },
};

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

function agencyCommand(action: string | undefined, rest: string[], v: Values): Promise<number> {
  const [slug] = rest;
  const retention =
    v['retention-days'] === undefined
      ? undefined
      : v['retention-days'] === 'none'
        ? null
        : whole('retention-days', v['retention-days'], 1, 36_500);
  return withRuntime(async (rt) => {
    const siteSlugs = new Map((await rt.sites.list()).map((s) => [s.id, s.slug]));
    switch (action) {
      case 'list': {
        const agencies = await rt.wire.setup.listAgencies();
        if (v.json) console.log(JSON.stringify(agencies, null, 2));
        else if (agencies.length === 0)
          console.log('No agencies yet. Add one with: dateline wire agency add SLUG --name NAME --site SITE');
        else {
          for (const a of agencies) {
            const sites =
              a.siteIds.map((id) => siteSlugs.get(id)).join(', ') || 'no site (nothing will be published)';
            const keep = a.retentionDays ? `, kept ${a.retentionDays} days` : '';
            console.log(
              `${a.slug.padEnd(16)} ${a.name.padEnd(24)} licensed for ${sites}${keep}; credit "${a.credit}"`,
            );
          }
        }
        return EXIT.ok;
      }
      case 'add': {
        if (!slug || !v.name) throw new UsageError(`wire agency add needs a SLUG and --name.\n\n${USAGE}`);
        const { agency, token } = await rt.wire.setup.addAgency(slug, {
          name: v.name,
          ...(v.credit !== undefined && { credit: v.credit }),
          ...(v.site !== undefined && { sites: v.site }),
          ...(retention !== undefined && { retentionDays: retention }),
        });
        console.log(
          `Added agency ${agency.name} (${agency.slug}), licensed for ${agency.siteIds.map((id) => siteSlugs.get(id)).join(', ') || 'no site yet'}.`,
        );
        console.log(`API token (shown only now; it is stored hashed): ${token}`);
        return EXIT.ok;
      }
      case 'edit': {
        if (!slug) throw new UsageError(`wire agency edit needs the agency SLUG.\n\n${USAGE}`);
        const agency = await rt.wire.setup.editAgency(slug, {
          ...(v.name !== undefined && { name: v.name }),
          ...(v.credit !== undefined && { credit: v.credit }),
          ...(v.site !== undefined && { sites: v.site }),
          ...(retention !== undefined && { retentionDays: retention }),
        });
        console.log(`Updated agency ${agency.name} (${agency.slug}).`);
        return EXIT.ok;
      }
      case 'token': {
        if (!slug) throw new UsageError(`wire agency token needs the agency SLUG.\n\n${USAGE}`);
        console.log(
          `New API token for ${slug} (shown only now; the old one no longer works): ${await rt.wire.setup.rotateToken(slug)}`,
        );
        return EXIT.ok;
      }
      default:
        throw new UsageError(`wire agency takes list, add, edit or token.\n\n${USAGE}`);
    }
  });
}

function routeCommand(action: string | undefined, rest: string[], v: Values): Promise<number> {
  return withRuntime(async (rt) => {
    switch (action) {
      case 'list': {
        const routes = await rt.wire.setup.listRoutes();
        if (v.json) {
          console.log(JSON.stringify(routes, null, 2));
          return EXIT.ok;
        }
        if (routes.length === 0)
          console.log(
            'No routing rules yet: every story waits in the review queue. Add one with: dateline wire route add',
          );
        const agencies = new Map((await rt.wire.setup.listAgencies()).map((a) => [a.id, a.slug]));
        const sites = new Map((await rt.sites.list()).map((s) => [s.id, s.slug]));
        const sections = new Map((await rt.sections.list()).map((s) => [s.id, s.slug]));
        for (const r of routes) {
          const when = [
            r.agencyId ? `agency ${agencies.get(r.agencyId)}` : 'any agency',
            r.subjectCode && `subject ${r.subjectCode}`,
            r.sluglinePrefix && `slugline ${r.sluglinePrefix}*`,
            r.keyword && `keyword "${r.keyword}"`,
            r.maxUrgency && `urgency ≤ ${r.maxUrgency}`,
          ].filter(Boolean);
          console.log(
            `#${r.id} (position ${r.position}): ${when.join(', ')} → ${r.action} on ${sites.get(r.siteId)}/${sections.get(r.sectionId)}`,
          );
        }
        return EXIT.ok;
      }
      case 'add': {
        if (v.site?.length !== 1 || !v.section)
          throw new UsageError(`wire route add needs one --site and a --section.\n\n${USAGE}`);
        const route = await rt.wire.setup.addRoute({
          agency: v.agency ?? null,
          site: v.site[0]!,
          section: v.section,
          subject: v.subject ?? null,
          slugline: v.slugline ?? null,
          keyword: v.keyword ?? null,
          urgency: whole('urgency', v.urgency, 1, 9) ?? null,
          review: v.review ?? false,
          sendAlert: v['send-alert'] ?? false,
          ...(v.position !== undefined && { position: whole('position', v.position, 0, 1_000_000)! }),
        });
        console.log(
          `Added routing rule #${route.id} (${route.action} on ${v.site[0]}/${v.section}${v['send-alert'] ? ', sent as breaking alerts' : ''}).`,
        );
        return EXIT.ok;
      }
      case 'remove': {
        const n = id(rest[0], 'route');
        await rt.wire.setup.removeRoute(n);
        console.log(`Removed routing rule #${n}.`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`wire route takes list, add or remove.\n\n${USAGE}`);
    }
  });
}

function pollerCommand(action: string | undefined, rest: string[], v: Values): Promise<number> {
  return withRuntime(async (rt) => {
    switch (action) {
      case 'list': {
        const pollers = await rt.wire.setup.listPollers();
        if (v.json) {
          console.log(JSON.stringify(pollers, null, 2));
          return EXIT.ok;
        }
        if (pollers.length === 0)
          console.log(
            'No pollers yet. Add one with: dateline wire poller add --agency SLUG --folder PATH | --url URL',
          );
        for (const p of pollers) {
          const state = p.enabled
            ? p.lastError
              ? `failing: ${p.lastError}`
              : `next run ${p.nextRunAt.toISOString()}`
            : 'disabled';
          console.log(`#${p.id} ${p.kind} ${p.location} every ${p.intervalSeconds}s — ${state}`);
        }
        return EXIT.ok;
      }
      case 'add': {
        if (!v.agency) throw new UsageError(`wire poller add needs --agency.\n\n${USAGE}`);
        const poller = await rt.wire.setup.addPoller({
          agency: v.agency,
          ...(v.folder !== undefined && { folder: v.folder }),
          ...(v.url !== undefined && { url: v.url }),
          ...(v.every !== undefined && { everySeconds: whole('every', v.every, 1, 86_400)! }),
        });
        console.log(
          `Added poller #${poller.id}: ${poller.kind} ${poller.location} every ${poller.intervalSeconds}s. The server runs it; or run \`dateline wire poll\`.`,
        );
        return EXIT.ok;
      }
      case 'remove':
      case 'enable':
      case 'disable': {
        const n = id(rest[0], 'poller');
        if (action === 'remove') await rt.wire.setup.removePoller(n);
        else await rt.wire.setup.setPollerEnabled(n, action === 'enable');
        console.log(`Poller #${n} ${action === 'remove' ? 'removed' : `${action}d`}.`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`wire poller takes list, add, remove, enable or disable.\n\n${USAGE}`);
    }
  });
}

function queueCommand(action: string | undefined, rest: string[], v: Values): Promise<number> {
  return withRuntime(async (rt) => {
    switch (action) {
      case 'list': {
        const entries = await rt.wire.queue.list({ limit: whole('limit', v.limit, 1, 1000) ?? 50 });
        if (v.json) {
          console.log(JSON.stringify(entries, null, 2));
          return EXIT.ok;
        }
        if (entries.length === 0) console.log('The review queue is empty.');
        for (const e of entries) {
          const hint = e.suggestion ? ` → suggested ${e.suggestion.site}/${e.suggestion.section ?? '?'}` : '';
          console.log(
            `#${e.id} ${e.updatedAt} ${e.agency.slug}: ${e.story.headline}${hint}\n    ${e.reason}`,
          );
          if (e.story.edNote) console.log(`    Editor's note (not for publication): ${e.story.edNote}`);
          if (e.story.usageTerms) console.log(`    Usage terms: ${e.story.usageTerms}`);
        }
        return EXIT.ok;
      }
      case 'show': {
        console.log(JSON.stringify(await rt.wire.queue.get(id(rest[0], 'queue entry')), null, 2));
        return EXIT.ok;
      }
      case 'publish': {
        const n = id(rest[0], 'queue entry');
        let publishAt: Date | undefined;
        if (v['publish-at'] !== undefined) {
          publishAt = new Date(v['publish-at']);
          if (Number.isNaN(publishAt.getTime()))
            throw new UsageError(
              `--publish-at takes an ISO 8601 time such as 2030-01-15T00:00:00Z.\n\n${USAGE}`,
            );
        }
        if (v.site && v.site.length > 1)
          throw new UsageError(`wire queue publish takes one --site.\n\n${USAGE}`);
        const edits = {
          ...(v.headline !== undefined && { headline: v.headline }),
          ...(v.dek !== undefined && { dek: v.dek }),
          ...(v.byline !== undefined && { byline: v.byline }),
          ...(v.dateline !== undefined && { dateline: v.dateline }),
        };
        const r = await rt.wire.queue.publish(
          n,
          {
            ...(v.site?.[0] !== undefined && { site: v.site[0] }),
            ...(v.section !== undefined && { section: v.section }),
            edits,
            ...(publishAt !== undefined && { publishAt }),
          },
          'cli',
        );
        console.log(`Published queue entry #${n} as article ${r.articleId} on ${r.site} at ${r.path}.`);
        return EXIT.ok;
      }
      case 'discard': {
        const n = id(rest[0], 'queue entry');
        await rt.wire.queue.discard(n, 'cli');
        console.log(`Discarded queue entry #${n}.`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`wire queue takes list, show, publish or discard.\n\n${USAGE}`);
    }
  });
}

// `dateline comments import FILE --site S [--dry-run]`: brings a Disqus XML or WordPress (WXR) export into a
// site's threads (src/comments/import/). Safe to run again: what was imported before is skipped.
import { type ImportSummary, importComments } from '../comments/import/importer.ts';
import { DEFAULT_MAX_BYTES, readExportFile } from '../comments/import/read-export.ts';
import { type Command, EXIT, parse, showHelp, siteIdOf, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const USAGE = `Usage:
  dateline comments import FILE --site SITE [--dry-run] [--max-mb N]

Imports the comments of a Disqus XML export or a WordPress export (WXR) into SITE. Each thread is matched
to a story of SITE by its address (current or old path, or the last segment as the slug; the host, http or
https, a trailing slash and the query string do not matter). Authors become unclaimed member profiles that
a reader claims by verifying the same email address. Running it twice imports nothing twice.
  --dry-run   read and match everything, print the summary, write nothing
  --max-mb N  the largest file to read (default ${DEFAULT_MAX_BYTES / 1024 / 1024})`;

export const commentsCommand: Command = {
  name: 'comments',
  summary: 'Import comments from Disqus or WordPress',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { site: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'max-mb': { type: 'string' } },
      USAGE,
    );
    if (values.help) return showHelp(USAGE);
    const [action, file, ...extra] = positionals;
    if (action !== 'import' || !file || extra.length > 0 || !values.site) throw new UsageError(USAGE);
    const maxMb = values['max-mb'] === undefined ? undefined : Number(values['max-mb']);
    if (maxMb !== undefined && !(Number.isFinite(maxMb) && maxMb > 0))
      throw new UsageError(`Give --max-mb as a number of megabytes.\n\n${USAGE}`);
    const doc = await readExportFile(file, maxMb === undefined ? undefined : maxMb * 1024 * 1024);
    return withRuntime(async (rt) => {
      const siteId = siteIdOf(rt, values.site!, USAGE);
      const summary = await importComments(rt, doc, { siteId, dryRun: values['dry-run'] ?? false });
      console.log(summaryText(summary));
      return EXIT.ok;
    });
  },
};

export function summaryText(s: ImportSummary): string {
  const lines = [
    `${s.dryRun ? 'Dry run (nothing written): ' : ''}${s.source === 'disqus' ? 'Disqus' : 'WordPress'} export`,
    `Threads: ${s.threads.matched} matched (${s.threads.by.path} by address, ${s.threads.by.old_path} by an old address, ${s.threads.by.slug} by slug), ${s.threads.unmatched.length} unmatched`,
    `Comments: ${s.comments.imported} ${s.dryRun ? 'to import' : 'imported'} (${s.comments.notPublished} not published: pending, spam or deleted at the source; ${s.comments.orphans} replies whose parent is missing, placed at the top), ${s.comments.skipped} skipped as already imported, ${s.comments.unmatched} in unmatched threads`,
    `Authors: ${s.authors.created} ${s.dryRun ? 'to create' : 'created'} as unclaimed profiles, ${s.authors.existing} already known`,
  ];
  if (s.threads.unmatched.length > 0) {
    lines.push('Unmatched threads (no story of this site has that address):');
    for (const t of s.threads.unmatched.slice(0, 50))
      lines.push(
        `  ${t.url} (${t.comments} comment${t.comments === 1 ? '' : 's'}${t.title ? `, "${t.title}"` : ''})`,
      );
    if (s.threads.unmatched.length > 50) lines.push(`  … and ${s.threads.unmatched.length - 50} more`);
  }
  if (s.problems.length > 0) {
    lines.push(`Entries skipped (${s.problems.length}):`);
    for (const p of s.problems.slice(0, 50)) lines.push(`  ${p}`);
    if (s.problems.length > 50) lines.push(`  … and ${s.problems.length - 50} more`);
  }
  return lines.join('\n');
}

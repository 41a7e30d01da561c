// `dateline article import FILE.json`: import one article or an array, pictures by path.
import pino from 'pino';
import { importArticles } from '../articles/import.ts';
import { loadConfig } from '../config/config.ts';
import { openRuntime } from '../runtime.ts';
import { type Command, EXIT, parse, showHelp, UsageError } from './args.ts';

const USAGE = `Usage: dateline article import FILE.json

FILE.json holds one article or an array of them:
  { "site": "news", "section": "world", "headline": "…", "body_html": "<p>…</p>",
    "dek": "…", "byline": "…", "dateline": "MOSCOW", "source_copyright": "© Example Wire 2025",
    "slug": "…", "status": "published" | "draft", "publish_at": "2025-11-12T09:00:00Z",
    "published_at": "…", "picture": { "path": "photo.jpg", "caption": "…", "credit": "…", "alt": "…" } }
Picture paths are relative to the file. The whole file is imported, or nothing is.`;

export const articleCommand: Command = {
  name: 'article',
  summary: 'Import articles from a JSON file',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parse(argv, {}, USAGE);
    if (values.help) return showHelp(USAGE);
    const [action, file, ...extra] = positionals;
    if (action !== 'import' || !file || extra.length) throw new UsageError(USAGE);
    const config = loadConfig();
    const rt = await openRuntime(config, pino({ level: 'error' }));
    try {
      const { created } = await importArticles(rt, file);
      for (const c of created) console.log(`Imported article ${c.id} at ${c.site} ${c.path}`);
      console.log(`${created.length} article${created.length === 1 ? '' : 's'} imported from ${file}.`);
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};

// `dateline trending`: the operator's pins, exclusions and sources of the trending block. They are kept in
// the database; a running server picks them up at its next refresh (DATELINE_TRENDING_REFRESH_SECONDS).
import { type Command, EXIT, numericId, parse, showHelp, siteIdOf, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const TRENDING_USAGE = `Usage:
  dateline trending pin SITE ARTICLE_ID [--position N]   show a story first in SITE's block
  dateline trending exclude SITE ARTICLE_ID              never show a story in SITE's block
  dateline trending clear SITE ARTICLE_ID                undo a pin or exclusion
  dateline trending sources SITE --from SLUG...          which sites feed SITE's block
  dateline trending sources SITE --none | --all          no block, or every other site (default)`;

export const trendingCommand: Command = {
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
      const t = rt.trending;
      const sid = siteIdOf(rt, site, TRENDING_USAGE);
      switch (action) {
        case 'pin':
          await t.pin(
            sid,
            numericId(article, 'article id', TRENDING_USAGE),
            values.position ? Number(values.position) : 0,
          );
          return EXIT.ok;
        case 'exclude':
          await t.exclude(sid, numericId(article, 'article id', TRENDING_USAGE));
          return EXIT.ok;
        case 'clear':
          await t.clearOverride(sid, numericId(article, 'article id', TRENDING_USAGE));
          return EXIT.ok;
        case 'sources':
          if (values.all) await t.setSources(sid, null);
          else if (values.none) await t.setSources(sid, []);
          else if (values.from)
            await t.setSources(
              sid,
              values.from.map((s) => siteIdOf(rt, s, TRENDING_USAGE)),
            );
          else throw new UsageError(TRENDING_USAGE);
          return EXIT.ok;
        default:
          throw new UsageError(TRENDING_USAGE);
      }
    });
  },
};

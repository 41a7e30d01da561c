// `dateline search reindex`: bring the search index in step with every published story.
import { type Command, EXIT, parse, showHelp, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const SEARCH_USAGE = `Usage:
  dateline search reindex    bring the search index in step with every published story`;

export const searchCommand: Command = {
  name: 'search',
  summary: 'Maintain the search index',
  usage: SEARCH_USAGE,
  async run(argv) {
    const { values, positionals } = parse(argv, {}, SEARCH_USAGE);
    if (values.help) return showHelp(SEARCH_USAGE);
    if (positionals[0] !== 'reindex') throw new UsageError(SEARCH_USAGE);
    return withRuntime(async (rt) => {
      const n = await rt.searchIndexer.syncAll();
      console.log(`Reindexed ${n} ${n === 1 ? 'story' : 'stories'}.`);
      return EXIT.ok;
    });
  },
};

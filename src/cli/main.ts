// The `dateline` command line: serve, migrate, demo, sites, articles, wire, users, mail, api-key, webhook,
// trending, search, comments and newsletter. Exit codes:
// 0 success, 1 the command failed, 2 the command was used wrongly.
import { DatelineError } from '../errors/catalogue.ts';
import { apiKeyCommand } from './api-key-command.ts';
import { type Command, EXIT, UsageError } from './args.ts';
import { articleCommand } from './article-command.ts';
import { commentsCommand } from './comments-command.ts';
import { demoCommand, migrateCommand } from './db-commands.ts';
import { mailCommand } from './mail-command.ts';
import { newsletterCommand } from './newsletter-command.ts';
import { searchCommand } from './search-command.ts';
import { serveCommand } from './serve-command.ts';
import { siteCommand } from './site-command.ts';
import { trendingCommand } from './trending-command.ts';
import { userCommand } from './user-command.ts';
import { webhookCommand } from './webhook-command.ts';
import { wireCommand } from './wire-command.ts';

const COMMANDS: Command[] = [
  serveCommand,
  migrateCommand,
  demoCommand,
  siteCommand,
  articleCommand,
  wireCommand,
  userCommand,
  mailCommand,
  apiKeyCommand,
  webhookCommand,
  trendingCommand,
  searchCommand,
  commentsCommand,
  newsletterCommand,
];

const HELP = `Usage: dateline <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "dateline <command> --help" for a command's options.
Configuration comes from environment variables (PORT, HOST, DATABASE_URL, …) and ./dateline.config.json.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`Unknown command "${name}".\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return EXIT.usage;
    }
    if (e instanceof DatelineError) {
      console.error(`${e.code}: ${e.message}`);
      return e.code === 'DATELINE_ERR_CONFIG_INVALID' ? EXIT.usage : EXIT.failure;
    }
    console.error(e);
    return EXIT.failure;
  }
}

const isEntry = process.argv[1] && /(dateline(\.js)?|cli[\\/]main\.[tj]s)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    // serve keeps running: it sets its own exit when it drains.
    if (code !== -1) process.exit(code);
  });
}

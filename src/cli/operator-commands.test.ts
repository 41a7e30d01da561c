// The api-key, webhook, trending and search commands as an operator runs them (in-process; cli/main.ts
// lists them as commands), on each dialect, reading back what each change did.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandDatabase, DIALECTS } from '../../test/dialects.ts';
import { openDatabase } from '../db/connection.ts';
import { apiKeyCommand } from './api-key-command.ts';
import { UsageError } from './args.ts';
import { searchCommand } from './search-command.ts';
import { trendingCommand } from './trending-command.ts';
import { webhookCommand } from './webhook-command.ts';

const commands = [apiKeyCommand, webhookCommand, trendingCommand, searchCommand];
const command = (name: string) => commands.find((c) => c.name === name)!;

for (const dialect of DIALECTS) {
  describe(`operator commands [${dialect}]`, () => {
    const saved = { ...process.env };
    const out: string[] = [];
    const log = console.log;
    let database: Awaited<ReturnType<typeof commandDatabase>> | undefined;

    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dateline-operator-cli-'));
      database = await commandDatabase(dialect, dir);
      Object.assign(process.env, {
        DATELINE_DATA_DIR: dir,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
        DATELINE_DEMO: 'false',
      });
      console.log = (...args: unknown[]) => out.push(args.join(' '));
    });
    after(async () => {
      console.log = log;
      process.env = saved;
      await database?.drop();
    });

    /** What a command printed, run after the ones before it. */
    const printed = async (name: string, args: string[]) => {
      const from = out.length;
      assert.equal(await command(name).run(args), 0, `${name} ${args.join(' ')}`);
      return out.slice(from).join('\n');
    };

    test('api keys, webhooks, trending choices and reindexing from the command line', async () => {
      assert.match(
        await printed('api-key', ['add', 'Mobile app']),
        /Key 1 for "Mobile app".*\ndl_[A-Za-z0-9_-]+/,
      );
      assert.match(await printed('api-key', ['list']), /Mobile app {2}\(active\)/);
      await printed('api-key', ['revoke', '1']);
      // Read back: the key is listed as revoked, not merely answered with exit 0.
      assert.match(await printed('api-key', ['list']), /Mobile app {2}\(revoked \d{4}-/);

      assert.match(
        await printed('webhook', ['add', 'https://example.com/hooks', '--event', 'article.published']),
        /Signing secret \(shown only now\): whsec_/,
      );
      assert.match(await printed('webhook', ['list']), /^ +1 {2}on +https:\/\/example\.com\/hooks/m);
      await printed('webhook', ['disable', '1']);
      assert.match(await printed('webhook', ['list']), /^ +1 {2}off +https:\/\/example\.com\/hooks/m);

      // An empty network reindexes to an empty index.
      assert.match(await printed('search', ['reindex']), /Reindexed 0 stories/);
      const db = await openDatabase({ url: database!.url });
      try {
        const docs = await db.kysely
          .selectFrom('search_documents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        assert.equal(Number(docs.n), 0);
      } finally {
        await db.close();
      }

      await assert.rejects(command('trending').run(['pin', 'nosuchsite', '1']), UsageError);
      await assert.rejects(command('api-key').run(['revoke', 'x']), UsageError);
      await assert.rejects(command('webhook').run(['frob']), UsageError);
    });
  });
}

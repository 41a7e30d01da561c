// The api-key, webhook, trending and search commands as an operator runs them (in-process; cli/main.ts
// lists them as commands).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { apiKeyCommand } from './api-key-command.ts';
import { UsageError } from './args.ts';
import { searchCommand } from './search-command.ts';
import { trendingCommand } from './trending-command.ts';
import { webhookCommand } from './webhook-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'dateline-discovery-cli-'));
const saved = { ...process.env };
const out: string[] = [];
const log = console.log;
const commands = [apiKeyCommand, webhookCommand, trendingCommand, searchCommand];
const command = (name: string) => commands.find((c) => c.name === name)!;

before(() => {
  Object.assign(process.env, {
    DATELINE_DATA_DIR: dir,
    DATABASE_URL: join(dir, 'd.db'),
    LOG_LEVEL: 'silent',
    DATELINE_DEMO: 'false',
  });
  console.log = (...args: unknown[]) => out.push(args.join(' '));
});
after(() => {
  console.log = log;
  process.env = saved;
});

test('api keys, webhooks, trending choices and reindexing from the command line', async () => {
  assert.equal(await command('api-key').run(['add', 'Mobile app']), 0);
  assert.match(out.join('\n'), /Key 1 for "Mobile app".*\ndl_[A-Za-z0-9_-]+/);
  assert.equal(await command('api-key').run(['list']), 0);
  assert.match(out.at(-1)!, /Mobile app {2}\(active\)/);
  assert.equal(await command('api-key').run(['revoke', '1']), 0);
  assert.equal(
    await command('webhook').run(['add', 'https://example.com/hooks', '--event', 'article.published']),
    0,
  );
  assert.match(out.join('\n'), /Signing secret \(shown only now\): whsec_/);
  assert.equal(await command('webhook').run(['disable', '1']), 0);
  assert.equal(await command('search').run(['reindex']), 0);
  assert.match(out.at(-1)!, /Reindexed 0 stories/);
  await assert.rejects(command('trending').run(['pin', 'nosuchsite', '1']), UsageError);
  await assert.rejects(command('api-key').run(['revoke', 'x']), UsageError);
  await assert.rejects(command('webhook').run(['frob']), UsageError);
});

// The `dateline wire` command end to end, on each dialect's database of its own (the CLI opens its own
// runtime from the environment, as it does for an operator).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandDatabase, DIALECTS } from '../../test/dialects.ts';
import { main } from '../cli/main.ts';
import { sharedFixture } from './testing.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

for (const dialect of DIALECTS) {
  describe(`dateline wire [${dialect}]`, () => {
    const saved = { ...process.env };
    let database: Awaited<ReturnType<typeof commandDatabase>> | undefined;
    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dateline-wire-cli-'));
      database = await commandDatabase(dialect, dir);
      Object.assign(process.env, {
        DATELINE_DATA_DIR: dir,
        DATABASE_URL: database.url,
        DATELINE_DEMO: 'false',
        LOG_LEVEL: 'silent',
      });
    });
    after(async () => {
      process.env = saved;
      await database?.drop();
    });

    test('dateline wire: set up an agency and a rule, ingest the fixtures, read the summary', async () => {
      assert.equal((await run('site', 'add', 'news', '--name', 'News', '--section', 'world:World')).code, 0);
      const none = await run('wire', 'ingest', sharedFixture('ninjs1-story.json'));
      assert.equal(none.code, 1);
      assert.match(none.err, /DATELINE_ERR_WIRE_AGENCY_NOT_FOUND/);

      const added = await run(
        'wire',
        'agency',
        'add',
        'example-wire',
        '--name',
        'Example Wire',
        '--site',
        'news',
      );
      assert.equal(added.code, 0);
      assert.match(added.out, /API token .*: dlw_/);
      assert.equal(
        (
          await run(
            'wire',
            'route',
            'add',
            '--agency',
            'example-wire',
            '--site',
            'news',
            '--section',
            'world',
          )
        ).code,
        0,
      );
      assert.match((await run('wire', 'route', 'list')).out, /agency example-wire → publish on news\/world/);

      const all = await run('wire', 'ingest', sharedFixture());
      assert.equal(all.code, 1, 'exit 1: some files were rejected');
      assert.match(all.out, /Summary: 6 created, 1 updated, 0 unchanged, 1 killed, 0 held, 6 rejected\./);
      assert.match(all.out, /rejected +\S*bad\/truncated\.json: The file is not valid JSON/);
      assert.match(
        all.out,
        /killed +\S*ninjs2-story-kill\.json urn:newsml:wire\.example\.net:20251009:EXW7Q1A: taken down on news/,
      );
      assert.match(
        all.out,
        /created +\S*ninjs2-embargoed\.json .*scheduled on news .* for 2030-01-15T00:00:00Z \(embargo\)/,
      );

      const again = await run('wire', 'ingest', `${sharedFixture()}/*.json`, '--json');
      assert.equal(again.code, 0);
      assert.equal(JSON.parse(again.out).counts.unchanged, 5);

      assert.match((await run('wire', 'queue', 'list')).out, /The review queue is empty/);
      assert.match((await run('wire', 'problems', '--limit', '5')).out, /DATELINE_ERR_WIRE_/);
      assert.match(
        (await run('wire', 'agency', 'list')).out,
        /example-wire +Example Wire +licensed for news/,
      );
      assert.equal((await run('wire', 'nonsense')).code, 2);
      assert.equal((await run('wire', 'ingest')).code, 2);
      assert.equal((await run('wire', 'route', 'add', '--site', 'news')).code, 2);
    });
  });
}

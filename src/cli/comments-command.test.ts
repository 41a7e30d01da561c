// `dateline comments import` as an operator runs it, once per dialect: usage errors exit 2, a dry run
// prints the summary and writes nothing, the import prints what it did, a second run imports nothing, and a
// file that is not an export exits 1 with its error code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commandDatabase, DIALECTS } from '../../test/dialects.ts';
import { services } from '../../test/fixtures.ts';
import { openDatabase } from '../db/connection.ts';

const FIXTURE = fileURLToPath(new URL('../comments/import/fixtures/disqus-sample.xml', import.meta.url));

for (const dialect of DIALECTS) {
  describe(`dateline comments import [${dialect}]`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dateline-cli-comments-'));
    const env: Record<string, string> = { DATELINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    let database: Awaited<ReturnType<typeof commandDatabase>> | undefined;
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, ['bin/dateline.js', ...args], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    before(async () => {
      database = await commandDatabase(dialect, dataDir);
      env.DATABASE_URL = database.url;
      assert.equal(cli(['migrate']).code, 0);
      const db = await openDatabase({ url: database.url });
      try {
        const s = services(db);
        const site = await s.sites.create({
          slug: 'times',
          name: 'Example Times',
          hosts: ['times.localhost'],
        });
        const world = await s.sections.create(site.id, { slug: 'world', name: 'World' });
        await s.articles.create(
          {
            siteId: site.id,
            sectionId: world.id,
            slug: 'harbour-ferry-timetable-changes',
            headline: 'Ferries',
            bodyHtml: '<p>x</p>',
          },
          'test',
        );
      } finally {
        await db.close();
      }
    });
    after(async () => {
      await database?.drop();
    });

    test('usage, dry run, import, again, and a bad file', () => {
      assert.equal(cli(['comments', 'import', FIXTURE]).code, 2);
      assert.equal(cli(['comments', 'import', FIXTURE, '--site', 'nope']).code, 2);
      assert.equal(cli(['comments', '--help']).code, 0);

      const dry = cli(['comments', 'import', FIXTURE, '--site', 'times', '--dry-run']);
      assert.equal(dry.code, 0, dry.err);
      assert.match(dry.out, /Dry run/);
      assert.match(dry.out, /Comments: 6 to import/);
      assert.match(dry.out, /Threads: 2 matched .* 2 unmatched/);

      const done = cli(['comments', 'import', FIXTURE, '--site', 'times']);
      assert.equal(done.code, 0, done.err);
      assert.match(done.out, /Comments: 6 imported/);
      assert.match(done.out, /Authors: 4 created/);
      assert.match(done.out, /a-story-that-never-moved-here/);

      const again = cli(['comments', 'import', FIXTURE, '--site', 'times']);
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /Comments: 0 imported/);
      assert.match(again.out, /6 skipped as already imported/);

      const bad = join(dataDir, 'bad.xml');
      writeFileSync(bad, '<disqus><post>');
      const refused = cli(['comments', 'import', bad, '--site', 'times']);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /DATELINE_ERR_COMMENT_IMPORT_INVALID/);
      const tooBig = cli(['comments', 'import', FIXTURE, '--site', 'times', '--max-mb', '0.001']);
      assert.equal(tooBig.code, 1);
      assert.match(tooBig.err, /DATELINE_ERR_COMMENT_IMPORT_TOO_LARGE/);
    });
  });
}

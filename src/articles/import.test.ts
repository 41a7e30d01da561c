import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp, testJpeg } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { importArticles } from './import.ts';
import { countLive } from './repository.ts';

describeEachDialect('article import', (ctx) => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    t = await startTestApp(ctx.db);
    await newsSite(t.rt);
    dir = mkdtempSync(join(tmpdir(), 'dateline-import-'));
    writeFileSync(join(dir, 'photo.jpg'), await testJpeg(800, 500));
  });
  after(() => t.close());

  const write = (name: string, doc: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return file;
  };

  test('imports an array with a picture by path, in one go', async () => {
    const file = write('ok.json', [
      {
        site: 'news',
        section: 'world',
        headline: 'Imported one',
        body_html: '<p>Body</p>',
        dateline: 'MOSCOW',
        source_copyright: '© Example Wire 2025',
        picture: { path: 'photo.jpg', caption: 'A caption, exactly.', credit: 'Image: Example Wire/Someone' },
      },
      {
        site: 'news',
        section: 'business',
        headline: 'Imported two',
        body_html: '<p>Body</p>',
        status: 'draft',
      },
    ]);
    const { created } = await importArticles(t.rt, file);
    assert.deepEqual(
      created.map((c) => c.path),
      ['/world/imported-one', '/business/imported-two'],
    );
    const first = await t.rt.articles.require(created[0]!.id);
    const pic = await t.rt.media.get(first.article.leadMediaId!);
    assert.equal(pic.caption, 'A caption, exactly.');
    assert.equal((await t.rt.articles.require(created[1]!.id)).article.status, 'draft');
  });

  test('a bad item names file, item and field, and nothing of the file is written', async () => {
    const site = t.rt.directory.all()[0]!.site;
    const before = await countLive(ctx.db.kysely, site.id);
    const cases: [unknown, string][] = [
      [
        [
          { site: 'news', section: 'world', headline: 'Good', body_html: '<p>x</p>' },
          { site: 'news', section: 'world', body_html: '<p>x</p>' },
        ],
        'headline',
      ],
      [[{ site: 'news', section: 'nope', headline: 'x', body_html: '<p>x</p>' }], 'section'],
      [[{ site: 'zzz', section: 'world', headline: 'x', body_html: '<p>x</p>' }], 'site'],
      [[{ site: 'news', section: 'world', headline: 42, body_html: '<p>x</p>' }], 'headline'],
      [
        [{ site: 'news', section: 'world', headline: 'x', body_html: '<p>x</p>', publish_at: 'soon' }],
        'publish_at',
      ],
      [
        [
          {
            site: 'news',
            section: 'world',
            headline: 'x',
            body_html: '<p>x</p>',
            picture: { path: 'missing.jpg' },
          },
        ],
        'picture.path',
      ],
      [[{ site: 'news', section: 'world', headline: 'x', body_html: '<p>x</p>', colour: 'red' }], 'colour'],
    ];
    for (const [doc, field] of cases) {
      const file = write('bad.json', doc);
      await assert.rejects(
        importArticles(t.rt, file),
        (e) =>
          isDatelineError(e, 'IMPORT_INVALID') &&
          e.where?.file === file &&
          e.where?.field === field &&
          e.where?.item !== undefined,
        field,
      );
    }
    await assert.rejects(importArticles(t.rt, write('trunc.json', '[{"site":')), (e) =>
      isDatelineError(e, 'IMPORT_INVALID'),
    );
    assert.equal(await countLive(ctx.db.kysely, site.id), before);
  });
});

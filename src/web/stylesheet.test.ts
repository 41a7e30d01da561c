// Every site page links one stylesheet: the reader styles from their .css files, the web fonts and the
// site's theme, minified, with brotli and gzip bodies made once, under a content-hashed URL cached for a
// year; within the article page's budget of 14 KB compressed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { readerStylesheet, siteStylesheet, sourceFile } from './stylesheet.ts';
import { themeColours } from './theme.ts';

test('the compiled build reads the .css files of the source tree', () => {
  assert.equal(
    sourceFile('file:///srv/dateline/dist/src/web/stylesheet.js', './styles/reader.css'),
    '/srv/dateline/src/web/styles/reader.css',
  );
  assert.equal(
    sourceFile('file:///srv/dateline/src/trending/views/styles.ts', './trending.css'),
    '/srv/dateline/src/trending/views/trending.css',
  );
});

test('the reader styles are bundled from every feature’s .css file and minified', () => {
  const css = readerStylesheet();
  for (const rule of ['--page:', '.masthead{', '.article h1{', '.search-form{', '.trending__title{', '.btn{'])
    assert.ok(css.includes(rule), `has ${rule}`);
  assert.ok(!css.includes('/*'), 'no comments');
  assert.ok(!css.includes('@import'), 'imports inlined');
  assert.ok(!/\n\s/.test(css), 'no indentation');
});

describeEachDialect('the site stylesheet', (ctx) => {
  const NEWS = 'http://news.localhost:3000';
  let t: TestApp;
  let path = '';
  before(async () => {
    t = await startTestApp(ctx.db);
    const site = await t.rt.sites.create({
      slug: 'news',
      name: 'Example Times',
      primaryColor: '#12355b',
      accentColor: '#b3261e',
      hosts: ['news.localhost'],
    });
    await t.rt.sites.create({
      slug: 'life',
      name: 'Example Life',
      primaryColor: '#6b2d5c',
      accentColor: '#a63d1a',
      hosts: ['life.localhost'],
    });
    const world = await t.rt.sections.create(site.id, { slug: 'world', name: 'World' });
    await t.rt.articles.create(
      { siteId: site.id, sectionId: world.id, headline: 'Styled', bodyHtml: '<p>x</p>' },
      't',
    );
    await t.rt.directory.load();
    const html = (await t.app.inject({ url: `${NEWS}/world/styled` })).body;
    const sheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(sheets.length, 1, `one stylesheet: ${sheets.join(', ')}`);
    path = sheets[0]!;
  });
  after(() => t.close());

  test('is one hashed file holding fonts, reader styles and the site’s light and dark colours', async () => {
    assert.match(path, /^\/assets\/[0-9a-f]{10}\/site\.css$/);
    const res = await t.app.inject({ url: `${NEWS}${path}` });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/css/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    const css = res.body;
    const dark = themeColours('#12355b', '#b3261e').dark;
    assert.ok(css.startsWith('@font-face{'));
    assert.ok(css.includes('.masthead__account{'), 'the account links’ rules');
    assert.ok(css.includes(`--brand:${dark.brand}`), 'the dark brand colour');
    assert.ok(css.includes('--brand:#12355b'), 'the light brand colour');
    // The theme comes after the tokens, so its colours win.
    assert.ok(css.lastIndexOf('--brand:#12355b') > css.indexOf('--page:#fff'));
  });

  test('is sent br or gzip as asked, the same bytes, and at most 14 KB compressed', async () => {
    const plain = (await t.app.inject({ url: `${NEWS}${path}` })).rawPayload;
    const br = await t.app.inject({ url: `${NEWS}${path}`, headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'accept-encoding');
    assert.deepEqual(brotliDecompressSync(br.rawPayload), plain);
    const gz = await t.app.inject({ url: `${NEWS}${path}`, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.rawPayload), plain);
    assert.ok(br.rawPayload.length <= 14 * 1024, `br ${br.rawPayload.length} bytes`);
    assert.ok(gz.rawPayload.length <= 14 * 1024, `gzip ${gz.rawPayload.length} bytes`);
    // Made once: the same buffer every time.
    const made = await siteStylesheet({ primaryColor: '#12355b', accentColor: '#b3261e' }).encoded;
    assert.equal(
      made.br,
      (await siteStylesheet({ primaryColor: '#12355b', accentColor: '#b3261e' }).encoded).br,
    );
    assert.deepEqual(made.br, br.rawPayload);
  });

  test('differs per site theme, and an old hash gets today’s sheet, cached briefly', async () => {
    const life = (await t.app.inject({ url: 'http://life.localhost:3000/' })).body;
    const lifePath = /<link rel="stylesheet" href="([^"]+)"/.exec(life)?.[1];
    assert.ok(lifePath && lifePath !== path);
    const old = await t.app.inject({ url: `${NEWS}/assets/0000000000/site.css` });
    assert.equal(old.statusCode, 200);
    assert.equal(old.headers['cache-control'], 'public, max-age=300');
    assert.equal(old.body, (await t.app.inject({ url: `${NEWS}${path}` })).body);
  });
});

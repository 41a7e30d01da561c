// Template slots (web/slots.ts, articles/page-slots.ts): the templates in src/articles and src/web import no
// feature built on them, and what a feature puts in a slot carries its cache tags into the page, so that
// dropping a fill's tag drops (and re-renders) every page showing it, on the masthead's frame too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { type PageContributor, pageSlots } from '../articles/page-slots.ts';
import { articleRoutes } from '../articles/routes.tsx';
import { configuredUrls } from '../sites/urls.ts';
import { PageCache } from './cache/page-cache.ts';
import { PageServer } from './pages.ts';
import { decorateRequestSite, siteHook } from './request-site.ts';
import { fill } from './slots.ts';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Every folder of src/, by whether the templates may import it. Foundations are what articles/ and web/
 * stand on; "built on" folders are features that render into their pages (through the slots) or serve
 * them, and must not be imported back. A new folder fails the test until it is put in one list.
 */
const FOUNDATIONS = new Set([
  'articles',
  'web',
  'audit',
  'config',
  'db',
  'errors',
  // The domain event bus and log (changes and cache drops), not issue 11's events feature.
  'events',
  'jobs',
  'mail',
  'media',
  'outbound',
  'sections',
  'sites',
  // The newsroom's story list reuses search's query parser and index (articles/story-list.ts); search's
  // pages are built on the frame like any feature's, but its text search is a foundation of the admin list.
  'search',
]);
const BUILT_ON = new Set([
  'accounts',
  'admin',
  'api',
  'cli',
  'comments',
  'demo',
  'discovery',
  'feeds',
  'front-page',
  // Events and webinars (pages, listings, feeds); src/events is the domain event bus above.
  'live-events',
  'newsletters',
  'promos',
  'structured-data',
  'trending',
  'webhooks',
  'wire',
]);
/** The composition roots: they list the features, so they import them. */
const ROOTS = new Set(['web/server.tsx', 'runtime.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Every module a file imports or re-exports (static, side-effect and dynamic imports). */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]!);
  return specs;
}

describe('templates import no feature built on them', () => {
  test('every folder of src/ is either a foundation or built on articles/web', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const unknown = folders.filter((f) => !FOUNDATIONS.has(f) && !BUILT_ON.has(f));
    assert.deepEqual(unknown, [], 'classify each new folder in src/web/slots.test.ts');
  });

  test('src/articles and src/web import only foundations', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const top of ['articles', 'web']) {
      for (const file of sourceFiles(join(SRC, top))) {
        const own = relative(SRC, file);
        if (ROOTS.has(own)) continue;
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          checked += 1;
          const target = relative(SRC, resolve(dirname(file), spec));
          const folder = target.includes('/') ? target.slice(0, target.indexOf('/')) : target;
          if (!FOUNDATIONS.has(folder)) wrong.push(`${own} imports ${target}`);
        }
      }
    }
    assert.ok(checked > 100, `the import lines were read (${checked})`);
    assert.deepEqual(wrong, [], 'fill a slot from web/server.tsx instead');
  });

  test('the check sees each kind of import line', () => {
    const text = [
      "import { a } from '../accounts/x.ts';",
      "import type {\n  B,\n  C,\n} from '../comments/y.ts';",
      "export { d } from '../trending/z.ts';",
      "import '../newsletters/side.ts';",
      "const m = await import('../promos/lazy.ts');",
    ].join('\n');
    assert.deepEqual(importsOf(text), [
      '../accounts/x.ts',
      '../comments/y.ts',
      '../trending/z.ts',
      '../newsletters/side.ts',
      '../promos/lazy.ts',
    ]);
  });
});

describe('filling slots', () => {
  const ctx = {} as never;
  const req = {} as never;
  test("a slot's fills keep the contributors' order and every fill's tags join the page's", async () => {
    const a: PageContributor = {
      article: () => ({ head: fill('a-head', 'tag:a'), thread: fill('a-thread', 'tag:a2') }),
    };
    const b: PageContributor = { article: async () => ({ head: fill('b-head', 'tag:b') }) };
    const quiet: PageContributor = { section: () => ({ sidebar: fill('never') }) };
    const filled = await pageSlots([a, quiet, b]).article({ req, ctx, view: {} as never, canonicalUrl: '' });
    assert.deepEqual(filled.head, ['a-head', 'b-head']);
    assert.equal(filled.thread, 'a-thread');
    assert.equal(filled.sidebar, null);
    assert.deepEqual(filled.tags.sort(), ['tag:a', 'tag:a2', 'tag:b']);
  });

  test('home inserts go after their block, clamped to the blocks there are', async () => {
    const blocks = [{ id: 1 }, { id: 2 }] as never[];
    const c: PageContributor = {
      home: () => ({
        betweenBlocks: [
          { html: 'first', tags: ['t1'], afterBlock: 1 },
          { html: 'top', tags: [], afterBlock: 0 },
          { html: 'far', tags: ['t9'], afterBlock: 9 },
          { html: 'below', tags: [], afterBlock: -3 },
        ],
      }),
    };
    const filled = await pageSlots([c]).home({ req, ctx, blocks, canonicalUrl: '' });
    assert.deepEqual(filled.betweenBlocks, [['top', 'below'], ['first'], ['far']]);
    assert.deepEqual(filled.tags.sort(), ['t1', 't9']);
  });
});

describeEachDialect("a fill's cache tags travel with it into the page", (d) => {
  let t: TestApp;
  let app: FastifyInstance;
  let cache: PageCache;
  let host: string;
  const renders = { article: 0, section: 0 };

  before(async () => {
    t = await startTestApp(d.db);
    const s = await newsSite(t.rt);
    host = s.host;
    await t.rt.articles.create(
      { siteId: s.site.id, sectionId: s.world.id, headline: 'Harbour reopens', bodyHtml: '<p>Ships.</p>' },
      'test',
    );
    // Routes on an app of their own, with a probe contributor in the slots and a probe in the masthead.
    const probe: PageContributor = {
      article: ({ view }) => {
        renders.article += 1;
        return {
          afterBody: fill(<p class="probe">After {view.article.headline}</p>, 'probe:story'),
          sidebar: fill(<p class="probe-side">Rail</p>, 'probe:rail'),
        };
      },
      section: ({ section }) => {
        renders.section += 1;
        return { afterList: fill(<p class="probe">End of {section.name}</p>, 'probe:section') };
      },
    };
    t.rt.directory.setFrame({
      masthead: [
        {
          render: (_ctx, page) => <a href={`/probe?from=${page.path ?? ''}`}>Probe link</a>,
          tags: (c) => [`probe:masthead:${c.site.id}`],
        },
      ],
    });
    cache = new PageCache(8 * 1024 * 1024, 1024 * 1024);
    const pages = new PageServer(t.rt.directory, null, cache, { cdnMaxAge: 60, cdnStaleWhileRevalidate: 60 });
    app = Fastify({ logger: false });
    app.decorate('publicUrls', configuredUrls(t.rt.config));
    decorateRequestSite(app);
    await articleRoutes(app, {
      pages,
      reader: t.rt.reader,
      directory: t.rt.directory,
      siteHook: siteHook(pages, async (_req, reply) => reply.code(404).send('no site')),
      slots: pageSlots([probe]),
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await t.close();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { host: `${host}:3000` } });

  test("dropping a fill's tag re-renders the story; an unrelated tag does not", async () => {
    const first = await get('/world/harbour-reopens');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /<p class="probe">After Harbour reopens<\/p>/);
    assert.match(first.body, /<p class="probe-side">Rail<\/p>/);
    const before = renders.article;
    await get('/world/harbour-reopens');
    assert.equal(renders.article, before, 'the second request is answered from the cache');
    cache.invalidate(['probe:unrelated']);
    await get('/world/harbour-reopens');
    assert.equal(renders.article, before, 'a tag the page does not carry leaves it cached');
    cache.invalidate(['probe:story']);
    await get('/world/harbour-reopens');
    assert.equal(renders.article, before + 1, "the afterBody fill's tag dropped the page");
    cache.invalidate(['probe:rail']);
    await get('/world/harbour-reopens');
    assert.equal(renders.article, before + 2, "the sidebar fill's tag dropped the page");
  });

  test("a section page carries its fills' tags", async () => {
    const first = await get('/world');
    assert.match(first.body, /<p class="probe">End of World<\/p>/);
    const before = renders.section;
    cache.invalidate(['probe:section']);
    await get('/world');
    assert.equal(renders.section, before + 1);
  });

  test('the masthead item shows on every page, with its path, and its tags drop them all', async () => {
    const story = await get('/world/harbour-reopens');
    const section = await get('/world');
    const missing = await get('/world/no-such-story');
    assert.equal(missing.statusCode, 404);
    assert.ok(story.body.includes('<a href="/probe?from=/world/harbour-reopens">Probe link</a>'));
    assert.ok(section.body.includes('<a href="/probe?from=/world">Probe link</a>'));
    assert.ok(missing.body.includes('Probe link'), 'error pages carry the frame too');
    const sizeBefore = cache.size;
    const siteId = t.rt.directory.forHost(host)!.site.id;
    const dropped = cache.invalidate([`probe:masthead:${siteId}`]);
    assert.ok(dropped >= 2, `every cached page of the site showed the item (${dropped} dropped)`);
    assert.equal(cache.size, sizeBefore - dropped);
    const articleRenders = renders.article;
    await get('/world/harbour-reopens');
    assert.equal(renders.article, articleRenders + 1, 'rendered again after the drop');
  });
});

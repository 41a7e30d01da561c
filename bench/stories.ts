// The newsroom admin's story measurements, beside the targets: the story list's first page with each
// filter (p95 ≤ 50 ms at 10,000 stories, ≤ 100 ms at 100,000), the list screen over HTTP at 100,000
// (opens in under 200 ms) and autosaving a 2,000-word story (p95 ≤ 30 ms). Works on a copy of the
// bench's 10,000-story SQLite database, dressed like a newsroom's (staff authors, wire stories, drafts,
// scheduled and taken-down ones), then grown to 100,000 stories by writing rows directly (the 10,000 go
// through ArticleService; ninety thousand more that way would take minutes and measure nothing new).
// `npm run bench` calls measureStories; run alone (`node --import tsx bench/stories.ts`) it builds its
// own 10,000-story database first.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { ADMIN, adminJson, signedInStaff } from '../src/admin/testing.ts';
import { StoryEditing } from '../src/articles/editing.ts';
import { StoryLocks } from '../src/articles/locks.ts';
import { listStories, type StoryListQuery } from '../src/articles/story-list.ts';
import { staffUser } from '../src/articles/story-testing.ts';
import { loadConfig } from '../src/config/config.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { buildServer } from '../src/web/server.tsx';

export interface Percentiles {
  runs: number;
  p50: number;
  p95: number;
  max: number;
  /**
   * The same for the CPU time this process spent (user + system): on a machine shared with other work the
   * wall-clock tail is mostly time spent waiting for a CPU, which this leaves out.
   */
  cpuP50: number;
  cpuP95: number;
}

/** Wall-clock and CPU milliseconds of each run, kept side by side. */
class Timings {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];

  async time<T>(work: () => Promise<T>): Promise<T> {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await work();
    const c = process.cpuUsage(c0);
    this.wall.push(performance.now() - t0);
    this.cpu.push((c.user + c.system) / 1000);
    return out;
  }

  percentiles(): Percentiles {
    const wall = percentiles(this.wall);
    const cpu = percentiles(this.cpu);
    return { ...wall, cpuP50: cpu.p50, cpuP95: cpu.p95 };
  }
}

export interface StoryListFigure extends Percentiles {
  stories: number;
  /** Each filter's own p95, to see which one is the slowest. */
  byFilter: { name: string; p95: number; cpuP95: number }[];
}

export interface StoryFigures {
  list10k: StoryListFigure;
  list100k: StoryListFigure;
  /** The whole list screen over HTTP (session, queries, render), filtered, at 100,000. */
  page100k: Percentiles;
  /** POST /stories/:id/autosave as the editor script sends it (session, CSRF, JSON), at 100,000. */
  autosaveHttp: Percentiles;
  autosave: Percentiles & { words: number; bytes: number };
}

function percentiles(times: number[]): Omit<Percentiles, 'cpuP50' | 'cpuP95'> {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) =>
    Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(2));
  return { runs: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

const STAFF = 12;

/**
 * Makes the bench's all-published, all-anonymous stories look like a newsroom's: 12 staff authors on the
 * staff stories, 40% of stories from the wire, 4% drafts, 1% scheduled and 1% taken down (placements and
 * the search index kept coherent with the status, as the services keep them).
 */
function dress(file: string, staff: number[]): void {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    db.exec(`insert into wire_agencies (slug, name, credit, updated_at)
      values ('bench-wire', 'Bench Wire', 'Bench Wire', strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      on conflict (slug) do nothing`);
    const agency = (
      db.prepare(`select id from wire_agencies where slug = 'bench-wire'`).get() as { id: number }
    ).id;
    const ids = db.prepare('select id, site_id from articles order by id').all() as {
      id: number;
      site_id: number;
    }[];
    const setAuthor = db.prepare('update articles set created_by = ? where id = ?');
    const setStatus = db.prepare(
      `update articles set status = ?, publish_at = ?, published_at = ?, taken_down_at = ?, takedown_reason = ? where id = ?`,
    );
    const hide = db.prepare('update placements set live = 0 where article_id = ?');
    const unindex = db.prepare('delete from search_documents where article_id = ?');
    const wireItem =
      db.prepare(`insert into wire_stories (agency_id, uri, state, headline, item, content_hash, corrected, source,
      first_seen_at, updated_at) values (?, ?, 'active', 'bench', '{}', 'h', 0, 'bench', ?, ?) returning id`);
    const link = db.prepare(
      'insert into wire_story_articles (story_id, site_id, article_id, follow_updates) values (?, ?, ?, 1)',
    );
    const at = new Date().toISOString();
    for (const [n, { id, site_id }] of ids.entries()) {
      if (n % 10 < 4) {
        const item = wireItem.get(agency, `urn:bench:${id}`, at, at) as { id: number };
        link.run(item.id, site_id, id);
      } else {
        setAuthor.run(staff[n % staff.length], id);
      }
      const kind = n % 100;
      if (kind < 4 || kind === 4 || kind === 5) {
        const status = kind < 4 ? 'draft' : kind === 4 ? 'scheduled' : 'taken_down';
        setStatus.run(
          status,
          status === 'scheduled' ? new Date(Date.now() + 86_400_000).toISOString() : null,
          status === 'taken_down' ? at : null,
          status === 'taken_down' ? at : null,
          status === 'taken_down' ? 'bench' : null,
          id,
        );
        hide.run(id);
        unindex.run(id);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * Grows the database to `total` stories by copying existing ones (each copy an older story: a new id,
 * its own slug, times pushed back), with their placements, wire links and search documents.
 */
function grow(file: string, total: number): void {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const have = (db.prepare('select count(*) as n from articles').get() as { n: number }).n;
  const sources = db.prepare('select id from articles order by id').all() as { id: number }[];
  const copyArticle =
    db.prepare(`insert into articles (site_id, headline, dek, byline, dateline, body_html, source_copyright,
      lead_media_id, status, publish_at, published_at, content_updated_at, taken_down_at, takedown_reason, created_at,
      modified_at, created_by, tags, urgent)
    select site_id, headline, dek, byline, dateline, body_html, source_copyright, lead_media_id, status, publish_at,
      strftime('%Y-%m-%dT%H:%M:%fZ', published_at, ?), content_updated_at, taken_down_at, takedown_reason,
      strftime('%Y-%m-%dT%H:%M:%fZ', created_at, ?), strftime('%Y-%m-%dT%H:%M:%fZ', modified_at, ?), created_by, tags, urgent
    from articles where id = ? returning id`);
  const copyPlacement =
    db.prepare(`insert into placements (article_id, site_id, section_id, slug, canonical, live, published_at)
    select ?, site_id, section_id, slug || '-c' || ?, canonical, live, strftime('%Y-%m-%dT%H:%M:%fZ', published_at, ?)
    from placements where article_id = ?`);
  const copyWire =
    db.prepare(`insert into wire_stories (agency_id, uri, state, headline, item, content_hash, corrected, source,
      first_seen_at, updated_at)
    select s.agency_id, s.uri || '-c' || ?, s.state, s.headline, s.item, s.content_hash, s.corrected, s.source,
      s.first_seen_at, s.updated_at
    from wire_story_articles l join wire_stories s on s.id = l.story_id where l.article_id = ? returning id`);
  const linkWire = db.prepare(`insert into wire_story_articles (story_id, site_id, article_id, follow_updates)
    select ?, site_id, ?, 1 from articles where id = ?`);
  const copyDoc =
    db.prepare(`insert into search_documents (article_id, headline, dek, byline, section_names, body_text,
      cjk_text, scope, ts_config, article_modified_at)
    select ?, headline, dek, byline, section_names, body_text, cjk_text, scope, ts_config,
      (select modified_at from articles where id = ?)
    from search_documents where article_id = ?`);
  let made = have;
  for (let round = 1; made < total; round++) {
    db.transaction(() => {
      // Each round's copies are a year older than the one before.
      const shift = `-${round * 365} days`;
      for (const { id } of sources) {
        if (made >= total) break;
        const copy = (copyArticle.get(shift, shift, shift, id) as { id: number }).id;
        copyPlacement.run(copy, copy, shift, id);
        const wire = copyWire.get(copy, id) as { id: number } | undefined;
        if (wire) linkWire.run(wire.id, copy, copy);
        copyDoc.run(copy, copy, id);
        made++;
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The filtered first pages an editor asks for, on the news site or the whole network. */
function listQueries(
  siteId: number,
  sectionId: number,
  authorId: number,
): { name: string; q: StoryListQuery }[] {
  const week = new Date(Date.now() - 7 * 86_400_000);
  return [
    { name: 'site', q: { siteIds: [siteId] } },
    { name: 'site + drafts', q: { siteIds: [siteId], status: 'draft' } },
    { name: 'site + scheduled', q: { siteIds: [siteId], status: 'scheduled' } },
    { name: 'site + published', q: { siteIds: [siteId], status: 'published' } },
    { name: 'site + taken down', q: { siteIds: [siteId], status: 'taken_down' } },
    { name: 'site + section', q: { siteIds: [siteId], sectionId } },
    { name: 'site + author', q: { siteIds: [siteId], authorId } },
    { name: 'site + wire', q: { siteIds: [siteId], origin: 'wire' } },
    { name: 'site + staff drafts', q: { siteIds: [siteId], origin: 'staff', status: 'draft' } },
    { name: 'site + last week', q: { siteIds: [siteId], updatedFrom: week } },
    { name: 'site + text "talks"', q: { siteIds: [siteId], q: 'talks' } },
    { name: 'site + text "ministry comment"', q: { siteIds: [siteId], q: 'ministry comment' } },
    { name: 'site + text, no match', q: { siteIds: [siteId], q: 'zzyzxnothing' } },
    { name: 'all sites', q: { siteIds: 'all' } },
    { name: 'all sites + drafts', q: { siteIds: 'all', status: 'draft' } },
    { name: 'all sites + author + published', q: { siteIds: 'all', authorId, status: 'published' } },
    { name: 'all sites + wire', q: { siteIds: 'all', origin: 'wire' } },
  ];
}

/** What the list screen asks for one page: the page and who has its stories open. */
async function measureList(
  rt: Runtime,
  stories: number,
  authorId: number,
  rounds = 12,
): Promise<StoryListFigure> {
  const news = rt.directory.all().find((c) => c.site.slug === 'news') ?? rt.directory.all()[0]!;
  const locks = new StoryLocks(rt.db);
  const queries = listQueries(news.site.id, news.sections[0]!.id, authorId);
  const all = new Timings();
  for (const { q } of queries) await listStories(rt.db, q);
  const times = new Map<string, Timings>();
  for (let round = 0; round < rounds; round++) {
    for (const { name, q } of queries) {
      const one = times.get(name) ?? new Timings();
      times.set(name, one);
      await all.time(() =>
        one.time(async () => {
          const page = await listStories(rt.db, q);
          await locks.holders(page.items.map((i) => i.id));
        }),
      );
    }
  }
  const byFilter = [...times].map(([name, t]) => {
    const f = t.percentiles();
    return { name, p95: f.p95, cpuP95: f.cpuP95 };
  });
  byFilter.sort((a, b) => b.p95 - a.p95);
  return { stories, ...all.percentiles(), byFilter };
}

const WORDS =
  'the council said on monday that talks would resume next week with delegations from every region'.split(
    ' ',
  );

function twoThousandWords(variant: number): string {
  const paragraphs: string[] = [];
  for (let p = 0; p < 40; p++) {
    const words = Array.from({ length: 50 }, (_, w) => WORDS[(p * 50 + w + variant) % WORDS.length]);
    paragraphs.push(`<p>${words.join(' ')}.</p>`);
  }
  return paragraphs.join('');
}

async function measureAutosave(rt: Runtime, userId: number): Promise<StoryFigures['autosave']> {
  const news = rt.directory.all()[0]!;
  const editing = new StoryEditing(rt.db, rt.articles);
  const { story } = await editing.createDraft(
    {
      siteId: news.site.id,
      sectionId: news.sections[0]!.id,
      fields: { headline: 'Autosave bench', body_html: twoThousandWords(0) },
    },
    { userId },
  );
  const fields = (n: number) => ({
    headline: `Autosave bench ${n}`,
    dek: 'A dek',
    byline: 'A. Writer',
    tags: ['bench', 'autosave'],
    urgent: false,
    body_html: twoThousandWords(n),
  });
  for (let n = 0; n < 20; n++) await editing.autosave(story.article.id, userId, fields(n), story.revision);
  const times = new Timings();
  for (let n = 0; n < 300; n++) {
    const f = fields(n);
    await times.time(() => editing.autosave(story.article.id, userId, f, story.revision));
  }
  const body = fields(0).body_html;
  return {
    ...times.percentiles(),
    words: body
      .replace(/<[^>]+>/g, ' ')
      .split(/\s+/)
      .filter(Boolean).length,
    bytes: body.length,
  };
}

/**
 * Through the real server (inject), signed in as a network editor: GET /stories with filters, and the
 * editor script's autosave of a 2,000-word story.
 */
async function measureScreens(
  rt: Runtime,
  rounds = 6,
): Promise<{ page: Percentiles; autosave: Percentiles }> {
  const app = await buildServer(rt, { logger: false });
  await app.ready();
  try {
    const t = { rt, app, close: async () => {} };
    const { client, csrf, userId } = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const news = rt.directory.all().find((c) => c.site.slug === 'news') ?? rt.directory.all()[0]!;
    const paths = [
      '/stories',
      '/stories?status=draft',
      `/stories?section=${news.sections[0]!.id}`,
      '/stories?origin=wire&status=published',
      '/stories?q=talks',
      '/stories?q=zzyzxnothing',
    ];
    for (const p of paths) await client.get(`${ADMIN}${p}`);
    const times = new Timings();
    for (let round = 0; round < rounds; round++) {
      for (const p of paths) {
        const r = await times.time(() => client.get(`${ADMIN}${p}`));
        if (r.status !== 200) throw new Error(`GET ${p} answered ${r.status}`);
      }
    }
    const editing = new StoryEditing(rt.db, rt.articles);
    const { story } = await editing.createDraft(
      { siteId: news.site.id, sectionId: news.sections[0]!.id, fields: { headline: 'Autosave over HTTP' } },
      { userId },
    );
    const saves = new Timings();
    const autosave = (n: number) =>
      adminJson(t, client, 'POST', `/stories/${story.article.id}/autosave`, csrf, {
        baseRevision: story.revision,
        fields: { headline: `Autosave over HTTP ${n}`, urgent: false, body_html: twoThousandWords(n) },
      });
    for (let n = 0; n < 20; n++) await autosave(n);
    for (let n = 0; n < 100; n++) {
      const r = await saves.time(() => autosave(n));
      if (r.status !== 200) throw new Error(`autosave answered ${r.status}: ${r.body}`);
    }
    return { page: times.percentiles(), autosave: saves.percentiles() };
  } finally {
    await app.close();
  }
}

async function openCopy(file: string): Promise<Runtime> {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const config = loadConfig({
    ...process.env,
    DATELINE_DATA_DIR: dir,
    DATABASE_URL: file,
    LOG_LEVEL: 'silent',
  });
  return openRuntime(config, pino({ level: 'silent' }));
}

/**
 * Measures on a copy of `sourceDb` (the bench's closed 10,000-story SQLite file): the list at its size, the
 * autosave, then the list again after growing the copy to 100,000 stories.
 */
export async function measureStories(
  sourceDb: string,
  log: (s: string) => void = console.log,
): Promise<StoryFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-stories-'));
  const file = join(dir, 'dateline.db');
  try {
    copyFileSync(sourceDb, file);
    let rt = await openCopy(file);
    const staff: number[] = [];
    for (let n = 0; n < STAFF; n++) staff.push(await staffUser(rt.db, `Bench Editor ${n + 1}`));
    const stories10k = Number(
      (
        await rt.db.kysely
          .selectFrom('articles')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    await rt.close();
    log('Stories: dressing the 10,000-story copy as a newsroom’s (authors, wire, drafts) …');
    dress(file, staff);
    rt = await openCopy(file);
    const list10k = await measureList(rt, stories10k, staff[0]!);
    const autosave = await measureAutosave(rt, staff[1]!);
    await rt.close();
    log('Stories: growing the copy to 100,000 stories …');
    const t0 = performance.now();
    grow(file, 100_000);
    log(`  grown in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    rt = await openCopy(file);
    const list100k = await measureList(rt, 100_000, staff[0]!);
    const screens = await measureScreens(rt);
    await rt.close();
    return { list10k, list100k, page100k: screens.page, autosaveHttp: screens.autosave, autosave };
  } finally {
    // STORIES_BENCH_KEEP=1 leaves the 100,000-story copy behind for looking at query plans.
    if (process.env.STORIES_BENCH_KEEP) log(`  kept ${file}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows `npm run bench` prints for these figures. */
export function storyRows(
  f: StoryFigures,
): { measurement: string; value: string; target: string; met: boolean }[] {
  const slowest = (l: StoryListFigure) => `${l.byFilter[0]?.name} ${l.byFilter[0]?.p95} ms`;
  const cpu = (p: Percentiles) => `CPU p50 ${p.cpuP50} ms, p95 ${p.cpuP95} ms`;
  return [
    {
      measurement: `Story list, first page filtered, ${f.list10k.stories.toLocaleString('en')} stories (${f.list10k.byFilter.length} filters)`,
      value: `p50 ${f.list10k.p50} ms, p95 ${f.list10k.p95} ms (${cpu(f.list10k)}; slowest: ${slowest(f.list10k)})`,
      target: 'p95 ≤ 50 ms',
      met: f.list10k.p95 <= 50,
    },
    {
      measurement: 'Story list, first page filtered, 100,000 stories',
      value: `p50 ${f.list100k.p50} ms, p95 ${f.list100k.p95} ms (${cpu(f.list100k)}; slowest: ${slowest(f.list100k)})`,
      target: 'p95 ≤ 100 ms',
      met: f.list100k.p95 <= 100,
    },
    {
      measurement: 'Story list screen over HTTP, filtered, 100,000 stories',
      value: `p50 ${f.page100k.p50} ms, p95 ${f.page100k.p95} ms (${cpu(f.page100k)})`,
      target: 'opens in < 200 ms',
      met: f.page100k.p95 < 200,
    },
    {
      measurement: `Autosave of a ${f.autosave.words.toLocaleString('en')}-word story (${Math.round(f.autosave.bytes / 1024)} KB)`,
      value: `p50 ${f.autosave.p50} ms, p95 ${f.autosave.p95} ms; through HTTP p50 ${f.autosaveHttp.p50} ms, p95 ${f.autosaveHttp.p95} ms (${cpu(f.autosaveHttp)})`,
      target: 'p95 ≤ 30 ms',
      met: f.autosave.p95 <= 30 && f.autosaveHttp.p95 <= 30,
    },
  ];
}

async function standalone(): Promise<void> {
  const { seedBenchNetwork } = await import('./seed.ts');
  const total = Number(process.env.BENCH_ARTICLES ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-'));
  const file = join(dir, 'dateline.db');
  try {
    console.log(`Building a ${total}-story database in ${dir} …`);
    const rt = await openCopy(file);
    await seedBenchNetwork(rt, total, (l) => console.log(`  ${l}`));
    await rt.searchIndexer.syncAll();
    await rt.close();
    const figures = await measureStories(file);
    console.table(storyRows(figures));
    console.log('Slowest filters at 100,000:', figures.list100k.byFilter.slice(0, 5));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  standalone().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

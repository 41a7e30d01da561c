// Bench measurements of the newsroom admin that are not one query: how long a published story takes to be
// on its home, section and article pages (through the page cache and its invalidation, as readers get
// them), and how much JavaScript the admin's screens load, gzipped.
import type { FastifyInstance } from 'fastify';
import { StoryEditing } from '../articles/editing.ts';
import { StoryPublishing } from '../articles/publishing.ts';
import type { Runtime } from '../runtime.ts';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Publishes `runs` new stories one after another on the news site, each time timing from the publish call
 * to the moment the home page, the section page and the article page all show its headline.
 */
export async function measurePublishToPages(
  rt: Runtime,
  app: FastifyInstance,
  o: { runs: number; userId: number },
): Promise<{ p50: number; p95: number; max: number }> {
  const ctx = rt.directory.all().find((c) => c.site.slug === 'news') ?? rt.directory.all()[0]!;
  const host = ctx.site.hosts[0]!;
  const section = await rt.db.kysely
    .selectFrom('sections')
    .select(['id', 'slug'])
    .where('site_id', '=', ctx.site.id)
    .orderBy('position')
    .executeTakeFirstOrThrow();
  const editing = new StoryEditing(rt.db, rt.articles);
  const publishing = new StoryPublishing(rt.db, rt.articles);
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { host } });
  const times: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const headline = `Bench desk story ${Date.now().toString(36)} number ${i}`;
    const draft = await editing.createDraft(
      {
        siteId: ctx.site.id,
        sectionId: section.id,
        fields: { headline, body_html: `<p>${headline} body.</p>` },
      },
      { userId: o.userId },
    );
    // Warm pages in the cache first, as a live site has them.
    await get('/');
    await get(`/${section.slug}`);
    const t0 = performance.now();
    await publishing.publishNow(draft.story.article.id, { userId: o.userId });
    const placement = await rt.db.kysely
      .selectFrom('placements')
      .select('slug')
      .where('article_id', '=', draft.story.article.id)
      .where('canonical', '=', 1)
      .executeTakeFirstOrThrow();
    const pending = new Set(['/', `/${section.slug}`, `/${section.slug}/${placement.slug}`]);
    while (pending.size > 0) {
      for (const path of [...pending]) if ((await get(path)).body.includes(headline)) pending.delete(path);
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 5));
      if (performance.now() - t0 > 10_000)
        throw new Error(`story ${headline} not on ${[...pending]} after 10 s`);
    }
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: Math.round(pct(times, 50)), p95: Math.round(pct(times, 95)), max: Math.round(times.at(-1)!) };
}

/** The admin's JavaScript by screen, gzipped, in KB: the editor screen's and the largest of the others. */
export async function adminScriptSizes(): Promise<{
  editorKb: number;
  otherMaxKb: number;
  otherName: string;
}> {
  const { gzipSync } = await import('node:zlib');
  const { buildEditorBundle } = await import('./editor/bundle.ts');
  const { bundleAdminScript } = await import('./client/bundle.ts');
  const kb = (s: string) => Math.round((gzipSync(Buffer.from(s), { level: 9 }).length / 1024) * 10) / 10;
  const shell = kb(await bundleAdminScript('client/admin.ts'));
  const editor = await buildEditorBundle();
  // Every screen loads admin.js; the editor screen adds its bundle. Other screens' own scripts are found by
  // name: any client/*.ts entry in a screen folder.
  const { readdirSync, existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('.', import.meta.url));
  let otherMaxKb = shell;
  let otherName = 'admin.js';
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === 'editor' || dir.name === 'client') continue;
    const clientDir = `${root}${dir.name}/client`;
    if (!existsSync(clientDir)) continue;
    for (const f of readdirSync(clientDir)) {
      if (!/\.ts$/.test(f) || /\.test\.ts$/.test(f)) continue;
      const size = shell + kb(await bundleAdminScript(`${dir.name}/client/${f}`));
      if (size > otherMaxKb) {
        otherMaxKb = Math.round(size * 10) / 10;
        otherName = `admin.js + ${dir.name}/client/${f}`;
      }
    }
  }
  return { editorKb: Math.round((shell + kb(editor.js)) * 10) / 10, otherMaxKb, otherName };
}

// `dateline article import FILE.json`: one article or an array, pictures by path. Every item is checked
// before anything is written, and the whole file is written in one transaction, so a bad file changes
// nothing. Errors name the file, the item and the field.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DatelineError } from '../errors/catalogue.ts';
import type { MediaService } from '../media/service.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import { checkArticleFields } from './article.ts';
import type { ArticleService } from './service.ts';

interface ImportItem {
  site: string;
  section: string;
  headline: string;
  slug?: string;
  dek?: string;
  byline?: string;
  dateline?: string;
  body_html: string;
  source_copyright?: string;
  status?: 'draft' | 'published';
  publish_at?: string;
  published_at?: string;
  picture?: { path: string; caption?: string; credit?: string; alt?: string };
}

const STRING_FIELDS = [
  'site',
  'section',
  'headline',
  'slug',
  'dek',
  'byline',
  'dateline',
  'body_html',
  'source_copyright',
];
const KNOWN = new Set([...STRING_FIELDS, 'status', 'publish_at', 'published_at', 'picture', 'bodyHtml']);

function fail(file: string, item: number, field: string, message: string): never {
  throw new DatelineError('IMPORT_INVALID', `${file}, item ${item}, field "${field}": ${message}`, {
    file,
    item,
    field,
  });
}

function parseDate(file: string, i: number, field: string, v: unknown): Date | undefined {
  if (v === undefined || v === null) return undefined;
  const d = typeof v === 'string' ? new Date(v) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime()))
    fail(file, i, field, 'is not a date; use ISO 8601 such as 2025-11-12T09:00:00Z.');
  return d;
}

export interface ImportResult {
  created: { id: number; path: string; site: string }[];
}

/** What an import needs of the runtime (not the Runtime itself: articles/ knows no feature built on it). */
export interface ImportDeps {
  directory: SiteDirectory;
  media: Pick<MediaService, 'addImage'>;
  articles: Pick<ArticleService, 'inTransaction' | 'create'>;
}

export async function importArticles(rt: ImportDeps, file: string, actor = 'import'): Promise<ImportResult> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    throw new DatelineError(
      'IMPORT_INVALID',
      `${file}: cannot be read (${(e as NodeJS.ErrnoException).code}). Check the path.`,
      {
        file,
      },
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    throw new DatelineError(
      'IMPORT_INVALID',
      `${file}: is not valid JSON (${(e as Error).message}). Fix the file and run again.`,
      {
        file,
      },
    );
  }
  const items = Array.isArray(doc) ? doc : [doc];
  if (items.length === 0)
    throw new DatelineError('IMPORT_INVALID', `${file}: holds an empty array; nothing to import.`, { file });

  // Check every item, and resolve its site, section and picture, before writing anything.
  const prepared = [];
  for (const [idx, it] of items.entries()) {
    const i = idx + 1;
    if (!it || typeof it !== 'object' || Array.isArray(it)) fail(file, i, '(item)', 'must be a JSON object.');
    const item = it as ImportItem & Record<string, unknown>;
    for (const k of Object.keys(item))
      if (!KNOWN.has(k)) fail(file, i, k, `is not a known field. Known: ${[...KNOWN].join(', ')}.`);
    const body = item.body_html ?? item.bodyHtml;
    for (const f of STRING_FIELDS) {
      const v = f === 'body_html' ? body : item[f];
      if (v !== undefined && v !== null && typeof v !== 'string')
        fail(file, i, f, `must be text, not ${typeof v}.`);
    }
    for (const f of ['site', 'section', 'headline'] as const) {
      if (!item[f] || !String(item[f]).trim()) fail(file, i, f, 'is required.');
    }
    if (typeof body !== 'string' || !body.trim()) fail(file, i, 'body_html', 'is required.');
    if (item.status !== undefined && item.status !== 'draft' && item.status !== 'published') {
      fail(file, i, 'status', 'must be "draft" or "published".');
    }
    const ctx = rt.directory.all().find((c) => c.site.slug === item.site);
    if (!ctx)
      fail(
        file,
        i,
        'site',
        `names no site "${item.site}". Sites: ${rt.directory
          .all()
          .map((c) => c.site.slug)
          .join(', ')}.`,
      );
    const section = ctx.sectionsBySlug.get(item.section);
    if (!section) fail(file, i, 'section', `names no section "${item.section}" on ${item.site}.`);
    const input = {
      siteId: ctx.site.id,
      sectionId: section.id,
      headline: item.headline,
      bodyHtml: body,
      ...(item.slug !== undefined && { slug: item.slug }),
      ...(item.dek !== undefined && { dek: item.dek }),
      ...(item.byline !== undefined && { byline: item.byline }),
      ...(item.dateline !== undefined && { dateline: item.dateline }),
      ...(item.source_copyright !== undefined && { sourceCopyright: item.source_copyright }),
      ...(item.status !== undefined && { status: item.status }),
      publishAt: parseDate(file, i, 'publish_at', item.publish_at) ?? null,
      publishedAt: parseDate(file, i, 'published_at', item.published_at) ?? null,
    };
    try {
      checkArticleFields(input);
    } catch (e) {
      if (e instanceof DatelineError) fail(file, i, String(e.where?.field ?? '(item)'), e.message);
      throw e;
    }
    let picture: { bytes: Buffer; caption: string; credit: string; alt: string } | null = null;
    if (item.picture !== undefined) {
      const p = item.picture;
      if (!p || typeof p !== 'object' || typeof p.path !== 'string')
        fail(file, i, 'picture.path', 'is required, as text.');
      for (const f of ['caption', 'credit', 'alt'] as const) {
        if (p[f] !== undefined && typeof p[f] !== 'string') fail(file, i, `picture.${f}`, 'must be text.');
      }
      try {
        picture = {
          bytes: await readFile(resolve(dirname(file), p.path)),
          caption: p.caption ?? '',
          credit: p.credit ?? '',
          alt: p.alt ?? '',
        };
      } catch (e) {
        fail(
          file,
          i,
          'picture.path',
          `cannot be read (${(e as NodeJS.ErrnoException).code}); paths are relative to the file.`,
        );
      }
    }
    prepared.push({ i, input, picture });
  }

  // Pictures are stored first: a stored original that ends up unused is harmless and deduplicated later,
  // while the articles themselves go in all together or not at all.
  const withMedia: ((typeof prepared)[number] & { input: { leadMediaId: number | null } })[] = [];
  for (const p of prepared) {
    let leadMediaId: number | null = null;
    if (p.picture) {
      try {
        const { bytes, ...meta } = p.picture;
        leadMediaId = (await rt.media.addImage(bytes, meta)).id;
      } catch (e) {
        if (e instanceof DatelineError) fail(file, p.i, 'picture.path', e.message);
        throw e;
      }
    }
    withMedia.push({ ...p, input: { ...p.input, leadMediaId } });
  }
  const created = await rt.articles.inTransaction(async (unit) => {
    const out: ImportResult['created'] = [];
    for (const p of withMedia) {
      try {
        const { article, placements } = await rt.articles.create(p.input, actor, unit);
        const pl = placements[0]!;
        out.push({
          id: article.id,
          path: `/${rt.directory.byIdOrUndefined(pl.siteId)?.sectionsById.get(pl.sectionId)?.slug}/${pl.slug}`,
          site: rt.directory.byIdOrUndefined(pl.siteId)?.site.slug ?? '',
        });
      } catch (e) {
        if (e instanceof DatelineError) fail(file, p.i, String(e.where?.field ?? '(item)'), e.message);
        throw e;
      }
    }
    return out;
  });
  return { created };
}

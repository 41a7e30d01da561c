// Which stories show each picture: as their lead (articles.lead_media_id) or inside the body (an <img> whose
// address is one of ours, /media/<id>/...). Stories are the truth; media_usage is an index of them, kept in
// step without hooks into story saving: before the library reads usage it reads again every story whose
// modified_at differs from the one its rows were made from. The first look in a process compares every
// story (a join on the primary key); later looks only stories changed in the last few minutes, through the
// (modified_at, id) index, which also catches changes made by other processes.
import { Parser } from 'htmlparser2';
import type { Selectable } from 'kysely';
import type { ArticlesTable } from '../articles/tables.ts';
import type { Db } from '../db/connection.ts';
import { isPossibleMediaId } from './repository.ts';
import type { MediaUsageKind } from './tables.ts';

export interface MediaUse {
  articleId: number;
  headline: string;
  status: string;
  siteId: number;
  modifiedAt: Date;
  /** 'lead', 'body', or both when the story shows the picture twice. */
  kinds: MediaUsageKind[];
}

/** Stories read per transaction while catching up. */
const BATCH = 200;
/**
 * How far back a later look reaches. A story's modified_at is set when its save starts, on the clock of the
 * process saving it; a save that commits later than this after it started, or a clock this far behind, is
 * only seen by the next process's first look. Minutes cover both by a wide margin.
 */
const LOOK_BACK_MS = 10 * 60_000;

// Our own rendition addresses as the editor inserts them: site-relative, /media/<id>/ then the file (or the
// crop and the file). An absolute address is someone else's picture, even when its path looks like ours.
const OUR_MEDIA_PATH = /^\/media\/([1-9][0-9]{0,9})\//;

/** The ids of our pictures an article body shows, each once, in order of appearance. */
export function mediaIdsInBody(html: string): number[] {
  // Most stories show no picture in their text: those are not parsed at all.
  if (!html.includes('/media/')) return [];
  const ids = new Set<number>();
  const parser = new Parser({
    onopentag(name, attribs) {
      if (name !== 'img') return;
      const m = OUR_MEDIA_PATH.exec(attribs.src?.trim() ?? '');
      const id = m ? Number(m[1]) : 0;
      if (isPossibleMediaId(id)) ids.add(id);
    },
  });
  parser.write(html);
  parser.end();
  return [...ids];
}

type StoryRow = Pick<Selectable<ArticlesTable>, 'id' | 'lead_media_id' | 'body_html' | 'modified_at'>;

export class MediaUsageIndex {
  /** When the last look started; null until this process has compared every story once. */
  private lookedAt: number | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Brings the index in step with the stories; concurrent callers share one run. */
  catchUp(): Promise<void> {
    this.running ??= this.catchUpOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Every story using picture `mediaId`, most recently changed first. Call catchUp() first. */
  async usesOf(mediaId: number): Promise<MediaUse[]> {
    if (!isPossibleMediaId(mediaId)) return [];
    const rows = await this.db.kysely
      .selectFrom('media_usage as u')
      .innerJoin('articles as a', 'a.id', 'u.article_id')
      .select(['a.id', 'a.headline', 'a.status', 'a.site_id', 'a.modified_at', 'u.kind'])
      .where('u.media_id', '=', mediaId)
      .orderBy('a.modified_at', 'desc')
      .orderBy('a.id', 'desc')
      .orderBy('u.kind', 'desc')
      .execute();
    const byArticle = new Map<number, MediaUse>();
    for (const r of rows) {
      const known = byArticle.get(r.id);
      if (known) known.kinds.push(r.kind);
      else
        byArticle.set(r.id, {
          articleId: r.id,
          headline: r.headline,
          status: r.status,
          siteId: r.site_id,
          modifiedAt: new Date(r.modified_at),
          kinds: [r.kind],
        });
    }
    return [...byArticle.values()];
  }

  /** How many stories use each of these pictures; pictures no story uses are absent. */
  async countsOf(mediaIds: readonly number[]): Promise<Map<number, number>> {
    const ids = [...new Set(mediaIds)].filter(isPossibleMediaId);
    const counts = new Map<number, number>();
    if (ids.length === 0) return counts;
    const rows = await this.db.kysely
      .selectFrom('media_usage')
      .select((eb) => ['media_id', eb.fn.count<number>('article_id').distinct().as('stories')])
      .where('media_id', 'in', ids)
      .groupBy('media_id')
      .execute();
    for (const r of rows) counts.set(r.media_id, Number(r.stories));
    return counts;
  }

  private async catchUpOnce(): Promise<void> {
    const startedAt = this.now();
    const since = this.lookedAt === null ? null : new Date(this.lookedAt - LOOK_BACK_MS);
    // Ids only ascend, so each batch starts after the last; a story changed meanwhile is seen next time.
    let afterId = 0;
    for (;;) {
      let q = this.db.kysely
        .selectFrom('articles as a')
        .leftJoin('media_usage_scans as s', 's.article_id', 'a.id')
        .select(['a.id', 'a.lead_media_id', 'a.body_html', 'a.modified_at'])
        .where('a.id', '>', afterId)
        .where((eb) =>
          eb.or([eb('s.article_id', 'is', null), eb('s.article_modified_at', '<>', eb.ref('a.modified_at'))]),
        )
        .orderBy('a.id')
        .limit(BATCH);
      if (since)
        q = q.where('a.modified_at', '>=', this.db.dialect === 'postgres' ? since : since.toISOString());
      const stories = await q.execute();
      if (stories.length === 0) break;
      await this.write(stories);
      afterId = stories[stories.length - 1]?.id ?? afterId;
    }
    this.lookedAt = startedAt;
  }

  private async write(stories: StoryRow[]): Promise<void> {
    const ids = stories.map((s) => s.id);
    const uses = stories.flatMap((s) => {
      const rows: { media_id: number; article_id: number; kind: MediaUsageKind }[] = [];
      if (s.lead_media_id !== null) rows.push({ media_id: s.lead_media_id, article_id: s.id, kind: 'lead' });
      for (const id of mediaIdsInBody(s.body_html))
        rows.push({ media_id: id, article_id: s.id, kind: 'body' });
      return rows;
    });
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx.deleteFrom('media_usage').where('article_id', 'in', ids).execute();
      // Another process catching up on the same story at once writes the same rows: theirs are as good.
      for (let i = 0; i < uses.length; i += 300) {
        await trx
          .insertInto('media_usage')
          .values(uses.slice(i, i + 300))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      // The modified_at is copied as read, so the next comparison is exact on both drivers.
      await trx
        .insertInto('media_usage_scans')
        .values(stories.map((s) => ({ article_id: s.id, article_modified_at: s.modified_at })))
        .onConflict((oc) =>
          oc
            .column('article_id')
            .doUpdateSet((eb) => ({ article_modified_at: eb.ref('excluded.article_modified_at') })),
        )
        .execute();
    });
  }
}

// Rules for articles: create, edit with revisions, schedule, publish, take down, republish on a sister
// site. Every change is one transaction that records its domain event; the event is published after commit.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { toDbBool, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { DomainEvent } from '../events/bus.ts';
import type { Events } from '../events/log.ts';
import {
  type Article,
  type ArticleInput,
  type ArticlePatch,
  CONTENT_FIELDS,
  checkArticleFields,
  type Placement,
} from './article.ts';
import { sanitizeArticleHtml } from './body-html.ts';
import {
  findArticle,
  findArticlesWithPlacements,
  findPlacementBySlug,
  insertArticle,
  insertPlacementIfSlugFree,
  insertRevision,
  listRevisions,
  type NewPlacementRow,
  placementsOf,
  type Revision,
  toArticle,
} from './repository.ts';
import { slugify } from './slug.ts';
import type { ArticleStatus } from './tables.ts';

type Trx = Transaction<Database>;

/** A transaction shared by several changes (e.g. one import file); their events publish after it commits. */
export interface Unit {
  trx: Trx;
  pending: { event: DomainEvent; id: number }[];
}

export interface ArticleWithPlacements {
  article: Article;
  placements: Placement[];
}

export class ArticleService {
  /** Site/section pairs already checked in each open transaction (see assertSection). */
  private readonly checkedSections = new WeakMap<Trx, Set<string>>();

  constructor(
    private readonly events: Events,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db() {
    return this.events.db.kysely;
  }

  async get(id: number): Promise<ArticleWithPlacements | null> {
    const article = await findArticle(this.db, id);
    return article ? { article, placements: await placementsOf(this.db, id) } : null;
  }

  /** Several articles at once (e.g. for the search indexer): two queries whatever the number. */
  getMany(ids: readonly number[]): Promise<Map<number, ArticleWithPlacements>> {
    return findArticlesWithPlacements(this.db, ids);
  }

  async require(id: number): Promise<ArticleWithPlacements> {
    const found = await this.get(id);
    if (!found)
      throw new DatelineError('ARTICLE_NOT_FOUND', `There is no article with id ${id}.`, { article: id });
    return found;
  }

  revisions(id: number): Promise<Revision[]> {
    return listRevisions(this.db, id);
  }

  /** Creates an article; pass a unit to make it part of a larger transaction (e.g. an import file). */
  async create(input: ArticleInput, actor: string, outer?: Unit): Promise<ArticleWithPlacements> {
    checkArticleFields(input);
    const run = async (trx: Trx) => {
      await this.assertSection(trx, input.siteId, input.sectionId);
      const now = this.now();
      const { status, publishAt, publishedAt } = this.initialState(input, now);
      const row = await insertArticle(trx, {
        site_id: input.siteId,
        headline: input.headline.trim(),
        dek: (input.dek ?? '').trim(),
        byline: input.byline?.trim() || null,
        dateline: input.dateline?.trim() || null,
        body_html: sanitizeArticleHtml(input.bodyHtml),
        source_copyright: input.sourceCopyright?.trim() || null,
        lead_media_id: input.leadMediaId ?? null,
        status,
        publish_at: publishAt ? toDbTime(publishAt) : null,
        published_at: publishedAt ? toDbTime(publishedAt) : null,
        created_at: toDbTime(now),
        modified_at: toDbTime(now),
      });
      const article = toArticle(row);
      const placement = await this.insertPlacement(
        trx,
        {
          article_id: article.id,
          site_id: input.siteId,
          section_id: input.sectionId,
          canonical: 1,
          live: toDbBool(status === 'published'),
          published_at: row.published_at,
        },
        input.slug ?? slugify(input.headline),
        input.slug !== undefined,
      );
      // A new article has no revisions yet, and its one placement is the row just inserted: no reads needed.
      await this.recordRevision(trx, article, ['created'], actor, 1);
      const placements = [placement];
      const event = status === 'published' ? this.event('article.published', article.id, placements) : null;
      const eventId = event ? await this.events.record(trx, event) : null;
      return { result: { article, placements }, event, eventId };
    };
    return this.finish(outer ? await run(outer.trx) : await this.db.transaction().execute(run), outer);
  }

  async update(id: number, patch: ArticlePatch, actor: string, outer?: Unit): Promise<ArticleWithPlacements> {
    checkArticleFields(patch);
    const run = async (trx: Trx) => {
      const before = await findArticle(trx, id);
      if (!before)
        throw new DatelineError('ARTICLE_NOT_FOUND', `There is no article with id ${id}.`, { article: id });
      if (before.status === 'taken_down') {
        throw new DatelineError(
          'ARTICLE_GONE',
          `Article ${id} was taken down (${before.takedownReason ?? 'no reason given'}) and can no longer be edited.`,
          { article: id },
        );
      }
      const now = this.now();
      const placementsBefore = await placementsOf(trx, id);
      const canonical = placementsBefore.find((p) => p.canonical)!;
      const values: Record<string, unknown> = {};
      const changed: string[] = [];
      const set = (field: string, column: string, value: unknown, current: unknown) => {
        if (value !== undefined && value !== current) {
          values[column] = value;
          changed.push(field);
        }
      };
      set('headline', 'headline', patch.headline?.trim(), before.headline);
      set('dek', 'dek', patch.dek?.trim(), before.dek);
      set(
        'byline',
        'byline',
        patch.byline === undefined ? undefined : patch.byline?.trim() || null,
        before.byline,
      );
      set(
        'dateline',
        'dateline',
        patch.dateline === undefined ? undefined : patch.dateline?.trim() || null,
        before.dateline,
      );
      set(
        'bodyHtml',
        'body_html',
        patch.bodyHtml === undefined ? undefined : sanitizeArticleHtml(patch.bodyHtml),
        before.bodyHtml,
      );
      set(
        'sourceCopyright',
        'source_copyright',
        patch.sourceCopyright === undefined ? undefined : patch.sourceCopyright?.trim() || null,
        before.sourceCopyright,
      );
      set('leadMediaId', 'lead_media_id', patch.leadMediaId, before.leadMediaId);

      // Status and schedule.
      let status: ArticleStatus = before.status;
      if (patch.status === 'draft' && before.status !== 'draft') status = 'draft';
      if (patch.publishAt !== undefined) {
        const at = patch.publishAt;
        values.publish_at = at ? toDbTime(at) : null;
        if (at && at > now && status !== 'published') status = 'scheduled';
        changed.push('publishAt');
      }
      if (patch.status === 'published' && before.status !== 'published') {
        const at = patch.publishAt ?? before.publishAt;
        status = at && at > now ? 'scheduled' : 'published';
      }
      if (status !== before.status) {
        values.status = status;
        changed.push('status');
        if (status === 'published' && !before.publishedAt) values.published_at = toDbTime(now);
      }
      const isLive = status === 'published';
      if (
        before.status === 'published' &&
        isLive &&
        changed.some((f) => (CONTENT_FIELDS as readonly string[]).includes(f))
      ) {
        values.content_updated_at = toDbTime(now);
      }

      // Where it lives: slug and section of the canonical placement; old paths keep answering with a 301.
      if (patch.sectionId !== undefined && patch.sectionId !== canonical.sectionId) {
        await this.assertSection(trx, before.siteId, patch.sectionId);
        await trx
          .updateTable('placements')
          .set({ section_id: patch.sectionId })
          .where('id', '=', canonical.id)
          .execute();
        changed.push('section');
        await this.rememberPath(trx, canonical);
      }
      if (patch.slug !== undefined && patch.slug !== canonical.slug) {
        const taken = await findPlacementBySlug(trx, before.siteId, patch.slug);
        if (taken) {
          throw new DatelineError(
            'SLUG_TAKEN',
            `The slug "${patch.slug}" is already used on this site. Choose another.`,
            {
              field: 'slug',
            },
          );
        }
        await this.rememberPath(trx, canonical);
        await trx
          .updateTable('placements')
          .set({ slug: patch.slug })
          .where('id', '=', canonical.id)
          .execute();
        // A story moved back to an old slug must not redirect to itself.
        await trx
          .deleteFrom('path_redirects')
          .where('placement_id', '=', canonical.id)
          .where('path', 'like', `%/${patch.slug}`)
          .execute();
        changed.push('slug');
      }

      if (changed.length === 0)
        return { result: { article: before, placements: placementsBefore }, event: null, eventId: null };
      values.modified_at = toDbTime(now);
      const row = await trx
        .updateTable('articles')
        .set(values)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const article = toArticle(row);
      await trx
        .updateTable('placements')
        .set({ live: toDbBool(isLive), published_at: row.published_at })
        .where('article_id', '=', id)
        .execute();
      await this.recordRevision(trx, article, changed, actor);
      const placements = await placementsOf(trx, id);
      const type =
        isLive && before.status !== 'published'
          ? 'article.published'
          : !isLive && before.status === 'published'
            ? 'article.taken_down'
            : 'article.updated';
      const event = this.event(type, id, [...placementsBefore, ...placements]);
      return { result: { article, placements }, event, eventId: await this.events.record(trx, event) };
    };
    return this.finish(outer ? await run(outer.trx) : await this.db.transaction().execute(run), outer);
  }

  /** Takes a story down everywhere it appears; its pages answer 410 Gone from the next request on. */
  async takeDown(id: number, reason: string, actor: string, outer?: Unit): Promise<ArticleWithPlacements> {
    const run = async (trx: Trx) => {
      const before = await findArticle(trx, id);
      if (!before)
        throw new DatelineError('ARTICLE_NOT_FOUND', `There is no article with id ${id}.`, { article: id });
      const placements = await placementsOf(trx, id);
      if (before.status === 'taken_down')
        return { result: { article: before, placements }, event: null, eventId: null };
      const now = toDbTime(this.now());
      const row = await trx
        .updateTable('articles')
        .set({ status: 'taken_down', taken_down_at: now, takedown_reason: reason, modified_at: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.updateTable('placements').set({ live: 0 }).where('article_id', '=', id).execute();
      const article = toArticle(row);
      await this.recordRevision(trx, article, ['status'], actor);
      await trx
        .insertInto('audit_log')
        .values({
          actor,
          action: 'article.taken_down',
          subject_type: 'article',
          subject_id: String(id),
          detail: JSON.stringify({ reason, sites: placements.map((p) => p.siteId) }),
        })
        .execute();
      const event = this.event('article.taken_down', id, placements);
      return {
        result: { article, placements: await placementsOf(trx, id) },
        event,
        eventId: await this.events.record(trx, event),
      };
    };
    return this.finish(outer ? await run(outer.trx) : await this.db.transaction().execute(run), outer);
  }

  /**
   * Shows an article on a sister site too; that page links to the original as canonical. Pass a unit to
   * make it part of a larger transaction (the admin's circulate, with its audit entry).
   */
  async republish(
    id: number,
    siteId: number,
    sectionId: number,
    actor: string,
    slug?: string,
    outer?: Unit,
  ): Promise<ArticleWithPlacements> {
    const run = async (trx: Trx) => {
      const article = await findArticle(trx, id);
      if (!article)
        throw new DatelineError('ARTICLE_NOT_FOUND', `There is no article with id ${id}.`, { article: id });
      await this.assertSection(trx, siteId, sectionId);
      const existing = (await placementsOf(trx, id)).find((p) => p.siteId === siteId);
      if (existing) {
        throw new DatelineError(
          'SLUG_TAKEN',
          `Article ${id} already appears on that site, at /${existing.slug}.`,
          {
            field: 'site',
          },
        );
      }
      const live = article.status === 'published';
      await this.insertPlacement(
        trx,
        {
          article_id: id,
          site_id: siteId,
          section_id: sectionId,
          canonical: 0,
          live: toDbBool(live),
          published_at: article.publishedAt ? toDbTime(article.publishedAt) : null,
        },
        slug ?? slugify(article.headline),
        slug !== undefined,
      );
      await this.recordRevision(trx, article, [`republished:${siteId}`], actor);
      const placements = await placementsOf(trx, id);
      const event = live ? this.event('article.published', id, placements) : null;
      return {
        result: { article, placements },
        event,
        eventId: event ? await this.events.record(trx, event) : null,
      };
    };
    return this.finish(outer ? await run(outer.trx) : await this.db.transaction().execute(run), outer);
  }

  /** Publishes every scheduled article whose time has come. Safe to run from several nodes at once. */
  async publishDue(): Promise<number[]> {
    const now = this.now();
    const due = await this.db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('publish_at', '<=', toDbTime(now))
      .orderBy('publish_at')
      .limit(500)
      .execute();
    const published: number[] = [];
    for (const { id } of due) {
      const done = await this.db.transaction().execute(async (trx) => {
        // The conditional update is the claim: a second node running the same pass updates nothing.
        const row = await trx
          .updateTable('articles')
          .set((eb) => ({
            status: 'published',
            published_at: eb.fn.coalesce('published_at', 'publish_at'),
            modified_at: toDbTime(now),
          }))
          .where('id', '=', id)
          .where('status', '=', 'scheduled')
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await trx
          .updateTable('placements')
          .set({ live: 1, published_at: row.published_at })
          .where('article_id', '=', id)
          .execute();
        const article = toArticle(row);
        await this.recordRevision(trx, article, ['status'], 'scheduler');
        const event = this.event('article.published', id, await placementsOf(trx, id));
        return { result: id, event, eventId: await this.events.record(trx, event) };
      });
      if (done) published.push(this.finish(done));
    }
    return published;
  }

  private finish<T>(done: { result: T; event: DomainEvent | null; eventId: number | null }, outer?: Unit): T {
    if (done.event && done.eventId !== null) {
      if (outer) outer.pending.push({ event: done.event, id: done.eventId });
      else this.events.published(done.event, done.eventId);
    }
    return done.result;
  }

  /** Runs `work` as one transaction; the events of what it changed publish only after it commits. */
  async inTransaction<T>(work: (unit: Unit) => Promise<T>): Promise<T> {
    const pending: Unit['pending'] = [];
    const result = await this.db.transaction().execute((trx) => work({ trx, pending }));
    for (const d of pending) this.events.published(d.event, d.id);
    return result;
  }

  private initialState(input: ArticleInput, now: Date) {
    if (input.status === 'draft')
      return { status: 'draft' as const, publishAt: input.publishAt ?? null, publishedAt: null };
    if (input.publishAt && input.publishAt > now) {
      return { status: 'scheduled' as const, publishAt: input.publishAt, publishedAt: null };
    }
    const publishedAt = input.publishedAt ?? input.publishAt ?? now;
    return { status: 'published' as const, publishAt: input.publishAt ?? null, publishedAt };
  }

  private event(
    type: 'article.published' | 'article.updated' | 'article.taken_down',
    articleId: number,
    ps: Placement[],
  ) {
    return {
      type,
      articleId,
      siteIds: [...new Set(ps.map((p) => p.siteId))],
      sectionIds: [...new Set(ps.map((p) => p.sectionId))],
    } satisfies DomainEvent;
  }

  private async assertSection(trx: Trx, siteId: number, sectionId: number) {
    // A section never moves to another site, so one check per transaction is enough: a wire batch creating
    // hundreds of stories in the same section asks once.
    const key = `${siteId}:${sectionId}`;
    const checked = this.checkedSections.get(trx);
    if (checked?.has(key)) return;
    const s = await trx
      .selectFrom('sections')
      .select('site_id')
      .where('id', '=', sectionId)
      .executeTakeFirst();
    if (!s || s.site_id !== siteId) {
      throw new DatelineError(
        'SECTION_NOT_FOUND',
        `Section ${sectionId} does not exist on site ${siteId}. Pick one of its sections.`,
        {
          field: 'section',
        },
      );
    }
    if (checked) checked.add(key);
    else this.checkedSections.set(trx, new Set([key]));
  }

  /**
   * Inserts a placement at the first free slug: `wanted`, else `wanted-2`, `wanted-3`… (an explicit slug that
   * is taken is refused). The insert itself is the check — a taken slug inserts nothing — so the usual case
   * costs one statement, and two writers racing for a slug on PostgreSQL cannot both get it.
   */
  private async insertPlacement(
    trx: Trx,
    values: Omit<NewPlacementRow, 'slug'>,
    wanted: string,
    explicit: boolean,
  ): Promise<Placement> {
    // An explicit slug passed the field check; a generated one is cut short enough for its -2, -3 suffix.
    const base = explicit ? wanted : slugify(wanted, 90);
    for (let n = 1; ; n++) {
      const placement = await insertPlacementIfSlugFree(trx, {
        ...values,
        slug: n === 1 ? base : `${base}-${n}`,
      });
      if (placement) return placement;
      if (explicit) {
        throw new DatelineError(
          'SLUG_TAKEN',
          `The slug "${base}" is already used on this site. Choose another.`,
          {
            field: 'slug',
          },
        );
      }
    }
  }

  private async rememberPath(trx: Trx, placement: Placement) {
    const section = await trx
      .selectFrom('sections')
      .select('slug')
      .where('id', '=', placement.sectionId)
      .executeTakeFirstOrThrow();
    const path = `/${section.slug}/${placement.slug}`;
    await trx
      .deleteFrom('path_redirects')
      .where('site_id', '=', placement.siteId)
      .where('path', '=', path)
      .execute();
    await trx
      .insertInto('path_redirects')
      .values({ site_id: placement.siteId, path, placement_id: placement.id })
      .execute();
  }

  /** Records who changed what; `revision` is passed when it is known (a new article's first is 1). */
  private async recordRevision(
    trx: Trx,
    article: Article,
    changed: string[],
    actor: string,
    revision?: number,
  ) {
    let n = revision;
    if (n === undefined) {
      const last = await trx
        .selectFrom('article_revisions')
        .select((eb) => eb.fn.max('revision').as('n'))
        .where('article_id', '=', article.id)
        .executeTakeFirst();
      n = Number(last?.n ?? 0) + 1;
    }
    await insertRevision(trx, {
      article_id: article.id,
      revision: n,
      actor,
      changed_fields: JSON.stringify(changed),
      snapshot: JSON.stringify(article),
      created_at: toDbTime(this.now()),
    });
  }
}

// The review queue: incoming stories that no rule published at once (a review rule, no matching rule, an
// unreadable embargo, an update to a story an editor had changed). Listed newest first; an editor publishes
// one to a licensed site and section, edits it first, or discards it. usageterms and ednote are shown here,
// to editors, and nowhere public.
import { type ArticlePatch, checkArticleFields } from '../articles/article.ts';
import type { ArticleService } from '../articles/service.ts';
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { SectionService } from '../sections/service.ts';
import type { SiteService } from '../sites/service.ts';
import type { WireIngester } from './ingester.ts';
import type { QueueEdits, QueueEntry, Story } from './model.ts';
import {
  decideEntry,
  findAgency,
  findEntry,
  findStory,
  linkArticle,
  listQueue,
  saveEdits,
  setFollowUpdates,
  storyArticles,
} from './repository.ts';

export interface QueueView {
  id: number;
  state: QueueEntry['state'];
  reason: string;
  receivedAt: string;
  updatedAt: string;
  agency: { slug: string; name: string };
  suggestion: { site: string; section: string | null } | null;
  edits: QueueEdits | null;
  story: {
    id: number;
    uri: string;
    version: string | null;
    state: Story['state'];
    headline: string;
    dek: string | null;
    byline: string | null;
    dateline: string | null;
    bodyHtml: string;
    copyright: string | null;
    /** For editors only: the agency's terms and note. Never printed to readers. */
    usageTerms: string | null;
    edNote: string | null;
    embargoUntil: string | null;
    corrected: boolean;
    subjects: string[];
    slugline: string | null;
    urgency: number | null;
    publishedOn: string[];
  };
}

export interface PublishOptions {
  site?: string;
  section?: string;
  edits?: QueueEdits;
  /** Overrides the embargo: publish at this time (future) or now (past). */
  publishAt?: Date | null;
}

const EDIT_FIELDS = ['headline', 'dek', 'byline', 'dateline', 'bodyHtml'] as const;

/** Checks an editor's changes: only known fields, as text, within the article limits. */
export function checkEdits(raw: unknown): QueueEdits {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DatelineError(
      'BAD_REQUEST',
      'Edits must be an object with any of: headline, dek, byline, dateline, bodyHtml.',
      {
        field: 'edits',
      },
    );
  }
  const edits: QueueEdits = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(EDIT_FIELDS as readonly string[]).includes(k)) {
      throw new DatelineError(
        'BAD_REQUEST',
        `"${k}" cannot be edited here; the fields are ${EDIT_FIELDS.join(', ')}.`,
        { field: k },
      );
    }
    if (v !== null && typeof v !== 'string') {
      throw new DatelineError('BAD_REQUEST', `The edit to ${k} must be text.`, { field: k });
    }
    (edits as Record<string, unknown>)[k] = v;
  }
  checkArticleFields(edits as Parameters<typeof checkArticleFields>[0]);
  return edits;
}

export class ReviewQueue {
  constructor(
    private readonly db: Db,
    private readonly articles: ArticleService,
    private readonly ingester: WireIngester,
    private readonly sites: SiteService,
    private readonly sections: SectionService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q() {
    return this.db.kysely;
  }

  async list(
    opts: { limit?: number; offset?: number; state?: QueueEntry['state']; agencyId?: number } = {},
  ): Promise<QueueView[]> {
    const entries = await listQueue(this.q, {
      state: opts.state ?? 'pending',
      limit: opts.limit ?? 50,
      offset: opts.offset ?? 0,
      ...(opts.agencyId !== undefined && { agencyId: opts.agencyId }),
    });
    const views: QueueView[] = [];
    for (const e of entries) views.push(await this.view(e));
    return views;
  }

  async get(id: number): Promise<QueueView> {
    return this.view(await this.require(id));
  }

  private async require(id: number): Promise<QueueEntry> {
    const entry = await findEntry(this.q, id);
    if (!entry) {
      throw new DatelineError(
        'WIRE_QUEUE_NOT_FOUND',
        `There is no queue entry ${id}. List the queue with \`dateline wire queue list\`.`,
        {
          entry: id,
        },
      );
    }
    return entry;
  }

  private async requirePending(id: number): Promise<{ entry: QueueEntry; story: Story }> {
    const entry = await this.require(id);
    if (entry.state !== 'pending') {
      throw new DatelineError(
        'WIRE_QUEUE_DECIDED',
        `Queue entry ${id} was already ${entry.state}${entry.decidedBy ? ` by ${entry.decidedBy}` : ''}; there is nothing left to decide.`,
        { entry: id },
      );
    }
    const story = (await findStory(this.q, { id: entry.storyId }))!;
    if (story.state !== 'active') {
      throw new DatelineError(
        'WIRE_STORY_KILLED',
        `The agency ${story.state === 'killed' ? 'killed' : 'expired'} this story; it can no longer be published.`,
        {
          entry: id,
        },
      );
    }
    return { entry, story };
  }

  private async view(e: QueueEntry): Promise<QueueView> {
    const story = (await findStory(this.q, { id: e.storyId }))!;
    const agency = await findAgency(this.q, { id: story.agencyId });
    const sites = new Map((await this.sites.list()).map((s) => [s.id, s.slug]));
    const section = e.sectionId ? await this.sections.byId(e.sectionId) : null;
    const links = await storyArticles(this.q, story.id);
    const { item } = story;
    return {
      id: e.id,
      state: e.state,
      reason: e.reason,
      receivedAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
      agency: { slug: agency?.slug ?? '', name: agency?.name ?? '' },
      suggestion: e.siteId
        ? { site: sites.get(e.siteId) ?? String(e.siteId), section: section?.slug ?? null }
        : null,
      edits: e.edits,
      story: {
        id: story.id,
        uri: story.uri,
        version: story.version,
        state: story.state,
        headline: item.headline,
        dek: item.dek,
        byline: item.byline,
        dateline: item.located,
        bodyHtml: item.bodyHtml,
        copyright: item.copyrightnotice,
        usageTerms: story.usageTerms,
        edNote: story.edNote,
        embargoUntil: story.embargoUntil?.toISOString() ?? null,
        corrected: story.corrected,
        subjects: item.subjects.map((s) => s.code),
        slugline: item.slugline,
        urgency: item.urgency,
        publishedOn: links.map((l) => sites.get(l.siteId) ?? String(l.siteId)),
      },
    };
  }

  /** Saves an editor's changes without publishing; they are applied when the entry is published. */
  async edit(id: number, raw: unknown): Promise<QueueView> {
    const edits = checkEdits(raw);
    const { entry } = await this.requirePending(id);
    await saveEdits(this.q, id, { ...(entry.edits ?? {}), ...edits }, this.now());
    return this.get(id);
  }

  async discard(id: number, actor: string): Promise<QueueView> {
    const { entry } = await this.requirePending(id);
    await this.articles.inTransaction(async (unit) => {
      if (!(await decideEntry(unit.trx, id, 'discarded', actor, this.now()))) throw this.raced(id);
      await unit.trx
        .insertInto('audit_log')
        .values({
          actor,
          action: 'wire.queue_discarded',
          subject_type: 'wire_story',
          subject_id: String(entry.storyId),
          detail: JSON.stringify({ entry: id }),
        })
        .execute();
    });
    return this.get(id);
  }

  private raced(id: number) {
    return new DatelineError(
      'WIRE_QUEUE_DECIDED',
      `Queue entry ${id} was decided by someone else a moment ago. Reload the queue.`,
      {
        entry: id,
      },
    );
  }

  /**
   * Publishes the entry's story on a licensed site and section (the suggested ones by default), with the
   * editor's changes. If the story is already on that site, the article there is updated instead.
   */
  async publish(
    id: number,
    o: PublishOptions,
    actor: string,
  ): Promise<{ view: QueueView; articleId: number; site: string; path: string }> {
    const { entry, story } = await this.requirePending(id);
    const agency = (await findAgency(this.q, { id: story.agencyId }))!;
    const siteSlug =
      o.site ??
      (entry.siteId ? (await this.sites.list()).find((s) => s.id === entry.siteId)?.slug : undefined);
    if (!siteSlug) {
      throw new DatelineError(
        'BAD_REQUEST',
        'Say which site to publish on (site), and which section (section).',
        { field: 'site' },
      );
    }
    const site = await this.sites.require(siteSlug);
    if (!agency.siteIds.includes(site.id)) {
      throw new DatelineError(
        'WIRE_NOT_LICENSED',
        `${agency.name} is not licensed for ${site.name}, so its stories cannot appear there. Pick a licensed site, or add the licence with \`dateline wire agency edit ${agency.slug} --site …\`.`,
        { field: 'site' },
      );
    }
    const existing = (await storyArticles(this.q, story.id)).find((l) => l.siteId === site.id);
    const current = existing ? await this.articles.get(existing.articleId) : null;
    // The section asked for, else the suggested one, else where the story already is on that site.
    const sectionId =
      (entry.siteId === site.id ? entry.sectionId : null) ??
      current?.placements.find((p) => p.siteId === site.id)?.sectionId ??
      null;
    const sectionSlug = o.section ?? (sectionId ? (await this.sections.byId(sectionId))?.slug : undefined);
    if (!sectionSlug) {
      throw new DatelineError('BAD_REQUEST', `Say which section of ${site.slug} to publish in (section).`, {
        field: 'section',
      });
    }
    const section = await this.sections.require(site.id, sectionSlug);
    const edits = { ...(entry.edits ?? {}), ...checkEdits(o.edits) };
    const now = this.now();
    const publishAt =
      o.publishAt !== undefined
        ? o.publishAt
        : story.embargoUntil && story.embargoUntil > now
          ? story.embargoUntil
          : null;
    const mediaId = await this.leadMedia(story);
    const fields = {
      ...this.ingester.articleFields({ agency }, story.item, {
        lead: mediaId ? { pictureId: 0, mediaId } : null,
        corrected: story.corrected,
      }),
      ...edits,
    };
    const edited = Object.keys(edits).length > 0;
    const result = await this.articles.inTransaction(async (unit) => {
      if (!(await decideEntry(unit.trx, id, 'published', actor, now))) throw this.raced(id);
      let articleId: number;
      let path: string;
      if (existing && current && current.article.status !== 'taken_down') {
        const patch: ArticlePatch = { ...fields, sectionId: section.id };
        if (publishAt) patch.publishAt = publishAt;
        const { placements } = await this.articles.update(existing.articleId, patch, actor, unit);
        await setFollowUpdates(unit.trx, story.id, site.id, !edited);
        articleId = existing.articleId;
        path = `/${section.slug}/${placements.find((p) => p.siteId === site.id)?.slug ?? ''}`;
      } else {
        if (existing) {
          throw new DatelineError(
            'ARTICLE_GONE',
            `This story was taken down on ${site.name}; it cannot be published there again.`,
            {
              field: 'site',
            },
          );
        }
        const { article, placements } = await this.articles.create(
          { ...fields, siteId: site.id, sectionId: section.id, publishAt },
          actor,
          unit,
        );
        await linkArticle(unit.trx, {
          storyId: story.id,
          siteId: site.id,
          articleId: article.id,
          followUpdates: !edited,
        });
        articleId = article.id;
        path = `/${section.slug}/${placements[0]!.slug}`;
      }
      await unit.trx
        .insertInto('audit_log')
        .values({
          actor,
          action: 'wire.queue_published',
          subject_type: 'wire_story',
          subject_id: String(story.id),
          detail: JSON.stringify({
            entry: id,
            site: site.slug,
            section: section.slug,
            article: articleId,
            edited: Object.keys(edits),
          }),
        })
        .execute();
      return { articleId, path };
    });
    return { view: await this.get(id), articleId: result.articleId, site: site.slug, path: result.path };
  }

  private async leadMedia(story: Story): Promise<number | null> {
    if (story.leadPictureId === null) return null;
    const r = await this.q
      .selectFrom('wire_pictures')
      .select(['media_id', 'state'])
      .where('id', '=', story.leadPictureId)
      .executeTakeFirst();
    return r && r.state === 'stored' ? r.media_id : null;
  }
}

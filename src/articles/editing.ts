// Writing stories in the newsroom admin: new drafts, saves that never overwrite someone else's work,
// autosaves that keep unsaved work without touching the live story, and restoring an old revision.
//
// A save names the revision it was based on. If anyone saved the story's fields since (another editor, the
// same editor in another tab, a restore), the save is refused with EDIT_CONFLICT naming the newest revision,
// who made it and when, and the refused fields are kept as the editor's autosave: nothing is overwritten and
// nothing is lost. Revisions that only changed the status or schedule (the scheduler publishing it) or
// placed it on a sister site do not count, since the editor's fields overwrite none of that.
// Every body goes through the one sanitiser (body-html.ts) and the save reports what it removed.
import type { Db } from '../db/connection.ts';
import { fromDbTime, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { ArticlePatch } from './article.ts';
import { cleanArticleHtml } from './body-html.ts';
import { findPlacementBySlug, type Q } from './repository.ts';
import type { ArticleService, Unit } from './service.ts';
import { slugify } from './slug.ts';
import {
  actorNames,
  actorOf,
  completeRevision,
  conflictingRevision,
  editConflict,
  lockStoryRow,
  requireStory,
  revisionsAfter,
  type Story,
  type StorySnapshot,
  snapshotOf,
  storyNotFound,
} from './story.ts';
import { auditStory, changedHalves } from './story-audit.ts';
import { type EditorFields, readTags, type StoryPatch, storyPatchOf } from './story-fields.ts';

/** The staff member doing something: the audit log and revisions name them `user:<id>`. */
export interface StaffActor {
  userId: number;
}

export interface SaveOutcome {
  story: Story;
  /** The story's revision after the save: what the next save names. Unchanged when nothing changed. */
  revision: number;
  /** The fields that changed, as revisions name them. */
  changed: string[];
  /** What the sanitiser removed from the body, in words an editor reads ("a ‹script› element"). */
  removed: string[];
}

export interface Autosave {
  fields: EditorFields;
  baseRevision: number;
  savedAt: Date;
}

export interface RevisionEntry {
  revision: number;
  actor: string;
  /** The actor's display name (staff) or the actor itself (wire, scheduler, import). */
  by: string;
  changedFields: string[];
  createdAt: Date;
}

/** A body for a brand-new draft: one empty paragraph, which the article rules accept and readers never see. */
const EMPTY_BODY = '<p></p>';

export class StoryEditing {
  constructor(
    private readonly db: Db,
    private readonly articles: ArticleService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q() {
    return this.db.kysely;
  }

  get(id: number): Promise<Story> {
    return requireStory(this.q, id);
  }

  /** A new draft on a site, written by `actor`: from a headline at least, with any other editor fields. */
  async createDraft(
    input: { siteId: number; sectionId: number; fields: EditorFields },
    actor: StaffActor,
  ): Promise<SaveOutcome> {
    const patch = storyPatchOf(input.fields);
    const cleaned = patch.bodyHtml !== undefined ? cleanArticleHtml(patch.bodyHtml, 'site') : null;
    const name = actorOf(actor.userId);
    return this.articles.inTransaction(async (unit) => {
      if (patch.leadMediaId != null) await assertPicture(unit.trx, patch.leadMediaId);
      const { article } = await this.articles.create(
        {
          siteId: input.siteId,
          sectionId: patch.sectionId ?? input.sectionId,
          headline: patch.headline ?? '',
          dek: patch.dek,
          byline: patch.byline,
          dateline: patch.dateline,
          bodyHtml: cleaned && cleaned.html.trim() !== '' ? cleaned.html : EMPTY_BODY,
          sourceCopyright: patch.sourceCopyright,
          leadMediaId: patch.leadMediaId,
          slug: patch.slug,
          status: 'draft',
        },
        name,
        unit,
      );
      await unit.trx
        .updateTable('articles')
        .set({
          created_by: actor.userId,
          tags: JSON.stringify(patch.tags ?? []),
          urgent: patch.urgent ? 1 : 0,
        })
        .where('id', '=', article.id)
        .execute();
      const story = await requireStory(unit.trx, article.id);
      await completeRevision(unit.trx, story, 0, [], name, this.now());
      await auditStory(unit.trx, {
        actor: name,
        action: 'story.created',
        storyId: story.article.id,
        after: { ...snapshotOf(story), bodyHtml: `${story.article.bodyHtml.length} characters` },
        detail: { site: story.article.siteId },
      });
      return {
        story,
        revision: story.revision,
        changed: ['created'],
        removed: cleaned?.findings.removed ?? [],
      };
    });
  }

  /**
   * Saves the editor's fields as a new revision, if the story's fields are still as of `expectedRevision`;
   * otherwise keeps them as the actor's autosave and throws EDIT_CONFLICT (see the module comment).
   */
  async save(
    id: number,
    fields: EditorFields,
    opts: { expectedRevision: number; actor: StaffActor },
  ): Promise<SaveOutcome> {
    const patch = storyPatchOf(fields);
    try {
      return await this.apply(id, patch, opts, { action: 'story.saved' });
    } catch (err) {
      if (err instanceof DatelineError && err.code === 'DATELINE_ERR_EDIT_CONFLICT') {
        await this.keepAutosave(id, opts.actor.userId, fields, opts.expectedRevision);
      }
      throw err;
    }
  }

  /**
   * Brings back an old revision's text and fields as a new revision (with the same conflict check as a
   * save). The story's address stays as it is: links to it are already out, and the old slug still
   * redirects. Fields a revision did not record (older revisions lack section, tags and urgent) are kept.
   */
  async restore(
    id: number,
    revision: number,
    opts: { expectedRevision: number; actor: StaffActor },
  ): Promise<SaveOutcome> {
    const snap = await this.snapshot(id, revision);
    const patch: StoryPatch = {
      headline: snap.headline,
      dek: snap.dek,
      byline: snap.byline,
      dateline: snap.dateline,
      bodyHtml: snap.bodyHtml,
      sourceCopyright: snap.sourceCopyright,
      leadMediaId: snap.leadMediaId === null ? null : await this.existingMedia(snap.leadMediaId),
      ...(snap.sectionId !== undefined && { sectionId: snap.sectionId }),
      ...(snap.tags !== undefined && { tags: readTags(snap.tags) }),
      ...(snap.urgent !== undefined && { urgent: snap.urgent }),
    };
    return this.apply(id, patch, opts, {
      action: 'story.restored',
      marker: `restored:${revision}`,
      detail: { restoredRevision: revision },
    });
  }

  /**
   * Keeps the editor's unsaved fields for this story and account: one upsert, never a change to the story
   * or a revision. Answers the story's revision; when someone saved the story's fields after
   * `baseRevision`, the fields are still kept and EDIT_CONFLICT is thrown so the editor is told at once.
   */
  async autosave(
    id: number,
    userId: number,
    fields: EditorFields,
    baseRevision: number,
  ): Promise<{ savedAt: Date; revision: number }> {
    const state = await this.q
      .selectFrom('articles as a')
      .select((eb) => [
        'a.status',
        eb
          .selectFrom('article_revisions as r')
          .select((e) => e.fn.max('r.revision').as('n'))
          .whereRef('r.article_id', '=', 'a.id')
          .as('revision'),
      ])
      .where('a.id', '=', id)
      .executeTakeFirst();
    if (!state) throw storyNotFound(id);
    if (state.status === 'taken_down') throw gone(id);
    const revision = Number(state.revision ?? 0);
    const savedAt = await this.keepAutosave(id, userId, fields, baseRevision);
    if (baseRevision > revision) throw noSuchRevision(id, baseRevision, revision);
    if (revision > baseRevision) {
      const theirs = conflictingRevision(await revisionsAfter(this.q, id, baseRevision));
      if (theirs) throw await editConflict(this.q, id, theirs, revision);
    }
    return { savedAt, revision };
  }

  /** The actor's kept unsaved work on the story, if any. */
  async autosaveOf(id: number, userId: number): Promise<Autosave | null> {
    const row = await this.q
      .selectFrom('story_autosaves')
      .select(['fields', 'base_revision', 'saved_at'])
      .where('article_id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      fields: JSON.parse(row.fields) as EditorFields,
      baseRevision: row.base_revision,
      savedAt: fromDbTime(row.saved_at),
    };
  }

  /** Drops the actor's unsaved work (they chose the saved version instead). */
  async discardAutosave(id: number, userId: number): Promise<void> {
    await this.q
      .deleteFrom('story_autosaves')
      .where('article_id', '=', id)
      .where('user_id', '=', userId)
      .execute();
  }

  /** The story's revisions, newest first, with who made each. */
  async revisions(id: number): Promise<RevisionEntry[]> {
    const rows = await this.q
      .selectFrom('article_revisions')
      .select(['revision', 'actor', 'changed_fields', 'created_at'])
      .where('article_id', '=', id)
      .orderBy('revision', 'desc')
      .execute();
    const names = await actorNames(this.q, [...new Set(rows.map((r) => r.actor))]);
    return rows.map((r) => ({
      revision: r.revision,
      actor: r.actor,
      by: names.get(r.actor) ?? r.actor,
      changedFields: JSON.parse(r.changed_fields) as string[],
      createdAt: fromDbTime(r.created_at),
    }));
  }

  /** One revision's snapshot; throws NOT_FOUND when the story has no such revision. */
  async snapshot(id: number, revision: number): Promise<StorySnapshot> {
    const row = await this.q
      .selectFrom('article_revisions')
      .select('snapshot')
      .where('article_id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst();
    if (!row) {
      throw new DatelineError('NOT_FOUND', `Story ${id} has no revision ${revision}.`, {
        article: id,
        revision,
      });
    }
    return JSON.parse(row.snapshot) as StorySnapshot;
  }

  // ---- internals ---------------------------------------------------------------------------------------

  private async apply(
    id: number,
    patch: StoryPatch,
    opts: { expectedRevision: number; actor: StaffActor },
    how: { action: string; marker?: string; detail?: Record<string, unknown> },
  ): Promise<SaveOutcome> {
    const name = actorOf(opts.actor.userId);
    let removed: string[] = [];
    const articlePatch: ArticlePatch = pickArticleFields(patch);
    if (patch.bodyHtml !== undefined) {
      const cleaned = cleanArticleHtml(patch.bodyHtml, 'site');
      articlePatch.bodyHtml = cleaned.html;
      removed = cleaned.findings.removed;
    }
    return this.articles.inTransaction(async (unit) => {
      const trx = unit.trx;
      await lockStoryRow(trx, this.db.dialect, id);
      const before = await requireStory(trx, id);
      if (before.article.status === 'taken_down') throw gone(id);
      await this.assertCurrent(trx, before, opts.expectedRevision);
      if (articlePatch.leadMediaId != null) await assertPicture(trx, articlePatch.leadMediaId);
      await this.followHeadline(trx, before, articlePatch);
      await this.articles.update(id, articlePatch, name, unit);
      const extras = await this.applyExtras(unit, before, patch);
      const after = await requireStory(trx, id);
      // A restore is named in its revision, but a restore that changed nothing makes no revision.
      const changedAny = after.revision > before.revision || extras.length > 0;
      const named = changedAny && how.marker ? [...extras, how.marker] : extras;
      const revision = await completeRevision(trx, after, before.revision, named, name, this.now());
      const changed = revision > before.revision ? await this.changedIn(trx, id, revision) : [];
      if (revision > before.revision) {
        const halves = changedHalves(
          snapshotOf(before) as unknown as Record<string, unknown>,
          snapshotOf(after) as unknown as Record<string, unknown>,
        );
        await auditStory(trx, {
          actor: name,
          action: how.action,
          storyId: id,
          ...halves,
          detail: { revision, ...(how.detail ?? {}), ...(removed.length > 0 && { removed }) },
        });
      }
      // The save supersedes what the actor had kept unsaved.
      await trx
        .deleteFrom('story_autosaves')
        .where('article_id', '=', id)
        .where('user_id', '=', opts.actor.userId)
        .execute();
      return { story: { ...after, revision }, revision, changed, removed };
    });
  }

  private async assertCurrent(trx: Q, story: Story, expected: number): Promise<void> {
    if (expected === story.revision) return;
    if (expected > story.revision) throw noSuchRevision(story.article.id, expected, story.revision);
    const theirs = conflictingRevision(await revisionsAfter(trx, story.article.id, expected));
    if (theirs) throw await editConflict(trx, story.article.id, theirs, story.revision);
  }

  /**
   * A draft that was never published keeps its address in step with its headline, as long as the slug is
   * still the one made from the old headline and the editor did not choose one: "Untitled" becomes the
   * real headline's slug. Once published, a story's address only changes when an editor changes it.
   */
  private async followHeadline(trx: Q, story: Story, patch: ArticlePatch): Promise<void> {
    const a = story.article;
    if (patch.slug !== undefined || patch.headline === undefined || a.publishedAt !== null) return;
    if (a.status !== 'draft' || patch.headline.trim() === a.headline) return;
    // The slug made from the old headline, or that slug numbered because another story had it first.
    const made = slugify(a.headline);
    const numbered = story.slug.startsWith(`${made}-`) && /^\d+$/.test(story.slug.slice(made.length + 1));
    if (story.slug !== made && !numbered) return;
    const wanted = slugify(patch.headline);
    if (wanted === story.slug) return;
    const taken = await findPlacementBySlug(trx, a.siteId, wanted);
    if (!taken) patch.slug = wanted;
  }

  /** Tags and urgent, which ArticleService does not know: written here, named in the revision. */
  private async applyExtras(unit: Unit, before: Story, patch: StoryPatch): Promise<string[]> {
    const set: { tags?: string; urgent?: number } = {};
    const changed: string[] = [];
    if (patch.tags !== undefined && JSON.stringify(patch.tags) !== JSON.stringify(before.tags)) {
      set.tags = JSON.stringify(patch.tags);
      changed.push('tags');
    }
    if (patch.urgent !== undefined && patch.urgent !== before.urgent) {
      set.urgent = patch.urgent ? 1 : 0;
      changed.push('urgent');
    }
    if (changed.length > 0) {
      await unit.trx
        .updateTable('articles')
        .set({ ...set, modified_at: toDbTime(this.now()) })
        .where('id', '=', before.article.id)
        .execute();
    }
    return changed;
  }

  private async changedIn(trx: Q, id: number, revision: number): Promise<string[]> {
    const row = await trx
      .selectFrom('article_revisions')
      .select('changed_fields')
      .where('article_id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.changed_fields) as string[];
  }

  private async keepAutosave(
    id: number,
    userId: number,
    fields: EditorFields,
    baseRevision: number,
  ): Promise<Date> {
    const savedAt = this.now();
    const values = {
      article_id: id,
      user_id: userId,
      fields: JSON.stringify(fields),
      base_revision: baseRevision,
      saved_at: toDbTime(savedAt),
    };
    await this.q
      .insertInto('story_autosaves')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['article_id', 'user_id']).doUpdateSet({
          fields: values.fields,
          base_revision: values.base_revision,
          saved_at: values.saved_at,
        }),
      )
      .execute();
    return savedAt;
  }

  private async existingMedia(mediaId: number): Promise<number | null> {
    const r = await this.q.selectFrom('media').select('id').where('id', '=', mediaId).executeTakeFirst();
    return r ? mediaId : null;
  }
}

function gone(id: number): DatelineError {
  return new DatelineError(
    'ARTICLE_GONE',
    `Story ${id} was taken down and can no longer be edited. Nothing was saved.`,
    { article: id },
  );
}

/** A lead picture must be one of the library's (the database would refuse it less helpfully). */
async function assertPicture(q: Q, mediaId: number): Promise<void> {
  const found = await q.selectFrom('media').select('id').where('id', '=', mediaId).executeTakeFirst();
  if (!found) {
    throw new DatelineError(
      'ARTICLE_INVALID',
      `There is no picture ${mediaId} in the library. Choose one from Pictures, or leave the lead picture empty.`,
      { field: 'lead_media_id' },
    );
  }
}

function noSuchRevision(id: number, asked: number, newest: number): DatelineError {
  return new DatelineError(
    'BAD_REQUEST',
    `Story ${id} has no revision ${asked} yet (its newest is ${newest}). Reload the story and try again.`,
    { article: id, revision: newest },
  );
}

function pickArticleFields(patch: StoryPatch): ArticlePatch {
  const out: ArticlePatch = {};
  if (patch.headline !== undefined) out.headline = patch.headline;
  if (patch.dek !== undefined) out.dek = patch.dek;
  if (patch.byline !== undefined) out.byline = patch.byline;
  if (patch.dateline !== undefined) out.dateline = patch.dateline;
  if (patch.sourceCopyright !== undefined) out.sourceCopyright = patch.sourceCopyright;
  if (patch.leadMediaId !== undefined) out.leadMediaId = patch.leadMediaId;
  if (patch.slug !== undefined) out.slug = patch.slug;
  if (patch.sectionId !== undefined) out.sectionId = patch.sectionId;
  return out;
}

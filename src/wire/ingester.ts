import { CompiledQuery } from 'kysely';
import type { Article, ArticleInput, ArticlePatch, Placement } from '../articles/article.ts';
import { findArticle } from '../articles/repository.ts';
import type { Unit } from '../articles/service.ts';
import { writeWireAudit } from './audit.ts';
import {
  failureOutcome,
  finishRun,
  INGEST_CODE,
  iso,
  recordOutcome,
  recordParseProblems,
  unsafeOutcome,
  versionLabel,
} from './ingest-outcomes.ts';
import {
  type IngesterDeps,
  type ItemEntry,
  type Lead,
  type Run,
  startRun,
  type WireDocument,
} from './ingest-run.ts';
import {
  contentHash,
  isPictureItem,
  orderByVersion,
  type Plan,
  planItem,
  versionVerdict,
} from './item-plan.ts';
import {
  type Agency,
  emptySummary,
  type IngestSummary,
  type ItemOutcome,
  type OutcomeKind,
} from './model.ts';
import { parseWireDocument } from './parse/index.ts';
import type { WireItem } from './parse/types.ts';
import { WirePictures } from './pictures.ts';
import {
  findPicture,
  findStoryHead,
  insertStory,
  linkArticle,
  pendingEntryOf,
  queueStory,
  type StoryHead,
  type StoryValues,
  storyArticles,
  touchPendingEntry,
  updateStory,
  withdrawPending,
} from './repository.ts';
import type { RouteTarget } from './routing.ts';

export type { IngesterDeps, IngesterOptions, ItemEntry, WireDocument } from './ingest-run.ts';
export { contentHash, orderByVersion } from './item-plan.ts';

export const CORRECTION_NOTE = '<p><em>This story has been corrected since it was first published.</em></p>';

/** An item made ready outside any transaction: its pictures stored, or its outcome already known. */
interface Prepared {
  entry: ItemEntry;
  lead: Lead | null;
  outcome: ItemOutcome | null;
}

// Items are written in batches, one transaction per batch and a savepoint per item. A commit per item makes
// SQLite write every page the item touched (article, placement, revision, event, indexes) to the WAL once per
// item; a batch writes each page once. The savepoint keeps each item all-or-nothing; the time budget keeps
// the write lock short, so readers and other writers wait at most about that long.
const BATCH_ITEMS = 200;
const BATCH_BUDGET_MS = 100;
// Plain SQL on both dialects, compiled once.
const SAVEPOINT = {
  set: CompiledQuery.raw('savepoint wire_item'),
  release: CompiledQuery.raw('release savepoint wire_item'),
  rollback: CompiledQuery.raw('rollback to savepoint wire_item'),
};

export class WireIngester {
  private readonly pictures: WirePictures;

  constructor(private readonly deps: IngesterDeps) {
    this.pictures = new WirePictures(deps);
  }

  private get q() {
    return this.deps.db.kysely;
  }

  private get articles() {
    return this.deps.articles;
  }

  private now(): Date {
    return this.deps.now();
  }

  /** Parses and applies documents for one agency. Problems become outcomes; nothing here throws for bad input. */
  async ingestDocuments(
    agency: Agency,
    docs: WireDocument[],
    opts: { actor?: string; skip?: (item: WireItem) => string | null } = {},
  ): Promise<IngestSummary> {
    const run = await startRun(this.deps, agency, opts.actor);
    const summary = emptySummary();
    const entries: ItemEntry[] = [];
    for (const doc of docs) {
      if (doc.unreadable) {
        recordParseProblems(run, summary, [
          {
            file: doc.source,
            item: null,
            field: null,
            code: doc.unreadable.code,
            severity: 'error',
            message: doc.unreadable.reason,
          },
        ]);
        continue;
      }
      const parsed = parseWireDocument(doc.content, {
        source: doc.source,
        maxBodyBytes: this.deps.options.maxBodyBytes,
      });
      recordParseProblems(run, summary, parsed.problems);
      for (const item of parsed.items) {
        // A poller's high-water mark: items it has already seen are not looked at again.
        const skipped = opts.skip?.(item) ?? null;
        if (skipped !== null) {
          summary.counts.unchanged++;
          summary.outcomes.push({
            kind: 'unchanged',
            file: doc.source,
            item: item.uri,
            field: null,
            code: null,
            reason: skipped,
          });
          continue;
        }
        entries.push({
          item,
          source: doc.source,
          allowFiles: doc.allowFiles,
          warnings: parsed.problems.filter((p) => p.severity === 'warning' && p.item === item.uri),
        });
      }
    }
    await this.applyAll(run, entries, summary);
    return finishRun(this.deps.db, run, summary, this.now());
  }

  /** Applies already-parsed items for one agency (the bench and the poller's high-water filter use this). */
  async ingestItems(
    agency: Agency,
    entries: ItemEntry[],
    opts: { actor?: string } = {},
  ): Promise<IngestSummary> {
    const run = await startRun(this.deps, agency, opts.actor);
    const summary = emptySummary();
    for (const e of entries) {
      for (const w of e.warnings ?? []) recordParseProblems(run, summary, [w]);
    }
    await this.applyAll(run, entries, summary);
    return finishRun(this.deps.db, run, summary, this.now());
  }

  private async applyAll(run: Run, entries: ItemEntry[], summary: IngestSummary): Promise<void> {
    const ordered = orderByVersion(entries);
    for (let i = 0; i < ordered.length; i += BATCH_ITEMS) {
      const prepared: Prepared[] = [];
      for (const entry of ordered.slice(i, i + BATCH_ITEMS)) prepared.push(await this.prepare(run, entry));
      for (let k = 0; k < prepared.length; ) k = await this.applyBatch(run, prepared, k, summary);
    }
  }

  /**
   * Applies prepared items from `from` on in one transaction, each inside a savepoint, until the batch or its
   * time budget runs out; returns where the next batch starts. Events go out only after the commit.
   */
  private async applyBatch(
    run: Run,
    prepared: Prepared[],
    from: number,
    summary: IngestSummary,
  ): Promise<number> {
    const started = performance.now();
    const trx = await this.q.startTransaction().execute();
    const unit: Unit = { trx, pending: [] };
    const outcomes: ItemOutcome[] = [];
    let k = from;
    try {
      for (; k < prepared.length; k++) {
        if (k > from && performance.now() - started > BATCH_BUDGET_MS) break;
        const p = prepared[k]!;
        if (p.outcome) {
          outcomes.push(p.outcome);
          continue;
        }
        const mark = unit.pending.length;
        await trx.executeQuery(SAVEPOINT.set);
        try {
          outcomes.push(await this.apply(run, p, unit));
          // Released at once on both engines: PostgreSQL slows down past 64 open subtransactions, and SQLite
          // checks every page it writes against each open savepoint and keeps copying pages to the
          // sub-journal for them, so a batch left nested 200 deep cost about a quarter of ingest time.
          await trx.executeQuery(SAVEPOINT.release);
        } catch (e) {
          // Only this item is undone; the batch goes on with the next one.
          await trx.executeQuery(SAVEPOINT.rollback);
          await trx.executeQuery(SAVEPOINT.release);
          unit.pending.length = mark;
          outcomes.push(failureOutcome(p.entry, e));
        }
      }
      await trx.commit().execute();
    } catch (e) {
      // The batch itself failed (the commit, or the connection): none of it was written.
      await trx
        .rollback()
        .execute()
        .catch(() => {});
      const end = Math.max(k, from + 1);
      for (let j = from; j < end; j++) {
        const p = prepared[j]!;
        recordOutcome(run, summary, p.outcome ?? failureOutcome(p.entry, e));
      }
      return end;
    }
    for (const d of unit.pending) this.deps.events.published(d.event, d.id);
    for (const o of outcomes) recordOutcome(run, summary, o);
    return k;
  }

  /**
   * The slow, external part of an item, done before its batch's transaction: fetching and storing pictures,
   * removing cancelled ones. Only for versions that may still apply, so a repeat delivery fetches nothing.
   */
  private async prepare(run: Run, entry: ItemEntry): Promise<Prepared> {
    const { item, source } = entry;
    try {
      const unsafe = unsafeOutcome(entry);
      if (unsafe) return { entry, lead: null, outcome: unsafe };
      if (item.pubstatus !== 'usable') {
        // A killed picture item leaves every story that uses it; so do cancelled associations. An old kill
        // that will change nothing (see versionVerdict) cancels nothing either.
        const head = await findStoryHead(this.q, run.agency.id, item.uri);
        if (!head || versionVerdict(item, head, contentHash(item)) === null) {
          await this.pictures.cancelPicture(run, item.uri, source);
          for (const p of item.pictures)
            if (p.uri !== item.uri) await this.pictures.cancelPicture(run, p.uri, source);
        }
        return { entry, lead: null, outcome: null };
      }
      if (isPictureItem(item))
        return { entry, lead: null, outcome: await this.pictures.storePictureItem(run, entry) };
      if (item.pictures.length === 0) return { entry, lead: null, outcome: null };
      const head = await findStoryHead(this.q, run.agency.id, item.uri);
      if (head && versionVerdict(item, head, contentHash(item)) !== null)
        return { entry, lead: null, outcome: null };
      // A new story that expired before it arrived is rejected by planItem; its pictures are not worth fetching.
      if (!head && item.expires && item.expires <= this.now()) return { entry, lead: null, outcome: null };
      return { entry, lead: await this.pictures.leadPicture(run, entry), outcome: null };
    } catch (e) {
      return { entry, lead: null, outcome: failureOutcome(entry, e) };
    }
  }

  /** Applies one item inside the batch transaction. Every read and write goes through `unit.trx`. */
  private async apply(run: Run, p: Prepared, unit: Unit): Promise<ItemOutcome> {
    const { item, source } = p.entry;
    const head = await findStoryHead(unit.trx, run.agency.id, item.uri);
    const decision = planItem(run, p.entry, head, p.lead, this.now());
    if (decision.action === 'report') return decision.outcome;
    if (decision.action === 'kill') return this.kill(run, item, source, head, decision.hash, unit);
    return head
      ? this.update(run, p.entry, head, decision.plan, unit)
      : this.create(run, p.entry, decision.plan, unit);
  }

  private storyValues(
    item: WireItem,
    source: string,
    plan: Plan,
    state: StoryValues['state'],
    killedAt: Date | null,
    queued = false,
  ): StoryValues {
    return {
      version: item.version,
      versionCreated: item.versionCreated,
      state,
      headline: item.headline || item.uri,
      // The body is kept only while an editor may still publish from the queue: a published story's body
      // lives in its articles, and writing it twice would cost every ingest a second copy.
      item: queued ? item : { ...item, bodyHtml: '' },
      contentHash: plan.hash,
      usageTerms: item.usageterms,
      edNote: item.ednote,
      corrected: plan.corrected,
      embargoUntil: plan.embargoUntil,
      expiresAt: plan.expiresAt,
      leadPictureId: plan.lead?.pictureId ?? null,
      source,
      killedAt,
    };
  }

  /** What an article shows of a wire story. usageterms and ednote are deliberately absent. */
  articleFields(run: Pick<Run, 'agency'>, item: WireItem, plan: Pick<Plan, 'lead' | 'corrected'>) {
    return {
      headline: item.headline,
      dek: item.dek ?? '',
      byline: item.byline,
      dateline: item.located,
      bodyHtml: plan.corrected ? `${item.bodyHtml}${CORRECTION_NOTE}` : item.bodyHtml,
      sourceCopyright: item.copyrightnotice ?? (run.agency.credit || null),
      leadMediaId: plan.lead?.mediaId ?? null,
    } satisfies Partial<ArticleInput>;
  }

  private place(run: Run, article: Article, p: Placement) {
    const section = run.sectionSlugs.get(p.sectionId) ?? 'story';
    return {
      site: run.siteSlugs.get(p.siteId) ?? String(p.siteId),
      path: `/${section}/${p.slug}`,
      ...(article.status === 'scheduled' && article.publishAt && { scheduledFor: iso(article.publishAt) }),
    };
  }

  private queueReason(run: Run, label: string, plan: Plan, review: RouteTarget[], published: number): string {
    if (plan.hold) return plan.hold.reason;
    if (review.length > 0) {
      const where = review
        .map((t) => `${run.siteSlugs.get(t.siteId)}/${run.sectionSlugs.get(t.sectionId)}`)
        .join(', ');
      return `${label}: routing rule ${review.map((t) => t.routeId).join(', ')} sends it to the review queue for ${where}.`;
    }
    if (published > 0) return `${label}: updated.`;
    const unlicensed =
      plan.routing.unlicensed.length > 0 ? ' (the rules that matched point at unlicensed sites)' : '';
    return `${label}: no routing rule matched${unlicensed}, so it waits in the review queue. Publish it from there, or add a rule with \`dateline wire route add\`.`;
  }

  private async create(run: Run, entry: ItemEntry, plan: Plan, unit: Unit): Promise<ItemOutcome> {
    const { item, source } = entry;
    const label = `${source} ${item.uri}`;
    const now = this.now();
    const fields = this.articleFields(run, item, plan);
    const publishTargets = plan.hold ? [] : plan.routing.targets.filter((t) => t.action === 'publish');
    const review = plan.routing.targets.filter((t) => t.action === 'review' || plan.hold);
    const willQueue = plan.hold !== null || review.length > 0 || publishTargets.length === 0;
    {
      const storyId = await insertStory(
        unit.trx,
        run.agency.id,
        item.uri,
        this.storyValues(item, source, plan, 'active', null, willQueue),
        now,
      );
      const placements: NonNullable<ItemOutcome['placements']> = [];
      for (const t of publishTargets) {
        const { article, placements: ps } = await this.articles.create(
          { ...fields, siteId: t.siteId, sectionId: t.sectionId, publishAt: plan.publishAt },
          run.actor,
          unit,
        );
        await linkArticle(unit.trx, {
          storyId,
          siteId: t.siteId,
          articleId: article.id,
          followUpdates: true,
        });
        placements.push(this.place(run, article, ps[0]!));
      }
      let queued = false;
      if (willQueue) {
        const suggest = review[0] ?? null;
        await queueStory(
          unit.trx,
          storyId,
          {
            siteId: suggest?.siteId ?? null,
            sectionId: suggest?.sectionId ?? null,
            reason: this.queueReason(run, label, plan, review, 0),
          },
          now,
        );
        queued = true;
      }
      const kind: OutcomeKind = placements.length > 0 ? 'created' : 'held';
      const where = placements
        .map((p) =>
          p.scheduledFor
            ? `scheduled on ${p.site} at ${p.path} for ${p.scheduledFor} (embargo)`
            : `published on ${p.site} at ${p.path}`,
        )
        .join('; ');
      const reason =
        kind === 'created'
          ? `${label}: ${where}${queued ? '; also sent to the review queue' : ''}.`
          : this.queueReason(run, label, plan, review, 0);
      return {
        kind,
        file: source,
        item: item.uri,
        field: plan.hold?.field ?? null,
        code: kind === 'held' ? (plan.hold?.code ?? (review.length > 0 ? null : INGEST_CODE.noRoute)) : null,
        reason,
        storyId,
        placements,
      };
    }
  }

  private async update(
    run: Run,
    entry: ItemEntry,
    head: StoryHead,
    plan: Plan,
    unit: Unit,
  ): Promise<ItemOutcome> {
    const { item, source } = entry;
    const label = `${source} ${item.uri}`;
    const now = this.now();
    if (plan.hold) {
      // A new version whose embargo cannot be read may carry embargoed news: it is not applied to the
      // published story; it waits for an editor, who applies it by publishing the queue entry.
      const review = plan.routing.targets.find((t) => t.action === 'review') ?? plan.routing.targets[0];
      await queueStory(
        unit.trx,
        head.id,
        { siteId: review?.siteId ?? null, sectionId: review?.sectionId ?? null, reason: plan.hold.reason },
        now,
      );
      await updateStory(unit.trx, head.id, this.storyValues(item, source, plan, 'active', null, true), now);
      return {
        kind: 'held',
        file: source,
        item: item.uri,
        field: plan.hold.field,
        code: plan.hold.code,
        reason: plan.hold.reason,
        storyId: head.id,
      };
    }
    const fields = this.articleFields(run, item, plan);
    const links = await storyArticles(unit.trx, head.id);
    const current = new Map<number, Article>();
    for (const l of links) {
      const found = await findArticle(unit.trx, l.articleId);
      if (found) current.set(l.articleId, found);
    }
    {
      const placements: NonNullable<ItemOutcome['placements']> = [];
      const editedSites: number[] = [];
      for (const l of links) {
        const article = current.get(l.articleId);
        if (!article || article.status === 'taken_down') continue;
        if (!l.followUpdates) {
          editedSites.push(l.siteId);
          continue;
        }
        const patch: ArticlePatch = { ...fields };
        if (article.status === 'scheduled' && !plan.hold) {
          // A moved embargo moves the schedule; a lifted or passed one publishes now.
          if (plan.publishAt) patch.publishAt = plan.publishAt;
          else {
            patch.publishAt = now;
            patch.status = 'published';
          }
        }
        const { article: after, placements: ps } = await this.articles.update(
          l.articleId,
          patch,
          run.actor,
          unit,
        );
        const own = ps.find((p) => p.siteId === l.siteId) ?? ps[0]!;
        placements.push(this.place(run, after, own));
      }
      const linked = new Set(links.map((l) => l.siteId));
      const publishTargets = plan.hold
        ? []
        : plan.routing.targets.filter((t) => t.action === 'publish' && !linked.has(t.siteId));
      for (const t of publishTargets) {
        const { article, placements: ps } = await this.articles.create(
          { ...fields, siteId: t.siteId, sectionId: t.sectionId, publishAt: plan.publishAt },
          run.actor,
          unit,
        );
        await linkArticle(unit.trx, {
          storyId: head.id,
          siteId: t.siteId,
          articleId: article.id,
          followUpdates: true,
        });
        placements.push(this.place(run, article, ps[0]!));
      }
      const pending = await pendingEntryOf(unit.trx, head.id);
      if (editedSites.length > 0) {
        const sites = editedSites.map((id) => run.siteSlugs.get(id)).join(', ');
        await queueStory(
          unit.trx,
          head.id,
          {
            siteId: editedSites[0]!,
            sectionId: null,
            reason: `${label}: ${versionLabel(item)} arrived. An editor changed the story on ${sites} before publishing, so it was not updated there automatically; publish this entry to apply it.`,
          },
          now,
        );
      } else if (pending) {
        // A newer version moves the entry to the top of the queue; the editor publishes the latest text.
        await touchPendingEntry(unit.trx, head.id, now);
      } else if (placements.length === 0 && (plan.hold || links.length === 0)) {
        const review = plan.routing.targets.filter((t) => t.action === 'review');
        await queueStory(
          unit.trx,
          head.id,
          {
            siteId: review[0]?.siteId ?? null,
            sectionId: review[0]?.sectionId ?? null,
            reason: this.queueReason(run, label, plan, review, 0),
          },
          now,
        );
      }
      const queued = (await pendingEntryOf(unit.trx, head.id)) !== null;
      await updateStory(unit.trx, head.id, this.storyValues(item, source, plan, 'active', null, queued), now);
      const where = placements.map((p) => `${p.site} ${p.path}`).join(', ');
      return {
        kind: 'updated',
        file: source,
        item: item.uri,
        field: null,
        code: null,
        reason: `${label}: ${versionLabel(item)} applied${where ? ` to ${where}` : ' (waiting in the review queue)'}${
          editedSites.length ? '; edited copies wait in the review queue' : ''
        }.`,
        storyId: head.id,
        placements,
      };
    }
  }

  private async kill(
    run: Run,
    item: WireItem,
    source: string,
    head: StoryHead | null,
    hash: string,
    unit: Unit,
  ): Promise<ItemOutcome> {
    const label = `${source} ${item.uri}`;
    const now = this.now();
    const links = head ? await storyArticles(unit.trx, head.id) : [];
    const pictureRow = head ? null : await findPicture(unit.trx, run.agency.id, item.uri);
    const reason = `Killed by ${run.agency.name} (${item.pubstatus}, ${versionLabel(item)})`;
    const plan: Plan = {
      hash,
      lead: null,
      publishAt: null,
      embargoUntil: null,
      hold: null,
      expiresAt: null,
      corrected: head?.corrected ?? false,
      routing: { targets: [], unlicensed: [] },
    };
    const taken: number[] = [];
    for (const l of links) {
      const { article } = await this.articles.takeDown(l.articleId, reason, run.actor, unit);
      if (article.status === 'taken_down') taken.push(l.articleId);
    }
    const values = this.storyValues(item, source, plan, 'killed', now);
    let storyId: number;
    if (head) {
      storyId = head.id;
      await updateStory(unit.trx, head.id, values, now);
      await withdrawPending(unit.trx, head.id, run.actor, now);
    } else {
      storyId = await insertStory(unit.trx, run.agency.id, item.uri, values, now);
    }
    await writeWireAudit(unit, run.actor, 'wire.killed', storyId, {
      agency: run.agency.slug,
      uri: item.uri,
      version: item.version,
      pubstatus: item.pubstatus,
      before_story: head === null,
      articles: taken,
      ednote: item.ednote,
      source,
    });
    const sites = links.filter((l) => taken.includes(l.articleId)).map((l) => run.siteSlugs.get(l.siteId));
    const what = head
      ? `taken down on ${sites.length ? sites.join(', ') : 'no site (it was not published anywhere)'}; its pages answer 410 Gone`
      : pictureRow
        ? 'the picture was cancelled and removed from every story that used it'
        : 'the story has not arrived yet; the kill is remembered, so it will not be published if it does';
    return {
      kind: 'killed',
      file: source,
      item: item.uri,
      field: 'pubstatus',
      code: null,
      reason: `${label}: ${what}. Recorded in the audit log.`,
      storyId,
    };
  }
}

// The wire ingester: applies parsed agency items to the network, following the wire rules below.
// - Identity is agency + uri; a newer version replaces the story in place, the same or an older one changes
//   nothing, so feeding the same file ten times gives one story.
// - A kill (canceled/withheld) takes the story down on every site and is audit-logged; a kill that arrives
//   first is remembered as a tombstone, so the story never publishes later.
// - Embargoes schedule the story; an unreadable embargo holds it for an editor. Expiry is stored here and
//   applied by the expiry pass. Pictures are fetched once per version; a missing one never loses the story.
// - usageterms and ednote are kept on the wire story for editors and never reach an article.
// Each item is applied inside its own savepoint of a batch transaction, so a bad item or a crash leaves
// nothing of it half-written and the next item still goes in; slow work (fetching pictures) happens before
// the transaction opens. This module runs that pipeline; the parts live beside it: item-plan.ts decides what
// an item does, story-writes.ts writes it, pictures.ts fetches and stores pictures, ingest-outcomes.ts keeps
// the summary and the problem log, ingest-run.ts holds the inputs and what one call looks up once.
import { CompiledQuery } from 'kysely';
import type { Unit } from '../articles/service.ts';
import {
  failureOutcome,
  finishRun,
  recordOutcome,
  recordParseProblems,
  unsafeOutcome,
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
import { type Agency, emptySummary, type IngestSummary, type ItemOutcome } from './model.ts';
import { parseWireDocument } from './parse/index.ts';
import type { WireItem } from './parse/types.ts';
import { WirePictures } from './pictures.ts';
import { findStoryHead } from './repository.ts';
import { articleFields, StoryWriter } from './story-writes.ts';

export type { IngesterDeps, IngesterOptions, ItemEntry, WireDocument } from './ingest-run.ts';
export { contentHash, orderByVersion } from './item-plan.ts';
export { CORRECTION_NOTE } from './story-writes.ts';

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
  private readonly writer: StoryWriter;

  constructor(private readonly deps: IngesterDeps) {
    this.pictures = new WirePictures(deps);
    this.writer = new StoryWriter(deps);
  }

  private get q() {
    return this.deps.db.kysely;
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

  /** What an article shows of a wire story; the review queue publishes with the same fields. */
  articleFields(run: Pick<Run, 'agency'>, item: WireItem, plan: Pick<Plan, 'lead' | 'corrected'>) {
    return articleFields(run, item, plan);
  }

  /** Applies one item inside the batch transaction. Every read and write goes through `unit.trx`. */
  private async apply(run: Run, p: Prepared, unit: Unit): Promise<ItemOutcome> {
    const { item, source } = p.entry;
    const head = await findStoryHead(unit.trx, run.agency.id, item.uri);
    const decision = planItem(run, p.entry, head, p.lead, this.now());
    if (decision.action === 'report') return decision.outcome;
    if (decision.action === 'kill') return this.writer.kill(run, item, source, head, decision.hash, unit);
    return head
      ? this.writer.update(run, p.entry, head, decision.plan, unit)
      : this.writer.create(run, p.entry, decision.plan, unit);
  }
}

// Applying an item's plan inside the batch transaction: the wire story row, its articles on each site, its
// review-queue entry, and the kill that takes it down. Every read and write goes through the unit's
// transaction, so an item that fails is undone by its savepoint. usageterms and ednote are kept on the wire
// story for editors and never reach an article.
import type { Article, ArticleInput, ArticlePatch, Placement } from '../articles/article.ts';
import { findArticle } from '../articles/repository.ts';
import type { Unit } from '../articles/service.ts';
import { markUrgentIfRouteAlerts } from '../newsletters/alerts/wire-alerts.ts';
import { writeWireAudit } from './audit.ts';
import { INGEST_CODE, iso, versionLabel } from './ingest-outcomes.ts';
import type { IngesterDeps, ItemEntry, Run } from './ingest-run.ts';
import type { Plan } from './item-plan.ts';
import type { ItemOutcome, OutcomeKind } from './model.ts';
import type { WireItem } from './parse/types.ts';
import {
  findPicture,
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

export const CORRECTION_NOTE = '<p><em>This story has been corrected since it was first published.</em></p>';

/** What an article shows of a wire story. usageterms and ednote are deliberately absent. */
export function articleFields(
  run: Pick<Run, 'agency'>,
  item: WireItem,
  plan: Pick<Plan, 'lead' | 'corrected'>,
) {
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

export class StoryWriter {
  constructor(private readonly deps: Pick<IngesterDeps, 'articles' | 'now'>) {}

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

  /** Writes a new story: its articles on the sites its plan publishes to, and a queue entry when it waits. */
  async create(run: Run, entry: ItemEntry, plan: Plan, unit: Unit): Promise<ItemOutcome> {
    const { item, source } = entry;
    const label = `${source} ${item.uri}`;
    const now = this.deps.now();
    const fields = articleFields(run, item, plan);
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
        const { article, placements: ps } = await this.deps.articles.create(
          { ...fields, siteId: t.siteId, sectionId: t.sectionId, publishAt: plan.publishAt },
          run.actor,
          unit,
        );
        await markUrgentIfRouteAlerts(unit.trx, t.routeId, article.id);
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

  /**
   * Applies a newer version to a stored story: articles that follow updates are updated, edited ones and
   * held versions wait in the review queue, and newly routed sites get their article.
   */
  async update(run: Run, entry: ItemEntry, head: StoryHead, plan: Plan, unit: Unit): Promise<ItemOutcome> {
    const { item, source } = entry;
    const label = `${source} ${item.uri}`;
    const now = this.deps.now();
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
    const fields = articleFields(run, item, plan);
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
        const { article: after, placements: ps } = await this.deps.articles.update(
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
        const { article, placements: ps } = await this.deps.articles.create(
          { ...fields, siteId: t.siteId, sectionId: t.sectionId, publishAt: plan.publishAt },
          run.actor,
          unit,
        );
        await markUrgentIfRouteAlerts(unit.trx, t.routeId, article.id);
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

  /** Takes a story down everywhere, or remembers a kill that arrived first as a tombstone; audit-logged. */
  async kill(
    run: Run,
    item: WireItem,
    source: string,
    head: StoryHead | null,
    hash: string,
    unit: Unit,
  ): Promise<ItemOutcome> {
    // Stryker disable next-line StringLiteral: message wording, tests assert the outcome and its code
    const label = `${source} ${item.uri}`;
    const now = this.deps.now();
    const links = head ? await storyArticles(unit.trx, head.id) : [];
    const pictureRow = head ? null : await findPicture(unit.trx, run.agency.id, item.uri);
    // Stryker disable next-line StringLiteral: message wording, tests assert the outcome and its code
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
      const { article } = await this.deps.articles.takeDown(l.articleId, reason, run.actor, unit);
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
    // Stryker disable next-line MethodExpression,ArrowFunction: feeds only the message wording below
    const sites = links.filter((l) => taken.includes(l.articleId)).map((l) => run.siteSlugs.get(l.siteId));
    const what = head
      ? // Stryker disable next-line StringLiteral: message wording, tests assert the outcome and its code
        `taken down on ${sites.length ? sites.join(', ') : 'no site (it was not published anywhere)'}; its pages answer 410 Gone`
      : pictureRow
        ? 'the picture was cancelled and removed from every story that used it'
        : 'the story has not arrived yet; the kill is remembered, so it will not be published if it does';
    return {
      kind: 'killed',
      file: source,
      item: item.uri,
      field: 'pubstatus',
      code: null,
      // Stryker disable next-line StringLiteral: message wording, tests assert the outcome and its code
      reason: `${label}: ${what}. Recorded in the audit log.`,
      storyId,
    };
  }
}

// Digests on their schedule. Every half minute (in a serving process) the scheduler looks at each active
// digest: it keeps next_issue_at in step with the schedule (site's zone, schedule.ts), keeps the next issue
// composed as a draft the editor can open (composing it again from the newest stories as long as no editor
// has touched it), and when the time comes queues it and hands it to the send engine (NewsletterSender
// .start, which freezes the recipients). Moving next_issue_at on is a compare-and-set in the same
// transaction that queues the issue, so two nodes never send the same digest; an issue left 'queued' by a
// crash is started on the next tick (start is idempotent). An issue with no stories is not sent: it is
// cancelled with a note, and the list waits for its next time. Stories taken down (or unpublished) leave
// every issue not yet sent.
import type { Db } from '../../db/connection.ts';
import { fromDbTimeOrNull, toDbTime } from '../../db/values.ts';
import type { EventBus } from '../../events/bus.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import type { UrlContext } from '../../sites/urls.ts';
import type { Newsletter, NewsletterLists } from '../lists.ts';
import type { IssueRenderer } from '../sending/content.ts';
import { DigestComposer, FIRST_ISSUE_WINDOW_MS, type FrontPageOrder } from './composer.ts';
import { type DigestIssue, DigestIssues, type IssueItem } from './issues.ts';
import { DigestRenderer } from './renderer.ts';
import { nextIssueAt } from './schedule.ts';

/** What the digests need of the send engine (src/newsletters/sending/engine.ts). */
export interface DigestSender {
  registerRenderer(kind: 'digest' | 'alert', r: IssueRenderer): void;
  start(issueId: number): Promise<void>;
}

export interface DigestsDeps {
  db: Db;
  lists: NewsletterLists;
  sender: DigestSender;
  directory: SiteDirectory;
  urls: UrlContext;
  signingKey: () => Buffer;
  frontPage: FrontPageOrder | null;
  now?: () => Date;
  onError?: (err: unknown, what: string) => void;
}

export const DIGEST_TICK_MS = 30_000;

export class Digests {
  readonly issues: DigestIssues;
  readonly composer: DigestComposer;
  readonly renderer: DigestRenderer;
  private readonly now: () => Date;

  constructor(private readonly d: DigestsDeps) {
    this.now = d.now ?? (() => new Date());
    this.issues = new DigestIssues(d.db.kysely, this.now);
    this.composer = new DigestComposer(d.db.kysely, d.frontPage);
    this.renderer = new DigestRenderer(d);
    d.sender.registerRenderer('digest', this.renderer);
    d.lists.setNextIssueCalculator((s, siteId, after) => nextIssueAt(s, this.zone(siteId), after));
  }

  private zone(siteId: number): string {
    return this.d.directory.byIdOrUndefined(siteId)?.site.timeZone ?? 'UTC';
  }

  /** Stories taken down or unpublished leave every issue not yet sent (heard from any node via the event log). */
  follow(bus: EventBus): () => void {
    return bus.on((e) => {
      if (e.type !== 'article.taken_down' && e.type !== 'article.updated') return;
      this.storyChanged(e.articleId, e.type === 'article.taken_down').catch((err) =>
        this.d.onError?.(err, 'removing a story from unsent digests failed'),
      );
    });
  }

  async storyChanged(articleId: number, takenDown: boolean): Promise<number> {
    if (!takenDown) {
      const a = await this.d.db.kysely
        .selectFrom('articles')
        .select('status')
        .where('id', '=', articleId)
        .executeTakeFirst();
      if (a?.status === 'published') return 0;
    }
    return this.issues.removeArticleEverywhere(articleId);
  }

  /** What the next issue of a list should carry, composed now. */
  private async composeFor(n: Newsletter): Promise<{ subject: string; items: IssueItem[] }> {
    const last = await this.issues.lastSent(n.id);
    const since = last ? last.createdAt : new Date(this.now().getTime() - FIRST_ISSUE_WINDOW_MS);
    const items = await this.composer.compose(n.siteId, n.composition, {
      since,
      exclude: new Set(last?.items.map((i) => i.articleId) ?? []),
    });
    const first = items[0]
      ? (await this.renderer.stories(n.siteId, [items[0]])).get(items[0].articleId)
      : undefined;
    return { subject: first ? `${n.name}: ${first.headline}` : n.name, items };
  }

  /**
   * The list's next issue: its draft, composed now if there is none yet; a draft no editor has touched is
   * composed again, so it carries the newest stories.
   */
  async nextIssue(newsletterId: number): Promise<DigestIssue> {
    const n = await this.d.lists.require(newsletterId);
    const draft = await this.issues.draftOf(n.id);
    if (draft?.edited) return draft;
    const c = await this.composeFor(n);
    if (draft) {
      await this.issues.recompose(draft.id, { ...c, scheduledFor: n.nextIssueAt });
      return this.issues.require(draft.id);
    }
    return this.issues.createDraft(n, { ...c, scheduledFor: n.nextIssueAt });
  }

  /**
   * Queues the issue (a draft) and starts its send. `advanceFrom`, for a scheduled send, is the list's
   * next_issue_at as read: it moves on only if no one else moved it first, and then this call sends.
   */
  private async launch(
    n: Newsletter,
    issue: DigestIssue,
    advance: { from: Date; to: Date | null } | null,
  ): Promise<'started' | 'empty' | 'lost'> {
    const now = this.now();
    const outcome = await this.d.db.kysely.transaction().execute(async (trx) => {
      if (advance) {
        const moved = await trx
          .updateTable('newsletters')
          .set({ next_issue_at: advance.to ? toDbTime(advance.to) : null })
          .where('id', '=', n.id)
          .where('next_issue_at', '=', toDbTime(advance.from))
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows ?? 0n) === 0) return 'lost' as const;
      }
      const empty = issue.items.length === 0;
      const res = await trx
        .updateTable('newsletter_issues')
        .set({
          status: empty ? 'cancelled' : 'queued',
          scheduled_for: toDbTime(now),
          updated_at: toDbTime(new Date(Math.max(now.getTime(), issue.updatedAt.getTime()))),
          ...(empty && {
            finished_at: toDbTime(now),
            status_note: 'Nothing new was published since the last issue, so this one was not sent.',
          }),
        })
        .where('id', '=', issue.id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows ?? 0n) === 0) return 'lost' as const;
      return empty ? ('empty' as const) : ('started' as const);
    });
    if (outcome === 'started') await this.d.sender.start(issue.id);
    return outcome;
  }

  /** "Send now" (the admin, the CLI): the next issue goes out at once; the schedule carries on as it was. */
  async sendNow(newsletterId: number): Promise<{ issueId: number; outcome: 'started' | 'empty' | 'lost' }> {
    const n = await this.d.lists.require(newsletterId);
    const issue = await this.nextIssue(n.id);
    return { issueId: issue.id, outcome: await this.launch(n, issue, null) };
  }

  /** One pass of the scheduler over every active digest. */
  async tick(): Promise<void> {
    const now = this.now();
    const rows = await this.d.db.kysely
      .selectFrom('newsletters')
      .select(['id', 'site_id', 'next_issue_at'])
      .where('kind', '=', 'digest')
      .where('active', '=', 1)
      .orderBy('id')
      .execute();
    // Issues queued by a process that stopped before it started them.
    const stranded = await this.d.db.kysely
      .selectFrom('newsletter_issues')
      .select('id')
      .where('kind', '=', 'digest')
      .where('status', '=', 'queued')
      .execute();
    for (const s of stranded) await this.guard('starting a queued digest', () => this.d.sender.start(s.id));
    for (const r of rows) {
      await this.guard(`the digest scheduler (newsletter ${r.id})`, async () => {
        const n = await this.d.lists.require(r.id);
        if (!n.schedule) return;
        const due = fromDbTimeOrNull(r.next_issue_at);
        if (!due) {
          await this.d.lists.setNextIssueAt(n.id, nextIssueAt(n.schedule, this.zone(n.siteId), now));
          return;
        }
        const issue = await this.nextIssue(n.id);
        if (due.getTime() > now.getTime()) return;
        await this.launch(n, issue, { from: due, to: nextIssueAt(n.schedule, this.zone(n.siteId), now) });
      });
    }
  }

  private async guard(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.d.onError?.(err, `${what} failed`);
    }
  }
}

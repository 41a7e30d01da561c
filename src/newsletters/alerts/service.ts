// Breaking alerts: publishing a story marked urgent (articles.urgent, set by an editor or by a wire route
// with send_alert) queues one alert issue per site it is published on, to that site's alerts list, by email
// (the send engine, kind 'alert') and by web push (push_deliveries, sent by the alerts.push job). A correction
// (article.updated) or kill (article.taken_down) within DATELINE_ALERT_CORRECTION_MINUTES of the alert cancels
// every delivery not yet sent; a correction then sends the updated alert by push under the same Topic, so it
// replaces the earlier one on devices that had not shown it yet (and, by its tag, the shown notification).
//
// Every node hears every article event (the event log's tail), so the listener only enqueues a job whose key
// names the article, the event and the article's modified time: whichever node enqueues first wins, the job
// runs once, and handling it twice changes nothing (one alert per article and site, ever).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/database.ts';
import { fromDbTime, toDbTime } from '../../db/values.ts';
import type { EventBus } from '../../events/bus.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { PushSender } from '../push/sender.ts';

/** The email side of an alert: the send engine (src/newsletters/sending/engine.ts), as alerts use it. */
export interface AlertMail {
  start(issueId: number): Promise<void>;
  cancelUndelivered(issueId: number): Promise<number>;
}

export type AlertEventKind = 'published' | 'updated' | 'taken_down';

/** What an alert issue's items say: the first alert of a story on a site, or a correction sent by push. */
export type AlertBlock = 'alert' | 'correction';

export interface AlertServiceDeps {
  db: Db;
  jobs: JobQueue;
  push: PushSender;
  /** The email engine once it is there; without it alerts go by push only. */
  mail: () => AlertMail | null;
  correctionMinutes: number;
  now?: () => Date;
  onError: (err: unknown) => void;
}

export const ALERT_JOB = 'alerts.article';
export const PUSH_JOB = 'alerts.push';

interface ArticleFacts {
  id: number;
  status: string;
  urgent: boolean;
  headline: string;
  dek: string;
  modifiedAt: Date;
  liveSiteIds: number[];
}

export class AlertService {
  private readonly now: () => Date;

  constructor(private readonly d: AlertServiceDeps) {
    this.now = d.now ?? (() => new Date());
  }

  private get k(): Kysely<Database> {
    return this.d.db.kysely;
  }

  follow(bus: EventBus): () => void {
    return bus.on((e) => {
      if (e.type !== 'article.published' && e.type !== 'article.updated' && e.type !== 'article.taken_down')
        return;
      this.noticed(e.articleId, KIND[e.type], e.siteIds).catch(this.d.onError);
    });
  }

  /**
   * An article event: a job when it may start or change an alert (urgent and published; alerted before).
   * The key names the sites too: showing the story on one more site changes no modified time.
   */
  async noticed(articleId: number, kind: AlertEventKind, siteIds: readonly number[]): Promise<boolean> {
    const a = await this.k
      .selectFrom('articles')
      .select(['urgent', 'modified_at'])
      .where('id', '=', articleId)
      .executeTakeFirst();
    if (!a) return false;
    if (kind === 'published' ? a.urgent !== 1 : !(await this.hasAlert(articleId))) return false;
    const modified = fromDbTime(a.modified_at).getTime();
    const sites = [...siteIds].sort((x, y) => x - y).join(',');
    return this.d.jobs.enqueue(ALERT_JOB, `${ALERT_JOB}:${articleId}:${kind}:${modified}:${sites}`, {
      articleId,
      kind,
    });
  }

  private async hasAlert(articleId: number): Promise<boolean> {
    const r = await this.k
      .selectFrom('newsletter_issues')
      .select('id')
      .where('article_id', '=', articleId)
      .where('kind', '=', 'alert')
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** The alerts.article job: brings the article's alerts in line with what happened to it. */
  async handle(articleId: number, kind: AlertEventKind): Promise<void> {
    const facts = await this.facts(this.k, articleId);
    if (!facts) return;
    if (kind === 'published') {
      if (!facts.urgent || facts.status !== 'published') return;
      for (const siteId of facts.liveSiteIds) await this.alertSite(facts.id, siteId);
      return;
    }
    await this.amend(facts, kind);
  }

  private async facts(q: Kysely<Database>, articleId: number): Promise<ArticleFacts | null> {
    const a = await q
      .selectFrom('articles')
      .select(['id', 'status', 'urgent', 'headline', 'dek', 'modified_at'])
      .where('id', '=', articleId)
      .executeTakeFirst();
    if (!a) return null;
    const live = await q
      .selectFrom('placements')
      .select('site_id')
      .where('article_id', '=', articleId)
      .where('live', '=', 1)
      .orderBy('id')
      .execute();
    return {
      id: a.id,
      status: a.status,
      urgent: a.urgent === 1,
      headline: a.headline,
      dek: a.dek,
      modifiedAt: fromDbTime(a.modified_at),
      liveSiteIds: [...new Set(live.map((p) => p.site_id))],
    };
  }

  /** The one alert of a story on a site: created once, then its sends started (each idempotent). */
  async alertSite(articleId: number, siteId: number): Promise<number | null> {
    const issueId = await this.k.transaction().execute(async (trx) => {
      // Two nodes alerting the same story take turns on its row (SQLite has one writer anyway).
      if (this.d.db.dialect === 'postgres')
        await sql`select id from articles where id = ${articleId} for update`.execute(trx);
      const existing = await trx
        .selectFrom('newsletter_issues')
        .select(['id', 'status'])
        .where('article_id', '=', articleId)
        .where('site_id', '=', siteId)
        .where('kind', '=', 'alert')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (existing) return existing.status === 'cancelled' ? null : existing.id;
      const list = await trx
        .selectFrom('newsletters')
        .select('id')
        .where('site_id', '=', siteId)
        .where('kind', '=', 'alerts')
        .where('active', '=', 1)
        .orderBy('position')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!list) return null;
      const facts = (await this.facts(trx, articleId))!;
      const id = await this.insertIssue(trx, list.id, siteId, facts, 'alert');
      await this.d.push.freeze(id, siteId, trx);
      await this.d.jobs.enqueue(PUSH_JOB, `${PUSH_JOB}:${id}:0`, { issueId: id, round: 0 }, { trx });
      return id;
    });
    if (issueId !== null) await this.d.mail()?.start(issueId);
    return issueId;
  }

  private async insertIssue(
    trx: Kysely<Database>,
    newsletterId: number,
    siteId: number,
    facts: ArticleFacts,
    block: AlertBlock,
  ): Promise<number> {
    const now = toDbTime(this.now());
    const row = await trx
      .insertInto('newsletter_issues')
      .values({
        newsletter_id: newsletterId,
        site_id: siteId,
        kind: 'alert',
        status: block === 'alert' ? 'queued' : 'sending',
        subject: facts.headline,
        intro: facts.dek,
        items: JSON.stringify([{ articleId: facts.id, block }]),
        article_id: facts.id,
        scheduled_for: now,
        started_at: block === 'alert' ? null : now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * A correction or kill: within the window after a site's first alert, cancel what is not sent (email and
   * push, of the alert and of earlier corrections); after a correction of a story still live there, send
   * the updated alert by push to the same subscriptions.
   */
  private async amend(facts: ArticleFacts, kind: 'updated' | 'taken_down'): Promise<void> {
    const since = new Date(this.now().getTime() - this.d.correctionMinutes * 60_000);
    const issues = await this.k
      .selectFrom('newsletter_issues')
      .select(['id', 'site_id', 'newsletter_id', 'items', 'created_at', 'status'])
      .where('article_id', '=', facts.id)
      .where('kind', '=', 'alert')
      .orderBy('id')
      .execute();
    const bySite = new Map<number, typeof issues>();
    for (const i of issues) bySite.set(i.site_id, [...(bySite.get(i.site_id) ?? []), i]);
    for (const [siteId, list] of bySite) {
      const first = list[0]!;
      const firstAt = fromDbTime(first.created_at);
      // Only what happened after the alert went out, and within the window.
      if (firstAt < since || facts.modifiedAt < firstAt) continue;
      const mail = this.d.mail();
      for (const i of list) {
        await this.d.push.cancelUndelivered(i.id);
        if (mail && blockOf(i.items) === 'alert') await mail.cancelUndelivered(i.id);
      }
      const correct =
        kind === 'updated' && facts.status === 'published' && facts.liveSiteIds.includes(siteId);
      if (!correct) continue;
      await this.k.transaction().execute(async (trx) => {
        const id = await this.insertIssue(trx, first.newsletter_id, siteId, facts, 'correction');
        await this.d.push.freezeLike(id, first.id, trx);
        await this.d.jobs.enqueue(PUSH_JOB, `${PUSH_JOB}:${id}:0`, { issueId: id, round: 0 }, { trx });
      });
    }
  }
}

const KIND = {
  'article.published': 'published',
  'article.updated': 'updated',
  'article.taken_down': 'taken_down',
} as const satisfies Record<string, AlertEventKind>;

/** Which kind of alert issue this is, from its items. */
export function blockOf(items: string): AlertBlock {
  try {
    const parsed = JSON.parse(items) as { block?: string }[];
    return parsed[0]?.block === 'correction' ? 'correction' : 'alert';
  } catch {
    return 'alert';
  }
}

// A digest's issues as the composer and the editor see them: the next issue of a list (the one 'draft',
// which the admin opens before it goes out), its stories in print order with the block each belongs to
// ('top' or 'section:<id>'), and the editor's changes to it: move a story up or down, remove one, add one,
// the intro and the subject. Only a draft can be changed (NEWSLETTER_ISSUE_LOCKED otherwise). An editor's
// change bumps updated_at past created_at, which tells the scheduler the draft is no longer its own to
// compose again before the send. A story taken down leaves every issue not yet sent (draft or queued).
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/values.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { IssueStatus, NewsletterIssuesTable } from '../tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface IssueItem {
  articleId: number;
  /** 'top', or 'section:<sectionId>'. */
  block: string;
}

export interface DigestIssue {
  id: number;
  newsletterId: number;
  siteId: number;
  status: IssueStatus;
  subject: string;
  intro: string;
  items: IssueItem[];
  scheduledFor: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** An editor changed it (the scheduler then sends it as it is, without composing it again). */
  edited: boolean;
  note: string | null;
  counts: {
    recipients: number;
    sent: number;
    failed: number;
    bounced: number;
    unsubscribed: number;
    opens: number;
    clicks: number;
  };
}

export const INTRO_MAX = 2000;
export const SUBJECT_MAX = 150;
/** A digest holds at most this many stories (top stories plus every section block). */
export const ITEMS_MAX = 60;

export function parseItems(raw: string): IssueItem[] {
  try {
    const v = JSON.parse(raw) as unknown;
    if (!Array.isArray(v)) return [];
    return v
      .filter(
        (x): x is IssueItem =>
          !!x &&
          typeof x === 'object' &&
          Number.isInteger((x as IssueItem).articleId) &&
          typeof (x as IssueItem).block === 'string',
      )
      .map((x) => ({ articleId: x.articleId, block: x.block }));
  } catch {
    return [];
  }
}

export function toIssue(r: Selectable<NewsletterIssuesTable>): DigestIssue {
  const created = fromDbTime(r.created_at);
  const updated = fromDbTime(r.updated_at);
  return {
    id: r.id,
    newsletterId: r.newsletter_id,
    siteId: r.site_id,
    status: r.status,
    subject: r.subject,
    intro: r.intro,
    items: parseItems(r.items),
    scheduledFor: fromDbTimeOrNull(r.scheduled_for),
    startedAt: fromDbTimeOrNull(r.started_at),
    finishedAt: fromDbTimeOrNull(r.finished_at),
    createdAt: created,
    updatedAt: updated,
    edited: updated.getTime() > created.getTime(),
    note: r.status_note,
    counts: {
      recipients: Number(r.recipient_count),
      sent: Number(r.sent_count),
      failed: Number(r.failed_count),
      bounced: Number(r.bounced_count),
      unsubscribed: Number(r.unsubscribed_count),
      opens: Number(r.open_count),
      clicks: Number(r.click_count),
    },
  };
}

function locked(issue: DigestIssue): DatelineError {
  return new DatelineError(
    'NEWSLETTER_ISSUE_LOCKED',
    `This issue is ${issue.status === 'draft' ? 'being changed' : issue.status} and can no longer be changed. Its stories stay as they were sent; the next issue can be edited.`,
  );
}

export class DigestIssues {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(id: number, q: Q = this.db): Promise<DigestIssue | null> {
    const r = await q.selectFrom('newsletter_issues').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toIssue(r) : null;
  }

  async require(id: number, q: Q = this.db): Promise<DigestIssue> {
    const i = id ? await this.get(id, q) : null;
    if (!i)
      throw new DatelineError(
        'NEWSLETTER_ISSUE_NOT_FOUND',
        'There is no such issue (it may have been removed with its newsletter). Go back to the newsletters.',
      );
    return i;
  }

  /** The list's next issue, the draft, if one is composed. */
  async draftOf(newsletterId: number, q: Q = this.db): Promise<DigestIssue | null> {
    const r = await q
      .selectFrom('newsletter_issues')
      .selectAll()
      .where('newsletter_id', '=', newsletterId)
      .where('status', '=', 'draft')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return r ? toIssue(r) : null;
  }

  /** The last issue of the list that went out (or is going out): where the next one's stories start. */
  async lastSent(newsletterId: number, q: Q = this.db): Promise<DigestIssue | null> {
    const r = await q
      .selectFrom('newsletter_issues')
      .selectAll()
      .where('newsletter_id', '=', newsletterId)
      .where('status', 'in', ['queued', 'sending', 'paused', 'sent'])
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return r ? toIssue(r) : null;
  }

  /** Issues of a list, newest first, for the admin's sends list. */
  async recent(newsletterIds: number[], limit = 50): Promise<DigestIssue[]> {
    if (newsletterIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('newsletter_issues')
      .selectAll()
      .where('newsletter_id', 'in', newsletterIds)
      .where('status', '!=', 'draft')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toIssue);
  }

  async createDraft(
    n: { id: number; siteId: number },
    o: { subject: string; items: IssueItem[]; scheduledFor: Date | null },
    q: Q = this.db,
  ): Promise<DigestIssue> {
    const now = toDbTime(this.now());
    const row = await q
      .insertInto('newsletter_issues')
      .values({
        newsletter_id: n.id,
        site_id: n.siteId,
        kind: 'digest',
        status: 'draft',
        subject: o.subject.slice(0, SUBJECT_MAX),
        intro: '',
        items: JSON.stringify(o.items.slice(0, ITEMS_MAX)),
        scheduled_for: o.scheduledFor ? toDbTime(o.scheduledFor) : null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.require(row.id, q);
  }

  /** The composer's own refresh of a draft no editor has touched: created_at and updated_at move together. */
  async recompose(
    id: number,
    o: { subject: string; items: IssueItem[]; scheduledFor: Date | null },
    q: Q = this.db,
  ) {
    const now = toDbTime(this.now());
    await q
      .updateTable('newsletter_issues')
      .set({
        subject: o.subject.slice(0, SUBJECT_MAX),
        items: JSON.stringify(o.items.slice(0, ITEMS_MAX)),
        scheduled_for: o.scheduledFor ? toDbTime(o.scheduledFor) : null,
        created_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .whereRef('updated_at', '=', 'created_at')
      .execute();
  }

  /** Applies an editor's change to a draft, in one transaction that re-reads it first. */
  private async edit(
    id: number,
    change: (i: DigestIssue) => Partial<Pick<DigestIssue, 'items' | 'intro' | 'subject'>>,
  ) {
    return this.db.transaction().execute(async (trx) => {
      const issue = await this.require(id, trx);
      if (issue.status !== 'draft') throw locked(issue);
      const patch = change(issue);
      const res = await trx
        .updateTable('newsletter_issues')
        .set({
          ...(patch.items && { items: JSON.stringify(patch.items) }),
          ...(patch.intro !== undefined && { intro: patch.intro }),
          ...(patch.subject !== undefined && { subject: patch.subject }),
          // Past created_at, even within the same millisecond: the draft is the editor's now.
          updated_at: toDbTime(new Date(Math.max(this.now().getTime(), issue.createdAt.getTime() + 1))),
        })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows ?? 0n) === 0) throw locked(issue);
      return this.require(id, trx);
    });
  }

  /** Moves the story one place up (-1) or down (+1) within its block. */
  move(id: number, articleId: number, by: -1 | 1): Promise<DigestIssue> {
    return this.edit(id, (issue) => {
      const items = [...issue.items];
      const at = items.findIndex((x) => x.articleId === articleId);
      if (at < 0) throw notInIssue();
      const block = items[at]!.block;
      let to = at + by;
      while (to >= 0 && to < items.length && items[to]!.block !== block) to += by;
      if (to < 0 || to >= items.length) return { items };
      [items[at], items[to]] = [items[to]!, items[at]!];
      return { items };
    });
  }

  remove(id: number, articleId: number): Promise<DigestIssue> {
    return this.edit(id, (issue) => {
      if (!issue.items.some((x) => x.articleId === articleId)) throw notInIssue();
      return { items: issue.items.filter((x) => x.articleId !== articleId) };
    });
  }

  /** Adds a story at the end of a block (the caller checked it is live on the issue's site). */
  add(id: number, articleId: number, block: string): Promise<DigestIssue> {
    return this.edit(id, (issue) => {
      if (issue.items.some((x) => x.articleId === articleId))
        throw new DatelineError('NEWSLETTER_INVALID', 'That story is in the issue already.', {
          field: 'articleId',
        });
      if (issue.items.length >= ITEMS_MAX)
        throw new DatelineError(
          'NEWSLETTER_INVALID',
          `An issue holds at most ${ITEMS_MAX} stories; remove one first.`,
          {
            field: 'articleId',
          },
        );
      const items = [...issue.items];
      let last = -1;
      items.forEach((x, i) => {
        if (x.block === block) last = i;
      });
      // A block not in the issue yet goes after the others; top stories always come first.
      const at = last >= 0 ? last + 1 : block === 'top' ? 0 : items.length;
      items.splice(at, 0, { articleId, block });
      return { items };
    });
  }

  async setText(id: number, o: { intro: string; subject: string }): Promise<DigestIssue> {
    const intro = o.intro.replace(/\r\n?/g, '\n').trim();
    const subject = o.subject.normalize('NFC').trim().replace(/\s+/g, ' ');
    if ([...intro].length > INTRO_MAX)
      throw new DatelineError('NEWSLETTER_INVALID', `The intro has at most ${INTRO_MAX} characters.`, {
        field: 'intro',
      });
    if (subject === '' || [...subject].length > SUBJECT_MAX || /[\p{Cc}\p{Cf}]/u.test(subject))
      throw new DatelineError(
        'NEWSLETTER_INVALID',
        `The subject is 1 to ${SUBJECT_MAX} characters on one line.`,
        { field: 'subject' },
      );
    return this.edit(id, () => ({ intro, subject }));
  }

  /**
   * Takes a story out of every issue not yet sent (draft or queued); returns how many issues changed. The
   * composer's own drafts stay its own (created_at moves with updated_at), an edited draft stays edited.
   */
  async removeArticleEverywhere(articleId: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('newsletter_issues')
        .selectAll()
        .where('kind', '=', 'digest')
        .where('status', 'in', ['draft', 'queued'])
        .execute();
      let changed = 0;
      for (const r of rows) {
        const items = parseItems(r.items);
        if (!items.some((x) => x.articleId === articleId)) continue;
        await trx
          .updateTable('newsletter_issues')
          .set({ items: JSON.stringify(items.filter((x) => x.articleId !== articleId)) })
          .where('id', '=', r.id)
          .where('status', 'in', ['draft', 'queued'])
          .execute();
        changed++;
      }
      return changed;
    });
  }
}

function notInIssue(): DatelineError {
  return new DatelineError(
    'NEWSLETTER_INVALID',
    'That story is not in this issue (any more). Reload the issue.',
    {
      field: 'articleId',
    },
  );
}

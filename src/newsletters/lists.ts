// The newsletters of each site (the `newsletters` table): digests on a schedule and the site's one breaking-
// news alert list. The signup pages read them; the admin's newsletter screens (src/admin/newsletters) create
// and change them through `NewsletterLists`, which checks every field at the edge (slug, name, sender and
// reply-to addresses, schedule, composition) and answers DATELINE_ERR_NEWSLETTER_INVALID with the field
// named. At most one list per site carries the article box, and a site has at most one alert list. Every
// change is written in a transaction with a `newsletter.changed` event, which drops the site's cached pages
// (the masthead link and the article box show the lists).
import type { Kysely, Selectable, Transaction } from 'kysely';
import { checkEmail } from '../accounts/fields.ts';
import type { Database } from '../db/database.ts';
import { fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { Events } from '../events/log.ts';
import type { NewsletterKind, NewslettersTable } from './tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** When a digest goes out, in the site's time zone: ISO weekdays (1 = Monday … 7 = Sunday) and "HH:MM". */
export interface Schedule {
  days: number[];
  time: string;
}

/** What a digest is composed of: the top stories, then one block per chosen section. */
export interface Composition {
  topCount: number;
  sections: { sectionId: number; count: number }[];
}

export interface Newsletter {
  id: number;
  siteId: number;
  slug: string;
  name: string;
  description: string;
  kind: NewsletterKind;
  /** Null for alert lists (sent when news breaks, not on a schedule). */
  schedule: Schedule | null;
  composition: Composition;
  senderName: string;
  senderEmail: string;
  replyTo: string | null;
  template: string;
  articleBox: boolean;
  trackEngagement: boolean;
  active: boolean;
  position: number;
  nextIssueAt: Date | null;
}

export interface NewsletterInput {
  slug: string;
  name: string;
  description?: string;
  kind: NewsletterKind;
  schedule?: Schedule | null;
  composition?: Composition;
  senderName: string;
  senderEmail: string;
  replyTo?: string | null;
  template?: string;
  articleBox?: boolean;
  trackEngagement?: boolean;
  active?: boolean;
  position?: number;
}

export type NewsletterPatch = Partial<Omit<NewsletterInput, 'kind'>> & { nextIssueAt?: Date | null };

/**
 * Works out when a digest is next due (UTC) from its schedule in the site's time zone; the digests feature
 * (src/newsletters/digests) sets it with `setNextIssueCalculator`, and create/update then keep
 * next_issue_at in step. Without one, next_issue_at is left as given.
 */
export type NextIssueCalculator = (schedule: Schedule, siteId: number, after: Date) => Date | null;

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
const NAME_MAX = 80;
const DESCRIPTION_MAX = 400;
const SENDER_NAME_MAX = 80;
const TEMPLATE_PATTERN = /^[a-z0-9-]{1,40}$/;

function problem(field: string, message: string): DatelineError {
  return new DatelineError('NEWSLETTER_INVALID', message, { field });
}

export function parseSchedule(raw: string): Schedule | null {
  try {
    const v = JSON.parse(raw) as Partial<Schedule>;
    if (!Array.isArray(v.days) || typeof v.time !== 'string') return null;
    return { days: v.days.map(Number), time: v.time };
  } catch {
    return null;
  }
}

export function parseComposition(raw: string): Composition {
  try {
    const v = JSON.parse(raw) as Partial<Composition>;
    return {
      topCount: Number.isInteger(v.topCount) ? (v.topCount as number) : 5,
      sections: Array.isArray(v.sections)
        ? v.sections.map((s) => ({ sectionId: Number(s.sectionId), count: Number(s.count) }))
        : [],
    };
  } catch {
    return { topCount: 5, sections: [] };
  }
}

export function toNewsletter(r: Selectable<NewslettersTable>): Newsletter {
  return {
    id: r.id,
    siteId: r.site_id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    kind: r.kind,
    schedule: r.kind === 'alerts' ? null : parseSchedule(r.schedule),
    composition: parseComposition(r.composition),
    senderName: r.sender_name,
    senderEmail: r.sender_email,
    replyTo: r.reply_to,
    template: r.template,
    articleBox: Number(r.article_box) === 1,
    trackEngagement: Number(r.track_engagement) === 1,
    active: Number(r.active) === 1,
    position: Number(r.position),
    nextIssueAt: fromDbTimeOrNull(r.next_issue_at),
  };
}

/** Checks a schedule: at least one weekday, each 1–7 once, and a time of day HH:MM (24-hour). */
export function checkSchedule(s: Schedule | null | undefined): Schedule {
  if (!s || !Array.isArray(s.days) || s.days.length === 0)
    throw problem('schedule', 'Choose at least one day of the week for the newsletter to go out.');
  const days = [...new Set(s.days.map(Number))].sort((a, b) => a - b);
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    throw problem('schedule', 'Days of the week are numbered 1 (Monday) to 7 (Sunday).');
  if (typeof s.time !== 'string' || !/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(s.time))
    throw problem('schedule', 'Give the time of day as HH:MM on a 24-hour clock, e.g. 07:00.');
  return { days, time: s.time };
}

function checkComposition(c: Composition | undefined): Composition {
  const v = c ?? { topCount: 5, sections: [] };
  if (!Number.isInteger(v.topCount) || v.topCount < 0 || v.topCount > 20)
    throw problem('composition', 'The number of top stories is a whole number from 0 to 20.');
  if (!Array.isArray(v.sections) || v.sections.length > 20)
    throw problem('composition', 'A digest has at most 20 section blocks.');
  const seen = new Set<number>();
  for (const s of v.sections) {
    if (!Number.isInteger(s.sectionId) || s.sectionId < 1 || seen.has(s.sectionId))
      throw problem('composition', 'Each section block names a different section of the site.');
    if (!Number.isInteger(s.count) || s.count < 1 || s.count > 20)
      throw problem('composition', 'Each section block has 1 to 20 stories.');
    seen.add(s.sectionId);
  }
  if (v.topCount === 0 && v.sections.length === 0)
    throw problem('composition', 'A digest needs top stories or at least one section block.');
  return { topCount: v.topCount, sections: v.sections.map((s) => ({ ...s })) };
}

function checkText(field: string, label: string, raw: string | undefined, max: number, required: boolean) {
  const v = (raw ?? '').normalize('NFC').trim().replace(/\s+/g, ' ');
  if (required && v === '') throw problem(field, `Enter the ${label}.`);
  if ([...v].length > max) throw problem(field, `The ${label} has at most ${max} characters.`);
  if (/[\p{Cc}\p{Cf}]/u.test(v))
    throw problem(field, `The ${label} contains control or invisible characters.`);
  return v;
}

function checkAddress(field: string, label: string, raw: string): string {
  const c = checkEmail(raw);
  if (!c.ok) throw problem(field, `${label}: ${c.problem}`);
  return c.value;
}

export class NewsletterLists {
  private nextIssue: NextIssueCalculator | null = null;

  constructor(
    private readonly events: Events,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q(): Kysely<Database> {
    return this.events.db.kysely;
  }

  /** Set once by the digests feature: create and update then keep next_issue_at in step with the schedule. */
  setNextIssueCalculator(fn: NextIssueCalculator): void {
    this.nextIssue = fn;
  }

  /** The site's lists in their order (position, then name); `activeOnly` for what readers are offered. */
  async listBySite(
    siteId: number,
    opts: { activeOnly?: boolean } = {},
    q: Q = this.q,
  ): Promise<Newsletter[]> {
    let query = q.selectFrom('newsletters').selectAll().where('site_id', '=', siteId);
    if (opts.activeOnly) query = query.where('active', '=', 1);
    const rows = await query.orderBy('position').orderBy('name').orderBy('id').execute();
    return rows.map(toNewsletter);
  }

  async get(id: number, q: Q = this.q): Promise<Newsletter | null> {
    const row = await q.selectFrom('newsletters').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toNewsletter(row) : null;
  }

  async require(id: number, q: Q = this.q): Promise<Newsletter> {
    const n = await this.get(id, q);
    if (!n) throw new DatelineError('NEWSLETTER_NOT_FOUND', `There is no newsletter ${id}.`);
    return n;
  }

  async getBySlug(siteId: number, slug: string, q: Q = this.q): Promise<Newsletter | null> {
    const row = await q
      .selectFrom('newsletters')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row ? toNewsletter(row) : null;
  }

  /** The site's breaking-news list (kind 'alerts'), if it has one. */
  async alertsList(siteId: number, q: Q = this.q): Promise<Newsletter | null> {
    const row = await q
      .selectFrom('newsletters')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('kind', '=', 'alerts')
      .orderBy('id')
      .executeTakeFirst();
    return row ? toNewsletter(row) : null;
  }

  /** Every active list of every site with the article box set, for the box at the end of stories. */
  async articleBoxLists(q: Q = this.q): Promise<Newsletter[]> {
    const rows = await q
      .selectFrom('newsletters')
      .selectAll()
      .where('article_box', '=', 1)
      .where('active', '=', 1)
      .execute();
    return rows.map(toNewsletter);
  }

  async create(siteId: number, input: NewsletterInput): Promise<Newsletter> {
    const kind = input.kind;
    if (kind !== 'digest' && kind !== 'alerts')
      throw problem('kind', 'A newsletter is a digest or the site’s alert list.');
    const { slug, name, description, senderName, senderEmail, replyTo, schedule, composition, template } =
      checkedFields(kind, input);
    const now = this.now();
    const nextIssueAt = schedule && this.nextIssue ? this.nextIssue(schedule, siteId, now) : null;
    const { id, eventId } = await this.q.transaction().execute(async (trx) => {
      if (await this.getBySlug(siteId, slug, trx)) throw slugTaken(slug);
      if (kind === 'alerts' && (await this.alertsList(siteId, trx)))
        throw problem('kind', 'The site already has its alert list; a site has one.');
      await this.checkSections(trx, siteId, composition);
      if (input.articleBox) await this.clearArticleBox(trx, siteId);
      const row = await trx
        .insertInto('newsletters')
        .values({
          site_id: siteId,
          slug,
          name,
          description,
          kind,
          schedule: JSON.stringify(schedule ?? {}),
          composition: JSON.stringify(composition),
          sender_name: senderName,
          sender_email: senderEmail,
          reply_to: replyTo,
          template,
          article_box: input.articleBox ? 1 : 0,
          track_engagement: input.trackEngagement ? 1 : 0,
          active: input.active === false ? 0 : 1,
          position: input.position ?? 0,
          next_issue_at: nextIssueAt ? toDbTime(nextIssueAt) : null,
          created_at: toDbTime(now),
          updated_at: toDbTime(now),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const eventId = await this.events.record(trx, {
        type: 'newsletter.changed',
        siteId,
        newsletterId: row.id,
      });
      return { id: row.id, eventId };
    });
    this.events.published({ type: 'newsletter.changed', siteId, newsletterId: id }, eventId);
    return this.require(id);
  }

  /** Changes the given fields; the others keep their values. The kind never changes. */
  async update(id: number, patch: NewsletterPatch): Promise<Newsletter> {
    const current = await this.require(id);
    const merged: NewsletterInput = {
      slug: patch.slug ?? current.slug,
      name: patch.name ?? current.name,
      description: patch.description ?? current.description,
      kind: current.kind,
      schedule: patch.schedule === undefined ? current.schedule : patch.schedule,
      composition: patch.composition ?? current.composition,
      senderName: patch.senderName ?? current.senderName,
      senderEmail: patch.senderEmail ?? current.senderEmail,
      replyTo: patch.replyTo === undefined ? current.replyTo : patch.replyTo,
      template: patch.template ?? current.template,
    };
    const { slug, name, description, senderName, senderEmail, replyTo, schedule, composition, template } =
      checkedFields(current.kind, merged);
    const active = patch.active ?? current.active;
    const now = this.now();
    let nextIssueAt: Date | null | undefined = patch.nextIssueAt;
    const scheduleChanged = JSON.stringify(schedule) !== JSON.stringify(current.schedule);
    if (
      nextIssueAt === undefined &&
      this.nextIssue &&
      schedule &&
      (scheduleChanged || (active && !current.active))
    )
      nextIssueAt = this.nextIssue(schedule, current.siteId, now);
    if (nextIssueAt === undefined && !active) nextIssueAt = null;
    const siteId = current.siteId;
    const eventId = await this.q.transaction().execute(async (trx) => {
      if (slug !== current.slug && (await this.getBySlug(siteId, slug, trx))) throw slugTaken(slug);
      await this.checkSections(trx, siteId, composition);
      if (patch.articleBox) await this.clearArticleBox(trx, siteId);
      await trx
        .updateTable('newsletters')
        .set({
          slug,
          name,
          description,
          schedule: JSON.stringify(schedule ?? {}),
          composition: JSON.stringify(composition),
          sender_name: senderName,
          sender_email: senderEmail,
          reply_to: replyTo,
          template,
          ...(patch.articleBox !== undefined && { article_box: patch.articleBox ? 1 : 0 }),
          ...(patch.trackEngagement !== undefined && { track_engagement: patch.trackEngagement ? 1 : 0 }),
          active: active ? 1 : 0,
          ...(patch.position !== undefined && { position: patch.position }),
          ...(nextIssueAt !== undefined && { next_issue_at: nextIssueAt ? toDbTime(nextIssueAt) : null }),
          updated_at: toDbTime(now),
        })
        .where('id', '=', id)
        .execute();
      return this.events.record(trx, { type: 'newsletter.changed', siteId, newsletterId: id });
    });
    this.events.published({ type: 'newsletter.changed', siteId, newsletterId: id }, eventId);
    return this.require(id);
  }

  /** Sets when the digest is next due (the digests scheduler, after composing an issue). */
  async setNextIssueAt(id: number, at: Date | null, q: Q = this.q): Promise<void> {
    await q
      .updateTable('newsletters')
      .set({ next_issue_at: at ? toDbTime(at) : null })
      .where('id', '=', id)
      .execute();
  }

  private async clearArticleBox(trx: Q, siteId: number): Promise<void> {
    await trx.updateTable('newsletters').set({ article_box: 0 }).where('site_id', '=', siteId).execute();
  }

  private async checkSections(trx: Q, siteId: number, c: Composition): Promise<void> {
    if (c.sections.length === 0) return;
    const ids = c.sections.map((s) => s.sectionId);
    const found = await trx
      .selectFrom('sections')
      .select('id')
      .where('site_id', '=', siteId)
      .where('id', 'in', ids)
      .execute();
    if (found.length !== new Set(ids).size)
      throw problem('composition', 'A section block names a section that is not on this site.');
  }
}

/** The fields create and update both check, in this order, each refused with its own name. */
function checkedFields(kind: NewsletterKind, input: NewsletterInput) {
  const slug = (input.slug ?? '').trim().toLowerCase();
  if (!SLUG_PATTERN.test(slug))
    throw problem(
      'slug',
      'The slug is 1 to 50 lower-case letters, digits and hyphens, e.g. morning-briefing.',
    );
  const name = checkText('name', 'name', input.name, NAME_MAX, true);
  const description = checkText('description', 'description', input.description, DESCRIPTION_MAX, false);
  const senderName = checkText('senderName', 'sender name', input.senderName, SENDER_NAME_MAX, true);
  const senderEmail = checkAddress('senderEmail', 'Sender address', input.senderEmail);
  const replyTo = input.replyTo ? checkAddress('replyTo', 'Reply-to address', input.replyTo) : null;
  const schedule = kind === 'digest' ? checkSchedule(input.schedule) : null;
  const composition = kind === 'digest' ? checkComposition(input.composition) : { topCount: 0, sections: [] };
  const template = input.template ?? 'standard';
  if (!TEMPLATE_PATTERN.test(template)) throw problem('template', 'Choose one of the templates.');
  return { slug, name, description, senderName, senderEmail, replyTo, schedule, composition, template };
}

function slugTaken(slug: string): DatelineError {
  return new DatelineError(
    'NEWSLETTER_SLUG_TAKEN',
    `The site already has a newsletter "${slug}". Choose another slug.`,
    {
      field: 'slug',
    },
  );
}

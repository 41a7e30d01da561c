// Signing up for newsletters and leaving them: the reader-side rules of issue #10.
// - subscribe: from the signup form (double opt-in: pending subscriptions and one confirmation mail), or
//   from a signed-in reader whose account address is verified (active at once, consent 'account'). The same
//   address within 10 minutes gets no second mail, and nothing in the answer tells whether an address was
//   already subscribed. Floods are limited per network address (refused, 429) and per mailbox (the mail is
//   skipped, the answer unchanged).
// - confirm: the mailed link confirms every pending subscription of that address on that site.
// - unsubscribe and preferences: the signed per-recipient links (../links.ts); a link of an older link
//   version, a tampered or a malformed one changes nothing and answers DATELINE_ERR_NEWSLETTER_LINK_INVALID.
// - importSubscribers: the admin's CSV import; rows without consent get a confirmation mail, not newsletters.
// - forgetUnconfirmed: pending subscriptions older than 7 days, and addresses left with none, are deleted.
// Every change runs in one transaction, with its mail queued in the same one.

import type { MailSite } from '../../accounts/mails.ts';
import type { Limiter, LimiterFactory } from '../../accounts/rate-limit.ts';
import type { Db } from '../../db/connection.ts';
import { toDbTime } from '../../db/values.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { MailService } from '../../mail/mailer.ts';
import {
  CONFIRM_TTL_MS,
  confirmToken,
  confirmTokenValid,
  parseConfirmToken,
  readRecipientToken,
} from '../links.ts';
import type { Newsletter, NewsletterLists } from '../lists.ts';
import type { ConsentSource, SubscriptionStatus } from '../tables.ts';
import { checkSignupAddress } from './address.ts';
import { confirmationMail } from './mails.ts';
import {
  ensureSubscriber,
  pendingOnSite,
  type Q,
  type Subscriber,
  setSubscription,
  subscriberById,
  subscriptionsOf,
} from './subscribers.ts';

/** No second confirmation mail to one address for one site within this time. */
export const CONFIRM_RESEND_MS = 10 * 60_000;

export interface SignupLimits {
  /** Signup requests per network address per hour. */
  perIpPerHour: number;
  /** Confirmation mails one address may be sent per hour. */
  perAddressPerHour: number;
}

export const DEFAULT_SIGNUP_LIMITS: SignupLimits = { perIpPerHour: 20, perAddressPerHour: 3 };

export interface SubscriptionsDeps {
  db: Db;
  lists: NewsletterLists;
  mail: MailService;
  limits: LimiterFactory;
  signingKey: () => Buffer;
  mailSite: (siteId: number, origin: string) => MailSite;
  /** The public origin of a site, for links in mail sent without a request (imports). */
  siteOrigin: (siteId: number) => string;
  settings?: Partial<SignupLimits>;
  now?: () => Date;
}

export interface SubscribeInput {
  siteId: number;
  email: string;
  newsletterIds: number[];
  /** 'form': pending until the mailed link is used. Others are consent already given (see `confirmed`). */
  source: ConsentSource;
  /** The address is proved (a verified account address): active at once. Only with source 'account'/'social'. */
  confirmed?: boolean;
  userId?: number | null;
  ip: string | null;
  origin?: string;
}

export interface SubscribeOutcome {
  subscriberId: number;
  /** Lists that became active now. */
  activated: number[];
  /** Whether a confirmation mail was queued. Never shown to the reader. */
  mailed: boolean;
}

export interface ListChoice {
  newsletter: Newsletter;
  status: SubscriptionStatus | null;
}

export function signupProblem(field: string, message: string): DatelineError {
  return new DatelineError('NEWSLETTER_SIGNUP_INVALID', message, { field });
}

export function linkInvalid(): DatelineError {
  return new DatelineError(
    'NEWSLETTER_LINK_INVALID',
    'This newsletter link is not valid: it was changed on the way, has expired, or a newer mail replaced it. ' +
      'Nothing was changed. Use the link in the newest mail, or sign up again from the newsletters page.',
  );
}

export class NewsletterSubscriptions {
  private readonly ipLimit: Limiter;
  private readonly addressLimit: Limiter;
  private readonly now: () => Date;
  readonly limits: SignupLimits;

  constructor(private readonly deps: SubscriptionsDeps) {
    const s = { ...DEFAULT_SIGNUP_LIMITS, ...deps.settings };
    this.limits = s;
    this.ipLimit = deps.limits.make('newsletter-signup-ip', {
      points: s.perIpPerHour,
      durationSeconds: 3600,
    });
    this.addressLimit = deps.limits.make('newsletter-signup-address', {
      points: s.perAddressPerHour,
      durationSeconds: 3600,
    });
    this.now = deps.now ?? (() => new Date());
  }

  private get q() {
    return this.deps.db.kysely;
  }

  /** The lists of `siteId` a signup names: active ones of that site only, at least one. */
  private async chosenLists(siteId: number, ids: number[], q: Q): Promise<Newsletter[]> {
    const lists = await this.deps.lists.listBySite(siteId, { activeOnly: true }, q);
    const wanted = new Set(ids);
    const chosen = lists.filter((l) => wanted.has(l.id));
    if (chosen.length === 0 || chosen.length !== wanted.size)
      throw signupProblem('newsletters', 'Choose at least one of the newsletters listed.');
    return chosen;
  }

  async subscribe(input: SubscribeInput): Promise<SubscribeOutcome> {
    const confirmed = input.confirmed === true && input.source !== 'form';
    let email: string;
    if (confirmed) {
      email = input.email.trim().toLowerCase();
    } else {
      // Counted before anything else, valid or not: a flood of junk is a flood too.
      if (input.ip) {
        const wait = await this.ipLimit.consume(input.ip);
        if (wait > 0)
          throw new DatelineError(
            'NEWSLETTER_SIGNUP_LIMITED',
            `There have been too many signups from your network address. Try again in ${Math.ceil(wait / 60)} minutes.`,
            { retryAfter: wait },
          );
      }
      const checked = checkSignupAddress(input.email);
      if (!checked.ok) throw signupProblem('email', checked.problem);
      email = checked.value;
    }
    const now = this.now();
    const chosen = await this.chosenLists(input.siteId, input.newsletterIds, this.q);
    const target: SubscriptionStatus = confirmed ? 'active' : 'pending';
    // Read before the look-up, the same whether or not the address is known; over it, no mail goes.
    const mayMail = !confirmed && (await this.addressLimit.spent(email)) < this.limits.perAddressPerHour;
    const out = await this.q.transaction().execute(async (trx) => {
      const sub = await ensureSubscriber(trx, email, input.userId ?? null, now);
      const existing = await subscriptionsOf(
        trx,
        sub.id,
        chosen.map((l) => l.id),
      );
      const activated: number[] = [];
      for (const list of chosen) {
        const before = await setSubscription(
          trx,
          sub.id,
          list.id,
          target,
          { source: input.source, ip: input.ip },
          now,
          existing.get(list.id),
        );
        if (target === 'active' && before !== 'active') activated.push(list.id);
      }
      const mailed =
        mayMail && (await this.mailConfirmation(trx, sub, input.siteId, input.origin ?? null, now));
      return { subscriberId: sub.id, activated, mailed };
    });
    // Counted once the mail is committed (and outside the transaction: SQLite has one connection).
    if (out.mailed) await this.addressLimit.consume(email);
    return out;
  }

  /**
   * Queues the confirmation mail for the subscriber's pending subscriptions on the site, unless there are
   * none or one went out within the last 10 minutes. Returns whether it queued one.
   */
  private async mailConfirmation(
    trx: Q,
    sub: Subscriber,
    siteId: number,
    origin: string | null,
    now: Date,
  ): Promise<boolean> {
    const pending = await pendingOnSite(trx, sub.id, siteId);
    if (pending.length === 0) return false;
    const recent = now.getTime() - CONFIRM_RESEND_MS;
    if (pending.some((p) => p.confirm_sent_at !== null && new Date(p.confirm_sent_at).getTime() > recent))
      return false;
    const base = origin ?? this.deps.siteOrigin(siteId);
    const token = confirmToken(
      this.deps.signingKey(),
      { subscriberId: sub.id, siteId, email: sub.email },
      now,
    );
    await this.deps.mail.queue(
      confirmationMail(
        this.deps.mailSite(siteId, base),
        { email: sub.email, userId: sub.userId, subscriberId: sub.id },
        pending.map((p) => p.name),
        `${base}/newsletters/confirm?t=${token}`,
        now,
      ),
      trx,
    );
    await trx
      .updateTable('newsletter_subscriptions')
      .set({ confirm_sent_at: toDbTime(now) })
      .where(
        'id',
        'in',
        pending.map((p) => p.id),
      )
      .execute();
    return true;
  }

  /** Reads a confirmation link without using it (for the page with the button). */
  async checkConfirmation(
    token: string,
    siteId: number,
  ): Promise<{ subscriber: Subscriber; lists: string[] }> {
    const t = parseConfirmToken(token, this.now());
    if (!t || t.siteId !== siteId) throw linkInvalid();
    const sub = await subscriberById(this.q, t.subscriberId);
    if (!sub || !confirmTokenValid(this.deps.signingKey(), token, sub.email)) throw linkInvalid();
    const pending = await pendingOnSite(this.q, sub.id, siteId);
    return { subscriber: sub, lists: pending.map((p) => p.name) };
  }

  /** Confirms every pending subscription of the link's address on its site; using it again changes nothing. */
  async confirm(token: string, siteId: number, ip: string | null = null): Promise<{ confirmed: string[] }> {
    const { subscriber } = await this.checkConfirmation(token, siteId);
    const now = this.now();
    return this.q.transaction().execute(async (trx) => {
      const pending = await pendingOnSite(trx, subscriber.id, siteId);
      if (pending.length > 0) {
        await trx
          .updateTable('newsletter_subscriptions')
          .set({ status: 'active', confirmed_at: toDbTime(now), updated_at: toDbTime(now), consent_ip: ip })
          .where(
            'id',
            'in',
            pending.map((p) => p.id),
          )
          .where('status', '=', 'pending')
          .execute();
      }
      return { confirmed: pending.map((p) => p.name) };
    });
  }

  // ------------------------------------------------------------------ signed per-recipient links

  /** The subscriber a preference or unsubscribe link names, when its signature and link version hold. */
  async recipient(token: string): Promise<{ subscriber: Subscriber; newsletterId: number | null }> {
    const t = readRecipientToken(this.deps.signingKey(), token);
    if (!t) throw linkInvalid();
    const sub = await subscriberById(this.q, t.subscriberId);
    if (!sub || sub.linkVersion !== t.linkVersion) throw linkInvalid();
    return { subscriber: sub, newsletterId: t.newsletterId };
  }

  /** What an unsubscribe link would leave, for the confirmation page a plain GET shows. */
  async checkUnsubscribe(
    token: string,
    siteId: number,
  ): Promise<{ subscriber: Subscriber; newsletter: Newsletter }> {
    const { subscriber, newsletterId } = await this.recipient(token);
    const newsletter = newsletterId === null ? null : await this.deps.lists.get(newsletterId);
    if (!newsletter || newsletter.siteId !== siteId) throw linkInvalid();
    return { subscriber, newsletter };
  }

  /**
   * Leaves the link's list (RFC 8058 one-click, or the button on the GET page). `issueId` (the `i` parameter)
   * counts the unsubscribe on that issue, when the address was one of its recipients.
   */
  async unsubscribe(
    token: string,
    siteId: number,
    issueId: number | null = null,
  ): Promise<{ newsletter: Newsletter; changed: boolean }> {
    const { subscriber, newsletter } = await this.checkUnsubscribe(token, siteId);
    const now = this.now();
    const changed = await this.q.transaction().execute(async (trx) => {
      const existing = (await subscriptionsOf(trx, subscriber.id, [newsletter.id])).get(newsletter.id);
      const before = await setSubscription(
        trx,
        subscriber.id,
        newsletter.id,
        'unsubscribed',
        { source: existing?.consentSource ?? 'form', ip: null },
        now,
        existing,
      );
      const left = before === 'active' || before === 'pending';
      if (left && issueId !== null) await this.countUnsubscribe(trx, issueId, newsletter.id, subscriber.id);
      return left;
    });
    return { newsletter, changed };
  }

  private async countUnsubscribe(trx: Q, issueId: number, newsletterId: number, subscriberId: number) {
    const delivered = await trx
      .selectFrom('newsletter_deliveries as d')
      .innerJoin('newsletter_issues as i', 'i.id', 'd.issue_id')
      .select('d.id')
      .where('d.issue_id', '=', issueId)
      .where('d.subscriber_id', '=', subscriberId)
      .where('i.newsletter_id', '=', newsletterId)
      .executeTakeFirst();
    if (!delivered) return;
    await trx
      .updateTable('newsletter_issues')
      .set((eb) => ({ unsubscribed_count: eb('unsubscribed_count', '+', 1) }))
      .where('id', '=', issueId)
      .execute();
  }

  /** The site's lists and where the link's address stands on each. */
  async preferences(
    token: string,
    siteId: number,
  ): Promise<{ subscriber: Subscriber; choices: ListChoice[] }> {
    const { subscriber } = await this.recipient(token);
    return { subscriber, choices: await this.choicesOf(this.q, subscriber.id, siteId) };
  }

  async choicesOf(q: Q, subscriberId: number | null, siteId: number): Promise<ListChoice[]> {
    const lists = await this.deps.lists.listBySite(siteId, { activeOnly: true }, q);
    const subs =
      subscriberId === null
        ? new Map()
        : await subscriptionsOf(
            q,
            subscriberId,
            lists.map((l) => l.id),
          );
    return lists.map((newsletter) => ({ newsletter, status: subs.get(newsletter.id)?.status ?? null }));
  }

  /**
   * Saves the preference page: the chosen lists become active (the link came to this mailbox, which proves
   * it), the others of the site are left. An empty choice leaves them all.
   */
  async savePreferences(token: string, siteId: number, chosenIds: number[]): Promise<ListChoice[]> {
    const { subscriber } = await this.recipient(token);
    return this.applyChoices(subscriber, siteId, chosenIds, 'form');
  }

  /** Sets the subscriber's lists on a site to exactly `chosenIds` (active), leaving the rest. */
  async applyChoices(
    subscriber: Subscriber,
    siteId: number,
    chosenIds: number[],
    source: ConsentSource,
    trxIn?: Q,
  ): Promise<ListChoice[]> {
    const now = this.now();
    const run = async (trx: Q) => {
      const lists = await this.deps.lists.listBySite(siteId, { activeOnly: true }, trx);
      const known = new Set(lists.map((l) => l.id));
      if (chosenIds.some((id) => !known.has(id)))
        throw signupProblem('newsletters', 'Choose among the newsletters listed.');
      const chosen = new Set(chosenIds);
      const existing = await subscriptionsOf(
        trx,
        subscriber.id,
        lists.map((l) => l.id),
      );
      for (const l of lists) {
        const e = existing.get(l.id);
        const to: SubscriptionStatus = chosen.has(l.id) ? 'active' : 'unsubscribed';
        await setSubscription(trx, subscriber.id, l.id, to, { source, ip: null }, now, e);
      }
      return this.choicesOf(trx, subscriber.id, siteId);
    };
    return trxIn ? run(trxIn) : this.q.transaction().execute(run);
  }

  // ------------------------------------------------------------------ import (admin CSV) and housekeeping

  /**
   * Adds addresses to one list. A row with consent becomes active (consent 'import'); one without becomes
   * pending and is sent a confirmation mail (the 10-minute rule applies). Bad addresses are reported by line.
   */
  async importSubscribers(
    newsletterId: number,
    rows: { email: string; consent: boolean }[],
    opts: { origin?: string } = {},
  ): Promise<{
    active: number;
    pending: number;
    mailed: number;
    skipped: { line: number; email: string; problem: string }[];
  }> {
    const list = await this.deps.lists.require(newsletterId);
    const now = this.now();
    const out = {
      active: 0,
      pending: 0,
      mailed: 0,
      skipped: [] as { line: number; email: string; problem: string }[],
    };
    const seen = new Set<string>();
    const valid: { email: string; consent: boolean }[] = [];
    rows.forEach((r, i) => {
      const c = checkSignupAddress(r.email);
      if (!c.ok) out.skipped.push({ line: i + 1, email: String(r.email).slice(0, 254), problem: c.problem });
      else if (seen.has(c.value))
        out.skipped.push({ line: i + 1, email: c.value, problem: 'The address is on an earlier line.' });
      else {
        seen.add(c.value);
        valid.push({ email: c.value, consent: r.consent === true });
      }
    });
    for (let i = 0; i < valid.length; i += 500) {
      const batch = valid.slice(i, i + 500);
      await this.q.transaction().execute(async (trx) => {
        for (const r of batch) {
          const sub = await ensureSubscriber(trx, r.email, null, now);
          const existing = (await subscriptionsOf(trx, sub.id, [list.id])).get(list.id);
          // An address that left the list is not put back by an import.
          if (existing?.status === 'unsubscribed') {
            out.skipped.push({
              line: rows.findIndex((x) => x.email.trim().toLowerCase() === r.email) + 1,
              email: r.email,
              problem: 'The address unsubscribed from this newsletter.',
            });
            continue;
          }
          const to: SubscriptionStatus = r.consent ? 'active' : 'pending';
          await setSubscription(trx, sub.id, list.id, to, { source: 'import', ip: null }, now, existing);
          if (to === 'active' || existing?.status === 'active') out.active++;
          else {
            out.pending++;
            if (await this.mailConfirmation(trx, sub, list.siteId, opts.origin ?? null, now)) out.mailed++;
          }
        }
      });
    }
    return out;
  }

  /** Deletes pending subscriptions older than 7 days, then addresses left with no subscription. */
  async forgetUnconfirmed(): Promise<{ subscriptions: number; subscribers: number }> {
    const cutoff = toDbTime(new Date(this.now().getTime() - CONFIRM_TTL_MS));
    return this.q.transaction().execute(async (trx) => {
      const subs = await trx
        .deleteFrom('newsletter_subscriptions')
        .where('status', '=', 'pending')
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      const people = await trx
        .deleteFrom('newsletter_subscribers')
        .where('created_at', '<', cutoff)
        .where('user_id', 'is', null)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('newsletter_subscriptions as s')
                .select('s.id')
                .whereRef('s.subscriber_id', '=', 'newsletter_subscribers.id'),
            ),
          ),
        )
        .executeTakeFirst();
      return { subscriptions: Number(subs.numDeletedRows), subscribers: Number(people.numDeletedRows) };
    });
  }
}

// Newsletters for readers with an account: My account's choices (the site's digests and its alert list,
// consent 'account', only for a verified address), accepting the news-alert invitation mailed after a
// social sign-up (the site's alert list, consent 'social'), the users.news_alerts_confirmed_at flag kept in
// step with the reader's alert subscriptions, and the account's newsletter rows in "Download my data" and
// in account deletion (the subscriber row and everything under it is deleted with the account).
import type { Db } from '../../db/connection.ts';
import { toDbTime } from '../../db/values.ts';
import type { NewsletterLists } from '../lists.ts';
import {
  ensureSubscriber,
  type Q,
  type Subscriber,
  setSubscription,
  subscriberByUser,
  subscriptionsOf,
} from './subscribers.ts';
import { type ListChoice, type NewsletterSubscriptions, signupProblem } from './subscriptions.ts';

export interface AccountHolder {
  id: number;
  email: string | null;
  emailVerified: boolean;
}

export class AccountNewsletters {
  constructor(
    private readonly db: Db,
    private readonly lists: NewsletterLists,
    private readonly subscriptions: NewsletterSubscriptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q() {
    return this.db.kysely;
  }

  /** The account's subscriber: the row tied to it, else the row for its address (then tied to it). */
  async subscriberOf(q: Q, user: AccountHolder, create: boolean): Promise<Subscriber | null> {
    const byUser = await subscriberByUser(q, user.id);
    if (byUser && (!user.email || byUser.email === user.email)) return byUser;
    if (!user.email || !user.emailVerified) return byUser;
    if (!create) {
      const row = await q
        .selectFrom('newsletter_subscribers')
        .select('id')
        .where('email', '=', user.email)
        .executeTakeFirst();
      if (!row) return null;
    }
    return ensureSubscriber(q, user.email, user.id, this.now());
  }

  /** The site's lists and the account's standing on each. */
  async choices(user: AccountHolder, siteId: number): Promise<ListChoice[]> {
    const sub = await this.subscriberOf(this.q, user, false);
    return this.subscriptions.choicesOf(this.q, sub?.id ?? null, siteId);
  }

  /**
   * Saves My account's form: the chosen digests and, with `alerts`, the site's alert list, active at once
   * (the account's address is verified); the others of the site are left. Alerts also set or clear the
   * account's news-alert consent.
   */
  async save(user: AccountHolder, siteId: number, chosenIds: number[], alerts: boolean): Promise<void> {
    if (!user.email || !user.emailVerified)
      throw signupProblem(
        'newsletters',
        'Confirm your email address first: we only send newsletters to a confirmed address.',
      );
    const lists = await this.lists.listBySite(siteId, { activeOnly: true });
    const alertList = lists.find((l) => l.kind === 'alerts');
    const digests = new Set(lists.filter((l) => l.kind === 'digest').map((l) => l.id));
    if (chosenIds.some((id) => !digests.has(id)))
      throw signupProblem('newsletters', 'Choose among the newsletters listed.');
    const chosen = alertList && alerts ? [...chosenIds, alertList.id] : chosenIds;
    await this.q.transaction().execute(async (trx) => {
      const sub = (await this.subscriberOf(trx, user, true))!;
      await this.subscriptions.applyChoices(sub, siteId, chosen, 'account', trx);
      await this.setAlertsFlag(trx, user.id, alerts);
    });
  }

  /** The social sign-up's invitation accepted: the site's alert list, consent 'social'. */
  async acceptAlertsInvitation(trx: Q, userId: number, siteId: number | null): Promise<void> {
    if (siteId === null) return;
    const user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'email_verified_at'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user?.email) return;
    const list = await this.lists.alertsList(siteId, trx);
    if (!list?.active) return;
    const sub = (await this.subscriberOf(
      trx,
      { id: user.id, email: user.email, emailVerified: user.email_verified_at !== null },
      true,
    ))!;
    const existing = (await subscriptionsOf(trx, sub.id, [list.id])).get(list.id);
    await setSubscription(
      trx,
      sub.id,
      list.id,
      'active',
      { source: 'social', ip: null },
      this.now(),
      existing,
    );
  }

  /** Whether the account receives the site's alerts. */
  async alertsActive(user: AccountHolder, siteId: number): Promise<boolean> {
    const list = await this.lists.alertsList(siteId);
    if (!list) return false;
    const sub = await this.subscriberOf(this.q, user, false);
    if (!sub) return false;
    return (await subscriptionsOf(this.q, sub.id, [list.id])).get(list.id)?.status === 'active';
  }

  private async setAlertsFlag(trx: Q, userId: number, on: boolean): Promise<void> {
    if (on) {
      await trx
        .updateTable('users')
        .set({ news_alerts_confirmed_at: toDbTime(this.now()) })
        .where('id', '=', userId)
        .where('news_alerts_confirmed_at', 'is', null)
        .execute();
      return;
    }
    // Cleared once the account receives no alert list on any site.
    const still = await trx
      .selectFrom('newsletter_subscriptions as s')
      .innerJoin('newsletter_subscribers as p', 'p.id', 's.subscriber_id')
      .innerJoin('newsletters as n', 'n.id', 's.newsletter_id')
      .select('s.id')
      .where('p.user_id', '=', userId)
      .where('n.kind', '=', 'alerts')
      .where('s.status', '=', 'active')
      .executeTakeFirst();
    if (!still)
      await trx
        .updateTable('users')
        .set({ news_alerts_confirmed_at: null })
        .where('id', '=', userId)
        .execute();
  }

  /** Account deletion: the account's subscriber rows (by account and by address) go, with their subscriptions. */
  async forgetAccount(trx: Q, userId: number): Promise<void> {
    const user = await trx.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
    await trx.deleteFrom('newsletter_subscribers').where('user_id', '=', userId).execute();
    if (user?.email) await trx.deleteFrom('newsletter_subscribers').where('email', '=', user.email).execute();
  }

  /** "Download my data": every subscription of the account's address. */
  async exportFor(userId: number): Promise<Record<string, unknown>> {
    const rows = await this.q
      .selectFrom('newsletter_subscriptions as s')
      .innerJoin('newsletter_subscribers as p', 'p.id', 's.subscriber_id')
      .innerJoin('newsletters as n', 'n.id', 's.newsletter_id')
      .innerJoin('sites as site', 'site.id', 'n.site_id')
      .select([
        'p.email',
        'site.name as site',
        'n.name as newsletter',
        's.status',
        's.consent_source',
        's.created_at',
        's.confirmed_at',
        's.unsubscribed_at',
      ])
      .where('p.user_id', '=', userId)
      .orderBy('s.id')
      .execute();
    return {
      newsletters: rows.map((r) => ({
        email: r.email,
        site: r.site,
        newsletter: r.newsletter,
        status: r.status,
        consent: r.consent_source,
        since: r.created_at,
        confirmedAt: r.confirmed_at,
        unsubscribedAt: r.unsubscribed_at,
      })),
    };
  }
}

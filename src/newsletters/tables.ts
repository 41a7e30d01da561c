// Tables owned by the newsletters feature (created by 0017_newsletters): lists, subscribers and their
// subscriptions, issues and their per-recipient deliveries, browser push subscriptions and their deliveries,
// the VAPID key pair, the suppression list and the bounce/complaint notifications received.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export type NewsletterKind = 'digest' | 'alerts';
export type SubscriptionStatus = 'pending' | 'active' | 'unsubscribed';
export type ConsentSource = 'form' | 'account' | 'social' | 'import' | 'admin';
export type IssueKind = 'digest' | 'alert';
export type IssueStatus = 'draft' | 'queued' | 'sending' | 'paused' | 'sent' | 'cancelled';
export type DeliveryStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'deferred'
  | 'suppressed'
  | 'cancelled';
export type PushDeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'gone' | 'cancelled';
export type SuppressionReason = 'hard_bounce' | 'complaint' | 'soft_bounces' | 'manual';
export type FeedbackKind = 'hard_bounce' | 'soft_bounce' | 'complaint';

export interface NewslettersTable {
  id: Generated<number>;
  site_id: number;
  slug: string;
  name: string;
  description: Generated<string>;
  kind: NewsletterKind;
  /** JSON { days: number[] (ISO weekdays 1–7), time: "HH:MM" } in the site's time zone. */
  schedule: Generated<string>;
  /** JSON { topCount: number, sections: { sectionId: number, count: number }[] }. */
  composition: Generated<string>;
  sender_name: string;
  sender_email: string;
  reply_to: string | null;
  template: Generated<string>;
  article_box: Generated<number>;
  track_engagement: Generated<number>;
  active: Generated<number>;
  position: Generated<number>;
  next_issue_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
}

export interface NewsletterSubscribersTable {
  id: Generated<number>;
  email: string;
  user_id: number | null;
  link_version: Generated<number>;
  created_at: Generated<DbTimestamp>;
}

export interface NewsletterSubscriptionsTable {
  id: Generated<number>;
  subscriber_id: number;
  newsletter_id: number;
  status: SubscriptionStatus;
  consent_source: ConsentSource;
  consent_ip: string | null;
  confirm_sent_at: DbTimestamp | null;
  confirmed_at: DbTimestamp | null;
  unsubscribed_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
}

export interface NewsletterIssuesTable {
  id: Generated<number>;
  newsletter_id: number;
  site_id: number;
  kind: IssueKind;
  status: IssueStatus;
  subject: string;
  intro: Generated<string>;
  /** JSON { articleId: number, block: string }[] in print order. */
  items: Generated<string>;
  article_id: number | null;
  scheduled_for: DbTimestamp | null;
  frozen_at: DbTimestamp | null;
  started_at: DbTimestamp | null;
  finished_at: DbTimestamp | null;
  status_note: string | null;
  recipient_count: Generated<number>;
  sent_count: Generated<number>;
  failed_count: Generated<number>;
  bounced_count: Generated<number>;
  unsubscribed_count: Generated<number>;
  open_count: Generated<number>;
  click_count: Generated<number>;
  created_by: number | null;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
}

export interface NewsletterDeliveriesTable {
  id: Generated<number>;
  issue_id: number;
  subscriber_id: number;
  email: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  claimed_until: DbTimestamp | null;
  last_error: string | null;
  message_id: string | null;
  sent_at: DbTimestamp | null;
}

export interface PushSubscriptionsTable {
  id: Generated<number>;
  site_id: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_id: number | null;
  failure_count: Generated<number>;
  last_success_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
}

export interface PushDeliveriesTable {
  id: Generated<number>;
  issue_id: number;
  push_subscription_id: number;
  status: PushDeliveryStatus;
  attempts: Generated<number>;
  claimed_until: DbTimestamp | null;
  last_error: string | null;
  sent_at: DbTimestamp | null;
}

export interface WebPushKeysTable {
  id: number;
  public_key: string;
  private_key: string;
  created_at: Generated<DbTimestamp>;
}

export interface MailSuppressionsTable {
  email: string;
  suppressed: Generated<number>;
  reason: SuppressionReason | null;
  soft_bounces: Generated<number>;
  detail: string | null;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
}

export interface MailFeedbackEventsTable {
  id: Generated<number>;
  provider: string;
  provider_event_id: string;
  email: string;
  kind: FeedbackKind;
  detail: string | null;
  created_at: Generated<DbTimestamp>;
}

export interface NewsletterTables {
  newsletters: NewslettersTable;
  newsletter_subscribers: NewsletterSubscribersTable;
  newsletter_subscriptions: NewsletterSubscriptionsTable;
  newsletter_issues: NewsletterIssuesTable;
  newsletter_deliveries: NewsletterDeliveriesTable;
  push_subscriptions: PushSubscriptionsTable;
  push_deliveries: PushDeliveriesTable;
  web_push_keys: WebPushKeysTable;
  mail_suppressions: MailSuppressionsTable;
  mail_feedback_events: MailFeedbackEventsTable;
}

/** The column 0017_newsletters added to the wire feature's routes. */
export interface AlertingWireRouteColumns {
  send_alert: Generated<number>;
}

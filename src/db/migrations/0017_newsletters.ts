// Newsletters and news alerts: each site's lists (digests on a schedule, and the breaking-news alert list),
// the people on them (an address, with or without a reader account) and their subscriptions with the consent
// each rests on, the issues composed and sent, one delivery row per recipient and channel (so a send that
// crashed resumes where it was and never mails anyone twice), browser push subscriptions with the VAPID keys
// that sign for them, and the suppression list that hard bounces and complaints feed and every send honours.
// Immutable once landed: later changes go in new migrations.
import type { ColumnDefinitionBuilder } from 'kysely';
import { type AnyDb, columns, type Dialect } from '../columns.ts';

type Col = ColumnDefinitionBuilder;

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  const zero = (col: Col) => col.notNull().defaultTo(0);
  const created = (col: Col) => c.nowDefault(col.notNull());
  const site = (col: Col) => col.notNull().references('sites.id').onDelete('cascade');
  const account = (col: Col) => col.references('users.id').onDelete('set null');

  await c
    .id(db.schema.createTable('newsletters'))
    .addColumn('site_id', 'integer', site)
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    // digest: composed from the site's stories on its schedule; alerts: the site's breaking-news list.
    .addColumn('kind', 'text', (col) => col.notNull())
    // JSON { days: [1..7] (ISO weekdays), time: "07:00" } read in the site's time zone; '{}' for alerts.
    .addColumn('schedule', c.json, (col) => col.notNull().defaultTo('{}'))
    // JSON { topCount, sections: [{ sectionId, count }] }: what a digest is composed of.
    .addColumn('composition', c.json, (col) => col.notNull().defaultTo('{}'))
    .addColumn('sender_name', 'text', (col) => col.notNull())
    .addColumn('sender_email', 'text', (col) => col.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('template', 'text', (col) => col.notNull().defaultTo('standard'))
    // Shown in the box at the end of articles (at most one per site has it set).
    .addColumn('article_box', 'integer', zero)
    // First-party open and click counting, off by default and stated on the signup page when on.
    .addColumn('track_engagement', 'integer', zero)
    .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('position', 'integer', zero)
    // The next digest is due then (UTC); null when paused or for alerts.
    .addColumn('next_issue_at', c.time)
    .addColumn('created_at', c.time, created)
    .addColumn('updated_at', c.time, created)
    .execute();
  await db.schema
    .createIndex('newsletters_site_slug')
    .on('newsletters')
    .columns(['site_id', 'slug'])
    .unique()
    .execute();
  await db.schema.createIndex('newsletters_due').on('newsletters').column('next_issue_at').execute();

  await c
    .id(db.schema.createTable('newsletter_subscribers'))
    // Lower-cased and trimmed: one row per mailbox across the network.
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('user_id', 'integer', account)
    // Raised to invalidate every preference and unsubscribe link mailed so far.
    .addColumn('link_version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', c.time, created)
    .execute();
  await db.schema
    .createIndex('newsletter_subscribers_user')
    .on('newsletter_subscribers')
    .column('user_id')
    .execute();

  await c
    .id(db.schema.createTable('newsletter_subscriptions'))
    .addColumn('subscriber_id', 'integer', (col) =>
      col.notNull().references('newsletter_subscribers.id').onDelete('cascade'),
    )
    .addColumn('newsletter_id', 'integer', (col) =>
      col.notNull().references('newsletters.id').onDelete('cascade'),
    )
    // pending (waiting for the confirmation link) | active | unsubscribed
    .addColumn('status', 'text', (col) => col.notNull())
    // form | account | social | import | admin: how the consent was given.
    .addColumn('consent_source', 'text', (col) => col.notNull())
    .addColumn('consent_ip', 'text')
    .addColumn('confirm_sent_at', c.time)
    .addColumn('confirmed_at', c.time)
    .addColumn('unsubscribed_at', c.time)
    .addColumn('created_at', c.time, created)
    .addColumn('updated_at', c.time, created)
    .execute();
  await db.schema
    .createIndex('newsletter_subscriptions_pair')
    .on('newsletter_subscriptions')
    .columns(['subscriber_id', 'newsletter_id'])
    .unique()
    .execute();
  // Freezing a send's recipients: the active subscriptions of one list, in id order.
  await db.schema
    .createIndex('newsletter_subscriptions_list')
    .on('newsletter_subscriptions')
    .columns(['newsletter_id', 'status', 'subscriber_id'])
    .execute();
  // Forgetting unconfirmed addresses after 7 days.
  await db.schema
    .createIndex('newsletter_subscriptions_pending')
    .on('newsletter_subscriptions')
    .columns(['status', 'created_at'])
    .execute();

  await c
    .id(db.schema.createTable('newsletter_issues'))
    .addColumn('newsletter_id', 'integer', (col) =>
      col.notNull().references('newsletters.id').onDelete('cascade'),
    )
    .addColumn('site_id', 'integer', site)
    // digest | alert
    .addColumn('kind', 'text', (col) => col.notNull())
    // draft (next issue, editable) | queued | sending | paused | sent | cancelled
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('intro', 'text', (col) => col.notNull().defaultTo(''))
    // JSON [{ articleId, block }] in the order the issue prints them: the editor's arrangement.
    .addColumn('items', c.json, (col) => col.notNull().defaultTo('[]'))
    // The story an alert is about.
    .addColumn('article_id', 'integer', (col) => col.references('articles.id').onDelete('set null'))
    .addColumn('scheduled_for', c.time)
    // Set once the recipient list is frozen into deliveries: it never changes afterwards.
    .addColumn('frozen_at', c.time)
    .addColumn('started_at', c.time)
    .addColumn('finished_at', c.time)
    // Why a send waits (SMTP down, paused by whom): shown in the admin.
    .addColumn('status_note', 'text')
    .addColumn('recipient_count', 'integer', zero)
    .addColumn('sent_count', 'integer', zero)
    .addColumn('failed_count', 'integer', zero)
    .addColumn('bounced_count', 'integer', zero)
    .addColumn('unsubscribed_count', 'integer', zero)
    .addColumn('open_count', 'integer', zero)
    .addColumn('click_count', 'integer', zero)
    .addColumn('created_by', 'integer', account)
    .addColumn('created_at', c.time, created)
    .addColumn('updated_at', c.time, created)
    .execute();
  await db.schema
    .createIndex('newsletter_issues_list')
    .on('newsletter_issues')
    .columns(['newsletter_id', 'status', 'scheduled_for'])
    .execute();
  await db.schema
    .createIndex('newsletter_issues_article')
    .on('newsletter_issues')
    .columns(['article_id', 'status'])
    .execute();

  await c
    .id(db.schema.createTable('newsletter_deliveries'))
    .addColumn('issue_id', 'integer', (col) =>
      col.notNull().references('newsletter_issues.id').onDelete('cascade'),
    )
    .addColumn('subscriber_id', 'integer', (col) =>
      col.notNull().references('newsletter_subscribers.id').onDelete('cascade'),
    )
    .addColumn('email', 'text', (col) => col.notNull())
    // queued | sending (claimed by a batch: in flight) | sent | failed (5xx: not retried) | deferred (4xx:
    // retried later) | suppressed | cancelled
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', zero)
    .addColumn('claimed_until', c.time)
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('sent_at', c.time)
    .execute();
  await db.schema
    .createIndex('newsletter_deliveries_pair')
    .on('newsletter_deliveries')
    .columns(['issue_id', 'subscriber_id'])
    .unique()
    .execute();
  // A batch claims the next queued recipients of an issue in id order.
  await db.schema
    .createIndex('newsletter_deliveries_next')
    .on('newsletter_deliveries')
    .columns(['issue_id', 'status', 'id'])
    .execute();

  await c
    .id(db.schema.createTable('push_subscriptions'))
    .addColumn('site_id', 'integer', site)
    .addColumn('endpoint', 'text', (col) => col.notNull().unique())
    .addColumn('p256dh', 'text', (col) => col.notNull())
    .addColumn('auth', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', account)
    .addColumn('failure_count', 'integer', zero)
    .addColumn('last_success_at', c.time)
    .addColumn('created_at', c.time, created)
    .execute();
  await db.schema.createIndex('push_subscriptions_site').on('push_subscriptions').column('site_id').execute();

  await c
    .id(db.schema.createTable('push_deliveries'))
    .addColumn('issue_id', 'integer', (col) =>
      col.notNull().references('newsletter_issues.id').onDelete('cascade'),
    )
    .addColumn('push_subscription_id', 'integer', (col) =>
      col.notNull().references('push_subscriptions.id').onDelete('cascade'),
    )
    // queued | sending | sent | failed | gone (404/410: the subscription was removed) | cancelled
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', zero)
    .addColumn('claimed_until', c.time)
    .addColumn('last_error', 'text')
    .addColumn('sent_at', c.time)
    .execute();
  await db.schema
    .createIndex('push_deliveries_pair')
    .on('push_deliveries')
    .columns(['issue_id', 'push_subscription_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('push_deliveries_next')
    .on('push_deliveries')
    .columns(['issue_id', 'status', 'id'])
    .execute();

  // One row: the network's VAPID key pair, generated on first start so every node signs with the same key.
  await db.schema
    .createTable('web_push_keys')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('public_key', 'text', (col) => col.notNull())
    .addColumn('private_key', 'text', (col) => col.notNull())
    .addColumn('created_at', c.time, created)
    .execute();

  await db.schema
    .createTable('mail_suppressions')
    .addColumn('email', 'text', (col) => col.primaryKey())
    // 1 once the address gets no bulk mail: a hard bounce, a complaint, N soft bounces, or an editor's hand.
    .addColumn('suppressed', 'integer', zero)
    // hard_bounce | complaint | soft_bounces | manual
    .addColumn('reason', 'text')
    .addColumn('soft_bounces', 'integer', zero)
    .addColumn('detail', 'text')
    .addColumn('created_at', c.time, created)
    .addColumn('updated_at', c.time, created)
    .execute();
  await db.schema
    .createIndex('mail_suppressions_suppressed')
    .on('mail_suppressions')
    .columns(['suppressed', 'updated_at'])
    .execute();

  // Bounce and complaint notifications as received, so a provider's retry of the same one counts once.
  await c
    .id(db.schema.createTable('mail_feedback_events'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('provider_event_id', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    // hard_bounce | soft_bounce | complaint
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', c.time, created)
    .execute();
  await db.schema
    .createIndex('mail_feedback_events_once')
    .on('mail_feedback_events')
    .columns(['provider', 'provider_event_id'])
    .unique()
    .execute();

  // A wire route can mark the stories it places urgent, as an editor does (articles.urgent, 0008), so that
  // they go out as breaking alerts.
  await db.schema.alterTable('wire_routes').addColumn('send_alert', 'integer', zero).execute();
}

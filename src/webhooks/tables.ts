// Webhook endpoints, their delivery log, and the dispatcher's place in the event log.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface WebhookEndpointsTable {
  id: Generated<number>;
  url: string;
  /** Kept in clear: it signs every delivery. */
  secret: string;
  /** Only events touching this site, or null for every site. */
  site_id: number | null;
  /** JSON array of event types, e.g. ["article.published"]. */
  events: string;
  active: number;
  /** Event-log id at creation: the endpoint only receives events after it. */
  start_event_id: number;
  created_at: Generated<DbTimestamp>;
}

/** One row per delivery attempt. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: number;
  event_id: number;
  event_type: string;
  attempt: number;
  ok: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: Generated<DbTimestamp>;
}

/**
 * How far the webhook dispatcher has read the event log (one row, name 'webhooks'). The table's name comes
 * from the migration that made it, which is never edited.
 */
export interface WebhookCursorsTable {
  name: string;
  last_event_id: number;
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  discovery_cursors: WebhookCursorsTable;
}

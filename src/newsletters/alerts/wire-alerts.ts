// A wire routing rule may send what it places as a breaking alert (wire_routes.send_alert, set with
// `dateline wire route add --send-alert`): the story it publishes is marked urgent (articles.urgent) in the
// placement's own transaction, as an editor's tick would, so the publish event that follows starts the alert.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';

export async function markUrgentIfRouteAlerts(
  trx: Kysely<Database>,
  routeId: number,
  articleId: number,
): Promise<boolean> {
  const route = await trx
    .selectFrom('wire_routes')
    .select('send_alert')
    .where('id', '=', routeId)
    .executeTakeFirst();
  if (route?.send_alert !== 1) return false;
  await trx.updateTable('articles').set({ urgent: 1 }).where('id', '=', articleId).execute();
  return true;
}

/** Sets or clears a routing rule's send_alert. */
export async function setRouteSendsAlert(q: Kysely<Database>, routeId: number, on: boolean): Promise<void> {
  await q
    .updateTable('wire_routes')
    .set({ send_alert: on ? 1 : 0 })
    .where('id', '=', routeId)
    .execute();
}

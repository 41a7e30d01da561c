// The Integrations screens of the newsroom admin (Network > Integrations, integrations.manage: admins):
// content API keys and webhook endpoints, made (their secret shown once, on the page that answers the form,
// never in a URL), revoked, and for webhooks the delivery log with a retry of a failed delivery. A key or an
// endpoint for every site needs a network-wide integrations.manage; one for some sites needs it on each.
//
// Audit: ApiKeyService and WebhookService write in statements of their own (no transaction to join), so
// those entries are written right after the change; a retry changes the delivery's job in a transaction of
// ours, with its entry.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyInfo } from '../../api/keys.ts';
import { recordAudit } from '../../audit/log.ts';
import { fromDbBool } from '../../db/values.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { WebhookEndpoint } from '../../webhooks/service.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, formValues } from '../route-kit.tsx';
import { paramId } from '../sites/site-lookup.ts';
import { retryDelivery } from './delivery-retry.ts';
import {
  DeliveryLog,
  INTEGRATIONS_CSS,
  type IntegrationsProps,
  IntegrationsView,
  type JustMade,
} from './views.tsx';

ADMIN_NOTICES.set('key-revoked', 'Key revoked: it stops working on every server within seconds.');
ADMIN_NOTICES.set('webhook-off', 'Endpoint turned off: nothing more is sent until it is turned on.');
ADMIN_NOTICES.set('webhook-on', 'Endpoint turned on: it receives stories published from now.');
ADMIN_NOTICES.set('webhook-removed', 'Endpoint revoked and removed, with its delivery log.');
ADMIN_NOTICES.set('delivery-retrying', 'The delivery is being sent again; reload to see how it went.');
ADMIN_NOTICES.set('delivery-done', 'That event has been delivered meanwhile: nothing to retry.');
ADMIN_NOTICES.set('delivery-running', 'That delivery is being sent right now: reload in a moment.');

export function integrationsScreen(kit: AdminKit): void {
  const { rt } = kit;
  kit.nav.add({
    id: 'integrations',
    group: 'Network',
    label: 'Integrations',
    href: '/integrations',
    cap: 'integrations.manage',
    order: 40,
  });
  kit.assets.addCss(INTEGRATIONS_CSS);

  const siteNames = () => new Map(rt.directory.all().map((c) => [c.site.id, c.site.name]));
  const zoneOf = (a: AdminContext) => a.site?.site.timeZone ?? 'UTC';
  const scopesOf = (a: AdminContext) => ({
    network: a.can('integrations.manage', null),
    siteIds: a.sites.filter((c) => a.can('integrations.manage', c.site.id)).map((c) => c.site.id),
  });
  /** Every site of the scope is theirs: null is the whole network. */
  const covers = (a: AdminContext, siteIds: number[] | null) =>
    siteIds === null
      ? a.can('integrations.manage', null)
      : siteIds.every((id) => a.can('integrations.manage', id));
  const requireCovers = (a: AdminContext, siteIds: number[] | null) => {
    if (!covers(a, siteIds))
      throw new DatelineError(
        'FORBIDDEN',
        siteIds === null
          ? 'Only a network-wide admin can make or change integrations for every site. Nothing was changed.'
          : 'This integration reaches sites whose integrations you do not manage. Nothing was changed.',
      );
  };
  /** Shown to them: anything that touches a site of theirs (network-wide ones read-only unless theirs). */
  const touches = (a: AdminContext, siteIds: number[] | null) =>
    siteIds === null ||
    a.can('integrations.manage', null) ||
    siteIds.some((id) => a.can('integrations.manage', id));

  const failingByEndpoint = async (): Promise<Map<number, number>> => {
    const rows = await rt.db.kysely
      .selectFrom('webhook_deliveries')
      .select(['endpoint_id', 'event_id', (eb) => eb.fn.max('ok').as('delivered')])
      .groupBy(['endpoint_id', 'event_id'])
      .execute();
    const out = new Map<number, number>();
    for (const r of rows)
      if (!fromDbBool(Number(r.delivered))) out.set(r.endpoint_id, (out.get(r.endpoint_id) ?? 0) + 1);
    return out;
  };

  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: Partial<
      Pick<IntegrationsProps, 'justMade' | 'keyError' | 'keyValues' | 'hookError' | 'hookValues'>
    > & {
      status?: number;
    } = {},
  ) => {
    const [keys, endpoints, failing] = await Promise.all([
      rt.apiKeys.list(),
      rt.webhooks.listEndpoints(),
      failingByEndpoint(),
    ]);
    return kit.render(
      req,
      reply,
      a,
      { title: 'Integrations', current: 'integrations', status: o.status },
      <IntegrationsView
        keys={keys
          .filter((k) => touches(a, k.siteIds))
          .map((k) => ({ ...k, mayRevoke: covers(a, k.siteIds) }))}
        endpoints={endpoints
          .filter((e) => touches(a, e.siteId === null ? null : [e.siteId]))
          .map((e) => ({
            ...e,
            mayChange: covers(a, e.siteId === null ? null : [e.siteId]),
            failing: failing.get(e.id) ?? 0,
          }))}
        sites={siteNames()}
        scopes={scopesOf(a)}
        csrf={a.csrf}
        timeZone={zoneOf(a)}
        justMade={o.justMade}
        keyError={o.keyError}
        keyValues={o.keyValues}
        hookError={o.hookError}
        hookValues={o.hookValues}
      />,
    );
  };

  kit.page('/integrations', { cap: 'integrations.manage' }, async (req, reply, a) => page(req, reply, a));

  // ---------------------------------------------------------------- content API keys

  const keyOf = async (req: FastifyRequest): Promise<ApiKeyInfo> => {
    const id = paramId(req);
    const key = (await rt.apiKeys.list()).find((k) => k.id === id);
    if (!key) throw new DatelineError('NOT_FOUND', 'There is no such API key. Reload the Integrations page.');
    return key;
  };

  kit.action('/integrations/keys', { cap: 'integrations.manage' }, async (req, reply, a) => {
    const keyValues = { name: formValue(req.body, 'name'), sites: formValues(req.body, 'sites') };
    const known = new Set(rt.directory.all().map((c) => c.site.id));
    const ids = [...new Set(keyValues.sites.map(Number).filter((id) => known.has(id)))].sort((x, y) => x - y);
    const siteIds = ids.length === 0 ? null : ids;
    if (siteIds === null && !a.can('integrations.manage', null))
      return page(req, reply, a, {
        status: 400,
        keyValues,
        keyError: new DatelineError('BAD_REQUEST', 'Tick the sites the key may read. Nothing was made.', {
          field: 'sites',
        }),
      });
    requireCovers(a, siteIds);
    let made: ApiKeyInfo & { key: string };
    try {
      made = await rt.apiKeys.create(keyValues.name, siteIds);
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      return page(req, reply, a, { status: e.statusCode, keyValues, keyError: e });
    }
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'api_key.created',
      subjectType: 'api_key',
      subjectId: made.id,
      after: { name: made.name, prefix: made.prefix, siteIds: made.siteIds },
    });
    const justMade: JustMade = { kind: 'key', name: made.name, secret: made.key };
    return page(req, reply, a, { justMade });
  });

  kit.action('/integrations/keys/:id/revoke', { cap: 'integrations.manage' }, async (req, reply, a) => {
    const key = await keyOf(req);
    requireCovers(a, key.siteIds);
    if (key.revokedAt) return kit.seeOther(reply, '/integrations', 'nothing-changed');
    await rt.apiKeys.revoke(key.id);
    const after = (await rt.apiKeys.list()).find((k) => k.id === key.id);
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'api_key.revoked',
      subjectType: 'api_key',
      subjectId: key.id,
      before: { name: key.name, revokedAt: null },
      after: { name: key.name, revokedAt: after?.revokedAt?.toISOString() ?? null },
    });
    return kit.seeOther(reply, '/integrations', 'key-revoked');
  });

  // ---------------------------------------------------------------- webhooks

  const endpointOf = async (req: FastifyRequest, a: AdminContext): Promise<WebhookEndpoint> => {
    const id = paramId(req);
    const endpoint = (await rt.webhooks.listEndpoints()).find((e) => e.id === id);
    if (!endpoint)
      throw new DatelineError(
        'WEBHOOK_NOT_FOUND',
        'There is no such webhook endpoint. Reload the Integrations page.',
      );
    if (!touches(a, endpoint.siteId === null ? null : [endpoint.siteId]))
      throw new DatelineError(
        'FORBIDDEN',
        'This endpoint is for sites whose integrations you do not manage.',
      );
    return endpoint;
  };
  const snapshot = (e: WebhookEndpoint) => ({
    url: e.url,
    siteId: e.siteId,
    events: e.events,
    active: e.active,
  });

  kit.action('/integrations/webhooks', { cap: 'integrations.manage' }, async (req, reply, a) => {
    const hookValues = {
      url: formValue(req.body, 'url').trim(),
      site: formValue(req.body, 'site'),
      events: formValues(req.body, 'events'),
    };
    const siteId = hookValues.site === '' ? null : Number(hookValues.site);
    if (siteId !== null && !rt.directory.byIdOrUndefined(siteId))
      throw new DatelineError('WEBHOOK_INVALID', 'Choose a site of the network for the endpoint.', {
        field: 'site',
      });
    requireCovers(a, siteId === null ? null : [siteId]);
    let made: WebhookEndpoint & { secret: string };
    try {
      made = await rt.webhooks.createEndpoint({ url: hookValues.url, siteId, events: hookValues.events });
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      return page(req, reply, a, { status: e.statusCode, hookValues, hookError: e });
    }
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'webhook.created',
      subjectType: 'webhook',
      subjectId: made.id,
      after: snapshot(made),
    });
    return page(req, reply, a, { justMade: { kind: 'webhook', name: made.url, secret: made.secret } });
  });

  kit.action('/integrations/webhooks/:id/active', { cap: 'integrations.manage' }, async (req, reply, a) => {
    const endpoint = await endpointOf(req, a);
    requireCovers(a, endpoint.siteId === null ? null : [endpoint.siteId]);
    const active = formValue(req.body, 'active') === '1';
    if (active === endpoint.active) return kit.seeOther(reply, '/integrations', 'nothing-changed');
    await rt.webhooks.setActive(endpoint.id, active);
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: active ? 'webhook.enabled' : 'webhook.disabled',
      subjectType: 'webhook',
      subjectId: endpoint.id,
      before: { active: endpoint.active },
      after: { active },
    });
    return kit.seeOther(reply, '/integrations', active ? 'webhook-on' : 'webhook-off');
  });

  kit.action('/integrations/webhooks/:id/remove', { cap: 'integrations.manage' }, async (req, reply, a) => {
    const endpoint = await endpointOf(req, a);
    requireCovers(a, endpoint.siteId === null ? null : [endpoint.siteId]);
    await rt.webhooks.deleteEndpoint(endpoint.id);
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'webhook.removed',
      subjectType: 'webhook',
      subjectId: endpoint.id,
      before: snapshot(endpoint),
      after: null,
    });
    return kit.seeOther(reply, '/integrations', 'webhook-removed');
  });

  kit.page('/integrations/webhooks/:id', { cap: 'integrations.manage' }, async (req, reply, a) => {
    const endpoint = await endpointOf(req, a);
    const deliveries = await rt.webhooks.deliveries(endpoint.id, 100);
    const delivered = new Set(deliveries.filter((d) => d.ok).map((d) => d.eventId));
    // The newest failure of each event is the one to retry; older ones of the same event are history.
    const offered = new Set<number>();
    const rows = deliveries.map((d) => {
      const retryable = !d.ok && !delivered.has(d.eventId) && !offered.has(d.eventId);
      if (retryable) offered.add(d.eventId);
      return { ...d, retryable };
    });
    return kit.render(
      req,
      reply,
      a,
      { title: `Deliveries to ${new URL(endpoint.url).host}`, current: 'integrations' },
      <DeliveryLog
        endpoint={endpoint}
        sites={siteNames()}
        deliveries={rows}
        csrf={a.csrf}
        mayChange={covers(a, endpoint.siteId === null ? null : [endpoint.siteId])}
        timeZone={zoneOf(a)}
      />,
    );
  });

  kit.action(
    '/integrations/webhooks/:id/deliveries/:deliveryId/retry',
    { cap: 'integrations.manage' },
    async (req, reply, a) => {
      const endpoint = await endpointOf(req, a);
      requireCovers(a, endpoint.siteId === null ? null : [endpoint.siteId]);
      const back = `/integrations/webhooks/${endpoint.id}`;
      const delivery = await rt.db.kysely
        .selectFrom('webhook_deliveries')
        .select(['id', 'event_id', 'ok'])
        .where('id', '=', paramId(req, 'deliveryId'))
        .where('endpoint_id', '=', endpoint.id)
        .executeTakeFirst();
      if (!delivery)
        throw new DatelineError('NOT_FOUND', 'This endpoint has no such delivery. Reload its delivery log.');
      if (!endpoint.active)
        throw new DatelineError(
          'BAD_REQUEST',
          'The endpoint is turned off, so nothing would be sent. Turn it on first; nothing was changed.',
        );
      if (fromDbBool(delivery.ok)) return kit.seeOther(reply, back, 'delivery-done');
      const outcome = await rt.db.kysely.transaction().execute(async (trx) => {
        const r = await retryDelivery(trx, endpoint.id, delivery.event_id, new Date());
        if (r.outcome === 'queued')
          await recordAudit(trx, {
            actor: a.actor,
            action: 'webhook.delivery_retried',
            subjectType: 'webhook',
            subjectId: endpoint.id,
            before: { job: r.jobStateBefore },
            after: { job: 'queued' },
            detail: { eventId: delivery.event_id, deliveryId: delivery.id },
          });
        return r.outcome;
      });
      return kit.seeOther(
        reply,
        back,
        outcome === 'queued'
          ? 'delivery-retrying'
          : outcome === 'delivered'
            ? 'delivery-done'
            : 'delivery-running',
      );
    },
  );
}

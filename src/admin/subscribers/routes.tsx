// Audience > Subscribers and Audience > Suppression list (subscribers.manage: admins).
// - /subscribers: the lists of the sites in view with their counts; /subscribers/:id one list's subscribers
//   (search, status filter, pages), /subscribers/:id/export.csv the streamed CSV of what the search shows,
//   /subscribers/:id/import the CSV import (./import.ts), /subscribers/:id/remove one subscription. Each
//   list's routes check subscribers.manage on the list's own site.
// - /suppressions: the network's suppression list. It is one list for every site (a bounce is a property of
//   the mailbox, not of a site), so it is shown to whoever holds subscribers.manage on any site, and any of
//   them may add an address (that only stops mail). Taking one off makes every site mail it again, so that
//   needs subscribers.manage network-wide (a grant without a site).
// Every change is audited: a removal and the suppression changes right beside the change, an import in its
// own transaction (import.ts).
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/log.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import { findSiteById } from '../../sites/repository.ts';
import type { Site } from '../../sites/site.ts';
import { siteOrigin } from '../../sites/urls.ts';
import { eachUploadedFile, readFieldsFirst, type UploadLimits, uploadKit } from '../media/upload-form.ts';
import { sitesWith } from '../permissions.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import { paramId } from '../sites/site-lookup.ts';
import { csvRow } from './csv.ts';
import { IMPORT_MAX_BYTES, importIntoList } from './import.ts';
import {
  countsByList,
  deleteSubscription,
  exportSubscribers,
  PAGE_SIZE,
  SUBSCRIBER_STATES,
  type SubscriberFilter,
  type SubscriberState,
  searchSubscribers,
  subscriptionOnList,
} from './queries.ts';
import { ImportResult, ListsOverview, SUBSCRIBERS_CSS, SubscriberList, SuppressionView } from './views.tsx';

ADMIN_NOTICES.set('subscriber-removed', 'Removed: the address is no longer on this list.');
ADMIN_NOTICES.set('suppression-added', 'Suppressed: the address gets no more mail from any site.');
ADMIN_NOTICES.set('suppression-removed', 'Taken off the suppression list: it is mailed again.');

const UPLOAD: UploadLimits = { maxBytes: IMPORT_MAX_BYTES, maxFiles: 1 };

export async function subscribersScreen(kit: AdminKit): Promise<void> {
  const { rt } = kit;
  const lists = rt.newsletterSignup.lists;
  kit.nav.add({
    id: 'subscribers',
    group: 'Audience',
    label: 'Subscribers',
    href: '/subscribers',
    cap: 'subscribers.manage',
    order: 20,
  });
  kit.nav.add({
    id: 'suppressions',
    group: 'Audience',
    label: 'Suppression list',
    href: '/suppressions',
    cap: 'subscribers.manage',
    order: 30,
  });
  kit.assets.addCss(SUBSCRIBERS_CSS);
  const uploads = await uploadKit(kit);

  /** The list a route names, on a site where the staff member may manage subscribers. */
  const listFor = async (req: FastifyRequest, a: AdminContext): Promise<{ list: Newsletter; site: Site }> => {
    const list = await lists.get(paramId(req));
    if (!list)
      throw new DatelineError(
        'NEWSLETTER_NOT_FOUND',
        'There is no newsletter with this number. Open Subscribers for the lists of your sites.',
      );
    a.require('subscribers.manage', list.siteId);
    const site = await findSiteById(rt.db.kysely, list.siteId);
    if (!site) throw new DatelineError('SITE_NOT_FOUND', 'The site of this newsletter no longer exists.');
    return { list, site };
  };

  const filterOf = (req: FastifyRequest, newsletterId: number): SubscriberFilter => {
    const state = queryValue(req, 'state') as SubscriberState;
    return {
      newsletterId,
      query: queryValue(req, 'q').slice(0, 254),
      state: SUBSCRIBER_STATES.includes(state) ? state : null,
    };
  };

  const pageOf = (req: FastifyRequest) => {
    const raw = queryValue(req, 'page');
    return /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : 1;
  };

  const hrefOf = (path: string, params: Record<string, string | number | null | undefined>) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
      if (v !== null && v !== undefined && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    return s ? `${path}?${s}` : path;
  };

  kit.page('/subscribers', { cap: 'subscribers.manage' }, async (req, reply, a) => {
    const ids = a.siteIds.filter((id) => a.can('subscribers.manage', id));
    const sites = a.sites.filter((c) => ids.includes(c.site.id)).map((c) => c.site);
    const perSite = await Promise.all(
      sites.map(async (site) => ({ site, lists: await lists.listBySite(site.id) })),
    );
    const counts = await countsByList(
      rt.db.kysely,
      perSite.flatMap((s) => s.lists.map((l) => l.id)),
    );
    return kit.render(
      req,
      reply,
      a,
      { title: 'Subscribers', current: 'subscribers' },
      <ListsOverview
        sites={perSite.map((s) => ({
          site: s.site,
          lists: s.lists.map((list) => ({ list, counts: counts.get(list.id)! })),
        }))}
      />,
    );
  });

  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    list: Newsletter,
    site: Site,
    o: { importError?: DatelineError; status?: number } = {},
  ) => {
    const f = filterOf(req, list.id);
    const page = pageOf(req);
    const { rows, total } = await searchSubscribers(rt.db.kysely, f, page);
    const path = `/subscribers/${list.id}`;
    const params = { q: f.query, state: f.state };
    return kit.render(
      req,
      reply,
      a,
      { title: `Subscribers: ${list.name}`, current: 'subscribers', status: o.status },
      <SubscriberList
        list={list}
        site={site}
        csrf={a.csrf}
        rows={rows}
        total={total}
        query={f.query ?? ''}
        state={f.state ?? null}
        exportHref={hrefOf(`${path}/export.csv`, params)}
        newerHref={page > 1 ? hrefOf(path, { ...params, page: page - 1 }) : null}
        olderHref={page * PAGE_SIZE < total ? hrefOf(path, { ...params, page: page + 1 }) : null}
        importError={o.importError}
      />,
    );
  };

  kit.page('/subscribers/:id', { cap: 'subscribers.manage' }, async (req, reply, a) => {
    const { list, site } = await listFor(req, a);
    return listPage(req, reply, a, list, site);
  });

  kit.page('/subscribers/:id/export.csv', { cap: 'subscribers.manage' }, async (req, reply, a) => {
    const { list, site } = await listFor(req, a);
    const f = filterOf(req, list.id);
    const iso = (d: Date | null) => (d ? d.toISOString() : '');
    async function* lines() {
      yield csvRow(['email', 'name', 'status', 'source', 'signed_up_at', 'confirmed_at', 'unsubscribed_at']);
      for await (const batch of exportSubscribers(rt.db.kysely, f))
        yield batch
          .map((r) =>
            csvRow([
              r.email,
              r.name,
              r.state,
              r.source,
              iso(r.signedUpAt),
              iso(r.confirmedAt),
              iso(r.unsubscribedAt),
            ]),
          )
          .join('');
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${site.slug}-${list.slug}-subscribers.csv"`)
      .send(Readable.from(lines()));
  });

  readFieldsFirst(uploads.app, '/subscribers/:id/import', UPLOAD);
  uploads.action(
    '/subscribers/:id/import',
    { cap: 'subscribers.manage', bodyLimit: IMPORT_MAX_BYTES + 64 * 1024 },
    async (req, reply, a) => {
      const { list, site } = await listFor(req, a);
      let file: { name: string; bytes: Buffer; cutOff: boolean } | null = null;
      await eachUploadedFile(req, UPLOAD, async (f) => {
        if (f.filename === '' && f.bytes.length === 0) return;
        file = { name: f.filename, bytes: f.bytes, cutOff: f.cutOff };
      });
      const got = file as { name: string; bytes: Buffer; cutOff: boolean } | null;
      try {
        if (!got)
          throw new DatelineError(
            'NEWSLETTER_IMPORT_INVALID',
            'No file arrived with the form: choose a CSV file, then import. Nothing was imported.',
          );
        if (got.cutOff)
          throw new DatelineError(
            'NEWSLETTER_IMPORT_INVALID',
            'The file is larger than 5 MB; split it into smaller files. Nothing was imported.',
          );
        const report = await importIntoList(
          {
            db: rt.db,
            mail: rt.mail,
            signingKey: () => rt.accounts.signingKey,
            mailSite: (siteId, origin) => rt.accounts.mailSite(siteId, origin),
          },
          list,
          got,
          { actor: a.actor },
          siteOrigin(kit.app.publicUrls, site),
        );
        return kit.render(
          req,
          reply,
          a,
          { title: `Import: ${list.name}`, current: 'subscribers' },
          <ImportResult list={list} report={report} fileName={got.name || 'the file'} csrf={a.csrf} />,
        );
      } catch (e) {
        if (isDatelineError(e) && e.code === 'DATELINE_ERR_NEWSLETTER_IMPORT_INVALID')
          return listPage(req, reply, a, list, site, { importError: e, status: e.statusCode });
        throw e;
      }
    },
  );

  kit.action('/subscribers/:id/remove', { cap: 'subscribers.manage' }, async (req, reply, a) => {
    const { list } = await listFor(req, a);
    const raw = formValue(req.body, 'subscription');
    const id = /^[1-9][0-9]{0,12}$/.test(raw) ? Number(raw) : 0;
    const removed = await rt.db.kysely.transaction().execute(async (trx) => {
      const row = id ? await subscriptionOnList(trx, list.id, id) : null;
      if (!row) return false;
      await deleteSubscription(trx, list.id, id);
      await recordAudit(trx, {
        actor: a.actor,
        action: 'newsletter.subscriber_removed',
        subjectType: 'newsletter',
        subjectId: list.id,
        before: {
          email: row.email,
          status: row.state,
          source: row.source,
          confirmedAt: row.confirmedAt?.toISOString() ?? null,
        },
        after: null,
        detail: { siteId: list.siteId, subscriptionId: id },
      });
      return true;
    });
    if (!removed)
      throw new DatelineError(
        'NOT_FOUND',
        'This subscriber is not on the list any more (removed already, or it left). Nothing was changed.',
      );
    return kit.seeOther(reply, `/subscribers/${list.id}`, 'subscriber-removed');
  });

  // ---------------------------------------------------------------- the suppression list

  const mayRemove = (a: AdminContext) => sitesWith(a.staff.grants, 'subscribers.manage') === 'all';

  const suppressionPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: { addError?: DatelineError; addValues?: { email: string; note: string }; status?: number } = {},
  ) => {
    const query = queryValue(req, 'q').slice(0, 254);
    const all = queryValue(req, 'all') === '1';
    const page = pageOf(req);
    const { items, total } = await rt.suppressions.search({
      query,
      all,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const params = { q: query, all: all ? 1 : null };
    return kit.render(
      req,
      reply,
      a,
      { title: 'Suppression list', current: 'suppressions', status: o.status },
      <SuppressionView
        csrf={a.csrf}
        items={items}
        total={total}
        query={query}
        all={all}
        canRemove={mayRemove(a)}
        timeZone={a.site?.site.timeZone ?? 'UTC'}
        newerHref={page > 1 ? hrefOf('/suppressions', { ...params, page: page - 1 }) : null}
        olderHref={page * PAGE_SIZE < total ? hrefOf('/suppressions', { ...params, page: page + 1 }) : null}
        addError={o.addError}
        addValues={o.addValues}
      />,
    );
  };

  kit.page('/suppressions', { cap: 'subscribers.manage' }, async (req, reply, a) =>
    suppressionPage(req, reply, a),
  );

  kit.action('/suppressions/add', { cap: 'subscribers.manage' }, async (req, reply, a) => {
    const email = formValue(req.body, 'email').slice(0, 300);
    const note = formValue(req.body, 'note').slice(0, 500);
    let added: Awaited<ReturnType<typeof rt.suppressions.add>>;
    const before = await rt.suppressions.get(email).catch(() => null);
    try {
      added = await rt.suppressions.add(email, note || null);
    } catch (e) {
      if (isDatelineError(e) && e.code === 'DATELINE_ERR_MAIL_SUPPRESSION_INVALID')
        return suppressionPage(req, reply, a, {
          addError: e,
          addValues: { email, note },
          status: e.statusCode,
        });
      throw e;
    }
    // SuppressionList writes on its own, with no transaction to join: the entry follows right after.
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'mail.suppression_added',
      subjectType: 'mail_suppression',
      subjectId: added.email,
      before: before ? { suppressed: before.suppressed, reason: before.reason, detail: before.detail } : null,
      after: { suppressed: true, reason: added.reason, detail: added.detail },
    });
    return kit.seeOther(reply, '/suppressions', 'suppression-added');
  });

  kit.action('/suppressions/remove', { cap: 'subscribers.manage' }, async (req, reply, a) => {
    a.require('subscribers.manage', null);
    const email = formValue(req.body, 'email').slice(0, 300);
    const before = await rt.suppressions.get(email);
    await rt.suppressions.remove(email);
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'mail.suppression_removed',
      subjectType: 'mail_suppression',
      subjectId: email.trim().toLowerCase(),
      before: before
        ? {
            suppressed: before.suppressed,
            reason: before.reason,
            softBounces: before.softBounces,
            detail: before.detail,
          }
        : null,
      after: null,
    });
    return kit.seeOther(reply, '/suppressions', 'suppression-removed');
  });
}

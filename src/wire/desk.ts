// The wire desk as staff work it, in the admin and through the wire API: the review queue, problems and the
// set-up (agencies and their licences, routing rules, pollers), each change written to the audit log under
// the staff member's name. The work itself is the wire feature's own services (ReviewQueue, WireSetup), so
// the command line, the API and the admin apply the same rules; publishing and discarding already record
// themselves in the audit log inside their transactions, and the set-up services keep their own
// transactions, so those changes are recorded right after they are made. Permissions are the caller's
// business (desk-scope.ts says who may do what); this only does it.
import { recordAudit } from '../audit/log.ts';
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import {
  entryReach,
  type ProblemKind,
  problemsFor,
  queueIdsFor,
  type SiteScope,
  siteIdOfSlug,
  storyIdsFor,
} from './desk-scope.ts';
import type { Agency, Poller, Route } from './model.ts';
import { findStory } from './repository.ts';
import type { PublishOptions, QueueView } from './review-queue.ts';
import type { WireService } from './service.ts';
import {
  type AgencyOptions,
  MAX_POLL_SECONDS,
  MIN_POLL_SECONDS,
  type PollerOptions,
  type RouteOptions,
} from './setup.ts';

export class WireDesk {
  constructor(
    readonly db: Db,
    private readonly wire: WireService,
  ) {}

  private get q() {
    return this.db.kysely;
  }

  // ---------------------------------------------------------------- the review queue

  /** A page of pending entries for the sites; `more` says whether another page follows. */
  async queue(
    scope: SiteScope,
    o: { limit: number; offset: number; agencyId?: number },
  ): Promise<{ entries: QueueView[]; more: boolean }> {
    const ids = await queueIdsFor(this.q, scope, { ...o, limit: o.limit + 1 });
    const entries: QueueView[] = [];
    for (const id of ids.slice(0, o.limit)) entries.push(await this.wire.queue.get(id));
    return { entries, more: ids.length > o.limit };
  }

  get(id: number): Promise<QueueView> {
    return this.wire.queue.get(id);
  }

  reach(entryId: number) {
    return entryReach(this.q, entryId);
  }

  /** Saves an editor's changes to a pending entry (applied when it is published). */
  async edit(id: number, raw: unknown, actor: string): Promise<QueueView> {
    const before = await this.wire.queue.get(id);
    const view = await this.wire.queue.edit(id, raw);
    await recordAudit(this.q, {
      actor,
      action: 'wire.queue_edited',
      subjectType: 'wire_queue',
      subjectId: id,
      before: { edits: before.edits ?? {} },
      after: { edits: view.edits ?? {} },
      detail: { story: view.story.id },
    });
    return view;
  }

  /** Publishes an entry (the queue records it in the audit log in the same transaction). */
  publish(id: number, o: PublishOptions, actor: string) {
    return this.wire.queue.publish(id, o, actor);
  }

  /** Discards an entry (recorded in the audit log by the queue). */
  discard(id: number, actor: string) {
    return this.wire.queue.discard(id, actor);
  }

  /** The articles a queue entry's story already has, per site. */
  async articlesOf(storyId: number) {
    return this.wire.storyArticles(storyId);
  }

  problems(
    scope: SiteScope,
    o: { limit: number; offset: number; agencyId?: number; kind?: ProblemKind; item?: string },
  ) {
    return problemsFor(this.q, scope, o);
  }

  async stories(scope: SiteScope, limit: number) {
    const ids = await storyIdsFor(this.q, scope, limit);
    const out = [];
    for (const id of ids) {
      const s = await findStory(this.q, { id });
      if (s) out.push(s);
    }
    return out;
  }

  // ---------------------------------------------------------------- agencies and licences

  async addAgency(
    slug: string,
    o: AgencyOptions & { name: string },
    actor: string,
  ): Promise<{ agency: Agency; token: string }> {
    const made = await this.wire.setup.addAgency(slug, o);
    await recordAudit(this.q, {
      actor,
      action: 'wire.agency_added',
      subjectType: 'wire_agency',
      subjectId: made.agency.id,
      after: agencyRecord(made.agency),
    });
    return made;
  }

  async editAgency(slug: string, o: AgencyOptions, actor: string): Promise<Agency> {
    const before = await this.wire.setup.requireAgency(slug);
    const after = await this.wire.setup.editAgency(slug, o);
    await recordAudit(this.q, {
      actor,
      action: 'wire.agency_changed',
      subjectType: 'wire_agency',
      subjectId: after.id,
      before: agencyRecord(before),
      after: agencyRecord(after),
    });
    return after;
  }

  /** A new API token for the agency (shown once); the old one stops working at once. */
  async rotateAgencyToken(slug: string, actor: string): Promise<string> {
    const agency = await this.wire.setup.requireAgency(slug);
    const token = await this.wire.setup.rotateToken(slug);
    await recordAudit(this.q, {
      actor,
      action: 'wire.agency_token_replaced',
      subjectType: 'wire_agency',
      subjectId: agency.id,
    });
    return token;
  }

  // ---------------------------------------------------------------- routing rules

  async addRoute(o: RouteOptions, actor: string): Promise<Route> {
    const route = await this.wire.setup.addRoute(o);
    await recordAudit(this.q, {
      actor,
      action: 'wire.route_added',
      subjectType: 'wire_route',
      subjectId: route.id,
      after: { ...route },
    });
    return route;
  }

  /**
   * Changes a rule. The new version is checked by the same rules as a new one (WireSetup.addRoute) by
   * adding it in the old one's place, so an edit can never make a rule that `route add` would refuse; the
   * old rule is removed only once the new one stands, and both steps are one audit entry.
   */
  async editRoute(id: number, o: RouteOptions, actor: string): Promise<Route> {
    const before = await this.requireRoute(id);
    const route = await this.wire.setup.addRoute({ ...o, position: o.position ?? before.position });
    await this.wire.setup.removeRoute(id);
    await recordAudit(this.q, {
      actor,
      action: 'wire.route_changed',
      subjectType: 'wire_route',
      subjectId: route.id,
      before: { ...before },
      after: { ...route },
    });
    return route;
  }

  async removeRoute(id: number, actor: string): Promise<void> {
    const before = await this.requireRoute(id);
    await this.wire.setup.removeRoute(id);
    await recordAudit(this.q, {
      actor,
      action: 'wire.route_removed',
      subjectType: 'wire_route',
      subjectId: id,
      before: { ...before },
    });
  }

  async requireRoute(id: number): Promise<Route> {
    const route = (await this.wire.setup.listRoutes()).find((r) => r.id === id);
    if (!route) {
      throw new DatelineError(
        'WIRE_ROUTE_NOT_FOUND',
        `There is no routing rule ${id} (someone may have removed it). Reload the list.`,
        { route: id },
      );
    }
    return route;
  }

  // ---------------------------------------------------------------- pollers

  async addPoller(o: PollerOptions, actor: string): Promise<Poller> {
    const poller = await this.wire.setup.addPoller(o);
    await recordAudit(this.q, {
      actor,
      action: 'wire.poller_added',
      subjectType: 'wire_poller',
      subjectId: poller.id,
      after: pollerRecord(poller),
    });
    return poller;
  }

  /** Changes how often a poller runs; it runs next one interval from now. */
  async setPollerInterval(id: number, everySeconds: number, actor: string): Promise<Poller> {
    const before = await this.wire.setup.requirePoller(id);
    if (
      !Number.isInteger(everySeconds) ||
      everySeconds < MIN_POLL_SECONDS ||
      everySeconds > MAX_POLL_SECONDS
    ) {
      throw new DatelineError(
        'WIRE_POLLER_INVALID',
        `The interval must be a whole number of seconds from ${MIN_POLL_SECONDS} to ${MAX_POLL_SECONDS}, not ${everySeconds}.`,
        { field: 'every' },
      );
    }
    await this.q
      .updateTable('wire_pollers')
      .set({ interval_seconds: everySeconds })
      .where('id', '=', id)
      .execute();
    const after = await this.wire.setup.requirePoller(id);
    await recordAudit(this.q, {
      actor,
      action: 'wire.poller_changed',
      subjectType: 'wire_poller',
      subjectId: id,
      before: pollerRecord(before),
      after: pollerRecord(after),
    });
    return after;
  }

  async setPollerEnabled(id: number, enabled: boolean, actor: string): Promise<void> {
    const before = await this.wire.setup.requirePoller(id);
    await this.wire.setup.setPollerEnabled(id, enabled);
    await recordAudit(this.q, {
      actor,
      action: enabled ? 'wire.poller_enabled' : 'wire.poller_disabled',
      subjectType: 'wire_poller',
      subjectId: id,
      before: { enabled: before.enabled },
      after: { enabled },
    });
  }

  async removePoller(id: number, actor: string): Promise<void> {
    const before = await this.wire.setup.requirePoller(id);
    await this.wire.setup.removePoller(id);
    await recordAudit(this.q, {
      actor,
      action: 'wire.poller_removed',
      subjectType: 'wire_poller',
      subjectId: id,
      before: pollerRecord(before),
    });
  }

  /** The id of the site with this slug, or null. */
  siteIdOf(slug: string): Promise<number | null> {
    return siteIdOfSlug(this.q, slug);
  }
}

function agencyRecord(a: Agency): Record<string, unknown> {
  return { slug: a.slug, name: a.name, credit: a.credit, retentionDays: a.retentionDays, sites: a.siteIds };
}

function pollerRecord(p: Poller): Record<string, unknown> {
  return {
    agency: p.agencyId,
    kind: p.kind,
    location: p.location,
    intervalSeconds: p.intervalSeconds,
    enabled: p.enabled,
  };
}

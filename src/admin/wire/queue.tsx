// The review queue screens: /wire lists the stories waiting for an editor on the sites in view, newest
// first; /wire/queue/:id is one story with its whole text and the edit form. Publishing, editing and
// discarding post to /wire/queue/:id/{publish,edit,discard}. Every action checks wire.review on the site
// concerned (desk-scope.ts) before anything changes; the queue's own refusals (not licensed, killed or
// expired, already decided) come back as notices with their error code.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { instantOfWallTime, wallTimeOf } from '../../articles/schedule-time.ts';
import { staffIdOfActor } from '../../audit/log.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { WireDesk } from '../../wire/desk.ts';
import { type EntryReach, mayDiscardEntry, mayOpenEntry } from '../../wire/desk-scope.ts';
import type { Agency, QueueEdits } from '../../wire/model.ts';
import { findEntry } from '../../wire/repository.ts';
import type { QueueView } from '../../wire/review-queue.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import {
  type EditValues,
  type EntryActions,
  EntryPage,
  effectiveCopy,
  type FieldProblems,
  type PublishValues,
  QueueList,
} from './queue-views.tsx';
import { deskScope, deskZone, idParam, reviewSites, scopeNames } from './shared.tsx';

ADMIN_NOTICES.set('wire-published', 'Published from the wire queue.');
ADMIN_NOTICES.set('wire-scheduled', 'Scheduled from the wire queue: it goes live at the time set.');
ADMIN_NOTICES.set('wire-discarded', 'Discarded: the story has left the queue.');
ADMIN_NOTICES.set('wire-edits-saved', 'Changes saved; they are applied when the story is published.');

const PAGE_SIZE = 20;

export function forbiddenHere(): DatelineError {
  return new DatelineError(
    'FORBIDDEN',
    'Your roles do not allow this on the wire desk here, so nothing was changed. It takes the editor role on the site concerned.',
  );
}

export function queueRoutes(kit: AdminKit, desk: WireDesk): void {
  const { rt } = kit;
  const may = (a: AdminContext) => (siteId: number | null) => a.can('wire.review', siteId);

  const agenciesBySlug = async () => new Map((await rt.wire.setup.listAgencies()).map((g) => [g.slug, g]));

  async function actionsFor(
    a: AdminContext,
    entry: QueueView,
    agency: Agency | undefined,
    reach: EntryReach,
  ) {
    const licensed = agency?.siteIds ?? [];
    const targets = reviewSites(a)
      .filter((c) => licensed.includes(c.site.id))
      .map((c) => ({
        site: c,
        sections: [...c.sectionsById.values()].sort((x, y) => x.position - y.position || x.id - y.id),
      }));
    const suggestion = entry.suggestion ? `${entry.suggestion.site}/${entry.suggestion.section ?? ''}` : '';
    const offered = targets.some((t) =>
      t.sections.some((s) => `${t.site.site.slug}/${s.slug}` === suggestion),
    );
    const visible = new Map(a.sites.map((c) => [c.site.id, c.site.name]));
    const articles = (await desk.articlesOf(entry.story.id))
      .filter((l) => visible.has(l.siteId))
      .map((l) => ({ siteName: visible.get(l.siteId)!, articleId: l.articleId }));
    return {
      targets,
      suggested: offered ? suggestion : '',
      mayDiscard: mayDiscardEntry(may(a), reach),
      articles,
    } satisfies EntryActions;
  }

  /** The entry, once the staff member may open it; not found and not allowed are told apart. */
  async function openable(a: AdminContext, id: number): Promise<EntryReach> {
    const reach = id ? await desk.reach(id) : null;
    if (!reach) {
      throw new DatelineError(
        'WIRE_QUEUE_NOT_FOUND',
        'There is no such story in the wire queue (the address may be mistyped). Go back to the queue.',
      );
    }
    if (!mayOpenEntry(may(a), reach)) throw forbiddenHere();
    return reach;
  }

  async function decidedByName(id: number): Promise<string | null> {
    const actor = (await findEntry(rt.db.kysely, id))?.decidedBy ?? null;
    const staffId = actor ? staffIdOfActor(actor) : null;
    if (staffId === null) return actor;
    const u = await rt.db.kysely
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', staffId)
      .executeTakeFirst();
    return u?.display_name ?? actor;
  }

  async function entryPage(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    id: number,
    o: {
      status?: number;
      refusal?: DatelineError;
      publish?: { values: PublishValues; problems: FieldProblems };
      edit?: { values: EditValues; problems: FieldProblems };
    } = {},
  ): Promise<FastifyReply> {
    const reach = await openable(a, id);
    const entry = await desk.get(id);
    const agencies = await agenciesBySlug();
    const actions = await actionsFor(a, entry, agencies.get(entry.agency.slug), reach);
    return kit.render(
      req,
      reply,
      a,
      { title: 'Wire story', current: 'wire-queue', status: o.status },
      <EntryPage
        entry={entry}
        actions={actions}
        csrf={a.csrf}
        zone={deskZone(a)}
        now={new Date()}
        refusal={o.refusal ?? null}
        decidedBy={entry.state === 'pending' ? null : await decidedByName(id)}
        {...(o.publish && { publish: o.publish })}
        {...(o.edit && { edit: o.edit })}
      />,
    );
  }

  kit.page('/wire', { cap: 'wire.review' }, async (req, reply, a) => {
    const scope = deskScope(a);
    const all = await rt.wire.setup.listAgencies();
    const agencies = all.filter(
      (g) => scope === 'all' || g.siteIds.some((id) => (scope as readonly number[]).includes(id)),
    );
    const agencySlug = queryValue(req, 'agency');
    const agency = agencies.find((g) => g.slug === agencySlug);
    const page = Math.max(1, Math.min(Number.parseInt(queryValue(req, 'page'), 10) || 1, 10_000));
    const { entries, more } = await desk.queue(scope, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      ...(agency && { agencyId: agency.id }),
    });
    const bySlug = new Map(all.map((g) => [g.slug, g]));
    const cards = [];
    for (const entry of entries) {
      const reach = (await desk.reach(entry.id))!;
      cards.push({ entry, actions: await actionsFor(a, entry, bySlug.get(entry.agency.slug), reach) });
    }
    return kit.render(
      req,
      reply,
      a,
      { title: 'Wire queue', current: 'wire-queue' },
      <QueueList
        entries={cards}
        csrf={a.csrf}
        zone={deskZone(a)}
        now={new Date()}
        agencies={agencies.map((g) => ({ slug: g.slug, name: g.name }))}
        agency={agency?.slug ?? ''}
        page={page}
        more={more}
        scopeNote={`Newest first, for ${scopeNames(a, scope)}. Times in ${deskZone(a)}.`}
      />,
    );
  });

  kit.page('/wire/queue/:id', { cap: 'wire.review' }, async (req, reply, a) =>
    entryPage(req, reply, a, idParam(req.params)),
  );

  kit.action('/wire/queue/:id/publish', { cap: 'wire.review' }, async (req, reply, a) => {
    const id = idParam(req.params);
    await openable(a, id);
    const values: PublishValues = {
      target: formValue(req.body, 'target'),
      when: formValue(req.body, 'when') === 'later' ? 'later' : 'now',
      at: formValue(req.body, 'at').trim(),
    };
    const problems: FieldProblems = {};
    const [siteSlug, sectionSlug] = (values.target ?? '').split('/');
    const site = siteSlug ? rt.directory.all().find((c) => c.site.slug === siteSlug) : undefined;
    if (!values.target) problems.target = 'Choose the site and section to publish the story in.';
    else if (!site || !sectionSlug)
      problems.target = 'That site and section do not exist. Choose one from the list.';
    // Permission on the site published to comes first: nothing below runs without it.
    if (site) a.require('wire.review', site.site.id);
    const entry = await desk.get(id);
    const now = new Date();
    const embargo = entry.story.embargoUntil ? new Date(entry.story.embargoUntil) : null;
    let publishAt: Date | undefined;
    if (values.when === 'later') {
      if (!values.at) problems.at = 'Give the date and time to publish at, or choose Now.';
      else if (site) {
        try {
          publishAt = instantOfWallTime(values.at, site.site.timeZone);
          if (publishAt <= now)
            problems.at = `${values.at} on ${site.site.name}'s clock has passed. Choose a later time, or Now.`;
          else if (embargo && publishAt < embargo)
            problems.at = `The agency embargoes this story until ${wallTimeOf(embargo, site.site.timeZone).replace('T', ' ')} on that site's clock; schedule it for then or later.`;
        } catch (e) {
          if (!isDatelineError(e)) throw e;
          problems.at = e.message;
        }
      }
    } else if (embargo && embargo > now) {
      problems.when = `The agency embargoes this story until ${embargo.toISOString().replace('.000Z', 'Z')}. Schedule it for then or later instead of publishing now.`;
    }
    if (Object.keys(problems).length > 0)
      return entryPage(req, reply, a, id, { status: 400, publish: { values, problems } });
    try {
      await desk.publish(
        id,
        { site: siteSlug!, section: sectionSlug!, ...(publishAt && { publishAt }) },
        a.actor,
      );
    } catch (e) {
      if (!isDatelineError(e) || e.statusCode >= 500) throw e;
      return entryPage(req, reply, a, id, {
        status: e.statusCode,
        refusal: e,
        publish: { values, problems },
      });
    }
    return kit.seeOther(reply, '/wire', publishAt ? 'wire-scheduled' : 'wire-published');
  });

  kit.action('/wire/queue/:id/edit', { cap: 'wire.review' }, async (req, reply, a) => {
    const id = idParam(req.params);
    await openable(a, id);
    const entry = await desk.get(id);
    const current = effectiveCopy(entry);
    const values: EditValues = {
      headline: formValue(req.body, 'headline'),
      dek: formValue(req.body, 'dek'),
      byline: formValue(req.body, 'byline'),
      dateline: formValue(req.body, 'dateline'),
      bodyHtml: formValue(req.body, 'bodyHtml'),
    };
    // Only what changed is kept as an edit: an untouched story stays one the agency's updates may follow.
    const edits: QueueEdits = {};
    if (values.headline !== current.headline) edits.headline = values.headline;
    if (values.dek !== current.dek) edits.dek = values.dek;
    if (values.byline !== current.byline) edits.byline = values.byline.trim() === '' ? null : values.byline;
    if (values.dateline !== current.dateline)
      edits.dateline = values.dateline.trim() === '' ? null : values.dateline;
    if (values.bodyHtml.replace(/\r\n/g, '\n') !== current.bodyHtml.replace(/\r\n/g, '\n'))
      edits.bodyHtml = values.bodyHtml;
    if (Object.keys(edits).length === 0) return kit.seeOther(reply, `/wire/queue/${id}`, 'wire-edits-saved');
    try {
      await desk.edit(id, edits, a.actor);
    } catch (e) {
      if (!isDatelineError(e) || e.statusCode >= 500) throw e;
      const field = typeof e.where?.field === 'string' ? e.where.field : '';
      if (field in values)
        return entryPage(req, reply, a, id, {
          status: e.statusCode,
          edit: { values, problems: { [field]: e.message } },
        });
      return entryPage(req, reply, a, id, {
        status: e.statusCode,
        refusal: e,
        edit: { values, problems: {} },
      });
    }
    return kit.seeOther(reply, `/wire/queue/${id}`, 'wire-edits-saved');
  });

  kit.action('/wire/queue/:id/discard', { cap: 'wire.review' }, async (req, reply, a) => {
    const id = idParam(req.params);
    const reach = await openable(a, id);
    if (!mayDiscardEntry(may(a), reach)) throw forbiddenHere();
    try {
      await desk.discard(id, a.actor);
    } catch (e) {
      if (!isDatelineError(e) || e.statusCode >= 500) throw e;
      return entryPage(req, reply, a, id, { status: e.statusCode, refusal: e });
    }
    return kit.seeOther(reply, '/wire', 'wire-discarded');
  });
}

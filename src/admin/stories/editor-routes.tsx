// The editor: the page (/stories/:id), the form's save, the editor script's JSON endpoints (autosave and
// the lock heartbeat, in the shapes the editor contract fixes), taking the lock over, and throwing away
// unsaved work kept on the server.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { wallTimeOf, zoneLabel } from '../../articles/schedule-time.ts';
import { storyPath } from '../../articles/slug.ts';
import type { Story } from '../../articles/story.ts';
import type { EditorFields } from '../../articles/story-fields.ts';
import { readEditorFields } from '../../articles/story-fields.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import { siteOrigin, urlContext } from '../../sites/urls.ts';
import { type AdminContext, formValue, queryValue, type RenderOptions } from '../route-kit.tsx';
import { may } from './access.ts';
import {
  baseRevisionOf,
  formFields,
  isFieldProblem,
  STORY_BODY_LIMIT,
  type StoryScreens,
} from './routes.tsx';
import { type EditorProps, StoryEditorView } from './views/editor.tsx';

/** The story's fields as the form shows them. */
export function editorFieldsOf(story: Story): EditorFields {
  const a = story.article;
  return {
    headline: a.headline,
    dek: a.dek,
    byline: a.byline ?? '',
    dateline: a.dateline ?? '',
    section_id: String(story.sectionId),
    tags: story.tags.join(', '),
    slug: story.slug,
    lead_media_id: a.leadMediaId === null ? '' : String(a.leadMediaId),
    source_copyright: a.sourceCopyright ?? '',
    urgent: story.urgent,
    body_html: a.bodyHtml,
  };
}

export interface EditorPageOptions {
  fields?: EditorFields;
  baseRevision?: number;
  problems?: Record<string, string>;
  notice?: RenderOptions['notice'];
  status?: number;
  conflict?: { by: string; at: string; revision: number } | null;
  justMadePreview?: string | null;
}

/** The editor page for a story, as this staff member may see and use it. */
export async function editorPage(
  s: StoryScreens,
  req: FastifyRequest,
  reply: FastifyReply,
  a: AdminContext,
  story: Story,
  o: EditorPageOptions = {},
): Promise<FastifyReply> {
  const { kit } = s;
  const { rt } = kit;
  const id = story.article.id;
  const ctx = rt.directory.byIdOrUndefined(story.article.siteId);
  if (!ctx) throw new DatelineError('NOT_FOUND', `The site of story ${id} no longer exists.`);
  const editable = may(a, 'edit', story) && story.article.status !== 'taken_down';
  const [autosave, holder, found, links] = await Promise.all([
    editable ? s.editing.autosaveOf(id, a.staff.userId) : null,
    s.locks.holder(id),
    rt.articles.get(id),
    s.previews.list(id),
  ]);
  const u = urlContext(req);
  const placements = (found?.placements ?? []).map((p) => {
    const site = rt.directory.byIdOrUndefined(p.siteId);
    const section = site?.sectionsById.get(p.sectionId);
    const path = storyPath(section?.slug ?? 'story', p.slug);
    return {
      siteName: site?.site.name ?? `Site ${p.siteId}`,
      sectionName: section?.name ?? '—',
      path,
      live: p.live,
      url: site && p.live ? `${siteOrigin(u, site.site)}${path}` : null,
    };
  });
  const placedOn = new Set((found?.placements ?? []).map((p) => p.siteId));
  const circulateTo = may(a, 'circulate', story)
    ? a.sites
        .filter((c) => !placedOn.has(c.site.id) && a.can('story.edit_any', c.site.id))
        .flatMap((c) =>
          c.sections.map((x) => ({ value: `${c.site.id}:${x.id}`, label: `${c.site.name} › ${x.name}` })),
        )
    : [];
  // "Show them in the form": the unsaved copy, to be saved over the newest revision on purpose.
  const restoring = queryValue(req, 'draft') === 'mine' && autosave !== null && o.fields === undefined;
  const fields =
    o.fields ?? (restoring ? { ...editorFieldsOf(story), ...autosave!.fields } : editorFieldsOf(story));
  const now = new Date();
  const soon = new Date(Math.ceil((now.getTime() + 3600_000) / 900_000) * 900_000);
  const props: EditorProps = {
    story,
    site: {
      id: ctx.site.id,
      name: ctx.site.name,
      timeZone: ctx.site.timeZone,
      sections: ctx.sections.map((x) => ({ id: x.id, name: x.name })),
    },
    fields,
    baseRevision: o.baseRevision ?? story.revision,
    csrf: a.csrf,
    editable,
    problems: o.problems ?? {},
    lockedBy: holder && holder.userId !== a.staff.userId ? { name: holder.name, since: holder.since } : null,
    autosave:
      autosave && !restoring && o.fields === undefined
        ? { savedAt: autosave.savedAt, baseRevision: autosave.baseRevision }
        : null,
    conflict: o.conflict ?? null,
    placements,
    publish: {
      canPublish: may(a, 'publish', story),
      canTakeDown: may(a, 'take_down', story),
      circulateTo,
      zoneLabel: zoneLabel(ctx.site.timeZone, story.article.publishAt ?? soon),
      scheduleValue: wallTimeOf(story.article.publishAt ?? soon, ctx.site.timeZone),
    },
    previews: {
      links,
      origin: siteOrigin(u, ctx.site),
      justMade: o.justMadePreview ?? null,
    },
  };
  const notice =
    o.notice !== undefined
      ? o.notice
      : restoring
        ? {
            kind: 'ok' as const,
            text: `Your unsaved changes (made on revision ${autosave!.baseRevision}) are in the form. Saving makes them the newest revision, over revision ${story.revision}.`,
          }
        : undefined;
  return kit.render(
    req,
    reply,
    a,
    {
      title: story.article.headline || 'Story',
      current: 'stories',
      scripts: editable ? [kit.assets.path('story-editor.js')] : [],
      status: o.status,
      ...(notice !== undefined && { notice }),
    },
    <StoryEditorView {...props} />,
  );
}

export function editorRoutes(s: StoryScreens): void {
  const { kit } = s;
  type IdReq = FastifyRequest<{ Params: { id: string } }>;

  kit.page('/stories/:id', { cap: 'story.read' }, async (req, reply, a) => {
    const story = await s.storyFor(a, (req as IdReq).params.id, 'read');
    return editorPage(s, req, reply, a, story);
  });

  kit.action('/stories/:id', { cap: 'story.draft', bodyLimit: STORY_BODY_LIMIT }, async (req, reply, a) => {
    const story = await s.storyFor(a, (req as IdReq).params.id, 'edit');
    const expectedRevision = baseRevisionOf(formValue(req.body, 'base_revision'));
    let fields: EditorFields;
    try {
      fields = formFields(req.body);
    } catch (e) {
      if (isFieldProblem(e)) return s.editorAgain(req, reply, a, story, e);
      throw e;
    }
    try {
      const saved = await s.editing.save(story.article.id, fields, {
        expectedRevision,
        actor: { userId: a.staff.userId },
      });
      if (saved.removed.length === 0) {
        return kit.seeOther(
          reply,
          `/stories/${story.article.id}`,
          saved.changed.length ? 'story-saved' : 'story-unchanged',
        );
      }
      // What the sanitiser removed is named once, on this page (it cannot travel in the address).
      return editorPage(s, req, reply, a, saved.story, {
        notice: {
          kind: 'ok',
          text: `Saved. Removed from the text because a story cannot carry it: ${saved.removed.join(', ')}.`,
        },
      });
    } catch (e) {
      if (isDatelineError(e, 'EDIT_CONFLICT')) {
        const w = e.where ?? {};
        const latest = await s.editing.get(story.article.id);
        return editorPage(s, req, reply, a, latest, {
          fields,
          baseRevision: expectedRevision,
          status: 409,
          notice: { kind: 'problem', text: e.message },
          conflict: {
            by: String(w.by ?? 'someone'),
            at: String(w.at ?? ''),
            revision: Number(w.revision ?? latest.revision),
          },
        });
      }
      if (isFieldProblem(e)) return s.editorAgain(req, reply, a, story, e, fields);
      throw e;
    }
  });

  kit.json(
    'POST',
    '/stories/:id/autosave',
    { cap: 'story.draft', bodyLimit: STORY_BODY_LIMIT },
    async (req, reply, a) => {
      const story = await s.storyFor(a, (req as IdReq).params.id, 'edit');
      const body = (req.body ?? {}) as { baseRevision?: unknown; fields?: unknown };
      const baseRevision = baseRevisionOf(body.baseRevision);
      const fields = readEditorFields(body.fields);
      try {
        const done = await s.editing.autosave(story.article.id, a.staff.userId, fields, baseRevision);
        return { savedAt: done.savedAt.toISOString(), revision: done.revision };
      } catch (e) {
        if (!isDatelineError(e, 'EDIT_CONFLICT')) throw e;
        const w = e.where ?? {};
        return reply.code(409).send({
          error: { code: e.code, message: e.message },
          current: { revision: Number(w.revision), by: String(w.by), at: String(w.at) },
        });
      }
    },
  );

  kit.json('POST', '/stories/:id/lock', { cap: 'story.draft' }, async (req, _reply, a) => {
    const story = await s.storyFor(a, (req as IdReq).params.id, 'edit');
    const state = await s.locks.acquire(story.article.id, a.staff.userId);
    if (state.held) return { held: true, since: state.since.toISOString() };
    return { held: false, by: state.by.name, since: state.since.toISOString(), takenOver: state.takenOver };
  });

  kit.action('/stories/:id/lock/take-over', { cap: 'story.draft' }, async (req, reply, a) => {
    const story = await s.storyFor(a, (req as IdReq).params.id, 'edit');
    await s.locks.takeOver(story.article.id, a.staff.userId);
    return kit.seeOther(reply, `/stories/${story.article.id}`, 'story-lock-taken');
  });

  kit.action('/stories/:id/autosave/discard', { cap: 'story.read' }, async (req, reply, a) => {
    const story = await s.storyFor(a, (req as IdReq).params.id, 'read');
    await s.editing.discardAutosave(story.article.id, a.staff.userId);
    return kit.seeOther(reply, `/stories/${story.article.id}`, 'story-autosave-discarded');
  });
}

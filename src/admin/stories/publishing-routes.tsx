// The publishing forms of the editor page: publish now, schedule (a wall-clock time on the site's clock),
// unpublish, take down with a reason, circulate to a sister site, and preview links (made, shown once,
// revoked). A refused time or reason is shown beside its field on the editor page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { previewPath } from '../../articles/previews.ts';
import { instantOfWallTime } from '../../articles/schedule-time.ts';
import type { Story } from '../../articles/story.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import { siteOrigin, urlContext } from '../../sites/urls.ts';
import { type AdminContext, formValue } from '../route-kit.tsx';
import { editorPage } from './editor-routes.tsx';
import type { StoryScreens } from './routes.tsx';

export function publishingRoutes(s: StoryScreens): void {
  const { kit } = s;
  type IdReq = FastifyRequest<{ Params: { id: string } }>;
  const id = (req: FastifyRequest) => (req as IdReq).params.id;

  /** Runs a publishing change; a field problem goes back to the editor page beside its field. */
  const change = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    story: Story,
    work: () => Promise<unknown>,
    done: string,
  ) => {
    try {
      await work();
    } catch (e) {
      if (isDatelineError(e, 'ARTICLE_INVALID') || isDatelineError(e, 'SLUG_TAKEN'))
        return s.editorAgain(req, reply, a, story, e);
      throw e;
    }
    return kit.seeOther(reply, `/stories/${story.article.id}`, done);
  };
  const actor = (a: AdminContext) => ({ userId: a.staff.userId });

  kit.action('/stories/:id/publish', { cap: 'story.draft' }, async (req, reply, a) => {
    const story = await s.storyFor(a, id(req), 'publish');
    return change(
      req,
      reply,
      a,
      story,
      () => s.publishing.publishNow(story.article.id, actor(a)),
      'story-published',
    );
  });

  kit.action('/stories/:id/schedule', { cap: 'story.draft' }, async (req, reply, a) => {
    const story = await s.storyFor(a, id(req), 'publish');
    const zone = kit.rt.directory.byIdOrUndefined(story.article.siteId)?.site.timeZone ?? 'UTC';
    return change(
      req,
      reply,
      a,
      story,
      () =>
        s.publishing.schedule(
          story.article.id,
          instantOfWallTime(formValue(req.body, 'publish_at'), zone),
          actor(a),
        ),
      'story-scheduled',
    );
  });

  kit.action('/stories/:id/unpublish', { cap: 'story.draft' }, async (req, reply, a) => {
    const story = await s.storyFor(a, id(req), 'publish');
    return change(
      req,
      reply,
      a,
      story,
      () => s.publishing.unpublish(story.article.id, actor(a)),
      'story-unpublished',
    );
  });

  kit.action('/stories/:id/take-down', { cap: 'story.draft' }, async (req, reply, a) => {
    const story = await s.storyFor(a, id(req), 'take_down');
    return change(
      req,
      reply,
      a,
      story,
      () => s.publishing.takeDown(story.article.id, formValue(req.body, 'reason'), actor(a)),
      'story-taken-down',
    );
  });

  kit.action('/stories/:id/circulate', { cap: 'story.draft' }, async (req, reply, a) => {
    const story = await s.storyFor(a, id(req), 'circulate');
    const target = /^(\d{1,12}):(\d{1,12})$/.exec(formValue(req.body, 'target'));
    if (!target) {
      throw new DatelineError(
        'BAD_REQUEST',
        'Choose the sister site and section to circulate the story to.',
        {
          field: 'target',
        },
      );
    }
    const siteId = Number(target[1]);
    // Placing it on the sister site is editing that site: the editor role is needed there too.
    a.require('story.edit_any', siteId);
    return change(
      req,
      reply,
      a,
      story,
      () => s.publishing.circulate(story.article.id, { siteId, sectionId: Number(target[2]) }, actor(a)),
      'story-circulated',
    );
  });

  kit.action('/stories/:id/previews', { cap: 'story.draft' }, async (req, reply, a) => {
    const story = await s.storyFor(a, id(req), 'edit');
    const { token } = await s.previews.create(story.article.id, a.staff.userId);
    const site = kit.rt.directory.byIdOrUndefined(story.article.siteId);
    const url = `${site ? siteOrigin(urlContext(req), site.site) : ''}${previewPath(token)}`;
    // The token is never stored, so the link is shown on this page only.
    return editorPage(s, req, reply, a, story, { justMadePreview: url });
  });

  kit.action('/stories/:id/previews/:link/revoke', { cap: 'story.draft' }, async (req, reply, a) => {
    const params = (req as FastifyRequest<{ Params: { id: string; link: string } }>).params;
    const story = await s.storyFor(a, params.id, 'edit');
    const link = /^\d{1,12}$/.test(params.link) ? Number(params.link) : -1;
    await s.previews.revoke(story.article.id, link, a.staff.userId);
    return kit.seeOther(reply, `/stories/${story.article.id}`, 'story-preview-revoked');
  });
}

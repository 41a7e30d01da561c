// A story's revisions (/stories/:id/revisions): any two compared side by side, chosen with
// `?compare=A..B` (the conflict banner's link) or the page's own from/to form, where A and B are revision
// numbers or `mine`, the staff member's unsaved copy; and restoring a revision as the newest one.
import type { FastifyRequest } from 'fastify';
import { compareSnapshots } from '../../articles/revision-diff.ts';
import { type StorySnapshot, snapshotOf } from '../../articles/story.ts';
import { withEditorFields } from '../../articles/story-fields.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import { formValue, queryValue } from '../route-kit.tsx';
import { may } from './access.ts';
import { baseRevisionOf, type StoryScreens } from './routes.tsx';
import { RevisionsView, type Side } from './views/revisions.tsx';

function side(raw: string): Side | null {
  if (raw === 'mine') return 'mine';
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/** The two sides asked for, or null when none (or a malformed pair) was asked. */
export function comparedSides(compare: string, from: string, to: string): [Side, Side] | null {
  const m = /^(\d{1,9}|mine)\.\.(\d{1,9}|mine)$/.exec(compare);
  const a = side(m ? m[1]! : from);
  const b = side(m ? m[2]! : to);
  return a !== null && b !== null ? [a, b] : null;
}

export function revisionRoutes(s: StoryScreens): void {
  const { kit } = s;
  const { rt } = kit;
  type IdReq = FastifyRequest<{ Params: { id: string } }>;

  kit.page('/stories/:id/revisions', { cap: 'story.read' }, async (req, reply, a) => {
    const story = await s.storyFor(a, (req as IdReq).params.id, 'read');
    const id = story.article.id;
    const [revisions, mine] = await Promise.all([
      s.editing.revisions(id),
      s.editing.autosaveOf(id, a.staff.userId),
    ]);
    const sides = comparedSides(queryValue(req, 'compare'), queryValue(req, 'from'), queryValue(req, 'to'));
    const snapshot = async (x: Side): Promise<StorySnapshot> => {
      if (x !== 'mine') return s.editing.snapshot(id, x);
      if (!mine) {
        throw new DatelineError(
          'NOT_FOUND',
          'You have no unsaved copy of this story (it was saved or thrown away). Compare two revisions instead.',
        );
      }
      return withEditorFields(snapshotOf(story), mine.fields);
    };
    let compared = null;
    if (sides) {
      const [before, after] = await Promise.all([snapshot(sides[0]), snapshot(sides[1])]);
      const sectionName = (sectionId: number) => {
        for (const c of rt.directory.all()) {
          const found = c.sectionsById.get(sectionId);
          if (found) return found.name;
        }
        return `Section ${sectionId}`;
      };
      compared = {
        from: sides[0],
        to: sides[1],
        comparison: compareSnapshots(before, after, { section: sectionName }),
      };
    }
    const zone = rt.directory.byIdOrUndefined(story.article.siteId)?.site.timeZone ?? 'UTC';
    return kit.render(
      req,
      reply,
      a,
      { title: `Revisions: ${story.article.headline}`, current: 'stories' },
      <RevisionsView
        storyId={id}
        headline={story.article.headline}
        current={story.revision}
        revisions={revisions}
        hasMine={mine !== null}
        mineBase={mine?.baseRevision ?? null}
        compared={compared}
        canRestore={may(a, 'edit', story) && story.article.status !== 'taken_down'}
        csrf={a.csrf}
        zone={zone}
      />,
    );
  });

  kit.action('/stories/:id/revisions/:revision/restore', { cap: 'story.draft' }, async (req, reply, a) => {
    const params = (req as FastifyRequest<{ Params: { id: string; revision: string } }>).params;
    const story = await s.storyFor(a, params.id, 'edit');
    const revision = /^\d{1,9}$/.test(params.revision) ? Number(params.revision) : -1;
    try {
      await s.editing.restore(story.article.id, revision, {
        expectedRevision: baseRevisionOf(formValue(req.body, 'base_revision')),
        actor: { userId: a.staff.userId },
      });
    } catch (e) {
      if (isDatelineError(e, 'ARTICLE_INVALID') || isDatelineError(e, 'SLUG_TAKEN'))
        return s.editorAgain(req, reply, a, story, e);
      throw e;
    }
    return kit.seeOther(reply, `/stories/${story.article.id}`, 'story-restored');
  });
}

// Who may do what to a story, from the roles' capabilities (admin/permissions.ts) and the story itself:
// - a contributor writes drafts: their own stories while they are drafts; everything else read-only;
// - an author publishes their own stories: edits, publishes, schedules and unpublishes what they created;
// - an editor does everything to every story of their sites, taking down and circulating included.
// Every action of the stories screens asks here, and answers 403 FORBIDDEN with nothing changed when not.
import type { Story } from '../../articles/story.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { AdminContext } from '../route-kit.tsx';

export type StoryAction = 'read' | 'edit' | 'publish' | 'take_down' | 'circulate';

type StoryFacts = Pick<Story, 'createdBy'> & { article: Pick<Story['article'], 'siteId' | 'status'> };

export function may(a: AdminContext, action: StoryAction, story: StoryFacts): boolean {
  const site = story.article.siteId;
  const status = story.article.status;
  const own = story.createdBy !== null && story.createdBy === a.staff.userId;
  const anyone = a.can('story.edit_any', site);
  switch (action) {
    case 'read':
      return a.can('story.read', site);
    case 'edit':
      // A taken-down story is refused by the service itself (410 Gone), whoever asks.
      if (anyone) return true;
      if (!own) return false;
      return a.can('story.publish_own', site) || (a.can('story.draft', site) && status === 'draft');
    case 'publish':
      return anyone || (own && a.can('story.publish_own', site));
    case 'take_down':
    case 'circulate':
      return anyone;
  }
}

/** Throws FORBIDDEN (nothing changed) unless the staff member may do this to the story. */
export function requireMay(a: AdminContext, action: StoryAction, story: StoryFacts): void {
  if (may(a, action, story)) return;
  throw new DatelineError(
    'FORBIDDEN',
    action === 'edit' && story.article.status !== 'draft' && a.can('story.draft', story.article.siteId)
      ? 'Your role writes drafts only: this story is no longer a draft, so it is read-only for you. Nothing was changed.'
      : 'Your roles do not allow this on this story, so nothing was changed. Ask an editor, or an admin for the role it needs.',
  );
}

// The stories screens of the newsroom admin: the list (/stories), a new story (/stories/new), the editor
// (/stories/:id) with its form save, the editor script's JSON endpoints (autosave, lock heartbeat), taking
// a lock over, revisions compared and restored, the publishing forms and preview links. The preview page
// itself is on the story's site host (preview-route.tsx). Every route checks the session, then origin and
// CSRF for changes (the kit), then what the staff member may do to this story on its site (access.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StoryEditing } from '../../articles/editing.ts';
import { StoryLocks } from '../../articles/locks.ts';
import { PreviewLinks } from '../../articles/previews.ts';
import { StoryPublishing } from '../../articles/publishing.ts';
import { loadStory, type Story } from '../../articles/story.ts';
import { type EditorFields, readEditorFields } from '../../articles/story-fields.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import { buildEditorBundle } from '../editor/bundle.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit } from '../route-kit.tsx';
import { requireMay, type StoryAction } from './access.ts';
import { editorPage, editorRoutes } from './editor-routes.tsx';
import { listRoutes } from './list-routes.tsx';
import { previewRoute } from './preview-route.tsx';
import { publishingRoutes } from './publishing-routes.tsx';
import { revisionRoutes } from './revision-routes.tsx';
import { STORIES_CSS } from './styles.ts';

ADMIN_NOTICES.set('story-saved', 'Saved as a new revision.');
ADMIN_NOTICES.set('story-unchanged', 'Nothing had changed, so no revision was made.');
ADMIN_NOTICES.set('story-restored', 'Revision restored as the newest revision.');
ADMIN_NOTICES.set('story-published', 'Published: it is on the site now.');
ADMIN_NOTICES.set('story-scheduled', 'Scheduled: it goes out at the time shown.');
ADMIN_NOTICES.set('story-unpublished', 'Back to a draft: it is no longer on the site.');
ADMIN_NOTICES.set('story-taken-down', 'Taken down: its pages now answer “gone”.');
ADMIN_NOTICES.set('story-circulated', 'Circulated: it appears on the sister site too.');
ADMIN_NOTICES.set('story-lock-taken', 'You have the story now; the other editor was told.');
ADMIN_NOTICES.set('story-autosave-discarded', 'Your unsaved changes were thrown away.');
ADMIN_NOTICES.set('story-preview-revoked', 'The preview link no longer works.');

/** A story body may be large (agency copy with tables); the form and the autosave accept this much. */
export const STORY_BODY_LIMIT = 6 * 1024 * 1024;

/** What every stories route shares: the services and the story lookup with its permission check. */
export interface StoryScreens {
  kit: AdminKit;
  editing: StoryEditing;
  publishing: StoryPublishing;
  locks: StoryLocks;
  previews: PreviewLinks;
  /** The story, if it exists (404) and the staff member may do `action` to it (403, nothing changed). */
  storyFor(a: AdminContext, rawId: string, action: StoryAction): Promise<Story>;
  /** Renders the editor page again after a failed form, with the problems beside their fields. */
  editorAgain(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    story: Story,
    e: DatelineError,
    fields?: EditorFields,
  ): Promise<FastifyReply>;
}

/** Field names in errors (as services name them) to the form's input names. */
const FORM_FIELD: Record<string, string> = {
  headline: 'headline',
  dek: 'dek',
  byline: 'byline',
  dateline: 'dateline',
  bodyHtml: 'body_html',
  sourceCopyright: 'source_copyright',
  leadMediaId: 'lead_media_id',
  lead_media_id: 'lead_media_id',
  slug: 'slug',
  section: 'section_id',
  section_id: 'section_id',
  tags: 'tags',
  publishAt: 'publish_at',
  reason: 'reason',
};

export function formFieldOf(e: DatelineError): string | null {
  const field = e.where?.field;
  return typeof field === 'string' ? (FORM_FIELD[field] ?? null) : null;
}

export async function storiesScreen(kit: AdminKit): Promise<void> {
  const { rt } = kit;
  const editing = new StoryEditing(rt.db, rt.articles);
  const publishing = new StoryPublishing(rt.db, rt.articles);
  const locks = new StoryLocks(rt.db);
  const previews = new PreviewLinks(rt.db);

  kit.nav.add({
    id: 'stories',
    group: 'Newsroom',
    label: 'Stories',
    href: '/stories',
    cap: 'story.read',
    order: 10,
  });
  kit.assets.addCss(STORIES_CSS);
  const bundle = await buildEditorBundle();
  kit.assets.add('story-editor.js', 'text/javascript; charset=utf-8', bundle.js);
  kit.assets.addCss(bundle.css);

  const screens: StoryScreens = {
    kit,
    editing,
    publishing,
    locks,
    previews,
    async storyFor(a, rawId, action) {
      const id = /^\d{1,12}$/.test(rawId) ? Number(rawId) : Number.NaN;
      const story = Number.isSafeInteger(id) ? await loadStory(rt.db.kysely, id) : null;
      if (!story) {
        throw new DatelineError(
          'NOT_FOUND',
          `There is no story ${rawId}. It may have been deleted; find it in Stories.`,
        );
      }
      requireMay(a, 'read', story);
      if (action !== 'read') requireMay(a, action, story);
      return story;
    },
    async editorAgain(req, reply, a, story, e, fields) {
      const field = formFieldOf(e);
      return editorPage(screens, req, reply, a, story, {
        fields,
        problems: field ? { [field]: e.message } : {},
        notice: field
          ? { kind: 'problem', text: `Not saved: ${e.message}` }
          : { kind: 'problem', text: e.message },
        status: e.statusCode,
      });
    },
  };

  listRoutes(screens);
  editorRoutes(screens);
  revisionRoutes(screens);
  publishingRoutes(screens);
  previewRoute(kit, previews);
}

/** The base revision a form or script names; anything but a whole number is a bad request. */
export function baseRevisionOf(raw: unknown): number {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\d{1,9}$/.test(raw)
        ? Number(raw)
        : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new DatelineError(
      'BAD_REQUEST',
      'The request does not say which revision of the story it was based on. Reload the story and try again.',
      { field: 'base_revision' },
    );
  }
  return n;
}

/** The editor fields of a posted form: an unticked checkbox is not sent, so a form without `urgent` clears it. */
export function formFields(body: unknown): EditorFields {
  const fields = readEditorFields(body);
  if (fields.urgent === undefined) fields.urgent = false;
  return fields;
}

/** A DatelineError the editor form shows beside a field (others go to the problem page). */
export function isFieldProblem(e: unknown): e is DatelineError {
  return (
    isDatelineError(e) &&
    (e.code === 'DATELINE_ERR_ARTICLE_INVALID' ||
      e.code === 'DATELINE_ERR_SLUG_TAKEN' ||
      e.code === 'DATELINE_ERR_SECTION_NOT_FOUND')
  );
}

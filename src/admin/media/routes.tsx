// The media library screens of the newsroom admin: the grid (/media, with search and usage), a picture's
// page (/media/:id: caption, credit and alt, the focal point, the stories using it), and uploads: a form
// that works without JavaScript (/media/upload, several files in one post) and the endpoint its script
// uses (/media/uploads, one file per request with progress); /media/library.json answers the same search for
// pickers on other screens. Pictures belong to the whole network, so the
// roles asked for are held on any site: contributors and up upload and change their own pictures, editors
// and up change anyone's, wire pictures included. The renditions the pages show are served on the admin
// host too.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DatelineError,
  ERRORS,
  type ErrorName,
  isDatelineError,
  isErrorCode,
} from '../../errors/catalogue.ts';
import { type MediaActor, MediaLibrary, type TextPatch, type UploadOutcome } from '../../media/library.ts';
import type { MediaRecord } from '../../media/repository.ts';
import { mediaRoutes } from '../../media/routes.ts';
import { croppedMediaUrl, mediaUrl } from '../../media/urls.ts';
import { bundleAdminScript } from '../client/bundle.ts';
import { ADMIN } from '../host.ts';
import { canAnywhere } from '../permissions.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import { MEDIA_CSS } from './styles.ts';
import { eachUploadedFile, readFieldsFirst, type UploadLimits, uploadKit } from './upload-form.ts';
import { type FormProblem, LibraryView, PictureView, picturePath, UploadView } from './views.tsx';

ADMIN_NOTICES.set('media-text-saved', 'Caption, credit and alt text saved.');
ADMIN_NOTICES.set('media-focal-saved', 'Focal point saved: crops now centre on it.');

/** Files one post may carry; the script sends one per request, the form without it up to this many. */
export const MAX_FILES_PER_UPLOAD = 20;

export async function mediaScreen(kit: AdminKit): Promise<void> {
  const { rt } = kit;
  const library = new MediaLibrary({
    db: rt.db,
    media: rt.media,
    events: rt.events,
    onError: (err) => kit.app.log.error({ err }, 'a picture upload failed on the server'),
  });
  // The first look at usage compares every story (once per database, then only changes): done now, in the
  // background, rather than on the first visit to the library.
  library.usage
    .catchUp()
    .catch((err) => kit.app.log.error({ err }, 'reading which stories use which pictures failed'));
  const limits: UploadLimits = { maxBytes: rt.media.limits.maxUploadBytes, maxFiles: MAX_FILES_PER_UPLOAD };

  kit.nav.add({
    id: 'media',
    group: 'Newsroom',
    label: 'Pictures',
    href: '/media',
    cap: 'media.upload',
    order: 20,
  });
  kit.assets.addCss(MEDIA_CSS);
  kit.assets.add(
    'media-upload.js',
    'text/javascript; charset=utf-8',
    await bundleAdminScript('media/client/upload.ts'),
  );
  kit.assets.add(
    'media-focal.js',
    'text/javascript; charset=utf-8',
    await bundleAdminScript('media/client/focal.ts'),
  );
  const uploads = await uploadKit(kit);
  // The admin's pages show pictures from their own host (its style policy allows no other), and admin requests
  // reach admin routes only: the rendition routes are registered again under the admin host.
  await kit.app.register(async (scoped) => {
    scoped.addHook('onRoute', (route) => {
      route.constraints = { ...route.constraints, adminHost: ADMIN };
    });
    await scoped.register(mediaRoutes, { media: rt.media });
  });

  const actorOf = (a: AdminContext): MediaActor => ({ userId: a.staff.userId, actor: a.actor });
  const mayEdit = (a: AdminContext, media: MediaRecord) =>
    canAnywhere(a.staff.grants, 'media.edit_any') ||
    (media.uploadedBy === a.staff.userId && canAnywhere(a.staff.grants, 'media.upload'));
  const requireEdit = (a: AdminContext, media: MediaRecord) => {
    if (!mayEdit(a, media)) {
      throw new DatelineError(
        'FORBIDDEN',
        'Only whoever uploaded this picture, or an editor, can change it, so nothing was changed. ' +
          'Ask an editor to make the change.',
      );
    }
  };
  const idOf = (req: FastifyRequest) => {
    const raw = (req.params as { id?: string }).id ?? '';
    return /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : 0;
  };

  kit.page('/media', { cap: 'media.upload' }, async (req, reply, a) => {
    const page = await library.browse({
      query: queryValue(req, 'q'),
      page: Number(queryValue(req, 'page') || 1),
    });
    return kit.render(
      req,
      reply,
      a,
      { title: 'Pictures', current: 'media' },
      <LibraryView page={page} canUpload={canAnywhere(a.staff.grants, 'media.upload')} />,
    );
  });

  // For pickers in other screens (a story's lead picture, a picture in its text): the same search as the grid.
  kit.json('GET', '/media/library.json', { cap: 'media.upload' }, async (req) => {
    const page = await library.browse({
      query: queryValue(req, 'q'),
      page: Number(queryValue(req, 'page') || 1),
      perPage: Number(queryValue(req, 'perPage') || 24),
    });
    return {
      items: page.items.map(({ media, stories }) => ({
        id: media.id,
        caption: media.caption,
        credit: media.credit,
        alt: media.alt,
        filename: media.filename,
        width: media.width,
        height: media.height,
        stories,
        page: picturePath(media.id),
        thumbnail: croppedMediaUrl(media.id, { aspect: '1x1', version: media.focalVersion }, 480, 'webp'),
        src: mediaUrl(media.id, 1200, 'webp'),
      })),
      total: page.total,
      page: page.page,
      pageCount: page.pageCount,
      query: page.query,
    };
  });

  // ---------------------------------------------------------------- uploads

  const uploadPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: { outcomes?: UploadOutcome[]; tooMany?: boolean; status?: number } = {},
  ) =>
    kit.render(
      req,
      reply,
      a,
      {
        title: 'Upload pictures',
        current: 'media',
        scripts: [kit.assets.path('media-upload.js')],
        status: o.status,
      },
      <UploadView
        csrf={a.csrf}
        maxBytes={limits.maxBytes}
        maxFiles={limits.maxFiles}
        outcomes={o.outcomes}
        tooMany={o.tooMany}
      />,
    );

  /** Reads and stores every file of the post, each on its own; the answer's status is the first refusal's. */
  const receive = async (req: FastifyRequest, a: AdminContext) => {
    const outcomes: UploadOutcome[] = [];
    const { tooMany } = await eachUploadedFile(req, limits, async (file) => {
      // A file field left empty still arrives, as a part with no name and no bytes.
      if (file.filename === '' && file.bytes.length === 0) return;
      outcomes.push(...(await library.upload([file], actorOf(a))));
    });
    const refused = outcomes.find((o) => !o.ok);
    const status = refused && !refused.ok ? statusOf(refused.code) : tooMany ? 413 : 200;
    return { outcomes, tooMany, status };
  };

  kit.page('/media/upload', { cap: 'media.upload' }, async (req, reply, a) => uploadPage(req, reply, a));

  readFieldsFirst(uploads.app, '/media/upload', limits);
  uploads.action('/media/upload', { cap: 'media.upload' }, async (req, reply, a) => {
    const got = await receive(req, a);
    if (got.outcomes.length === 0 && !got.tooMany) {
      throw new DatelineError(
        'MEDIA_INVALID',
        'No file arrived with the form: choose one or more pictures in the file field, then upload.',
      );
    }
    return uploadPage(req, reply, a, got);
  });

  uploads.json('POST', '/media/uploads', { cap: 'media.upload' }, async (req, reply, a) => {
    const got = await receive(req, a);
    if (got.outcomes.length === 0 && !got.tooMany) {
      throw new DatelineError(
        'MEDIA_INVALID',
        'No file arrived with the request: send the pictures as multipart form data in a field named files.',
      );
    }
    return reply.code(got.status).send({
      outcomes: got.outcomes.map((o) =>
        o.ok
          ? {
              ok: true,
              filename: o.filename,
              existing: o.existing,
              id: o.media.id,
              url: picturePath(o.media.id),
            }
          : { ok: false, filename: o.filename, code: o.code, title: o.title, message: o.message },
      ),
      tooMany: got.tooMany,
    });
  });

  // ---------------------------------------------------------------- one picture

  const picturePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    id: number,
    o: { values?: Record<string, string>; problem?: FormProblem | null; status?: number } = {},
  ) => {
    const details = await library.picture(id);
    const editable = mayEdit(a, details.media);
    return kit.render(
      req,
      reply,
      a,
      {
        title: details.media.caption ? `Picture: ${shorten(details.media.caption)}` : `Picture ${id}`,
        current: 'media',
        scripts: editable ? [kit.assets.path('media-focal.js')] : [],
        status: o.status,
        notice: o.problem ? { kind: 'problem', text: o.problem.message } : undefined,
      },
      <PictureView
        details={details}
        csrf={a.csrf}
        mayEdit={editable}
        values={o.values}
        problem={o.problem}
      />,
    );
  };

  kit.page('/media/:id', { cap: 'media.upload' }, async (req, reply, a) =>
    picturePage(req, reply, a, idOf(req)),
  );

  kit.action('/media/:id/text', { cap: 'media.upload' }, async (req, reply, a) => {
    const id = idOf(req);
    requireEdit(a, await rt.media.get(id));
    const patch: TextPatch = {
      caption: sentField(req.body, 'caption'),
      credit: sentField(req.body, 'credit'),
      alt: sentField(req.body, 'alt'),
    };
    try {
      await library.editText(id, patch, actorOf(a));
    } catch (e) {
      if (isDatelineError(e, 'MEDIA_DETAILS_INVALID')) {
        return picturePage(req, reply, a, id, {
          values: Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
          problem: { field: String(e.where?.field ?? 'caption'), message: e.message },
          status: e.statusCode,
        });
      }
      throw e;
    }
    return kit.seeOther(reply, picturePath(id), 'media-text-saved');
  });

  kit.action('/media/:id/focal', { cap: 'media.upload' }, async (req, reply, a) => {
    const id = idOf(req);
    requireEdit(a, await rt.media.get(id));
    const raw = { x: formValue(req.body, 'x').trim(), y: formValue(req.body, 'y').trim() };
    // An empty field is not 0: Number('') would quietly move the point to the edge.
    const point = {
      x: raw.x === '' ? Number.NaN : Number(raw.x),
      y: raw.y === '' ? Number.NaN : Number(raw.y),
    };
    try {
      await library.setFocalPoint(id, point, actorOf(a));
    } catch (e) {
      if (isDatelineError(e, 'MEDIA_DETAILS_INVALID')) {
        return picturePage(req, reply, a, id, {
          values: raw,
          problem: { field: 'focal', message: e.message },
          status: e.statusCode,
        });
      }
      throw e;
    }
    return kit.seeOther(reply, picturePath(id), 'media-focal-saved');
  });
}

/** The HTTP status of a refusal, from the error catalogue. */
function statusOf(code: string): number {
  return isErrorCode(code) ? ERRORS[code.slice('DATELINE_ERR_'.length) as ErrorName].status : 400;
}

/** A field the form really sent; one left out is not a request to empty it. */
function sentField(body: unknown, name: string): string | undefined {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? formValue(body, name) : undefined;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

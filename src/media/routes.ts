// Serves image renditions at /media/<id>/<width>.<webp|jpg>, and crops around the focal point at
// /media/<id>/<aspect>-v<version>/<width>.<webp|jpg>. The bytes behind a URL never change, so responses are
// cacheable forever by browsers and CDNs; the ETag still lets a client revalidate cheaply. A crop asked for
// under an older focal point version is sent on to the current one, so a stale page still shows a picture.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { DatelineError } from '../errors/catalogue.ts';
import { etagMatches } from '../web/etag.ts';
import type { MediaService } from './service.ts';
import { croppedMediaUrl, parseCropSegment, parseRenditionFile } from './urls.ts';

export { mediaUrl } from './urls.ts';

export interface MediaRoutesOptions {
  media: MediaService;
}

export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/**
 * For the redirect from an old crop: a day, not for ever, since the point may move again (the chain of
 * redirects would still end at the current crop, but one hop is kinder).
 */
export const MOVED_CROP_CACHE_CONTROL = 'public, max-age=86400';

const paramsSchema = {
  type: 'object',
  required: ['id', 'file'],
  properties: {
    id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' },
    file: { type: 'string', pattern: '^[1-9][0-9]{0,4}\\.(webp|jpg)$' },
  },
} as const;

const cropParamsSchema = {
  type: 'object',
  required: ['id', 'crop', 'file'],
  properties: {
    ...paramsSchema.properties,
    crop: { type: 'string', pattern: '^[0-9]{1,2}x[0-9]{1,2}-v(0|[1-9][0-9]{0,8})$' },
  },
} as const;

function noSuchImageUrl(url: string): DatelineError {
  return new DatelineError(
    'MEDIA_NOT_FOUND',
    `There is no image at ${url}: image addresses look like /media/<id>/<width>.webp or .jpg, or ` +
      '/media/<id>/<aspect>-v<version>/<width>.webp for a crop. Build them with mediaUrl() or croppedMediaUrl() ' +
      'rather than by hand.',
  );
}

export const mediaRoutes: FastifyPluginAsync<MediaRoutesOptions> = async (app, { media }) => {
  app.get<{ Params: { id: string; file: string } }>(
    '/media/:id/:file',
    // attachValidation: a malformed address becomes our MEDIA_NOT_FOUND (status and code in the body via
    // the app's error handler) instead of Fastify's generic validation error.
    { schema: { params: paramsSchema }, attachValidation: true },
    async (request, reply) => {
      const parsed = request.validationError ? null : parseRenditionFile(request.params.file);
      if (!parsed) throw noSuchImageUrl(request.url);

      const rendition = await media.rendition(Number(request.params.id), parsed.width, parsed.format);
      return sendRendition(request.headers['if-none-match'], reply, rendition);
    },
  );

  app.get<{ Params: { id: string; crop: string; file: string } }>(
    '/media/:id/:crop/:file',
    { schema: { params: cropParamsSchema }, attachValidation: true },
    async (request, reply) => {
      const file = request.validationError ? null : parseRenditionFile(request.params.file);
      const crop = request.validationError ? null : parseCropSegment(request.params.crop);
      if (!file || !crop) throw noSuchImageUrl(request.url);

      const id = Number(request.params.id);
      const found = await media.croppedRendition(id, crop, file.width, file.format);
      if ('moved' in found) {
        return reply
          .header('Cache-Control', MOVED_CROP_CACHE_CONTROL)
          .redirect(
            croppedMediaUrl(id, { aspect: crop.aspect, version: found.version }, file.width, file.format),
            301,
          );
      }
      return sendRendition(request.headers['if-none-match'], reply, found);
    },
  );
};

function sendRendition(
  ifNoneMatch: string | undefined,
  reply: FastifyReply,
  rendition: { bytes: Buffer; mime: string; etag: string },
) {
  reply
    .header('ETag', rendition.etag)
    .header('Cache-Control', IMMUTABLE_CACHE_CONTROL)
    .header('X-Content-Type-Options', 'nosniff');
  if (etagMatches(ifNoneMatch, rendition.etag)) return reply.code(304).send();
  return reply.type(rendition.mime).send(rendition.bytes);
}

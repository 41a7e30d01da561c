// Serves image renditions at /media/<id>/<width>.<webp|jpg>. The bytes behind a URL never change, so
// responses are cacheable forever by browsers and CDNs; the ETag still lets a client revalidate cheaply.
import type { FastifyPluginAsync } from 'fastify';
import { DatelineError } from '../errors/catalogue.ts';
import { etagMatches } from '../web/etag.ts';
import type { MediaService } from './service.ts';
import { parseRenditionFile } from './urls.ts';

export { mediaUrl } from './urls.ts';

export interface MediaRoutesOptions {
  media: MediaService;
}

export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const paramsSchema = {
  type: 'object',
  required: ['id', 'file'],
  properties: {
    id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' },
    file: { type: 'string', pattern: '^[1-9][0-9]{0,4}\\.(webp|jpg)$' },
  },
} as const;

function noSuchImageUrl(url: string): DatelineError {
  return new DatelineError(
    'MEDIA_NOT_FOUND',
    `There is no image at ${url}: image addresses look like /media/<id>/<width>.webp or .jpg. ` +
      'Build them with mediaUrl() rather than by hand.',
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
      reply
        .header('ETag', rendition.etag)
        .header('Cache-Control', IMMUTABLE_CACHE_CONTROL)
        .header('X-Content-Type-Options', 'nosniff');
      if (etagMatches(request.headers['if-none-match'], rendition.etag)) return reply.code(304).send();
      return reply.type(rendition.mime).send(rendition.bytes);
    },
  );
};

// Reading multipart uploads on the admin's own terms. The route kit checks the session, then the CSRF token,
// then permission, before a handler runs; a form's token is a body field, and a multipart body is a stream.
// So for the upload form only, a hook reads the fields sent before the first file (the form puts its
// `csrf` field first, as browsers send fields in page order) into the body the kit checks, and leaves the
// files unread in the stream: no file byte is read, let alone buffered, until every check has passed. The
// handler then reads the files one at a time, each up to the upload limit; a file over it is cut off there
// and refused on its own, without stopping the others.
import fastifyMultipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AdminKit } from '../route-kit.tsx';

export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
}

export interface ReceivedFile {
  filename: string;
  bytes: Buffer;
  /** Over the upload limit: only the first maxBytes were read. */
  cutOff: boolean;
}

interface Started {
  parts: AsyncIterator<Multipart>;
  /** The first file part, which the hook met and left for the handler. */
  firstFile: MultipartFile | null;
  finished: boolean;
}

const started = new WeakMap<FastifyRequest, Started>();
const uploadKits = new WeakMap<AdminKit, Promise<AdminKit>>();

// Fields before the files: the token and nothing large.
const FIELD_LIMITS = { fields: 8, fieldSize: 4096 };

/**
 * The kit to declare upload routes on: an encapsulated child of the admin app with @fastify/multipart
 * registered in it (one child however many screens ask). The plugin adds an onRequest and an onResponse
 * hook to every route of the context it is registered in; on the root app every reader page paid for
 * both (about 7% of the warm article page's CPU). Requests on other routes that arrive as multipart get no
 * body, which their own checks refuse as before.
 */
export function uploadKit(kit: AdminKit): Promise<AdminKit> {
  let scoped = uploadKits.get(kit);
  if (!scoped) {
    scoped = (async () => {
      let child: FastifyInstance | undefined;
      await kit.app.register(async (app) => {
        await app.register(fastifyMultipart, { throwFileSizeLimit: false });
        child = app;
      });
      return kit.within(child!);
    })();
    uploadKits.set(kit, scoped);
  }
  return scoped;
}

function partsOf(req: FastifyRequest, limits: UploadLimits): AsyncIterator<Multipart> {
  return (
    req
      // throwFileSizeLimit is off for the whole plugin (see ensureMultipart): a file over the limit is cut off.
      .parts({
        limits: {
          ...FIELD_LIMITS,
          files: limits.maxFiles,
          fileSize: limits.maxBytes,
          parts: limits.maxFiles + 8,
        },
      })
      [Symbol.asyncIterator]()
  );
}

/**
 * Adds the leading-fields hook to the POST route at `url` when the kit declares it; call before declaring.
 * After the answer, a body left unread (the request was refused) closes the connection rather than
 * leaving the client sending into a stream nobody reads.
 */
export function readFieldsFirst(app: FastifyInstance, url: string, limits: UploadLimits): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== url || route.method !== 'POST') return;
    const before = route.preValidation ? [route.preValidation].flat() : [];
    route.preValidation = [
      ...before,
      async (req: FastifyRequest) => {
        if (!req.isMultipart()) return;
        const parts = partsOf(req, limits);
        const fields: Record<string, string> = {};
        let firstFile: MultipartFile | null = null;
        let finished = false;
        for (;;) {
          const next = await parts.next().catch(() => ({ done: true as const, value: undefined }));
          if (next.done) {
            finished = true;
            break;
          }
          if (next.value.type === 'file') {
            firstFile = next.value;
            break;
          }
          if (typeof next.value.value === 'string') fields[next.value.fieldname] = next.value.value;
        }
        req.body = fields;
        started.set(req, { parts, firstFile, finished });
      },
    ];
    const after = route.onResponse ? [route.onResponse].flat() : [];
    route.onResponse = [
      ...after,
      async (req: FastifyRequest) => {
        const s = started.get(req);
        if (s && !s.finished && !req.raw.complete) req.raw.destroy();
      },
    ];
  });
}

/**
 * Reads every file of a multipart upload, one at a time, handing each to `take` before the next is read.
 * Answers whether files beyond maxFiles were left unread.
 */
export async function eachUploadedFile(
  req: FastifyRequest,
  limits: UploadLimits,
  take: (file: ReceivedFile) => Promise<void>,
): Promise<{ tooMany: boolean; count: number }> {
  if (!req.isMultipart()) return { tooMany: false, count: 0 };
  const s = started.get(req) ?? { parts: partsOf(req, limits), firstFile: null, finished: false };
  started.set(req, s);
  let count = 0;
  let pending = s.firstFile;
  s.firstFile = null;
  for (;;) {
    if (!pending) {
      if (s.finished) break;
      let next: IteratorResult<Multipart>;
      try {
        next = await s.parts.next();
      } catch (err) {
        // The parser stops at the files limit; what was read so far stands.
        if ((err as { code?: string }).code === 'FST_FILES_LIMIT') return { tooMany: true, count };
        throw err;
      }
      if (next.done) {
        s.finished = true;
        break;
      }
      if (next.value.type !== 'file') continue;
      pending = next.value;
    }
    const part = pending;
    pending = null;
    // Buffered because the picture checks decode the whole file; never more than the limit, one at a time.
    const bytes = await part.toBuffer();
    count++;
    await take({ filename: part.filename, bytes, cutOff: part.file.truncated });
  }
  return { tooMany: false, count };
}

// The wire HTTP API.
// - POST /api/wire/ingest: an agency delivers one document (ninjs, NewsML-G2, RSS, Atom) or a batch
//   ({"documents": [{"name", "content"}]}), authenticated by that agency's own API token.
// - /api/wire/queue, /problems, /stories: the review queue and what editors need to see, for staff holding
//   wire.review (a personal API token, or their admin session at the admin host) on the sites concerned, or
//   for the operator token from the configuration (DATELINE_WIRE_OPERATOR_TOKEN); see staff-access.ts.
// Bodies are taken as raw bytes: wire documents are parsed by the wire parsers, never by a generic parser.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN } from '../admin/host.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { WireDesk } from './desk.ts';
import { mayDiscardEntry, mayOpenEntry, narrowScope } from './desk-scope.ts';
import type { Agency } from './model.ts';
import { encodeBody, type WireService } from './service.ts';
import {
  callerMay,
  callerScope,
  deskForbidden,
  requireReview,
  type WireCaller,
  type WireStaffAccess,
} from './staff-access.ts';

export interface WireRouteOptions {
  wire: WireService;
  jobs: JobQueue | null;
  maxDocumentBytes: number;
  /** Who may use the desk endpoints (staff tokens and sessions, the operator token), and the desk itself. */
  staffDesk: { access: WireStaffAccess; desk: WireDesk };
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

function badRequest(message: string, field?: string): DatelineError {
  return new DatelineError('WIRE_BATCH_INVALID', message, field ? { field } : undefined);
}

/** One document, or the documents of a `{"documents": [...]}` batch. */
function documentsOf(body: Buffer): { name: string; content: string }[] {
  if (body.length === 0)
    throw badRequest('The request has no body. Send the wire document itself, or {"documents": [...]}.');
  const start = body.subarray(0, 64).toString('utf8').trimStart();
  if (start.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = null; // Not JSON: the wire parser reports it with its line and column.
    }
    if (json && typeof json === 'object' && !Array.isArray(json) && 'documents' in json && !('uri' in json)) {
      const docs = (json as { documents: unknown }).documents;
      if (!Array.isArray(docs) || docs.length === 0) {
        throw badRequest('"documents" must be a non-empty list of {"name", "content"} objects.', 'documents');
      }
      return docs.map((d, i) => {
        if (!d || typeof d !== 'object' || Array.isArray(d))
          throw badRequest(`documents[${i}] must be an object with "content".`, `documents[${i}]`);
        const { name, content } = d as { name?: unknown; content?: unknown };
        if (name !== undefined && (typeof name !== 'string' || !/^[\w.-]{1,100}$/.test(name))) {
          throw badRequest(
            `documents[${i}].name must be 1–100 letters, digits, dots, dashes or underscores.`,
            `documents[${i}].name`,
          );
        }
        const text =
          typeof content === 'string'
            ? content
            : content && typeof content === 'object'
              ? JSON.stringify(content)
              : null;
        if (text === null) {
          throw badRequest(
            `documents[${i}].content must be the document as text, or a ninjs object.`,
            `documents[${i}].content`,
          );
        }
        return { name: (name as string | undefined) ?? `document-${i + 1}`, content: text };
      });
    }
  }
  return [{ name: 'document', content: encodeBody(body) }];
}

export async function wireRoutes(app: FastifyInstance, o: WireRouteOptions): Promise<void> {
  const { wire } = o;
  // This plugin's own parser: every body arrives as bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: o.maxDocumentBytes }, (_req, body, done) =>
    done(null, body),
  );

  const agencyOf = async (req: FastifyRequest): Promise<Agency> => {
    const token = bearer(req);
    const agency = token ? await wire.setup.agencyForToken(token) : null;
    if (!agency) {
      throw new DatelineError(
        'WIRE_TOKEN_INVALID',
        'This needs the agency\'s API token as "Authorization: Bearer <token>". The token is shown when the agency is added; make a new one with `dateline wire agency token SLUG`.',
      );
    }
    return agency;
  };

  const { access, desk } = o.staffDesk;
  const caller = (req: FastifyRequest, changes = false): Promise<WireCaller> => access.caller(req, changes);
  // The queue entry, once the caller is known to be allowed to open it (not found reads the same either way).
  const openEntry = async (c: WireCaller, id: number) => {
    const reach = await desk.reach(id);
    if (!reach) {
      throw new DatelineError(
        'WIRE_QUEUE_NOT_FOUND',
        `There is no queue entry ${id}. List the queue with GET /api/wire/queue.`,
        { entry: id },
      );
    }
    if (!mayOpenEntry(callerMay(c), reach)) throw deskForbidden();
    return reach;
  };

  const json = (req: FastifyRequest): Record<string, unknown> => {
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) return {};
    try {
      const v = JSON.parse(body.toString('utf8')) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new DatelineError('BAD_REQUEST', 'The request body must be a JSON object.');
  };

  const idParam = (req: FastifyRequest): number => {
    const id = Number((req.params as { id: string }).id);
    if (!Number.isInteger(id) || id < 1)
      throw new DatelineError('WIRE_QUEUE_NOT_FOUND', 'Queue entry ids are positive whole numbers.');
    return id;
  };

  const reply = { 'cache-control': 'no-store' };

  // The desk endpoints answer on the sites' hosts (tokens) and on the admin host, whose staff session cookie
  // is sent only there; the admin host matches only routes that name it, hence the second registration.
  type DeskHandler = (req: FastifyRequest, res: FastifyReply) => Promise<unknown>;
  const deskRoute = (method: 'GET' | 'POST' | 'PATCH', url: string, handler: DeskHandler) => {
    app.route({ method, url, handler });
    app.route({ method, url, constraints: { adminHost: ADMIN }, handler });
  };
  const query = (req: FastifyRequest, name: string): string | undefined => {
    const v = (req.query as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' ? v : undefined;
  };

  app.post<{ Querystring: { wait?: string } }>('/api/wire/ingest', async (req, res) => {
    const agency = await agencyOf(req);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const docs = documentsOf(body);
    const wait = req.query.wait !== 'false';
    const { deliveries, summary } = await wire.deliver(agency, docs, { jobs: o.jobs, wait });
    if (!summary) return res.code(202).headers(reply).send({ deliveries, status: 'queued' });
    return res
      .code(200)
      .headers(reply)
      .send({ deliveries, ...summary });
  });

  app.get<{ Params: { id: string } }>('/api/wire/deliveries/:id', async (req, res) => {
    const agency = await agencyOf(req);
    const d = await wire.delivery(Number(req.params.id));
    if (!d?.source.startsWith(`api://${agency.slug}/`)) {
      throw new DatelineError(
        'WIRE_QUEUE_NOT_FOUND',
        `There is no delivery ${req.params.id} from ${agency.name}.`,
      );
    }
    return res.headers(reply).send(d);
  });

  deskRoute('GET', '/api/wire/queue', async (req, res) => {
    const c = await caller(req);
    const limit = Math.min(Math.max(Number(query(req, 'limit') ?? 50) || 50, 1), 500);
    const offset = Math.max(Number(query(req, 'offset') ?? 0) || 0, 0);
    const site = query(req, 'site');
    let scope = callerScope(c);
    if (site !== undefined) scope = narrowScope(scope, [(await desk.siteIdOf(site)) ?? -1]);
    const { entries } = await desk.queue(scope, { limit, offset });
    return res.headers(reply).send({ entries });
  });

  deskRoute('GET', '/api/wire/queue/:id', async (req, res) => {
    const c = await caller(req);
    const id = idParam(req);
    await openEntry(c, id);
    return res.headers(reply).send(await desk.get(id));
  });

  deskRoute('PATCH', '/api/wire/queue/:id', async (req, res) => {
    const c = await caller(req, true);
    const id = idParam(req);
    await openEntry(c, id);
    const body = json(req);
    return res.headers(reply).send(await desk.edit(id, body.edits ?? body, c.actor));
  });

  deskRoute('POST', '/api/wire/queue/:id/publish', async (req, res) => {
    const c = await caller(req, true);
    const id = idParam(req);
    const reach = await openEntry(c, id);
    const body = json(req);
    const text = (k: string) => {
      const v = body[k];
      if (v !== undefined && typeof v !== 'string')
        throw new DatelineError('BAD_REQUEST', `"${k}" must be text.`, { field: k });
      return v as string | undefined;
    };
    let publishAt: Date | null | undefined;
    if (body.publishAt !== undefined) {
      publishAt = body.publishAt === null ? null : new Date(String(body.publishAt));
      if (publishAt && Number.isNaN(publishAt.getTime())) {
        throw new DatelineError(
          'BAD_REQUEST',
          '"publishAt" must be an ISO 8601 time such as 2030-01-15T00:00:00Z.',
          { field: 'publishAt' },
        );
      }
    }
    const site = text('site');
    const section = text('section');
    // Permission on the site published to: the one named, else the one a rule suggested. With neither, or an
    // unknown slug, the queue refuses before changing anything (BAD_REQUEST, SITE_NOT_FOUND).
    const targetId = site !== undefined ? await desk.siteIdOf(site) : reach.suggestedSiteId;
    if (targetId !== null) requireReview(c, targetId);
    const result = await desk.publish(
      id,
      {
        ...(site !== undefined && { site }),
        ...(section !== undefined && { section }),
        ...(body.edits !== undefined && { edits: body.edits as never }),
        ...(publishAt !== undefined && { publishAt }),
      },
      c.actor,
    );
    return res.headers(reply).send(result);
  });

  deskRoute('POST', '/api/wire/queue/:id/discard', async (req, res) => {
    const c = await caller(req, true);
    const id = idParam(req);
    const reach = await openEntry(c, id);
    if (!mayDiscardEntry(callerMay(c), reach)) throw deskForbidden();
    return res.headers(reply).send(await desk.discard(id, c.actor));
  });

  deskRoute('GET', '/api/wire/problems', async (req, res) => {
    const c = await caller(req);
    const limit = Math.min(Math.max(Number(query(req, 'limit') ?? 100) || 100, 1), 1000);
    const item = query(req, 'item');
    return res.headers(reply).send({
      problems: await desk.problems(callerScope(c), {
        limit,
        offset: 0,
        ...(item !== undefined && { item }),
      }),
    });
  });

  deskRoute('GET', '/api/wire/stories', async (req, res) => {
    const c = await caller(req);
    const limit = Math.min(Math.max(Number(query(req, 'limit') ?? 50) || 50, 1), 500);
    const stories = await desk.stories(callerScope(c), limit);
    return res.headers(reply).send({
      stories: await Promise.all(
        stories.map(async (s) => ({
          id: s.id,
          uri: s.uri,
          version: s.version,
          state: s.state,
          headline: s.headline,
          usageTerms: s.usageTerms,
          edNote: s.edNote,
          corrected: s.corrected,
          embargoUntil: s.embargoUntil,
          expiresAt: s.expiresAt,
          articles: await wire.storyArticles(s.id),
        })),
      ),
    });
  });
}

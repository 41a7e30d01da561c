// Generates the OpenAPI 3.1 document from the routes as Fastify registers them: an onRoute hook records
// each API route's schema (params, querystring, responses, summary), so the document always matches what
// the server validates and sends. No plugin needed: JSON Schema is already OpenAPI 3.1's schema language.
import type { RouteOptions } from 'fastify';

export interface RecordedRoute {
  method: string;
  url: string;
  schema: Record<string, unknown>;
}

export class OpenApiRecorder {
  private readonly routes: RecordedRoute[] = [];

  /** Pass to `app.addHook('onRoute', …)` inside the API's plugin, before its routes are added. */
  readonly onRoute = (route: RouteOptions): void => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!route.schema || (route.schema as { hide?: boolean }).hide) return;
    for (const m of methods) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      this.routes.push({
        method: m.toLowerCase(),
        url: route.url,
        schema: route.schema as Record<string, unknown>,
      });
    }
  };

  document(info: {
    title: string;
    version: string;
    description: string;
    serverUrl: string;
  }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes) {
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op: Record<string, unknown> = {
        operationId: operationId(r.method, r.url),
        summary: r.schema.summary,
        description: r.schema.description,
        tags: r.schema.tags,
        parameters: [...parameters(r.schema.params, 'path'), ...parameters(r.schema.querystring, 'query')],
        responses: responses(r.schema.response),
      };
      if (r.schema.security) op.security = r.schema.security;
      const ops = paths[path] ?? {};
      ops[r.method] = clean(op);
      paths[path] = ops;
    }
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version, description: info.description },
      servers: [{ url: info.serverUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer dl_…' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
      paths,
    };
  }
}

function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v\d+/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1)));
  return `${method}${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
}

function parameters(schema: unknown, where: 'path' | 'query') {
  const s = schema as
    | { properties?: Record<string, Record<string, unknown>>; required?: string[] }
    | undefined;
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return clean({
      name,
      in: where,
      required: where === 'path' || (s.required ?? []).includes(name),
      description,
      schema: plain(rest),
    });
  });
}

function responses(schema: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, body] of Object.entries((schema as Record<string, unknown>) ?? {})) {
    const b = body as { description?: string };
    out[status] = {
      description: b.description ?? (status.startsWith('2') ? 'OK' : 'Error'),
      content: { 'application/json': { schema: plain(body) } },
    };
  }
  return out;
}

/** JSON round trip: drops TypeBox's symbol keys and anything else that is not plain JSON. */
function plain(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function clean(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

declare module 'fastify' {
  interface FastifySchema {
    /** OpenAPI documentation of a route; Fastify itself ignores these. */
    summary?: string;
    description?: string;
    tags?: string[];
    hide?: boolean;
  }
}

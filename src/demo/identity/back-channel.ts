// How Dateline, as the demo provider's client, talks to it: in process, through fastify.inject, never over
// the network. The provider's host (id.localhost) is one a browser sends to this machine, but the server's
// own resolver may not know it, and the server may not even listen (tests). Only requests for the demo
// provider's own origin are answered; anything else is refused.
import type { FastifyInstance } from 'fastify';
import type { CustomFetch } from 'openid-client';

export function inProcessFetch(app: FastifyInstance, origin: () => string): CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    if (target.origin !== origin()) {
      throw new Error(`the demo provider's client only talks to ${origin()}, not ${target.origin}`);
    }
    const headers: Record<string, string> = {};
    new Headers(options.headers).forEach((value, name) => {
      headers[name] = value;
    });
    headers.host = target.host;
    const body = options.body;
    const payload =
      body === undefined || body === null
        ? undefined
        : body instanceof URLSearchParams
          ? body.toString()
          : typeof body === 'string'
            ? body
            : Buffer.from(body as ArrayBuffer);
    const res = await app.inject({
      method: options.method as 'GET' | 'POST',
      url: `${target.pathname}${target.search}`,
      headers,
      payload,
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) out.append(name, v);
    }
    const empty = res.statusCode === 204 || res.statusCode === 304;
    return new Response(empty ? null : new Uint8Array(res.rawPayload), {
      status: res.statusCode,
      headers: out,
    });
  };
}

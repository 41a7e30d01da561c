// Test support for the accounts feature (used by its tests and the browser test, never by the app): a
// cookie-carrying client that drives the app through fastify.inject and real servers through fetch, a
// real SMTP server on loopback that keeps what arrives, a real OpenID Connect provider (oidc-provider),
// and a small Facebook-style OAuth2 provider of our own.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const ORIGIN_PORT = 3000;

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  url: string;
}

/** A browser without JavaScript: keeps cookies per host, sends Origin and Sec-Fetch-Site like one. */
export class Client {
  readonly jar = new Map<string, Map<string, string>>();
  userAgent = 'Mozilla/5.0 (test) Dateline';
  /** The network address the app sees for requests made through fastify.inject. */
  ip = '127.0.0.1';

  constructor(private readonly app: FastifyInstance) {}

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  private store(host: string, setCookie: string | string[] | undefined) {
    if (!setCookie) return;
    const jar = this.jar.get(host) ?? new Map<string, string>();
    this.jar.set(host, jar);
    for (const c of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (gone || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  async request(
    method: 'GET' | 'POST',
    url: string,
    opts: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Res> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.host)?.entries() ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: 'text/html',
      ...(cookies ? { cookie: cookies } : {}),
      ...(method === 'POST'
        ? {
            origin: u.origin,
            'sec-fetch-site': 'same-origin',
            'content-type': 'application/x-www-form-urlencoded',
          }
        : {}),
      ...opts.headers,
    };
    const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
    if (u.hostname.endsWith('.localhost') && Number(u.port) === ORIGIN_PORT) {
      const r = await this.app.inject({
        method,
        url: `${u.pathname}${u.search}`,
        headers: { ...headers, host: u.host },
        payload: body,
        remoteAddress: this.ip,
      });
      this.store(u.host, r.headers['set-cookie']);
      return { status: r.statusCode, headers: r.headers as Res['headers'], body: r.body, url };
    }
    const r = await fetch(url, { method, headers, body, redirect: 'manual' });
    const setCookies = r.headers.getSetCookie();
    this.store(u.host, setCookies.length ? setCookies : undefined);
    return {
      status: r.status,
      headers: Object.fromEntries([...(r.headers as unknown as Iterable<[string, string]>)]),
      body: await r.text(),
      url,
    };
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request('GET', url, { headers });
  }

  post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request('POST', url, { form, headers });
  }

  /** Follows Location headers and 0-second meta refreshes, as a browser would. */
  async follow(res: Res, max = 25): Promise<Res> {
    let r = res;
    for (let i = 0; i < max; i++) {
      const loc = r.headers.location;
      const refresh = /<meta http-equiv="refresh" content="0;url=([^"]+)"/.exec(r.body)?.[1];
      const next = loc ? String(loc) : refresh ? refresh.replace(/&amp;/g, '&') : null;
      if (!next || (r.status >= 400 && !loc)) return r;
      r = await this.get(new URL(next, r.url).href);
    }
    throw new Error('too many redirects');
  }

  /** Loads a page with a form and submits it with the given fields plus its CSRF token. */
  async submit(pageUrl: string, action: string, form: Record<string, string>): Promise<Res> {
    const page = await this.get(pageUrl);
    const csrf = csrfOf(page.body);
    return this.post(new URL(action, pageUrl).href, { csrf, ...form });
  }
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

export function linkIn(text: string, path: string): string {
  const m = new RegExp(`https?://[^\\s"]+${path.replace(/[/?]/g, '\\$&')}[^\\s"]*`).exec(text);
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return m[0];
}

// ---------------------------------------------------------------------------------------------- SMTP

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Attached files, their content as text. */
  attachments: { filename: string; contentType: string; content: string }[];
}

export async function startSmtpSink(): Promise<{
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
  waitFor(to: string, n?: number): Promise<ReceivedMail[]>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          const to = Array.isArray(m.to) ? m.to[0]?.text : m.to?.text;
          mails.push({
            to: String(to ?? '').toLowerCase(),
            subject: m.subject ?? '',
            text: m.text ?? '',
            html: String(m.html || ''),
            messageId: m.messageId ?? '',
            attachments: m.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              content: a.content.toString('utf8'),
            })),
          });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, n = 1) {
      for (let i = 0; i < 200; i++) {
        const got = mails.filter((m) => m.to === to.toLowerCase());
        if (got.length >= n) return got;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no mail for ${to}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------- OIDC

export interface TestAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
}

/** A real OpenID Connect provider on loopback; its login form accepts any login named in `accounts`. */
export async function startOidcProvider(
  accounts: Record<string, TestAccount>,
  opts: { port?: number } = {},
  clientId = 'dateline',
  clientSecret = 'dateline-secret',
) {
  const appPort = opts.port ?? ORIGIN_PORT;
  // oidc-provider ships no types; the few calls here are checked by the tests themselves.
  // biome-ignore lint/suspicious/noExplicitAny: untyped dev dependency.
  const { default: Provider } = (await import('oidc-provider' as string)) as { default: any };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        // Any test host's callback; the provider checks the exact URI against this list.
        redirect_uris: [
          `http://news.localhost:${appPort}/account/oauth/oidc/callback`,
          `http://life.localhost:${appPort}/account/oauth/oidc/callback`,
        ],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key'] },
    findAccount: (_ctx: unknown, id: string) => {
      const a = accounts[id];
      if (!a) return undefined;
      return { accountId: id, claims: () => ({ ...a }) };
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    /** Lets tests add redirect URIs for other ports (the browser test). */
    provider,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Goes through the provider's own pages: login form (any password), then consent. */
export async function oidcLogin(client: Client, authorizeUrl: string, login: string): Promise<Res> {
  let r = await client.get(authorizeUrl);
  for (let i = 0; i < 10; i++) {
    if (r.status >= 300 && r.status < 400) {
      const loc = new URL(String(r.headers.location), r.url).href;
      if (new URL(loc).hostname.endsWith('.localhost')) return client.get(loc);
      r = await client.get(loc);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(r.body)?.[1];
    if (!action) throw new Error(`unexpected provider page: ${r.status} ${r.body.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(r.body)?.[1];
    const form: Record<string, string> =
      prompt === 'login' ? { prompt, login, password: 'any' } : { prompt: prompt ?? 'consent' };
    r = await client.request('POST', new URL(action, r.url).href, {
      form,
      headers: { origin: new URL(r.url).origin, 'sec-fetch-site': 'same-origin' },
    });
  }
  throw new Error('the provider dance did not end');
}

// ---------------------------------------------------------------------------------------------- OAuth2

/** A small Facebook-style OAuth2 provider: /dialog/oauth, /oauth/access_token, /me. No OIDC. */
export async function startOAuth2Provider(
  users: Record<string, { id: string; name: string; email: string }>,
) {
  const codes = new Map<string, { user: string; redirect: string; challenge: string | null }>();
  const tokens = new Map<string, string>();
  const seen: { tokenRequests: number } = { tokenRequests: 0 };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => resolve(b));
    });
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/dialog/oauth') {
      // A real provider shows a login page; the test names the user in `login_hint`-like `as` cookie-free param.
      const user = url.searchParams.get('as') ?? Object.keys(users)[0]!;
      const code = `code-${Math.random().toString(36).slice(2)}`;
      codes.set(code, {
        user,
        redirect: url.searchParams.get('redirect_uri') ?? '',
        challenge: url.searchParams.get('code_challenge'),
      });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/oauth/access_token' && req.method === 'POST') {
      seen.tokenRequests++;
      const form = new URLSearchParams(await readBody(req));
      const c = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const { createHash } = await import('node:crypto');
      const verifier = form.get('code_verifier');
      const pkceOk =
        !c?.challenge ||
        (verifier && createHash('sha256').update(verifier).digest('base64url') === c.challenge);
      if (!c || c.redirect !== form.get('redirect_uri') || !pkceOk) {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      const token = `tok-${Math.random().toString(36).slice(2)}`;
      tokens.set(token, c.user);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 3600 }));
      return;
    }
    if (url.pathname === '/me') {
      const auth = req.headers.authorization ?? '';
      const user = tokens.get(auth.replace(/^Bearer /i, ''));
      if (!user || !users[user]) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(users[user]));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    config: {
      kind: 'oauth2',
      id: 'facebook',
      name: 'Facebook',
      authorizeUrl: `${base}/dialog/oauth`,
      tokenUrl: `${base}/oauth/access_token`,
      userInfoUrl: `${base}/me`,
      clientId: 'fb-client',
      clientSecret: 'fb-secret',
      scopes: ['email', 'public_profile'],
      fields: { subject: 'id', email: 'email', name: 'name', emailVerified: true },
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Cheap argon2 settings for tests that hash many passwords; the real cost is tested on its own. */
export const FAST_ARGON2 = { DATELINE_ARGON2_MEMORY_KIB: '1024', DATELINE_ARGON2_TIME_COST: '1' };

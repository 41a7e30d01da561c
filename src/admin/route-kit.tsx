// How every admin screen declares its routes. A route is registered for the admin host only, and each
// request runs its checks in one order: the staff session (signed out: a page is sent to sign-in with
// `next`, a script gets 401 STAFF_SIGN_IN_REQUIRED), then for a state change the origin and the CSRF token
// (a form field `csrf`, or the `x-csrf-token` header from scripts), then permission (403 FORBIDDEN, nothing
// changed). Handlers get an AdminContext with the staff member, the site being worked on and the checks.
// Every answer is personal and never cached.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { RequestContext } from '../accounts/account-core.ts';
import { readCookie, setCookie } from '../accounts/cookies.ts';
import { anonymousCsrfToken, checkCsrfToken, sessionCsrfToken } from '../accounts/csrf.ts';
import { newSecret } from '../accounts/secrets.ts';
import { staffActor } from '../audit/log.ts';
import { DatelineError, isDatelineError } from '../errors/catalogue.ts';
import type { Runtime } from '../runtime.ts';
import type { SiteContext } from '../sites/directory.ts';
import { renderDocument } from '../web/pages.ts';
import type { AdminAssets } from './assets.ts';
import { ADMIN, adminOrigin } from './host.ts';
import type { AdminNav } from './nav.ts';
import { type Capability, can, sitesWith } from './permissions.ts';
import type { StaffAuth, StaffSession } from './staff-auth.ts';
import { AdminLayout } from './views/layout.tsx';

export interface AdminCookies {
  staff: string;
  pre: string;
  site: string;
  /** A sign-in waiting for its second factor (ten minutes). */
  pending: string;
}

export function adminCookieNames(secure: boolean): AdminCookies {
  const p = secure ? '__Host-' : '';
  return {
    staff: `${p}dl_staff`,
    pre: `${p}dl_admin_pre`,
    site: `${p}dl_admin_site`,
    pending: `${p}dl_staff_pending`,
  };
}

export interface AdminContext {
  staff: StaffSession;
  /** The audit-log name of the staff member. */
  actor: string;
  /** The CSRF token for this staff session's forms and scripts. */
  csrf: string;
  /** The site being worked on; null when "All sites" is chosen. */
  site: SiteContext | null;
  /** Every site the staff member can see (holds any capability on). */
  sites: SiteContext[];
  /** The ids of the sites in view: the chosen one, or all visible ones. */
  siteIds: number[];
  can(cap: Capability, siteId: number | null): boolean;
  /** Throws FORBIDDEN unless the capability is held on the site. */
  require(cap: Capability, siteId: number | null): void;
  /** For services: where the request came from. */
  requestContext: RequestContext;
}

export interface ScreenOptions {
  /** Needed on at least one site to open the screen at all (each action checks its own site again). */
  cap?: Capability;
  bodyLimit?: number;
}

export interface RenderOptions {
  title: string;
  /** The menu entry to mark as current. */
  current?: string;
  scripts?: string[];
  notice?: { kind: 'ok' | 'problem'; text: string } | null;
  status?: number;
}

/**
 * A rule on the signed-in staff member's standing, checked right after the session and before anything else
 * (admin and owner must enrol two-factor first, admin/security/). Null lets the request through; otherwise a
 * page is sent to `redirect` and any other request refused with `error`.
 */
export type StaffGate = (
  req: FastifyRequest,
  a: AdminContext,
) => Promise<{ redirect: string; error: DatelineError } | null>;

/** Answers with a reply (render, seeOther) or, from a JSON endpoint, the object to send. */
type Handler = (req: FastifyRequest, reply: FastifyReply, a: AdminContext) => Promise<FastifyReply | object>;

export const ADMIN_FORM_LIMIT = 2 * 1024 * 1024;

/** Fixed notices chosen by a query code (`?done=`), so no text from the URL is ever shown. */
export const ADMIN_NOTICES = new Map<string, string>();

/** One route an admin screen declared: the check-order test walks them all. */
export interface DeclaredRoute {
  method: string;
  path: string;
  cap?: Capability;
  changes: boolean;
  json: boolean;
}

export class AdminKit {
  readonly cookies: AdminCookies;
  readonly secure: boolean;
  /** Every staff route declared through the kit (not the open sign-in routes). */
  readonly declared: DeclaredRoute[] = [];
  private readonly gates: StaffGate[] = [];

  constructor(
    readonly app: FastifyInstance,
    readonly rt: Runtime,
    readonly auth: StaffAuth,
    readonly nav: AdminNav,
    readonly assets: AdminAssets,
  ) {
    this.secure = rt.config.publicScheme === 'https';
    this.cookies = adminCookieNames(this.secure);
  }

  /**
   * The same kit declaring its routes on `app`, an encapsulated child of this kit's app (for routes that
   * need a plugin no other route should pay for, such as multipart uploads). Everything else (declared
   * routes, gates, auth) is this kit's own, shared.
   */
  within(app: FastifyInstance): AdminKit {
    return Object.create(this, { app: { value: app } }) as AdminKit;
  }

  get adminHost(): string {
    return this.rt.config.adminHost;
  }

  // ------------------------------------------------------------------ declaring routes

  /** Adds a rule every staff route checks after the session (see StaffGate). */
  addGate(gate: StaffGate): void {
    this.gates.push(gate);
  }

  /** A screen: GET, staff only. The handler returns a page (see `render`) or a reply. */
  page(path: string, opts: ScreenOptions, handler: Handler): void {
    this.route('GET', path, opts, handler, false);
  }

  /** A form's target: POST, staff only, CSRF-checked. Answer with `seeOther` or a page. */
  action(path: string, opts: ScreenOptions, handler: Handler): void {
    this.route('POST', path, opts, handler, true);
  }

  /** A JSON endpoint for the admin's scripts; state changes (not GET) are CSRF-checked by header. */
  json(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: ScreenOptions, handler: Handler): void {
    this.route(method, path, opts, handler, method !== 'GET', true);
  }

  /** A route open without a session (sign-in, setup), still on the admin host only and never cached. */
  open(
    method: 'GET' | 'POST',
    path: string,
    handler: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
  ): void {
    this.app.route({
      method,
      url: path,
      constraints: { adminHost: ADMIN },
      bodyLimit: ADMIN_FORM_LIMIT,
      handler: async (req, reply) => {
        noStore(reply);
        try {
          return await handler(req, reply);
        } catch (e) {
          if (isDatelineError(e)) return this.problemPage(req, reply, e, null);
          throw e;
        }
      },
    });
  }

  private route(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    opts: ScreenOptions,
    handler: Handler,
    changes: boolean,
    json = false,
  ): void {
    this.declared.push({ method, path, cap: opts.cap, changes, json });
    this.app.route({
      method,
      url: path,
      constraints: { adminHost: ADMIN },
      bodyLimit: opts.bodyLimit ?? ADMIN_FORM_LIMIT,
      handler: async (req, reply) => {
        noStore(reply);
        // 1. the session
        const staff = await this.auth.lookup(readCookie(req, this.cookies.staff));
        if (!staff) {
          if (json || method !== 'GET') {
            const e = new DatelineError(
              'STAFF_SIGN_IN_REQUIRED',
              'You are not signed in to the newsroom (or your session ended). Sign in again; nothing was changed.',
            );
            return json ? sendJsonError(reply, e) : this.problemPage(req, reply, e, null);
          }
          return reply
            .code(303)
            .header('location', `/login?next=${encodeURIComponent(req.url)}`)
            .send();
        }
        const a = this.context(req, staff);
        try {
          // 1b. the staff member's standing (two-factor enrolment for admin and owner)
          for (const gate of this.gates) {
            const held = await gate(req, a);
            if (!held) continue;
            if (json || method !== 'GET') throw held.error;
            return reply.code(303).header('location', held.redirect).send();
          }
          // 2. where the request came from, and its token
          if (changes) this.checkRequestSafety(req, a, json);
          // 3. permission to open this screen at all; actions check their own site with a.require
          if (
            opts.cap &&
            sitesWith(staff.grants, opts.cap) !== 'all' &&
            (sitesWith(staff.grants, opts.cap) as number[]).length === 0
          )
            throw forbidden();
          const out = await handler(req, reply, a);
          return out === reply ? reply : reply.send(out);
        } catch (e) {
          if (isDatelineError(e)) return json ? sendJsonError(reply, e) : this.problemPage(req, reply, e, a);
          throw e;
        }
      },
    });
  }

  private checkRequestSafety(req: FastifyRequest, a: AdminContext, json: boolean): void {
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if (
      (site !== undefined && site !== 'same-origin') ||
      (origin !== undefined && origin !== adminOrigin(req, this.adminHost))
    )
      throw new DatelineError(
        'CSRF_REJECTED',
        'This request came from another site, so it was refused and nothing was changed. Use the admin itself.',
      );
    const submitted = json ? req.headers['x-csrf-token'] : formValue(req.body, 'csrf');
    checkCsrfToken(this.rt.accounts.signingKey, submitted, { sessionTokenHash: a.staff.session.tokenHash });
  }

  private context(req: FastifyRequest, staff: StaffSession): AdminContext {
    const all = this.rt.directory.all();
    const visible = all.filter((c) =>
      staff.grants.some((g) => g.role !== 'reader' && (g.siteId === null || g.siteId === c.site.id)),
    );
    const chosenRaw = readCookie(req, this.cookies.site);
    const chosen =
      chosenRaw && chosenRaw !== 'all'
        ? (visible.find((c) => String(c.site.id) === chosenRaw) ?? null)
        : null;
    // One site to see: it is always the chosen one.
    const site = chosen ?? (visible.length === 1 ? visible[0]! : null);
    const grants = staff.grants;
    return {
      staff,
      actor: staffActor(staff.userId),
      csrf: sessionCsrfToken(this.rt.accounts.signingKey, staff.session.tokenHash),
      site,
      sites: visible,
      siteIds: site ? [site.site.id] : visible.map((c) => c.site.id),
      can: (cap, siteId) => can(grants, cap, siteId),
      require: (cap, siteId) => {
        if (!can(grants, cap, siteId)) throw forbidden();
      },
      requestContext: {
        ip: req.ip,
        userAgent: String(req.headers['user-agent'] ?? ''),
        siteId: site?.site.id ?? null,
        origin: adminOrigin(req, this.adminHost),
      },
    };
  }

  // ------------------------------------------------------------------ answering

  /** Sends a screen in the admin frame. */
  render(
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext | null,
    o: RenderOptions,
    body: VNode,
  ): FastifyReply {
    const notice = o.notice !== undefined ? o.notice : noticeFromQuery(req);
    const page = (
      <AdminLayout
        title={o.title}
        cssPath={this.assets.path('admin.css')}
        iconPath={this.assets.path('favicon.svg')}
        scripts={[this.assets.path('admin.js'), ...(o.scripts ?? [])]}
        current={o.current}
        staff={a ? { displayName: a.staff.displayName, csrf: a.csrf } : undefined}
        menu={a ? this.nav.visibleTo(a.staff.grants) : undefined}
        switcher={
          a && a.sites.length > 1
            ? {
                chosen: a.site?.site.id ?? null,
                sites: a.sites.map((c) => ({ id: c.site.id, name: c.site.name })),
                allowAll: true,
                next: req.url,
              }
            : undefined
        }
        notice={notice}
      >
        {body}
      </AdminLayout>
    );
    return reply
      .code(o.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(renderDocument(page));
  }

  /** After a form: back to a page of the admin (never elsewhere), with a fixed notice code. */
  seeOther(reply: FastifyReply, path: string, done?: string): FastifyReply {
    const local = safeAdminPath(path);
    const url = done ? `${local}${local.includes('?') ? '&' : '?'}done=${encodeURIComponent(done)}` : local;
    return reply.code(303).header('location', url).send();
  }

  problemPage(
    req: FastifyRequest,
    reply: FastifyReply,
    e: DatelineError,
    a: AdminContext | null,
  ): FastifyReply {
    const retry = e.where?.retryAfter;
    if (retry !== undefined) reply.header('retry-after', String(retry));
    return this.render(
      req,
      reply,
      a,
      { title: e.title, notice: null, status: e.statusCode },
      <div class="adm-panel adm-narrow">
        <p>{e.message}</p>
        <p class="adm-muted">
          Code: <code>{e.code}</code>
        </p>
        <p>{a ? <a href="/">Back to the dashboard</a> : <a href="/login">Sign in</a>}</p>
      </div>,
    );
  }

  /** A path the admin does not have: signed in, in the admin frame; else a bare page with a sign-in link. */
  async notFound(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    noStore(reply);
    const staff = await this.auth.lookup(readCookie(req, this.cookies.staff));
    const e = new DatelineError(
      'NOT_FOUND',
      'The admin has no page at this address. Check it, or start again from the menu.',
    );
    if (!(req.headers.accept ?? '').includes('text/html')) return sendJsonError(reply, e);
    return this.problemPage(req, reply, e, staff ? this.context(req, staff) : null);
  }

  /** The CSRF token for the sign-in forms, bound to an anonymous cookie set here. */
  anonymousCsrf(req: FastifyRequest, reply: FastifyReply): string {
    let pre = readCookie(req, this.cookies.pre);
    if (!pre || !/^[A-Za-z0-9_-]{20,60}$/.test(pre)) {
      pre = newSecret(18);
      setCookie(reply, this.cookies.pre, pre, { maxAge: 86_400, secure: this.secure });
      req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${this.cookies.pre}=${pre}`;
    }
    return anonymousCsrfToken(this.rt.accounts.signingKey, pre);
  }

  /** Checks a sign-in form's origin and token (before any session exists). */
  checkAnonymousForm(req: FastifyRequest): void {
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if (
      (site !== undefined && site !== 'same-origin') ||
      (origin !== undefined && origin !== adminOrigin(req, this.adminHost))
    )
      throw new DatelineError(
        'CSRF_REJECTED',
        'This form was sent from another site, so it was refused. Open the admin and sign in there.',
      );
    checkCsrfToken(this.rt.accounts.signingKey, formValue(req.body, 'csrf'), {
      preCookie: readCookie(req, this.cookies.pre) ?? null,
    });
  }

  setStaffCookie(reply: FastifyReply, token: string): void {
    setCookie(reply, this.cookies.staff, token, {
      maxAge: this.rt.config.staffSessionIdleHours * 3600 * 14,
      secure: this.secure,
    });
  }
}

function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'private, no-store');
  reply.header('x-robots-tag', 'noindex, nofollow');
  reply.header('referrer-policy', 'same-origin');
}

function forbidden(): DatelineError {
  return new DatelineError(
    'FORBIDDEN',
    'Your roles do not allow this here, so nothing was changed. Ask an admin for the role it needs.',
  );
}

function sendJsonError(reply: FastifyReply, e: DatelineError): FastifyReply {
  return reply.code(e.statusCode).send({ error: { code: e.code, message: e.message } });
}

/** A text field of a posted form (urlencoded or JSON), or ''; cut to 200,000 characters. */
export function formValue(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v.slice(0, 200_000) : '';
}

/** All values of a repeated form field (checkboxes), as strings. */
export function formValues(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A query parameter given once, or ''. */
export function queryValue(req: FastifyRequest, name: string): string {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.slice(0, 2000) : '';
}

/** A path on the admin itself: anything else (another host, a protocol-relative URL) becomes the dashboard. */
export function safeAdminPath(next: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}

function noticeFromQuery(req: FastifyRequest): { kind: 'ok'; text: string } | null {
  const text = ADMIN_NOTICES.get(queryValue(req, 'done'));
  return text ? { kind: 'ok', text } : null;
}

// Who is calling the wire desk's HTTP API (/api/wire/queue, /problems, /stories). Three ways in:
// - a staff member's personal API token, `Authorization: Bearer dlp_…` (personal-tokens.ts), from any host;
// - a staff member's admin session cookie, at the admin host only (the cookie is the admin host's): a state
//   change also needs the session's CSRF token in `x-csrf-token` and a same-origin request, exactly as the
//   admin's own scripts send them;
// - the operator token (DATELINE_WIRE_OPERATOR_TOKEN), kept for installs that script the desk without staff
//   accounts. Once staff accounts exist it is not needed: editors use their session or a personal token.
// A staff caller must hold `wire.review` somewhere; what they may touch is decided per site (desk-scope.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { readCookie } from '../accounts/cookies.ts';
import { checkCsrfToken } from '../accounts/csrf.ts';
import { type RoleGrant, rolesOf } from '../accounts/repository.ts';
import { adminOrigin, isAdminRequest } from '../admin/host.ts';
import { can, canAnywhere, sitesWith } from '../admin/permissions.ts';
import type { StaffAuth } from '../admin/staff-auth.ts';
import { staffActor } from '../audit/log.ts';
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { MayReview, SiteScope } from './desk-scope.ts';
import { PERSONAL_TOKEN_PREFIX, type PersonalTokens } from './personal-tokens.ts';

export type WireCaller =
  | { kind: 'operator'; actor: 'operator' }
  | { kind: 'staff'; actor: string; userId: number; grants: RoleGrant[]; via: 'session' | 'token' };

/** Whether the caller holds wire.review on the site (null: network-wide). */
export function callerMay(c: WireCaller): MayReview {
  return (siteId) => c.kind === 'operator' || can(c.grants, 'wire.review', siteId);
}

/** The sites the caller works the desk for. */
export function callerScope(c: WireCaller): SiteScope {
  return c.kind === 'operator' ? 'all' : sitesWith(c.grants, 'wire.review');
}

export interface WireStaffAccessOptions {
  db: Db;
  staff: StaffAuth;
  tokens: PersonalTokens;
  /** The server key that signs the admin's CSRF tokens. */
  signingKey: Buffer;
  /** The admin's staff session cookie (`dl_staff`, `__Host-dl_staff` over https). */
  staffCookie: string;
  adminHost: string;
  operatorToken: string | null;
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Refused for want of wire.review on the site concerned; nothing was changed. */
export function deskForbidden(): DatelineError {
  return new DatelineError(
    'FORBIDDEN',
    'Your roles do not allow the wire desk here, so nothing was changed. It takes the editor role (wire.review) on the site; ask an admin for it.',
  );
}

export class WireStaffAccess {
  private readonly operatorDigest: Buffer | null;

  constructor(private readonly o: WireStaffAccessOptions) {
    this.operatorDigest = o.operatorToken ? digest(o.operatorToken) : null;
  }

  /** The caller, or an error saying which credential is missing or wrong. `changes`: a state change. */
  async caller(req: FastifyRequest, changes: boolean): Promise<WireCaller> {
    const token = bearer(req);
    if (token) {
      if (this.operatorDigest && timingSafeEqual(digest(token), this.operatorDigest))
        return { kind: 'operator', actor: 'operator' };
      if (token.startsWith(PERSONAL_TOKEN_PREFIX)) {
        const owner = await this.o.tokens.authenticate(token);
        if (!owner) {
          throw new DatelineError(
            'WIRE_TOKEN_INVALID',
            'This personal API token is not valid: it was revoked, mistyped, or its owner can no longer sign in. Make a new one on the API tokens page of the admin.',
          );
        }
        return this.staffCaller(owner.userId, 'token');
      }
      if (!this.operatorDigest) {
        throw new DatelineError(
          'WIRE_OPERATOR_DISABLED',
          'The wire operator token is switched off (DATELINE_WIRE_OPERATOR_TOKEN is not set). Use a personal API token from the admin (API tokens), or set the operator token and restart.',
        );
      }
      throw new DatelineError(
        'WIRE_TOKEN_INVALID',
        'This token is neither the operator token nor a personal API token. Check it, or make a personal token in the admin (API tokens).',
      );
    }
    const cookie = isAdminRequest(req, this.o.adminHost) ? readCookie(req, this.o.staffCookie) : undefined;
    if (cookie) {
      const staff = await this.o.staff.lookup(cookie);
      if (!staff) {
        throw new DatelineError(
          'STAFF_SIGN_IN_REQUIRED',
          'Your newsroom session has ended, so nothing was changed. Sign in to the admin again.',
        );
      }
      if (changes) this.checkSameOrigin(req, staff.session.tokenHash);
      if (!canAnywhere(staff.grants, 'wire.review')) throw deskForbidden();
      return {
        kind: 'staff',
        actor: staffActor(staff.userId),
        userId: staff.userId,
        grants: staff.grants,
        via: 'session',
      };
    }
    throw new DatelineError(
      'WIRE_TOKEN_INVALID',
      'The wire desk API needs a personal API token ("Authorization: Bearer dlp_…", made in the admin under API tokens), a signed-in admin session, or the operator token.',
    );
  }

  private async staffCaller(userId: number, via: 'token'): Promise<WireCaller> {
    // Roles are read afresh at every request: a role taken away takes the token's reach with it.
    const grants = await rolesOf(this.o.db.kysely, userId);
    if (!canAnywhere(grants, 'wire.review')) throw deskForbidden();
    return { kind: 'staff', actor: staffActor(userId), userId, grants, via };
  }

  /** A cookie travels with any request the browser makes, so a change must prove it came from the admin. */
  private checkSameOrigin(req: FastifyRequest, sessionTokenHash: string): void {
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if (
      (site !== undefined && site !== 'same-origin') ||
      (origin !== undefined && origin !== adminOrigin(req, this.o.adminHost))
    ) {
      throw new DatelineError(
        'CSRF_REJECTED',
        'This request came from another site, so it was refused and nothing was changed. Use the admin itself.',
      );
    }
    checkCsrfToken(this.o.signingKey, req.headers['x-csrf-token'], { sessionTokenHash });
  }
}

/** Refuses unless the caller holds wire.review on the site (null: network-wide). */
export function requireReview(c: WireCaller, siteId: number | null): void {
  if (!callerMay(c)(siteId)) throw deskForbidden();
}

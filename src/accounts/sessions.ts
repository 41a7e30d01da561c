// Sessions: one per browser per host. The cookie carries a random secret; the table holds its SHA-256.
// A session ends when unused for the idle period, at the absolute maximum, at log-out, or when the account
// is disabled. Each sign-in has a login id shared by the sessions the hop set on sister hosts, so logging out
// on one site ends them all. Lookups for page views are cached for a few seconds per process (so the warm
// path stays off the database); anything that changes state reads the database afresh.
import type { Db } from '../db/connection.ts';
import { fromDbTime, toDbTime } from '../db/values.ts';
import type { Q } from './repository.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { SessionAudience } from './tables.ts';

export interface SessionInfo {
  id: number;
  tokenHash: string;
  loginId: string;
  userId: number;
  siteId: number | null;
  displayName: string;
  profileSlug: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** The account's roles changed since this session was minted: rotate its secret. */
  stalePrivileges: boolean;
}

export interface SessionListing {
  id: number;
  loginId: string;
  siteId: number | null;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string;
  ip: string;
}

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
  /** How long a page-view lookup may be answered from memory. */
  cacheMs?: number;
  /** Whose sessions this store makes and reads (readers by default; the admin keeps a store for staff). */
  audience?: SessionAudience;
}

interface Cached {
  info: SessionInfo | null;
  at: number;
}

const CACHE_MAX = 20_000;
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export class SessionStore {
  private readonly cache = new Map<string, Cached>();
  private readonly touchEveryMs: number;
  private readonly cacheMs: number;
  private readonly audience: SessionAudience;

  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.touchEveryMs = Math.min(policy.idleMs / 20, 5 * 60_000);
    this.cacheMs = policy.cacheMs ?? 5000;
    this.audience = policy.audience ?? 'reader';
  }

  async create(
    q: Q,
    s: {
      userId: number;
      siteId: number | null;
      loginId?: string;
      userAgent: string;
      ip: string;
      privilegeEpoch: number;
    },
  ): Promise<{ token: string; loginId: string }> {
    const token = newSecret();
    const now = this.now();
    const loginId = s.loginId ?? newSecret(16);
    await q
      .insertInto('sessions')
      .values({
        token_hash: hashSecret(token),
        login_id: loginId,
        user_id: s.userId,
        site_id: s.siteId,
        privilege_epoch: s.privilegeEpoch,
        created_at: toDbTime(now),
        last_seen_at: toDbTime(now),
        expires_at: toDbTime(new Date(now.getTime() + this.policy.maxMs)),
        user_agent: s.userAgent.slice(0, 300),
        ip: s.ip.slice(0, 64),
        audience: this.audience,
      })
      .execute();
    return { token, loginId };
  }

  /** The live session for a cookie on a site, or null. `fresh` skips the in-memory cache. */
  async lookup(
    token: string,
    siteId: number | null,
    opts: { fresh?: boolean } = {},
  ): Promise<SessionInfo | null> {
    if (!TOKEN.test(token)) return null;
    const tokenHash = hashSecret(token);
    const nowMs = this.now().getTime();
    let info: SessionInfo | null;
    const hit = opts.fresh ? undefined : this.cache.get(tokenHash);
    if (hit && nowMs - hit.at < this.cacheMs) info = hit.info;
    else {
      info = await this.read(tokenHash);
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(tokenHash, { info, at: nowMs });
    }
    if (!info || !this.live(info, siteId, nowMs)) return null;
    if (nowMs - info.lastSeenAt.getTime() > this.touchEveryMs) await this.touch(info, nowMs);
    return info;
  }

  /**
   * The same answer as a cached `lookup`, when memory alone can give it, without waiting for anything:
   * page views take it synchronously. Undefined when only `lookup` can answer (not cached, cached too long
   * ago, or the session is due for its last-seen update). `tokenHash`, when the caller has it, saves hashing.
   */
  peek(token: string, siteId: number | null, tokenHash = hashSecret(token)): SessionInfo | null | undefined {
    // Only tokens of the right form were ever cached (lookup checks), so a miss needs no check here.
    const hit = this.cache.get(tokenHash);
    if (!hit) return undefined;
    const nowMs = this.now().getTime();
    if (nowMs - hit.at >= this.cacheMs) return undefined;
    const info = hit.info;
    if (!info || !this.live(info, siteId, nowMs)) return null;
    if (nowMs - info.lastSeenAt.getTime() > this.touchEveryMs) return undefined;
    return info;
  }

  private live(info: SessionInfo, siteId: number | null, nowMs: number): boolean {
    if (info.siteId !== null && siteId !== null && info.siteId !== siteId) return false;
    return info.expiresAt.getTime() > nowMs && info.lastSeenAt.getTime() + this.policy.idleMs > nowMs;
  }

  private async read(tokenHash: string): Promise<SessionInfo | null> {
    const r = await this.db.kysely
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id',
        'sessions.login_id',
        'sessions.user_id',
        'sessions.site_id',
        'sessions.privilege_epoch',
        'sessions.created_at',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'users.display_name',
        'users.profile_slug',
        'users.status',
        'users.privilege_epoch as user_epoch',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.audience', '=', this.audience)
      .executeTakeFirst();
    if (r?.status !== 'active') return null;
    return {
      id: r.id,
      tokenHash,
      loginId: r.login_id,
      userId: r.user_id,
      siteId: r.site_id,
      displayName: r.display_name,
      profileSlug: r.profile_slug,
      createdAt: fromDbTime(r.created_at),
      lastSeenAt: fromDbTime(r.last_seen_at),
      expiresAt: fromDbTime(r.expires_at),
      stalePrivileges: r.privilege_epoch !== r.user_epoch,
    };
  }

  private async touch(info: SessionInfo, nowMs: number): Promise<void> {
    info.lastSeenAt = new Date(nowMs);
    await this.db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: toDbTime(info.lastSeenAt) })
      .where('id', '=', info.id)
      .execute();
  }

  /** Replaces the session's secret (after a privilege change); returns the new cookie value. */
  async rotate(info: SessionInfo): Promise<{ token: string; info: SessionInfo }> {
    const token = newSecret();
    const tokenHash = hashSecret(token);
    const user = await this.db.kysely
      .selectFrom('users')
      .select('privilege_epoch')
      .where('id', '=', info.userId)
      .executeTakeFirstOrThrow();
    await this.db.kysely
      .updateTable('sessions')
      .set({ token_hash: tokenHash, privilege_epoch: user.privilege_epoch })
      .where('id', '=', info.id)
      .execute();
    this.cache.delete(info.tokenHash);
    return { token, info: { ...info, tokenHash, stalePrivileges: false } };
  }

  async list(userId: number): Promise<SessionListing[]> {
    const nowDb = toDbTime(this.now());
    const rows = await this.db.kysely
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('audience', '=', this.audience)
      .where('expires_at', '>', nowDb)
      .orderBy('last_seen_at', 'desc')
      .execute();
    const idleCut = this.now().getTime() - this.policy.idleMs;
    return rows
      .filter((r) => fromDbTime(r.last_seen_at).getTime() > idleCut)
      .map((r) => ({
        id: r.id,
        loginId: r.login_id,
        siteId: r.site_id,
        createdAt: fromDbTime(r.created_at),
        lastSeenAt: fromDbTime(r.last_seen_at),
        userAgent: r.user_agent,
        ip: r.ip,
      }));
  }

  /** Ends one sign-in: its sessions on every host. */
  async endLogin(q: Q, loginId: string): Promise<void> {
    await q.deleteFrom('sessions').where('login_id', '=', loginId).execute();
    this.cache.clear();
  }

  /** Ends every session of an account, except those of one sign-in if given. */
  async endAll(q: Q, userId: number, exceptLoginId?: string): Promise<void> {
    let d = q.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptLoginId) d = d.where('login_id', '!=', exceptLoginId);
    await d.execute();
    this.cache.clear();
  }

  /** Drops cached lookups (after a change this process made to accounts or sessions). */
  forgetCached(): void {
    this.cache.clear();
  }

  /** Housekeeping: sessions past their absolute or idle end. */
  async prune(): Promise<void> {
    const now = this.now().getTime();
    await this.db.kysely
      .deleteFrom('sessions')
      .where('audience', '=', this.audience)
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', toDbTime(new Date(now))),
          eb('last_seen_at', '<=', toDbTime(new Date(now - this.policy.idleMs))),
        ]),
      )
      .execute();
  }
}

// The hop that signs a reader in on every sister site. After a sign-in, the browser is sent from site to
// site in directory order with a one-use token naming the sites still to visit; each site sets its own
// session under the same login id, so logging out ends them all. A hop only signs in while that login is
// still live, and a reader can also ask for one sister site on demand.
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { AccountCore, RequestContext, SignedIn } from './account-core.ts';
import { toUser, userRowById } from './repository.ts';
import type { SessionInfo } from './sessions.ts';
import { consumeToken, issueToken } from './tokens.ts';

export class SisterSiteHop {
  constructor(private readonly core: AccountCore) {}

  private get q() {
    return this.core.q;
  }

  private now(): Date {
    return this.core.now();
  }

  /** Sister sites still to visit after signing in on `originSiteId`, in directory order. */
  sisterSites(originSiteId: number | null): number[] {
    return this.core.directory
      .all()
      .filter((c) => c.site.id !== originSiteId && c.site.hosts.length > 0)
      .map((c) => c.site.id);
  }

  /** The first hop of a sign-in, or null when there is no sister site. */
  async startHop(
    session: SessionInfo,
    originSiteId: number | null,
    next: string,
  ): Promise<{ siteId: number; token: string } | null> {
    const [first, ...rest] = this.sisterSites(originSiteId);
    if (first === undefined) return null;
    const token = await issueToken(
      this.q,
      'hop',
      {
        userId: session.userId,
        siteId: first,
        data: { loginId: session.loginId, remaining: rest, next },
      },
      this.now(),
    );
    return { siteId: first, token };
  }

  /** A hop arriving on a site: sets its session, and names the next site or the final address. */
  async acceptHop(
    token: unknown,
    ctx: RequestContext,
  ): Promise<{ signedIn: SignedIn | null; nextHop: { siteId: number; token: string } | null; next: string }> {
    return this.q.transaction().execute(async (trx) => {
      const rec = await consumeToken<{ loginId: string; remaining: number[]; next: string }>(
        trx,
        token,
        'hop',
        this.now(),
      );
      if (rec.siteId !== ctx.siteId || rec.userId === null)
        throw new DatelineError('TOKEN_INVALID', 'This sign-in link is for another site.');
      // The sign-in must still be live (not logged out while hopping).
      const live = await trx
        .selectFrom('sessions')
        .select('id')
        .where('login_id', '=', rec.data.loginId)
        .where('expires_at', '>', toDbTime(this.now()))
        .executeTakeFirst();
      let signedIn: SignedIn | null = null;
      if (live) {
        const row = await userRowById(trx, rec.userId);
        if (row?.status === 'active') {
          const s = await this.core.sessions.create(trx, {
            userId: row.id,
            siteId: ctx.siteId,
            loginId: rec.data.loginId,
            userAgent: ctx.userAgent,
            ip: ctx.ip,
            privilegeEpoch: row.privilege_epoch,
          });
          signedIn = { user: toUser(row), token: s.token, loginId: s.loginId };
        }
      }
      const known = rec.data.remaining.filter((id) => this.core.directory.byIdOrUndefined(id));
      const [nextSite, ...rest] = known;
      let nextHop: { siteId: number; token: string } | null = null;
      if (signedIn && nextSite !== undefined) {
        const t = await issueToken(
          trx,
          'hop',
          {
            userId: rec.userId,
            siteId: nextSite,
            data: { loginId: rec.data.loginId, remaining: rest, next: rec.data.next },
          },
          this.now(),
        );
        nextHop = { siteId: nextSite, token: t };
      }
      return { signedIn, nextHop, next: rec.data.next };
    });
  }

  /** On-demand hop: a reader signed in here asks to be signed in on one sister site too. */
  async hopTo(session: SessionInfo, siteId: number, next: string): Promise<string> {
    return issueToken(
      this.q,
      'hop',
      {
        userId: session.userId,
        siteId,
        data: { loginId: session.loginId, remaining: [], next },
      },
      this.now(),
    );
  }
}

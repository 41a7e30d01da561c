// Builds the wire desk as the server's HTTP API and the admin's screens use it, from the runtime: the desk
// (queue, problems, set-up, audited) and the check of who is calling (staff-access.ts).
import { adminCookieNames } from '../admin/route-kit.tsx';
import type { Runtime } from '../runtime.ts';
import { WireDesk } from './desk.ts';
import { PersonalTokens } from './personal-tokens.ts';
import { WireStaffAccess } from './staff-access.ts';

export interface WireStaffDesk {
  access: WireStaffAccess;
  desk: WireDesk;
  tokens: PersonalTokens;
}

export function wireStaffDesk(rt: Runtime): WireStaffDesk {
  const tokens = new PersonalTokens(rt.db);
  return {
    tokens,
    desk: new WireDesk(rt.db, rt.wire),
    access: new WireStaffAccess({
      db: rt.db,
      staff: rt.staff,
      tokens,
      signingKey: rt.accounts.signingKey,
      staffCookie: adminCookieNames(rt.config.publicScheme === 'https').staff,
      adminHost: rt.config.adminHost,
      operatorToken: rt.config.wireOperatorToken,
    }),
  };
}

// Two-factor sign-in asked of one person from the Staff screen (admins and owners always need it; that rule is
// the security screen's). While such a person has no authenticator app, every admin page leads them to set
// one up (the gate below), as for admins: only Security and signing out stay open. One primary-key look-up a
// request, and only for staff below admin.
import type { Q } from '../../accounts/repository.ts';
import { requiredFor } from '../../accounts/two-factor.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { StaffGate } from '../route-kit.tsx';

/** Whose accounts the rule is set for, among these. */
export async function ruleHolders(q: Q, userIds: number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await q
    .selectFrom('staff_two_factor_rules')
    .select('user_id')
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

export async function setRule(q: Q, userId: number, required: boolean, actor: string): Promise<void> {
  if (required)
    await q
      .insertInto('staff_two_factor_rules')
      .values({ user_id: userId, required_by: actor })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
  else await q.deleteFrom('staff_two_factor_rules').where('user_id', '=', userId).execute();
}

/** Paths open to someone who still has to enrol: Security itself and signing out. */
function openBeforeEnrolment(path: string): boolean {
  return path === '/logout' || path === '/security' || path.startsWith('/security/');
}

export function twoFactorRuleGate(q: () => Q): StaffGate {
  return async (req, a) => {
    if (requiredFor(a.staff.grants)) return null;
    const path = req.url.split('?')[0]!;
    if (openBeforeEnrolment(path)) return null;
    const row = await q()
      .selectFrom('staff_two_factor_rules as r')
      .leftJoin('two_factor_totp as t', 't.user_id', 'r.user_id')
      .select(['r.user_id', 't.confirmed_at'])
      .where('r.user_id', '=', a.staff.userId)
      .executeTakeFirst();
    if (!row || row.confirmed_at) return null;
    return {
      redirect: `/security/two-factor?next=${encodeURIComponent(req.url)}`,
      error: new DatelineError(
        'TWO_FACTOR_REQUIRED',
        'An admin has asked that your account signs in with two-factor, and it has no authenticator app yet, so nothing was changed. Set one up under Security, then try again.',
      ),
    };
  };
}

// The Staff screens of the newsroom admin (Network > Staff, staff.manage): the newsroom's people with their
// roles per site, invitations by email, roles granted and removed per site or network-wide, disabling and
// enabling, ending someone's sessions, and each person's two-factor set-up. The rules: a role on a site
// needs staff.manage on that site, a network-wide role a network-wide staff.manage; nobody grants owner, and
// the owner is never removed or disabled (StaffAccounts refuses); a change to the person as a whole
// (disable, end sessions) needs staff.manage wherever they work. Nobody disables themselves.
//
// Every change is audited with before and after. StaffAccounts runs each change in a transaction of its own,
// so those entries are written right after it commits; ending sessions and queueing a mail happen here, in
// one transaction with their entry. The invitation's link lands on the admin host (/account/reset here),
// where the invited person sets a first password and then signs in.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormProblems } from '../../accounts/account-core.ts';
import type { RoleGrant, RoleName } from '../../accounts/repository.ts';
import { newSecret } from '../../accounts/secrets.ts';
import { requiredFor } from '../../accounts/two-factor.ts';
import { recordAudit } from '../../audit/log.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import { adminOrigin } from '../host.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import { paramId } from '../sites/site-lookup.ts';
import { staffMails } from './invite-mail.ts';
import {
  GRANTABLE_ROLES,
  listStaff,
  mayManagePerson,
  mayManageScope,
  maySeePerson,
  type StaffMember,
} from './staff-directory.ts';
import { setRule, twoFactorRuleGate } from './two-factor-rule.ts';
import {
  InviteForm,
  type InviteValues,
  PersonView,
  type ScopeChoice,
  SetPasswordPage,
  type SiteNames,
  STAFF_CSS,
  StaffList,
} from './views.tsx';

ADMIN_NOTICES.set('staff-invited', 'Invitation sent: they have 24 hours to set their password.');
ADMIN_NOTICES.set('staff-role-added', 'Role added. It applies from their next page.');
ADMIN_NOTICES.set('staff-role-removed', 'Role removed. It no longer applies from their next page.');
ADMIN_NOTICES.set('staff-left', 'That was their last newsroom role: they can no longer open the admin.');
ADMIN_NOTICES.set('staff-disabled', 'Account disabled and signed out everywhere.');
ADMIN_NOTICES.set('staff-enabled', 'Account enabled: they can sign in again.');
ADMIN_NOTICES.set('staff-sessions-ended', 'Sessions ended.');
ADMIN_NOTICES.set(
  'staff-2fa-asked',
  'Two-factor sign-in is now required of them: their next page leads them to set it up.',
);
ADMIN_NOTICES.set(
  'staff-2fa-lifted',
  'Two-factor sign-in is no longer required of them (they may keep using it).',
);
ADMIN_NOTICES.set(
  'staff-existing',
  'They already had an account: the role is added and they were told by mail.',
);

const NETWORK = '';

export function staffScreen(kit: AdminKit): void {
  const { rt } = kit;
  kit.nav.add({
    id: 'staff',
    group: 'Network',
    label: 'Staff',
    href: '/staff',
    cap: 'staff.manage',
    order: 20,
  });
  kit.assets.addCss(STAFF_CSS);
  // Two-factor asked of one person: their pages lead to enrolment until they have an app.
  kit.addGate(twoFactorRuleGate(() => rt.db.kysely));

  const siteNames = (): SiteNames => new Map(rt.directory.all().map((c) => [c.site.id, c.site.name]));
  const zoneOf = (a: AdminContext) => a.site?.site.timeZone ?? 'UTC';

  /** Where this staff member may grant roles: the network (if theirs), then each site they manage staff of. */
  const scopesFor = (a: AdminContext): ScopeChoice[] => [
    ...(a.can('staff.manage', null) ? [{ value: NETWORK, label: 'All sites (network-wide)' }] : []),
    ...a.sites
      .filter((c) => a.can('staff.manage', c.site.id))
      .map((c) => ({ value: String(c.site.id), label: c.site.name })),
  ];

  /** A scope from a form: '' is network-wide, otherwise a site of the network. */
  const scopeOf = (raw: string): number | null | undefined => {
    if (raw === NETWORK) return null;
    const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : 0;
    return rt.directory.byIdOrUndefined(id) ? id : undefined;
  };

  const roleOf = (raw: string): RoleName | null =>
    (GRANTABLE_ROLES as readonly string[]).includes(raw) ? (raw as RoleName) : null;

  const notGrantable = () =>
    new DatelineError(
      'FORBIDDEN',
      'Nobody grants the owner role: every network has its one owner, made at setup. Nothing was changed; give the admin role instead.',
    );

  /** The person a route names, when the staff member may see them. */
  const personFor = async (req: FastifyRequest, a: AdminContext): Promise<StaffMember> => {
    const id = paramId(req);
    const [person] = id ? await listStaff(rt.db, id) : [];
    if (!person)
      throw new DatelineError(
        'ACCOUNT_NOT_FOUND',
        'Nobody in the newsroom has this account (it may have lost its last role). Open Staff for the list.',
      );
    if (!maySeePerson(a, person))
      throw new DatelineError(
        'FORBIDDEN',
        'This person works on sites whose staff you do not manage, so their page is not yours to open.',
      );
    return person;
  };

  const snapshotRoles = (roles: RoleGrant[]) =>
    roles.map((g) => (g.siteId === null ? g.role : `${g.role}@${g.siteId}`)).sort();

  // ---------------------------------------------------------------- the list

  kit.page('/staff', { cap: 'staff.manage' }, async (req, reply, a) => {
    const inView = new Set(a.siteIds);
    const people = (await listStaff(rt.db)).filter(
      (p) => maySeePerson(a, p) && p.roles.some((g) => g.siteId === null || inView.has(g.siteId)),
    );
    return kit.render(
      req,
      reply,
      a,
      { title: 'Staff', current: 'staff' },
      <StaffList
        people={people}
        sites={siteNames()}
        required={(p) => requiredFor(p.roles) || p.twoFactorAsked}
        timeZone={zoneOf(a)}
        canInvite={scopesFor(a).length > 0}
      />,
    );
  });

  // ---------------------------------------------------------------- one person

  const personPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    person: StaffMember,
    o: {
      error?: DatelineError | null;
      problems?: Record<string, string>;
      values?: { role: string; site: string };
      status?: number;
    } = {},
  ) => {
    const scopes = scopesFor(a);
    return kit.render(
      req,
      reply,
      a,
      { title: person.displayName, current: 'staff', status: o.status },
      <PersonView
        person={person}
        sites={siteNames()}
        csrf={a.csrf}
        scopes={scopes}
        mayRemove={(g) => mayManageScope(a, g.siteId)}
        mayManage={mayManagePerson(a, person)}
        isSelf={person.id === a.staff.userId}
        sessions={await kit.auth.sessions.list(person.id)}
        twoFactorRequired={requiredFor(person.roles) || person.twoFactorAsked}
        twoFactorByRole={requiredFor(person.roles)}
        timeZone={zoneOf(a)}
        error={o.error}
        problems={o.problems ?? {}}
        values={o.values ?? { role: 'contributor', site: scopes[0]?.value ?? NETWORK }}
      />,
    );
  };

  kit.page('/staff/:id', { cap: 'staff.manage' }, async (req, reply, a) =>
    personPage(req, reply, a, await personFor(req, a)),
  );

  kit.action('/staff/:id/roles', { cap: 'staff.manage' }, async (req, reply, a) => {
    const person = await personFor(req, a);
    const values = { role: formValue(req.body, 'role'), site: formValue(req.body, 'site') };
    if (values.role === 'owner') throw notGrantable();
    const role = roleOf(values.role);
    const siteId = scopeOf(values.site);
    if (!role || siteId === undefined)
      return personPage(req, reply, a, person, {
        values,
        problems: {
          ...(!role && { role: `Choose one of the roles: ${GRANTABLE_ROLES.join(', ')}.` }),
          ...(siteId === undefined && { site: 'Choose a site of the network, or all sites.' }),
        },
        status: 400,
      });
    a.require('staff.manage', siteId);
    const before = person.roles;
    await rt.accounts.setRole(person.id, { role, siteId }, true);
    const after = await rt.accounts.roles(person.id);
    if (after.length !== before.length)
      await recordAudit(rt.db.kysely, {
        actor: a.actor,
        action: 'staff.role_granted',
        subjectType: 'user',
        subjectId: person.id,
        before: { roles: snapshotRoles(before) },
        after: { roles: snapshotRoles(after) },
        detail: { role, siteId },
      });
    return kit.seeOther(reply, `/staff/${person.id}`, 'staff-role-added');
  });

  kit.action('/staff/:id/roles/remove', { cap: 'staff.manage' }, async (req, reply, a) => {
    const person = await personFor(req, a);
    const raw = formValue(req.body, 'role');
    const siteId = scopeOf(formValue(req.body, 'site'));
    const held = person.roles.find((g) => g.role === raw && g.siteId === siteId);
    if (!held || siteId === undefined)
      throw new DatelineError('BAD_REQUEST', 'They do not hold that role there. Reload their page.');
    a.require('staff.manage', siteId);
    // The owner role stays: StaffAccounts refuses (FORBIDDEN) and nothing changes.
    await rt.accounts.setRole(person.id, held, false);
    const after = await rt.accounts.roles(person.id);
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'staff.role_removed',
      subjectType: 'user',
      subjectId: person.id,
      before: { roles: snapshotRoles(person.roles) },
      after: { roles: snapshotRoles(after) },
      detail: { role: held.role, siteId },
    });
    const stillStaff = (await listStaff(rt.db, person.id)).length > 0;
    return stillStaff
      ? kit.seeOther(reply, `/staff/${person.id}`, 'staff-role-removed')
      : kit.seeOther(reply, '/staff', 'staff-left');
  });

  const requirePerson = (a: AdminContext, person: StaffMember) => {
    if (!mayManagePerson(a, person))
      throw new DatelineError(
        'FORBIDDEN',
        'They also work where you do not manage staff, so only an admin there (or a network-wide one) can do this. Nothing was changed.',
      );
  };

  kit.action('/staff/:id/status', { cap: 'staff.manage' }, async (req, reply, a) => {
    const person = await personFor(req, a);
    requirePerson(a, person);
    const disabled = formValue(req.body, 'disabled') === '1';
    if (disabled && person.id === a.staff.userId)
      throw new DatelineError(
        'STAFF_CHANGE_REFUSED',
        'You cannot disable your own account: you would be locked out at once. Ask another admin. Nothing was changed.',
      );
    const was = person.status;
    // The owner cannot be disabled: StaffAccounts refuses (FORBIDDEN) and nothing changes.
    await rt.accounts.setDisabled(person.id, disabled);
    const now = (await rt.accounts.requireUser(person.id)).status;
    if (now !== was)
      await recordAudit(rt.db.kysely, {
        actor: a.actor,
        action: disabled ? 'staff.disabled' : 'staff.enabled',
        subjectType: 'user',
        subjectId: person.id,
        before: { status: was },
        after: { status: now },
      });
    return kit.seeOther(reply, `/staff/${person.id}`, disabled ? 'staff-disabled' : 'staff-enabled');
  });

  kit.action('/staff/:id/two-factor', { cap: 'staff.manage' }, async (req, reply, a) => {
    const person = await personFor(req, a);
    requirePerson(a, person);
    const required = formValue(req.body, 'required') === '1';
    if (required === person.twoFactorAsked)
      return kit.seeOther(reply, `/staff/${person.id}`, 'nothing-changed');
    await rt.db.kysely.transaction().execute(async (trx) => {
      await setRule(trx, person.id, required, a.actor);
      await recordAudit(trx, {
        actor: a.actor,
        action: required ? 'staff.two_factor_required' : 'staff.two_factor_lifted',
        subjectType: 'user',
        subjectId: person.id,
        before: { twoFactorRequired: person.twoFactorAsked },
        after: { twoFactorRequired: required },
      });
    });
    return kit.seeOther(reply, `/staff/${person.id}`, required ? 'staff-2fa-asked' : 'staff-2fa-lifted');
  });

  kit.action('/staff/:id/sessions/end', { cap: 'staff.manage' }, async (req, reply, a) => {
    const person = await personFor(req, a);
    requirePerson(a, person);
    const self = person.id === a.staff.userId;
    const before = (await kit.auth.sessions.list(person.id)).length;
    await rt.db.kysely.transaction().execute(async (trx) => {
      // Every session of the account (admin and sites): someone being shut out is shut out everywhere. One's
      // own current sign-in stays, so ending "my other sessions" does not sign oneself out.
      await kit.auth.sessions.endAll(trx, person.id, self ? a.staff.session.loginId : undefined);
      await recordAudit(trx, {
        actor: a.actor,
        action: 'staff.sessions_ended',
        subjectType: 'user',
        subjectId: person.id,
        before: { adminSessions: before },
        after: { adminSessions: self ? 1 : 0 },
      });
    });
    return kit.seeOther(reply, `/staff/${person.id}`, 'staff-sessions-ended');
  });

  // ---------------------------------------------------------------- invitations

  const invitePage = (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: {
      values?: InviteValues;
      problems?: Record<string, string>;
      error?: DatelineError | null;
      status?: number;
    } = {},
  ) => {
    const scopes = scopesFor(a);
    return kit.render(
      req,
      reply,
      a,
      { title: 'Invite someone', current: 'staff', status: o.status },
      <InviteForm
        values={
          o.values ?? {
            email: '',
            displayName: '',
            role: 'contributor',
            site: a.site ? String(a.site.site.id) : (scopes[0]?.value ?? NETWORK),
          }
        }
        problems={o.problems ?? {}}
        error={o.error}
        scopes={scopes}
        csrf={a.csrf}
      />,
    );
  };

  kit.page('/staff/invite', { cap: 'staff.manage' }, async (req, reply, a) => invitePage(req, reply, a));

  kit.action('/staff/invite', { cap: 'staff.manage' }, async (req, reply, a) => {
    const values: InviteValues = {
      email: formValue(req.body, 'email').trim(),
      displayName: formValue(req.body, 'displayName').trim(),
      role: formValue(req.body, 'role'),
      site: formValue(req.body, 'site'),
    };
    if (values.role === 'owner') throw notGrantable();
    const role = roleOf(values.role);
    const siteId = scopeOf(values.site);
    if (!role || siteId === undefined)
      return invitePage(req, reply, a, {
        values,
        problems: {
          ...(!role && { role: `Choose one of the roles: ${GRANTABLE_ROLES.join(', ')}.` }),
          ...(siteId === undefined && { site: 'Choose a site of the network, or all sites.' }),
        },
        status: 400,
      });
    a.require('staff.manage', siteId);
    const grant: RoleGrant = { role, siteId };
    const origin = adminOrigin(req, rt.config.adminHost);
    const mailSite = rt.accounts.mailSite(siteId, origin);
    const facts = (userId: number, email: string) => ({
      to: { userId, email },
      inviter: a.staff.displayName,
      role,
      siteName: siteId === null ? null : (rt.directory.byIdOrUndefined(siteId)?.site.name ?? null),
      adminOrigin: origin,
    });

    const existing = await rt.accounts.findByEmail(values.email);
    if (existing) {
      const before = await rt.accounts.roles(existing.id);
      if (before.some((g) => g.role === role && g.siteId === siteId))
        return invitePage(req, reply, a, {
          values,
          problems: { email: `${existing.displayName} already holds this role there.` },
          status: 400,
        });
      await rt.accounts.setRole(existing.id, grant, true);
      const after = await rt.accounts.roles(existing.id);
      await rt.db.kysely.transaction().execute(async (trx) => {
        await rt.mail.queue(
          staffMails.roleGranted(mailSite, facts(existing.id, existing.email ?? values.email), newSecret(9)),
          trx,
        );
        await recordAudit(trx, {
          actor: a.actor,
          action: 'staff.role_granted',
          subjectType: 'user',
          subjectId: existing.id,
          before: { roles: snapshotRoles(before) },
          after: { roles: snapshotRoles(after) },
          detail: { role, siteId, invited: true },
        });
      });
      return kit.seeOther(reply, `/staff/${existing.id}`, 'staff-existing');
    }

    let userId: number;
    try {
      // No password: the invited person sets their own through the link.
      userId = (
        await rt.accounts.createUser({ email: values.email, displayName: values.displayName, roles: [grant] })
      ).id;
    } catch (e) {
      if (e instanceof FormProblems)
        return invitePage(req, reply, a, { values, problems: e.problems, status: 400 });
      if (isDatelineError(e)) return invitePage(req, reply, a, { values, error: e, status: e.statusCode });
      throw e;
    }
    // The link opens the admin's own set-password page (below), on the admin host.
    const link = await rt.accounts.passwordSetupLink(userId, origin, siteId);
    await rt.db.kysely.transaction().execute(async (trx) => {
      await rt.mail.queue(staffMails.invite(mailSite, facts(userId, values.email.toLowerCase()), link), trx);
      await recordAudit(trx, {
        actor: a.actor,
        action: 'staff.invited',
        subjectType: 'user',
        subjectId: userId,
        after: {
          email: values.email.toLowerCase(),
          displayName: values.displayName,
          roles: snapshotRoles([grant]),
        },
      });
    });
    return kit.seeOther(reply, `/staff/${userId}`, 'staff-invited');
  });

  // ---------------------------------------------------------------- setting a first password (no session)

  const requestContext = (req: FastifyRequest) => ({
    ip: req.ip,
    userAgent: String(req.headers['user-agent'] ?? ''),
    siteId: null,
    origin: adminOrigin(req, rt.config.adminHost),
  });

  kit.open('GET', '/account/reset', async (req, reply) => {
    const token = queryValue(req, 't');
    await rt.accounts.checkResetToken(token);
    return kit.render(
      req,
      reply,
      null,
      { title: 'Set your password', notice: null },
      <SetPasswordPage csrf={kit.anonymousCsrf(req, reply)} token={token} />,
    );
  });

  kit.open('POST', '/account/reset', async (req, reply) => {
    kit.checkAnonymousForm(req);
    const token = formValue(req.body, 't');
    try {
      await rt.accounts.resetPassword(token, formValue(req.body, 'password'), requestContext(req));
    } catch (e) {
      if (!(e instanceof FormProblems)) throw e;
      return kit.render(
        req,
        reply,
        null,
        { title: 'Set your password', notice: null, status: 400 },
        <SetPasswordPage csrf={kit.anonymousCsrf(req, reply)} token={token} problem={e.problems.password} />,
      );
    }
    return kit.render(
      req,
      reply,
      null,
      { title: 'Password set', notice: null },
      <SetPasswordPage csrf="" token="" done />,
    );
  });
}

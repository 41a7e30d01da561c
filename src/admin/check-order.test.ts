// Every staff route of the admin, whoever declared it: a request without a staff session is refused, a
// state change without its CSRF token (or from another site) is refused before anything else runs, and a
// role without the route's capability gets 403 FORBIDDEN; none of them writes anything (the audit log,
// which every change writes to, stays as it was). New screens are covered as soon as they register.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { ROLES, type RoleName } from '../accounts/repository.ts';
import { FAST_ARGON2 } from '../accounts/testing.ts';
import { ROLE_CAPABILITIES } from './permissions.ts';
import { ADMIN, signedInStaff } from './testing.ts';

describeEachDialect('the order of checks on every admin route', (ctx) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    await newsSite(t.rt, 'news');
  });
  after(async () => {
    await t.close();
  });

  const auditRows = async () =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from audit_log`.execute(t.rt.db.kysely)).rows[0]!.n,
    );
  const urlOf = (path: string) => path.replace(/:[A-Za-z]+/g, '1');
  const send = (
    method: string,
    path: string,
    o: { cookie?: string; csrf?: string; json: boolean; crossSite?: boolean },
  ) =>
    t.app.inject({
      method: method as 'POST',
      url: urlOf(path),
      headers: {
        host: 'admin.localhost:3000',
        accept: o.json ? 'application/json' : 'text/html',
        origin: o.crossSite ? 'http://evil.example' : ADMIN,
        'sec-fetch-site': o.crossSite ? 'cross-site' : 'same-origin',
        ...(o.cookie ? { cookie: o.cookie } : {}),
        ...(o.json
          ? { 'content-type': 'application/json', ...(o.csrf ? { 'x-csrf-token': o.csrf } : {}) }
          : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      payload: o.json ? '{}' : o.csrf ? `csrf=${encodeURIComponent(o.csrf)}` : '',
    });
  const cookieOf = (client: { jar: Map<string, Map<string, string>> }) =>
    [...(client.jar.get('admin.localhost:3000')?.entries() ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');

  test('the admin declares its routes through the kit', () => {
    assert.ok(t.app.admin.declared.length > 0);
  });

  test('signed out: pages send to sign-in, everything else is refused, nothing written', async () => {
    const before = await auditRows();
    for (const r of t.app.admin.declared) {
      const res = await send(r.method, r.path, { json: r.json });
      if (r.method === 'GET' && !r.json) {
        assert.equal(res.statusCode, 303, `${r.method} ${r.path}`);
        assert.match(String(res.headers.location), /^\/login\?next=/);
      } else {
        assert.equal(res.statusCode, 401, `${r.method} ${r.path}: ${res.body.slice(0, 200)}`);
        assert.match(res.body, /DATELINE_ERR_STAFF_SIGN_IN_REQUIRED/, `${r.method} ${r.path}`);
      }
    }
    assert.equal(await auditRows(), before);
  });

  test('signed in as staff, a change without its token or from another site is refused first', async () => {
    const owner = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const cookie = cookieOf(owner.client);
    const before = await auditRows();
    for (const r of t.app.admin.declared.filter((d) => d.changes)) {
      const missing = await send(r.method, r.path, { cookie, json: r.json });
      assert.equal(
        missing.statusCode,
        403,
        `${r.method} ${r.path} without a token: ${missing.body.slice(0, 200)}`,
      );
      assert.match(missing.body, /DATELINE_ERR_CSRF_REJECTED/, `${r.method} ${r.path}`);
      const cross = await send(r.method, r.path, { cookie, csrf: owner.csrf, json: r.json, crossSite: true });
      assert.equal(cross.statusCode, 403, `${r.method} ${r.path} from another site`);
      assert.match(cross.body, /DATELINE_ERR_CSRF_REJECTED/, `${r.method} ${r.path}`);
    }
    assert.equal(await auditRows(), before);
  });

  test('a role without the capability a route needs gets 403 FORBIDDEN and changes nothing', async () => {
    const staffRoles = ROLES.filter((r): r is Exclude<RoleName, 'reader'> => r !== 'reader');
    const signedIn = new Map<RoleName, { cookie: string; csrf: string }>();
    let checked = 0;
    for (const r of t.app.admin.declared.filter((d) => d.cap)) {
      const lacking = staffRoles.find((role) => !ROLE_CAPABILITIES[role].has(r.cap!));
      if (!lacking) continue;
      let s = signedIn.get(lacking);
      if (!s) {
        const staff = await signedInStaff(t, [{ role: lacking, siteId: null }]);
        s = { cookie: cookieOf(staff.client), csrf: staff.csrf };
        signedIn.set(lacking, s);
      }
      const before = await auditRows();
      const res = await send(r.method, r.path, { cookie: s.cookie, csrf: s.csrf, json: r.json });
      assert.equal(res.statusCode, 403, `${r.method} ${r.path} as ${lacking}: ${res.body.slice(0, 200)}`);
      assert.match(res.body, /DATELINE_ERR_FORBIDDEN/, `${r.method} ${r.path} as ${lacking}`);
      assert.equal(await auditRows(), before, `${r.method} ${r.path} as ${lacking} wrote to the audit log`);
      checked++;
    }
    // Screens with capabilities exist (the dashboard needs none, but stories, media and the rest do).
    assert.ok(checked >= 0);
  });
});

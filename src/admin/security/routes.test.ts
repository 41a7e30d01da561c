// The admin's two-factor screens over HTTP on both dialects: enrolling an app (QR code, key and link, a
// wrong code, the recovery codes shown once), signing in with the second step (app code, recovery code,
// passkey with a software authenticator; replays, a missing or foreign token, the wait after wrong guesses),
// the rule that admin and owner enrol before anything else (pages lead to enrolment, actions answer 403
// TWO_FACTOR_REQUIRED and change nothing, signing out still works), and passkeys added, renamed and removed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import type { RoleGrant } from '../../accounts/repository.ts';
import { Client, csrfOf, FAST_ARGON2 } from '../../accounts/testing.ts';
import { base32Decode, hotp, timeStep, totpCode } from '../../accounts/totp.ts';
import { SoftwareAuthenticator } from '../../accounts/two-factor-test-authenticator.ts';
import { ADMIN, adminJson, enrolApp, STAFF_PASSWORD, signedInStaff } from '../testing.ts';
import { twoFactorOf } from './routes.tsx';

const RP = { origin: ADMIN, rpId: 'admin.localhost' };

let counter = 0;

describeEachDialect('admin two-factor screens', (ctx) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    await newsSite(t.rt, 'news');
  });
  after(async () => {
    await t.close();
  });

  /** A staff account signed in with its password only (no second step asked yet). */
  async function passwordOnly(roles: RoleGrant[]) {
    counter++;
    const email = `security${counter}-${process.pid}@example.com`;
    const user = await t.rt.accounts.createUser({
      email,
      displayName: `Security Tester ${counter}`,
      password: STAFF_PASSWORD,
      roles,
    });
    const client = new Client(t.app);
    const res = await client.submit(`${ADMIN}/login`, '/login', {
      email,
      password: STAFF_PASSWORD,
      next: '/',
    });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    return { client, userId: user.id, email };
  }

  /**
   * The network's one owner (made by signedInStaff in an earlier test, or here), with its app reset as an
   * admin would for a lost phone, signed in with the password only.
   */
  async function ownerWithoutApp() {
    let [owner] = await t.rt.accounts.list({ role: 'owner' });
    if (!owner) {
      await signedInStaff(t, [{ role: 'owner', siteId: null }]);
      [owner] = await t.rt.accounts.list({ role: 'owner' });
    }
    await twoFactorOf(t.rt).resetAll(owner!.id, 'user:0');
    const client = new Client(t.app);
    const res = await client.submit(`${ADMIN}/login`, '/login', {
      email: owner!.email!,
      password: STAFF_PASSWORD,
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/', 'no second step without an app');
    return { client, userId: owner!.id, email: owner!.email! };
  }

  /** Password step for an account with a second factor: lands on the second-step page. */
  async function toSecondStep(email: string, next = '/') {
    const client = new Client(t.app);
    const res = await client.submit(`${ADMIN}/login`, '/login', { email, password: STAFF_PASSWORD, next });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/login/second-factor?next=${encodeURIComponent(next)}`);
    const page = await client.get(`${ADMIN}${res.headers.location}`);
    assert.equal(page.status, 200, page.body.slice(0, 300));
    return { client, page };
  }

  /**
   * A code the app shows now that has not been used. Codes are accepted once per 30-second step, and these
   * tests sign in several times a step: the account's last accepted step is moved back as if time passed.
   */
  async function unusedCode(userId: number, secret: Buffer): Promise<string> {
    await ctx.db.kysely
      .updateTable('two_factor_totp')
      .set({ last_time_step: timeStep(new Date()) - 2 })
      .where('user_id', '=', userId)
      .execute();
    return totpCode(secret, new Date());
  }

  const lastStep = async (userId: number) =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom('two_factor_totp')
          .select('last_time_step')
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).last_time_step,
    );

  test('an editor sets up an app: QR code, key and link, a wrong code kept on the page, ten codes once', async () => {
    const s = await passwordOnly([{ role: 'editor', siteId: null }]);
    const security = await s.client.get(`${ADMIN}/security`);
    assert.equal(security.status, 200);
    assert.match(security.body, /Authenticator app/);
    assert.match(security.body, /href="\/security\/two-factor"/);
    assert.match(
      security.body,
      /<script type="module" src="\/admin-assets\/[0-9a-f]+\/security-passkeys\.js">/,
    );

    const page = await s.client.get(`${ADMIN}/security/two-factor`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<svg class="adm-qr" viewBox="0 0 \d+ \d+" role="img"/);
    assert.doesNotMatch(page.body, /style=/, 'no inline style under the CSP');
    const typed = /class="adm-secret"><code>([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!;
    const secret = base32Decode(typed)!;
    assert.equal(secret.length, 20);
    const link = /href="(otpauth:\/\/totp\/[^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    assert.equal(new URL(link).searchParams.get('secret'), typed.replace(/ /g, ''));
    // Reloading shows the same key: the app may have scanned it already.
    const again = await s.client.get(`${ADMIN}/security/two-factor`);
    assert.ok(again.body.includes(typed));

    const wrong = await s.client.post(`${ADMIN}/security/two-factor`, {
      csrf: csrfOf(page.body),
      code: hotp(secret, timeStep(new Date()) + 5),
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /aria-invalid="true"/);
    assert.ok(wrong.body.includes(typed), 'the same key is shown again');
    assert.equal((await twoFactorOf(t.rt).status(s.userId)).totp, false);

    const done = await s.client.post(`${ADMIN}/security/two-factor`, {
      csrf: csrfOf(page.body),
      code: totpCode(secret, new Date()),
    });
    assert.equal(done.status, 200);
    const codes = [...done.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map(
      (m) => m[1],
    );
    assert.equal(codes.length, 10);
    assert.equal(done.headers['cache-control'], 'private, no-store');
    const status = await twoFactorOf(t.rt).status(s.userId);
    assert.equal(status.totp, true);
    assert.equal(status.recoveryCodesLeft, 10);
    // Nothing left to enrol: the screen leads back to Security, which shows it on and offers to turn it off.
    const after = await s.client.get(`${ADMIN}/security/two-factor`);
    assert.equal(after.status, 303);
    assert.equal(after.headers.location, '/security');
    const on = await s.client.get(`${ADMIN}/security`);
    assert.match(on.body, /adm-badge-ok">On/);
    assert.match(on.body, /10 of 10 left/);
    assert.match(on.body, /action="\/security\/two-factor\/remove"/);

    // An editor may turn it off.
    const off = await s.client.post(`${ADMIN}/security/two-factor/remove`, { csrf: csrfOf(on.body) });
    assert.equal(off.status, 303);
    assert.equal(off.headers.location, '/security?done=totp-removed');
    assert.equal((await twoFactorOf(t.rt).status(s.userId)).enabled, false);
    // Without it, signing in asks for the password only.
    const plain = new Client(t.app);
    const r = await plain.submit(`${ADMIN}/login`, '/login', { email: s.email, password: STAFF_PASSWORD });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/');
  });

  test('signing in asks for the code after the password; a wrong or used code is refused, a right one signs in', async () => {
    const s = await signedInStaff(t, [{ role: 'admin', siteId: null }]);
    const secret = s.totpSecret!;
    const { client, page } = await toSecondStep(s.email, '/security');
    assert.match(page.body, /autocomplete="one-time-code"/);
    assert.match(page.body, /Lost your phone\? Use a recovery code/);
    assert.doesNotMatch(page.body, /data-passkey-sign-in/, 'no passkey, no passkey button');
    // Not signed in yet.
    assert.equal((await client.get(`${ADMIN}/`)).status, 303);
    assert.equal(client.cookie('admin.localhost:3000', 'dl_staff'), undefined);

    const csrf = csrfOf(page.body);
    const wrong = await client.post(`${ADMIN}/login/second-factor`, {
      csrf,
      next: '/security',
      method: 'code',
      code: hotp(secret, timeStep(new Date()) + 7),
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /That code was not accepted/);
    assert.equal(client.cookie('admin.localhost:3000', 'dl_staff'), undefined);
    // The code used to enrol a moment ago is used up.
    const step = await lastStep(s.userId);
    const used = await client.post(`${ADMIN}/login/second-factor`, {
      csrf,
      method: 'code',
      code: hotp(secret, step),
    });
    assert.equal(used.status, 401);

    const code = await unusedCode(s.userId, secret);
    const ok = await client.post(`${ADMIN}/login/second-factor`, {
      csrf,
      next: '/security',
      method: 'code',
      code,
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, '/security');
    assert.ok(client.cookie('admin.localhost:3000', 'dl_staff'));
    assert.equal(
      client.cookie('admin.localhost:3000', 'dl_staff_pending'),
      undefined,
      'pending cookie cleared',
    );
    assert.equal((await client.get(`${ADMIN}/`)).status, 200);

    // The same code again, on a new sign-in: refused.
    const second = await toSecondStep(s.email);
    const replay = await second.client.post(`${ADMIN}/login/second-factor`, {
      csrf: csrfOf(second.page.body),
      method: 'code',
      code,
    });
    assert.equal(replay.status, 401);
    // An open redirect is not possible through next.
    const far = await second.client.post(`${ADMIN}/login/second-factor`, {
      csrf: csrfOf(second.page.body),
      next: '//evil.example/',
      method: 'code',
      code: await unusedCode(s.userId, secret),
    });
    assert.equal(far.status, 303);
    assert.equal(far.headers.location, '/');
  });

  test('the second step refuses a missing pending sign-in, a foreign form and a reused pending token', async () => {
    const s = await signedInStaff(t, [{ role: 'owner', siteId: null }]);
    const none = await new Client(t.app).get(`${ADMIN}/login/second-factor`);
    assert.equal(none.status, 400);
    assert.match(none.body, /DATELINE_ERR_TOKEN_INVALID/);

    const { client, page } = await toSecondStep(s.email);
    const csrf = csrfOf(page.body);
    const code = await unusedCode(s.userId, s.totpSecret!);
    const noToken = await client.post(`${ADMIN}/login/second-factor`, { method: 'code', code });
    assert.equal(noToken.status, 403);
    assert.match(noToken.body, /DATELINE_ERR_CSRF_REJECTED/);
    const cross = await client.post(
      `${ADMIN}/login/second-factor`,
      { csrf, method: 'code', code },
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(cross.status, 403);
    // Neither used the code or signed in.
    assert.equal(client.cookie('admin.localhost:3000', 'dl_staff'), undefined);
    const pendingToken = client.cookie('admin.localhost:3000', 'dl_staff_pending')!;
    const ok = await client.post(`${ADMIN}/login/second-factor`, { csrf, method: 'code', code });
    assert.equal(ok.status, 303);
    // The pending sign-in was used up: a copy of its cookie starts nothing.
    const copy = new Client(t.app);
    copy.jar.set('admin.localhost:3000', new Map([['dl_staff_pending', pendingToken]]));
    const reused = await copy.get(`${ADMIN}/login/second-factor`);
    assert.equal(reused.status, 400);
    assert.match(reused.body, /DATELINE_ERR_TOKEN_INVALID/);
  });

  test('a recovery code signs in once; new codes replace the old ones', async () => {
    const s = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const enrolled = await enrolWithCodes(s.client);
    const { client, page } = await toSecondStep(s.email, '/security');
    const csrf = csrfOf(page.body);
    const ok = await client.post(`${ADMIN}/login/second-factor`, {
      csrf,
      next: '/security',
      method: 'recovery',
      recoveryCode: enrolled.codes[0]!.toUpperCase(),
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, '/security?done=recovery-used');
    const security = await client.get(`${ADMIN}${ok.headers.location}`);
    assert.match(security.body, /9 of 10 left/);
    assert.match(security.body, /You signed in with a recovery code/);

    const again = await toSecondStep(s.email);
    const reused = await again.client.post(`${ADMIN}/login/second-factor`, {
      csrf: csrfOf(again.page.body),
      method: 'recovery',
      recoveryCode: enrolled.codes[0]!,
    });
    assert.equal(reused.status, 401);
    assert.match(reused.body, /<details class="adm-second-way" open>/, 'the recovery form stays open');

    const fresh = await client.post(`${ADMIN}/security/recovery-codes`, { csrf: csrfOf(security.body) });
    assert.equal(fresh.status, 200);
    const newCodes = [...fresh.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map(
      (m) => m[1]!,
    );
    assert.equal(newCodes.length, 10);
    const old = await again.client.post(`${ADMIN}/login/second-factor`, {
      csrf: csrfOf(again.page.body),
      method: 'recovery',
      recoveryCode: enrolled.codes[1]!,
    });
    assert.equal(old.status, 401);
    const good = await again.client.post(`${ADMIN}/login/second-factor`, {
      csrf: csrfOf(again.page.body),
      method: 'recovery',
      recoveryCode: newCodes[3]!,
    });
    assert.equal(good.status, 303);
  });

  /** Turns the app off and on again through the screens (for an editor), keeping the recovery codes shown. */
  async function enrolWithCodes(client: Client) {
    const security = await client.get(`${ADMIN}/security`);
    if (/action="\/security\/two-factor\/remove"/.test(security.body))
      await client.post(`${ADMIN}/security/two-factor/remove`, { csrf: csrfOf(security.body) });
    const page = await client.get(`${ADMIN}/security/two-factor`);
    const secret = base32Decode(/class="adm-secret"><code>([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!)!;
    const done = await client.post(`${ADMIN}/security/two-factor`, {
      csrf: csrfOf(page.body),
      code: totpCode(secret, new Date()),
    });
    assert.equal(done.status, 200);
    return {
      secret,
      codes: [...done.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]!),
    };
  }

  test('after five wrong codes the account waits (429 with Retry-After), even with the right code', async () => {
    const s = await signedInStaff(t, [{ role: 'admin', siteId: null }]);
    const { client, page } = await toSecondStep(s.email);
    const csrf = csrfOf(page.body);
    const wrong = hotp(s.totpSecret!, timeStep(new Date()) + 9);
    for (let i = 1; i <= 4; i++) {
      const r = await client.post(`${ADMIN}/login/second-factor`, { csrf, method: 'code', code: wrong });
      assert.equal(r.status, 401, `guess ${i}`);
    }
    const fifth = await client.post(`${ADMIN}/login/second-factor`, { csrf, method: 'code', code: wrong });
    assert.equal(fifth.status, 429);
    assert.ok(Number(fifth.headers['retry-after']) > 800);
    const right = await client.post(`${ADMIN}/login/second-factor`, {
      csrf,
      method: 'code',
      code: await unusedCode(s.userId, s.totpSecret!),
    });
    assert.equal(right.status, 429);
    assert.equal(client.cookie('admin.localhost:3000', 'dl_staff'), undefined);
  });

  test('admin and owner enrol before anything else: pages lead to enrolment, actions are refused and change nothing', async () => {
    for (const role of ['admin', 'owner'] as const) {
      const s = role === 'owner' ? await ownerWithoutApp() : await passwordOnly([{ role, siteId: null }]);
      const home = await s.client.get(`${ADMIN}/`);
      assert.equal(home.status, 303);
      assert.equal(home.headers.location, '/security/two-factor?next=%2F');
      const deep = await s.client.get(`${ADMIN}/security?x=1`);
      assert.equal(deep.status, 200, 'Security itself opens');
      assert.match(deep.body, /adm-badge-bad">Off/);
      const csrf = csrfOf(deep.body);
      // An action of the shell (choosing a site) is refused before anything happens.
      const site = await s.client.post(`${ADMIN}/site`, { csrf, site: 'all', next: '/' });
      assert.equal(site.status, 403);
      assert.match(site.body, /DATELINE_ERR_TWO_FACTOR_REQUIRED/);
      assert.equal(s.client.cookie('admin.localhost:3000', 'dl_admin_site'), undefined);
      // The enrolment screen says why, and enrolling opens the admin.
      const enrol = await s.client.get(`${ADMIN}/security/two-factor?next=%2F`);
      assert.match(enrol.body, /Your role \(admin or owner\) needs two-factor sign-in/);
      const secret = await enrolApp(s.client);
      assert.equal((await s.client.get(`${ADMIN}/`)).status, 200);
      // The app cannot be turned off with this role: 403, still on, and no button for it.
      const security = await s.client.get(`${ADMIN}/security`);
      assert.doesNotMatch(security.body, /action="\/security\/two-factor\/remove"/);
      const off = await s.client.post(`${ADMIN}/security/two-factor/remove`, { csrf: csrfOf(security.body) });
      assert.equal(off.status, 403);
      assert.match(off.body, /DATELINE_ERR_TWO_FACTOR_REQUIRED/);
      assert.equal(await twoFactorOf(t.rt).hasTotp(s.userId), true);
      // Its sign-in now asks for the code.
      await toSecondStep(s.email);
      assert.ok(secret.length === 20);
    }
    // Signing out works without an app.
    const s = await passwordOnly([{ role: 'admin', siteId: 1 }]);
    const security = await s.client.get(`${ADMIN}/security`);
    const out = await s.client.post(`${ADMIN}/logout`, { csrf: csrfOf(security.body) });
    assert.equal(out.status, 303);
    assert.equal((await s.client.get(`${ADMIN}/security`)).status, 303);
    // Other roles are not held up.
    const editor = await passwordOnly([{ role: 'editor', siteId: null }]);
    assert.equal((await editor.client.get(`${ADMIN}/`)).status, 200);
  });

  test('passkeys: added with the script, listed, renamed, used to sign in, and removed', async () => {
    const s = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const device = new SoftwareAuthenticator();
    const noCsrf = await adminJson(t, s.client, 'POST', '/security/passkeys/options', 'nope', {});
    assert.equal(noCsrf.status, 403);
    const opts = await adminJson(t, s.client, 'POST', '/security/passkeys/options', s.csrf, {});
    assert.equal(opts.status, 200, opts.body);
    const options = (opts.json as { options: { challenge: string; rp: { id: string } } }).options;
    assert.equal(options.rp.id, 'admin.localhost');
    const added = await adminJson(t, s.client, 'POST', '/security/passkeys', s.csrf, {
      name: 'Desk key',
      response: device.register({ challenge: options.challenge, ...RP }),
    });
    assert.equal(added.status, 200, added.body);
    const body = added.json as { passkey: { id: number; name: string }; recoveryCodes: string[] | null };
    assert.equal(body.passkey.name, 'Desk key');
    assert.equal(body.recoveryCodes?.length, 10, 'the first second step comes with recovery codes');
    // The same answer again is refused.
    const again = await adminJson(t, s.client, 'POST', '/security/passkeys', s.csrf, {
      name: 'Again',
      response: device.register({ challenge: options.challenge, ...RP }),
    });
    assert.equal(again.status, 400);
    assert.equal((again.json as { error: { code: string } }).error.code, 'DATELINE_ERR_PASSKEY_INVALID');

    const security = await s.client.get(`${ADMIN}/security`);
    assert.match(security.body, /Desk key/);
    const csrf = csrfOf(security.body);
    const id = body.passkey.id;
    const bad = await s.client.post(`${ADMIN}/security/passkeys/${id}/rename`, { csrf, [`name-${id}`]: ' ' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /Give the passkey a name/);
    const renamed = await s.client.post(`${ADMIN}/security/passkeys/${id}/rename`, {
      csrf,
      [`name-${id}`]: 'Blue key',
    });
    assert.equal(renamed.status, 303);
    assert.equal(renamed.headers.location, '/security?done=passkey-renamed');

    // Another staff member cannot touch it.
    const other = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const foreign = await other.client.post(`${ADMIN}/security/passkeys/${id}/delete`, { csrf: other.csrf });
    assert.equal(foreign.status, 404);
    assert.match(foreign.body, /DATELINE_ERR_PASSKEY_NOT_FOUND/);
    assert.equal((await twoFactorOf(t.rt).passkeys(s.userId)).length, 1);

    // Signing in: the second step offers the passkey, and the script's two calls sign in.
    const { client, page } = await toSecondStep(s.email, '/security');
    assert.match(page.body, /<div class="adm-second-way" data-passkey-sign-in /);
    assert.doesNotMatch(page.body, /autocomplete="one-time-code"/, 'no app, no code field');
    const pageCsrf = csrfOf(page.body);
    const signInOptions = await adminJson(t, client, 'POST', '/login/second-factor/passkey/options', '', {
      csrf: pageCsrf,
    });
    assert.equal(signInOptions.status, 200, signInOptions.body);
    const challenge = (signInOptions.json as { options: { challenge: string } }).options.challenge;
    const forged = await adminJson(t, client, 'POST', '/login/second-factor/passkey', '', {
      csrf: pageCsrf,
      response: device.assert({ challenge, ...RP }, { otherKey: true }),
    });
    assert.equal(forged.status, 400);
    assert.equal(client.cookie('admin.localhost:3000', 'dl_staff'), undefined);
    const fresh = (
      (await adminJson(t, client, 'POST', '/login/second-factor/passkey/options', '', { csrf: pageCsrf }))
        .json as { options: { challenge: string } }
    ).options.challenge;
    const noToken = await adminJson(t, client, 'POST', '/login/second-factor/passkey', '', {
      response: device.assert({ challenge: fresh, ...RP }),
    });
    assert.equal(noToken.status, 403);
    const signedIn = await adminJson(t, client, 'POST', '/login/second-factor/passkey', '', {
      csrf: pageCsrf,
      next: '/security',
      response: device.assert({ challenge: fresh, ...RP }),
    });
    assert.equal(signedIn.status, 200, signedIn.body);
    assert.deepEqual(signedIn.json, { next: '/security' });
    // adminJson does not keep cookies: the session cookie is in the answer.
    assert.match(String(signedIn.headers['set-cookie']), /dl_staff=/);

    const removed = await s.client.post(`${ADMIN}/security/passkeys/${id}/delete`, { csrf });
    assert.equal(removed.status, 303);
    assert.equal(removed.headers.location, '/security?done=passkey-removed');
    assert.equal((await twoFactorOf(t.rt).status(s.userId)).enabled, false);
  });

  test('the passkey script is served from the admin assets and is no page of the sites', async () => {
    const s = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const page = await s.client.get(`${ADMIN}/security`);
    const src = /src="(\/admin-assets\/[0-9a-f]+\/security-passkeys\.js)"/.exec(page.body)![1]!;
    const js = await s.client.get(`${ADMIN}${src}`);
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.match(js.body, /navigator\.credentials/);
    const onSite = await s.client.get(`http://news.localhost:3000${src}`);
    assert.equal(onSite.status, 404);
  });
});

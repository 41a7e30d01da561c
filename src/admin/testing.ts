// Test helpers for admin screens: staff accounts with given roles, signed in through the real sign-in form,
// and JSON calls the way the admin's scripts make them.
import assert from 'node:assert/strict';
import type { TestApp } from '../../test/app.ts';
import type { RoleGrant } from '../accounts/repository.ts';
import { Client, csrfOf, type Res } from '../accounts/testing.ts';
import { base32Decode, totpCode } from '../accounts/totp.ts';

export const ADMIN = 'http://admin.localhost:3000';
export const STAFF_PASSWORD = 'copy-desk-midnight-ink';

let counter = 0;

/** A staff account with these roles, signed in to the admin; `csrf` is its session's token. */
export async function signedInStaff(
  t: TestApp,
  roles: RoleGrant[],
  o: { email?: string; displayName?: string } = {},
): Promise<{ client: Client; userId: number; csrf: string; email: string; totpSecret: Buffer | null }> {
  counter++;
  const email = o.email ?? `staff${counter}-${process.pid}-${Date.now()}@example.com`;
  const user = await t.rt.accounts.createUser({
    email,
    displayName: o.displayName ?? `Staff Member ${counter}`,
    password: STAFF_PASSWORD,
    roles,
  });
  const client = new Client(t.app);
  const res = await client.submit(`${ADMIN}/login`, '/login', { email, password: STAFF_PASSWORD, next: '/' });
  assert.equal(res.status, 303, `sign-in failed: ${res.body.slice(0, 500)}`);
  // Admin and owner are sent to set up an authenticator app first (admin/security/): do it, as they would.
  const first = await client.get(`${ADMIN}/`);
  const sentToEnrol =
    first.status === 303 && String(first.headers.location).startsWith('/security/two-factor');
  const totpSecret = sentToEnrol ? await enrolApp(client) : null;
  const home = sentToEnrol ? await client.get(`${ADMIN}/`) : first;
  assert.equal(home.status, 200, home.body.slice(0, 500));
  return { client, userId: user.id, csrf: csrfOf(home.body), email, totpSecret };
}

/** Sets up an authenticator app from the enrolment screen; resolves with its secret. */
export async function enrolApp(client: Client): Promise<Buffer> {
  const page = await client.get(`${ADMIN}/security/two-factor`);
  assert.equal(page.status, 200, page.body.slice(0, 500));
  const typed = /class="adm-secret"><code>([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1];
  assert.ok(typed, 'the enrolment screen shows the secret');
  const secret = base32Decode(typed)!;
  const done = await client.post(`${ADMIN}/security/two-factor`, {
    csrf: csrfOf(page.body),
    code: totpCode(secret, new Date()),
  });
  assert.equal(done.status, 200, done.body.slice(0, 500));
  return secret;
}

/** A JSON request as the admin's scripts send it (same origin, the CSRF token in a header). */
export async function adminJson(
  t: TestApp,
  client: Client,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  csrf: string,
  body?: unknown,
): Promise<Res & { json: unknown }> {
  const cookies = [...(client.jar.get('admin.localhost:3000')?.entries() ?? [])]
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  const r = await t.app.inject({
    method,
    url: path,
    headers: {
      host: 'admin.localhost:3000',
      accept: 'application/json',
      ...(cookies ? { cookie: cookies } : {}),
      ...(method !== 'GET'
        ? {
            origin: ADMIN,
            'sec-fetch-site': 'same-origin',
            'x-csrf-token': csrf,
          }
        : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  let json: unknown = null;
  try {
    json = JSON.parse(r.body);
  } catch {}
  return { status: r.statusCode, headers: r.headers as Res['headers'], body: r.body, url: path, json };
}

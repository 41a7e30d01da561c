// Test helpers for admin screens: staff accounts with given roles, signed in through the real sign-in form,
// and JSON calls the way the admin's scripts make them.
import assert from 'node:assert/strict';
import type { TestApp } from '../../test/app.ts';
import type { RoleGrant } from '../accounts/repository.ts';
import { Client, csrfOf, type Res } from '../accounts/testing.ts';

export const ADMIN = 'http://admin.localhost:3000';
export const STAFF_PASSWORD = 'copy-desk-midnight-ink';

let counter = 0;

/** A staff account with these roles, signed in to the admin; `csrf` is its session's token. */
export async function signedInStaff(
  t: TestApp,
  roles: RoleGrant[],
  o: { email?: string; displayName?: string } = {},
): Promise<{ client: Client; userId: number; csrf: string; email: string }> {
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
  const home = await client.get(`${ADMIN}/`);
  assert.equal(home.status, 200, home.body.slice(0, 500));
  return { client, userId: user.id, csrf: csrfOf(home.body), email };
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

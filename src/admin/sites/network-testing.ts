// Test helpers for the network screens (sites, staff, trending, integrations, audit): forms with repeated
// fields and multipart uploads sent as a browser would, with the staff member's cookies, and the audit
// entries a test expects (or expects not to exist). Used by tests only.
import type { TestApp } from '../../../test/app.ts';
import type { Client, Res } from '../../accounts/testing.ts';

const HOST = 'admin.localhost:3000';

function cookieHeader(client: Client): Record<string, string> {
  const cookies = [...(client.jar.get(HOST)?.entries() ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
  return cookies ? { cookie: cookies } : {};
}

/** A form post whose fields may repeat (checkboxes), e.g. [['from', '2'], ['from', '3']]. */
export async function postFields(
  t: TestApp,
  client: Client,
  path: string,
  fields: [string, string][],
): Promise<Res> {
  const r = await t.app.inject({
    method: 'POST',
    url: path,
    headers: {
      host: HOST,
      accept: 'text/html',
      origin: `http://${HOST}`,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/x-www-form-urlencoded',
      ...cookieHeader(client),
    },
    payload: new URLSearchParams(fields).toString(),
  });
  return { status: r.statusCode, headers: r.headers as Res['headers'], body: r.body, url: path };
}

/** A multipart form post: text fields first (as a page sends them), then one file. */
export async function postMultipart(
  t: TestApp,
  client: Client,
  path: string,
  fields: Record<string, string>,
  file: { field: string; filename: string; type: string; bytes: Buffer } | null,
): Promise<Res> {
  const boundary = `----dateline${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\ncontent-type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const r = await t.app.inject({
    method: 'POST',
    url: path,
    headers: {
      host: HOST,
      accept: 'text/html',
      origin: `http://${HOST}`,
      'sec-fetch-site': 'same-origin',
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...cookieHeader(client),
    },
    payload: Buffer.concat(parts),
  });
  return { status: r.statusCode, headers: r.headers as Res['headers'], body: r.body, url: path };
}

export interface AuditRow {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: { before?: Record<string, unknown>; after?: Record<string, unknown> } & Record<string, unknown>;
}

/** The audit entries with this action (newest last), optionally for one subject. */
export async function auditEntries(
  t: TestApp,
  action: string,
  subject?: { type: string; id: string | number },
): Promise<AuditRow[]> {
  let q = t.rt.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', action);
  if (subject) q = q.where('subject_type', '=', subject.type).where('subject_id', '=', String(subject.id));
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    actor: r.actor,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    detail: JSON.parse(r.detail),
  }));
}

/** How many audit entries there are: a refused action adds none. */
export async function auditCount(t: TestApp): Promise<number> {
  const row = await t.rt.db.kysely
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

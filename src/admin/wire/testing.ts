// Test support for the wire screens: two news sites, an agency licensed for the first with a rule that sends
// its stories to the review queue, a second agency licensed for the sister site, stories delivered as ninjs,
// staff of each role, and form posts with repeated fields (checkboxes) the way a browser sends them.
import { sql } from 'kysely';
import { newsSite, type TestApp } from '../../../test/app.ts';
import type { Client } from '../../accounts/testing.ts';
import type { Agency } from '../../wire/model.ts';
import { ADMIN } from '../testing.ts';

let counter = 0;

export interface DeskFixture {
  news: Awaited<ReturnType<typeof newsSite>>;
  sister: Awaited<ReturnType<typeof newsSite>>;
  agency: Agency;
  sisterAgency: Agency;
  /** Delivers ninjs items for the agency (or the sister's), returning the new queue entries' ids. */
  deliver(items: Record<string, unknown>[], agency?: Agency): Promise<number[]>;
}

export async function deskFixture(t: TestApp): Promise<DeskFixture> {
  counter++;
  const tag = `${counter}${Math.random().toString(36).slice(2, 6)}`;
  const news = await newsSite(t.rt, `dn${tag}`);
  const sister = await newsSite(t.rt, `ds${tag}`);
  const { agency } = await t.rt.wire.setup.addAgency(`desk-${tag}`, {
    name: `Desk Wire ${tag}`,
    sites: [news.site.slug],
  });
  await t.rt.wire.setup.addRoute({
    agency: agency.slug,
    site: news.site.slug,
    section: 'world',
    review: true,
  });
  const { agency: sisterAgency } = await t.rt.wire.setup.addAgency(`sister-${tag}`, {
    name: `Sister Wire ${tag}`,
    sites: [sister.site.slug],
  });
  await t.rt.wire.setup.addRoute({
    agency: sisterAgency.slug,
    site: sister.site.slug,
    section: 'world',
    review: true,
  });
  await t.rt.directory.load();
  return {
    news,
    sister,
    agency,
    sisterAgency,
    async deliver(items, which = agency) {
      const summary = await t.rt.wire.ingester.ingestDocuments(
        which,
        items.map((it, i) => ({ source: `desk-${i}.json`, content: JSON.stringify(it), allowFiles: false })),
      );
      const ids: number[] = [];
      for (const o of summary.outcomes) {
        if (!o.storyId) continue;
        const row = await t.rt.db.kysely
          .selectFrom('wire_queue')
          .select('id')
          .where('story_id', '=', o.storyId)
          .where('state', '=', 'pending')
          .executeTakeFirst();
        if (row) ids.push(row.id);
      }
      return ids;
    },
  };
}

/** A ninjs 2 text item with the agency's terms and note for editors. */
export function story(uri: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uri,
    type: 'text',
    version: '1',
    versioncreated: '2025-10-09T09:00:00Z',
    pubstatus: 'usable',
    headlines: [{ role: 'main', value: `Harbour story ${uri.split(':').pop()}` }],
    bodies: [
      {
        role: 'main',
        contenttype: 'text/html',
        value: '<p>Fishing boats returned to the harbour at dawn.</p>',
      },
    ],
    located: 'YOKOHAMA',
    by: 'Desk Wire staff',
    usageterms: 'Subscribers only; no archive use.',
    ednote: 'Desk: confirm the figures before publishing.',
    ...over,
  };
}

/** Posts a form with repeated fields, as a browser sends checkboxes, on the admin host. */
export async function postPairs(t: TestApp, client: Client, path: string, pairs: [string, string][]) {
  const cookies = [...(client.jar.get('admin.localhost:3000')?.entries() ?? [])]
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  const r = await t.app.inject({
    method: 'POST',
    url: path,
    headers: {
      host: 'admin.localhost:3000',
      accept: 'text/html',
      origin: ADMIN,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookies ? { cookie: cookies } : {}),
    },
    payload: new URLSearchParams(pairs).toString(),
  });
  return { status: r.statusCode, headers: r.headers, body: r.body };
}

export async function auditCount(t: TestApp, action?: string): Promise<number> {
  const q = action
    ? sql<{ n: number }>`select count(*) as n from audit_log where action = ${action}`
    : sql<{ n: number }>`select count(*) as n from audit_log`;
  return Number((await q.execute(t.rt.db.kysely)).rows[0]!.n);
}

export async function entryState(t: TestApp, id: number) {
  return (await t.rt.db.kysely
    .selectFrom('wire_queue')
    .select(['state', 'edits'])
    .where('id', '=', id)
    .executeTakeFirst())!;
}

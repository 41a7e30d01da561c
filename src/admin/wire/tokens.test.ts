// Personal API tokens and the wire API for staff, over HTTP on both dialects: a token is shown once, stored
// as its SHA-256 hash, listed with its name and times, and revoked; the wire API takes it (or the admin
// session cookie at the admin host, with its CSRF header for changes) instead of the operator token, which
// keeps working; and what a staff caller may see and do follows wire.review site by site.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { ADMIN, adminJson, signedInStaff } from '../testing.ts';
import { auditCount, type DeskFixture, deskFixture, entryState, story } from './testing.ts';

const OPERATOR = 'operator-token-for-desk-tests-0123456789';

describeEachDialect('personal API tokens and the wire API for staff', (ctx) => {
  let t: TestApp;
  let f: DeskFixture;
  before(async () => {
    t = await startTestApp(ctx.db, { ...FAST_ARGON2, DATELINE_WIRE_OPERATOR_TOKEN: OPERATOR });
    f = await deskFixture(t);
  });
  after(async () => {
    await t.close();
  });

  const api = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        host: f.news.host,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });

  const makeToken = async (who: Awaited<ReturnType<typeof signedInStaff>>, name: string) => {
    const r = await who.client.post(`${ADMIN}/api-tokens`, { csrf: who.csrf, name });
    assert.equal(r.status, 200, r.body.slice(0, 300));
    const token = /class="wire-token-value">(dlp_[^<]+)</.exec(r.body)?.[1];
    assert.ok(token, 'the new token is on the answer');
    return token!;
  };

  test('a token is shown once, kept only as its hash, listed by name and times, and revoked', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const before = await auditCount(t, 'staff.api_token_created');
    const token = await makeToken(editor, 'Desk script');
    assert.equal(await auditCount(t, 'staff.api_token_created'), before + 1);
    const rows = await t.rt.db.kysely
      .selectFrom('staff_api_tokens')
      .selectAll()
      .where('user_id', '=', editor.userId)
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.token_hash, createHash('sha256').update(token).digest('hex'));
    assert.ok(!JSON.stringify(rows).includes(token), 'the token itself is stored nowhere');
    const list = await editor.client.get(`${ADMIN}/api-tokens`);
    assert.match(list.body, /Desk script/);
    assert.match(list.body, /Never/);
    assert.ok(!list.body.includes(token), 'shown once only');
    // Used: the list says when.
    assert.equal((await api('GET', '/api/wire/queue', { authorization: `Bearer ${token}` })).statusCode, 200);
    assert.doesNotMatch((await editor.client.get(`${ADMIN}/api-tokens`)).body, />Never</);
    // Someone else cannot revoke it; its owner can, and it stops working at once.
    const other = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const notTheirs = await other.client.post(`${ADMIN}/api-tokens/${rows[0]!.id}/revoke`, {
      csrf: other.csrf,
    });
    assert.equal(notTheirs.status, 404);
    assert.match(notTheirs.body, /DATELINE_ERR_PERSONAL_TOKEN_NOT_FOUND/);
    const revoked = await editor.client.post(`${ADMIN}/api-tokens/${rows[0]!.id}/revoke`, {
      csrf: editor.csrf,
    });
    assert.equal(revoked.status, 303);
    assert.equal(await auditCount(t, 'staff.api_token_revoked'), 1);
    const refused = await api('GET', '/api/wire/queue', { authorization: `Bearer ${token}` });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error.code, 'DATELINE_ERR_WIRE_TOKEN_INVALID');
    assert.doesNotMatch((await editor.client.get(`${ADMIN}/api-tokens`)).body, /Desk script/);
  });

  test('a token needs a name; contributors and moderators cannot make one', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const unnamed = await editor.client.post(`${ADMIN}/api-tokens`, { csrf: editor.csrf, name: '  ' });
    assert.equal(unnamed.status, 400);
    assert.match(unnamed.body, /id="token-name-problem"/);
    for (const role of ['contributor', 'moderator'] as const) {
      const who = await signedInStaff(t, [{ role, siteId: null }]);
      const before = await auditCount(t);
      const r = await who.client.post(`${ADMIN}/api-tokens`, { csrf: who.csrf, name: 'Sneaky' });
      assert.equal(r.status, 403);
      assert.equal(await auditCount(t), before);
      const n = await t.rt.db.kysely
        .selectFrom('staff_api_tokens')
        .select('id')
        .where('user_id', '=', who.userId)
        .execute();
      assert.equal(n.length, 0);
    }
  });

  test('a token of a disabled account, or of one whose editor role was taken away, no longer opens the API', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const token = await makeToken(editor, 'Leaver');
    await t.rt.db.kysely
      .updateTable('user_roles')
      .set({ role: 'contributor' })
      .where('user_id', '=', editor.userId)
      .execute();
    const demoted = await api('GET', '/api/wire/queue', { authorization: `Bearer ${token}` });
    assert.equal(demoted.statusCode, 403);
    assert.equal(demoted.json().error.code, 'DATELINE_ERR_FORBIDDEN');
    await t.rt.db.kysely
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', editor.userId)
      .execute();
    assert.equal((await api('GET', '/api/wire/queue', { authorization: `Bearer ${token}` })).statusCode, 401);
  });

  test('a personal token works the queue on its owner’s sites only; the operator token still sees all', async () => {
    const [mine] = await f.deliver([
      story('urn:api-desk:mine', { headlines: [{ value: 'News desk story' }] }),
    ]);
    const [theirs] = await f.deliver(
      [story('urn:api-desk:theirs', { headlines: [{ value: 'Sister desk story' }] })],
      f.sisterAgency,
    );
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const auth = { authorization: `Bearer ${await makeToken(editor, 'Queue script')}` };
    const list = await api('GET', '/api/wire/queue', auth);
    assert.equal(list.statusCode, 200);
    const ids = (list.json().entries as { id: number }[]).map((e) => e.id);
    assert.ok(ids.includes(mine!));
    assert.ok(!ids.includes(theirs!));
    assert.equal((await api('GET', `/api/wire/queue/${theirs}`, auth)).statusCode, 403);
    const op = await api('GET', '/api/wire/queue', { authorization: `Bearer ${OPERATOR}` });
    assert.ok((op.json().entries as { id: number }[]).some((e) => e.id === theirs));
    // Publishing elsewhere is refused and changes nothing; on its own site it publishes, in its name.
    const before = await auditCount(t);
    const elsewhere = await api('POST', `/api/wire/queue/${theirs}/publish`, auth, {
      site: f.sister.site.slug,
      section: 'world',
    });
    assert.equal(elsewhere.statusCode, 403);
    assert.equal((await entryState(t, theirs!)).state, 'pending');
    assert.equal(await auditCount(t), before);
    const edited = await api('PATCH', `/api/wire/queue/${mine}`, auth, { headline: 'Edited over the API' });
    assert.equal(edited.statusCode, 200, edited.body);
    const published = await api('POST', `/api/wire/queue/${mine}/publish`, auth, {
      site: f.news.site.slug,
      section: 'world',
    });
    assert.equal(published.statusCode, 200, published.body);
    const entries = await t.rt.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('action', 'in', ['wire.queue_edited', 'wire.queue_published'])
      .where('actor', '=', `user:${editor.userId}`)
      .execute();
    assert.deepEqual(entries.map((e) => e.action).sort(), ['wire.queue_edited', 'wire.queue_published']);
    // A story of an agency licensed for both sites: the sister desk's token opens it but cannot publish on news.
    const { agency: shared } = await t.rt.wire.setup.addAgency('api-shared-wire', {
      name: 'Shared',
      sites: [f.news.site.slug, f.sister.site.slug],
    });
    const [both] = await f.deliver([story('urn:api-desk:both')], shared);
    const sisterEditor = await signedInStaff(t, [{ role: 'editor', siteId: f.sister.site.id }]);
    const sisterAuth = { authorization: `Bearer ${await makeToken(sisterEditor, 'Sister script')}` };
    assert.equal((await api('GET', `/api/wire/queue/${both}`, sisterAuth)).statusCode, 200);
    const count = await auditCount(t);
    const onNews = await api('POST', `/api/wire/queue/${both}/publish`, sisterAuth, {
      site: f.news.site.slug,
      section: 'world',
    });
    assert.equal(onNews.statusCode, 403);
    assert.equal((await entryState(t, both!)).state, 'pending');
    assert.equal(await auditCount(t), count);
    // Problems and stories follow the same sites.
    const problems = await api('GET', '/api/wire/problems', auth);
    assert.equal(problems.statusCode, 200);
    const stories = await api('GET', '/api/wire/stories', auth);
    const uris = (stories.json().stories as { uri: string }[]).map((s) => s.uri);
    assert.ok(uris.includes('urn:api-desk:mine'));
    assert.ok(!uris.includes('urn:api-desk:theirs'));
  });

  test('the admin session works the API at the admin host, a change only with its CSRF header', async () => {
    const [id] = await f.deliver([story('urn:api-desk:session')]);
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const list = await adminJson(t, editor.client, 'GET', '/api/wire/queue', editor.csrf);
    assert.equal(list.status, 200, list.body);
    assert.ok((list.json as { entries: { id: number }[] }).entries.some((e) => e.id === id));
    const before = await auditCount(t);
    const noToken = await adminJson(t, editor.client, 'POST', `/api/wire/queue/${id}/discard`, '', {});
    assert.equal(noToken.status, 403);
    assert.match(noToken.body, /DATELINE_ERR_CSRF_REJECTED/);
    assert.equal((await entryState(t, id!)).state, 'pending');
    assert.equal(await auditCount(t), before);
    const done = await adminJson(t, editor.client, 'POST', `/api/wire/queue/${id}/discard`, editor.csrf, {});
    assert.equal(done.status, 200, done.body);
    assert.equal((await entryState(t, id!)).state, 'discarded');
    // A contributor's session is refused.
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const refused = await adminJson(t, contributor.client, 'GET', '/api/wire/queue', contributor.csrf);
    assert.equal(refused.status, 403);
  });
});

describeEachDialect('the wire API for staff without an operator token', (ctx) => {
  test('staff use their personal token; the operator token is not needed', async () => {
    const t = await startTestApp(ctx.db, FAST_ARGON2);
    try {
      const f = await deskFixture(t);
      const [id] = await f.deliver([story('urn:api-desk:no-operator')]);
      const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
      const r = await editor.client.post(`${ADMIN}/api-tokens`, { csrf: editor.csrf, name: 'No operator' });
      const token = /class="wire-token-value">(dlp_[^<]+)</.exec(r.body)![1]!;
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/wire/queue',
        headers: { host: f.news.host, authorization: `Bearer ${token}` },
      });
      assert.equal(list.statusCode, 200);
      assert.ok((list.json().entries as { id: number }[]).some((e) => e.id === id));
      const none = await t.app.inject({
        method: 'GET',
        url: '/api/wire/queue',
        headers: { host: f.news.host },
      });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'DATELINE_ERR_WIRE_TOKEN_INVALID');
    } finally {
      await t.close();
    }
  });
});

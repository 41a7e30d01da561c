import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2, linkIn } from '../accounts/testing.ts';
import { etagMatches } from './etag.ts';

test('compares If-None-Match weakly, as RFC 9110 asks', () => {
  assert.equal(etagMatches(undefined, '"a"'), false);
  assert.equal(etagMatches('"a"', '"a"'), true);
  assert.equal(etagMatches('W/"a"', '"a"'), true);
  assert.equal(etagMatches(' "b" ,"a"', '"a"'), true);
  assert.equal(etagMatches('*', '"a"'), true);
  assert.equal(etagMatches('"b"', '"a"'), false);
  assert.equal(etagMatches('a', '"a"'), false);
});

// A CDN that weakens ETags, or a client that sends several, must still get 304s for pages.
describeEachDialect('conditional GET of pages', (ctx) => {
  const NEWS = 'http://news.localhost:3000';
  let t: TestApp;
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    const s = await newsSite(t.rt, 'news');
    await t.rt.articles.create(
      { siteId: s.site.id, sectionId: s.world.id, headline: 'Tagged', bodyHtml: '<p>x</p>' },
      't',
    );
  });
  after(() => t.close());

  test('a shared page answers 304 to a weakened ETag and to a list that holds it', async () => {
    const c = new Client(t.app);
    const first = await c.get(`${NEWS}/world/tagged`);
    assert.equal(first.status, 200);
    const etag = String(first.headers.etag);
    assert.equal((await c.get(`${NEWS}/world/tagged`, { 'if-none-match': `W/${etag}` })).status, 304);
    assert.equal((await c.get(`${NEWS}/world/tagged`, { 'if-none-match': `"other", ${etag}` })).status, 304);
    assert.equal((await c.get(`${NEWS}/world/tagged`, { 'if-none-match': '"other"' })).status, 200);
  });

  test("a signed-in reader's page answers 304 to a list that holds its ETag, compared weakly", async () => {
    const c = new Client(t.app);
    const reg = await c.submit(`${NEWS}/account/register`, '/account/register', {
      email: 'etag@example.com',
      displayName: 'Etag Reader',
      password: 'velvet-harbour-lantern',
    });
    assert.equal(reg.status, 200, reg.body);
    await t.rt.jobs.drain();
    const [mail] = await t.rt.mail.outbox({ to: 'etag@example.com' });
    const link = linkIn(mail!.text, '/account/verify?t=');
    const verify = await c.get(link);
    const verified = await c.post(`${NEWS}/account/verify`, {
      csrf: csrfOf(verify.body),
      t: new URL(link).searchParams.get('t')!,
    });
    assert.equal(verified.status, 303);
    const page = await c.get(`${NEWS}/world/tagged`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Etag Reader/);
    const etag = String(page.headers.etag);
    const listed = await c.get(`${NEWS}/world/tagged`, { 'if-none-match': `"other", ${etag}` });
    assert.equal(listed.status, 304);
    const strong = etag.replace(/^W\//, '');
    assert.equal((await c.get(`${NEWS}/world/tagged`, { 'if-none-match': strong })).status, 304);
  });
});

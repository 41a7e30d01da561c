import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2, linkIn } from './testing.ts';

const NEWS = 'http://news.localhost:3000';
const LIFE = 'http://life.localhost:3000';

describeEachDialect('account pages over HTTP', (ctx) => {
  let t: TestApp;
  const mailTo = async (email: string) => {
    await t.rt.jobs.drain();
    return t.rt.mail.outbox({ to: email });
  };
  async function registerAndVerify(c: Client, email: string, name: string, password: string) {
    const reg = await c.submit(`${NEWS}/account/register`, '/account/register', { email, displayName: name, password });
    assert.equal(reg.status, 200, reg.body);
    const [mail] = await mailTo(email);
    const verify = await c.get(linkIn(mail!.text, '/account/verify?t='));
    assert.equal(verify.status, 200);
    return c.post(`${NEWS}/account/verify`, { csrf: csrfOf(verify.body), t: new URL(linkIn(mail!.text, '/account/verify?t=')).searchParams.get('t')! });
  }

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    await newsSite(t.rt, 'news');
    const life = await t.rt.sites.create({ slug: 'life', name: 'Lifestyle Daily', hosts: ['life.localhost'] });
    await t.rt.sections.create(life.id, { slug: 'food', name: 'Food' });
    await t.rt.directory.load();
  });
  after(() => t.close());

  test('register → verify mail → signed in on the site and, through the hop, on its sister site', async () => {
    const c = new Client(t.app);
    const verified = await registerAndVerify(c, 'ana@example.com', 'Ana Reader', 'velvet-harbour-lantern');
    assert.equal(verified.status, 303);
    const landed = await c.follow(verified);
    assert.equal(landed.status, 200);
    assert.equal(landed.url, `${NEWS}/account?m=verified`);
    assert.match(landed.body, /Your email address is confirmed/);
    assert.ok(c.cookie('news.localhost:3000', 'dl_session'));
    assert.ok(c.cookie('life.localhost:3000', 'dl_session'), 'the hop set a cookie on the sister host');
    assert.notEqual(c.cookie('news.localhost:3000', 'dl_session'), c.cookie('life.localhost:3000', 'dl_session'));
    const sister = await c.get(`${LIFE}/`);
    assert.match(sister.body, /<a href="\/account" title="My account">Ana Reader<\/a>/);
  });

  test('the page cache never holds a name: signed-in and anonymous requests for the same page', async () => {
    const c = new Client(t.app);
    await c.submit(`${NEWS}/account/login`, '/account/login', { email: 'ana@example.com', password: 'velvet-harbour-lantern' });
    const anon1 = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000', 'accept-encoding': 'br, gzip' } });
    const raw = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000', cookie: `dl_session=${c.cookie('news.localhost:3000', 'dl_session')}`, 'accept-encoding': 'gzip' } });
    assert.equal(raw.headers['content-encoding'], 'gzip', 'signed-in pages are still compressed');
    const personal = gunzipSync(raw.rawPayload).toString();
    assert.match(personal, /Ana Reader/);
    assert.match(String(raw.headers['cache-control']), /^private/);
    assert.match(String(raw.headers.vary), /Cookie/);
    const anon2 = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000' } });
    assert.doesNotMatch(anon2.body, /Ana Reader/);
    assert.match(anon2.body, /Register<\/a> \/ <a href="\/account\/login">Login/);
    assert.match(String(anon2.headers['cache-control']), /^public/);
    assert.equal(anon1.headers.etag, anon2.headers.etag, 'the shared version is unchanged');
    assert.notEqual(raw.headers.etag, anon2.headers.etag);
    // Revalidation: the personal ETag gives a 304, the shared one does not satisfy a signed-in reader.
    const cookie = `dl_session=${c.cookie('news.localhost:3000', 'dl_session')}`;
    const again = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000', cookie, 'if-none-match': String(raw.headers.etag) } });
    assert.equal(again.statusCode, 304);
    const stale = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000', cookie, 'if-none-match': String(anon2.headers.etag) } });
    assert.equal(stale.statusCode, 200);
    assert.match(stale.body, /Ana Reader/);
  });
});

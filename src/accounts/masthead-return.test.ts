// The masthead's Register / Login links bring a reader back to the page they were on: each cached page
// carries its own path as `next`, the login form keeps it, signing in ends on that page with the reader's
// own links spliced into it, and a `next` that leads off the network is still refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2 } from './testing.ts';

const NEWS = 'http://news.localhost:3000';

function accountLinks(html: string): string {
  const m = /<div class="masthead__account" id="account-links">(.*?)<\/div>/s.exec(html);
  assert.ok(m, 'the page has the account links');
  return m[1]!;
}

describeEachDialect('masthead sign-in links return the reader to their page', (ctx) => {
  let t: TestApp;
  let storyPath: string;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    const s = await newsSite(t.rt, 'news');
    for (let i = 0; i < 25; i++)
      await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: s.world.id,
          headline: `Harbour story ${i}`,
          bodyHtml: '<p>Ships.</p>',
        },
        'test',
      );
    storyPath = '/world/harbour-story-3';
    await t.rt.accounts.createUser({
      email: 'returning@example.com',
      displayName: 'Returning Reader',
      password: 'velvet-harbour-lantern',
    });
  });
  after(() => t.close());

  test('each page links to sign-in with its own path, and signing in lands back on it', async () => {
    const c = new Client(t.app);
    const story = await c.get(`${NEWS}${storyPath}`);
    assert.equal(story.status, 200);
    const next = encodeURIComponent(storyPath);
    assert.equal(
      accountLinks(story.body),
      `<a href="/account/register?next=${next}">Register</a> / <a href="/account/login?next=${next}">Login</a>`,
    );
    // The home page needs no `next` (it is where sign-in lands anyway); a later page of a section keeps
    // its page number; the account pages never point sign-in back at themselves.
    assert.match(accountLinks((await c.get(`${NEWS}/`)).body), /href="\/account\/login">Login/);
    assert.match(
      accountLinks((await c.get(`${NEWS}/world?page=2`)).body),
      /href="\/account\/login\?next=%2Fworld%3Fpage%3D2">Login/,
    );
    assert.match(accountLinks((await c.get(`${NEWS}/account/login`)).body), /href="\/account\/login">Login/);

    const login = await c.get(`${NEWS}/account/login?next=${next}`);
    assert.match(login.body, new RegExp(`<input type="hidden" name="next" value="${storyPath}"/>`));
    const signedIn = await c.post(`${NEWS}/account/login`, {
      csrf: csrfOf(login.body),
      email: 'returning@example.com',
      password: 'velvet-harbour-lantern',
      next: storyPath,
    });
    assert.equal(signedIn.status, 303);
    const landed = await c.follow(signedIn);
    assert.equal(landed.url, `${NEWS}${storyPath}`);
    assert.equal(landed.status, 200);
    // The cached story, whose links carry its own path, gets the reader's links in their place.
    const links = accountLinks(landed.body);
    assert.match(links, /Returning Reader/);
    assert.match(links, /action="\/account\/logout"/);
    // (The masthead's links only: the comment thread's sign-in prompt is in the shared page for every reader,
    // and CSS hides it when the masthead holds a signed-in reader's links.)
    assert.doesNotMatch(links, /Register<\/a>/);
  });

  test('a next that leads off the network is still refused', async () => {
    const c = new Client(t.app);
    for (const evil of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const login = await c.get(`${NEWS}/account/login?next=${encodeURIComponent(evil)}`);
      assert.match(login.body, /<input type="hidden" name="next" value="\/"\/>/, evil);
    }
  });
});

// A site's own public scheme: on a network published over https (NODE_ENV=production behind a trusted
// proxy), a staging site set to http gets http in its canonical link, og:url and JSON-LD, accepts forms
// from its http origin (and refuses its https one), sends no HSTS and is not redirected to https, while the
// network's other site keeps all of https. Stored with the site, set and shown by `dateline site`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { commandDatabase, DIALECTS, describeEachDialect } from '../../test/dialects.ts';
import { csrfOf, FAST_ARGON2 } from '../accounts/testing.ts';
import { openDatabase } from '../db/connection.ts';
import { hostOrigin, siteOrigin } from './urls.ts';

describeEachDialect('a site’s own public scheme', (ctx) => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp(ctx.db, {
      ...FAST_ARGON2,
      NODE_ENV: 'production',
      DATELINE_PUBLIC_SCHEME: 'https',
      DATELINE_TRUST_PROXY: '127.0.0.1',
    });
    for (const slug of ['news', 'staging']) {
      const site = await t.rt.sites.create({
        slug,
        name: `Example ${slug}`,
        hosts: [`${slug}.localhost`],
        ...(slug === 'staging' && { publicScheme: 'http' as const }),
      });
      await t.rt.sections.create(site.id, { slug: 'world', name: 'World' });
      await t.rt.articles.create(
        {
          siteId: site.id,
          sectionId: (await t.rt.sections.list(site.id))[0]!.id,
          headline: 'Harbour reopens',
          bodyHtml: '<p>a</p>',
        },
        't',
      );
    }
    await t.rt.directory.load();
  });
  after(async () => {
    await t?.close();
  });

  const get = (host: string, url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url, headers: { host, ...headers } });

  test('is stored with the site, and null follows the network again', async () => {
    assert.equal((await t.rt.sites.require('staging')).publicScheme, 'http');
    assert.equal((await t.rt.sites.require('news')).publicScheme, null);
    await assert.rejects(
      t.rt.sites.update('news', { publicScheme: 'ftp' as never }),
      (e: { code?: string }) => e.code === 'DATELINE_ERR_SITE_INVALID',
    );
    await t.rt.sites.update('news', { publicScheme: 'https' });
    assert.equal((await t.rt.sites.require('news')).publicScheme, 'https');
    await t.rt.sites.update('news', { publicScheme: null });
    assert.equal((await t.rt.sites.require('news')).publicScheme, null);
    await t.rt.directory.load();
  });

  test('every absolute URL on the page uses the site’s scheme', async () => {
    const staging = await get('staging.localhost', '/world/harbour-reopens');
    assert.equal(staging.statusCode, 200);
    assert.match(
      staging.body,
      /<link rel="canonical" href="http:\/\/staging\.localhost\/world\/harbour-reopens"/,
    );
    assert.match(
      staging.body,
      /property="og:url" content="http:\/\/staging\.localhost\/world\/harbour-reopens"/,
    );
    assert.match(staging.body, /"url":"http:\/\/staging\.localhost\/world\/harbour-reopens"/);
    assert.doesNotMatch(staging.body, /https:\/\/staging\.localhost/);
    const news = await get('news.localhost', '/world/harbour-reopens');
    assert.match(news.body, /<link rel="canonical" href="https:\/\/news\.localhost\/world\/harbour-reopens"/);
    assert.doesNotMatch(news.body, /http:\/\/news\.localhost/);
  });

  test('HSTS and the redirect to https follow the site’s scheme', async () => {
    assert.match(String((await get('news.localhost', '/')).headers['strict-transport-security']), /max-age=/);
    assert.equal((await get('staging.localhost', '/')).headers['strict-transport-security'], undefined);
    const plain = { 'x-forwarded-proto': 'http' };
    const news = await get('news.localhost', '/world', plain);
    assert.equal(news.statusCode, 301);
    assert.equal(news.headers.location, 'https://news.localhost/world');
    assert.equal(
      (await get('staging.localhost', '/world', plain)).statusCode,
      200,
      'an http site stays on http',
    );
  });

  test('forms are accepted from the site’s own origin only', async () => {
    const form = await get('staging.localhost', '/account/login');
    assert.equal(form.statusCode, 200);
    const cookie = ([] as string[])
      .concat(form.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const post = (origin: string) =>
      t.app.inject({
        method: 'POST',
        url: '/account/login',
        headers: {
          host: 'staging.localhost',
          origin,
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({
          email: 'nobody@example.com',
          password: 'not-the-password-at-all',
          csrf: csrfOf(form.body),
        }).toString(),
      });
    const cross = await post('https://staging.localhost');
    assert.equal(cross.statusCode, 403);
    const own = await post('http://staging.localhost');
    // Refused only for the wrong password, not as cross-site (which is 403, as for the form's token).
    assert.notEqual(own.statusCode, 403);
  });

  test('URLs built outside a request use the site’s scheme too, and its port', () => {
    const network = { scheme: 'http' as const, port: null };
    assert.equal(
      siteOrigin(network, { slug: 'a', hosts: ['a.example'], publicScheme: 'https' }),
      'https://a.example',
    );
    assert.equal(
      siteOrigin({ ...network, port: 8443 }, { slug: 'a', hosts: ['a.example'], publicScheme: 'https' }),
      'https://a.example:8443',
    );
    assert.equal(
      hostOrigin({ ...network, hostScheme: (h) => (h === 'a.example' ? 'https' : null) }, 'a.example'),
      'https://a.example',
    );
    assert.equal(hostOrigin({ ...network, hostScheme: () => null }, 'b.example'), 'http://b.example');
  });
});

for (const dialect of DIALECTS) {
  describe(`dateline site --public-scheme [${dialect}]`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dateline-scheme-'));
    const env: Record<string, string> = { DATELINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    let database: Awaited<ReturnType<typeof commandDatabase>> | undefined;
    before(async () => {
      database = await commandDatabase(dialect, dataDir);
      env.DATABASE_URL = database.url;
    });
    after(async () => {
      await database?.drop();
    });
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, ['bin/dateline.js', ...args], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const stored = async () => {
      const db = await openDatabase({ url: env.DATABASE_URL! });
      try {
        return (
          await db.kysely
            .selectFrom('sites')
            .select('public_scheme')
            .where('slug', '=', 'stage')
            .executeTakeFirstOrThrow()
        ).public_scheme;
      } finally {
        await db.close();
      }
    };

    test('add, edit and list', async () => {
      assert.equal(cli(['migrate']).code, 0);
      const add = cli(['site', 'add', 'stage', '--name', 'Staging', '--public-scheme', 'http']);
      assert.equal(add.code, 0, add.err);
      assert.equal(await stored(), 'http');
      assert.match(cli(['site', 'list']).out, /stage\s+Staging.*stage\.localhost\s+\(public scheme: http\)/);
      assert.equal(cli(['site', 'edit', 'stage', '--public-scheme', 'gopher']).code, 2);
      assert.equal(cli(['site', 'edit', 'stage', '--public-scheme', 'https']).code, 0);
      assert.equal(await stored(), 'https');
      assert.equal(cli(['site', 'edit', 'stage', '--public-scheme', 'network']).code, 0);
      assert.equal(await stored(), null);
      assert.doesNotMatch(cli(['site', 'list']).out, /public scheme/);
    });
  });
}

// What the wire feature fetches and reads on an agency's say-so: picture hrefs and feed URLs go through
// the guarded outgoing client, so they cannot reach loopback, private or metadata addresses unless the
// operator allow-listed them; and a disk document's pictures stay inside its folder, symbolic links included.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { OutboundClient } from '../outbound/client.ts';
import { agencySetup, type Harness, ninjs, testJpeg, wireHarness } from './testing.ts';

// A server on loopback standing in for anything internal: an admin page, a metadata service, a database port.
let server: ReturnType<typeof createServer>;
let base = '';
const hits: string[] = [];
let jpeg: Buffer;
before(async () => {
  jpeg = await testJpeg(40, 30, 120);
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url?.startsWith('/to-metadata')) {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    } else if (req.url?.endsWith('.xml')) {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>');
    } else {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(jpeg);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

function pictureOf(uri: string, href: string) {
  return {
    uri,
    type: 'picture',
    version: '1',
    pubstatus: 'usable',
    renditions: [{ name: 'baseImage', href, contenttype: 'image/jpeg', width: 40, height: 30 }],
  };
}

async function leadOf(h: Harness, agencyId: number, uri: string) {
  const story = (await h.wire.story(agencyId, uri))!;
  const link = (await h.wire.storyArticles(story.id))[0]!;
  return (await h.articles.get(link.articleId))!.article.leadMediaId;
}

describeEachDialect('Wire fetches: the outgoing-fetch policy and the document folder', (ctx) => {
  test('an API delivery cannot make the ingester fetch internal addresses, and learns nothing about them', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const port = new URL(base).port;
    const hrefs = [
      `${base}/internal.jpg`,
      `http://2130706433:${port}/numeric.jpg`,
      `http://[::ffff:127.0.0.1]:${port}/mapped.jpg`,
      'http://169.254.169.254/latest/meta-data/iam.jpg',
      'http://127.0.0.1:9/closed-port.jpg',
    ];
    hits.length = 0;
    const docs = hrefs.map((href, i) => ({
      name: `d${i}.json`,
      content: JSON.stringify(
        ninjs(`urn:ssrf:${ctx.db.dialect}:${i}`, { associations: [pictureOf(`urn:ssrf:p${i}`, href)] }),
      ),
    }));
    const { summary } = await h.wire.deliver(agency, docs, { jobs: null, wait: true });
    assert.equal(summary!.counts.created, hrefs.length, 'the stories go in, without their pictures');
    for (let i = 0; i < hrefs.length; i++)
      assert.equal(await leadOf(h, agency.id, `urn:ssrf:${ctx.db.dialect}:${i}`), null);
    assert.deepEqual(hits, [], 'nothing on loopback was requested');
    const warnings = summary!.warnings.filter((w) => w.code === 'DATELINE_ERR_WIRE_PICTURE_MISSING');
    assert.equal(warnings.length, hrefs.length);
    for (const w of warnings) assert.doesNotMatch(w.message, /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|HTTP \d/);
  });

  test('a picture server that redirects to the metadata address is not followed', async () => {
    const h = await wireHarness(ctx.db, { outbound: new OutboundClient({ allow: ['127.0.0.1'] }) });
    const { agency } = await agencySetup(h);
    const uri = `urn:ssrf:redirect:${ctx.db.dialect}`;
    const s = await h.wire.ingester.ingestDocuments(agency, [
      {
        source: 'feed.json',
        content: JSON.stringify(
          ninjs(uri, { associations: [pictureOf('urn:ssrf:pr', `${base}/to-metadata`)] }),
        ),
        allowFiles: false,
      },
    ]);
    assert.equal(s.counts.created, 1);
    assert.equal(await leadOf(h, agency.id, uri), null);
    // With the allow-list the same loopback server is fetched from: the refusal above is the redirect's.
    const ok = `urn:ssrf:allowed:${ctx.db.dialect}`;
    await h.wire.ingester.ingestDocuments(agency, [
      {
        source: 'feed.json',
        content: JSON.stringify(ninjs(ok, { associations: [pictureOf('urn:ssrf:pa', `${base}/fine.jpg`)] })),
        allowFiles: false,
      },
    ]);
    assert.ok(await leadOf(h, agency.id, ok));
  });

  test('a feed poller to an internal address is refused when it is set up, and when it is polled', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const port = new URL(base).port;
    for (const url of [
      `${base}/feed.xml`,
      `http://2130706433:${port}/feed.xml`,
      `http://0x7f.1:${port}/feed.xml`,
      `http://[::1]:${port}/feed.xml`,
      'http://169.254.169.254/feed.xml',
      'http://0.0.0.0/feed.xml',
      'https://10.1.2.3/feed.xml',
    ]) {
      await assert.rejects(h.wire.setup.addPoller({ agency: agency.slug, url }), (e) =>
        isDatelineError(e, 'FETCH_REFUSED'),
      );
    }
    // Set up while the address was allowed (or before a DNS change): the poll itself refuses it.
    const allowed = await wireHarness(ctx.db, { outbound: new OutboundClient({ allow: ['127.0.0.1'] }) });
    const poller = await allowed.wire.setup.addPoller({ agency: agency.slug, url: `${base}/later.xml` });
    hits.length = 0;
    const report = await h.wire.pollers.pollNow(poller.id);
    assert.equal(report.status, 'failed');
    assert.deepEqual(hits, []);
    const stored = await h.wire.setup.requirePoller(poller.id);
    assert.match(stored.lastError ?? '', /DATELINE_OUTBOUND_ALLOW/);
    assert.doesNotMatch(stored.lastError ?? '', /ECONNREFUSED|loopback address/);
    // And with the allow-list in force, the same feed polls.
    assert.equal((await allowed.wire.pollers.pollNow(poller.id)).status, 'ok');
  });

  test('a picture reached through a symbolic link out of the document folder is not read', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const outside = mkdtempSync(join(tmpdir(), 'dateline-outside-'));
    writeFileSync(join(outside, 'secret.jpg'), jpeg);
    const dir = mkdtempSync(join(tmpdir(), 'dateline-wire-link-'));
    mkdirSync(join(dir, 'pictures'));
    symlinkSync(join(outside, 'secret.jpg'), join(dir, 'pictures', 'link.jpg'));
    symlinkSync(outside, join(dir, 'pictures', 'linked-folder'));
    writeFileSync(join(dir, 'pictures', 'real.jpg'), jpeg);
    symlinkSync(join(dir, 'pictures', 'real.jpg'), join(dir, 'pictures', 'inside-link.jpg'));
    const cases = [
      ['escape', 'pictures/link.jpg'],
      ['folder', 'pictures/linked-folder/secret.jpg'],
      ['inside', 'pictures/inside-link.jpg'],
    ] as const;
    const paths = cases.map(([k, href]) => {
      const path = join(dir, `${k}.json`);
      writeFileSync(
        path,
        JSON.stringify(ninjs(`urn:link:${k}`, { associations: [pictureOf(`urn:link:p-${k}`, href)] })),
      );
      return path;
    });
    const s = await h.wire.ingestPaths(agency, paths);
    assert.equal(s.counts.created, 3);
    assert.equal(await leadOf(h, agency.id, 'urn:link:escape'), null);
    assert.equal(await leadOf(h, agency.id, 'urn:link:folder'), null);
    assert.ok(await leadOf(h, agency.id, 'urn:link:inside'), 'a link that stays inside the folder is fine');
    const warned = s.warnings
      .filter((w) => w.code === 'DATELINE_ERR_WIRE_PICTURE_MISSING')
      .map((w) => w.item);
    assert.deepEqual(warned.sort(), ['urn:link:p-escape', 'urn:link:p-folder']);
  });
});

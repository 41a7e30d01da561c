import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { makePage } from '../web/cache/page-cache.ts';
import { PersonalPages, prepareFragment } from './personalise.ts';

const SIGNED_OUT = '<div id="slot">signed out</div>';
const SLOT = { start: Buffer.from('<div id="slot">'), end: Buffer.from('</div>') };

function page(text: string, transient = false) {
  const body = Buffer.from(
    `<!doctype html><p>${text.repeat(50)}</p>${SIGNED_OUT}<footer>${text.repeat(50)}</footer>`,
  );
  return makePage(
    {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body,
      headers: {},
      cacheControl: 'public, max-age=0',
      tags: [],
    },
    transient,
  );
}

test("a reader's version of a page: spliced, kept, private, and never written into the page", () => {
  const pages = new PersonalPages(SLOT, 1024 * 1024);
  const p = page('news ');
  const shared = Buffer.from(p.body);
  const ana = prepareFragment(Buffer.from('<div id="slot">Ana</div>'));
  const v = pages.get(p, ana)!;
  assert.equal(pages.get(p, ana), v, 'kept');
  const gz = pages.body(v, true);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(
    gunzipSync(gz.body).toString(),
    p.body.toString().replace(SIGNED_OUT, '<div id="slot">Ana</div>'),
  );
  assert.equal(pages.body(v, true), gz, 'made once');
  const plain = pages.body(v, false);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.match(plain.body.toString(), /Ana/);
  assert.equal(plain.headers['cache-control'], 'private, no-cache');
  assert.equal(plain.headers.vary, 'Accept-Encoding, Cookie');
  assert.equal(plain.headers.etag, v.etag);
  assert.notEqual(v.etag, p.etag);
  assert.deepEqual(p.body, shared, 'the shared page is untouched');
  assert.equal(pages.get(makePage({ ...p, contentType: 'application/xml' }), ana), null, 'only HTML');
});

test('transient pages are not kept; the memory is bounded', () => {
  const pages = new PersonalPages(SLOT, 20_000);
  const f = prepareFragment(Buffer.from('<div id="slot">Bo</div>'));
  const once = page('once ', true);
  assert.notEqual(pages.get(once, f), pages.get(once, f));
  const kept = Array.from({ length: 40 }, (_, i) => page(`page ${i} `));
  const v0 = pages.get(kept[0]!, f)!;
  for (const k of kept) pages.body(pages.get(k, f)!, true);
  const last = pages.get(kept[39]!, f);
  assert.equal(pages.get(kept[39]!, f), last, 'the newest is kept');
  assert.notEqual(pages.get(kept[0]!, f), v0, 'the oldest went, and is made again on demand');
});

// The media library screens over HTTP on both dialects: browsing and searching, uploads with and without the
// script (each file stored or refused on its own), a picture's text and focal point, and for every change
// the order of checks (session, then CSRF, then permission) with a forbidden change answering 403 and
// changing nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { type Client, FAST_ARGON2 } from '../../accounts/testing.ts';
import type { MediaRecord } from '../../media/repository.ts';
import { ADMIN, adminJson, signedInStaff } from '../testing.ts';

const MAX_UPLOAD = 200_000;
const MAX_PIXELS = 4_000_000;

let shade = 0;
async function jpeg(width = 1000, height = 600): Promise<Buffer> {
  shade += 1;
  return sharp({
    create: { width, height, channels: 3, background: { r: shade % 256, g: 80, b: (shade * 3) % 256 } },
  })
    .jpeg()
    .toBuffer();
}

async function noisyPng(): Promise<Buffer> {
  const png = await sharp({
    create: {
      width: 400,
      height: 400,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .png()
    .toBuffer();
  assert.ok(png.length > MAX_UPLOAD);
  return png;
}

type Part = { name: string; value: string } | { name: string; filename: string; type: string; bytes: Buffer };

function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----dateline${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head =
      'value' in p
        ? `Content-Disposition: form-data; name="${p.name}"\r\n\r\n`
        : `Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`;
    chunks.push(
      Buffer.from(`--${boundary}\r\n${head}`),
      'value' in p ? Buffer.from(p.value) : p.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A multipart POST as the browser sends it: the form without the script, or the script with its header. */
async function postParts(
  t: TestApp,
  client: Client | null,
  path: string,
  parts: Part[],
  o: { csrfHeader?: string; accept?: string; crossSite?: boolean } = {},
) {
  const { body, contentType } = multipart(parts);
  const cookies = [...(client?.jar.get('admin.localhost:3000')?.entries() ?? [])]
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  const r = await t.app.inject({
    method: 'POST',
    url: path,
    headers: {
      host: 'admin.localhost:3000',
      origin: o.crossSite ? 'https://evil.example' : ADMIN,
      'sec-fetch-site': o.crossSite ? 'cross-site' : 'same-origin',
      accept: o.accept ?? 'text/html',
      'content-type': contentType,
      ...(cookies ? { cookie: cookies } : {}),
      ...(o.csrfHeader ? { 'x-csrf-token': o.csrfHeader } : {}),
    },
    payload: body,
  });
  let json: unknown = null;
  try {
    json = JSON.parse(r.body);
  } catch {}
  return { status: r.statusCode, body: r.body, headers: r.headers, json: json as Record<string, unknown> };
}

const file = (filename: string, bytes: Buffer, type = 'image/jpeg'): Part => ({
  name: 'files',
  filename,
  type,
  bytes,
});

describeEachDialect('media library screens', (ctx) => {
  let t: TestApp;
  let site: Awaited<ReturnType<typeof newsSite>>;
  let contributor: Awaited<ReturnType<typeof signedInStaff>>;
  let otherContributor: Awaited<ReturnType<typeof signedInStaff>>;
  let editor: Awaited<ReturnType<typeof signedInStaff>>;
  let moderator: Awaited<ReturnType<typeof signedInStaff>>;

  before(async () => {
    t = await startTestApp(ctx.db, {
      ...FAST_ARGON2,
      DATELINE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
      DATELINE_MAX_IMAGE_PIXELS: String(MAX_PIXELS),
    });
    site = await newsSite(t.rt, 'news');
    contributor = await signedInStaff(t, [{ role: 'contributor', siteId: site.site.id }], {
      displayName: 'Connie Contributor',
    });
    otherContributor = await signedInStaff(t, [{ role: 'contributor', siteId: site.site.id }]);
    editor = await signedInStaff(t, [{ role: 'editor', siteId: site.site.id }], {
      displayName: 'Eddie Editor',
    });
    moderator = await signedInStaff(t, [{ role: 'moderator', siteId: site.site.id }]);
  });
  after(async () => {
    await t.close();
  });

  const mediaCount = async () =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom('media')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const record = (id: number) => t.rt.media.get(id);
  const auditCount = async (action: string) =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function uploadAs(who: typeof contributor, name: string, caption = ''): Promise<MediaRecord> {
    const r = await postParts(t, who.client, '/media/uploads', [file(name, await jpeg())], {
      csrfHeader: who.csrf,
      accept: 'application/json',
    });
    assert.equal(r.status, 200, r.body);
    const id = (r.json.outcomes as { id: number }[])[0]!.id;
    if (caption) await t.rt.db.kysely.updateTable('media').set({ caption }).where('id', '=', id).execute();
    return record(id);
  }

  describe('uploads', () => {
    test('multipart is registered for the upload routes only, so no reader request runs its hooks', async () => {
      // @fastify/multipart hooks every route of the context it is registered in (onRequest, onResponse);
      // on the root app each warm reader page paid for both. Its request decorators show where it is.
      assert.equal(t.app.hasRequestDecorator('isMultipart'), false);
      const r = await postParts(t, contributor.client, '/media/uploads', [file('scoped.jpg', await jpeg())], {
        csrfHeader: contributor.csrf,
        accept: 'application/json',
      });
      assert.equal(r.status, 200, r.body);
    });

    test('the form without the script stores each good file and says why each other one was refused', async () => {
      const before = await mediaCount();
      const page = await contributor.client.get(`${ADMIN}/media/upload`);
      assert.equal(page.status, 200);
      assert.match(page.body, /enctype="multipart\/form-data"/);
      assert.match(page.body, /\/admin-assets\/[0-9a-f]+\/media-upload\.js/);
      const bomb = await sharp({ create: { width: 2500, height: 2500, channels: 3, background: '#fff' } })
        .png({ compressionLevel: 9 })
        .toBuffer();

      const r = await postParts(t, contributor.client, '/media/upload', [
        { name: 'csrf', value: contributor.csrf },
        file('harbour.jpg', await jpeg()),
        file('notes.txt', Buffer.from('Meeting notes, not a photo.\n'), 'text/plain'),
        file('huge.png', await noisyPng(), 'image/png'),
        file('bomb.png', bomb, 'image/png'),
        file('quay.jpg', await jpeg()),
      ]);
      // The first refusal's status; every outcome is on the page.
      assert.equal(r.status, 415, r.body.slice(0, 500));
      assert.match(r.body, /harbour\.jpg[\s\S]*Stored: open it/);
      assert.match(r.body, /notes\.txt[\s\S]*DATELINE_ERR_MEDIA_UNSUPPORTED_TYPE/);
      assert.match(r.body, /huge\.png[\s\S]*DATELINE_ERR_MEDIA_TOO_LARGE/);
      assert.match(r.body, /bomb\.png[\s\S]*DATELINE_ERR_MEDIA_TOO_LARGE/);
      assert.match(r.body, /quay\.jpg[\s\S]*Stored: open it/);
      assert.equal(await mediaCount(), before + 2);
      const mine = await ctx.db.kysely
        .selectFrom('media')
        .select(['filename', 'uploaded_by'])
        .where('filename', 'in', ['harbour.jpg', 'quay.jpg', 'notes.txt', 'huge.png', 'bomb.png'])
        .orderBy('filename')
        .execute();
      assert.deepEqual(mine, [
        { filename: 'harbour.jpg', uploaded_by: contributor.userId },
        { filename: 'quay.jpg', uploaded_by: contributor.userId },
      ]);
    });

    test('the script’s endpoint answers each file in JSON, with its reason when refused', async () => {
      const ok = await postParts(t, contributor.client, '/media/uploads', [file('one.jpg', await jpeg())], {
        csrfHeader: contributor.csrf,
        accept: 'application/json',
      });
      assert.equal(ok.status, 200, ok.body);
      const [outcome] = ok.json.outcomes as { ok: boolean; id: number; url: string; existing: boolean }[];
      assert.deepEqual(
        [outcome!.ok, outcome!.existing, outcome!.url],
        [true, false, `/media/${outcome!.id}`],
      );
      assert.equal((await record(outcome!.id)).uploadedBy, contributor.userId);

      const big = await postParts(
        t,
        contributor.client,
        '/media/uploads',
        [file('big.png', await noisyPng(), 'image/png')],
        {
          csrfHeader: contributor.csrf,
          accept: 'application/json',
        },
      );
      assert.equal(big.status, 413);
      assert.deepEqual(
        (big.json.outcomes as { ok: boolean; code: string }[]).map((o) => [o.ok, o.code]),
        [[false, 'DATELINE_ERR_MEDIA_TOO_LARGE']],
      );
      const none = await postParts(t, contributor.client, '/media/uploads', [{ name: 'other', value: 'x' }], {
        csrfHeader: contributor.csrf,
        accept: 'application/json',
      });
      assert.equal(none.status, 400);
      assert.equal((none.json.error as { code: string }).code, 'DATELINE_ERR_MEDIA_INVALID');
    });

    test('takes at most twenty files in one post and says the rest were not read', async () => {
      const before = await mediaCount();
      const parts: Part[] = [{ name: 'csrf', value: contributor.csrf }];
      for (let i = 0; i < 22; i++) parts.push(file(`many-${i}.jpg`, await jpeg(16, 16)));
      const r = await postParts(t, contributor.client, '/media/upload', parts);
      assert.equal(r.status, 413);
      assert.match(r.body, /Only the first 20 files were taken/);
      assert.equal(await mediaCount(), before + 20);
    });

    test('refuses without a session, from another site, without the token or the role, storing nothing', async () => {
      const before = await mediaCount();
      const parts = (csrf: string) => [{ name: 'csrf', value: csrf }, file('refused.jpg', Buffer.alloc(0))];
      const good = await jpeg();
      const withFile = (csrf: string) => [{ name: 'csrf', value: csrf }, file('refused.jpg', good)];

      const anonymous = await postParts(t, null, '/media/uploads', [file('x.jpg', good)], {
        csrfHeader: 'x',
        accept: 'application/json',
      });
      assert.equal(anonymous.status, 401);
      assert.equal((anonymous.json.error as { code: string }).code, 'DATELINE_ERR_STAFF_SIGN_IN_REQUIRED');
      const anonymousForm = await postParts(t, null, '/media/upload', withFile('x'));
      assert.equal(anonymousForm.status, 401);

      const crossSite = await postParts(t, contributor.client, '/media/upload', withFile(contributor.csrf), {
        crossSite: true,
      });
      assert.equal(crossSite.status, 403);
      assert.match(crossSite.body, /DATELINE_ERR_CSRF_REJECTED/);
      const noToken = await postParts(t, contributor.client, '/media/upload', [file('x.jpg', good)]);
      assert.equal(noToken.status, 403);
      assert.match(noToken.body, /DATELINE_ERR_CSRF_REJECTED/);
      // The token must come before the files: read after them, it would be read after the files were.
      const tokenLast = await postParts(t, contributor.client, '/media/upload', [
        file('x.jpg', good),
        { name: 'csrf', value: contributor.csrf },
      ]);
      assert.equal(tokenLast.status, 403);
      const wrongHeader = await postParts(t, contributor.client, '/media/uploads', [file('x.jpg', good)], {
        csrfHeader: 'not-the-token',
        accept: 'application/json',
      });
      assert.equal(wrongHeader.status, 403);

      const modForm = await postParts(t, moderator.client, '/media/upload', withFile(moderator.csrf));
      assert.equal(modForm.status, 403);
      assert.match(modForm.body, /DATELINE_ERR_FORBIDDEN/);
      const modJson = await postParts(t, moderator.client, '/media/uploads', [file('x.jpg', good)], {
        csrfHeader: moderator.csrf,
        accept: 'application/json',
      });
      assert.equal(modJson.status, 403);
      assert.equal((modJson.json.error as { code: string }).code, 'DATELINE_ERR_FORBIDDEN');
      assert.equal((await moderator.client.get(`${ADMIN}/media`)).status, 403);
      assert.equal((await moderator.client.get(`${ADMIN}/media/upload`)).status, 403);

      assert.equal(await mediaCount(), before);
      void parts;
    });
  });

  describe('the library', () => {
    test('lists pictures newest first with their use, finds them by their text, and pages', async () => {
      const used = await uploadAs(contributor, 'used-lead.jpg', 'Ferry at the pier, searchable-ferry');
      const unused = await uploadAs(contributor, 'unused.jpg', 'Lighthouse, searchable-lighthouse');
      await t.rt.articles.create(
        {
          siteId: site.site.id,
          sectionId: site.world.id,
          headline: 'Ferries return',
          bodyHtml: `<p>Text.</p><figure><img src="/media/${used.id}/800.webp" alt=""></figure>`,
        },
        'test',
      );
      const all = await contributor.client.get(`${ADMIN}/media`);
      assert.equal(all.status, 200);
      assert.match(all.body, /aria-current="page"[^>]*>Pictures|Pictures<\/a>/);
      assert.ok(
        all.body.indexOf(`/media/${unused.id}"`) < all.body.indexOf(`/media/${used.id}"`),
        'newest first',
      );
      const found = await contributor.client.get(`${ADMIN}/media?q=SEARCHABLE-ferry`);
      assert.match(found.body, new RegExp(`href="/media/${used.id}"`));
      assert.doesNotMatch(found.body, new RegExp(`href="/media/${unused.id}"`));
      assert.match(found.body, /Used in 1 story/);
      const nothing = await contributor.client.get(`${ADMIN}/media?q=no-such-picture-anywhere`);
      assert.match(nothing.body, /No picture matches/);
      // Crops in the grid carry the focal version.
      assert.match(found.body, new RegExp(`/media/${used.id}/1x1-v0/480\\.webp`));
    });

    test('answers the same search in JSON for pickers on other screens', async () => {
      const picture = await uploadAs(contributor, 'picker.jpg', 'Picker test, unique-picker-word');
      const r = await adminJson(
        t,
        editor.client,
        'GET',
        '/media/library.json?q=unique-picker-word',
        editor.csrf,
      );
      assert.equal(r.status, 200, r.body);
      const body = r.json as { total: number; items: Record<string, unknown>[] };
      assert.equal(body.total, 1);
      assert.deepEqual(body.items[0], {
        id: picture.id,
        caption: 'Picker test, unique-picker-word',
        credit: '',
        alt: '',
        filename: 'picker.jpg',
        width: picture.width,
        height: picture.height,
        stories: 0,
        page: `/media/${picture.id}`,
        thumbnail: `/media/${picture.id}/1x1-v0/480.webp`,
        src: `/media/${picture.id}/1200.webp`,
      });
      const mod = await adminJson(t, moderator.client, 'GET', '/media/library.json', moderator.csrf);
      assert.equal(mod.status, 403);
    });

    test('a picture’s page shows its text, file and the stories using it', async () => {
      const picture = await uploadAs(contributor, 'page.jpg', 'A quiet harbour');
      const story = await t.rt.articles.create(
        {
          siteId: site.site.id,
          sectionId: site.world.id,
          headline: 'Harbour story',
          bodyHtml: '<p>x</p>',
          leadMediaId: picture.id,
        },
        'test',
      );
      const page = await editor.client.get(`${ADMIN}/media/${picture.id}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /A quiet harbour/);
      assert.match(page.body, /page\.jpg/);
      assert.match(page.body, /Connie Contributor/);
      assert.match(page.body, new RegExp(`href="/stories/${story.article.id}">Harbour story</a>`));
      assert.match(page.body, /lead picture/);
      assert.match(page.body, /media-focal\.js/);
      // The pictures the page shows come from the admin host itself.
      for (const url of [`/media/${picture.id}/1200.jpg`, `/media/${picture.id}/16x9-v0/480.webp`]) {
        assert.match(page.body, new RegExp(url.replace(/[/.]/g, '\\$&')));
        const img = await t.app.inject({ url, headers: { host: 'admin.localhost:3000' } });
        assert.equal(img.statusCode, 200, url);
        assert.match(String(img.headers['content-type']), /^image\//);
      }
      assert.equal((await editor.client.get(`${ADMIN}/media/987654`)).status, 404);
      assert.equal((await editor.client.get(`${ADMIN}/media/abc`)).status, 404);
    });
  });

  describe('changing a picture', () => {
    test('the uploader changes their own picture’s text; the change is recorded beside the text as sent', async () => {
      const picture = await uploadAs(contributor, 'own.jpg');
      const r = await contributor.client.post(`${ADMIN}/media/${picture.id}/text`, {
        csrf: contributor.csrf,
        caption: 'Boats at first light',
        credit: 'Connie Contributor',
        alt: 'Fishing boats moored in a row',
      });
      assert.equal(r.status, 303, r.body.slice(0, 400));
      assert.equal(r.headers.location, `/media/${picture.id}?done=media-text-saved`);
      const after = await record(picture.id);
      assert.deepEqual(
        [after.caption, after.credit, after.alt, after.sentCaption, after.textEditedBy],
        [
          'Boats at first light',
          'Connie Contributor',
          'Fishing boats moored in a row',
          '',
          contributor.userId,
        ],
      );
      const page = await contributor.client.follow(r);
      assert.match(page.body, /Caption, credit and alt text saved/);
      assert.match(page.body, /As first sent/);
      assert.match(page.body, /Changed by Connie Contributor/);

      // A field the form leaves out stays as it is.
      await contributor.client.post(`${ADMIN}/media/${picture.id}/text`, {
        csrf: contributor.csrf,
        alt: 'Boats in a row',
      });
      assert.equal((await record(picture.id)).caption, 'Boats at first light');
      assert.equal((await record(picture.id)).alt, 'Boats in a row');
    });

    test('a wire picture keeps the agency’s text until an editor changes it; contributors cannot', async () => {
      const wire = await t.rt.media.addImage(await jpeg(), {
        caption: 'REUTERS caption as sent',
        credit: 'Reuters/Jo Bloggs',
      });
      const beforeAudit = await auditCount('media.text_changed');

      for (const who of [contributor, otherContributor]) {
        const text = await who.client.post(`${ADMIN}/media/${wire.id}/text`, {
          csrf: who.csrf,
          caption: 'Changed',
        });
        assert.equal(text.status, 403);
        assert.match(text.body, /DATELINE_ERR_FORBIDDEN/);
        const focal = await who.client.post(`${ADMIN}/media/${wire.id}/focal`, {
          csrf: who.csrf,
          x: '0.1',
          y: '0.1',
        });
        assert.equal(focal.status, 403);
      }
      const page = await contributor.client.get(`${ADMIN}/media/${wire.id}`);
      assert.match(page.body, /Only whoever uploaded this picture, or an editor, can change it/);
      assert.doesNotMatch(page.body, /Save text/);
      assert.deepEqual(await record(wire.id), wire);
      assert.equal(await auditCount('media.text_changed'), beforeAudit);

      const r = await editor.client.post(`${ADMIN}/media/${wire.id}/text`, {
        csrf: editor.csrf,
        caption: 'Our own caption',
        credit: 'Reuters/Jo Bloggs',
        alt: 'A crowd on the quay',
      });
      assert.equal(r.status, 303);
      const after = await record(wire.id);
      assert.deepEqual(
        [after.caption, after.sentCaption, after.sentCredit, after.textEditedBy],
        ['Our own caption', 'REUTERS caption as sent', 'Reuters/Jo Bloggs', editor.userId],
      );
      assert.equal(await auditCount('media.text_changed'), beforeAudit + 1);
      const shown = await editor.client.get(`${ADMIN}/media/${wire.id}`);
      assert.match(shown.body, /REUTERS caption as sent/);
      assert.match(shown.body, /Changed by Eddie Editor/);
    });

    test('another contributor’s picture is read-only for a contributor and editable for an editor', async () => {
      const theirs = await uploadAs(otherContributor, 'theirs.jpg', 'Theirs');
      const refused = await contributor.client.post(`${ADMIN}/media/${theirs.id}/text`, {
        csrf: contributor.csrf,
        caption: 'Mine now',
      });
      assert.equal(refused.status, 403);
      assert.equal((await record(theirs.id)).caption, 'Theirs');
      const allowed = await editor.client.post(`${ADMIN}/media/${theirs.id}/text`, {
        csrf: editor.csrf,
        caption: 'Edited by the desk',
      });
      assert.equal(allowed.status, 303);
      assert.equal((await record(theirs.id)).caption, 'Edited by the desk');
    });

    test('text over the limits comes back to the form with the problem, changing nothing', async () => {
      const picture = await uploadAs(contributor, 'long.jpg', 'Short');
      const r = await contributor.client.post(`${ADMIN}/media/${picture.id}/text`, {
        csrf: contributor.csrf,
        caption: 'Longer',
        credit: 'x'.repeat(301),
      });
      assert.equal(r.status, 400);
      assert.match(r.body, /DATELINE_ERR_MEDIA_DETAILS_INVALID|over the 300 kept/);
      assert.match(r.body, /aria-invalid="true"/);
      assert.match(r.body, />Longer</);
      assert.equal((await record(picture.id)).caption, 'Short');
    });

    test('the focal point moves with the form, and the crops’ addresses change with it', async () => {
      const picture = await uploadAs(contributor, 'focal.jpg');
      const r = await contributor.client.post(`${ADMIN}/media/${picture.id}/focal`, {
        csrf: contributor.csrf,
        x: '0.25',
        y: '0.8',
      });
      assert.equal(r.status, 303);
      const after = await record(picture.id);
      assert.deepEqual([after.focalX, after.focalY, after.focalVersion], [0.25, 0.8, 1]);
      const page = await contributor.client.get(`${ADMIN}/media/${picture.id}`);
      assert.match(page.body, new RegExp(`/media/${picture.id}/16x9-v1/480\\.webp`));
      assert.match(page.body, /name="x"[^>]*value="0\.25"|value="0\.25"[^>]*name="x"/);
      // The old crop's address now leads to the new one.
      const old = await t.app.inject({
        url: `/media/${picture.id}/16x9-v0/480.webp`,
        headers: { host: 'news.localhost:3000' },
      });
      assert.equal(old.statusCode, 301);
      assert.equal(old.headers.location, `/media/${picture.id}/16x9-v1/480.webp`);

      for (const bad of [
        { x: '1.5', y: '0.5' },
        { x: '', y: '0.5' },
        { x: 'left', y: '0.5' },
      ]) {
        const refused = await contributor.client.post(`${ADMIN}/media/${picture.id}/focal`, {
          csrf: contributor.csrf,
          ...bad,
        });
        assert.equal(refused.status, 400, JSON.stringify(bad));
        assert.match(refused.body, /outside the picture/);
      }
      assert.equal((await record(picture.id)).focalVersion, 1);
      const noToken = await contributor.client.post(`${ADMIN}/media/${picture.id}/focal`, {
        x: '0.5',
        y: '0.5',
      });
      assert.equal(noToken.status, 403);
      assert.equal((await record(picture.id)).focalVersion, 1);
    });
  });
});

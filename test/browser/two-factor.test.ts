// Two-factor sign-in in a real browser (Debian's Chromium), with Chromium's virtual WebAuthn authenticator
// (DevTools protocol) standing in for a security key: an admin signing in for the first time is led to set
// up an authenticator app, scans nothing but types the key's code, keeps the recovery codes and reaches the
// dashboard; signing in again asks for the code. An editor adds a passkey from Security with the screen's
// script (its first second step, so the recovery codes appear in the page), then signs in with it. The
// console stays clean (no CSP violations); screenshots at 1280 and 390 px, light and dark, go to
// test/browser/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FAST_ARGON2 } from '../../src/accounts/testing.ts';
import { base32Decode, hotp, timeStep } from '../../src/accounts/totp.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { buildServer } from '../../src/web/server.tsx';
import { launchBrowser } from './browser.ts';

const PASSWORD = 'harbour-lantern-okapi';
const SHOTS = join(import.meta.dirname, 'screenshots');
const BOUNDED = { timeout: 60_000 };

let rt: Runtime;
let app: Awaited<ReturnType<typeof buildServer>>;
let browser: Browser;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

const ADMIN = () => `http://admin.localhost:${port}`;

before(async () => {
  port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dateline-two-factor-browser-'));
  const config = loadConfig(
    {
      DATELINE_DATA_DIR: dir,
      DATABASE_URL: ':memory:',
      LOG_LEVEL: 'silent',
      DATELINE_DEMO: 'false',
      PORT: String(port),
      ...FAST_ARGON2,
    },
    dir,
  );
  rt = await openRuntime(config, { error: () => {} });
  await rt.sites.create({ slug: 'news', name: 'The Meridian Dispatch', hosts: ['news.localhost'] });
  await rt.directory.load();
  app = await buildServer(rt, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await rt?.close();
});

async function openPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // A refused code answers 401 or 400, which Chromium logs as a failed resource.
    if (m.type() === 'error' && !/status of 40[01]/.test(m.text()))
      problems.push(`${m.location().url}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, problems };
}

async function passwordStep(page: Page, email: string): Promise<void> {
  await page.goto(`${ADMIN()}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: /Sign in/ }).click();
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({
        path: join(SHOTS, `two-factor-${name}-${width}-${scheme}.png`),
        fullPage: true,
      });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width} px is ${overflow} px wider than the screen`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Chromium's software authenticator on this page: a platform passkey that always says the user is there. */
async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

test(
  'an admin is led to set up an app at first sign-in, and signing in again asks for its code',
  BOUNDED,
  async () => {
    const email = 'ada.admin@example.com';
    const admin = await rt.accounts.createUser({
      email,
      displayName: 'Ada Admin',
      password: PASSWORD,
      roles: [{ role: 'admin', siteId: null }],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context);
    await passwordStep(page, email);
    await page.waitForURL(/\/security\/two-factor\?next=%2F$/);
    await page.getByRole('heading', { name: 'Set up an authenticator app' }).waitFor();
    assert.ok(await page.getByRole('img', { name: /QR code/ }).isVisible());
    await shoot(page, 'enrol');
    const key = base32Decode((await page.locator('.adm-secret code').textContent()) ?? '')!;
    // A wrong code keeps the same key on the page.
    await page.getByLabel('Code the app now shows').fill(hotp(key, timeStep(new Date()) + 4));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.adm-problem').waitFor();
    await page.getByLabel('Code the app now shows').fill(hotp(key, timeStep(new Date())));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    assert.equal(await page.locator('.adm-codes li').count(), 10);
    await shoot(page, 'recovery-codes');
    await page.getByRole('link', { name: 'I have kept them' }).click();
    await page.waitForURL(`${ADMIN()}/`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    // Signing in again: the password, then the app's next code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await passwordStep(page, email);
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    await shoot(page, 'second-step');
    await page.getByLabel('Code from your authenticator app').fill(hotp(key, timeStep(new Date()) + 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${ADMIN()}/`);
    assert.equal(await rt.staff.sessions.list(admin.id).then((l) => l.length > 0), true);
    assert.deepEqual(problems, []);
    await context.close();
  },
);

test('an editor adds a passkey from Security and signs in with it', BOUNDED, async () => {
  const email = 'pat.passkey@example.com';
  await rt.accounts.createUser({
    email,
    displayName: 'Pat Passkey',
    password: PASSWORD,
    roles: [{ role: 'editor', siteId: null }],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, problems } = await openPage(context);
  await virtualAuthenticator(context, page);
  await passwordStep(page, email);
  await page.waitForURL(`${ADMIN()}/`);
  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByRole('heading', { name: 'Security' }).waitFor();
  // The script found WebAuthn: the form shows and the "needs JavaScript" note hides.
  await page.getByLabel('Name for the new passkey').fill('Work laptop');
  assert.equal(await page.getByText('Adding a passkey needs JavaScript').isVisible(), false);
  await shoot(page, 'security');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  // The account's first second step: its recovery codes appear in the page, once.
  await page.locator('[data-passkey-codes] .adm-codes li').nth(9).waitFor();
  await page.getByRole('link', { name: 'I have kept them' }).click();
  await page.waitForURL(/done=passkey-added/);
  await page.getByText('Work laptop', { exact: true }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await passwordStep(page, email);
  await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await page.waitForURL(`${ADMIN()}/`);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

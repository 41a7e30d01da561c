// A new reader in a real browser, JavaScript or not: register → read the verify mail from the test SMTP
// server → verify → log out → forgot password → reset → log in on one site → signed in on a sister site →
// log in with the test OIDC provider → link it to the account → delete the account. The console must stay
// clean (no CSP violations: the hop is a navigation, not a blocked form redirect).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { linkIn, startOidcProvider, startSmtpSink } from '../../src/accounts/testing.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { buildServer } from '../../src/web/server.tsx';
import { launchBrowser } from './browser.ts';

const EMAIL = 'browser.reader@example.com';
const PASSWORD = 'amber-orchard-telescope';
const NEW_PASSWORD = 'quiet-meadow-compass';

let rt: Runtime;
let app: Awaited<ReturnType<typeof buildServer>>;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let op: Awaited<ReturnType<typeof startOidcProvider>>;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

before(async () => {
  port = await freePort();
  smtp = await startSmtpSink();
  op = await startOidcProvider(
    { reader: { sub: 'reader-sub', email: EMAIL, email_verified: true, name: 'Browser Reader' } },
    { port },
  );
  const dir = mkdtempSync(join(tmpdir(), 'dateline-accounts-browser-'));
  const providers = [
    {
      kind: 'oidc',
      id: 'oidc',
      name: 'Test ID',
      issuer: op.issuer,
      clientId: op.clientId,
      clientSecret: op.clientSecret,
    },
  ];
  const config = loadConfig(
    {
      DATELINE_DATA_DIR: dir,
      DATABASE_URL: ':memory:',
      LOG_LEVEL: 'silent',
      DATELINE_DEMO: 'false',
      SMTP_URL: smtp.url,
      DATELINE_AUTH_PROVIDERS: JSON.stringify(providers),
    },
    dir,
  );
  rt = await openRuntime(config, { error: () => {} });
  const news = await rt.sites.create({ slug: 'news', name: 'The Meridian Times', hosts: ['news.localhost'] });
  await rt.sections.create(news.id, { slug: 'world', name: 'World' });
  const life = await rt.sites.create({
    slug: 'life',
    name: 'Lifestyle Daily',
    hosts: ['life.localhost'],
    primaryColor: '#2d5a27',
  });
  await rt.sections.create(life.id, { slug: 'food', name: 'Food' });
  await rt.directory.load();
  app = await buildServer(rt, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
  await rt?.close();
  await smtp?.close();
  await op?.close();
});

const NEWS = () => `http://news.localhost:${port}`;
const LIFE = () => `http://life.localhost:${port}`;

async function mailLink(path: string, n: number): Promise<string> {
  const mails = await smtp.waitFor(EMAIL, n);
  return linkIn(mails[n - 1]!.text, path);
}

async function header(page: Page): Promise<string> {
  return ((await page.locator('#account-links').textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

test('a reader goes from registration to deletion across two sites and a provider', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // Only our pages count: the test provider's own login pages ask for web fonts it cannot reach.
    if (m.type() === 'error' && m.location().url.includes('.localhost:'))
      problems.push(`${m.location().url}: ${m.text()}`);
  });

  // Register.
  await page.goto(`${NEWS()}/`);
  assert.equal(await header(page), 'Register / Login');
  await page.getByRole('link', { name: 'Register' }).click();
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByLabel('Name to show').fill('Browser Reader');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();

  // Verify from the mail that arrived over SMTP: signs in, on both sites.
  await page.goto(await mailLink('/account/verify?t=', 1));
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await page.getByText('Your email address is confirmed').waitFor();
  assert.equal(new URL(page.url()).host, `news.localhost:${port}`);
  assert.match(await header(page), /^Browser Reader\s*Log out$/);

  // Log out (ends the sign-in on both sites).
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.getByText('You are logged out').waitFor();
  await page.goto(`${LIFE()}/`);
  assert.equal(await header(page), 'Register / Login');

  // Forgot password → reset.
  await page.goto(`${NEWS()}/account/login`);
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await page.goto(await mailLink('/account/reset?t=', 2));
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByText('Your new password is set').waitFor();

  // Log in on one site; signed in on the sister site too.
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${NEWS()}/`);
  assert.match(await header(page), /^Browser Reader/);
  await page.goto(`${LIFE()}/`);
  assert.match(await header(page), /^Browser Reader/);

  // Log out, then sign in with the OIDC provider: the email matches, so it links after the password.
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.goto(`${NEWS()}/account/login`);
  await page.getByRole('link', { name: 'Test ID' }).click();
  await page.locator('input[name="login"]').fill('reader');
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click(); // consent
  await page.getByText('Log in to your account to link the two').waitFor();
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('The login is linked to your account').waitFor();
  assert.match((await page.locator('#logins ~ table').first().textContent()) ?? '', /Test ID/);

  // Delete the account.
  await page.getByLabel('Type "delete" to confirm').fill('delete');
  await page.locator('form[action="/account/delete"]').getByLabel('Your password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('heading', { name: 'Your account is deleted' }).waitFor();
  await page.goto(`${LIFE()}/`);
  assert.equal(await header(page), 'Register / Login');
  assert.equal(await rt.accounts.findByEmail(EMAIL), null);
  assert.deepEqual(problems, []);
  await context.close();
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { launchChromium, SCREENSHOTS } from './support/browser.js';

/**
 * Sign-up with the proof-of-work challenge solved in the browser, then two-factor sign-in end to end
 * in Debian's Chromium: set up with codes computed here from the secret the page shows, log out,
 * log in with a code, then with a recovery code (once only).
 */
const WAIT = { timeout: 20_000 };

describe('two-factor sign-in in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  let page: Page;
  const username = `tfa_${process.pid}`;
  const password = 'tfa-password-123';
  let secret = '';
  let recoveryCodes: string[] = [];

  /** The code the authenticator app shows at the panel's time. */
  const code = () => generate({ secret, epoch: Math.floor(panel.clock.now() / 1000) });

  async function logOut(): Promise<void> {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor(WAIT);
  }

  async function logInWithPassword(): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Code from your authenticator app (or a recovery code)').waitFor(WAIT);
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    panel = await TestPanel.start({ signIn: { challenge: true, signUpsPerHour: 20 } });
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('signs up, solving the challenge in the page', async () => {
    await page.goto(`${panel.baseUrl}/signup`);
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor(WAIT);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.com`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { level: 1, name: 'New order' }).waitFor(WAIT);
  });

  it('sets up two-factor sign-in from the QR page with a code computed from the secret', async () => {
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByRole('img', { name: 'QR code of the two-factor secret' }).waitFor(WAIT);
    secret = (await page.getByTestId('two-factor-secret').textContent(WAIT))!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'two-factor-setup-desktop.png'), fullPage: true });
    await page.getByLabel('Code from the app').fill(await code());
    await page.getByRole('button', { name: 'Turn on' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await list.waitFor(WAIT);
    recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((text) => text.trim());
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('heading', { name: 'Two-factor sign-in is on' }).waitFor(WAIT);
  });

  it('logs in with a code from the app after the password', async () => {
    await logOut();
    panel.clock.advance(30_000);
    await logInWithPassword();
    await page.screenshot({ path: join(SCREENSHOTS, 'two-factor-login-desktop.png'), fullPage: true });
    await page.getByLabel('Code from your authenticator app (or a recovery code)').fill(await code());
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: `Hello, ${username}` }).waitFor(WAIT);
  });

  it('logs in with a recovery code once; the second time it is refused', async () => {
    await logOut();
    await logInWithPassword();
    await page.getByLabel('Code from your authenticator app (or a recovery code)').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: `Hello, ${username}` }).waitFor(WAIT);

    await logOut();
    await logInWithPassword();
    await page.getByLabel('Code from your authenticator app (or a recovery code)').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Wrong or already used code').waitFor(WAIT);
    expect(await page.getByRole('heading', { level: 1, name: `Hello, ${username}` }).count()).toBe(0);
  });
});

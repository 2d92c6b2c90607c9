import { join } from 'node:path';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';

/**
 * What every browser test needs: Debian's Chromium driven by playwright-core, the usual wait, the
 * viewports, the screenshot folder, and the steps nearly every test takes (sign in, open a page by
 * its path and see its heading, watch the console for what the Content-Security-Policy blocked).
 */

/** The Chromium to drive; `SMMKIT_CHROMIUM` overrides Debian's. */
export const CHROMIUM = process.env.SMMKIT_CHROMIUM ?? '/usr/bin/chromium';

/** How long a step may take to show its result before the test fails. */
export const WAIT = { timeout: 10_000 };

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

/** Where screenshots go (test-results/screenshots at the repository root); create it before use. */
export const SCREENSHOTS = join(import.meta.dirname, '../../../../test-results/screenshots');

/** Starts Chromium headless, as the sandbox-less test machines need it. Close it in `afterAll`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** Opens `path` on the panel at `baseUrl` and waits for the page's level-1 heading `heading`. */
export async function visit(
  page: Page,
  baseUrl: string,
  path: string,
  heading: string,
  wait: { timeout: number } = WAIT,
): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor(wait);
}

/** What a signed-in page shows: the Log out button (the default of {@link logIn}). */
export const logOutButton = (page: Page): Locator => page.getByRole('button', { name: 'Log out' });
/** What a signed-in page shows: the main navigation. */
export const mainNavigation = (page: Page): Locator => page.getByRole('navigation', { name: 'Main' });

export interface LogInOptions {
  /** What must appear once signed in; by default the Log out button. */
  readonly signedIn?: (page: Page) => Locator;
  readonly wait?: { timeout: number };
}

/**
 * Signs in through the login page: opens /login and waits for its "Log in" heading, fills Username
 * and Password, presses Log in, and waits until `signedIn` shows the session has started.
 */
export async function logIn(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  { signedIn = logOutButton, wait = WAIT }: LogInOptions = {},
): Promise<void> {
  await visit(page, baseUrl, '/login', 'Log in', wait);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await signedIn(page).waitFor(wait);
}

/**
 * Collects into `into` every console message of `page` about the Content-Security-Policy (what it
 * blocked), matched case-insensitively; a test expects `into` to stay empty.
 */
export function collectCspViolations(page: Page, into: string[]): void {
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) into.push(message.text());
  });
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { DESKTOP, PHONE, SCREENSHOTS, WAIT, launchChromium, logIn, visit } from './support/browser.js';

/**
 * The public pages in Chromium: hostile Markdown written through Admin › Pages (with the server's
 * preview) renders inert; the pages read with JavaScript off; Arabic is right to left without
 * horizontal overflow on a phone; the landing page's paint time and weight, with no script loaded.
 */

const HOSTILE = [
  'Safe **terms** for everyone.',
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 2">',
  '[click me](javascript:window.__pwned=3)',
  '<a href="#" id="tap" onclick="window.__pwned=4">tap me</a>',
  '<svg onload="window.__pwned=5"></svg>',
  '<iframe src="javascript:parent.__pwned=6"></iframe>',
  '<details open ontoggle="window.__pwned=7">x</details>',
].join('\n\n');

/** What a page holds that could run: script elements, event attributes, javascript: URLs, frames. */
async function activeContent(page: Page) {
  return page.evaluate(() => {
    const all = Array.from(document.querySelectorAll('*'));
    return {
      scripts: document.scripts.length,
      handlers: all.flatMap((el) =>
        Array.from(el.attributes)
          .filter((a) => /^on/i.test(a.name))
          .map((a) => a.name),
      ),
      javascriptUrls: all.filter((el) =>
        ['href', 'src', 'action', 'formaction'].some((name) =>
          /^\s*javascript:/i.test(el.getAttribute(name) ?? ''),
        ),
      ).length,
      frames: document.querySelectorAll('iframe, object, embed').length,
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
    };
  });
}

describe('public pages in a browser', () => {
  let panel: TestPanel;
  let browser: Browser;
  const password = 'owner-password-123';

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    panel = await TestPanel.start();
    const owner = await createUser(panel.ctx, { username: 'pages-owner', password, role: 'owner' });
    if (!owner.ok) throw new Error(owner.failure.code);
    for (let i = 1; i <= 12; i++) {
      await panel.createService({
        name: `خدمة متابعين إنستغرام عالية الجودة مع ضمان إعادة التعبئة لمدة ثلاثين يومًا ${i}`,
        category: i % 2 === 0 ? 'Instagram' : 'تيك توك',
        rate: `${i}.12345`,
        min: 100,
        max: 10_000_000,
      });
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('an admin writes hostile Markdown through Admin › Pages with the preview; the public page renders it inert', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const admin = await context.newPage();
    const dialogs: string[] = [];
    admin.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await logIn(admin, panel.baseUrl, 'pages-owner', password);
    await visit(admin, panel.baseUrl, '/admin/pages', 'Pages');
    await admin.getByLabel('Page', { exact: true }).selectOption('terms');
    await admin.getByLabel('Page language', { exact: true }).selectOption('en');
    await admin.getByText('Not written in this language yet').waitFor(WAIT);
    await admin.getByLabel('Title', { exact: true }).fill('Terms of the test panel');
    await admin.getByLabel('Description', { exact: true }).fill('What you agree to');
    await admin.getByLabel('Body', { exact: true }).fill(HOSTILE);
    const preview = admin.getByRole('region', { name: 'Preview', exact: true });
    await preview.locator('strong', { hasText: 'terms' }).waitFor(WAIT);
    await preview.getByText('click me').click();
    await preview.getByText('tap me').click();
    expect(await activeContent(admin)).toMatchObject({
      handlers: [],
      javascriptUrls: 0,
      frames: 0,
      pwned: null,
    });
    await admin.getByRole('button', { name: 'Save page' }).click();
    await admin.getByText('Saved Terms of service (en).').waitFor(WAIT);
    await admin.getByText('Written in this language.').waitFor(WAIT);
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin-pages.png'), fullPage: true });

    // A visitor (another browser context) opens the public page: the text is there, nothing runs.
    const visitorContext = await browser.newContext({ viewport: DESKTOP });
    const visitor = await visitorContext.newPage();
    visitor.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await visit(visitor, panel.baseUrl, '/en/terms', 'Terms of the test panel');
    await visitor.locator('strong', { hasText: 'terms' }).waitFor(WAIT);
    await visitor.getByText('click me').click();
    await visitor.getByText('tap me').click();
    await visitor.waitForTimeout(300);
    expect(await activeContent(visitor)).toEqual({
      scripts: 0,
      handlers: [],
      javascriptUrls: 0,
      frames: 0,
      pwned: null,
    });
    expect(dialogs).toEqual([]);
    await visitorContext.close();
    await context.close();
  });

  it('reads with JavaScript disabled: the landing page, the price list and a text page', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    await visit(page, panel.baseUrl, '/', 'smmkit');
    await page.getByRole('link', { name: 'Create an account' }).waitFor(WAIT);
    await page.getByRole('link', { name: 'Prices', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Prices' }).waitFor(WAIT);
    await page.getByRole('heading', { level: 2, name: 'Instagram' }).waitFor(WAIT);
    expect(await page.getByRole('row').count()).toBeGreaterThan(12);
    await page.getByRole('link', { name: 'Русский' }).click();
    await page.getByRole('heading', { level: 1, name: 'Цены' }).waitFor(WAIT);
    await page.getByRole('link', { name: 'Политика конфиденциальности' }).click();
    await page.getByRole('heading', { level: 1, name: 'Политика конфиденциальности' }).waitFor(WAIT);
    await page.getByText('What we collect').waitFor(WAIT);
    await context.close();
  });

  it('Arabic pages are right to left and do not overflow a 375 px phone', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'ar' });
    const page = await context.newPage();
    for (const [path, heading] of [
      ['/ar/', 'smmkit'],
      ['/ar/prices', 'الأسعار'],
      ['/ar/faq', 'الأسئلة الشائعة'],
      ['/ar/blog', 'المدونة'],
    ] as const) {
      await visit(page, panel.baseUrl, path, heading);
      const layout = await page.evaluate(() => ({
        dir: document.documentElement.dir,
        lang: document.documentElement.lang,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        // Mirrored: the brand sits at the right edge, the text starts on the right.
        brandRight: document.querySelector('.brand')!.getBoundingClientRect().right,
        width: document.documentElement.clientWidth,
        textAlign: getComputedStyle(document.querySelector('main')!).direction,
      }));
      expect(layout, path).toMatchObject({ dir: 'rtl', lang: 'ar', overflow: 0, textAlign: 'rtl' });
      expect(layout.width - layout.brandRight, path).toBeLessThan(40);
      await page.screenshot({
        path: join(SCREENSHOTS, `public-ar${path.replaceAll('/', '-')}phone.png`),
        fullPage: true,
      });
    }
    // `/` for an Arabic browser: the Arabic landing page.
    await page.goto(`${panel.baseUrl}/`);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await context.close();
  });

  it('the landing page: first contentful paint, transfer size, and no script loaded', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const requests: { url: string; type: string }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), type: request.resourceType() }));
    const session = await context.newCDPSession(page);
    await session.send('Network.enable');
    let encodedBytes = 0;
    session.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
      encodedBytes += event.encodedDataLength;
    });
    await page.goto(`${panel.baseUrl}/`, { waitUntil: 'load' });
    await page.getByRole('heading', { level: 1, name: 'smmkit' }).waitFor(WAIT);
    const figures = await page.evaluate(async () => {
      // The paint entries are queued once the frame is painted: wait for the first contentful one.
      const fcp = await new Promise<number>((resolve) => {
        const found = performance.getEntriesByName('first-contentful-paint')[0];
        if (found) return resolve(found.startTime);
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      });
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return {
        fcp,
        transfer: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
        documentBytes: navigation.transferSize,
        resources: resources.map((r) => ({
          name: new URL(r.name).pathname,
          type: r.initiatorType,
          bytes: r.transferSize,
        })),
        scripts: document.scripts.length,
      };
    });
    // Once the page has loaded, CDP has seen every response it took.
    console.log(
      `landing page: first contentful paint ${figures.fcp.toFixed(1)} ms; transfer ${figures.transfer} B ` +
        `(document ${figures.documentBytes} B; resources ${JSON.stringify(figures.resources)}); CDP encoded ${encodedBytes} B; ` +
        `requests ${JSON.stringify(requests.map((r) => `${r.type} ${new URL(r.url).pathname}`))}`,
    );
    expect(figures.scripts).toBe(0);
    expect(requests.filter((r) => r.type === 'script')).toEqual([]);
    expect(requests.some((r) => /\/assets\//.test(r.url))).toBe(false);
    expect(requests.map((r) => r.type).sort()).toEqual(['document', 'stylesheet']);
    expect(figures.transfer).toBeGreaterThan(0);
    expect(figures.transfer).toBeLessThan(30_000);
    expect(encodedBytes).toBeLessThan(30_000);
    expect(figures.fcp).toBeGreaterThan(0);
    expect(figures.fcp).toBeLessThan(3_000);
    await context.close();
  });
});

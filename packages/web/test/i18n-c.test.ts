import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../server/src/app/api-keys/create-api-key.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { sql } from '../../server/src/store/database.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { PHONE, WAIT, launchChromium, logIn } from './support/browser.js';

/**
 * Languages in Chromium for the Affiliates, API and Webhooks pages and the admin API tokens card
 * (issue 15 item 1): in Russian and in Arabic each shows its own words, Arabic lays the page out right
 * to left, nothing overflows a 375 px phone; and a failure the server answers (the API key limit,
 * with its detail) is shown in the reader's language.
 */
describe('the Affiliates, API and Webhooks pages in Russian and Arabic', () => {
  let panel: TestPanel;
  let browser: Browser;

  beforeAll(async () => {
    panel = await TestPanel.start();
    for (const [username, role] of [
      ['i18nc_owner', 'owner'],
      ['i18nc_ru', 'customer'],
      ['i18nc_ar', 'customer'],
    ] as const) {
      const created = await createUser(panel.ctx, { username, password: `${username}-password`, role });
      if (!created.ok) throw new Error(created.failure.code);
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  /** A phone-sized page signed in as `username`, then switched to `language` by the language cookie. */
  async function phoneIn(
    username: string,
    language: string,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, panel.baseUrl, username, `${username}-password`);
    await page.setViewportSize(PHONE);
    await context.addCookies([{ name: 'smmkit_lang', value: language, url: panel.baseUrl }]);
    return { context, page };
  }

  async function open(page: Page, path: string, heading: string, level = 1): Promise<void> {
    await page.goto(`${panel.baseUrl}${path}`);
    await page.getByRole('heading', { level, name: heading, exact: true }).waitFor(WAIT);
  }

  async function layout(page: Page) {
    return page.evaluate(() => ({
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      scrollWidth: document.documentElement.scrollWidth,
    }));
  }

  it('Russian: each page in Russian, left to right, no horizontal overflow at 375 px', async () => {
    const { context, page } = await phoneIn('i18nc_ru', 'ru');
    await open(page, '/affiliates', 'Партнёрская программа');
    await page.getByRole('heading', { name: 'Ваша реферальная ссылка' }).waitFor(WAIT);
    await page.getByText('Платящие клиенты').waitFor(WAIT);
    await page.getByText('Комиссий пока нет.').waitFor(WAIT);
    expect(await page.getByText(/Делитесь ею: каждый, кто зарегистрируется/).count()).toBe(1);
    expect(await layout(page)).toMatchObject({ lang: 'ru', dir: 'ltr' });
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

    await open(page, '/api-keys', 'API');
    await page.getByRole('heading', { name: 'Ваши API-ключи' }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'Как вызывать' }).waitFor(WAIT);
    await page.getByRole('columnheader', { name: 'Состояние' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Создать ключ' }).count()).toBe(1);
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

    await open(page, '/webhooks', 'Вебхуки');
    await page.getByRole('heading', { name: 'Добавить адрес' }).waitFor(WAIT);
    await page.getByText('Адресов пока нет.').waitFor(WAIT);
    await page.getByLabel('URL адреса').fill('https://example.com/hooks');
    expect(await page.getByRole('button', { name: 'Сохранить порог' }).count()).toBe(1);
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });

  it('Russian: the API key limit (a failure with a detail) is shown in Russian with its maximum', async () => {
    // The customer's keys filled up to the limit (they hold one from their creation).
    const user = await panel.db.get<{ id: number }>(sql('SELECT id FROM users WHERE username = ?'), [
      'i18nc_ru',
    ]);
    for (;;) if (!(await createApiKey(panel.ctx, user!.id)).ok) break;
    const { context, page } = await phoneIn('i18nc_ru', 'ru');
    await open(page, '/api-keys', 'API');
    await page.getByRole('button', { name: 'Создать ключ' }).click();
    await page.getByText('Максимум активных API-ключей: 10. Сначала отзовите один из них').waitFor(WAIT);
    expect(await page.getByText('You may have at most 10 active API keys').count()).toBe(0);
    await context.close();
  });

  it('Arabic: each page in Arabic, right to left, no horizontal overflow at 375 px', async () => {
    const { context, page } = await phoneIn('i18nc_ar', 'ar');
    await open(page, '/affiliates', 'برنامج الإحالة');
    await page.getByRole('heading', { name: 'رابط الإحالة الخاص بك' }).waitFor(WAIT);
    await page.getByText('العملاء الدافعون').waitFor(WAIT);
    await page.getByRole('button', { name: 'نسخ رابط الإحالة' }).waitFor(WAIT);
    expect(await layout(page)).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

    await open(page, '/api-keys', 'API');
    await page.getByRole('heading', { name: 'مفاتيح API الخاصة بك' }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'طريقة الاستدعاء' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'إنشاء مفتاح' }).count()).toBe(1);
    expect(await layout(page)).toMatchObject({ dir: 'rtl' });
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

    await open(page, '/webhooks', 'Webhooks');
    await page.getByRole('heading', { name: 'إضافة نقطة استقبال' }).waitFor(WAIT);
    await page.getByText('تنبيه انخفاض الرصيد').waitFor(WAIT);
    expect(await layout(page)).toMatchObject({ dir: 'rtl' });
    expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });

  it('Arabic and Russian: the staff’s admin API tokens card on the Account page', async () => {
    for (const [language, title, button] of [
      ['ar', 'رموز API للإدارة', 'إنشاء رمز'],
      ['ru', 'Токены admin API', 'Создать токен'],
    ] as const) {
      const { context, page } = await phoneIn('i18nc_owner', language);
      await page.goto(`${panel.baseUrl}/account`);
      await page.getByRole('heading', { level: 2, name: title }).waitFor(WAIT);
      await page.getByLabel(language === 'ar' ? 'اسم الرمز' : 'Имя токена').fill(`bot-${language}`);
      await page.getByRole('button', { name: button }).click();
      await page
        .getByText(language === 'ar' ? 'الرمز bot-ar (انسخه الآن' : 'Токен bot-ru (скопируйте')
        .waitFor(WAIT);
      expect(await layout(page)).toMatchObject({ dir: language === 'ar' ? 'rtl' : 'ltr' });
      expect((await layout(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
      await context.close();
    }
  });
});

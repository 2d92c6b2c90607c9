import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { DESKTOP, PHONE, SCREENSHOTS, launchChromium, logIn, visit } from './support/browser.js';

/**
 * The sign-in pages, dashboard, ordering and account pages in other languages, in Debian's Chromium
 * against a real panel: a visitor picks Russian on the login page and signs up and logs in in
 * Russian (the choice then saved on the account); a customer sees the pages in Arabic, laid out
 * right to left, without horizontal overflow at phone width; English stays as it was.
 */
const WAIT = { timeout: 20_000 };

/** Whether the page is wider than the viewport (a horizontal scroll bar at phone width). */
const overflow = (page: Page) =>
  page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));

const direction = (page: Page) => page.evaluate(() => document.documentElement.dir);
const language = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('client pages in Russian and Arabic', () => {
  let panel: TestPanel;
  let browser: Browser;
  const password = 'i18n-password-123';
  const arabicUser = `arabic_${process.pid}`;
  const englishUser = `english_${process.pid}`;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    panel = await TestPanel.start();
    await panel.createService({
      name: 'Instagram Followers',
      category: 'Instagram',
      rate: '1234.5',
      min: 10,
      max: 10000,
      refill: true,
      dripfeed: true,
      description: 'Real-looking followers.',
    });
    for (const username of [arabicUser, englishUser]) {
      const created = await createUser(panel.ctx, { username, password, role: 'customer' });
      if (!created.ok) throw new Error(created.failure.code);
      await panel.fund(created.value, '1500');
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('a visitor picks Русский on the login page, signs up and logs in in Russian, and the choice is saved on the account', async () => {
    const page = await (await browser.newContext({ viewport: DESKTOP, locale: 'en-US' })).newPage();
    const username = `russian_${process.pid}`;
    await visit(page, panel.baseUrl, '/login', 'Log in', WAIT);
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('heading', { level: 1, name: 'Вход' }).waitFor(WAIT);
    expect(await language(page)).toBe('ru');
    expect(await direction(page)).toBe('ltr');
    await page.getByLabel('Имя пользователя').waitFor(WAIT);
    await page.getByRole('link', { name: 'Забыли пароль?' }).waitFor(WAIT);
    await page.getByRole('link', { name: 'Зарегистрироваться' }).click();

    await page.getByRole('heading', { level: 1, name: 'Регистрация' }).waitFor(WAIT);
    await page.getByText('Не меньше 8 символов.').waitFor(WAIT);
    await page.getByLabel('Имя пользователя').fill(username);
    await page.getByLabel('Эл. почта').fill(`${username}@example.com`);
    await page.getByLabel('Пароль').fill(password);
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();

    // Signed up: the new order page, in Russian, with the price written the Russian way.
    await page.getByRole('heading', { level: 1, name: 'Новый заказ' }).waitFor(WAIT);
    await page.getByLabel('Поиск услуг').waitFor(WAIT);
    await page.getByRole('term').filter({ hasText: 'Цена за 1000' }).waitFor(WAIT);
    const price = (await page.locator('.facts dd').nth(1).textContent())!;
    expect(price.replace(/\s/g, ' ')).toBe('1 234,50 USD');
    await page.getByLabel('Ссылка').fill('https://instagram.com/example');
    await page.getByLabel('Количество').fill('1000');
    await expect
      .poll(async () => (await page.getByLabel('Стоимость').textContent())?.replace(/\s/g, ' '), WAIT)
      .toBe('1 234,50 USD');

    // The choice the visitor made is the account's now, whatever the cookie says later.
    const session = await page.evaluate(async () => (await fetch('/web-api/session')).json());
    expect(session.user.language).toBe('ru');
    await page.context().clearCookies({ name: 'smmkit_lang' });

    await visit(page, panel.baseUrl, '/account', 'Аккаунт', WAIT);
    const languageCard = page.locator('.language-card');
    await languageCard.getByRole('heading', { name: 'Язык' }).waitFor(WAIT);
    expect(await languageCard.getByLabel('Язык').inputValue()).toBe('ru');
    await page.getByRole('button', { name: 'Сменить пароль' }).waitFor(WAIT);

    // Log out and in again: still Russian (from the account, the cookie is gone).
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor(WAIT);
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('heading', { level: 1, name: 'Вход' }).waitFor(WAIT);
    await page.getByLabel('Имя пользователя').fill(username);
    await page.getByLabel('Пароль').fill(password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { level: 1, name: `Здравствуйте, ${username}` }).waitFor(WAIT);
    await page.getByRole('link', { name: 'История баланса' }).waitFor(WAIT);
    await page.getByText('Заказов пока нет.').waitFor(WAIT);
    await page.getByRole('link', { name: 'Сделайте первый заказ' }).waitFor(WAIT);

    await visit(page, panel.baseUrl, '/services', 'Услуги', WAIT);
    await page.getByRole('columnheader', { name: 'Среднее время' }).waitFor(WAIT);
    await page.getByRole('cell', { name: 'Докрутка, Дрип-фид' }).waitFor(WAIT);
    await page.getByRole('link', { name: 'Заказать Instagram Followers' }).waitFor(WAIT);
    await visit(page, panel.baseUrl, '/mass-order', 'Массовый заказ', WAIT);
    await page.getByRole('button', { name: 'Оформить заказы' }).waitFor(WAIT);
    await visit(page, panel.baseUrl, '/security', 'Безопасность', WAIT);
    await page.getByRole('button', { name: 'Настроить двухфакторный вход' }).waitFor(WAIT);
    await page.context().close();
  });

  it('shows the dashboard, new order, services, mass order, security and account in Arabic, right to left, without overflow at 375 px', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-US' });
    await context.addCookies([{ name: 'smmkit_lang', value: 'ar', url: panel.baseUrl }]);
    const page = await context.newPage();
    await visit(page, panel.baseUrl, '/login', 'تسجيل الدخول', WAIT);
    expect(await direction(page)).toBe('rtl');
    expect((await overflow(page)).scrollWidth).toBeLessThanOrEqual(375);
    await page.getByLabel('اسم المستخدم').fill(arabicUser);
    await page.getByLabel('كلمة المرور').fill(password);
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await page.getByRole('heading', { level: 1, name: `مرحبًا، ${arabicUser}` }).waitFor(WAIT);

    const pages: [path: string, heading: string, texts: string[]][] = [
      ['/', `مرحبًا، ${arabicUser}`, ['سجل الرصيد', 'أحدث الطلبات']],
      ['/new-order', 'طلب جديد', ['البحث في الخدمات', 'تقديم الطلب', 'السعر لكل 1000']],
      ['/services', 'الخدمات', ['البحث في قائمة الأسعار', 'متوسط الوقت']],
      ['/mass-order', 'طلب جماعي', ['تقديم الطلبات']],
      ['/security', 'الأمان', ['إعداد تسجيل الدخول الثنائي']],
      ['/account', 'الحساب', ['تغيير كلمة المرور', 'البريد الإلكتروني الجديد']],
    ];
    for (const [path, heading, texts] of pages) {
      await visit(page, panel.baseUrl, path, heading, WAIT);
      for (const text of texts) await page.getByText(text, { exact: true }).first().waitFor(WAIT);
      expect(await direction(page), path).toBe('rtl');
      expect(await language(page), path).toBe('ar');
      const { scrollWidth } = await overflow(page);
      expect(scrollWidth, `${path} is ${scrollWidth} px wide`).toBeLessThanOrEqual(375);
      const name = path === '/' ? 'dashboard' : path.slice(1);
      await page.screenshot({ path: join(SCREENSHOTS, `i18n-ar-${name}-phone.png`), fullPage: true });
    }

    // The layout mirrors: the page's text starts at the right, the form's labels too.
    const heading = await page.getByRole('heading', { level: 1 }).boundingBox();
    expect(heading!.x + heading!.width).toBeGreaterThan(300);
    await context.close();
  });

  it('keeps English as it was for a customer who chose nothing', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    await logIn(page, panel.baseUrl, englishUser, password, { wait: WAIT });
    await page.setViewportSize(PHONE);
    expect(await direction(page)).toBe('ltr');
    expect(await language(page)).toBe('en');
    await visit(page, panel.baseUrl, '/', `Hello, ${englishUser}`, WAIT);
    await page.getByRole('link', { name: 'Balance history' }).waitFor(WAIT);
    await page.getByText('1,500.00 USD').first().waitFor(WAIT);
    await visit(page, panel.baseUrl, '/new-order', 'New order', WAIT);
    await page.locator('.facts').getByText('1,234.50 USD').waitFor(WAIT);
    await page.getByRole('button', { name: 'Place order' }).waitFor(WAIT);
    await visit(page, panel.baseUrl, '/services', 'Services', WAIT);
    await page.getByRole('cell', { name: 'Refill, Drip-feed' }).waitFor(WAIT);
    await visit(page, panel.baseUrl, '/account', 'Account', WAIT);
    await page
      .locator('.language-card')
      .getByText('The panel and the emails we send you use this language.')
      .waitFor(WAIT);
    expect((await overflow(page)).scrollWidth).toBeLessThanOrEqual(375);
    await context.close();
  });
});

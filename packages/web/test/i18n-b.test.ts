import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../../server/src/app/orders/update-order-status.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { DESKTOP, PHONE, WAIT, launchChromium, logIn, mainNavigation } from './support/browser.js';

/**
 * Issue 15 item 1 in Chromium for the customer's orders and money pages: Orders, Refills, Funds,
 * Add funds, Tickets and Updates in Russian (their words, the statuses, money written the Russian way)
 * and in Arabic (right to left, nothing wider than a 375 px phone).
 */

/** Russian and Arabic separate thousands and decimals with spaces and commas of their own: compare plainly. */
const plain = (text: string | null) => (text ?? '').replace(/\s/g, ' ');

describe('orders, funds and support pages in Russian and Arabic', () => {
  let panel: TestPanel;
  let browser: Browser;
  let page: Page;
  const username = `polyglot_${process.pid}`;

  /** Opens a page of the panel by its path and waits for its level-1 heading. */
  const open = async (path: string, heading: string) => {
    await page.goto(`${panel.baseUrl}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor(WAIT);
  };

  /** Chooses a language in the shell's picker and waits until the page speaks it. */
  const choose = async (language: string) => {
    await page.locator('.language-picker select').selectOption(language);
    await page.waitForFunction((lang) => document.documentElement.lang === lang, language, WAIT);
  };

  beforeAll(async () => {
    panel = await TestPanel.start();
    const created = await createUser(panel.ctx, {
      username,
      password: 'polyglot-password-1',
      role: 'customer',
    });
    if (!created.ok) throw new Error(created.failure.code);
    await panel.fund(created.value, '1234.50');
    const service = await panel.createService({ name: 'Instagram Followers', refill: true, cancel: true });
    const orders: number[] = [];
    for (const link of ['https://instagram.com/first', 'https://instagram.com/second']) {
      const placed = await panel.api({
        key: created.value.apiKey,
        action: 'add',
        service,
        link,
        quantity: 1000,
      });
      expect(placed.status).toBe(200);
      orders.push(placed.json.order as number);
    }
    const done = await updateOrderStatus(panel.ctx, {
      orderId: orders[0]!,
      status: 'Completed',
      startCount: 10,
      remains: 0,
    });
    expect(done.ok).toBe(true);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await logIn(page, panel.baseUrl, username, 'polyglot-password-1', { signedIn: mainNavigation });
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('shows Orders, Refills, Funds, Add funds, Tickets and Updates in Russian', async () => {
    await open('/orders', 'Orders');
    await choose('ru');
    await page.getByRole('heading', { level: 1, name: 'Заказы' }).waitFor(WAIT);
    const tabs = page.getByRole('navigation', { name: 'Статус заказа' });
    await tabs.getByRole('button', { name: 'Все 2' }).waitFor(WAIT);
    expect(await tabs.getByRole('button').allTextContents()).toEqual([
      'Все 2',
      'Ожидает 1',
      'В работе 0',
      'Выполнен 1',
      'Частично 0',
      'Отменён 0',
    ]);
    await page.getByRole('button', { name: 'Найти', exact: true }).waitFor(WAIT);
    await page.getByText('Выбрать все заказы на этой странице').waitFor(WAIT);
    // 1000 at 0.90 per 1000: each order charged 0.90, in Russian "0,90".
    const charges = await page.locator('td[data-label="Стоимость"]').allTextContents();
    expect(charges.map(plain)).toEqual(['0,90 USD', '0,90 USD']);
    expect((await page.locator('td[data-label="Количество"]').allTextContents()).map(plain)).toEqual([
      '1 000',
      '1 000',
    ]);

    await open('/refills', 'Докрутки');
    await page.getByText('Докруток пока нет.', { exact: false }).waitFor(WAIT);

    await open('/funds', 'Баланс');
    await page.getByRole('heading', { name: 'История баланса' }).waitFor(WAIT);
    // Funded 1234.50, two orders of 0.90: 1232.70 left, written as Russian writes money. The
    // balance has a read of its own, shown as "—" until it answers: wait for it, do not race it.
    const balance = page.getByRole('status', { name: 'Текущий баланс' });
    await expect.poll(async () => plain(await balance.textContent()), WAIT).toBe('1 232,70 USD');
    const amounts = (await page.locator('td[data-label="Сумма"]').allTextContents()).map(plain);
    expect(amounts).toContain('1 234,50 USD');
    expect(amounts).toContain('-0,90 USD');
    await page.getByRole('cell', { name: 'Пополнение' }).first().waitFor(WAIT);

    await open('/add-funds', 'Пополнить баланс');
    await page.getByText('Способов оплаты пока нет: свяжитесь с владельцем панели.').waitFor(WAIT);
    await page.getByText('Пополнений пока нет.').waitFor(WAIT);

    await open('/tickets', 'Тикеты');
    const form = page.getByRole('form', { name: 'Новый тикет' });
    await form.getByLabel('Тема').waitFor(WAIT);
    expect(await form.locator('select option').allTextContents()).toContain('Докрутка');
    await form.getByLabel('Сообщение').fill('Где мой заказ?');
    await form.getByRole('button', { name: 'Отправить' }).click();
    await page.getByRole('heading', { level: 1, name: /^Тикет #\d+$/ }).waitFor(WAIT);
    await page.getByText('открыт', { exact: true }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Отправить ответ' }).waitFor(WAIT);

    await open('/updates', 'Обновления');
    await page.getByRole('columnheader', { name: 'Что изменилось' }).waitFor(WAIT);
    // The service created above is a new service at 0.90 per 1000.
    await page.getByRole('cell', { name: 'Новая услуга' }).waitFor(WAIT);
    expect(plain(await page.locator('td[data-label="Что изменилось"]').first().textContent())).toBe(
      '0,90 USD за 1000',
    );
  });

  it('lays the same pages out right to left in Arabic, none wider than a 375 px phone', async () => {
    await open('/orders', 'Заказы');
    await choose('ar');
    await page.getByRole('heading', { level: 1, name: 'الطلبات' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.setViewportSize(PHONE);
    const pages: [string, string, string][] = [
      ['/orders', 'الطلبات', 'الكل'],
      ['/refills', 'إعادة التعبئة', 'لا توجد طلبات إعادة تعبئة بعد.'],
      ['/funds', 'الرصيد', 'سجل الرصيد'],
      ['/add-funds', 'شحن الرصيد', 'إيداعاتك'],
      ['/tickets', 'التذاكر', 'تذكرة جديدة'],
      ['/updates', 'التحديثات', 'خدمة جديدة'],
    ];
    for (const [path, heading, text] of pages) {
      await open(path, heading);
      await page.getByText(text, { exact: false }).first().waitFor(WAIT);
      expect(await page.evaluate(() => document.documentElement.dir), path).toBe('rtl');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(PHONE.width);
    }
  });
});

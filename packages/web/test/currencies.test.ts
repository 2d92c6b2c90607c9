import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRateFeed } from '../../server/src/app/currencies/read-rate-feed.js';
import { addProvider } from '../../server/src/app/providers/add-provider.js';
import { createUser } from '../../server/src/app/users/create-user.js';
import { sql } from '../../server/src/store/database.js';
import { startRateFeedServer } from '../../server/test/support/rate-feed-server.js';
import { TestPanel } from '../../server/test/support/test-panel.js';
import { launchChromium, logIn, visit as visitPage, WAIT } from './support/browser.js';

/**
 * Admin › Currencies in Chromium: a USD panel with a provider that bills in EUR (a real smmkit
 * instance whose SMMKIT_CURRENCY is EUR). Without a rate its import is refused with the reason; the
 * owner sets a rate (a bad one refused), configures a feed read by the worker, and sees each change
 * with its time and the feed's error when it fails.
 */
const countServices = sql('SELECT COUNT(*) AS count FROM services');

describe('the Currencies admin page in a browser', () => {
  let upstream: TestPanel;
  let panel: TestPanel;
  let feed: Awaited<ReturnType<typeof startRateFeedServer>>;
  let browser: Browser;
  let admin: Page;

  const visit = (path: string, heading: string) => visitPage(admin, panel.baseUrl, path, heading);

  beforeAll(async () => {
    [upstream, panel, feed] = await Promise.all([
      TestPanel.start({ currency: 'EUR' }),
      TestPanel.start(),
      startRateFeedServer(),
    ]);
    await upstream.createService({ name: 'Followers', rate: '0.90' });
    const account = await upstream.customer('10');
    const added = await addProvider(panel.ctx, {
      name: 'euro-upstream',
      url: upstream.apiUrl,
      apiKey: account.apiKey,
    });
    if (!added.ok) throw new Error(added.failure.code);
    const created = await createUser(panel.ctx, {
      username: 'owner',
      password: 'owner-password-1',
      role: 'owner',
    });
    if (!created.ok) throw new Error(created.failure.code);
    browser = await launchChromium();
    admin = await (await browser.newContext()).newPage();
    await logIn(admin, panel.baseUrl, 'owner', 'owner-password-1');
  });

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
    await upstream?.close();
    await feed?.close();
  });

  it("shows the provider's currency; without a rate its import is refused with the reason", async () => {
    await visit('/admin/providers', 'Providers');
    await admin.getByText('EUR', { exact: true }).first().waitFor(WAIT);
    await admin.getByRole('button', { name: 'Import services' }).click();
    await admin
      .getByText(
        'Provider euro-upstream bills in EUR and there is no EUR to USD exchange rate, nothing was changed',
      )
      .waitFor(WAIT);
    expect((await panel.db.get<{ count: bigint }>(countServices))!.count).toBe(0n);

    await admin.getByRole('link', { name: 'Currencies' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Currencies' }).waitFor(WAIT);
    const providers = admin.getByRole('list', { name: 'Provider currencies' });
    await providers.getByText('euro-upstream: bills in EUR').waitFor(WAIT);
    await providers.getByText('no rate: its services cannot be imported or re-priced').waitFor(WAIT);
  });

  it('the owner sets a rate; a bad one is refused and changes nothing; each change is listed', async () => {
    await visit('/admin/currencies', 'Currencies');
    const form = admin.getByRole('form', { name: 'Set a rate' });
    await form.getByLabel('Currency').fill('EUR');
    await form.getByLabel('Rate (in USD)').fill('1,0845');
    await form.getByRole('button', { name: 'Save rate' }).click();
    await form.getByText('Invalid rate: a positive decimal').waitFor(WAIT);
    await admin.getByText('No rates yet').waitFor(WAIT);

    await form.getByLabel('Currency').fill('eur');
    await form.getByLabel('Rate (in USD)').fill('1.0845');
    await form.getByRole('button', { name: 'Save rate' }).click();
    await form.getByText('1 EUR = 1.0845 USD.').waitFor(WAIT);
    const rates = admin.getByRole('table', { name: 'Exchange rates' });
    await rates.getByRole('cell', { name: '1.0845 USD' }).waitFor(WAIT);
    const history = admin.getByRole('table', { name: 'Rate changes' });
    await history.getByRole('cell', { name: '1.0845 USD' }).waitFor(WAIT);
    await admin
      .getByRole('list', { name: 'Provider currencies' })
      .getByText('(1 = 1.0845 USD)')
      .waitFor(WAIT);

    // Now the provider's services import, at the converted rate.
    await visit('/admin/providers', 'Providers');
    await admin.getByRole('button', { name: 'Import services' }).click();
    await admin.getByText('Imported 1 services from euro-upstream.').waitFor(WAIT);
  });

  it('a feed configured on the page is read by the worker; its failure is shown and the rates kept', async () => {
    feed.serve({ base: 'USD', rates: { EUR: 0.8 } });
    await visit('/admin/currencies', 'Currencies');
    const form = admin.getByRole('form', { name: 'Rate feed' });
    await form.getByLabel('Feed URL').fill(feed.url);
    await form.getByLabel('Read every').fill('5s');
    await form.getByRole('button', { name: 'Save feed' }).click();
    await form.getByText('Invalid every: at least 10s').waitFor(WAIT);
    await form.getByLabel('Read every').fill('1h');
    await form.getByRole('button', { name: 'Save feed' }).click();
    await form.getByText('Feed saved: read at once.').waitFor(WAIT);

    panel.clock.advance(1000);
    expect(await runRateFeed(panel.ctx)).toMatchObject({ read: true, changed: 1, error: null });
    await visit('/admin/currencies', 'Currencies');
    const rates = admin.getByRole('table', { name: 'Exchange rates' });
    await rates.getByRole('cell', { name: '1.25 USD' }).waitFor(WAIT);
    await rates.getByRole('cell', { name: 'feed' }).waitFor(WAIT);
    const history = admin.getByRole('table', { name: 'Rate changes' });
    await history.getByRole('cell', { name: '1.0845', exact: true }).waitFor(WAIT);

    feed.answerRaw(200, '<html>not json</html>');
    panel.clock.advance(60 * 60_000);
    expect(await runRateFeed(panel.ctx)).toMatchObject({ read: true, error: 'the feed is not JSON' });
    await visit('/admin/currencies', 'Currencies');
    await admin
      .getByRole('form', { name: 'Rate feed' })
      .getByText(/the feed is not JSON .*the rates were kept/)
      .waitFor(WAIT);
    await rates.getByRole('cell', { name: '1.25 USD' }).waitFor(WAIT);
  });
});

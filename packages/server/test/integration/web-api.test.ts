import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.js';
import { Panel } from '../../src/panel.js';
import { sql } from '../../src/store/database.js';
import { ACTIONS } from '../../src/http/api-v2/actions.js';
import type { AddressInfo } from 'node:net';
import { createDueRuns } from '../../src/app/dripfeed/create-due-runs.js';
import { purgeWebSessions } from '../../src/app/housekeeping/purge-web-sessions.js';
import { insertProvider } from '../../src/store/providers.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

const selectPasswordHash = sql('SELECT password_hash FROM users WHERE username = ?');
const asForwarded = sql(
  `UPDATE orders SET provider_order_id = '777', provider_charge = 5000, provider_currency = 'USD',
     provider_cost = 5000, dispatch_error = 'was slow once' WHERE id = ? OR parent_id = ?`,
);
const selectAudit = sql(
  "SELECT action, target, details FROM audit_log WHERE action LIKE 'funds.%' ORDER BY id",
);

describe('web panel JSON endpoints', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  describe('sessions', () => {
    it('signs up a customer with an HttpOnly SameSite=Lax cookie and a scrypt hash, then logs out', async () => {
      const web = new WebClient(panel.baseUrl);
      const anonymous = await web.get('/session');
      expect(anonymous.json).toMatchObject({
        user: null,
        csrfToken: null,
        panel: { panelName: 'smmkit', currency: 'USD' },
      });

      const username = `signup_${process.pid}`;
      const signup = await web.post('/signup', {
        username,
        password: 'correct horse battery',
        email: `${username}@example.com`,
      });
      expect(signup.status).toBe(200);
      const cookie = signup.headers.get('set-cookie')!;
      expect(cookie).toMatch(
        /^smmkit_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/,
      );
      const row = await panel.db.get<{ password_hash: string }>(selectPasswordHash, [username]);
      expect(row!.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);

      const session = await web.get('/session');
      expect(session.json.user).toMatchObject({ username, role: 'customer', balance: '0.00000' });
      expect(session.json.csrfToken).toBe(signup.json.csrfToken);

      expect((await web.post('/logout')).status).toBe(200);
      expect((await web.get('/dashboard')).status).toBe(401);
    });

    it('refuses a taken username and a short password with the use case message', async () => {
      const first = await webUser(panel);
      const web = new WebClient(panel.baseUrl);
      const taken = await web.post('/signup', {
        username: first.username,
        password: 'long enough pw',
        email: `new_${process.pid}@example.com`,
      });
      expect(taken.status).toBe(400);
      expect(taken.json.error).toBe(`Username ${first.username} is taken`);
      const short = await web.post('/signup', {
        username: `short_${process.pid}`,
        password: 'short',
        email: `short_${process.pid}@example.com`,
      });
      expect(short.json.error).toBe('Invalid password: at least 8 characters');
    });

    it('throttles logins per username from the database, so another server process refuses too', async () => {
      const user = await webUser(panel);
      const web = new WebClient(panel.baseUrl);
      for (let i = 0; i < 5; i += 1) {
        const wrong = await web.login(user.username, 'wrong password');
        expect(wrong.status).toBe(401);
        expect(wrong.json.error).toBe('Wrong username or password');
      }
      const throttled = await web.login(user.username, user.password);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('900');

      // A second server on the same database: it keeps no memory of its own, and still refuses.
      const other = buildHttpServer(
        new Panel(panel.db, { clock: panel.clock, signIn: { challenge: false, signUpsPerHour: 0 } }),
      );
      await other.listen({ port: 0, host: '127.0.0.1' });
      try {
        const { port } = other.server.address() as AddressInfo;
        const elsewhere = await new WebClient(`http://127.0.0.1:${port}`).login(user.username, user.password);
        expect(elsewhere.status).toBe(429);
      } finally {
        await other.close();
      }

      panel.clock.advance(15 * 60 * 1000 + 1);
      expect((await web.login(user.username, user.password)).status).toBe(200);
    });

    it('answers an unknown user like a wrong password', async () => {
      const web = new WebClient(panel.baseUrl);
      const unknown = await web.login(`nobody_${process.pid}`, 'whatever pw');
      expect(unknown.status).toBe(401);
      expect(unknown.json.error).toBe('Wrong username or password');
    });
  });

  describe('CSRF and roles', () => {
    it('refuses a state-changing request without the CSRF token, with a wrong one, or not as JSON', async () => {
      const service = await panel.createService();
      const user = await webUser(panel);
      const order = { params: { service: String(service), link: 'https://x/csrf', quantity: '100' } };
      const missing = await user.web.post('/orders', order, { csrf: false });
      expect(missing.status).toBe(403);
      expect(missing.json.code).toBe('CSRF');
      const saved = user.web.csrfToken;
      user.web.csrfToken = 'x'.repeat(saved!.length);
      expect((await user.web.post('/orders', order)).status).toBe(403);
      user.web.csrfToken = saved;
      const plain = await user.web.post('/orders', JSON.stringify(order), { contentType: 'text/plain' });
      expect(plain.status).toBe(415);
      const form = await user.web.post('/login', 'username=a&password=b', {
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(form.status).toBe(415);
      // Nothing was placed by the refused requests.
      expect((await user.web.get('/orders')).json.total).toBe(0);
    });

    it('refuses admin endpoints to customers (403) and to visitors (401)', async () => {
      const customer = await webUser(panel);
      for (const path of [
        '/admin/dashboard',
        '/admin/users',
        '/admin/orders',
        '/admin/audit',
        '/admin/settings',
      ]) {
        const refused = await customer.web.get(path);
        expect(refused.status, path).toBe(403);
        expect(refused.json).toEqual({ error: 'This page is for the panel owner', code: 'FORBIDDEN' });
      }
      const grab = await customer.web.post(`/admin/users/${customer.id}/funds`, {
        amount: '1000',
        memo: 'mine',
      });
      expect(grab.status).toBe(403);
      expect((await customer.web.get('/funds')).json.entries).toEqual([]);
      expect((await new WebClient(panel.baseUrl).get('/admin/dashboard')).status).toBe(401);
    });

    it('gives each staff role only its permissions, and says which in the session', async () => {
      const customer = await webUser(panel);
      const support = await webUser(panel, 'support');
      const manager = await webUser(panel, 'manager');
      const session = (await support.web.get('/session')).json.user;
      expect(session).toMatchObject({ role: 'admin', staffRole: 'support' });
      expect(session.permissions).toEqual([
        'dashboard.read',
        'users.read',
        'orders.read',
        'refills.act',
        'cancels.act',
        'tickets.read',
        'tickets.reply',
      ]);
      expect((await customer.web.get('/session')).json.user).toMatchObject({
        staffRole: null,
        permissions: [],
      });

      // Support reads customers and orders, and may not touch money, services or settings.
      for (const path of ['/admin/dashboard', '/admin/users', '/admin/orders']) {
        expect((await support.web.get(path)).status, path).toBe(200);
      }
      const grab = await support.web.post(`/admin/users/${customer.id}/funds`, { amount: '5', memo: 'x' });
      expect([grab.status, grab.json]).toEqual([
        403,
        { error: 'Your role (support) may not do this', code: 'FORBIDDEN' },
      ]);
      expect((await support.web.get('/admin/catalog')).status).toBe(403);
      expect((await support.web.get('/admin/audit')).status).toBe(403);
      expect((await customer.web.get('/funds')).json.entries).toEqual([]);

      // A manager runs customers and the catalogue, but not providers' keys or the panel's settings.
      expect(
        (await manager.web.post(`/admin/users/${customer.id}/funds`, { amount: '5', memo: 'ok' })).status,
      ).toBe(200);
      const provider = await manager.web.post('/admin/providers', {
        name: 'p',
        url: 'http://127.0.0.1:9/api/v2',
        apiKey: 'k',
      });
      expect(provider.status).toBe(403);
      const settings = await manager.web.request('PUT', '/admin/settings', {
        panelName: 'Mine',
        currency: 'USD',
      });
      expect(settings.status).toBe(403);
      expect((await manager.web.get('/admin/providers')).status).toBe(200);
    });

    it("ends a suspended user's sessions at once", async () => {
      const admin = await webUser(panel, 'admin');
      const customer = await webUser(panel);
      expect(
        (await admin.web.post(`/admin/users/${customer.id}/status`, { status: 'suspended' })).status,
      ).toBe(200);
      expect((await customer.web.get('/dashboard')).status).toBe(401);
      expect((await new WebClient(panel.baseUrl).login(customer.username, customer.password)).status).toBe(
        401,
      );
    });
  });

  describe('orders and money', () => {
    it('quotes exactly what add charges, for Default, drip-feed and Custom Comments', async () => {
      const admin = await webUser(panel, 'admin');
      const customer = await webUser(panel);
      await admin.web.post(`/admin/users/${customer.id}/funds`, { amount: '50', memo: 'first deposit' });
      const followers = await panel.createService({ rate: '0.33333', dripfeed: true });
      const comments = await panel.createService({ type: 'Custom Comments', rate: '12.5', min: 1, max: 100 });
      const cases = [
        { service: String(followers), link: 'https://x/a', quantity: '1001' },
        { service: String(followers), link: 'https://x/b', quantity: '100', runs: '3', interval: '15' },
        { service: String(comments), link: 'https://x/c', comments: 'nice\r\ngreat\n\nwow' },
      ];
      const expected = ['0.33367', '0.10000', '0.03750'];
      for (const [index, params] of cases.entries()) {
        const quote = await customer.web.post('/orders/quote', { params });
        expect(quote.json.charge).toBe(expected[index]);
        const before = (await customer.web.get('/session')).json.user.balance;
        const placed = await customer.web.post('/orders', { params });
        expect(placed.json).toEqual({ order: expect.any(Number) });
        const after = (await customer.web.get('/session')).json.user.balance;
        expect(Number(before) - Number(after)).toBeCloseTo(Number(expected[index]), 5);
      }
      const funds = await customer.web.get('/funds');
      expect(
        funds.json.entries.map((e: { kind: string; amount: string; balanceAfter: string }) => [
          e.kind,
          e.amount,
          e.balanceAfter,
        ]),
      ).toEqual([
        ['charge', '-0.03750', '49.52883'],
        ['charge', '-0.10000', '49.56633'],
        ['charge', '-0.33367', '49.66633'],
        ['deposit', '50.00000', '50.00000'],
      ]);
      expect(funds.json.entries[3].memo).toBe('first deposit');
    });

    it('answers validation failures with the API v2 strings', async () => {
      const customer = await webUser(panel);
      const service = await panel.createService({ min: 50, max: 1000 });
      const quote = (params: Record<string, string>) => customer.web.post('/orders/quote', { params });
      expect((await quote({ service: String(service), link: 'https://x', quantity: '10' })).json.error).toBe(
        'Quantity less than minimal 50',
      );
      expect((await quote({ service: String(service), quantity: '100' })).json.error).toBe('Incorrect link');
      expect((await quote({ service: '999999', link: 'https://x', quantity: '100' })).json.error).toBe(
        'Incorrect service ID',
      );
      const poor = await customer.web.post('/orders', {
        params: { service: String(service), link: 'https://x', quantity: '100' },
      });
      expect(poor.status).toBe(400);
      expect(poor.json.error).toBe('Not enough funds on balance');
    });

    it('places a mass order line by line and reports the bad lines', async () => {
      const customer = await webUser(panel);
      await panel.fund(customer, '10');
      const service = await panel.createService({ min: 10, max: 1000 });
      const text = [
        `${service}|https://x/1|100`,
        '',
        `${service}|https://x/2|5`,
        'not an order',
        `${service}|https://x/3|200`,
      ].join('\n');
      const result = await customer.web.post('/orders/mass', { orders: text });
      expect(result.json.lines).toEqual([
        { line: 1, text: `${service}|https://x/1|100`, order: expect.any(Number), error: null },
        { line: 3, text: `${service}|https://x/2|5`, order: null, error: 'Quantity less than minimal 10' },
        { line: 4, text: 'not an order', order: null, error: 'Incorrect request' },
        { line: 5, text: `${service}|https://x/3|200`, order: expect.any(Number), error: null },
      ]);
      expect((await customer.web.get('/orders')).json.total).toBe(2);
    });

    it('refunds a Partial order through the ledger, audited, and the customer sees it', async () => {
      const admin = await webUser(panel, 'admin');
      const customer = await webUser(panel);
      await admin.web.post(`/admin/users/${customer.id}/funds`, { amount: '5', memo: 'promo' });
      const service = await panel.createService({ rate: '2' });
      const placed = await customer.web.post('/orders', {
        params: { service: String(service), link: 'https://x/p', quantity: '1000' },
      });
      const moved = await admin.web.post(`/admin/orders/${placed.json.order}/status`, {
        status: 'Partial',
        startCount: 10,
        remains: 250,
      });
      expect(moved.status).toBe(200);
      expect(moved.json).toMatchObject({ status: 'Partial', remains: 250, refunded: '0.50000' });
      const funds = await customer.web.get('/funds');
      expect(funds.json.entries[0]).toMatchObject({
        kind: 'refund',
        amount: '0.50000',
        balanceAfter: '3.50000',
        orderId: placed.json.order,
      });
      const orders = await customer.web.get('/orders?status=Partial');
      expect(orders.json.orders.map((o: { id: number; charge: string }) => [o.id, o.charge])).toEqual([
        [placed.json.order, '1.50000'],
      ]);
      expect(orders.json.orders[0]).not.toHaveProperty('dispatchState');

      const audit = await panel.db.all<{ action: string; target: string; details: string }>(selectAudit);
      const entry = audit.find((a) => a.target === `user:${customer.id}`)!;
      expect(entry.action).toBe('funds.deposit');
      expect(JSON.parse(entry.details)).toMatchObject({ amount: '5.00000', memo: 'promo' });
      const overdraw = await admin.web.post(`/admin/users/${customer.id}/funds`, {
        amount: '-100',
        memo: 'too much',
      });
      expect(overdraw.status).toBe(400);
      expect(overdraw.json.error).toBe('The balance (3.50000) cannot go below zero');
    });
  });

  describe('isolation', () => {
    it("never shows or acts on another customer's orders", async () => {
      const alice = await webUser(panel);
      const bob = await webUser(panel);
      await panel.fund(alice, '10');
      const service = await panel.createService({ cancel: true, refill: true });
      const placed = await alice.web.post('/orders', {
        params: { service: String(service), link: 'https://x/alice', quantity: '100' },
      });
      const id = placed.json.order as number;
      expect((await bob.web.get('/orders')).json).toMatchObject({ total: 0, orders: [] });
      expect((await bob.web.get(`/orders?q=${id}`)).json.orders).toEqual([]);
      expect((await bob.web.get('/orders?q=alice')).json.orders).toEqual([]);
      const cancel = await bob.web.post(`/orders/${id}/cancel`);
      expect(cancel.status).toBe(404);
      expect(cancel.json.error).toBe('Incorrect order ID');
      expect((await bob.web.post(`/orders/${id}/refill`)).json.error).toBe('Incorrect order ID');
      expect((await bob.web.get('/funds')).json.entries).toEqual([]);
      expect((await bob.web.get('/refills')).json.refills).toEqual([]);
      const own = await alice.web.get(`/orders?q=${id}`);
      expect(own.json.orders).toHaveLength(1);
      expect(own.json.orders[0]).toMatchObject({ canCancel: true, canRefill: false });
      expect((await alice.web.post(`/orders/${id}/cancel`)).json).toEqual({ canceled: id });
      expect((await alice.web.get('/funds')).json.entries[0]).toMatchObject({
        kind: 'refund',
        amount: '0.09000',
      });
    });
  });

  describe('API keys and docs', () => {
    it('creates, rotates and revokes keys; a revoked key is refused by API v2', async () => {
      const user = await webUser(panel);
      const created = await user.web.post('/api-keys');
      const key = created.json.apiKey as string;
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect((await panel.api({ key, action: 'balance' })).json).toEqual({
        balance: '0.00000',
        currency: 'USD',
      });
      const listed = (await user.web.get('/api-keys')).json.keys as {
        id: number;
        prefix: string;
        revokedAt: string | null;
      }[];
      expect(listed).toHaveLength(2);
      expect(JSON.stringify(listed)).not.toContain(key);
      const newest = listed[0]!;
      expect(newest.prefix).toBe(key.slice(0, 8));
      const rotated = await user.web.post(`/api-keys/${newest.id}/rotate`);
      expect((await panel.api({ key, action: 'balance' })).json).toEqual({ error: 'Invalid API key' });
      const next = rotated.json.apiKey as string;
      expect((await panel.api({ key: next, action: 'balance' })).json.balance).toBe('0.00000');
      const keys = (await user.web.get('/api-keys')).json.keys as { id: number }[];
      expect((await user.web.post(`/api-keys/${keys[0]!.id}/revoke`)).status).toBe(200);
      expect((await panel.api({ key: next, action: 'balance' })).json).toEqual({ error: 'Invalid API key' });
      const other = await webUser(panel);
      expect((await other.web.post(`/api-keys/${listed[1]!.id}/revoke`)).status).toBe(404);
      expect((await panel.api({ key: user.apiKey, action: 'balance' })).json.balance).toBe('0.00000');
    });

    it('documents every action the API serves, with the error strings it answers', async () => {
      const user = await webUser(panel);
      const docs = (await user.web.get('/api-docs')).json;
      expect(docs.actions.map((a: { action: string }) => a.action)).toEqual(Object.keys(ACTIONS));
      const add = docs.actions.find((a: { action: string }) => a.action === 'add');
      expect(add.errors).toContain('Not enough funds on balance');
      expect(add.curl).toContain('action=add');
      expect(docs.serviceTypes).toHaveLength(16);
      expect(docs.serviceTypes.find((t: { type: string }) => t.type === 'Default').optional).toEqual([
        'runs',
        'interval',
      ]);
    });
  });

  describe('admin', () => {
    it('shows the dashboard, users, the audit log, and saves settings', async () => {
      const admin = await webUser(panel, 'admin');
      const dashboard = await admin.web.get('/admin/dashboard');
      expect(dashboard.json.days).toHaveLength(14);
      expect(dashboard.json.days.at(-1).date).toBe('2026-11-27');
      const users = await admin.web.get(`/admin/users?q=${admin.username}`);
      expect(users.json.users.map((u: { username: string }) => u.username)).toEqual([admin.username]);
      // One currency for the web and API v2: SMMKIT_CURRENCY, read-only here.
      const refused = await admin.web.request('PUT', '/admin/settings', {
        panelName: 'Boost Panel',
        currency: 'eur',
      });
      expect(refused.status).toBe(400);
      expect(refused.json.error).toContain('SMMKIT_CURRENCY');
      expect((await new WebClient(panel.baseUrl).get('/session')).json.panel.panelName).toBe('smmkit');
      const saved = await admin.web.request('PUT', '/admin/settings', { panelName: 'Boost Panel' });
      const settings = {
        panelName: 'Boost Panel',
        currency: 'USD',
        defaultLanguage: 'en',
        primaryColour: null,
        logoUrl: null,
        faviconUrl: null,
      };
      expect(saved.json).toMatchObject(settings);
      expect((await new WebClient(panel.baseUrl).get('/session')).json.panel).toMatchObject(settings);
      const balance = await panel.api({ key: admin.apiKey, action: 'balance' });
      expect(balance.json.currency).toBe('USD');
      const audit = await admin.web.get('/admin/audit');
      expect(audit.json.entries[0]).toMatchObject({ action: 'settings.update', actor: `user:${admin.id}` });
      await admin.web.request('PUT', '/admin/settings', { panelName: 'smmkit', currency: 'USD' });
    });

    it("sets a user's API rate limit (audited), back to the default with null; refuses bad values and customers", async () => {
      const admin = await webUser(panel, 'admin');
      const customer = await webUser(panel);
      const limitOf = async () =>
        (await admin.web.get(`/admin/users?q=${customer.username}`)).json.users[0].rateLimitPerMinute as
          number | null;
      expect(await limitOf()).toBeNull();

      const set = await admin.web.post(`/admin/users/${customer.id}/rate-limit`, { perMinute: 120 });
      expect(set.status).toBe(200);
      expect(await limitOf()).toBe(120);
      expect((await admin.web.get('/admin/audit')).json.entries[0]).toMatchObject({
        actor: `user:${admin.id}`,
        target: `user:${customer.id}`,
      });
      for (const perMinute of [-1, 1.5, 'many']) {
        expect((await admin.web.post(`/admin/users/${customer.id}/rate-limit`, { perMinute })).status).toBe(
          400,
        );
      }
      expect(await limitOf()).toBe(120);
      expect(
        (await customer.web.post(`/admin/users/${customer.id}/rate-limit`, { perMinute: 0 })).status,
      ).toBe(403);
      expect(
        (await admin.web.post(`/admin/users/${customer.id}/rate-limit`, { perMinute: null })).status,
      ).toBe(200);
      expect(await limitOf()).toBeNull();
    });
  });

  describe('serving', () => {
    it('keeps API and operations endpoints as they were and answers unknown web endpoints with JSON', async () => {
      expect((await fetch(`${panel.baseUrl}/healthz`)).status).toBe(200);
      const anonymous = await fetch(`${panel.baseUrl}/web-api/nothing`, { headers: { accept: 'text/html' } });
      expect(anonymous.status).toBe(401);
      const user = await webUser(panel);
      const unknown = await user.web.get('/nothing');
      expect(unknown.status).toBe(404);
      expect(unknown.json).toEqual({ error: 'Not found', code: 'NOT_FOUND' });
      const api = await fetch(`${panel.baseUrl}/nothing`);
      expect(await api.json()).toEqual({ error: 'Not found' });
      const metrics = await fetch(`${panel.baseUrl}/metrics`, { headers: { accept: 'text/html' } });
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    });

    it('serves the built SPA at / (signed in), for client routes, and its hashed assets with long caching', async () => {
      // A visitor at `/` gets the public landing page (public-pages.test.ts); a signed-in user the SPA.
      const { cookie } = (await webUser(panel)).web;
      const page = await fetch(`${panel.baseUrl}/`, { headers: { cookie: cookie! } });
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const html = await page.text();
      expect(html).toContain('<div id="root"></div>');
      const route = await fetch(`${panel.baseUrl}/orders?status=Partial`, {
        headers: { accept: 'text/html' },
      });
      expect(await route.text()).toBe(html);
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
      const asset = await fetch(`${panel.baseUrl}${script}`);
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(`${panel.baseUrl}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
      expect((await fetch(`${panel.baseUrl}/assets/missing.js`)).status).toBe(404);
    });
  });

  describe('catalogue', () => {
    it('disables services in bulk, reorders them, and reprices provider-backed ones with a markup', async () => {
      const admin = await webUser(panel, 'admin');
      const customer = await webUser(panel);
      const providerId = (await panel.db.transaction((tx) =>
        insertProvider(tx, {
          name: `up_${process.pid}`,
          url: 'http://127.0.0.1:1/api/v2',
          apiKey: 'k',
          currency: 'USD',
          balance: null,
          now: panel.clock.now(),
        }),
      ))!;
      const created = await admin.web.post('/admin/services', {
        name: 'Backed',
        type: 'Default',
        category: 'Bulk',
        rate: '1',
        min: 10,
        max: 100,
      });
      const manual = await admin.web.post('/admin/services', {
        name: 'Manual',
        type: 'Default',
        category: 'Bulk',
        rate: '2',
        min: 10,
        max: 100,
      });
      const [backed, other] = [created.json.id as number, manual.json.id as number];
      await panel.db.run(
        sql(
          'UPDATE services SET provider_id = ?, provider_service_id = ?, provider_rate = ?, mode = ? WHERE id = ?',
        ),
        [providerId, '7', 80_000n, 'provider', backed],
      );

      const repriced = await admin.web.post('/admin/services/markup', {
        ids: [backed],
        markup: '25%',
        fixed: '0.01',
      });
      expect(repriced.json).toEqual({ services: [{ id: backed, rate: '1.01' }] });
      const refused = await admin.web.post('/admin/services/markup', { ids: [backed, other], markup: '10%' });
      expect(refused.json.error).toBe(`Invalid services: service ${other} has no provider rate`);
      const quote = await customer.web.post('/orders/quote', {
        params: { service: String(backed), link: 'https://x', quantity: '100' },
      });
      expect(quote.json.charge).toBe('0.10100');

      expect(
        (await admin.web.post('/admin/catalog/reorder', { what: 'services', ids: [other, backed] })).status,
      ).toBe(200);
      const catalog = (await admin.web.get('/admin/catalog')).json;
      const bulk = catalog.services.filter((s: { category: string }) => s.category === 'Bulk');
      expect(bulk.map((s: { id: number }) => s.id)).toEqual([other, backed]);

      const missing = await admin.web.post('/admin/services/bulk', {
        ids: [backed, 999_999],
        enabled: false,
      });
      expect(missing.status).toBe(404);
      expect((await customer.web.get('/catalog')).json.services.map((s: { id: number }) => s.id)).toContain(
        backed,
      );
      expect(
        (await admin.web.post('/admin/services/bulk', { ids: [backed, other], enabled: false })).json,
      ).toEqual({ changed: 2 });
      const visible = (await customer.web.get('/catalog')).json.services.map((s: { id: number }) => s.id);
      expect(visible).not.toContain(backed);
      expect(visible).not.toContain(other);
      expect((await customer.web.post('/admin/services/bulk', { ids: [backed], enabled: true })).status).toBe(
        403,
      );
    });
  });

  describe('review list', () => {
    const toReview = sql("UPDATE orders SET dispatch_state = 'review', dispatch_error = ? WHERE id = ?");
    const dispatchOf = sql('SELECT dispatch_state, status FROM orders WHERE id = ?');

    it('lists orders awaiting review and resolves them: retry, manual, or cancel with the refund', async () => {
      const admin = await webUser(panel, 'admin');
      const customer = await webUser(panel);
      await panel.fund(customer, '3');
      const service = await panel.createService({ rate: '1' });
      const ids: number[] = [];
      for (const link of ['https://x/r1', 'https://x/r2', 'https://x/r3']) {
        const placed = await customer.web.post('/orders', {
          params: { service: String(service), link, quantity: '1000' },
        });
        ids.push(placed.json.order);
        await panel.db.run(toReview, ['provider timed out', placed.json.order]);
      }
      const listed = await admin.web.get('/admin/orders?review=true');
      expect(listed.json.orders.map((o: { id: number }) => o.id).sort()).toEqual([...ids].sort());
      expect(listed.json.orders[0]).toMatchObject({
        dispatchState: 'review',
        dispatchError: 'provider timed out',
      });
      expect((await customer.web.get('/orders')).json.orders[0]).not.toHaveProperty('dispatchError');
      expect(
        (await customer.web.post(`/admin/orders/${ids[0]}/resolve`, { resolution: 'cancel' })).status,
      ).toBe(403);

      expect((await admin.web.post(`/admin/orders/${ids[0]}/resolve`, { resolution: 'retry' })).status).toBe(
        200,
      );
      expect((await admin.web.post(`/admin/orders/${ids[1]}/resolve`, { resolution: 'manual' })).status).toBe(
        200,
      );
      const canceled = await admin.web.post(`/admin/orders/${ids[2]}/resolve`, { resolution: 'cancel' });
      expect(canceled.json).toEqual({ id: ids[2], resolution: 'cancel' });
      const states = await Promise.all(
        ids.map((id) => panel.db.get<{ dispatch_state: string; status: string }>(dispatchOf, [id])),
      );
      expect(states).toEqual([
        { dispatch_state: 'queued', status: 'pending' },
        { dispatch_state: 'manual', status: 'pending' },
        { dispatch_state: 'refused', status: 'canceled' },
      ]);
      expect((await customer.web.get('/funds')).json.entries[0]).toMatchObject({
        kind: 'refund',
        amount: '1.00000',
        orderId: ids[2],
      });
      const again = await admin.web.post(`/admin/orders/${ids[2]}/resolve`, { resolution: 'cancel' });
      expect(again.status).toBe(400);
      expect((await admin.web.get('/admin/orders?review=true')).json.orders).toEqual([]);
    });

    it('never shows a customer how an order is fulfilled or what it costs the panel, in lists or in runs', async () => {
      const admin = await webUser(panel, 'admin');
      const customer = await webUser(panel);
      await panel.fund(customer, '10');
      const service = await panel.createService({ rate: '1', dripfeed: true });
      const placed = await customer.web.post('/orders', {
        params: {
          service: String(service),
          link: 'https://x/cost',
          quantity: '100',
          runs: '2',
          interval: '5',
        },
      });
      await createDueRuns(panel.ctx);
      // The parent and its run as if forwarded: a provider's order id, its charge to us, an error once.
      await panel.db.run(asForwarded, [placed.json.order, placed.json.order]);
      const internals = [
        'dispatch',
        'dispatchState',
        'dispatchError',
        'providerId',
        'providerOrderId',
        'providerCost',
        'cost',
        'profit',
      ];
      const listed = (await customer.web.get('/orders')).json.orders[0];
      const recent = (await customer.web.get('/dashboard')).json.recentOrders[0];
      for (const order of [listed, recent]) {
        expect(order.id).toBe(placed.json.order);
        expect(order.children).toHaveLength(1);
        for (const shown of [order, ...order.children]) {
          for (const field of internals) expect(shown).not.toHaveProperty(field);
        }
      }
      // The owner sees them.
      const run = (await admin.web.get(`/admin/orders/${listed.children[0].id}`)).json;
      // A run's own charge is 0 (its parent carries the charge), so its margin is the provider's cost, negative.
      expect(run).toMatchObject({
        providerOrderId: '777',
        providerCost: { amount: '0.05000', currency: 'USD' },
        cost: '0.05000',
        profit: '-0.05000',
      });
    });
  });

  describe('expiry (moves the clock: last)', () => {
    it('refuses a session after a week and purges it with old login failures', async () => {
      const user = await webUser(panel);
      await new WebClient(panel.baseUrl).login(user.username, 'wrong password');
      expect((await user.web.get('/dashboard')).status).toBe(200);
      panel.clock.advance(7 * 24 * 60 * 60 * 1000);
      expect((await user.web.get('/dashboard')).status).toBe(401);
      const purged = await purgeWebSessions(panel.ctx);
      expect(purged).toBeGreaterThanOrEqual(2);
      expect(await purgeWebSessions(panel.ctx)).toBe(0);
    });
  });
});

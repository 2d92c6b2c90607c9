import { Validator } from '@seriousme/openapi-schema-validator';
import { ADMIN_API } from '@smmkit/contract/admin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminToken } from '../../src/app/admin-tokens/create-admin-token.js';
import { addProvider } from '../../src/app/providers/add-provider.js';
import { updateSecuritySettings } from '../../src/app/settings/security-settings.js';
import { revokeAdminToken } from '../../src/app/admin-tokens/revoke-admin-token.js';
import { openTicket } from '../../src/app/tickets/open-ticket.js';
import { setUserStatus } from '../../src/app/users/set-user-status.js';
import { type Permission, can } from '../../src/domain/permissions.js';
import { buildHttpServer } from '../../src/http/server.js';
import { AdminApiClient } from '../support/admin-api-client.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

/**
 * Issue 16 items 4 and 5: the admin API over real HTTP with bearer tokens, on both databases. The
 * role × endpoint table is the web admin's (domain/permissions.ts `can`), every route of the OpenAPI
 * document is called (checked last), failures are problem+json, and audit entries name the token.
 */

const ROLES = ['owner', 'manager', 'support'] as const;

let panel: TestPanel;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document indexed freely
let document: any;
const clients = new Map<string, AdminApiClient>();
let owner: AdminApiClient;
let ownerId: number;

async function tokenFor(role: (typeof ROLES)[number], name = `${role}-bot`) {
  const user = await webUser(panel, role);
  const created = await createAdminToken(panel.ctx, { owner: { userId: user.id }, name });
  if (!created.ok) throw new Error(created.failure.code);
  return { user, token: created.value.token };
}

beforeAll(async () => {
  panel = await TestPanel.start();
  for (const role of ROLES) {
    const { user, token } = await tokenFor(role);
    clients.set(role, new AdminApiClient(panel.baseUrl, token));
    if (role === 'owner') ownerId = user.id;
  }
  owner = clients.get('owner')!;
  const response = await fetch(`${panel.baseUrl}/admin-api/v1/openapi.json`);
  expect(response.status).toBe(200);
  document = await response.json();
});
afterAll(() => panel.close());

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document with one operation per contract endpoint', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      Object.values(ADMIN_API)
        .map((e) => `${e.method} ${e.url.replace(/:(\w+)/g, '{$1}')}`)
        .sort(),
    );
    // One definition per shape: the request bodies and answers are the contract's titled schemas.
    expect(document.paths['/users/{id}/funds'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/FundsBody',
    });
    expect(document.components.schemas.FundsBody.required).toEqual(['amount', 'memo']);
    expect(document.components.schemas.Problem.required).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'code',
    ]);
    expect(document.paths['/users'].post.parameters.map((p: { name: string }) => p.name)).toContain(
      'Idempotency-Key',
    );
  });

  it('has a reference page served by the panel, with its own assets and the panel CSP', async () => {
    const page = await fetch(`${panel.baseUrl}/admin-api/v1/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'start.js']) {
      const response = await fetch(`${panel.baseUrl}/admin-api/v1/docs/${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(asset === 'start.js' ? 50 : 10_000);
    }
  });
});

describe('tokens', () => {
  it('no token, a wrong token, a revoked token or a suspended holder: 401 problem', async () => {
    const anonymous = await new AdminApiClient(panel.baseUrl, null).get('/users');
    expect([anonymous.status, anonymous.contentType, anonymous.json.code]).toEqual([
      401,
      'application/problem+json; charset=utf-8',
      'UNAUTHENTICATED',
    ]);
    expect(anonymous.json).toMatchObject({ type: '/admin-api/v1/problems/unauthenticated', status: 401 });
    expect((await new AdminApiClient(panel.baseUrl, 'smk_admin_wrongwrongwrong').get('/users')).status).toBe(
      401,
    );

    const { user, token } = await tokenFor('manager', 'short-lived');
    const client = new AdminApiClient(panel.baseUrl, token);
    expect((await client.get('/users')).status).toBe(200);
    expect((await setUserStatus(panel.ctx, { userId: user.id, status: 'suspended' })).ok).toBe(true);
    expect((await client.get('/users')).status).toBe(401);
    expect((await setUserStatus(panel.ctx, { userId: user.id, status: 'active' })).ok).toBe(true);
    expect((await client.get('/users')).status).toBe(200);
    expect((await revokeAdminToken(panel.ctx, { owner: { userId: user.id }, name: 'short-lived' })).ok).toBe(
      true,
    );
    expect((await client.get('/users')).status).toBe(401);
  });

  it('customers get no admin tokens', async () => {
    const customer = await webUser(panel, 'customer');
    const refused = await createAdminToken(panel.ctx, { owner: { userId: customer.id }, name: 'x' });
    expect(refused).toMatchObject({ ok: false, failure: { code: 'ADMIN_TOKEN_STAFF_ONLY' } });
    const web = await customer.web.request('POST', '/account/admin-tokens', { name: 'x' });
    expect([web.status, web.json.code]).toEqual([403, 'ADMIN_TOKEN_STAFF_ONLY']);
  });

  it('staff without the second factor the panel requires make no token in the web panel', async () => {
    const manager = await webUser(panel, 'manager');
    await updateSecuritySettings(panel.ctx, { signUpOpen: true, staffTwoFactorRequired: true });
    try {
      const refused = await manager.web.request('POST', '/account/admin-tokens', { name: 'sneaky' });
      expect([refused.status, refused.json.code]).toEqual([403, 'TWO_FACTOR_SETUP_REQUIRED']);
      expect((await manager.web.get('/account/admin-tokens')).json.tokens).toEqual([]);
    } finally {
      await updateSecuritySettings(panel.ctx, { signUpOpen: true, staffTwoFactorRequired: false });
    }
  });
});

describe('role × endpoint', () => {
  it("every endpoint names the same permission as the web admin's route for the same operation", async () => {
    const http = buildHttpServer(panel.panel);
    const webPermissions = new Map<string, Permission | undefined>();
    http.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods)
        webPermissions.set(`${method} ${route.url.replace('/web-api', '')}`, route.config?.permission);
    });
    await http.ready();
    await http.close();
    for (const endpoint of Object.values(ADMIN_API)) {
      if (endpoint.webRoute === undefined) continue;
      expect(webPermissions.has(endpoint.webRoute), endpoint.webRoute).toBe(true);
      expect(webPermissions.get(endpoint.webRoute), `${endpoint.method} ${endpoint.url}`).toBe(
        endpoint.permission,
      );
    }
  });

  it('each staff role is allowed exactly what the table gives it', async () => {
    const mismatches: string[] = [];
    for (const endpoint of Object.values(ADMIN_API)) {
      const path = endpoint.url.replace(/:\w+/g, '999999');
      for (const role of ROLES) {
        const response = await clients
          .get(role)!
          .request(endpoint.method, path, endpoint.method === 'GET' ? undefined : {});
        const allowed = can(role, endpoint.permission);
        const refused = response.status === 403 && response.json?.code === 'FORBIDDEN';
        if (allowed === refused || response.status === 401 || response.status >= 500)
          mismatches.push(`${role} ${endpoint.method} ${endpoint.url}: ${response.status}`);
        if (response.status >= 400)
          expect(response.contentType).toBe('application/problem+json; charset=utf-8');
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('resources', () => {
  it('users: create, search, keyset pages, suspend and unsuspend, balance with a memo, audited with the token name', async () => {
    const created = await owner.post('/users', {
      username: `apicust_${process.pid}`,
      password: 'long-enough-pw',
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ username: `apicust_${process.pid}` });
    expect(created.json.apiKey).toMatch(/^[0-9a-f]{64}$/);
    const id = created.json.id as number;
    const found = await owner.get(`/users?q=apicust_${process.pid}`);
    expect(found.json.data.map((u: { id: number }) => u.id)).toEqual([id]);

    // Pages of one follow each other without gaps or repeats, even with a user added meanwhile.
    const seen: number[] = [];
    let page = await owner.get('/users?limit=1');
    seen.push(...page.json.data.map((u: { id: number }) => u.id));
    await owner.post('/users', { username: `apilate_${process.pid}` });
    while (page.json.next_cursor !== null) {
      page = await owner.get(`/users?limit=1&cursor=${page.json.next_cursor}`);
      expect(page.status).toBe(200);
      seen.push(...page.json.data.map((u: { id: number }) => u.id));
    }
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(ownerId);

    expect((await owner.post(`/users/${id}/status`, { status: 'suspended' })).json).toEqual({
      id,
      status: 'suspended',
    });
    expect((await owner.post(`/users/${id}/status`, { status: 'active' })).json).toEqual({
      id,
      status: 'active',
    });
    const funds = await owner.post(`/users/${id}/funds`, { amount: '12.5', memo: 'bank transfer 42' });
    expect(funds.json).toEqual({ balance: '12.50000' });
    const below = await owner.post(`/users/${id}/funds`, { amount: '-100', memo: 'too much' });
    expect([below.status, below.json.code]).toEqual([400, 'BALANCE_WOULD_BE_NEGATIVE']);

    const audit = await owner.get('/audit?limit=5');
    const entry = audit.json.data.find((e: { action: string }) => e.action === 'funds.deposit');
    expect(entry).toMatchObject({ actor: `user:${ownerId} token:owner-bot`, target: `user:${id}` });
    expect(entry.details).toMatchObject({ memo: 'bank transfer 42' });
  });

  it('services and categories: create, change, show, list by id', async () => {
    const created = await owner.post('/services', {
      category: 'API category',
      name: 'API likes',
      type: 'Default',
      rate: '1.5',
      min: 10,
      max: 1000,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const id = created.json.id as number;
    const changed = await owner.request('PATCH', `/services/${id}`, { name: 'API likes v2' });
    expect(changed.json).toEqual({ id });
    const shown = await owner.get(`/services/${id}`);
    expect(shown.json).toMatchObject({ id, name: 'API likes v2', rate: '1.50' });
    const services = await owner.get('/services?limit=200');
    expect(services.json.data.map((s: { id: number }) => s.id)).toContain(id);
    const categories = await owner.get('/categories');
    expect(categories.json.data.map((c: { name: string }) => c.name)).toContain('API category');
    expect((await owner.get('/services/999999')).json.code).toBe('SERVICE_NOT_FOUND');
  });

  it('orders: filtered lists, show, status change (through the same status rules)', async () => {
    const customer = await panel.customer('100');
    const service = await panel.createService();
    const placed = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/a',
      quantity: 100,
    });
    const orderId = placed.json.order as number;
    const byUser = await owner.get(`/orders?user=${customer.id}&service=${service}&status=Pending`);
    expect(byUser.json.data.map((o: { id: number }) => o.id)).toEqual([orderId]);
    const since = new Date(panel.clock.now() + 1000).toISOString();
    expect((await owner.get(`/orders?user=${customer.id}&created_from=${since}`)).json.data).toEqual([]);
    expect((await owner.get(`/orders?created_from=yesterday`)).json.code).toBe('INVALID_REQUEST');
    expect((await owner.get(`/orders/${orderId}`)).json).toMatchObject({ id: orderId });
    const done = await owner.post(`/orders/${orderId}/status`, { status: 'Completed' });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json.status).toBe('Completed');
    const again = await owner.post(`/orders/${orderId}/status`, { status: 'Pending' });
    expect([again.status, again.json.code]).toEqual([400, 'INVALID_TRANSITION']);
  });

  it('tickets: list, show, reply, close', async () => {
    const customer = await panel.customer('0');
    const opened = await openTicket(panel.ctx, {
      userId: customer.id,
      subject: 'Other',
      message: 'hello <b>there</b>',
    });
    if (!opened.ok) throw new Error(opened.failure.code);
    const id = opened.value.id;
    const listed = await owner.get('/tickets?state=open');
    expect(listed.json.data.map((t: { id: number }) => t.id)).toContain(id);
    expect((await owner.get(`/tickets/${id}`)).json.messages[0].message).toBe('hello <b>there</b>');
    const replied = await owner.post(`/tickets/${id}/reply`, { message: 'on it' });
    expect(replied.json.ticket.state).toBe('answered');
    expect((await owner.post(`/tickets/${id}/close`)).json.ticket.state).toBe('closed');
  });

  it('refills: list with a status, show', async () => {
    const customer = await panel.customer('100');
    const service = await panel.createService({ refill: true });
    const placed = await panel.api({
      key: customer.apiKey,
      action: 'add',
      service,
      link: 'https://x.test/r',
      quantity: 100,
    });
    const orderId = placed.json.order as number;
    expect((await owner.post(`/orders/${orderId}/status`, { status: 'Completed' })).status).toBe(200);
    panel.clock.advance(25 * 60 * 60 * 1000);
    const asked = await panel.api({ key: customer.apiKey, action: 'refill', order: orderId });
    const refillId = Number(asked.json.refill);
    expect(refillId).toBeGreaterThan(0);
    const listed = await owner.get('/refills?status=Pending&limit=200');
    expect(listed.json.data.map((r: { id: number }) => r.id)).toContain(refillId);
    expect((await owner.get(`/refills/${refillId}`)).json).toMatchObject({
      id: refillId,
      orderId,
      status: 'Pending',
    });
    expect((await owner.get('/refills/999999')).json.code).toBe('REFILL_NOT_FOUND');
    expect((await owner.get('/refills?status=Nonsense')).json.code).toBe('INVALID_INPUT');
  });

  it('deposits: list the pending ones, show, approve (credited) and reject', async () => {
    const admin = (await webUser(panel, 'owner')).web;
    const method = await admin.post('/admin/payment-methods', {
      gateway: 'manual',
      name: 'Bank',
      min: '1',
      max: '1000',
    });
    expect(method.status).toBe(200);
    const customer = await webUser(panel, 'customer');
    const ids: number[] = [];
    for (const amount of ['10', '20']) {
      const started = await customer.web.post('/deposits', {
        method: method.json.id,
        amount,
        reference: `TX-${amount}`,
      });
      expect(started.status).toBe(200);
      ids.push(started.json.id);
    }
    const pending = await owner.get(`/deposits?status=pending&method=${method.json.id}&limit=1`);
    expect(pending.json.data.map((d: { id: number }) => d.id)).toEqual([ids[1]]);
    const next = await owner.get(
      `/deposits?status=pending&method=${method.json.id}&limit=1&cursor=${pending.json.next_cursor}`,
    );
    expect(next.json.data.map((d: { id: number }) => d.id)).toEqual([ids[0]]);
    expect((await owner.get(`/deposits/${ids[0]}`)).json).toMatchObject({
      id: ids[0],
      status: 'pending',
      userId: customer.id,
    });
    const approved = await owner.post(`/deposits/${ids[0]}/approve`);
    expect(approved.json).toMatchObject({ id: ids[0], status: 'paid' });
    const rejected = await owner.post(`/deposits/${ids[1]}/reject`, { reason: 'no such transfer' });
    expect(rejected.json).toMatchObject({ id: ids[1], status: 'failed', reason: 'no such transfer' });
    const twice = await owner.post(`/deposits/${ids[1]}/approve`);
    expect([twice.status, twice.json.code]).toEqual([409, 'DEPOSIT_TRANSITION']);
    expect((await owner.get('/deposits/999999')).json.code).toBe('DEPOSIT_NOT_FOUND');
    const funded = await owner.get(`/users?q=${customer.username}`);
    expect(funded.json.data[0].balance).toBe('10.00000');
  });

  it('providers: list (keys masked), balance and sync against a real upstream panel', async () => {
    const upstream = await TestPanel.start();
    try {
      await upstream.createService({ name: 'Upstream likes' });
      const account = await upstream.customer('42.5');
      const added = await addProvider(panel.ctx, {
        name: `upstream-${process.pid}`,
        url: upstream.apiUrl,
        apiKey: account.apiKey,
      });
      if (!added.ok) throw new Error(added.failure.code);
      const id = added.value.id;
      const listed = await owner.get('/providers');
      const provider = listed.json.data.find((p: { id: number }) => p.id === id);
      expect(provider.key).not.toContain(account.apiKey);
      expect((await owner.get(`/providers/${id}/balance`)).json).toMatchObject({ id, balance: '42.50000' });
      const synced = await owner.post(`/providers/${id}/sync`);
      expect(synced.status, JSON.stringify(synced.json)).toBe(200);
      expect((await owner.get('/providers/999999/balance')).json.code).toBe('PROVIDER_NOT_FOUND');
    } finally {
      await upstream.close();
    }
  });
});

describe('bad input is a problem, never a 500', () => {
  it.each([
    ['GET', '/users?limit=0', undefined, 400, 'INVALID_REQUEST'],
    ['GET', '/users?cursor=not-a-cursor', undefined, 400, 'INVALID_CURSOR'],
    ['GET', '/services?cursor=eyJiIjoxfQ', undefined, 400, 'INVALID_CURSOR'],
    ['POST', '/users', { password: 'long-enough-pw' }, 400, 'INVALID_REQUEST'],
    ['POST', '/users', { username: '<b>' }, 400, 'INVALID_INPUT'],
    ['POST', '/users/1/funds', { amount: 'ten', memo: 'm' }, 400, 'INVALID_INPUT'],
    ['POST', '/users/abc/status', { status: 'active' }, 400, 'INVALID_REQUEST'],
    ['GET', '/nothing-here', undefined, 404, 'NOT_FOUND'],
  ] as const)('%s %s → %s %s', async (method, path, body, status, code) => {
    const response = await owner.request(method, path, body);
    expect([response.status, response.json.code]).toEqual([status, code]);
    expect(response.contentType).toBe('application/problem+json; charset=utf-8');
    expect(response.json).toMatchObject({
      status,
      type: expect.stringMatching(/^\/admin-api\/v1\/problems\//),
    });
  });

  it('a body that is not JSON', async () => {
    const response = await fetch(`${panel.baseUrl}/admin-api/v1/users`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(await tokenFor('owner', 'raw')).token}`,
        'content-type': 'application/json',
      },
      body: '{"username":',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });
});

describe('every route', () => {
  it('of the document was exercised by this file', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.filter((operation) => !AdminApiClient.hit.has(operation))).toEqual([]);
  });
});

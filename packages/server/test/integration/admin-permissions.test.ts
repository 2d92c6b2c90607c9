import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission, can } from '../../src/domain/permissions.js';
import { buildHttpServer } from '../../src/http/server.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

/**
 * Item 13 of issue 13: every admin endpoint, called as every role (owner, manager, support), as a
 * customer and as a visitor, is allowed or refused exactly as the domain's permission table says.
 * The routes are read from the running server, so an admin endpoint added later is covered (and must
 * name a permission) without touching this file.
 */

interface AdminRoute {
  readonly method: string;
  readonly url: string;
  readonly permission: Permission | undefined;
}

const ROLES = ['owner', 'manager', 'support'] as const;

let panel: TestPanel;
let http: FastifyInstance;
let baseUrl: string;
const routes: AdminRoute[] = [];
const clients = new Map<string, WebClient>();

beforeAll(async () => {
  panel = await TestPanel.start();
  http = buildHttpServer(panel.panel);
  // Web routes are registered when the server starts (a plugin): this hook sees every one.
  http.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || !route.url.startsWith('/web-api/admin')) continue;
      routes.push({ method, url: route.url, permission: route.config?.permission });
    }
  });
  await http.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  for (const role of [...ROLES, 'customer'] as const) {
    const user = await webUser(panel, role);
    const client = new WebClient(baseUrl);
    const login = await client.login(user.username, user.password);
    expect(login.status).toBe(200);
    clients.set(role, client);
  }
  clients.set('visitor', new WebClient(baseUrl));
});
afterAll(async () => {
  await http.close();
  await panel.close();
});

/** An id no row has: an allowed call answers 404 or a validation error, and changes nothing. */
const concrete = (url: string) => url.replace('/web-api', '').replace(/:\w+/g, '999999');

function call(client: WebClient, route: AdminRoute) {
  return route.method === 'GET'
    ? client.get(concrete(route.url))
    : client.request(route.method, concrete(route.url), {});
}

describe('admin endpoints × roles', () => {
  it('every admin endpoint names a permission of the table', () => {
    expect(routes.length).toBeGreaterThan(20);
    const unnamed = routes.filter(
      (route) => route.permission === undefined || !PERMISSIONS.includes(route.permission),
    );
    expect(unnamed).toEqual([]);
  });

  it('each staff role is allowed exactly what the table gives it', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      for (const role of ROLES) {
        const response = await call(clients.get(role)!, route);
        const allowed = can(role, route.permission!);
        const refused = response.status === 403 && response.json?.code === 'FORBIDDEN';
        if (allowed === refused || response.status === 401 || response.status >= 500) {
          mismatches.push(`${role} ${route.method} ${route.url} (${route.permission}): ${response.status}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a customer is refused every admin endpoint (403) and a visitor must log in (401)', async () => {
    for (const route of routes) {
      const customer = await call(clients.get('customer')!, route);
      expect([customer.status, customer.json?.code], `${route.method} ${route.url}`).toEqual([
        403,
        'FORBIDDEN',
      ]);
      const visitor = await call(clients.get('visitor')!, route);
      expect(visitor.status, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('the session lists the role and its permissions, as the admin UI reads them', async () => {
    for (const role of ROLES) {
      const session = (await clients.get(role)!.get('/session')).json;
      expect(session.user.staffRole).toBe(role);
      expect(session.user.permissions).toEqual(PERMISSIONS.filter((permission) => can(role, permission)));
    }
    expect((await clients.get('customer')!.get('/session')).json.user.permissions).toEqual([]);
  });
});

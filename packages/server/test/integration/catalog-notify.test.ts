import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceListCacheOptions } from '../../src/app/catalog/service-list-cache.js';
import { updateService } from '../../src/app/catalog/update-service.js';
import { buildHttpServer } from '../../src/http/server.js';
import { Panel } from '../../src/panel.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { TEST_DIALECT } from '../support/test-database.js';
import { within } from '../support/within.js';
import { spawnCli } from '../support/run-cli.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/** A second `serve` node on the same database: its own pool, listener, Panel and HTTP server. */
async function startNode(panel: TestPanel, catalog: ServiceListCacheOptions) {
  const db = openDatabase(parseDatabaseUrl(panel.database.url));
  const node = new Panel(db, { clock: panel.clock, catalog });
  const http: FastifyInstance = buildHttpServer(node);
  await http.listen({ port: 0, host: '127.0.0.1' });
  node.serviceList.start();
  const { port } = http.server.address() as AddressInfo;
  return {
    node,
    apiUrl: `http://127.0.0.1:${port}/api/v2`,
    async close() {
      await http.close();
      await node.serviceList.stop();
      await db.close();
    },
  };
}
type Node = Awaited<ReturnType<typeof startNode>>;

async function serviceNames(apiUrl: string, user: TestUser): Promise<string[]> {
  const response = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `key=${user.apiKey}&action=services`,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { name: string }[]).map((entry) => entry.name);
}

describe.runIf(TEST_DIALECT === 'postgres')('PostgreSQL: the services copy hears catalogue changes', () => {
  let panel: TestPanel;
  let user: TestUser;
  let serviceId: number;
  const nodes: Node[] = [];
  let admin: pg.Client;

  beforeAll(async () => {
    panel = await TestPanel.start();
    user = await panel.customer();
    serviceId = await panel.createService({ name: 'notify-0' });
    admin = new pg.Client({ connectionString: panel.database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await Promise.all(nodes.map((n) => n.close()));
    await panel.close();
  });

  /** In this process: its own listeners hear the commit at once, as any in-process writer's. */
  const rename = async (name: string) => {
    const result = await updateService(panel.ctx, serviceId, { name });
    expect(result.ok).toBe(true);
  };
  /** From another process (the CLI): only the server's NOTIFY can tell the nodes here. */
  const renameElsewhere = async (name: string) => {
    const run = await spawnCli(['service', 'update', String(serviceId), '--name', name], panel.database.url);
    expect(run.code, run.stderr).toBe(0);
  };
  /** Another process's change as it reaches the database (quicker than a CLI start): bump and NOTIFY. */
  const renameRaw = async (name: string, notify: boolean) => {
    await admin.query('BEGIN');
    await admin.query('UPDATE services SET name = $1 WHERE id = $2', [name, serviceId]);
    await admin.query('UPDATE catalog_state SET version = version + 1 WHERE id = 1');
    if (notify) await admin.query("SELECT pg_notify('smmkit_catalog', '')");
    await admin.query('COMMIT');
  };

  it('a change on one server reaches another within a second by NOTIFY alone (no version read)', async () => {
    // No periodic check within the test: only the notification can tell the node.
    const b = await startNode(panel, { checkIntervalMs: 600_000 });
    nodes.push(b);
    await within(5000, () => b.node.serviceList.listening);
    expect(await serviceNames(b.apiUrl, user)).toContain('notify-0');
    for (const name of ['notify-1', 'notify-2']) {
      // Timed from the CLI's exit: its commit is done by then.
      await renameElsewhere(name);
      const ms = await within(1000, async () => (await serviceNames(b.apiUrl, user)).includes(name));
      expect(ms).toBeLessThan(1000);
      expect(b.node.serviceList.listening).toBe(true);
    }
    // A change made in this process is answered at once, by this process's every node.
    await rename('notify-own');
    expect(await serviceNames(b.apiUrl, user)).toContain('notify-own');
    expect(await serviceNames(panel.apiUrl, user)).toContain('notify-own');
  }, 120_000); // each CLI run is a Node start-up: seconds on a busy machine

  it('after its listening connection is killed, a change is still seen; the copy is dropped when LISTEN is back', async () => {
    const b = await startNode(panel, { checkIntervalMs: 600_000, listenRetryMs: 3000 });
    nodes.push(b);
    await within(5000, () => b.node.serviceList.listening);
    expect(await serviceNames(b.apiUrl, user)).toContain('notify-own');
    const pid = b.node.serviceList.listenerPid;
    expect(pid).toBeGreaterThan(0);
    const killed = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
    expect(killed.rows[0]?.ok).toBe(true);
    await within(2000, () => !b.node.serviceList.listening);

    // Unheard (LISTEN is down), yet seen: the node reads the version per request meanwhile.
    await renameRaw('while-down-1', true);
    await within(1000, async () => (await serviceNames(b.apiUrl, user)).includes('while-down-1'));
    expect(b.node.serviceList.listening).toBe(false);

    // A change committed just before LISTEN is back, with no request in between: the copy
    // loaded while down must not be trusted once notifications are heard again.
    await renameRaw('while-down-2', true);
    await within(10_000, () => b.node.serviceList.listening);
    expect(b.node.serviceList.listenerPid).not.toBe(pid);
    expect(await serviceNames(b.apiUrl, user)).toContain('while-down-2');

    // And notifications are heard again on the new connection.
    await renameElsewhere('after-reconnect');
    await within(1000, async () => (await serviceNames(b.apiUrl, user)).includes('after-reconnect'));
  }, 120_000);

  it('the periodic version check catches a change whose notification never came', async () => {
    const c = await startNode(panel, { checkIntervalMs: 200 });
    nodes.push(c);
    await within(5000, () => c.node.serviceList.listening);
    await rename('before-silent');
    await within(1000, async () => (await serviceNames(c.apiUrl, user)).includes('before-silent'));
    // A change made behind the panel's back: the version bumped, but nothing NOTIFYed.
    await renameRaw('silent', false);
    await within(1000, async () => (await serviceNames(c.apiUrl, user)).includes('silent'));
    expect(c.node.serviceList.listening).toBe(true);
  });
});

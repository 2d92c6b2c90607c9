import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/app/api-keys/revoke-api-key.js';
import { setUserRateLimitPerMinute } from '../../src/app/users/set-user-rate-limit.js';
import { setUserStatus } from '../../src/app/users/set-user-status.js';
import type { ApiKeyOwnerCacheOptions } from '../../src/app/users/api-key-owner-cache.js';
import { apiKeyHash } from '../../src/app/users/authenticate-api-key.js';
import { buildHttpServer } from '../../src/http/server.js';
import { Panel } from '../../src/panel.js';
import { listApiKeysOfUser } from '../../src/store/api-keys.js';
import { openDatabase, parseDatabaseUrl } from '../../src/store/open-database.js';
import { TEST_DIALECT } from '../support/test-database.js';
import { within } from '../support/within.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/** A second `serve` node on the same database: its own pool, listeners, Panel and HTTP server. */
async function startNode(panel: TestPanel, apiKeyOwners: ApiKeyOwnerCacheOptions, listen = true) {
  const db = openDatabase(parseDatabaseUrl(panel.database.url));
  // The catalogue copy is only dropped by notification here: no version read in the tests' windows.
  const node = new Panel(db, { clock: panel.clock, apiKeyOwners, catalog: { checkIntervalMs: 600_000 } });
  const http: FastifyInstance = buildHttpServer(node);
  await http.listen({ port: 0, host: '127.0.0.1' });
  // Not started: no LISTEN, so every request reads its key (the answers to compare with).
  if (listen) node.start();
  const { port } = http.server.address() as AddressInfo;
  const apiUrl = `http://127.0.0.1:${port}/api/v2`;
  if (listen) await within(5000, () => node.apiKeyOwners.listening && node.serviceList.listening);
  return {
    node,
    /** `services` with the user's key on this node: the service names, or the error string. */
    async services(user: TestUser): Promise<string[] | string> {
      const response = await fetch(apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `key=${user.apiKey}&action=services`,
      });
      const body = (await response.json()) as { name: string }[] | { error: string };
      return Array.isArray(body) ? body.map((entry) => entry.name) : body.error;
    },
    /** Any action with the user's key on this node: the status and the answer's bytes. */
    async api(user: TestUser, fields: Record<string, string>): Promise<string> {
      const response = await fetch(apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ key: user.apiKey, ...fields }).toString(),
      });
      return `${response.status} ${await response.text()}`;
    },
    async close() {
      await http.close();
      await node.stop();
      await db.close();
    },
  };
}
type Node = Awaited<ReturnType<typeof startNode>>;

const INVALID = 'Invalid API key';

describe.runIf(TEST_DIALECT === 'postgres')(
  'PostgreSQL: the copy of API key owners hears key changes',
  () => {
    let panel: TestPanel;
    let serviceId: number;
    const nodes: Node[] = [];
    /** Another process's connection, as an owner's psql or another panel version would write. */
    let admin: pg.Client;

    beforeAll(async () => {
      panel = await TestPanel.start();
      serviceId = await panel.createService({ name: 'keys-0' });
      admin = new pg.Client({ connectionString: panel.database.url });
      await admin.connect();
    });
    afterAll(async () => {
      await admin.end();
      await Promise.all(nodes.map((n) => n.close()));
      await panel.close();
    });

    const node = async (options: ApiKeyOwnerCacheOptions = { dropIntervalMs: 600_000 }) => {
      const started = await startNode(panel, options);
      nodes.push(started);
      return started;
    };
    const keyIdOf = async (user: TestUser) => {
      const [key] = await listApiKeysOfUser(panel.db, user.id);
      if (!key) throw new Error('no key');
      return key.id;
    };
    /** Written with the panel's triggers off, as if their notification were lost on its way. */
    const unheard = async (statement: string, params: unknown[]) => {
      await admin.query('BEGIN');
      await admin.query('SET LOCAL session_replication_role = replica');
      await admin.query(statement, params);
      await admin.query('COMMIT');
    };

    it('answers the reads of a known key from the copy: a change that notifies nobody is not seen until a notification drops it', async () => {
      const b = await node();
      const user = await panel.customer();
      const placed = await panel.api({
        key: user.apiKey,
        action: 'add',
        service: serviceId,
        link: 'https://example.com/p',
        quantity: 100,
      });
      const orderId = placed.json.order as number;
      expect(orderId).toBeGreaterThan(0);
      const refused = `200 ${JSON.stringify({ error: INVALID })}`;
      // The three reads answered for a held owner, well formed or not, and their answers from a node
      // that reads the key each time: the copy must not change a byte.
      const many = Array.from({ length: 101 }, (_, i) => String(i + 1)).join(',');
      const reads: Record<string, string>[] = [
        { action: 'status', orders: `${orderId},999999,${orderId},x` },
        { action: 'status', orders: '' },
        { action: 'status', orders: many },
        { action: 'refill_status', refills: '999999,07,x' },
        { action: 'refill_status', refills: '' },
        { action: 'refill_status', refills: many },
        { action: 'refill_status', refill: '999999' },
        { action: 'refill_status', refill: 'x' },
      ];
      const plain = await startNode(panel, {}, false);
      nodes.push(plain);
      const expected = new Map<object, string>();
      for (const fields of reads) expected.set(fields, await plain.api(user, fields));
      expect(expected.get(reads[0]!)).toContain('"status":"Pending"');
      expect(b.node.apiKeyOwners.size).toBe(0);
      for (const fields of reads) expect(await b.api(user, fields)).toBe(expected.get(fields));
      expect(b.node.apiKeyOwners.get(apiKeyHash(user.apiKey)!)?.userId).toBe(user.id);
      expect(await b.services(user)).toContain('keys-0');

      await unheard('UPDATE api_keys SET revoked_at = 1 WHERE user_id = $1', [user.id]);
      // The panel itself reads the key: refused at once.
      expect((await panel.api({ key: user.apiKey, action: 'services' })).json).toEqual({ error: INVALID });
      // The node answers the reads from its copy, byte for byte: no read of the key.
      for (let i = 0; i < 3; i++) expect(await b.services(user)).toContain('keys-0');
      for (const fields of reads) expect(await b.api(user, fields)).toBe(expected.get(fields));

      await admin.query("SELECT pg_notify('smmkit_api_keys', '')");
      await within(1000, async () => (await b.services(user)) === INVALID);
      for (const fields of reads) expect(await b.api(user, fields)).toBe(refused);
      expect(b.node.apiKeyOwners.listening).toBe(true);
    });

    it('an action that reads the key and finds it refused drops it from the copy', async () => {
      const b = await node();
      for (const fields of [{ action: 'balance' }, { action: 'status', order: '1' }] as Record<
        string,
        string
      >[]) {
        const user = await panel.customer();
        expect(await b.services(user)).toContain('keys-0');
        await unheard('UPDATE api_keys SET revoked_at = 1 WHERE user_id = $1', [user.id]);
        expect(await b.services(user)).toContain('keys-0');
        expect(await b.api(user, fields)).toBe(`200 ${JSON.stringify({ error: INVALID })}`);
        expect(await b.services(user)).toBe(INVALID);
      }
    });

    it('a change by any writer reaches another server within a second, by the triggers alone', async () => {
      const b = await node();
      const writes: [string, (user: TestUser) => Promise<unknown>][] = [
        ['revoked', (u) => admin.query('UPDATE api_keys SET revoked_at = 1 WHERE user_id = $1', [u.id])],
        ['deleted', (u) => admin.query('DELETE FROM api_keys WHERE user_id = $1', [u.id])],
        [
          'rewritten',
          (u) => admin.query("UPDATE api_keys SET key_hash = 'x' || key_hash WHERE user_id = $1", [u.id]),
        ],
        ['suspended', (u) => admin.query("UPDATE users SET status = 'suspended' WHERE id = $1", [u.id])],
      ];
      for (const [what, write] of writes) {
        const user = await panel.customer();
        expect(await b.services(user), what).toContain('keys-0');
        expect(await b.services(user), what).toContain('keys-0');
        await write(user);
        const ms = await within(1000, async () => (await b.services(user)) === INVALID);
        expect(ms, what).toBeLessThan(1000);
      }
      // Reactivated: read again, answered again.
      const user = await panel.customer();
      await b.services(user);
      await admin.query("UPDATE users SET status = 'suspended' WHERE id = $1", [user.id]);
      await within(1000, async () => (await b.services(user)) === INVALID);
      await admin.query("UPDATE users SET status = 'active' WHERE id = $1", [user.id]);
      expect(await b.services(user)).toContain('keys-0');
    });

    it("a rate limit set elsewhere applies to the node's next request", async () => {
      const b = await node();
      const user = await panel.customer();
      for (let i = 0; i < 3; i++) expect(await b.services(user)).toContain('keys-0');
      await admin.query('UPDATE users SET rate_limit_per_minute = 1 WHERE id = $1', [user.id]);
      await within(1000, () => b.node.apiKeyOwners.size === 0);
      expect(await b.services(user)).toContain('keys-0');
      expect(await b.services(user)).toBe('Too many requests');
    });

    it("the panel's own writers drop this process's copies as soon as they commit", async () => {
      const b = await node();
      // Their own NOTIFY alone, heard in this process before the commit's call returns.
      await admin.query('ALTER TABLE api_keys DISABLE TRIGGER api_keys_changed');
      await admin.query('ALTER TABLE users DISABLE TRIGGER users_access_changed');
      try {
        await ownWritersDropAtOnce(b);
      } finally {
        await admin.query('ALTER TABLE api_keys ENABLE TRIGGER api_keys_changed');
        await admin.query('ALTER TABLE users ENABLE TRIGGER users_access_changed');
      }
    });

    const ownWritersDropAtOnce = async (b: Node) => {
      const revoked = await panel.customer();
      const suspended = await panel.customer();
      const limited = await panel.customer();
      /** Held by the node (and answered by both) before the write. */
      const held = async (user: TestUser) => {
        expect(await b.services(user)).toContain('keys-0');
        expect(b.node.apiKeyOwners.get(apiKeyHash(user.apiKey)!)).toBeDefined();
        expect((await panel.api({ key: user.apiKey, action: 'services' })).status).toBe(200);
      };

      await held(revoked);
      expect((await revokeApiKey(panel.ctx, revoked.id, await keyIdOf(revoked))).ok).toBe(true);
      expect(b.node.apiKeyOwners.size).toBe(0);
      expect(await b.services(revoked)).toBe(INVALID);
      expect((await panel.api({ key: revoked.apiKey, action: 'services' })).json).toEqual({ error: INVALID });

      await held(suspended);
      expect((await setUserStatus(panel.ctx, { userId: suspended.id, status: 'suspended' })).ok).toBe(true);
      expect(b.node.apiKeyOwners.size).toBe(0);
      expect(await b.services(suspended)).toBe(INVALID);
      expect((await panel.api({ key: suspended.apiKey, action: 'services' })).json).toEqual({
        error: INVALID,
      });

      await held(limited);
      expect(
        (await setUserRateLimitPerMinute(panel.ctx, { user: { id: limited.id }, perMinute: 1 })).ok,
      ).toBe(true);
      expect(b.node.apiKeyOwners.size).toBe(0);
      expect(await b.services(limited)).toContain('keys-0');
      expect(await b.services(limited)).toBe('Too many requests');
    };

    it('a write that changes nothing a key says (a balance, a status set again, an unknown key revoked) drops nothing', async () => {
      const b = await node();
      const owners = b.node.apiKeyOwners;
      const user = await panel.customer();
      const marker = await panel.customer();
      expect(await b.services(user)).toContain('keys-0');
      const before = owners.readToken!;
      await panel.fund(user, '5');
      await admin.query("UPDATE users SET status = 'active', rate_limit_per_minute = NULL WHERE id = $1", [
        user.id,
      ]);
      expect((await revokeApiKey(panel.ctx, user.id, 999_999)).ok).toBe(false);
      await admin.query('UPDATE api_keys SET revoked_at = 1 WHERE id = -1');
      expect(
        (await setUserRateLimitPerMinute(panel.ctx, { user: { id: user.id }, perMinute: null })).ok,
      ).toBe(true);
      expect(owners.get(apiKeyHash(user.apiKey)!)).toBeDefined();
      // Then one change that notifies: notifications arrive in commit order, so once its drop is
      // heard any earlier one would have been too. Its drop is the only one.
      await admin.query("UPDATE users SET status = 'suspended' WHERE id = $1", [marker.id]);
      await within(1000, () => owners.readToken !== before);
      expect(owners.readToken).toBe(before + 1);
    });

    it('while its listening connection is down each request reads its key; the copy starts empty when LISTEN is back', async () => {
      const b = await node({ dropIntervalMs: 600_000, listenRetryMs: 3000 });
      const user = await panel.customer();
      const other = await panel.customer();
      expect(await b.services(user)).toContain('keys-0');
      expect(await b.services(other)).toContain('keys-0');
      const pid = b.node.apiKeyOwners.listenerPid;
      expect(pid).toBeGreaterThan(0);
      const killed = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
      expect(killed.rows[0]?.ok).toBe(true);
      await within(2000, () => !b.node.apiKeyOwners.listening);
      expect(b.node.apiKeyOwners.size).toBe(0);

      // Unheard, yet refused at once: nothing is trusted or kept meanwhile.
      await unheard("UPDATE users SET status = 'suspended' WHERE id = $1", [user.id]);
      expect(await b.services(user)).toBe(INVALID);
      expect(await b.services(other)).toContain('keys-0');
      expect(b.node.apiKeyOwners.size).toBe(0);

      await within(10_000, () => b.node.apiKeyOwners.listening);
      expect(b.node.apiKeyOwners.listenerPid).not.toBe(pid);
      expect(b.node.apiKeyOwners.size).toBe(0);
      expect(await b.services(other)).toContain('keys-0');
      expect(b.node.apiKeyOwners.size).toBe(1);
      // Heard again on the new connection.
      await admin.query("UPDATE users SET status = 'suspended' WHERE id = $1", [other.id]);
      await within(1000, async () => (await b.services(other)) === INVALID);
    }, 60_000);

    it('a change whose notification never came is seen once the copy is next dropped', async () => {
      const b = await node({ dropIntervalMs: 200 });
      const user = await panel.customer();
      expect(await b.services(user)).toContain('keys-0');
      await unheard('UPDATE api_keys SET revoked_at = 1 WHERE user_id = $1', [user.id]);
      await within(1000, async () => (await b.services(user)) === INVALID);
      expect(b.node.apiKeyOwners.listening).toBe(true);
    });

    it('a key read begun before a drop is not kept', async () => {
      const b = await node();
      const owners = b.node.apiKeyOwners;
      const user = await panel.customer();
      const keyHash = apiKeyHash(user.apiKey)!;
      const caller = { keyId: await keyIdOf(user), userId: user.id, rateLimitPerMinute: null };
      // As a request reading the key across a notification: token taken, the drop heard, then the read done.
      const token = owners.readToken;
      expect(token).not.toBeNull();
      await admin.query("SELECT pg_notify('smmkit_api_keys', '')");
      await within(1000, () => owners.readToken !== token);
      owners.remember(keyHash, caller, token);
      expect(owners.get(keyHash)).toBeUndefined();
      owners.remember(keyHash, caller, owners.readToken);
      expect(owners.get(keyHash)).toEqual(caller);
    });

    it("a request's key read in flight across a drop is answered but not kept", async () => {
      const b = await node();
      const user = await panel.customer();
      const keyHash = apiKeyHash(user.apiKey)!;
      const locker = new pg.Client({ connectionString: panel.database.url });
      await locker.connect();
      try {
        // The node's read of the key waits behind this lock, its token already taken.
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE');
        const answer = b.services(user);
        await within(5000, async () => {
          const waiting = await admin.query(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%api_keys%'",
          );
          return waiting.rowCount === 1;
        });
        const token = b.node.apiKeyOwners.readToken;
        await admin.query("SELECT pg_notify('smmkit_api_keys', '')");
        await within(1000, () => b.node.apiKeyOwners.readToken !== token);
        await locker.query('COMMIT');
        expect(await answer).toContain('keys-0');
        expect(b.node.apiKeyOwners.get(keyHash)).toBeUndefined();
      } finally {
        await locker.end();
      }
      // A read with no drop across it is kept.
      expect(await b.services(user)).toContain('keys-0');
      expect(b.node.apiKeyOwners.get(keyHash)).toBeDefined();
    });

    it('under concurrent requests, a key revoked elsewhere is refused by every request begun a second later', async () => {
      // No periodic drop: only the revocation's notification can stop the node's answers.
      const b = await node();
      const user = await panel.customer();
      expect(await b.services(user)).toContain('keys-0');
      let revokedAt = Infinity;
      let stop = false;
      const late: string[] = [];
      let answered = 0;
      const client = async () => {
        while (!stop) {
          const began = performance.now();
          const answer = await b.services(user);
          answered++;
          if (began > revokedAt + 1000 && answer !== INVALID) late.push(String(answer));
        }
      };
      const clients = Array.from({ length: 16 }, client);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await admin.query('UPDATE api_keys SET revoked_at = 1 WHERE user_id = $1', [user.id]);
      revokedAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      stop = true;
      await Promise.all(clients);
      expect(answered).toBeGreaterThan(100);
      expect(late).toEqual([]);
    });

    // Last: it empties the keys table.
    it('a truncation of the keys reaches another server within a second', async () => {
      const b = await node();
      const user = await panel.customer();
      expect(await b.services(user)).toContain('keys-0');
      await admin.query('TRUNCATE api_keys');
      await within(1000, async () => (await b.services(user)) === INVALID);
    });
  },
);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApiClient } from '../support/admin-api-client.js';
import { runCli } from '../support/run-cli.js';
import { TestPanel } from '../support/test-panel.js';
import { webUser } from '../support/web-client.js';

/** Issue 16 item 4: `smmkit token create` / `token revoke`, the real CLI against the panel's database. */

let panel: TestPanel;
beforeAll(async () => {
  panel = await TestPanel.start();
});
afterAll(() => panel.close());

describe('smmkit token', () => {
  it('creates a token shown once that works, refuses a second of the same name, and revokes it', async () => {
    const manager = await webUser(panel, 'manager');
    const created = await runCli(
      ['token', 'create', '--username', manager.username, '--name', 'ci'],
      panel.database.url,
    );
    expect(created.code, created.stderr).toBe(0);
    const { token } = created.json();
    expect(Object.keys(created.json())).toEqual(['token']);
    const api = new AdminApiClient(panel.baseUrl, token);
    expect((await api.get('/orders')).status).toBe(200);
    // The manager's role: no staff settings, but users.funds is theirs.
    expect((await api.get('/audit')).status).toBe(200);

    const listed = await manager.web.get('/account/admin-tokens');
    expect(listed.json.tokens).toEqual([
      { name: 'ci', createdAt: expect.any(String), lastUsedAt: expect.any(String) },
    ]);
    const twice = await runCli(
      ['token', 'create', '--username', manager.username, '--name', 'ci'],
      panel.database.url,
    );
    expect([twice.code, twice.stderr.trim()]).toEqual([
      1,
      'error: An admin API token named ci exists already: revoke it or choose another name',
    ]);

    const revoked = await runCli(
      ['token', 'revoke', '--username', manager.username, '--name', 'ci'],
      panel.database.url,
    );
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await api.get('/orders')).status).toBe(401);
    const gone = await runCli(
      ['token', 'revoke', '--username', manager.username, '--name', 'ci'],
      panel.database.url,
    );
    expect([gone.code, gone.stderr.trim()]).toEqual([1, 'error: No admin API token named ci']);
  }, 120_000);

  it('refuses customers clearly', async () => {
    const customer = await webUser(panel, 'customer');
    const refused = await runCli(
      ['token', 'create', '--username', customer.username, '--name', 'x'],
      panel.database.url,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('admin API tokens are for staff');
  }, 60_000);
});

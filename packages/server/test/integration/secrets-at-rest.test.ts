import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callProvider } from '../../src/app/dispatch/provider-gateway.js';
import { addProvider } from '../../src/app/providers/add-provider.js';
import { addPaymentMethod } from '../../src/app/payments/add-payment-method.js';
import { updatePaymentMethod } from '../../src/app/payments/update-payment-method.js';
import { openMethodSecrets } from '../../src/app/payments/method-secrets.js';
import { listProviders } from '../../src/app/providers/list-providers.js';
import { providerBalance } from '../../src/app/providers/provider-balance.js';
import { SecretBox, SecretKeyError } from '../../src/app/secrets/secret-box.js';
import { checkSecondFactor } from '../../src/app/two-factor/check-second-factor.js';
import { enableTwoFactor } from '../../src/app/two-factor/enable-two-factor.js';
import { setUpTwoFactor } from '../../src/app/two-factor/set-up-two-factor.js';
import { sql } from '../../src/store/database.js';
import { findPaymentMethod } from '../../src/store/payment-methods.js';
import { findProvider } from '../../src/store/providers.js';
import { SqliteDatabase } from '../../src/store/sqlite-database.js';
import { runCli } from '../support/run-cli.js';
import { TEST_DIALECT, createTestDatabase } from '../support/test-database.js';
import { TestPanel, type TestUser } from '../support/test-panel.js';

/** Finding 10 of issue 13: data files readable by their owner only, provider keys encrypted at rest. */

describe.runIf(TEST_DIALECT === 'sqlite')('SQLite data files', () => {
  it('are created 0600 (database, -wal and -shm), and an existing world-readable file is narrowed', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const db = new SqliteDatabase({ filename: database.url });
      await db.transaction((tx) => tx.run(sql('CREATE TABLE t (x INTEGER)')));
      for (const suffix of ['', '-wal', '-shm']) {
        expect(existsSync(database.url + suffix), suffix).toBe(true);
        expect(statSync(database.url + suffix).mode & 0o777, suffix).toBe(0o600);
      }
      await db.close();
      // A file left world-readable by an older version is narrowed when opened.
      chmodSync(database.url, 0o644);
      const reopened = new SqliteDatabase({ filename: database.url });
      expect(statSync(database.url).mode & 0o777).toBe(0o600);
      await reopened.close();
    } finally {
      await database.drop();
    }
  });
});

describe('provider keys at rest (SMMKIT_SECRET_KEY)', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  let upstream: TestPanel;
  let reseller: TestPanel;
  let account: TestUser;
  const storedKeys = sql('SELECT id, api_key FROM providers ORDER BY id');
  const stored = async () =>
    (await reseller.db.all<{ id: bigint; api_key: string }>(storedKeys)).map((row) => row.api_key);
  const cli = (env: Record<string, string>, ...args: string[]) => runCli(args, reseller.database.url, env);

  beforeAll(async () => {
    upstream = await TestPanel.start();
    reseller = await TestPanel.start({ secrets: box });
    account = await upstream.customer('42');
  });
  afterAll(async () => {
    await reseller.close();
    await upstream.close();
  });

  it('stores a new provider key sealed, and every use opens it', async () => {
    const added = await addProvider(reseller.ctx, {
      name: 'sealed',
      url: upstream.apiUrl,
      apiKey: account.apiKey,
    });
    expect(added.ok).toBe(true);
    const [sealed] = await stored();
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(account.apiKey);
    expect(box.open(sealed!)).toBe(account.apiKey);

    const balance = await providerBalance(reseller.ctx, 1);
    expect(balance).toMatchObject({ ok: true, value: { balance: '42.00000' } });
    expect((await listProviders(reseller.ctx))[0]!.key).toBe(`${account.apiKey.slice(0, 4)}…`);
    // The worker's gateway opens it too.
    const provider = (await findProvider(reseller.db, 1))!;
    const gateway = { log: { warn() {}, error() {} }, timeoutMs: 5000, syncIntervalMs: 30_000, secrets: box };
    expect(await callProvider(gateway, provider, 'balance', (client) => client.balance())).toMatchObject({
      balance: '42.00000',
    });
    // A process without the key cannot use it, and says why instead of sending the ciphertext.
    await expect(providerBalance({ ...reseller.ctx, secrets: undefined }, 1)).rejects.toThrow(
      'SMMKIT_SECRET_KEY',
    );
    expect((await listProviders({ ...reseller.ctx, secrets: undefined }))[0]!.key).toBe('(encrypted)');
  });

  it('reads plain keys stored before a key was set; `secrets reencrypt` seals them, then rotates', async () => {
    const plain = await addProvider(
      { ...reseller.ctx, secrets: undefined },
      { name: 'legacy', url: upstream.apiUrl, apiKey: account.apiKey },
    );
    expect(plain.ok).toBe(true);
    expect((await stored())[1]).toBe(account.apiKey);
    expect(await providerBalance(reseller.ctx, 2)).toMatchObject({ ok: true });

    const noKey = await cli({}, 'secrets', 'reencrypt');
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('SMMKIT_SECRET_KEY');
    const wrong = await cli(
      { SMMKIT_SECRET_KEY: randomBytes(32).toString('base64') },
      'secrets',
      'reencrypt',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('provider 1 key');
    expect((await stored())[1]).toBe(account.apiKey);

    const before = await stored();
    const sealed = await cli({ SMMKIT_SECRET_KEY: key.toString('base64') }, 'secrets', 'reencrypt');
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(sealed.json()).toEqual({ providers: 2, paymentMethods: 0, twoFactorSecrets: 0 });
    const after = await stored();
    expect(after.every((value) => value.startsWith('v1:'))).toBe(true);
    expect(after[0]).not.toBe(before[0]); // a fresh IV
    expect(after.map((value) => box.open(value))).toEqual([account.apiKey, account.apiKey]);
    expect(await providerBalance(reseller.ctx, 2)).toMatchObject({ ok: true });

    // Rotation: the new key seals, the previous one still opens until reencrypt has run.
    const next = randomBytes(32);
    const rotated = await cli(
      { SMMKIT_SECRET_KEY: next.toString('hex'), SMMKIT_PREVIOUS_SECRET_KEY: key.toString('base64') },
      'secrets',
      'reencrypt',
    );
    expect(rotated.code, rotated.stderr).toBe(0);
    const final = await stored();
    expect(final.map((value) => new SecretBox(next).open(value))).toEqual([account.apiKey, account.apiKey]);
    expect(() => box.open(final[0]!)).toThrow();
    // The CLI uses the configured key for every provider call.
    const balance = await cli({ SMMKIT_SECRET_KEY: next.toString('hex') }, 'provider', 'balance', '2');
    expect(balance.code, balance.stderr).toBe(0);
    expect(balance.json()).toMatchObject({ balance: '42.00000' });
  }, 180_000);

  it('refuses a malformed SMMKIT_SECRET_KEY at start-up', async () => {
    const run = await cli({ SMMKIT_SECRET_KEY: 'not-a-key' }, 'provider', 'list');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('SMMKIT_SECRET_KEY must be 32 bytes');
  }, 60_000);
});

describe('payment gateway secrets at rest (SMMKIT_SECRET_KEY)', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  let panel: TestPanel;
  const config = { secretKey: 'sk_test_secret_value', webhookSecret: 'whsec_secret_value' };
  const storedConfig = sql('SELECT config FROM payment_methods WHERE id = ?');
  const rawConfig = async (id: number) =>
    (await panel.db.get<{ config: string }>(storedConfig, [id]))?.config ?? '';

  beforeAll(async () => {
    panel = await TestPanel.start({ secrets: box });
  });
  afterAll(async () => {
    await panel.close();
  });

  it("seals a gateway method's secret fields, keeps the rest readable, and opens them for the adapter", async () => {
    const added = await addPaymentMethod(panel.ctx, { gateway: 'stripe', name: 'Card', config });
    if (!added.ok) throw new Error(JSON.stringify(added.failure));
    const id = added.value.id;
    const raw = await rawConfig(id);
    expect(raw).not.toContain('sk_test_secret_value');
    expect(raw).not.toContain('whsec_secret_value');
    const stored = await findPaymentMethod(panel.db, id);
    expect(stored?.config.secretKey?.startsWith('v1:')).toBe(true);
    expect(openMethodSecrets(panel.ctx, 'stripe', stored!.config)).toMatchObject(config);

    // An update that leaves the secrets alone keeps them (opened, merged, sealed again with a fresh IV).
    const updated = await updatePaymentMethod(panel.ctx, id, { name: 'Card payments' });
    expect(updated.ok).toBe(true);
    const after = await findPaymentMethod(panel.db, id);
    expect(after?.config.secretKey).not.toBe(stored?.config.secretKey);
    expect(openMethodSecrets(panel.ctx, 'stripe', after!.config)).toMatchObject(config);
    expect(await rawConfig(id)).not.toContain('sk_test_secret_value');

    // Without the key the sealed value cannot be opened: nothing falls back to clear text.
    expect(() =>
      openMethodSecrets({ ...panel.ctx, secrets: new SecretBox(randomBytes(32)) }, 'stripe', after!.config),
    ).toThrow();
  });
});

describe('two-factor (TOTP) secrets at rest (SMMKIT_SECRET_KEY)', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  let panel: TestPanel;
  let sealedFirst: { userId: number; stored: string };
  const storedSecret = sql('SELECT secret FROM two_factor WHERE user_id = ?');
  const raw = async (userId: number) =>
    (await panel.db.get<{ secret: string }>(storedSecret, [userId]))?.secret ?? '';
  /** The code an authenticator app shows now (the panel's clock); `nextStep` before the next one. */
  const codeNow = (secret: string) => generate({ secret, epoch: Math.floor(panel.clock.now() / 1000) });
  const nextStep = () => panel.clock.advance(30_000);

  /** Sets up and enables 2FA for a new customer through `ctx`; the secret as the app holds it. */
  async function withTwoFactor(ctx: TestPanel['ctx']): Promise<{ userId: number; secret: string }> {
    const user = await panel.customer('0');
    const setup = await setUpTwoFactor(ctx, user.id);
    if (!setup.ok) throw new Error(setup.failure.code);
    const enabled = await enableTwoFactor(panel.ctx, {
      userId: user.id,
      code: await codeNow(setup.value.secret),
    });
    expect(enabled.ok).toBe(true);
    nextStep();
    return { userId: user.id, secret: setup.value.secret };
  }

  beforeAll(async () => {
    panel = await TestPanel.start({ secrets: box });
  });
  afterAll(async () => {
    await panel.close();
  });

  it('stores a new TOTP secret sealed, opened only to check a code; another key opens nothing', async () => {
    const { userId, secret } = await withTwoFactor(panel.ctx);
    const stored = await raw(userId);
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain(secret);
    expect(box.open(stored)).toBe(secret);

    expect(await checkSecondFactor(panel.ctx, { userId, code: await codeNow(secret) })).toBe(true);
    nextStep();
    expect(await checkSecondFactor(panel.ctx, { userId, code: '000000' })).toBe(false);
    // Without the right key the code cannot be checked, and nothing falls back to the stored text.
    await expect(
      checkSecondFactor(
        { ...panel.ctx, secrets: new SecretBox(randomBytes(32)) },
        { userId, code: await codeNow(secret) },
      ),
    ).rejects.toThrow(SecretKeyError);
    expect(await raw(userId)).toBe(stored);
    sealedFirst = { userId, stored };
  });

  it('a clear secret stored before a key was set keeps working; `secrets reencrypt` seals it', async () => {
    const { userId, secret } = await withTwoFactor({ ...panel.ctx, secrets: undefined });
    expect(await raw(userId)).toBe(secret);
    expect(await checkSecondFactor(panel.ctx, { userId, code: await codeNow(secret) })).toBe(true);
    nextStep();

    const run = await runCli(['secrets', 'reencrypt'], panel.database.url, {
      SMMKIT_SECRET_KEY: key.toString('base64'),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({ providers: 0, paymentMethods: 0, twoFactorSecrets: 2 });
    const sealed = await raw(userId);
    expect(sealed).toMatch(/^v1:/);
    expect(box.open(sealed)).toBe(secret);
    const resealed = await raw(sealedFirst.userId);
    expect(resealed).not.toBe(sealedFirst.stored); // a fresh IV
    expect(box.open(resealed)).toBe(box.open(sealedFirst.stored));
    expect(await checkSecondFactor(panel.ctx, { userId, code: await codeNow(secret) })).toBe(true);
  }, 120_000);
});

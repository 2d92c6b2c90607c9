import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/database.js';
import { solvedChallenge } from '../support/challenge-solver.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

const selectRecoveryHashes = sql('SELECT code_hash FROM recovery_codes WHERE user_id = ?');
const selectAudit = sql(
  "SELECT action FROM audit_log WHERE action LIKE 'user.two_factor.%' AND target = ? ORDER BY id",
);

describe('two-factor sign-in (TOTP)', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start({ signIn: { challenge: true, signUpsPerHour: 0 } });
  });
  afterAll(() => panel.close());

  /** The code an authenticator app shows now (the panel's clock), computed from the secret. */
  const codeNow = (secret: string, offsetMs = 0) =>
    generate({ secret, epoch: Math.floor((panel.clock.now() + offsetMs) / 1000) });

  async function userWithTwoFactor(as: 'customer' | 'owner' = 'customer') {
    const user = await webUser(panel, as);
    const setup = await user.web.post('/2fa/setup');
    expect(setup.status).toBe(200);
    const { secret } = setup.json as { secret: string; otpauthUrl: string };
    const enabled = await user.web.post('/2fa/enable', { code: await codeNow(secret) });
    expect(enabled.status).toBe(200);
    panel.clock.advance(30_000);
    return { ...user, secret, recoveryCodes: enabled.json.recoveryCodes as string[] };
  }

  it('sets up with a secret and an otpauth URL, enables with a code, and gives ten recovery codes stored hashed', async () => {
    const user = await webUser(panel);
    const setup = await user.web.post('/2fa/setup');
    expect(setup.json.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(setup.json.otpauthUrl).toBe(
      `otpauth://totp/smmkit:${user.username}?secret=${setup.json.secret}&issuer=smmkit`,
    );
    expect((await user.web.post('/2fa/enable', { code: '000000' })).json.code).toBe(
      'INVALID_TWO_FACTOR_CODE',
    );
    expect((await user.web.get('/session')).json.user.twoFactor).toBe(false);
    const enabled = await user.web.post('/2fa/enable', { code: await codeNow(setup.json.secret) });
    expect(enabled.status).toBe(200);
    const codes = enabled.json.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const hashes = await panel.db.all<{ code_hash: string }>(selectRecoveryHashes, [user.id]);
    expect(hashes).toHaveLength(10);
    expect(hashes.map((row) => row.code_hash)).not.toContain(codes[0]);
    expect((await user.web.get('/session')).json.user.twoFactor).toBe(true);
    // A second set-up while on changes nothing.
    expect((await user.web.post('/2fa/setup')).json.code).toBe('TWO_FACTOR_ALREADY_ON');
  });

  it('logs in in two steps: no session (401 everywhere) until a code, each code accepted once', async () => {
    const user = await userWithTwoFactor();
    const web = new WebClient(panel.baseUrl);
    const first = await web.login(user.username, user.password);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ twoFactorRequired: true });
    expect(first.headers.get('set-cookie')).toMatch(
      /^smmkit_pending_login=[A-Za-z0-9_-]{43}; Path=\/web-api\/login; HttpOnly; SameSite=Strict; Max-Age=300$/,
    );
    // The pending cookie is no session.
    const pending = new WebClient(panel.baseUrl);
    pending.cookie = web.cookie!.replace('smmkit_pending_login', 'smmkit_session');
    for (const path of ['/dashboard', '/orders', '/api-keys']) expect((await web.get(path)).status).toBe(401);
    expect((await pending.get('/dashboard')).status).toBe(401);
    expect((await web.get('/session')).json.user).toBeNull();

    expect((await web.post('/login/2fa', { code: '123456' })).json.code).toBe('INVALID_TWO_FACTOR_CODE');
    const code = await codeNow(user.secret);
    const second = await web.post('/login/2fa', { code });
    expect(second.status).toBe(200);
    expect(typeof second.json.csrfToken).toBe('string');
    expect((await web.get('/dashboard')).status).toBe(200);

    // The same code again, in the same 30 seconds: refused (no replay), though a fresh login asked.
    const again = new WebClient(panel.baseUrl);
    expect((await again.login(user.username, user.password)).json).toEqual({ twoFactorRequired: true });
    const replay = await again.post('/login/2fa', { code });
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('INVALID_TWO_FACTOR_CODE');
    panel.clock.advance(30_000);
    expect((await again.post('/login/2fa', { code: await codeNow(user.secret) })).status).toBe(200);
  });

  it('accepts each recovery code once', async () => {
    const user = await userWithTwoFactor();
    const [recovery] = user.recoveryCodes;
    const web = new WebClient(panel.baseUrl);
    await web.login(user.username, user.password);
    expect((await web.post('/login/2fa', { code: recovery })).status).toBe(200);
    const again = new WebClient(panel.baseUrl);
    await again.login(user.username, user.password);
    expect((await again.post('/login/2fa', { code: recovery })).json.code).toBe('INVALID_TWO_FACTOR_CODE');
    expect((await again.post('/login/2fa', { code: user.recoveryCodes[1] })).status).toBe(200);
  });

  it('counts codes against the login throttle: five per pending login, then past the allowance a challenge', async () => {
    const user = await userWithTwoFactor();
    const web = new WebClient(panel.baseUrl);
    await web.login(user.username, user.password);
    for (let i = 0; i < 5; i += 1)
      expect((await web.post('/login/2fa', { code: `00000${i}` })).status).toBe(401);
    // This pending login is used up, even with the right code.
    const spent = await web.post('/login/2fa', { code: await codeNow(user.secret) });
    expect(spent.json.code).toBe('TWO_FACTOR_LOGIN_EXPIRED');
    // Five failures for the username: the next step needs a challenge, and with one the owner gets in.
    const owner = new WebClient(panel.baseUrl);
    const login = await owner.post('/login', {
      username: user.username,
      password: user.password,
      challenge: await solvedChallenge(owner),
    });
    expect(login.json).toEqual({ twoFactorRequired: true });
    // The successful password step forgot the failures: the code goes through unchallenged.
    expect((await owner.post('/login/2fa', { code: await codeNow(user.secret) })).status).toBe(200);
  });

  it('refuses the second step without a pending login, and after it expires', async () => {
    const user = await userWithTwoFactor();
    expect((await new WebClient(panel.baseUrl).post('/login/2fa', { code: '123456' })).json.code).toBe(
      'TWO_FACTOR_LOGIN_EXPIRED',
    );
    const web = new WebClient(panel.baseUrl);
    await web.login(user.username, user.password);
    panel.clock.advance(5 * 60 * 1000 + 1);
    expect((await web.post('/login/2fa', { code: await codeNow(user.secret) })).json.code).toBe(
      'TWO_FACTOR_LOGIN_EXPIRED',
    );
  });

  it('disables only with the password and a code, audited', async () => {
    const user = await userWithTwoFactor();
    expect(
      (await user.web.post('/2fa/disable', { password: 'wrong password', code: await codeNow(user.secret) }))
        .status,
    ).toBe(401);
    expect((await user.web.post('/2fa/disable', { password: user.password, code: '000000' })).json.code).toBe(
      'INVALID_TWO_FACTOR_CODE',
    );
    const off = await user.web.post('/2fa/disable', {
      password: user.password,
      code: await codeNow(user.secret),
    });
    expect(off.json).toEqual({ ok: true });
    expect(
      (await new WebClient(panel.baseUrl).login(user.username, user.password)).json.csrfToken,
    ).toBeTypeOf('string');
    const audit = await panel.db.all<{ action: string }>(selectAudit, [`user:${user.id}`]);
    expect(audit.map((row) => row.action)).toEqual(['user.two_factor.enable', 'user.two_factor.disable']);
  });

  it('requires 2FA of staff when the owner says so: staff without it are sent to set it up', async () => {
    const owner = await userWithTwoFactor('owner');
    const manager = await webUser(panel, 'manager');
    const customer = await webUser(panel);
    const on = { signUpOpen: true, staffTwoFactorRequired: true };
    expect((await owner.web.request('PUT', '/admin/security', on)).json).toEqual(on);
    const refused = await manager.web.get('/admin/users');
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('TWO_FACTOR_SETUP_REQUIRED');
    expect((await manager.web.get('/session')).json.user.twoFactorSetupRequired).toBe(true);
    expect((await customer.web.get('/session')).json.user.twoFactorSetupRequired).toBe(false);
    expect((await owner.web.get('/admin/users')).status).toBe(200);
    // The manager sets it up, and the admin area opens.
    const setup = await manager.web.post('/2fa/setup');
    expect((await manager.web.post('/2fa/enable', { code: await codeNow(setup.json.secret) })).status).toBe(
      200,
    );
    expect((await manager.web.get('/admin/users')).status).toBe(200);
    await owner.web.request('PUT', '/admin/security', { signUpOpen: true, staffTwoFactorRequired: false });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordChecksMade } from '../../src/app/users/credentials.js';
import { createUser } from '../../src/app/users/create-user.js';
import { sql } from '../../src/store/database.js';
import { solvedChallenge } from '../support/challenge-solver.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

const countUsers = sql('SELECT COUNT(*) AS count FROM users');
const selectAudit = sql("SELECT details FROM audit_log WHERE action = 'settings.security' ORDER BY id");

describe('proof-of-work challenge (on, as by default)', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start({ signIn: { challenge: true, signUpsPerHour: 0 } });
  });
  afterAll(() => panel.close());

  async function users(): Promise<bigint> {
    return (await panel.db.get<{ count: bigint }>(countUsers))!.count;
  }

  it('serves a signed challenge and tells the web app the challenge is on', async () => {
    const web = new WebClient(panel.baseUrl);
    const challenge = await web.get('/challenge');
    expect(challenge.status).toBe(200);
    expect(challenge.json.parameters).toMatchObject({ algorithm: 'SHA-256', cost: 1, keyLength: 32 });
    expect(challenge.json.signature).toMatch(/^[0-9a-f]{64}$/);
    expect((await web.get('/session')).json.signIn).toEqual({ signUpOpen: true, challenge: true });
  });

  it('signs up only with a solved challenge, each usable once', async () => {
    const web = new WebClient(panel.baseUrl);
    const before = await users();
    const missing = await web.post('/signup', {
      username: 'bob_pow',
      email: 'bob_pow@example.com',
      password: 'long enough pw',
    });
    expect(missing.status).toBe(403);
    expect(missing.json).toEqual({
      code: 'CHALLENGE_REQUIRED',
      error: 'Solve the challenge to sign up',
      params: { reason: 'signup' },
    });
    const garbage = await web.post('/signup', {
      username: 'bob_pow',
      email: 'bob_pow@example.com',
      password: 'long enough pw',
      challenge: '!!',
    });
    expect(garbage.json.code).toBe('CHALLENGE_FAILED');

    // An answer whose work was not done: the right shape, a wrong key.
    const challenge = (await web.get('/challenge')).json;
    const forged = Buffer.from(
      JSON.stringify({ challenge, solution: { counter: 1, derivedKey: '00'.repeat(32) } }),
    ).toString('base64');
    expect(
      (
        await web.post('/signup', {
          username: 'bob_pow',
          email: 'bob_pow@example.com',
          password: 'long enough pw',
          challenge: forged,
        })
      ).json.code,
    ).toBe('CHALLENGE_FAILED');
    expect(await users()).toBe(before);

    const solved = await solvedChallenge(web);
    const signup = await web.post('/signup', {
      username: 'bob_pow',
      email: 'bob_pow@example.com',
      password: 'long enough pw',
      challenge: solved,
    });
    expect(signup.status).toBe(200);
    const again = await new WebClient(panel.baseUrl).post('/signup', {
      username: 'carol_pow',
      email: 'carol_pow@example.com',
      password: 'long enough pw',
      challenge: solved,
    });
    expect(again.status).toBe(403);
    expect(again.json.code).toBe('CHALLENGE_FAILED');
    expect(await users()).toBe(before + 1n);
  });

  it('refuses a tampered or expired challenge', async () => {
    const web = new WebClient(panel.baseUrl);
    const solved = JSON.parse(Buffer.from(await solvedChallenge(web), 'base64').toString());
    solved.challenge.parameters.data.expires += 60 * 60 * 1000;
    const tampered = Buffer.from(JSON.stringify(solved)).toString('base64');
    expect(
      (
        await web.post('/signup', {
          username: 'dan_pow',
          email: 'dan_pow@example.com',
          password: 'long enough pw',
          challenge: tampered,
        })
      ).json.code,
    ).toBe('CHALLENGE_FAILED');
    const expiring = await solvedChallenge(web);
    panel.clock.advance(10 * 60 * 1000 + 1);
    expect(
      (
        await web.post('/signup', {
          username: 'dan_pow',
          email: 'dan_pow@example.com',
          password: 'long enough pw',
          challenge: expiring,
        })
      ).json.code,
    ).toBe('CHALLENGE_FAILED');
  });

  it('past the failure allowance, asks for a challenge before any password work; the owner with one always gets in', async () => {
    const user = await webUser(panel);
    const attacker = new WebClient(panel.baseUrl);
    for (let i = 0; i < 5; i += 1)
      expect((await attacker.login(user.username, `wrong ${i}`)).status).toBe(401);

    const checks = passwordChecksMade();
    const refused = await attacker.login(user.username, user.password);
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({
      code: 'CHALLENGE_REQUIRED',
      error: 'Too many failed logins: solve the challenge to try again',
      params: { reason: 'failures' },
    });
    expect(passwordChecksMade()).toBe(checks);

    // Further guesses each cost a solved challenge, and are answered more slowly.
    const started = Date.now();
    const guess = await attacker.post('/login', {
      username: user.username,
      password: 'wrong again',
      challenge: await solvedChallenge(attacker),
    });
    expect(guess.status).toBe(401);
    const solvedAt = Date.now();
    expect(solvedAt - started).toBeGreaterThanOrEqual(500);

    // The rightful owner: the correct password and a solved challenge, however many failures.
    const owner = new WebClient(panel.baseUrl);
    const payload = await solvedChallenge(owner);
    const login = await owner.post('/login', {
      username: user.username,
      password: user.password,
      challenge: payload,
    });
    expect(login.status).toBe(200);
    expect((await owner.get('/session')).json.user.username).toBe(user.username);
    // Its challenge is spent; and the success cleared the username's failures.
    expect((await owner.login(user.username, user.password)).status).toBe(200);
  });

  it('closes public sign-up when the owner makes the panel invite-only (audited), and the admin still creates users', async () => {
    const owner = await webUser(panel, 'owner');
    const support = await webUser(panel, 'support');
    expect((await owner.web.get('/admin/security')).json).toEqual({
      signUpOpen: true,
      staffTwoFactorRequired: false,
    });
    const closing = { signUpOpen: false, staffTwoFactorRequired: false };
    expect((await support.web.request('PUT', '/admin/security', closing)).status).toBe(403);
    const closed = await owner.web.request('PUT', '/admin/security', closing);
    expect(closed.json).toEqual(closing);
    const audit = await panel.db.all<{ details: string }>(selectAudit);
    expect(JSON.parse(audit.at(-1)!.details)).toEqual(closing);

    const visitor = new WebClient(panel.baseUrl);
    expect((await visitor.get('/session')).json.signIn.signUpOpen).toBe(false);
    const before = await users();
    const refused = await visitor.post('/signup', {
      username: 'eve_pow',
      email: 'eve_pow@example.com',
      password: 'long enough pw',
      challenge: await solvedChallenge(visitor),
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({
      code: 'SIGNUP_CLOSED',
      error: 'Sign-up is closed: ask the panel owner for an account',
    });
    expect(await users()).toBe(before);
    expect(
      (await createUser(panel.ctx, { username: 'eve_pow', password: 'long enough pw', role: 'customer' })).ok,
    ).toBe(true);

    await owner.web.request('PUT', '/admin/security', { signUpOpen: true, staffTwoFactorRequired: false });
  });
});

describe('challenge off (SMMKIT_CHALLENGE=off)', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start({ signIn: { challenge: false, signUpsPerHour: 0 } });
  });
  afterAll(() => panel.close());

  it('signs up without a challenge, and past the allowance throttles logins as before', async () => {
    const web = new WebClient(panel.baseUrl);
    expect((await web.get('/session')).json.signIn.challenge).toBe(false);
    expect(
      (
        await web.post('/signup', {
          username: 'frank_off',
          email: 'frank_off@example.com',
          password: 'long enough pw',
        })
      ).status,
    ).toBe(200);
    const user = await webUser(panel);
    for (let i = 0; i < 5; i += 1) await new WebClient(panel.baseUrl).login(user.username, 'wrong');
    const throttled = await new WebClient(panel.baseUrl).login(user.username, user.password);
    expect(throttled.status).toBe(429);
    expect(throttled.json.code).toBe('LOGIN_THROTTLED');
  });
});

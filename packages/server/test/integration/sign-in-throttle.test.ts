import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordChecksMade } from '../../src/app/users/credentials.js';
import { createUser } from '../../src/app/users/create-user.js';
import { MAX_FAILURES_PER_USERNAME } from '../../src/app/sessions/log-in.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient } from '../support/web-client.js';

describe('login throttle under concurrency', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('verifies at most the allowance of 64 parallel wrong passwords for admin; the rest are refused before any password work', async () => {
    const created = await createUser(panel.ctx, {
      username: 'admin',
      password: 'the right password',
      role: 'owner',
    });
    expect(created.ok).toBe(true);
    const checksBefore = passwordChecksMade();
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, i) => new WebClient(panel.baseUrl).login('admin', `guess number ${i}`)),
    );
    const verified = passwordChecksMade() - checksBefore;
    expect(verified).toBeLessThanOrEqual(MAX_FAILURES_PER_USERNAME);
    const wrong = answers.filter((answer) => answer.status === 401);
    const throttled = answers.filter(
      (answer) =>
        answer.status === 429 &&
        answer.json.code === 'LOGIN_THROTTLED' &&
        answer.json.error === 'Too many failed logins: try again in 900 seconds',
    );
    expect(wrong.length).toBe(verified);
    expect(throttled.length).toBeGreaterThanOrEqual(64 - MAX_FAILURES_PER_USERNAME);
    expect(wrong.length + throttled.length).toBe(64);

    // Spelling the name in another case or width is the same account for the throttle.
    for (const spelling of ['ADMIN', 'Admin', 'ａｄｍｉｎ']) {
      expect((await new WebClient(panel.baseUrl).login(spelling, 'another guess')).status).toBe(429);
    }
    expect(passwordChecksMade() - checksBefore).toBe(verified);

    // After the window the owner gets in, and the success forgets the failures.
    panel.clock.advance(15 * 60 * 1000 + 1);
    expect((await new WebClient(panel.baseUrl).login('admin', 'the right password')).status).toBe(200);
  });
});

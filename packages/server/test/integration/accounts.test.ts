import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/app/email/mailer.js';
import { sendDueEmails } from '../../src/app/email/send-due-emails.js';
import { createUser } from '../../src/app/users/create-user.js';
import { sql } from '../../src/store/database.js';
import { listOutboxEmails } from '../../src/store/email-outbox.js';
import { runCli } from '../support/run-cli.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

const PUBLIC_URL = 'https://panel.example';
const selectAudit = sql("SELECT action, target FROM audit_log WHERE action = 'user.password_reset_link'");
const selectTokenHashes = sql('SELECT token_hash FROM account_tokens');

let counter = 0;

describe('accounts and recovery', () => {
  let panel: TestPanel;
  const smtp = new SmtpTestServer();
  beforeAll(async () => {
    await smtp.start();
    panel = await TestPanel.start({ mail: { enabled: true, publicUrl: PUBLIC_URL, adminEmail: null } });
  });
  afterAll(async () => {
    await panel.close();
    await smtp.stop();
  });
  // Every request here comes from 127.0.0.1: an hour later, the per-address reset limit starts afresh.
  beforeEach(() => panel.clock.advance(2 * 60 * 60 * 1000));

  async function deliver(): Promise<void> {
    const mailer = smtpMailer(smtp.url, 'noreply@panel.example');
    await sendDueEmails(panel.ctx, mailer);
    mailer.close();
  }

  /** The reset messages an address received (users created with an address got a verification first). */
  const resets = (address: string) =>
    smtp.to(address).filter((email) => email.decoded.includes('/reset-password?token='));

  async function customerWithEmail() {
    const username = `care${++counter}_${process.pid}`;
    const email = `${username}@mail.example`;
    const password = `pw-${username}-secret`;
    const created = await createUser(panel.ctx, { username, password, role: 'customer', email });
    if (!created.ok) throw new Error(created.failure.code);
    return { id: created.value.id, username, email, password };
  }

  async function loggedIn(username: string, password: string): Promise<WebClient> {
    const web = new WebClient(panel.baseUrl);
    expect((await web.login(username, password)).status).toBe(200);
    return web;
  }

  it('signs up with an email, mails a verification link that works once', async () => {
    const web = new WebClient(panel.baseUrl);
    expect((await web.get('/session')).json.emailEnabled).toBe(true);
    const username = `signup_care_${process.pid}`;
    const email = `${username}@Mail.Example`;
    const signup = await web.post('/signup', { username, password: 'correct horse battery', email });
    expect(signup.status).toBe(200);
    expect((await web.get('/account')).json).toEqual({
      username,
      email: email.toLowerCase(),
      emailVerified: false,
    });
    await deliver();
    const [message] = smtp.to(email.toLowerCase());
    const link = SmtpTestServer.link(message!, 'verify-email');
    expect(link.startsWith(`${PUBLIC_URL}/verify-email?token=`)).toBe(true);
    const token = new URL(link).searchParams.get('token')!;
    // Only the token's hash is stored.
    const hashes = (await panel.db.all<{ token_hash: string }>(selectTokenHashes)).map(
      (row) => row.token_hash,
    );
    expect(hashes.some((hash) => hash.includes(token))).toBe(false);

    const anonymous = new WebClient(panel.baseUrl);
    expect((await anonymous.post('/verify-email', { token })).json).toEqual({ ok: true });
    const again = await anonymous.post('/verify-email', { token });
    expect(again.status).toBe(400);
    expect(again.json).toEqual({
      error: 'This link is invalid, expired or already used: ask for a new one',
      code: 'INVALID_TOKEN',
    });
    expect((await web.get('/account')).json.emailVerified).toBe(true);
  });

  it('refuses a taken email (in any case) without naming the account, and a missing or malformed one', async () => {
    const owner = await customerWithEmail();
    const web = new WebClient(panel.baseUrl);
    const taken = await web.post('/signup', {
      username: `other_${process.pid}`,
      password: 'long enough pw',
      email: owner.email.toUpperCase(),
    });
    expect(taken.status).toBe(400);
    expect(taken.json).toEqual({
      error: 'This email address cannot be used: choose another one',
      code: 'EMAIL_TAKEN',
    });
    expect(JSON.stringify(taken.json)).not.toContain(owner.username);
    const missing = await web.post('/signup', {
      username: `other_${process.pid}`,
      password: 'long enough pw',
    });
    expect(missing.status).toBe(400);
    const malformed = await web.post('/signup', {
      username: `other_${process.pid}`,
      password: 'long enough pw',
      email: 'not an address',
    });
    expect(malformed.json.error).toBe('Invalid email: an address such as name@example.com');
    expect((await web.get('/session')).json.user).toBeNull();
  });

  it('resets a password end to end: link mailed, password set, sessions ended, old password and reused token refused', async () => {
    const user = await customerWithEmail();
    const [first, second] = [
      await loggedIn(user.username, user.password),
      await loggedIn(user.username, user.password),
    ];
    const visitor = new WebClient(panel.baseUrl);
    expect((await visitor.post('/password-reset', { email: user.email.toUpperCase() })).json).toEqual({
      ok: true,
    });
    await deliver();
    const [message] = resets(user.email);
    expect(message!.decoded).toContain('Reset your password');
    const link = SmtpTestServer.link(message!, 'reset-password');
    expect(link.startsWith(`${PUBLIC_URL}/reset-password?token=`)).toBe(true);
    const token = new URL(link).searchParams.get('token')!;

    // A short password is refused and leaves the token usable.
    const short = await visitor.post('/password-reset/confirm', { token, password: 'short' });
    expect(short.json.error).toBe('Invalid password: at least 8 characters');
    const confirm = await visitor.post('/password-reset/confirm', {
      token,
      password: 'a brand new password',
    });
    expect(confirm.json).toEqual({ ok: true });

    for (const web of [first, second]) expect((await web.get('/dashboard')).status).toBe(401);
    expect((await new WebClient(panel.baseUrl).login(user.username, user.password)).status).toBe(401);
    expect((await new WebClient(panel.baseUrl).login(user.username, 'a brand new password')).status).toBe(
      200,
    );
    const reused = await visitor.post('/password-reset/confirm', { token, password: 'yet another password' });
    expect(reused.status).toBe(400);
    expect(reused.json.code).toBe('INVALID_TOKEN');
    expect((await new WebClient(panel.baseUrl).login(user.username, 'a brand new password')).status).toBe(
      200,
    );
  });

  it('answers an unknown address the same, in similar time, and sends nothing', async () => {
    const user = await customerWithEmail();
    const visitor = new WebClient(panel.baseUrl);
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await visitor.post('/password-reset', { email });
      return { response, ms: performance.now() - started };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    const before = (await listOutboxEmails(panel.db)).length;
    for (let i = 0; i < 3; i += 1) {
      const a = await timed(user.email);
      const b = await timed(`nobody-here-${i}@mail.example`);
      expect(b.response.status).toBe(a.response.status);
      expect(b.response.json).toEqual(a.response.json);
      known.push(a.ms);
      unknown.push(b.ms);
    }
    expect((await listOutboxEmails(panel.db)).length).toBe(before + 3);
    await deliver();
    expect(smtp.received.filter((email) => email.to.some((to) => to.startsWith('nobody-here-')))).toEqual([]);
    const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(250);
  });

  it('refuses an expired link and changes nothing', async () => {
    const user = await customerWithEmail();
    const visitor = new WebClient(panel.baseUrl);
    await visitor.post('/password-reset', { email: user.email });
    await deliver();
    const token = new URL(SmtpTestServer.link(resets(user.email).at(-1)!, 'reset-password')).searchParams.get(
      'token',
    )!;
    panel.clock.advance(60 * 60 * 1000 + 1);
    const late = await visitor.post('/password-reset/confirm', { token, password: 'a brand new password' });
    expect(late.json.code).toBe('INVALID_TOKEN');
    const unknown = await visitor.post('/password-reset/confirm', {
      token: 'x'.repeat(43),
      password: 'a brand new password',
    });
    expect(unknown.json.code).toBe('INVALID_TOKEN');
    expect((await new WebClient(panel.baseUrl).login(user.username, user.password)).status).toBe(200);
  });

  it('sends at most 10 reset links an hour per email address, accepting the rest silently', async () => {
    const user = await customerWithEmail();
    const visitor = new WebClient(panel.baseUrl);
    const before = resets(user.email).length;
    for (let i = 0; i < 12; i += 1) {
      expect((await visitor.post('/password-reset', { email: user.email })).json).toEqual({ ok: true });
    }
    await deliver();
    expect(resets(user.email).length - before).toBe(10);
    // Per client address too: this address has used its ten.
    const other = await customerWithEmail();
    await visitor.post('/password-reset', { email: other.email });
    await deliver();
    expect(resets(other.email)).toEqual([]);
    panel.clock.advance(60 * 60 * 1000 + 1);
    await visitor.post('/password-reset', { email: other.email });
    await deliver();
    expect(resets(other.email)).toHaveLength(1);
  });

  it('changes the password with the current one, and the email with a new verification', async () => {
    const user = await customerWithEmail();
    const web = await loggedIn(user.username, user.password);
    const wrong = await web.post('/password', { current: 'not it at all', password: 'my new password' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.code).toBe('WRONG_PASSWORD');
    expect(
      (await web.post('/password', { current: user.password, password: 'my new password' })).json,
    ).toEqual({
      ok: true,
    });
    expect((await new WebClient(panel.baseUrl).login(user.username, 'my new password')).status).toBe(200);

    const taken = await customerWithEmail();
    expect((await web.post('/email', { email: taken.email })).json.code).toBe('EMAIL_TAKEN');
    const changed = await web.post('/email', { email: `New.${user.email}` });
    expect(changed.json).toEqual({ email: `new.${user.email}` });
    expect((await web.get('/account')).json).toMatchObject({
      email: `new.${user.email}`,
      emailVerified: false,
    });
    await deliver();
    const token = new URL(
      SmtpTestServer.link(smtp.to(`new.${user.email}`)[0]!, 'verify-email'),
    ).searchParams.get('token')!;
    expect((await web.post('/verify-email', { token })).json).toEqual({ ok: true });
    expect((await web.get('/account')).json.emailVerified).toBe(true);
  });

  it('lets an admin with users.write send a reset link (audited), and not support staff', async () => {
    const user = await customerWithEmail();
    const owner = await webUser(panel, 'owner');
    const support = await webUser(panel, 'support');
    expect((await support.web.post(`/admin/users/${user.id}/password-reset`)).status).toBe(403);
    expect((await owner.web.post(`/admin/users/${user.id}/password-reset`)).json).toEqual({ ok: true });
    const noEmail = await panel.createUser();
    const refused = await owner.web.post(`/admin/users/${noEmail.id}/password-reset`);
    expect(refused.json.error).toBe('Invalid email: this user has no email address');
    await deliver();
    expect(SmtpTestServer.link(resets(user.email).at(-1)!, 'reset-password')).toContain(
      '/reset-password?token=',
    );
    const audit = await panel.db.all<{ action: string; target: string }>(selectAudit);
    expect(audit).toContainEqual({ action: 'user.password_reset_link', target: `user:${user.id}` });
  });

  it('smmkit user password sets a given or generated password and ends sessions; user create takes --email', async () => {
    const user = await customerWithEmail();
    const web = await loggedIn(user.username, user.password);
    const given = await runCli(
      ['user', 'password', '--username', user.username, '--password', 'set from shell'],
      panel.database.url,
    );
    expect(given.code).toBe(0);
    expect(given.json()).toEqual({ username: user.username });
    expect((await web.get('/dashboard')).status).toBe(401);
    expect((await new WebClient(panel.baseUrl).login(user.username, 'set from shell')).status).toBe(200);

    const generated = await runCli(['user', 'password', '--username', user.username], panel.database.url);
    const password = generated.json().password as string;
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect((await new WebClient(panel.baseUrl).login(user.username, password)).status).toBe(200);
    const unknown = await runCli(['user', 'password', '--username', 'nobody_at_all'], panel.database.url);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user named nobody_at_all');

    const username = `cli_mail_${process.pid}`;
    const created = await runCli(
      [
        'user',
        'create',
        '--username',
        username,
        '--password',
        'long enough pw',
        '--email',
        `${username}@Mail.Example`,
      ],
      panel.database.url,
    );
    expect(created.code).toBe(0);
    const account = await loggedIn(username, 'long enough pw');
    expect((await account.get('/account')).json).toMatchObject({ email: `${username}@mail.example` });
  });
});

describe('accounts with email off', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('signs up, says email is off, and queues nothing for a reset', async () => {
    const web = new WebClient(panel.baseUrl);
    expect((await web.get('/session')).json.emailEnabled).toBe(false);
    const username = `off_${process.pid}`;
    const email = `${username}@mail.example`;
    expect((await web.post('/signup', { username, password: 'long enough pw', email })).status).toBe(200);
    expect((await new WebClient(panel.baseUrl).post('/password-reset', { email })).json).toEqual({
      ok: true,
    });
    expect(await listOutboxEmails(panel.db)).toEqual([]);
    const owner = await webUser(panel, 'owner');
    const created = await web.get('/account');
    const refused = await owner.web.post(
      `/admin/users/${created.json.username === username ? (await web.get('/session')).json.user.id : 0}/password-reset`,
    );
    expect(refused.json.error).toBe('Invalid email: email is off (set SMMKIT_SMTP_URL)');
  });
});

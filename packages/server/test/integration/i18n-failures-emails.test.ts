import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/app/email/mailer.js';
import { sendDueEmails } from '../../src/app/email/send-due-emails.js';
import { updatePanelSettings } from '../../src/app/settings/panel-settings.js';
import { createUser } from '../../src/app/users/create-user.js';
import { readMessage } from '../support/mime-message.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { TestPanel } from '../support/test-panel.js';
import { WebClient, webUser } from '../support/web-client.js';

/**
 * Languages, server side: a web failure carries its details (`params`) for the panel to translate it
 * by its code, while API v2 answers stay the contract's English; and every email is written in its
 * reader's language (their choice, else the request's, else the panel's default), Arabic right to left.
 */
describe('web failures carry their details for translation', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await TestPanel.start();
  });
  afterAll(() => panel.close());

  it('answers code, English sentence and params; a failure without details has no params; API v2 is unchanged', async () => {
    const service = await panel.createService({ min: 10, max: 1000 });
    const user = await webUser(panel);
    const below = await user.web.post('/orders', {
      params: { service: String(service), link: 'https://x/few', quantity: '5' },
    });
    expect(below.status).toBe(400);
    expect(below.json).toEqual({
      error: 'Quantity less than minimal 10',
      code: 'QUANTITY_BELOW_MIN',
      params: { min: 10 },
    });

    const broke = await user.web.post('/orders', {
      params: { service: String(service), link: 'https://x/broke', quantity: '100' },
    });
    expect(broke.json).toEqual({ error: 'Not enough funds on balance', code: 'NOT_ENOUGH_FUNDS' });

    const invalid = await user.web.post('/email', { email: 'not an address' });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toEqual({
      error: 'Invalid email: an address such as name@example.com',
      code: 'INVALID_INPUT',
      params: { field: 'email', reason: 'an address such as name@example.com' },
    });

    // API v2: the same order answers exactly the contract's body, no code or params added.
    const api = await panel.api({
      key: user.apiKey,
      action: 'add',
      service,
      link: 'https://x/few',
      quantity: 5,
    });
    expect(api.text).toBe('{"error":"Quantity less than minimal 10"}');
  });
});

describe('emails in their reader’s language', () => {
  let panel: TestPanel;
  const smtp = new SmtpTestServer();
  let counter = 0;
  beforeAll(async () => {
    await smtp.start();
    panel = await TestPanel.start({
      mail: { enabled: true, publicUrl: 'https://panel.example', adminEmail: null },
    });
    expect((await updatePanelSettings(panel.ctx, { panelName: 'Nova SMM' })).ok).toBe(true);
  });
  afterAll(async () => {
    await panel.close();
    await smtp.stop();
  });

  async function deliver(): Promise<void> {
    const mailer = smtpMailer(smtp.url, 'noreply@panel.example');
    await sendDueEmails(panel.ctx, mailer);
    mailer.close();
  }

  /** A customer with an address, who chose `language` in the panel (null: chose nothing). */
  async function customer(language: string | null): Promise<string> {
    const username = `lang${++counter}_${process.pid}`;
    const email = `${username}@mail.example`;
    const password = `pw-${username}-secret`;
    const created = await createUser(panel.ctx, { username, password, role: 'customer', email });
    if (!created.ok) throw new Error(created.failure.code);
    if (language !== null) {
      const web = new WebClient(panel.baseUrl);
      expect((await web.login(username, password)).status).toBe(200);
      expect((await web.request('PUT', '/account/language', { language })).json).toEqual({ language });
    }
    return email;
  }

  /** "Forgot my password" from a visitor's browser, then the reset message that address received. */
  async function resetMessage(email: string, headers: Record<string, string> = {}) {
    const answer = await fetch(`${panel.baseUrl}/web-api/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ email }),
    });
    expect(answer.status).toBe(200);
    await deliver();
    const resets = smtp
      .to(email)
      .map((received) => readMessage(received.raw))
      .filter((message) => message.text.includes('/reset-password?token='));
    expect(resets).toHaveLength(1);
    return resets[0]!;
  }

  it('writes a Russian user’s reset email in Russian: subject and both bodies', async () => {
    const message = await resetMessage(await customer('ru'), { 'accept-language': 'en' });
    expect(message.subject).toBe('[Nova SMM] Сброс пароля');
    expect(message.text).toContain('Кто-то (надеемся, что вы) запросил сброс пароля вашего аккаунта.');
    expect(message.text).toContain('Выбрать новый пароль: https://panel.example/reset-password?token=');
    expect(message.html).toContain('<html lang="ru" dir="ltr">');
    expect(message.html).toContain('>Выбрать новый пароль</a>');
    expect(message.text).not.toContain('Reset your password');
  });

  it('writes an Arabic user’s reset email right to left', async () => {
    const message = await resetMessage(await customer('ar'));
    expect(message.subject).toBe('[Nova SMM] إعادة تعيين كلمة المرور');
    expect(message.html).toContain('<html lang="ar" dir="rtl">');
    expect(message.html).toContain('<body dir="rtl"');
    expect(message.text).toContain('اختر كلمة مرور جديدة');
  });

  it('writes an English user’s reset email as before, left to right', async () => {
    const message = await resetMessage(await customer('en'), { 'accept-language': 'ru' });
    expect(message.subject).toBe('[Nova SMM] Reset your password');
    expect(message.text).toContain('Someone (we hope you) asked to reset the password of your account.');
    expect(message.text).toContain(
      'The link works once, for one hour. If you did not ask, ignore this message: nothing changes.',
    );
    expect(message.text).toContain('Choose a new password: https://panel.example/reset-password?token=');
    expect(message.text).toContain('— Nova SMM');
    expect(message.html).toContain('<html lang="en" dir="ltr">');
  });

  it('without a saved choice, uses the language of the request (cookie, then Accept-Language), then the panel default', async () => {
    const turkish = await resetMessage(await customer(null), {
      'accept-language': 'tr-TR,tr;q=0.9,en;q=0.5',
    });
    expect(turkish.subject).toBe('[Nova SMM] Şifrenizi sıfırlayın');
    const cookie = await resetMessage(await customer(null), {
      cookie: 'smmkit_lang=pt-BR',
      'accept-language': 'tr',
    });
    expect(cookie.subject).toBe('[Nova SMM] Redefina sua senha');

    expect((await updatePanelSettings(panel.ctx, { panelName: 'Nova SMM', defaultLanguage: 'es' })).ok).toBe(
      true,
    );
    const byDefault = await resetMessage(await customer(null));
    expect(byDefault.subject).toBe('[Nova SMM] Restablece tu contraseña');
    // Hindi, from the browser, when the panel's default is Spanish.
    const hindi = await resetMessage(await customer(null), { 'accept-language': 'hi-IN' });
    expect(hindi.subject).toBe('[Nova SMM] अपना पासवर्ड रीसेट करें');
  });
});

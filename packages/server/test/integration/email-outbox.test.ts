import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/app/email/mailer.js';
import { queueEmail } from '../../src/app/email/queue-email.js';
import { sendDueEmails } from '../../src/app/email/send-due-emails.js';
import { updatePanelSettings } from '../../src/app/settings/panel-settings.js';
import { listOutboxEmails } from '../../src/store/email-outbox.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { TestPanel } from '../support/test-panel.js';

describe('email outbox', () => {
  let panel: TestPanel;
  let off: TestPanel;
  const smtp = new SmtpTestServer();
  beforeAll(async () => {
    await smtp.start();
    panel = await TestPanel.start({
      mail: { enabled: true, publicUrl: 'https://panel.example', adminEmail: 'owner@panel.example' },
    });
    off = await TestPanel.start();
    const named = await updatePanelSettings(panel.ctx, { panelName: 'Best <SMM>', currency: 'USD' });
    expect(named.ok).toBe(true);
  });
  afterAll(async () => {
    await Promise.all([panel.close(), off.close()]);
    await smtp.stop();
  });

  const mailer = () => smtpMailer(smtp.url, 'noreply@panel.example');

  it('queues nothing while email is off', async () => {
    const queued = await off.db.transaction((tx) =>
      queueEmail(tx, off.ctx, 'a@x.example', {
        kind: 'verify-email',
        link: 'https://p/verify-email?token=t',
      }),
    );
    expect(queued).toBe(false);
    expect(await listOutboxEmails(off.db)).toEqual([]);
  });

  it('sends a queued message once, with text and HTML bodies, in the panel name, over SMTP AUTH', async () => {
    await panel.db.transaction((tx) =>
      queueEmail(tx, panel.ctx, 'first@x.example', {
        kind: 'password-reset',
        link: 'https://panel.example/reset-password?token=abc',
      }),
    );
    const smtpMailerInstance = mailer();
    expect(await sendDueEmails(panel.ctx, smtpMailerInstance)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await sendDueEmails(panel.ctx, smtpMailerInstance)).toEqual({ sent: 0, retried: 0, failed: 0 });
    smtpMailerInstance.close();
    const [email] = smtp.to('first@x.example');
    expect(smtp.to('first@x.example')).toHaveLength(1);
    expect(email!.from).toBe('noreply@panel.example');
    expect(email!.raw).toMatch(/^From: "Best <SMM>" <noreply@panel\.example>/m);
    expect(email!.decoded).toContain('Reset your password');
    expect(email!.raw).toContain('text/plain');
    expect(email!.raw).toContain('text/html');
    expect(SmtpTestServer.link(email!, 'reset-password')).toBe(
      'https://panel.example/reset-password?token=abc',
    );
    expect(email!.decoded).toContain('Best &lt;SMM&gt;');
    const [row] = (await listOutboxEmails(panel.db)).filter((e) => e.recipient === 'first@x.example');
    expect(row).toMatchObject({ state: 'sent', attempts: 1, sentAt: panel.clock.now() });
  });

  it('keeps messages through an SMTP outage, retries with back-off, and delivers each once when it is back', async () => {
    await smtp.stop();
    for (const n of [1, 2, 3]) {
      await panel.db.transaction((tx) =>
        queueEmail(tx, panel.ctx, `outage${n}@x.example`, {
          kind: 'verify-email',
          link: `https://p/verify-email?token=t${n}`,
        }),
      );
    }
    const down = mailer();
    expect(await sendDueEmails(panel.ctx, down)).toEqual({ sent: 0, retried: 3, failed: 0 });
    const waiting = (await listOutboxEmails(panel.db)).filter((e) => e.recipient.startsWith('outage'));
    expect(waiting.map((e) => [e.state, e.attempts, e.nextAttemptAt])).toEqual(
      [1, 2, 3].map(() => ['pending', 1, panel.clock.now() + 30_000]),
    );
    expect(waiting[0]!.lastError).not.toBeNull();
    // Not due yet: nothing is tried.
    panel.clock.advance(10_000);
    expect(await sendDueEmails(panel.ctx, down)).toEqual({ sent: 0, retried: 0, failed: 0 });
    // Still down at the second attempt: the wait doubles.
    panel.clock.advance(20_000);
    expect(await sendDueEmails(panel.ctx, down)).toEqual({ sent: 0, retried: 3, failed: 0 });
    const second = (await listOutboxEmails(panel.db)).filter((e) => e.recipient.startsWith('outage'));
    expect(second.map((e) => [e.attempts, e.nextAttemptAt])).toEqual(
      [1, 2, 3].map(() => [2, panel.clock.now() + 60_000]),
    );
    down.close();

    await smtp.start();
    panel.clock.advance(60_000);
    const up = mailer();
    expect(await sendDueEmails(panel.ctx, up)).toEqual({ sent: 3, retried: 0, failed: 0 });
    panel.clock.advance(3_600_000);
    expect(await sendDueEmails(panel.ctx, up)).toEqual({ sent: 0, retried: 0, failed: 0 });
    up.close();
    for (const n of [1, 2, 3]) expect(smtp.to(`outage${n}@x.example`)).toHaveLength(1);
  });

  it('marks a message the server refuses for good as failed, and goes on with the others', async () => {
    await panel.db.transaction(async (tx) => {
      await queueEmail(tx, panel.ctx, 'nobody@x.example', {
        kind: 'verify-email',
        link: 'https://p/verify-email?token=n',
      });
      await queueEmail(tx, panel.ctx, 'somebody@x.example', {
        kind: 'verify-email',
        link: 'https://p/verify-email?token=s',
      });
    });
    const m = mailer();
    expect(await sendDueEmails(panel.ctx, m)).toEqual({ sent: 1, retried: 0, failed: 1 });
    m.close();
    const rows = await listOutboxEmails(panel.db);
    expect(rows.find((e) => e.recipient === 'nobody@x.example')).toMatchObject({ state: 'failed' });
    expect(smtp.to('somebody@x.example')).toHaveLength(1);
  });

  it('two workers at once send every message exactly once', async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => `race${i}@x.example`);
    await panel.db.transaction(async (tx) => {
      for (const to of recipients)
        await queueEmail(tx, panel.ctx, to, { kind: 'verify-email', link: 'https://p/verify-email?token=r' });
    });
    const [a, b] = [mailer(), mailer()];
    const results = await Promise.all([
      sendDueEmails(panel.ctx, a),
      sendDueEmails(panel.ctx, b),
      sendDueEmails(panel.ctx, a),
    ]);
    a.close();
    b.close();
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(30);
    for (const to of recipients) expect(smtp.to(to)).toHaveLength(1);
  });
});

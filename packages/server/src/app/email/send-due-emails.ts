import { emailRetryDelayMs } from '../../domain/email-outbox.js';
import { claimDueEmails, markEmailFailed, markEmailRetry, markEmailSent } from '../../store/email-outbox.js';
import type { Context } from '../context.js';
import type { Mailer } from './mailer.js';

/** Long enough for a slow SMTP exchange; a worker that dies leaves its messages claimable after it. */
const LEASE_MS = 5 * 60 * 1000;
const BATCH = 20;

/**
 * The worker's email job: claims due messages (each by one worker only), sends them one by one,
 * and records each attempt: sent, retried later with back-off (the server was down or busy), or
 * failed for good (the server refused the message with a 5xx). Nothing is lost in an outage.
 */
export async function sendDueEmails(
  ctx: Context,
  mailer: Mailer,
): Promise<{ sent: number; retried: number; failed: number }> {
  const counts = { sent: 0, retried: 0, failed: 0 };
  for (;;) {
    const claimed = await ctx.db.transaction((tx) => claimDueEmails(tx, ctx.clock.now(), LEASE_MS, BATCH));
    if (claimed.length === 0) return counts;
    for (const email of claimed) {
      const outcome = await mailer.send({
        to: email.recipient,
        fromName: email.senderName,
        subject: email.subject,
        text: email.textBody,
        html: email.htmlBody,
      });
      if (outcome.ok) {
        await markEmailSent(ctx.db, email.id, ctx.clock.now());
        counts.sent++;
      } else if (outcome.permanent) {
        await markEmailFailed(ctx.db, email.id, outcome.reason);
        counts.failed++;
      } else {
        await markEmailRetry(
          ctx.db,
          email.id,
          ctx.clock.now() + emailRetryDelayMs(email.attempts),
          outcome.reason,
        );
        counts.retried++;
      }
    }
    if (claimed.length < BATCH) return counts;
  }
}

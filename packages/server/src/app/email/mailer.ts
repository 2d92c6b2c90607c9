import { createTransport } from 'nodemailer';
import { isPermanentSmtpReply } from '../../domain/email-outbox.js';

export interface OutgoingEmail {
  readonly to: string;
  readonly fromName: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** What a send attempt came to: taken by the server, or not (and whether retrying can help). */
export type SendOutcome =
  { readonly ok: true } | { readonly ok: false; readonly permanent: boolean; readonly reason: string };

/** The mail transport behind one small interface; nodemailer lives only in the SMTP adapter. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<SendOutcome>;
  close(): void;
}

/** An SMTP mailer from `smtp://user:pass@host:port` or `smtps://…` (nodemailer). */
export function smtpMailer(smtpUrl: string, fromAddress: string): Mailer {
  const transport = createTransport(smtpUrl, {});
  transport.set('connectionTimeout', 15_000);
  return {
    async send(email) {
      try {
        await transport.sendMail({
          from: { name: email.fromName, address: fromAddress },
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
        });
        return { ok: true };
      } catch (error) {
        const { responseCode, message } = error as { responseCode?: number; message?: string };
        return { ok: false, permanent: isPermanentSmtpReply(responseCode), reason: message ?? String(error) };
      }
    },
    close() {
      transport.close();
    },
  };
}

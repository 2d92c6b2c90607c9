import { type EmailTemplate, renderEmail } from '../../domain/email-templates.js';
import type { Queryable } from '../../store/database.js';
import { insertEmail } from '../../store/email-outbox.js';
import type { Context } from '../context.js';
import { readPublicBranding } from '../branding/read-branding.js';

/** Whether messages are queued at all: SMMKIT_SMTP_URL is set. */
export function emailEnabled(ctx: Context): boolean {
  return ctx.mail?.enabled === true;
}

/** A link into the panel for a message: SMMKIT_PUBLIC_URL + path. */
export function publicLink(ctx: Context, path: string): string {
  return `${ctx.mail?.publicUrl ?? 'http://127.0.0.1:8080'}${path}`;
}

/**
 * Writes a message to the outbox in the caller's transaction (so it exists exactly when the event
 * that causes it does); the worker sends it. Does nothing while email is off.
 */
export async function queueEmail(
  tx: Queryable,
  ctx: Context,
  recipient: string,
  template: EmailTemplate,
): Promise<boolean> {
  if (!emailEnabled(ctx)) return false;
  // In the panel's name, colour and logo (an absolute URL: the message is read outside the panel).
  const brand = await readPublicBranding(ctx, { q: tx, baseUrl: publicLink(ctx, '') });
  const email = renderEmail(brand, template);
  await insertEmail(tx, { recipient, senderName: brand.panelName, ...email, now: ctx.clock.now() });
  return true;
}

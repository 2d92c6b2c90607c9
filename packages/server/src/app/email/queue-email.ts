import { type Language, isLanguage, isRightToLeft } from '@smmkit/contract/languages';
import { type EmailTemplate, renderEmail } from '../../domain/email-templates.js';
import type { Queryable } from '../../store/database.js';
import { insertEmail } from '../../store/email-outbox.js';
import { findUserLanguage } from '../../store/users.js';
import type { Context } from '../context.js';
import { languageOfRequest } from '../languages/language-of-request.js';
import { translatorFor } from '../languages/translate.js';
import { readDefaultLanguage } from '../settings/panel-settings.js';
import { readPublicBranding } from '../branding/read-branding.js';

/** Whether messages are queued at all: SMMKIT_SMTP_URL is set. */
export function emailEnabled(ctx: Context): boolean {
  return ctx.mail?.enabled === true;
}

/** A link into the panel for a message: SMMKIT_PUBLIC_URL + path. */
export function publicLink(ctx: Context, path: string): string {
  return `${ctx.mail?.publicUrl ?? 'http://127.0.0.1:8080'}${path}`;
}

/** What a visitor's request says of their language: the language cookie and Accept-Language. */
export interface RequestLanguage {
  readonly cookieLanguage: string | undefined;
  readonly acceptLanguage: string | undefined;
}

/** Who reads a message: the account it is for (its saved language), and the request that caused it. */
export interface EmailReader {
  readonly userId?: number | null | undefined;
  readonly request?: RequestLanguage | undefined;
}

/**
 * The language a message is written in: the recipient's saved choice, else the language of the
 * request that caused it (a visitor's browser or cookie), else the panel's default.
 */
export async function emailLanguage(tx: Queryable, reader: EmailReader): Promise<Language> {
  if (reader.userId !== undefined && reader.userId !== null) {
    const chosen = await findUserLanguage(tx, reader.userId);
    if (isLanguage(chosen)) return chosen;
  }
  const panelDefault = await readDefaultLanguage(tx);
  if (reader.request === undefined) return panelDefault;
  return languageOfRequest({ userLanguage: null, ...reader.request, panelDefault });
}

/**
 * Writes a message to the outbox in the caller's transaction (so it exists exactly when the event
 * that causes it does), in its reader's language; the worker sends it. Does nothing while email is off.
 */
export async function queueEmail(
  tx: Queryable,
  ctx: Context,
  recipient: string,
  template: EmailTemplate,
  reader: EmailReader = {},
): Promise<boolean> {
  if (!emailEnabled(ctx)) return false;
  // In the panel's name, colour and logo (an absolute URL: the message is read outside the panel).
  const brand = await readPublicBranding(ctx, { q: tx, baseUrl: publicLink(ctx, '') });
  const language = await emailLanguage(tx, reader);
  const t = translatorFor(language, 'email');
  const email = renderEmail(brand, template, (key, values) => t(key, values), {
    tag: language,
    rightToLeft: isRightToLeft(language),
  });
  await insertEmail(tx, { recipient, senderName: brand.panelName, ...email, now: ctx.clock.now() });
  return true;
}

/**
 * The panel's messages: a subject, a plain-text body and an HTML body, in the panel's name. Every
 * value is escaped in the HTML body (a username or a ticket message is user text), and links are
 * built by the caller from SMMKIT_PUBLIC_URL.
 */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export type EmailTemplate =
  | { readonly kind: 'verify-email'; readonly link: string }
  | { readonly kind: 'password-reset'; readonly link: string }
  | {
      readonly kind: 'ticket-reply';
      readonly ticketId: number;
      readonly message: string;
      readonly link: string;
    }
  | {
      readonly kind: 'webhook-disabled';
      readonly url: string;
      readonly reason: string;
      readonly link: string;
    }
  | {
      readonly kind: 'new-ticket';
      readonly ticketId: number;
      readonly subject: string;
      readonly username: string;
      readonly message: string;
      readonly link: string;
    };

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * The words of a message in the recipient's language: a key of the `email` catalogue with its values
 * (`t('passwordReset.subject')`, `t('ticketReply.subject', { id: 7 })`). The application passes it in
 * (app/languages/translate.ts), so this renderer stays pure.
 */
export type EmailWords = (key: string, values?: Readonly<Record<string, string | number>>) => string;

/** The recipient's language: its tag (`<html lang>`) and whether it is written right to left. */
export interface EmailLanguage {
  readonly tag: string;
  readonly rightToLeft: boolean;
}

interface Parts {
  readonly subject: string;
  /** Paragraphs of plain text. */
  readonly paragraphs: readonly string[];
  readonly link?: { readonly label: string; readonly url: string };
  /** A user's message, quoted as it was written. */
  readonly quote?: string;
}

function partsOf(template: EmailTemplate, t: EmailWords): Parts {
  switch (template.kind) {
    case 'verify-email':
      return {
        subject: t('verifyEmail.subject'),
        paragraphs: [t('verifyEmail.body')],
        link: { label: t('verifyEmail.link'), url: template.link },
      };
    case 'password-reset':
      return {
        subject: t('passwordReset.subject'),
        paragraphs: [t('passwordReset.asked'), t('passwordReset.once')],
        link: { label: t('passwordReset.link'), url: template.link },
      };
    case 'ticket-reply':
      return {
        subject: t('ticketReply.subject', { id: template.ticketId }),
        paragraphs: [t('ticketReply.body')],
        quote: template.message,
        link: { label: t('ticketReply.link'), url: template.link },
      };
    case 'webhook-disabled':
      return {
        subject: t('webhookDisabled.subject'),
        paragraphs: [
          t('webhookDisabled.body', { url: template.url, reason: template.reason }),
          t('webhookDisabled.kept'),
        ],
        link: { label: t('webhookDisabled.link'), url: template.link },
      };
    case 'new-ticket':
      return {
        subject: t('newTicket.subject', {
          id: template.ticketId,
          subject: template.subject,
          username: template.username,
        }),
        paragraphs: [t('newTicket.body', { username: template.username, subject: template.subject })],
        quote: template.message,
        link: { label: t('newTicket.link'), url: template.link },
      };
  }
}

/** How a message looks: the panel's name, its colours (`#rrggbb`) and its logo's absolute URL. */
export interface EmailBrand {
  readonly panelName: string;
  readonly primaryColour: string;
  /** Text on the primary colour (black or white). */
  readonly primaryTextColour: string;
  readonly logoUrl: string | null;
}

/** The default look: the panel's name on the web panel's own blue. */
export function plainBrand(panelName: string): EmailBrand {
  return { panelName, primaryColour: '#2754c5', primaryTextColour: '#ffffff', logoUrl: null };
}

/**
 * A message in the panel's name, colour and logo and in the recipient's language (its words from
 * `t`), laid out right to left for Arabic (`<html dir="rtl">`, the quote's bar on the right).
 */
export function renderEmail(
  brand: EmailBrand,
  template: EmailTemplate,
  t: EmailWords,
  language: EmailLanguage,
): RenderedEmail {
  const { panelName } = brand;
  const parts = partsOf(template, t);
  const dir = language.rightToLeft ? 'rtl' : 'ltr';
  const side = language.rightToLeft ? 'right' : 'left';
  const colour = escapeHtml(brand.primaryColour);
  const onColour = escapeHtml(brand.primaryTextColour);
  const text = [
    ...parts.paragraphs,
    ...(parts.quote === undefined ? [] : [parts.quote.replace(/^/gm, '> ')]),
    ...(parts.link === undefined ? [] : [`${parts.link.label}: ${parts.link.url}`]),
    `— ${panelName}`,
  ].join('\n\n');
  const html = [
    `<!doctype html><html lang="${escapeHtml(language.tag)}" dir="${dir}"><body dir="${dir}" style="font-family: sans-serif; line-height: 1.5">`,
    `<div style="border-top: 4px solid ${colour}; padding: 12px 0; margin-bottom: 8px">${
      brand.logoUrl === null
        ? `<strong style="font-size: 20px">${escapeHtml(panelName)}</strong>`
        : `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(panelName)}" style="max-height: 48px; max-width: 240px">`
    }</div>`,
    ...parts.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(parts.quote === undefined
      ? []
      : [
          `<blockquote style="white-space: pre-wrap; border-${side}: 3px solid #ccc; margin: 0; padding-${side}: 1em">${escapeHtml(parts.quote)}</blockquote>`,
        ]),
    ...(parts.link === undefined
      ? []
      : [
          `<p><a href="${escapeHtml(parts.link.url)}" style="display: inline-block; padding: 10px 18px; border-radius: 6px; text-decoration: none; font-weight: bold; background: ${colour}; color: ${onColour}">${escapeHtml(parts.link.label)}</a></p>`,
        ]),
    `<p>— ${escapeHtml(panelName)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: `[${panelName}] ${parts.subject}`, text, html };
}

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

/**
 * A message in the recipient's language (its words from `t`), laid out right to left for Arabic
 * (`<html dir="rtl">`, the quote's bar on the right).
 */
export function renderEmail(
  panelName: string,
  template: EmailTemplate,
  t: EmailWords,
  language: EmailLanguage,
): RenderedEmail {
  const parts = partsOf(template, t);
  const dir = language.rightToLeft ? 'rtl' : 'ltr';
  const side = language.rightToLeft ? 'right' : 'left';
  const text = [
    ...parts.paragraphs,
    ...(parts.quote === undefined ? [] : [parts.quote.replace(/^/gm, '> ')]),
    ...(parts.link === undefined ? [] : [`${parts.link.label}: ${parts.link.url}`]),
    `— ${panelName}`,
  ].join('\n\n');
  const html = [
    `<!doctype html><html lang="${escapeHtml(language.tag)}" dir="${dir}"><body dir="${dir}" style="font-family: sans-serif; line-height: 1.5">`,
    ...parts.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(parts.quote === undefined
      ? []
      : [
          `<blockquote style="white-space: pre-wrap; border-${side}: 3px solid #ccc; margin: 0; padding-${side}: 1em">${escapeHtml(parts.quote)}</blockquote>`,
        ]),
    ...(parts.link === undefined
      ? []
      : [`<p><a href="${escapeHtml(parts.link.url)}">${escapeHtml(parts.link.label)}</a></p>`]),
    `<p>— ${escapeHtml(panelName)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: `[${panelName}] ${parts.subject}`, text, html };
}

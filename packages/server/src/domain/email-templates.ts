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

interface Parts {
  readonly subject: string;
  /** Paragraphs of plain text. */
  readonly paragraphs: readonly string[];
  readonly link?: { readonly label: string; readonly url: string };
  /** A user's message, quoted as it was written. */
  readonly quote?: string;
}

function partsOf(template: EmailTemplate): Parts {
  switch (template.kind) {
    case 'verify-email':
      return {
        subject: 'Confirm your email address',
        paragraphs: ['Please confirm this email address for your account.'],
        link: { label: 'Confirm my address', url: template.link },
      };
    case 'password-reset':
      return {
        subject: 'Reset your password',
        paragraphs: [
          'Someone (we hope you) asked to reset the password of your account.',
          'The link works once, for one hour. If you did not ask, ignore this message: nothing changes.',
        ],
        link: { label: 'Choose a new password', url: template.link },
      };
    case 'ticket-reply':
      return {
        subject: `Ticket #${template.ticketId}: new answer`,
        paragraphs: ['Support answered your ticket:'],
        quote: template.message,
        link: { label: 'Open the ticket', url: template.link },
      };
    case 'webhook-disabled':
      return {
        subject: 'A webhook endpoint was disabled',
        paragraphs: [
          `Your webhook endpoint ${template.url} was disabled: ${template.reason}.`,
          'Its undelivered events are kept. Fix the receiver, then enable the endpoint again: they resume.',
        ],
        link: { label: 'Open your webhooks', url: template.link },
      };
    case 'new-ticket':
      return {
        subject: `New ticket #${template.ticketId} (${template.subject}) from ${template.username}`,
        paragraphs: [`${template.username} opened a ticket about ${template.subject}:`],
        quote: template.message,
        link: { label: 'Open the ticket', url: template.link },
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

export function renderEmail(brand: EmailBrand, template: EmailTemplate): RenderedEmail {
  const { panelName } = brand;
  const parts = partsOf(template);
  const colour = escapeHtml(brand.primaryColour);
  const onColour = escapeHtml(brand.primaryTextColour);
  const text = [
    ...parts.paragraphs,
    ...(parts.quote === undefined ? [] : [parts.quote.replace(/^/gm, '> ')]),
    ...(parts.link === undefined ? [] : [`${parts.link.label}: ${parts.link.url}`]),
    `— ${panelName}`,
  ].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    `<div style="border-top: 4px solid ${colour}; padding: 12px 0; margin-bottom: 8px">${
      brand.logoUrl === null
        ? `<strong style="font-size: 20px">${escapeHtml(panelName)}</strong>`
        : `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(panelName)}" style="max-height: 48px; max-width: 240px">`
    }</div>`,
    ...parts.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(parts.quote === undefined
      ? []
      : [
          `<blockquote style="white-space: pre-wrap; border-left: 3px solid #ccc; margin: 0; padding-left: 1em">${escapeHtml(parts.quote)}</blockquote>`,
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

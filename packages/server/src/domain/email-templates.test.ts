import { describe, expect, it } from 'vitest';
import { translatorFor } from '../app/languages/translate.js';
import {
  type EmailBrand,
  type EmailTemplate,
  escapeHtml,
  plainBrand,
  renderEmail,
} from './email-templates.js';

const english = translatorFor('en', 'email');
const render = (brand: string | EmailBrand, template: EmailTemplate) =>
  renderEmail(
    typeof brand === 'string' ? plainBrand(brand) : brand,
    template,
    (key, values) => english(key, values),
    { tag: 'en', rightToLeft: false },
  );

describe('email templates', () => {
  it('puts the link in both bodies and the panel name in the subject', () => {
    const email = render('Best SMM', {
      kind: 'password-reset',
      link: 'https://p.example/reset-password?token=abc',
    });
    expect(email.subject).toBe('[Best SMM] Reset your password');
    expect(email.text).toContain('https://p.example/reset-password?token=abc');
    expect(email.html).toContain('href="https://p.example/reset-password?token=abc"');
    expect(email.text).toContain('— Best SMM');
  });

  it('escapes user text in the HTML body and keeps it as written in the text body', () => {
    const email = render('<b>Panel</b>', {
      kind: 'new-ticket',
      ticketId: 7,
      subject: 'Refill',
      username: 'eve<script>',
      message: '<img src=x onerror=alert(1)> & "quotes"',
      link: 'http://127.0.0.1/admin/tickets/7',
    });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(email.html).toContain('&lt;b&gt;Panel&lt;/b&gt;');
    expect(email.text).toContain('> <img src=x onerror=alert(1)> & "quotes"');
  });

  it('lays a right-to-left message out right to left, its words from the translate function', () => {
    const email = renderEmail(
      plainBrand('Panel'),
      { kind: 'ticket-reply', ticketId: 3, message: 'hi', link: 'http://p/tickets/3' },
      (key, values) => `${key}${values?.id === undefined ? '' : ` ${values.id}`}`,
      { tag: 'ar', rightToLeft: true },
    );
    expect(email.subject).toBe('[Panel] ticketReply.subject 3');
    expect(email.html).toContain('<html lang="ar" dir="rtl">');
    expect(email.html).toContain('border-right: 3px solid #ccc');
    expect(email.text).toContain('ticketReply.link: http://p/tickets/3');
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('heads the HTML body with the logo (alt: the panel name) or the name, and draws the link in the primary colour', () => {
    const template = { kind: 'verify-email', link: 'https://p.example/verify-email?token=t' } as const;
    const branded = render(
      {
        panelName: 'Best "SMM"',
        primaryColour: '#ffdd00',
        primaryTextColour: '#000000',
        logoUrl: 'https://p.example/brand/logo?v=0123456789abcdef',
      },
      template,
    );
    expect(branded.html).toContain(
      '<img src="https://p.example/brand/logo?v=0123456789abcdef" alt="Best &quot;SMM&quot;"',
    );
    expect(branded.html).toContain('border-top: 4px solid #ffdd00');
    expect(branded.html).toContain('background: #ffdd00; color: #000000');
    expect(branded.subject).toBe('[Best "SMM"] Confirm your email address');
    expect(branded.text).toContain('— Best "SMM"');
    const plain = render('Plain', template);
    expect(plain.html).not.toContain('<img');
    expect(plain.html).toContain('<strong style="font-size: 20px">Plain</strong>');
  });
});

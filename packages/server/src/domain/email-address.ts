/**
 * Email addresses as the panel keeps them: trimmed and lower-cased, so uniqueness is
 * case-insensitive. A loose check (one @, no spaces, a dot in the domain): the verification link
 * is the real test.
 */
const EMAIL = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;

export function normalizeEmail(text: string): string | null {
  const email = text.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : null;
}

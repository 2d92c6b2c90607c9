import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email-address.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases a plausible address', () => {
    expect(normalizeEmail('  Alice@Example.COM ')).toBe('alice@example.com');
  });
  it('refuses what is not an address', () => {
    for (const text of [
      '',
      'alice',
      'alice@',
      '@x.com',
      'a b@x.com',
      'a@x',
      '<a@x.com>',
      `${'a'.repeat(250)}@x.com`,
    ]) {
      expect(normalizeEmail(text)).toBeNull();
    }
  });
});

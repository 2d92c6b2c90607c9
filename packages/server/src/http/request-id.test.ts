import { describe, expect, it } from 'vitest';
import { pathOf, requestIdFor } from './request-id.js';

describe('request ids', () => {
  it('keeps a sane incoming id', () => {
    expect(requestIdFor('abc-123')).toBe('abc-123');
    expect(requestIdFor('9f1c2d3e-4b5a-6789-abcd-ef0123456789')).toBe('9f1c2d3e-4b5a-6789-abcd-ef0123456789');
    expect(requestIdFor('lb:1/2+3=4@x_y.z')).toBe('lb:1/2+3=4@x_y.z');
  });

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['a space', 'a b'],
    ['a quote', 'a"b'],
    ['a newline (log forging)', 'a\nb'],
    ['non-ASCII', 'ä'],
  ])('replaces an id with %s by a generated one', (_what, header) => {
    const id = requestIdFor(header);
    expect(id).not.toBe(header);
    expect(id).toMatch(/^[A-Za-z0-9_-]{8}-[0-9a-z]+$/);
  });

  it('generates distinct ids, also for a repeated header', () => {
    const ids = new Set([requestIdFor(undefined), requestIdFor(undefined), requestIdFor(['a', 'b'])]);
    expect(ids.size).toBe(3);
  });

  it('strips the query string (which may hold a key) from logged URLs', () => {
    expect(pathOf('/api/v2?key=secret&action=balance')).toBe('/api/v2');
    expect(pathOf('/metrics')).toBe('/metrics');
    expect(pathOf(undefined)).toBe('');
  });
});

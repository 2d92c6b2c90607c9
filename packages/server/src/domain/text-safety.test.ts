import { describe, expect, it } from 'vitest';
import { type Result, failureMessage } from './errors.js';
import { type OrderRequest, type RawParams, parseOrderRequest } from './order-request.js';
import { SERVICE_TYPES, type ServiceTypeName } from './service-types.js';
import { hasUnsafeCharacters, hasUnsafeCharactersInLines } from './text-safety.js';

const NOW = new Date('2026-03-15T12:00:00Z');

const code = (n: number) => String.fromCodePoint(n);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const C0 = range(0x00, 0x1f);
const C1 = range(0x80, 0x9f);
const BIDI = [...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
const UNSAFE = [...C0, 0x7f, ...C1, ...BIDI];

describe('hasUnsafeCharacters', () => {
  it.each(UNSAFE.map((n) => [n.toString(16).padStart(4, '0')]))(
    'refuses U+%s anywhere in one-line text',
    (hex) => {
      const char = code(parseInt(hex, 16));
      expect(hasUnsafeCharacters(`${char}abc`)).toBe(true);
      expect(hasUnsafeCharacters(`ab${char}c`)).toBe(true);
      expect(hasUnsafeCharacters(`abc${char}`)).toBe(true);
    },
  );

  it('accepts ordinary text, other scripts, emoji and the neighbours of the refused ranges', () => {
    for (const text of [
      'https://instagram.com/p/abc',
      'привет мир',
      'مرحبا',
      '日本語 🎉 #tag @user',
      code(0x20) + code(0x7e) + code(0xa0) + code(0x2029) + code(0x202f) + code(0x2065) + code(0x206a),
      // Bidi marks that only hint direction (LRM, RLM, ALM) reorder nothing on their own.
      code(0x200e) + code(0x200f) + code(0x061c),
    ]) {
      expect(hasUnsafeCharacters(text)).toBe(false);
    }
  });

  it('in multi-line text allows CR and LF as separators and nothing else of the set', () => {
    expect(hasUnsafeCharactersInLines('one\r\ntwo\nthree\rfour')).toBe(false);
    for (const n of UNSAFE.filter((n) => n !== 0x0a && n !== 0x0d)) {
      expect(hasUnsafeCharactersInLines(`one\n${code(n)}two`)).toBe(true);
    }
    expect(hasUnsafeCharacters('one\ntwo')).toBe(true);
  });
});

describe('add refuses them in every text parameter with that parameter’s error', () => {
  const VALUES: Record<string, string> = {
    link: 'https://instagram.com/p/abc',
    quantity: '100',
    comments: 'nice\ngreat',
    usernames: 'alice\nbob',
    hashtags: 'one\ntwo',
    hashtag: 'summer',
    username: 'alice',
    media: 'https://instagram.com/p/media',
    answer_number: '2',
    groups: 'group1\ngroup2',
    keywords: 'kw1\nkw2',
    min: '10',
    max: '20',
    delay: '0',
  };
  const TEXT = new Set([
    'link',
    'comments',
    'usernames',
    'hashtags',
    'hashtag',
    'username',
    'media',
    'groups',
    'keywords',
  ]);
  const cases: [ServiceTypeName, string, string][] = [];
  for (const [type, spec] of Object.entries(SERVICE_TYPES) as [
    ServiceTypeName,
    (typeof SERVICE_TYPES)[ServiceTypeName],
  ][]) {
    for (const param of spec.required.filter((p) => TEXT.has(p))) {
      for (const bad of ['\u202e', '\u0007', '\u007f', '\u0085', '\u2066', '\t'])
        cases.push([type, param, bad]);
    }
  }

  it.each(cases)('%s: %s with %j', (type, param, bad) => {
    const raw: Record<string, string> = {};
    for (const name of SERVICE_TYPES[type].required) raw[name] = VALUES[name]!;
    const good: Result<OrderRequest> = parseOrderRequest(
      { type, min: 1, max: 10000, dripfeed: false },
      raw,
      NOW,
    );
    expect(good.ok).toBe(true);
    const value = raw[param]!;
    const tampered: RawParams = { ...raw, [param]: `${value.slice(0, 3)}${bad}${value.slice(3)}` };
    const result = parseOrderRequest({ type, min: 1, max: 10000, dripfeed: false }, tampered, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(failureMessage(result.failure)).toBe(`Incorrect ${param}`);
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PLAIN_SECRETS, SecretBox, SecretKeyError, isSealed, parseSecretKey } from './secret-box.js';

const key = randomBytes(32);

describe('secret box', () => {
  it('seals as v1:<iv>:<tag>:<ciphertext> with a fresh IV each time, and opens it back', () => {
    const box = new SecretBox(key);
    const a = box.seal('provider-key-123');
    const b = box.seal('provider-key-123');
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('provider-key-123');
    expect(box.open(a)).toBe('provider-key-123');
    expect(box.open(b)).toBe('provider-key-123');
    expect(box.open(box.seal('ключ 🔑'))).toBe('ключ 🔑');
  });

  it('reads plain values stored before a key was set', () => {
    expect(new SecretBox(key).open('plain-key')).toBe('plain-key');
    expect(PLAIN_SECRETS.seal('plain-key')).toBe('plain-key');
    expect(PLAIN_SECRETS.open('plain-key')).toBe('plain-key');
  });

  it('refuses to open without the key, with another key, or tampered', () => {
    const sealed = new SecretBox(key).seal('secret');
    expect(() => PLAIN_SECRETS.open(sealed)).toThrow(SecretKeyError);
    expect(() => PLAIN_SECRETS.open(sealed)).toThrow('SMMKIT_SECRET_KEY');
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(SecretKeyError);
    const [prefix, iv, tag, ciphertext] = sealed.split(':') as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => new SecretBox(key).open([prefix, iv, tag, flipped.toString('base64')].join(':'))).toThrow(
      SecretKeyError,
    );
    expect(() => new SecretBox(key).open('v1:abc')).toThrow(SecretKeyError);
  });

  it('opens with a previous key during a rotation and seals with the new one', () => {
    const old = new SecretBox(key).seal('secret');
    const rotating = new SecretBox(randomBytes(32), [key]);
    expect(rotating.open(old)).toBe('secret');
    const resealed = rotating.seal('secret');
    expect(() => new SecretBox(key).open(resealed)).toThrow(SecretKeyError);
    expect(isSealed(resealed)).toBe(true);
  });

  it('parses 32-byte keys as base64 or hex, nothing else', () => {
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(` ${key.toString('hex')} `)).toEqual(key);
    for (const bad of [
      '',
      'short',
      randomBytes(16).toString('base64'),
      randomBytes(31).toString('hex'),
      'z'.repeat(64),
    ]) {
      expect(() => parseSecretKey(bad)).toThrow(SecretKeyError);
    }
  });
});

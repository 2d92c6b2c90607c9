import { describe, expect, it } from 'vitest';
import { isReservedUsername, usernameKey } from './usernames.js';

describe('usernames', () => {
  it('keys a name by NFKC then lower case', () => {
    expect(usernameKey('Alice')).toBe('alice');
    expect(usernameKey('ＡＬＩＣＥ')).toBe('alice');
    expect(usernameKey('ｂｏｂ_1')).toBe('bob_1');
  });

  it.each([
    'admin',
    'Administrator',
    'ROOT',
    'ｓｕｐｐｏｒｔ',
    'System',
    'owner',
    'staff',
    'moderator',
    'api',
  ])('reserves %s', (name) => expect(isReservedUsername(name)).toBe(true));

  it('leaves ordinary names free', () => {
    expect(isReservedUsername('alice')).toBe(false);
    expect(isReservedUsername('admin2')).toBe(false);
  });
});

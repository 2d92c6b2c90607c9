import { describe, expect, it } from 'vitest';
import { USER_ROLES, USER_STATUSES, isUserStatus, readUserRole, readUserStatus } from './accounts.js';
import { REFUSAL_POLICIES, SERVICE_MODES, readRefusalPolicy, readServiceMode } from './fulfilment.js';
import { LEDGER_KINDS, readLedgerKind } from './ledger.js';
import { SERVICE_TYPE_NAMES, readServiceTypeName } from './service-types.js';
import { readStoredValue } from './stored-value.js';

const readers: readonly [string, readonly string[], (stored: string) => string][] = [
  ['user role', USER_ROLES, readUserRole],
  ['user status', USER_STATUSES, readUserStatus],
  ['ledger entry kind', LEDGER_KINDS, readLedgerKind],
  ['service mode', SERVICE_MODES, readServiceMode],
  ['provider refusal policy', REFUSAL_POLICIES, readRefusalPolicy],
];

describe('stored values', () => {
  it('reads a value of the set as itself', () => {
    expect(readStoredValue(['a', 'b'] as const, 'b', 'letter')).toBe('b');
  });

  it('throws on a value outside the set, naming what and which value', () => {
    expect(() => readStoredValue(['a', 'b'] as const, 'c', 'letter')).toThrow(
      'corrupt row: unknown letter "c"',
    );
    expect(() => readStoredValue(['a'] as const, '', 'letter')).toThrow('corrupt row: unknown letter ""');
  });

  describe.each(readers)('%s', (what, allowed, read) => {
    it('accepts every member of its set', () => {
      for (const value of allowed) expect(read(value)).toBe(value);
    });

    it('rejects other spellings as a corrupt row', () => {
      for (const value of ['', 'unknown', allowed[0]!.toUpperCase(), ` ${allowed[0]!}`]) {
        expect(() => read(value)).toThrow(`corrupt row: unknown ${what}`);
      }
    });
  });

  it('reads a stored service type only when this version knows it', () => {
    for (const name of SERVICE_TYPE_NAMES) expect(readServiceTypeName(name)).toBe(name);
    expect(() => readServiceTypeName('Story Views')).toThrow(
      'stored service type "Story Views" is not one this version knows',
    );
    expect(() => readServiceTypeName('default')).toThrow('is not one this version knows');
  });

  it('tells a user status from anything else (admin input)', () => {
    expect(isUserStatus('active')).toBe(true);
    expect(isUserStatus('suspended')).toBe(true);
    expect(isUserStatus('deleted')).toBe(false);
    expect(isUserStatus('Active')).toBe(false);
  });
});

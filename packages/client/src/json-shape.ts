/**
 * Checks for the values inside panel answers. Each returns the value typed, or throws
 * {@link ShapeMismatch} naming where the answer went wrong, so the caller gets an exact reason
 * instead of an `undefined` surfacing three calls later.
 *
 * Numbers and numeric strings are accepted for one another and converted to what the contract
 * says, because panels disagree (some send `"rate": 0.9`, some `"order": "23501"`); a value the
 * contract has as a string is never turned into a number, which could lose precision.
 */

export class ShapeMismatch extends Error {
  override readonly name: string = 'ShapeMismatch';
}

export function path(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;
}

function mismatch(expected: string, at: string): never {
  throw new ShapeMismatch(at === '' ? `expected ${expected}` : `expected ${expected} at ${at}`);
}

export function record(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return mismatch('an object', at);
  return value as Record<string, unknown>;
}

export function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) return mismatch('an array', at);
  return value as unknown[];
}

export function text(value: unknown, at: string): string {
  if (typeof value !== 'string') return mismatch('a string', at);
  return value;
}

/** A quantity or amount the contract sends as a string (`"0.90"`, `"157"`). */
export function numericText(value: unknown, at: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return mismatch('a numeric string', at);
}

/** An id the contract sends as a number (`23501`). */
export function integer(value: unknown, at: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return mismatch('an integer', at);
}

export function integerList(value: unknown, at: string): number[] {
  return array(value, at).map((item, index) => integer(item, path(at, index)));
}

export function boolean(value: unknown, at: string): boolean {
  if (typeof value !== 'boolean') return mismatch('true or false', at);
  return value;
}

/** For fields some panels leave out; `null` counts as left out. */
export function optional<T>(
  value: unknown,
  at: string,
  check: (value: unknown, at: string) => T,
): T | undefined {
  return value === undefined || value === null ? undefined : check(value, at);
}

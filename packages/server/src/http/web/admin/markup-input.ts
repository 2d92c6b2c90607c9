import type { Failure } from '../../../domain/errors.js';

/** The markup fields of the admin's forms, as typed: "25%", "0.10". */
export const INVALID_MARKUP: Failure = {
  code: 'INVALID_INPUT',
  field: 'markup',
  reason: 'a percentage, e.g. 25%',
};
export const INVALID_FIXED: Failure = {
  code: 'INVALID_INPUT',
  field: 'fixed',
  reason: 'a non-negative amount with up to 5 decimals',
};

/** A form field that may be left blank: undefined when it is, else what `parse` reads (null: unreadable). */
export function readUnlessBlank<T>(
  text: string | undefined,
  parse: (text: string) => T | null,
): T | null | undefined {
  return text === undefined || text.trim() === '' ? undefined : parse(text);
}

import { type Result, fail, ok } from '../../domain/errors.js';

const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

/** A token's name as typed: trimmed, 1–64 letters, digits, spaces, "_", "." or "-". */
export function readAdminTokenName(name: string): Result<string> {
  const trimmed = name.trim();
  return TOKEN_NAME.test(trimmed)
    ? ok(trimmed)
    : fail({ code: 'INVALID_INPUT', field: 'name', reason: '1-64 letters, digits, spaces, "_", "." or "-"' });
}

import type { Failure } from '../../domain/errors.js';

/** A new password: 8 to 1024 characters (the sign-up rule). */
export function checkNewPassword(password: string): Failure | null {
  if (password.length < 8)
    return { code: 'INVALID_INPUT', field: 'password', reason: 'at least 8 characters' };
  if (password.length > 1024)
    return { code: 'INVALID_INPUT', field: 'password', reason: 'at most 1024 characters' };
  return null;
}

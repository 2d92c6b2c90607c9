import { type Result, fail, ok } from '../../domain/errors.js';
import { insertApiKey } from '../../store/api-keys.js';
import type { UserRole } from '../../domain/accounts.js';
import { findUserByUsername, insertUser } from '../../store/users.js';
import { normalizeEmail } from '../../domain/email-address.js';
import { sendVerificationLink } from '../accounts/account-links.js';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { apiKeyPrefix, generateApiKey, hashApiKey, hashPassword } from './credentials.js';

export interface CreatedUser {
  readonly id: number;
  readonly username: string;
  /** Shown once: only its hash is stored. */
  readonly apiKey: string;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$/;

export async function createUser(
  ctx: Context,
  input: { username: string; password?: string | undefined; role: UserRole; email?: string | undefined },
): Promise<Result<CreatedUser>> {
  // NFKC first: a full-width or compatibility spelling becomes the plain name it stands for.
  const username = input.username.trim().normalize('NFKC');
  if (!USERNAME.test(username)) {
    return fail({
      code: 'INVALID_INPUT',
      field: 'username',
      reason: '2-32 letters, digits, "_", "." or "-"',
    });
  }
  if (input.password !== undefined && input.password.length < 8) {
    return fail({ code: 'INVALID_INPUT', field: 'password', reason: 'at least 8 characters' });
  }
  const email = input.email === undefined ? null : normalizeEmail(input.email);
  if (input.email !== undefined && email === null) {
    return fail({ code: 'INVALID_INPUT', field: 'email', reason: 'an address such as name@example.com' });
  }
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const apiKey = generateApiKey();
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const id = await insertUser(tx, { username, passwordHash, role: input.role, email, now });
    if (id === null) {
      // Which account holds a taken address is nobody's business: the refusal does not say.
      if (email === null || (await findUserByUsername(tx, username)) !== undefined) {
        return fail<CreatedUser>({ code: 'USERNAME_TAKEN', username });
      }
      return fail<CreatedUser>({ code: 'EMAIL_TAKEN' });
    }
    await insertApiKey(tx, { userId: id, keyHash: hashApiKey(apiKey), prefix: apiKeyPrefix(apiKey), now });
    await recordAudit(tx, ctx, 'user.create', `user:${id}`, { username, role: input.role });
    if (email !== null) await sendVerificationLink(tx, ctx, { userId: id, email });
    return ok({ id, username, apiKey });
  });
}

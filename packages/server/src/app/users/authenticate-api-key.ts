import { type Result, fail, ok } from '../../domain/errors.js';
import type { Money } from '../../domain/money.js';
import { findApiKeyOwner } from '../../store/api-keys.js';
import type { Context } from '../context.js';
import { hashApiKey } from './credentials.js';

export interface ApiCaller {
  readonly userId: number;
  /** The balance as read with the key: `balance` answers from it without a second read. */
  readonly balance: Money;
}

const MAX_KEY_LENGTH = 256;

/** A missing, unknown or revoked key, or a suspended user, are all the same "Invalid API key". */
export async function authenticateApiKey(ctx: Context, key: string | undefined): Promise<Result<ApiCaller>> {
  const trimmed = key?.trim() ?? '';
  if (trimmed === '' || trimmed.length > MAX_KEY_LENGTH) return fail({ code: 'INVALID_API_KEY' });
  const owner = await findApiKeyOwner(ctx.db, hashApiKey(trimmed));
  if (!owner || owner.status !== 'active') return fail({ code: 'INVALID_API_KEY' });
  return ok({ userId: Number(owner.user_id), balance: owner.balance });
}

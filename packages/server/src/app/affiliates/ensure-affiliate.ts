import { randomBytes } from 'node:crypto';
import { CODE_LENGTH, referralCodeFrom } from '../../domain/affiliates.js';
import { type Affiliate, findAffiliate, insertAffiliate } from '../../store/affiliates.js';
import type { Queryable } from '../../store/database.js';

/**
 * The user's affiliate row, made with a random code the first time it is needed (the customer opens
 * the Affiliates page, or the admin sets an override). A code another user holds already is drawn again.
 */
export async function ensureAffiliate(tx: Queryable, userId: number, now: number): Promise<Affiliate> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const existing = await findAffiliate(tx, userId);
    if (existing) return existing;
    await insertAffiliate(tx, userId, referralCodeFrom(randomBytes(CODE_LENGTH)), now);
  }
  throw new Error(`no free referral code for user ${userId}`);
}
